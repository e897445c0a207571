//! Pushing a member's annotation writes against a small server in this process that
//! answers like the council server (a retry answered with the revision it made, a refusal
//! with its code) or cannot be reached: writes go in order, an acknowledged write leaves
//! the outbox with the server's answer kept, a refused one stays with its code and is not
//! sent again, and an unreachable server leaves every write waiting.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::put;
use ecabinet_domain::annotation::{Anchor, TextAnchor, TextPosition, TextQuote};
use ecabinet_domain::{
    Annotation, AnnotationId, AnnotationKind, BlobHash, Council, CouncilId, MadeOn, MeetingId,
    Member, MemberId, PaperId, Role, Sharing, Timestamp,
};
use ecabinet_protocol::{AnnotationWrite, ApiError, ErrorCode};
use ecabinet_store::{AnnotationSync, Store, StoredSession};
use ecabinet_sync::{CouncilClient, Pushed, SyncError, push_annotations};
use std::sync::{Arc, Mutex};
use uuid::Uuid;

const TOKEN: &str = "test-token";
const MEMBER: MemberId = MemberId(Uuid::from_u128(2));

/// What the server saw, in order: ("PUT" | "DELETE", id, body).
type Seen = Arc<Mutex<Vec<(String, AnnotationId, String)>>>;

fn note(id: u128, body: &str) -> Annotation {
    Annotation {
        id: AnnotationId(Uuid::from_u128(id)),
        author: MEMBER,
        paper_id: PaperId(Uuid::from_u128(11)),
        meeting_id: MeetingId(Uuid::from_u128(12)),
        made_on: MadeOn {
            packet_version: Some(1),
            hash: BlobHash::parse(&"ab".repeat(32)).unwrap(),
        },
        anchor: Anchor::Text(TextAnchor {
            quote: TextQuote {
                exact: "dự toán thu ngân sách".into(),
                prefix: "Phê duyệt ".into(),
                suffix: " năm 2027".into(),
            },
            position: TextPosition { start: 10, end: 31 },
            page: 0,
        }),
        kind: AnnotationKind::Highlight,
        colour: "#ffd54f".into(),
        thickness: 1.0,
        body: body.into(),
        sharing: Sharing::Private,
        revision: 0,
        updated_at: Timestamp(1_797_000_000_000),
        deleted: false,
    }
}

async fn put_one(
    State(seen): State<Seen>,
    Path(id): Path<AnnotationId>,
    axum::Json(write): axum::Json<AnnotationWrite>,
) -> Response {
    seen.lock()
        .unwrap()
        .push(("PUT".into(), id, write.body.clone()));
    if write.colour != "#ffd54f" {
        let body = ApiError::new(ErrorCode::BadRequest, "a colour is written #rrggbb");
        return (StatusCode::BAD_REQUEST, axum::Json(body)).into_response();
    }
    let stored = Annotation {
        id,
        body: write.body,
        revision: write.base_revision + 1,
        ..note(0, "")
    };
    axum::Json(stored).into_response()
}

async fn delete_one(State(seen): State<Seen>, Path(id): Path<AnnotationId>) -> Response {
    seen.lock()
        .unwrap()
        .push(("DELETE".into(), id, String::new()));
    let body = ApiError::new(ErrorCode::NotFound, "no such annotation");
    (StatusCode::NOT_FOUND, axum::Json(body)).into_response()
}

async fn server() -> (String, Seen) {
    let seen = Seen::default();
    let app = Router::new()
        .route("/api/v1/annotations/{id}", put(put_one).delete(delete_one))
        .with_state(Arc::clone(&seen));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

fn signed_in_store(url: &str) -> Arc<Mutex<Store>> {
    let mut store = Store::open_in_memory().unwrap();
    let council = Council {
        id: CouncilId(Uuid::from_u128(1)),
        name: "HĐND thử nghiệm".into(),
    };
    store
        .save_session(&StoredSession {
            server_url: url.into(),
            token: TOKEN.into(),
            member: Member {
                id: MEMBER,
                council_id: council.id,
                username: "delegate01".into(),
                display_name: "Hoàng Thị Lan".into(),
                role: Role::Delegate,
            },
            council,
        })
        .unwrap();
    Arc::new(Mutex::new(store))
}

fn now() -> Timestamp {
    Timestamp(1_797_000_100_000)
}

#[tokio::test]
async fn writes_go_in_order_and_a_refusal_is_kept_with_its_code_not_retried() {
    let (url, seen) = server().await;
    let store = signed_in_store(&url);
    {
        let mut s = store.lock().unwrap();
        s.save_annotation(&note(20, "Cần làm rõ"), now()).unwrap();
        s.save_annotation(
            &Annotation {
                colour: "red".into(),
                ..note(21, "màu sai")
            },
            now(),
        )
        .unwrap();
        // Made and deleted before it was pushed. This server answers every DELETE 404, as
        // the council server does when it holds no such annotation (its creation refused or
        // never stored): nothing is left to delete, here or there.
        s.save_annotation(&note(22, "nháp"), now()).unwrap();
        s.delete_annotation(&note(22, "nháp"), now()).unwrap();
    }
    let client = CouncilClient::new(&url).unwrap();
    let pushed = push_annotations(&client, TOKEN, MEMBER, &store)
        .await
        .unwrap();
    assert_eq!(
        pushed,
        Pushed {
            acknowledged: 3,
            refused: 1
        }
    );
    let order: Vec<(String, u128)> = seen
        .lock()
        .unwrap()
        .iter()
        .map(|(m, id, _)| (m.clone(), id.0.as_u128()))
        .collect();
    assert_eq!(
        order,
        vec![
            ("PUT".into(), 20),
            ("PUT".into(), 21),
            ("PUT".into(), 22),
            ("DELETE".into(), 22)
        ],
        "writes reach the server in the order they were made"
    );
    let shown = store
        .lock()
        .unwrap()
        .annotations(MEMBER, PaperId(Uuid::from_u128(11)))
        .unwrap();
    let states: Vec<(u128, u32, AnnotationSync)> = shown
        .into_iter()
        .map(|a| (a.annotation.id.0.as_u128(), a.annotation.revision, a.sync))
        .collect();
    assert_eq!(
        states,
        vec![
            (20, 1, AnnotationSync::Synced),
            (
                21,
                0,
                AnnotationSync::Refused {
                    code: "bad_request".into(),
                    message: "a colour is written #rrggbb".into()
                }
            ),
        ],
        "the acknowledged note holds the server's revision; the refused one stays for the member"
    );

    let again = push_annotations(&client, TOKEN, MEMBER, &store)
        .await
        .unwrap();
    assert_eq!(again, Pushed::default(), "nothing is sent twice");
    assert_eq!(seen.lock().unwrap().len(), 4);
}

#[tokio::test]
async fn an_unreachable_server_leaves_every_write_waiting() {
    // A port nobody listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let store = signed_in_store(&url);
    store
        .lock()
        .unwrap()
        .save_annotation(&note(20, "Cần làm rõ"), now())
        .unwrap();
    let client = CouncilClient::new(&url).unwrap();
    let outcome = push_annotations(&client, TOKEN, MEMBER, &store).await;
    assert!(
        matches!(outcome, Err(SyncError::Unreachable(_))),
        "the caller retries with its backoff: {outcome:?}"
    );
    assert_eq!(store.lock().unwrap().outbox(MEMBER).unwrap().len(), 1);
}
