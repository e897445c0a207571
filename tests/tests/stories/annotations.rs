//! Annotations in the real app: a delegate highlights a sentence, draws a stroke and sticks
//! a note on the submission with the mouse; the app is killed; everything is there after a
//! restart, reaches the delegate's second device, and a colleague sees only the note the
//! delegate shared.

use super::ONE_WINDOW;
use ecabinet_stories::app::{AppDriver, AppWindow};
use ecabinet_stories::server::CouncilServer;
use ecabinet_stories::{DEMO_PASSWORD, SESSION_TITLE};
use std::time::Duration;

const SUBMISSION: &str = "Tờ trình về dự toán ngân sách nhà nước năm 2027";
const SENTENCE: &str = "Về dự toán ngân sách nhà nước năm 2027";
const NOTE: &str = "Đề nghị làm rõ nguồn tăng thu";

#[tokio::test]
async fn marks_survive_a_kill_reach_the_second_device_and_only_the_shared_one_reaches_a_colleague()
{
    let _turn = ONE_WINDOW.lock().await;
    let server_data = tempfile::tempdir().unwrap();
    let server = CouncilServer::start(server_data.path(), 0);
    let laptop = tempfile::tempdir().unwrap();

    // 1. delegate01 marks up page 1 of the submission: a highlight, a stroke, a shared note.
    {
        let driver = AppDriver::start(laptop.path());
        let app = driver.launch().await.unwrap();
        app.sign_in(&server.url(), "delegate01", DEMO_PASSWORD)
            .await
            .unwrap();
        open_submission(&app).await;

        app.click("[data-testid=annotate-toggle]").await.unwrap();
        app.click("[data-testid=tool-highlight]").await.unwrap();
        let line = app
            .eval(&format!(
                "const span = [...document.querySelectorAll('[data-testid=text-layer][data-page=\"0\"] span')]
                   .find((s) => s.textContent.includes({SENTENCE:?}));
                 const r = span.getBoundingClientRect();
                 return [r.left + 1, r.top + r.height / 2, r.right - 1];"
            ))
            .await
            .unwrap();
        let [left, middle, right] = [0, 1, 2].map(|i| line[i].as_f64().unwrap());
        app.drag(&[(left, middle), (right, middle)]).await.unwrap();
        wait_marks(&app, &["highlight"]).await;

        let page = page_box(&app).await;
        app.click("[data-testid=tool-ink]").await.unwrap();
        // Low on the page, but inside the window.
        let y = (page.top + page.height * 0.6).min(page.window_height - 80.0);
        app.drag(&[
            (page.left + page.width * 0.3, y),
            (page.left + page.width * 0.45, y - 20.0),
            (page.left + page.width * 0.6, y),
        ])
        .await
        .unwrap();
        wait_marks(&app, &["highlight", "ink"]).await;

        app.click("[data-testid=tool-note]").await.unwrap();
        let at = (page.left + page.width * 0.85, page.top + page.height * 0.2);
        app.drag(&[at]).await.unwrap();
        wait_marks(&app, &["highlight", "ink", "note"]).await;
        // The note just made is selected, and the panel opens on it for its words.
        app.type_into("[data-testid=annotation-body]", NOTE)
            .await
            .unwrap();
        app.click("[data-testid=annotation-save-note]")
            .await
            .unwrap();
        app.find("[data-testid=annotation-sharing]")
            .await
            .unwrap()
            .select_by_value("meeting")
            .await
            .unwrap();
        app.until(
            "the note kept with its words, shared with the meeting",
            Duration::from_secs(10),
            || async {
                let label = app.find("[data-testid=annotation][data-kind=note]").await?;
                let words = label.attr("aria-label").await?.unwrap_or_default();
                let listed = app.text("[data-testid=annotation-list]").await?;
                Ok(words.contains(NOTE) && listed.contains("đã chia sẻ"))
            },
        )
        .await
        .expect("the note's words and sharing are kept");
        // Killed (SIGKILL to the driver's process group), not closed: nothing gets to flush.
        drop(app);
        drop(driver);
    }

    // 2. Restarted on the same data: all three marks are there.
    {
        let driver = AppDriver::start(laptop.path());
        let app = driver.launch().await.unwrap();
        open_submission(&app).await;
        wait_marks(&app, &["highlight", "ink", "note"]).await;
        let highlighted = app
            .eval(
                "const m = document.querySelector('[data-testid=annotation][data-kind=highlight]');
                 return m.getAttribute('aria-label');",
            )
            .await
            .unwrap();
        assert!(
            highlighted.as_str().unwrap_or_default().contains(SENTENCE),
            "the highlight still covers the sentence: {highlighted}"
        );
        app.screenshot(&std::env::temp_dir().join("ecabinet-e2e-annotations-restarted.png"))
            .await
            .unwrap();
        // Online again, the marks reach the server before this device goes away.
        app.until("every mark synced", Duration::from_secs(30), || async {
            let synced = app
                .eval(
                    "return document.querySelectorAll('[data-testid=annotation-layer][data-page=\"0\"] [data-testid=annotation][data-own=true][data-sync=synced]').length",
                )
                .await?;
            Ok(synced.as_u64() == Some(3))
        })
        .await
        .expect("the marks kept while killed reach the server once the app is back");
        app.close().await.unwrap();
    }

    // 3. The same member on a second device receives all three.
    {
        let tablet = tempfile::tempdir().unwrap();
        let driver = AppDriver::start(tablet.path());
        let app = driver.launch().await.unwrap();
        app.sign_in(&server.url(), "delegate01", DEMO_PASSWORD)
            .await
            .unwrap();
        open_submission(&app).await;
        wait_marks(&app, &["highlight", "ink", "note"]).await;
        app.close().await.unwrap();
    }

    // 4. A colleague sees only the shared note, read-only, with its author.
    {
        let colleague = tempfile::tempdir().unwrap();
        let driver = AppDriver::start(colleague.path());
        let app = driver.launch().await.unwrap();
        app.sign_in(&server.url(), "delegate02", DEMO_PASSWORD)
            .await
            .unwrap();
        open_submission(&app).await;
        // Of delegate01's marks on page 1 (the highlight of the sentence, the stroke, the
        // note), only the note reaches delegate02: read by the words each carries.
        let by_delegate01 = format!(
            "m.getAttribute('aria-label').includes({NOTE:?}) || m.getAttribute('aria-label').includes({SENTENCE:?}) || m.dataset.kind === 'ink'"
        );
        wait_marks_where(&app, &by_delegate01, &["note"]).await;
        let own = app
            .eval(&format!(
                "return [...document.querySelectorAll('[data-testid=annotation]')]
                   .find((m) => m.getAttribute('aria-label').includes({NOTE:?})).dataset.own"
            ))
            .await
            .unwrap();
        assert_eq!(
            own.as_str(),
            Some("false"),
            "a colleague's note is not theirs to edit"
        );
        app.close().await.unwrap();
    }
}

