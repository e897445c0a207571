//! The live loop: connect, catch up, follow signals, and fall back to offline with backoff.

use crate::{Backoff, CouncilClient, SyncError};
use ecabinet_domain::sitting::SittingEvent;
use ecabinet_domain::{Clock, MeetingId, Timestamp};
use ecabinet_protocol::{ChangesPage, LiveEvent};
use ecabinet_store::{Store, StoredSession};
use futures_util::StreamExt;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Notify, broadcast, watch};
use tokio_tungstenite::tungstenite::{self, client::IntoClientRequest};

/// If the server sends nothing for this long (it pings every 15 s), the link is dead even
/// though no error was reported: a laptop that left the Wi-Fi never sees a TCP reset.
const SILENCE_LIMIT: Duration = Duration::from_secs(40);

/// How often the marks a device owes (delivered, read, muted) go to the server at most.
const CHAT_MARKS_EVERY: Duration = Duration::from_secs(2);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionState {
    /// Trying to reach the server.
    Connecting,
    /// Live: the store follows the server within moments.
    Online,
    /// The server cannot be reached; the store shows what was last synced.
    Offline,
    /// The server refused the session: the user must log in again.
    SignedOut,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncStatus {
    pub connection: ConnectionState,
    /// The last time the server was reached and had nothing the store lacks: a pull (even one
    /// that brought nothing), or, while live, any word from the server (a signal, a ping) when
    /// the store is already at its head. Offline, it is how fresh the local copy is known to be.
    pub last_synced_at: Option<Timestamp>,
    /// Why the state is what it is, for people (e.g. the network error when offline).
    pub detail: Option<String>,
    pub cursor: i64,
}

/// A running sync loop. Dropping it ends the loop too: the loop stops when its stop
/// channel closes.
/// What the live socket said of the sittings the member takes part in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SittingNews {
    /// A sitting's next event, as the server recorded it.
    Event {
        meeting_id: MeetingId,
        event: SittingEvent,
    },
    /// A poll of a meeting the member takes part in, whole as the server sent it.
    Poll {
        meeting_id: MeetingId,
        status: Box<ecabinet_protocol::PollStatus>,
    },
    /// An open poll's turnout.
    PollTurnout {
        meeting_id: MeetingId,
        poll_id: ecabinet_domain::PollId,
        voted: u32,
        entitled: u32,
    },
    /// Events may have been missed (the socket connected anew, or fell behind): fetch the
    /// state of every sitting followed, and its polls.
    Stale,
}

pub struct SyncHandle {
    status: watch::Receiver<SyncStatus>,
    sittings: broadcast::Sender<SittingNews>,
    chat: broadcast::Sender<crate::ChatNews>,
    stop: watch::Sender<bool>,
    outbox: Arc<Notify>,
    task: tokio::task::JoinHandle<()>,
}

impl SyncHandle {
    pub fn status(&self) -> watch::Receiver<SyncStatus> {
        self.status.clone()
    }

    /// The sittings' events as the live socket brings them.
    pub fn sittings(&self) -> broadcast::Receiver<SittingNews> {
        self.sittings.subscribe()
    }

    /// What changed in the member's chat, as the live socket and the pushes bring it.
    pub fn chat(&self) -> broadcast::Receiver<crate::ChatNews> {
        self.chat.subscribe()
    }

    /// The member made a local write (an annotation): push it now if online. Offline, the
    /// loop pushes everything waiting when it reconnects.
    pub fn push_now(&self) {
        self.outbox.notify_one();
    }

