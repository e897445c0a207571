//! Delegates' opinions (ý kiến) on agenda items: sent by the delegates and the chair who
//! sit in the meeting, read by their author and by the secretariat and the chair, who also
//! receive them through the change log (`SyncRecord::Opinion`).
//!
//! Each send is a version; none is ever changed. A member who may not read an opinion is
//! answered 404 `not_found` for it, exactly like an id nobody used, so another delegate
//! cannot even learn that an opinion exists. A role that sends no opinions (guests, the
//! secretariat, the administrator) is refused 403 before anything is looked up; a delegate
//! of the council who does not sit in the meeting is refused 403 too; an archived meeting
//! takes no more opinions (409 `conflict`).

use super::ApiResult;
use super::meetings::own_meeting;
use crate::ServerState;
use crate::auth::Caller;
use crate::error::{Json, Path, ServerError, missing_or_internal};
use axum::extract::State;
use council_storage::{NewOpinionVersion, StorageError};
use ecabinet_domain::{Meeting, MeetingId, Opinion, OpinionId, OpinionRefusal, PaperLink};
use ecabinet_protocol::{ApiError, ErrorCode, OpinionVersions, OpinionWrite};

fn no_such_opinion() -> ServerError {
    ServerError::not_found("no such opinion, or not one you may read")
}

fn no_such_paper() -> ServerError {
    ServerError::not_found("no such paper in this meeting, or not one you may read")
}

fn refused(refusal: OpinionRefusal) -> ServerError {
    let code = match refusal {
        OpinionRefusal::NotASender => ErrorCode::Forbidden,
        OpinionRefusal::MeetingArchived => ErrorCode::Conflict,
        OpinionRefusal::BodyTooLong | OpinionRefusal::QuoteTooLong => ErrorCode::PayloadTooLarge,
        OpinionRefusal::ItemNotInMeeting
        | OpinionRefusal::EmptyBody
        | OpinionRefusal::NulCharacter
        | OpinionRefusal::MovedToAnotherItem => ErrorCode::BadRequest,
    };
    ServerError::new(code, refusal.to_string())
}

/// Every version of opinion `id` if the caller may read it (its author, or the secretariat
/// and chair of its council); 404 otherwise, the same as for an id nobody used.
async fn readable_versions(
    state: &ServerState,
    caller: &Caller,
    id: OpinionId,
) -> Result<Vec<Opinion>, ServerError> {
    let versions = state.storage.opinion_versions(id).await?;
    let Some(first) = versions.first() else {
        return Ok(Vec::new());
    };
    // Another council's opinion is answered like an unknown id.
    own_meeting(state, caller, first.meeting_id)
        .await
        .map_err(|e| match e.code() {
            ErrorCode::NotFound => no_such_opinion(),
            _ => e,
        })?;
    if !first.may_read(caller.member.id, caller.member.role) {
        return Err(no_such_opinion());
    }
    Ok(versions)
}

/// The caller's link to a paper checked: a paper of this meeting that they may read (the
/// meeting's latest published version grants it to them, or they read working papers).
async fn check_paper_link(
    state: &ServerState,
    caller: &Caller,
    meeting: &Meeting,
    link: &PaperLink,
) -> Result<(), ServerError> {
    let paper = state
        .storage
        .paper(link.paper_id)
        .await
        .map_err(|e| missing_or_internal(e, no_such_paper))?;
    if paper.meeting_id != meeting.id {
        return Err(no_such_paper());
    }
    let (member, role) = (caller.member.id, caller.member.role);
    let readable = role.may_read_working_papers()
        || state
            .storage
            .latest_packet(meeting.id)
            .await?
            .is_some_and(|v| {
                v.entries.iter().any(|e| {
                    e.paper_id == paper.id
                        && e.file.is_some()
                        && e.visibility.may_read(member, role)
                })
            });
    if !readable {
        return Err(no_such_paper());
    }
    Ok(())
}

