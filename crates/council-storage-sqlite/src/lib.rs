//! The council server's default storage: one SQLite file inside the data dir.
//!
//! Implements every concern of [`council_storage::CouncilStorage`] with sqlx, one module
//! each (`accounts`, `meetings`, `packets`, `annotations`, `opinions`, `sittings`,
//! `changes`) holding only that concern's SQL; what a row means is `council_storage::rows`,
//! and this file opens the database and keeps what the modules share: how a column is read
//! (`Stored`) and the logged write's transaction. Migrations live in `migrations/` beside
//! this crate and are applied at open. WAL mode lets readers (pulls) run while a write
//! commits.

mod accounts;
mod annotations;
mod changes;
mod chat;
mod meetings;
mod opinions;
mod packets;
mod polls;
mod sittings;

use anyhow::Context;
use council_storage::rows::{SqlxRow, sqlx_column};
use council_storage::{Doing, StorageResult};
use ecabinet_domain::CouncilId;
use ecabinet_protocol::SyncRecord;
use serde::de::DeserializeOwned;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{Sqlite, SqlitePool, Transaction};
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
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await.doing(doing)?;
    write(&mut tx).await?;
    let seq = log_change(&mut tx, council, &record).await?;
    tx.commit().await.doing(doing)?;
    Ok(seq)
}

/// A result row as [`council_storage::rows`] reads it: SQLite keeps ids and JSON as TEXT.
struct Stored<'r>(&'r SqliteRow);

fn parse_id(column: &'static str, text: &str) -> anyhow::Result<Uuid> {
    Uuid::parse_str(text).with_context(|| format!("column {column} holds {text:?}, not a UUID"))
}

impl SqlxRow for Stored<'_> {
    type Row = SqliteRow;
    fn row(&self) -> &SqliteRow {
        self.0
    }
    fn id(&self, column: &'static str) -> anyhow::Result<Uuid> {
        parse_id(column, &sqlx_column::<_, String>(self.0, column)?)
    }
    fn optional_id(&self, column: &'static str) -> anyhow::Result<Option<Uuid>> {
        let text: Option<String> = sqlx_column(self.0, column)?;
        text.map(|t| parse_id(column, &t)).transpose()
    }
    fn json<T: DeserializeOwned>(&self, column: &'static str) -> anyhow::Result<T> {
        let text: String = sqlx_column(self.0, column)?;
        serde_json::from_str(&text)
            .with_context(|| format!("column {column} does not hold the expected JSON"))
    }
}
