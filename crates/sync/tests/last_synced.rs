//! "Last synced" is the last time the device knew it held everything the server had: a pull
//! that brought nothing counts, and so does any word from the live socket while the store is
//! at the server's head. A delegate who goes offline after an hour of quiet meeting must read
//! "last synced a minute ago", not the time of the last change.
//!
//! The server here is a small one in this process: its log is empty, it counts pulls, and it
//! pings the live socket when the test says so.

use axum::Router;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use ecabinet_domain::{Council, CouncilId, ManualClock, Member, MemberId, Role, Timestamp};
use ecabinet_protocol::{ChangesPage, LiveEvent};
use ecabinet_store::{Store, StoredSession};
use ecabinet_sync::{Backoff, ConnectionState, CouncilClient, SyncStatus};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;
use uuid::Uuid;

const TOKEN: &str = "test-token";
const START: Timestamp = Timestamp(1_800_000_000_000);

/// A quiet council server: nothing in its log, ever.
#[derive(Default)]
struct QuietServer {
    pulls: AtomicUsize,
    ping: Notify,
    /// Closes the live socket as the council server does when its session ends.
    end_session: Notify,
}

async fn changes(
    State(server): State<Arc<QuietServer>>,
    Query(query): Query<HashMap<String, i64>>,
) -> axum::Json<ChangesPage> {
    server.pulls.fetch_add(1, Ordering::SeqCst);
    let after = query.get("after").copied().unwrap_or(0);
    axum::Json(ChangesPage {
        changes: Vec::new(),
        next_cursor: after,
        has_more: false,
    })
}

async fn live(State(server): State<Arc<QuietServer>>, upgrade: WebSocketUpgrade) -> Response {
    upgrade.on_upgrade(move |socket| follow(server, socket))
}

async fn follow(server: Arc<QuietServer>, mut socket: WebSocket) {
    let hello = serde_json::to_string(&LiveEvent::Hello { head: 0 }).unwrap();
    if socket.send(Message::Text(hello.into())).await.is_err() {
        return;
    }
    loop {
        tokio::select! {
            _ = server.ping.notified() => {
                if socket.send(Message::Ping(Vec::new().into())).await.is_err() {
                    return;
                }
            }
            _ = server.end_session.notified() => {
                let _ = socket
                    .send(Message::Close(Some(axum::extract::ws::CloseFrame {
                        code: ecabinet_protocol::LIVE_CLOSE_SESSION_ENDED,
                        reason: "session ended".into(),
                    })))
                    .await;
                return;
            }
            received = socket.recv() => if received.is_none() { return },
        }
    }
}

struct Device {
    server: Arc<QuietServer>,
    store: Arc<Mutex<Store>>,
    session: StoredSession,
    clock: Arc<ManualClock>,
    _dir: tempfile::TempDir,
}

