//! The live sitting (phiên họp): who is present and whether the quorum holds, where the chair
//! has the meeting on its programme, whose page the delegates follow, and the list of
//! speakers.
//!
//! A sitting is the fold of its events. The server decides each action against the state
//! ([`Sitting::decide`]: who may do what, when) and keeps the accepted ones, numbered, as the
//! sitting's record; every device folds the same events ([`Sitting::apply`], which never
//! refuses) and so shows the same state. Time is the server's, passed in with each event:
//! clocks (an item's elapsed time, a speech's timer) are a start and an accumulated total,
//! read at any `now` by [`RunningClock::elapsed_ms`].
//!
//! **Who does what.** The chair of the meeting (its participant sitting as
//! [`MeetingRole::Chair`]) opens, pauses, resumes and closes the sitting, moves through the
//! programme, orders, grants and ends speeches. The secretariat records attendance by hand
//! for a delegate without a device and sets the sitting's rules. Every participant checks
//! themself in and out; a delegate requests the floor on the current item once checked in.
//! The presenter is the chair, or whoever has the floor.

use crate::{AgendaItemId, MeetingRole, MemberId, PaperId, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// The longest speech a chair can allow, in seconds.
pub const MAX_SPEECH_SECS: u32 = 60 * 60;
/// A speech's time when the chair grants the floor without saying (councils allow 5 to 7
/// minutes in discussion).
pub const DEFAULT_SPEECH_SECS: u32 = 5 * 60;

/// How many of the meeting's voting participants must be present (the council default:
/// two thirds of all delegates).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct QuorumRule {
    pub numerator: u32,
    pub denominator: u32,
}

impl Default for QuorumRule {
    fn default() -> Self {
        QuorumRule {
            numerator: 2,
            denominator: 3,
        }
    }
}

impl QuorumRule {
    /// The fewest present voters that make a quorum of `voters`.
    pub fn needed(self, voters: usize) -> usize {
        let (n, d) = (self.numerator as usize, self.denominator.max(1) as usize);
        (voters * n).div_ceil(d)
    }

    /// A rule that can be met and is not met by nobody: 0 < n/d ≤ 1.
    pub fn is_sensible(self) -> bool {
        self.denominator > 0 && self.numerator > 0 && self.numerator <= self.denominator
    }
}

/// The sitting's settings, set by the secretariat or the chair before it closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SittingRules {
    pub quorum: QuorumRule,
    /// Delegates may check in from outside the chamber.
    pub remote_allowed: bool,
    /// A speech's time when the chair does not say.
    pub speech_secs: u32,
}

impl Default for SittingRules {
    fn default() -> Self {
        SittingRules {
            quorum: QuorumRule::default(),
            remote_allowed: false,
            speech_secs: DEFAULT_SPEECH_SECS,
        }
    }
}

/// Where the sitting stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SittingStatus {
    /// Delegates may check in; the chair has not opened it.
    #[default]
    NotOpened,
    Open,
    /// Clocks stop; nobody speaks.
    Paused,
    /// Over: nothing more is recorded.
    Closed,
}

/// A clock that runs and stops: what it has counted before, and since when it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct RunningClock {
    pub counted_ms: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub running_since: Option<Timestamp>,
}

impl RunningClock {
    fn started(at: Timestamp) -> RunningClock {
        RunningClock {
            counted_ms: 0,
            running_since: Some(at),
        }
    }

    /// The time counted up to `now`.
    pub fn elapsed_ms(&self, now: Timestamp) -> i64 {
        self.counted_ms
            + self
                .running_since
                .map_or(0, |since| (now.millis() - since.millis()).max(0))
    }

    fn stop(&mut self, at: Timestamp) {
        self.counted_ms = self.elapsed_ms(at);
        self.running_since = None;
    }

    fn run(&mut self, at: Timestamp) {
        if self.running_since.is_none() {
            self.running_since = Some(at);
        }
    }
}

/// How a participant is recorded present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// Checked in on their own device in the chamber.
    InRoom,
    /// Checked in on their own device from outside the chamber.
    Remote,
    /// Recorded present by the secretariat (a delegate without a device).
    ByHand,
}

