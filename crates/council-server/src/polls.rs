//! The polls, kept in memory as their stored state, one desk per poll.
//!
//! A desk serialises everything done to its poll. Ballots are committed in groups: each
//! request queues its ballot and waits for the desk; whoever takes the desk checks every
//! queued ballot against the poll (`Poll::check_ballot`), writes the accepted ones, the
//! voters' bits and their log lines in one storage transaction, and answers them all. So a
//! burst of 2,000 ballots costs a few dozen transactions, not 2,000, and each ballot is
//! acknowledged only once it is stored. A desk is loaded from the storage on first use (a
//! server killed mid-poll carries on from what it stored); if a write fails, the desk drops
//! what it holds and loads again.

use crate::live::LiveHub;
use council_storage::{CouncilStorage, PollWrite, StorageError, StoredPoll};
use ecabinet_domain::poll::log::{LineHash, PollLogEntry, PollLogLine};
use ecabinet_domain::poll::{
    Ballot, BallotOutcome, BallotRefusal, BallotTally, CastBallot, Poll, PollId, PollRefusal,
    PollResult, PollState, PollStep, Receipt, VotedSet,
};
use ecabinet_domain::{CouncilId, MeetingRole, MemberId, Timestamp};
use ecabinet_protocol::{BallotReceipt, LiveEvent, PollStatus};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// Why a poll's desk did not do what was asked.
#[derive(Debug)]
pub enum PollError {
    Refused(PollRefusal),
    Ballot(BallotRefusal),
    NotFound,
    Storage(StorageError),
}

impl From<StorageError> for PollError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::NotFound => PollError::NotFound,
            other => PollError::Storage(other),
        }
    }
}

/// Who a poll's news goes to, as the API knows the meeting.
#[derive(Debug, Clone)]
pub struct Audience {
    pub council: CouncilId,
    /// The meeting's participants.
    pub participants: Arc<HashSet<MemberId>>,
}

/// A poll's state in memory: the poll, who voted, its ballots by receipt, the count and
/// the last line of its log.
struct PollCore {
    /// The council of the poll's meeting.
    council: CouncilId,
    poll: Poll,
    voted: VotedSet,
    ballots: HashMap<Receipt, CastBallot>,
    /// Where each ballot's line is, for answering a retry.
    lines: HashMap<Receipt, (u64, LineHash)>,
    tally: BallotTally,
    last: Option<PollLogLine>,
}

impl PollCore {
    async fn load(storage: &dyn CouncilStorage, id: PollId) -> Result<PollCore, PollError> {
        let StoredPoll { poll, voted } = storage.poll(id).await?.ok_or(PollError::NotFound)?;
        let council = storage.meeting(poll.meeting_id).await?.council_id;
        let mut tally = BallotTally::new(&poll.settings.kind);
        let mut ballots = HashMap::new();
        for ballot in storage.poll_ballots(id).await? {
            if !ballot.replaced {
                tally.add(&poll.settings.kind, &ballot.choice);
            }
            ballots.insert(ballot.receipt, ballot);
        }
        let log = storage.poll_log(id).await?;
        let lines = log
            .iter()
            .filter_map(|line| match &line.entry {
                PollLogEntry::Ballot { receipt, .. } => Some((*receipt, (line.seq, line.hash))),
                _ => None,
            })
            .collect();
        Ok(PollCore {
            council,
            poll,
            voted,
            ballots,
            lines,
            tally,
            last: log.last().cloned(),
        })
    }

    fn status(&self, viewer: Option<MemberId>) -> PollStatus {
        let open = self.poll.state == PollState::Open;
        let mut poll = self.poll.clone();
        poll.entitled = Vec::new();
        let not_voted = (open && !self.poll.settings.secret && viewer.is_some())
            .then(|| self.poll.not_voted(&self.voted));
        let index = viewer.and_then(|v| self.poll.voter_index(v));
        PollStatus {
            poll,
            entitled: self.poll.entitled.len() as u32,
            voted: self.voted.count() as u32,
            may_vote: open && index.is_some(),
            has_voted: viewer.map(|_| index.is_some_and(|i| self.voted.has(i))),
            not_voted,
        }
    }

    fn append(&mut self, entry: PollLogEntry, lines: &mut Vec<PollLogLine>) -> (u64, LineHash) {
        let line = PollLogLine::after(self.last.as_ref(), entry);
        let at = (line.seq, line.hash);
        self.last = Some(line.clone());
        lines.push(line);
        at
    }

