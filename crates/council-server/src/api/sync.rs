//! Pulling the change log, and the live signal that says when to pull.

use super::ApiResult;
use crate::ServerState;
use crate::auth::Caller;
use crate::error::{Json, Query, ServerError};
use axum::extract::State;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use ecabinet_protocol::{
    ApiError, ChangesPage, ChangesQuery, ErrorCode, LiveEvent, MAX_CHANGES_PER_PULL,
};
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

/// Changes of the caller's council after their cursor, oldest first.
#[utoipa::path(
    get, path = "/api/v1/sync/changes", tag = "sync", security(("bearer" = [])),
    params(ChangesQuery),
    responses(
        (status = 200, body = ChangesPage),
        (status = 400, body = ApiError, description = "a malformed cursor or limit"),
        (status = 401, body = ApiError),
        (status = 403, description = "`password_change_required`", body = ApiError)
    )
)]
pub async fn changes(
    State(state): State<ServerState>,
    caller: Caller,
    Query(query): Query<ChangesQuery>,
) -> ApiResult<ChangesPage> {
    let limit = query
        .limit
        .unwrap_or(MAX_CHANGES_PER_PULL)
        .clamp(1, MAX_CHANGES_PER_PULL);
    let after = query.after.max(0);
    // One extra row tells whether more are waiting without a second query.
    let mut changes = state
        .storage
        .changes_since(caller.member.council_id, after, limit + 1)
        .await?;
    let has_more = changes.len() > limit as usize;
    changes.truncate(limit as usize);
    // The cursor moves past records the caller may not see, so they are never asked for
    // again; what they may see of a record (a packet cut down to their papers) replaces it.
    let next_cursor = changes.last().map_or(after, |c| c.seq);
    let (member, role) = (caller.member.id, caller.member.role);
    let changes = changes
        .into_iter()
        .filter_map(|c| {
            let record = c.record.as_seen_by(member, role)?;
            Some(ecabinet_protocol::Change { seq: c.seq, record })
        })
        .collect();
    Ok(Json(ChangesPage {
        changes,
        next_cursor,
        has_more,
    }))
}

