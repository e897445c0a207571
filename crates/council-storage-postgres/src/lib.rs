//! The council server's storage on PostgreSQL, for councils too large for one SQLite file
//! or run by an IT department that already operates PostgreSQL.
//!
//! Implements [`council_storage::CouncilStorage`] with sqlx and the same semantics as the SQLite backend
//! (the same test suites run on both); migrations live in `migrations/` beside this crate
//! and are applied at connect, under sqlx's advisory lock, so two servers starting at once
//! do not race. What differs from SQLite is concurrency: PostgreSQL runs writers in
//! parallel, so the change log's order is kept by a per-council lock, see [`begin_logged`].

use anyhow::Context;
use async_trait::async_trait;
use council_storage::{
    Account, AccountChange, AccountDetails, AccountStore, ChangeLog, CouncilSeed, MeetingStore,
    NewAccount, NewPacketVersion, NewSession, PacketStore, SessionHolder, StorageError,
    StorageResult,
};
use ecabinet_domain::{
    AgendaItem, AgendaItemId, BlobHash, Council, CouncilId, Meeting, MeetingId, MeetingStatus,
    Member, MemberId, PacketVersion, Paper, PaperId, Participant, Role, Timestamp,
};
use ecabinet_protocol::{BlobInfo, Change, MeetingParticipants, SyncRecord};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::types::Json;
use sqlx::{Connection, PgConnection, PgPool, Postgres, Row, Transaction};
use std::str::FromStr;
use std::time::Duration;
use uuid::Uuid;

/// Connections the server keeps at most.
///
/// Clients hold WebSockets, not database connections: a connection is busy only for the
/// milliseconds of one query, so a hundred delegates pulling at once queue briefly for a
/// few connections rather than each needing one, and PostgreSQL does best with about as
/// many active connections as it has cores times a small factor. 32 leaves most of
/// PostgreSQL's default `max_connections` (100) for a second server and maintenance.
pub const MAX_CONNECTIONS: u32 = 32;

/// The council database in PostgreSQL.
#[derive(Clone)]
pub struct PostgresCouncilStorage {
    pool: PgPool,
}

impl PostgresCouncilStorage {
    /// Connects to `url` (`postgres://user:password@host:port/database`) and brings the
    /// schema up to date. Errors name the database, never the password.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let options = parse_url(url)?.application_name("council-server");
        let described = describe(&options);
        // Migrations on a connection of their own, opened directly: the pool would retry
        // until its timeout and then say only that it timed out, where this says why the
        // database cannot be reached (refused, bad password, no such database).
        let mut conn = PgConnection::connect_with(&options)
            .await
            .with_context(|| format!("connecting to {described}"))?;
        sqlx::migrate!("./migrations")
            .run(&mut conn)
            .await
            .with_context(|| format!("applying council database migrations to {described}"))?;
        let _ = conn.close().await;
        // Lazy: the connections open as requests need them.
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            // A request waits at most this long for a connection, then fails with a logged
            // error instead of hanging while the database is unreachable.
            .acquire_timeout(Duration::from_secs(10))
            .idle_timeout(Some(Duration::from_secs(10 * 60)))
            .connect_lazy_with(options);
        Ok(Self { pool })
    }
}

/// Says which database a URL names, for logs: user, host, port and database, without the
/// password.
pub fn describe_url(url: &str) -> anyhow::Result<String> {
    Ok(describe(&parse_url(url)?))
}

fn parse_url(url: &str) -> anyhow::Result<PgConnectOptions> {
    // sqlx would take any scheme, and a mysql:// URL would then fail far less clearly.
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        anyhow::bail!("the database URL must start with postgres:// or postgresql://");
    }
    // Not the parse error itself: it could quote the URL, password and all.
    PgConnectOptions::from_str(url).map_err(|_| {
        anyhow::anyhow!(
            "the database URL is not a valid postgres://user:password@host:port/database URL"
        )
    })
}

