//! Members' annotations: written by their author's devices, read by whoever they are shared
//! with through the change log (see `ecabinet_protocol::AnnotationRecord`).
//!
//! Only the author writes an annotation, deletes it or reads its history. Anyone else's
//! request naming it is answered 404 `not_found`, exactly like an id nobody used: a 403
//! would confirm that the id is someone's annotation, and a private annotation's existence is
//! private too.

use super::ApiResult;
use crate::ServerState;
use crate::auth::Caller;
use crate::error::{Json, Path, ServerError, missing_or_internal};
use axum::extract::State;
use council_storage::{NewAnnotationRevision, StorageError};
use ecabinet_domain::{
    Annotation, AnnotationId, AnnotationRefusal, MemberId, PacketVersion, Paper, PaperId,
};
use ecabinet_protocol::{AnnotationHistory, AnnotationWrite, ApiError, ErrorCode};
use std::collections::HashMap;

fn no_such_annotation() -> ServerError {
    ServerError::not_found("no such annotation, or not yours")
}

fn no_such_paper() -> ServerError {
    ServerError::not_found("no such paper, or not one you may read")
}

/// The caller's own annotation `id` (its current revision, a tombstone if deleted), or 404
/// whether it does not exist or is someone else's.
async fn own_annotation(
    state: &ServerState,
    caller: &Caller,
    id: AnnotationId,
) -> Result<Option<Annotation>, ServerError> {
    match state.storage.annotation(id).await {
        Ok(annotation) if annotation.author == caller.member.id => Ok(Some(annotation)),
        Ok(_) => Err(no_such_annotation()),
        Err(StorageError::NotFound) => Ok(None),
        Err(other) => Err(other.into()),
    }
}

/// Whether `member` in `role` may read `paper`: the secretariat reads its council's papers
/// in preparation; everyone else a paper the meeting's latest published version grants them
/// (as blobs are served).
fn may_read_paper(
    paper: &Paper,
    latest: Option<&PacketVersion>,
    member: MemberId,
    role: ecabinet_domain::Role,
) -> bool {
    role.may_read_working_papers()
        || latest.is_some_and(|v| {
            v.entries.iter().any(|e| {
                e.paper_id == paper.id && e.file.is_some() && e.visibility.may_read(member, role)
            })
        })
}

/// The paper `id` if it is of the caller's council and theirs to read, with the meeting's
/// latest published version; 404 otherwise, the same for a paper that does not exist.
async fn readable_paper(
    state: &ServerState,
    caller: &Caller,
    id: PaperId,
) -> Result<(Paper, Option<PacketVersion>), ServerError> {
    let paper = state
        .storage
        .paper(id)
        .await
        .map_err(|e| missing_or_internal(e, no_such_paper))?;
    let meeting = state
        .storage
        .meeting(paper.meeting_id)
        .await
        .map_err(|e| missing_or_internal(e, no_such_paper))?;
    if meeting.council_id != caller.member.council_id {
        return Err(no_such_paper());
    }
    let latest = state.storage.latest_packet(meeting.id).await?;
    if !may_read_paper(
        &paper,
        latest.as_ref(),
        caller.member.id,
        caller.member.role,
    ) {
        return Err(no_such_paper());
    }
    Ok((paper, latest))
}

/// Who besides the author may read this revision: the meeting's participants (as the
/// latest published version lists them; the working list before anything is published)
/// that the annotation is shared with and who may read the paper.
async fn readers(
    state: &ServerState,
    caller: &Caller,
    annotation: &Annotation,
    paper: &Paper,
    latest: Option<&PacketVersion>,
) -> Result<Vec<MemberId>, ServerError> {
    if annotation.sharing == ecabinet_domain::Sharing::Private {
        return Ok(Vec::new());
    }
    let participants = match latest {
        Some(version) => version.participants.clone(),
        None => state.storage.participants(paper.meeting_id).await?,
    };
    // Enabled accounts only: a disabled member receives nothing.
    let roles: HashMap<MemberId, ecabinet_domain::Role> = state
        .storage
        .accounts(caller.member.council_id, state.clock.now())
        .await?
        .into_iter()
        .map(|(member, _)| (member.id, member.role))
        .collect();
    let candidates: Vec<(MemberId, bool)> = participants
        .iter()
        .filter_map(|p| {
            let role = *roles.get(&p.member_id)?;
            Some((
                p.member_id,
                may_read_paper(paper, latest, p.member_id, role),
            ))
        })
        .collect();
    Ok(annotation.readers(&candidates))
}

fn refused(refusal: AnnotationRefusal) -> ServerError {
    match refusal {
        AnnotationRefusal::BodyTooLong => {
            ServerError::new(ErrorCode::PayloadTooLarge, refusal.to_string())
        }
        other => ServerError::bad_request(other.to_string()),
    }
}

async fn store(
    state: &ServerState,
    caller: &Caller,
    annotation: Annotation,
    base_revision: u32,
    readers: Vec<MemberId>,
) -> ApiResult<Annotation> {
    let council = caller.member.council_id;
    let written = state
        .storage
        .write_annotation(NewAnnotationRevision {
            council,
            annotation,
            base_revision,
            readers,
        })
        .await
        .map_err(|e| match e {
            // Another member's id, written between our read and this write.
            StorageError::Conflict(_) => no_such_annotation(),
            other => other.into(),
        })?;
    if let Some(head) = written.head {
        state.live.announce(council, head);
    }
    Ok(Json(written.annotation))
}

