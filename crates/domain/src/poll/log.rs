//! A poll's public log: an append-only hash chain of JSON lines, and the audit anyone can run
//! on it (`council-server verify-poll LOG.jsonl`).
//!
//! Each line is `{"seq":N,"prev":H(N-1),"entry":{…},"hash":H(N)}` where
//! `H(N) = SHA-256("ecabinet poll log\n" ‖ N as 8 bytes big-endian ‖ H(N-1) ‖ the entry's JSON)`
//! and `H(0)` is 32 zero bytes. The entries are: the poll opened (its settings, the number of
//! entitled voters and of all voting members; in a named poll the entitled voters), each
//! ballot (its receipt and choice, the receipt it replaces, and in a named poll its voter),
//! closed, and the result. A voter's device keeps its ballot's receipt, line number and
//! line hash from the server's acknowledgement; finding that line unchanged in the published
//! log shows its ballot was counted as cast, and the chain shows nothing before it changed.

use super::hex32;
use super::{BallotTally, PollId, PollResult, PollSettings, Receipt};
use crate::{AgendaItemId, MeetingId, MemberId, Timestamp};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use std::collections::{BTreeMap, HashMap};
use utoipa::ToSchema;

/// A line's hash (and the `prev` of the line after it).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(value_type = String, format = "hex")]
pub struct LineHash(#[serde(with = "hex32")] pub [u8; 32]);

impl std::fmt::Debug for LineHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LineHash({})", hex32::encode(&self.0))
    }
}

/// What one line of the log records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PollLogEntry {
    Opened {
        poll_id: PollId,
        meeting_id: MeetingId,
        item_id: AgendaItemId,
        settings: PollSettings,
        at: Timestamp,
        /// Voters present at opening: the most ballots the poll can hold.
        entitled: u64,
        /// All the meeting's voting members.
        members: u64,
        /// The entitled voters, in a named poll.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        voters: Option<Vec<MemberId>>,
    },
    Ballot {
        receipt: Receipt,
        choice: Vec<u32>,
        /// The voter's earlier ballot this one replaces.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        replaces: Option<Receipt>,
        /// Who cast it, in a named poll only.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        voter: Option<MemberId>,
    },
    Closed {
        at: Timestamp,
    },
    Result {
        result: PollResult,
    },
    Cancelled {
        at: Timestamp,
    },
}

/// One line of the log, as served (one JSON object per line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PollLogLine {
    pub seq: u64,
    pub prev: LineHash,
    pub entry: PollLogEntry,
    pub hash: LineHash,
}

impl PollLogLine {
    /// The line that follows `prev` (`None`: the first) with `entry`.
    pub fn after(prev: Option<&PollLogLine>, entry: PollLogEntry) -> PollLogLine {
        let (seq, prev) = prev.map_or((1, LineHash::default()), |p| (p.seq + 1, p.hash));
        let hash = chain_hash(seq, &prev, &entry);
        PollLogLine {
            seq,
            prev,
            entry,
            hash,
        }
    }

    /// The hash this line's content gives.
    pub fn content_hash(&self) -> LineHash {
        chain_hash(self.seq, &self.prev, &self.entry)
    }
}

fn chain_hash(seq: u64, prev: &LineHash, entry: &PollLogEntry) -> LineHash {
    let mut hash = Sha256::new();
    hash.update(b"ecabinet poll log\n");
    hash.update(seq.to_be_bytes());
    hash.update(prev.0);
    // Serialising these types cannot fail: no maps with non-string keys, no floats.
    hash.update(serde_json::to_vec(entry).unwrap_or_default());
    LineHash(hash.finalize().into())
}

/// A line of the log that does not hold, by its number in the file (from 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogFault {
    pub line: usize,
    pub problem: String,
}

/// What an audit of a log found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PollAudit {
    pub lines: usize,
    pub poll_id: Option<PollId>,
    pub settings: Option<PollSettings>,
    /// The count of the log's ballots under its rule, once the log says the poll closed.
    pub recount: Option<PollResult>,
    pub faults: Vec<LogFault>,
}

impl PollAudit {
    pub fn holds(&self) -> bool {
        self.faults.is_empty()
    }
}

/// Checks a log (JSON lines): the chain, the numbering, that every ballot fits the poll and
/// replaces only a current ballot, that ballots never outnumber the entitled voters, and that
/// the stated result is the count of the ballots under the poll's rule.
pub fn audit(text: &str) -> PollAudit {
    let mut audit = PollAudit::default();
    let fault = |line: usize, problem: String| LogFault { line, problem };
    let mut faults = Vec::new();
    let mut previous: Option<PollLogLine> = None;
    let mut count = Recount::default();
    let rows: Vec<&str> = text
        .strip_suffix('\n')
        .unwrap_or(text)
        .split('\n')
        .collect();
    for (index, row) in rows.iter().enumerate() {
        let number = index + 1;
        audit.lines = number;
        let line: PollLogLine = match serde_json::from_str(row) {
            Ok(line) => line,
            Err(error) => {
                faults.push(fault(number, format!("is not a log line ({error})")));
                previous = None;
                continue;
            }
        };
        let expected_seq = previous.as_ref().map_or(number as u64, |p| p.seq + 1);
        if line.seq != expected_seq {
            faults.push(fault(
                number,
                format!(
                    "is numbered {} where {expected_seq} was due: a line was removed, added or moved",
                    line.seq
                ),
            ));
        }
        let expected_prev = previous.as_ref().map_or(LineHash::default(), |p| p.hash);
        if line.prev != expected_prev && (previous.is_some() || number == 1) {
            faults.push(fault(
                number,
                "does not follow the line before it: a line before it was removed, added, moved or altered".into(),
            ));
        }
        if line.content_hash() != line.hash {
            faults.push(fault(
                number,
                "was altered: its content does not give its hash".into(),
            ));
        }
        if let Err(problem) = count.take(&line.entry) {
            faults.push(fault(number, problem));
        }
        previous = Some(line);
    }
    if text.trim().is_empty() {
        faults.push(fault(1, "the log is empty".into()));
    } else if count.opened.is_none() {
        faults.push(fault(1, "the log does not open a poll".into()));
    }
    audit.poll_id = count.opened.as_ref().map(|o| o.poll_id);
    audit.settings = count.opened.as_ref().map(|o| o.settings.clone());
    audit.recount = count.closed.then(|| count.result()).flatten();
    audit.faults = faults;
    audit
}