fn describe(options: &PgConnectOptions) -> String {
    format!(
        "PostgreSQL database {:?} on {}:{} as {:?}",
        options.get_database().unwrap_or(options.get_username()),
        options.get_host(),
        options.get_port(),
        options.get_username(),
    )
}

fn backend(e: sqlx::Error, doing: &'static str) -> StorageError {
    match e {
        sqlx::Error::RowNotFound => StorageError::NotFound,
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            StorageError::Conflict(db.message().to_owned())
        }
        other => StorageError::Backend(anyhow::Error::new(other).context(doing)),
    }
}

/// A column, or a backend error saying which column could not be read.
fn col<'r, T>(row: &'r PgRow, name: &'static str) -> StorageResult<T>
where
    T: sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>,
{
    row.try_get(name)
        .with_context(|| format!("reading column {name}"))
        .map_err(StorageError::Backend)
}

fn member_from(row: &PgRow) -> StorageResult<Member> {
    let role: String = col(row, "role")?;
    Ok(Member {
        id: MemberId(col(row, "id")?),
        council_id: CouncilId(col(row, "council_id")?),
        username: col(row, "username")?,
        display_name: col(row, "display_name")?,
        role: Role::parse(&role)
            .with_context(|| format!("unknown role {role:?}"))
            .map_err(StorageError::Backend)?,
    })
}

fn status_str(status: MeetingStatus) -> &'static str {
    match status {
        MeetingStatus::Draft => "draft",
        MeetingStatus::Scheduled => "scheduled",
        MeetingStatus::InProgress => "in_progress",
        MeetingStatus::Closed => "closed",
        MeetingStatus::Archived => "archived",
    }
}

fn meeting_from(row: &PgRow) -> StorageResult<Meeting> {
    let status: String = col(row, "status")?;
    let status = serde_json::from_value(serde_json::Value::String(status.clone()))
        .with_context(|| format!("unknown meeting status {status:?}"))
        .map_err(StorageError::Backend)?;
    Ok(Meeting {
        id: MeetingId(col(row, "id")?),
        council_id: CouncilId(col(row, "council_id")?),
        title: col(row, "title")?,
        starts_at: Timestamp(col(row, "starts_at")?),
        location: col(row, "location")?,
        status,
    })
}

fn agenda_item_from(row: &PgRow) -> StorageResult<AgendaItem> {
    let parent: Option<Uuid> = col(row, "parent_id")?;
    let Json(paper_titles): Json<Vec<String>> = col(row, "paper_titles")?;
    Ok(AgendaItem {
        id: AgendaItemId(col(row, "id")?),
        meeting_id: MeetingId(col(row, "meeting_id")?),
        parent_id: parent.map(AgendaItemId),
        position: col(row, "position")?,
        title: col(row, "title")?,
        presenter: col(row, "presenter")?,
        planned_minutes: col(row, "planned_minutes")?,
        paper_titles,
    })
}

/// Starts a transaction that may append to `council`'s change log, holding that council's
/// log lock until it commits or rolls back.
///
/// Clients pull `seq > cursor` and then move their cursor to the last seq they saw, so the
/// log must only ever become visible in seq order. PostgreSQL takes a seq from the sequence
/// when the row is inserted, but transactions commit in whatever order they finish: without
/// this lock, writer A could take seq 7 and writer B seq 8, B commit first, and a client
/// pulling at that moment would see 8, move its cursor past 7, and never receive 7.
/// With it, each council's appends happen one transaction at a time, seq taken after the
/// lock and the lock released only once the commit is visible, so whatever a reader has not
/// seen yet has a greater seq than everything it has. (SQLite gets this for free: it has one
/// writer at a time.)
///
/// The lock is a transaction-level advisory lock keyed by the council, not
/// `SELECT ... FOR UPDATE` on the council's row: it also covers `seed_council`, whose row
/// does not exist yet, and it does not block the foreign-key checks that other writes make
/// on `councils`. Different councils never wait for each other (unless two ids fold to the
/// same 32-bit key, which only makes them take turns). Every logged transaction takes
/// exactly one such lock, first, so they cannot deadlock.
async fn begin_logged(
    pool: &PgPool,
    council: CouncilId,
    doing: &'static str,
) -> StorageResult<Transaction<'static, Postgres>> {
    let mut tx = pool.begin().await.map_err(|e| backend(e, doing))?;
    let (class, key) = log_lock_key(council);
    sqlx::query("SELECT pg_advisory_xact_lock($1, $2)")
        .bind(class)
        .bind(key)
        .execute(&mut *tx)
        .await
        .map_err(|e| backend(e, "taking the council's change log lock"))?;
    Ok(tx)
}

