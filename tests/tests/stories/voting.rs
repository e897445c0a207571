//! A secret vote in the real app, seen from delegate01's window: delegates check in, the
//! chair opens the sitting and, on the budget item, a secret poll the secretary drafted;
//! delegate01 votes with the keyboard alone (Tab to "Tán thành — …", Enter), reading each
//! control's accessible name, and hears the vote confirmed in a live region; two more
//! delegates vote from their devices, one changing their vote; the chair closes and
//! publishes; the result is the same on every device; delegate01 finds their receipt in the
//! poll's public log; `council-server verify-poll` accepts the log and names the line of a
//! tampered copy.
//!
//! The other participants act from their own devices, here through the server's API as
//! their apps would (one window at a time is what WebKitWebDriver drives reliably).

use crate::ONE_WINDOW;
use ecabinet_domain::MeetingId;
use ecabinet_domain::poll::{
    ABSTAIN, Ballot, BallotKey, MajorityRule, NO, PollId, PollKind, PollSettings, PollState,
    PollStep, YES,
};
use ecabinet_domain::sitting::SittingAction;
use ecabinet_protocol::PollDraft;
use ecabinet_stories::packet::BUDGET_ITEM;
use ecabinet_stories::{
    AppDriver, CouncilServer, DEMO_PASSWORD, Device, SESSION_TITLE, SecretaryApi, workspace_binary,
};
use fantoccini::key::Key;
use std::time::Duration;
use uuid::Uuid;

const STEP: Duration = Duration::from_secs(20);
const QUESTION: &str = "Thông qua Nghị quyết về dự toán ngân sách địa phương năm 2027";

/// A ballot of `device` in `poll`, under the key made of `key`; panics when refused.
async fn vote(device: &Device, poll: PollId, key: u8, version: u32, choice: u32) {
    let ballot = Ballot {
        key: BallotKey([key; 32]),
        version,
        choice: vec![choice],
    };
    device
        .client
        .cast_ballot(&device.token, poll, &ballot)
        .await
        .unwrap_or_else(|e| panic!("a ballot of {}: {e}", device.member));
}

