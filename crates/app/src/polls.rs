//! Polls on this device: the meeting's polls as the server answers them, then their live
//! changes and turnout from the socket, each shown beside the member's own ballot.
//!
//! **A ballot is never silently dropped.** Before it is sent, the ballot is saved in the
//! store with the poll's key (made here at random, once per poll) and the state "sending";
//! the server's answer makes it "recorded", with the receipt and the line of the poll's log
//! it went to, or "refused" with the server's code. A lost answer is sent again under the
//! same key and version, which the server counts once; a ballot left "sending" by a crash
//! shows so, and voting again sends the same ballot. Voting needs the server: offline, the
//! ballot stays "sending" with `server_unreachable`, shown, never queued for later (a vote
//! is for the poll open now).
//!
//! **The receipt.** The member checks their ballot against the poll's public log: the line
//! the answer gave must hold the receipt this device computes from its key, with the choice
//! it sent, and the chain must hold (`ecabinet_domain::poll::log::audit`).

use crate::dto::{self, IpcError, IpcErrorCode};
use crate::sitting::participants;
use crate::{AppCore, Notify, parse_id};
use ecabinet_domain::poll::log::{PollLogEntry, PollLogLine, audit};
use ecabinet_domain::poll::{
    Ballot, BallotKey, PollId, PollKind, PollSettings, PollState, Receipt,
};
use ecabinet_domain::{Clock, MeetingId, MeetingRole, MemberId, Participant};
use ecabinet_protocol::{PollDraft, PollStatus};
use ecabinet_store::{BallotState, OwnBallot, RecordedBallot, Store, StoredSession};
use ecabinet_sync::{CouncilClient, SittingNews, SyncError};
use rand::RngCore;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::broadcast;

/// How often a ballot is sent again under its key when no answer came.
const SEND_TRIES: usize = 3;

/// The polls the window follows, by meeting, as last known (and the server's clock offset).
#[derive(Default)]
pub(crate) struct HeldPolls {
    held: Mutex<HashMap<MeetingId, HashMap<PollId, PollStatus>>>,
    offset_ms: Mutex<i64>,
}

impl HeldPolls {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<MeetingId, HashMap<PollId, PollStatus>>> {
        self.held.lock().expect("held polls lock")
    }

    fn hold(&self, meeting: MeetingId, status: PollStatus) -> PollStatus {
        let mut held = self.lock();
        let polls = held.entry(meeting).or_default();
        // A message sent to many says nothing of this member's ballot: keep what we knew.
        let has_voted = status
            .has_voted
            .or_else(|| polls.get(&status.poll.id).and_then(|s| s.has_voted));
        let status = PollStatus {
            has_voted,
            ..status
        };
        polls.insert(status.poll.id, status.clone());
        status
    }

    fn meeting_of(&self, poll: PollId) -> Option<MeetingId> {
        self.lock()
            .iter()
            .find(|(_, polls)| polls.contains_key(&poll))
            .map(|(meeting, _)| *meeting)
    }

    /// Takes a turnout for a held poll; false when the poll is not followed here.
    fn turnout(&self, meeting: MeetingId, poll: PollId, voted: u32) -> bool {
        let mut held = self.lock();
        let Some(status) = held
            .get_mut(&meeting)
            .and_then(|polls| polls.get_mut(&poll))
        else {
            return false;
        };
        status.voted = status.voted.max(voted);
        true
    }

    fn followed(&self) -> Vec<MeetingId> {
        self.lock().keys().copied().collect()
    }

    pub(crate) fn forget_all(&self) {
        self.lock().clear();
    }
}

impl AppCore {
    /// The meeting's polls as the server has them now; from then on their changes reach the
    /// window as `poll-changed` and `poll-turnout`.
    pub async fn meeting_polls(&self, meeting_id: &str) -> Result<Vec<dto::PollView>, IpcError> {
        let meeting: MeetingId = parse_id(meeting_id)?;
        let session = self.session()?;
        let client = CouncilClient::new(&session.server_url)?;
        let snapshot = client.meeting_polls(&session.token, meeting).await?;
        *self.polls.offset_ms.lock().expect("offset lock") =
            snapshot.server_time.millis() - self.clock.now().millis();
        let statuses: Vec<PollStatus> = snapshot
            .polls
            .into_iter()
            .map(|status| self.polls.hold(meeting, status))
            .collect();
        let store = self.store();
        let facts = Facts::read(&store, meeting, &session)?;
        Ok(statuses
            .iter()
            .map(|status| facts.view(status, self.polls_offset()))
            .collect())
    }