struct Opened {
    poll_id: PollId,
    settings: PollSettings,
    entitled: u64,
    members: u64,
    voters: Option<Vec<MemberId>>,
}

/// The ballots read so far, current ones by receipt.
#[derive(Default)]
struct Recount {
    opened: Option<Opened>,
    current: HashMap<Receipt, (Vec<u32>, Option<MemberId>)>,
    seen: std::collections::HashSet<Receipt>,
    closed: bool,
    result_seen: bool,
    cancelled: bool,
}

impl Recount {
    fn result(&self) -> Option<PollResult> {
        let opened = self.opened.as_ref()?;
        let kind = &opened.settings.kind;
        let mut tally = BallotTally::new(kind);
        let mut roll = BTreeMap::new();
        for (choice, voter) in self.current.values() {
            tally.add(kind, choice);
            if let Some(voter) = voter {
                roll.insert(*voter, choice.clone());
            }
        }
        let roll = (!opened.settings.secret).then_some(roll);
        Some(PollResult::decide(
            &opened.settings,
            &tally,
            opened.entitled,
            opened.members,
            roll,
        ))
    }

    fn take(&mut self, entry: &PollLogEntry) -> Result<(), String> {
        if self.cancelled || self.result_seen {
            return Err("follows the end of the poll".into());
        }
        match entry {
            PollLogEntry::Opened {
                poll_id,
                settings,
                entitled,
                members,
                voters,
                ..
            } => {
                if self.opened.is_some() {
                    return Err("opens the poll a second time".into());
                }
                if settings.secret == voters.is_some() {
                    return Err(
                        "names the voters of a secret poll, or not those of a named one".into(),
                    );
                }
                if voters.as_ref().is_some_and(|v| v.len() as u64 != *entitled) {
                    return Err("lists another number of voters than it entitles".into());
                }
                self.opened = Some(Opened {
                    poll_id: *poll_id,
                    settings: settings.clone(),
                    entitled: *entitled,
                    members: *members,
                    voters: voters.clone(),
                });
                Ok(())
            }
            PollLogEntry::Ballot {
                receipt,
                choice,
                replaces,
                voter,
            } => {
                let Some(opened) = &self.opened else {
                    return Err("records a ballot before the poll opened".into());
                };
                if self.closed {
                    return Err("records a ballot after the poll closed".into());
                }
                if !self.seen.insert(*receipt) {
                    return Err(format!("repeats receipt {receipt}"));
                }
                let sorted = opened
                    .settings
                    .kind
                    .check_choice(choice)
                    .map_err(|refusal| format!("records a ballot the poll refuses: {refusal}"))?;
                if sorted != *choice {
                    return Err("records a choice out of order".into());
                }
                match (&opened.voters, voter) {
                    (None, Some(_)) => return Err("names the voter of a secret ballot".into()),
                    (Some(_), None) => {
                        return Err("records a named poll's ballot without its voter".into());
                    }
                    (Some(voters), Some(v)) if !voters.contains(v) => {
                        return Err(format!("records a ballot from {v}, who is not entitled"));
                    }
                    _ => {}
                }
                match replaces {
                    Some(earlier) => {
                        let Some((_, earlier_voter)) = self.current.remove(earlier) else {
                            return Err(format!(
                                "replaces {earlier}, which is not a current ballot"
                            ));
                        };
                        if !opened.settings.may_change {
                            return Err("changes a ballot in a poll that does not allow it".into());
                        }
                        if earlier_voter != *voter {
                            return Err("replaces another voter's ballot".into());
                        }
                    }
                    None => {
                        if voter.is_some() && self.current.values().any(|(_, v)| v == voter) {
                            return Err("records a second ballot for one voter".into());
                        }
                    }
                }
                self.current.insert(*receipt, (choice.clone(), *voter));
                if self.current.len() as u64 > opened.entitled {
                    return Err(format!(
                        "holds more ballots than the {} entitled voters",
                        opened.entitled
                    ));
                }
                Ok(())
            }
            PollLogEntry::Closed { .. } => {
                if self.opened.is_none() || self.closed {
                    return Err("closes a poll that is not open".into());
                }
                self.closed = true;
                Ok(())
            }
            PollLogEntry::Result { result } => {
                if !self.closed {
                    return Err("states a result before the poll closed".into());
                }
                self.result_seen = true;
                match self.result() {
                    Some(recount) if recount == *result => Ok(()),
                    Some(recount) => Err(format!(
                        "states a result that is not the count of the ballots (counted {:?} of {} ballots, stated {:?} of {})",
                        recount.counts, recount.ballots, result.counts, result.ballots
                    )),
                    None => Err("states a result of no poll".into()),
                }
            }
            PollLogEntry::Cancelled { .. } => {
                self.cancelled = true;
                Ok(())
            }
        }
    }
}
