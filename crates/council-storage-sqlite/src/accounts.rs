//! Accounts and sessions: the members table, password hashes and login sessions.

use async_trait::async_trait;
use council_storage::{
    Account, AccountChange, AccountDetails, AccountStore, Doing, NewAccount, NewSession,
    SessionHolder, StorageError, StorageResult, rows,
};
use ecabinet_domain::{CouncilId, Member, MemberId, Timestamp};
use ecabinet_protocol::SyncRecord;
use sqlx::{Sqlite, Transaction};

use crate::changes::log_change;
use crate::{SqliteCouncilStorage, Stored};

/// An account with its live sessions, then the caller's filter; binds `now` first.
macro_rules! account_details {
    ($filter:literal) => {
        concat!(
            "SELECT m.id, m.council_id, m.username, m.display_name, m.role,
        m.unit, m.disabled_at, m.must_change_password,
        (SELECT COUNT(*) FROM sessions s
          WHERE s.member_id = m.id AND s.revoked_at IS NULL AND s.expires_at > ?) AS active
   FROM members m ",
            $filter
        )
    };
}

async fn revoke_member_sessions(
    tx: &mut Transaction<'_, Sqlite>,
    member: MemberId,
    keep: Option<&str>,
    now: Timestamp,
) -> StorageResult<()> {
    sqlx::query(
        "UPDATE sessions SET revoked_at = ?
          WHERE member_id = ? AND revoked_at IS NULL AND token_hash IS NOT ?",
    )
    .bind(now.millis())
    .bind(member.to_string())
    .bind(keep)
    .execute(&mut **tx)
    .await
    .doing("ending the member's sessions")?;
    Ok(())
}

/// Writes one of a new council's first accounts (its seed), inside the seed's transaction.
pub(crate) async fn insert_seeded_account(
    tx: &mut Transaction<'_, Sqlite>,
    account: &Account,
) -> StorageResult<()> {
    let m = &account.member;
    sqlx::query(
        "INSERT INTO members (id, council_id, username, display_name, role, password_hash)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(m.id.to_string())
    .bind(m.council_id.to_string())
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
impl AccountStore for SqliteCouncilStorage {
    async fn account_by_username(&self, username: &str) -> StorageResult<Option<Account>> {
        let row = sqlx::query(
            "SELECT id, council_id, username, display_name, role, password_hash FROM members WHERE username = ?",
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
        let found = sqlx::query(
            "SELECT m.id, m.council_id, m.username, m.display_name, m.role,
                    (SELECT COUNT(*) FROM sessions s
                      WHERE s.member_id = m.id AND s.revoked_at IS NULL AND s.expires_at > ?) AS active
               FROM members m WHERE m.council_id = ? AND m.disabled_at IS NULL ORDER BY m.username",
        )
        .bind(now.millis())
        .bind(council.to_string())
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
            "WHERE m.council_id = ? ORDER BY m.username"
        ))
        .bind(now.millis())
        .bind(council.to_string())
        .fetch_all(&self.pool)
        .await
        .doing("listing accounts")?;
        found
            .iter()
            .map(|r| rows::account_details(&Stored(r)))
            .collect()
    }

    async fn account(&self, member: MemberId, now: Timestamp) -> StorageResult<AccountDetails> {
        let row = sqlx::query(account_details!("WHERE m.id = ?"))
            .bind(now.millis())
            .bind(member.to_string())
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
        let mut tx = self.pool.begin().await.doing("starting account creation")?;
        let mut head = 0;
        for account in &accounts {
            let m = &account.member;
            let taken: Option<i64> = sqlx::query_scalar("SELECT 1 FROM members WHERE username = ?")
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
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(m.id.to_string())
            .bind(council.to_string())
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
        tx.commit().await.doing("committing accounts")?;
        Ok(head)
    }

    async fn update_account(
        &self,
        member: MemberId,
        change: AccountChange,
        now: Timestamp,
    ) -> StorageResult<i64> {
        let mut tx = self.pool.begin().await.doing("starting account change")?;
        let disabled_at = change.disabled.map(|d| d.then_some(now.millis()));
        sqlx::query(
            "UPDATE members SET
                display_name = COALESCE(?, display_name),
                role = COALESCE(?, role),
                unit = COALESCE(?, unit),
                disabled_at = CASE WHEN ? THEN ? ELSE disabled_at END
              WHERE id = ?",
        )
        .bind(&change.display_name)
        .bind(change.role.map(|r| r.as_str()))
        .bind(&change.unit)
        .bind(disabled_at.is_some())
        .bind(disabled_at.flatten())
        .bind(member.to_string())
        .execute(&mut *tx)
        .await
        .doing("changing account")?;
        if change.disabled == Some(true) {
            revoke_member_sessions(&mut tx, member, None, now).await?;
        }
        let row = sqlx::query(
            "SELECT id, council_id, username, display_name, role FROM members WHERE id = ?",
        )
        .bind(member.to_string())
        .fetch_one(&mut *tx)
        .await
        .doing("reading changed account")?;
        let changed = rows::member(&Stored(&row))?;
        let head = log_change(&mut tx, changed.council_id, &SyncRecord::Member(changed)).await?;
        tx.commit().await.doing("committing account change")?;
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
            "UPDATE members SET password_hash = ?, must_change_password = ? WHERE id = ?",
        )
        .bind(&password_hash)
        .bind(must_change_password)
        .bind(member.to_string())
        .execute(&mut *tx)
        .await
        .doing("changing password")?;
        if changed.rows_affected() == 0 {
            return Err(StorageError::NotFound);
        }
        revoke_member_sessions(&mut tx, member, keep, now).await?;
        tx.commit().await.doing("committing password change")
    }

    async fn create_session(&self, s: NewSession) -> StorageResult<()> {
        sqlx::query("INSERT INTO sessions (token_hash, member_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
            .bind(&s.token_hash)
            .bind(s.member_id.to_string())
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
              WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ?
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
            "UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
        )
        .bind(now.millis())
        .bind(token_hash)
        .execute(&self.pool)
        .await
        .doing("revoking session")?;
        Ok(())
    }
}
