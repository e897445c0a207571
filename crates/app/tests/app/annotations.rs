//! Annotations: a delegate marks up a published paper; the mark is on the device the
//! moment it is drawn, survives the app being closed before it reached the server, reaches
//! the delegate's other device, and reaches another delegate only if it is shared; two
//! devices editing one mark offline end with one current version and the other in its
//! history.

use crate::harness::{Council, DEMO_SESSION, Device};
use ecabinet_app::dto;
use ecabinet_sync::CouncilClient;
use std::path::Path;

const SUBMISSION: &str = "Tờ trình về dự toán ngân sách nhà nước năm 2027";

/// The submission's id, once the packet's files are on the device.
async fn submission(device: &Device) -> (String, String) {
    let packet = device.packet_held(DEMO_SESSION).await;
    let paper = crate::harness::paper(&packet, SUBMISSION).paper_id.clone();
    (packet.meeting_id, paper)
}

/// Opens the submission in the reader, where marks are made.
async fn open(device: &Device, (meeting, paper): &(String, String)) {
    device
        .core
        .open_paper(meeting, paper)
        .await
        .expect("a downloaded paper opens");
}

const BUDGET: &str = "dự toán ngân sách nhà nước";

/// Where page 1 of the open submission first says [`BUDGET`], as the text layer counts.
async fn budget_on_page_one(device: &Device, paper: &str) -> (u32, u32) {
    let page = device.core.page_text(paper, 0).await.unwrap();
    let bytes = page.text.find(BUDGET).expect("page 1 names the budget");
    let start = page.text[..bytes].chars().count() as u32;
    (start, start + BUDGET.chars().count() as u32)
}

/// A highlight of [`BUDGET`] on page 1 of the open submission, as the reader sends it.
async fn on_budget(
    device: &Device,
    paper_id: &str,
    body: &str,
    sharing: dto::SharingView,
) -> dto::AnnotationInput {
    let (start, end) = budget_on_page_one(device, paper_id).await;
    dto::AnnotationInput {
        id: None,
        paper_id: paper_id.into(),
        kind: dto::AnnotationKindView::Highlight,
        at: Some(dto::PlaceInput::Text {
            page: 0,
            start,
            end_page: 0,
            end,
        }),
        style: dto::AnnotationStyle {
            colour: "#ffd54f".into(),
            thickness: 1.0,
        },
        body: body.into(),
        sharing,
    }
}

/// An edit of `shown` with a new body, as the reader sends it.
fn edited(shown: &dto::AnnotationView, body: &str) -> dto::AnnotationInput {
    dto::AnnotationInput {
        id: Some(shown.id.clone()),
        paper_id: shown.paper_id.clone(),
        kind: shown.kind.clone(),
        at: None,
        style: shown.style.clone(),
        body: body.into(),
        sharing: shown.sharing.clone(),
    }
}

/// The app on `data_dir` started again, signed in from the store but not yet following
/// the server (as if offline: nothing is pushed or pulled until [`online`]).
fn restarted(data_dir: &Path) -> Device {
    Device::open(data_dir)
}

async fn online(device: &Device) {
    device
        .core
        .resume()
        .await
        .expect("following the server again");
}

