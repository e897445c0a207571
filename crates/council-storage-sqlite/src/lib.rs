//! The council server's default storage: one SQLite file inside the data dir.
//!
//! Implements [`council_storage::CouncilStorage`] with sqlx; migrations live in `migrations/` beside this
//! crate and are applied at open. WAL mode lets readers (pulls) run while a write commits.

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
use serde::de::DeserializeOwned;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{Row, Sqlite, SqlitePool, Transaction};
use std::path::Path;
use std::time::Duration;
use uuid::Uuid;

/// The council database in one SQLite file.
#[derive(Clone)]
pub struct SqliteCouncilStorage {
    pool: SqlitePool,
}

impl SqliteCouncilStorage {
    /// Opens (creating if needed) `path` and brings its schema up to date.
    pub async fn open(path: &Path) -> anyhow::Result<Self> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // NORMAL in WAL mode survives a process crash (kill -9) without losing commits;
            // only a power cut can lose the last transactions.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .with_context(|| format!("opening council database {}", path.display()))?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .context("applying council database migrations")?;
        Ok(Self { pool })
    }
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

fn uuid_col(row: &SqliteRow, col: &str) -> StorageResult<Uuid> {
    let text: String = row
        .try_get(col)
        .map_err(|e| backend(e, "reading id column"))?;
    Uuid::parse_str(&text)
        .with_context(|| format!("column {col} holds {text:?}, not a UUID"))
        .map_err(StorageError::Backend)
}

fn member_from(row: &SqliteRow) -> StorageResult<Member> {
    let role: String = row.get("role");
    Ok(Member {
        id: MemberId(uuid_col(row, "id")?),
        council_id: CouncilId(uuid_col(row, "council_id")?),
        username: row.get("username"),
        display_name: row.get("display_name"),
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

fn meeting_from(row: &SqliteRow) -> StorageResult<Meeting> {
    let status: String = row.get("status");
    let status = serde_json::from_value(serde_json::Value::String(status.clone()))
        .with_context(|| format!("unknown meeting status {status:?}"))
        .map_err(StorageError::Backend)?;
    Ok(Meeting {
        id: MeetingId(uuid_col(row, "id")?),
        council_id: CouncilId(uuid_col(row, "council_id")?),
        title: row.get("title"),
        starts_at: Timestamp(row.get("starts_at")),
        location: row.get("location"),
        status,
    })
}

fn agenda_item_from(row: &SqliteRow) -> StorageResult<AgendaItem> {
    let parent: Option<String> = row.get("parent_id");
    let papers: String = row.get("paper_titles");
    Ok(AgendaItem {
        id: AgendaItemId(uuid_col(row, "id")?),
        meeting_id: MeetingId(uuid_col(row, "meeting_id")?),
        parent_id: parent
            .map(|p| Uuid::parse_str(&p).map(AgendaItemId))
            .transpose()
            .context("agenda item parent is not a UUID")
            .map_err(StorageError::Backend)?,
        position: row.get("position"),
        title: row.get("title"),
        presenter: row.get("presenter"),
        planned_minutes: row.get("planned_minutes"),
        paper_titles: serde_json::from_str(&papers)
            .context("agenda item paper titles are not a JSON list")
            .map_err(StorageError::Backend)?,
    })
}

fn to_json<T: serde::Serialize>(value: &T, what: &'static str) -> StorageResult<String> {
    serde_json::to_string(value)
        .context(what)
        .map_err(StorageError::Backend)
}

fn from_json<T: DeserializeOwned>(json: &str, what: &'static str) -> StorageResult<T> {
    serde_json::from_str(json)
        .context(what)
        .map_err(StorageError::Backend)
}

/// Runs `write` in a transaction that also appends `record` to the log; returns the seq.
async fn write_logged<'a, F>(
    pool: &SqlitePool,
    council: CouncilId,
    record: SyncRecord,
    doing: &'static str,
    write: F,
) -> StorageResult<i64>
where
    F: for<'t> FnOnce(
        &'t mut Transaction<'a, Sqlite>,
    ) -> std::pin::Pin<
        Box<dyn std::future::Future<Output = StorageResult<()>> + Send + 't>,
    >,
{
    // IMMEDIATE takes the write lock now, not at the first write: a transaction that reads
    // before it writes (publish_packet checks the last number) would otherwise fail with
    // "database is locked" when another writer commits between its read and its write,
    // instead of waiting its turn and reading the other's result.
    let mut tx = pool
        .begin_with("BEGIN IMMEDIATE")
        .await
        .map_err(|e| backend(e, doing))?;
    write(&mut tx).await?;
    let seq = log_change(&mut tx, council, &record).await?;
    tx.commit().await.map_err(|e| backend(e, doing))?;
    Ok(seq)
}

/// Appends a record to the council's change log inside the caller's transaction.
async fn log_change(
    tx: &mut Transaction<'_, Sqlite>,
    council: CouncilId,
    record: &SyncRecord,
) -> StorageResult<i64> {
    let json = serde_json::to_string(record)
        .context("encoding change record")
        .map_err(StorageError::Backend)?;
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO change_log (council_id, record) VALUES (?, ?) RETURNING seq",
    )
    .bind(council.to_string())
    .bind(json)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| backend(e, "appending to change log"))?;
    Ok(seq)
}

