//! The live sitting of a meeting: check-in, the chair's course through the programme, the
//! presenter's page and the list of speakers (`ecabinet_domain::sitting` has the rules).
//!
//! Every participant reads the sitting and acts in it as the rules let their place in the
//! meeting; a member of the council who does not sit in the meeting is refused 403, and a
//! meeting of another council is answered 404 as for one that does not exist. What sits in
//! the meeting, its programme and the papers a presenter may show come from its latest
//! published version (before anything is published: the working list and programme, and
//! no paper to show). An accepted action goes to the participants' live sockets whole.

use super::ApiResult;
use super::meetings::own_meeting;
use super::papers::sitting_participants;
use crate::ServerState;
use crate::auth::Caller;
use crate::error::{Json, Path, ServerError};
use crate::sittings::{ActError, Acted, Asked};
use axum::extract::State;
use ecabinet_domain::sitting::{Actor, SittingAction, SittingContext, SittingEvent};
use ecabinet_domain::{
    AgendaItemId, Meeting, MeetingId, MeetingRole, MeetingStatus, MemberId, PaperId, Participant,
    Visibility,
};
use ecabinet_protocol::{ApiError, ErrorCode, SittingRequest, SittingSnapshot};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// What the sitting's rules need of its meeting.
pub(super) struct MeetingFacts {
    participants: Vec<Participant>,
    items: HashSet<AgendaItemId>,
    /// The programme's last item, where a council's resolutions are voted.
    last_item: Option<AgendaItemId>,
    /// Papers every participant reads, with their page counts.
    papers: HashMap<PaperId, u32>,
}

impl SittingContext for MeetingFacts {
    fn has_item(&self, item: AgendaItemId) -> bool {
        self.items.contains(&item)
    }

    fn meeting_role(&self, member: MemberId) -> Option<MeetingRole> {
        self.participants
            .iter()
            .find(|p| p.member_id == member)
            .map(|p| p.meeting_role)
    }

    fn page_count(&self, paper: PaperId) -> Option<u32> {
        self.papers.get(&paper).copied()
    }
}

impl MeetingFacts {
    pub(super) async fn load(
        state: &ServerState,
        meeting: &Meeting,
    ) -> Result<MeetingFacts, ServerError> {
        let latest = state.storage.latest_packet(meeting.id).await?;
        let participants = sitting_participants(state, meeting, latest.as_ref()).await?;
        let programme = match latest.as_ref().and_then(|v| v.programme.clone()) {
            Some(programme) => programme,
            None => state.storage.agenda_items(meeting.id).await?,
        };
        let items = programme.iter().map(|item| item.id).collect();
        let last_item = programme
            .iter()
            .filter(|item| item.parent_id.is_none())
            .max_by_key(|item| item.position)
            .map(|item| item.id);
        let papers = latest
            .iter()
            .flat_map(|v| &v.entries)
            .filter(|e| e.visibility == Visibility::AllParticipants)
            .filter_map(|e| Some((e.paper_id, e.file.as_ref()?.pages)))
            .collect();
        Ok(MeetingFacts {
            participants,
            items,
            last_item,
            papers,
        })
    }

    pub(super) fn last_item(&self) -> Option<AgendaItemId> {
        self.last_item
    }

    pub(super) fn voters(&self) -> Vec<MemberId> {
        self.participants
            .iter()
            .filter(|p| p.votes)
            .map(|p| p.member_id)
            .collect()
    }

    pub(super) fn audience(&self) -> Arc<HashSet<MemberId>> {
        Arc::new(self.participants.iter().map(|p| p.member_id).collect())
    }
}

/// The meeting, if the caller sits in it; 403 for a member of its council who does not,
/// 404 for another council's.
pub(super) async fn sitting_meeting(
    state: &ServerState,
    caller: &Caller,
    id: MeetingId,
) -> Result<(Meeting, MeetingFacts), ServerError> {
    let meeting = own_meeting(state, caller, id).await?;
    let facts = MeetingFacts::load(state, &meeting).await?;
    if facts.meeting_role(caller.member.id).is_none() {
        return Err(ServerError::new(
            ErrorCode::Forbidden,
            "only the meeting's participants follow its sitting",
        ));
    }
    Ok((meeting, facts))
}

/// The sitting as it stands, for a device that joins, reconnects or restarts; live events
/// numbered above `sitting.seq` follow on the socket.
#[utoipa::path(
    get, path = "/api/v1/meetings/{meeting_id}/sitting", tag = "sittings", security(("bearer" = [])),
    params(("meeting_id" = uuid::Uuid, Path, description = "the meeting's UUID")),
    responses(
        (status = 200, body = SittingSnapshot),
        (status = 400, body = ApiError, description = "a malformed id"),
        (status = 401, body = ApiError),
        (status = 403, body = ApiError, description = "the caller does not sit in the meeting (forbidden); `password_change_required`"),
        (status = 404, body = ApiError, description = "no such meeting in the caller's council")
    )
)]
pub async fn sitting(
    State(state): State<ServerState>,
    caller: Caller,
    Path(meeting_id): Path<MeetingId>,
) -> ApiResult<SittingSnapshot> {
    let (meeting, facts) = sitting_meeting(&state, &caller, meeting_id).await?;
    let sitting = state
        .sittings
        .current(state.storage.as_ref(), meeting.id)
        .await?;
    Ok(Json(SittingSnapshot {
        meeting_id: meeting.id,
        sitting,
        voters: facts.voters(),
        server_time: state.clock.now(),
    }))
}