/// Upgrades to a WebSocket that sends [`LiveEvent`]s as JSON text frames.
#[utoipa::path(
    get, path = "/api/v1/live", tag = "sync", security(("bearer" = [])),
    responses(
        (status = 101, description = "switching to a WebSocket of LiveEvent JSON messages; closed with code 4401 when the session ends"),
        (status = 400, body = ApiError, description = "a malformed WebSocket handshake"),
        (status = 401, body = ApiError),
        (status = 403, description = "`password_change_required`", body = ApiError),
        (status = 426, body = ApiError, description = "a request without a WebSocket upgrade (upgrade_required)")
    )
)]
pub async fn live(
    State(state): State<ServerState>,
    caller: Caller,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, ServerError> {
    let upgrade = upgrade.map_err(|rejection| {
        ServerError::new(
            ErrorCode::UpgradeRequired,
            "this address serves a live WebSocket; connect to it with a WebSocket client",
        )
        .with_cause(anyhow::anyhow!("no upgrade: {}", rejection.body_text()))
    })?;
    // A device sends the server almost nothing (pongs, its close), and every broadcast
    // polls every socket's read side: tungstenite's default 128 KiB read buffer, cleared
    // before each read, cost 2,000 sockets ~260 MB and half the server's CPU in the
    // meeting-load check-in wave; 4 KiB holds any frame a device sends.
    Ok(upgrade
        .read_buffer_size(4 * 1024)
        .on_upgrade(move |socket| stream_signals(socket, state, caller)))
}

async fn stream_signals(mut socket: WebSocket, state: ServerState, caller: Caller) {
    let council = caller.member.council_id;
    // Subscribe before reading the head so no change can slip between the two, and before
    // anything else so that a session ended from now on is heard of.
    let mut signals = state.live.subscribe();
    let mut sittings = state.live.subscribe_to_sittings();
    let mut chat = state.live.subscribe_to_chat();
    let mut ended = state.live.subscribe_to_ended_sessions();
    if !session_holds(&state, &caller).await {
        close_ended(socket).await;
        return;
    }
    let head = match state.storage.log_head(council).await {
        Ok(head) => head,
        Err(e) => {
            tracing::error!("reading log head for a live client: {e:#}");
            return;
        }
    };
    if send(&mut socket, &LiveEvent::Hello { head }).await.is_err() {
        return;
    }
    // Pings let both sides notice a dead peer (a laptop that left the Wi-Fi) within seconds.
    let mut ping = tokio::time::interval(Duration::from_secs(15));
    loop {
        tokio::select! {
            signal = signals.recv() => match signal {
                Ok((c, head)) if c == council => {
                    if send(&mut socket, &LiveEvent::Changed { head }).await.is_err() { return; }
                }
                Ok(_) => {}
                Err(RecvError::Lagged(_)) => {
                    // We missed signals; tell the client the current head so it pulls.
                    let Ok(head) = state.storage.log_head(council).await else { return };
                    if send(&mut socket, &LiveEvent::Changed { head }).await.is_err() { return; }
                }
                Err(RecvError::Closed) => return,
            },
            news = sittings.recv() => match news {
                Ok(news) if news.council == council && news.audience.contains(&caller.member.id) => {
                    if socket.send(Message::Text(news.text.as_ref().into())).await.is_err() { return; }
                }
                Ok(_) => {}
                Err(RecvError::Lagged(_)) => {
                    if send(&mut socket, &LiveEvent::SittingsStale).await.is_err() { return; }
                }
                Err(RecvError::Closed) => return,
            },
            news = chat.recv() => match news {
                Ok(news) if news.council == council && news.audience.contains(&caller.member.id) => {
                    if socket.send(Message::Text(news.text.as_ref().into())).await.is_err() { return; }
                }
                Ok(_) => {}
                Err(RecvError::Lagged(_)) => {
                    if send(&mut socket, &LiveEvent::ChatStale).await.is_err() { return; }
                }
                Err(RecvError::Closed) => return,
            },
            end = ended.recv() => match end {
                Ok(end) if end.covers(caller.member.id, &caller.token_hash) => {
                    close_ended(socket).await;
                    return;
                }
                Ok(_) => {}
                // Missed some: the storage says whether this session is among them.
                Err(RecvError::Lagged(_)) => {
                    if !session_holds(&state, &caller).await {
                        close_ended(socket).await;
                        return;
                    }
                }
                Err(RecvError::Closed) => return,
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
            _ = ping.tick() => {
                // A session that expired meanwhile ends here too.
                if !session_holds(&state, &caller).await {
                    close_ended(socket).await;
                    return;
                }
                if socket.send(Message::Ping(Default::default())).await.is_err() { return; }
            }
        }
    }
}

/// Whether the caller's session is still live (a storage failure counts as no: the client
/// reconnects and is told why).
async fn session_holds(state: &ServerState, caller: &Caller) -> bool {
    match state
        .storage
        .session_member(&caller.token_hash, state.clock.now())
        .await
    {
        Ok(holder) => holder.is_some_and(|h| !h.must_change_password),
        Err(e) => {
            tracing::error!("checking a live client's session: {e:#}");
            false
        }
    }
}

/// Closes a socket whose session ended, saying so with its close code. The closing
/// handshake is completed (the client's frames read until its own close, a second at most):
/// dropping a socket with unread frames (a pong) resets the connection, and a reset can lose
/// the close frame and with it the reason.
async fn close_ended(mut socket: WebSocket) {
    let sent = socket
        .send(Message::Close(Some(CloseFrame {
            code: ecabinet_protocol::LIVE_CLOSE_SESSION_ENDED,
            reason: "session ended".into(),
        })))
        .await;
    if sent.is_err() {
        return;
    }
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        while let Some(Ok(message)) = socket.recv().await {
            if matches!(message, Message::Close(_)) {
                break;
            }
        }
    })
    .await;
}

async fn send(socket: &mut WebSocket, event: &LiveEvent) -> Result<(), axum::Error> {
    let text = serde_json::to_string(event).expect("live events always serialize");
    socket.send(Message::Text(text.into())).await
}