/// `council-server verify-poll` on `log`: its exit code and what it printed.
fn verify_poll(log: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("poll.jsonl");
    std::fs::write(&file, log).unwrap();
    let out = std::process::Command::new(workspace_binary("council-server"))
        .arg("verify-poll")
        .arg(&file)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// The chair and delegates 07 and 08 signed in on their devices, checked in, and the chair
/// has opened the sitting on the budget item: the session's id and the item's.
struct Chamber {
    meeting: MeetingId,
    item: ecabinet_domain::AgendaItemId,
    chair: Device,
    delegate07: Device,
    delegate08: Device,
}

async fn chamber(url: &str) -> Chamber {
    let secretary_api = SecretaryApi::login(url, "secretary").await.unwrap();
    let item = secretary_api.agenda_item(BUDGET_ITEM).await.unwrap();
    let chamber = Chamber {
        meeting: item.meeting_id,
        item: item.id,
        chair: Device::sign_in(url, "chair").await,
        delegate07: Device::sign_in(url, "delegate07").await,
        delegate08: Device::sign_in(url, "delegate08").await,
    };
    for device in [&chamber.chair, &chamber.delegate07, &chamber.delegate08] {
        device
            .act(chamber.meeting, SittingAction::CheckIn { remote: false })
            .await;
    }
    chamber
        .chair
        .act(chamber.meeting, SittingAction::Open)
        .await;
    chamber
        .chair
        .act(chamber.meeting, SittingAction::MoveTo { item: item.id })
        .await;
    chamber
}

/// A secret yes / no / abstain poll on the item, under `rule`.
fn secret_poll(
    item: ecabinet_domain::AgendaItemId,
    rule: MajorityRule,
    may_change: bool,
) -> PollDraft {
    PollDraft {
        item_id: item,
        settings: PollSettings {
            title: QUESTION.into(),
            kind: PollKind::YesNoAbstain,
            secret: true,
            rule,
            may_change,
            countdown_secs: None,
        },
    }
}

#[tokio::test]
async fn a_secret_vote_by_keyboard_counted_on_every_device_and_checked_against_its_log() {
    let _turn = ONE_WINDOW.lock().await;
    let server_data = tempfile::tempdir().unwrap();
    let app_data = tempfile::tempdir().unwrap();
    let server = CouncilServer::start(server_data.path(), 0);
    let url = server.url();
    let Chamber {
        meeting,
        item,
        chair,
        delegate07,
        delegate08,
    } = chamber(&url).await;
    let secretary = Device::sign_in(&url, "secretary").await;

    // 1. Two delegates and the chair have checked in from their devices, and the chair has
    // opened the sitting on the budget item; delegate01 opens the session and checks in.
    let driver = AppDriver::start(app_data.path());
    let app = driver.launch().await.unwrap();
    app.sign_in(&url, "delegate01", DEMO_PASSWORD)
        .await
        .unwrap();
    app.open_meeting(SESSION_TITLE).await.unwrap();
    app.wait_packet_complete(Duration::from_secs(60))
        .await
        .expect("the demo packet downloads");
    app.click("[data-testid=check-in]").await.unwrap();
    app.find("[data-testid=me-present]").await.unwrap();
    app.wait_attr("[data-testid=sitting-status]", "data-status", "open", STEP)
        .await
        .unwrap();

    // 2. The secretary drafts a secret poll on the item; the chair opens it; delegate01's
    // window shows it open.
    let poll = PollId(Uuid::new_v4());
    let draft = secret_poll(item, MajorityRule::HalfOfPresent, true);
    secretary
        .client
        .draft_poll(&secretary.token, meeting, poll, &draft)
        .await
        .unwrap();
    let opened = chair
        .client
        .step_poll(&chair.token, poll, PollStep::Open)
        .await
        .unwrap();
    let entitled = opened.entitled;
    let card = format!("[data-testid=poll][data-poll-id=\"{poll}\"]");
    app.wait_attr(&card, "data-state", "open", STEP)
        .await
        .unwrap();

    // 3. delegate01 votes with the keyboard alone: Tab until the focus is on "Tán thành",
    // reading each control's name on the way; Enter.
    let names: Vec<String> = app
        .eval(&format!(
            "return [...document.querySelectorAll('{card} [data-testid=poll-choice]')].map(b => b.getAttribute('aria-label'))"
        ))
        .await
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        names,
        [
            format!("Tán thành — {QUESTION}"),
            format!("Không tán thành — {QUESTION}"),
            format!("Không biểu quyết — {QUESTION}"),
        ],
        "each voting control says what it does"
    );
    let want = format!("Tán thành — {QUESTION}");
    let mut reached = false;
    for _ in 0..400 {
        app.press(Key::Tab).await.unwrap();
        let focused = app
            .eval("return document.activeElement?.getAttribute('aria-label') ?? ''")
            .await
            .unwrap();
        if focused.as_str() == Some(want.as_str()) {
            reached = true;
            break;
        }
    }
    assert!(reached, "Tab reaches the vote for the motion");
    app.press(Key::Enter).await.unwrap();
    let ballot = format!("{card} [data-testid=poll-my-ballot]");
    app.wait_attr(&ballot, "data-state", "recorded", STEP)
        .await
        .unwrap();
    assert_eq!(
        app.text(&ballot).await.unwrap(),
        "Đã ghi nhận phiếu của bạn: Tán thành.",
        "the confirmation, in words"
    );
    let live = app
        .eval(&format!(
            "return document.querySelector('{ballot}').getAttribute('aria-live')"
        ))
        .await
        .unwrap();
    assert_eq!(live.as_str(), Some("polite"), "and said to a screen reader");

    // 4. Two delegates vote from their devices; delegate07 changes their vote.
    vote(&delegate07, poll, 7, 1, NO).await;
    vote(&delegate07, poll, 7, 2, YES).await;
    vote(&delegate08, poll, 8, 1, ABSTAIN).await;
    app.wait_attr(
        &format!("{card} [data-testid=poll-turnout]"),
        "data-voted",
        "3",
        STEP,
    )
    .await
    .unwrap();

    // 5. The chair closes and publishes; every device shows the same count.
    chair
        .client
        .step_poll(&chair.token, poll, PollStep::Close)
        .await
        .unwrap();
    chair
        .client
        .step_poll(&chair.token, poll, PollStep::Publish)
        .await
        .unwrap();
    app.wait_attr(&card, "data-state", "published", STEP)
        .await
        .unwrap();
    let bars: Vec<u64> = app
        .eval(&format!(
            "return [...document.querySelectorAll('{card} [data-testid=poll-result-bar]')].map(b => Number(b.dataset.count))"
        ))
        .await
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap_or(u64::MAX))
        .collect();
    assert_eq!(
        bars,
        [2, 0, 1],
        "two for (delegate07's change counted once), one abstaining"
    );
    for device in [&chair, &delegate07, &delegate08] {
        let seen = device
            .client
            .meeting_polls(&device.token, meeting)
            .await
            .unwrap();
        let status = seen.polls.iter().find(|p| p.poll.id == poll).unwrap();
        assert_eq!(status.poll.state, PollState::Published);
        let result = status.poll.result.as_ref().unwrap();
        assert_eq!(
            result.counts,
            [2, 0, 1],
            "the same count on {}'s device",
            device.member
        );
        assert_eq!(result.entitled, u64::from(entitled));
    }
    let passed = if 2 > entitled / 2 { "true" } else { "false" };
    app.wait_attr(
        &format!("{card} [data-testid=poll-result]"),
        "data-passed",
        passed,
        STEP,
    )
    .await
    .unwrap();
    app.screenshot(&std::env::temp_dir().join("ecabinet-e2e-voting-result.png"))
        .await
        .unwrap();

    // 6. delegate01 finds their receipt in the public log.
    app.click(&format!("{card} [data-testid=poll-check-receipt]"))
        .await
        .unwrap();
    app.wait_attr(
        &format!("{card} [data-testid=poll-receipt-check]"),
        "data-found",
        "true",
        STEP,
    )
    .await
    .unwrap();

    // 7. Anyone of the council checks the log: it holds; a tampered copy does not.
    let log = delegate08
        .client
        .poll_log(&delegate08.token, poll)
        .await
        .unwrap();
    let (exit, report) = verify_poll(&log);
    assert_eq!(exit, 0, "the published log holds:\n{report}");
    assert!(
        report.contains("for: 2") && report.contains("abstain: 1"),
        "{report}"
    );
    let tampered = log.replacen("\"choice\":[2]", "\"choice\":[1]", 1);
    assert_ne!(tampered, log, "the abstention is in the log");
    let (exit, report) = verify_poll(&tampered);
    assert_eq!(exit, 1, "a tampered copy fails:\n{report}");
    assert!(
        report.contains("was altered"),
        "and the altered line is named:\n{report}"
    );
    app.close().await.unwrap();
}

