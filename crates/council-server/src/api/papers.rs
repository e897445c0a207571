//! Preparing a meeting's packet: papers, participants, approval and publishing.

use super::ApiResult;
use super::meetings::{own_meeting, required};
use crate::ServerState;
use crate::auth::Caller;
use crate::error::{Json, Path, ServerError, missing_or_internal};
use axum::extract::State;
use council_storage::{NewPacketVersion, StorageError};
use ecabinet_domain::{
    Meeting, MeetingId, PacketVersion, Paper, PaperFile, PaperId, PaperPlace, Participant,
    PublishRefusal, Review, ReviewRefusal, Visibility,
};
use ecabinet_protocol::{
    ApiError, ErrorCode, MeetingParticipants, NewPaper, PaperPatch, ParticipantEntry,
    PublishRequest, ReturnPaper,
};

/// A file name as people see it: the last path component, without control characters,
/// at most 200 characters. It is never used as a path anywhere.
pub fn display_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = last.chars().filter(|c| !c.is_control()).take(200).collect();
    let clean = clean.trim().trim_start_matches('.').trim().to_owned();
    if clean.is_empty() {
        "paper.pdf".to_owned()
    } else {
        clean
    }
}

async fn check_place(
    state: &ServerState,
    meeting: &Meeting,
    place: PaperPlace,
) -> Result<(), ServerError> {
    if let PaperPlace::Item(item) = place {
        let item = state.storage.agenda_item(item).await.map_err(|e| {
            missing_or_internal(e, || {
                ServerError::bad_request("the agenda item does not exist in this meeting")
            })
        })?;
        if item.meeting_id != meeting.id {
            return Err(ServerError::bad_request(
                "the agenda item does not exist in this meeting",
            ));
        }
    }
    Ok(())
}

async fn check_visibility(
    state: &ServerState,
    caller: &Caller,
    visibility: &Visibility,
) -> Result<(), ServerError> {
    if let Visibility::Named { readers, .. } = visibility {
        let members = state
            .storage
            .accounts(caller.member.council_id, state.clock.now())
            .await?;
        if let Some(stranger) = readers
            .iter()
            .find(|r| !members.iter().any(|(m, _)| m.id == **r))
        {
            return Err(ServerError::bad_request(format!(
                "reader {stranger} is not a member of this council"
            )));
        }
    }
    Ok(())
}

/// A file the caller's council uploaded. Another council's file, though the server holds
/// it, is answered exactly as a file nobody uploaded: a council attaches only bytes it sent.
async fn stored_file(
    state: &ServerState,
    caller: &Caller,
    hash: &ecabinet_domain::BlobHash,
    file_name: &str,
) -> Result<PaperFile, ServerError> {
    let council = caller.member.council_id;
    let blob = state
        .storage
        .council_blob(council, hash)
        .await?
        .ok_or_else(|| {
            ServerError::bad_request(
                "the file has not been uploaded; upload it to /api/v1/blobs first",
            )
        })?;
    Ok(PaperFile {
        hash: blob.hash,
        size: blob.size,
        pages: blob.pages,
        file_name: display_file_name(file_name),
    })
}

async fn own_paper(
    state: &ServerState,
    caller: &Caller,
    id: PaperId,
) -> Result<(Paper, Meeting), ServerError> {
    let paper = state.storage.paper(id).await?;
    let meeting = own_meeting(state, caller, paper.meeting_id).await?;
    Ok((paper, meeting))
}

async fn save(state: &ServerState, meeting: &Meeting, paper: Paper) -> ApiResult<Paper> {
    let head = state
        .storage
        .put_paper(meeting.council_id, paper.clone())
        .await?;
    state.live.announce(meeting.council_id, head);
    Ok(Json(paper))
}

