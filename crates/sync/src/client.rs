//! The council server's HTTP API, as the app calls it.

use bytes::Bytes;
use ecabinet_domain::{
    AgendaItem, AgendaItemId, Annotation, AnnotationId, BlobHash, Meeting, MeetingId,
    PacketVersion, Paper, PaperId,
};
use ecabinet_protocol::{
    API_PREFIX, AgendaItemPatch, AnnotationHistory, AnnotationWrite, ApiError, BlobInfo,
    ChangesPage, ErrorCode, LoginRequest, LoginResponse, MAX_PAPER_BYTES, MeetingCreated,
    MeetingParticipants, MeetingPatch, NewAgendaItem, NewMeeting, NewPaper, PaperPatch,
    ParticipantEntry, PublishRequest, ReturnPaper,
};
use reqwest::{StatusCode, header};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::time::Duration;

/// Time allowed for an ordinary request (JSON in, JSON out), from connecting to the end of
/// the answer.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The slowest link a transfer is expected to survive. An upload's timeout is sized to its
/// body at this rate, so a 60 MB scan over poor chamber Wi-Fi is not cut off at 30 s.
const SLOWEST_TRANSFER_BYTES_PER_SECOND: u64 = 32 * 1024;

/// A download that delivers nothing for this long is considered dead (the laptop left the
/// Wi-Fi and never saw a reset); the downloader resumes it from where it stopped.
const DOWNLOAD_STALL_LIMIT: Duration = Duration::from_secs(30);

/// How long a transfer of `bytes` may take at the slowest expected rate.
fn transfer_timeout(bytes: u64) -> Duration {
    REQUEST_TIMEOUT + Duration::from_secs(bytes / SLOWEST_TRANSFER_BYTES_PER_SECOND)
}

/// Why talking to the server failed, sorted by what the app should do about it.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("the server address {0:?} is not a valid http:// or https:// address")]
    InvalidServerUrl(String),
    /// No answer: offline, wrong address, server down. Retry later.
    #[error("cannot reach the council server: {0}")]
    Unreachable(String),
    #[error("the user name or the password is wrong")]
    InvalidCredentials,
    /// The token expired or was revoked: the user must log in again.
    #[error("the session has expired or was ended")]
    SessionExpired,
    /// The server answered with an error the app does not handle specially.
    #[error("the server refused: {0}")]
    Refused(ApiError),
    /// The server answered something that is not our protocol (wrong address? proxy?).
    #[error("unexpected answer from the server: {0}")]
    Protocol(String),
    /// Pulled changes could not be written here (disk full, store damaged); retried later.
    #[error("the local store could not be updated: {0}")]
    LocalStore(String),
}

/// A client of one council server.
#[derive(Debug, Clone)]
pub struct CouncilClient {
    http: reqwest::Client,
    base: reqwest::Url,
}

impl CouncilClient {
    pub fn new(server_url: &str) -> Result<Self, SyncError> {
        let invalid = || SyncError::InvalidServerUrl(server_url.to_owned());
        let base = reqwest::Url::parse(server_url.trim()).map_err(|_| invalid())?;
        if !matches!(base.scheme(), "http" | "https") || base.host().is_none() {
            return Err(invalid());
        }
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(|e| SyncError::Protocol(format!("building HTTP client: {e}")))?;
        Ok(Self { http, base })
    }

    /// The server address as given, normalised (what the store remembers).
    pub fn server_url(&self) -> String {
        self.base.as_str().trim_end_matches('/').to_owned()
    }

    fn url(&self, path: &str) -> reqwest::Url {
        let mut url = self.base.clone();
        url.set_path(&format!(
            "{}{API_PREFIX}{path}",
            self.base.path().trim_end_matches('/')
        ));
        url
    }

