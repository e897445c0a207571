//! What the council server needs from a database, as one async trait.
//!
//! The router, auth and live fan-out are written once against [`CouncilStorage`];
//! each backend (embedded SQLite today, PostgreSQL for large councils) implements it
//! in its own crate with its own migrations, and must pass the same test suite.
//! The trait speaks domain and protocol types only: no SQL, no backend errors leak out.

#[cfg(feature = "conformance")]
pub mod conformance;

use async_trait::async_trait;
use ecabinet_domain::{
    AgendaItem, AgendaItemId, BlobHash, Council, CouncilId, Meeting, MeetingId, Member, MemberId,
    PacketVersion, Paper, PaperId, Participant, Role, Timestamp,
};
use ecabinet_protocol::{BlobInfo, Change};

/// A member account with its stored password hash (argon2id PHC string).
#[derive(Debug, Clone)]
pub struct Account {
    pub member: Member,
    pub password_hash: String,
}

/// An account as its administrator manages it. The change log carries only the
/// [`Member`]: the unit, the state and the password never reach other clients.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountDetails {
    pub member: Member,
    pub unit: String,
    pub disabled: bool,
    /// An administrator set the password and the member has not changed it yet.
    pub must_change_password: bool,
    /// Sessions neither revoked nor expired.
    pub active_sessions: u32,
}

/// A member an administrator adds, with the hash of the first password.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub member: Member,
    pub unit: String,
    pub password_hash: String,
    pub must_change_password: bool,
}

/// What an administrator changes on an account; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct AccountChange {
    pub display_name: Option<String>,
    pub role: Option<Role>,
    pub unit: Option<String>,
    /// `Some(true)` disables the account and revokes all its sessions in the same
    /// transaction; `Some(false)` enables it again.
    pub disabled: Option<bool>,
}

/// The member behind a live session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionHolder {
    pub member: Member,
    /// The member must choose a new password before doing anything else.
    pub must_change_password: bool,
}

/// A login session: the server stores only the hash of the bearer token, so a copy of the
/// database does not let anyone in.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token_hash: String,
    pub member_id: MemberId,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// Everything a fresh council starts with; written in one transaction.
#[derive(Debug, Clone)]
pub struct CouncilSeed {
    pub council: Council,
    pub accounts: Vec<Account>,
    pub meetings: Vec<Meeting>,
    pub agenda_items: Vec<AgendaItem>,
}

/// Everything a packet publish writes, in one transaction.
#[derive(Debug, Clone)]
pub struct NewPacketVersion {
    pub council: CouncilId,
    pub version: PacketVersion,
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("not found")]
    NotFound,
    #[error("conflicts with existing data: {0}")]
    Conflict(String),
    /// Anything the backend could not do; the cause chain is for the log only.
    #[error(transparent)]
    Backend(#[from] anyhow::Error),
}

pub type StorageResult<T> = Result<T, StorageError>;