/// Attaches an uploaded file to a meeting as a draft paper, or as the next revision of the
/// paper with the same id or the same watched-folder source.
#[utoipa::path(
    post, path = "/api/v1/meetings/{meeting_id}/papers", tag = "papers", security(("bearer" = [])),
    params(("meeting_id" = uuid::Uuid, Path, description = "the meeting's UUID")),
    request_body = NewPaper,
    responses(
        (status = 200, body = Paper),
        (status = 400, body = ApiError, description = "a malformed id or body, an empty title, a file or place that does not exist"),
        (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 413, body = ApiError)
    )
)]
pub async fn add_paper(
    State(state): State<ServerState>,
    caller: Caller,
    Path(meeting_id): Path<MeetingId>,
    Json(req): Json<NewPaper>,
) -> ApiResult<Paper> {
    caller.require(caller.member.role.may_prepare_meetings(), "import papers")?;
    let meeting = own_meeting(&state, &caller, meeting_id).await?;
    let file = stored_file(&state, &caller, &req.hash, &req.file_name).await?;
    let now = state.clock.now();
    let existing = match state.storage.paper(req.id).await {
        Ok(paper) => Some(paper),
        Err(StorageError::NotFound) => match &req.source {
            Some(source) => state.storage.paper_by_source(meeting.id, source).await?,
            None => None,
        },
        Err(e) => return Err(e.into()),
    };
    if let Some(mut paper) = existing {
        if paper.meeting_id != meeting.id {
            return Err(ServerError::new(
                ErrorCode::Conflict,
                "this paper id belongs to another meeting",
            ));
        }
        // A retry, or a changed file in the watched folder: the next revision, never a duplicate.
        if !paper.replace_file(file, caller.member.id, now) && !paper.withdrawn {
            return Ok(Json(paper));
        }
        paper.withdrawn = false;
        return save(&state, &meeting, paper).await;
    }
    check_place(&state, &meeting, req.place).await?;
    check_visibility(&state, &caller, &req.visibility).await?;
    let paper = Paper {
        id: req.id,
        meeting_id: meeting.id,
        place: req.place,
        position: req.position,
        title: required(&req.title, "paper title")?,
        kind: req.kind,
        visibility: req.visibility,
        file,
        revision: 1,
        source: req.source.filter(|s| !s.trim().is_empty()),
        review: Review::Pending,
        uploaded_by: Some(caller.member.id),
        withdrawn: false,
        updated_at: now,
    };
    save(&state, &meeting, paper).await
}

/// Changes a paper: its title, kind, visibility, place, file, or withdraws it.
#[utoipa::path(
    patch, path = "/api/v1/papers/{paper_id}", tag = "papers", security(("bearer" = [])),
    params(("paper_id" = uuid::Uuid, Path, description = "the paper's UUID")),
    request_body = PaperPatch,
    responses(
        (status = 200, body = Paper),
        (status = 400, body = ApiError, description = "a malformed id or body, an empty title, a file or place that does not exist"),
        (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 413, body = ApiError)
    )
)]
pub async fn patch_paper(
    State(state): State<ServerState>,
    caller: Caller,
    Path(paper_id): Path<PaperId>,
    Json(patch): Json<PaperPatch>,
) -> ApiResult<Paper> {
    caller.require(caller.member.role.may_prepare_meetings(), "edit papers")?;
    let (mut paper, meeting) = own_paper(&state, &caller, paper_id).await?;
    let now = state.clock.now();
    let before = paper.clone();
    if let Some(title) = patch.title {
        paper.title = required(&title, "paper title")?;
    }
    if let Some(kind) = patch.kind {
        paper.kind = kind;
    }
    if let Some(visibility) = patch.visibility {
        check_visibility(&state, &caller, &visibility).await?;
        paper.visibility = visibility;
    }
    if let Some(place) = patch.place {
        check_place(&state, &meeting, place).await?;
        paper.place = place;
    }
    if let Some(position) = patch.position {
        paper.position = position;
    }
    if let Some(hash) = patch.hash {
        let name = patch
            .file_name
            .as_deref()
            .unwrap_or(&paper.file.file_name)
            .to_owned();
        let file = stored_file(&state, &caller, &hash, &name).await?;
        paper.replace_file(file, caller.member.id, now);
    }
    if let Some(withdrawn) = patch.withdrawn {
        paper.withdrawn = withdrawn;
    }
    if paper == before {
        return Ok(Json(paper));
    }
    paper.amended(now);
    save(&state, &meeting, paper).await
}