/// The advisory lock of a council's change log: a fixed first key that marks eCabinet's log
/// locks (the two-key form is a separate space from sqlx's one-key migration lock), and the
/// council's UUID folded to 32 bits.
fn log_lock_key(council: CouncilId) -> (i32, i32) {
    const CHANGE_LOG: i32 = 0x6543_4c67; // "eCLg"
    let (hi, lo) = council.as_uuid().as_u64_pair();
    let folded = hi ^ lo;
    (CHANGE_LOG, ((folded >> 32) ^ folded) as u32 as i32)
}

/// Appends a record to the council's change log inside a transaction from [`begin_logged`].
async fn log_change(
    tx: &mut Transaction<'_, Postgres>,
    council: CouncilId,
    record: &SyncRecord,
) -> StorageResult<i64> {
    sqlx::query_scalar("INSERT INTO change_log (council_id, record) VALUES ($1, $2) RETURNING seq")
        .bind(council.as_uuid())
        .bind(Json(record))
        .fetch_one(&mut **tx)
        .await
        .map_err(|e| backend(e, "appending to change log"))
}

async fn commit(tx: Transaction<'_, Postgres>, doing: &'static str) -> StorageResult<()> {
    tx.commit().await.map_err(|e| backend(e, doing))
}

async fn upsert_meeting(tx: &mut Transaction<'_, Postgres>, m: &Meeting) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO meetings (id, council_id, title, starts_at, location, status)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, starts_at = excluded.starts_at,
             location = excluded.location, status = excluded.status",
    )
    .bind(m.id.as_uuid())
    .bind(m.council_id.as_uuid())
    .bind(&m.title)
    .bind(m.starts_at.millis())
    .bind(&m.location)
    .bind(status_str(m.status))
    .execute(&mut **tx)
    .await
    .map_err(|e| backend(e, "writing meeting"))?;
    Ok(())
}

async fn upsert_agenda_item(
    tx: &mut Transaction<'_, Postgres>,
    i: &AgendaItem,
) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO agenda_items (id, meeting_id, parent_id, position, title, presenter, planned_minutes, paper_titles)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (id) DO UPDATE SET parent_id = excluded.parent_id, position = excluded.position,
             title = excluded.title, presenter = excluded.presenter,
             planned_minutes = excluded.planned_minutes, paper_titles = excluded.paper_titles",
    )
    .bind(i.id.as_uuid())
    .bind(i.meeting_id.as_uuid())
    .bind(i.parent_id.map(|p| p.as_uuid()))
    .bind(i.position)
    .bind(&i.title)
    .bind(&i.presenter)
    .bind(i.planned_minutes)
    .bind(Json(&i.paper_titles))
    .execute(&mut **tx)
    .await
    .map_err(|e| backend(e, "writing agenda item"))?;
    Ok(())
}

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

