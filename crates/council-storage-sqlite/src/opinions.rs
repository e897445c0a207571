//! Delegates' opinions and their versions.

use async_trait::async_trait;
use council_storage::{
    Doing, NewOpinionVersion, OpinionPlan, OpinionStore, OpinionWritten, StorageResult,
    plan_opinion_write, rows,
};
use ecabinet_domain::{MeetingId, Opinion, OpinionId};
use ecabinet_protocol::SyncRecord;

use crate::changes::log_change;
use crate::{SqliteCouncilStorage, Stored};

#[async_trait]
impl OpinionStore for SqliteCouncilStorage {
    async fn opinion_versions(&self, id: OpinionId) -> StorageResult<Vec<Opinion>> {
        let found = sqlx::query(
            "SELECT record FROM opinion_versions WHERE opinion_id = ? ORDER BY version",
        )
        .bind(id.to_string())
        .fetch_all(&self.pool)
        .await
        .doing("reading opinion versions")?;
        found.iter().map(|r| rows::opinion(&Stored(r))).collect()
    }

    async fn meeting_opinions(&self, meeting: MeetingId) -> StorageResult<Vec<Opinion>> {
        let found = sqlx::query(
            "SELECT record FROM opinion_versions WHERE meeting_id = ?
             ORDER BY sent_at, opinion_id, version",
        )
        .bind(meeting.to_string())
        .fetch_all(&self.pool)
        .await
        .doing("reading a meeting's opinions")?;
        found.iter().map(|r| rows::opinion(&Stored(r))).collect()
    }

    async fn write_opinion(&self, write: NewOpinionVersion) -> StorageResult<OpinionWritten> {
        let doing = "writing opinion";
        let id = write.opinion.id.to_string();
        // IMMEDIATE: the versions read here are the ones this write follows.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await.doing(doing)?;
        let stored = sqlx::query(
            "SELECT record, asked_version FROM opinion_versions WHERE opinion_id = ? ORDER BY version",
        )
        .bind(&id)
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
        sqlx::query(
            "INSERT INTO opinion_versions (opinion_id, version, asked_version, council_id,
                 author_id, meeting_id, item_id, sent_at, record)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(i64::from(opinion.version))
        .bind(i64::from(asked_version))
        .bind(write.council.to_string())
        .bind(opinion.author.to_string())
        .bind(opinion.meeting_id.to_string())
        .bind(opinion.item_id.to_string())
        .bind(opinion.sent_at.millis())
        .bind(rows::encode_json(&opinion, "opinion")?)
        .execute(&mut *tx)
        .await
        .doing(doing)?;
        let head = log_change(
            &mut tx,
            write.council,
            &SyncRecord::Opinion(opinion.clone()),
        )
        .await?;
        tx.commit().await.doing(doing)?;
        Ok(OpinionWritten {
            opinion,
            head: Some(head),
        })
    }
}