/// Approves a paper for publishing (the chair).
#[utoipa::path(
    post, path = "/api/v1/papers/{paper_id}/approval", tag = "papers", security(("bearer" = [])),
    params(("paper_id" = uuid::Uuid, Path, description = "the paper's UUID")),
    responses(
        (status = 200, body = Paper),
        (status = 400, body = ApiError, description = "a malformed id"),
        (status = 401, body = ApiError),
        (status = 403, body = ApiError, description = "a role that does not approve papers (forbidden), or the member who uploaded this revision (own_upload)"),
        (status = 404, body = ApiError)
    )
)]
pub async fn approve_paper(
    State(state): State<ServerState>,
    caller: Caller,
    Path(paper_id): Path<PaperId>,
) -> ApiResult<Paper> {
    caller.require(caller.member.role.may_approve_papers(), "approve papers")?;
    let (mut paper, meeting) = own_paper(&state, &caller, paper_id).await?;
    if !paper
        .approve(caller.member.id, state.clock.now())
        .map_err(refused)?
    {
        return Ok(Json(paper));
    }
    save(&state, &meeting, paper).await
}

/// A review act the paper's current state does not allow, under the code the app shows.
fn refused(refusal: ReviewRefusal) -> ServerError {
    let code = match refusal {
        ReviewRefusal::NotPending | ReviewRefusal::NotApproved => ErrorCode::ReviewChanged,
        ReviewRefusal::AlreadyPublished { .. } => ErrorCode::ApprovalPublished,
        ReviewRefusal::ReasonMissing | ReviewRefusal::ReasonTooLong { .. } => ErrorCode::BadRequest,
        ReviewRefusal::OwnUpload => ErrorCode::OwnUpload,
    };
    ServerError::new(code, refusal.to_string())
}

/// Returns a paper awaiting review to the secretariat with the reason (the chair). It is
/// not published until a new file is uploaded or the chair approves it after all.
#[utoipa::path(
    post, path = "/api/v1/papers/{paper_id}/return", tag = "papers", security(("bearer" = [])),
    params(("paper_id" = uuid::Uuid, Path, description = "the paper's UUID")),
    request_body = ReturnPaper,
    responses(
        (status = 200, body = Paper),
        (status = 400, body = ApiError, description = "a malformed id or body, or the reason is empty or too long"),
        (status = 401, body = ApiError),
        (status = 403, body = ApiError),
        (status = 404, body = ApiError),
        (status = 409, body = ApiError, description = "the paper is approved: withdraw the approval first (review_changed)"),
        (status = 413, body = ApiError)
    )
)]
pub async fn return_paper(
    State(state): State<ServerState>,
    caller: Caller,
    Path(paper_id): Path<PaperId>,
    Json(req): Json<ReturnPaper>,
) -> ApiResult<Paper> {
    caller.require(caller.member.role.may_approve_papers(), "return papers")?;
    let (mut paper, meeting) = own_paper(&state, &caller, paper_id).await?;
    let changed = paper
        .return_with(caller.member.id, state.clock.now(), &req.reason)
        .map_err(refused)?;
    if !changed {
        return Ok(Json(paper));
    }
    save(&state, &meeting, paper).await
}