/// Creates or edits the caller's annotation. The id is the device's; `base_revision` is the
/// revision it edited (0 for a new one). The write that reaches the server last becomes the
/// next revision and the one it replaced stays in the history; the same write sent again
/// is answered with the revision it made and stores nothing.
#[utoipa::path(
    put, path = "/api/v1/annotations/{annotation_id}", tag = "annotations", security(("bearer" = [])),
    params(("annotation_id" = uuid::Uuid, Path, description = "the annotation's UUID, made by the device")),
    request_body = AnnotationWrite,
    responses(
        (status = 200, body = Annotation, description = "the revision that now stands for this write"),
        (status = 400, body = ApiError, description = "a malformed id or body, an anchor that does not fit the kind or describes no place, a shape that cannot be drawn, a bad colour or thickness, or an annotation moved to another paper (bad_request)"),
        (status = 401, body = ApiError),
        (status = 403, body = ApiError, description = "`password_change_required`"),
        (status = 404, body = ApiError, description = "another member's annotation, or a paper that does not exist or the caller may not read"),
        (status = 413, body = ApiError, description = "the body is longer than the server keeps (payload_too_large)")
    )
)]
pub async fn put_annotation(
    State(state): State<ServerState>,
    caller: Caller,
    Path(id): Path<AnnotationId>,
    Json(write): Json<AnnotationWrite>,
) -> ApiResult<Annotation> {
    write_annotation(&state, &caller, id, write).await
}

/// Keeps `write` as the caller's annotation `id`: every check of a `PUT`, then the next
/// revision with its readers. The demo council's marks are written through it too.
pub(crate) async fn write_annotation(
    state: &ServerState,
    caller: &Caller,
    id: AnnotationId,
    write: AnnotationWrite,
) -> ApiResult<Annotation> {
    let existing = own_annotation(state, caller, id).await?;
    let (paper, latest) = readable_paper(state, caller, write.paper_id).await?;
    let annotation = Annotation {
        id,
        author: caller.member.id,
        paper_id: paper.id,
        meeting_id: paper.meeting_id,
        made_on: write.made_on,
        anchor: write.anchor,
        kind: write.kind,
        colour: write.colour,
        thickness: write.thickness,
        body: write.body,
        sharing: write.sharing,
        revision: 0,
        updated_at: state.clock.now(),
        deleted: false,
    };
    annotation.check().map_err(refused)?;
    if let Some(previous) = &existing {
        annotation.check_edit_of(previous).map_err(refused)?;
    }
    let readers = readers(state, caller, &annotation, &paper, latest.as_ref()).await?;
    store(state, caller, annotation, write.base_revision, readers).await
}

/// Deletes the caller's annotation: a tombstone revision, which syncs to every device and
/// reader like an edit. Deleting a deleted annotation answers its tombstone again.
#[utoipa::path(
    delete, path = "/api/v1/annotations/{annotation_id}", tag = "annotations", security(("bearer" = [])),
    params(("annotation_id" = uuid::Uuid, Path, description = "the annotation's UUID")),
    responses(
        (status = 200, body = Annotation, description = "the tombstone"),
        (status = 400, body = ApiError, description = "a malformed id"),
        (status = 401, body = ApiError),
        (status = 403, body = ApiError, description = "`password_change_required`"),
        (status = 404, body = ApiError, description = "no such annotation, or another member's")
    )
)]
pub async fn delete_annotation(
    State(state): State<ServerState>,
    caller: Caller,
    Path(id): Path<AnnotationId>,
) -> ApiResult<Annotation> {
    let current = own_annotation(&state, &caller, id)
        .await?
        .ok_or_else(no_such_annotation)?;
    if current.deleted {
        return Ok(Json(current));
    }
    let base = current.revision;
    let tombstone = Annotation {
        deleted: true,
        updated_at: state.clock.now(),
        ..current
    };
    // Those who read it learn of the deletion: the readers as they are now. A paper the
    // author may no longer read still lets them delete their mark, shared with no one new.
    let readers = match readable_paper(&state, &caller, tombstone.paper_id).await {
        Ok((paper, latest)) => {
            readers(&state, &caller, &tombstone, &paper, latest.as_ref()).await?
        }
        Err(e) if e.code() == ErrorCode::NotFound => Vec::new(),
        Err(e) => return Err(e),
    };
    store(&state, &caller, tombstone, base, readers).await
}

/// Every revision of the caller's annotation, oldest first: edits that lost to a later
/// one, and the tombstone of a deletion, included.
#[utoipa::path(
    get, path = "/api/v1/annotations/{annotation_id}/history", tag = "annotations", security(("bearer" = [])),
    params(("annotation_id" = uuid::Uuid, Path, description = "the annotation's UUID")),
    responses(
        (status = 200, body = AnnotationHistory),
        (status = 400, body = ApiError, description = "a malformed id"),
        (status = 401, body = ApiError),
        (status = 403, body = ApiError, description = "`password_change_required`"),
        (status = 404, body = ApiError, description = "no such annotation, or another member's")
    )
)]
pub async fn annotation_history(
    State(state): State<ServerState>,
    caller: Caller,
    Path(id): Path<AnnotationId>,
) -> ApiResult<AnnotationHistory> {
    own_annotation(&state, &caller, id)
        .await?
        .ok_or_else(no_such_annotation)?;
    let revisions = state.storage.annotation_history(id).await?;
    Ok(Json(AnnotationHistory { revisions }))
}
