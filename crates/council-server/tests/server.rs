//! The council server's API, called in-process through its router.
//! Each test reads as a user's story: who calls, what they send, what they must get back.
//!
//! Every story runs on each storage backend: `sqlite::<story>` on a real SQLite file and
//! `postgres::<story>` on PostgreSQL (a database of its own on a throwaway cluster, see
//! `ecabinet-test-postgres`), so a failure's name says which backend broke it.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use council_server::blobs::FsBlobStore;
use council_server::paper_check::PaperCheck;
use council_server::{ServerState, demo, router};
use council_storage::CouncilStorage;
use council_storage_postgres::PostgresCouncilStorage;
use council_storage_sqlite::SqliteCouncilStorage;
use ecabinet_domain::{ManualClock, Timestamp};
use ecabinet_protocol::{
    AgendaItemPatch, ApiError, ChangesPage, ErrorCode, LoginResponse, SyncRecord,
};
use ecabinet_test_postgres::TestDatabase;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use std::sync::Arc;
use tower::ServiceExt;

const PASSWORD: &str = "mật-khẩu-demo";
const NOW: Timestamp = Timestamp(1_795_464_000_000);

/// Runs each named story (an `async fn(Backend)`) once per backend, as `sqlite::<story>`
/// and `postgres::<story>`. A story left out of the list is never run, and the compiler
/// says so (dead code).
macro_rules! on_every_backend {
    ($($story:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $story() {
                    super::$story(super::Backend::Sqlite).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $story() {
                    super::$story(super::Backend::Postgres).await;
                }
            )*
        }
    };
}

// Packets' stories, in their own file; they use the macro above, so they come after it.
#[path = "server/packets.rs"]
mod packets;

// The role matrix: every documented route against every kind of caller.
#[path = "server/role_matrix.rs"]
mod role_matrix;
// Accounts, throttled logins and live sockets closing as sessions end.
#[path = "server/accounts.rs"]
mod accounts;
// Annotations: private to their author's devices, shared read-only, every revision kept.
#[path = "server/annotations.rs"]
mod annotations;
// Opinions: sent by delegates and the chair, read by their author, the secretariat and the chair.
#[path = "server/opinions.rs"]
mod opinions;
// The live sitting: check-in and quorum, the chair's course, speakers, events on the socket.
#[path = "server/sittings.rs"]
mod sittings;
// Polls: drafted, opened on the present voters, voted once each, closed, verified by their log.
#[path = "server/polls.rs"]
mod polls;
// Chat: private by construction, each message once and in order, limits with codes.
#[path = "server/chat.rs"]
mod chat;
// The demo's crowd of delegates for load tests: they log in and sit in the demo session.
#[path = "server/demo_crowd.rs"]
mod demo_crowd;

on_every_backend!(
    a_delegate_logs_in_and_pulls_the_whole_council,
    pulls_are_paged,
    a_wrong_password_and_an_unknown_user_get_the_same_answer,
    every_endpoint_but_login_needs_a_token,
    an_expired_token_is_refused_and_says_to_log_in_again,
    a_logged_out_token_is_revoked,
    malformed_and_oversized_bodies_are_refused_with_a_code,
    only_the_administrator_lists_accounts,
    the_secretary_edits_the_programme_and_delegates_and_guests_cannot,
    the_openapi_document_covers_every_endpoint,
);

#[derive(Debug, Clone, Copy)]
enum Backend {
    Sqlite,
    Postgres,
}

struct Council {
    app: axum::Router,
    clock: Arc<ManualClock>,
    // Declared after the router, so they are dropped after it and its connections: the
    // blobs (and, on SQLite, the database file) and the PostgreSQL database if any.
    _dir: tempfile::TempDir,
    _database: Option<TestDatabase>,
}

/// Uploads are checked in PDF workers: the council-server binary in its worker role.
fn paper_check() -> PaperCheck {
    PaperCheck::new(env!("CARGO_BIN_EXE_council-server"))
}

/// Empty storage on `backend`, and a temp dir for the blobs (and SQLite's file); the
/// PostgreSQL database, if any, lives as long as the returned guard.
async fn empty_storage(
    backend: Backend,
) -> (
    Arc<dyn CouncilStorage>,
    tempfile::TempDir,
    Option<TestDatabase>,
) {
    let dir = tempfile::tempdir().unwrap();
    match backend {
        Backend::Sqlite => {
            let storage = SqliteCouncilStorage::open(&dir.path().join("council.db"))
                .await
                .unwrap();
            (Arc::new(storage), dir, None)
        }
        Backend::Postgres => {
            let db = TestDatabase::create().expect("a PostgreSQL database for this test");
            let storage = PostgresCouncilStorage::connect(db.url()).await.unwrap();
            (Arc::new(storage), dir, Some(db))
        }
    }
}