/// Withdraws the approval of a paper that has not been published with it (the chair): the
/// paper awaits review again.
#[utoipa::path(
    post, path = "/api/v1/papers/{paper_id}/withdraw-approval", tag = "papers", security(("bearer" = [])),
    params(("paper_id" = uuid::Uuid, Path, description = "the paper's UUID")),
    responses(
        (status = 200, body = Paper),
        (status = 400, body = ApiError, description = "a malformed id"),
        (status = 401, body = ApiError),
        (status = 403, body = ApiError),
        (status = 404, body = ApiError),
        (status = 409, body = ApiError, description = "the paper is returned, not approved (review_changed), or its approval was published (approval_published)")
    )
)]
pub async fn withdraw_approval(
    State(state): State<ServerState>,
    caller: Caller,
    Path(paper_id): Path<PaperId>,
) -> ApiResult<Paper> {
    caller.require(
        caller.member.role.may_approve_papers(),
        "withdraw approvals",
    )?;
    let (mut paper, meeting) = own_paper(&state, &caller, paper_id).await?;
    let latest = state.storage.latest_packet(meeting.id).await?;
    if !paper.withdraw_approval(latest.as_ref()).map_err(refused)? {
        return Ok(Json(paper));
    }
    save(&state, &meeting, paper).await
}

/// Sets who takes part in a meeting, with their meeting role and whether they vote.
#[utoipa::path(
    put, path = "/api/v1/meetings/{meeting_id}/participants", tag = "papers", security(("bearer" = [])),
    params(("meeting_id" = uuid::Uuid, Path, description = "the meeting's UUID")),
    request_body = Vec<ParticipantEntry>,
    responses(
        (status = 200, body = MeetingParticipants),
        (status = 400, body = ApiError, description = "a malformed id or body, a member of another council, someone listed twice or voting in a role that does not vote"),
        (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 413, body = ApiError)
    )
)]
pub async fn put_participants(
    State(state): State<ServerState>,
    caller: Caller,
    Path(meeting_id): Path<MeetingId>,
    Json(entries): Json<Vec<ParticipantEntry>>,
) -> ApiResult<MeetingParticipants> {
    caller.require(
        caller.member.role.may_prepare_meetings(),
        "choose a meeting's participants",
    )?;
    let meeting = own_meeting(&state, &caller, meeting_id).await?;
    let members = state
        .storage
        .accounts(meeting.council_id, state.clock.now())
        .await?;
    let mut participants = Vec::with_capacity(entries.len());
    for entry in entries {
        let (member, _) = members
            .iter()
            .find(|(m, _)| m.id == entry.member_id)
            .ok_or_else(|| {
                ServerError::bad_request(format!(
                    "{} is not a member of this council",
                    entry.member_id
                ))
            })?;
        if participants
            .iter()
            .any(|p: &Participant| p.member_id == member.id)
        {
            return Err(ServerError::bad_request(format!(
                "{} is listed twice",
                member.display_name
            )));
        }
        if entry.votes && !member.role.may_vote() {
            return Err(ServerError::bad_request(format!(
                "{} cannot vote in their role",
                member.display_name
            )));
        }
        participants.push(Participant {
            member_id: member.id,
            display_name: member.display_name.clone(),
            meeting_role: entry.meeting_role,
            votes: entry.votes,
        });
    }
    let head = state
        .storage
        .put_participants(meeting.council_id, meeting.id, participants.clone())
        .await?;
    state.live.announce(meeting.council_id, head);
    Ok(Json(MeetingParticipants {
        meeting_id: meeting.id,
        participants,
    }))
}

/// Everyone in the council but the administrator, in their council role: the list a
/// meeting has until the secretariat sets one.
pub async fn default_participants(
    state: &ServerState,
    meeting: &Meeting,
) -> Result<Vec<Participant>, ServerError> {
    let members = state
        .storage
        .accounts(meeting.council_id, state.clock.now())
        .await?;
    Ok(Participant::defaults(members.iter().map(|(m, _)| m)))
}

