//! The screens a delegate meets pass axe-core's WCAG 2.0–2.2 A and AA rules in the real
//! app window: login, the list of sessions, a session and the reader. A new screen joins
//! the audit by adding a step here.

use crate::ONE_WINDOW;
use ecabinet_stories::{AppDriver, CouncilServer, DEMO_PASSWORD};
use std::time::Duration;

use ecabinet_stories::SESSION_TITLE;

#[tokio::test]
async fn the_screens_a_delegate_meets_pass_an_accessibility_audit() {
    let _turn = ONE_WINDOW.lock().await;
    let server_data = tempfile::tempdir().unwrap();
    let app_data = tempfile::tempdir().unwrap();
    let server = CouncilServer::start(server_data.path(), 0);
    let driver = AppDriver::start(app_data.path());
    let app = driver.launch().await.unwrap();
    let mut findings = Vec::new();

    app.find("#username").await.unwrap();
    findings.push(("login", app.accessibility_violations().await.unwrap()));

    app.sign_in(&server.url(), "delegate03", DEMO_PASSWORD)
        .await
        .unwrap();
    app.wait_for_text("[data-testid=meeting-item]", Duration::from_secs(15), |t| {
        t.contains(SESSION_TITLE)
    })
    .await
    .unwrap();
    findings.push(("meetings", app.accessibility_violations().await.unwrap()));

    app.open_meeting(SESSION_TITLE).await.unwrap();
    app.wait_packet_complete(Duration::from_secs(60))
        .await
        .expect("the packet downloads, so every paper can be opened");
    findings.push(("meeting", app.accessibility_violations().await.unwrap()));

    app.click("[data-testid=paper-open]").await.unwrap();
    app.wait_page_drawn(Duration::from_secs(15)).await.unwrap();
    findings.push(("reader", app.accessibility_violations().await.unwrap()));
    app.close().await.unwrap();

    let failing: Vec<_> = findings.iter().filter(|(_, v)| !v.is_empty()).collect();
    assert!(
        failing.is_empty(),
        "axe-core (WCAG 2.0–2.2 A and AA) finds problems: {failing:#?}"
    );
}