/// One line of a participant's attendance record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AttendanceEntry {
    pub at: Timestamp,
    /// Present from `at` (`Some`), or left at `at` (`None`).
    pub presence: Option<Presence>,
    /// Whoever recorded it when not the participant themself (the secretary).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_by: Option<MemberId>,
    /// Checked in after the sitting was opened.
    #[serde(default)]
    pub late: bool,
}

/// A participant's attendance: present now or not, and every check-in and check-out.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct Attendance {
    pub record: Vec<AttendanceEntry>,
}

impl Attendance {
    /// How the participant is present now, if they are.
    pub fn present(&self) -> Option<Presence> {
        self.record.last().and_then(|entry| entry.presence)
    }
}

/// A delegate's request for the floor on an agenda item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FloorRequest {
    pub member: MemberId,
    pub item: AgendaItemId,
    /// A point of order goes to the top of the list.
    pub point_of_order: bool,
    pub at: Timestamp,
}

/// Who has the floor, on which item, for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Speech {
    pub member: MemberId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<AgendaItemId>,
    pub allowed_secs: u32,
    pub clock: RunningClock,
}

/// The paper and page the presenter shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Presentation {
    pub presenter: MemberId,
    pub paper_id: PaperId,
    /// From 0, as the reader counts pages.
    pub page: u32,
}

/// The programme item the chair has the sitting on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CurrentItem {
    pub item: AgendaItemId,
    /// Its time so far, over every stretch the sitting was on it.
    pub clock: RunningClock,
}

/// What a participant asks of the sitting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum SittingAction {
    /// Present from now, in the chamber or (when the rules allow) remote.
    CheckIn {
        remote: bool,
    },
    CheckOut,
    /// The secretariat records a participant present (without a device) or gone.
    RecordAttendance {
        member: MemberId,
        present: bool,
    },
    SetRules {
        rules: SittingRules,
    },
    Open,
    Pause,
    Resume,
    Close,
    /// The chair moves the sitting to an item of the programme.
    MoveTo {
        item: AgendaItemId,
    },
    /// The presenter shows a paper's page; everyone following turns there.
    Present {
        paper_id: PaperId,
        page: u32,
    },
    StopPresenting,
    RequestFloor {
        point_of_order: bool,
    },
    WithdrawRequest,
    /// The chair moves a pending request to a place in the list (0 is next).
    OrderRequest {
        member: MemberId,
        position: u32,
    },
    /// The chair gives the floor to a delegate who asked for it on the current item
    /// (ending any speech under way); `allowed_secs` absent takes the rules' time.
    GrantFloor {
        member: MemberId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        allowed_secs: Option<u32>,
    },
    /// The chair ends the speech (or the speaker yields).
    EndSpeech,
}

/// An accepted action: who did it, and when by the server's clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SittingEvent {
    /// 1, 2, 3, … in the sitting's order: a device that sees a gap asks for the state anew.
    pub seq: u64,
    pub at: Timestamp,
    pub actor: MemberId,
    #[serde(flatten)]
    pub action: SittingAction,
}

/// Why an action is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SittingRefusal {
    /// Only the meeting's participants act in its sitting.
    NotParticipant,
    /// Only the chair of the meeting may do this.
    NotChair,
    /// Only the secretariat (or the chair) may do this.
    NotSecretariat,
    /// Only a delegate asks for the floor (not a guest, not the secretariat).
    MayNotSpeak,
    /// Check in before asking for the floor.
    NotPresent,
    /// The sitting is closed: nothing more is recorded.
    Closed,
    /// The sitting is not open (not yet, or paused).
    NotOpen,
    /// The sitting is not paused.
    NotPaused,
    /// Already opened once.
    AlreadyOpened,
    /// The rules do not allow checking in from outside the chamber.
    RemoteNotAllowed,
    /// The item is not on the meeting's programme.
    NoSuchItem,
    /// The sitting is on no item.
    NoCurrentItem,
    /// The chair or whoever has the floor presents.
    NotPresenter,
    /// The request was withdrawn, granted, or never made (a stale action).
    NoSuchRequest,
    /// No one has the floor.
    NoSpeech,
    /// A speech of 1 second to [`MAX_SPEECH_SECS`].
    BadSpeechTime,
    /// A quorum rule above all or of nobody, or a speech time out of range.
    BadRules,
    /// A page beyond the paper's last.
    NoSuchPage,
    /// The paper is not one of the meeting's that every participant may read, so it is not
    /// shown to all of them.
    NoSuchPaper,
}

