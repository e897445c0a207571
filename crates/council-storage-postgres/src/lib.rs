//! The council server's storage on PostgreSQL, for councils too large for one SQLite file
//! or run by an IT department that already operates PostgreSQL.
//!
//! Implements every concern of [`council_storage::CouncilStorage`] with sqlx and the same
//! semantics as the SQLite backend (the same test suites run on both), one module each
//! (`accounts`, `meetings`, `packets`, `annotations`, `opinions`, `sittings`, `changes`)
//! holding only that concern's SQL; what a row means is `council_storage::rows`, and this
//! file connects and keeps what the modules share: how a column is read (`Stored`) and the
//! change log's lock.
//! Migrations live in `migrations/` beside this crate and are applied at connect, under
//! sqlx's advisory lock, so two servers starting at once do not race. What differs from
//! SQLite is concurrency: PostgreSQL runs writers in parallel, so the change log's order is
//! kept by a per-council lock, see [`begin_logged`].
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
use serde::de::DeserializeOwned;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::types::Json;
use sqlx::{Connection, PgConnection, PgPool, Postgres, Transaction};
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
    let mut tx = pool.begin().await.doing(doing)?;
    let (class, key) = log_lock_key(council);
    sqlx::query("SELECT pg_advisory_xact_lock($1, $2)")
        .bind(class)
        .bind(key)
        .execute(&mut *tx)
        .await
        .doing("taking the council's change log lock")?;
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

async fn commit(tx: Transaction<'_, Postgres>, doing: &'static str) -> StorageResult<()> {
    tx.commit().await.doing(doing)
}

/// A result row as [`council_storage::rows`] reads it: PostgreSQL keeps ids as UUID and
/// JSON as JSONB.
struct Stored<'r>(&'r PgRow);

impl SqlxRow for Stored<'_> {
    type Row = PgRow;
    fn row(&self) -> &PgRow {
        self.0
    }
    fn id(&self, column: &'static str) -> anyhow::Result<Uuid> {
        sqlx_column(self.0, column)
    }
    fn optional_id(&self, column: &'static str) -> anyhow::Result<Option<Uuid>> {
        sqlx_column(self.0, column)
    }
    fn json<T: DeserializeOwned>(&self, column: &'static str) -> anyhow::Result<T> {
        let Json(value) = sqlx_column::<_, Json<T>>(self.0, column)?;
        Ok(value)
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