    fn result(&self) -> PollResult {
        let roll = (!self.poll.settings.secret).then(|| {
            self.ballots
                .values()
                .filter(|b| !b.replaced)
                .filter_map(|b| Some((b.voter?, b.choice.clone())))
                .collect::<BTreeMap<_, _>>()
        });
        PollResult::decide(
            &self.poll.settings,
            &self.tally,
            self.poll.entitled.len() as u64,
            u64::from(self.poll.members),
            roll,
        )
    }
}

/// A ballot as it reached the server: from whom, in which poll of which council, when.
#[derive(Debug)]
pub struct Cast {
    pub council: CouncilId,
    pub poll: PollId,
    pub voter: MemberId,
    pub ballot: Ballot,
    pub now: Timestamp,
}

struct Queued {
    voter: MemberId,
    ballot: Ballot,
    now: Timestamp,
    reply: oneshot::Sender<Result<BallotReceipt, PollError>>,
}

/// One poll's desk.
#[derive(Default)]
struct PollDesk {
    queue: Mutex<Vec<Queued>>,
    core: tokio::sync::Mutex<Option<PollCore>>,
    /// When turnout was last sent, and whether a later one is due.
    turnout: Mutex<(Option<Instant>, bool)>,
}

/// Turnout goes out at most this often, whatever the rate of ballots.
const TURNOUT_EVERY: Duration = Duration::from_millis(250);

/// Every poll this server has touched since it started.
#[derive(Default)]
pub struct Polls {
    desks: Mutex<HashMap<PollId, Arc<PollDesk>>>,
}

impl Polls {
    fn desk(&self, id: PollId) -> Arc<PollDesk> {
        let mut desks = self.desks.lock().expect("polls lock");
        Arc::clone(desks.entry(id).or_default())
    }

    /// The poll as it stands for `viewer` (`None`: as sent to many).
    pub async fn status(
        &self,
        storage: &dyn CouncilStorage,
        id: PollId,
        viewer: Option<MemberId>,
    ) -> Result<PollStatus, PollError> {
        let desk = self.desk(id);
        let mut core = desk.core.lock().await;
        Ok(loaded(storage, id, &mut core).await?.status(viewer))
    }

    /// The poll (its meeting, to check who asks), if it exists.
    pub async fn poll(&self, storage: &dyn CouncilStorage, id: PollId) -> Result<Poll, PollError> {
        let desk = self.desk(id);
        let mut core = desk.core.lock().await;
        Ok(loaded(storage, id, &mut core).await?.poll.clone())
    }

    /// The poll's council, and whether `member` is entitled to vote in it: what a ballot
    /// needs checked before it queues, without copying the poll.
    pub async fn voter(
        &self,
        storage: &dyn CouncilStorage,
        id: PollId,
        member: MemberId,
    ) -> Result<(CouncilId, bool), PollError> {
        let desk = self.desk(id);
        let mut core = desk.core.lock().await;
        let core = loaded(storage, id, &mut core).await?;
        Ok((core.council, core.poll.entitles(member)))
    }

    /// Stores a new draft or a draft's new settings, and tells the participants.
    pub async fn draft(
        &self,
        storage: &dyn CouncilStorage,
        live: &LiveHub,
        audience: &Audience,
        draft: Poll,
    ) -> Result<PollStatus, PollError> {
        let desk = self.desk(draft.id);
        let mut slot = desk.core.lock().await;
        let existing = match loaded(storage, draft.id, &mut slot).await {
            Ok(core) => Some(core),
            Err(PollError::NotFound) => None,
            Err(other) => return Err(other),
        };
        let poll = match existing {
            Some(core) => {
                if core.poll.meeting_id != draft.meeting_id {
                    return Err(PollError::NotFound);
                }
                let mut poll = core.poll.clone();
                poll.edit(draft.item_id, draft.settings)
                    .map_err(PollError::Refused)?;
                poll
            }
            None => draft,
        };
        storage
            .write_poll(PollWrite {
                record_changed: true,
                poll: &poll,
                new_voters: &[],
                ballots: &[],
                replaced: &[],
                lines: &[],
            })
            .await
            .inspect_err(|_| *slot = None)?;
        *slot = None;
        let core = loaded(storage, poll.id, &mut slot).await?;
        announce(live, audience, core);
        Ok(core.status(None))
    }