    fn polls_offset(&self) -> i64 {
        *self.polls.offset_ms.lock().expect("offset lock")
    }

    /// A new draft poll (or a draft's new settings), by the chair or the secretary.
    pub async fn draft_poll(
        &self,
        meeting_id: &str,
        input: dto::PollDraftInput,
    ) -> Result<dto::PollView, IpcError> {
        let meeting: MeetingId = parse_id(meeting_id)?;
        let poll: PollId = match &input.poll_id {
            Some(id) => parse_id(id)?,
            None => PollId(uuid::Uuid::new_v4()),
        };
        let draft = PollDraft {
            item_id: parse_id(&input.item_id)?,
            settings: settings(&input),
        };
        let session = self.session()?;
        let client = CouncilClient::new(&session.server_url)?;
        let status = client
            .draft_poll(&session.token, meeting, poll, &draft)
            .await?;
        self.show_poll(meeting, status, &session)
    }

    /// The chair opens, closes, publishes or cancels a poll.
    pub async fn step_poll(
        &self,
        poll_id: &str,
        step: dto::PollStepInput,
    ) -> Result<dto::PollView, IpcError> {
        let poll: PollId = parse_id(poll_id)?;
        let meeting = self.polls.meeting_of(poll).ok_or_else(not_followed)?;
        let session = self.session()?;
        let client = CouncilClient::new(&session.server_url)?;
        let status = client.step_poll(&session.token, poll, step.into()).await?;
        self.show_poll(meeting, status, &session)
    }

    fn show_poll(
        &self,
        meeting: MeetingId,
        status: PollStatus,
        session: &StoredSession,
    ) -> Result<dto::PollView, IpcError> {
        let status = self.polls.hold(meeting, status);
        let view = Facts::read(&self.store(), meeting, session)?.view(&status, self.polls_offset());
        self.notify.poll_changed(view.clone());
        Ok(view)
    }

    /// Casts the member's ballot (or changes it, where the poll allows): saved as "sending"
    /// first, then recorded with its receipt or refused with the server's reason.
    pub async fn cast_ballot(
        &self,
        poll_id: &str,
        choice: Vec<u32>,
    ) -> Result<dto::PollView, IpcError> {
        let poll: PollId = parse_id(poll_id)?;
        let meeting = self.polls.meeting_of(poll).ok_or_else(not_followed)?;
        let session = self.session()?;
        let member = session.member.id;
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        let now = self.clock.now().millis();
        let own = self
            .store()
            .start_ballot(member, meeting, poll, BallotKey(key), &choice, now)?;
        let ballot = Ballot {
            key: own.key,
            version: own.version,
            choice: own.choice.clone(),
        };
        let client = CouncilClient::new(&session.server_url)?;
        let mut tries = 0;
        let answer = loop {
            tries += 1;
            match client.cast_ballot(&session.token, poll, &ballot).await {
                // The answer may have been lost after the server recorded it: the same
                // ballot again is answered with its receipt.
                Err(SyncError::Unreachable(_)) if tries < SEND_TRIES => {
                    tokio::time::sleep(Duration::from_millis(300)).await;
                }
                other => break other,
            }
        };
        let now = self.clock.now().millis();
        match answer {
            Ok(receipt) => {
                if receipt.receipt != Receipt::of(poll, &ballot.key, ballot.version) {
                    // The server answered with another receipt than this ballot's: say so,
                    // rather than keep a receipt that proves nothing.
                    self.store().ballot_refused(
                        member,
                        poll,
                        "internal",
                        "the server's receipt is not this ballot's",
                        now,
                    )?;
                } else {
                    let recorded = RecordedBallot {
                        version: ballot.version,
                        choice: ballot.choice.clone(),
                        receipt: receipt.receipt,
                        seq: receipt.seq,
                        line_hash: receipt.line_hash,
                    };
                    self.store().ballot_recorded(member, poll, &recorded, now)?;
                }
            }
            Err(SyncError::Refused(refusal)) => {
                let code = refusal.code.wire_name();
                self.store()
                    .ballot_refused(member, poll, &code, &refusal.message, now)?;
            }
            // Unreachable, or the session ended: the ballot stays "sending", shown so.
            Err(e) => {
                let status = self
                    .polls
                    .lock()
                    .get(&meeting)
                    .and_then(|p| p.get(&poll).cloned());
                if let Some(status) = status {
                    let _ = self.show_poll(meeting, status, &session);
                }
                return Err(e.into());
            }
        }
        // The poll as the server has it now (turnout, has voted).
        let snapshot = client.meeting_polls(&session.token, meeting).await;
        let status = match snapshot {
            Ok(snapshot) => snapshot.polls.into_iter().find(|p| p.poll.id == poll),
            Err(_) => self
                .polls
                .lock()
                .get(&meeting)
                .and_then(|p| p.get(&poll).cloned()),
        };
        let status = status.ok_or_else(not_followed)?;
        self.show_poll(meeting, status, &session)
    }

