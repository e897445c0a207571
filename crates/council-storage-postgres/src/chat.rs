//! Conversations, their messages and the members' marks (see `council_storage::chat`).

use async_trait::async_trait;
use council_storage::chat::kind_name;
use council_storage::{
    ChatStore, Doing, StorageError, StorageResult, StoredConversation, StoredMark, rows,
};
use ecabinet_domain::chat::{Conversation, Message};
use ecabinet_domain::{ConversationId, CouncilId, MemberId, MessageId};
use ecabinet_protocol::{ChatEntry, ChatMarksUpdate};

use sqlx::types::Json;

use crate::{PostgresCouncilStorage, Stored, commit};

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
impl ChatStore for PostgresCouncilStorage {
    async fn conversation(&self, id: ConversationId) -> StorageResult<Option<StoredConversation>> {
        let found = sqlx::query(conversations!("WHERE id = $1"))
            .bind(id.as_uuid())
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
        let id = conversation.id.as_uuid();
        let mut tx = self
            .pool
            .begin()
            .await
            .doing("starting to store a conversation")?;
        let owner: Option<uuid::Uuid> =
            sqlx::query_scalar("SELECT council_id FROM conversations WHERE id = $1 FOR UPDATE")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await
                .doing("reading a conversation's council")?;
        if owner.is_some_and(|c| c != council.as_uuid()) {
            return Err(StorageError::Conflict(format!(
                "conversation {id} belongs to another council"
            )));
        }
        sqlx::query(
            "INSERT INTO conversations (id, council_id, kind, record, created_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (id) DO UPDATE SET record = excluded.record",
        )
        .bind(id)
        .bind(council.as_uuid())
        .bind(kind_name(conversation))
        .bind(Json(conversation))
        .bind(conversation.created_at.millis())
        .execute(&mut *tx)
        .await
        .doing("storing a conversation")?;
        sqlx::query("DELETE FROM conversation_members WHERE conversation_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .doing("replacing a conversation's members")?;
        for member in conversation.named_members() {
            sqlx::query(
                "INSERT INTO conversation_members (member_id, conversation_id) VALUES ($1, $2)",
            )
            .bind(member.as_uuid())
            .bind(id)
            .execute(&mut *tx)
            .await
            .doing("storing a conversation's member")?;
        }
        let stored = sqlx::query(conversations!("WHERE id = $1"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await
            .doing("reading a stored conversation")?;
        let stored = rows::stored_conversation(&Stored(&stored))?;
        commit(tx, "committing a conversation").await?;
        Ok(stored)
    }

    async fn member_conversations(
        &self,
        council: CouncilId,
        member: MemberId,
        secretariat: bool,
    ) -> StorageResult<Vec<StoredConversation>> {
        let found = sqlx::query(conversations!(
            "WHERE council_id = $1 AND (
                 id IN (SELECT conversation_id FROM conversation_members WHERE member_id = $2)
                 OR kind = 'announcements' OR ($3 AND kind = 'secretariat'))
             ORDER BY created_at, id"
        ))
        .bind(council.as_uuid())
        .bind(member.as_uuid())
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
        let conversation = message.conversation_id.as_uuid();
        let mut tx = self
            .pool
            .begin()
            .await
            .doing("starting to post a message")?;
        // The conversation's row locked first: the revision and number read here are the
        // ones this write takes, and a retry racing the first send waits and finds it.
        let (rev, seq): (i64, i64) = sqlx::query_as(
            "SELECT rev + 1, last_seq + 1 FROM conversations WHERE id = $1 FOR UPDATE",
        )
        .bind(conversation)
        .fetch_one(&mut *tx)
        .await
        .doing("numbering a message")?;
        if let Some(stored) = sqlx::query("SELECT rev, record FROM chat_messages WHERE id = $1")
            .bind(message.id.as_uuid())
            .fetch_optional(&mut *tx)
            .await
            .doing("looking for a message sent before")?
        {
            return Ok((rows::chat_entry(&Stored(&stored))?, false));
        }
        let entry = ChatEntry {
            rev: rev as u64,
            message: Message {
                seq: seq as u64,
                ..message.clone()
            },
        };
        sqlx::query(
            "INSERT INTO chat_messages (id, conversation_id, seq, rev, record) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(message.id.as_uuid())
        .bind(conversation)
        .bind(seq)
        .bind(rev)
        .bind(Json(&entry.message))
        .execute(&mut *tx)
        .await
        .doing("storing a message")?;
        sqlx::query("UPDATE conversations SET rev = $1, last_seq = $2 WHERE id = $3")
            .bind(rev)
            .bind(seq)
            .bind(conversation)
            .execute(&mut *tx)
            .await
            .doing("advancing a conversation")?;
        commit(tx, "committing a message").await?;
        Ok((entry, true))
    }

    async fn change_message(&self, message: &Message) -> StorageResult<ChatEntry> {
        let id = message.id.as_uuid();
        let mut tx = self
            .pool
            .begin()
            .await
            .doing("starting to change a message")?;
        let conversation: uuid::Uuid =
            sqlx::query_scalar("SELECT conversation_id FROM chat_messages WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await
                .doing("reading a message's conversation")?;
        let rev: i64 = sqlx::query_scalar(
            "UPDATE conversations SET rev = rev + 1 WHERE id = $1 RETURNING rev",
        )
        .bind(conversation)
        .fetch_one(&mut *tx)
        .await
        .doing("advancing a conversation")?;
        sqlx::query("UPDATE chat_messages SET rev = $1, record = $2 WHERE id = $3")
            .bind(rev)
            .bind(Json(message))
            .bind(id)
            .execute(&mut *tx)
            .await
            .doing("storing a changed message")?;
        commit(tx, "committing a changed message").await?;
        Ok(ChatEntry {
            rev: rev as u64,
            message: message.clone(),
        })
    }

    async fn chat_message(&self, id: MessageId) -> StorageResult<Option<ChatEntry>> {
        let found = sqlx::query("SELECT rev, record FROM chat_messages WHERE id = $1")
            .bind(id.as_uuid())
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
            "SELECT rev, record FROM chat_messages WHERE conversation_id = $1 AND rev > $2
             ORDER BY rev LIMIT $3",
        )
        .bind(conversation.as_uuid())
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
             VALUES ($1, $2, $3, $4, COALESCE($5, FALSE))
             ON CONFLICT (conversation_id, member_id) DO UPDATE SET
                 delivered = GREATEST(chat_marks.delivered, excluded.delivered),
                 read = GREATEST(chat_marks.read, excluded.read),
                 muted = COALESCE($5, chat_marks.muted)
             RETURNING member_id, delivered, read, muted",
        )
        .bind(conversation.as_uuid())
        .bind(member.as_uuid())
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
             WHERE conversation_id = $1 ORDER BY member_id",
        )
        .bind(conversation.as_uuid())
        .fetch_all(&self.pool)
        .await
        .doing("reading a conversation's marks")?;
        found.iter().map(|r| rows::chat_mark(&Stored(r))).collect()
    }
}