    /// Takes a step of the poll's life for someone sitting as `role`: opening takes the
    /// `entitled` voters (present now) and `members` (all voting participants).
    #[allow(clippy::too_many_arguments)]
    pub async fn step(
        self: &Arc<Self>,
        storage: &Arc<dyn CouncilStorage>,
        live: &LiveHub,
        audience: &Audience,
        id: PollId,
        role: Option<MeetingRole>,
        step: PollStep,
        now: Timestamp,
        present: impl FnOnce() -> Result<(Vec<MemberId>, u32), PollRefusal>,
    ) -> Result<PollStatus, PollError> {
        let desk = self.desk(id);
        let mut slot = desk.core.lock().await;
        let core = loaded(storage.as_ref(), id, &mut slot).await?;
        core.poll
            .check_step(role, step)
            .map_err(PollError::Refused)?;
        let mut lines = Vec::new();
        match step {
            PollStep::Open => {
                let (entitled, members) = present().map_err(PollError::Refused)?;
                core.poll
                    .open(now, entitled, members)
                    .map_err(PollError::Refused)?;
                core.voted = VotedSet::new(core.poll.entitled.len());
                let poll = &core.poll;
                let entry = PollLogEntry::Opened {
                    poll_id: poll.id,
                    meeting_id: poll.meeting_id,
                    item_id: poll.item_id,
                    settings: poll.settings.clone(),
                    at: now,
                    entitled: poll.entitled.len() as u64,
                    members: u64::from(poll.members),
                    voters: (!poll.settings.secret).then(|| poll.entitled.clone()),
                };
                core.append(entry, &mut lines);
            }
            PollStep::Close => close(core, now, &mut lines),
            PollStep::Publish => core.poll.publish(now),
            PollStep::Cancel => {
                if core.last.is_some() {
                    core.append(PollLogEntry::Cancelled { at: now }, &mut lines);
                }
                core.poll.cancel(now);
            }
        }
        let written = storage
            .write_poll(PollWrite {
                record_changed: true,
                poll: &core.poll,
                new_voters: &[],
                ballots: &[],
                replaced: &[],
                lines: &lines,
            })
            .await;
        if let Err(e) = written {
            *slot = None;
            return Err(e.into());
        }
        announce(live, audience, core);
        if let (PollStep::Open, Some(closes_at)) = (step, core.poll.closes_at) {
            self.close_when_due(storage, live, audience, id, closes_at, now);
        }
        Ok(core.status(None))
    }

    /// Starts again the countdowns of the polls left open when the server stopped (or was
    /// killed): a countdown that ran out meanwhile closes its poll at once. Their news goes
    /// to the entitled voters (the meeting's other participants see it on their next load).
    pub async fn resume_countdowns(
        self: &Arc<Self>,
        storage: &Arc<dyn CouncilStorage>,
        live: &LiveHub,
        now: Timestamp,
    ) -> Result<usize, StorageError> {
        let mut resumed = 0;
        for stored in storage.open_polls().await? {
            let poll = stored.poll;
            let Some(closes_at) = poll.closes_at else {
                continue;
            };
            let council = storage.meeting(poll.meeting_id).await?.council_id;
            let audience = Audience {
                council,
                participants: Arc::new(poll.entitled.iter().copied().collect()),
            };
            self.close_when_due(storage, live, &audience, poll.id, closes_at, now);
            resumed += 1;
        }
        Ok(resumed)
    }

    /// Closes the poll by its countdown: a task waits until `closes_at` by the server's
    /// clock (as `now` read it) and closes it if it is still open.
    fn close_when_due(
        self: &Arc<Self>,
        storage: &Arc<dyn CouncilStorage>,
        live: &LiveHub,
        audience: &Audience,
        id: PollId,
        closes_at: Timestamp,
        now: Timestamp,
    ) {
        let wait = Duration::from_millis((closes_at.millis() - now.millis()).max(0) as u64);
        let (polls, storage, live, audience) = (
            Arc::clone(self),
            Arc::clone(storage),
            live.clone(),
            audience.clone(),
        );
        tokio::spawn(async move {
            tokio::time::sleep(wait).await;
            let desk = polls.desk(id);
            let mut slot = desk.core.lock().await;
            let Ok(core) = loaded(storage.as_ref(), id, &mut slot).await else {
                return;
            };
            if core.poll.state != PollState::Open {
                return;
            }
            let mut lines = Vec::new();
            close(core, closes_at, &mut lines);
            let written = storage
                .write_poll(PollWrite {
                    record_changed: true,
                    poll: &core.poll,
                    new_voters: &[],
                    ballots: &[],
                    replaced: &[],
                    lines: &lines,
                })
                .await;
            match written {
                Ok(()) => announce(&live, &audience, core),
                Err(e) => {
                    tracing::error!(error = ?e, poll = %id, "closing a poll by its countdown");
                    *slot = None;
                }
            }
        });
    }

