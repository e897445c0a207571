//! One error path: every answer that is not a success is `{code, message, request_id}` JSON
//! with its status, whatever refused the request (a handler, an extractor, the router), and
//! nothing the database, a parser or the PDF engine said reaches the client; it reaches the
//! log, under the same request id as the answer.

use super::*;
use async_trait::async_trait;
use axum::http::HeaderMap;
use council_storage::prelude::*;
use council_storage::{
    Account, AccountChange, AccountDetails, CouncilSeed, NewAccount, NewPacketVersion, NewSession,
    SessionHolder, StorageError, StorageResult,
};
use ecabinet_domain::{
    AgendaItem, AgendaItemId, BlobHash, CouncilId, Meeting, MeetingId, Member, MemberId,
    PacketVersion, PaperId, Participant,
};
use ecabinet_protocol::{BlobInfo, Change};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

on_every_backend!(
    every_kind_of_rejection_is_json_with_a_code_and_the_request_id,
    a_storage_failure_is_internal_and_its_log_line_carries_the_answer_s_request_id,
    a_unique_violation_is_a_conflict_without_the_database_s_words,
    a_worker_crash_on_upload_is_a_plain_refusal_without_the_engine_s_words,
    the_openapi_document_lists_the_errors_every_route_can_give,
);

/// Words of the database, the parsers and the PDF engine that must never reach a client.
const INTERNAL_WORDS: &[&str] = &[
    "UNIQUE",
    "unique",
    "constraint",
    "duplicate key",
    "papers_by_source",
    "sqlx",
    "SQL",
    "postgres",
    "invalid type",
    "expected",
    "line 1",
    "column",
    "invalid digit",
    "worker",
    "signal",
    "exit",
    "PDFium",
    "pdfium",
    "Corrupt",
    "EngineCrashed",
    "/tmp",
    "staging",
    "connection refused",
];

fn assert_no_internal_text(body: &Value, what: &str) {
    let text = body.to_string();
    for word in INTERNAL_WORDS {
        assert!(
            !text.contains(word),
            "{what}: the answer must not carry internal text ({word:?}): {text}"
        );
    }
}

/// An answer with its headers, for reading the request id.
async fn send_raw(app: &axum::Router, req: Request<Body>) -> (StatusCode, HeaderMap, Value) {
    let response = app.clone().oneshot(req).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| panic!("{status}: not JSON: {}", String::from_utf8_lossy(&bytes)));
    (status, headers, body)
}

/// The request id of an error answer: in the header and in the body, the same.
fn request_id(headers: &HeaderMap, body: &Value) -> String {
    let header = headers
        .get("x-request-id")
        .unwrap_or_else(|| panic!("an error answer names its request: {body}"))
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        body["request_id"].as_str(),
        Some(header.as_str()),
        "the body names the request the header names"
    );
    header
}

fn request(method: &str, path: &str, token: Option<&str>) -> axum::http::request::Builder {
    let mut req = Request::builder().method(method).uri(path);
    if let Some(token) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    req
}

