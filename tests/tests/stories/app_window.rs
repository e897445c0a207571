//! A delegate uses the real desktop app: log in, read the programme, lose the server,
//! restart the app offline, get the server back, and be signed out when the session ends.
//!
//! One test, because one app window at a time is what a person has and what
//! WebKitWebDriver drives reliably; each step says what it checks.

use ecabinet_store::Store;
use ecabinet_stories::{AppDriver, CouncilServer, DEMO_PASSWORD, SecretaryApi};
use std::time::Duration;

const SESSION_TITLE: &str = "Kỳ họp thứ mười, Hội đồng nhân dân thành phố khóa XVI";
const BUDGET_ITEM: &str = "Dự toán ngân sách nhà nước năm 2027";
const TITLES: &str = "[data-testid=agenda-item-title]";

#[tokio::test]
async fn a_delegate_reads_the_programme_online_then_offline_then_online_again() {
    let server_data = tempfile::tempdir().unwrap();
    let app_data = tempfile::tempdir().unwrap();
    let mut server = CouncilServer::start(server_data.path(), 0);
    let driver = AppDriver::start(app_data.path());
    let shots = std::env::temp_dir();

    // 1. Log in: a wrong password first, then the right one.
    let app = driver.launch().await.unwrap();
    app.type_into("#server-url", &server.url()).await.unwrap();
    app.type_into("#username", "delegate01").await.unwrap();
    app.type_into("#password", "sai mật khẩu").await.unwrap();
    app.click("[data-testid=login-submit]").await.unwrap();
    let error = app
        .find("[data-testid=login-error]")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !error.trim().is_empty(),
        "a wrong password must be explained on screen"
    );
    app.type_into("#password", DEMO_PASSWORD).await.unwrap();
    app.click("[data-testid=login-submit]").await.unwrap();

    // 2. The meeting list arrives through sync; open the session.
    app.find("[data-testid=meeting-list]").await.unwrap();
    app.wait_for_text("[data-testid=meeting-item]", Duration::from_secs(15), |t| {
        t.contains(SESSION_TITLE)
    })
    .await
    .expect("the session arrives in the meeting list through sync");
    app.wait_connection("online", Duration::from_secs(10))
        .await
        .unwrap();
    let lang = app
        .client
        .execute("return document.documentElement.lang", vec![])
        .await
        .unwrap();
    assert_eq!(lang, "vi", "Vietnamese is the default language");
    open_session(&app).await;

    // 3. Read an agenda item's title, diacritics intact.
    let titles = app.texts(TITLES).await.unwrap();
    assert!(
        titles.iter().any(|t| t == BUDGET_ITEM),
        "agenda titles: {titles:?}"
    );
    app.screenshot(&shots.join("ecabinet-e2e-agenda-online.png"))
        .await
        .unwrap();

    // 4. A change on the server shows in the open window without any action.
    let secretary = SecretaryApi::login(&server.url(), "secretary")
        .await
        .unwrap();
    let item = secretary.agenda_item(BUDGET_ITEM).await.unwrap();
    let amended = "Dự toán ngân sách nhà nước năm 2027 (đã điều chỉnh)";
    secretary.rename_agenda_item(&item, amended).await.unwrap();
    app.wait_for_text(TITLES, Duration::from_secs(5), |t| t == amended)
        .await
        .expect("the amended title appears live in the open window");

    // 5. The server dies: the app says offline and keeps showing the programme.
    server.kill();
    app.wait_connection("offline", Duration::from_secs(10))
        .await
        .unwrap();
    let badge = app
        .find("[data-testid=connection-state]")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        badge.contains("Ngoại tuyến"),
        "the badge says offline in Vietnamese: {badge:?}"
    );
    app.close().await.unwrap();

    // 6. The app restarts with no server: the remembered session opens the local copy.
    let app = driver.launch().await.unwrap();
    app.find("[data-testid=meeting-list]").await.unwrap();
    app.wait_connection("offline", Duration::from_secs(15))
        .await
        .unwrap();
    open_session(&app).await;
    let titles = app.texts(TITLES).await.unwrap();
    assert!(
        titles.iter().any(|t| t == amended),
        "the offline copy holds the last synced programme: {titles:?}"
    );
    app.screenshot(&shots.join("ecabinet-e2e-agenda-offline.png"))
        .await
        .unwrap();

    // 7. The server comes back: the running app reconnects by itself and catches up.
    server.restart();
    let secretary = SecretaryApi::login(&server.url(), "secretary")
        .await
        .unwrap();
    let reamended = "Dự toán ngân sách nhà nước năm 2027 (bản cuối)";
    secretary
        .rename_agenda_item(&item, reamended)
        .await
        .unwrap();
    app.wait_connection("online", Duration::from_secs(15))
        .await
        .unwrap();
    app.wait_for_text(TITLES, Duration::from_secs(10), |t| t == reamended)
        .await
        .expect("the change made while reconnecting is caught up");

    // 8. The session is revoked on the server: the app asks to log in again.
    let token = Store::open(&app_data.path().join("ecabinet.db"))
        .unwrap()
        .session()
        .unwrap()
        .unwrap()
        .token;
    secretary.revoke(&token).await.unwrap();
    secretary
        .rename_agenda_item(&item, BUDGET_ITEM)
        .await
        .unwrap();
    app.find("#password").await.unwrap();
    let message = app
        .find("[data-testid=login-error]")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        message.contains("hết hạn"),
        "the login screen says the session expired: {message:?}"
    );
    app.close().await.unwrap();
}

async fn open_session(app: &ecabinet_stories::app::AppWindow) {
    for item in app
        .client
        .find_all(fantoccini::Locator::Css("[data-testid=meeting-item]"))
        .await
        .unwrap()
    {
        if item.text().await.unwrap().contains(SESSION_TITLE) {
            item.click().await.unwrap();
            break;
        }
    }
    app.find("[data-testid=agenda]").await.unwrap();
}
