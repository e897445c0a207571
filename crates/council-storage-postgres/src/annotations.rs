//! Members' annotations and their revisions.

use async_trait::async_trait;
use council_storage::{
    AnnotationPlan, AnnotationStore, AnnotationWritten, Doing, NewAnnotationRevision, StorageError,
    StorageResult, plan_annotation_write, rows,
};
use ecabinet_domain::{Annotation, AnnotationId};
use ecabinet_protocol::{AnnotationRecord, SyncRecord};
use sqlx::types::Json;

use crate::changes::log_change;
use crate::{PostgresCouncilStorage, Stored, begin_logged, commit};

#[async_trait]
impl AnnotationStore for PostgresCouncilStorage {
    async fn annotation(&self, id: AnnotationId) -> StorageResult<Annotation> {
        let row = sqlx::query("SELECT record FROM annotations WHERE id = $1")
            .bind(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .doing("reading annotation")?
            .ok_or(StorageError::NotFound)?;
        rows::annotation(&Stored(&row))
    }

    async fn annotation_history(&self, id: AnnotationId) -> StorageResult<Vec<Annotation>> {
        let found = sqlx::query(
            "SELECT record FROM annotation_revisions WHERE annotation_id = $1 ORDER BY revision",
        )
        .bind(id.as_uuid())
        .fetch_all(&self.pool)
        .await
        .doing("reading annotation history")?;
        found.iter().map(|r| rows::annotation(&Stored(r))).collect()
    }

    async fn write_annotation(
        &self,
        write: NewAnnotationRevision,
    ) -> StorageResult<AnnotationWritten> {
        let doing = "writing annotation";
        let id = write.annotation.id.as_uuid();
        // The council's log lock, taken first, also makes this read-then-write one step:
        // two writes of one annotation take turns, the later one reading the earlier's result.
        let mut tx = begin_logged(&self.pool, write.council, "starting annotation write").await?;
        let current = sqlx::query("SELECT record, readers FROM annotations WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .doing("reading current annotation")?
            .map(|r| rows::current_annotation(&Stored(&r)))
            .transpose()?;
        let same_base = sqlx::query(
            "SELECT record FROM annotation_revisions WHERE annotation_id = $1 AND base_revision = $2",
        )
        .bind(id)
        .bind(i32::try_from(write.base_revision).unwrap_or(i32::MAX))
        .fetch_all(&mut *tx)
        .await
        .doing("reading annotation revisions")?
        .iter()
        .map(|r| rows::annotation(&Stored(r)))
        .collect::<StorageResult<Vec<_>>>()?;
        let (annotation, former_readers) =
            match plan_annotation_write(current.as_ref(), &same_base, &write)? {
                AnnotationPlan::Repeat(annotation) => {
                    return Ok(AnnotationWritten {
                        annotation,
                        head: None,
                    });
                }
                AnnotationPlan::Store {
                    annotation,
                    former_readers,
                } => (annotation, former_readers),
            };
        let revision = i32::try_from(annotation.revision)
            .map_err(|_| StorageError::Conflict("too many revisions".into()))?;
        sqlx::query(
            "INSERT INTO annotations (id, council_id, author_id, paper_id, revision, readers, record)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (id) DO UPDATE SET revision = excluded.revision,
                 readers = excluded.readers, record = excluded.record",
        )
        .bind(id)
        .bind(write.council.as_uuid())
        .bind(annotation.author.as_uuid())
        .bind(annotation.paper_id.as_uuid())
        .bind(revision)
        .bind(Json(&write.readers))
        .bind(Json(&annotation))
        .execute(&mut *tx)
        .await
        .doing(doing)?;
        sqlx::query(
            "INSERT INTO annotation_revisions (annotation_id, revision, base_revision, record)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(revision)
        .bind(i32::try_from(write.base_revision).unwrap_or(i32::MAX))
        .bind(Json(&annotation))
        .execute(&mut *tx)
        .await
        .doing("keeping annotation revision")?;
        let record = SyncRecord::Annotation(AnnotationRecord {
            annotation: annotation.clone(),
            readers: write.readers,
            former_readers,
        });
        let head = log_change(&mut tx, write.council, &record).await?;
        commit(tx, "committing annotation").await?;
        Ok(AnnotationWritten {
            annotation,
            head: Some(head),
        })
    }
}