async fn every_kind_of_rejection_is_json_with_a_code_and_the_request_id(backend: Backend) {
    let council = demo_council(backend).await;
    let secretary = council.login("secretary").await.token;
    let token = Some(secretary.as_str());
    let json_body = |text: String| Body::from(text);
    let cases: Vec<(&str, Request<Body>, StatusCode, ErrorCode)> = vec![
        (
            "a malformed id in the path",
            request("PATCH", "/api/v1/meetings/not-a-uuid", token)
                .header(header::CONTENT_TYPE, "application/json")
                .body(json_body(json!({"title": "Kỳ họp"}).to_string()))
                .unwrap(),
            StatusCode::BAD_REQUEST,
            ErrorCode::BadRequest,
        ),
        (
            "a method the address does not answer",
            request("DELETE", "/api/v1/meetings", token)
                .body(Body::empty())
                .unwrap(),
            StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::MethodNotAllowed,
        ),
        (
            "a cursor that is not a number",
            request("GET", "/api/v1/sync/changes?after=yesterday", token)
                .body(Body::empty())
                .unwrap(),
            StatusCode::BAD_REQUEST,
            ErrorCode::BadRequest,
        ),
        (
            "the live address without a WebSocket upgrade",
            request("GET", "/api/v1/live", token)
                .body(Body::empty())
                .unwrap(),
            StatusCode::UPGRADE_REQUIRED,
            ErrorCode::UpgradeRequired,
        ),
        (
            "a body larger than the server accepts",
            request("POST", "/api/v1/meetings", token)
                .header(header::CONTENT_TYPE, "application/json")
                .body(json_body(format!(
                    "{{\"title\":\"{}\",\"starts_at\":0,\"location\":\"\"}}",
                    "a".repeat(ecabinet_protocol::MAX_JSON_BODY_BYTES)
                )))
                .unwrap(),
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::PayloadTooLarge,
        ),
        (
            "a JSON body sent without its content type",
            request("POST", "/api/v1/meetings", token)
                .body(json_body(
                    json!({"title": "Kỳ họp", "starts_at": 0, "location": ""}).to_string(),
                ))
                .unwrap(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
        ),
        (
            "a field of the wrong type",
            request("POST", "/api/v1/meetings", token)
                .header(header::CONTENT_TYPE, "application/json")
                .body(json_body(
                    json!({"title": 5, "starts_at": "tomorrow", "location": ""}).to_string(),
                ))
                .unwrap(),
            StatusCode::BAD_REQUEST,
            ErrorCode::MalformedJson,
        ),
        (
            "a body that is not JSON",
            request("POST", "/api/v1/meetings", token)
                .header(header::CONTENT_TYPE, "application/json")
                .body(json_body("{\"title\": ".to_owned()))
                .unwrap(),
            StatusCode::BAD_REQUEST,
            ErrorCode::MalformedJson,
        ),
        (
            "an address the server does not have",
            request("GET", "/api/v1/nothing-here", token)
                .body(Body::empty())
                .unwrap(),
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
        ),
    ];
    let mut ids = Vec::new();
    for (what, req, status, expected) in cases {
        let (actual, headers, body) = send_raw(&council.app, req).await;
        assert_eq!((actual, code(&body)), (status, expected), "{what}: {body}");
        assert!(
            !body["message"].as_str().unwrap_or_default().is_empty(),
            "{what}: a message for people"
        );
        assert_no_internal_text(&body, what);
        if status == StatusCode::METHOD_NOT_ALLOWED {
            assert!(
                headers.contains_key(header::ALLOW),
                "{what}: the Allow header still lists the methods the address answers"
            );
        }
        ids.push(request_id(&headers, &body));
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 9, "every request has an id of its own");

    let (status, headers, _) = send_raw(
        &council.app,
        request("GET", "/api/v1/auth/me", token)
            .header("x-request-id", "forged-id")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(
        headers.get("x-request-id").unwrap(),
        "forged-id",
        "the server names requests itself; a client cannot write into its log"
    );
}

async fn the_openapi_document_lists_the_errors_every_route_can_give(backend: Backend) {
    let council = demo_council(backend).await;
    let (status, doc) = council.call("GET", "/api/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let Some(responses) = operation["responses"].as_object() else {
                continue;
            };
            operations += 1;
            let what = format!("{method} {path}");
            assert!(
                responses.contains_key("500"),
                "{what}: any route can fail inside the server"
            );
            if operation.get("security").is_some() {
                assert!(
                    responses.contains_key("401"),
                    "{what}: a route behind a token refuses a request without one"
                );
            }
            if path.contains('{') {
                assert!(
                    responses.contains_key("400"),
                    "{what}: a malformed id in the path is refused"
                );
            }
            if operation["requestBody"]["content"]
                .get("application/json")
                .is_some()
            {
                for status in ["400", "413", "415"] {
                    assert!(
                        responses.contains_key(status),
                        "{what}: a JSON body can be refused with {status}"
                    );
                }
            }
        }
    }
    assert!(
        operations >= 18,
        "every operation was looked at ({operations})"
    );
    assert!(
        doc["paths"]["/api/v1/live"]["get"]["responses"]
            .get("426")
            .is_some(),
        "the live route says it needs an upgrade"
    );
    let schema = &doc["components"]["schemas"]["ApiError"];
    assert!(
        !schema["required"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "request_id"),
        "older clients and servers leave request_id out: {schema}"
    );
}

