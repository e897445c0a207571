//! The council server's default storage: one SQLite file inside the data dir.
//!
//! Implements every concern of [`council_storage::CouncilStorage`] with sqlx, one module
//! each (`accounts`, `meetings`, `packets`, `changes`) holding only that concern's SQL;
//! this file opens the database and keeps what they share: the error mapping and the
//! logged write's transaction. Migrations live in `migrations/` beside this crate and are
//! applied at open. WAL mode lets readers (pulls) run while a write commits.

mod accounts;
mod changes;
mod meetings;
mod packets;

use anyhow::Context;
use council_storage::{StorageError, StorageResult};
use ecabinet_domain::CouncilId;
use ecabinet_protocol::SyncRecord;
use serde::de::DeserializeOwned;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{Row, Sqlite, SqlitePool, Transaction};
use std::path::Path;
use std::time::Duration;
use uuid::Uuid;

use crate::changes::log_change;

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
