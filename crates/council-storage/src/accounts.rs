//! Accounts, their sessions and the login state: what authentication and account
//! administration need.

use crate::StorageResult;
use async_trait::async_trait;
use ecabinet_domain::{CouncilId, Member, MemberId, Role, Timestamp};

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

/// Accounts and sessions. Changes to an account log its bare [`Member`]; passwords and
/// sessions are never logged.
#[async_trait]
pub trait AccountStore: Send + Sync {
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
    ///
    /// [`StorageError::Conflict`]: crate::StorageError::Conflict
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

    // --- Sessions -----------------------------------------------------------------------

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
}