/// The demo council over `storage` wrapped in [`Faulty`], which the story switches.
async fn faulty_council(backend: Backend) -> (Council, Arc<Faulty>, PaperCheck) {
    let (storage, dir, database) = empty_storage(backend).await;
    storage
        .seed_council(demo::council_seed(NOW, PASSWORD, &mut rand::rng()).unwrap())
        .await
        .unwrap();
    let faulty = Arc::new(Faulty {
        inner: storage,
        meetings_unreadable: AtomicBool::new(false),
        sources_forgotten: AtomicBool::new(false),
    });
    let clock = Arc::new(ManualClock::at(NOW));
    let blobs = FsBlobStore::open(&dir.path().join("blobs")).unwrap();
    let checker = paper_check();
    let app = router(ServerState::new(
        faulty.clone(),
        clock.clone(),
        Arc::new(blobs),
        checker.clone(),
    ));
    (
        Council {
            app,
            clock,
            _dir: dir,
            _database: database,
        },
        faulty,
        checker,
    )
}

/// The test binary's log, captured once for the whole process: a subscriber set per thread
/// misses lines when tests run in parallel (tracing caches each callsite's interest across
/// threads), so every test writes here and finds its own lines by its request id.
#[derive(Clone)]
struct CapturedLog(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for CapturedLog {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl CapturedLog {
    /// The process's log, installed as the global subscriber the first time.
    fn shared() -> CapturedLog {
        static LOG: std::sync::OnceLock<CapturedLog> = std::sync::OnceLock::new();
        LOG.get_or_init(|| {
            let log = CapturedLog(Arc::default());
            let writer = log.clone();
            tracing_subscriber::fmt()
                .with_ansi(false)
                .with_max_level(tracing::Level::INFO)
                .with_writer(move || writer.clone())
                .try_init()
                .expect("this test binary sets no other global subscriber");
            log
        })
        .clone()
    }

    /// The lines that carry `request_id`.
    fn lines_of(&self, request_id: &str) -> Vec<String> {
        String::from_utf8_lossy(&self.0.lock().unwrap())
            .lines()
            .filter(|l| l.contains(request_id))
            .map(str::to_owned)
            .collect()
    }
}

const DATABASE_DOWN: &str = "error communicating with database: connection refused (os error 111) at db.council.internal:5432";

async fn a_storage_failure_is_internal_and_its_log_line_carries_the_answer_s_request_id(
    backend: Backend,
) {
    let (council, faulty, _) = faulty_council(backend).await;
    let secretary = council.login("secretary").await.token;
    let (meeting, _) = council.session_and_item(&secretary).await;
    let log = CapturedLog::shared();

    faulty.meetings_unreadable.store(true, Ordering::SeqCst);
    let (status, headers, body) = send_raw(
        &council.app,
        request(
            "PATCH",
            &format!("/api/v1/meetings/{meeting}"),
            Some(&secretary),
        )
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({"location": "Hội trường B"}).to_string()))
        .unwrap(),
    )
    .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal),
        "a database that fails is the server's failure, never the client's missing record: {body}"
    );
    assert_no_internal_text(&body, "a storage failure");
    let id = request_id(&headers, &body);
    let lines = log.lines_of(&id);
    assert!(
        lines.iter().any(|l| l.contains(DATABASE_DOWN)),
        "the administrator finds the cause under the id the client was given: {lines:#?}"
    );
}

async fn a_unique_violation_is_a_conflict_without_the_database_s_words(backend: Backend) {
    let (council, faulty, _) = faulty_council(backend).await;
    let secretary = council.login("secretary").await.token;
    let first = council
        .attach(
            &secretary,
            "packet/01-to-trinh-du-toan-ngan-sach-2027.pdf",
            "Tờ trình",
            json!({"scope": "all_participants"}),
            Some("2/to-trinh.pdf"),
        )
        .await;
    // Two imports of one watched-folder file racing: the second looked for the source before
    // the first had written it, so it inserts a second paper, and the database's unique
    // index on (meeting, source) refuses it.
    faulty.sources_forgotten.store(true, Ordering::SeqCst);
    let (status, body) = council
        .json(
            "POST",
            &format!("/api/v1/meetings/{}/papers", first.meeting_id),
            Some(&secretary),
            json!({
                "id": uuid::Uuid::new_v4(), "place": first.place, "position": 2,
                "title": "Tờ trình", "kind": "submission", "visibility": {"scope": "all_participants"},
                "hash": first.file.hash, "file_name": "to-trinh.pdf",
                "source": "2/to-trinh.pdf",
            }),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, ErrorCode::Conflict),
        "{body}"
    );
    assert_no_internal_text(&body, "a unique violation");
}

