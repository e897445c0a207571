//! Delegates' opinions and their versions.

use async_trait::async_trait;
use council_storage::{
    Doing, NewOpinionVersion, OpinionPlan, OpinionStore, OpinionWritten, StorageError,
    StorageResult, plan_opinion_write, rows,
};
use ecabinet_domain::{MeetingId, Opinion, OpinionId};
use ecabinet_protocol::SyncRecord;
use sqlx::types::Json;

use crate::changes::log_change;
use crate::{PostgresCouncilStorage, Stored, begin_logged, commit};

#[async_trait]
impl OpinionStore for PostgresCouncilStorage {
    async fn opinion_versions(&self, id: OpinionId) -> StorageResult<Vec<Opinion>> {
        let found = sqlx::query(
            "SELECT record FROM opinion_versions WHERE opinion_id = $1 ORDER BY version",
        )
        .bind(id.as_uuid())
        .fetch_all(&self.pool)
        .await
        .doing("reading opinion versions")?;
        found.iter().map(|r| rows::opinion(&Stored(r))).collect()
    }

    async fn meeting_opinions(&self, meeting: MeetingId) -> StorageResult<Vec<Opinion>> {
        let found = sqlx::query(
            "SELECT record FROM opinion_versions WHERE meeting_id = $1
             ORDER BY sent_at, opinion_id, version",
        )
        .bind(meeting.as_uuid())
        .fetch_all(&self.pool)
        .await
        .doing("reading a meeting's opinions")?;
        found.iter().map(|r| rows::opinion(&Stored(r))).collect()
    }

    async fn write_opinion(&self, write: NewOpinionVersion) -> StorageResult<OpinionWritten> {
        let id = write.opinion.id.as_uuid();
        // The council's log lock, taken first, also makes this read-then-write one step:
        // two versions of one opinion take turns, the later reading the earlier's result.
        let mut tx = begin_logged(&self.pool, write.council, "starting opinion write").await?;
        let stored = sqlx::query(
            "SELECT record, asked_version FROM opinion_versions WHERE opinion_id = $1 ORDER BY version",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await
        .doing("reading opinion versions")?
        .iter()
        .map(|r| rows::stored_opinion_version(&Stored(r)))
        .collect::<StorageResult<Vec<_>>>()?;
        let (opinion, asked_version) = match plan_opinion_write(&stored, &write)? {
            OpinionPlan::Repeat(opinion) => {
                return Ok(OpinionWritten {
                    opinion,
                    head: None,
                });
            }
            OpinionPlan::Store {
                opinion,
                asked_version,
            } => (opinion, asked_version),
        };
        let version = i32::try_from(opinion.version)
            .map_err(|_| StorageError::Conflict("too many versions".into()))?;
        sqlx::query(
            "INSERT INTO opinion_versions (opinion_id, version, asked_version, council_id,
                 author_id, meeting_id, item_id, sent_at, record)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id)
        .bind(version)
        .bind(i32::try_from(asked_version).unwrap_or(i32::MAX))
        .bind(write.council.as_uuid())
        .bind(opinion.author.as_uuid())
        .bind(opinion.meeting_id.as_uuid())
        .bind(opinion.item_id.as_uuid())
        .bind(opinion.sent_at.millis())
        .bind(Json(&opinion))
        .execute(&mut *tx)
        .await
        .doing("writing opinion")?;
        let head = log_change(
            &mut tx,
            write.council,
            &SyncRecord::Opinion(opinion.clone()),
        )
        .await?;
        commit(tx, "committing opinion").await?;
        Ok(OpinionWritten {
            opinion,
            head: Some(head),
        })
    }
}