    /// Ends the loop and waits for it, so no write to the store happens after this returns.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// Starts following the council server for the signed-in `session`.
pub fn spawn(
    store: Arc<Mutex<Store>>,
    session: StoredSession,
    clock: Arc<dyn Clock>,
    backoff: Backoff,
) -> SyncHandle {
    let initial = {
        let s = store.lock().expect("store lock");
        SyncStatus {
            connection: ConnectionState::Connecting,
            last_synced_at: s.last_synced_at().ok().flatten(),
            detail: None,
            cursor: s.cursor().unwrap_or(0),
        }
    };
    let (status_tx, status) = watch::channel(initial);
    let (stop, stop_rx) = watch::channel(false);
    let outbox = Arc::new(Notify::new());
    let (sittings, _) = broadcast::channel(1024);
    let (chat, _) = broadcast::channel(1024);
    let task = tokio::spawn(run(
        Loop {
            store,
            session,
            clock,
            status: status_tx,
            outbox: Arc::clone(&outbox),
            sittings: sittings.clone(),
            chat: chat.clone(),
        },
        stop_rx,
        backoff,
    ));
    SyncHandle {
        status,
        sittings,
        chat,
        stop,
        outbox,
        task,
    }
}

struct Loop {
    store: Arc<Mutex<Store>>,
    session: StoredSession,
    clock: Arc<dyn Clock>,
    status: watch::Sender<SyncStatus>,
    /// Woken when the member made a local write to push.
    outbox: Arc<Notify>,
    sittings: broadcast::Sender<SittingNews>,
    chat: broadcast::Sender<crate::ChatNews>,
}

impl Loop {
    fn set(&self, connection: ConnectionState, detail: Option<String>) {
        self.status.send_modify(|s| {
            s.connection = connection;
            s.detail = detail;
        });
    }
}

/// Resolves when asked to stop, or when the handle is gone.
async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|stop| *stop).await;
}

async fn run(lp: Loop, mut stop: watch::Receiver<bool>, mut backoff: Backoff) {
    let client = match CouncilClient::new(&lp.session.server_url) {
        Ok(c) => c,
        Err(e) => return lp.set(ConnectionState::Offline, Some(e.to_string())),
    };
    loop {
        let outcome = tokio::select! {
            outcome = follow(&lp, &client, &mut backoff) => outcome,
            _ = stopped(&mut stop) => return,
        };
        match outcome {
            Err(SyncError::SessionExpired) => {
                if let Err(e) = lp.store.lock().expect("store lock").clear_session() {
                    tracing::error!("forgetting an expired session: {e:#}");
                }
                return lp.set(
                    ConnectionState::SignedOut,
                    Some(SyncError::SessionExpired.to_string()),
                );
            }
            Err(e) => {
                tracing::info!("offline: {e}");
                lp.set(ConnectionState::Offline, Some(e.to_string()));
            }
            Ok(()) => lp.set(
                ConnectionState::Offline,
                Some("the server closed the live connection".into()),
            ),
        }
        let delay = backoff.next_delay(&mut rand::rng());
        tokio::select! {
            _ = tokio::time::sleep(delay) => {}
            _ = stopped(&mut stop) => return,
        }
        lp.set(ConnectionState::Connecting, None);
    }
}