async fn a_worker_crash_on_upload_is_a_plain_refusal_without_the_engine_s_words(backend: Backend) {
    let (council, _, checker) = faulty_council(backend).await;
    let secretary = council.login("secretary").await.token;
    let log = CapturedLog::shared();
    checker.misbehave_on_next_check(ecabinet_pdf::Fault::Crash);
    let (status, body) = council
        .upload(
            &secretary,
            fixture("packet/01-to-trinh-du-toan-ngan-sach-2027.pdf"),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, ErrorCode::PdfCorrupt),
        "a file that crashes the engine is refused as damaged: {body}"
    );
    assert_no_internal_text(&body, "a worker crash");
    let id = body["request_id"]
        .as_str()
        .expect("the refusal names its request")
        .to_owned();
    let lines = log.lines_of(&id);
    assert!(
        lines.iter().any(|l| l.contains("stopped")),
        "the crash's detail is in the log under the request's id: {lines:#?}"
    );

    let (status, body) = council
        .upload(
            &secretary,
            fixture("packet/01-to-trinh-du-toan-ngan-sach-2027.pdf"),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the crashed worker was replaced, and the same file is accepted: {body}"
    );
}

/// Real storage with two faults a story can switch on: reading a meeting fails as a lost
/// database connection would, and looking a paper up by its source finds nothing, as in a
/// race between two imports of the same file.
struct Faulty {
    inner: Arc<dyn CouncilStorage>,
    meetings_unreadable: AtomicBool,
    sources_forgotten: AtomicBool,
}

#[async_trait]
impl AccountStore for Faulty {
    async fn account_by_username(&self, username: &str) -> StorageResult<Option<Account>> {
        self.inner.account_by_username(username).await
    }

    async fn accounts(
        &self,
        council: CouncilId,
        now: Timestamp,
    ) -> StorageResult<Vec<(Member, u32)>> {
        self.inner.accounts(council, now).await
    }

    async fn account_details(
        &self,
        council: CouncilId,
        now: Timestamp,
    ) -> StorageResult<Vec<AccountDetails>> {
        self.inner.account_details(council, now).await
    }

    async fn account(&self, member: MemberId, now: Timestamp) -> StorageResult<AccountDetails> {
        self.inner.account(member, now).await
    }

    async fn create_accounts(
        &self,
        council: CouncilId,
        accounts: Vec<NewAccount>,
    ) -> StorageResult<i64> {
        self.inner.create_accounts(council, accounts).await
    }

    async fn update_account(
        &self,
        member: MemberId,
        change: AccountChange,
        now: Timestamp,
    ) -> StorageResult<i64> {
        self.inner.update_account(member, change, now).await
    }

    async fn set_password(
        &self,
        member: MemberId,
        password_hash: String,
        must_change_password: bool,
        keep: Option<&str>,
        now: Timestamp,
    ) -> StorageResult<()> {
        self.inner
            .set_password(member, password_hash, must_change_password, keep, now)
            .await
    }

    async fn create_session(&self, session: NewSession) -> StorageResult<()> {
        self.inner.create_session(session).await
    }

    async fn session_member(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> StorageResult<Option<SessionHolder>> {
        self.inner.session_member(token_hash, now).await
    }

    async fn revoke_session(&self, token_hash: &str, now: Timestamp) -> StorageResult<()> {
        self.inner.revoke_session(token_hash, now).await
    }
}

#[async_trait]
impl MeetingStore for Faulty {
    async fn is_empty(&self) -> StorageResult<bool> {
        self.inner.is_empty().await
    }

    async fn seed_council(&self, seed: CouncilSeed) -> StorageResult<()> {
        self.inner.seed_council(seed).await
    }

    async fn council(&self, id: CouncilId) -> StorageResult<ecabinet_domain::Council> {
        self.inner.council(id).await
    }

    async fn meeting(&self, id: MeetingId) -> StorageResult<Meeting> {
        if self.meetings_unreadable.load(Ordering::SeqCst) {
            return Err(StorageError::Backend(anyhow::anyhow!(DATABASE_DOWN)));
        }
        self.inner.meeting(id).await
    }

    async fn meetings(&self, council: CouncilId) -> StorageResult<Vec<Meeting>> {
        self.inner.meetings(council).await
    }

    async fn agenda_items(&self, meeting: MeetingId) -> StorageResult<Vec<AgendaItem>> {
        self.inner.agenda_items(meeting).await
    }

    async fn agenda_item(&self, id: AgendaItemId) -> StorageResult<AgendaItem> {
        self.inner.agenda_item(id).await
    }

    async fn put_meeting(&self, meeting: Meeting) -> StorageResult<i64> {
        self.inner.put_meeting(meeting).await
    }

