//! The live sitting on this device: the state the server answers with when the window asks
//! for it, then each event the live socket carries folded in (`Sitting::apply`, the same
//! fold as the server's), so the window shows the sitting's state, never a trail of events
//! it may have missed. An event out of turn, a socket that fell behind or a reconnect
//! fetches the state anew. Acting sends the action under an id made here, so a retry
//! after a lost answer is recorded once.
//!
//! The sitting needs the server: nothing here is kept in the store, and an action while
//! offline is refused at once with `server_unreachable` rather than queued, since "grant
//! the floor" or "check in" means now, not whenever the network returns.

use crate::dto::{self, IpcError, IpcErrorCode};
use crate::{AppCore, Notify, parse_id};
use ecabinet_domain::sitting::{QuorumRule, Sitting, SittingAction, SittingEvent, SittingRules};
use ecabinet_domain::{Clock, MeetingId, MemberId, Participant};
use ecabinet_protocol::{SittingRequest, SittingSnapshot};
use ecabinet_store::{Store, StoredSession};
use ecabinet_sync::{CouncilClient, SittingNews, SyncError};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::broadcast;
use uuid::Uuid;

/// How often an action is sent again under its id when no answer came.
const SEND_TRIES: usize = 3;

/// The sittings the window follows, as this device last knew them.
#[derive(Default)]
pub(crate) struct HeldSittings {
    held: Mutex<HashMap<MeetingId, Held>>,
}

#[derive(Clone)]
struct Held {
    sitting: Sitting,
    voters: Vec<MemberId>,
    /// The server's clock minus this device's, when the state came.
    offset_ms: i64,
}

impl HeldSittings {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<MeetingId, Held>> {
        self.held.lock().expect("held sittings lock")
    }

    fn hold(&self, snapshot: SittingSnapshot, now: i64) -> Held {
        let held = Held {
            sitting: snapshot.sitting,
            voters: snapshot.voters,
            offset_ms: snapshot.server_time.millis() - now,
        };
        self.lock().insert(snapshot.meeting_id, held.clone());
        held
    }

    /// Folds `event` in if it is the next one; `None` when the state must be fetched anew
    /// (not followed, or out of turn).
    fn fold(&self, meeting: MeetingId, event: &SittingEvent) -> Option<Held> {
        let mut held = self.lock();
        let entry = held.get_mut(&meeting)?;
        if event.seq <= entry.sitting.seq {
            return Some(entry.clone());
        }
        if event.seq != entry.sitting.seq + 1 {
            return None;
        }
        entry.sitting.apply(event);
        Some(entry.clone())
    }

    fn followed(&self) -> Vec<MeetingId> {
        self.lock().keys().copied().collect()
    }

    pub(crate) fn forget_all(&self) {
        self.lock().clear();
    }
}

impl AppCore {
    /// The meeting's sitting as the server has it now; from then on its live events reach
    /// the window as `sitting-changed`.
    pub async fn sitting(&self, meeting_id: &str) -> Result<dto::SittingView, IpcError> {
        let meeting: MeetingId = parse_id(meeting_id)?;
        let session = self.session()?;
        let client = CouncilClient::new(&session.server_url)?;
        let snapshot = client.sitting(&session.token, meeting).await?;
        let held = self.sittings.hold(snapshot, self.clock.now().millis());
        self.sitting_view(meeting, &held, &session)
    }