/// Opens the demo session, waits for its packet to be on the device, and opens the
/// submission at its first page.
async fn open_submission(app: &AppWindow) {
    app.open_meeting(SESSION_TITLE).await.unwrap();
    app.wait_packet_complete(Duration::from_secs(60))
        .await
        .expect("the demo packet downloads");
    app.eval(&format!(
        "const row = [...document.querySelectorAll('[data-testid=paper]')]
           .find((r) => r.textContent.includes({SUBMISSION:?}));
         row.querySelector('[data-testid=paper-open]').click();"
    ))
    .await
    .unwrap();
    app.wait_page_drawn(Duration::from_secs(15))
        .await
        .expect("the submission opens with a page drawn");
    app.until(
        "page 1 to be the current page",
        Duration::from_secs(10),
        || async {
            let label = app
                .eval("return document.querySelector('[data-testid=viewer-page]').textContent")
                .await?;
            Ok(label.as_str().unwrap_or_default().contains(" 1/"))
        },
    )
    .await
    .expect("the submission opens on page 1");
}

/// Waits until page 1 shows exactly these kinds of the member's own marks, in any order
/// (the demo council's delegates have shared marks of their own on the submission).
async fn wait_marks(app: &AppWindow, kinds: &[&str]) {
    wait_marks_where(app, "m.dataset.own === 'true'", kinds).await;
}

/// Waits until page 1 shows exactly these kinds of the marks for which the JavaScript
/// condition `which` (on the mark's element `m`) holds.
async fn wait_marks_where(app: &AppWindow, which: &str, kinds: &[&str]) {
    let mut want: Vec<String> = kinds.iter().map(|k| k.to_string()).collect();
    want.sort();
    let seen = std::sync::Mutex::new(Vec::new());
    let found = app
        .until(
            &format!("page 1 to show {want:?}"),
            Duration::from_secs(30),
            || async {
                let kinds = app
                    .eval(&format!(
                        "return [...document.querySelectorAll('[data-testid=annotation-layer][data-page=\"0\"] [data-testid=annotation]')]
                           .filter((m) => {which}).map((m) => m.dataset.kind).sort();"
                    ))
                    .await;
                let kinds = kinds?;
                let kinds = serde_json::from_value::<Vec<String>>(kinds).unwrap_or_default();
                let same = kinds == want;
                *seen.lock().unwrap() = kinds;
                Ok(same)
            },
        )
        .await;
    if let Err(e) = found {
        let labels = app
            .eval(
                "return [...document.querySelectorAll('[data-testid=annotation]')]
                   .map((m) => [m.closest('[data-page]')?.dataset.page, m.dataset.own, m.getAttribute('aria-label')]);",
            )
            .await
            .unwrap_or_default();
        panic!(
            "{e}: page 1 shows {:?}; every mark drawn: {labels}",
            seen.lock().unwrap()
        );
    }
}

struct PageBox {
    left: f64,
    top: f64,
    width: f64,
    height: f64,
    window_height: f64,
}

/// Where page 1 is in the window, in CSS pixels.
async fn page_box(app: &AppWindow) -> PageBox {
    let r = app
        .eval(
            "const r = document.querySelector('[data-testid=annotation-layer][data-page=\"0\"]').getBoundingClientRect();
             return [r.left, r.top, r.width, r.height, window.innerHeight];",
        )
        .await
        .unwrap();
    let v = |i: usize| r[i].as_f64().unwrap();
    PageBox {
        left: v(0),
        top: v(1),
        width: v(2),
        height: v(3),
        window_height: v(4),
    }
}
