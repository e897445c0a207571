//! Accounts and sessions: the members table, password hashes and login sessions.

use async_trait::async_trait;
use council_storage::{
    Account, AccountChange, AccountDetails, AccountStore, Doing, NewAccount, NewSession,
    SessionHolder, StorageError, StorageResult, rows,
};
use ecabinet_domain::{CouncilId, Member, MemberId, Timestamp};
use ecabinet_protocol::SyncRecord;
use sqlx::{Postgres, Transaction};
use uuid::Uuid;

use crate::changes::log_change;
use crate::{PostgresCouncilStorage, Stored, begin_logged, commit};

/// An account with its live sessions, then the caller's filter; binds `now` as `$1`.
macro_rules! account_details {
    ($filter:literal) => {
        concat!(
            "SELECT m.id, m.council_id, m.username, m.display_name, m.role,
        m.unit, m.disabled_at, m.must_change_password,
        (SELECT COUNT(*) FROM sessions s
          WHERE s.member_id = m.id AND s.revoked_at IS NULL AND s.expires_at > $1) AS active
   FROM members m ",
            $filter
        )
    };
}

async fn revoke_member_sessions(
    tx: &mut Transaction<'_, Postgres>,
    member: MemberId,
    keep: Option<&str>,
    now: Timestamp,
) -> StorageResult<()> {
    sqlx::query(
        "UPDATE sessions SET revoked_at = $1
          WHERE member_id = $2 AND revoked_at IS NULL AND token_hash IS DISTINCT FROM $3",
    )
    .bind(now.millis())
    .bind(member.as_uuid())
    .bind(keep)
    .execute(&mut **tx)
    .await
    .doing("ending the member's sessions")?;
    Ok(())
}