    /// Sends an action of the member's in the meeting's sitting; answers with the sitting
    /// as it stands after it.
    pub async fn act_in_sitting(
        &self,
        meeting_id: &str,
        action: dto::SittingActionInput,
    ) -> Result<dto::SittingView, IpcError> {
        let meeting: MeetingId = parse_id(meeting_id)?;
        let session = self.session()?;
        let client = CouncilClient::new(&session.server_url)?;
        let request = SittingRequest {
            action_id: Uuid::new_v4(),
            action: action.try_into()?,
        };
        let mut tries = 0;
        let event = loop {
            tries += 1;
            match client
                .act_in_sitting(&session.token, meeting, &request)
                .await
            {
                Ok(event) => break event,
                // The answer may have been lost after the server recorded it: the same id
                // again is answered with that event.
                Err(SyncError::Unreachable(_)) if tries < SEND_TRIES => {
                    tokio::time::sleep(Duration::from_millis(300)).await;
                }
                Err(e) => return Err(e.into()),
            }
        };
        let held = match self.sittings.fold(meeting, &event) {
            Some(held) => held,
            None => {
                let snapshot = client.sitting(&session.token, meeting).await?;
                self.sittings.hold(snapshot, self.clock.now().millis())
            }
        };
        let view = self.sitting_view(meeting, &held, &session)?;
        self.notify.sitting_changed(view.clone());
        Ok(view)
    }

    fn sitting_view(
        &self,
        meeting: MeetingId,
        held: &Held,
        session: &StoredSession,
    ) -> Result<dto::SittingView, IpcError> {
        let participants = participants(&self.store(), meeting)?;
        Ok(view(meeting, held, &participants, session.member.id))
    }
}

/// Who sits in the meeting as this device knows it, read as the server reads it
/// (`sitting_participants`): the latest published version's list, else the secretariat's
/// working list, else the default list (every member but the administrator).
pub(crate) fn participants(
    store: &Store,
    meeting: MeetingId,
) -> Result<Vec<Participant>, IpcError> {
    let listed = match store.latest_packet(meeting)? {
        Some(version) => version.participants,
        None => store.participants(meeting)?,
    };
    if listed.is_empty() {
        return Ok(Participant::defaults(&store.members()?));
    }
    Ok(listed)
}

/// Follows the live socket's sitting news while signed in: each event folded into the held
/// sitting it belongs to and shown; a gap or a stale socket fetches the state anew.
pub(crate) async fn follow(
    mut news: broadcast::Receiver<SittingNews>,
    sittings: Arc<HeldSittings>,
    store: Arc<Mutex<Store>>,
    session: StoredSession,
    notify: Arc<dyn Notify>,
    clock: Arc<dyn Clock>,
) {
    let Ok(client) = CouncilClient::new(&session.server_url) else {
        return;
    };
    let show = |meeting: MeetingId, held: &Held| {
        let participants = match participants(&store.lock().expect("store lock"), meeting) {
            Ok(participants) => participants,
            Err(e) => {
                tracing::warn!("reading a sitting's participants: {e:?}");
                return;
            }
        };
        notify.sitting_changed(view(meeting, held, &participants, session.member.id));
    };
    let refetch = async |meeting: MeetingId| match client.sitting(&session.token, meeting).await {
        Ok(snapshot) => Some(sittings.hold(snapshot, clock.now().millis())),
        Err(e) => {
            tracing::info!("fetching the sitting of {meeting} again: {e}");
            None
        }
    };
    loop {
        let stale = match news.recv().await {
            Ok(SittingNews::Event { meeting_id, event }) => {
                match sittings.fold(meeting_id, &event) {
                    Some(held) => {
                        show(meeting_id, &held);
                        Vec::new()
                    }
                    None if sittings.followed().contains(&meeting_id) => vec![meeting_id],
                    None => Vec::new(),
                }
            }
            Ok(SittingNews::Stale) | Err(broadcast::error::RecvError::Lagged(_)) => {
                sittings.followed()
            }
            // Polls have their own follower (`polls::follow`).
            Ok(SittingNews::Poll { .. } | SittingNews::PollTurnout { .. }) => Vec::new(),
            Err(broadcast::error::RecvError::Closed) => return,
        };
        for meeting in stale {
            if let Some(held) = refetch(meeting).await {
                show(meeting, &held);
            }
        }
    }
}

