//! The live sitting on the devices: a delegate checks in and the chair's device shows the
//! quorum count move at once (the event came in the live message, no pull); the chair opens
//! the sitting, moves to the first item and shows a page, and the delegate's device shows
//! that page; the delegate asks for the floor, is granted it and sees they are speaking; a
//! restarted app shows the same sitting; an action with the server gone says so at once.

use crate::harness::{Council, DEMO_SESSION, Device, paper, refused};
use ecabinet_app::dto::{self, IpcErrorCode, SittingActionInput as Act};

/// A paper every participant reads, of several pages.
const SUBMISSION: &str = "Tờ trình về dự toán ngân sách nhà nước năm 2027";

/// The sitting as `device`'s window was last told it, once `ready` holds.
async fn shown(
    device: &Device,
    what: &str,
    ready: impl Fn(&dto::SittingView) -> bool,
) -> dto::SittingView {
    device
        .until(what, || async {
            let shown = device.events.borrow().sitting.clone()?;
            ready(&shown).then_some(shown)
        })
        .await
}

#[tokio::test]
async fn the_chair_and_a_delegate_follow_one_sitting_live_and_a_restart_shows_it_again() {
    let council = Council::demo().await;
    let chair = Device::new();
    chair.sign_in(&council, "chair").await;
    let delegate_dir = tempfile::tempdir().unwrap();
    let delegate = Device::open(delegate_dir.path());
    let delegate01 = delegate.sign_in(&council, "delegate01").await;
    let meeting = chair.meeting_id(DEMO_SESSION).await;
    delegate.meeting_id(DEMO_SESSION).await;
    let packet = chair.packet_held(DEMO_SESSION).await;
    let paper = paper(&packet, SUBMISSION);

    let before = chair.core.sitting(&meeting).await.unwrap();
    assert_eq!(before.status, dto::SittingStatusView::NotOpened);
    assert!(before.me.chairs && before.me.records);
    assert!(
        !before.me.may_speak,
        "the chair gives the floor, not asks for it"
    );
    let seen = delegate.core.sitting(&meeting).await.unwrap();
    assert!(seen.me.may_speak && !seen.me.chairs);

    let checked_in = delegate
        .core
        .act_in_sitting(&meeting, Act::CheckIn { remote: false })
        .await
        .unwrap();
    assert_eq!(checked_in.me.present, Some(dto::PresenceView::InRoom));
    let on_chair = shown(
        &chair,
        "the delegate's check-in on the chair's device",
        |s| s.quorum.present == before.quorum.present + 1,
    )
    .await;
    let row = on_chair
        .attendance
        .iter()
        .find(|a| a.member_id == delegate01.member.id)
        .expect("the delegate is listed");
    assert_eq!(row.present, Some(dto::PresenceView::InRoom));

    chair
        .core
        .act_in_sitting(&meeting, Act::Open)
        .await
        .unwrap();
    let item = council_item(&chair, &meeting);
    chair
        .core
        .act_in_sitting(
            &meeting,
            Act::MoveTo {
                item_id: item.clone(),
            },
        )
        .await
        .unwrap();
    chair
        .core
        .act_in_sitting(
            &meeting,
            Act::Present {
                paper_id: paper.paper_id.clone(),
                page: 2,
            },
        )
        .await
        .unwrap();
    let following = shown(
        &delegate,
        "the presenter's page on the delegate's device",
        |s| s.presentation.as_ref().is_some_and(|p| p.page == 2),
    )
    .await;
    assert_eq!(following.status, dto::SittingStatusView::Open);
    assert_eq!(
        following.current_item.as_ref().map(|c| c.item_id.as_str()),
        Some(item.as_str())
    );
    let presentation = following.presentation.unwrap();
    assert_eq!(presentation.paper_id, paper.paper_id);

    delegate
        .core
        .act_in_sitting(
            &meeting,
            Act::RequestFloor {
                point_of_order: false,
            },
        )
        .await
        .unwrap();
    shown(&chair, "the request on the chair's list", |s| {
        s.speakers
            .iter()
            .any(|r| r.member_id == delegate01.member.id)
    })
    .await;
    chair
        .core
        .act_in_sitting(
            &meeting,
            Act::GrantFloor {
                member_id: delegate01.member.id.clone(),
                allowed_secs: Some(120),
            },
        )
        .await
        .unwrap();
    let speaking = shown(&delegate, "the floor on the delegate's device", |s| {
        s.me.speaking
    })
    .await;
    assert_eq!(speaking.speech.map(|s| s.allowed_secs), Some(120));

    // The app closed and started again: the same sitting, fetched anew.
    drop(delegate);
    let restarted = Device::open(delegate_dir.path());
    restarted.core.resume().await.unwrap();
    let again = restarted.core.sitting(&meeting).await.unwrap();
    assert!(again.me.speaking, "still on the floor after the restart");
    assert_eq!(again.seq, speaking.seq);
    assert_eq!(again.presentation.map(|p| p.page), Some(2));

    // The server gone: an action is refused at once, saying the server cannot be reached.
    drop(council);
    let code = refused(
        "ending the speech with the server gone",
        restarted
            .core
            .act_in_sitting(&meeting, Act::EndSpeech)
            .await,
    );
    assert_eq!(code, IpcErrorCode::ServerUnreachable);
}

/// The first item of the meeting's programme.
fn council_item(device: &Device, meeting: &str) -> String {
    device.core.agenda(meeting).unwrap().items[0].id.clone()
}
