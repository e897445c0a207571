//! Polls (biểu quyết): what a poll asks, who may vote and when, how ballots count, and the
//! poll's public log that anyone can check.
//!
//! A poll is made in draft on an agenda item by the chair or the secretary, opened by the
//! chair (its settings freeze and the entitled voters are taken: the voting participants
//! present in the sitting at that moment), closed by the chair or by its countdown on the
//! server's clock, and published by the chair; it can be cancelled until it is published.
//!
//! **Ballots.** A voter's device makes a random [`BallotKey`] per poll and keeps it; a ballot
//! is the key, a version (1, then 2, 3, … when the poll lets a voter change their vote) and
//! the choice. Its [`Receipt`] is a hash of the poll, the key and the version, so the device
//! computes the receipt the server must log, a retry (same key, version and choice) is
//! recognised without storing who sent it, and only the holder of the key can change the
//! ballot: the change names the receipt it replaces. In a secret poll nothing the server
//! keeps ties a receipt to a voter; [`Poll::check_ballot`] needs only whether the voter has
//! voted and the ballots by receipt.
//!
//! **The log** ([`log`]) is a hash chain of JSON lines: opened (with the settings and the
//! entitled count), each ballot as its receipt and choice (with the voter in a named poll),
//! closed, and the result; [`log::audit`] checks the chain and counts the ballots again.

pub mod log;
mod tally;

pub use tally::{BallotTally, PollResult};

pub use crate::PollId;
use crate::{AgendaItemId, MeetingId, MeetingRole, MemberId, Timestamp};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use utoipa::ToSchema;

/// The longest poll title (the question put to the vote), in characters.
pub const MAX_POLL_TITLE_CHARS: usize = 500;
/// The most options or candidates a poll offers.
pub const MAX_POLL_OPTIONS: usize = 200;
/// The longest option or candidate, in characters.
pub const MAX_OPTION_CHARS: usize = 300;
/// The longest countdown, in seconds.
pub const MAX_COUNTDOWN_SECS: u32 = 60 * 60;

/// The options of a yes / no / abstain poll, by index.
pub const YES: u32 = 0;
pub const NO: u32 = 1;
pub const ABSTAIN: u32 = 2;

/// What the poll asks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PollKind {
    /// Tán thành / không tán thành / không biểu quyết: options [`YES`], [`NO`], [`ABSTAIN`].
    YesNoAbstain,
    /// One option among several (an empty ballot abstains).
    OneOf { options: Vec<String> },
    /// Up to `max` options (an empty ballot abstains).
    SomeOf { options: Vec<String>, max: u32 },
    /// Up to `seats` candidates (an empty ballot abstains).
    Election { candidates: Vec<String>, seats: u32 },
}

impl PollKind {
    /// How many options a ballot chooses among.
    pub fn option_count(&self) -> usize {
        match self {
            PollKind::YesNoAbstain => 3,
            PollKind::OneOf { options } | PollKind::SomeOf { options, .. } => options.len(),
            PollKind::Election { candidates, .. } => candidates.len(),
        }
    }

    /// The most options one ballot may choose, and the most the result may choose.
    pub fn max_choices(&self) -> usize {
        match self {
            PollKind::YesNoAbstain | PollKind::OneOf { .. } => 1,
            PollKind::SomeOf { max, .. } => *max as usize,
            PollKind::Election { seats, .. } => *seats as usize,
        }
    }

    /// The option names written by whoever drafted the poll (none for yes / no / abstain,
    /// whose names the app gives in the reader's language).
    pub fn option_names(&self) -> &[String] {
        match self {
            PollKind::YesNoAbstain => &[],
            PollKind::OneOf { options } | PollKind::SomeOf { options, .. } => options,
            PollKind::Election { candidates, .. } => candidates,
        }
    }

    /// The ballot's options sorted, once each, if this poll accepts them: exactly one for
    /// yes / no / abstain, at most [`max_choices`](Self::max_choices) otherwise.
    pub fn check_choice(&self, choice: &[u32]) -> Result<Vec<u32>, BallotRefusal> {
        let mut sorted = choice.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        if sorted.len() != choice.len() || sorted.iter().any(|&o| o as usize >= self.option_count())
        {
            return Err(BallotRefusal::NoSuchOption);
        }
        let allowed = match self {
            PollKind::YesNoAbstain => sorted.len() == 1,
            _ => sorted.len() <= self.max_choices(),
        };
        if !allowed {
            return Err(BallotRefusal::TooManyChoices);
        }
        Ok(sorted)
    }