/// The demo council, freshly seeded on `backend`, with a clock stopped at `NOW`.
async fn demo_council(backend: Backend) -> Council {
    let (storage, dir, database) = empty_storage(backend).await;
    storage
        .seed_council(demo::council_seed(NOW, PASSWORD, &mut rand::rng()).unwrap())
        .await
        .unwrap();
    let clock = Arc::new(ManualClock::at(NOW));
    let blobs = FsBlobStore::open(&dir.path().join("blobs")).unwrap();
    let app = router(ServerState::new(
        storage,
        clock.clone(),
        Arc::new(blobs),
        paper_check(),
    ));
    Council {
        app,
        clock,
        _dir: dir,
        _database: database,
    }
}

impl Council {
    /// Serves the router on a local port, for a real WebSocket client.
    async fn serve(&self) -> std::net::SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = self.app.clone();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        addr
    }

    async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Body>,
    ) -> (StatusCode, Value) {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        if body.is_some() {
            req = req.header(header::CONTENT_TYPE, "application/json");
        }
        let response = self
            .app
            .clone()
            .oneshot(req.body(body.unwrap_or_else(Body::empty)).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let value = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or(Value::Null)
        };
        (status, value)
    }

    async fn json(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Value,
    ) -> (StatusCode, Value) {
        self.call(method, path, token, Some(Body::from(body.to_string())))
            .await
    }

    async fn login(&self, username: &str) -> LoginResponse {
        let (status, body) = self
            .json(
                "POST",
                "/api/v1/auth/login",
                None,
                json!({"username": username, "password": PASSWORD}),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::OK,
            "{username} must be able to log in: {body}"
        );
        serde_json::from_value(body).unwrap()
    }

    async fn changes(&self, token: &str, after: i64) -> ChangesPage {
        let (status, body) = self
            .call(
                "GET",
                &format!("/api/v1/sync/changes?after={after}"),
                Some(token),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        serde_json::from_value(body).unwrap()
    }
}

fn code(body: &Value) -> ErrorCode {
    serde_json::from_value::<ApiError>(body.clone())
        .unwrap_or_else(|_| panic!("not an ApiError: {body}"))
        .code
}

async fn a_delegate_logs_in_and_pulls_the_whole_council(backend: Backend) {
    let council = demo_council(backend).await;
    let login = council.login("delegate01").await;
    assert_eq!(login.member.display_name, "Hoàng Thị Lan");
    assert_eq!(login.expires_at, NOW.plus_millis(30 * 24 * 3600 * 1000));

    let page = council.changes(&login.token, 0).await;
    assert!(!page.has_more);
    let meetings: Vec<_> = page
        .changes
        .iter()
        .filter_map(|c| match &c.record {
            SyncRecord::Meeting(m) => Some(m.title.as_str()),
            _ => None,
        })
        .collect();
    assert!(
        meetings.contains(&"Kỳ họp thứ mười, Hội đồng nhân dân thành phố khóa XVI"),
        "{meetings:?}"
    );
    assert!(
        page.changes.windows(2).all(|w| w[0].seq < w[1].seq),
        "the log is strictly ordered"
    );
    assert!(
        page.next_cursor >= page.changes.last().unwrap().seq,
        "the cursor moves past every record read, including the secretariat's working copies a delegate does not receive"
    );

    let again = council.changes(&login.token, page.next_cursor).await;
    assert!(again.changes.is_empty(), "nothing new after the cursor");
    assert_eq!(
        again.next_cursor, page.next_cursor,
        "an empty page keeps the cursor"
    );
}

async fn pulls_are_paged(backend: Backend) {
    let council = demo_council(backend).await;
    let token = council.login("delegate02").await.token;
    let (_, body) = council
        .call(
            "GET",
            "/api/v1/sync/changes?after=0&limit=5",
            Some(&token),
            None,
        )
        .await;
    let page: ChangesPage = serde_json::from_value(body).unwrap();
    assert_eq!(page.changes.len(), 5);
    assert!(page.has_more, "the demo council has more than five records");
    assert_eq!(page.next_cursor, 5);
}