fn account_details_from(row: &PgRow) -> StorageResult<AccountDetails> {
    Ok(AccountDetails {
        member: member_from(row)?,
        unit: col(row, "unit")?,
        disabled: col::<Option<i64>>(row, "disabled_at")?.is_some(),
        must_change_password: col(row, "must_change_password")?,
        active_sessions: col::<i64>(row, "active")? as u32,
    })
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
    .map_err(|e| backend(e, "ending the member's sessions"))?;
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
        .map_err(|e| backend(e, "looking up account"))?;
        row.map(|r| {
            Ok(Account {
                member: member_from(&r)?,
                password_hash: col(&r, "password_hash")?,
            })
        })
        .transpose()
    }

    async fn accounts(
        &self,
        council: CouncilId,
        now: Timestamp,
    ) -> StorageResult<Vec<(Member, u32)>> {
        // COLLATE "C" sorts by bytes, as SQLite's default BINARY collation does, whatever
        // locale the database was created with.
        let rows = sqlx::query(
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
        .map_err(|e| backend(e, "listing accounts"))?;
        rows.iter()
            .map(|r| Ok((member_from(r)?, col::<i64>(r, "active")? as u32)))
            .collect()
    }

    async fn account_details(
        &self,
        council: CouncilId,
        now: Timestamp,
    ) -> StorageResult<Vec<AccountDetails>> {
        let rows = sqlx::query(account_details!(
            r#"WHERE m.council_id = $2 ORDER BY m.username COLLATE "C""#
        ))
        .bind(now.millis())
        .bind(council.as_uuid())
        .fetch_all(&self.pool)
        .await
        .map_err(|e| backend(e, "listing accounts"))?;
        rows.iter().map(account_details_from).collect()
    }

    async fn account(&self, member: MemberId, now: Timestamp) -> StorageResult<AccountDetails> {
        let row = sqlx::query(account_details!("WHERE m.id = $2"))
            .bind(now.millis())
            .bind(member.as_uuid())
            .fetch_one(&self.pool)
            .await
            .map_err(|e| backend(e, "reading account"))?;
        account_details_from(&row)
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
                    .map_err(|e| backend(e, "checking a user name"))?;
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
            .map_err(|e| backend(e, "writing member"))?;
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
            .map_err(|e| backend(e, "finding the account's council"))?;
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
        .map_err(|e| backend(e, "changing account"))?;
        if change.disabled == Some(true) {
            revoke_member_sessions(&mut tx, member, None, now).await?;
        }
        let row = sqlx::query(
            "SELECT id, council_id, username, display_name, role FROM members WHERE id = $1",
        )
        .bind(member.as_uuid())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| backend(e, "reading changed account"))?;
        let changed = member_from(&row)?;
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
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(|e| backend(e, "starting password change"))?;
        let changed = sqlx::query(
            "UPDATE members SET password_hash = $1, must_change_password = $2 WHERE id = $3",
        )
        .bind(&password_hash)
        .bind(must_change_password)
        .bind(member.as_uuid())
        .execute(&mut *tx)
        .await
        .map_err(|e| backend(e, "changing password"))?;
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
        .map_err(|e| backend(e, "creating session"))?;
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
        .map_err(|e| backend(e, "checking session"))?;
        row.map(|r| {
            Ok(SessionHolder {
                member: member_from(&r)?,
                must_change_password: col(&r, "must_change_password")?,
            })
        })
        .transpose()
    }

    async fn revoke_session(&self, token_hash: &str, now: Timestamp) -> StorageResult<()> {
        sqlx::query(
            "UPDATE sessions SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL",
        )
        .bind(now.millis())
        .bind(token_hash)
        .execute(&self.pool)
        .await
        .map_err(|e| backend(e, "revoking session"))?;
        Ok(())
    }
}

