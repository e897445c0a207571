//! Polls (biểu quyết) of a meeting: drafted by the chair or the secretary, opened, closed,
//! published or cancelled by the chair, voted in by the voters present when it opened, and
//! checked by anyone through its public log (`ecabinet_domain::poll` has the rules,
//! `crate::polls` the desks that count).
//!
//! The meeting's participants read its polls; a member of the council who does not sit in
//! the meeting is refused 403, and another council's meeting or poll is answered 404 as one
//! that does not exist. A ballot is refused 403 `not_entitled` to anyone not entitled
//! (looked up in memory, before anything else, so a burst of ballots reads no meeting
//! facts). The log is the council's to read, every member of it.

use super::ApiResult;
use super::meetings::own_meeting;
use super::sittings::{MeetingFacts, sitting_meeting};
use crate::ServerState;
use crate::auth::Caller;
use crate::error::{Json, Path, ServerError};
use crate::polls::{Audience, Cast, PollError};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use ecabinet_domain::poll::{Ballot, Poll, PollId, PollRefusal, PollStep};
use ecabinet_domain::sitting::{SittingContext, SittingStatus};
use ecabinet_domain::{Meeting, MeetingId, MemberId};
use ecabinet_protocol::{
    ApiError, BallotReceipt, ErrorCode, PollDraft, PollStatus, PollStepRequest, PollsSnapshot,
};

fn no_such_poll() -> ServerError {
    ServerError::not_found("no such poll")
}

impl From<PollError> for ServerError {
    fn from(e: PollError) -> Self {
        match e {
            PollError::Refused(refusal) => ServerError::new(refusal.into(), refusal.to_string()),
            PollError::Ballot(refusal) => ServerError::new(refusal.into(), refusal.to_string()),
            PollError::NotFound => no_such_poll(),
            PollError::Storage(e) => e.into(),
        }
    }
}

fn audience(meeting: &Meeting, facts: &MeetingFacts) -> Audience {
    Audience {
        council: meeting.council_id,
        participants: facts.audience(),
    }
}

/// The poll and its meeting, if the poll is of the caller's council (404 otherwise, as for
/// an id nobody used).
async fn own_poll(
    state: &ServerState,
    caller: &Caller,
    id: PollId,
) -> Result<(Poll, Meeting), ServerError> {
    let poll = state.polls.poll(state.storage.as_ref(), id).await?;
    let meeting = own_meeting(state, caller, poll.meeting_id)
        .await
        .map_err(|e| match e.code() {
            ErrorCode::NotFound => no_such_poll(),
            _ => e,
        })?;
    Ok((poll, meeting))
}

/// The meeting's polls as they stand, for a device that joins, reconnects or restarts.
#[utoipa::path(
    get, path = "/api/v1/meetings/{meeting_id}/polls", tag = "polls", security(("bearer" = [])),
    params(("meeting_id" = uuid::Uuid, Path, description = "the meeting's UUID")),
    responses(
        (status = 200, body = PollsSnapshot),
        (status = 400, body = ApiError, description = "a malformed id"),
        (status = 401, body = ApiError),
        (status = 403, body = ApiError, description = "the caller does not sit in the meeting (forbidden); `password_change_required`"),
        (status = 404, body = ApiError, description = "no such meeting in the caller's council")
    )
)]
pub async fn meeting_polls(
    State(state): State<ServerState>,
    caller: Caller,
    Path(meeting_id): Path<MeetingId>,
) -> ApiResult<PollsSnapshot> {
    let (meeting, _) = sitting_meeting(&state, &caller, meeting_id).await?;
    let mut polls = Vec::new();
    for stored in state.storage.meeting_polls(meeting.id).await? {
        polls.push(
            state
                .polls
                .status(
                    state.storage.as_ref(),
                    stored.poll.id,
                    Some(caller.member.id),
                )
                .await?,
        );
    }
    Ok(Json(PollsSnapshot {
        meeting_id: meeting.id,
        polls,
        server_time: state.clock.now(),
    }))
}

