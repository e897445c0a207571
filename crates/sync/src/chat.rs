//! Chat on the device's side of the wire: catching up each conversation by its own cursor,
//! applying the live socket's messages, and sending the outbox one conversation at a time.
//!
//! Online, a conversation's messages arrive whole on the live socket, each with its
//! revision: one that follows the conversation's cursor is stored at once; one out of turn
//! (the socket lagged, or the device was away) makes the device pull the conversation
//! after its cursor, so nothing is applied twice or skipped. The outbox goes out per
//! conversation in the order written: each entry waits for the answer to the one before,
//! so the server numbers them as written; a refusal holds back the rest of its
//! conversation (shown, with its reason, until the member retries or discards it) and the
//! other conversations go on.

use crate::{CouncilClient, SyncError};
use ecabinet_domain::chat::Message;
use ecabinet_domain::{ConversationId, MemberId};
use ecabinet_protocol::{ChatEntry, ChatMarksUpdate, ErrorCode};
use ecabinet_store::{ChatRequest, Store};
use std::sync::{Arc, Mutex};

fn local(e: anyhow::Error) -> SyncError {
    SyncError::LocalStore(format!("{e:#}"))
}

/// What changed in the member's chat, for whoever shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum ChatNews {
    /// The list of conversations or their marks changed.
    Conversations,
    /// New messages stored in a conversation as they arrived live (others' and the
    /// member's own): news for a notification.
    Messages {
        conversation_id: ConversationId,
        new: Vec<Message>,
    },
    /// A conversation caught up after the device was away (signed in, back online): its
    /// messages are old news, counted unread but not announced one by one.
    CaughtUp { conversation_id: ConversationId },
}

/// Lists the member's conversations and pulls each one whose server revision is past its
/// cursor. Answers what was new.
pub async fn catch_up_chat(
    client: &CouncilClient,
    token: &str,
    store: &Arc<Mutex<Store>>,
) -> Result<Vec<ChatNews>, SyncError> {
    let views = match client.conversations(token).await {
        Ok(views) => views,
        // A server from before chat: nothing to catch up.
        Err(SyncError::Refused(e)) if e.code == ErrorCode::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let behind = {
        let mut store = store.lock().expect("store lock");
        store.put_conversations(&views).map_err(local)?;
        store.conversations_behind().map_err(local)?
    };
    let mut news = vec![ChatNews::Conversations];
    for (conversation, cursor) in behind {
        let new = pull_conversation(client, token, store, conversation, cursor).await?;
        if !new.is_empty() {
            news.push(ChatNews::CaughtUp {
                conversation_id: conversation,
            });
        }
    }
    Ok(news)
}

/// Pulls one conversation after `cursor`, page by page, each page stored in one
/// transaction with the cursor it reaches.
pub async fn pull_conversation(
    client: &CouncilClient,
    token: &str,
    store: &Arc<Mutex<Store>>,
    conversation: ConversationId,
    mut cursor: u64,
) -> Result<Vec<Message>, SyncError> {
    let mut new = Vec::new();
    loop {
        let page = match client.chat_messages(token, conversation, cursor).await {
            Ok(page) => page,
            // Left meanwhile, or never the member's: nothing more to pull.
            Err(SyncError::Refused(e)) if e.code == ErrorCode::NotFound => {
                store
                    .lock()
                    .expect("store lock")
                    .leave_conversation(conversation)
                    .map_err(local)?;
                return Ok(new);
            }
            Err(e) => return Err(e),
        };
        if let Some(last) = page.entries.last() {
            cursor = last.rev;
        }
        new.extend(
            store
                .lock()
                .expect("store lock")
                .apply_chat_entries(conversation, &page.entries, true)
                .map_err(local)?,
        );
        if !page.has_more || page.entries.is_empty() {
            return Ok(new);
        }
    }
}

/// A message the live socket brought: stored at once when it follows the conversation's
/// cursor (or is one held already), else the conversation is pulled after its cursor; a
/// conversation this device does not hold yet is listed first.
pub async fn apply_live_message(
    client: &CouncilClient,
    token: &str,
    store: &Arc<Mutex<Store>>,
    entry: &ChatEntry,
) -> Result<Vec<Message>, SyncError> {
    let conversation = entry.message.conversation_id;
    let held = store
        .lock()
        .expect("store lock")
        .chat_conversation(conversation)
        .map_err(local)?
        .is_some();
    if !held {
        // A conversation new to this device (someone wrote first): list it, then pull it.
        let views = client.conversations(token).await?;
        store
            .lock()
            .expect("store lock")
            .put_conversations(&views)
            .map_err(local)?;
        return pull_conversation(client, token, store, conversation, 0).await;
    }
    let cursor = {
        let mut store = store.lock().expect("store lock");
        let cursor = store.chat_cursor(conversation).map_err(local)?;
        if entry.rev <= cursor + 1 {
            return store
                .apply_chat_entries(
                    conversation,
                    std::slice::from_ref(entry),
                    entry.rev == cursor + 1,
                )
                .map_err(local);
        }
        cursor
    };
    pull_conversation(client, token, store, conversation, cursor).await
}

/// What one push of the chat outbox did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChatPushed {
    pub acknowledged: Vec<ChatEntry>,
    pub refused: usize,
    /// The server asked to slow down: the rest waits, and the caller pushes again shortly.
    pub held_back: bool,
}

