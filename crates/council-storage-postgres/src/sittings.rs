//! The live sittings' events, numbered per meeting.

use async_trait::async_trait;
use council_storage::{Doing, SittingStore, StorageError, StorageResult, rows};
use ecabinet_domain::MeetingId;
use ecabinet_domain::sitting::SittingEvent;
use sqlx::types::Json;
use uuid::Uuid;

use crate::{PostgresCouncilStorage, Stored, commit};

#[async_trait]
impl SittingStore for PostgresCouncilStorage {
    async fn sitting_events(
        &self,
        meeting: MeetingId,
        after: u64,
    ) -> StorageResult<Vec<SittingEvent>> {
        let found = sqlx::query(
            "SELECT record FROM sitting_events WHERE meeting_id = $1 AND seq > $2 ORDER BY seq",
        )
        .bind(meeting.as_uuid())
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
        let found = sqlx::query(
            "SELECT record FROM sitting_events WHERE meeting_id = $1 AND action_id = $2",
        )
        .bind(meeting.as_uuid())
        .bind(action_id)
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
        let meeting = meeting.as_uuid();
        // No lock: the events are not logged, and two servers recording at once both read
        // the same last number below, both insert the next one, and the primary key
        // (meeting_id, seq) refuses the second when the first commits (a unique violation,
        // which `doing` makes a Conflict); the unique (meeting_id, action_id) does the same
        // for one action sent twice at once. A number is only taken after the one before it
        // was committed, so none is ever skipped.
        let mut tx = self
            .pool
            .begin()
            .await
            .doing("starting sitting event write")?;
        let recorded: Option<i64> = sqlx::query_scalar(
            "SELECT seq FROM sitting_events WHERE meeting_id = $1 AND action_id = $2",
        )
        .bind(meeting)
        .bind(action_id)
        .fetch_optional(&mut *tx)
        .await
        .doing("finding the action's event")?;
        if let Some(seq) = recorded {
            return Err(StorageError::Conflict(format!(
                "action {action_id} is recorded already, as event {seq}"
            )));
        }
        let last: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(seq), 0) FROM sitting_events WHERE meeting_id = $1",
        )
        .bind(meeting)
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
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(meeting)
        .bind(seq)
        .bind(action_id)
        .bind(event.at.millis())
        .bind(event.actor.as_uuid())
        .bind(Json(event))
        .execute(&mut *tx)
        .await
        .doing("recording sitting event")?;
        commit(tx, "committing sitting event").await
    }
}
