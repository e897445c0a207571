//! Polls on the devices: the secretary drafts a secret poll, the chair opens it on the
//! delegates checked in, and the delegate's device shows it open at once (the live message);
//! the delegate votes and then changes the vote, each shown recorded with a receipt that the
//! device finds in the poll's log; the chair closes and publishes and the delegate's device
//! shows the result; a ballot on a closed poll is kept beside the poll refused with its
//! reason; with the server gone a ballot stays "sending", never silently dropped.

use crate::harness::{Council, DEMO_SESSION, Device, refused};
use ecabinet_app::dto::{
    self, BallotStateView, IpcErrorCode, MajorityRuleView, PollDraftInput, PollKindView,
    PollStateView, PollStepInput, SittingActionInput as Act,
};

async fn shown(
    device: &Device,
    what: &str,
    id: &str,
    ready: impl Fn(&dto::PollView) -> bool,
) -> dto::PollView {
    device
        .until(what, || async {
            let shown = device.events.borrow().polls.get(id).cloned()?;
            ready(&shown).then_some(shown)
        })
        .await
}

fn draft(item: &str) -> PollDraftInput {
    PollDraftInput {
        poll_id: None,
        item_id: item.to_owned(),
        title: "Thông qua Nghị quyết về dự toán ngân sách năm 2027".into(),
        kind: PollKindView::YesNoAbstain,
        options: Vec::new(),
        max_choices: 1,
        secret: true,
        rule: MajorityRuleView::HalfOfMembers,
        may_change: true,
        countdown_secs: None,
    }
}

/// The chair's and delegate01's devices signed in to the demo session, both checked in and
/// the sitting open; the session's id and its first item's.
async fn sitting_open(council: &Council) -> (Device, Device, String, String) {
    let chair = Device::new();
    chair.sign_in(council, "chair").await;
    let delegate = Device::new();
    delegate.sign_in(council, "delegate01").await;
    let meeting = chair.meeting_id(DEMO_SESSION).await;
    delegate.meeting_id(DEMO_SESSION).await;
    let item = chair.core.agenda(&meeting).unwrap().items[0].id.clone();
    for device in [&chair, &delegate] {
        device
            .core
            .act_in_sitting(&meeting, Act::CheckIn { remote: false })
            .await
            .unwrap();
    }
    chair
        .core
        .act_in_sitting(&meeting, Act::Open)
        .await
        .unwrap();
    (chair, delegate, meeting, item)
}

#[tokio::test]
async fn a_delegate_votes_changes_the_vote_finds_the_receipt_and_sees_the_result() {
    let council = Council::demo().await;
    let (chair, delegate, meeting, item) = sitting_open(&council).await;
    let secretary = Device::new();
    secretary.sign_in(&council, "secretary").await;
    secretary.meeting_id(DEMO_SESSION).await;
    let drafted = secretary
        .core
        .draft_poll(&meeting, draft(&item))
        .await
        .unwrap();
    assert_eq!(drafted.state, PollStateView::Draft);
    assert!(drafted.may_step, "the secretary may edit or cancel a draft");
    let polls = delegate.core.meeting_polls(&meeting).await.unwrap();
    let seen = polls
        .iter()
        .find(|p| p.id == drafted.id)
        .expect("the delegate sees the draft");
    assert!(!seen.may_vote && !seen.may_step);
    chair.core.meeting_polls(&meeting).await.unwrap();

    let opened = chair
        .core
        .step_poll(&drafted.id, PollStepInput::Open)
        .await
        .unwrap();
    assert_eq!((opened.state, opened.entitled), (PollStateView::Open, 2));
    let open = shown(
        &delegate,
        "the poll opening on the delegate's device",
        &drafted.id,
        |p| p.state == PollStateView::Open,
    )
    .await;
    assert!(
        open.may_vote && !open.has_voted,
        "the delegate was checked in: they may vote"
    );

    let voted = delegate
        .core
        .cast_ballot(&drafted.id, vec![1])
        .await
        .unwrap();
    let mine = voted
        .my_ballot
        .clone()
        .expect("the device keeps its ballot");
    assert_eq!(mine.state, BallotStateView::Recorded);
    assert_eq!(mine.recorded_choice, Some(vec![1]));
    assert!(voted.has_voted && voted.voted == 1);
    let changed = delegate
        .core
        .cast_ballot(&drafted.id, vec![0])
        .await
        .unwrap();
    let mine = changed.my_ballot.clone().unwrap();
    assert_eq!(
        (mine.version, mine.state),
        (2, BallotStateView::Recorded),
        "the change is version 2, recorded"
    );
    assert_eq!(changed.voted, 1, "a change is no second ballot");
    let receipt = delegate
        .core
        .check_ballot_receipt(&drafted.id)
        .await
        .unwrap();
    assert!(receipt.found && receipt.log_holds, "{receipt:?}");
    assert_eq!(Some(receipt.receipt.clone()), mine.receipt);

    chair
        .core
        .step_poll(&drafted.id, PollStepInput::Close)
        .await
        .unwrap();
    let published = chair
        .core
        .step_poll(&drafted.id, PollStepInput::Publish)
        .await
        .unwrap();
    assert_eq!(published.state, PollStateView::Published);
    let result = shown(
        &delegate,
        "the published result on the delegate's device",
        &drafted.id,
        |p| p.state == PollStateView::Published,
    )
    .await
    .result
    .expect("a published poll shows its result");
    assert_eq!(
        result.counts,
        vec![1, 0, 0],
        "the changed ballot counts as its last choice"
    );
    assert!(result.roll.is_none(), "a secret poll names no one");

    let late = delegate
        .core
        .cast_ballot(&drafted.id, vec![2])
        .await
        .unwrap();
    let mine = late.my_ballot.unwrap();
    assert_eq!(
        mine.state,
        BallotStateView::Refused,
        "a ballot on a closed poll is refused"
    );
    assert_eq!(mine.refused_code, Some(IpcErrorCode::PollClosed));
    assert_eq!(
        mine.recorded_choice,
        Some(vec![0]),
        "and what was recorded stays as it was"
    );
}

#[tokio::test]
async fn a_ballot_with_the_server_gone_stays_sending_and_says_so() {
    let council = Council::demo().await;
    let (chair, delegate, meeting, item) = sitting_open(&council).await;
    let poll = chair.core.draft_poll(&meeting, draft(&item)).await.unwrap();
    chair
        .core
        .step_poll(&poll.id, PollStepInput::Open)
        .await
        .unwrap();
    delegate.core.meeting_polls(&meeting).await.unwrap();

    drop(council);
    let code = refused(
        "a ballot with the server gone",
        delegate.core.cast_ballot(&poll.id, vec![0]).await,
    );
    assert_eq!(code, IpcErrorCode::ServerUnreachable);
    let kept = shown(&delegate, "the ballot kept as sending", &poll.id, |p| {
        p.my_ballot.is_some()
    })
    .await;
    assert_eq!(
        kept.my_ballot.unwrap().state,
        BallotStateView::Sending,
        "the ballot is kept, shown as not yet recorded"
    );
}