/// An action in the sitting: checking in or out, the chair's course and speakers, the
/// presenter's page. The action id is the device's: the same id sent again is answered
/// with the event it made and records nothing.
#[utoipa::path(
    post, path = "/api/v1/meetings/{meeting_id}/sitting", tag = "sittings", security(("bearer" = [])),
    params(("meeting_id" = uuid::Uuid, Path, description = "the meeting's UUID")),
    request_body = SittingRequest,
    responses(
        (status = 200, body = SittingEvent, description = "the event the action was recorded as (now, or the first time for a retry)"),
        (status = 400, body = ApiError, description = "a malformed id or body; an item not on the programme, a paper not shown to all participants or a page it does not have, rules or a speech time out of range (bad_request)"),
        (status = 401, body = ApiError),
        (status = 403, body = ApiError, description = "the caller does not sit in the meeting, or their place in it does not allow the act (forbidden: only the chair runs the sitting, the secretariat records attendance, a delegate asks for the floor, the chair or the speaker presents); checking in from outside the chamber where the rules do not allow it (remote_not_allowed); `password_change_required`"),
        (status = 404, body = ApiError, description = "no such meeting in the caller's council"),
        (status = 409, body = ApiError, description = "the sitting is closed (sitting_closed) or not open for this (sitting_not_open); the floor asked for before checking in (not_checked_in); a request for the floor withdrawn or granted meanwhile (request_gone); an act the sitting's state does not allow now (conflict)")
    )
)]
pub async fn act_in_sitting(
    State(state): State<ServerState>,
    caller: Caller,
    Path(meeting_id): Path<MeetingId>,
    Json(request): Json<SittingRequest>,
) -> ApiResult<SittingEvent> {
    let (meeting, facts) = sitting_meeting(&state, &caller, meeting_id).await?;
    let event = record_action(&state, meeting, &facts, caller.member.id, request).await?;
    Ok(Json(event))
}

/// Decides and records `member`'s action in the meeting's sitting, sends the event to the
/// participants' sockets and follows it in the meeting's status; a retry is answered with
/// the event recorded the first time. The demo's sitting is seeded through here too.
async fn record_action(
    state: &ServerState,
    meeting: Meeting,
    facts: &MeetingFacts,
    member: MemberId,
    request: SittingRequest,
) -> Result<SittingEvent, ServerError> {
    if meeting.status == MeetingStatus::Archived {
        return Err(ServerError::new(
            ErrorCode::SittingClosed,
            "the meeting is archived; its sitting is over",
        ));
    }
    let actor = Actor {
        member,
        meeting_role: facts.meeting_role(member),
    };
    let acted = state
        .sittings
        .act(
            state.storage.as_ref(),
            meeting.id,
            Asked {
                action_id: request.action_id,
                actor,
                action: request.action,
                now: state.clock.now(),
            },
            facts,
        )
        .await
        .map_err(|e| match e {
            ActError::Refused(refusal) => ServerError::new(refusal.into(), refusal.to_string()),
            ActError::Storage(e) => e.into(),
        })?;
    let event = match acted {
        Acted::Repeated(event) => return Ok(event),
        Acted::Recorded(event) => event,
    };
    state.live.publish_sitting(
        meeting.council_id,
        meeting.id,
        facts.audience(),
        event.clone(),
    );
    follow_in_meeting_status(state, meeting, &event.action).await?;
    Ok(event)
}

/// Records `member`'s action in the sitting of `meeting` as if their device had sent it
/// (the demo's seed): the same rules, the same record, the same live messages.
pub(crate) async fn act_as(
    state: &ServerState,
    meeting: Meeting,
    member: MemberId,
    request: SittingRequest,
) -> Result<SittingEvent, ServerError> {
    let facts = MeetingFacts::load(state, &meeting).await?;
    record_action(state, meeting, &facts, member, request).await
}

/// Opening the sitting puts the meeting in progress and closing it closes the meeting, in
/// the meeting record every member syncs.
async fn follow_in_meeting_status(
    state: &ServerState,
    meeting: Meeting,
    action: &SittingAction,
) -> Result<(), ServerError> {
    let status = match action {
        SittingAction::Open => MeetingStatus::InProgress,
        SittingAction::Close => MeetingStatus::Closed,
        _ => return Ok(()),
    };
    if meeting.status == status {
        return Ok(());
    }
    let council = meeting.council_id;
    let head = state
        .storage
        .put_meeting(Meeting { status, ..meeting })
        .await?;
    state.live.announce(council, head);
    Ok(())
}
