//! A delegate reads the demo's draft resolution; the secretariat publishes an amended version
//! (`assets/demo/papers/…-sua-doi.pdf`: two figures changed, a sentence inserted, a solution
//! deleted). In the real app the paper is marked replaced with the number of changes, and the
//! reader opens on a list of what changed, marked on the pages, stepped through with the
//! buttons and the keyboard; the delegate's underline on the deleted solution waits in "Cần
//! xem lại" with its old quote, and they delete it there.

use ecabinet_domain::annotation::{Anchor, TextAnchor, TextPosition, TextQuote};
use ecabinet_domain::{AnnotationId, AnnotationKind, MadeOn, Sharing};
use ecabinet_protocol::AnnotationWrite;
use ecabinet_stories::AppWindow;
use ecabinet_stories::{
    AppDriver, CouncilServer, DEMO_PASSWORD, SESSION_TITLE, Secretariat, SecretaryApi,
};
use ecabinet_sync::CouncilClient;
use std::path::PathBuf;
use std::time::Duration;
use uuid::Uuid;

use crate::ONE_WINDOW;

const DRAFT_FILE: &str = "du-thao-nghi-quyet-du-toan-ngan-sach-2027.pdf";
/// A solution of Article 2 that the amendment deletes.
const DELETED_SOLUTION: &str = "Đẩy mạnh chuyển đổi số trong quản lý thuế";
const AMENDED_FILE: &str = "du-thao-nghi-quyet-du-toan-ngan-sach-2027-sua-doi.pdf";

