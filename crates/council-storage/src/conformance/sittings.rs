//! The live sittings' events ([`SittingStore`]).

use crate::StorageError;
use crate::prelude::*;
use ecabinet_domain::sitting::{SittingAction, SittingEvent};
use ecabinet_domain::{Meeting, MeetingId, MemberId, PaperId};
use std::sync::Arc;
use tokio::sync::Barrier;
use uuid::Uuid;

use super::{Fixture, NOW, expect_conflict};

/// The event numbered `seq`, a second after the one before it.
fn event(seq: u64, actor: MemberId, action: SittingAction) -> SittingEvent {
    SittingEvent {
        seq,
        at: NOW.plus_millis(1_000 * seq as i64),
        actor,
        action,
    }
}

/// A second meeting of the fixture's council, seeded.
async fn afternoon(storage: &Arc<dyn CouncilStorage>, fx: &Fixture) -> MeetingId {
    let meeting = Meeting {
        id: MeetingId(Uuid::new_v4()),
        title: "Phiên chiều".into(),
        ..fx.meeting.clone()
    };
    storage.put_meeting(meeting.clone()).await.unwrap();
    meeting.id
}

/// Records `event` for `meeting` under a new action id, which it returns.
async fn append(
    storage: &Arc<dyn CouncilStorage>,
    meeting: MeetingId,
    event: &SittingEvent,
) -> Uuid {
    let action = Uuid::new_v4();
    storage
        .append_sitting_event(meeting, action, event)
        .await
        .unwrap_or_else(|e| panic!("event {} is the next one: {e:?}", event.seq));
    action
}

/// A sitting's events come back whole, in their order, from any cursor; each meeting's
/// sitting is numbered on its own and never shows another's events.
pub async fn sitting_events_are_read_in_order_after_a_cursor(storage: Arc<dyn CouncilStorage>) {
    let fx = Fixture::new("sitting-read");
    storage.seed_council(fx.seed()).await.unwrap();
    let (morning, afternoon) = (fx.meeting.id, afternoon(&storage, &fx).await);
    assert!(
        storage.sitting_events(morning, 0).await.unwrap().is_empty(),
        "a meeting whose sitting has not begun has no events"
    );

    let chair = fx.secretary.id;
    let checked_in = event(1, fx.delegate.id, SittingAction::CheckIn { remote: false });
    let opened = event(2, chair, SittingAction::Open);
    let moved = event(3, chair, SittingAction::MoveTo { item: fx.item.id });
    let elsewhere = [
        event(1, fx.delegate.id, SittingAction::CheckIn { remote: true }),
        event(
            2,
            chair,
            SittingAction::Present {
                paper_id: PaperId(Uuid::new_v4()),
                page: 4,
            },
        ),
    ];
    // The two sittings' events interleave, as they would with two rooms in session.
    let check_in_action = append(&storage, morning, &checked_in).await;
    append(&storage, afternoon, &elsewhere[0]).await;
    append(&storage, morning, &opened).await;
    append(&storage, afternoon, &elsewhere[1]).await;
    append(&storage, morning, &moved).await;

    assert_eq!(
        storage.sitting_events(morning, 0).await.unwrap(),
        vec![checked_in.clone(), opened.clone(), moved.clone()],
        "from 0, every event of the meeting, in order, as it was recorded"
    );
    assert_eq!(
        storage.sitting_events(morning, 1).await.unwrap(),
        vec![opened, moved.clone()],
        "a device that has event 1 gets what follows it"
    );
    assert_eq!(
        storage.sitting_events(morning, 2).await.unwrap(),
        vec![moved],
        "and from 2, only the last"
    );
    assert!(
        storage.sitting_events(morning, 3).await.unwrap().is_empty(),
        "a device that has the last event has nothing to catch up"
    );
    assert!(
        storage
            .sitting_events(morning, u64::MAX)
            .await
            .unwrap()
            .is_empty(),
        "a cursor past anything stored reads nothing, whatever its size"
    );
    assert_eq!(
        storage.sitting_events(afternoon, 0).await.unwrap(),
        elsewhere.to_vec(),
        "the other meeting's sitting holds its own events, numbered from 1 on its own"
    );

    assert_eq!(
        storage
            .sitting_event_for_action(morning, check_in_action)
            .await
            .unwrap(),
        Some(checked_in),
        "an action is found under the meeting it was recorded in"
    );
    assert_eq!(
        storage
            .sitting_event_for_action(afternoon, check_in_action)
            .await
            .unwrap(),
        None,
        "and not under another meeting"
    );
}