#[async_trait]
impl MeetingStore for PostgresCouncilStorage {
    async fn is_empty(&self) -> StorageResult<bool> {
        let any: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM councils)")
            .fetch_one(&self.pool)
            .await
            .map_err(|e| backend(e, "counting councils"))?;
        Ok(!any)
    }

    async fn seed_council(&self, seed: CouncilSeed) -> StorageResult<()> {
        let council = seed.council.id;
        let mut tx = begin_logged(&self.pool, council, "starting seed").await?;
        sqlx::query("INSERT INTO councils (id, name) VALUES ($1, $2)")
            .bind(council.as_uuid())
            .bind(&seed.council.name)
            .execute(&mut *tx)
            .await
            .map_err(|e| backend(e, "writing council"))?;
        log_change(&mut tx, council, &SyncRecord::Council(seed.council.clone())).await?;
        for account in &seed.accounts {
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
            .execute(&mut *tx)
            .await
            .map_err(|e| backend(e, "writing member"))?;
            log_change(&mut tx, council, &SyncRecord::Member(m.clone())).await?;
        }
        for m in &seed.meetings {
            upsert_meeting(&mut tx, m).await?;
            log_change(&mut tx, council, &SyncRecord::Meeting(m.clone())).await?;
        }
        for i in &seed.agenda_items {
            upsert_agenda_item(&mut tx, i).await?;
            log_change(&mut tx, council, &SyncRecord::AgendaItem(i.clone())).await?;
        }
        commit(tx, "committing seed").await
    }

    async fn council(&self, id: CouncilId) -> StorageResult<Council> {
        let row = sqlx::query("SELECT id, name FROM councils WHERE id = $1")
            .bind(id.as_uuid())
            .fetch_one(&self.pool)
            .await
            .map_err(|e| backend(e, "reading council"))?;
        Ok(Council {
            id: CouncilId(col(&row, "id")?),
            name: col(&row, "name")?,
        })
    }

    async fn meeting(&self, id: MeetingId) -> StorageResult<Meeting> {
        let row = sqlx::query(
            "SELECT id, council_id, title, starts_at, location, status FROM meetings WHERE id = $1",
        )
        .bind(id.as_uuid())
        .fetch_one(&self.pool)
        .await
        .map_err(|e| backend(e, "reading meeting"))?;
        meeting_from(&row)
    }

    async fn meetings(&self, council: CouncilId) -> StorageResult<Vec<Meeting>> {
        let rows = sqlx::query(
            "SELECT id, council_id, title, starts_at, location, status FROM meetings WHERE council_id = $1",
        )
        .bind(council.as_uuid())
        .fetch_all(&self.pool)
        .await
        .map_err(|e| backend(e, "listing meetings"))?;
        rows.iter().map(meeting_from).collect()
    }

    async fn agenda_items(&self, meeting: MeetingId) -> StorageResult<Vec<AgendaItem>> {
        let rows = sqlx::query(
            "SELECT id, meeting_id, parent_id, position, title, presenter, planned_minutes, paper_titles
               FROM agenda_items WHERE meeting_id = $1",
        )
        .bind(meeting.as_uuid())
        .fetch_all(&self.pool)
        .await
        .map_err(|e| backend(e, "listing agenda items"))?;
        rows.iter().map(agenda_item_from).collect()
    }

    async fn agenda_item(&self, id: AgendaItemId) -> StorageResult<AgendaItem> {
        let row = sqlx::query(
            "SELECT id, meeting_id, parent_id, position, title, presenter, planned_minutes, paper_titles
               FROM agenda_items WHERE id = $1",
        )
        .bind(id.as_uuid())
        .fetch_one(&self.pool)
        .await
        .map_err(|e| backend(e, "reading agenda item"))?;
        agenda_item_from(&row)
    }

    async fn put_meeting(&self, meeting: Meeting) -> StorageResult<i64> {
        let council = meeting.council_id;
        let mut tx = begin_logged(&self.pool, council, "starting meeting write").await?;
        upsert_meeting(&mut tx, &meeting).await?;
        let seq = log_change(&mut tx, council, &SyncRecord::Meeting(meeting)).await?;
        commit(tx, "committing meeting").await?;
        Ok(seq)
    }

    async fn put_agenda_item(&self, council: CouncilId, item: AgendaItem) -> StorageResult<i64> {
        let mut tx = begin_logged(&self.pool, council, "starting agenda write").await?;
        upsert_agenda_item(&mut tx, &item).await?;
        let seq = log_change(&mut tx, council, &SyncRecord::AgendaItem(item)).await?;
        commit(tx, "committing agenda item").await?;
        Ok(seq)
    }

    async fn participants(&self, meeting: MeetingId) -> StorageResult<Vec<Participant>> {
        let participants: Option<Json<Vec<Participant>>> =
            sqlx::query_scalar("SELECT record FROM participants WHERE meeting_id = $1")
                .bind(meeting.as_uuid())
                .fetch_optional(&self.pool)
                .await
                .map_err(|e| backend(e, "reading participants"))?;
        Ok(participants.map(|Json(p)| p).unwrap_or_default())
    }

    async fn put_participants(
        &self,
        council: CouncilId,
        meeting: MeetingId,
        participants: Vec<Participant>,
    ) -> StorageResult<i64> {
        let mut tx = begin_logged(&self.pool, council, "starting participants write").await?;
        sqlx::query(
            "INSERT INTO participants (meeting_id, record) VALUES ($1, $2)
             ON CONFLICT (meeting_id) DO UPDATE SET record = excluded.record",
        )
        .bind(meeting.as_uuid())
        .bind(Json(&participants))
        .execute(&mut *tx)
        .await
        .map_err(|e| backend(e, "writing participants"))?;
        let record = SyncRecord::Participants(MeetingParticipants {
            meeting_id: meeting,
            participants,
        });
        let seq = log_change(&mut tx, council, &record).await?;
        commit(tx, "committing participants").await?;
        Ok(seq)
    }
}

