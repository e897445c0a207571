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

/// The submission's id, once its packet is on the device (the files need not be).
async fn submission(device: &Device) -> String {
    let meeting = device.meeting_id(DEMO_SESSION).await;
    device
        .until("the packet's submission to reach the device", || async {
            let packet = device.core.meeting_packet(&meeting).ok()??;
            packet
                .papers
                .into_iter()
                .find(|p| p.title.as_deref() == Some(SUBMISSION))
                .map(|p| p.paper_id)
        })
        .await
}

fn on_budget(paper_id: &str, body: &str, sharing: dto::SharingView) -> dto::AnnotationInput {
    let exact = "dự toán ngân sách nhà nước";
    dto::AnnotationInput {
        id: None,
        paper_id: paper_id.into(),
        kind: dto::AnnotationKindView::Highlight,
        anchor: dto::AnchorView::Text {
            text: dto::TextAnchorView {
                quote: dto::TextQuoteView {
                    exact: exact.into(),
                    prefix: "Về ".into(),
                    suffix: " năm 2027".into(),
                },
                start: 120,
                end: 120 + exact.chars().count() as u32,
                page: 0,
            },
        },
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
        anchor: shown.anchor.clone(),
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
            device.core.annotations(paper).ok()?.into_iter().find(|a| {
                a.id == id && a.body == body && matches!(a.sync, dto::AnnotationSyncView::Synced)
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
        let private = laptop
            .core
            .save_annotation(on_budget(
                &paper,
                "Đề nghị giải trình",
                dto::SharingView::Private,
            ))
            .await
            .expect("a highlight is kept");
        assert!(
            matches!(private.sync, dto::AnnotationSyncView::Pending),
            "not sent yet: {:?}",
            private.sync
        );
        assert!(private.own);
        let shared = laptop
            .core
            .save_annotation(on_budget(
                &paper,
                "Đồng ý chủ trương",
                dto::SharingView::Meeting,
            ))
            .await
            .unwrap();
        let shown = laptop.core.annotations(&paper).unwrap();
        assert_eq!(shown.len(), 2, "both show the moment they are drawn");
        (private.id, shared.id)
    }; // closed before anything reached the server

    let laptop = restarted(laptop_dir.path());
    let bodies: Vec<String> = laptop
        .core
        .annotations(&paper)
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
    let pushed = synced(&laptop, &paper, &private_id, "Đề nghị giải trình").await;
    assert_eq!(pushed.revision, 1, "the server stored it once");
    synced(&laptop, &paper, &shared_id, "Đồng ý chủ trương").await;

    let tablet = Device::new();
    tablet.sign_in(&council, "delegate01").await;
    synced(&tablet, &paper, &private_id, "Đề nghị giải trình").await;
    synced(&tablet, &paper, &shared_id, "Đồng ý chủ trương").await;

    let colleague = Device::new();
    colleague.sign_in(&council, "delegate03").await;
    let seen = synced(&colleague, &paper, &shared_id, "Đồng ý chủ trương").await;
    assert!(
        !seen.own,
        "a colleague's mark is theirs to read, not to edit"
    );
    let shown = colleague.core.annotations(&paper).unwrap();
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
        let made = laptop
            .core
            .save_annotation(on_budget(&paper, "Ghi chú", dto::SharingView::Private))
            .await
            .unwrap();
        let tablet = Device::open(tablet_dir.path());
        tablet.sign_in(&council, "delegate01").await;
        synced(&tablet, &paper, &made.id, "Ghi chú").await;
        (paper, made.id)
    }; // both go offline

    let laptop = restarted(laptop_dir.path());
    let tablet = restarted(tablet_dir.path());
    let on_laptop = laptop.core.annotations(&paper).unwrap().remove(0);
    laptop
        .core
        .save_annotation(edited(&on_laptop, "Sửa trên máy tính"))
        .await
        .unwrap();
    let on_tablet = tablet.core.annotations(&paper).unwrap().remove(0);
    tablet
        .core
        .save_annotation(edited(&on_tablet, "Sửa trên máy tính bảng"))
        .await
        .unwrap();

    online(&laptop).await;
    let first = synced(&laptop, &paper, &id, "Sửa trên máy tính").await;
    assert_eq!(first.revision, 2);
    online(&tablet).await;
    let last = synced(&tablet, &paper, &id, "Sửa trên máy tính bảng").await;
    assert_eq!(
        last.revision, 3,
        "the write that reached the server last wins"
    );
    synced(&laptop, &paper, &id, "Sửa trên máy tính bảng").await;
    assert_eq!(
        laptop.core.annotations(&paper).unwrap().len(),
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