/// Who sits in the meeting: as its latest published version (`latest`) lists them; before
/// anything is published, the secretariat's working list, or the default list until they
/// set one.
pub async fn sitting_participants(
    state: &ServerState,
    meeting: &Meeting,
    latest: Option<&ecabinet_domain::PacketVersion>,
) -> Result<Vec<Participant>, ServerError> {
    if let Some(version) = latest {
        return Ok(version.participants.clone());
    }
    let working = state.storage.participants(meeting.id).await?;
    if working.is_empty() {
        default_participants(state, meeting).await
    } else {
        Ok(working)
    }
}

/// Publishes the meeting's approved papers as the next packet version.
#[utoipa::path(
    post, path = "/api/v1/meetings/{meeting_id}/packets", tag = "papers", security(("bearer" = [])),
    params(("meeting_id" = uuid::Uuid, Path, description = "the meeting's UUID")),
    request_body = PublishRequest,
    responses(
        (status = 200, body = PacketVersion),
        (status = 400, body = ApiError, description = "a malformed id or body"),
        (status = 401, body = ApiError),
        (status = 403, body = ApiError),
        (status = 404, body = ApiError),
        (status = 409, body = ApiError, description = "someone published first (publish_conflict)"),
        (status = 413, body = ApiError),
        (status = 422, body = ApiError, description = "papers_not_approved or nothing_to_publish")
    )
)]
pub async fn publish_packet(
    State(state): State<ServerState>,
    caller: Caller,
    Path(meeting_id): Path<MeetingId>,
    Json(req): Json<PublishRequest>,
) -> ApiResult<PacketVersion> {
    caller.require(caller.member.role.may_publish_packets(), "publish packets")?;
    let meeting = own_meeting(&state, &caller, meeting_id).await?;
    let latest = state.storage.latest_packet(meeting.id).await?;
    let conflict = |latest: u32| {
        ServerError::new(
            ErrorCode::PublishConflict,
            format!(
                "version {latest} was published meanwhile; review it, then publish version {}",
                latest + 1
            ),
        )
    };
    let current = latest.as_ref().map_or(0, |v| v.number);
    if req.expected_number != current + 1 {
        return Err(conflict(current));
    }
    let papers = state.storage.papers(meeting.id).await?;
    let mut participants = state.storage.participants(meeting.id).await?;
    if participants.is_empty() {
        participants = default_participants(&state, &meeting).await?;
    }
    let programme = state.storage.agenda_items(meeting.id).await?;
    let version = PacketVersion::freeze(
        meeting.id,
        latest.as_ref(),
        &papers,
        participants,
        programme,
        caller.member.id,
        state.clock.now(),
    )
    .map_err(|refusal| {
        let code = match refusal {
            PublishRefusal::NotApproved(_) => ErrorCode::PapersNotApproved,
            PublishRefusal::NoPapers | PublishRefusal::NothingChanged { .. } => {
                ErrorCode::NothingToPublish
            }
        };
        ServerError::new(code, refusal.to_string())
    })?;
    let head = match state
        .storage
        .publish_packet(NewPacketVersion {
            council: meeting.council_id,
            version: version.clone(),
        })
        .await
    {
        Ok(head) => head,
        Err(StorageError::Conflict(_)) => return Err(conflict(version.number)),
        Err(e) => return Err(e.into()),
    };
    state.live.announce(meeting.council_id, head);
    Ok(Json(version))
}

#[cfg(test)]
mod tests {
    use super::display_file_name;

    #[test]
    fn file_names_lose_paths_and_control_characters() {
        assert_eq!(display_file_name("../../etc/passwd"), "passwd");
        assert_eq!(
            display_file_name("C:\\Tài liệu\\tờ trình.pdf"),
            "tờ trình.pdf"
        );
        assert_eq!(display_file_name("a\u{0}b\nc.pdf"), "abc.pdf");
        assert_eq!(display_file_name(".."), "paper.pdf");
        assert_eq!(display_file_name(""), "paper.pdf");
    }
}