    /// Casts `voter`'s ballot: queued, then checked and stored with whatever else is queued
    /// (see the module's comment). Answers once it is stored, or refused.
    pub async fn cast(
        &self,
        storage: &dyn CouncilStorage,
        live: &LiveHub,
        cast: Cast,
    ) -> Result<BallotReceipt, PollError> {
        let Cast {
            council,
            poll: id,
            voter,
            ballot,
            now,
        } = cast;
        let desk = self.desk(id);
        let (reply, answer) = oneshot::channel();
        desk.queue.lock().expect("poll queue").push(Queued {
            voter,
            ballot,
            now,
            reply,
        });
        {
            let mut slot = desk.core.lock().await;
            let queued = std::mem::take(&mut *desk.queue.lock().expect("poll queue"));
            if !queued.is_empty() {
                let counted = count_ballots(storage, id, &mut slot, queued).await;
                if let Some(core) = counted {
                    self.send_turnout(live, council, id, &desk, core);
                }
            }
        }
        answer
            .await
            .unwrap_or(Err(PollError::Storage(StorageError::Backend(
                anyhow::anyhow!("the poll's desk dropped a ballot unanswered"),
            ))))
    }

    /// Sends the turnout now, or once [`TURNOUT_EVERY`] has passed since the last.
    fn send_turnout(
        &self,
        live: &LiveHub,
        council: CouncilId,
        id: PollId,
        desk: &Arc<PollDesk>,
        core: &PollCore,
    ) {
        let event = LiveEvent::PollTurnout {
            meeting_id: core.poll.meeting_id,
            poll_id: id,
            voted: core.voted.count() as u32,
            entitled: core.poll.entitled.len() as u32,
        };
        let audience = || Arc::new(core.poll.entitled.iter().copied().collect::<HashSet<_>>());
        let mut turnout = desk.turnout.lock().expect("turnout lock");
        let recently = turnout.0.is_some_and(|at| at.elapsed() < TURNOUT_EVERY);
        if !recently {
            *turnout = (Some(Instant::now()), false);
            live.publish_to_meeting(council, audience(), &event);
            return;
        }
        if turnout.1 {
            return;
        }
        turnout.1 = true;
        let audience = audience();
        let (desk, live) = (Arc::clone(desk), live.clone());
        let wait =
            TURNOUT_EVERY.saturating_sub(turnout.0.map_or(Duration::ZERO, |at| at.elapsed()));
        tokio::spawn(async move {
            tokio::time::sleep(wait).await;
            let slot = desk.core.lock().await;
            let Some(core) = slot.as_ref() else { return };
            let event = LiveEvent::PollTurnout {
                meeting_id: core.poll.meeting_id,
                poll_id: id,
                voted: core.voted.count() as u32,
                entitled: core.poll.entitled.len() as u32,
            };
            *desk.turnout.lock().expect("turnout lock") = (Some(Instant::now()), false);
            live.publish_to_meeting(council, audience, &event);
        });
    }
}

/// The desk's core, loaded from the storage if it is not held (and closed if its countdown
/// ran out while nobody looked, e.g. across a restart).
async fn loaded<'a>(
    storage: &dyn CouncilStorage,
    id: PollId,
    slot: &'a mut Option<PollCore>,
) -> Result<&'a mut PollCore, PollError> {
    if slot.is_none() {
        *slot = Some(PollCore::load(storage, id).await?);
    }
    Ok(slot.as_mut().expect("loaded above"))
}

/// Closes the poll at `at` with its count: the closed and result lines.
fn close(core: &mut PollCore, at: Timestamp, lines: &mut Vec<PollLogLine>) {
    let result = core.result();
    core.append(PollLogEntry::Closed { at }, lines);
    core.append(
        PollLogEntry::Result {
            result: result.clone(),
        },
        lines,
    );
    core.poll.close(at, result);
}