impl SittingRefusal {
    /// The stable code the API and the UI switch on.
    pub fn code(self) -> &'static str {
        match self {
            SittingRefusal::NotParticipant => "not_participant",
            SittingRefusal::NotChair => "not_chair",
            SittingRefusal::NotSecretariat => "not_secretariat",
            SittingRefusal::MayNotSpeak => "may_not_speak",
            SittingRefusal::NotPresent => "not_present",
            SittingRefusal::Closed => "sitting_closed",
            SittingRefusal::NotOpen => "sitting_not_open",
            SittingRefusal::NotPaused => "sitting_not_paused",
            SittingRefusal::AlreadyOpened => "sitting_already_opened",
            SittingRefusal::RemoteNotAllowed => "remote_not_allowed",
            SittingRefusal::NoSuchItem => "no_such_item",
            SittingRefusal::NoCurrentItem => "no_current_item",
            SittingRefusal::NotPresenter => "not_presenter",
            SittingRefusal::NoSuchRequest => "no_such_request",
            SittingRefusal::NoSpeech => "no_speech",
            SittingRefusal::BadSpeechTime => "bad_speech_time",
            SittingRefusal::BadRules => "bad_rules",
            SittingRefusal::NoSuchPage => "no_such_page",
            SittingRefusal::NoSuchPaper => "no_such_paper",
        }
    }
}

impl std::fmt::Display for SittingRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SittingRefusal::NotParticipant => "only the meeting's participants act in its sitting",
            SittingRefusal::NotChair => "only the chair of the meeting may do this",
            SittingRefusal::NotSecretariat => "only the secretariat or the chair may do this",
            SittingRefusal::MayNotSpeak => "only a delegate asks for the floor",
            SittingRefusal::NotPresent => "check in before asking for the floor",
            SittingRefusal::Closed => "the sitting is closed",
            SittingRefusal::NotOpen => "the sitting is not open",
            SittingRefusal::NotPaused => "the sitting is not paused",
            SittingRefusal::AlreadyOpened => "the sitting was opened already",
            SittingRefusal::RemoteNotAllowed => {
                "this sitting does not allow checking in from outside the chamber"
            }
            SittingRefusal::NoSuchItem => "the item is not on the meeting's programme",
            SittingRefusal::NoCurrentItem => "the sitting is on no item of the programme",
            SittingRefusal::NotPresenter => "only the chair or whoever has the floor presents",
            SittingRefusal::NoSuchRequest => {
                "that request is no longer on the list (withdrawn, granted or never made)"
            }
            SittingRefusal::NoSpeech => "no one has the floor",
            SittingRefusal::BadSpeechTime => "a speech lasts from 1 second to an hour",
            SittingRefusal::BadRules => {
                "a quorum is a share of the delegates above none and at most all, and a speech lasts 1 second to an hour"
            }
            SittingRefusal::NoSuchPage => "the paper has no such page",
            SittingRefusal::NoSuchPaper => {
                "only a published paper every participant may read is presented to them all"
            }
        })
    }
}

/// Who acts, as the meeting knows them: `None` for a member who is not a participant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub member: MemberId,
    pub meeting_role: Option<MeetingRole>,
}

/// What the rules need to know of the meeting besides the sitting itself.
pub trait SittingContext {
    /// The item is on the meeting's programme.
    fn has_item(&self, item: AgendaItemId) -> bool;
    /// How the member sits in the meeting, if they are a participant.
    fn meeting_role(&self, member: MemberId) -> Option<MeetingRole>;
    /// The paper's page count, if the paper is one of the meeting's the presenter may show
    /// (published, and readable by every participant).
    fn page_count(&self, paper: PaperId) -> Option<u32>;
}

