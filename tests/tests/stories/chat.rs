//! Chat between two real app windows, each with its own data dir and its own WebKit storage:
//! delegate01 (Lan) writes to delegate02 (Minh) privately and sees her message read; Minh's
//! laptop loses the network (a proxy between it and the server goes down), he writes
//! anyway, and the message arrives once when the network returns; Minh sends a list of
//! script and HTML payloads, and both windows show them as text and run none of them; Lan
//! asks the secretariat about a page she is reading, and the page reference in the
//! conversation opens the reader on that page.

use crate::ONE_WINDOW;
use ecabinet_domain::chat::ConversationKind;
use ecabinet_stories::{
    AppDriver, AppWindow, CouncilServer, DEMO_PASSWORD, Device, SESSION_TITLE, ThrottledProxy,
};
use std::time::Duration;

const STEP: Duration = Duration::from_secs(20);
const SUBMISSION: &str = "Tờ trình về dự toán ngân sách nhà nước năm 2027";

/// Payloads that run script if a window ever treats a message as HTML: each would set
/// `window.__xss`.
const PAYLOADS: &[&str] = &[
    "<img src=x onerror=\"window.__xss='img'\">",
    "<script>window.__xss='script'</script>",
    "<svg onload=\"window.__xss='svg'\"></svg>",
    "<iframe src=\"javascript:window.__xss='iframe'\"></iframe>",
    "<a href=\"javascript:window.__xss='a'\">Tờ trình 112</a>",
    "javascript:window.__xss='scheme'",
    "\"><img src=x onerror=window.__xss='attr'>",
    "https://example.org/\"><script>window.__xss='link'</script>",
    "<b>đậm</b> &amp; <i>nghiêng</i>",
];

/// Opens the chat panel and, in it, the conversation `css` names.
async fn open_conversation(app: &AppWindow, css: &str) {
    if app.find("[data-testid=chat-panel]").await.is_err() {
        app.click("[data-testid=open-chat]").await.unwrap();
    }
    app.click(css).await.unwrap();
    app.find("[data-testid=chat-conversation]").await.unwrap();
}

/// Types `text` into the composer and presses Enter (which sends).
async fn write(app: &AppWindow, text: &str) {
    app.type_into("[data-testid=chat-composer]", text)
        .await
        .unwrap();
    app.click("[data-testid=chat-send]").await.unwrap();
}

/// How many messages of the open conversation have exactly `body`.
async fn count_bodies(app: &AppWindow, body: &str) -> u64 {
    app.eval(&format!(
        "return [...document.querySelectorAll('[data-testid=chat-message] [data-testid=chat-body]')]
           .filter((b) => b.textContent === {body:?}).length"
    ))
    .await
    .unwrap()
    .as_u64()
    .unwrap_or(0)
}

