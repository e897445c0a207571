//! Polls, who voted, ballots and the polls' logs ([`PollStore`]).

use crate::prelude::*;
use crate::{PollWrite, StorageError};
use ecabinet_domain::MemberId;
use ecabinet_domain::poll::log::{PollLogEntry, PollLogLine};
use ecabinet_domain::poll::{
    BallotKey, CastBallot, MajorityRule, Poll, PollId, PollKind, PollSettings, Receipt, YES,
};
use std::sync::Arc;
use tokio::sync::Barrier;
use uuid::Uuid;

use super::{Fixture, NOW, expect_conflict};

fn settings(secret: bool) -> PollSettings {
    PollSettings {
        title: "Dự thảo nghị quyết về dự toán ngân sách năm 2027".into(),
        kind: PollKind::YesNoAbstain,
        secret,
        rule: MajorityRule::HalfOfMembers,
        may_change: true,
        countdown_secs: None,
    }
}

/// A poll of the fixture's meeting, opened with `voters` entitled, stored with its first
/// log line; returns it and that line.
async fn opened(
    storage: &Arc<dyn CouncilStorage>,
    fx: &Fixture,
    voters: &[MemberId],
) -> (Poll, PollLogLine) {
    let mut poll = Poll::draft(
        PollId(Uuid::new_v4()),
        fx.meeting.id,
        fx.item.id,
        settings(true),
        fx.secretary.id,
        NOW,
    )
    .unwrap();
    storage
        .write_poll(write(&poll, &[], &[], &[]))
        .await
        .unwrap();
    poll.open(NOW.plus_millis(1_000), voters.to_vec(), voters.len() as u32)
        .unwrap();
    let line = PollLogLine::after(
        None,
        PollLogEntry::Opened {
            poll_id: poll.id,
            meeting_id: poll.meeting_id,
            item_id: poll.item_id,
            settings: poll.settings.clone(),
            at: NOW.plus_millis(1_000),
            entitled: voters.len() as u64,
            members: voters.len() as u64,
            voters: None,
        },
    );
    storage
        .write_poll(write(&poll, &[], &[], std::slice::from_ref(&line)))
        .await
        .unwrap();
    (poll, line)
}

fn write<'a>(
    poll: &'a Poll,
    new_voters: &'a [usize],
    ballots: &'a [CastBallot],
    lines: &'a [PollLogLine],
) -> PollWrite<'a> {
    PollWrite {
        poll,
        record_changed: new_voters.is_empty(),
        new_voters,
        ballots,
        replaced: &[],
        lines,
    }
}

fn ballot(poll: &Poll, key: u8) -> CastBallot {
    CastBallot {
        receipt: Receipt::of(poll.id, &BallotKey([key; 32]), 1),
        choice: vec![YES],
        voter: None,
        replaced: false,
    }
}

fn ballot_line(prev: &PollLogLine, ballot: &CastBallot, replaces: Option<Receipt>) -> PollLogLine {
    PollLogLine::after(
        Some(prev),
        PollLogEntry::Ballot {
            receipt: ballot.receipt,
            choice: ballot.choice.clone(),
            replaces,
            voter: ballot.voter,
        },
    )
}