/// The next event must be numbered the last + 1, and an action is recorded once: an event
/// out of turn, or an action sent again, is a Conflict that leaves the record as it was.
pub async fn a_sitting_event_out_of_turn_or_sent_twice_is_a_conflict_and_stores_nothing(
    storage: Arc<dyn CouncilStorage>,
) {
    let fx = Fixture::new("sitting-turn");
    storage.seed_council(fx.seed()).await.unwrap();
    let meeting = fx.meeting.id;
    let chair = fx.secretary.id;

    let checked_in = event(1, fx.delegate.id, SittingAction::CheckIn { remote: false });
    let check_in_action = append(&storage, meeting, &checked_in).await;

    let (second_one, skipping, numberless) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    expect_conflict(
        storage
            .append_sitting_event(meeting, second_one, &event(1, chair, SittingAction::Open))
            .await,
        "recording a number another server recorded first",
    );
    expect_conflict(
        storage
            .append_sitting_event(
                meeting,
                skipping,
                &event(3, chair, SittingAction::MoveTo { item: fx.item.id }),
            )
            .await,
        "recording a number that skips one",
    );
    expect_conflict(
        storage
            .append_sitting_event(meeting, numberless, &event(0, chair, SittingAction::Open))
            .await,
        "recording a number below 1",
    );
    expect_conflict(
        storage
            .append_sitting_event(
                meeting,
                check_in_action,
                &event(2, fx.delegate.id, SittingAction::CheckIn { remote: false }),
            )
            .await,
        "recording an action a second time, even under the next number",
    );

    assert_eq!(
        storage.sitting_events(meeting, 0).await.unwrap(),
        vec![checked_in.clone()],
        "a refused event leaves no trace"
    );
    assert_eq!(
        storage
            .sitting_event_for_action(meeting, check_in_action)
            .await
            .unwrap(),
        Some(checked_in.clone()),
        "the recorded action is found, as its first send stored it"
    );
    for (refused, what) in [
        (second_one, "taken number"),
        (skipping, "skipping number"),
        (numberless, "number 0"),
        (Uuid::new_v4(), "never sent"),
    ] {
        assert_eq!(
            storage
                .sitting_event_for_action(meeting, refused)
                .await
                .unwrap(),
            None,
            "an action that was not recorded ({what}) is not found"
        );
    }

    let opened = event(2, chair, SittingAction::Open);
    append(&storage, meeting, &opened).await;
    assert_eq!(
        storage.sitting_events(meeting, 0).await.unwrap(),
        vec![checked_in, opened],
        "the refusals took no number: the next event is 2"
    );
}

/// Server instances record the same next number at the same moment: exactly one event is
/// stored under it, every other is told it conflicts (never a server error), and the
/// numbers stay without gaps or repeats.
pub async fn concurrent_appends_of_one_number_store_exactly_one(storage: Arc<dyn CouncilStorage>) {
    const SERVERS: usize = 8;
    const ROUNDS: u64 = 3;
    let fx = Fixture::new("sitting-race");
    storage.seed_council(fx.seed()).await.unwrap();
    let meeting = fx.meeting.id;
    for seq in 1..=ROUNDS {
        let barrier = Arc::new(Barrier::new(SERVERS));
        let attempts: Vec<_> = (0..SERVERS)
            .map(|_| {
                let (storage, barrier) = (storage.clone(), barrier.clone());
                let action = Uuid::new_v4();
                let event = event(
                    seq,
                    fx.delegate.id,
                    SittingAction::CheckIn { remote: false },
                );
                tokio::spawn(async move {
                    barrier.wait().await;
                    let stored = storage.append_sitting_event(meeting, action, &event).await;
                    (action, stored)
                })
            })
            .collect();
        let (mut winners, mut losers) = (Vec::new(), Vec::new());
        for attempt in attempts {
            match attempt.await.unwrap() {
                (action, Ok(())) => winners.push(action),
                (action, Err(StorageError::Conflict(_))) => losers.push(action),
                (_, Err(other)) => panic!(
                    "an event that lost the race for number {seq} must be a Conflict, \
                     got {other:?}"
                ),
            }
        }
        assert_eq!(
            winners.len(),
            1,
            "exactly one of {SERVERS} events numbered {seq} is stored"
        );
        assert!(
            storage
                .sitting_event_for_action(meeting, winners[0])
                .await
                .unwrap()
                .is_some_and(|e| e.seq == seq),
            "the winner's action is found as event {seq}"
        );
        for loser in losers {
            assert_eq!(
                storage
                    .sitting_event_for_action(meeting, loser)
                    .await
                    .unwrap(),
                None,
                "a refused action is not found: its server may decide it anew"
            );
        }
    }
    let seqs: Vec<u64> = storage
        .sitting_events(meeting, 0)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.seq)
        .collect();
    assert_eq!(
        seqs,
        (1..=ROUNDS).collect::<Vec<_>>(),
        "one event per number, none skipped"
    );
}