/// One connection's life: open the live socket, catch up, then pull on every signal.
/// Returns when the connection ends.
async fn follow(lp: &Loop, client: &CouncilClient, backoff: &mut Backoff) -> Result<(), SyncError> {
    // Connect before pulling, so a change made between the pull and the connect still
    // produces a signal we receive.
    let mut socket = open_live(client, &lp.session.token).await?;
    pull_and_publish(lp, client).await?;
    catch_up_chat(lp, client).await?;
    push_outbox(lp, client).await?;
    lp.set(ConnectionState::Online, None);
    backoff.reset();
    let mut marks = tokio::time::interval(CHAT_MARKS_EVERY);
    // The silence is counted from the last message heard, not from the last wake-up: the
    // marks' ticks must not keep a dead link looking alive.
    let mut heard_at = tokio::time::Instant::now();
    loop {
        let message = tokio::select! {
            message = tokio::time::timeout_at(heard_at + SILENCE_LIMIT, socket.next()) => message,
            _ = lp.outbox.notified() => {
                push_outbox(lp, client).await?;
                continue;
            }
            _ = marks.tick() => {
                crate::push_chat_marks(client, &lp.session.token, &lp.store).await?;
                continue;
            }
        };
        let message =
            message.map_err(|_| SyncError::Unreachable("the server went silent".into()))?;
        heard_at = tokio::time::Instant::now();
        let text = match message {
            None => return Ok(()),
            Some(Err(e)) => return Err(SyncError::Unreachable(e.to_string())),
            Some(Ok(tungstenite::Message::Text(text))) => text,
            // The server closes the socket of a session that ended: signed out, not offline.
            Some(Ok(tungstenite::Message::Close(Some(frame))))
                if u16::from(frame.code) == ecabinet_protocol::LIVE_CLOSE_SESSION_ENDED =>
            {
                return Err(SyncError::SessionExpired);
            }
            Some(Ok(tungstenite::Message::Close(_))) => return Ok(()),
            // Pings are answered by tungstenite itself. The server signals every change on this
            // socket before anything it sends later, so a ping with no signal before it says
            // the store was still at the head when the server sent it.
            Some(Ok(_)) => {
                note_in_sync(lp).await?;
                continue;
            }
        };
        let live = serde_json::from_str::<LiveEvent>(&text);
        // No one listening (no sitting followed) is the usual case.
        match &live {
            Ok(LiveEvent::Sitting { meeting_id, event }) => {
                let _ = lp.sittings.send(SittingNews::Event {
                    meeting_id: *meeting_id,
                    event: event.clone(),
                });
                continue;
            }
            Ok(LiveEvent::Poll { meeting_id, status }) => {
                let _ = lp.sittings.send(SittingNews::Poll {
                    meeting_id: *meeting_id,
                    status: status.clone(),
                });
                continue;
            }
            Ok(LiveEvent::PollTurnout {
                meeting_id,
                poll_id,
                voted,
                entitled,
            }) => {
                let _ = lp.sittings.send(SittingNews::PollTurnout {
                    meeting_id: *meeting_id,
                    poll_id: *poll_id,
                    voted: *voted,
                    entitled: *entitled,
                });
                continue;
            }
            Ok(LiveEvent::Hello { .. } | LiveEvent::SittingsStale) => {
                let _ = lp.sittings.send(SittingNews::Stale);
            }
            Ok(LiveEvent::ChatMessage { entry }) => {
                let new =
                    crate::apply_live_message(client, &lp.session.token, &lp.store, entry).await?;
                let _ = lp.chat.send(crate::ChatNews::Messages {
                    conversation_id: entry.message.conversation_id,
                    new,
                });
                continue;
            }
            Ok(LiveEvent::ChatMark {
                conversation_id,
                mark,
            }) => {
                lp.store
                    .lock()
                    .expect("store lock")
                    .put_chat_mark(*conversation_id, *mark)
                    .map_err(|e| SyncError::LocalStore(format!("{e:#}")))?;
                let _ = lp.chat.send(crate::ChatNews::Conversations);
                continue;
            }
            Ok(LiveEvent::ChatLeft { conversation_id }) => {
                lp.store
                    .lock()
                    .expect("store lock")
                    .leave_conversation(*conversation_id)
                    .map_err(|e| SyncError::LocalStore(format!("{e:#}")))?;
                let _ = lp.chat.send(crate::ChatNews::Conversations);
                continue;
            }
            Ok(LiveEvent::ChatConversation { .. } | LiveEvent::ChatStale) => {
                catch_up_chat(lp, client).await?;
                continue;
            }
            _ => {}
        }
        match live {
            Ok(LiveEvent::Changed { head } | LiveEvent::Hello { head })
                if head > lp.status.borrow().cursor =>
            {
                pull_and_publish(lp, client).await?;
            }
            Ok(_) => note_in_sync(lp).await?,
            // A newer server may send events this app does not know yet; pulling is the
            // safe answer to anything unexpected.
            Err(_) => pull_and_publish(lp, client).await?,
        }
    }
}

/// The server was heard from and the store already holds everything up to its head: as good
/// as a pull that brought nothing, so it is recorded as one (the cursor stays, the time moves)
/// and "last synced" keeps meaning the last time the device knew it was up to date.
async fn note_in_sync(lp: &Loop) -> Result<(), SyncError> {
    let now = lp.clock.now();
    let nothing_new = ChangesPage {
        changes: Vec::new(),
        next_cursor: lp.status.borrow().cursor,
        has_more: false,
    };
    let store = Arc::clone(&lp.store);
    tokio::task::spawn_blocking(move || {
        store
            .lock()
            .expect("store lock")
            .apply_changes(&nothing_new, now)
    })
    .await
    .map_err(|e| SyncError::Protocol(format!("noting a sync: {e}")))?
    .map_err(|e| SyncError::LocalStore(format!("{e:#}")))?;
    lp.status.send_modify(|s| s.last_synced_at = Some(now));
    Ok(())
}

async fn open_live(
    client: &CouncilClient,
    token: &str,
) -> Result<
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
    SyncError,
