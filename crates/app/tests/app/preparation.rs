//! Preparation: the secretary makes a meeting, its programme and its papers (a real PDF,
//! checked by PDFium here before it is sent), the chair approves what the secretary
//! uploaded (four eyes), the secretary publishes, and a delegate's device receives the
//! packet. A file that is not a usable PDF is refused here, and nothing of it is sent.

use crate::harness::{Council, Device, NOW, fixture, refused};
use ecabinet_app::dto::{
    AgendaItemDetails, IpcErrorCode, MeetingDetails, PaperPlace, PublishOutlook, ReviewView,
    UploadStage,
};
use std::path::PathBuf;

const MEETING: &str = "Kỳ họp thứ mười hai (bất thường) về điều chỉnh dự toán ngân sách năm 2027";
const BUDGET_ITEM: &str = "Điều chỉnh dự toán ngân sách địa phương năm 2027";
const SUBMISSION_FILE: &str = "packet/01-to-trinh-du-toan-ngan-sach-2027.pdf";
/// What the submission is called once imported: the heading of its first page, not its
/// file name without accents.
const SUBMISSION: &str = "TỜ TRÌNH dự toán ngân sách địa phương năm 2027";
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// The demo's special session, still being prepared (two draft papers, none published).
const SPECIAL_SESSION: &str = "Kỳ họp thứ mười một (chuyên đề) về đầu tư công năm 2027";
const SPECIAL_ITEM: &str = "Danh mục dự án khởi công mới năm 2027";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_secretary_prepares_the_chair_approves_the_secretary_publishes_and_delegates_receive() {
    let council = Council::demo().await;
    let secretary = Device::new();
    let session = secretary.sign_in(&council, "secretary").await;
    assert!(session.may.prepare_meetings && session.may.publish_packets);
    assert!(
        !session.may.approve_papers,
        "the secretary who uploads does not approve"
    );

    // The meeting and its programme: each change is the server's, then in the store.
    let meeting = secretary
        .core
        .create_meeting(MeetingDetails {
            title: MEETING.into(),
            starts_at: NOW.millis() + 20 * DAY_MS,
            location: "Hội trường Hội đồng nhân dân thành phố".into(),
        })
        .await
        .expect("the secretary creates a meeting");
    for (title, presenter, minutes) in [
        (BUDGET_ITEM, Some("Ủy ban nhân dân thành phố"), Some(60)),
        (
            "Bế mạc kỳ họp",
            Some("Chủ tịch Hội đồng nhân dân"),
            Some(10),
        ),
    ] {
        secretary
            .core
            .add_agenda_item(
                &meeting,
                None,
                AgendaItemDetails {
                    title: title.into(),
                    presenter: presenter.map(Into::into),
                    planned_minutes: minutes,
                },
            )
            .await
            .unwrap_or_else(|e| panic!("adding {title:?}: {e:?}"));
    }
    let draft = secretary.core.meeting_draft(&meeting).unwrap();
    let programme: Vec<_> = draft
        .items
        .iter()
        .map(|i| (i.number.as_str(), i.title.as_str()))
        .collect();
    assert_eq!(
        programme,
        [("1", BUDGET_ITEM), ("2", "Bế mạc kỳ họp")],
        "items go at the end, numbered in order, as soon as the commands return"
    );
    assert!(matches!(draft.publish, PublishOutlook::NoPapers));

    // A real PDF under the budget item, checked here, then uploaded and attached.
    let path = fixture(SUBMISSION_FILE);
    let outcomes = secretary
        .core
        .import_files(
            &meeting,
            PaperPlace::Item {
                item_id: draft.items[0].id.clone(),
            },
            vec![path.clone()],
        )
        .await
        .unwrap();
    assert_eq!(outcomes.len(), 1);
    assert!(outcomes[0].error.is_none(), "{:?}", outcomes[0].error);
    let paper_id = outcomes[0]
        .paper_id
        .clone()
        .expect("the file became a paper");
    let size = std::fs::metadata(&path).unwrap().len();
    let stages: Vec<_> = secretary
        .events
        .borrow()
        .uploads
        .iter()
        .map(|u| (u.stage, u.sent, u.total))
        .collect();
    assert_eq!(
        stages,
        [
            (UploadStage::Checking, 0, 0),
            (UploadStage::Uploading, 0, size),
            (UploadStage::Done, size, size)
        ],
        "the window follows the file through each step"
    );
    let draft = secretary.core.meeting_draft(&meeting).unwrap();
    let paper = draft
        .papers
        .iter()
        .find(|p| p.paper_id == paper_id)
        .expect("the new paper is in the store when the import returns");
    assert_eq!(paper.title, SUBMISSION);
    assert_eq!(
        paper.file.pages, 10,
        "the server counted the submission's pages"
    );
    assert!(matches!(paper.review, ReviewView::Pending));
    assert!(
        matches!(&draft.publish, PublishOutlook::NotApproved { titles } if titles == &[SUBMISSION]),
        "nothing unapproved is published: {:?}",
        draft.publish
    );
    assert_eq!(
        refused(
            "publishing before the chair approved",
            secretary.core.publish_packet(&meeting, 1).await
        ),
        IpcErrorCode::PapersNotApproved
    );
    assert_eq!(
        refused(
            "the secretary approving their own upload",
            secretary.core.approve_paper(&paper_id).await
        ),
        IpcErrorCode::Forbidden,
        "only the chair approves"
    );

    // The chair, on a device of their own, reads the paper in the making and approves it.
    let chair = Device::new();
    chair.sign_in(&council, "chair").await;
    let review = chair
        .until("the new paper to reach the chair's device", || async {
            let draft = chair.core.meeting_draft(&meeting).ok()?;
            draft.papers.into_iter().find(|p| p.paper_id == paper_id)
        })
        .await;
    assert!(matches!(review.review, ReviewView::Pending));
    let opened = chair
        .core
        .open_draft_paper(&paper_id)
        .await
        .expect("the chair opens what they are asked to approve");
    assert_eq!(opened.page_count, 10);
    chair.core.approve_paper(&paper_id).await.unwrap();

    // The approval reaches the secretary's device by itself (the live connection).
    secretary
        .until("the chair's approval to reach the secretary", || async {
            let draft = secretary.core.meeting_draft(&meeting).ok()?;
            matches!(draft.publish, PublishOutlook::Ready { .. }).then_some(())
        })
        .await;
    let draft = secretary.core.meeting_draft(&meeting).unwrap();
    assert!(
        matches!(&draft.papers[0].review, ReviewView::Approved { by: Some(by), published: false, .. } if by == "Nguyễn Văn Thành"),
        "approved by the chair, not yet published: {:?}",
        draft.papers[0].review
    );
    let published = secretary.core.publish_packet(&meeting, 1).await.unwrap();
    assert_eq!(published.number, 1);

    // A delegate's device receives version 1 with the paper, and its file.
    let delegate = Device::new();
    delegate.sign_in(&council, "delegate05").await;
    let packet = delegate.packet_held(MEETING).await;
    assert_eq!(packet.version, 1);
    let titles: Vec<_> = packet.papers.iter().map(|p| p.title.as_deref()).collect();
    assert_eq!(titles, [Some(SUBMISSION)]);
    assert!(
        packet.papers[0].held,
        "the submission is on the delegate's device"
    );
    let agenda = delegate.core.agenda(&meeting).unwrap();
    assert_eq!(
        agenda
            .items
            .iter()
            .map(|i| i.title.as_str())
            .collect::<Vec<_>>(),
        [BUDGET_ITEM, "Bế mạc kỳ họp"],
        "the programme as published"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_that_are_not_usable_pdfs_are_refused_before_anything_is_uploaded() {
    let council = Council::demo().await;
    let secretary = Device::new();
    secretary.sign_in(&council, "secretary").await;
    let meeting = secretary.meeting_id(SPECIAL_SESSION).await;
    let draft = secretary.core.meeting_draft(&meeting).unwrap();
    let item = draft
        .items
        .iter()
        .find(|i| i.title == SPECIAL_ITEM)
        .expect("the special session's project list item")
        .id
        .clone();
    let papers_before = draft.papers.len();
    let stored_before = council.stored_files();

    let files: Vec<PathBuf> = [
        "bad/not-a-pdf.pdf",
        "bad/empty.pdf",
        "bad/password-matkhau.pdf",
    ]
    .into_iter()
    .map(fixture)
    .collect();
    let outcomes = secretary
        .core
        .import_files(&meeting, PaperPlace::Item { item_id: item }, files)
        .await
        .expect("an import of bad files answers file by file");
    let refusals: Vec<_> = outcomes
        .iter()
        .map(|o| {
            assert!(o.paper_id.is_none(), "{} became no paper", o.file_name);
            (o.file_name.as_str(), o.error.as_ref().map(|e| e.code))
        })
        .collect();
    assert_eq!(
        refusals,
        [
            ("not-a-pdf.pdf", Some(IpcErrorCode::NotAPdf)),
            ("empty.pdf", Some(IpcErrorCode::PdfEmpty)),
            (
                "password-matkhau.pdf",
                Some(IpcErrorCode::PdfPasswordProtected)
            ),
        ],
        "each file is refused with the code the window explains it by"
    );

    let uploads = secretary.events.borrow().uploads.clone();
    assert!(
        uploads.iter().all(|u| u.stage != UploadStage::Uploading),
        "no file got as far as uploading: {uploads:#?}"
    );
    let failed: Vec<_> = uploads
        .iter()
        .filter(|u| u.stage == UploadStage::Failed)
        .map(|u| (u.file_name.as_str(), u.error.as_ref().map(|e| e.code)))
        .collect();
    assert_eq!(failed, refusals, "the window was told of each refusal");
    assert_eq!(
        council.stored_files(),
        stored_before,
        "the server received no file"
    );
    assert_eq!(
        secretary.core.meeting_draft(&meeting).unwrap().papers.len(),
        papers_before,
        "and the meeting has no new paper"
    );
}