#[tokio::test]
async fn a_delegate_steps_through_the_changes_of_an_amended_draft_resolution() {
    let _turn = ONE_WINDOW.lock().await;
    let server_data = tempfile::tempdir().unwrap();
    let app_data = tempfile::tempdir().unwrap();
    let server = CouncilServer::start(server_data.path(), 0);
    let driver = AppDriver::start(app_data.path());
    let shots = std::env::temp_dir();
    let app = driver.launch().await.unwrap();
    app.sign_in(&server.url(), "delegate01", DEMO_PASSWORD)
        .await
        .unwrap();
    app.open_meeting(SESSION_TITLE).await.unwrap();
    app.wait_packet_complete(Duration::from_secs(60))
        .await
        .expect("the demo packet downloads");

    // 1. The delegate reads version 1 of the draft resolution.
    let secretary = SecretaryApi::login(&server.url(), "secretary")
        .await
        .unwrap();
    let draft = secretary
        .papers()
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.file.file_name == DRAFT_FILE)
        .expect("the demo packet has the draft resolution");
    let row = format!("[data-testid=paper][data-paper-id=\"{}\"]", draft.id);
    app.click(&format!("{row} [data-testid=paper-open]"))
        .await
        .unwrap();
    app.wait_page_drawn(Duration::from_secs(15)).await.unwrap();
    // They underline a solution of Article 2 (the amendment deletes it), anchored as the
    // reader anchors a selection: the page texts the window reads, 32 characters of context.
    let anchor = anchor_in_open_paper(&app, &draft.id.to_string(), DELETED_SOLUTION).await;
    let client = CouncilClient::new(&server.url()).unwrap();
    let token = client
        .login("delegate01", DEMO_PASSWORD)
        .await
        .unwrap()
        .token;
    let mark = AnnotationId(Uuid::new_v4());
    client
        .put_annotation(
            &token,
            mark,
            &AnnotationWrite {
                base_revision: 0,
                paper_id: draft.id,
                made_on: MadeOn {
                    packet_version: Some(1),
                    hash: draft.file.hash.clone(),
                },
                anchor: Anchor::Text(anchor),
                kind: AnnotationKind::Underline,
                colour: "#d32f2f".into(),
                thickness: 1.5,
                body: "Cần bổ sung lộ trình chuyển đổi số".into(),
                sharing: Sharing::Private,
            },
        )
        .await
        .expect("the delegate's mark is kept");
    app.click("[data-testid=viewer-close]").await.unwrap();

    // 2. The secretariat publishes the amended version: the paper is marked replaced, with
    //    the number of passages that changed, once the new file is on the device and read.
    let amended = std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../assets/demo/papers")
            .join(AMENDED_FILE),
    )
    .expect("the demo's amended draft resolution");
    Secretariat::login(&server.url())
        .await
        .unwrap()
        .replace_and_publish(&draft, amended)
        .await
        .unwrap();
    let counted = format!("{row}[data-mark=replaced] [data-testid=paper-change-count]");
    app.until(
        "the replaced paper's change count",
        Duration::from_secs(60),
        || async { Ok(!app.texts(&counted).await?.is_empty()) },
    )
    .await
    .unwrap();
    let count = app
        .find(&counted)
        .await
        .unwrap()
        .attr("data-count")
        .await
        .unwrap()
        .unwrap();
    let count: u32 = count.parse().unwrap();
    assert!(
        count >= 4,
        "two figures, a sentence inserted and one deleted: {count} changes"
    );
    app.eval(&format!(
        "document.querySelector('{}').scrollIntoView({{block: 'center'}})",
        row.replace('\'', "\\'")
    ))
    .await
    .unwrap();
    let violations = app.accessibility_violations().await.unwrap();
    assert!(
        violations.is_empty(),
        "axe-core finds problems in the packet with a replaced paper's count: {violations:#?}"
    );
    app.screenshot(&shots.join("ecabinet-e2e-amended-row.png"))
        .await
        .unwrap();

    // 3. The reader opens the amended version on its changes: the same count, the list.
    app.click(&format!("{row} [data-testid=paper-open]"))
        .await
        .unwrap();
    app.wait_page_drawn(Duration::from_secs(15)).await.unwrap();
    app.wait_attr(
        "[data-testid=changes-count]",
        "data-count",
        &count.to_string(),
        Duration::from_secs(20),
    )
    .await
    .expect("the reader lists as many changes as the packet counts");
    let kinds = app
        .client
        .find_all(fantoccini::Locator::Css("[data-testid=change-entry]"))
        .await
        .unwrap();
    let mut listed = Vec::new();
    for entry in &kinds {
        listed.push(entry.attr("data-kind").await.unwrap().unwrap_or_default());
    }
    for kind in ["inserted", "deleted", "changed"] {
        assert!(
            listed.iter().any(|k| k == kind),
            "a {kind} passage is listed: {listed:?}"
        );
    }

    // 4. "Next" goes to the first change's page and marks it there; N goes to the next.
    app.click("[data-testid=change-next]").await.unwrap();
    let first_page = app
        .find("[data-testid=change-entry][data-index=\"0\"]")
        .await
        .unwrap()
        .attr("data-page")
        .await
        .unwrap()
        .unwrap();
    app.until(
        "the first change marked on its page",
        Duration::from_secs(15),
        || async {
            let marks = app
                .client
                .find_all(fantoccini::Locator::Css(
                    "[data-testid=change-mark][data-current=true]",
                ))
                .await?;
            Ok(!marks.is_empty())
        },
    )
    .await
    .unwrap();
    let label = app
        .find("[data-testid=change-mark][data-current=true]")
        .await
        .unwrap()
        .attr("aria-label")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(
        label.starts_with("Thay đổi 1:"),
        "the mark is named: {label:?}"
    );
    // The page label is for screen readers (visually hidden): read what it says.
    let shown = app
        .eval("return document.querySelector('[data-testid=viewer-page]').textContent")
        .await
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let page_number: u32 = first_page.parse::<u32>().unwrap() + 1;
    assert!(
        shown.starts_with(&format!("Trang {page_number}/")),
        "the reader went to page {page_number} of the first change: {shown:?}"
    );
    // Focus is on "Next" in the panel; a real N key press steps on.
    type_key(&app, 'n').await;
    app.wait_attr(
        "[data-testid=change-entry][aria-current=true]",
        "data-index",
        "1",
        Duration::from_secs(5),
    )
    .await
    .expect("N steps to the next change");
    // 5. "Cần xem lại": the underline on the deleted solution waits there with its old
    //    quote and note; the delegate deletes it, and the deletion reaches the server.
    let item = format!("[data-testid=review-item][data-annotation-id=\"{mark}\"]");
    let quote = app
        .text(&format!("{item} [data-testid=review-quote] mark"))
        .await
        .expect("the mark on the deleted passage needs review");
    assert_eq!(quote, DELETED_SOLUTION);
    let violations = app.accessibility_violations().await.unwrap();
    assert!(
        violations.is_empty(),
        "axe-core (WCAG 2.0–2.2 A and AA) finds problems in the reader with its changes: {violations:#?}"
    );
    app.screenshot(&shots.join("ecabinet-e2e-amended-changes.png"))
        .await
        .unwrap();
    app.click(&format!("{item} [data-testid=review-delete]"))
        .await
        .unwrap();
    app.until(
        "the review list to empty",
        Duration::from_secs(10),
        || async { Ok(app.texts("[data-testid=review-item]").await?.is_empty()) },
    )
    .await
    .unwrap();
    app.until(
        "the deletion to reach the server",
        Duration::from_secs(20),
        || async {
            let history = client.annotation_history(&token, mark).await?;
            Ok(history.revisions.last().is_some_and(|a| a.deleted))
        },
    )
    .await
    .unwrap();
    app.click("[data-testid=viewer-close]").await.unwrap();
}

