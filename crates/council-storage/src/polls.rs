//! Polls: each poll's record, who has voted, its ballots and its public log.
//!
//! **What is stored, and what is not.** A poll's row holds the poll (settings, state, the
//! entitled voters sorted by id, the result once closed) and its [`VotedSet`]: one bit per
//! entitled voter, in id order, rewritten in place. Ballots are rows of their own keyed by
//! receipt (a hash the voter's key makes, which says nothing of the voter), with the choice,
//! and the voter only in a named poll; no ballot has a time. The log's lines are rows keyed
//! by their number. So "has voted" and "what was voted" share no id, no time and no order:
//! the voted set has no order at all (which bit was set first is not kept), so the order of
//! the ballots (their rows' physical order, rowid or ctid, which is the log's order and
//! public anyway) has nothing to be matched against. What this does not hide is said in
//! ARCHITECTURE.md (write-ahead logs, the server's memory).
//!
//! Polls do not ride the council's change log: it is ordered, every member pulls it, and a
//! line per ballot there would put an order on the voters.

use crate::{StorageError, StorageResult};
use async_trait::async_trait;
use ecabinet_domain::MeetingId;
use ecabinet_domain::poll::log::PollLogLine;
use ecabinet_domain::poll::{CastBallot, Poll, PollId, Receipt, VotedSet};

/// A poll as stored: the poll and who has voted.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPoll {
    pub poll: Poll,
    pub voted: VotedSet,
}

/// One atomic write to a poll: its new record, the voters who voted in it (by their place
/// in [`Poll::entitled`]), the ballots cast, the receipts they replaced, and the log lines
/// that record it all.
#[derive(Debug, Clone, Copy)]
pub struct PollWrite<'a> {
    pub poll: &'a Poll,
    /// The poll's record changed (drafted, edited, opened, closed, …) and is written too; a
    /// batch of ballots changes only who voted, and leaves the record (and its roll) as it is.
    pub record_changed: bool,
    /// Voters whose first ballot this write stores.
    pub new_voters: &'a [usize],
    pub ballots: &'a [CastBallot],
    pub replaced: &'a [Receipt],
    /// The log's next lines, numbered on from the last stored one.
    pub lines: &'a [PollLogLine],
}

#[async_trait]
pub trait PollStore: Send + Sync {
    /// The meeting's polls, oldest first.
    async fn meeting_polls(&self, meeting: MeetingId) -> StorageResult<Vec<StoredPoll>>;

    async fn poll(&self, id: PollId) -> StorageResult<Option<StoredPoll>>;

    /// Every open poll of every council, oldest first: a server starting again resumes
    /// their countdowns.
    async fn open_polls(&self) -> StorageResult<Vec<StoredPoll>>;

    /// Stores `write` in one transaction. [`StorageError::Conflict`](crate::StorageError),
    /// storing nothing, when a new voter has voted already, a receipt is taken, or the
    /// first line is not the one after the last stored (another writer got there first);
    /// a poll moves to another meeting never.
    async fn write_poll(&self, write: PollWrite<'_>) -> StorageResult<()>;

    /// The poll's ballots, replaced ones included, in no meaningful order (by receipt).
    async fn poll_ballots(&self, id: PollId) -> StorageResult<Vec<CastBallot>>;

    /// The poll's log, in order.
    async fn poll_log(&self, id: PollId) -> StorageResult<Vec<PollLogLine>>;
}

/// The poll's voted set as stored (hex; `None` for a poll not stored yet), sized for its
/// entitled voters, with `write`'s new voters marked: a Conflict when one has voted already.
pub fn mark_new_voters(stored: Option<&str>, write: &PollWrite<'_>) -> StorageResult<VotedSet> {
    let id = write.poll.id;
    let mut bytes = match stored {
        Some(hex) => hex::decode(hex)
            .map_err(|e| StorageError::Backend(anyhow::anyhow!("poll {id}'s voted set: {e}")))?,
        None => Vec::new(),
    };
    // Empty until the poll opens, then one bit per entitled voter.
    bytes.resize(write.poll.entitled.len().div_ceil(8), 0);
    let mut voted = VotedSet::from_bytes(bytes);
    for &voter in write.new_voters {
        if !voted.mark(voter) {
            return Err(StorageError::Conflict(format!(
                "voter {voter} of poll {id} has voted already"
            )));
        }
    }
    Ok(voted)
}

/// `lines` must follow the last stored line (`last`), one by one: anything else means
/// another writer got there first.
pub fn check_numbering(last: i64, lines: &[PollLogLine]) -> StorageResult<()> {
    for (i, line) in lines.iter().enumerate() {
        if i64::try_from(line.seq) != Ok(last + 1 + i as i64) {
            return Err(StorageError::Conflict(format!(
                "line {last} is the poll log's latest; cannot add line {}",
                line.seq
            )));
        }
    }
    Ok(())
}