/// A new draft under the device's id, or a draft's new settings (the same sent again
/// changes nothing). The chair and the secretary draft.
#[utoipa::path(
    put, path = "/api/v1/meetings/{meeting_id}/polls/{poll_id}", tag = "polls", security(("bearer" = [])),
    params(
        ("meeting_id" = uuid::Uuid, Path, description = "the meeting's UUID"),
        ("poll_id" = uuid::Uuid, Path, description = "the poll's UUID, made by the device that drafts it")
    ),
    request_body = PollDraft,
    responses(
        (status = 200, body = PollStatus),
        (status = 400, body = ApiError, description = "a malformed id or body; no question, options that cannot be told apart, a maximum that cannot be met, a countdown out of range, an item not on the programme (bad_request)"),
        (status = 401, body = ApiError),
        (status = 403, body = ApiError, description = "the caller is not the meeting's chair or secretary (forbidden); `password_change_required`"),
        (status = 404, body = ApiError, description = "no such meeting in the caller's council, or the id names another meeting's poll"),
        (status = 409, body = ApiError, description = "the poll has opened: its settings are fixed (conflict)")
    )
)]
pub async fn draft_poll(
    State(state): State<ServerState>,
    caller: Caller,
    Path((meeting_id, poll_id)): Path<(MeetingId, PollId)>,
    Json(draft): Json<PollDraft>,
) -> ApiResult<PollStatus> {
    let (meeting, facts) = sitting_meeting(&state, &caller, meeting_id).await?;
    let status = draft_in(&state, meeting, &facts, caller.member.id, poll_id, draft).await?;
    Ok(Json(status))
}

async fn draft_in(
    state: &ServerState,
    meeting: Meeting,
    facts: &MeetingFacts,
    member: MemberId,
    poll_id: PollId,
    draft: PollDraft,
) -> Result<PollStatus, ServerError> {
    Poll::may_draft(facts.meeting_role(member)).map_err(PollError::Refused)?;
    if !facts.has_item(draft.item_id) {
        return Err(PollError::Refused(PollRefusal::NoSuchItem).into());
    }
    let poll = Poll::draft(
        poll_id,
        meeting.id,
        draft.item_id,
        draft.settings,
        member,
        state.clock.now(),
    )
    .map_err(PollError::Refused)?;
    Ok(state
        .polls
        .draft(
            state.storage.as_ref(),
            &state.live,
            &audience(&meeting, facts),
            poll,
        )
        .await?)
}

/// Drafts a poll as `member` of `meeting` would from their device (the demo's seed); a nil
/// item stands for the programme's last item.
pub(crate) async fn draft_as(
    state: &ServerState,
    meeting: Meeting,
    member: MemberId,
    poll_id: PollId,
    mut draft: PollDraft,
) -> Result<PollStatus, ServerError> {
    let facts = MeetingFacts::load(state, &meeting).await?;
    if draft.item_id.as_uuid().is_nil()
        && let Some(last) = facts.last_item()
    {
        draft.item_id = last;
    }
    draft_in(state, meeting, &facts, member, poll_id, draft).await
}

/// The chair opens (taking the voting participants checked in now as the entitled
/// voters), closes, publishes or cancels a poll; the secretary cancels a draft.
#[utoipa::path(
    post, path = "/api/v1/polls/{poll_id}/steps", tag = "polls", security(("bearer" = [])),
    params(("poll_id" = uuid::Uuid, Path, description = "the poll's UUID")),
    request_body = PollStepRequest,
    responses(
        (status = 200, body = PollStatus),
        (status = 400, body = ApiError, description = "a malformed id or body"),
        (status = 401, body = ApiError),
        (status = 403, body = ApiError, description = "the caller is not the meeting's chair (forbidden); `password_change_required`"),
        (status = 404, body = ApiError, description = "no such poll in the caller's council"),
        (status = 409, body = ApiError, description = "the step does not fit the poll's state (poll_not_open, conflict); the sitting is not open (sitting_not_open); no voting member is checked in (nobody_present)")
    )
)]
pub async fn step_poll(
    State(state): State<ServerState>,
    caller: Caller,
    Path(poll_id): Path<PollId>,
    Json(request): Json<PollStepRequest>,
) -> ApiResult<PollStatus> {
    let (poll, _) = own_poll(&state, &caller, poll_id).await?;
    let (meeting, facts) = sitting_meeting(&state, &caller, poll.meeting_id).await?;
    let role = facts.meeting_role(caller.member.id);
    let sitting = if request.step == PollStep::Open {
        Some(
            state
                .sittings
                .current(state.storage.as_ref(), meeting.id)
                .await?,
        )
    } else {
        None
    };
    let present = || {
        let sitting = sitting.as_ref().ok_or(PollRefusal::SittingNotOpen)?;
        if sitting.status != SittingStatus::Open {
            return Err(PollRefusal::SittingNotOpen);
        }
        let voters = facts.voters();
        let present = voters
            .iter()
            .copied()
            .filter(|m| sitting.present(*m).is_some())
            .collect();
        Ok((present, voters.len() as u32))
    };
    let status = state
        .polls
        .step(
            &state.storage,
            &state.live,
            &audience(&meeting, &facts),
            poll_id,
            role,
            request.step,
            state.clock.now(),
            present,
        )
        .await?;
    Ok(Json(status))
}