fn view(
    meeting: MeetingId,
    held: &Held,
    participants: &[Participant],
    me: MemberId,
) -> dto::SittingView {
    let sitting = &held.sitting;
    let name = |member: MemberId| {
        participants
            .iter()
            .find(|p| p.member_id == member)
            .map_or_else(|| "?".to_owned(), |p| p.display_name.clone())
    };
    let quorum = sitting.quorum(&held.voters);
    let attendance = participants
        .iter()
        .map(|p| {
            let record = sitting.attendance.get(&p.member_id);
            let last = record.and_then(|a| a.record.last());
            dto::AttendeeView {
                member_id: p.member_id.to_string(),
                name: p.display_name.clone(),
                meeting_role: p.meeting_role.into(),
                votes: p.votes,
                present: sitting.present(p.member_id).map(Into::into),
                since: last.map(|entry| entry.at.millis()),
                late: last.is_some_and(|entry| entry.presence.is_some() && entry.late),
                recorded_by: last.and_then(|entry| entry.recorded_by).map(name),
                spoken_ms: sitting.spoken_ms.get(&p.member_id).copied().unwrap_or(0),
            }
        })
        .collect();
    let speakers: Vec<dto::FloorRequestView> = sitting
        .speakers_list()
        .iter()
        .map(|r| dto::FloorRequestView {
            member_id: r.member.to_string(),
            name: name(r.member),
            point_of_order: r.point_of_order,
            at: r.at.millis(),
        })
        .collect();
    let role = participants
        .iter()
        .find(|p| p.member_id == me)
        .map(|p| p.meeting_role);
    use ecabinet_domain::MeetingRole as R;
    dto::SittingView {
        meeting_id: meeting.to_string(),
        seq: u32::try_from(sitting.seq).unwrap_or(u32::MAX),
        status: sitting.status.into(),
        remote_allowed: sitting.rules.remote_allowed,
        speech_secs: sitting.rules.speech_secs,
        quorum_numerator: sitting.rules.quorum.numerator,
        quorum_denominator: sitting.rules.quorum.denominator,
        quorum: dto::QuorumView {
            present: quorum.present as u32,
            voters: quorum.voters as u32,
            needed: quorum.needed as u32,
            holds: quorum.holds,
        },
        server_offset_ms: held.offset_ms,
        opened_at: sitting.opened_at.map(|t| t.millis()),
        clock: sitting.clock.into(),
        current_item: sitting.current.map(|c| dto::CurrentItemView {
            item_id: c.item.to_string(),
            clock: c.clock.into(),
        }),
        items_done: sitting.items_done.iter().map(ToString::to_string).collect(),
        attendance,
        speech: sitting.speech.map(|s| dto::SpeechView {
            member_id: s.member.to_string(),
            name: name(s.member),
            allowed_secs: s.allowed_secs,
            clock: s.clock.into(),
            spoken_before_ms: sitting.spoken_ms.get(&s.member).copied().unwrap_or(0),
        }),
        presentation: sitting.presentation.map(|p| dto::PresentationView {
            presenter_id: p.presenter.to_string(),
            presenter_name: name(p.presenter),
            paper_id: p.paper_id.to_string(),
            page: p.page,
        }),
        me: dto::SittingPlaceView {
            member_id: me.to_string(),
            meeting_role: role.map(Into::into),
            present: sitting.present(me).map(Into::into),
            chairs: role == Some(R::Chair),
            records: matches!(role, Some(R::Chair | R::Secretary)),
            may_speak: role == Some(R::Delegate),
            requested: speakers.iter().any(|r| r.member_id == me.to_string()),
            speaking: sitting.speech.is_some_and(|s| s.member == me),
        },
        speakers,
    }
}

impl TryFrom<dto::SittingActionInput> for SittingAction {
    type Error = IpcError;

