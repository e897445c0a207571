//! Members' annotations and their revisions.

use async_trait::async_trait;
use council_storage::{
    AnnotationPlan, AnnotationStore, AnnotationWritten, Doing, NewAnnotationRevision, StorageError,
    StorageResult, plan_annotation_write, rows,
};
use ecabinet_domain::{Annotation, AnnotationId};
use ecabinet_protocol::{AnnotationRecord, SyncRecord};

use crate::changes::log_change;
use crate::{SqliteCouncilStorage, Stored};

#[async_trait]
impl AnnotationStore for SqliteCouncilStorage {
    async fn annotation(&self, id: AnnotationId) -> StorageResult<Annotation> {
        let row = sqlx::query("SELECT record FROM annotations WHERE id = ?")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await
            .doing("reading annotation")?
            .ok_or(StorageError::NotFound)?;
        rows::annotation(&Stored(&row))
    }

    async fn annotation_history(&self, id: AnnotationId) -> StorageResult<Vec<Annotation>> {
        let found = sqlx::query(
            "SELECT record FROM annotation_revisions WHERE annotation_id = ? ORDER BY revision",
        )
        .bind(id.to_string())
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
        let id = write.annotation.id.to_string();
        // IMMEDIATE: the revision read here is the one this write follows (see write_logged).
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await.doing(doing)?;
        let current = sqlx::query("SELECT record, readers FROM annotations WHERE id = ?")
            .bind(&id)
            .fetch_optional(&mut *tx)
            .await
            .doing("reading current annotation")?
            .map(|r| rows::current_annotation(&Stored(&r)))
            .transpose()?;
        let same_base = sqlx::query(
            "SELECT record FROM annotation_revisions WHERE annotation_id = ? AND base_revision = ?",
        )
        .bind(&id)
        .bind(i64::from(write.base_revision))
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
        let json = rows::encode_json(&annotation, "annotation")?;
        sqlx::query(
            "INSERT INTO annotations (id, council_id, author_id, paper_id, revision, readers, record)
             VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET revision = excluded.revision,
                 readers = excluded.readers, record = excluded.record",
        )
        .bind(&id)
        .bind(write.council.to_string())
        .bind(annotation.author.to_string())
        .bind(annotation.paper_id.to_string())
        .bind(i64::from(annotation.revision))
        .bind(rows::encode_json(&write.readers, "annotation readers")?)
        .bind(&json)
        .execute(&mut *tx)
        .await
        .doing(doing)?;
        sqlx::query(
            "INSERT INTO annotation_revisions (annotation_id, revision, base_revision, record)
             VALUES (?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(i64::from(annotation.revision))
        .bind(i64::from(write.base_revision))
        .bind(&json)
        .execute(&mut *tx)
        .await
        .doing("keeping annotation revision")?;
        let record = SyncRecord::Annotation(AnnotationRecord {
            annotation: annotation.clone(),
            readers: write.readers,
            former_readers,
        });
        let head = log_change(&mut tx, write.council, &record).await?;
        tx.commit().await.doing(doing)?;
        Ok(AnnotationWritten {
            annotation,
            head: Some(head),
        })
    }
}