/// Sends an opinion, or a new version of the caller's opinion. The id is the device's;
/// `version` the number it made (1 for a new opinion). The same write sent again is
/// answered with the version it made and stores nothing; a number another device of the
/// caller's took first is kept as the next version.
#[utoipa::path(
    put, path = "/api/v1/opinions/{opinion_id}", tag = "opinions", security(("bearer" = [])),
    params(("opinion_id" = uuid::Uuid, Path, description = "the opinion's UUID, made by the device")),
    request_body = OpinionWrite,
    responses(
        (status = 200, body = Opinion, description = "the version that now stands for this write"),
        (status = 400, body = ApiError, description = "a malformed id or body, an empty opinion, a NUL character, an item not of the meeting, or an edit moved to another item (bad_request)"),
        (status = 401, body = ApiError),
        (status = 403, body = ApiError, description = "the caller's role sends no opinions, or they do not sit in the meeting as a delegate or its chair (forbidden); `password_change_required`"),
        (status = 404, body = ApiError, description = "another member's opinion, a meeting of another council, or a linked paper that is not this meeting's or not the caller's to read"),
        (status = 409, body = ApiError, description = "the meeting is archived (conflict)"),
        (status = 413, body = ApiError, description = "the opinion or its quote is longer than the server keeps (payload_too_large)")
    )
)]
pub async fn put_opinion(
    State(state): State<ServerState>,
    caller: Caller,
    Path(id): Path<OpinionId>,
    Json(write): Json<OpinionWrite>,
) -> ApiResult<Opinion> {
    if !caller.member.role.may_send_opinions() {
        return Err(refused(OpinionRefusal::NotASender));
    }
    let versions = state.storage.opinion_versions(id).await?;
    let latest = versions.last();
    if latest.is_some_and(|l| l.author != caller.member.id) {
        return Err(no_such_opinion());
    }
    let meeting = own_meeting(&state, &caller, write.meeting_id).await?;
    let published = state.storage.latest_packet(meeting.id).await?;
    let participants =
        super::papers::sitting_participants(&state, &meeting, published.as_ref()).await?;
    let meeting_role = participants
        .iter()
        .find(|p| p.member_id == caller.member.id)
        .map(|p| p.meeting_role);
    Opinion::may_send(caller.member.role, meeting_role, meeting.status).map_err(refused)?;
    let item_in_meeting = match state.storage.agenda_item(write.item_id).await {
        Ok(item) => item.meeting_id == meeting.id,
        Err(StorageError::NotFound) => false,
        Err(other) => return Err(other.into()),
    };
    let opinion = Opinion {
        id,
        author: caller.member.id,
        meeting_id: meeting.id,
        item_id: write.item_id,
        paper: write.paper,
        body: write.body,
        version: write.version,
        sent_at: state.clock.now(),
        withdrawn: write.withdrawn,
    };
    opinion.check(item_in_meeting).map_err(refused)?;
    if let Some(previous) = latest {
        opinion.check_edit_of(previous).map_err(refused)?;
    }
    if let Some(link) = &opinion.paper {
        check_paper_link(&state, &caller, &meeting, link).await?;
    }
    let council = caller.member.council_id;
    let written = state
        .storage
        .write_opinion(NewOpinionVersion { council, opinion })
        .await
        .map_err(|e| match e {
            // Another member's id, written between our read and this write.
            StorageError::Conflict(_) => no_such_opinion(),
            other => other.into(),
        })?;
    if let Some(head) = written.head {
        state.live.announce(council, head);
    }
    Ok(Json(written.opinion))
}

/// Every version of an opinion, oldest first: for its author, and for the secretariat and
/// the chair of its council.
#[utoipa::path(
    get, path = "/api/v1/opinions/{opinion_id}", tag = "opinions", security(("bearer" = [])),
    params(("opinion_id" = uuid::Uuid, Path, description = "the opinion's UUID")),
    responses(
        (status = 200, body = OpinionVersions),
        (status = 400, body = ApiError, description = "a malformed id"),
        (status = 401, body = ApiError),
        (status = 403, body = ApiError, description = "`password_change_required`"),
        (status = 404, body = ApiError, description = "no such opinion, or not one the caller may read")
    )
)]
pub async fn opinion_versions(
    State(state): State<ServerState>,
    caller: Caller,
    Path(id): Path<OpinionId>,
) -> ApiResult<OpinionVersions> {
    let versions = readable_versions(&state, &caller, id).await?;
    if versions.is_empty() {
        return Err(no_such_opinion());
    }
    Ok(Json(OpinionVersions { versions }))
}

/// The opinions of a meeting, every version, in the order they were received: all of them
/// for the secretariat and the chair, their own for a delegate.
#[utoipa::path(
    get, path = "/api/v1/meetings/{meeting_id}/opinions", tag = "opinions", security(("bearer" = [])),
    params(("meeting_id" = uuid::Uuid, Path, description = "the meeting's UUID")),
    responses(
        (status = 200, body = OpinionVersions),
        (status = 400, body = ApiError, description = "a malformed id"),
        (status = 401, body = ApiError),
        (status = 403, body = ApiError, description = "the caller's role neither sends nor reads opinions (forbidden); `password_change_required`"),
        (status = 404, body = ApiError, description = "no such meeting in the caller's council")
    )
)]
pub async fn meeting_opinions(
    State(state): State<ServerState>,
    caller: Caller,
    Path(id): Path<MeetingId>,
) -> ApiResult<OpinionVersions> {
    let role = caller.member.role;
    if !(role.may_read_opinions() || role.may_send_opinions()) {
        return Err(ServerError::forbidden("read opinions"));
    }
    let meeting = own_meeting(&state, &caller, id).await?;
    let versions = state
        .storage
        .meeting_opinions(meeting.id)
        .await?
        .into_iter()
        .filter(|o| o.may_read(caller.member.id, role))
        .collect();
    Ok(Json(OpinionVersions { versions }))
}
