//! A delegate sends an opinion from the reader, in the real app: delegate01 opens the
//! demo session's submission, selects a passage on its first page and sends an opinion on
//! it from the reader's toolbar, the form already on the paper's agenda item and showing
//! the passage; the server receives it once; the secretary then signs in on the same device
//! and finds it under the budget item, with its author, the quote and a link to the page.

use crate::ONE_WINDOW;
use ecabinet_protocol::SyncRecord;
use ecabinet_stories::app::AppWindow;
use ecabinet_stories::packet::BUDGET_ITEM;
use ecabinet_stories::{AppDriver, CouncilServer, DEMO_PASSWORD, SESSION_TITLE, SecretaryApi};
use ecabinet_sync::CouncilClient;
use std::time::Duration;

const BODY: &str = "Đề nghị làm rõ cơ sở dự báo thu ngân sách năm 2027 và bổ sung số liệu quý IV.";

#[tokio::test]
async fn a_delegate_sends_an_opinion_from_the_reader_and_the_secretary_finds_it_under_the_item() {
    let _turn = ONE_WINDOW.lock().await;
    let server_data = tempfile::tempdir().unwrap();
    let app_data = tempfile::tempdir().unwrap();
    let server = CouncilServer::start(server_data.path(), 0);
    let driver = AppDriver::start(app_data.path());
    let shots = std::env::temp_dir();
    let secretary = SecretaryApi::login(&server.url(), "secretary")
        .await
        .unwrap();
    let submission = secretary
        .papers()
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.file.file_name == "to-trinh-du-toan-ngan-sach-2027.pdf")
        .expect("the demo session has its budget submission");

    // 1. delegate01 opens the submission once the packet is on the device.
    let app = driver.launch().await.unwrap();
    app.sign_in(&server.url(), "delegate01", DEMO_PASSWORD)
        .await
        .unwrap();
    app.open_meeting(SESSION_TITLE).await.unwrap();
    app.wait_packet_complete(Duration::from_secs(60))
        .await
        .expect("the demo packet downloads");
    app.click(&format!(
        "[data-testid=paper][data-paper-id=\"{}\"] [data-testid=paper-open]",
        submission.id
    ))
    .await
    .unwrap();
    app.wait_page_drawn(Duration::from_secs(30))
        .await
        .expect("the submission opens with a page drawn");

    // 2. A passage of the first page is selected, as a mouse drag over the text layer does.
    app.find("[data-testid=text-layer][data-page=\"0\"] span")
        .await
        .expect("the first page has its text layer");
    let selected = app
        .eval(
            "const spans = [...document.querySelectorAll('[data-testid=text-layer][data-page=\"0\"] span')]\
               .filter((s) => s.textContent.trim() !== '');\
             const range = document.createRange();\
             range.setStart(spans[Math.min(40, spans.length - 1)], 0);\
             const last = spans[Math.min(120, spans.length - 1)];\
             range.setEnd(last, last.childNodes.length);\
             const selection = window.getSelection();\
             selection.removeAllRanges();\
             selection.addRange(range);\
             return selection.toString().replace(/\\s+/g, ' ').trim();",
        )
        .await
        .unwrap();
    let quote = selected.as_str().unwrap_or_default().to_owned();
    assert!(
        quote.chars().count() > 20,
        "a passage of the submission is selected: {quote:?}"
    );

    // 3. "Gửi ý kiến" opens the form on the paper's item, with the passage quoted.
    app.click("[data-testid=viewer-send-opinion]")
        .await
        .unwrap();
    app.find("[data-testid=send-opinion] [data-testid=opinion-item]")
        .await
        .expect("the opinion form opens over the reader");
    let item = app
        .eval(
            "const select = document.querySelector('[data-testid=opinion-item]');\
             return select.options[select.selectedIndex].textContent;",
        )
        .await
        .unwrap();
    assert!(
        item.as_str().unwrap_or_default().contains(BUDGET_ITEM),
        "the form starts on the item the submission sits under: {item}"
    );
    let shown_quote = app
        .text("[data-testid=opinion-quote] blockquote")
        .await
        .unwrap();
    assert_eq!(
        shown_quote, quote,
        "the form shows the selected passage as the quote"
    );
    app.type_into("[data-testid=opinion-body]", BODY)
        .await
        .unwrap();
    app.screenshot(&shots.join("ecabinet-e2e-send-opinion.png"))
        .await
        .unwrap();
    app.click("[data-testid=opinion-send]").await.unwrap();
    app.find("[data-testid=opinion-sent]")
        .await
        .expect("the form says the opinion is recorded");

    // 4. The server holds it once, from delegate01, quoting the passage on page 1.
    let client = CouncilClient::new(&server.url()).unwrap();
    let mut received = Vec::new();
    for _ in 0..150 {
        received = client
            .changes(&secretary.token, 0)
            .await
            .unwrap()
            .changes
            .into_iter()
            .filter_map(|c| match c.record {
                SyncRecord::Opinion(o) if o.body == BODY => Some(o),
                _ => None,
            })
            .collect();
        if !received.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(received.len(), 1, "the opinion reached the server once");
    let link = received[0].paper.clone().expect("linked to the paper");
    assert_eq!(
        (link.paper_id, link.page, link.quote.as_deref()),
        (submission.id, 0, Some(quote.as_str()))
    );
    app.click("[data-testid=opinion-close]").await.unwrap();
    app.click("[data-testid=viewer-close]").await.unwrap();

    // 5. The secretary signs in on this device and finds it under the budget item.
    app.click("[data-testid=logout]").await.unwrap();
    app.find("#username").await.unwrap();
    app.sign_in(&server.url(), "secretary", DEMO_PASSWORD)
        .await
        .unwrap();
    app.open_meeting(SESSION_TITLE).await.unwrap();
    app.click("[data-testid=open-opinions]").await.unwrap();
    let mine = format!(
        "[data-testid=opinion][data-opinion-id=\"{}\"]",
        received[0].id
    );
    app.find(&mine)
        .await
        .expect("the secretary's device shows delegate01's opinion");
    let heading = app
        .eval(&format!(
            "return document.querySelector('{mine}').closest('[data-testid=opinions-item]').querySelector('h3').textContent"
        ))
        .await
        .unwrap();
    assert!(
        heading.as_str().unwrap_or_default().contains(BUDGET_ITEM),
        "under the budget item: {heading}"
    );
    assert_eq!(
        app.text(&format!("{mine} [data-testid=opinion-author]"))
            .await
            .unwrap(),
        "Hoàng Thị Lan"
    );
    assert_eq!(
        app.text(&format!("{mine} [data-testid=opinion-body-text]"))
            .await
            .unwrap(),
        BODY
    );
    assert_eq!(
        app.text(&format!("{mine} [data-testid=opinion-open-paper]"))
            .await
            .unwrap(),
        "Mở tài liệu tại trang 1"
    );
    app.wait_packet_complete(Duration::from_secs(60))
        .await
        .expect("the secretary's device holds the packet");
    app.eval(&format!(
        "document.querySelector('{mine}').scrollIntoView({{block: 'center'}})"
    ))
    .await
    .unwrap();
    app.screenshot(&shots.join("ecabinet-e2e-secretary-opinions.png"))
        .await
        .unwrap();
    open_at_link(&app, &mine).await;
    let back = app
        .eval("return document.activeElement?.dataset?.testid ?? null")
        .await
        .unwrap();
    assert_eq!(
        back.as_str(),
        Some("opinion-open-paper"),
        "closing the paper returns the keyboard to the opinion's link"
    );
    app.close().await.unwrap();
}

/// Follows the opinion's link: the paper opens in the reader at the page it names.
async fn open_at_link(app: &AppWindow, opinion: &str) {
    app.click(&format!("{opinion} [data-testid=opinion-open-paper]"))
        .await
        .unwrap();
    app.wait_page_drawn(Duration::from_secs(30))
        .await
        .expect("the quoted paper opens from the opinion");
    app.click("[data-testid=viewer-close]").await.unwrap();
}