    /// The live WebSocket's address (ws:// or wss://).
    pub fn live_url(&self) -> String {
        let url = self.url("/live");
        let scheme = if url.scheme() == "https" { "wss" } else { "ws" };
        format!("{scheme}{}", &url.as_str()[url.scheme().len()..])
    }

    pub async fn login(&self, username: &str, password: &str) -> Result<LoginResponse, SyncError> {
        let request = LoginRequest {
            username: username.to_owned(),
            password: password.to_owned(),
        };
        let response = self
            .http
            .post(self.url("/auth/login"))
            .json(&request)
            .send()
            .await;
        decode(response).await
    }

    /// Revokes the token on the server. Best effort: offline logout still forgets it locally.
    pub async fn logout(&self, token: &str) -> Result<(), SyncError> {
        let response = self
            .http
            .post(self.url("/auth/logout"))
            .bearer_auth(token)
            .send()
            .await;
        let response = response.map_err(unreachable)?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(error_of(response).await)
        }
    }

    pub async fn changes(&self, token: &str, after: i64) -> Result<ChangesPage, SyncError> {
        let response = self
            .http
            .get(self.url("/sync/changes"))
            .bearer_auth(token)
            .query(&[("after", after)])
            .send()
            .await;
        decode(response).await
    }

    /// Creates or edits the member's annotation under its device-made id
    /// (`PUT /annotations/{id}`). The same write sent again is answered with the revision
    /// it made the first time, so a retry after a lost answer never makes a second one.
    pub async fn put_annotation(
        &self,
        token: &str,
        id: AnnotationId,
        write: &AnnotationWrite,
    ) -> Result<Annotation, SyncError> {
        let response = self
            .http
            .put(self.url(&format!("/annotations/{id}")))
            .bearer_auth(token)
            .json(write)
            .send()
            .await;
        decode(response).await
    }

    /// Deletes the member's annotation (`DELETE /annotations/{id}`); the answer is its
    /// tombstone revision. Deleting it again answers the same tombstone.
    pub async fn delete_annotation(
        &self,
        token: &str,
        id: AnnotationId,
    ) -> Result<Annotation, SyncError> {
        let response = self
            .http
            .delete(self.url(&format!("/annotations/{id}")))
            .bearer_auth(token)
            .send()
            .await;
        decode(response).await
    }

    /// Every revision of the member's annotation, oldest first, a losing concurrent edit
    /// and a deletion's tombstone included (`GET /annotations/{id}/history`).
    pub async fn annotation_history(
        &self,
        token: &str,
        id: AnnotationId,
    ) -> Result<AnnotationHistory, SyncError> {
        let response = self
            .http
            .get(self.url(&format!("/annotations/{id}/history")))
            .bearer_auth(token)
            .send()
            .await;
        decode(response).await
    }

    /// Sends a version of the member's opinion under its device-made id
    /// (`PUT /opinions/{id}`). The same version sent again is answered with the version it
    /// made the first time, so a retry after a lost answer never makes a second one.
    pub async fn put_opinion(
        &self,
        token: &str,
        id: ecabinet_domain::OpinionId,
        write: &ecabinet_protocol::OpinionWrite,
    ) -> Result<ecabinet_domain::Opinion, SyncError> {
        let response = self
            .http
            .put(self.url(&format!("/opinions/{id}")))
            .bearer_auth(token)
            .json(write)
            .send()
            .await;
        decode(response).await
    }

    /// The member's conversations (`GET /api/v1/chat/conversations`).
    pub async fn conversations(
        &self,
        token: &str,
    ) -> Result<Vec<ecabinet_protocol::ConversationView>, SyncError> {
        let response = self
            .http
            .get(self.url("/chat/conversations"))
            .bearer_auth(token)
            .send()
            .await;
        decode(response).await
    }

    /// A conversation's messages changed after revision `after`.
    pub async fn chat_messages(
        &self,
        token: &str,
        conversation: ecabinet_domain::ConversationId,
        after: u64,
    ) -> Result<ecabinet_protocol::ChatPage, SyncError> {
        let response = self
            .http
            .get(self.url(&format!("/chat/conversations/{conversation}/messages")))
            .query(&[("after", after)])
            .bearer_auth(token)
            .send()
            .await;
        decode(response).await
    }

    /// Posts a message under the id its device made (a retry answers the stored one).
    pub async fn post_chat_message(
        &self,
        token: &str,
        id: ecabinet_domain::MessageId,
        post: &ecabinet_protocol::ChatPost,
    ) -> Result<ecabinet_protocol::ChatEntry, SyncError> {
        let response = self
            .http
            .put(self.url(&format!("/chat/messages/{id}")))
            .bearer_auth(token)
            .json(post)
            .send()
            .await;
        decode(response).await
    }

    pub async fn edit_chat_message(
        &self,
        token: &str,
        id: ecabinet_domain::MessageId,
        edit: &ecabinet_protocol::ChatEdit,
    ) -> Result<ecabinet_protocol::ChatEntry, SyncError> {
        let response = self
            .http
            .patch(self.url(&format!("/chat/messages/{id}")))
            .bearer_auth(token)
            .json(edit)
            .send()
            .await;
        decode(response).await
    }

    pub async fn delete_chat_message(
        &self,
        token: &str,
        id: ecabinet_domain::MessageId,
    ) -> Result<ecabinet_protocol::ChatEntry, SyncError> {
        let response = self
            .http
            .delete(self.url(&format!("/chat/messages/{id}")))
            .bearer_auth(token)
            .send()
            .await;
        decode(response).await
    }

    pub async fn create_chat_group(
        &self,
        token: &str,
        id: ecabinet_domain::ConversationId,
        group: &ecabinet_protocol::NewGroup,
    ) -> Result<ecabinet_protocol::ConversationView, SyncError> {
        let response = self
            .http
            .put(self.url(&format!("/chat/groups/{id}")))
            .bearer_auth(token)
            .json(group)
            .send()
            .await;
        decode(response).await
    }

    pub async fn change_chat_group(
        &self,
        token: &str,
        id: ecabinet_domain::ConversationId,
        change: &ecabinet_protocol::GroupMembersChange,
    ) -> Result<ecabinet_protocol::ConversationView, SyncError> {
        let response = self
            .http
            .post(self.url(&format!("/chat/conversations/{id}/members")))
            .bearer_auth(token)
            .json(change)
            .send()
            .await;
        decode(response).await
    }

    pub async fn mark_conversation(
        &self,
        token: &str,
        id: ecabinet_domain::ConversationId,
        update: &ecabinet_protocol::ChatMarksUpdate,
    ) -> Result<ecabinet_protocol::ConversationView, SyncError> {
        let response = self
            .http
            .post(self.url(&format!("/chat/conversations/{id}/marks")))
            .bearer_auth(token)
            .json(update)
            .send()
            .await;
        decode(response).await
    }

    /// The meeting's sitting as it stands (`GET /api/v1/meetings/{id}/sitting`).
    pub async fn sitting(
        &self,
        token: &str,
        meeting: ecabinet_domain::MeetingId,
    ) -> Result<ecabinet_protocol::SittingSnapshot, SyncError> {
        let response = self
            .http
            .get(self.url(&format!("/meetings/{meeting}/sitting")))
            .bearer_auth(token)
            .send()
            .await;
        decode(response).await
    }

    /// An action in the meeting's sitting, under the device's action id: a retry is answered
    /// with the event it made the first time.
    pub async fn act_in_sitting(
        &self,
        token: &str,
        meeting: ecabinet_domain::MeetingId,
        request: &ecabinet_protocol::SittingRequest,
    ) -> Result<ecabinet_domain::sitting::SittingEvent, SyncError> {
        let response = self
            .http
            .post(self.url(&format!("/meetings/{meeting}/sitting")))
            .bearer_auth(token)
            .json(request)
            .send()
            .await;
        decode(response).await
    }

    /// The meeting's polls as they stand for this member.
    pub async fn meeting_polls(
        &self,
        token: &str,
        meeting: ecabinet_domain::MeetingId,
    ) -> Result<ecabinet_protocol::PollsSnapshot, SyncError> {
        let response = self
            .http
            .get(self.url(&format!("/meetings/{meeting}/polls")))
            .bearer_auth(token)
            .send()
            .await;
        decode(response).await
    }

    /// A new draft poll under the device's id, or a draft's new settings.
    pub async fn draft_poll(
        &self,
        token: &str,
        meeting: ecabinet_domain::MeetingId,
        poll: ecabinet_domain::PollId,
        draft: &ecabinet_protocol::PollDraft,
    ) -> Result<ecabinet_protocol::PollStatus, SyncError> {
        let response = self
            .http
            .put(self.url(&format!("/meetings/{meeting}/polls/{poll}")))
            .bearer_auth(token)
            .json(draft)
            .send()
            .await;
        decode(response).await
    }

    /// The chair opens, closes, publishes or cancels a poll.
    pub async fn step_poll(
        &self,
        token: &str,
        poll: ecabinet_domain::PollId,
        step: ecabinet_domain::poll::PollStep,
    ) -> Result<ecabinet_protocol::PollStatus, SyncError> {
        let response = self
            .http
            .post(self.url(&format!("/polls/{poll}/steps")))
            .bearer_auth(token)
            .json(&ecabinet_protocol::PollStepRequest { step })
            .send()
            .await;
        decode(response).await
    }

    /// A ballot under the device's key and version: the same sent again is answered with
    /// the receipt it got the first time.
    pub async fn cast_ballot(
        &self,
        token: &str,
        poll: ecabinet_domain::PollId,
        ballot: &ecabinet_domain::poll::Ballot,
    ) -> Result<ecabinet_protocol::BallotReceipt, SyncError> {
        let response = self
            .http
            .post(self.url(&format!("/polls/{poll}/ballots")))
            .bearer_auth(token)
            .json(ballot)
            .send()
            .await;
        decode(response).await
    }

    /// The poll's public log, as JSON lines.
    pub async fn poll_log(
        &self,
        token: &str,
        poll: ecabinet_domain::PollId,
    ) -> Result<String, SyncError> {
        let response = self
            .http
            .get(self.url(&format!("/polls/{poll}/log")))
            .bearer_auth(token)
            .send()
            .await;
        text(response).await
    }

    /// Uploads a paper's file under the SHA-256 of its bytes (computed here). The server
    /// checks that it is a usable PDF: a refusal carries the reason as its code
    /// (`not_a_pdf`, `pdf_password_protected`, ...). Uploading bytes the server already
    /// holds is answered at once.
    pub async fn upload_blob(&self, token: &str, bytes: Vec<u8>) -> Result<BlobInfo, SyncError> {
        let size = bytes.len() as u64;
        if size > MAX_PAPER_BYTES {
            return Err(too_large());
        }
        // Hashing 100 MB takes a noticeable fraction of a second: keep it off the async workers.
        let (hash, bytes) = tokio::task::spawn_blocking(move || {
            let hash = hex::encode(Sha256::digest(&bytes));
            (hash, bytes)
        })
        .await
        .map_err(|e| SyncError::Protocol(format!("hashing the upload: {e}")))?;
        let response = self
            .http
            .put(self.url(&format!("/blobs/{hash}")))
            .bearer_auth(token)
            .header(header::CONTENT_TYPE, "application/pdf")
            .timeout(transfer_timeout(size))
            .body(bytes)
            .send()
            .await;
        decode(response).await
    }

    /// Uploads the file at `path` (see [`CouncilClient::upload_blob`]). A file that cannot
    /// be read is reported as [`SyncError::LocalStore`] with the path and the reason.
    pub async fn upload_blob_file(&self, token: &str, path: &Path) -> Result<BlobInfo, SyncError> {
        let unreadable =
            |e: std::io::Error| SyncError::LocalStore(format!("reading {}: {e}", path.display()));
        let size = tokio::fs::metadata(path).await.map_err(unreadable)?.len();
        if size > MAX_PAPER_BYTES {
            return Err(too_large());
        }
        let bytes = tokio::fs::read(path).await.map_err(unreadable)?;
        self.upload_blob(token, bytes).await
    }

    /// Downloads a blob from byte `from` on (`Range: bytes=from-`), so an interrupted
    /// download resumes where its partial file ends.
    ///
    /// The answer says where its bytes start: `from` normally, 0 when the server sent the
    /// whole file instead (the caller must then start over). When `from` is at or past the
    /// end, the body is empty and `total` tells the file's real length.
    pub async fn download_blob_range(
        &self,
        token: &str,
        hash: &BlobHash,
        from: u64,
    ) -> Result<BlobDownload, SyncError> {
        let mut request = self
            .http
            .get(self.url(&format!("/blobs/{hash}")))
            .bearer_auth(token)
            // No overall limit: a large paper on a slow link may take long. A stall is
            // caught per chunk instead (see `BlobDownload::chunk`).
            .timeout(Duration::from_secs(24 * 3600));
        if from > 0 {
            request = request.header(header::RANGE, format!("bytes={from}-"));
        }
        let response = tokio::time::timeout(DOWNLOAD_STALL_LIMIT, request.send())
            .await
            .map_err(|_| SyncError::Unreachable("the server did not answer in time".into()))?
            .map_err(unreachable)?;
        match response.status() {
            StatusCode::OK => {
                let total = response.content_length().ok_or_else(|| {
                    SyncError::Protocol("a paper file came without its length".into())
                })?;
                Ok(BlobDownload {
                    response: Some(response),
                    start: 0,
                    total,
                })
            }
            StatusCode::PARTIAL_CONTENT => {
                let (start, total) = content_range(response.headers())
                    .filter(|(start, _)| *start == from)
                    .ok_or_else(|| {
                        SyncError::Protocol(format!(
                            "asked for bytes from {from} and got another range"
                        ))
                    })?;
                Ok(BlobDownload {
                    response: Some(response),
                    start,
                    total,
                })
            }
            StatusCode::RANGE_NOT_SATISFIABLE => {
                let total = unsatisfied_range_total(response.headers())
                    .ok_or_else(|| SyncError::Protocol("416 without the file's length".into()))?;
                Ok(BlobDownload {
                    response: None,
                    start: from,
                    total,
                })
            }
            status if status.is_success() => Err(SyncError::Protocol(format!(
                "unexpected HTTP {status} for a paper file"
            ))),
            _ => Err(error_of(response).await),
        }
    }

    pub async fn create_meeting(
        &self,
        token: &str,
        meeting: &NewMeeting,
    ) -> Result<MeetingCreated, SyncError> {
        self.send_json(reqwest::Method::POST, "/meetings", token, meeting)
            .await
    }

    pub async fn patch_meeting(
        &self,
        token: &str,
        meeting: MeetingId,
        patch: &MeetingPatch,
    ) -> Result<Meeting, SyncError> {
        self.send_json(
            reqwest::Method::PATCH,
            &format!("/meetings/{meeting}"),
            token,
            patch,
        )
        .await
    }

    pub async fn add_agenda_item(
        &self,
        token: &str,
        meeting: MeetingId,
        item: &NewAgendaItem,
    ) -> Result<AgendaItem, SyncError> {
        self.send_json(
            reqwest::Method::POST,
            &format!("/meetings/{meeting}/agenda-items"),
            token,
            item,
        )
        .await
    }

    pub async fn patch_agenda_item(
        &self,
        token: &str,
        item: AgendaItemId,
        patch: &AgendaItemPatch,
    ) -> Result<AgendaItem, SyncError> {
        self.send_json(
            reqwest::Method::PATCH,
            &format!("/agenda-items/{item}"),
            token,
            patch,
        )
        .await
    }

    /// Attaches an uploaded file to a meeting as a draft paper (or the next revision of the
    /// paper with the same id or watched-folder source; a retry never duplicates).
    pub async fn add_paper(
        &self,
        token: &str,
        meeting: MeetingId,
        paper: &NewPaper,
    ) -> Result<Paper, SyncError> {
        self.send_json(
            reqwest::Method::POST,
            &format!("/meetings/{meeting}/papers"),
            token,
            paper,
        )
        .await
    }

    /// Changes a paper; a new `hash` replaces its file (and its approval lapses).
    pub async fn patch_paper(
        &self,
        token: &str,
        paper: PaperId,
        patch: &PaperPatch,
    ) -> Result<Paper, SyncError> {
        self.send_json(
            reqwest::Method::PATCH,
            &format!("/papers/{paper}"),
            token,
            patch,
        )
        .await
    }

    /// Approves a paper for publishing (the chair).
    pub async fn approve_paper(&self, token: &str, paper: PaperId) -> Result<Paper, SyncError> {
        let response = self
            .http
            .post(self.url(&format!("/papers/{paper}/approval")))
            .bearer_auth(token)
            .send()
            .await;
        decode(response).await
    }

    /// Returns a paper awaiting review to the secretariat, saying why (the chair).
    pub async fn return_paper(
        &self,
        token: &str,
        paper: PaperId,
        reason: &str,
    ) -> Result<Paper, SyncError> {
        self.send_json(
            reqwest::Method::POST,
            &format!("/papers/{paper}/return"),
            token,
            &ReturnPaper {
                reason: reason.to_owned(),
            },
        )
        .await
    }

    /// Withdraws a paper's approval before it is published (the chair).
    pub async fn withdraw_approval(&self, token: &str, paper: PaperId) -> Result<Paper, SyncError> {
        let response = self
            .http
            .post(self.url(&format!("/papers/{paper}/withdraw-approval")))
            .bearer_auth(token)
            .send()
            .await;
        decode(response).await
    }

    pub async fn put_participants(
        &self,
        token: &str,
        meeting: MeetingId,
        participants: &[ParticipantEntry],
    ) -> Result<MeetingParticipants, SyncError> {
        self.send_json(
            reqwest::Method::PUT,
            &format!("/meetings/{meeting}/participants"),
            token,
            &participants,
        )
        .await
    }

    /// Publishes the meeting's approved papers as version `expected_number`. When someone
    /// published first the server refuses with `publish_conflict`.
    pub async fn publish_packet(
        &self,
        token: &str,
        meeting: MeetingId,
        expected_number: u32,
    ) -> Result<PacketVersion, SyncError> {
        self.send_json(
            reqwest::Method::POST,
            &format!("/meetings/{meeting}/packets"),
            token,
            &PublishRequest { expected_number },
        )
        .await
    }

    // --- Accounts ------------------------------------------------------------------------

    /// Replaces the caller's own password (the one request a session whose password an
    /// administrator set may make, besides logout).
    pub async fn change_password(
        &self,
        token: &str,
        current_password: &str,
        new_password: &str,
    ) -> Result<(), SyncError> {
        let response = self
            .http
            .post(self.url("/auth/password"))
            .bearer_auth(token)
            .json(&ecabinet_protocol::PasswordChange {
                current_password: current_password.to_owned(),
                new_password: new_password.to_owned(),
            })
            .send()
            .await
            .map_err(unreachable)?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(error_of(response).await)
        }
    }

    /// Every account of the administrator's council.
    pub async fn accounts(
        &self,
        token: &str,
    ) -> Result<Vec<ecabinet_protocol::AccountSummary>, SyncError> {
        let response = self
            .http
            .get(self.url("/admin/accounts"))
            .bearer_auth(token)
            .send()
            .await;
        decode(response).await
    }

    pub async fn create_account(
        &self,
        token: &str,
        account: &ecabinet_protocol::NewAccountRequest,
    ) -> Result<ecabinet_protocol::AccountCreated, SyncError> {
        self.send_json(reqwest::Method::POST, "/admin/accounts", token, account)
            .await
    }

    pub async fn patch_account(
        &self,
        token: &str,
        member: ecabinet_domain::MemberId,
        patch: &ecabinet_protocol::AccountPatch,
    ) -> Result<ecabinet_protocol::AccountSummary, SyncError> {
        self.send_json(
            reqwest::Method::PATCH,
            &format!("/admin/accounts/{member}"),
            token,
            patch,
        )
        .await
    }

    /// Resets a member's password; the server generates one when `password` is `None`.
    pub async fn reset_password(
        &self,
        token: &str,
        member: ecabinet_domain::MemberId,
        password: Option<String>,
    ) -> Result<ecabinet_protocol::PasswordIssued, SyncError> {
        self.send_json(
            reqwest::Method::POST,
            &format!("/admin/accounts/{member}/password"),
            token,
            &ecabinet_protocol::PasswordReset { password },
        )
        .await
    }

    /// Imports a member list (CSV bytes). A list with bad rows is `Ok(Err(..))` with each
    /// row's line and reason: nothing was imported.
    pub async fn import_members(
        &self,
        token: &str,
        csv: Vec<u8>,
    ) -> Result<
        Result<ecabinet_protocol::MembersImported, ecabinet_protocol::ImportRejected>,
        SyncError,
    > {
        let response = self
            .http
            .post(self.url("/admin/accounts/import"))
            .bearer_auth(token)
            .header(header::CONTENT_TYPE, "text/csv; charset=utf-8")
            .body(csv)
            .send()
            .await
            .map_err(unreachable)?;
        if response.status() == StatusCode::UNPROCESSABLE_ENTITY {
            let rejected = response
                .json::<ecabinet_protocol::ImportRejected>()
                .await
                .map_err(|e| SyncError::Protocol(e.to_string()))?;
            return Ok(Err(rejected));
        }
        decode(Ok(response)).await.map(Ok)
    }

    async fn send_json<T: serde::de::DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: &impl serde::Serialize,
    ) -> Result<T, SyncError> {
        let response = self
            .http
            .request(method, self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await;
        decode(response).await
    }
}