/// Checks and stores the queued ballots in one write; answers each. Returns the core when
/// anything new was stored.
async fn count_ballots<'a>(
    storage: &dyn CouncilStorage,
    id: PollId,
    slot: &'a mut Option<PollCore>,
    queued: Vec<Queued>,
) -> Option<&'a PollCore> {
    let core = match loaded(storage, id, slot).await {
        Ok(core) => core,
        Err(e) => {
            let reason = format!("{e:?}");
            for q in queued {
                let _ = q.reply.send(Err(match &e {
                    PollError::NotFound => PollError::NotFound,
                    _ => PollError::Storage(StorageError::Backend(anyhow::anyhow!(reason.clone()))),
                }));
            }
            return None;
        }
    };
    let named = !core.poll.settings.secret;
    let kind = core.poll.settings.kind.clone();
    let mut voted = core.voted.clone();
    let (mut new_voters, mut ballots, mut replaced, mut lines) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut waiting = Vec::new();
    for q in queued {
        let index = core.poll.voter_index(q.voter);
        let has_voted = index.is_some_and(|i| voted.has(i));
        let checked = core
            .poll
            .check_ballot(q.voter, has_voted, &q.ballot, q.now, &core.ballots);
        let receipt = q.ballot.receipt(id);
        let (outcome, choice) = match checked {
            Ok(checked) => checked,
            Err(refusal) => {
                let _ = q.reply.send(Err(PollError::Ballot(refusal)));
                continue;
            }
        };
        let answer = |(seq, line_hash): (u64, LineHash)| BallotReceipt {
            poll_id: id,
            receipt,
            version: q.ballot.version,
            seq,
            line_hash,
        };
        let replaces = match outcome {
            BallotOutcome::Repeat => {
                let at = core.lines.get(&receipt).copied();
                let _ = q.reply.send(at.map(answer).ok_or(PollError::NotFound));
                continue;
            }
            BallotOutcome::First => {
                let index = index.expect("an entitled voter has a place");
                voted.mark(index);
                new_voters.push(index);
                None
            }
            BallotOutcome::Replaces(earlier) => {
                if let Some(old) = core.ballots.get_mut(&earlier) {
                    old.replaced = true;
                    core.tally.remove(&kind, &old.choice);
                }
                replaced.push(earlier);
                Some(earlier)
            }
        };
        let cast = CastBallot {
            receipt,
            choice: choice.clone(),
            voter: named.then_some(q.voter),
            replaced: false,
        };
        core.tally.add(&kind, &choice);
        core.ballots.insert(receipt, cast.clone());
        ballots.push(cast);
        let at = core.append(
            PollLogEntry::Ballot {
                receipt,
                choice,
                replaces,
                voter: named.then_some(q.voter),
            },
            &mut lines,
        );
        core.lines.insert(receipt, at);
        waiting.push((q.reply, answer(at)));
    }
    if ballots.is_empty() {
        return None;
    }
    let written = storage
        .write_poll(PollWrite {
            record_changed: false,
            poll: &core.poll,
            new_voters: &new_voters,
            ballots: &ballots,
            replaced: &replaced,
            lines: &lines,
        })
        .await;
    match written {
        Ok(()) => {
            core.voted = voted;
            for (reply, receipt) in waiting {
                let _ = reply.send(Ok(receipt));
            }
            slot.as_ref()
        }
        Err(e) => {
            // What the core holds is ahead of the storage: drop it and load again next time.
            tracing::error!(error = ?e, poll = %id, "storing ballots");
            *slot = None;
            let reason = e.to_string();
            for (reply, _) in waiting {
                let _ = reply.send(Err(PollError::Storage(StorageError::Backend(
                    anyhow::anyhow!(reason.clone()),
                ))));
            }
            None
        }
    }
}

/// Tells the participants of a poll's new state: the entitled voters that they may vote,
/// everyone else that they may not.
fn announce(live: &LiveHub, audience: &Audience, core: &PollCore) {
    let status = core.status(None);
    let meeting_id = core.poll.meeting_id;
    if core.poll.state == PollState::Open {
        let voters: HashSet<MemberId> = core.poll.entitled.iter().copied().collect();
        let others: HashSet<MemberId> = audience
            .participants
            .iter()
            .filter(|m| !voters.contains(m))
            .copied()
            .collect();
        let for_voters = PollStatus {
            may_vote: true,
            ..status.clone()
        };
        live.publish_to_meeting(
            audience.council,
            Arc::new(voters),
            &LiveEvent::Poll {
                meeting_id,
                status: Box::new(for_voters),
            },
        );
        live.publish_to_meeting(
            audience.council,
            Arc::new(others),
            &LiveEvent::Poll {
                meeting_id,
                status: Box::new(status),
            },
        );
    } else {
        live.publish_to_meeting(
            audience.council,
            Arc::clone(&audience.participants),
            &LiveEvent::Poll {
                meeting_id,
                status: Box::new(status),
            },
        );
    }
}