/// The state of the open conversation's message with `body` (its `data-state`).
async fn state_of(app: &AppWindow, body: &str) -> String {
    app.eval(&format!(
        "const m = [...document.querySelectorAll('[data-testid=chat-message]')]
           .find((m) => m.querySelector('[data-testid=chat-body]')?.textContent === {body:?});
         return m ? m.dataset.state : ''"
    ))
    .await
    .unwrap()
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

async fn wait_state(app: &AppWindow, body: &str, wanted: &[&str], what: &str) {
    app.until(what, STEP, || async {
        Ok(wanted.contains(&state_of(app, body).await.as_str()))
    })
    .await
    .unwrap();
}

/// Nothing of the payloads ran and none became markup, in `app`'s window.
async fn nothing_ran(app: &AppWindow, who: &str) {
    let ran = app
        .eval("return window.__xss === undefined ? null : String(window.__xss)")
        .await
        .unwrap();
    assert!(ran.is_null(), "a payload ran in {who}'s window: {ran}");
    let markup = app
        .eval(
            "return [...document.querySelectorAll('[data-testid=chat-body] *')]
               .filter((e) => e.tagName !== 'A' || !/^https?:/.test(e.getAttribute('href') || ''))
               .map((e) => e.outerHTML)",
        )
        .await
        .unwrap();
    assert_eq!(
        markup,
        serde_json::json!([]),
        "message text became markup in {who}'s window (only http(s) links may)"
    );
    for payload in PAYLOADS {
        assert_eq!(
            count_bodies(app, payload).await,
            1,
            "{who}'s window shows {payload:?} literally, once"
        );
    }
}

#[tokio::test]
async fn two_members_chat_privately_offline_messages_arrive_once_and_a_page_reference_opens_the_reader()
 {
    let _turn = ONE_WINDOW.lock().await;
    let server_data = tempfile::tempdir().unwrap();
    let server = CouncilServer::start(server_data.path(), 0);
    let url = server.url();
    // Minh's laptop reaches the server through the chamber's Wi-Fi, which can go down.
    let wifi = ThrottledProxy::start(server.port(), None);
    let (lan_data, minh_data) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let lan_driver = AppDriver::start(lan_data.path());
    let minh_driver = AppDriver::start(minh_data.path());
    let lan = lan_driver.launch().await.unwrap();
    let minh = minh_driver.launch().await.unwrap();
    lan.sign_in(&url, "delegate01", DEMO_PASSWORD)
        .await
        .unwrap();
    minh.sign_in(&wifi.url(), "delegate02", DEMO_PASSWORD)
        .await
        .unwrap();

    // 1. Lan writes to Minh: a new private conversation, picked by name.
    lan.click("[data-testid=open-chat]").await.unwrap();
    lan.click("[data-testid=chat-new-message]").await.unwrap();
    lan.type_into("[data-testid=chat-member-filter]", "Vũ Đức Minh")
        .await
        .unwrap();
    lan.click("[data-testid=chat-member]").await.unwrap();
    let question = "Anh Minh ơi, bảng dự toán thu ngân sách ở trang nào?";
    write(&lan, question).await;
    wait_state(
        &lan,
        question,
        &["sent", "delivered", "read"],
        "Lan's message sent",
    )
    .await;

    // Minh's list counts it unread (beside the demo's announcement and the session's
    // message), and so does his header; he opens the conversation and reads it; Lan sees it
    // read.
    minh.click("[data-testid=open-chat]").await.unwrap();
    minh.wait_attr(
        "[data-testid=conversation][data-kind=private] [data-testid=conversation-unread]",
        "data-count",
        "1",
        STEP,
    )
    .await
    .unwrap();
    let unread: u64 = minh
        .eval("return Number(document.querySelector('[data-testid=open-chat]').dataset.unread)")
        .await
        .unwrap()
        .as_u64()
        .unwrap_or(0);
    let label = minh
        .find("[data-testid=open-chat]")
        .await
        .unwrap()
        .attr("aria-label")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(
        unread >= 1 && label.contains(&unread.to_string()),
        "the header's button says how many are unread ({unread}): {label:?}"
    );
    let list = minh.accessibility_violations().await.unwrap();
    open_conversation(&minh, "[data-testid=conversation][data-kind=private]").await;
    assert_eq!(count_bodies(&minh, question).await, 1);
    let conversation_view = minh.accessibility_violations().await.unwrap();
    assert!(
        list.is_empty() && conversation_view.is_empty(),
        "axe-core (WCAG 2.0–2.2 A and AA) finds problems in the chat panel: list {list:#?}, conversation {conversation_view:#?}"
    );
    wait_state(&lan, question, &["read"], "Lan's message shown read").await;

    // 2. Minh's Wi-Fi drops; he answers anyway. The message waits on his laptop, shown so.
    let lan_device = Device::sign_in(&url, "delegate01").await;
    wifi.set_down(true);
    minh.wait_connection("offline", STEP).await.unwrap();
    let answer = "Trang 12 của tờ trình, bảng số 3 (gửi khi mất mạng).";
    write(&minh, answer).await;
    wait_state(&minh, answer, &["waiting"], "the answer waiting offline").await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        count_bodies(&lan, answer).await,
        0,
        "nothing reaches Lan while Minh is offline"
    );
    wifi.set_down(false);
    minh.wait_connection("online", Duration::from_secs(60))
        .await
        .unwrap();
    wait_state(
        &minh,
        answer,
        &["sent", "delivered", "read"],
        "the answer sent once online",
    )
    .await;
    lan.until("the answer in Lan's window", STEP, || async {
        Ok(count_bodies(&lan, answer).await == 1)
    })
    .await
    .unwrap();
    let conversation = lan_device
        .client
        .conversations(&lan_device.token)
        .await
        .unwrap()
        .into_iter()
        .find(|v| matches!(v.conversation.kind, ConversationKind::Private { .. }))
        .expect("Lan's private conversation with Minh is on the server")
        .conversation
        .id;
    let page = lan_device
        .client
        .chat_messages(&lan_device.token, conversation, 0)
        .await
        .unwrap();
    assert_eq!(
        page.entries
            .iter()
            .filter(|e| e.message.body == answer)
            .count(),
        1,
        "the server stored the offline answer once"
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(count_bodies(&lan, answer).await, 1, "and Lan sees it once");

    // 3. Minh sends script and HTML; both windows show text and run nothing.
    for payload in PAYLOADS {
        write(&minh, payload).await;
    }
    lan.until("every payload in Lan's window", STEP, || async {
        let mut all = true;
        for payload in PAYLOADS {
            all &= count_bodies(&lan, payload).await == 1;
        }
        Ok(all)
    })
    .await
    .unwrap();
    nothing_ran(&lan, "Lan").await;
    nothing_ran(&minh, "Minh").await;
    minh.close().await.unwrap();

    // 4. Lan reads the submission, asks the secretariat about page 4, and the reference in
    // the conversation opens the reader there again.
    lan.click("[data-testid=chat-close]").await.unwrap();
    lan.open_meeting(SESSION_TITLE).await.unwrap();
    lan.wait_packet_complete(Duration::from_secs(60))
        .await
        .expect("the demo packet downloads");
    lan.eval(&format!(
        "const row = [...document.querySelectorAll('[data-testid=paper]')]
           .find((r) => r.textContent.includes({SUBMISSION:?}));
         row.querySelector('[data-testid=paper-open]').click();"
    ))
    .await
    .unwrap();
    lan.wait_page_drawn(Duration::from_secs(15)).await.unwrap();
    for _ in 0..3 {
        lan.press(fantoccini::key::Key::PageDown).await.unwrap();
    }
    wait_rendered_page(&lan, 3).await;
    lan.click("[data-testid=viewer-ask-secretariat]")
        .await
        .unwrap();
    lan.find("[data-testid=chat-attachment]").await.unwrap();
    let asked = "Trang này có bảng tổng hợp thu chi không ạ?";
    write(&lan, asked).await;
    wait_state(
        &lan,
        asked,
        &["sent", "delivered", "read"],
        "the question sent",
    )
    .await;
    let reference = lan
        .eval(&format!(
            "const m = [...document.querySelectorAll('[data-testid=chat-message]')]
               .find((m) => m.querySelector('[data-testid=chat-body]')?.textContent === {asked:?});
             const p = m.querySelector('[data-testid=chat-paper]');
             p.click();
             return p.dataset.page"
        ))
        .await
        .unwrap();
    assert_eq!(
        reference.as_str(),
        Some("3"),
        "the question carries page 4 (0-based 3)"
    );
    wait_rendered_page(&lan, 3).await;
    lan.screenshot(std::path::Path::new("/tmp/ecabinet-e2e-chat-reference.png"))
        .await
        .ok();
    lan.close().await.unwrap();
}

/// Waits until the reader's current page (zero-based) is drawn.
async fn wait_rendered_page(app: &AppWindow, page: u32) {
    app.wait_attr(
        "[data-testid=paper-canvas]",
        "data-rendered-page",
        &page.to_string(),
        STEP,
    )
    .await
    .unwrap_or_else(|e| panic!("page {} is shown: {e}", page + 1));
}
