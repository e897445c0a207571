//! The live sittings' records: each meeting's accepted sitting events, numbered 1, 2, 3, …
//!
//! The server decides an action against the sitting's state (`ecabinet_domain::sitting`)
//! and stores the event under the next number and the client-made id of the action that
//! asked for it. The events are the sitting's record and the way a device catches up after
//! a gap; they do not ride the council's change log, which every member pulls, since a
//! sitting's page turns and check-ins matter only to its participants and only live.

use crate::StorageResult;
use async_trait::async_trait;
use ecabinet_domain::MeetingId;
use ecabinet_domain::sitting::SittingEvent;
use uuid::Uuid;

/// Sitting events. Numbers are never reused and never skipped.
#[async_trait]
pub trait SittingStore: Send + Sync {
    /// The meeting's sitting events numbered above `after`, in order (every one from 0).
    async fn sitting_events(
        &self,
        meeting: MeetingId,
        after: u64,
    ) -> StorageResult<Vec<SittingEvent>>;

    /// The event an action with this client-made id was recorded as, if it was.
    async fn sitting_event_for_action(
        &self,
        meeting: MeetingId,
        action_id: Uuid,
    ) -> StorageResult<Option<SittingEvent>>;

    /// Stores `event` as the meeting's next one. [`StorageError::Conflict`](crate::StorageError)
    /// when its number is not the last + 1 (another server instance recorded one first) or
    /// the action id was recorded already; nothing is stored then.
    async fn append_sitting_event(
        &self,
        meeting: MeetingId,
        action_id: Uuid,
        event: &SittingEvent,
    ) -> StorageResult<()>;
}