    fn try_from(input: dto::SittingActionInput) -> Result<Self, IpcError> {
        use dto::SittingActionInput as I;
        Ok(match input {
            I::CheckIn { remote } => SittingAction::CheckIn { remote },
            I::CheckOut => SittingAction::CheckOut,
            I::RecordAttendance { member_id, present } => SittingAction::RecordAttendance {
                member: parse_id(&member_id)?,
                present,
            },
            I::SetRules {
                quorum_numerator,
                quorum_denominator,
                remote_allowed,
                speech_secs,
            } => {
                let quorum = QuorumRule {
                    numerator: quorum_numerator,
                    denominator: quorum_denominator,
                };
                if !quorum.is_sensible() {
                    return Err(IpcError::new(
                        IpcErrorCode::BadRequest,
                        "a quorum is a share of the delegates above none and at most all",
                    ));
                }
                SittingAction::SetRules {
                    rules: SittingRules {
                        quorum,
                        remote_allowed,
                        speech_secs,
                    },
                }
            }
            I::Open => SittingAction::Open,
            I::Pause => SittingAction::Pause,
            I::Resume => SittingAction::Resume,
            I::Close => SittingAction::Close,
            I::MoveTo { item_id } => SittingAction::MoveTo {
                item: parse_id(&item_id)?,
            },
            I::Present { paper_id, page } => SittingAction::Present {
                paper_id: parse_id(&paper_id)?,
                page,
            },
            I::StopPresenting => SittingAction::StopPresenting,
            I::RequestFloor { point_of_order } => SittingAction::RequestFloor { point_of_order },
            I::WithdrawRequest => SittingAction::WithdrawRequest,
            I::OrderRequest {
                member_id,
                position,
            } => SittingAction::OrderRequest {
                member: parse_id(&member_id)?,
                position,
            },
            I::GrantFloor {
                member_id,
                allowed_secs,
            } => SittingAction::GrantFloor {
                member: parse_id(&member_id)?,
                allowed_secs,
            },
            I::EndSpeech => SittingAction::EndSpeech,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ecabinet_domain::Timestamp;

    fn event(seq: u64, action: SittingAction) -> SittingEvent {
        SittingEvent {
            seq,
            at: Timestamp(1_800_000_000_000 + seq as i64 * 1_000),
            actor: MemberId(Uuid::from_u128(7)),
            action,
        }
    }

    fn snapshot(meeting: MeetingId, events: &[SittingEvent]) -> SittingSnapshot {
        let mut sitting = Sitting::default();
        for e in events {
            sitting.apply(e);
        }
        SittingSnapshot {
            meeting_id: meeting,
            sitting,
            voters: vec![MemberId(Uuid::from_u128(7))],
            server_time: Timestamp(1_800_000_010_000),
        }
    }

    #[test]
    fn the_next_event_is_folded_in_and_one_after_a_gap_asks_for_the_state_anew() {
        let meeting = MeetingId(Uuid::from_u128(1));
        let check_in = event(1, SittingAction::CheckIn { remote: false });
        let open = event(2, SittingAction::Open);
        let pause = event(3, SittingAction::Pause);
        let held = HeldSittings::default();
        assert!(
            held.fold(meeting, &open).is_none(),
            "a sitting not followed is fetched, not guessed at"
        );

        held.hold(
            snapshot(meeting, std::slice::from_ref(&check_in)),
            1_800_000_000_000,
        );
        assert!(
            held.fold(meeting, &pause).is_none(),
            "event 3 after 1: event 2 was missed, so the state is fetched anew"
        );
        let folded = held.fold(meeting, &open).expect("event 2 follows 1");
        assert_eq!(folded.sitting.seq, 2);
        assert_eq!(
            held.fold(meeting, &check_in).map(|h| h.sitting.seq),
            Some(2),
            "an event already shown (heard twice, or older than the state) changes nothing"
        );
        assert_eq!(
            held.fold(meeting, &pause).map(|h| h.sitting.status),
            Some(ecabinet_domain::sitting::SittingStatus::Paused)
        );
        assert_eq!(
            folded.offset_ms, 10_000,
            "the server's clock ten seconds ahead"
        );
    }
}