    /// Checks the member's recorded ballot against the poll's public log.
    pub async fn check_ballot_receipt(
        &self,
        poll_id: &str,
    ) -> Result<dto::ReceiptCheckView, IpcError> {
        let poll: PollId = parse_id(poll_id)?;
        let session = self.session()?;
        let own = self.store().own_ballot(session.member.id, poll)?;
        let recorded = own
            .as_ref()
            .and_then(|b| b.recorded.clone())
            .ok_or_else(|| {
                IpcError::new(
                    IpcErrorCode::NotFound,
                    "no ballot of yours was recorded in this poll",
                )
            })?;
        let key = own.map(|b| b.key).expect("a recorded ballot has a key");
        let client = CouncilClient::new(&session.server_url)?;
        let log = client.poll_log(&session.token, poll).await?;
        Ok(check_receipt(&log, poll, &key, &recorded))
    }
}

/// Whether `recorded` sits in `log` as its answer said: at its line, with its hash, the
/// receipt this key makes and the choice sent; and whether the whole log holds.
pub(crate) fn check_receipt(
    log: &str,
    poll: PollId,
    key: &BallotKey,
    recorded: &RecordedBallot,
) -> dto::ReceiptCheckView {
    let audited = audit(log);
    let line: Option<PollLogLine> = log
        .lines()
        .nth(recorded.seq.saturating_sub(1) as usize)
        .and_then(|text| serde_json::from_str(text).ok());
    let expected = Receipt::of(poll, key, recorded.version);
    let found = line.is_some_and(|line| {
        line.seq == recorded.seq
            && line.hash == recorded.line_hash
            && line.content_hash() == line.hash
            && matches!(&line.entry, PollLogEntry::Ballot { receipt, choice, .. }
                if *receipt == expected && *choice == recorded.choice)
    });
    dto::ReceiptCheckView {
        found,
        line: recorded.seq,
        receipt: expected.to_string(),
        log_holds: audited.holds(),
        problems: audited
            .faults
            .iter()
            .map(|f| format!("line {}: {}", f.line, f.problem))
            .collect(),
        lines: audited.lines as u64,
    }
}

fn not_followed() -> IpcError {
    IpcError::new(
        IpcErrorCode::NotFound,
        "this poll is not among the meeting's polls on this device; open the meeting's polls again",
    )
}

fn settings(input: &dto::PollDraftInput) -> PollSettings {
    let options = input.options.iter().map(|o| o.trim().to_owned()).collect();
    let kind = match input.kind {
        dto::PollKindView::YesNoAbstain => PollKind::YesNoAbstain,
        dto::PollKindView::OneOf => PollKind::OneOf { options },
        dto::PollKindView::SomeOf => PollKind::SomeOf {
            options,
            max: input.max_choices,
        },
        dto::PollKindView::Election => PollKind::Election {
            candidates: options,
            seats: input.max_choices,
        },
    };
    PollSettings {
        title: input.title.trim().to_owned(),
        kind,
        secret: input.secret,
        rule: input.rule.into(),
        may_change: input.may_change,
        countdown_secs: input.countdown_secs,
    }
}

/// What a poll's view needs of the meeting on this device.
struct Facts {
    participants: Vec<Participant>,
    items: HashMap<String, String>,
    own: HashMap<PollId, OwnBallot>,
    me: MemberId,
}

