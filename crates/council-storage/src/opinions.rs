//! Delegates' opinions on agenda items, with every version kept.
//!
//! An opinion's versions are its author's record: none is ever changed or removed. A device
//! sends each version under the opinion's id with the number it made (1, then the last it
//! knew + 1). A write sent again (same id, same asked number, same content: a retry after a
//! lost answer) is answered with the version it made the first time and writes nothing; so
//! is a write of exactly what the latest version already says. A write whose number another
//! device of the same member took first is stored as the next version, so nothing sent is
//! lost.

use crate::{StorageError, StorageResult};
use async_trait::async_trait;
use ecabinet_domain::{CouncilId, MeetingId, Opinion, OpinionId};

/// One version of an opinion as the server accepted it.
#[derive(Debug, Clone)]
pub struct NewOpinionVersion {
    pub council: CouncilId,
    /// The opinion as sent, `sent_at` the server's now, `version` the number the device
    /// asked for (the storage numbers what it stores).
    pub opinion: Opinion,
}

/// What a write stored.
#[derive(Debug, Clone, PartialEq)]
pub struct OpinionWritten {
    /// The version that now stands for the write: new, or the one a retry repeats.
    pub opinion: Opinion,
    /// The new log head, or `None` when nothing was written (a retry).
    pub head: Option<i64>,
}

/// A stored version and the number its device asked for (where a retry is looked for).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredOpinionVersion {
    pub opinion: Opinion,
    pub asked_version: u32,
}

/// What a write does, decided the same way by every backend.
#[derive(Debug, Clone, PartialEq)]
pub enum OpinionPlan {
    /// Nothing to write: answer with this version.
    Repeat(Opinion),
    /// Store and log this version; `asked_version` is kept beside it.
    Store {
        opinion: Opinion,
        asked_version: u32,
    },
}

/// Decides a write from the stored versions of its id (oldest first). Fails with
/// [`StorageError::Conflict`] when the id is another member's opinion, or on another
/// meeting or item.
pub fn plan_opinion_write(
    stored: &[StoredOpinionVersion],
    write: &NewOpinionVersion,
) -> StorageResult<OpinionPlan> {
    let sent = &write.opinion;
    let latest = stored.iter().map(|s| &s.opinion).max_by_key(|o| o.version);
    if let Some(latest) = latest
        && (latest.author != sent.author || sent.check_edit_of(latest).is_err())
    {
        return Err(StorageError::Conflict(format!(
            "opinion {} belongs to another member or item",
            sent.id
        )));
    }
    if let Some(earlier) = stored
        .iter()
        .find(|s| s.asked_version == sent.version && s.opinion.same_content(sent))
    {
        return Ok(OpinionPlan::Repeat(earlier.opinion.clone()));
    }
    if let Some(latest) = latest.filter(|l| l.same_content(sent)) {
        return Ok(OpinionPlan::Repeat(latest.clone()));
    }
    Ok(OpinionPlan::Store {
        opinion: Opinion {
            version: latest.map_or(1, |l| l.version + 1),
            ..sent.clone()
        },
        asked_version: sent.version,
    })
}

/// Opinions and their versions. Every stored version is logged in its transaction.
#[async_trait]
pub trait OpinionStore: Send + Sync {
    /// Every version of an opinion, oldest first; empty if there is no such opinion.
    async fn opinion_versions(&self, id: OpinionId) -> StorageResult<Vec<Opinion>>;

    /// Every version of every opinion sent in a meeting, in the order they were received.
    async fn meeting_opinions(&self, meeting: MeetingId) -> StorageResult<Vec<Opinion>>;

    /// Stores a write as the next version and logs it, in one transaction; see the module's
    /// rule for retries. [`StorageError::Conflict`] if the id is another member's opinion or
    /// is on another item.
    async fn write_opinion(&self, write: NewOpinionVersion) -> StorageResult<OpinionWritten>;
}