/// A poll comes back as written; a ballot, the voter's bit, a change of ballot and the log
/// lines are stored together, and a line out of turn, a voter's second first ballot or a
/// taken receipt store nothing.
pub async fn a_poll_its_ballots_and_its_log_are_stored_together(storage: Arc<dyn CouncilStorage>) {
    let fx = Fixture::new("poll-store");
    storage.seed_council(fx.seed()).await.unwrap();
    let voters = [fx.delegate.id, fx.secretary.id];
    let (poll, opened_line) = opened(&storage, &fx, &voters).await;
    let stored = storage.poll(poll.id).await.unwrap().expect("stored");
    assert_eq!(stored.poll, poll, "the poll comes back whole");
    let open: Vec<PollId> = storage
        .open_polls()
        .await
        .unwrap()
        .iter()
        .map(|p| p.poll.id)
        .collect();
    assert!(open.contains(&poll.id), "an open poll is listed as open");
    assert_eq!(stored.voted.count(), 0, "nobody has voted yet");
    assert_eq!(storage.meeting_polls(fx.meeting.id).await.unwrap().len(), 1);

    let first = ballot(&poll, 1);
    let line = ballot_line(&opened_line, &first, None);
    let index = poll.voter_index(fx.delegate.id).unwrap();
    storage
        .write_poll(write(
            &poll,
            &[index],
            std::slice::from_ref(&first),
            std::slice::from_ref(&line),
        ))
        .await
        .unwrap();
    let stored = storage.poll(poll.id).await.unwrap().unwrap();
    assert!(
        stored.voted.has(index) && stored.voted.count() == 1,
        "the voter's bit is set"
    );
    assert_eq!(
        storage.poll_ballots(poll.id).await.unwrap(),
        vec![first.clone()]
    );
    assert_eq!(
        storage.poll_log(poll.id).await.unwrap(),
        vec![opened_line.clone(), line.clone()]
    );

    let second = ballot(&poll, 2);
    let again = ballot_line(&line, &second, None);
    expect_conflict(
        storage
            .write_poll(write(
                &poll,
                &[index],
                std::slice::from_ref(&second),
                std::slice::from_ref(&again),
            ))
            .await,
        "a second first ballot of one voter",
    );
    let stale = ballot_line(&opened_line, &second, None);
    let other = poll.voter_index(fx.secretary.id).unwrap();
    expect_conflict(
        storage
            .write_poll(write(
                &poll,
                &[other],
                std::slice::from_ref(&second),
                std::slice::from_ref(&stale),
            ))
            .await,
        "a line numbered as if the log had not grown",
    );
    expect_conflict(
        storage
            .write_poll(write(
                &poll,
                &[other],
                std::slice::from_ref(&first),
                std::slice::from_ref(&again),
            ))
            .await,
        "a receipt taken already",
    );
    assert_eq!(
        storage.poll_ballots(poll.id).await.unwrap().len(),
        1,
        "none of those stored anything"
    );
    assert_eq!(
        storage.poll(poll.id).await.unwrap().unwrap().voted.count(),
        1
    );

    let changed = CastBallot {
        receipt: Receipt::of(poll.id, &BallotKey([1; 32]), 2),
        choice: vec![1],
        voter: None,
        replaced: false,
    };
    let change_line = ballot_line(&line, &changed, Some(first.receipt));
    storage
        .write_poll(PollWrite {
            poll: &poll,
            record_changed: false,
            new_voters: &[],
            ballots: std::slice::from_ref(&changed),
            replaced: &[first.receipt],
            lines: std::slice::from_ref(&change_line),
        })
        .await
        .unwrap();
    let ballots = storage.poll_ballots(poll.id).await.unwrap();
    let current: Vec<_> = ballots.iter().filter(|b| !b.replaced).collect();
    assert_eq!(
        current,
        vec![&changed],
        "a change leaves one current ballot"
    );
    assert_eq!(ballots.len(), 2, "and keeps the one it replaced, marked");
    let replay = ballot_line(&change_line, &second, None);
    let result = storage
        .write_poll(PollWrite {
            poll: &poll,
            record_changed: false,
            new_voters: &[],
            ballots: std::slice::from_ref(&second),
            replaced: &[first.receipt],
            lines: std::slice::from_ref(&replay),
        })
        .await;
    expect_conflict(result, "replacing a ballot replaced already");

    let mut closed = poll.clone();
    closed.cancel(NOW.plus_millis(9_000));
    storage
        .write_poll(PollWrite {
            poll: &closed,
            record_changed: true,
            new_voters: &[],
            ballots: &[],
            replaced: &[],
            lines: &[],
        })
        .await
        .unwrap();
    let still_open = storage.open_polls().await.unwrap();
    assert!(
        still_open.iter().all(|p| p.poll.id != poll.id),
        "a cancelled poll is no longer listed as open"
    );
}

/// Many ballots of one voter sent at once to the storage store exactly one; ballots of
/// different voters at once all get stored, each after retrying on the log's next number.
pub async fn concurrent_ballots_store_one_per_voter(storage: Arc<dyn CouncilStorage>) {
    let fx = Fixture::new("poll-race");
    storage.seed_council(fx.seed()).await.unwrap();
    let voters = [fx.delegate.id, fx.secretary.id];
    let (poll, opened_line) = opened(&storage, &fx, &voters).await;
    let index = poll.voter_index(fx.delegate.id).unwrap();
    let tasks = 12;
    let barrier = Arc::new(Barrier::new(tasks));
    let mut handles = Vec::new();
    for key in 0..tasks {
        let (storage, poll, barrier) = (storage.clone(), poll.clone(), barrier.clone());
        let opened_line = opened_line.clone();
        handles.push(tokio::spawn(async move {
            let cast = ballot(&poll, key as u8);
            barrier.wait().await;
            // Each retries until the log's number is its own or the voter is marked.
            loop {
                let log = storage.poll_log(poll.id).await.unwrap();
                let line = ballot_line(log.last().unwrap_or(&opened_line), &cast, None);
                match storage
                    .write_poll(write(
                        &poll,
                        &[index],
                        std::slice::from_ref(&cast),
                        std::slice::from_ref(&line),
                    ))
                    .await
                {
                    Ok(()) => return true,
                    Err(StorageError::Conflict(why)) if why.contains("voted already") => {
                        return false;
                    }
                    Err(StorageError::Conflict(_)) => continue,
                    Err(other) => panic!("a concurrent ballot failed: {other:?}"),
                }
            }
        }));
    }
    let mut stored = 0;
    for handle in handles {
        stored += usize::from(handle.await.unwrap());
    }
    assert_eq!(
        stored, 1,
        "one voter's ballots raced: exactly one is stored"
    );
    assert_eq!(storage.poll_ballots(poll.id).await.unwrap().len(), 1);
    assert_eq!(
        storage.poll_log(poll.id).await.unwrap().len(),
        2,
        "one ballot line after opening"
    );
    assert_eq!(
        storage.poll(poll.id).await.unwrap().unwrap().voted.count(),
        1
    );
}