async fn a_wrong_password_and_an_unknown_user_get_the_same_answer(backend: Backend) {
    let council = demo_council(backend).await;
    let (s1, b1) = council
        .json(
            "POST",
            "/api/v1/auth/login",
            None,
            json!({"username": "delegate01", "password": "sai"}),
        )
        .await;
    let (_, b2) = council
        .json(
            "POST",
            "/api/v1/auth/login",
            None,
            json!({"username": "nobody", "password": PASSWORD}),
        )
        .await;
    assert_eq!(
        (s1, code(&b1)),
        (StatusCode::UNAUTHORIZED, ErrorCode::InvalidCredentials)
    );
    // Each answer names its own request; everything else must be the same.
    let without_request_id = |mut body: Value| {
        body.as_object_mut().map(|b| b.remove("request_id"));
        body
    };
    assert_eq!(
        without_request_id(b1),
        without_request_id(b2),
        "the answer must not reveal which user names exist"
    );
}

async fn every_endpoint_but_login_needs_a_token(backend: Backend) {
    let council = demo_council(backend).await;
    for (method, path) in [
        ("GET", "/api/v1/sync/changes"),
        ("GET", "/api/v1/auth/me"),
        ("POST", "/api/v1/auth/logout"),
        ("GET", "/api/v1/live"),
        ("GET", "/api/v1/admin/accounts"),
    ] {
        let (status, body) = council.call(method, path, None, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path}");
        assert_eq!(code(&body), ErrorCode::Unauthenticated, "{method} {path}");
    }
    let (status, body) = council
        .call("GET", "/api/v1/auth/me", Some("forged-token"), None)
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, ErrorCode::SessionExpired)
    );
}

async fn an_expired_token_is_refused_and_says_to_log_in_again(backend: Backend) {
    let council = demo_council(backend).await;
    let token = council.login("delegate03").await.token;
    council.clock.advance_ms(30 * 24 * 3600 * 1000 - 1);
    assert_eq!(
        council
            .call("GET", "/api/v1/auth/me", Some(&token), None)
            .await
            .0,
        StatusCode::OK
    );
    council.clock.advance_ms(1);
    let (status, body) = council
        .call("GET", "/api/v1/auth/me", Some(&token), None)
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, ErrorCode::SessionExpired)
    );
}

async fn a_logged_out_token_is_revoked(backend: Backend) {
    let council = demo_council(backend).await;
    let token = council.login("delegate04").await.token;
    let other = council.login("delegate04").await.token;
    assert_eq!(
        council
            .call("POST", "/api/v1/auth/logout", Some(&token), None)
            .await
            .0,
        StatusCode::NO_CONTENT
    );
    let (status, body) = council
        .call("GET", "/api/v1/sync/changes", Some(&token), None)
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, ErrorCode::SessionExpired)
    );
    assert_eq!(
        council
            .call("GET", "/api/v1/auth/me", Some(&other), None)
            .await
            .0,
        StatusCode::OK,
        "logging out on one device leaves the member's other devices signed in"
    );
}

async fn malformed_and_oversized_bodies_are_refused_with_a_code(backend: Backend) {
    let council = demo_council(backend).await;
    let (status, body) = council
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(Body::from("{\"username\":")),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, ErrorCode::MalformedJson)
    );

    let (status, body) = council
        .json("POST", "/api/v1/auth/login", None, json!({"user": "x"}))
        .await;
    assert_eq!(
        code(&body),
        ErrorCode::MalformedJson,
        "missing fields are malformed too ({status})"
    );

    let huge = format!(
        "{{\"username\":\"{}\",\"password\":\"x\"}}",
        "a".repeat(ecabinet_protocol::MAX_JSON_BODY_BYTES)
    );
    let (status, body) = council
        .call("POST", "/api/v1/auth/login", None, Some(Body::from(huge)))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::PayloadTooLarge)
    );

    let token = council.login("delegate05").await.token;
    let (status, body) = council
        .call("GET", "/api/v1/sync/changes?after=abc", Some(&token), None)
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, ErrorCode::BadRequest)
    );
}