#[async_trait]
impl PacketStore for PostgresCouncilStorage {
    async fn blob(&self, hash: &BlobHash) -> StorageResult<Option<BlobInfo>> {
        let row = sqlx::query("SELECT size, pages FROM blobs WHERE hash = $1")
            .bind(hash.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| backend(e, "reading blob"))?;
        row.map(|r| {
            Ok(BlobInfo {
                hash: hash.clone(),
                size: col::<i64>(&r, "size")? as u64,
                pages: col::<i64>(&r, "pages")? as u32,
            })
        })
        .transpose()
    }

    async fn council_blob(
        &self,
        council: CouncilId,
        hash: &BlobHash,
    ) -> StorageResult<Option<BlobInfo>> {
        let row = sqlx::query(
            "SELECT b.size, b.pages FROM blobs b JOIN blob_owners o ON o.hash = b.hash
              WHERE b.hash = $1 AND o.council_id = $2",
        )
        .bind(hash.as_str())
        .bind(council.as_uuid())
        .fetch_optional(&self.pool)
        .await
        .map_err(|e| backend(e, "reading a council's blob"))?;
        row.map(|r| {
            Ok(BlobInfo {
                hash: hash.clone(),
                size: col::<i64>(&r, "size")? as u64,
                pages: col::<i64>(&r, "pages")? as u32,
            })
        })
        .transpose()
    }

    async fn put_blob(&self, council: CouncilId, blob: BlobInfo) -> StorageResult<()> {
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(|e| backend(e, "starting blob transaction"))?;
        sqlx::query(
            "INSERT INTO blobs (hash, size, pages) VALUES ($1, $2, $3) ON CONFLICT (hash) DO NOTHING",
        )
        .bind(blob.hash.as_str())
        .bind(blob.size as i64)
        .bind(i64::from(blob.pages))
        .execute(&mut *tx)
        .await
        .map_err(|e| backend(e, "recording blob"))?;
        sqlx::query(
            "INSERT INTO blob_owners (hash, council_id) VALUES ($1, $2)
             ON CONFLICT (hash, council_id) DO NOTHING",
        )
        .bind(blob.hash.as_str())
        .bind(council.as_uuid())
        .execute(&mut *tx)
        .await
        .map_err(|e| backend(e, "recording blob owner"))?;
        tx.commit()
            .await
            .map_err(|e| backend(e, "committing blob"))?;
        Ok(())
    }