/// Sends the member's chat outbox: each conversation's entries in the order written, one
/// answer before the next. A refusal the member must act on is kept with its code and holds
/// its conversation back; the rate limit holds the push back for a moment; a network error
/// or a server failure stops the push and is returned, so the loop retries with its backoff.
pub async fn push_chat(
    client: &CouncilClient,
    token: &str,
    member: MemberId,
    store: &Arc<Mutex<Store>>,
) -> Result<ChatPushed, SyncError> {
    let mut pushed = ChatPushed::default();
    loop {
        let heads = store
            .lock()
            .expect("store lock")
            .chat_outbox_heads(member)
            .map_err(local)?;
        if heads.is_empty() {
            break;
        }
        for head in heads {
            let answer = match &head.request {
                ChatRequest::Post(post) => {
                    client.post_chat_message(token, head.message_id, post).await
                }
                ChatRequest::Edit(edit) => {
                    client.edit_chat_message(token, head.message_id, edit).await
                }
                ChatRequest::Delete => client.delete_chat_message(token, head.message_id).await,
            };
            let mut store = store.lock().expect("store lock");
            match answer {
                Ok(entry) => {
                    store
                        .acknowledge_chat(head.position, &entry)
                        .map_err(local)?;
                    pushed.acknowledged.push(entry);
                }
                Err(SyncError::Refused(e)) if e.code == ErrorCode::TooManyMessages => {
                    pushed.held_back = true;
                    return Ok(pushed);
                }
                Err(SyncError::Refused(e)) if is_final(e.code) => {
                    let code = e.code.wire_name();
                    tracing::info!("chat message refused: {code}: {}", e.message);
                    store
                        .refuse_chat(head.position, &code, &e.message)
                        .map_err(local)?;
                    pushed.refused += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }
    Ok(pushed)
}

/// Sends the marks this device owes: the member's read marks and mutes, and "delivered" in
/// private conversations and those with the secretariat (where the other side sees it). The
/// loop calls this every few seconds, not per message: 500 devices reporting each of 50
/// messages a second would be 25,000 requests a second.
pub async fn push_chat_marks(
    client: &CouncilClient,
    token: &str,
    store: &Arc<Mutex<Store>>,
) -> Result<(), SyncError> {
    let owed = store
        .lock()
        .expect("store lock")
        .chat_marks_owed()
        .map_err(local)?;
    for owed in owed {
        let update = ChatMarksUpdate {
            delivered: owed.delivered,
            read: owed.read,
            muted: owed.muted,
        };
        match client
            .mark_conversation(token, owed.conversation_id, &update)
            .await
        {
            Ok(view) => store
                .lock()
                .expect("store lock")
                .chat_marks_sent(&owed, &view)
                .map_err(local)?,
            // Left meanwhile: nothing is owed there any more.
            Err(SyncError::Refused(e)) if e.code == ErrorCode::NotFound => store
                .lock()
                .expect("store lock")
                .leave_conversation(owed.conversation_id)
                .map_err(local)?,
            Err(SyncError::Refused(e)) if e.code == ErrorCode::BadRequest => {
                tracing::warn!("a chat mark refused: {}", e.message);
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// A refusal sending the same message again cannot change: the member must act (edit it,
/// or discard it). The rate limit, a server failure or a password to change first pass with
/// time, so those are retried by the loop.
fn is_final(code: ErrorCode) -> bool {
    let status = code.http_status();
    (400..500).contains(&status)
        && !matches!(
            code,
            ErrorCode::TooManyAttempts
                | ErrorCode::TooManyMessages
                | ErrorCode::PasswordChangeRequired
        )
}