async fn device_with_a_quiet_server() -> Device {
    let server = Arc::new(QuietServer::default());
    let app = Router::new()
        .route("/api/v1/sync/changes", get(changes))
        // No conversations: chat is caught up on connect like the log.
        .route(
            "/api/v1/chat/conversations",
            get(|| async { axum::Json(Vec::<ecabinet_protocol::ConversationView>::new()) }),
        )
        .route("/api/v1/live", get(live))
        .with_state(server.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let dir = tempfile::tempdir().unwrap();
    let council = Council {
        id: CouncilId(Uuid::new_v4()),
        name: "HĐND thử nghiệm".into(),
    };
    let session = StoredSession {
        server_url: url,
        token: TOKEN.into(),
        member: Member {
            id: MemberId(Uuid::new_v4()),
            council_id: council.id,
            username: "delegate03".into(),
            display_name: "Đại biểu".into(),
            role: Role::Delegate,
        },
        council,
    };
    let mut store = Store::open(&dir.path().join("ecabinet.db")).unwrap();
    store.save_session(&session).unwrap();
    Device {
        server,
        store: Arc::new(Mutex::new(store)),
        session,
        clock: Arc::new(ManualClock::at(START)),
        _dir: dir,
    }
}

fn stored_last_synced(device: &Device) -> Option<Timestamp> {
    device.store.lock().unwrap().last_synced_at().unwrap()
}

#[tokio::test]
async fn a_pull_that_brings_nothing_still_refreshes_the_last_synced_time() {
    let device = device_with_a_quiet_server().await;
    let client = CouncilClient::new(&device.session.server_url).unwrap();

    let cursor = ecabinet_sync::pull_all(&client, TOKEN, &device.store, device.clock.as_ref())
        .await
        .unwrap();
    assert_eq!(cursor, 0, "the quiet server's log is empty");
    assert_eq!(stored_last_synced(&device), Some(START));

    device.clock.advance_ms(5 * 60_000);
    ecabinet_sync::pull_all(&client, TOKEN, &device.store, device.clock.as_ref())
        .await
        .unwrap();
    assert_eq!(
        stored_last_synced(&device),
        Some(Timestamp(START.millis() + 5 * 60_000)),
        "the server answered that nothing is new: the device was up to date five minutes later"
    );
    assert_eq!(device.server.pulls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn while_live_and_quiet_every_word_from_the_server_refreshes_the_last_synced_time() {
    let device = device_with_a_quiet_server().await;
    let sync = ecabinet_sync::spawn(
        device.store.clone(),
        device.session.clone(),
        device.clock.clone(),
        Backoff::new(Duration::from_millis(50), Duration::from_millis(500)),
    );
    let mut status = sync.status();
    let online = wait_for(&mut status, "online", |s| {
        s.connection == ConnectionState::Online
    })
    .await;
    assert_eq!(
        online.last_synced_at,
        Some(START),
        "the catch-up pull on connect"
    );

    // An hour of meeting without a change: the server only pings.
    let an_hour_later = Timestamp(START.millis() + 60 * 60_000);
    device.clock.advance_ms(60 * 60_000);
    device.server.ping.notify_one();
    let refreshed = wait_for(&mut status, "the ping to count as a sync", |s| {
        s.last_synced_at == Some(an_hour_later)
    })
    .await;
    assert_eq!(refreshed.connection, ConnectionState::Online);
    assert_eq!(
        device.server.pulls.load(Ordering::SeqCst),
        1,
        "nothing changed, so nothing was pulled: the ping alone says the store is current"
    );
    assert_eq!(
        stored_last_synced(&device),
        Some(an_hour_later),
        "kept in the store, so an offline restart still tells how fresh the papers are"
    );
    sync.stop().await;
}

#[tokio::test]
async fn a_live_socket_closed_because_the_session_ended_signs_the_device_out_at_once() {
    let device = device_with_a_quiet_server().await;
    // A long backoff: only an immediate sign-out can beat the wait below (this quiet server
    // would take a reconnect back, so "offline, then retry" would never say signed out).
    let sync = ecabinet_sync::spawn(
        device.store.clone(),
        device.session.clone(),
        device.clock.clone(),
        Backoff::new(Duration::from_secs(60), Duration::from_secs(120)),
    );
    let mut status = sync.status();
    wait_for(&mut status, "online", |s| {
        s.connection == ConnectionState::Online
    })
    .await;
    device.server.end_session.notify_one();
    wait_for(&mut status, "signed out", |s| {
        s.connection == ConnectionState::SignedOut
    })
    .await;
    assert!(
        device.store.lock().unwrap().session().unwrap().is_none(),
        "the ended session is forgotten on the device"
    );
    sync.stop().await;
}

async fn wait_for(
    status: &mut tokio::sync::watch::Receiver<SyncStatus>,
    what: &str,
    wanted: impl Fn(&SyncStatus) -> bool,
) -> SyncStatus {
    let waited = tokio::time::timeout(Duration::from_secs(10), status.wait_for(|s| wanted(s)))
        .await
        .map(|r| r.map(|s| s.clone()));
    match waited {
        Ok(Ok(found)) => found,
        _ => panic!(
            "timed out waiting for {what}; last status: {:?}",
            *status.borrow()
        ),
    }
}
