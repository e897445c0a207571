//! The change log: appending inside a writer's transaction, and reading by cursor.

use async_trait::async_trait;
use council_storage::{ChangeLog, Doing, StorageResult, rows};
use ecabinet_domain::CouncilId;
use ecabinet_protocol::{Change, SyncRecord};
use sqlx::{Sqlite, Transaction};

use crate::{SqliteCouncilStorage, Stored};

/// Appends a record to the council's change log inside the caller's transaction.
pub(crate) async fn log_change(
    tx: &mut Transaction<'_, Sqlite>,
    council: CouncilId,
    record: &SyncRecord,
) -> StorageResult<i64> {
    let json = rows::encode_json(record, "change record")?;
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO change_log (council_id, record) VALUES (?, ?) RETURNING seq",
    )
    .bind(council.to_string())
    .bind(json)
    .fetch_one(&mut **tx)
    .await
    .doing("appending to change log")?;
    Ok(seq)
}

#[async_trait]
impl ChangeLog for SqliteCouncilStorage {
    async fn changes_since(
        &self,
        council: CouncilId,
        after: i64,
        limit: u32,
    ) -> StorageResult<Vec<Change>> {
        let found = sqlx::query("SELECT seq, record FROM change_log WHERE council_id = ? AND seq > ? ORDER BY seq LIMIT ?")
            .bind(council.to_string())
            .bind(after)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .doing("reading change log")?;
        found.iter().map(|r| rows::change(&Stored(r))).collect()
    }

    async fn log_head(&self, council: CouncilId) -> StorageResult<i64> {
        sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM change_log WHERE council_id = ?")
            .bind(council.to_string())
            .fetch_one(&self.pool)
            .await
            .doing("reading log head")
    }
}
