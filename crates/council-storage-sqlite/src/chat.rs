//! Conversations, their messages and the members' marks (see `council_storage::chat`).

use async_trait::async_trait;
use council_storage::chat::kind_name;
use council_storage::{
    ChatStore, Doing, StorageError, StorageResult, StoredConversation, StoredMark, rows,
};
use ecabinet_domain::chat::{Conversation, Message};
use ecabinet_domain::{ConversationId, CouncilId, MemberId, MessageId};
use ecabinet_protocol::{ChatEntry, ChatMarksUpdate};

use crate::{SqliteCouncilStorage, Stored};

/// A query of `conversations` reading what `rows::stored_conversation` needs.
macro_rules! conversations {
    ($rest:literal) => {
        concat!(
            "SELECT council_id, record, rev, last_seq FROM conversations ",
            $rest
        )
    };
}

fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[async_trait]
impl ChatStore for SqliteCouncilStorage {
    async fn conversation(&self, id: ConversationId) -> StorageResult<Option<StoredConversation>> {
        let found = sqlx::query(conversations!("WHERE id = ?"))
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await
            .doing("reading a conversation")?;
        found
            .as_ref()
            .map(|r| rows::stored_conversation(&Stored(r)))
            .transpose()
    }

    async fn put_conversation(
        &self,
        council: CouncilId,
        conversation: &Conversation,
    ) -> StorageResult<StoredConversation> {
        let id = conversation.id.to_string();
        let mut tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .doing("starting to store a conversation")?;
        let owner: Option<String> =
            sqlx::query_scalar("SELECT council_id FROM conversations WHERE id = ?")
                .bind(&id)
                .fetch_optional(&mut *tx)
                .await
                .doing("reading a conversation's council")?;
        if owner.is_some_and(|c| c != council.to_string()) {
            return Err(StorageError::Conflict(format!(
                "conversation {id} belongs to another council"
            )));
        }
        sqlx::query(
            "INSERT INTO conversations (id, council_id, kind, record, created_at)
             VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET record = excluded.record",
        )
        .bind(&id)
        .bind(council.to_string())
        .bind(kind_name(conversation))
        .bind(rows::encode_json(conversation, "conversation")?)
        .bind(conversation.created_at.millis())
        .execute(&mut *tx)
        .await
        .doing("storing a conversation")?;
        sqlx::query("DELETE FROM conversation_members WHERE conversation_id = ?")
            .bind(&id)
            .execute(&mut *tx)
            .await
            .doing("replacing a conversation's members")?;
        for member in conversation.named_members() {
            sqlx::query(
                "INSERT INTO conversation_members (member_id, conversation_id) VALUES (?, ?)",
            )
            .bind(member.to_string())
            .bind(&id)
            .execute(&mut *tx)
            .await
            .doing("storing a conversation's member")?;
        }
        let stored = sqlx::query(conversations!("WHERE id = ?"))
            .bind(&id)
            .fetch_one(&mut *tx)
            .await
            .doing("reading a stored conversation")?;
        let stored = rows::stored_conversation(&Stored(&stored))?;
        tx.commit().await.doing("committing a conversation")?;
        Ok(stored)
    }