impl Facts {
    fn read(store: &Store, meeting: MeetingId, session: &StoredSession) -> Result<Facts, IpcError> {
        let participants = participants(store, meeting)?;
        let items = store
            .agenda_items(meeting)?
            .into_iter()
            .map(|item| (item.id.to_string(), item.title))
            .collect();
        let own = store
            .own_ballots(session.member.id, meeting)?
            .into_iter()
            .map(|b| (b.poll_id, b))
            .collect();
        Ok(Facts {
            participants,
            items,
            own,
            me: session.member.id,
        })
    }

    fn name(&self, member: MemberId) -> String {
        self.participants
            .iter()
            .find(|p| p.member_id == member)
            .map_or_else(|| "?".to_owned(), |p| p.display_name.clone())
    }

    fn view(&self, status: &PollStatus, offset_ms: i64) -> dto::PollView {
        let poll = &status.poll;
        let role = self
            .participants
            .iter()
            .find(|p| p.member_id == self.me)
            .map(|p| p.meeting_role);
        let may_step = role == Some(MeetingRole::Chair)
            || (role == Some(MeetingRole::Secretary) && poll.state == PollState::Draft);
        let own = self.own.get(&poll.id);
        let kind = match poll.settings.kind {
            PollKind::YesNoAbstain => dto::PollKindView::YesNoAbstain,
            PollKind::OneOf { .. } => dto::PollKindView::OneOf,
            PollKind::SomeOf { .. } => dto::PollKindView::SomeOf,
            PollKind::Election { .. } => dto::PollKindView::Election,
        };
        let result = poll.result.as_ref().map(|r| dto::PollResultView {
            rule: r.rule.into(),
            counts: r.counts.clone(),
            ballots: r.ballots,
            abstained: r.abstained,
            not_voted: r.not_voted,
            entitled: r.entitled,
            members: r.members,
            base: r.base,
            needed: r.needed,
            chosen: r.chosen.clone(),
            passed: r.passed,
            tied: r.tied,
            roll: r.roll.as_ref().map(|roll| {
                roll.iter()
                    .map(|(member, choice)| dto::RollEntryView {
                        member_id: member.to_string(),
                        name: self.name(*member),
                        choice: choice.clone(),
                    })
                    .collect()
            }),
        });
        let recorded_here = own.is_some_and(|b| b.recorded.is_some());
        dto::PollView {
            id: poll.id.to_string(),
            meeting_id: poll.meeting_id.to_string(),
            item_id: poll.item_id.to_string(),
            item_title: self.items.get(&poll.item_id.to_string()).cloned(),
            title: poll.settings.title.clone(),
            kind,
            options: poll.settings.kind.option_names().to_vec(),
            max_choices: poll.settings.kind.max_choices() as u32,
            secret: poll.settings.secret,
            rule: poll.settings.rule.into(),
            may_change: poll.settings.may_change,
            countdown_secs: poll.settings.countdown_secs,
            state: poll.state.into(),
            opened_at: poll.opened_at.map(|t| t.millis()),
            closes_at: poll.closes_at.map(|t| t.millis()),
            closed_at: poll.closed_at.map(|t| t.millis()),
            entitled: status.entitled,
            voted: status.voted,
            may_vote: status.may_vote,
            has_voted: status.has_voted.unwrap_or(false) || recorded_here,
            not_voted: status
                .not_voted
                .as_ref()
                .map(|members| members.iter().map(|m| self.name(*m)).collect()),
            result,
            my_ballot: own.map(my_ballot),
            server_offset_ms: offset_ms,
            may_step,
        }
    }
}

fn my_ballot(own: &OwnBallot) -> dto::MyBallotView {
    let (state, refused_code, refused_message) = match &own.state {
        BallotState::Sending => (dto::BallotStateView::Sending, None, None),
        BallotState::Recorded => (dto::BallotStateView::Recorded, None, None),
        BallotState::Refused { code, message } => (
            dto::BallotStateView::Refused,
            Some(crate::error::server_refusal(code, message).code),
            Some(message.clone()),
        ),
    };
    dto::MyBallotView {
        version: own.version,
        choice: own.choice.clone(),
        state,
        refused_code,
        refused_message,
        recorded_choice: own.recorded.as_ref().map(|r| r.choice.clone()),
        receipt: own.recorded.as_ref().map(|r| r.receipt.to_string()),
        line: own.recorded.as_ref().map(|r| r.seq),
    }
}