    async fn put_agenda_item(&self, council: CouncilId, item: AgendaItem) -> StorageResult<i64> {
        self.inner.put_agenda_item(council, item).await
    }

    async fn participants(&self, meeting: MeetingId) -> StorageResult<Vec<Participant>> {
        self.inner.participants(meeting).await
    }

    async fn put_participants(
        &self,
        council: CouncilId,
        meeting: MeetingId,
        participants: Vec<Participant>,
    ) -> StorageResult<i64> {
        self.inner
            .put_participants(council, meeting, participants)
            .await
    }
}

#[async_trait]
impl PacketStore for Faulty {
    async fn blob(&self, hash: &BlobHash) -> StorageResult<Option<BlobInfo>> {
        self.inner.blob(hash).await
    }

    async fn council_blob(
        &self,
        council: CouncilId,
        hash: &BlobHash,
    ) -> StorageResult<Option<BlobInfo>> {
        self.inner.council_blob(council, hash).await
    }

    async fn put_blob(&self, council: CouncilId, blob: BlobInfo) -> StorageResult<()> {
        self.inner.put_blob(council, blob).await
    }

    async fn paper(&self, id: PaperId) -> StorageResult<ecabinet_domain::Paper> {
        self.inner.paper(id).await
    }

    async fn papers(&self, meeting: MeetingId) -> StorageResult<Vec<ecabinet_domain::Paper>> {
        self.inner.papers(meeting).await
    }

    async fn paper_by_source(
        &self,
        meeting: MeetingId,
        source: &str,
    ) -> StorageResult<Option<ecabinet_domain::Paper>> {
        if self.sources_forgotten.load(Ordering::SeqCst) {
            return Ok(None);
        }
        self.inner.paper_by_source(meeting, source).await
    }

    async fn put_paper(
        &self,
        council: CouncilId,
        paper: ecabinet_domain::Paper,
    ) -> StorageResult<i64> {
        self.inner.put_paper(council, paper).await
    }

    async fn council_uses_blob(&self, council: CouncilId, hash: &BlobHash) -> StorageResult<bool> {
        self.inner.council_uses_blob(council, hash).await
    }

    async fn latest_packet(&self, meeting: MeetingId) -> StorageResult<Option<PacketVersion>> {
        self.inner.latest_packet(meeting).await
    }

    async fn publish_packet(&self, packet: NewPacketVersion) -> StorageResult<i64> {
        self.inner.publish_packet(packet).await
    }

    async fn packets_with_blob(
        &self,
        council: CouncilId,
        hash: &BlobHash,
    ) -> StorageResult<Vec<PacketVersion>> {
        self.inner.packets_with_blob(council, hash).await
    }
}

#[async_trait]
impl AnnotationStore for Faulty {
    async fn annotation(
        &self,
        id: ecabinet_domain::AnnotationId,
    ) -> StorageResult<ecabinet_domain::Annotation> {
        self.inner.annotation(id).await
    }

    async fn annotation_history(
        &self,
        id: ecabinet_domain::AnnotationId,
    ) -> StorageResult<Vec<ecabinet_domain::Annotation>> {
        self.inner.annotation_history(id).await
    }

    async fn write_annotation(
        &self,
        write: council_storage::NewAnnotationRevision,
    ) -> StorageResult<council_storage::AnnotationWritten> {
        self.inner.write_annotation(write).await
    }
}

#[async_trait]
impl OpinionStore for Faulty {
    async fn opinion_versions(
        &self,
        id: ecabinet_domain::OpinionId,
    ) -> StorageResult<Vec<ecabinet_domain::Opinion>> {
        self.inner.opinion_versions(id).await
    }

    async fn meeting_opinions(
        &self,
        meeting: MeetingId,
    ) -> StorageResult<Vec<ecabinet_domain::Opinion>> {
        self.inner.meeting_opinions(meeting).await
    }

    async fn write_opinion(
        &self,
        write: council_storage::NewOpinionVersion,
    ) -> StorageResult<council_storage::OpinionWritten> {
        self.inner.write_opinion(write).await
    }
}

#[async_trait]
impl council_storage::SittingStore for Faulty {
    async fn sitting_events(
        &self,
        meeting: MeetingId,
        after: u64,
    ) -> StorageResult<Vec<ecabinet_domain::sitting::SittingEvent>> {
        self.inner.sitting_events(meeting, after).await
    }

