//! The secretary prepares a session in the real app: editing the programme changes what was
//! edited and nothing else.

use crate::ONE_WINDOW;
use ecabinet_stories::app::AppWindow;
use ecabinet_stories::{AppDriver, CouncilServer, DEMO_PASSWORD, SecretaryApi};
use std::time::Duration;

use ecabinet_stories::SESSION_TITLE;
const OPENING: &str = "Khai mạc kỳ họp";

#[tokio::test]
async fn a_secretary_edits_sub_items_in_place_and_their_planned_time_is_kept() {
    let _turn = ONE_WINDOW.lock().await;
    let server_data = tempfile::tempdir().unwrap();
    let app_data = tempfile::tempdir().unwrap();
    let server = CouncilServer::start(server_data.path(), 0);
    let driver = AppDriver::start(app_data.path());
    let app = driver.launch().await.unwrap();
    app.sign_in(&server.url(), "secretary", DEMO_PASSWORD)
        .await
        .unwrap();
    app.open_meeting(SESSION_TITLE).await.unwrap();
    app.click("[data-testid=open-prepare]").await.unwrap();
    app.find("[data-testid=programme-item][data-number=\"1.2\"]")
        .await
        .unwrap();
    let before = programme(&app).await;

    // 1. "Sửa" then "Lưu" on 1.1 and 1.2 with a new planned time each: both stay under the
    //    opening item, in their places (they once jumped to the top level, and the planned
    //    time was never saved).
    for (number, minutes) in [("1.1", "7"), ("1.2", "12")] {
        let item = format!("[data-testid=programme-item][data-number=\"{number}\"]");
        app.click(&format!(
            "{item} > [data-testid=programme-row] [data-testid=programme-edit]"
        ))
        .await
        .unwrap();
        app.type_into(
            &format!("{item} > form [data-testid=programme-minutes-input]"),
            minutes,
        )
        .await
        .unwrap();
        app.click(&format!("{item} > form [data-testid=programme-save]"))
            .await
            .unwrap();
        app.wait_attr(
            &item,
            "data-planned-minutes",
            minutes,
            Duration::from_secs(10),
        )
        .await
        .unwrap_or_else(|e| panic!("the planned time of {number} is saved and shown: {e}"));
        assert!(
            app.texts(&format!("{item} > form"))
                .await
                .unwrap()
                .is_empty(),
            "a successful save closes the form"
        );
        assert_eq!(
            programme(&app).await,
            before,
            "editing {number} leaves every item's number and title as they were"
        );
    }

    // 2. The server agrees: both are still sub-items of the opening, with the new times.
    let api = SecretaryApi::login(&server.url(), "secretary")
        .await
        .unwrap();
    let opening = api.agenda_item(OPENING).await.unwrap();
    for (title, minutes) in [
        ("Báo cáo tình hình đại biểu dự họp", 7),
        ("Thông qua chương trình kỳ họp", 12),
    ] {
        let item = api.agenda_item(title).await.unwrap();
        assert_eq!(item.parent_id, Some(opening.id), "{title} keeps its parent");
        assert_eq!(
            item.planned_minutes,
            Some(minutes),
            "{title}'s planned time"
        );
    }

    // 3. A save the server refuses says so beside the form: an empty planned time is fine
    //    (it clears it), a title of spaces is not.
    let first = "[data-testid=programme-item][data-number=\"1.1\"]";
    app.click(&format!(
        "{first} > [data-testid=programme-row] [data-testid=programme-edit]"
    ))
    .await
    .unwrap();
    app.type_into(
        &format!("{first} > form [data-testid=programme-title-input]"),
        "   ",
    )
    .await
    .unwrap();
    app.click(&format!("{first} > form [data-testid=programme-save]"))
        .await
        .unwrap();
    let error = app
        .text(&format!("{first} [data-testid=programme-error]"))
        .await
        .unwrap();
    assert!(
        !error.trim().is_empty(),
        "a refused save explains itself on screen"
    );
    app.close().await.unwrap();
}

/// Every item of the programme editor as "number title", in reading order.
async fn programme(app: &AppWindow) -> Vec<String> {
    let script = "return [...document.querySelectorAll('[data-testid=programme-item]')].map(li =>
        li.dataset.number + ' ' + li.querySelector(':scope > [data-testid=programme-row] [data-testid=programme-item-title]').textContent)";
    serde_json::from_value(app.eval(script).await.unwrap()).unwrap()
}

#[tokio::test]
async fn a_secretary_creates_a_session_and_files_an_old_one_away() {
    let _turn = ONE_WINDOW.lock().await;
    let server_data = tempfile::tempdir().unwrap();
    let app_data = tempfile::tempdir().unwrap();
    let server = CouncilServer::start(server_data.path(), 0);
    let driver = AppDriver::start(app_data.path());
    let app = driver.launch().await.unwrap();
    app.sign_in(&server.url(), "secretary", DEMO_PASSWORD)
        .await
        .unwrap();

    // 1. "Kỳ họp mới": the date is written the Vietnamese way, and the new session opens for
    //    preparing.
    let title = "Kỳ họp thứ mười một (chuyên đề) về đầu tư công";
    app.click("[data-testid=new-meeting-open]").await.unwrap();
    app.type_into("[data-testid=new-meeting-title-input]", title)
        .await
        .unwrap();
    app.type_into("[data-testid=new-meeting-date-input]", "15/01/2027")
        .await
        .unwrap();
    app.type_into("[data-testid=new-meeting-location-input]", "Hội trường A")
        .await
        .unwrap();
    app.click("[data-testid=new-meeting-create]").await.unwrap();
    app.find("[data-testid=programme-editor]")
        .await
        .expect("the new session opens on its preparation page");
    let date = app
        .find("[data-testid=meeting-date-input]")
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(
        date.as_deref(),
        Some("15/01/2027"),
        "dd/mm/yyyy in Vietnamese"
    );
    app.type_into("[data-testid=programme-new-title]", "Khai mạc")
        .await
        .unwrap();
    app.click("[data-testid=programme-add]").await.unwrap();
    app.find("[data-testid=programme-item][data-number=\"1\"]")
        .await
        .expect("the first item of the new programme");

    // 2. The closed session of the demo is archived from its preparation page: it leaves the
    //    list of sessions for the archive.
    app.click("[data-testid=back-to-meeting]").await.unwrap();
    app.click("[data-testid=back-to-meetings]").await.unwrap();
    app.wait_for_text("[data-testid=meeting-item]", Duration::from_secs(10), |t| {
        t.contains(title)
    })
    .await
    .expect("the new session is listed");
    let closed = "Kỳ họp thứ chín (chuyên đề) về quy hoạch đô thị";
    app.open_meeting(closed).await.unwrap();
    app.click("[data-testid=open-prepare]").await.unwrap();
    app.click("[data-testid=meeting-archive]").await.unwrap();
    app.find("[data-testid=meeting-restore]")
        .await
        .expect("an archived session can be brought back");
    app.click("[data-testid=back-to-meeting]").await.unwrap();
    app.click("[data-testid=back-to-meetings]").await.unwrap();
    app.until(
        "the closed session to leave the current list",
        Duration::from_secs(10),
        || async {
            let current = app
                .texts("[data-testid=meeting-list] [data-testid=meeting-item]")
                .await?;
            Ok(current.iter().all(|t| !t.contains(closed)))
        },
    )
    .await
    .unwrap();
    let archive = app
        .text("[data-testid=archived-meetings] summary")
        .await
        .unwrap();
    assert!(archive.contains('1'), "one archived session: {archive:?}");
    app.close().await.unwrap();
}
