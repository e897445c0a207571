//! The live sitting as the window shows it, and what the window asks of it.
//!
//! Times are the server's milliseconds; `server_offset_ms` is how far the server's clock
//! is ahead of this device's, so a clock reads `counted_ms + (Date.now() + offset -
//! running_since)` while it runs.

use super::MeetingRole;
use ecabinet_domain::sitting as domain;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SittingStatusView {
    NotOpened,
    Open,
    Paused,
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PresenceView {
    InRoom,
    Remote,
    /// Recorded present by the secretariat.
    ByHand,
}

/// A clock that runs and stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct ClockView {
    pub counted_ms: i64,
    /// The server's time it started running, while it runs.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub running_since: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct QuorumView {
    pub present: u32,
    pub voters: u32,
    pub needed: u32,
    pub holds: bool,
}

/// A participant and their attendance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AttendeeView {
    pub member_id: String,
    pub name: String,
    pub meeting_role: MeetingRole,
    pub votes: bool,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub present: Option<PresenceView>,
    /// When their presence last changed (checked in or out), server time.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<i64>,
    /// Checked in after the sitting was opened.
    pub late: bool,
    /// Who recorded them present by hand.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded_by: Option<String>,
    /// Time on the floor this sitting, speeches ended so far.
    pub spoken_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FloorRequestView {
    pub member_id: String,
    pub name: String,
    pub point_of_order: bool,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SpeechView {
    pub member_id: String,
    pub name: String,
    pub allowed_secs: u32,
    pub clock: ClockView,
    /// Their time on the floor before this speech.
    pub spoken_before_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PresentationView {
    pub presenter_id: String,
    pub presenter_name: String,
    pub paper_id: String,
    /// From 0.
    pub page: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CurrentItemView {
    pub item_id: String,
    pub clock: ClockView,
}

/// What the signed-in member is in the sitting, and may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SittingPlaceView {
    /// The signed-in member.
    pub member_id: String,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meeting_role: Option<MeetingRole>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub present: Option<PresenceView>,
    /// Runs the sitting (its chair).
    pub chairs: bool,
    /// Records attendance and sets the rules (the secretariat or the chair).
    pub records: bool,
    /// Asks for the floor (a delegate).
    pub may_speak: bool,
    /// Waiting on the list of speakers of the current item.
    pub requested: bool,
    pub speaking: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SittingView {
    pub meeting_id: String,
    /// The last event shown.
    pub seq: u32,
    pub status: SittingStatusView,
    pub remote_allowed: bool,
    pub speech_secs: u32,
    pub quorum_numerator: u32,
    pub quorum_denominator: u32,
    pub quorum: QuorumView,
    pub server_offset_ms: i64,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opened_at: Option<i64>,
    pub clock: ClockView,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_item: Option<CurrentItemView>,
    pub items_done: Vec<String>,
    pub attendance: Vec<AttendeeView>,
    /// The current item's list, next first.
    pub speakers: Vec<FloorRequestView>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speech: Option<SpeechView>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub presentation: Option<PresentationView>,
    pub me: SittingPlaceView,
}

/// What the window asks of the sitting (ids as strings).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum SittingActionInput {
    CheckIn {
        remote: bool,
    },
    CheckOut,
    RecordAttendance {
        member_id: String,
        present: bool,
    },
    SetRules {
        quorum_numerator: u32,
        quorum_denominator: u32,
        remote_allowed: bool,
        speech_secs: u32,
    },
    Open,
    Pause,
    Resume,
    Close,
    MoveTo {
        item_id: String,
    },
    Present {
        paper_id: String,
        page: u32,
    },
    StopPresenting,
    RequestFloor {
        point_of_order: bool,
    },
    WithdrawRequest,
    OrderRequest {
        member_id: String,
        position: u32,
    },
    GrantFloor {
        member_id: String,
        #[ts(optional)]
        #[serde(default)]
        allowed_secs: Option<u32>,
    },
    EndSpeech,
}

impl From<domain::SittingStatus> for SittingStatusView {
    fn from(status: domain::SittingStatus) -> Self {
        match status {
            domain::SittingStatus::NotOpened => SittingStatusView::NotOpened,
            domain::SittingStatus::Open => SittingStatusView::Open,
            domain::SittingStatus::Paused => SittingStatusView::Paused,
            domain::SittingStatus::Closed => SittingStatusView::Closed,
        }
    }
}

impl From<domain::Presence> for PresenceView {
    fn from(presence: domain::Presence) -> Self {
        match presence {
            domain::Presence::InRoom => PresenceView::InRoom,
            domain::Presence::Remote => PresenceView::Remote,
            domain::Presence::ByHand => PresenceView::ByHand,
        }
    }
}

impl From<domain::RunningClock> for ClockView {
    fn from(clock: domain::RunningClock) -> Self {
        ClockView {
            counted_ms: clock.counted_ms,
            running_since: clock.running_since.map(|t| t.millis()),
        }
    }
}