    async fn member_conversations(
        &self,
        council: CouncilId,
        member: MemberId,
        secretariat: bool,
    ) -> StorageResult<Vec<StoredConversation>> {
        let found = sqlx::query(conversations!(
            "WHERE council_id = ?1 AND (
                 id IN (SELECT conversation_id FROM conversation_members WHERE member_id = ?2)
                 OR kind = 'announcements' OR (?3 AND kind = 'secretariat'))
             ORDER BY created_at, id"
        ))
        .bind(council.to_string())
        .bind(member.to_string())
        .bind(secretariat)
        .fetch_all(&self.pool)
        .await
        .doing("listing a member's conversations")?;
        found
            .iter()
            .map(|r| rows::stored_conversation(&Stored(r)))
            .collect()
    }

    async fn post_message(&self, message: &Message) -> StorageResult<(ChatEntry, bool)> {
        let conversation = message.conversation_id.to_string();
        // IMMEDIATE: the revision and number read here are the ones this write takes.
        let mut tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .doing("starting to post a message")?;
        if let Some(stored) = sqlx::query("SELECT rev, record FROM chat_messages WHERE id = ?")
            .bind(message.id.to_string())
            .fetch_optional(&mut *tx)
            .await
            .doing("looking for a message sent before")?
        {
            return Ok((rows::chat_entry(&Stored(&stored))?, false));
        }
        let (rev, seq): (i64, i64) =
            sqlx::query_as("SELECT rev + 1, last_seq + 1 FROM conversations WHERE id = ?")
                .bind(&conversation)
                .fetch_one(&mut *tx)
                .await
                .doing("numbering a message")?;
        let entry = ChatEntry {
            rev: rev as u64,
            message: Message {
                seq: seq as u64,
                ..message.clone()
            },
        };
        sqlx::query(
            "INSERT INTO chat_messages (id, conversation_id, seq, rev, record) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(message.id.to_string())
        .bind(&conversation)
        .bind(seq)
        .bind(rev)
        .bind(rows::encode_json(&entry.message, "chat message")?)
        .execute(&mut *tx)
        .await
        .doing("storing a message")?;
        sqlx::query("UPDATE conversations SET rev = ?, last_seq = ? WHERE id = ?")
            .bind(rev)
            .bind(seq)
            .bind(&conversation)
            .execute(&mut *tx)
            .await
            .doing("advancing a conversation")?;
        tx.commit().await.doing("committing a message")?;
        Ok((entry, true))
    }

    async fn change_message(&self, message: &Message) -> StorageResult<ChatEntry> {
        let id = message.id.to_string();
        let mut tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .doing("starting to change a message")?;
        let conversation: String =
            sqlx::query_scalar("SELECT conversation_id FROM chat_messages WHERE id = ?")
                .bind(&id)
                .fetch_one(&mut *tx)
                .await
                .doing("reading a message's conversation")?;
        let rev: i64 =
            sqlx::query_scalar("UPDATE conversations SET rev = rev + 1 WHERE id = ? RETURNING rev")
                .bind(&conversation)
                .fetch_one(&mut *tx)
                .await
                .doing("advancing a conversation")?;
        sqlx::query("UPDATE chat_messages SET rev = ?, record = ? WHERE id = ?")
            .bind(rev)
            .bind(rows::encode_json(message, "chat message")?)
            .bind(&id)
            .execute(&mut *tx)
            .await
            .doing("storing a changed message")?;
        tx.commit().await.doing("committing a changed message")?;
        Ok(ChatEntry {
            rev: rev as u64,
            message: message.clone(),
        })
    }

    async fn chat_message(&self, id: MessageId) -> StorageResult<Option<ChatEntry>> {
        let found = sqlx::query("SELECT rev, record FROM chat_messages WHERE id = ?")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await
            .doing("reading a message")?;
        found
            .as_ref()
            .map(|r| rows::chat_entry(&Stored(r)))
            .transpose()
    }

    async fn messages_after(
        &self,
        conversation: ConversationId,
        after: u64,
        limit: u32,
    ) -> StorageResult<Vec<ChatEntry>> {
        let found = sqlx::query(
            "SELECT rev, record FROM chat_messages WHERE conversation_id = ? AND rev > ?
             ORDER BY rev LIMIT ?",
        )
        .bind(conversation.to_string())
        .bind(count(after))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .doing("reading a conversation's messages")?;
        found.iter().map(|r| rows::chat_entry(&Stored(r))).collect()
    }

    async fn put_chat_mark(
        &self,
        conversation: ConversationId,
        member: MemberId,
        update: ChatMarksUpdate,
    ) -> StorageResult<StoredMark> {
        let read = count(update.read.unwrap_or(0));
        let delivered = count(update.delivered.unwrap_or(0)).max(read);
        let stored = sqlx::query(
            "INSERT INTO chat_marks (conversation_id, member_id, delivered, read, muted)
             VALUES (?1, ?2, ?3, ?4, COALESCE(?5, 0))
             ON CONFLICT (conversation_id, member_id) DO UPDATE SET
                 delivered = MAX(delivered, excluded.delivered),
                 read = MAX(read, excluded.read),
                 muted = COALESCE(?5, muted)
             RETURNING member_id, delivered, read, muted",
        )
        .bind(conversation.to_string())
        .bind(member.to_string())
        .bind(delivered)
        .bind(read)
        .bind(update.muted)
        .fetch_one(&self.pool)
        .await
        .doing("storing a member's marks")?;
        rows::chat_mark(&Stored(&stored))
    }

    async fn chat_marks(&self, conversation: ConversationId) -> StorageResult<Vec<StoredMark>> {
        let found = sqlx::query(
            "SELECT member_id, delivered, read, muted FROM chat_marks
             WHERE conversation_id = ? ORDER BY member_id",
        )
        .bind(conversation.to_string())
        .fetch_all(&self.pool)
        .await
        .doing("reading a conversation's marks")?;
        found.iter().map(|r| rows::chat_mark(&Stored(r))).collect()
    }
}
