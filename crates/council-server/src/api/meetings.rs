//! Preparing meetings and their programmes (the secretariat; the chair reviews, never edits).

use super::ApiResult;
use crate::ServerState;
use crate::auth::Caller;
use crate::error::{Json, Path, ServerError, missing_or_internal};
use axum::extract::State;
use ecabinet_domain::{AgendaItem, AgendaItemId, Meeting, MeetingId, MeetingStatus};
use ecabinet_protocol::{
    AgendaItemPatch, ApiError, MeetingCreated, MeetingPatch, NewAgendaItem, NewMeeting,
};
use uuid::Uuid;

/// A required text field, trimmed; empty is refused with a message naming the field.
pub(super) fn required(text: &str, what: &str) -> Result<String, ServerError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ServerError::bad_request(format!(
            "the {what} must not be empty"
        )));
    }
    Ok(text.to_owned())
}

/// A planned time as the programme may hold it (`None` clears it).
fn planned_minutes(minutes: Option<i32>) -> Result<Option<i32>, ServerError> {
    match minutes {
        Some(m) if !AgendaItem::planned_minutes_allowed(m) => {
            Err(ServerError::bad_request(format!(
                "the planned time must be between 0 and {} minutes",
                AgendaItem::MAX_PLANNED_MINUTES
            )))
        }
        _ => Ok(minutes),
    }
}

/// A meeting of another council is reported as missing, not forbidden, so ids of other
/// councils' meetings cannot be probed.
pub(super) async fn own_meeting(
    state: &ServerState,
    caller: &Caller,
    id: MeetingId,
) -> Result<Meeting, ServerError> {
    let meeting = state.storage.meeting(id).await?;
    if meeting.council_id != caller.member.council_id {
        return Err(council_storage::StorageError::NotFound.into());
    }
    Ok(meeting)
}

/// Creates a meeting in the caller's council.
#[utoipa::path(
    post, path = "/api/v1/meetings", tag = "meetings", security(("bearer" = [])),
    request_body = NewMeeting,
    responses(
        (status = 200, body = MeetingCreated),
        (status = 400, body = ApiError, description = "a malformed body or an empty title"),
        (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 413, body = ApiError)
    )
)]
pub async fn create_meeting(
    State(state): State<ServerState>,
    caller: Caller,
    Json(req): Json<NewMeeting>,
) -> ApiResult<MeetingCreated> {
    caller.require(
        caller.member.role.may_prepare_meetings(),
        "prepare meetings",
    )?;
    let meeting = Meeting {
        id: MeetingId(Uuid::new_v4()),
        council_id: caller.member.council_id,
        title: required(&req.title, "meeting title")?,
        starts_at: req.starts_at,
        location: req.location.trim().to_owned(),
        status: MeetingStatus::Scheduled,
    };
    let created = MeetingCreated {
        id: meeting.id,
        status: meeting.status,
    };
    let head = state.storage.put_meeting(meeting).await?;
    state.live.announce(caller.member.council_id, head);
    Ok(Json(created))
}

/// Adds an item to a meeting's programme.
#[utoipa::path(
    post, path = "/api/v1/meetings/{meeting_id}/agenda-items", tag = "meetings", security(("bearer" = [])),
    params(("meeting_id" = uuid::Uuid, Path, description = "the meeting's UUID")),
    request_body = NewAgendaItem,
    responses(
        (status = 200, body = AgendaItem),
        (status = 400, body = ApiError, description = "a malformed id or body, an empty title, a parent of another meeting"),
        (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 413, body = ApiError)
    )
)]
pub async fn add_agenda_item(
    State(state): State<ServerState>,
    caller: Caller,
    Path(meeting_id): Path<MeetingId>,
    Json(req): Json<NewAgendaItem>,
) -> ApiResult<AgendaItem> {
    caller.require(
        caller.member.role.may_prepare_meetings(),
        "edit a meeting's programme",
    )?;
    let meeting = own_meeting(&state, &caller, meeting_id).await?;
    if let Some(parent) = req.parent_id {
        let parent = state.storage.agenda_item(parent).await.map_err(|e| {
            missing_or_internal(e, || {
                ServerError::bad_request("the parent item does not exist in this meeting")
            })
        })?;
        if parent.meeting_id != meeting.id {
            return Err(ServerError::bad_request(
                "the parent item does not exist in this meeting",
            ));
        }
    }
    let item = AgendaItem {
        id: AgendaItemId(Uuid::new_v4()),
        meeting_id: meeting.id,
        parent_id: req.parent_id,
        position: req.position,
        title: required(&req.title, "item title")?,
        presenter: req
            .presenter
            .map(|p| p.trim().to_owned())
            .filter(|p| !p.is_empty()),
        planned_minutes: planned_minutes(req.planned_minutes)?,
        paper_titles: req.paper_titles,
    };
    let head = state
        .storage
        .put_agenda_item(meeting.council_id, item.clone())
        .await?;
    state.live.announce(meeting.council_id, head);
    Ok(Json(item))
}