/// The council server's persistence.
///
/// Every write that a client must learn about appends to the council's change log in the
/// same transaction as the write itself, so the log and the data never disagree.
#[async_trait]
pub trait CouncilStorage: Send + Sync + 'static {
    /// True when no council exists yet (a brand-new data dir).
    async fn is_empty(&self) -> StorageResult<bool>;

    /// Creates a council with its accounts and its first meetings, logging each record.
    async fn seed_council(&self, seed: CouncilSeed) -> StorageResult<()>;

    async fn council(&self, id: CouncilId) -> StorageResult<Council>;

    async fn account_by_username(&self, username: &str) -> StorageResult<Option<Account>>;

    /// The council's enabled accounts (sorted by user name) with their live sessions.
    async fn accounts(
        &self,
        council: CouncilId,
        now: Timestamp,
    ) -> StorageResult<Vec<(Member, u32)>>;

    // --- Account administration ---------------------------------------------------------

    /// Every account of the council, disabled ones included, sorted by user name.
    async fn account_details(
        &self,
        council: CouncilId,
        now: Timestamp,
    ) -> StorageResult<Vec<AccountDetails>>;

    /// One account, whatever its council (the caller checks that).
    async fn account(&self, member: MemberId, now: Timestamp) -> StorageResult<AccountDetails>;

    /// Creates accounts in the council and logs each member, all in one transaction: a user
    /// name that exists fails the whole batch with [`StorageError::Conflict`], nothing
    /// written. Returns the new log head.
    async fn create_accounts(
        &self,
        council: CouncilId,
        accounts: Vec<NewAccount>,
    ) -> StorageResult<i64>;

    /// Changes an account and logs its member; disabling it revokes every session of it in
    /// the same transaction. Returns the new log head.
    async fn update_account(
        &self,
        member: MemberId,
        change: AccountChange,
        now: Timestamp,
    ) -> StorageResult<i64>;

    /// Replaces a password (and whether it must be changed at the next login), and revokes
    /// every session of the member but `keep` (the session that changed its own password).
    /// Nothing is logged: passwords never reach the change log.
    async fn set_password(
        &self,
        member: MemberId,
        password_hash: String,
        must_change_password: bool,
        keep: Option<&str>,
        now: Timestamp,
    ) -> StorageResult<()>;

    async fn create_session(&self, session: NewSession) -> StorageResult<()>;

    /// The member a token hash belongs to, if the session exists, is not revoked, has not
    /// expired at `now` and its account is not disabled.
    async fn session_member(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> StorageResult<Option<SessionHolder>>;

    /// Revokes one session; later requests with its token are refused.
    async fn revoke_session(&self, token_hash: &str, now: Timestamp) -> StorageResult<()>;

    /// Up to `limit` changes of a council with `seq > after`, in order.
    async fn changes_since(
        &self,
        council: CouncilId,
        after: i64,
        limit: u32,
    ) -> StorageResult<Vec<Change>>;

    /// The council's last `seq` (0 for an empty log).
    async fn log_head(&self, council: CouncilId) -> StorageResult<i64>;

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

    // --- Papers and packets -------------------------------------------------------------

    /// What the server knows of a stored blob, if any council uploaded one with this hash.
    /// For the server's own use (bytes it holds need not be checked again); never an
    /// answer to a council that does not own the blob.
    async fn blob(&self, hash: &BlobHash) -> StorageResult<Option<BlobInfo>>;

    /// The blob, if `council` uploaded it: to every other council it does not exist.
    async fn council_blob(
        &self,
        council: CouncilId,
        hash: &BlobHash,
    ) -> StorageResult<Option<BlobInfo>>;

    /// Records a blob the blob store now holds, and that `council` uploaded it, in one
    /// transaction (idempotent; a blob already held keeps its recorded size and pages).
    async fn put_blob(&self, council: CouncilId, blob: BlobInfo) -> StorageResult<()>;

    async fn paper(&self, id: PaperId) -> StorageResult<Paper>;

    /// Every paper of a meeting, withdrawn ones included, in no particular order.
    async fn papers(&self, meeting: MeetingId) -> StorageResult<Vec<Paper>>;

    /// The paper a watched folder imported from `source`, if any.
    async fn paper_by_source(
        &self,
        meeting: MeetingId,
        source: &str,
    ) -> StorageResult<Option<Paper>>;

    /// Inserts or replaces a paper and logs it; returns the new log head.
    async fn put_paper(&self, council: CouncilId, paper: Paper) -> StorageResult<i64>;

    /// Whether any paper of the council (in preparation) uses this blob.
    async fn council_uses_blob(&self, council: CouncilId, hash: &BlobHash) -> StorageResult<bool>;

    async fn participants(&self, meeting: MeetingId) -> StorageResult<Vec<Participant>>;

    /// Replaces a meeting's participants and logs them; returns the new log head.
    async fn put_participants(
        &self,
        council: CouncilId,
        meeting: MeetingId,
        participants: Vec<Participant>,
    ) -> StorageResult<i64>;

    /// The newest published packet version of a meeting.
    async fn latest_packet(&self, meeting: MeetingId) -> StorageResult<Option<PacketVersion>>;

    /// Stores and logs a packet version; returns the new log head. Fails with
    /// [`StorageError::Conflict`] unless its number is exactly the meeting's last + 1, checked
    /// in the same transaction as the insert: of two concurrent publishes, one wins whole.
    async fn publish_packet(&self, packet: NewPacketVersion) -> StorageResult<i64>;

    /// Every published version (of the council's meetings) that lists this blob, for deciding
    /// who may download it.
    async fn packets_with_blob(
        &self,
        council: CouncilId,
        hash: &BlobHash,
    ) -> StorageResult<Vec<PacketVersion>>;
}