#[tokio::test]
async fn a_server_killed_mid_vote_keeps_every_ballot_and_the_vote_goes_on() {
    let server_data = tempfile::tempdir().unwrap();
    let mut server = CouncilServer::start(server_data.path(), 0);
    let url = server.url();
    let Chamber {
        meeting,
        item,
        chair,
        delegate07,
        delegate08,
    } = chamber(&url).await;
    let poll = PollId(Uuid::new_v4());
    let draft = secret_poll(item, MajorityRule::HalfOfCast, false);
    chair
        .client
        .draft_poll(&chair.token, meeting, poll, &draft)
        .await
        .unwrap();
    chair
        .client
        .step_poll(&chair.token, poll, PollStep::Open)
        .await
        .unwrap();
    let ballot = Ballot {
        key: BallotKey([7; 32]),
        version: 1,
        choice: vec![YES],
    };
    let first = delegate07
        .client
        .cast_ballot(&delegate07.token, poll, &ballot)
        .await
        .unwrap();

    // Kill -9 and start again on the same data: nothing in memory survives.
    server.restart();
    // The device's connection died with the server: it sends the same ballot again, as the
    // app does, until the server answers.
    let mut again = None;
    for _ in 0..10 {
        match delegate07
            .client
            .cast_ballot(&delegate07.token, poll, &ballot)
            .await
        {
            Ok(answer) => {
                again = Some(answer);
                break;
            }
            Err(ecabinet_sync::SyncError::Unreachable(_)) => {
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(other) => panic!("the retry after the restart: {other}"),
        }
    }
    let again = again.expect("the retry after the restart is answered");
    assert_eq!(
        again, first,
        "the stored ballot, its receipt and its line survived"
    );
    let second = Ballot {
        key: BallotKey([9; 32]),
        version: 1,
        choice: vec![NO],
    };
    let refused = delegate07
        .client
        .cast_ballot(&delegate07.token, poll, &second)
        .await;
    assert!(
        format!("{refused:?}").contains("AlreadyVoted"),
        "and who has voted survived too: {refused:?}"
    );
    vote(&delegate08, poll, 8, 1, NO).await;
    let closed = chair
        .client
        .step_poll(&chair.token, poll, PollStep::Close)
        .await
        .unwrap();
    let result = closed.poll.result.unwrap();
    assert_eq!(
        result.counts,
        [1, 1, 0],
        "the ballot from before the kill and the one after"
    );
    let (exit, report) = verify_poll(&chair.client.poll_log(&chair.token, poll).await.unwrap());
    assert_eq!(exit, 0, "{report}");
}