    /// True when the ballot abstains: [`ABSTAIN`], or an empty ballot of the other kinds.
    pub fn abstains(&self, choice: &[u32]) -> bool {
        match self {
            PollKind::YesNoAbstain => choice == [ABSTAIN],
            _ => choice.is_empty(),
        }
    }
}

/// Which count decides, stated in every result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MajorityRule {
    /// More for than against (abstentions left out); among options, the most votes, a tie
    /// choosing none.
    MoreForThanAgainst,
    /// More than half of the ballots cast, abstentions included.
    HalfOfCast,
    /// More than half of the voters present when the poll opened.
    HalfOfPresent,
    /// More than half of all the meeting's voting members: the rule for a council's
    /// resolutions.
    #[default]
    HalfOfMembers,
    /// At least two thirds of all the meeting's voting members.
    TwoThirdsOfMembers,
}

/// How a poll is put: fixed once it opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PollSettings {
    /// The question put to the vote ("Dự thảo nghị quyết về dự toán ngân sách năm 2027").
    pub title: String,
    #[serde(flatten)]
    pub kind: PollKind,
    /// Secret: the result says how many chose what, never who. Named (roll call): it says
    /// who voted what.
    pub secret: bool,
    pub rule: MajorityRule,
    /// A voter may change their ballot while the poll is open.
    pub may_change: bool,
    /// Closes by itself this long after opening, by the server's clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub countdown_secs: Option<u32>,
}

impl PollSettings {
    /// A title, options that can be told apart and a maximum that can be met.
    pub fn check(&self) -> Result<(), PollRefusal> {
        let title = self.title.trim();
        if title.is_empty()
            || self.title.chars().count() > MAX_POLL_TITLE_CHARS
            || self.title.contains('\0')
        {
            return Err(PollRefusal::BadTitle);
        }
        let names = self.kind.option_names();
        let named_well = names.iter().all(|n| {
            !n.trim().is_empty() && n.chars().count() <= MAX_OPTION_CHARS && !n.contains('\0')
        });
        let mut distinct: Vec<&str> = names.iter().map(|n| n.trim()).collect();
        distinct.sort_unstable();
        distinct.dedup();
        let enough = match &self.kind {
            PollKind::YesNoAbstain => true,
            PollKind::OneOf { options } => options.len() >= 2,
            PollKind::SomeOf { options, max } => {
                options.len() >= 2 && *max >= 1 && (*max as usize) <= options.len()
            }
            PollKind::Election { candidates, seats } => {
                !candidates.is_empty() && *seats >= 1 && (*seats as usize) <= candidates.len()
            }
        };
        if !named_well || distinct.len() != names.len() || names.len() > MAX_POLL_OPTIONS || !enough
        {
            return Err(PollRefusal::BadOptions);
        }
        if self
            .countdown_secs
            .is_some_and(|s| !(10..=MAX_COUNTDOWN_SECS).contains(&s))
        {
            return Err(PollRefusal::BadCountdown);
        }
        Ok(())
    }
}

/// Where a poll stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PollState {
    Draft,
    Open,
    Closed,
    Published,
    Cancelled,
}

/// What the chair or the secretary does to a poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PollStep {
    Open,
    Close,
    Publish,
    Cancel,
}

/// A poll as the server keeps it and every participant sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Poll {
    pub id: PollId,
    pub meeting_id: MeetingId,
    pub item_id: AgendaItemId,
    pub settings: PollSettings,
    pub state: PollState,
    pub created_by: MemberId,
    pub created_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opened_at: Option<Timestamp>,
    /// When the countdown closes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closes_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancelled_at: Option<Timestamp>,
    /// The voters entitled to vote: the voting participants present when it opened,
    /// sorted (empty before).
    pub entitled: Vec<MemberId>,
    /// All the meeting's voting participants when it opened.
    pub members: u32,
    /// The count, once closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<PollResult>,
}

/// Why the chair's or the secretary's request about a poll is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollRefusal {
    /// Only the chair or the secretary of the meeting drafts and edits polls.
    NotSecretariat,
    /// Only the chair opens, closes and publishes (and cancels once opened).
    NotChair,
    /// Settings are fixed once the poll opens.
    NotDraft,
    /// Only an open poll is closed.
    NotOpen,
    /// Only a closed poll is published.
    NotClosed,
    /// A published or cancelled poll is final.
    Final,
    /// Polls open only while the sitting is open.
    SittingNotOpen,
    /// No voting participant is present.
    NobodyPresent,
    /// The item is not on the meeting's programme.
    NoSuchItem,
    BadTitle,
    BadOptions,
    BadCountdown,
}

