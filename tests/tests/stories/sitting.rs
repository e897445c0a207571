//! The live meeting in the real app, seen from delegate01's window: three delegates check
//! in (one of them remote) and the quorum indicator moves with each; the chair opens the
//! sitting and moves to the first item; delegate01 follows the presenter's page, leaves it
//! and comes back; asks for the floor, is granted it and watches the timer run until the
//! chair ends the speech. The app restarted, and then the server killed (-9) and restarted,
//! come back to the same sitting, which then carries on.
//!
//! The other participants act from their own devices, here through the server's API as
//! their apps would (one window at a time is what WebKitWebDriver drives reliably).

use crate::ONE_WINDOW;
use ecabinet_domain::sitting::{SittingAction, SittingRules};
use ecabinet_domain::{MeetingId, PaperId};
use ecabinet_stories::app::AppWindow;
use ecabinet_stories::packet::BUDGET_ITEM;
use ecabinet_stories::{
    AppDriver, CouncilServer, DEMO_PASSWORD, Device, SESSION_TITLE, SecretaryApi,
};
use std::time::Duration;

const STEP: Duration = Duration::from_secs(20);

async fn quorum_present(app: &AppWindow, present: u32) {
    app.wait_attr(
        "[data-testid=quorum]",
        "data-present",
        &present.to_string(),
        STEP,
    )
    .await
    .unwrap_or_else(|e| panic!("the quorum indicator to count {present} present: {e}"));
}

/// The page the reader shows, counted from 1 as its page box does.
async fn reader_page(app: &AppWindow) -> u32 {
    app.eval("return Number(document.querySelector('[data-testid=viewer-goto]')?.value ?? 0)")
        .await
        .unwrap()
        .as_u64()
        .unwrap_or(0) as u32
}

async fn until_reader_page(app: &AppWindow, page: u32, why: &str) {
    app.until(why, STEP, || async { Ok(reader_page(app).await == page) })
        .await
        .unwrap();
}

