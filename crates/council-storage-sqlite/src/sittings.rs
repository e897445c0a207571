//! The live sittings' events, numbered per meeting.

use async_trait::async_trait;
use council_storage::{Doing, SittingStore, StorageError, StorageResult, rows};
use ecabinet_domain::MeetingId;
use ecabinet_domain::sitting::SittingEvent;
use uuid::Uuid;

use crate::{SqliteCouncilStorage, Stored};

#[async_trait]
impl SittingStore for SqliteCouncilStorage {
    async fn sitting_events(
        &self,
        meeting: MeetingId,
        after: u64,
    ) -> StorageResult<Vec<SittingEvent>> {
        let found = sqlx::query(
            "SELECT record FROM sitting_events WHERE meeting_id = ? AND seq > ? ORDER BY seq",
        )
        .bind(meeting.to_string())
        .bind(i64::try_from(after).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await
        .doing("reading sitting events")?;
        found
            .iter()
            .map(|r| rows::sitting_event(&Stored(r)))
            .collect()
    }

    async fn sitting_event_for_action(
        &self,
        meeting: MeetingId,
        action_id: Uuid,
    ) -> StorageResult<Option<SittingEvent>> {
        let found =
            sqlx::query("SELECT record FROM sitting_events WHERE meeting_id = ? AND action_id = ?")
                .bind(meeting.to_string())
                .bind(action_id.to_string())
                .fetch_optional(&self.pool)
                .await
                .doing("reading a sitting action's event")?;
        found
            .as_ref()
            .map(|r| rows::sitting_event(&Stored(r)))
            .transpose()
    }

    async fn append_sitting_event(
        &self,
        meeting: MeetingId,
        action_id: Uuid,
        event: &SittingEvent,
    ) -> StorageResult<()> {
        let doing = "recording sitting event";
        let (meeting, action) = (meeting.to_string(), action_id.to_string());
        // IMMEDIATE: the last number read here is the one this event follows.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await.doing(doing)?;
        let recorded: Option<i64> = sqlx::query_scalar(
            "SELECT seq FROM sitting_events WHERE meeting_id = ? AND action_id = ?",
        )
        .bind(&meeting)
        .bind(&action)
        .fetch_optional(&mut *tx)
        .await
        .doing("finding the action's event")?;
        if let Some(seq) = recorded {
            return Err(StorageError::Conflict(format!(
                "action {action_id} is recorded already, as event {seq}"
            )));
        }
        let last: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(seq), 0) FROM sitting_events WHERE meeting_id = ?",
        )
        .bind(&meeting)
        .fetch_one(&mut *tx)
        .await
        .doing("reading the last sitting event's number")?;
        let seq = last + 1;
        if i64::try_from(event.seq) != Ok(seq) {
            return Err(StorageError::Conflict(format!(
                "event {last} is the latest; cannot record {}",
                event.seq
            )));
        }
        sqlx::query(
            "INSERT INTO sitting_events (meeting_id, seq, action_id, at, actor_id, record)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(&meeting)
        .bind(seq)
        .bind(&action)
        .bind(event.at.millis())
        .bind(event.actor.to_string())
        .bind(rows::encode_json(event, "sitting event")?)
        .execute(&mut *tx)
        .await
        .doing(doing)?;
        tx.commit().await.doing(doing)
    }
}