/// A blob download under way: its bytes arrive chunk by chunk.
#[derive(Debug)]
pub struct BlobDownload {
    /// `None` when there was nothing left to send.
    response: Option<reqwest::Response>,
    /// Where in the file the first byte of this body belongs.
    pub start: u64,
    /// The whole file's length.
    pub total: u64,
}

impl BlobDownload {
    /// The next chunk of the body, or `None` at its end. A connection that delivers nothing
    /// for 30 s is reported as unreachable.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, SyncError> {
        let Some(response) = self.response.as_mut() else {
            return Ok(None);
        };
        match tokio::time::timeout(DOWNLOAD_STALL_LIMIT, response.chunk()).await {
            Err(_) => Err(SyncError::Unreachable(
                "the download stalled: nothing arrived for 30 s".into(),
            )),
            Ok(chunk) => chunk.map_err(unreachable),
        }
    }
}

fn too_large() -> SyncError {
    SyncError::Refused(ApiError::new(
        ErrorCode::PayloadTooLarge,
        format!(
            "the file is larger than {} MB; split it or reduce its images before importing",
            MAX_PAPER_BYTES / (1024 * 1024)
        ),
    ))
}

/// `Content-Range: bytes 100-999/1000` → (100, 1000).
fn content_range(headers: &header::HeaderMap) -> Option<(u64, u64)> {
    let value = headers.get(header::CONTENT_RANGE)?.to_str().ok()?;
    let (range, total) = value.trim().strip_prefix("bytes ")?.split_once('/')?;
    let (start, _end) = range.split_once('-')?;
    Some((start.trim().parse().ok()?, total.trim().parse().ok()?))
}