impl std::fmt::Display for PollRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PollRefusal::NotSecretariat => "only the chair or the secretary drafts a poll",
            PollRefusal::NotChair => "only the chair opens, closes, publishes or cancels a poll",
            PollRefusal::NotDraft => "a poll's settings are fixed once it opens",
            PollRefusal::NotOpen => "the poll is not open",
            PollRefusal::NotClosed => "only a closed poll is published",
            PollRefusal::Final => "the poll is published or cancelled already",
            PollRefusal::SittingNotOpen => "open the sitting before opening a poll",
            PollRefusal::NobodyPresent => "no voting member is checked in",
            PollRefusal::NoSuchItem => "the item is not on the meeting's programme",
            PollRefusal::BadTitle => "a poll needs a question of at most 500 characters",
            PollRefusal::BadOptions => {
                "options must be named, distinct, at least two (one candidate), and the most one may choose between 1 and their number"
            }
            PollRefusal::BadCountdown => "a countdown lasts 10 seconds to an hour",
        })
    }
}

/// Why a ballot is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BallotRefusal {
    /// Not open yet (a draft).
    NotOpen,
    /// Closed (by the chair or its countdown) or published.
    Closed,
    Cancelled,
    /// Not among the voters present when the poll opened.
    NotEntitled,
    /// Voted already, and the poll does not let a vote change (or this key is not the
    /// one that voted).
    AlreadyVoted,
    /// A change names a ballot that is not the voter's current one.
    NotCurrent,
    /// The same receipt with another choice: a device bug, never a retry.
    Conflict,
    NoSuchOption,
    TooManyChoices,
}

impl std::fmt::Display for BallotRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            BallotRefusal::NotOpen => "the poll is not open yet",
            BallotRefusal::Closed => "the poll is closed",
            BallotRefusal::Cancelled => "the poll was cancelled",
            BallotRefusal::NotEntitled => {
                "only the voting members checked in when the poll opened may vote"
            }
            BallotRefusal::AlreadyVoted => "you have voted in this poll already",
            BallotRefusal::NotCurrent => "that ballot was changed already; reload the poll",
            BallotRefusal::Conflict => "this ballot was recorded with another choice",
            BallotRefusal::NoSuchOption => "the ballot names an option the poll does not have",
            BallotRefusal::TooManyChoices => "the ballot chooses more options than the poll allows",
        })
    }
}

/// A secret only the voter's device knows, made at random per poll: the receipts of its
/// ballots derive from it, and changing a ballot needs it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(value_type = String, format = "hex")]
pub struct BallotKey(#[serde(with = "hex32")] pub [u8; 32]);

impl std::fmt::Debug for BallotKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A key is as good as the ballot: never printed.
        f.write_str("BallotKey(…)")
    }
}

/// A ballot's public name in the poll's log.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(value_type = String, format = "hex")]
pub struct Receipt(#[serde(with = "hex32")] pub [u8; 32]);

impl Receipt {
    /// The receipt of version `version` of the ballot made with `key` in `poll`.
    pub fn of(poll: PollId, key: &BallotKey, version: u32) -> Receipt {
        let mut hash = Sha256::new();
        hash.update(b"ecabinet ballot receipt\n");
        hash.update(poll.0.as_bytes());
        hash.update(key.0);
        hash.update(version.to_be_bytes());
        Receipt(hash.finalize().into())
    }
}

impl std::fmt::Debug for Receipt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Receipt({self})")
    }
}

impl std::fmt::Display for Receipt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&hex32::encode(&self.0))
    }
}

/// A ballot as a voter's device sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Ballot {
    pub key: BallotKey,
    /// 1 for the first ballot, one more for each change.
    pub version: u32,
    /// Option indexes (see [`PollKind`]).
    pub choice: Vec<u32>,
}

impl Ballot {
    pub fn receipt(&self, poll: PollId) -> Receipt {
        Receipt::of(poll, &self.key, self.version)
    }
}

/// A ballot in the box: its receipt, what it chose, and (in a named poll only) who.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CastBallot {
    pub receipt: Receipt,
    pub choice: Vec<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voter: Option<MemberId>,
    /// Replaced by a later version: no longer counted.
    pub replaced: bool,
}

/// What the server does with an accepted ballot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BallotOutcome {
    /// The voter's first ballot.
    First,
    /// A change: the ballot with this receipt stops counting.
    Replaces(Receipt),
    /// A retry of a ballot recorded already: answer what was recorded, store nothing.
    Repeat,
}

/// The ballots of one poll by receipt, as the rules need to look them up.
pub trait BallotBox {
    fn ballot(&self, receipt: &Receipt) -> Option<&CastBallot>;
}

