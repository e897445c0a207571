//! The chair reviews what the secretariat prepared, in the real app: the secretary uploads
//! a paper through the API; the chair signs in, opens the session's preparation (offered no
//! control to edit it), reads the draft in the reader, and returns it with a reason; the
//! secretary then signs in on the same device and sees it returned, and why.

use crate::ONE_WINDOW;
use ecabinet_domain::{PaperId, PaperKind, PaperPlace, Review, Visibility};
use ecabinet_protocol::NewPaper;
use ecabinet_stories::app::AppWindow;
use ecabinet_stories::packet::{BUDGET_ITEM, fixture_packet_dir};
use ecabinet_stories::{AppDriver, CouncilServer, DEMO_PASSWORD, SecretaryApi};
use ecabinet_sync::CouncilClient;
use std::time::Duration;

use ecabinet_stories::SESSION_TITLE;
const DRAFT_TITLE: &str = "Báo cáo thẩm tra của Ban Kinh tế – Ngân sách (dự thảo)";
const REASON: &str = "Thiếu ý kiến của Ban về nguồn vốn đầu tư công; đề nghị bổ sung mục 3.";

/// What the chair must not be offered on the preparation page: editing the meeting, its
/// programme, its participants and its papers is the secretariat's.
const EDITING_CONTROLS: [&str; 11] = [
    "meeting-details",
    "programme-new-title",
    "programme-add",
    "programme-edit",
    "programme-up",
    "programme-add-child",
    "participants-editor",
    "import-papers",
    "draft-paper-edit",
    "draft-paper-replace",
    "watched-folder",
];