/// `Content-Range: bytes */1000` (the answer to an unsatisfiable range) → 1000.
fn unsatisfied_range_total(headers: &header::HeaderMap) -> Option<u64> {
    let value = headers.get(header::CONTENT_RANGE)?.to_str().ok()?;
    value.trim().strip_prefix("bytes */")?.trim().parse().ok()
}

fn unreachable(e: reqwest::Error) -> SyncError {
    // reqwest's Display hides the cause ("error sending request"); the source says why.
    let mut reason = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        reason = format!("{reason}: {s}");
        source = s.source();
    }
    SyncError::Unreachable(reason)
}

async fn decode<T: serde::de::DeserializeOwned>(
    response: Result<reqwest::Response, reqwest::Error>,
) -> Result<T, SyncError> {
    let response = response.map_err(unreachable)?;
    if !response.status().is_success() {
        return Err(error_of(response).await);
    }
    response
        .json::<T>()
        .await
        .map_err(|e| SyncError::Protocol(e.to_string()))
}

/// A text body (the poll's log), or the server's refusal.
async fn text(response: Result<reqwest::Response, reqwest::Error>) -> Result<String, SyncError> {
    let response = response.map_err(unreachable)?;
    if !response.status().is_success() {
        return Err(error_of(response).await);
    }
    response.text().await.map_err(unreachable)
}