    async fn paper(&self, id: PaperId) -> StorageResult<Paper> {
        let Json(paper) = sqlx::query_scalar("SELECT record FROM papers WHERE id = $1")
            .bind(id.as_uuid())
            .fetch_one(&self.pool)
            .await
            .map_err(|e| backend(e, "reading paper"))?;
        Ok(paper)
    }

    async fn papers(&self, meeting: MeetingId) -> StorageResult<Vec<Paper>> {
        let rows: Vec<Json<Paper>> =
            sqlx::query_scalar("SELECT record FROM papers WHERE meeting_id = $1")
                .bind(meeting.as_uuid())
                .fetch_all(&self.pool)
                .await
                .map_err(|e| backend(e, "listing papers"))?;
        Ok(rows.into_iter().map(|Json(p)| p).collect())
    }

    async fn paper_by_source(
        &self,
        meeting: MeetingId,
        source: &str,
    ) -> StorageResult<Option<Paper>> {
        let paper: Option<Json<Paper>> =
            sqlx::query_scalar("SELECT record FROM papers WHERE meeting_id = $1 AND source = $2")
                .bind(meeting.as_uuid())
                .bind(source)
                .fetch_optional(&self.pool)
                .await
                .map_err(|e| backend(e, "finding paper by source"))?;
        Ok(paper.map(|Json(p)| p))
    }

    async fn put_paper(&self, council: CouncilId, paper: Paper) -> StorageResult<i64> {
        let mut tx = begin_logged(&self.pool, council, "starting paper write").await?;
        sqlx::query(
            "INSERT INTO papers (id, meeting_id, source, hash, record) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (id) DO UPDATE SET source = excluded.source, hash = excluded.hash,
                 record = excluded.record",
        )
        .bind(paper.id.as_uuid())
        .bind(paper.meeting_id.as_uuid())
        .bind(paper.source.as_deref())
        .bind(paper.file.hash.as_str())
        .bind(Json(&paper))
        .execute(&mut *tx)
        .await
        .map_err(|e| backend(e, "writing paper"))?;
        let seq = log_change(&mut tx, council, &SyncRecord::Paper(paper)).await?;
        commit(tx, "committing paper").await?;
        Ok(seq)
    }