/// The state of one meeting's sitting, as its events left it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct Sitting {
    /// The last event folded in (0: none yet).
    pub seq: u64,
    pub status: SittingStatus,
    pub rules: SittingRules,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opened_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<Timestamp>,
    /// The whole sitting's time, paused stretches left out.
    pub clock: RunningClock,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<CurrentItem>,
    /// Items the sitting has been on and left, in the order it left them.
    pub items_done: Vec<AgendaItemId>,
    /// Time spent on each item so far (the current one's still counting in `current`).
    pub item_ms: BTreeMap<AgendaItemId, i64>,
    pub attendance: BTreeMap<MemberId, Attendance>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub presentation: Option<Presentation>,
    /// Pending requests for the floor, next first, on every item (the list shown is the
    /// current item's).
    pub requests: Vec<FloorRequest>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speech: Option<Speech>,
    /// Each speaker's time on the floor in this sitting, speeches ended so far.
    pub spoken_ms: BTreeMap<MemberId, i64>,
}

/// Whether the quorum holds: present voting participants against all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Quorum {
    pub present: usize,
    pub voters: usize,
    pub needed: usize,
    pub holds: bool,
}

impl Sitting {
    /// Checks `action` by `actor` against the sitting as it stands; `Ok` means the server
    /// records it as the next event.
    pub fn decide(
        &self,
        actor: Actor,
        action: &SittingAction,
        meeting: &impl SittingContext,
    ) -> Result<(), SittingRefusal> {
        use SittingAction as A;
        let Some(role) = actor.meeting_role else {
            return Err(SittingRefusal::NotParticipant);
        };
        let chair = role == MeetingRole::Chair;
        let secretariat = matches!(role, MeetingRole::Secretary | MeetingRole::Chair);
        if self.status == SittingStatus::Closed {
            return Err(SittingRefusal::Closed);
        }
        let must_chair = || chair.then_some(()).ok_or(SittingRefusal::NotChair);
        let must_run = || match self.status {
            SittingStatus::Open => Ok(()),
            _ => Err(SittingRefusal::NotOpen),
        };
        match action {
            A::CheckIn { remote } => {
                if *remote && !self.rules.remote_allowed {
                    return Err(SittingRefusal::RemoteNotAllowed);
                }
                Ok(())
            }
            A::CheckOut => Ok(()),
            A::RecordAttendance { member, .. } => {
                if !secretariat {
                    return Err(SittingRefusal::NotSecretariat);
                }
                meeting
                    .meeting_role(*member)
                    .map(|_| ())
                    .ok_or(SittingRefusal::NotParticipant)
            }
            A::SetRules { rules } => {
                if !secretariat {
                    return Err(SittingRefusal::NotSecretariat);
                }
                let speech_ok = (1..=MAX_SPEECH_SECS).contains(&rules.speech_secs);
                if !(rules.quorum.is_sensible() && speech_ok) {
                    return Err(SittingRefusal::BadRules);
                }
                Ok(())
            }
            A::Open => {
                must_chair()?;
                if self.status != SittingStatus::NotOpened {
                    return Err(SittingRefusal::AlreadyOpened);
                }
                Ok(())
            }
            A::Pause => {
                must_chair()?;
                must_run()
            }
            A::Resume => {
                must_chair()?;
                if self.status != SittingStatus::Paused {
                    return Err(SittingRefusal::NotPaused);
                }
                Ok(())
            }
            A::Close => {
                must_chair()?;
                if self.status == SittingStatus::NotOpened {
                    return Err(SittingRefusal::NotOpen);
                }
                Ok(())
            }
            A::MoveTo { item } => {
                must_chair()?;
                must_run()?;
                if !meeting.has_item(*item) {
                    return Err(SittingRefusal::NoSuchItem);
                }
                Ok(())
            }
            A::Present { paper_id, page } => {
                self.may_present(actor.member, chair)?;
                match meeting.page_count(*paper_id) {
                    Some(pages) if *page < pages => Ok(()),
                    Some(_) => Err(SittingRefusal::NoSuchPage),
                    None => Err(SittingRefusal::NoSuchPaper),
                }
            }
            A::StopPresenting => self.may_present(actor.member, chair),
            A::RequestFloor { .. } => {
                if role != MeetingRole::Delegate {
                    return Err(SittingRefusal::MayNotSpeak);
                }
                if self.present(actor.member).is_none() {
                    return Err(SittingRefusal::NotPresent);
                }
                if self.status == SittingStatus::NotOpened {
                    return Err(SittingRefusal::NotOpen);
                }
                self.current
                    .map(|_| ())
                    .ok_or(SittingRefusal::NoCurrentItem)
            }
            A::WithdrawRequest => self
                .pending(actor.member)
                .map(|_| ())
                .ok_or(SittingRefusal::NoSuchRequest),
            A::OrderRequest { member, .. } => {
                must_chair()?;
                self.pending(*member)
                    .map(|_| ())
                    .ok_or(SittingRefusal::NoSuchRequest)
            }
            A::GrantFloor {
                member,
                allowed_secs,
            } => {
                must_chair()?;
                must_run()?;
                if allowed_secs.is_some_and(|s| !(1..=MAX_SPEECH_SECS).contains(&s)) {
                    return Err(SittingRefusal::BadSpeechTime);
                }
                self.pending(*member)
                    .map(|_| ())
                    .ok_or(SittingRefusal::NoSuchRequest)
            }
            A::EndSpeech => {
                let speech = self.speech.ok_or(SittingRefusal::NoSpeech)?;
                if !(chair || speech.member == actor.member) {
                    return Err(SittingRefusal::NotChair);
                }
                Ok(())
            }
        }
    }