async fn error_of(response: reqwest::Response) -> SyncError {
    let status = response.status();
    match response.json::<ApiError>().await {
        Ok(e) if e.code == ErrorCode::InvalidCredentials => SyncError::InvalidCredentials,
        Ok(e)
            if matches!(
                e.code,
                ErrorCode::SessionExpired | ErrorCode::Unauthenticated
            ) =>
        {
            SyncError::SessionExpired
        }
        Ok(e) => SyncError::Refused(e),
        Err(_) => SyncError::Protocol(format!("HTTP {status} without an eCabinet error body")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_addresses_are_checked_and_normalised() {
        assert!(matches!(
            CouncilClient::new("ftp://x"),
            Err(SyncError::InvalidServerUrl(_))
        ));
        assert!(matches!(
            CouncilClient::new("not a url"),
            Err(SyncError::InvalidServerUrl(_))
        ));
        let c = CouncilClient::new("http://127.0.0.1:8470/").unwrap();
        assert_eq!(c.server_url(), "http://127.0.0.1:8470");
        assert_eq!(c.live_url(), "ws://127.0.0.1:8470/api/v1/live");
        let c = CouncilClient::new("https://hdnd.example.vn/council/").unwrap();
        assert_eq!(
            c.live_url(),
            "wss://hdnd.example.vn/council/api/v1/live",
            "a path prefix (reverse proxy) is kept"
        );
    }

    #[test]
    fn content_ranges_are_read_and_transfers_get_time_for_their_size() {
        let mut h = header::HeaderMap::new();
        h.insert(header::CONTENT_RANGE, "bytes 100-999/1000".parse().unwrap());
        assert_eq!(content_range(&h), Some((100, 1000)));
        assert_eq!(unsatisfied_range_total(&h), None);
        h.insert(header::CONTENT_RANGE, "bytes */1000".parse().unwrap());
        assert_eq!(unsatisfied_range_total(&h), Some(1000));
        assert_eq!(content_range(&h), None);
        assert_eq!(transfer_timeout(0), REQUEST_TIMEOUT);
        assert!(
            transfer_timeout(100 * 1024 * 1024) > Duration::from_secs(3000),
            "100 MB at 32 KiB/s is about 53 minutes"
        );
    }
}
