//! A delegate uses the real desktop app: log in, read the programme, receive the packet and
//! read a paper, see a replaced paper marked, lose the server, restart the app offline and
//! still read, get the server back, and be signed out when the session ends.
//!
//! A secretary prepares the packet from a watched folder and publishes it once the chair
//! has approved.
//!
//! One window at a time (the stories take turns), because that is what a person has and
//! what WebKitWebDriver drives reliably; each step says what it checks.

use ecabinet_store::{Store, StoredSession};
use ecabinet_stories::app::AppWindow;
use ecabinet_stories::packet::fixture_packet_dir;
use ecabinet_stories::{AppDriver, CouncilServer, DEMO_PASSWORD, Secretariat, SecretaryApi};
use ecabinet_sync::CouncilClient;
use fantoccini::key::Key;
use std::time::Duration;

use crate::ONE_WINDOW;

use ecabinet_stories::SESSION_TITLE;
const BUDGET_ITEM: &str = "Dự toán ngân sách nhà nước năm 2027";
const TITLES: &str = "[data-testid=agenda-item-title]";

#[tokio::test]
async fn a_delegate_reads_the_programme_online_then_offline_then_online_again() {
    let _turn = ONE_WINDOW.lock().await;
    let server_data = tempfile::tempdir().unwrap();
    let app_data = tempfile::tempdir().unwrap();
    let mut server = CouncilServer::start(server_data.path(), 0);
    let driver = AppDriver::start(app_data.path());
    let shots = std::env::temp_dir();

    // 1. Log in: a wrong password first, then the right one.
    let app = driver.launch().await.unwrap();
    app.type_into("#server-url", &server.url()).await.unwrap();
    // delegate03 is not among the readers of the demo packet's confidential paper.
    app.type_into("#username", "delegate03").await.unwrap();
    app.type_into("#password", "sai mật khẩu").await.unwrap();
    app.click("[data-testid=login-submit]").await.unwrap();
    let error = app.text("[data-testid=login-error]").await.unwrap();
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

    // 4. The secretary amends the programme: delegates see it only once it is published,
    //    and then in the open window without any action, marked as amended.
    let secretary = SecretaryApi::login(&server.url(), "secretary")
        .await
        .unwrap();
    let item = secretary.agenda_item(BUDGET_ITEM).await.unwrap();
    let amended = "Dự toán ngân sách nhà nước năm 2027 (đã điều chỉnh)";
    secretary.rename_agenda_item(&item, amended).await.unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(
        app.texts(TITLES)
            .await
            .unwrap()
            .iter()
            .any(|t| t == BUDGET_ITEM),
        "an edit the secretariat has not published stays with the secretariat"
    );
    assert_eq!(secretary.publish(item.meeting_id).await.unwrap(), 2);
    app.wait_for_text(TITLES, Duration::from_secs(5), |t| t == amended)
        .await
        .expect("the published title appears live in the open window");
    let amended_item = format!(
        "[data-testid=agenda-item][data-agenda-item-id=\"{}\"]",
        item.id
    );
    app.wait_attr(
        &amended_item,
        "data-mark",
        "amended",
        Duration::from_secs(5),
    )
    .await
    .expect("the amended item is marked until the new version is acknowledged");

    // 5. The demo session's packet (version 1) downloads to 100%; a confidential paper this
    //    delegate may not read is listed with a lock and cannot be opened; a paper opens
    //    with its first page drawn from PDFium's pixels.
    app.wait_packet_complete(Duration::from_secs(60))
        .await
        .expect("the whole packet downloads");
    let percent = app
        .find("[data-testid=packet-progress-text]")
        .await
        .unwrap()
        .attr("data-percent")
        .await
        .unwrap();
    assert_eq!(percent.as_deref(), Some("100"), "the packet bar ends full");
    let papers = secretary.papers().await.unwrap();
    let paper_of = |file: &str| {
        papers
            .iter()
            .find(|p| p.file.file_name == file)
            .unwrap_or_else(|| panic!("the demo packet has {file}"))
            .clone()
    };
    let confidential = paper_of("to-trinh-cong-tac-can-bo.pdf");
    let locked = format!("[data-testid=paper][data-paper-id=\"{}\"]", confidential.id);
    let lock = app
        .find(&format!("{locked} [data-testid=paper-confidential]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        lock, "Tài liệu mật",
        "a delegate who is not a reader sees only that it exists"
    );
    assert!(
        app.texts(&format!("{locked} [data-testid=paper-open]"))
            .await
            .unwrap()
            .is_empty(),
        "and has no way to open it"
    );
    let draft = paper_of("du-thao-nghi-quyet-du-toan-ngan-sach-2027.pdf");
    open_paper(&app, &draft.id.to_string()).await;
    assert!(
        app.canvas_ink().await.unwrap() > 1000,
        "the first page of the draft resolution is drawn, not blank"
    );
    app.screenshot(&shots.join("ecabinet-e2e-paper-page1.png"))
        .await
        .unwrap();
    app.client
        .execute(
            "document.querySelector('[data-testid=paper-viewer]').dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true}))",
            vec![],
        )
        .await
        .unwrap();
    app.wait_attr(
        "[data-testid=paper-canvas]",
        "data-rendered-page",
        "1",
        Duration::from_secs(10),
    )
    .await
    .expect("the right arrow turns to page 2");
    app.click("[data-testid=viewer-close]").await.unwrap();

    // 6. A corrected draft resolution is published as version 3: the app announces it, marks
    //    the paper as replaced, fetches the new file, and the mark clears once it is read.
    let secretariat = Secretariat::login(&server.url()).await.unwrap();
    let corrected =
        std::fs::read(fixture_packet_dir().join("02-du-thao-nghi-quyet-ngan-sach-2027.pdf"))
            .unwrap();
    let v2 = secretariat
        .replace_and_publish(&draft, corrected)
        .await
        .unwrap();
    assert_eq!(v2.number, 3);
    app.wait_for_text(
        "[data-testid=news-banner] h2",
        Duration::from_secs(10),
        |t| t == "Đã có phiên bản tài liệu số 3",
    )
    .await
    .expect("the new version is announced in Vietnamese");
    let row = format!("[data-testid=paper][data-paper-id=\"{}\"]", draft.id);
    app.wait_attr(&row, "data-mark", "replaced", Duration::from_secs(10))
        .await
        .expect("the replaced paper is marked");
    let mark = app
        .find(&format!("{row} [data-testid=paper-mark]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(mark, "Đã thay thế");
    app.wait_packet_complete(Duration::from_secs(30))
        .await
        .expect("the new file downloads too");
    app.click("[data-testid=news-toggle]").await.unwrap();
    app.client
        .execute(
            "document.querySelector('[data-testid=news-banner]').scrollIntoView()",
            vec![],
        )
        .await
        .unwrap();
    app.screenshot(&shots.join("ecabinet-e2e-packet-v2.png"))
        .await
        .unwrap();
    open_paper(&app, &draft.id.to_string()).await;
    app.click("[data-testid=viewer-close]").await.unwrap();
    app.until(
        "the mark to clear once the paper was read",
        Duration::from_secs(10),
        || async { Ok(app.find(&row).await?.attr("data-mark").await?.is_none()) },
    )
    .await
    .unwrap();
    app.click("[data-testid=news-acknowledge]").await.unwrap();
    app.until(
        "the banner to go once acknowledged",
        Duration::from_secs(10),
        || async { Ok(app.texts("[data-testid=news-banner]").await?.is_empty()) },
    )
    .await
    .unwrap();

    // 7. The server dies: the app says offline and keeps showing the programme.
    server.kill();
    app.wait_connection("offline", Duration::from_secs(10))
        .await
        .unwrap();
    let badge = app.text("[data-testid=connection-state]").await.unwrap();
    assert!(
        badge.contains("Ngoại tuyến"),
        "the badge says offline in Vietnamese: {badge:?}"
    );
    app.close().await.unwrap();

    // 8. The app restarts with no server: the remembered session opens the local copy,
    //    papers included.
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
    open_paper(&app, &draft.id.to_string()).await;
    assert!(
        app.canvas_ink().await.unwrap() > 1000,
        "a downloaded paper opens offline"
    );
    app.click("[data-testid=viewer-close]").await.unwrap();

    // 9. The server comes back: the running app reconnects by itself and catches up.
    server.restart();
    let secretary = SecretaryApi::login(&server.url(), "secretary")
        .await
        .unwrap();
    let reamended = "Dự toán ngân sách nhà nước năm 2027 (bản cuối)";
    secretary
        .rename_and_publish(&item, reamended)
        .await
        .unwrap();
    app.wait_connection("online", Duration::from_secs(15))
        .await
        .unwrap();
    app.wait_for_text(TITLES, Duration::from_secs(10), |t| t == reamended)
        .await
        .expect("the change made while reconnecting is caught up");

    // 10. The session is revoked on the server: the app asks to log in again.
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
    let message = app.text("[data-testid=login-error]").await.unwrap();
    assert!(
        message.contains("hết hạn"),
        "the login screen says the session expired: {message:?}"
    );
    app.close().await.unwrap();
}

#[tokio::test]
async fn a_secretary_imports_from_the_watched_folder_and_publishes_once_approved() {
    let _turn = ONE_WINDOW.lock().await;
    let server_data = tempfile::tempdir().unwrap();
    let app_data = tempfile::tempdir().unwrap();
    let folder = tempfile::tempdir().unwrap();
    let server = CouncilServer::start(server_data.path(), 0);
    let shots = std::env::temp_dir();

    // 1. The secretary signed in on this device before and chose a folder for the session;
    //    subfolders carry item numbers: 2 is the budget, 99 does not exist.
    let client = CouncilClient::new(&server.url()).unwrap();
    let login = client.login("secretary", DEMO_PASSWORD).await.unwrap();
    let mut store = Store::open(&app_data.path().join("ecabinet.db")).unwrap();
    store
        .save_session(&StoredSession {
            server_url: client.server_url(),
            token: login.token,
            member: login.member,
            council: login.council,
        })
        .unwrap();
    drop(store);
    let api = SecretaryApi::login(&server.url(), "secretary")
        .await
        .unwrap();
    let budget = api.agenda_item(BUDGET_ITEM).await.unwrap();
    std::fs::write(
        app_data.path().join("watched-folder.json"),
        serde_json::json!({"meeting_id": budget.meeting_id, "folder": folder.path()}).to_string(),
    )
    .unwrap();
    let fixtures = fixture_packet_dir();
    for (sub, file) in [
        ("2", "01-to-trinh-du-toan-ngan-sach-2027.pdf"),
        ("2", "02-du-thao-nghi-quyet-ngan-sach-2027.pdf"),
        ("99", "04-phu-luc-so-lieu.pdf"),
    ] {
        std::fs::create_dir_all(folder.path().join(sub)).unwrap();
        std::fs::copy(fixtures.join(file), folder.path().join(sub).join(file)).unwrap();
    }
    std::fs::create_dir_all(folder.path().join("2.1")).unwrap();
    std::fs::copy(
        fixtures.join("../bad/password-matkhau.pdf"),
        folder.path().join("2.1/mat-khau.pdf"),
    )
    .unwrap();

    // 2. The app starts watching again by itself and imports what the folder holds.
    let driver = AppDriver::start(app_data.path());
    let app = driver.launch().await.unwrap();
    app.wait_for_text("[data-testid=meeting-item]", Duration::from_secs(15), |t| {
        t.contains(SESSION_TITLE)
    })
    .await
    .unwrap();
    open_session(&app).await;
    app.click("[data-testid=open-prepare]").await.unwrap();
    let drafts = format!(
        "[data-drop-place=\"item:{}\"] [data-testid=draft-paper-title]",
        budget.id
    );
    let imported = [
        "TỜ TRÌNH dự toán ngân sách địa phương năm 2027",
        "DỰ THẢO NGHỊ QUYẾT dự toán ngân sách địa phương năm 2027",
    ];
    app.until(
        "both budget papers imported as drafts",
        Duration::from_secs(30),
        || async {
            let titles = app.texts(&drafts).await?;
            Ok(imported
                .iter()
                .all(|t| titles.iter().any(|title| title == t)))
        },
    )
    .await
    .unwrap();
    let titles = app.texts(&drafts).await.unwrap();
    assert_eq!(
        titles[titles.len() - 2..],
        imported,
        "papers are titled from their documents and follow the item's papers in the order they came"
    );
    app.until(
        "every file of the folder accounted for",
        Duration::from_secs(30),
        || async { Ok(app.texts("[data-testid=folder-import]").await?.len() == 4) },
    )
    .await
    .unwrap();
    let imports = app.texts("[data-testid=folder-import]").await.unwrap();
    let line = |path: &str| {
        imports
            .iter()
            .find(|t| t.contains(path))
            .cloned()
            .unwrap_or_else(|| panic!("no line for {path} in {imports:?}"))
    };
    assert!(
        line("99/04-phu-luc").contains("không có mục số 99"),
        "{imports:?}"
    );
    assert!(
        line("2.1/mat-khau.pdf").contains("Tệp PDF có mật khẩu"),
        "a refused file says why in Vietnamese: {imports:?}"
    );
    assert!(
        line("2/01-to-trinh").contains("Đã nhập vào mục 2"),
        "{imports:?}"
    );
    app.screenshot(&shots.join("ecabinet-e2e-prepare.png"))
        .await
        .unwrap();

    // 3. Publishing waits for the chair (the button is off and says why); once both are
    //    approved, the secretary sees what version 2 will change and confirms it (the demo
    //    session's version 1 was published when the server started).
    let publish = app.find("[data-testid=publish]").await.unwrap();
    assert!(
        !publish.is_enabled().await.unwrap(),
        "nothing unapproved is published"
    );
    let blocked = app
        .find("[data-testid=publish-blocked]")
        .await
        .unwrap()
        .attr("data-reason")
        .await
        .unwrap();
    assert_eq!(blocked.as_deref(), Some("not_approved"));
    let chair = SecretaryApi::login(&server.url(), "chair").await.unwrap();
    for paper in app
        .client
        .find_all(fantoccini::Locator::Css(
            "[data-testid=draft-paper][data-review=pending]",
        ))
        .await
        .unwrap()
    {
        let id = paper.attr("data-paper-id").await.unwrap().unwrap();
        chair.approve_paper(&id).await.unwrap();
    }
    app.until(
        "the approvals to reach the screen",
        Duration::from_secs(10),
        || async { Ok(app.texts("[data-testid=publish-blocked]").await?.is_empty()) },
    )
    .await
    .unwrap();
    app.click("[data-testid=publish]").await.unwrap();
    let added = app
        .text("[data-testid=publish-change][data-kind=papers_added]")
        .await
        .unwrap();
    for title in imported {
        assert!(
            added.contains(title),
            "the confirmation lists {title:?} as new: {added:?}"
        );
    }
    app.click("[data-testid=publish-confirm]").await.unwrap();
    app.wait_attr(
        "[data-testid=published-version]",
        "data-version",
        "2",
        Duration::from_secs(10),
    )
    .await
    .expect("version 2 is published");
    let done = app.text("[data-testid=publish-result]").await.unwrap();
    assert!(done.contains("Đã phát hành phiên bản số 2"), "{done:?}");
    app.close().await.unwrap();
}

#[tokio::test]
async fn a_delegate_turns_pages_by_keyboard_zooms_and_lands_on_a_search_hit() {
    let _turn = ONE_WINDOW.lock().await;
    let server_data = tempfile::tempdir().unwrap();
    let app_data = tempfile::tempdir().unwrap();
    let server = CouncilServer::start(server_data.path(), 0);
    // The fixture packet: real ministry-style papers, a 40-page appendix of tables, a
    // 460-page compendium and a scanned signed document without a text layer.
    let packet = Secretariat::login(&server.url())
        .await
        .unwrap()
        .publish_fixture_packet()
        .await
        .unwrap();
    let driver = AppDriver::start(app_data.path());
    let app = driver.launch().await.unwrap();
    app.sign_in(&server.url(), "delegate01", DEMO_PASSWORD)
        .await
        .unwrap();
    open_session(&app).await;
    app.wait_packet_complete(Duration::from_secs(60))
        .await
        .expect("the fixture packet downloads");

    // 1. Open the appendix and turn pages with real key presses.
    let appendix = packet.paper("04-phu-luc-so-lieu.pdf");
    open_paper(&app, &appendix.id.to_string()).await;
    for page in 1..=3 {
        app.press(Key::Right).await.unwrap();
        wait_current_page(&app, page).await;
    }
    app.press(Key::PageUp).await.unwrap();
    wait_current_page(&app, 2).await;
    app.press(Key::End).await.unwrap();
    wait_current_page(&app, 39).await;
    app.press(Key::Home).await.unwrap();
    wait_current_page(&app, 0).await;
    // A live region for screen readers: not displayed, so read its text, not what is drawn.
    let label = app
        .eval("return document.querySelector('[data-testid=viewer-page]').textContent")
        .await
        .unwrap();
    assert!(
        label.as_str().unwrap_or_default().contains("40"),
        "the page label counts the appendix's 40 pages: {label:?}"
    );

    // 2. Zoom in: the page is drawn again, wider, so it stays sharp.
    let zoom_before = app.text("[data-testid=viewer-zoom-label]").await.unwrap();
    let width_before = canvas_width(&app).await;
    app.click("[data-testid=viewer-zoom-in]").await.unwrap();
    app.until(
        "the page to be drawn wider",
        Duration::from_secs(10),
        || async { Ok(canvas_width(&app).await > width_before) },
    )
    .await
    .expect("zooming in re-renders the page at the new size");
    let zoom_after = app.text("[data-testid=viewer-zoom-label]").await.unwrap();
    assert_ne!(zoom_before, zoom_after, "the zoom level on screen follows");
    app.click("[data-testid=viewer-close]").await.unwrap();

    // 3. Search the whole packet without accents; the scanned paper is named as such.
    let scan = packet.paper("06-van-ban-da-ky-ban-chup.pdf");
    app.until(
        "the search index to cover the packet",
        Duration::from_secs(60),
        || async {
            search_for(&app, "ngan sach").await?;
            let results = app.text("[data-testid=search-results]").await?;
            Ok(results.contains(&scan.title)
                && !app.texts("[data-testid=search-hit]").await?.is_empty())
        },
    )
    .await
    .expect("search finds \"ngân sách\" and lists the scan as unsearchable");
    let hits = app
        .client
        .find_all(fantoccini::Locator::Css("[data-testid=search-hit]"))
        .await
        .unwrap();
    let first = hits[0].text().await.unwrap();
    assert!(
        first.to_lowercase().contains("ngân sách"),
        "the snippet shows the words as written, accents and all: {first:?}"
    );
    // A hit past the first page proves the reader lands where the hit is.
    let mut chosen = None;
    for hit in &hits {
        let page = hit.attr("data-page").await.unwrap().unwrap_or_default();
        if page != "0" {
            chosen = Some((hit.clone(), page));
            break;
        }
    }
    let (hit, page) = chosen.expect("\"ngân sách\" occurs beyond the first page of some paper");
    app.click_element(&hit, "the search hit").await.unwrap();
    let current = "[data-testid=find-hit][data-current=true]";
    app.wait_attr(current, "data-page", &page, Duration::from_secs(15))
        .await
        .expect("the reader opens on the hit's page with the hit highlighted");
    wait_current_page(&app, page.parse().unwrap()).await;
    let highlighted = app
        .eval(&format!(
            "const hit = document.querySelector('{current}').getBoundingClientRect();
             const layer = document.querySelector('[data-testid=text-layer][data-page=\"{page}\"]');
             return Array.from(layer.querySelectorAll('span')).filter((s) => {{
                 const r = s.getBoundingClientRect();
                 return r.bottom > hit.top && r.top < hit.bottom;
             }}).map((s) => s.textContent).join(' ');"
        ))
        .await
        .unwrap();
    assert!(
        highlighted
            .as_str()
            .unwrap_or_default()
            .to_lowercase()
            .contains("ngân sách"),
        "the highlight sits on the line that holds the words: {highlighted}"
    );
    app.screenshot(&std::env::temp_dir().join("ecabinet-e2e-search-hit.png"))
        .await
        .unwrap();

    // 4. Once the meeting's papers leave the device, their text leaves the search index too.
    //    The results are a view of their own: closing them brings the meeting page back.
    app.click("[data-testid=viewer-close]").await.unwrap();
    app.click("[data-testid=search-close]").await.unwrap();
    app.click("[data-testid=back-to-meetings]").await.unwrap();
    app.click("[data-testid=open-storage]").await.unwrap();
    let meeting = format!(
        "[data-testid=storage-meeting][data-storage-meeting-id=\"{}\"]",
        packet.meeting_id
    );
    app.click(&format!("{meeting} [data-testid=storage-release]"))
        .await
        .unwrap();
    app.click("[data-testid=storage-confirm-release]")
        .await
        .unwrap();
    app.wait_attr(&meeting, "data-released", "true", Duration::from_secs(15))
        .await
        .expect("the meeting's papers removed from the device");
    app.until(
        "the released papers to leave the search index",
        Duration::from_secs(30),
        || async {
            search_for(&app, "ngan sach").await?;
            Ok(app.texts("[data-testid=search-hit]").await?.is_empty()
                && !app.texts("[data-testid=search-empty]").await?.is_empty())
        },
    )
    .await
    .expect("a search finds nothing of papers no longer on the device");
    app.close().await.unwrap();
}

#[tokio::test]
async fn a_protected_pdf_opened_with_the_app_asks_for_its_password() {
    let _turn = ONE_WINDOW.lock().await;
    let app_data = tempfile::tempdir().unwrap();
    let protected =
        ecabinet_stories::repo_root().join("../shared/fixtures/bad/password-matkhau.pdf");
    let driver = AppDriver::start(app_data.path());
    // As a file manager's "Open with eCabinet" starts it; nobody needs to be signed in.
    let app = driver.launch_with(&[&protected]).await.unwrap();
    app.type_into("[data-testid=pdf-password]", "matkhau-sai")
        .await
        .unwrap();
    app.click("[data-testid=pdf-password-submit]")
        .await
        .unwrap();
    app.wait_attr(
        "[data-testid=pdf-password-error]",
        "data-code",
        "pdf_wrong_password",
        Duration::from_secs(10),
    )
    .await
    .expect("a wrong password is said to be wrong");
    let said = app.text("[data-testid=pdf-password-error]").await.unwrap();
    assert!(
        said.contains("Mật khẩu"),
        "in Vietnamese, saying what to do: {said:?}"
    );
    app.type_into("[data-testid=pdf-password]", "matkhau")
        .await
        .unwrap();
    app.click("[data-testid=pdf-password-submit]")
        .await
        .unwrap();
    wait_current_page(&app, 0).await;
    assert!(
        app.canvas_ink().await.unwrap() > 500,
        "the protected paper's first page is drawn once the right password is given"
    );
    app.close().await.unwrap();
}

#[tokio::test]
async fn a_delegate_on_a_1366x768_laptop_reads_with_room_for_the_page_and_keeps_her_text_size() {
    let _turn = ONE_WINDOW.lock().await;
    let server_data = tempfile::tempdir().unwrap();
    let app_data = tempfile::tempdir().unwrap();
    let server = CouncilServer::start(server_data.path(), 0);
    let driver = AppDriver::start(app_data.path());
    let app = driver.launch().await.unwrap();
    let (width, height) = ecabinet_stories::app::SCREEN;
    let inner = app
        .eval("return [window.innerWidth, window.innerHeight]")
        .await
        .unwrap();
    assert_eq!(
        inner,
        serde_json::json!([width, height]),
        "the window fills the {width}×{height} screen"
    );

    // 1. The text is too small for her: she picks the largest size in the session header.
    app.sign_in(&server.url(), "delegate03", DEMO_PASSWORD)
        .await
        .unwrap();
    let normal = root_font_px(&app).await;
    let size = app.find("[data-testid=text-size]").await.unwrap();
    size.select_by_value("larger").await.unwrap();
    app.until(
        "the root font size to grow",
        Duration::from_secs(5),
        || async { Ok(root_font_px(&app).await > normal) },
    )
    .await
    .unwrap();
    let larger = root_font_px(&app).await;
    assert!(
        larger >= normal * 1.35,
        "the largest text is markedly larger: {normal}px → {larger}px"
    );
    let button = app
        .eval("return parseFloat(getComputedStyle(document.querySelector('[data-testid=logout]')).fontSize)")
        .await
        .unwrap()
        .as_f64()
        .unwrap_or(0.0);
    assert!(
        (button - larger).abs() < 0.5,
        "buttons follow the root size: {button}px"
    );

    // 2. Signed out and in again, her choice is still there.
    app.click("[data-testid=logout]").await.unwrap();
    app.find("#password").await.unwrap();
    assert!(
        root_font_px(&app).await < larger,
        "the sign-in screen is back at the default size for whoever signs in next"
    );
    app.sign_in(&server.url(), "delegate03", DEMO_PASSWORD)
        .await
        .unwrap();
    app.until(
        "her text size to come back",
        Duration::from_secs(5),
        || async { Ok((root_font_px(&app).await - larger).abs() < 0.5) },
    )
    .await
    .expect("the largest text size is remembered for her");
    let chosen = app
        .find("[data-testid=text-size]")
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(chosen.as_deref(), Some("larger"));
    let shots = std::env::temp_dir();
    app.screenshot(&shots.join("ecabinet-e2e-text-larger.png"))
        .await
        .unwrap();

    // 3. At the default size, a paper open in the reader gets at least 85% of the height.
    app.find("[data-testid=text-size]")
        .await
        .unwrap()
        .select_by_value("normal")
        .await
        .unwrap();
    open_session(&app).await;
    app.wait_packet_complete(Duration::from_secs(60))
        .await
        .expect("the demo packet downloads");
    app.find("[data-testid=agenda-jump]")
        .await
        .expect("the demo's long programme has a list to jump to an item");
    app.screenshot(&shots.join("ecabinet-e2e-agenda-1366x768.png"))
        .await
        .unwrap();
    let secretary = SecretaryApi::login(&server.url(), "secretary")
        .await
        .unwrap();
    let draft = secretary
        .papers()
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.file.file_name == "du-thao-nghi-quyet-du-toan-ngan-sach-2027.pdf")
        .expect("the demo packet has the draft resolution");
    open_paper(&app, &draft.id.to_string()).await;
    let share = chrome_share(&app).await;
    println!(
        "reader chrome at {width}×{height}: {:.1}% of the height; the page area {:.1}%",
        share * 100.0,
        (1.0 - share) * 100.0
    );
    assert!(
        share <= 0.15,
        "the reader's title and tools take at most 15% of the height, not {:.1}%",
        share * 100.0
    );
    app.client
        .execute(
            "return new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))",
            vec![],
        )
        .await
        .unwrap();
    app.screenshot(std::path::Path::new("/tmp/reader-1366x768.png"))
        .await
        .unwrap();

    let badge = app
        .find("[data-testid=reader-connection-state]")
        .await
        .unwrap()
        .attr("data-state")
        .await
        .unwrap();
    assert_eq!(
        badge.as_deref(),
        Some("online"),
        "the reader shows the connection too"
    );

    app.click("[data-testid=viewer-help]").await.unwrap();
    let keys = app.text("[data-testid=viewer-help-panel]").await.unwrap();
    assert!(
        keys.contains("Ctrl+F"),
        "the shortcuts are behind the ? button: {keys:?}"
    );
    app.screenshot(&shots.join("ecabinet-e2e-reader-keys.png"))
        .await
        .unwrap();
    app.click("[data-testid=viewer-help-close]").await.unwrap();

    // 4. Two pages at fit width: side by side, nothing to scroll sideways, the box naming
    //    the left page.
    app.click("[data-testid=viewer-mode-spread]").await.unwrap();
    app.press(Key::Right).await.unwrap();
    app.until("the spread of pages 2 and 3", Duration::from_secs(10), || async {
        let shown = app
            .eval(
                "return Array.from(document.querySelectorAll('[data-testid=viewer-page-slot]:not([data-offstage])')).map((s) => s.dataset.page).join()",
            )
            .await?;
        Ok(shown.as_str() == Some("1,2"))
    })
    .await
    .unwrap();
    let overflow = app
        .eval(
            "const v = document.querySelector('[data-testid=viewer-viewport]'); return v.scrollWidth - v.clientWidth",
        )
        .await
        .unwrap()
        .as_f64()
        .unwrap_or(f64::MAX);
    assert!(
        overflow <= 0.0,
        "two pages fitted to the width need no sideways scrolling: {overflow}px over"
    );
    let boxed = app
        .find("[data-testid=viewer-goto]")
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(
        boxed.as_deref(),
        Some("2"),
        "the page box names the left page"
    );
    app.click("[data-testid=viewer-mode-continuous]")
        .await
        .unwrap();

    // 5. Finding in the paper keeps to one row: the page keeps its room.
    app.click("[data-testid=viewer-find-toggle]").await.unwrap();
    app.find("[data-testid=viewer-find-input]").await.unwrap();
    let with_find = chrome_share(&app).await;
    println!(
        "with the find bar open: {:.1}% of the height",
        with_find * 100.0
    );
    assert!(
        with_find <= 0.15,
        "the find bar adds no row: {:.1}%",
        with_find * 100.0
    );
    app.press(Key::Escape).await.unwrap();
    app.until("the find bar to close", Duration::from_secs(5), || async {
        Ok(app.texts("[data-testid=viewer-find]").await?.is_empty())
    })
    .await
    .unwrap();

    // 6. Full screen leaves only the page; Esc brings the tools back without closing it.
    app.click("[data-testid=viewer-fullscreen]").await.unwrap();
    app.until(
        "the chrome to go in full screen",
        Duration::from_secs(5),
        || async { Ok(chrome_share(&app).await < 0.001) },
    )
    .await
    .expect("full screen shows nothing but the page");
    app.press(Key::Escape).await.unwrap();
    app.find("[data-testid=viewer-fullscreen]")
        .await
        .expect("Esc brings the tools back");
    assert!(
        !app.texts("[data-testid=paper-viewer]")
            .await
            .unwrap()
            .is_empty(),
        "and the paper stays open"
    );
    app.close().await.unwrap();
}

/// The root element's font size in CSS pixels: what every rem-sized thing is measured in.
async fn root_font_px(app: &AppWindow) -> f64 {
    app.eval("return parseFloat(getComputedStyle(document.documentElement).fontSize)")
        .await
        .unwrap()
        .as_f64()
        .unwrap_or(0.0)
}

/// The share of the window's height the reader's chrome takes: all but its page area.
async fn chrome_share(app: &AppWindow) -> f64 {
    app.eval(
        "const page = document.querySelector('[data-testid=viewer-viewport]').getBoundingClientRect();
         return (window.innerHeight - page.height) / window.innerHeight;",
    )
    .await
    .unwrap()
    .as_f64()
    .unwrap_or(1.0)
}

/// Waits until the reader's current page (zero-based) is drawn.
async fn wait_current_page(app: &AppWindow, page: u32) {
    app.wait_attr(
        "[data-testid=paper-canvas]",
        "data-rendered-page",
        &page.to_string(),
        Duration::from_secs(10),
    )
    .await
    .unwrap_or_else(|e| panic!("page {} is shown: {e}", page + 1));
}

/// The current page's bitmap width in device pixels.
async fn canvas_width(app: &AppWindow) -> u64 {
    app.eval("return document.querySelector('[data-testid=paper-canvas]').width")
        .await
        .unwrap()
        .as_u64()
        .unwrap_or(0)
}

/// Opens a paper of the packet in the reader and waits for the page it opens on (where
/// this member stopped reading it, the first page the first time) to be drawn.
async fn open_paper(app: &AppWindow, paper_id: &str) {
    let row = format!("[data-testid=paper][data-paper-id=\"{paper_id}\"]");
    app.click(&format!("{row} [data-testid=paper-open]"))
        .await
        .unwrap();
    app.wait_page_drawn(Duration::from_secs(15))
        .await
        .expect("the paper opens with a page drawn");
}

/// Types `query` into the search box under the header and runs it, leaving time for the answer.
async fn search_for(app: &AppWindow, query: &str) -> anyhow::Result<()> {
    app.type_into("[data-testid=search-input]", query).await?;
    app.press(Key::Enter).await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    Ok(())
}

async fn open_session(app: &AppWindow) {
    app.open_meeting(SESSION_TITLE).await.unwrap();
}