impl BallotBox for std::collections::HashMap<Receipt, CastBallot> {
    fn ballot(&self, receipt: &Receipt) -> Option<&CastBallot> {
        self.get(receipt)
    }
}

impl Poll {
    /// A new draft; `None` when its settings cannot be put to a vote.
    pub fn draft(
        id: PollId,
        meeting_id: MeetingId,
        item_id: AgendaItemId,
        settings: PollSettings,
        created_by: MemberId,
        at: Timestamp,
    ) -> Result<Poll, PollRefusal> {
        settings.check()?;
        Ok(Poll {
            id,
            meeting_id,
            item_id,
            settings,
            state: PollState::Draft,
            created_by,
            created_at: at,
            opened_at: None,
            closes_at: None,
            closed_at: None,
            published_at: None,
            cancelled_at: None,
            entitled: Vec::new(),
            members: 0,
            result: None,
        })
    }

    /// Whether someone sitting as `role` may draft or edit polls.
    pub fn may_draft(role: Option<MeetingRole>) -> Result<(), PollRefusal> {
        match role {
            Some(MeetingRole::Chair | MeetingRole::Secretary) => Ok(()),
            _ => Err(PollRefusal::NotSecretariat),
        }
    }

    /// Replaces a draft's settings and item.
    pub fn edit(
        &mut self,
        item_id: AgendaItemId,
        settings: PollSettings,
    ) -> Result<(), PollRefusal> {
        if self.state != PollState::Draft {
            return Err(PollRefusal::NotDraft);
        }
        settings.check()?;
        self.item_id = item_id;
        self.settings = settings;
        Ok(())
    }

    /// Whether `step` by someone sitting as `role` may be taken now: the chair takes every
    /// step; the secretary cancels a draft.
    pub fn check_step(&self, role: Option<MeetingRole>, step: PollStep) -> Result<(), PollRefusal> {
        match role {
            Some(MeetingRole::Chair) => {}
            Some(MeetingRole::Secretary)
                if step == PollStep::Cancel && self.state == PollState::Draft => {}
            Some(MeetingRole::Secretary) => return Err(PollRefusal::NotChair),
            _ => return Err(PollRefusal::NotSecretariat),
        }
        match (step, self.state) {
            (_, PollState::Published | PollState::Cancelled) => Err(PollRefusal::Final),
            (PollStep::Open, PollState::Draft) => Ok(()),
            (PollStep::Open, _) => Err(PollRefusal::NotDraft),
            (PollStep::Close, PollState::Open) => Ok(()),
            (PollStep::Close, _) => Err(PollRefusal::NotOpen),
            (PollStep::Publish, PollState::Closed) => Ok(()),
            (PollStep::Publish, _) => Err(PollRefusal::NotClosed),
            (PollStep::Cancel, _) => Ok(()),
        }
    }

    /// Opens it: `entitled` are the voting participants present now, `members` all of them.
    pub fn open(
        &mut self,
        at: Timestamp,
        mut entitled: Vec<MemberId>,
        members: u32,
    ) -> Result<(), PollRefusal> {
        if self.state != PollState::Draft {
            return Err(PollRefusal::NotDraft);
        }
        if entitled.is_empty() {
            return Err(PollRefusal::NobodyPresent);
        }
        entitled.sort_unstable();
        entitled.dedup();
        self.state = PollState::Open;
        self.opened_at = Some(at);
        self.closes_at = self
            .settings
            .countdown_secs
            .map(|s| Timestamp(at.millis() + i64::from(s) * 1000));
        self.entitled = entitled;
        self.members = members;
        Ok(())
    }

    /// Closes it with the count of its ballots.
    pub fn close(&mut self, at: Timestamp, result: PollResult) {
        self.state = PollState::Closed;
        self.closed_at = Some(at);
        self.result = Some(result);
    }

    pub fn publish(&mut self, at: Timestamp) {
        self.state = PollState::Published;
        self.published_at = Some(at);
    }

    pub fn cancel(&mut self, at: Timestamp) {
        self.state = PollState::Cancelled;
        self.cancelled_at = Some(at);
    }

    /// True when the countdown has run out on an open poll: the server closes it.
    pub fn due(&self, now: Timestamp) -> bool {
        self.state == PollState::Open && self.closes_at.is_some_and(|at| now >= at)
    }

    /// Whether `voter` is among the entitled.
    pub fn entitles(&self, voter: MemberId) -> bool {
        self.voter_index(voter).is_some()
    }