#[tokio::test]
async fn the_chair_reads_a_draft_and_returns_it_and_the_secretary_sees_why() {
    let _turn = ONE_WINDOW.lock().await;
    let server_data = tempfile::tempdir().unwrap();
    let app_data = tempfile::tempdir().unwrap();
    let server = CouncilServer::start(server_data.path(), 0);
    let driver = AppDriver::start(app_data.path());
    let shots = std::env::temp_dir();

    // 1. The secretary uploads a review report and attaches it to the budget item: a
    //    working paper, in no published version, so no device holds its file yet.
    let secretary = SecretaryApi::login(&server.url(), "secretary")
        .await
        .unwrap();
    let budget = secretary.agenda_item(BUDGET_ITEM).await.unwrap();
    let client = CouncilClient::new(&server.url()).unwrap();
    let blob = client
        .upload_blob_file(
            &secretary.token,
            &fixture_packet_dir().join("03-bao-cao-tham-tra-ban-kinh-te.pdf"),
        )
        .await
        .unwrap();
    let paper = client
        .add_paper(
            &secretary.token,
            budget.meeting_id,
            &NewPaper {
                id: PaperId(uuid::Uuid::new_v4()),
                place: PaperPlace::Item(budget.id),
                position: 50,
                title: DRAFT_TITLE.to_owned(),
                kind: PaperKind::ReviewReport,
                visibility: Visibility::AllParticipants,
                hash: blob.hash,
                file_name: "03-bao-cao-tham-tra-ban-kinh-te.pdf".to_owned(),
                source: None,
            },
        )
        .await
        .unwrap();
    let row = format!("[data-testid=draft-paper][data-paper-id=\"{}\"]", paper.id);

    // 2. The chair opens the session's preparation: the draft awaits their review, and
    //    nothing on the page offers to edit the meeting.
    let app = driver.launch().await.unwrap();
    app.sign_in(&server.url(), "chair", DEMO_PASSWORD)
        .await
        .unwrap();
    open_preparation(&app).await;
    app.wait_attr(&row, "data-review", "pending", Duration::from_secs(15))
        .await
        .expect("the secretary's upload reaches the chair's device, awaiting review");
    app.find(&format!("{row} [data-testid=draft-paper-approve]"))
        .await
        .expect("the chair is offered to approve it");
    for control in EDITING_CONTROLS {
        let offered = app
            .texts(&format!("[data-testid={control}]"))
            .await
            .unwrap();
        assert!(
            offered.is_empty(),
            "the chair reviews, the secretariat edits: {control} is offered"
        );
    }
    let draggable = app
        .eval("return document.querySelectorAll('[data-testid=programme-row][draggable=true]').length")
        .await
        .unwrap();
    assert_eq!(draggable, 0, "nor can the chair drag programme items about");

    // 3. "Xem" opens the draft in the reader: its file is fetched from the server, checked
    //    against its hash, and its first page drawn by PDFium.
    app.click(&format!("{row} [data-testid=draft-paper-view]"))
        .await
        .unwrap();
    app.wait_page_drawn(Duration::from_secs(30))
        .await
        .expect("the draft opens in the reader with a page drawn");
    assert!(
        app.canvas_ink().await.unwrap() > 1000,
        "the review report's first page is drawn, not blank"
    );
    app.screenshot(&shots.join("ecabinet-e2e-chair-reads-draft.png"))
        .await
        .unwrap();
    let held = app_data
        .path()
        .join(format!("papers/{}.pdf", paper.file.hash));
    let bytes = std::fs::read(&held).unwrap_or_else(|e| {
        panic!(
            "the draft's file is kept on the device at {}: {e}",
            held.display()
        )
    });
    assert_eq!(
        hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes)),
        paper.file.hash.as_str(),
        "what the chair read is byte for byte what the secretary uploaded"
    );
    app.click("[data-testid=viewer-close]").await.unwrap();

    // 4. The chair returns it, saying why.
    app.click(&format!("{row} [data-testid=draft-paper-return]"))
        .await
        .unwrap();
    app.type_into(
        &format!("{row} [data-testid=draft-paper-return-reason-input]"),
        REASON,
    )
    .await
    .unwrap();
    app.click(&format!("{row} [data-testid=draft-paper-return-send]"))
        .await
        .unwrap();
    app.wait_attr(&row, "data-review", "returned", Duration::from_secs(15))
        .await
        .expect("the returned state shows on the chair's screen");
    let stored = secretary
        .papers()
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.id == paper.id)
        .unwrap();
    match stored.review {
        Review::Returned { reason, .. } => {
            assert_eq!(reason, REASON, "the server keeps the reason as written")
        }
        other => panic!("the server must hold the paper as returned, not {other:?}"),
    }
    assert!(
        app.texts(&format!("{row} [data-testid=draft-paper-approve]"))
            .await
            .unwrap()
            .len()
            == 1,
        "a returned paper can still be approved after all"
    );

    // 5. The secretary signs in on this device and sees the paper returned, by whom and why.
    app.click("[data-testid=logout]").await.unwrap();
    app.find("#username").await.unwrap();
    app.sign_in(&server.url(), "secretary", DEMO_PASSWORD)
        .await
        .unwrap();
    open_preparation(&app).await;
    app.wait_attr(&row, "data-review", "returned", Duration::from_secs(15))
        .await
        .expect("the secretary's device learns of the return");
    let status = app
        .text(&format!("{row} [data-testid=draft-paper-status]"))
        .await
        .unwrap();
    assert_eq!(status, "Đã trả lại (Nguyễn Văn Thành)");
    let reason = app
        .text(&format!("{row} [data-testid=draft-paper-return-reason]"))
        .await
        .unwrap();
    assert!(
        reason.starts_with("Lý do trả lại") && reason.ends_with(REASON),
        "the secretary reads the chair's reason: {reason:?}"
    );
    assert!(
        app.texts(&format!("{row} [data-testid=draft-paper-return]"))
            .await
            .unwrap()
            .is_empty(),
        "the secretary does not review"
    );
    app.eval(&format!(
        "document.querySelector('{row}').scrollIntoView({{block: 'center'}})"
    ))
    .await
    .unwrap();
    app.screenshot(&shots.join("ecabinet-e2e-secretary-sees-return.png"))
        .await
        .unwrap();
    app.close().await.unwrap();
}

/// Opens the demo session and its preparation page.
async fn open_preparation(app: &AppWindow) {
    app.open_meeting(SESSION_TITLE).await.unwrap();
    app.click("[data-testid=open-prepare]").await.unwrap();
    app.find("[data-testid=programme-editor]").await.unwrap();
}
