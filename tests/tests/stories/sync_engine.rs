//! The sync engine (in this test process) following a council server (another process).
//!
//! Every story runs with the server on each storage backend, as `sqlite::<story>` and
//! `postgres::<story>`: the engine must not be able to tell them apart.

use ecabinet_domain::{Clock, SystemClock};
use ecabinet_store::{Store, StoredSession};
use ecabinet_stories::{Backend, CouncilServer, DEMO_PASSWORD, SecretaryApi, free_port};
use ecabinet_sync::{Backoff, ConnectionState, CouncilClient, SyncHandle, SyncStatus};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BUDGET_ITEM: &str = "Dự toán ngân sách nhà nước năm 2027";

on_every_backend!(
    a_change_on_the_server_reaches_the_client_store_within_a_second,
    after_a_server_crash_the_client_says_offline_then_reconnects_and_catches_up,
    an_unreachable_server_is_reported_as_offline_without_losing_the_local_copy,
    a_revoked_session_signs_the_client_out_and_keeps_its_data,
);

struct Delegate {
    store: Arc<Mutex<Store>>,
    sync: SyncHandle,
    _dir: tempfile::TempDir,
}

async fn delegate_following(server_url: &str) -> Delegate {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("ecabinet.db")).unwrap();
    let client = CouncilClient::new(server_url).unwrap();
    let login = client.login("delegate07", DEMO_PASSWORD).await.unwrap();
    let session = StoredSession {
        server_url: client.server_url(),
        token: login.token,
        member: login.member,
        council: login.council,
    };
    store.save_session(&session).unwrap();
    let store = Arc::new(Mutex::new(store));
    let backoff = Backoff::new(Duration::from_millis(50), Duration::from_millis(500));
    let sync = ecabinet_sync::spawn(store.clone(), session, Arc::new(SystemClock), backoff);
    Delegate {
        store,
        sync,
        _dir: dir,
    }
}

/// A council server process on `backend` and a delegate's engine following it, already
/// online.
async fn online_delegate(backend: Backend) -> (tempfile::TempDir, CouncilServer, Delegate) {
    let data = tempfile::tempdir().unwrap();
    let server = CouncilServer::start_with(backend, data.path(), 0);
    let delegate = delegate_following(&server.url()).await;
    wait_connection(
        &delegate.sync,
        ConnectionState::Online,
        Duration::from_secs(10),
    )
    .await;
    (data, server, delegate)
}

/// Waits until the engine reports `state`, and returns that status.
async fn wait_connection(sync: &SyncHandle, state: ConnectionState, limit: Duration) -> SyncStatus {
    let mut rx = sync.status();
    let waited = tokio::time::timeout(limit, rx.wait_for(|s| s.connection == state))
        .await
        .map(|r| r.map(|s| s.clone()));
    match waited {
        Ok(Ok(status)) => status,
        _ => panic!(
            "timed out after {limit:?} waiting for {state:?}; last status: {:?}",
            *rx.borrow()
        ),
    }
}

/// The item's title in the programme a delegate sees (the one published with the packet).
fn title_in_store(store: &Arc<Mutex<Store>>, item: &ecabinet_domain::AgendaItem) -> Option<String> {
    let store = store.lock().unwrap();
    let member = store.session().unwrap()?.member.id;
    store
        .programme_view(item.meeting_id, member)
        .unwrap()
        .items
        .into_iter()
        .find(|i| i.id == item.id)
        .map(|i| i.title)
}