    /// The voter's place in [`entitled`](Self::entitled), and in a [`VotedSet`].
    pub fn voter_index(&self, voter: MemberId) -> Option<usize> {
        self.entitled.binary_search(&voter).ok()
    }

    /// The entitled voters who have not voted.
    pub fn not_voted(&self, voted: &VotedSet) -> Vec<MemberId> {
        self.entitled
            .iter()
            .enumerate()
            .filter(|(i, _)| !voted.has(*i))
            .map(|(_, m)| *m)
            .collect()
    }

    /// Checks a ballot from `voter` at `now` by the server's clock; `has_voted` says whether
    /// the voter has a ballot in the box already (the only thing known of them in a secret
    /// poll). `Ok` carries the ballot's choice sorted.
    pub fn check_ballot(
        &self,
        voter: MemberId,
        has_voted: bool,
        ballot: &Ballot,
        now: Timestamp,
        ballots: &impl BallotBox,
    ) -> Result<(BallotOutcome, Vec<u32>), BallotRefusal> {
        match self.state {
            PollState::Draft => return Err(BallotRefusal::NotOpen),
            PollState::Closed | PollState::Published => return Err(BallotRefusal::Closed),
            PollState::Cancelled => return Err(BallotRefusal::Cancelled),
            PollState::Open if self.due(now) => return Err(BallotRefusal::Closed),
            PollState::Open => {}
        }
        if !self.entitles(voter) {
            return Err(BallotRefusal::NotEntitled);
        }
        let choice = self.settings.kind.check_choice(&ballot.choice)?;
        let receipt = ballot.receipt(self.id);
        if let Some(recorded) = ballots.ballot(&receipt) {
            return if recorded.choice == choice {
                Ok((BallotOutcome::Repeat, choice))
            } else {
                Err(BallotRefusal::Conflict)
            };
        }
        if ballot.version <= 1 {
            return if has_voted {
                Err(BallotRefusal::AlreadyVoted)
            } else {
                Ok((BallotOutcome::First, choice))
            };
        }
        if !(self.settings.may_change && has_voted) {
            return Err(BallotRefusal::AlreadyVoted);
        }
        let previous = Receipt::of(self.id, &ballot.key, ballot.version - 1);
        match ballots.ballot(&previous) {
            Some(recorded) if !recorded.replaced => Ok((BallotOutcome::Replaces(previous), choice)),
            _ => Err(BallotRefusal::NotCurrent),
        }
    }
}

/// Who of a poll's entitled voters has voted: one bit per voter, in the order of
/// [`Poll::entitled`] (sorted by id). It says nothing of when or in which order they voted,
/// so a secret poll stores it beside its ballots without linking either to the other.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VotedSet(Vec<u8>);

impl VotedSet {
    pub fn new(voters: usize) -> VotedSet {
        VotedSet(vec![0; voters.div_ceil(8)])
    }

    pub fn from_bytes(bytes: Vec<u8>) -> VotedSet {
        VotedSet(bytes)
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    pub fn has(&self, index: usize) -> bool {
        self.0
            .get(index / 8)
            .is_some_and(|byte| byte & (1 << (index % 8)) != 0)
    }

    /// Marks the voter at `index`; false when they were marked already (or out of range).
    pub fn mark(&mut self, index: usize) -> bool {
        match self.0.get_mut(index / 8) {
            Some(byte) if *byte & (1 << (index % 8)) == 0 => {
                *byte |= 1 << (index % 8);
                true
            }
            _ => false,
        }
    }

    pub fn count(&self) -> usize {
        self.0.iter().map(|b| b.count_ones() as usize).sum()
    }
}

/// 32 bytes as 64 lower-case hex digits.
pub(crate) mod hex32 {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn encode(bytes: &[u8; 32]) -> String {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut out = String::with_capacity(64);
        for b in bytes {
            out.push(DIGITS[usize::from(b >> 4)] as char);
            out.push(DIGITS[usize::from(b & 15)] as char);
        }
        out
    }

    pub fn decode(text: &str) -> Option<[u8; 32]> {
        let digits = text.as_bytes();
        if digits.len() != 64 {
            return None;
        }
        let value = |d: u8| (d as char).to_digit(16).map(|v| v as u8);
        let mut out = [0u8; 32];
        for (i, pair) in digits.chunks(2).enumerate() {
            out[i] = value(pair[0])? << 4 | value(pair[1])?;
        }
        Some(out)
    }

    pub fn serialize<S: Serializer>(bytes: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let text = String::deserialize(d)?;
        decode(&text).ok_or_else(|| serde::de::Error::custom("expected 64 hex digits"))
    }
}

#[cfg(test)]
mod tests;