/// Changes an item of a meeting's programme.
#[utoipa::path(
    patch, path = "/api/v1/agenda-items/{item_id}", tag = "meetings", security(("bearer" = [])),
    params(("item_id" = uuid::Uuid, Path, description = "the agenda item's UUID")),
    request_body = AgendaItemPatch,
    responses(
        (status = 200, body = AgendaItem),
        (status = 400, body = ApiError, description = "a malformed id or body, an empty title, a move under itself"),
        (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 413, body = ApiError)
    )
)]
pub async fn patch_agenda_item(
    State(state): State<ServerState>,
    caller: Caller,
    Path(item_id): Path<AgendaItemId>,
    Json(patch): Json<AgendaItemPatch>,
) -> ApiResult<AgendaItem> {
    caller.require(
        caller.member.role.may_prepare_meetings(),
        "edit a meeting's programme",
    )?;
    let mut item = state.storage.agenda_item(item_id).await?;
    let meeting = own_meeting(&state, &caller, item.meeting_id).await?;
    if let Some(title) = patch.title {
        item.title = required(&title, "item title")?;
    }
    if let Some(position) = patch.position {
        item.position = position;
    }
    if let Some(presenter) = patch.presenter {
        item.presenter = Some(presenter.trim().to_owned()).filter(|p| !p.is_empty());
    }
    if let Some(minutes) = patch.planned_minutes {
        item.planned_minutes = planned_minutes(minutes)?;
    }
    if let Some(parent) = patch.parent_id {
        // Walk up from the new parent: meeting it must share, the item itself it must not meet.
        let mut ancestor = parent;
        while let Some(id) = ancestor {
            if id == item.id {
                return Err(ServerError::bad_request(
                    "an item cannot be moved under itself or one of its sub-items",
                ));
            }
            let above = state.storage.agenda_item(id).await.map_err(|e| {
                missing_or_internal(e, || {
                    ServerError::bad_request("the new parent item does not exist in this meeting")
                })
            })?;
            if above.meeting_id != meeting.id {
                return Err(ServerError::bad_request(
                    "the new parent item does not exist in this meeting",
                ));
            }
            ancestor = above.parent_id;
        }
        item.parent_id = parent;
    }
    let head = state
        .storage
        .put_agenda_item(meeting.council_id, item.clone())
        .await?;
    state.live.announce(meeting.council_id, head);
    Ok(Json(item))
}

/// Changes a meeting's title, time or place.
#[utoipa::path(
    patch, path = "/api/v1/meetings/{meeting_id}", tag = "meetings", security(("bearer" = [])),
    params(("meeting_id" = uuid::Uuid, Path, description = "the meeting's UUID")),
    request_body = MeetingPatch,
    responses(
        (status = 200, body = Meeting),
        (status = 400, body = ApiError, description = "a malformed id or body, an empty title, archiving a session that is not over"),
        (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 413, body = ApiError)
    )
)]
pub async fn patch_meeting(
    State(state): State<ServerState>,
    caller: Caller,
    Path(meeting_id): Path<MeetingId>,
    Json(patch): Json<MeetingPatch>,
) -> ApiResult<Meeting> {
    caller.require(
        caller.member.role.may_prepare_meetings(),
        "prepare meetings",
    )?;
    let mut meeting = own_meeting(&state, &caller, meeting_id).await?;
    if let Some(title) = patch.title {
        meeting.title = required(&title, "meeting title")?;
    }
    if let Some(starts_at) = patch.starts_at {
        meeting.starts_at = starts_at;
    }
    if let Some(location) = patch.location {
        meeting.location = location.trim().to_owned();
    }
    if let Some(archived) = patch.archived {
        meeting.status = meeting.status.archived(archived).ok_or_else(|| {
            ServerError::bad_request(if archived {
                "only a session that is over can be archived"
            } else {
                "only an archived session can be restored"
            })
        })?;
    }
    let head = state.storage.put_meeting(meeting.clone()).await?;
    state.live.announce(meeting.council_id, head);
    Ok(Json(meeting))
}