/// Waits until `device` shows annotation `id` acknowledged by the server, with `body`.
async fn synced(device: &Device, paper: &str, id: &str, body: &str) -> dto::AnnotationView {
    device
        .until(&format!("annotation {body:?} synced"), || async {
            device
                .core
                .paper_annotations(paper)
                .await
                .ok()?
                .into_iter()
                .find(|a| {
                    a.id == id
                        && a.body == body
                        && matches!(a.sync, dto::AnnotationSyncView::Synced)
                })
        })
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mark_is_kept_at_once_survives_a_restart_and_reaches_only_those_it_is_shared_with() {
    let council = Council::demo().await;
    let laptop_dir = tempfile::tempdir().unwrap();
    let paper = {
        let laptop = Device::open(laptop_dir.path());
        laptop.sign_in(&council, "delegate01").await;
        submission(&laptop).await
    }; // the app closes
    let (private_id, shared_id) = {
        let laptop = restarted(laptop_dir.path());
        open(&laptop, &paper).await;
        let private = laptop
            .core
            .save_annotation(
                on_budget(
                    &laptop,
                    &paper.1,
                    "Đề nghị giải trình",
                    dto::SharingView::Private,
                )
                .await,
            )
            .await
            .expect("a highlight is kept");
        assert!(
            matches!(private.sync, dto::AnnotationSyncView::Pending),
            "not sent yet: {:?}",
            private.sync
        );
        assert!(private.own);
        let (start, end) = budget_on_page_one(&laptop, &paper.1).await;
        assert_eq!(
            private.placement,
            dto::PlacementView::Text {
                ranges: vec![dto::PageRangeView {
                    page: 0,
                    start,
                    end
                }]
            },
            "the highlight covers the selected words, in the text layer's own count"
        );
        assert_eq!(private.quote, BUDGET);
        let shared = laptop
            .core
            .save_annotation(
                on_budget(
                    &laptop,
                    &paper.1,
                    "Đồng ý chủ trương",
                    dto::SharingView::Meeting,
                )
                .await,
            )
            .await
            .unwrap();
        let shown = laptop.core.paper_annotations(&paper.1).await.unwrap();
        assert_eq!(shown.len(), 2, "both show the moment they are drawn");
        (private.id, shared.id)
    }; // closed before anything reached the server

    let laptop = restarted(laptop_dir.path());
    let bodies: Vec<String> = laptop
        .core
        .paper_annotations(&paper.1)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.body)
        .collect();
    assert_eq!(
        bodies,
        ["Đề nghị giải trình", "Đồng ý chủ trương"],
        "nothing drawn is lost by closing the app before it synced"
    );
    online(&laptop).await;
    let pushed = synced(&laptop, &paper.1, &private_id, "Đề nghị giải trình").await;
    assert_eq!(pushed.revision, 1, "the server stored it once");
    synced(&laptop, &paper.1, &shared_id, "Đồng ý chủ trương").await;

    let tablet = Device::new();
    tablet.sign_in(&council, "delegate01").await;
    synced(&tablet, &paper.1, &private_id, "Đề nghị giải trình").await;
    synced(&tablet, &paper.1, &shared_id, "Đồng ý chủ trương").await;

    let colleague = Device::new();
    colleague.sign_in(&council, "delegate03").await;
    let seen = synced(&colleague, &paper.1, &shared_id, "Đồng ý chủ trương").await;
    assert!(
        !seen.own,
        "a colleague's mark is theirs to read, not to edit"
    );
    let shown = colleague.core.paper_annotations(&paper.1).await.unwrap();
    let ids: Vec<&str> = shown.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        ids,
        [shared_id.as_str()],
        "the private note, logged before the shared one, never reached delegate03"
    );
    assert!(
        colleague
            .core
            .delete_annotation(&shared_id)
            .await
            .is_err_and(|e| e.code == dto::IpcErrorCode::NotFound),
        "only the author deletes a mark"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_devices_editing_one_mark_offline_end_with_one_version_and_the_other_in_history() {
    let council = Council::demo().await;
    let laptop_dir = tempfile::tempdir().unwrap();
    let tablet_dir = tempfile::tempdir().unwrap();
    let (paper, id) = {
        let laptop = Device::open(laptop_dir.path());
        laptop.sign_in(&council, "delegate01").await;
        let paper = submission(&laptop).await;
        open(&laptop, &paper).await;
        let made = laptop
            .core
            .save_annotation(
                on_budget(&laptop, &paper.1, "Ghi chú", dto::SharingView::Private).await,
            )
            .await
            .unwrap();
        let tablet = Device::open(tablet_dir.path());
        tablet.sign_in(&council, "delegate01").await;
        synced(&tablet, &paper.1, &made.id, "Ghi chú").await;
        (paper, made.id)
    }; // both go offline

    let laptop = restarted(laptop_dir.path());
    let tablet = restarted(tablet_dir.path());
    let on_laptop = laptop
        .core
        .paper_annotations(&paper.1)
        .await
        .unwrap()
        .remove(0);
    laptop
        .core
        .save_annotation(edited(&on_laptop, "Sửa trên máy tính"))
        .await
        .unwrap();
    let on_tablet = tablet
        .core
        .paper_annotations(&paper.1)
        .await
        .unwrap()
        .remove(0);
    tablet
        .core
        .save_annotation(edited(&on_tablet, "Sửa trên máy tính bảng"))
        .await
        .unwrap();

    online(&laptop).await;
    let first = synced(&laptop, &paper.1, &id, "Sửa trên máy tính").await;
    assert_eq!(first.revision, 2);
    online(&tablet).await;
    let last = synced(&tablet, &paper.1, &id, "Sửa trên máy tính bảng").await;
    assert_eq!(
        last.revision, 3,
        "the write that reached the server last wins"
    );
    synced(&laptop, &paper.1, &id, "Sửa trên máy tính bảng").await;
    assert_eq!(
        laptop.core.paper_annotations(&paper.1).await.unwrap().len(),
        1,
        "one mark, not two"
    );

    let client = CouncilClient::new(&council.url).unwrap();
    let token = client
        .login("delegate01", crate::harness::DEMO_PASSWORD)
        .await
        .unwrap()
        .token;
    let history = client
        .annotation_history(&token, id.parse().unwrap())
        .await
        .unwrap();
    let bodies: Vec<&str> = history.revisions.iter().map(|r| r.body.as_str()).collect();
    assert_eq!(
        bodies,
        ["Ghi chú", "Sửa trên máy tính", "Sửa trên máy tính bảng"],
        "the laptop's edit lost but is kept in the history"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_note_and_a_stroke_beside_the_text_stay_where_they_were_drawn() {
    let council = Council::demo().await;
    let device = Device::new();
    device.sign_in(&council, "delegate02").await;
    let paper = submission(&device).await;
    open(&device, &paper).await;
    let (start, _) = budget_on_page_one(&device, &paper.1).await;
    let page = device.core.page_text(&paper.1, 0).await.unwrap();
    let opened = device.core.open_paper(&paper.0, &paper.1).await.unwrap();
    let size = opened.pages[0];
    // Over the budget's first letter, a little above it, in PDF points.
    let first = &page.boxes[4 * start as usize..4 * start as usize + 4];
    let (x, y) = (
        first[0] * size.width_pt + 1.0,
        first[1] * size.height_pt - 3.0,
    );
    let mark = |kind: dto::AnnotationKindView, body: &str| dto::AnnotationInput {
        id: None,
        paper_id: paper.1.clone(),
        kind,
        at: Some(dto::PlaceInput::Point { page: 0, x, y }),
        style: dto::AnnotationStyle {
            colour: "#d32f2f".into(),
            thickness: 2.0,
        },
        body: body.into(),
        sharing: dto::SharingView::Private,
    };
    let note = device
        .core
        .save_annotation(mark(dto::AnnotationKindView::Note, "Hỏi lại số liệu"))
        .await
        .expect("a note is kept");
    let stroke = device
        .core
        .save_annotation(mark(
            dto::AnnotationKindView::Ink {
                strokes: vec![vec![
                    dto::InkPointView {
                        x: 0.0,
                        y: 0.0,
                        pressure: Some(0.4),
                    },
                    dto::InkPointView {
                        x: 30.0,
                        y: 4.0,
                        pressure: Some(0.6),
                    },
                ]],
            },
            "",
        ))
        .await
        .expect("a stroke is kept");
    for shown in [&note, &stroke] {
        let dto::PlacementView::Mark {
            page: 0,
            char_index: Some(index),
            dx,
            dy,
        } = shown.placement
        else {
            panic!(
                "a mark on a page with text follows a word: {:?}",
                shown.placement
            );
        };
        let anchor = &page.boxes[4 * index as usize..4 * index as usize + 4];
        let (ax, ay) = (
            anchor[0] * size.width_pt + dx,
            anchor[1] * size.height_pt + dy,
        );
        assert!(
            (ax - x).abs() < 0.01 && (ay - y).abs() < 0.01,
            "the word's corner plus the offset is the point drawn at: {ax},{ay} vs {x},{y}"
        );
        assert!(
            shown.quote == "dự",
            "the nearest word is the budget's first: {:?}",
            shown.quote
        );
    }
    device.core.close_paper();
    let listed = device.core.paper_annotations(&paper.1).await.unwrap();
    assert!(
        listed
            .iter()
            .all(|a| a.placement == dto::PlacementView::Elsewhere),
        "with the paper closed there are no pages to place marks on, but the list still has them"
    );
    assert_eq!(listed.len(), 2);
    let across = device.core.meeting_annotations(&paper.0).unwrap();
    assert_eq!(
        across.len(),
        2,
        "the packet-wide list has the same two marks"
    );
    assert!(
        across
            .iter()
            .all(|m| m.paper_title == SUBMISSION && m.item_title.is_some()),
        "each with its paper and the agenda item the paper belongs to: {:?}",
        across
            .iter()
            .map(|m| (&m.paper_title, &m.item_title))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        device
            .core
            .save_annotation(mark(dto::AnnotationKindView::Note, "x"))
            .await
            .expect_err("a mark needs the paper open")
            .code,
        dto::IpcErrorCode::NotFound
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reader_is_answered_only_the_marks_that_changed_since_it_last_asked() {
    let council = Council::demo().await;
    let laptop = Device::new();
    laptop.sign_in(&council, "delegate01").await;
    let paper = submission(&laptop).await;
    open(&laptop, &paper).await;
    let opened = laptop
        .core
        .paper_annotation_changes(&paper.1, None)
        .await
        .unwrap();
    assert!(opened.full, "the first question is answered every mark");
    let every = opened.changed.len();

    let made = laptop
        .core
        .save_annotation(
            on_budget(
                &laptop,
                &paper.1,
                "Đề nghị giải trình",
                dto::SharingView::Private,
            )
            .await,
        )
        .await
        .unwrap();
    let drawn = laptop
        .core
        .paper_annotation_changes(&paper.1, Some(opened.cursor))
        .await
        .unwrap();
    assert!(!drawn.full);
    assert_eq!(
        drawn
            .changed
            .iter()
            .map(|a| a.id.as_str())
            .collect::<Vec<_>>(),
        [made.id.as_str()],
        "the new mark alone, not the {every} the paper had"
    );

    let pushed = synced(&laptop, &paper.1, &made.id, "Đề nghị giải trình").await;
    let answered = laptop
        .core
        .paper_annotation_changes(&paper.1, Some(drawn.cursor))
        .await
        .unwrap();
    assert_eq!(
        answered.changed.len(),
        1,
        "the server's answer changed it once more"
    );
    assert_eq!(answered.changed[0].revision, pushed.revision);
    assert!(matches!(
        answered.changed[0].sync,
        dto::AnnotationSyncView::Synced
    ));

    laptop.core.delete_annotation(&made.id).await.unwrap();
    let deleted = laptop
        .core
        .paper_annotation_changes(&paper.1, Some(answered.cursor))
        .await
        .unwrap();
    assert!(deleted.changed.is_empty());
    assert_eq!(
        deleted.removed,
        std::slice::from_ref(&made.id),
        "a deleted mark is named to take away"
    );
}
