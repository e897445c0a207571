//! Polls as the window shows them, the member's own ballot beside each, and what the window
//! asks of them.

use super::IpcErrorCode;
use ecabinet_domain::poll as domain;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PollKindView {
    /// Options 0, 1, 2: tán thành, không tán thành, không biểu quyết.
    YesNoAbstain,
    OneOf,
    SomeOf,
    Election,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MajorityRuleView {
    MoreForThanAgainst,
    HalfOfCast,
    HalfOfPresent,
    HalfOfMembers,
    TwoThirdsOfMembers,
}

impl From<domain::MajorityRule> for MajorityRuleView {
    fn from(rule: domain::MajorityRule) -> Self {
        use domain::MajorityRule as R;
        match rule {
            R::MoreForThanAgainst => MajorityRuleView::MoreForThanAgainst,
            R::HalfOfCast => MajorityRuleView::HalfOfCast,
            R::HalfOfPresent => MajorityRuleView::HalfOfPresent,
            R::HalfOfMembers => MajorityRuleView::HalfOfMembers,
            R::TwoThirdsOfMembers => MajorityRuleView::TwoThirdsOfMembers,
        }
    }
}

impl From<MajorityRuleView> for domain::MajorityRule {
    fn from(rule: MajorityRuleView) -> Self {
        use domain::MajorityRule as R;
        match rule {
            MajorityRuleView::MoreForThanAgainst => R::MoreForThanAgainst,
            MajorityRuleView::HalfOfCast => R::HalfOfCast,
            MajorityRuleView::HalfOfPresent => R::HalfOfPresent,
            MajorityRuleView::HalfOfMembers => R::HalfOfMembers,
            MajorityRuleView::TwoThirdsOfMembers => R::TwoThirdsOfMembers,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PollStateView {
    Draft,
    Open,
    Closed,
    Published,
    Cancelled,
}

impl From<domain::PollState> for PollStateView {
    fn from(state: domain::PollState) -> Self {
        match state {
            domain::PollState::Draft => PollStateView::Draft,
            domain::PollState::Open => PollStateView::Open,
            domain::PollState::Closed => PollStateView::Closed,
            domain::PollState::Published => PollStateView::Published,
            domain::PollState::Cancelled => PollStateView::Cancelled,
        }
    }
}

/// Who voted what, in a named poll's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RollEntryView {
    pub member_id: String,
    pub name: String,
    pub choice: Vec<u32>,
}

/// A closed poll's count and what it decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PollResultView {
    pub rule: MajorityRuleView,
    /// Ballots per option, by index.
    #[ts(type = "number[]")]
    pub counts: Vec<u64>,
    #[ts(type = "number")]
    pub ballots: u64,
    #[ts(type = "number")]
    pub abstained: u64,
    #[ts(type = "number")]
    pub not_voted: u64,
    #[ts(type = "number")]
    pub entitled: u64,
    #[ts(type = "number")]
    pub members: u64,
    /// What the rule measures against, and the fewest ballots an option needs.
    #[ts(type = "number")]
    pub base: u64,
    #[ts(type = "number")]
    pub needed: u64,
    pub chosen: Vec<u32>,
    pub passed: bool,
    pub tied: bool,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roll: Option<Vec<RollEntryView>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BallotStateView {
    /// Sent, no answer yet.
    Sending,
    /// Recorded by the server, with a receipt.
    Recorded,
    /// Refused, with the reason.
    Refused,
}

/// The member's own ballot in a poll, as this device keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MyBallotView {
    pub version: u32,
    /// The last ballot sent.
    pub choice: Vec<u32>,
    pub state: BallotStateView,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused_code: Option<IpcErrorCode>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused_message: Option<String>,
    /// The choice the server recorded last (what counts), with its receipt (64 hex digits)
    /// and its line in the poll's log.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded_choice: Option<Vec<u32>>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receipt: Option<String>,
    #[ts(optional, type = "number")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
}

/// A poll of a meeting, as the member sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PollView {
    pub id: String,
    pub meeting_id: String,
    pub item_id: String,
    /// The item's number and title in the programme, when this device knows it.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_title: Option<String>,
    pub title: String,
    pub kind: PollKindView,
    /// The drafter's option or candidate names (none for yes / no / abstain).
    pub options: Vec<String>,
    /// The most options a ballot may choose.
    pub max_choices: u32,
    pub secret: bool,
    pub rule: MajorityRuleView,
    pub may_change: bool,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub countdown_secs: Option<u32>,
    pub state: PollStateView,
    #[ts(optional, type = "number")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opened_at: Option<i64>,
    /// When the countdown closes it, server time.
    #[ts(optional, type = "number")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closes_at: Option<i64>,
    #[ts(optional, type = "number")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<i64>,
    pub entitled: u32,
    pub voted: u32,
    /// The member may vote in it now.
    pub may_vote: bool,
    /// The server has a ballot of theirs (whichever device sent it).
    pub has_voted: bool,
    /// A named poll's entitled voters who have not voted yet, by name.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_voted: Option<Vec<String>>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<PollResultView>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub my_ballot: Option<MyBallotView>,
    /// How far the server's clock is ahead of this device's, for the countdown.
    #[ts(type = "number")]
    pub server_offset_ms: i64,
    /// The member may open, close, publish or cancel it (the chair), or edit the draft.
    pub may_step: bool,
}

/// An open poll's turnout, as the live socket brings it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PollTurnoutView {
    pub meeting_id: String,
    pub poll_id: String,
    pub voted: u32,
    pub entitled: u32,
}

/// A poll as the chair or the secretary drafts it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct PollDraftInput {
    /// The draft to change; a new poll without it.
    #[ts(optional)]
    pub poll_id: Option<String>,
    pub item_id: String,
    pub title: String,
    pub kind: PollKindView,
    /// Option or candidate names (ignored for yes / no / abstain).
    pub options: Vec<String>,
    /// The most options a ballot may choose (several choices, or an election's seats).
    pub max_choices: u32,
    pub secret: bool,
    pub rule: MajorityRuleView,
    pub may_change: bool,
    #[ts(optional)]
    pub countdown_secs: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PollStepInput {
    Open,
    Close,
    Publish,
    Cancel,
}

impl From<PollStepInput> for domain::PollStep {
    fn from(step: PollStepInput) -> Self {
        match step {
            PollStepInput::Open => domain::PollStep::Open,
            PollStepInput::Close => domain::PollStep::Close,
            PollStepInput::Publish => domain::PollStep::Publish,
            PollStepInput::Cancel => domain::PollStep::Cancel,
        }
    }
}

/// What checking one's receipt against the poll's published log found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ReceiptCheckView {
    /// The member's recorded ballot sits in the log at the line its answer gave, unchanged,
    /// with the choice this device sent.
    pub found: bool,
    #[ts(type = "number")]
    pub line: u64,
    pub receipt: String,
    /// The whole log's chain and count hold.
    pub log_holds: bool,
    /// What does not hold, line by line.
    pub problems: Vec<String>,
    #[ts(type = "number")]
    pub lines: u64,
}