/// Writes one of a new council's first accounts (its seed), inside the seed's transaction.
pub(crate) async fn insert_seeded_account(
    tx: &mut Transaction<'_, Postgres>,
    account: &Account,
) -> StorageResult<()> {
    let m = &account.member;
    sqlx::query(
        "INSERT INTO members (id, council_id, username, display_name, role, password_hash)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(m.id.as_uuid())
    .bind(m.council_id.as_uuid())
    .bind(&m.username)
    .bind(&m.display_name)
    .bind(m.role.as_str())
    .bind(&account.password_hash)
    .execute(&mut **tx)
    .await
    .doing("writing member")?;
    Ok(())
}

#[async_trait]
impl AccountStore for PostgresCouncilStorage {
    async fn account_by_username(&self, username: &str) -> StorageResult<Option<Account>> {
        let row = sqlx::query(
            "SELECT id, council_id, username, display_name, role, password_hash
               FROM members WHERE username = $1",
        )
        .bind(username)
        .fetch_optional(&self.pool)
        .await
        .doing("looking up account")?;
        row.map(|r| rows::account(&Stored(&r))).transpose()
    }

    async fn accounts(
        &self,
        council: CouncilId,
        now: Timestamp,
    ) -> StorageResult<Vec<(Member, u32)>> {
        // COLLATE "C" sorts by bytes, as SQLite's default BINARY collation does, whatever
        // locale the database was created with.
        let found = sqlx::query(
            r#"SELECT m.id, m.council_id, m.username, m.display_name, m.role,
                    (SELECT COUNT(*) FROM sessions s
                      WHERE s.member_id = m.id AND s.revoked_at IS NULL AND s.expires_at > $1) AS active
               FROM members m WHERE m.council_id = $2 AND m.disabled_at IS NULL
              ORDER BY m.username COLLATE "C""#,
        )
        .bind(now.millis())
        .bind(council.as_uuid())
        .fetch_all(&self.pool)
        .await
        .doing("listing accounts")?;
        found
            .iter()
            .map(|r| rows::member_with_sessions(&Stored(r)))
            .collect()
    }

    async fn account_details(
        &self,
        council: CouncilId,
        now: Timestamp,
    ) -> StorageResult<Vec<AccountDetails>> {
        let found = sqlx::query(account_details!(
            r#"WHERE m.council_id = $2 ORDER BY m.username COLLATE "C""#
        ))
        .bind(now.millis())
        .bind(council.as_uuid())
        .fetch_all(&self.pool)
        .await
        .doing("listing accounts")?;
        found
            .iter()
            .map(|r| rows::account_details(&Stored(r)))
            .collect()
    }

    async fn account(&self, member: MemberId, now: Timestamp) -> StorageResult<AccountDetails> {
        let row = sqlx::query(account_details!("WHERE m.id = $2"))
            .bind(now.millis())
            .bind(member.as_uuid())
            .fetch_one(&self.pool)
            .await
            .doing("reading account")?;
        rows::account_details(&Stored(&row))
    }

    async fn create_accounts(
        &self,
        council: CouncilId,
        accounts: Vec<NewAccount>,
    ) -> StorageResult<i64> {
        let mut tx = begin_logged(&self.pool, council, "starting account creation").await?;
        let mut head = 0;
        for account in &accounts {
            let m = &account.member;
            let taken: Option<i32> =
                sqlx::query_scalar("SELECT 1 FROM members WHERE username = $1")
                    .bind(&m.username)
                    .fetch_optional(&mut *tx)
                    .await
                    .doing("checking a user name")?;
            if taken.is_some() {
                return Err(StorageError::Conflict(format!(
                    "the user name {} is taken",
                    m.username
                )));
            }
            sqlx::query(
                "INSERT INTO members (id, council_id, username, display_name, role, password_hash, unit, must_change_password)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(m.id.as_uuid())
            .bind(council.as_uuid())
            .bind(&m.username)
            .bind(&m.display_name)
            .bind(m.role.as_str())
            .bind(&account.password_hash)
            .bind(&account.unit)
            .bind(account.must_change_password)
            .execute(&mut *tx)
            .await
            .doing("writing member")?;
            head = log_change(&mut tx, council, &SyncRecord::Member(m.clone())).await?;
        }
        commit(tx, "committing accounts").await?;
        Ok(head)
    }

    async fn update_account(
        &self,
        member: MemberId,
        change: AccountChange,
        now: Timestamp,
    ) -> StorageResult<i64> {
        // The council is needed for the log lock before anything is written.
        let council: Uuid = sqlx::query_scalar("SELECT council_id FROM members WHERE id = $1")
            .bind(member.as_uuid())
            .fetch_one(&self.pool)
            .await
            .doing("finding the account's council")?;
        let mut tx =
            begin_logged(&self.pool, CouncilId(council), "starting account change").await?;
        let disabled_at = change.disabled.map(|d| d.then_some(now.millis()));
        sqlx::query(
            "UPDATE members SET
                display_name = COALESCE($1, display_name),
                role = COALESCE($2, role),
                unit = COALESCE($3, unit),
                disabled_at = CASE WHEN $4 THEN $5 ELSE disabled_at END
              WHERE id = $6",
        )
        .bind(&change.display_name)
        .bind(change.role.map(|r| r.as_str()))
        .bind(&change.unit)
        .bind(disabled_at.is_some())
        .bind(disabled_at.flatten())
        .bind(member.as_uuid())
        .execute(&mut *tx)
        .await
        .doing("changing account")?;
        if change.disabled == Some(true) {
            revoke_member_sessions(&mut tx, member, None, now).await?;
        }
        let row = sqlx::query(
            "SELECT id, council_id, username, display_name, role FROM members WHERE id = $1",
        )
        .bind(member.as_uuid())
        .fetch_one(&mut *tx)
        .await
        .doing("reading changed account")?;
        let changed = rows::member(&Stored(&row))?;
        let head = log_change(&mut tx, changed.council_id, &SyncRecord::Member(changed)).await?;
        commit(tx, "committing account change").await?;
        Ok(head)
    }

    async fn set_password(
        &self,
        member: MemberId,
        password_hash: String,
        must_change_password: bool,
        keep: Option<&str>,
        now: Timestamp,
    ) -> StorageResult<()> {
        let mut tx = self.pool.begin().await.doing("starting password change")?;
        let changed = sqlx::query(
            "UPDATE members SET password_hash = $1, must_change_password = $2 WHERE id = $3",
        )
        .bind(&password_hash)
        .bind(must_change_password)
        .bind(member.as_uuid())
        .execute(&mut *tx)
        .await
        .doing("changing password")?;
        if changed.rows_affected() == 0 {
            return Err(StorageError::NotFound);
        }
        revoke_member_sessions(&mut tx, member, keep, now).await?;
        commit(tx, "committing password change").await
    }

    async fn create_session(&self, s: NewSession) -> StorageResult<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, member_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(&s.token_hash)
        .bind(s.member_id.as_uuid())
        .bind(s.created_at.millis())
        .bind(s.expires_at.millis())
        .execute(&self.pool)
        .await
        .doing("creating session")?;
        Ok(())
    }

    async fn session_member(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> StorageResult<Option<SessionHolder>> {
        let row = sqlx::query(
            "SELECT m.id, m.council_id, m.username, m.display_name, m.role, m.must_change_password
               FROM sessions s JOIN members m ON m.id = s.member_id
              WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2
                AND m.disabled_at IS NULL",
        )
        .bind(token_hash)
        .bind(now.millis())
        .fetch_optional(&self.pool)
        .await
        .doing("checking session")?;
        row.map(|r| rows::session_holder(&Stored(&r))).transpose()
    }

    async fn revoke_session(&self, token_hash: &str, now: Timestamp) -> StorageResult<()> {
        sqlx::query(
            "UPDATE sessions SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL",
        )
        .bind(now.millis())
        .bind(token_hash)
        .execute(&self.pool)
        .await
        .doing("revoking session")?;
        Ok(())
    }
}
