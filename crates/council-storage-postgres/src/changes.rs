//! The change log: appending inside a writer's transaction, and reading by cursor.

use async_trait::async_trait;
use council_storage::{ChangeLog, Doing, StorageResult, rows};
use ecabinet_domain::CouncilId;
use ecabinet_protocol::{Change, SyncRecord};
use sqlx::types::Json;
use sqlx::{Postgres, Transaction};

use crate::{PostgresCouncilStorage, Stored};

/// Appends a record to the council's change log inside a transaction from [`begin_logged`].
pub(crate) async fn log_change(
    tx: &mut Transaction<'_, Postgres>,
    council: CouncilId,
    record: &SyncRecord,
) -> StorageResult<i64> {
    sqlx::query_scalar("INSERT INTO change_log (council_id, record) VALUES ($1, $2) RETURNING seq")
        .bind(council.as_uuid())
        .bind(Json(record))
        .fetch_one(&mut **tx)
        .await
        .doing("appending to change log")
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
        let found = sqlx::query(
            "SELECT seq, record FROM change_log WHERE council_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
        )
        .bind(council.as_uuid())
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .doing("reading change log")?;
        found.iter().map(|r| rows::change(&Stored(r))).collect()
    }

    async fn log_head(&self, council: CouncilId) -> StorageResult<i64> {
        sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM change_log WHERE council_id = $1")
            .bind(council.as_uuid())
            .fetch_one(&self.pool)
            .await
            .doing("reading log head")
    }
}