> {
    let mut request = client
        .live_url()
        .into_client_request()
        .map_err(|e| SyncError::Protocol(format!("live address: {e}")))?;
    let bearer = format!("Bearer {token}")
        .parse()
        .map_err(|_| SyncError::Protocol("the stored token is not a valid header value".into()))?;
    request.headers_mut().insert("authorization", bearer);
    let connect = tokio_tungstenite::connect_async(request);
    match tokio::time::timeout(Duration::from_secs(10), connect).await {
        Err(_) => Err(SyncError::Unreachable("timed out connecting".into())),
        Ok(Ok((socket, _))) => Ok(socket),
        Ok(Err(tungstenite::Error::Http(response))) if response.status() == 401 => {
            Err(SyncError::SessionExpired)
        }
        Ok(Err(e)) => Err(SyncError::Unreachable(e.to_string())),
    }
}

/// Lists the member's conversations and pulls those behind, telling the app what is new.
async fn catch_up_chat(lp: &Loop, client: &CouncilClient) -> Result<(), SyncError> {
    for news in crate::catch_up_chat(client, &lp.session.token, &lp.store).await? {
        let _ = lp.chat.send(news);
    }
    Ok(())
}

/// Pushes the member's waiting annotation writes, opinion versions and chat messages (see
/// [`crate::push_annotations`], [`crate::push_opinions`], [`crate::push_chat`]). A
/// network error ends the connection like any other, so the backoff retries it.
async fn push_outbox(lp: &Loop, client: &CouncilClient) -> Result<(), SyncError> {
    let pushed =
        crate::push_annotations(client, &lp.session.token, lp.session.member.id, &lp.store).await?;
    if pushed != crate::Pushed::default() {
        tracing::debug!("annotations pushed: {pushed:?}");
    }
    let pushed =
        crate::push_opinions(client, &lp.session.token, lp.session.member.id, &lp.store).await?;
    if pushed != crate::Pushed::default() {
        tracing::debug!("opinions pushed: {pushed:?}");
    }
    let chat = crate::push_chat(client, &lp.session.token, lp.session.member.id, &lp.store).await?;
    for entry in &chat.acknowledged {
        let _ = lp.chat.send(crate::ChatNews::Messages {
            conversation_id: entry.message.conversation_id,
            new: Vec::new(),
        });
    }
    if chat.refused > 0 {
        let _ = lp.chat.send(crate::ChatNews::Conversations);
    }
    if chat.held_back {
        // Over the server's rate: the rest goes in a moment.
        let outbox = Arc::clone(&lp.outbox);
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(1)).await;
            outbox.notify_one();
        });
    }
    crate::push_chat_marks(client, &lp.session.token, &lp.store).await
}

async fn pull_and_publish(lp: &Loop, client: &CouncilClient) -> Result<(), SyncError> {
    let cursor = pull_all(client, &lp.session.token, &lp.store, lp.clock.as_ref()).await?;
    let last = lp
        .store
        .lock()
        .expect("store lock")
        .last_synced_at()
        .ok()
        .flatten();
    lp.status.send_modify(|s| {
        s.cursor = cursor;
        s.last_synced_at = last;
    });
    Ok(())
}

/// Pulls every page after the store's cursor and applies each atomically; returns the new
/// cursor. Usable on its own (a "sync now" button, benchmarks, tests).
pub async fn pull_all(
    client: &CouncilClient,
    token: &str,
    store: &Arc<Mutex<Store>>,
    clock: &dyn Clock,
) -> Result<i64, SyncError> {
    let local = |e: anyhow::Error| SyncError::LocalStore(format!("{e:#}"));
    let mut cursor = store.lock().expect("store lock").cursor().map_err(local)?;
    loop {
        let page = client.changes(token, cursor).await?;
        let now = clock.now();
        let more = page.has_more;
        let store = Arc::clone(store);
        // SQLite writes are blocking; keep them off the async workers.
        let applied = tokio::task::spawn_blocking(move || {
            store.lock().expect("store lock").apply_changes(&page, now)
        })
        .await
        .map_err(|e| SyncError::Protocol(format!("applying changes: {e}")))?
        .map_err(local)?;
        cursor = applied.cursor;
        if !more {
            return Ok(cursor);
        }
    }
}