async fn upsert_meeting(tx: &mut Transaction<'_, Sqlite>, m: &Meeting) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO meetings (id, council_id, title, starts_at, location, status) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, starts_at = excluded.starts_at,
             location = excluded.location, status = excluded.status",
    )
    .bind(m.id.to_string())
    .bind(m.council_id.to_string())
    .bind(&m.title)
    .bind(m.starts_at.millis())
    .bind(&m.location)
    .bind(status_str(m.status))
    .execute(&mut **tx)
    .await
    .map_err(|e| backend(e, "writing meeting"))?;
    Ok(())
}

async fn upsert_agenda_item(tx: &mut Transaction<'_, Sqlite>, i: &AgendaItem) -> StorageResult<()> {
    let papers = serde_json::to_string(&i.paper_titles)
        .context("encoding paper titles")
        .map_err(StorageError::Backend)?;
    sqlx::query(
        "INSERT INTO agenda_items (id, meeting_id, parent_id, position, title, presenter, planned_minutes, paper_titles)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET parent_id = excluded.parent_id, position = excluded.position,
             title = excluded.title, presenter = excluded.presenter,
             planned_minutes = excluded.planned_minutes, paper_titles = excluded.paper_titles",
    )
    .bind(i.id.to_string())
    .bind(i.meeting_id.to_string())
    .bind(i.parent_id.map(|p| p.to_string()))
    .bind(i.position)
    .bind(&i.title)
    .bind(&i.presenter)
    .bind(i.planned_minutes)
    .bind(papers)
    .execute(&mut **tx)
    .await
    .map_err(|e| backend(e, "writing agenda item"))?;
    Ok(())
}

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