/// The anchor of the first occurrence of `quote` in the paper open in the reader, from the
/// page texts the window itself reads (`page_text`), as the reader anchors a selection:
/// offsets in Unicode scalars of the pages joined by one line break, 32 characters of
/// context each side.
async fn anchor_in_open_paper(app: &AppWindow, paper_id: &str, quote: &str) -> TextAnchor {
    let script = format!(
        r#"return (async () => {{
            const invoke = window.__TAURI_INTERNALS__.invoke;
            const label = document.querySelector("[data-testid=viewer-page]").textContent;
            const count = Number(label.split("/")[1]);
            const pages = [];
            for (let page = 0; page < count; page++) {{
                pages.push((await invoke("page_text", {{ paperId: {id}, pageIndex: page }})).text);
            }}
            const chars = Array.from(pages.join("\n"));
            const whole = chars.join("");
            const at = whole.indexOf({quote});
            if (at < 0) return null;
            const start = Array.from(whole.slice(0, at)).length;
            const end = start + Array.from({quote}).length;
            let page = 0, offset = 0;
            for (; page < pages.length; page++) {{
                const length = Array.from(pages[page]).length;
                if (start < offset + length) break;
                offset += length + 1;
            }}
            return {{
                start, end, page,
                prefix: chars.slice(Math.max(0, start - 32), start).join(""),
                suffix: chars.slice(end, end + 32).join(""),
            }};
        }})()"#,
        id = serde_json::to_string(paper_id).unwrap(),
        quote = serde_json::to_string(quote).unwrap(),
    );
    let found = app.eval(&script).await.unwrap();
    assert!(!found.is_null(), "{quote:?} is in the paper's text");
    let number = |key: &str| found[key].as_u64().unwrap() as usize;
    TextAnchor {
        quote: TextQuote {
            exact: quote.to_owned(),
            prefix: found["prefix"].as_str().unwrap().to_owned(),
            suffix: found["suffix"].as_str().unwrap().to_owned(),
        },
        position: TextPosition {
            start: number("start"),
            end: number("end"),
        },
        page: number("page"),
    }
}

/// Presses and releases a character key as a person would (real WebKit key events).
async fn type_key(app: &ecabinet_stories::AppWindow, value: char) {
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};
    let actions = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value })
        .then(KeyAction::Up { value });
    app.client.perform_actions(actions).await.unwrap();
}