    /// Folds one accepted event in. Never refuses: devices replay what the server recorded,
    /// whatever the rules were when it did.
    pub fn apply(&mut self, event: &SittingEvent) {
        use SittingAction as A;
        let at = event.at;
        self.seq = event.seq;
        match &event.action {
            A::CheckIn { remote } => {
                let presence = if *remote {
                    Presence::Remote
                } else {
                    Presence::InRoom
                };
                self.record(event.actor, at, Some(presence), None);
            }
            A::CheckOut => {
                self.leave(event.actor, at);
            }
            A::RecordAttendance { member, present } => {
                if *present {
                    self.record(*member, at, Some(Presence::ByHand), Some(event.actor));
                } else {
                    self.requests.retain(|r| r.member != *member);
                    self.record(*member, at, None, Some(event.actor));
                }
            }
            A::SetRules { rules } => self.rules = *rules,
            A::Open => {
                self.status = SittingStatus::Open;
                self.opened_at = Some(at);
                self.clock = RunningClock::started(at);
            }
            A::Pause => {
                self.status = SittingStatus::Paused;
                self.clock.stop(at);
                if let Some(current) = &mut self.current {
                    current.clock.stop(at);
                }
                if let Some(speech) = &mut self.speech {
                    speech.clock.stop(at);
                }
            }
            A::Resume => {
                self.status = SittingStatus::Open;
                self.clock.run(at);
                if let Some(current) = &mut self.current {
                    current.clock.run(at);
                }
                if let Some(speech) = &mut self.speech {
                    speech.clock.run(at);
                }
            }
            A::Close => {
                self.end_speech(at);
                self.leave_item(at);
                self.clock.stop(at);
                self.presentation = None;
                self.status = SittingStatus::Closed;
                self.closed_at = Some(at);
            }
            A::MoveTo { item } => {
                if self.current.is_some_and(|c| c.item == *item) {
                    return;
                }
                self.end_speech(at);
                self.leave_item(at);
                self.items_done.retain(|done| done != item);
                let counted_ms = self.item_ms.get(item).copied().unwrap_or(0);
                self.current = Some(CurrentItem {
                    item: *item,
                    clock: RunningClock {
                        counted_ms,
                        running_since: Some(at),
                    },
                });
            }
            A::Present { paper_id, page } => {
                self.presentation = Some(Presentation {
                    presenter: event.actor,
                    paper_id: *paper_id,
                    page: *page,
                });
            }
            A::StopPresenting => self.presentation = None,
            A::RequestFloor { point_of_order } => {
                let Some(current) = self.current else { return };
                self.requests
                    .retain(|r| !(r.member == event.actor && r.item == current.item));
                let request = FloorRequest {
                    member: event.actor,
                    item: current.item,
                    point_of_order: *point_of_order,
                    at,
                };
                let place = if *point_of_order {
                    self.requests
                        .iter()
                        .position(|r| r.item == current.item && !r.point_of_order)
                        .unwrap_or(self.requests.len())
                } else {
                    self.requests.len()
                };
                self.requests.insert(place, request);
            }
            A::WithdrawRequest => {
                if let Some(index) = self.pending_index(event.actor) {
                    self.requests.remove(index);
                }
            }
            A::OrderRequest { member, position } => {
                let Some(index) = self.pending_index(*member) else {
                    return;
                };
                let request = self.requests.remove(index);
                // `position` counts in the current item's list.
                let item = request.item;
                let place = self
                    .requests
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| r.item == item)
                    .nth(*position as usize)
                    .map_or(self.requests.len(), |(i, _)| i);
                self.requests.insert(place, request);
            }
            A::GrantFloor {
                member,
                allowed_secs,
            } => {
                self.end_speech(at);
                let item = self.pending_index(*member).map(|index| {
                    let request = self.requests.remove(index);
                    request.item
                });
                self.speech = Some(Speech {
                    member: *member,
                    item: item.or(self.current.map(|c| c.item)),
                    allowed_secs: allowed_secs.unwrap_or(self.rules.speech_secs),
                    clock: RunningClock::started(at),
                });
            }
            A::EndSpeech => self.end_speech(at),
        }
    }

    /// How the member is present now, if they are.
    pub fn present(&self, member: MemberId) -> Option<Presence> {
        self.attendance.get(&member).and_then(Attendance::present)
    }

    /// The quorum among `voters` (the meeting's voting participants).
    pub fn quorum(&self, voters: &[MemberId]) -> Quorum {
        let present = voters
            .iter()
            .filter(|m| self.present(**m).is_some())
            .count();
        let needed = self.rules.quorum.needed(voters.len());
        Quorum {
            present,
            voters: voters.len(),
            needed,
            holds: !voters.is_empty() && present >= needed,
        }
    }

    /// The pending requests on the current item, next first.
    pub fn speakers_list(&self) -> Vec<FloorRequest> {
        let Some(current) = self.current else {
            return Vec::new();
        };
        self.requests
            .iter()
            .filter(|r| r.item == current.item)
            .copied()
            .collect()
    }

    /// The member's time on the floor this sitting, the speech under way counted to `now`.
    pub fn spoken_ms(&self, member: MemberId, now: Timestamp) -> i64 {
        let ended = self.spoken_ms.get(&member).copied().unwrap_or(0);
        let running = self
            .speech
            .filter(|s| s.member == member)
            .map_or(0, |s| s.clock.elapsed_ms(now));
        ended + running
    }

    /// The presenter is the chair, or whoever has the floor.
    fn may_present(&self, member: MemberId, chair: bool) -> Result<(), SittingRefusal> {
        let speaking = self.speech.is_some_and(|s| s.member == member);
        if chair || speaking {
            Ok(())
        } else {
            Err(SittingRefusal::NotPresenter)
        }
    }

    fn pending_index(&self, member: MemberId) -> Option<usize> {
        let current = self.current?;
        self.requests
            .iter()
            .position(|r| r.member == member && r.item == current.item)
    }

    fn pending(&self, member: MemberId) -> Option<&FloorRequest> {
        self.pending_index(member).map(|i| &self.requests[i])
    }

    fn record(
        &mut self,
        member: MemberId,
        at: Timestamp,
        presence: Option<Presence>,
        recorded_by: Option<MemberId>,
    ) {
        let attendance = self.attendance.entry(member).or_default();
        if attendance.present() == presence {
            return;
        }
        let late = presence.is_some() && self.opened_at.is_some();
        attendance.record.push(AttendanceEntry {
            at,
            presence,
            recorded_by,
            late,
        });
    }

    fn leave(&mut self, member: MemberId, at: Timestamp) {
        self.requests.retain(|r| r.member != member);
        self.record(member, at, None, None);
    }

    fn end_speech(&mut self, at: Timestamp) {
        if let Some(speech) = self.speech.take() {
            *self.spoken_ms.entry(speech.member).or_default() += speech.clock.elapsed_ms(at);
            if self
                .presentation
                .is_some_and(|p| p.presenter == speech.member)
            {
                self.presentation = None;
            }
        }
    }

    fn leave_item(&mut self, at: Timestamp) {
        if let Some(current) = self.current.take() {
            self.item_ms
                .insert(current.item, current.clock.elapsed_ms(at));
            self.items_done.retain(|done| *done != current.item);
            self.items_done.push(current.item);
        }
    }
}

#[cfg(test)]
mod tests;