#[tokio::test]
async fn delegates_check_in_follow_the_presenter_take_the_floor_and_the_sitting_survives_restarts()
{
    let _turn = ONE_WINDOW.lock().await;
    let server_data = tempfile::tempdir().unwrap();
    let app_data = tempfile::tempdir().unwrap();
    let mut server = CouncilServer::start(server_data.path(), 0);
    let url = server.url();
    let secretary_api = SecretaryApi::login(&url, "secretary").await.unwrap();
    let submission = secretary_api
        .papers()
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.file.file_name == "to-trinh-du-toan-ngan-sach-2027.pdf")
        .expect("the demo session has its budget submission");
    let meeting: MeetingId = submission.meeting_id;
    let paper: PaperId = submission.id;
    let item = secretary_api.agenda_item(BUDGET_ITEM).await.unwrap();
    assert_eq!(item.meeting_id, meeting, "the budget item is the session's");
    let item = item.id;
    let chair = Device::sign_in(&url, "chair").await;
    let secretary = Device::sign_in(&url, "secretary").await;
    // The demo has a few delegates checked in already; these two have not.
    let delegate07 = Device::sign_in(&url, "delegate07").await;
    let delegate08 = Device::sign_in(&url, "delegate08").await;
    secretary
        .act(
            meeting,
            SittingAction::SetRules {
                rules: SittingRules {
                    remote_allowed: true,
                    ..SittingRules::default()
                },
            },
        )
        .await;
    // 1. delegate01 opens the session: the sitting is not opened; the demo's early arrivals
    // are counted.
    let driver = AppDriver::start(app_data.path());
    let app = driver.launch().await.unwrap();
    app.sign_in(&url, "delegate01", DEMO_PASSWORD)
        .await
        .unwrap();
    app.open_meeting(SESSION_TITLE).await.unwrap();
    app.wait_packet_complete(Duration::from_secs(60))
        .await
        .expect("the demo packet downloads");
    app.wait_attr(
        "[data-testid=sitting-status]",
        "data-status",
        "not_opened",
        STEP,
    )
    .await
    .unwrap();
    let early = chair.client.sitting(&chair.token, meeting).await.unwrap();
    let base = early.sitting.quorum(&early.voters).present as u32;
    quorum_present(&app, base).await;

    // 2. Three delegates check in, one from outside the chamber; the indicator follows.
    app.click("[data-testid=check-in]").await.unwrap();
    quorum_present(&app, base + 1).await;
    delegate07
        .act(meeting, SittingAction::CheckIn { remote: false })
        .await;
    quorum_present(&app, base + 2).await;
    delegate08
        .act(meeting, SittingAction::CheckIn { remote: true })
        .await;
    quorum_present(&app, base + 3).await;
    let needed: u32 = app
        .find("[data-testid=quorum]")
        .await
        .unwrap()
        .attr("data-needed")
        .await
        .unwrap()
        .unwrap()
        .parse()
        .unwrap();
    let holds = if base + 3 >= needed { "true" } else { "false" };
    app.wait_attr("[data-testid=quorum]", "data-holds", holds, STEP)
        .await
        .unwrap();
    app.screenshot(&std::env::temp_dir().join("ecabinet-e2e-sitting-panel.png"))
        .await
        .unwrap();

    // 3. The chair opens the sitting, moves to the item and shows page 2 of the submission.
    chair.act(meeting, SittingAction::Open).await;
    chair.act(meeting, SittingAction::MoveTo { item }).await;
    app.wait_attr("[data-testid=sitting-status]", "data-status", "open", STEP)
        .await
        .unwrap();
    app.wait_attr(
        "[data-testid=current-item]",
        "data-item-id",
        &item.to_string(),
        STEP,
    )
    .await
    .unwrap();
    chair
        .act(
            meeting,
            SittingAction::Present {
                paper_id: paper,
                page: 1,
            },
        )
        .await;
    app.wait_attr("[data-testid=presentation]", "data-page", "1", STEP)
        .await
        .unwrap();

    // 4. delegate01 follows the presenter: the reader opens there and turns with the chair.
    app.click("[data-testid=follow-presenter]").await.unwrap();
    app.wait_page_drawn(STEP).await.unwrap();
    app.wait_attr("[data-testid=follow-bar]", "data-following", "true", STEP)
        .await
        .unwrap();
    until_reader_page(&app, 2, "the reader on the presenter's page 2").await;
    chair
        .act(
            meeting,
            SittingAction::Present {
                paper_id: paper,
                page: 2,
            },
        )
        .await;
    until_reader_page(&app, 3, "the reader turning with the presenter to page 3").await;

    // She turns back a page on her own: no longer following; one button brings her back.
    app.click("[data-testid=viewer-previous]").await.unwrap();
    app.wait_attr("[data-testid=follow-bar]", "data-following", "false", STEP)
        .await
        .unwrap();
    until_reader_page(&app, 2, "her own page").await;
    chair
        .act(
            meeting,
            SittingAction::Present {
                paper_id: paper,
                page: 3,
            },
        )
        .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        reader_page(&app).await,
        2,
        "a delegate who left reads on undisturbed"
    );
    app.click("[data-testid=return-to-presenter]")
        .await
        .unwrap();
    until_reader_page(&app, 4, "back on the presenter's page 4").await;
    app.wait_attr("[data-testid=follow-bar]", "data-following", "true", STEP)
        .await
        .unwrap();
    app.click("[data-testid=viewer-close]").await.unwrap();

    // 5. She asks for the floor; the chair grants it; the timer runs; the chair ends it.
    app.click("[data-testid=request-floor]").await.unwrap();
    let delegate01 = Device::sign_in(&url, "delegate01").await.member;
    app.find(&format!(
        "[data-testid=speaker-request][data-member-id=\"{delegate01}\"]"
    ))
    .await
    .unwrap();
    chair
        .act(
            meeting,
            SittingAction::GrantFloor {
                member: delegate01,
                allowed_secs: Some(120),
            },
        )
        .await;
    app.wait_attr(
        "[data-testid=speech]",
        "data-member-id",
        &delegate01.to_string(),
        STEP,
    )
    .await
    .unwrap();
    app.screenshot(&std::env::temp_dir().join("ecabinet-e2e-sitting-floor.png"))
        .await
        .unwrap();
    let first = app.text("[data-testid=speech-timer]").await.unwrap();
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let later = app.text("[data-testid=speech-timer]").await.unwrap();
    assert_ne!(first, later, "the speech timer runs ({first} then {later})");
    chair.act(meeting, SittingAction::EndSpeech).await;
    app.until("the speech to end on her screen", STEP, || async {
        Ok(app
            .eval("return document.querySelector('[data-testid=speech]') === null")
            .await?
            .as_bool()
            == Some(true))
    })
    .await
    .unwrap();

    // 6. The app restarted: the same sitting.
    app.close().await.unwrap();
    drop(driver);
    let driver = AppDriver::start(app_data.path());
    let app = driver.launch().await.unwrap();
    app.open_meeting(SESSION_TITLE).await.unwrap();
    app.wait_attr("[data-testid=sitting-status]", "data-status", "open", STEP)
        .await
        .unwrap();
    quorum_present(&app, base + 3).await;
    app.wait_attr(
        "[data-testid=current-item]",
        "data-item-id",
        &item.to_string(),
        STEP,
    )
    .await
    .unwrap();

    // 7. The server killed mid-sitting and started again: the app reconnects to the same
    // sitting, which carries on.
    server.restart();
    app.wait_connection("online", Duration::from_secs(30))
        .await
        .unwrap();
    let chair = Device::sign_in(&url, "chair").await;
    chair.act(meeting, SittingAction::Pause).await;
    app.wait_attr(
        "[data-testid=sitting-status]",
        "data-status",
        "paused",
        STEP,
    )
    .await
    .unwrap();
    quorum_present(&app, base + 3).await;
    app.close().await.unwrap();
}