async fn wait_title(
    store: &Arc<Mutex<Store>>,
    item: &ecabinet_domain::AgendaItem,
    title: &str,
    limit: Duration,
) -> Duration {
    let start = Instant::now();
    while title_in_store(store, item).as_deref() != Some(title) {
        assert!(
            start.elapsed() < limit,
            "the store did not show {title:?} within {limit:?}"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    start.elapsed()
}

async fn a_change_on_the_server_reaches_the_client_store_within_a_second(backend: Backend) {
    let (_data, server, delegate) = online_delegate(backend).await;
    assert!(
        delegate.store.lock().unwrap().meetings().unwrap().len() >= 2,
        "connecting pulls the whole council"
    );

    let secretary = SecretaryApi::login(&server.url(), "secretary")
        .await
        .unwrap();
    let item = secretary.agenda_item(BUDGET_ITEM).await.unwrap();
    let renamed = "Dự toán ngân sách nhà nước năm 2027 (bản sửa đổi)";
    let sent = Instant::now();
    secretary.rename_and_publish(&item, renamed).await.unwrap();
    wait_title(&delegate.store, &item, renamed, Duration::from_secs(1)).await;
    eprintln!(
        "server change visible in the client store after {:?}",
        sent.elapsed()
    );
}

async fn after_a_server_crash_the_client_says_offline_then_reconnects_and_catches_up(
    backend: Backend,
) {
    let (_data, mut server, delegate) = online_delegate(backend).await;
    let online = delegate.sync.status().borrow().clone();
    let synced_at = online
        .last_synced_at
        .expect("a first sync records its time");

    server.kill();
    let offline = wait_connection(
        &delegate.sync,
        ConnectionState::Offline,
        Duration::from_secs(5),
    )
    .await;
    let seen_offline_at = SystemClock.now();
    let last_contact = offline
        .last_synced_at
        .expect("offline shows when the data was last synced");
    assert!(
        synced_at <= last_contact && last_contact <= seen_offline_at,
        "last synced is the last word received from the server (the live socket's greeting \
         or a ping counts, not only pulls that brought data): {last_contact:?} is not \
         between {synced_at:?} and {seen_offline_at:?}"
    );
    assert_eq!(
        delegate.store.lock().unwrap().last_synced_at().unwrap(),
        Some(last_contact),
        "the store keeps the same time, for a restart while offline"
    );
    assert!(offline.detail.is_some(), "offline says why");
    assert!(
        !delegate
            .store
            .lock()
            .unwrap()
            .meetings()
            .unwrap()
            .is_empty(),
        "the papers stay readable offline"
    );

    server.restart();
    // A change made right after the restart, possibly before the client is back: it must
    // arrive either through the pull on reconnect or through the live signal.
    let secretary = SecretaryApi::login(&server.url(), "secretary")
        .await
        .unwrap();
    let item = secretary.agenda_item("Bế mạc kỳ họp").await.unwrap();
    secretary
        .rename_and_publish(&item, "Bế mạc kỳ họp thứ mười")
        .await
        .unwrap();
    wait_connection(
        &delegate.sync,
        ConnectionState::Online,
        Duration::from_secs(10),
    )
    .await;
    wait_title(
        &delegate.store,
        &item,
        "Bế mạc kỳ họp thứ mười",
        Duration::from_secs(5),
    )
    .await;
}

async fn an_unreachable_server_is_reported_as_offline_without_losing_the_local_copy(
    backend: Backend,
) {
    let (_data, _server, delegate) = online_delegate(backend).await;
    delegate.sync.stop().await;

    // The same store, now pointed at an address where nothing listens.
    let mut session = delegate.store.lock().unwrap().session().unwrap().unwrap();
    session.server_url = format!("http://127.0.0.1:{}", free_port());
    let sync = ecabinet_sync::spawn(
        delegate.store.clone(),
        session,
        Arc::new(SystemClock),
        Backoff::default(),
    );
    let status = wait_connection(&sync, ConnectionState::Offline, Duration::from_secs(10)).await;
    assert!(
        status.detail.unwrap().contains("cannot reach"),
        "the reason is given in words"
    );
    assert!(status.last_synced_at.is_some());
    assert!(
        delegate.store.lock().unwrap().session().unwrap().is_some(),
        "being offline never signs anyone out"
    );
}

async fn a_revoked_session_signs_the_client_out_and_keeps_its_data(backend: Backend) {
    let (_data, server, delegate) = online_delegate(backend).await;
    let token = delegate
        .store
        .lock()
        .unwrap()
        .session()
        .unwrap()
        .unwrap()
        .token;

    let secretary = SecretaryApi::login(&server.url(), "secretary")
        .await
        .unwrap();
    secretary.revoke(&token).await.unwrap();
    // The next pull (prompted by any change) meets the revoked token.
    let item = secretary
        .agenda_item("Chất vấn và trả lời chất vấn")
        .await
        .unwrap();
    secretary
        .rename_agenda_item(&item, "Chất vấn và trả lời chất vấn (phiên sáng)")
        .await
        .unwrap();

    let status = wait_connection(
        &delegate.sync,
        ConnectionState::SignedOut,
        Duration::from_secs(5),
    )
    .await;
    assert!(status.detail.unwrap().contains("expired"));
    let store = delegate.store.lock().unwrap();
    assert!(
        store.session().unwrap().is_none(),
        "a refused token is forgotten"
    );
    assert!(
        !store.meetings().unwrap().is_empty(),
        "signing out keeps what was synced"
    );
}