    async fn council_uses_blob(&self, council: CouncilId, hash: &BlobHash) -> StorageResult<bool> {
        sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM papers p JOIN meetings m ON m.id = p.meeting_id
                             WHERE p.hash = $1 AND m.council_id = $2)",
        )
        .bind(hash.as_str())
        .bind(council.as_uuid())
        .fetch_one(&self.pool)
        .await
        .map_err(|e| backend(e, "checking blob use"))
    }

    async fn latest_packet(&self, meeting: MeetingId) -> StorageResult<Option<PacketVersion>> {
        let version: Option<Json<PacketVersion>> = sqlx::query_scalar(
            "SELECT record FROM packet_versions WHERE meeting_id = $1 ORDER BY number DESC LIMIT 1",
        )
        .bind(meeting.as_uuid())
        .fetch_optional(&self.pool)
        .await
        .map_err(|e| backend(e, "reading latest packet"))?;
        Ok(version.map(|Json(v)| v))
    }

    async fn publish_packet(&self, packet: NewPacketVersion) -> StorageResult<i64> {
        let NewPacketVersion { council, version } = packet;
        // Two guards, either enough alone: the council's log lock makes concurrent publishes
        // take turns, so the second reads the first's number below and is refused; and the
        // primary key (meeting_id, number) refuses a duplicate number whatever happens.
        let mut tx = begin_logged(&self.pool, council, "starting packet publish").await?;
        let meeting = version.meeting_id.as_uuid();
        let number = i64::from(version.number);
        let last: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(number), 0) FROM packet_versions WHERE meeting_id = $1",
        )
        .bind(meeting)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| backend(e, "reading last packet number"))?;
        if number != last + 1 {
            return Err(StorageError::Conflict(format!(
                "version {last} is the latest; cannot publish {number}"
            )));
        }
        sqlx::query("INSERT INTO packet_versions (meeting_id, number, record) VALUES ($1, $2, $3)")
            .bind(meeting)
            .bind(number)
            .bind(Json(&version))
            .execute(&mut *tx)
            .await
            .map_err(|e| backend(e, "writing packet version"))?;
        for file in version.entries.iter().filter_map(|e| e.file.as_ref()) {
            sqlx::query(
                "INSERT INTO packet_blobs (hash, council_id, meeting_id, number) VALUES ($1, $2, $3, $4)
                 ON CONFLICT DO NOTHING",
            )
            .bind(file.hash.as_str())
            .bind(council.as_uuid())
            .bind(meeting)
            .bind(number)
            .execute(&mut *tx)
            .await
            .map_err(|e| backend(e, "indexing packet blobs"))?;
        }
        let seq = log_change(&mut tx, council, &SyncRecord::PacketVersion(version)).await?;
        commit(tx, "committing packet version").await?;
        Ok(seq)
    }

    async fn packets_with_blob(
        &self,
        council: CouncilId,
        hash: &BlobHash,
    ) -> StorageResult<Vec<PacketVersion>> {
        let rows: Vec<Json<PacketVersion>> = sqlx::query_scalar(
            "SELECT v.record FROM packet_blobs b
               JOIN packet_versions v ON v.meeting_id = b.meeting_id AND v.number = b.number
              WHERE b.hash = $1 AND b.council_id = $2",
        )
        .bind(hash.as_str())
        .bind(council.as_uuid())
        .fetch_all(&self.pool)
        .await
        .map_err(|e| backend(e, "finding packets with blob"))?;
        Ok(rows.into_iter().map(|Json(v)| v).collect())
    }
}

#[async_trait]
impl ChangeLog for PostgresCouncilStorage {
    async fn changes_since(
        &self,
        council: CouncilId,
        after: i64,
        limit: u32,
    ) -> StorageResult<Vec<Change>> {
        // One statement, so one snapshot: with appends serialised per council (see
        // `begin_logged`) it sees a prefix of the council's log, never a log with a hole.
        let rows = sqlx::query(
            "SELECT seq, record FROM change_log WHERE council_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
        )
        .bind(council.as_uuid())
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(|e| backend(e, "reading change log"))?;
        rows.iter()
            .map(|r| {
                let seq: i64 = col(r, "seq")?;
                let Json(record) = r
                    .try_get::<Json<SyncRecord>, _>("record")
                    .with_context(|| format!("change {seq} is not a valid record"))
                    .map_err(StorageError::Backend)?;
                Ok(Change { seq, record })
            })
            .collect()
    }

    async fn log_head(&self, council: CouncilId) -> StorageResult<i64> {
        sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM change_log WHERE council_id = $1")
            .bind(council.as_uuid())
            .fetch_one(&self.pool)
            .await
            .map_err(|e| backend(e, "reading log head"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_described_url_never_shows_the_password() {
        let text =
            describe_url("postgres://council:s3cret-pw@db.example:5433/ecabinet?sslmode=require")
                .unwrap();
        assert!(!text.contains("s3cret-pw"), "{text}");
        assert!(
            text.contains("db.example:5433") && text.contains("ecabinet"),
            "the log must still say which database: {text}"
        );
        let refused = describe_url("mysql://council:s3cret-pw@db.example/ecabinet").unwrap_err();
        assert!(!format!("{refused:#}").contains("s3cret-pw"), "{refused:#}");
    }
}