fn account_details_from(row: &SqliteRow) -> StorageResult<AccountDetails> {
    Ok(AccountDetails {
        member: member_from(row)?,
        unit: row.get("unit"),
        disabled: row.get::<Option<i64>, _>("disabled_at").is_some(),
        must_change_password: row.get("must_change_password"),
        active_sessions: row.get::<i64, _>("active") as u32,
    })
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
    .map_err(|e| backend(e, "ending the member's sessions"))?;
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
        .map_err(|e| backend(e, "looking up account"))?;
        row.map(|r| {
            Ok(Account {
                member: member_from(&r)?,
                password_hash: r.get("password_hash"),
            })
        })
        .transpose()
    }

    async fn accounts(
        &self,
        council: CouncilId,
        now: Timestamp,
    ) -> StorageResult<Vec<(Member, u32)>> {
        let rows = sqlx::query(
            "SELECT m.id, m.council_id, m.username, m.display_name, m.role,
                    (SELECT COUNT(*) FROM sessions s
                      WHERE s.member_id = m.id AND s.revoked_at IS NULL AND s.expires_at > ?) AS active
               FROM members m WHERE m.council_id = ? AND m.disabled_at IS NULL ORDER BY m.username",
        )
        .bind(now.millis())
        .bind(council.to_string())
        .fetch_all(&self.pool)
        .await
        .map_err(|e| backend(e, "listing accounts"))?;
        rows.iter()
            .map(|r| Ok((member_from(r)?, r.get::<i64, _>("active") as u32)))
            .collect()
    }

    async fn account_details(
        &self,
        council: CouncilId,
        now: Timestamp,
    ) -> StorageResult<Vec<AccountDetails>> {
        let rows = sqlx::query(account_details!(
            "WHERE m.council_id = ? ORDER BY m.username"
        ))
        .bind(now.millis())
        .bind(council.to_string())
        .fetch_all(&self.pool)
        .await
        .map_err(|e| backend(e, "listing accounts"))?;
        rows.iter().map(account_details_from).collect()
    }

    async fn account(&self, member: MemberId, now: Timestamp) -> StorageResult<AccountDetails> {
        let row = sqlx::query(account_details!("WHERE m.id = ?"))
            .bind(now.millis())
            .bind(member.to_string())
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
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(|e| backend(e, "starting account creation"))?;
        let mut head = 0;
        for account in &accounts {
            let m = &account.member;
            let taken: Option<i64> = sqlx::query_scalar("SELECT 1 FROM members WHERE username = ?")
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
            .map_err(|e| backend(e, "writing member"))?;
            head = log_change(&mut tx, council, &SyncRecord::Member(m.clone())).await?;
        }
        tx.commit()
            .await
            .map_err(|e| backend(e, "committing accounts"))?;
        Ok(head)
    }

    async fn update_account(
        &self,
        member: MemberId,
        change: AccountChange,
        now: Timestamp,
    ) -> StorageResult<i64> {
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(|e| backend(e, "starting account change"))?;
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
        .map_err(|e| backend(e, "changing account"))?;
        if change.disabled == Some(true) {
            revoke_member_sessions(&mut tx, member, None, now).await?;
        }
        let row = sqlx::query(
            "SELECT id, council_id, username, display_name, role FROM members WHERE id = ?",
        )
        .bind(member.to_string())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| backend(e, "reading changed account"))?;
        let changed = member_from(&row)?;
        let head = log_change(&mut tx, changed.council_id, &SyncRecord::Member(changed)).await?;
        tx.commit()
            .await
            .map_err(|e| backend(e, "committing account change"))?;
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
            "UPDATE members SET password_hash = ?, must_change_password = ? WHERE id = ?",
        )
        .bind(&password_hash)
        .bind(must_change_password)
        .bind(member.to_string())
        .execute(&mut *tx)
        .await
        .map_err(|e| backend(e, "changing password"))?;
        if changed.rows_affected() == 0 {
            return Err(StorageError::NotFound);
        }
        revoke_member_sessions(&mut tx, member, keep, now).await?;
        tx.commit()
            .await
            .map_err(|e| backend(e, "committing password change"))
    }

    async fn create_session(&self, s: NewSession) -> StorageResult<()> {
        sqlx::query("INSERT INTO sessions (token_hash, member_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
            .bind(&s.token_hash)
            .bind(s.member_id.to_string())
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
              WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ?
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
                must_change_password: r.get("must_change_password"),
            })
        })
        .transpose()
    }

    async fn revoke_session(&self, token_hash: &str, now: Timestamp) -> StorageResult<()> {
        sqlx::query(
            "UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
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
impl MeetingStore for SqliteCouncilStorage {
    async fn is_empty(&self) -> StorageResult<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM councils")
            .fetch_one(&self.pool)
            .await
            .map_err(|e| backend(e, "counting councils"))?;
        Ok(n == 0)
    }

    async fn seed_council(&self, seed: CouncilSeed) -> StorageResult<()> {
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(|e| backend(e, "starting seed"))?;
        let council = seed.council.id;
        sqlx::query("INSERT INTO councils (id, name) VALUES (?, ?)")
            .bind(council.to_string())
            .bind(&seed.council.name)
            .execute(&mut *tx)
            .await
            .map_err(|e| backend(e, "writing council"))?;
        log_change(&mut tx, council, &SyncRecord::Council(seed.council.clone())).await?;
        for account in &seed.accounts {
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
        tx.commit().await.map_err(|e| backend(e, "committing seed"))
    }

    async fn council(&self, id: CouncilId) -> StorageResult<Council> {
        let row = sqlx::query("SELECT id, name FROM councils WHERE id = ?")
            .bind(id.to_string())
            .fetch_one(&self.pool)
            .await
            .map_err(|e| backend(e, "reading council"))?;
        Ok(Council {
            id: CouncilId(uuid_col(&row, "id")?),
            name: row.get("name"),
        })
    }

    async fn meeting(&self, id: MeetingId) -> StorageResult<Meeting> {
        let row = sqlx::query(
            "SELECT id, council_id, title, starts_at, location, status FROM meetings WHERE id = ?",
        )
        .bind(id.to_string())
        .fetch_one(&self.pool)
        .await
        .map_err(|e| backend(e, "reading meeting"))?;
        meeting_from(&row)
    }

    async fn meetings(&self, council: CouncilId) -> StorageResult<Vec<Meeting>> {
        let rows = sqlx::query(
            "SELECT id, council_id, title, starts_at, location, status FROM meetings WHERE council_id = ?",
        )
        .bind(council.to_string())
        .fetch_all(&self.pool)
        .await
        .map_err(|e| backend(e, "listing meetings"))?;
        rows.iter().map(meeting_from).collect()
    }

    async fn agenda_items(&self, meeting: MeetingId) -> StorageResult<Vec<AgendaItem>> {
        let rows = sqlx::query(
            "SELECT id, meeting_id, parent_id, position, title, presenter, planned_minutes, paper_titles
               FROM agenda_items WHERE meeting_id = ?",
        )
        .bind(meeting.to_string())
        .fetch_all(&self.pool)
        .await
        .map_err(|e| backend(e, "listing agenda items"))?;
        rows.iter().map(agenda_item_from).collect()
    }

    async fn agenda_item(&self, id: AgendaItemId) -> StorageResult<AgendaItem> {
        let row = sqlx::query(
            "SELECT id, meeting_id, parent_id, position, title, presenter, planned_minutes, paper_titles
               FROM agenda_items WHERE id = ?",
        )
        .bind(id.to_string())
        .fetch_one(&self.pool)
        .await
        .map_err(|e| backend(e, "reading agenda item"))?;
        agenda_item_from(&row)
    }

    async fn put_meeting(&self, meeting: Meeting) -> StorageResult<i64> {
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(|e| backend(e, "starting meeting write"))?;
        upsert_meeting(&mut tx, &meeting).await?;
        let seq = log_change(&mut tx, meeting.council_id, &SyncRecord::Meeting(meeting)).await?;
        tx.commit()
            .await
            .map_err(|e| backend(e, "committing meeting"))?;
        Ok(seq)
    }

    async fn put_agenda_item(&self, council: CouncilId, item: AgendaItem) -> StorageResult<i64> {
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(|e| backend(e, "starting agenda write"))?;
        upsert_agenda_item(&mut tx, &item).await?;
        let seq = log_change(&mut tx, council, &SyncRecord::AgendaItem(item)).await?;
        tx.commit()
            .await
            .map_err(|e| backend(e, "committing agenda item"))?;
        Ok(seq)
    }

    async fn participants(&self, meeting: MeetingId) -> StorageResult<Vec<Participant>> {
        let json: Option<String> =
            sqlx::query_scalar("SELECT record FROM participants WHERE meeting_id = ?")
                .bind(meeting.to_string())
                .fetch_optional(&self.pool)
                .await
                .map_err(|e| backend(e, "reading participants"))?;
        Ok(json
            .map(|j| from_json::<Vec<Participant>>(&j, "decoding participants"))
            .transpose()?
            .unwrap_or_default())
    }

    async fn put_participants(
        &self,
        council: CouncilId,
        meeting: MeetingId,
        participants: Vec<Participant>,
    ) -> StorageResult<i64> {
        let json = to_json(&participants, "encoding participants")?;
        let record = SyncRecord::Participants(MeetingParticipants {
            meeting_id: meeting,
            participants,
        });
        write_logged(
            &self.pool,
            council,
            record,
            "writing participants",
            move |tx| {
                Box::pin(async move {
                    sqlx::query(
                        "INSERT INTO participants (meeting_id, record) VALUES (?, ?)
                     ON CONFLICT (meeting_id) DO UPDATE SET record = excluded.record",
                    )
                    .bind(meeting.to_string())
                    .bind(json)
                    .execute(&mut **tx)
                    .await
                    .map_err(|e| backend(e, "writing participants"))?;
                    Ok(())
                })
            },
        )
        .await
    }
}

#[async_trait]
impl PacketStore for SqliteCouncilStorage {
    async fn blob(&self, hash: &BlobHash) -> StorageResult<Option<BlobInfo>> {
        let row = sqlx::query("SELECT size, pages FROM blobs WHERE hash = ?")
            .bind(hash.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| backend(e, "reading blob"))?;
        Ok(row.map(|r| BlobInfo {
            hash: hash.clone(),
            size: r.get::<i64, _>("size") as u64,
            pages: r.get::<i64, _>("pages") as u32,
        }))
    }

    async fn council_blob(
        &self,
        council: CouncilId,
        hash: &BlobHash,
    ) -> StorageResult<Option<BlobInfo>> {
        let row = sqlx::query(
            "SELECT b.size, b.pages FROM blobs b JOIN blob_owners o ON o.hash = b.hash
              WHERE b.hash = ? AND o.council_id = ?",
        )
        .bind(hash.as_str())
        .bind(council.to_string())
        .fetch_optional(&self.pool)
        .await
        .map_err(|e| backend(e, "reading a council's blob"))?;
        Ok(row.map(|r| BlobInfo {
            hash: hash.clone(),
            size: r.get::<i64, _>("size") as u64,
            pages: r.get::<i64, _>("pages") as u32,
        }))
    }

    async fn put_blob(&self, council: CouncilId, blob: BlobInfo) -> StorageResult<()> {
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(|e| backend(e, "starting blob transaction"))?;
        sqlx::query(
            "INSERT INTO blobs (hash, size, pages) VALUES (?, ?, ?) ON CONFLICT (hash) DO NOTHING",
        )
        .bind(blob.hash.as_str())
        .bind(blob.size as i64)
        .bind(i64::from(blob.pages))
        .execute(&mut *tx)
        .await
        .map_err(|e| backend(e, "recording blob"))?;
        sqlx::query(
            "INSERT INTO blob_owners (hash, council_id) VALUES (?, ?)
             ON CONFLICT (hash, council_id) DO NOTHING",
        )
        .bind(blob.hash.as_str())
        .bind(council.to_string())
        .execute(&mut *tx)
        .await
        .map_err(|e| backend(e, "recording blob owner"))?;
        tx.commit()
            .await
            .map_err(|e| backend(e, "committing blob"))?;
        Ok(())
    }

    async fn paper(&self, id: PaperId) -> StorageResult<Paper> {
        let json: String = sqlx::query_scalar("SELECT record FROM papers WHERE id = ?")
            .bind(id.to_string())
            .fetch_one(&self.pool)
            .await
            .map_err(|e| backend(e, "reading paper"))?;
        from_json(&json, "decoding paper")
    }

    async fn papers(&self, meeting: MeetingId) -> StorageResult<Vec<Paper>> {
        let rows: Vec<String> =
            sqlx::query_scalar("SELECT record FROM papers WHERE meeting_id = ?")
                .bind(meeting.to_string())
                .fetch_all(&self.pool)
                .await
                .map_err(|e| backend(e, "listing papers"))?;
        rows.iter()
            .map(|j| from_json(j, "decoding paper"))
            .collect()
    }

    async fn paper_by_source(
        &self,
        meeting: MeetingId,
        source: &str,
    ) -> StorageResult<Option<Paper>> {
        let json: Option<String> =
            sqlx::query_scalar("SELECT record FROM papers WHERE meeting_id = ? AND source = ?")
                .bind(meeting.to_string())
                .bind(source)
                .fetch_optional(&self.pool)
                .await
                .map_err(|e| backend(e, "finding paper by source"))?;
        json.map(|j| from_json(&j, "decoding paper")).transpose()
    }

    async fn put_paper(&self, council: CouncilId, paper: Paper) -> StorageResult<i64> {
        let json = to_json(&paper, "encoding paper")?;
        let record = SyncRecord::Paper(paper.clone());
        write_logged(&self.pool, council, record, "writing paper", move |tx| {
            Box::pin(async move {
                sqlx::query(
                    "INSERT INTO papers (id, meeting_id, source, hash, record) VALUES (?, ?, ?, ?, ?)
                     ON CONFLICT (id) DO UPDATE SET source = excluded.source, hash = excluded.hash,
                         record = excluded.record",
                )
                .bind(paper.id.to_string())
                .bind(paper.meeting_id.to_string())
                .bind(paper.source.as_deref())
                .bind(paper.file.hash.as_str())
                .bind(json)
                .execute(&mut **tx)
                .await
                .map_err(|e| backend(e, "writing paper"))?;
                Ok(())
            })
        })
        .await
    }

    async fn council_uses_blob(&self, council: CouncilId, hash: &BlobHash) -> StorageResult<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM papers p JOIN meetings m ON m.id = p.meeting_id
              WHERE p.hash = ? AND m.council_id = ?",
        )
        .bind(hash.as_str())
        .bind(council.to_string())
        .fetch_one(&self.pool)
        .await
        .map_err(|e| backend(e, "checking blob use"))?;
        Ok(n > 0)
    }

    async fn latest_packet(&self, meeting: MeetingId) -> StorageResult<Option<PacketVersion>> {
        let json: Option<String> = sqlx::query_scalar(
            "SELECT record FROM packet_versions WHERE meeting_id = ? ORDER BY number DESC LIMIT 1",
        )
        .bind(meeting.to_string())
        .fetch_optional(&self.pool)
        .await
        .map_err(|e| backend(e, "reading latest packet"))?;
        json.map(|j| from_json(&j, "decoding packet version"))
            .transpose()
    }

    async fn publish_packet(&self, packet: NewPacketVersion) -> StorageResult<i64> {
        let NewPacketVersion { council, version } = packet;
        let json = to_json(&version, "encoding packet version")?;
        let record = SyncRecord::PacketVersion(version.clone());
        write_logged(&self.pool, council, record, "publishing packet", move |tx| {
            Box::pin(async move {
                let meeting = version.meeting_id.to_string();
                let last: i64 = sqlx::query_scalar(
                    "SELECT COALESCE(MAX(number), 0) FROM packet_versions WHERE meeting_id = ?",
                )
                .bind(&meeting)
                .fetch_one(&mut **tx)
                .await
                .map_err(|e| backend(e, "reading last packet number"))?;
                if i64::from(version.number) != last + 1 {
                    return Err(StorageError::Conflict(format!(
                        "version {last} is the latest; cannot publish {}",
                        version.number
                    )));
                }
                sqlx::query(
                    "INSERT INTO packet_versions (meeting_id, number, record) VALUES (?, ?, ?)",
                )
                .bind(&meeting)
                .bind(i64::from(version.number))
                .bind(json)
                .execute(&mut **tx)
                .await
                .map_err(|e| backend(e, "writing packet version"))?;
                for file in version.entries.iter().filter_map(|e| e.file.as_ref()) {
                    sqlx::query(
                        "INSERT INTO packet_blobs (hash, council_id, meeting_id, number) VALUES (?, ?, ?, ?)
                         ON CONFLICT DO NOTHING",
                    )
                    .bind(file.hash.as_str())
                    .bind(council.to_string())
                    .bind(&meeting)
                    .bind(i64::from(version.number))
                    .execute(&mut **tx)
                    .await
                    .map_err(|e| backend(e, "indexing packet blobs"))?;
                }
                Ok(())
            })
        })
        .await
    }

    async fn packets_with_blob(
        &self,
        council: CouncilId,
        hash: &BlobHash,
    ) -> StorageResult<Vec<PacketVersion>> {
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT v.record FROM packet_blobs b
               JOIN packet_versions v ON v.meeting_id = b.meeting_id AND v.number = b.number
              WHERE b.hash = ? AND b.council_id = ?",
        )
        .bind(hash.as_str())
        .bind(council.to_string())
        .fetch_all(&self.pool)
        .await
        .map_err(|e| backend(e, "finding packets with blob"))?;
        rows.iter()
            .map(|j| from_json(j, "decoding packet version"))
            .collect()
    }
}

#[async_trait]
impl ChangeLog for SqliteCouncilStorage {
    async fn changes_since(
        &self,
        council: CouncilId,
        after: i64,
        limit: u32,
    ) -> StorageResult<Vec<Change>> {
        let rows = sqlx::query("SELECT seq, record FROM change_log WHERE council_id = ? AND seq > ? ORDER BY seq LIMIT ?")
            .bind(council.to_string())
            .bind(after)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(|e| backend(e, "reading change log"))?;
        rows.iter()
            .map(|r| {
                let seq: i64 = r.get("seq");
                let json: String = r.get("record");
                let record = serde_json::from_str(&json)
                    .with_context(|| format!("change {seq} is not a valid record"))
                    .map_err(StorageError::Backend)?;
                Ok(Change { seq, record })
            })
            .collect()
    }

    async fn log_head(&self, council: CouncilId) -> StorageResult<i64> {
        sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM change_log WHERE council_id = ?")
            .bind(council.to_string())
            .fetch_one(&self.pool)
            .await
            .map_err(|e| backend(e, "reading log head"))
    }
}
