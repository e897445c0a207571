//! Exporting a delegate's annotations: their marks on the submission written into a copy of
//! it as real PDF annotations, which another reader (here the engine's own PDF object reader)
//! finds with their kind, author, words and place; another member's shared mark stays out.

use crate::harness::{Council, DEMO_SESSION, Device, paper};
use ecabinet_app::dto;
use ecabinet_domain::annotation::PaperText;
use ecabinet_pdf::markup::{self, LaidOutPaper, MarkupSubtype};
use ecabinet_pdf::{CharBox, TextLayout};

const SUBMISSION: &str = "Tờ trình về dự toán ngân sách nhà nước năm 2027";
const QUOTE: &str = "dự toán ngân sách nhà nước";

fn input(
    paper_id: &str,
    kind: dto::AnnotationKindView,
    at: dto::PlaceInput,
    body: &str,
    sharing: dto::SharingView,
) -> dto::AnnotationInput {
    dto::AnnotationInput {
        id: None,
        paper_id: paper_id.into(),
        kind,
        at: Some(at),
        style: dto::AnnotationStyle {
            colour: "#e53935".into(),
            thickness: 1.5,
        },
        body: body.into(),
        sharing,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delegates_marks_go_into_a_copy_of_the_paper_as_real_pdf_annotations() {
    let council = Council::demo().await;
    let device = Device::new();
    let session = device.sign_in(&council, "delegate08").await;
    let packet = device.packet_held(DEMO_SESSION).await;
    let paper_id = paper(&packet, SUBMISSION).paper_id.clone();
    let opened = device
        .core
        .open_paper(&packet.meeting_id, &paper_id)
        .await
        .unwrap();

    // Where the quote is on page 1, as the reader's text layer gives it.
    let page = device.core.page_text(&opened.paper_id, 0).await.unwrap();
    let start = page.text[..page.text.find(QUOTE).unwrap()].chars().count() as u32;
    let end = start + QUOTE.chars().count() as u32;
    // A point a little below the quote's first letter, in PDF points, for the rectangle.
    let size = opened.pages[0];
    let first = &page.boxes[4 * start as usize..4 * start as usize + 4];
    let below = (
        first[0] * size.width_pt - 4.0,
        first[1] * size.height_pt + 20.0,
    );
    let highlight = device
        .core
        .save_annotation(input(
            &paper_id,
            dto::AnnotationKindView::Highlight,
            dto::PlaceInput::Text {
                page: 0,
                start,
                end_page: 0,
                end,
            },
            "Đề nghị giải trình",
            dto::SharingView::Private,
        ))
        .await
        .unwrap();
    let note = device
        .core
        .save_annotation(input(
            &paper_id,
            dto::AnnotationKindView::Rectangle {
                width: 120.0,
                height: 30.0,
            },
            dto::PlaceInput::Point {
                page: 0,
                x: below.0,
                y: below.1,
            },
            "",
            dto::SharingView::Private,
        ))
        .await
        .unwrap();

    let out = tempfile::tempdir().unwrap();
    let destination = out.path().join("to-trinh-ghi-chu.pdf");
    let copy = device
        .core
        .export_annotated_paper(&paper_id, &destination)
        .await
        .expect("the copy is written");
    let mut written: Vec<String> = copy.written.iter().map(|id| id.to_string()).collect();
    written.sort();
    let mut drawn = vec![highlight.id.clone(), note.id.clone()];
    drawn.sort();
    assert_eq!(written, drawn, "both marks are in the copy");
    assert!(copy.left_out.is_empty());
    assert!(
        !out.path().join(".to-trinh-ghi-chu.pdf.part").exists(),
        "nothing half-written is left beside it"
    );

    let bytes = std::fs::read(&destination).unwrap();
    let found = markup::read_annotations(&bytes).unwrap();
    let mut found = found;
    found.sort_by_key(|m| m.subtype != MarkupSubtype::Highlight);
    assert_eq!(
        found.iter().map(|m| m.subtype).collect::<Vec<_>>(),
        [MarkupSubtype::Highlight, MarkupSubtype::Square]
    );
    assert_eq!(
        found[0].name.as_deref(),
        Some(highlight.id.as_str()),
        "/NM is the annotation's id"
    );
    assert_eq!(
        found[0].author.as_deref(),
        Some(session.member.display_name.as_str())
    );
    assert_eq!(found[0].contents.as_deref(), Some("Đề nghị giải trình"));
    assert_eq!(found[0].colour.map(|c| c.hex()).as_deref(), Some("#e53935"));

    // The highlight lies over the quote: the characters under its quads are the quote.
    let layouts: Vec<TextLayout> = {
        let mut layouts = Vec::new();
        for index in 0..opened.page_count {
            let view = device
                .core
                .page_text(&opened.paper_id, index)
                .await
                .unwrap();
            layouts.push(TextLayout {
                boxes: view
                    .boxes
                    .chunks_exact(4)
                    .map(|b| CharBox {
                        left: b[0],
                        top: b[1],
                        right: b[2],
                        bottom: b[3],
                    })
                    .collect(),
                text: view.text,
            });
        }
        layouts
    };
    let pages = markup::page_geometries(&bytes).unwrap();
    let texts: Vec<&str> = layouts.iter().map(|l| l.text.as_str()).collect();
    let whole = PaperText::new(&texts);
    let marks = markup::unplace_markups(
        &found,
        LaidOutPaper {
            layouts: &layouts,
            pages: &pages,
        },
        &whole,
    );
    assert_eq!(
        marks[0]
            .anchor
            .as_ref()
            .map(|a| a.text().quote.exact.as_str()),
        Some(QUOTE)
    );

    // Another delegate's mark, shared with the meeting, shows on this device but is theirs
    // to export, not this delegate's.
    let other = Device::new();
    other.sign_in(&council, "delegate01").await;
    let other_packet = other.packet_held(DEMO_SESSION).await;
    let other_paper = paper(&other_packet, SUBMISSION).paper_id.clone();
    other
        .core
        .open_paper(&other_packet.meeting_id, &other_paper)
        .await
        .unwrap();
    let shared = other
        .core
        .save_annotation(input(
            &other_paper,
            dto::AnnotationKindView::Note,
            dto::PlaceInput::Point {
                page: 0,
                x: below.0 + 300.0,
                y: below.1 - 20.0,
            },
            "Ý kiến chung của tổ",
            dto::SharingView::Meeting,
        ))
        .await
        .unwrap();
    device
        .until("the shared note to reach delegate08", || async {
            device
                .core
                .paper_annotations(&paper_id)
                .await
                .ok()?
                .into_iter()
                .find(|a| a.id == shared.id && !a.own)
        })
        .await;
    let again = device
        .core
        .export_annotated_paper(&paper_id, &destination)
        .await
        .unwrap();
    assert_eq!(again.written, copy.written, "only the member's own marks");
    // The same marks (their date is now the server's, once it acknowledged them).
    let undated = |marks: Vec<markup::Markup>| {
        marks
            .into_iter()
            .map(|m| markup::Markup {
                modified: None,
                ..m
            })
            .collect::<Vec<_>>()
    };
    let mut exported_again =
        undated(markup::read_annotations(&std::fs::read(&destination).unwrap()).unwrap());
    exported_again.sort_by_key(|m| m.subtype != MarkupSubtype::Highlight);
    assert_eq!(exported_again, undated(found));
}
