//! Councils, their meetings, each meeting's programme (agenda items) and participants.

use crate::{Account, StorageResult};
use async_trait::async_trait;
use ecabinet_domain::{
    AgendaItem, AgendaItemId, Council, CouncilId, Meeting, MeetingId, Participant,
};

/// Everything a fresh council starts with; written in one transaction.
#[derive(Debug, Clone)]
pub struct CouncilSeed {
    pub council: Council,
    pub accounts: Vec<Account>,
    pub meetings: Vec<Meeting>,
    pub agenda_items: Vec<AgendaItem>,
}

/// Councils, meetings, programmes and participants. Every write logs its record and
/// returns the new log head.
#[async_trait]
pub trait MeetingStore: Send + Sync {
    /// True when no council exists yet (a brand-new data dir).
    async fn is_empty(&self) -> StorageResult<bool>;

    /// Creates a council with its accounts and its first meetings, logging each record.
    async fn seed_council(&self, seed: CouncilSeed) -> StorageResult<()>;

    async fn council(&self, id: CouncilId) -> StorageResult<Council>;

    async fn meeting(&self, id: MeetingId) -> StorageResult<Meeting>;

    /// Every meeting of a council, in no particular order.
    async fn meetings(&self, council: CouncilId) -> StorageResult<Vec<Meeting>>;

    /// Every item of a meeting's programme, in no particular order.
    async fn agenda_items(&self, meeting: MeetingId) -> StorageResult<Vec<AgendaItem>>;

    async fn agenda_item(&self, id: AgendaItemId) -> StorageResult<AgendaItem>;

    /// Inserts or replaces a meeting and logs it; returns the new log head.
    async fn put_meeting(&self, meeting: Meeting) -> StorageResult<i64>;

    /// Inserts or replaces an agenda item and logs it; returns the new log head.
    async fn put_agenda_item(&self, council: CouncilId, item: AgendaItem) -> StorageResult<i64>;

    async fn participants(&self, meeting: MeetingId) -> StorageResult<Vec<Participant>>;

    /// Replaces a meeting's participants and logs them; returns the new log head.
    async fn put_participants(
        &self,
        council: CouncilId,
        meeting: MeetingId,
        participants: Vec<Participant>,
    ) -> StorageResult<i64>;
}