/// A ballot, sent under the voter's key and version: the same sent again is answered with
/// the receipt it got the first time and counts once.
#[utoipa::path(
    post, path = "/api/v1/polls/{poll_id}/ballots", tag = "polls", security(("bearer" = [])),
    params(("poll_id" = uuid::Uuid, Path, description = "the poll's UUID")),
    request_body = Ballot,
    responses(
        (status = 200, body = BallotReceipt, description = "recorded (now, or the first time for a retry): where it stands in the poll's log"),
        (status = 400, body = ApiError, description = "a malformed id or body; an option the poll does not have or more than it allows (bad_request)"),
        (status = 401, body = ApiError),
        (status = 403, body = ApiError, description = "the caller was not a voting member checked in when the poll opened (not_entitled); `password_change_required`"),
        (status = 404, body = ApiError, description = "no such poll in the caller's council"),
        (status = 409, body = ApiError, description = "the poll is not open (poll_not_open), closed (poll_closed) or cancelled (poll_cancelled); voted already (already_voted); a change of a ballot no longer current (ballot_not_current); the same ballot with another choice (conflict)")
    )
)]
pub async fn cast_ballot(
    State(state): State<ServerState>,
    caller: Caller,
    Path(poll_id): Path<PollId>,
    Json(ballot): Json<Ballot>,
) -> ApiResult<BallotReceipt> {
    let (council, entitled) = state
        .polls
        .voter(state.storage.as_ref(), poll_id, caller.member.id)
        .await?;
    if council != caller.member.council_id {
        return Err(no_such_poll());
    }
    if !entitled {
        return Err(ServerError::new(
            ErrorCode::NotEntitled,
            ecabinet_domain::poll::BallotRefusal::NotEntitled.to_string(),
        ));
    }
    let receipt = state
        .polls
        .cast(
            state.storage.as_ref(),
            &state.live,
            Cast {
                council,
                poll: poll_id,
                voter: caller.member.id,
                ballot,
                now: state.clock.now(),
            },
        )
        .await?;
    Ok(Json(receipt))
}

/// The poll's public log as JSON lines (`application/x-ndjson`), for anyone of the council
/// to check with `council-server verify-poll`: empty for a draft.
#[utoipa::path(
    get, path = "/api/v1/polls/{poll_id}/log", tag = "polls", security(("bearer" = [])),
    params(("poll_id" = uuid::Uuid, Path, description = "the poll's UUID")),
    responses(
        (status = 200, description = "one PollLogLine per line", content_type = "application/x-ndjson", body = String),
        (status = 400, body = ApiError, description = "a malformed id"),
        (status = 401, body = ApiError),
        (status = 403, body = ApiError, description = "`password_change_required`"),
        (status = 404, body = ApiError, description = "no such poll in the caller's council")
    )
)]
pub async fn poll_log(
    State(state): State<ServerState>,
    caller: Caller,
    Path(poll_id): Path<PollId>,
) -> Result<Response, ServerError> {
    own_poll(&state, &caller, poll_id).await?;
    let mut body = String::new();
    for line in state.storage.poll_log(poll_id).await? {
        body.push_str(
            &serde_json::to_string(&line)
                .map_err(|e| ServerError::from(council_storage::StorageError::Backend(e.into())))?,
        );
        body.push('\n');
    }
    Ok(([(header::CONTENT_TYPE, "application/x-ndjson")], body).into_response())
}