    async fn sitting_event_for_action(
        &self,
        meeting: MeetingId,
        action_id: uuid::Uuid,
    ) -> StorageResult<Option<ecabinet_domain::sitting::SittingEvent>> {
        self.inner
            .sitting_event_for_action(meeting, action_id)
            .await
    }

    async fn append_sitting_event(
        &self,
        meeting: MeetingId,
        action_id: uuid::Uuid,
        event: &ecabinet_domain::sitting::SittingEvent,
    ) -> StorageResult<()> {
        self.inner
            .append_sitting_event(meeting, action_id, event)
            .await
    }
}

#[async_trait]
impl council_storage::PollStore for Faulty {
    async fn meeting_polls(
        &self,
        meeting: MeetingId,
    ) -> StorageResult<Vec<council_storage::StoredPoll>> {
        self.inner.meeting_polls(meeting).await
    }

    async fn poll(
        &self,
        id: ecabinet_domain::PollId,
    ) -> StorageResult<Option<council_storage::StoredPoll>> {
        self.inner.poll(id).await
    }

    async fn open_polls(&self) -> StorageResult<Vec<council_storage::StoredPoll>> {
        self.inner.open_polls().await
    }

    async fn write_poll(&self, write: council_storage::PollWrite<'_>) -> StorageResult<()> {
        self.inner.write_poll(write).await
    }

    async fn poll_ballots(
        &self,
        id: ecabinet_domain::PollId,
    ) -> StorageResult<Vec<ecabinet_domain::poll::CastBallot>> {
        self.inner.poll_ballots(id).await
    }

    async fn poll_log(
        &self,
        id: ecabinet_domain::PollId,
    ) -> StorageResult<Vec<ecabinet_domain::poll::log::PollLogLine>> {
        self.inner.poll_log(id).await
    }
}

#[async_trait]
impl council_storage::ChatStore for Faulty {
    async fn conversation(
        &self,
        id: ecabinet_domain::ConversationId,
    ) -> StorageResult<Option<council_storage::StoredConversation>> {
        self.inner.conversation(id).await
    }

    async fn put_conversation(
        &self,
        council: CouncilId,
        conversation: &ecabinet_domain::chat::Conversation,
    ) -> StorageResult<council_storage::StoredConversation> {
        self.inner.put_conversation(council, conversation).await
    }

    async fn member_conversations(
        &self,
        council: CouncilId,
        member: ecabinet_domain::MemberId,
        secretariat: bool,
    ) -> StorageResult<Vec<council_storage::StoredConversation>> {
        self.inner
            .member_conversations(council, member, secretariat)
            .await
    }

    async fn post_message(
        &self,
        message: &ecabinet_domain::chat::Message,
    ) -> StorageResult<(ecabinet_protocol::ChatEntry, bool)> {
        self.inner.post_message(message).await
    }

    async fn change_message(
        &self,
        message: &ecabinet_domain::chat::Message,
    ) -> StorageResult<ecabinet_protocol::ChatEntry> {
        self.inner.change_message(message).await
    }

    async fn chat_message(
        &self,
        id: ecabinet_domain::MessageId,
    ) -> StorageResult<Option<ecabinet_protocol::ChatEntry>> {
        self.inner.chat_message(id).await
    }

    async fn messages_after(
        &self,
        conversation: ecabinet_domain::ConversationId,
        after: u64,
        limit: u32,
    ) -> StorageResult<Vec<ecabinet_protocol::ChatEntry>> {
        self.inner.messages_after(conversation, after, limit).await
    }

    async fn put_chat_mark(
        &self,
        conversation: ecabinet_domain::ConversationId,
        member: ecabinet_domain::MemberId,
        update: ecabinet_protocol::ChatMarksUpdate,
    ) -> StorageResult<council_storage::StoredMark> {
        self.inner.put_chat_mark(conversation, member, update).await
    }

    async fn chat_marks(
        &self,
        conversation: ecabinet_domain::ConversationId,
    ) -> StorageResult<Vec<council_storage::StoredMark>> {
        self.inner.chat_marks(conversation).await
    }
}

#[async_trait]
impl ChangeLog for Faulty {
    async fn changes_since(
        &self,
        council: CouncilId,
        after: i64,
        limit: u32,
    ) -> StorageResult<Vec<Change>> {
        self.inner.changes_since(council, after, limit).await
    }

    async fn log_head(&self, council: CouncilId) -> StorageResult<i64> {
        self.inner.log_head(council).await
    }
}
