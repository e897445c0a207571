//! Chat on this device: the member's conversations, each with its own cursor (the highest
//! revision applied), the messages the server stored, and the outbox of what the member
//! wrote, edited or deleted here and the server has not acknowledged yet.
//!
//! A message written here is saved in the outbox at once, under the id this device made for
//! it, and shows in its conversation as waiting; the sync loop sends each conversation's
//! outbox in the order written, one at a time, and drops an entry in the same transaction
//! that stores the server's copy, so the message never disappears between the two (no
//! flicker) and a retry after a crash is the same message, which the server stores once. A
//! refused entry stays, with the server's code, and holds back the rest of its conversation
//! until the member retries or discards it: a message after it must not overtake it.

use crate::Store;
use anyhow::Context;
use ecabinet_domain::chat::{Conversation, Message};
use ecabinet_domain::{ConversationId, MemberId, MessageId, Timestamp};
use ecabinet_protocol::{ChatEdit, ChatEntry, ChatMark, ChatPost, ConversationView};
use rusqlite::{OptionalExtension, Transaction, params};

/// A conversation as this device holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalConversation {
    pub conversation: Conversation,
    /// The highest revision applied here.
    pub cursor: u64,
    /// The server's revision when it last listed the conversation.
    pub server_rev: u64,
    pub last_seq: u64,
    pub marks: Vec<ChatMark>,
    pub muted: bool,
    /// Messages of others after the member's read mark.
    pub unread: u32,
    /// The member was removed from it: kept to read, nothing more arrives.
    pub left: bool,
    /// Its latest message, stored or waiting.
    pub last: Option<LocalMessage>,
}

/// Where a message shown on this device stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChatSync {
    /// As the server stored it.
    Stored,
    /// Written here; not acknowledged yet (or waiting for the network).
    Waiting,
    /// The server refused it: shown with its code until the member retries or discards it.
    Refused { code: String, message: String },
}

/// A message as the member sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalMessage {
    pub message: Message,
    pub sync: ChatSync,
}

/// What an outbox entry asks of the server.
#[derive(Debug, Clone, PartialEq)]
pub enum ChatRequest {
    Post(ChatPost),
    Edit(ChatEdit),
    Delete,
}

/// The next entry of one conversation's outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatOutboxEntry {
    /// Its place in the outbox; acknowledge or refuse it by this.
    pub position: i64,
    pub message_id: MessageId,
    pub conversation_id: ConversationId,
    pub request: ChatRequest,
}

/// Marks and mutes this device owes the server, per conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChatMarksOwed {
    pub conversation_id: ConversationId,
    pub delivered: Option<u64>,
    pub read: Option<u64>,
    pub muted: Option<bool>,
}

fn json<T: serde::de::DeserializeOwned>(text: &str) -> rusqlite::Result<T> {
    serde_json::from_str(text).map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))
}

fn id_of(text: &str) -> rusqlite::Result<uuid::Uuid> {
    uuid::Uuid::parse_str(text).map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))
}

fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl Store {
    /// The server's listing of the member's conversations: each stored or updated (its
    /// record, the server's revision, marks and mute); one held here that the listing no
    /// longer has is one the member left.
    pub fn put_conversations(&mut self, views: &[ConversationView]) -> anyhow::Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute("UPDATE chat_conversations SET listed = 0", [])?;
        for view in views {
            upsert_conversation(&tx, view)?;
        }
        tx.execute(
            "UPDATE chat_conversations SET left = 1 WHERE listed = 0 AND local_only = 0",
            [],
        )?;
        tx.commit().context("storing the conversations")
    }

    /// One conversation as the server sent it (made, or its members changed).
    pub fn put_conversation(&mut self, view: &ConversationView) -> anyhow::Result<()> {
        let tx = self.conn.transaction()?;
        upsert_conversation(&tx, view)?;
        tx.commit().context("storing a conversation")
    }

    /// A conversation made on this device (a private one, with the secretariat) that the
    /// server gets with its first message; nothing if it is held already.
    pub fn open_conversation(&mut self, conversation: &Conversation) -> anyhow::Result<()> {
        self.conn.execute(
            "INSERT INTO chat_conversations (id, record, local_only) VALUES (?, ?, 1)
             ON CONFLICT (id) DO NOTHING",
            params![
                conversation.id.to_string(),
                serde_json::to_string(conversation)?
            ],
        )?;
        Ok(())
    }

    /// The member was removed from a conversation: it stays to read.
    pub fn leave_conversation(&mut self, id: ConversationId) -> anyhow::Result<()> {
        self.conn.execute(
            "UPDATE chat_conversations SET left = 1 WHERE id = ?",
            [id.to_string()],
        )?;
        Ok(())
    }

    /// The highest revision of the conversation applied here (0 for none, or one not held).
    pub fn chat_cursor(&self, id: ConversationId) -> anyhow::Result<u64> {
        let cursor: Option<i64> = self
            .conn
            .query_row(
                "SELECT cursor FROM chat_conversations WHERE id = ?",
                [id.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        Ok(cursor.unwrap_or(0).max(0) as u64)
    }

    /// Conversations whose server revision is past what this device applied.
    pub fn conversations_behind(&self) -> anyhow::Result<Vec<(ConversationId, u64)>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, cursor FROM chat_conversations WHERE server_rev > cursor AND left = 0",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                ConversationId(id_of(&r.get::<_, String>(0)?)?),
                r.get::<_, i64>(1)?.max(0) as u64,
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Stores messages the server sent, whole, in one transaction: a message held already
    /// is replaced only by a later revision; each stored message's outbox post (its
    /// acknowledgement may come after) goes with it; the cursor moves to the last revision
    /// when `contiguous` (a page pulled after the cursor, or a live message that follows it).
    /// Answers the messages that were new here.
    pub fn apply_chat_entries(
        &mut self,
        conversation: ConversationId,
        entries: &[ChatEntry],
        contiguous: bool,
    ) -> anyhow::Result<Vec<Message>> {
        let tx = self.conn.transaction()?;
        let mut new = Vec::new();
        for entry in entries {
            if store_entry(&tx, entry)? {
                new.push(entry.message.clone());
            }
        }
        if contiguous && let Some(last) = entries.iter().map(|e| e.rev).max() {
            tx.execute(
                "UPDATE chat_conversations SET cursor = MAX(cursor, ?1),
                     server_rev = MAX(server_rev, ?1),
                     last_seq = MAX(last_seq, (SELECT COALESCE(MAX(seq), 0) FROM chat_messages WHERE conversation_id = ?2))
                 WHERE id = ?2",
                params![count(last), conversation.to_string()],
            )?;
        }
        tx.commit().context("storing chat messages")?;
        Ok(new)
    }

    /// The server's answer to an outbox entry: its copy stored and the entry dropped, in one
    /// transaction.
    pub fn acknowledge_chat(&mut self, position: i64, entry: &ChatEntry) -> anyhow::Result<()> {
        let tx = self.conn.transaction()?;
        store_entry(&tx, entry)?;
        tx.execute("DELETE FROM chat_outbox WHERE position = ?", [position])?;
        let conversation = entry.message.conversation_id.to_string();
        tx.execute(
            "UPDATE chat_conversations SET cursor = ?1, local_only = 0 WHERE id = ?2 AND cursor = ?1 - 1",
            params![count(entry.rev), conversation],
        )?;
        tx.execute(
            "UPDATE chat_conversations SET local_only = 0,
                 last_seq = MAX(last_seq, ?1), server_rev = MAX(server_rev, ?2) WHERE id = ?3",
            params![count(entry.message.seq), count(entry.rev), conversation],
        )?;
        tx.commit().context("acknowledging a chat message")
    }

    /// The server refused an outbox entry: it stays, with the reason, and holds back the
    /// rest of its conversation.
    pub fn refuse_chat(&mut self, position: i64, code: &str, message: &str) -> anyhow::Result<()> {
        self.conn.execute(
            "UPDATE chat_outbox SET refused_code = ?, refused_message = ? WHERE position = ?",
            params![code, message, position],
        )?;
        Ok(())
    }

    /// The member sends a refused entry again.
    pub fn retry_chat(&mut self, message: MessageId) -> anyhow::Result<bool> {
        let changed = self.conn.execute(
            "UPDATE chat_outbox SET refused_code = NULL, refused_message = NULL
             WHERE message_id = ? AND refused_code IS NOT NULL",
            [message.to_string()],
        )?;
        Ok(changed > 0)
    }

    /// The member gives up a refused entry.
    pub fn discard_chat(&mut self, message: MessageId) -> anyhow::Result<bool> {
        let changed = self.conn.execute(
            "DELETE FROM chat_outbox WHERE message_id = ? AND refused_code IS NOT NULL",
            [message.to_string()],
        )?;
        Ok(changed > 0)
    }

    /// Queues what the member did to a message (post, edit, delete) behind what they did
    /// before in the same conversation.
    pub fn queue_chat(
        &mut self,
        member: MemberId,
        message: MessageId,
        conversation: ConversationId,
        request: &ChatRequest,
        at: Timestamp,
    ) -> anyhow::Result<()> {
        let (operation, body) = match request {
            ChatRequest::Post(post) => ("post", serde_json::to_string(post)?),
            ChatRequest::Edit(edit) => ("edit", serde_json::to_string(edit)?),
            ChatRequest::Delete => ("delete", "null".to_owned()),
        };
        self.conn.execute(
            "INSERT INTO chat_outbox (member_id, message_id, conversation_id, operation, request, written_at)
             VALUES (?, ?, ?, ?, ?, ?)",
            params![
                member.to_string(),
                message.to_string(),
                conversation.to_string(),
                operation,
                body,
                at.millis()
            ],
        )?;
        Ok(())
    }

    /// The first entry of each conversation's outbox, unless it was refused (which holds
    /// the conversation back), oldest conversation first.
    pub fn chat_outbox_heads(&self, member: MemberId) -> anyhow::Result<Vec<ChatOutboxEntry>> {
        let mut stmt = self.conn.prepare(
            "SELECT position, message_id, conversation_id, operation, request FROM chat_outbox
              WHERE position IN (SELECT MIN(position) FROM chat_outbox WHERE member_id = ?1
                                  GROUP BY conversation_id)
                AND refused_code IS NULL
              ORDER BY position",
        )?;
        let rows = stmt.query_map([member.to_string()], |r| {
            let operation: String = r.get(3)?;
            let request: String = r.get(4)?;
            Ok(ChatOutboxEntry {
                position: r.get(0)?,
                message_id: MessageId(id_of(&r.get::<_, String>(1)?)?),
                conversation_id: ConversationId(id_of(&r.get::<_, String>(2)?)?),
                request: match operation.as_str() {
                    "post" => ChatRequest::Post(json(&request)?),
                    "edit" => ChatRequest::Edit(json(&request)?),
                    _ => ChatRequest::Delete,
                },
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Someone's marks in a conversation, as the server sent them.
    pub fn put_chat_mark(
        &mut self,
        conversation: ConversationId,
        mark: ChatMark,
    ) -> anyhow::Result<()> {
        let tx = self.conn.transaction()?;
        let marks: Option<String> = tx
            .query_row(
                "SELECT marks FROM chat_conversations WHERE id = ?",
                [conversation.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        let Some(marks) = marks else {
            return Ok(());
        };
        let mut marks: Vec<ChatMark> = serde_json::from_str(&marks)?;
        match marks.iter_mut().find(|m| m.member == mark.member) {
            Some(held) => {
                held.delivered = held.delivered.max(mark.delivered);
                held.read = held.read.max(mark.read);
            }
            None => marks.push(mark),
        }
        tx.execute(
            "UPDATE chat_conversations SET marks = ? WHERE id = ?",
            params![serde_json::to_string(&marks)?, conversation.to_string()],
        )?;
        tx.commit().context("storing a chat mark")
    }

    /// The member read the conversation up to `seq` on this device: their mark moves here
    /// at once and is owed to the server.
    pub fn mark_chat_read(
        &mut self,
        member: MemberId,
        conversation: ConversationId,
        seq: u64,
    ) -> anyhow::Result<()> {
        self.put_chat_mark(
            conversation,
            ChatMark {
                member,
                delivered: seq,
                read: seq,
            },
        )?;
        self.conn.execute(
            "UPDATE chat_conversations SET read_owed = MAX(COALESCE(read_owed, 0), ?) WHERE id = ?",
            params![count(seq), conversation.to_string()],
        )?;
        Ok(())
    }

    /// The member mutes or unmutes a conversation: at once here, owed to the server.
    /// Answers whether the conversation is held here.
    pub fn mute_chat(&mut self, conversation: ConversationId, muted: bool) -> anyhow::Result<bool> {
        let changed = self.conn.execute(
            "UPDATE chat_conversations SET muted = ?1, muted_owed = ?1 WHERE id = ?2",
            params![muted, conversation.to_string()],
        )?;
        Ok(changed > 0)
    }

    /// Marks and mutes owed to the server: the read marks and mutes the member made, and
    /// "delivered" for private conversations and those with the secretariat (where the other
    /// side sees it) with messages stored past what was last reported.
    pub fn chat_marks_owed(&self) -> anyhow::Result<Vec<ChatMarksOwed>> {
        let mut stmt = self.conn.prepare(
            "SELECT record, last_seq, delivered_sent, read_owed, muted_owed FROM chat_conversations
              WHERE left = 0 AND local_only = 0
                AND (last_seq > delivered_sent OR read_owed IS NOT NULL OR muted_owed IS NOT NULL)",
        )?;
        let rows = stmt.query_map([], |r| {
            let conversation: Conversation = json(&r.get::<_, String>(0)?)?;
            let last_seq: i64 = r.get(1)?;
            let delivered_sent: i64 = r.get(2)?;
            // "Delivered" only where someone sees it.
            let delivered_owed = conversation.shares_marks() && last_seq > delivered_sent;
            Ok(ChatMarksOwed {
                conversation_id: conversation.id,
                delivered: delivered_owed.then_some(last_seq.max(0) as u64),
                read: r.get::<_, Option<i64>>(3)?.map(|s| s.max(0) as u64),
                muted: r.get(4)?,
            })
        })?;
        let owed: Vec<ChatMarksOwed> = rows.collect::<Result<_, _>>()?;
        Ok(owed
            .into_iter()
            .filter(|o| o.delivered.is_some() || o.read.is_some() || o.muted.is_some())
            .collect())
    }

    /// The server took the marks `owed` (and answered the conversation as it stands).
    pub fn chat_marks_sent(
        &mut self,
        owed: &ChatMarksOwed,
        view: &ConversationView,
    ) -> anyhow::Result<()> {
        let tx = self.conn.transaction()?;
        upsert_conversation(&tx, view)?;
        tx.execute(
            "UPDATE chat_conversations SET
                 delivered_sent = MAX(delivered_sent, COALESCE(?1, 0)),
                 read_owed = CASE WHEN read_owed <= COALESCE(?2, -1) THEN NULL ELSE read_owed END,
                 muted_owed = CASE WHEN muted_owed = ?3 THEN NULL ELSE muted_owed END
             WHERE id = ?4",
            params![
                owed.delivered.map(count),
                owed.read.map(count),
                owed.muted,
                owed.conversation_id.to_string()
            ],
        )?;
        tx.commit().context("noting marks sent")
    }

    /// The member's conversations, the latest activity first.
    pub fn chat_conversations(&self, member: MemberId) -> anyhow::Result<Vec<LocalConversation>> {
        let mut conversations = self.held_conversations(member, None)?;
        conversations.sort_by_key(|c| {
            std::cmp::Reverse(
                c.last
                    .as_ref()
                    .map_or(c.conversation.created_at, |m| m.message.sent_at),
            )
        });
        Ok(conversations)
    }

    /// One conversation as the member sees it on this device.
    pub fn local_conversation(
        &self,
        member: MemberId,
        id: ConversationId,
    ) -> anyhow::Result<Option<LocalConversation>> {
        Ok(self.held_conversations(member, Some(id))?.pop())
    }

    /// The conversations held here (or only `only`), each with its unread count and latest
    /// message.
    fn held_conversations(
        &self,
        member: MemberId,
        only: Option<ConversationId>,
    ) -> anyhow::Result<Vec<LocalConversation>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, record, cursor, server_rev, last_seq, marks, muted, left
               FROM chat_conversations WHERE ?1 IS NULL OR id = ?1",
        )?;
        let rows = stmt.query_map([only.map(|id| id.to_string())], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, bool>(6)?,
                r.get::<_, bool>(7)?,
            ))
        })?;
        let mut conversations = Vec::new();
        for row in rows {
            let (id, record, cursor, server_rev, last_seq, marks, muted, left) = row?;
            let marks: Vec<ChatMark> = serde_json::from_str(&marks)?;
            let read = marks
                .iter()
                .find(|m| m.member == member)
                .map_or(0, |m| m.read);
            let unread: i64 = self.conn.query_row(
                "SELECT COUNT(*) FROM chat_messages WHERE conversation_id = ? AND seq > ?
                   AND json_extract(record, '$.author') != ? AND json_extract(record, '$.deleted_at') IS NULL",
                params![id, count(read), member.to_string()],
                |r| r.get(0),
            )?;
            let conversation: Conversation = serde_json::from_str(&record)?;
            let last = self.chat_messages(conversation.id, Some(1))?.pop();
            conversations.push(LocalConversation {
                conversation,
                cursor: cursor.max(0) as u64,
                server_rev: server_rev.max(0) as u64,
                last_seq: last_seq.max(0) as u64,
                marks,
                muted,
                unread: u32::try_from(unread).unwrap_or(u32::MAX),
                left,
                last,
            });
        }
        Ok(conversations)
    }

    /// A message shown in one of the member's conversations, stored or waiting.
    pub fn chat_message(&self, id: MessageId) -> anyhow::Result<Option<LocalMessage>> {
        let conversation: Option<String> = self
            .conn
            .query_row(
                "SELECT conversation_id FROM chat_messages WHERE id = ?1
                 UNION ALL
                 SELECT conversation_id FROM chat_outbox WHERE message_id = ?1 AND operation = 'post'
                 LIMIT 1",
                [id.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        let Some(conversation) = conversation else {
            return Ok(None);
        };
        let conversation = ConversationId(id_of(&conversation)?);
        Ok(self
            .chat_messages(conversation, None)?
            .into_iter()
            .find(|m| m.message.id == id))
    }

    /// The conversation's messages in order: those stored by number, then the member's
    /// waiting posts in the order written; edits and deletions waiting show on their message.
    /// With `latest`, only that many from the end.
    pub fn chat_messages(
        &self,
        conversation: ConversationId,
        latest: Option<usize>,
    ) -> anyhow::Result<Vec<LocalMessage>> {
        let mut shown: Vec<LocalMessage> = Vec::new();
        // The latest `n` only: the list's preview reads one message, not the conversation.
        let limit = latest.map_or(-1, |n| i64::try_from(n).unwrap_or(i64::MAX));
        let mut stmt = self.conn.prepare(
            "SELECT record FROM chat_messages WHERE conversation_id = ? ORDER BY seq DESC LIMIT ?",
        )?;
        for record in stmt.query_map(params![conversation.to_string(), limit], |r| {
            r.get::<_, String>(0)
        })? {
            shown.push(LocalMessage {
                message: serde_json::from_str(&record?)?,
                sync: ChatSync::Stored,
            });
        }
        shown.reverse();
        let mut stmt = self.conn.prepare(
            "SELECT message_id, operation, request, written_at, refused_code, refused_message
               FROM chat_outbox WHERE conversation_id = ? AND member_id = ? ORDER BY position",
        )?;
        let author = self.session()?.map(|s| s.member.id);
        let member = author.map(|a| a.to_string()).unwrap_or_default();
        let rows = stmt.query_map(params![conversation.to_string(), member], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })?;
        for row in rows {
            let (id, operation, request, written_at, code, reason) = row?;
            let id = MessageId(id_of(&id)?);
            let sync = match code {
                Some(code) => ChatSync::Refused {
                    code,
                    message: reason.unwrap_or_default(),
                },
                None => ChatSync::Waiting,
            };
            let at = Timestamp(written_at);
            match operation.as_str() {
                "post" => {
                    let post: ChatPost = serde_json::from_str(&request)?;
                    if shown.iter().any(|m| m.message.id == id) {
                        continue;
                    }
                    shown.push(LocalMessage {
                        message: Message {
                            id,
                            conversation_id: conversation,
                            seq: 0,
                            author: author.unwrap_or(MemberId(uuid::Uuid::nil())),
                            body: post.body,
                            reply_to: post.reply_to,
                            paper: post.paper,
                            sent_at: at,
                            edited_at: None,
                            deleted_at: None,
                        },
                        sync,
                    });
                }
                operation => {
                    if let Some(shown) = shown.iter_mut().find(|m| m.message.id == id) {
                        if operation == "edit" {
                            let edit: ChatEdit = serde_json::from_str(&request)?;
                            shown.message.body = edit.body;
                            shown.message.edited_at = Some(at);
                        } else {
                            shown.message.body.clear();
                            shown.message.paper = None;
                            shown.message.deleted_at = Some(at);
                        }
                        shown.sync = sync;
                    }
                }
            }
        }
        if let Some(latest) = latest {
            let skip = shown.len().saturating_sub(latest);
            shown.drain(..skip);
        }
        Ok(shown)
    }

    /// Every stored message body of the member's conversations, for search.
    pub fn chat_bodies(&self) -> anyhow::Result<Vec<Message>> {
        let mut stmt = self.conn.prepare(
            "SELECT record FROM chat_messages WHERE json_extract(record, '$.deleted_at') IS NULL
              ORDER BY json_extract(record, '$.sent_at') DESC",
        )?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let mut messages = Vec::new();
        for record in rows {
            messages.push(serde_json::from_str(&record?)?);
        }
        Ok(messages)
    }

    /// One conversation as held here.
    pub fn chat_conversation(&self, id: ConversationId) -> anyhow::Result<Option<Conversation>> {
        let record: Option<String> = self
            .conn
            .query_row(
                "SELECT record FROM chat_conversations WHERE id = ?",
                [id.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        record
            .map(|r| serde_json::from_str(&r).context("reading a conversation"))
            .transpose()
    }
}

fn upsert_conversation(tx: &Transaction<'_>, view: &ConversationView) -> anyhow::Result<()> {
    tx.execute(
        "INSERT INTO chat_conversations (id, record, server_rev, last_seq, marks, muted, listed, left, local_only)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, 0, 0)
         ON CONFLICT (id) DO UPDATE SET record = excluded.record,
             server_rev = MAX(server_rev, excluded.server_rev),
             last_seq = MAX(last_seq, excluded.last_seq),
             marks = excluded.marks,
             muted = CASE WHEN muted_owed IS NULL THEN excluded.muted ELSE muted END,
             listed = 1, left = 0, local_only = 0",
        params![
            view.conversation.id.to_string(),
            serde_json::to_string(&view.conversation)?,
            count(view.rev),
            count(view.last_seq),
            serde_json::to_string(&view.marks)?,
            view.muted
        ],
    )?;
    Ok(())
}

/// Stores the server's copy of a message unless a later revision of it is held; answers
/// whether it was new here. Its outbox post goes with it.
fn store_entry(tx: &Transaction<'_>, entry: &ChatEntry) -> anyhow::Result<bool> {
    let id = entry.message.id.to_string();
    let held: Option<i64> = tx
        .query_row("SELECT rev FROM chat_messages WHERE id = ?", [&id], |r| {
            r.get(0)
        })
        .optional()?;
    if held.is_some_and(|rev| rev >= count(entry.rev)) {
        return Ok(false);
    }
    tx.execute(
        "INSERT INTO chat_messages (id, conversation_id, seq, rev, record) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET rev = excluded.rev, record = excluded.record",
        params![
            id,
            entry.message.conversation_id.to_string(),
            count(entry.message.seq),
            count(entry.rev),
            serde_json::to_string(&entry.message)?
        ],
    )?;
    tx.execute(
        "DELETE FROM chat_outbox WHERE message_id = ? AND operation = 'post'",
        [&id],
    )?;
    Ok(held.is_none())
}