/// Follows the live socket's poll news while signed in: each poll's new state and turnout
/// shown as it comes; a stale socket fetches the followed meetings' polls anew.
pub(crate) async fn follow(
    mut news: broadcast::Receiver<SittingNews>,
    polls: Arc<HeldPolls>,
    store: Arc<Mutex<Store>>,
    session: StoredSession,
    notify: Arc<dyn Notify>,
    clock: Arc<dyn Clock>,
) {
    let Ok(client) = CouncilClient::new(&session.server_url) else {
        return;
    };
    let offset = || *polls.offset_ms.lock().expect("offset lock");
    let show = |meeting: MeetingId, status: &PollStatus| {
        let facts = Facts::read(&store.lock().expect("store lock"), meeting, &session);
        match facts {
            Ok(facts) => notify.poll_changed(facts.view(status, offset())),
            Err(e) => tracing::warn!("reading a poll's meeting: {e:?}"),
        }
    };
    loop {
        match news.recv().await {
            Ok(SittingNews::Poll { meeting_id, status }) => {
                if polls.followed().contains(&meeting_id) {
                    let status = polls.hold(meeting_id, *status);
                    show(meeting_id, &status);
                }
            }
            Ok(SittingNews::PollTurnout {
                meeting_id,
                poll_id,
                voted,
                entitled,
            }) => {
                if polls.turnout(meeting_id, poll_id, voted) {
                    notify.poll_turnout(dto::PollTurnoutView {
                        meeting_id: meeting_id.to_string(),
                        poll_id: poll_id.to_string(),
                        voted,
                        entitled,
                    });
                }
            }
            Ok(SittingNews::Stale) | Err(broadcast::error::RecvError::Lagged(_)) => {
                for meeting in polls.followed() {
                    match client.meeting_polls(&session.token, meeting).await {
                        Ok(snapshot) => {
                            *polls.offset_ms.lock().expect("offset lock") =
                                snapshot.server_time.millis() - clock.now().millis();
                            for status in snapshot.polls {
                                let status = polls.hold(meeting, status);
                                show(meeting, &status);
                            }
                        }
                        Err(e) => tracing::info!("fetching the polls of {meeting} again: {e}"),
                    }
                }
            }
            Ok(SittingNews::Event { .. }) => {}
            Err(broadcast::error::RecvError::Closed) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ecabinet_domain::poll::log::LineHash;

    #[test]
    fn a_receipt_is_found_only_at_its_line_with_its_choice() {
        let poll = PollId(uuid::Uuid::new_v4());
        let key = BallotKey([5; 32]);
        let opened = PollLogLine::after(
            None,
            PollLogEntry::Closed {
                at: ecabinet_domain::Timestamp(0),
            },
        );
        let ballot = PollLogLine::after(
            Some(&opened),
            PollLogEntry::Ballot {
                receipt: Receipt::of(poll, &key, 1),
                choice: vec![0],
                replaces: None,
                voter: None,
            },
        );
        let log = format!(
            "{}\n{}\n",
            serde_json::to_string(&opened).unwrap(),
            serde_json::to_string(&ballot).unwrap()
        );
        let recorded = RecordedBallot {
            version: 1,
            choice: vec![0],
            receipt: Receipt::of(poll, &key, 1),
            seq: 2,
            line_hash: ballot.hash,
        };
        assert!(check_receipt(&log, poll, &key, &recorded).found);
        let other_choice = RecordedBallot {
            choice: vec![1],
            ..recorded.clone()
        };
        assert!(
            !check_receipt(&log, poll, &key, &other_choice).found,
            "the choice sent must be the one logged"
        );
        let moved = RecordedBallot {
            line_hash: LineHash([0; 32]),
            ..recorded
        };
        assert!(
            !check_receipt(&log, poll, &key, &moved).found,
            "the line must be the one the answer named"
        );
        assert!(
            !check_receipt(&log, poll, &key, &RecordedBallot { seq: 2, ..moved }).log_holds,
            "a log that does not open a poll does not hold"
        );
    }
}