async fn only_the_administrator_lists_accounts(backend: Backend) {
    let council = demo_council(backend).await;
    for username in ["delegate01", "guest", "chair", "secretary"] {
        let token = council.login(username).await.token;
        let (status, body) = council
            .call("GET", "/api/v1/admin/accounts", Some(&token), None)
            .await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            "{username}"
        );
    }
    let token = council.login("admin").await.token;
    let (status, body) = council
        .call("GET", "/api/v1/admin/accounts", Some(&token), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.as_array().unwrap().len(), 16);
    assert!(
        !body.to_string().contains("argon2"),
        "password hashes never leave the server"
    );
}

async fn the_secretary_edits_the_programme_and_delegates_and_guests_cannot(backend: Backend) {
    let council = demo_council(backend).await;
    let delegate = council.login("delegate06").await.token;
    let secretary = council.login("secretary").await.token;
    let page = council.changes(&delegate, 0).await;
    assert!(
        !page
            .changes
            .iter()
            .any(|c| matches!(c.record, SyncRecord::AgendaItem(_))),
        "delegates receive the programme only as published in a packet version"
    );
    let secretariat_page = council.changes(&secretary, 0).await;
    let item = secretariat_page
        .changes
        .iter()
        .find_map(|c| match &c.record {
            SyncRecord::AgendaItem(i) => Some(i.clone()),
            _ => None,
        })
        .unwrap();
    let patch = serde_json::to_value(AgendaItemPatch {
        title: Some("Khai mạc kỳ họp (sửa đổi)".into()),
        ..Default::default()
    })
    .unwrap();
    let path = format!("/api/v1/agenda-items/{}", item.id);
    for username in ["delegate06", "guest", "admin"] {
        let token = council.login(username).await.token;
        let (status, body) = council
            .json("PATCH", &path, Some(&token), patch.clone())
            .await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            "{username}"
        );
    }
    let (status, _) = council.json("PATCH", &path, Some(&secretary), patch).await;
    assert_eq!(status, StatusCode::OK);

    let after = council
        .changes(&secretary, secretariat_page.next_cursor)
        .await;
    assert_eq!(after.changes.len(), 1, "one edit, one change");
    match &after.changes[0].record {
        SyncRecord::AgendaItem(i) => assert_eq!(i.title, "Khai mạc kỳ họp (sửa đổi)"),
        other => panic!("expected the edited item, got {other:?}"),
    }
    assert!(
        council
            .changes(&delegate, page.next_cursor)
            .await
            .changes
            .is_empty(),
        "the edit stays with the secretariat until it is published"
    );

    let (status, body) = council
        .json("PATCH", &path, Some(&secretary), json!({"title": "   "}))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, ErrorCode::BadRequest),
        "an empty title is refused"
    );
    let (status, body) = council
        .json(
            "PATCH",
            "/api/v1/agenda-items/00000000-0000-0000-0000-000000000000",
            Some(&secretary),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::NOT_FOUND, ErrorCode::NotFound)
    );
}

async fn the_openapi_document_covers_every_endpoint(backend: Backend) {
    let council = demo_council(backend).await;
    let (status, doc) = council.call("GET", "/api/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    let paths: Vec<_> = doc["paths"].as_object().unwrap().keys().cloned().collect();
    for path in [
        "/api/v1/auth/login",
        "/api/v1/auth/logout",
        "/api/v1/auth/me",
        "/api/v1/sync/changes",
        "/api/v1/live",
        "/api/v1/meetings",
        "/api/v1/meetings/{meeting_id}/agenda-items",
        "/api/v1/agenda-items/{item_id}",
        "/api/v1/admin/accounts",
        "/api/v1/papers/{paper_id}/approval",
        "/api/v1/papers/{paper_id}/return",
        "/api/v1/papers/{paper_id}/withdraw-approval",
    ] {
        assert!(
            paths.iter().any(|p| p == path),
            "{path} missing from the OpenAPI document: {paths:?}"
        );
    }
    let (status, body) = council
        .call("GET", "/api/v1/nothing-here", None, None)
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::NOT_FOUND, ErrorCode::NotFound)
    );
}

type LiveSocket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A live socket opened with `token`, past its hello.
async fn open_live(addr: std::net::SocketAddr, token: &str) -> LiveSocket {
    use futures_util::StreamExt;
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut request = format!("ws://{addr}/api/v1/live")
        .into_client_request()
        .unwrap();
    request
        .headers_mut()
        .insert("authorization", format!("Bearer {token}").parse().unwrap());
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    let hello = socket.next().await.unwrap().unwrap();
    assert!(hello.to_text().unwrap().contains("hello"), "{hello:?}");
    socket
}
