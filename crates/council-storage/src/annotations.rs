//! Members' annotations on papers, with every revision kept.
//!
//! **Concurrent edits**: an annotation edited offline on two devices reaches the server as
//! two writes from the same base revision. The write that reaches the server last wins: it
//! becomes the next revision (the current one + 1, whatever its base), and the revision it
//! replaced stays in [`AnnotationStore::annotation_history`], so no edit vanishes. A write
//! sent again (the same content from the same base: a retry after a lost answer) is answered
//! with the revision it made the first time, and writes nothing; so is a write of exactly
//! what the current revision already says. A deletion is a revision with `deleted` set.

use crate::{StorageError, StorageResult};
use async_trait::async_trait;
use ecabinet_domain::{Annotation, AnnotationId, CouncilId, MemberId};

/// One write of an annotation, as the server accepted it.
#[derive(Debug, Clone)]
pub struct NewAnnotationRevision {
    pub council: CouncilId,
    /// The annotation as written, `updated_at` the server's now; its `revision` is ignored
    /// (the storage numbers revisions).
    pub annotation: Annotation,
    /// The revision the device edited (0 for a new annotation).
    pub base_revision: u32,
    /// Who besides the author may read this revision ([`Annotation::readers`]), logged with
    /// it so that each member's pull is cut without asking who takes part.
    pub readers: Vec<MemberId>,
}

/// What a write stored.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnotationWritten {
    /// The revision that now stands for the write: new, or the one a retry repeats.
    pub annotation: Annotation,
    /// The new log head, or `None` when nothing was written (a retry).
    pub head: Option<i64>,
}

/// The current revision of an annotation and who may read it, as a backend reads it inside
/// a write's transaction.
#[derive(Debug, Clone)]
pub struct CurrentAnnotation {
    pub annotation: Annotation,
    pub readers: Vec<MemberId>,
}

/// What a write does, decided the same way by every backend from what is stored.
#[derive(Debug, Clone, PartialEq)]
pub enum AnnotationPlan {
    /// Nothing to write: answer with this revision.
    Repeat(Annotation),
    /// Store this revision, log it, and tell `former_readers` it is no longer theirs.
    Store {
        annotation: Annotation,
        former_readers: Vec<MemberId>,
    },
}

/// Decides a write: `current` is the stored revision (if any), `same_base` the stored
/// revisions written from the write's base revision (where a retry would be). Fails with
/// [`StorageError::Conflict`] when the id is another member's annotation or on another
/// paper.
pub fn plan_annotation_write(
    current: Option<&CurrentAnnotation>,
    same_base: &[Annotation],
    write: &NewAnnotationRevision,
) -> StorageResult<AnnotationPlan> {
    let sent = &write.annotation;
    if let Some(current) = current {
        let stored = &current.annotation;
        if stored.author != sent.author || stored.paper_id != sent.paper_id {
            return Err(StorageError::Conflict(format!(
                "annotation {} belongs to another member or paper",
                sent.id
            )));
        }
    }
    if let Some(earlier) = same_base.iter().find(|a| a.same_content(sent)) {
        return Ok(AnnotationPlan::Repeat(earlier.clone()));
    }
    if let Some(current) = current.filter(|c| c.annotation.same_content(sent)) {
        return Ok(AnnotationPlan::Repeat(current.annotation.clone()));
    }
    let revision = current.map_or(1, |c| c.annotation.revision + 1);
    let former_readers = current
        .map(|c| {
            c.readers
                .iter()
                .filter(|m| !write.readers.contains(m))
                .copied()
                .collect()
        })
        .unwrap_or_default();
    Ok(AnnotationPlan::Store {
        annotation: Annotation {
            revision,
            ..sent.clone()
        },
        former_readers,
    })
}

/// Annotations and their revisions. Every stored revision is logged in its transaction.
#[async_trait]
pub trait AnnotationStore: Send + Sync {
    /// The current revision (a tombstone if deleted); [`StorageError::NotFound`] if none.
    async fn annotation(&self, id: AnnotationId) -> StorageResult<Annotation>;

    /// Every revision, oldest first; empty if there is no such annotation.
    async fn annotation_history(&self, id: AnnotationId) -> StorageResult<Vec<Annotation>>;

    /// Stores a write as the next revision and logs it (with its readers and those who
    /// lost it), all in one transaction; see the module's rule for concurrent edits and
    /// retries. [`StorageError::Conflict`] if the id is another member's annotation or is on
    /// another paper.
    async fn write_annotation(
        &self,
        write: NewAnnotationRevision,
    ) -> StorageResult<AnnotationWritten>;
}
