//! eCabinet's annotations (anchored in a paper's text) placed as PDF annotations on the
//! budget submission's Vietnamese text, and found again from them: text marks across lines
//! and a page break, every other kind by its nearest word and offset, and turned pages.

mod every_kind;
mod tiny_pdf;

use ecabinet_domain::annotation::{Anchor, MarkAnchor, MarkOffset, PaperText};
use ecabinet_domain::{AnnotationKind, InkPoint};
use ecabinet_pdf::markup::{
    self, LaidOutPaper, Markup, MarkupSubtype, PageGeometry, Rgb, Style, place_mark,
    unplace_markups,
};
use ecabinet_pdf::{CharBox, PdfEngine, TextLayout};
use every_kind::submission;

struct Laid {
    layouts: Vec<TextLayout>,
    pages: Vec<PageGeometry>,
    text: PaperText,
}

impl Laid {
    fn of(pdf: &[u8]) -> Self {
        let engine = PdfEngine::bind().unwrap_or_else(|error| panic!("{error}"));
        let document = engine.open_bytes(pdf.to_vec(), None).unwrap();
        let layouts: Vec<TextLayout> = (0..document.page_count())
            .map(|page| document.page_text_layout(page).unwrap())
            .collect();
        let pages = markup::page_geometries(pdf).unwrap();
        assert_eq!(pages.len(), layouts.len());
        let texts: Vec<&str> = layouts.iter().map(|l| l.text.as_str()).collect();
        let text = PaperText::new(&texts);
        Self {
            layouts,
            pages,
            text,
        }
    }

    fn paper(&self) -> LaidOutPaper<'_> {
        LaidOutPaper {
            layouts: &self.layouts,
            pages: &self.pages,
        }
    }

    /// Whole-text offsets of the first occurrence of `quote`.
    fn find(&self, quote: &str) -> (usize, usize) {
        let whole = self.text.slice(0, self.text.len());
        let byte = whole
            .find(quote)
            .unwrap_or_else(|| panic!("{quote:?} not in the paper"));
        let start = whole[..byte].chars().count();
        (start, start + quote.chars().count())
    }

    fn page_start(&self, page: usize) -> usize {
        self.text
            .offset(ecabinet_domain::annotation::PagePoint { page, offset: 0 })
            .unwrap()
    }
}

fn style() -> Style {
    Style {
        colour: Some(Rgb(255, 212, 0)),
        thickness: 2.0,
        body: "Cần làm rõ".to_owned(),
        author: Some("Nguyễn Văn An".to_owned()),
        modified: Some("D:20261205093000Z".to_owned()),
        name: Some("0b6f7d5e-8c1a-4f7e-9d55-2f1f3f0c9a01".to_owned()),
        in_reply_to: None,
    }
}

#[test]
fn a_highlight_across_a_page_break_is_one_pdf_annotation_per_page_and_one_mark_again() {
    let laid = Laid::of(&submission());
    // The last words of page 1 and the first of page 2.
    let page_2 = laid.page_start(1);
    let (start, end) = (page_2 - 22, page_2 + 10);
    let anchor = Anchor::Text(laid.text.anchor(start, end));
    let placed = place_mark(
        &anchor,
        &AnnotationKind::Highlight,
        &style(),
        laid.paper(),
        &laid.text,
    )
    .unwrap();
    assert_eq!(
        placed.iter().map(|m| m.page).collect::<Vec<_>>(),
        [0, 1],
        "one annotation on each page, sharing the name"
    );
    assert!(placed.iter().all(|m| m.name == style().name));

    let found = unplace_markups(&placed, laid.paper(), &laid.text);
    assert_eq!(found.len(), 1, "the two pieces are one mark: {found:?}");
    assert_eq!(found[0].pieces, [0, 1]);
    assert_eq!(
        found[0].anchor.as_ref(),
        Some(&anchor),
        "the characters under the quads are the quote, with its context: {:?}",
        laid.text.slice(start, end)
    );
    assert_eq!(found[0].kind, AnnotationKind::Highlight);
    assert_eq!(found[0].style, style());
}

#[test]
fn an_underline_over_three_lines_has_a_quad_per_line_and_marks_the_same_words() {
    let laid = Laid::of(&submission());
    let (start, end) = laid.find("Một số ý kiến đại biểu đề nghị làm rõ tiến độ");
    let (start, end) = (start, end + 120);
    let lines = laid.text.slice(start, end).split('\n').count();
    assert!(lines >= 3, "{:?}", laid.text.slice(start, end));
    let anchor = Anchor::Text(laid.text.anchor(start, end));
    for kind in [
        AnnotationKind::Underline,
        AnnotationKind::StrikeOut,
        AnnotationKind::Squiggly,
        AnnotationKind::Highlight,
    ] {
        let placed = place_mark(&anchor, &kind, &style(), laid.paper(), &laid.text).unwrap();
        assert_eq!(placed.len(), 1);
        assert_eq!(placed[0].quads.len(), lines, "{kind:?}: one quad per line");
        for quad in &placed[0].quads {
            assert!(quad.top_left.1 > quad.bottom_left.1, "quads are upright");
            assert!(quad.top_right.0 > quad.top_left.0);
        }
        let found = unplace_markups(&placed, laid.paper(), &laid.text);
        assert_eq!(found[0].anchor.as_ref(), Some(&anchor), "{kind:?}");
        assert_eq!(found[0].kind, kind);
    }
}

/// The same place within a hundredth of a point.
fn assert_same_place(a: &Markup, b: &Markup, what: &str) {
    let close = |x: f32, y: f32| (x - y).abs() < 0.01;
    assert_eq!(a.page, b.page, "{what}");
    assert_eq!(a.subtype, b.subtype, "{what}");
    let (ra, rb) = (a.rect, b.rect);
    assert!(
        close(ra.left, rb.left)
            && close(ra.top, rb.top)
            && close(ra.right, rb.right)
            && close(ra.bottom, rb.bottom),
        "{what}: {ra:?} != {rb:?}"
    );
    for (sa, sb) in a.ink.iter().zip(&b.ink) {
        for (va, vb) in sa.iter().zip(sb) {
            assert!(
                close(va.x, vb.x) && close(va.y, vb.y) && va.pressure == vb.pressure,
                "{what}"
            );
        }
    }
    if let (Some(la), Some(lb)) = (a.line, b.line) {
        for (pa, pb) in la.iter().zip(&lb) {
            assert!(
                close(pa.0, pb.0) && close(pa.1, pb.1),
                "{what}: {la:?} != {lb:?}"
            );
        }
    }
    assert_eq!(a.line_endings, b.line_endings, "{what}");
}

#[test]
fn marks_off_the_text_sit_at_their_offset_from_the_nearest_word_and_are_found_there_again() {
    let laid = Laid::of(&submission());
    let (start, end) = laid.find("472 tỷ đồng");
    let near = laid.text.anchor(start, start + 3);
    let kinds = [
        AnnotationKind::Note,
        AnnotationKind::FreeText {
            width: 160.0,
            height: 48.0,
        },
        AnnotationKind::Rectangle {
            width: 90.0,
            height: 20.0,
        },
        AnnotationKind::Ellipse {
            width: 60.0,
            height: 30.0,
        },
        AnnotationKind::Line { dx: 80.0, dy: 0.0 },
        AnnotationKind::Arrow {
            dx: -40.0,
            dy: 30.0,
        },
        AnnotationKind::Ink {
            strokes: vec![
                vec![
                    InkPoint {
                        x: 0.0,
                        y: 0.0,
                        pressure: Some(0.4),
                    },
                    InkPoint {
                        x: 12.5,
                        y: 8.0,
                        pressure: Some(0.7),
                    },
                    InkPoint {
                        x: 30.0,
                        y: -4.0,
                        pressure: None,
                    },
                ],
                vec![InkPoint {
                    x: 5.0,
                    y: 20.0,
                    pressure: None,
                }],
            ],
        },
    ];
    let _ = end;
    for kind in kinds {
        let anchor = Anchor::Mark(MarkAnchor {
            text: near.clone(),
            offset: MarkOffset { dx: -6.0, dy: 14.0 },
        });
        let placed = place_mark(&anchor, &kind, &style(), laid.paper(), &laid.text).unwrap();
        assert_eq!(placed.len(), 1, "{kind:?}");
        let found = unplace_markups(&placed, laid.paper(), &laid.text);
        let Some(Anchor::Mark(found_anchor)) = &found[0].anchor else {
            panic!("{kind:?}: {found:?}")
        };
        assert!(
            found_anchor.offset.dx.abs() < 40.0 && found_anchor.offset.dy.abs() < 40.0,
            "{kind:?} is anchored by a word near it: {found_anchor:?}"
        );
        let again = place_mark(
            found[0].anchor.as_ref().unwrap(),
            &found[0].kind,
            &found[0].style,
            laid.paper(),
            &laid.text,
        )
        .unwrap();
        assert_same_place(&again[0], &placed[0], &format!("{kind:?}"));
        if matches!(kind, AnnotationKind::Arrow { .. }) {
            assert_eq!(
                found[0].kind, kind,
                "an arrow stays an arrow, pointing the same way"
            );
        }
    }
}

#[test]
fn a_mark_placed_on_a_turned_page_covers_its_words_as_pdfium_displays_them() {
    let engine = PdfEngine::bind().unwrap_or_else(|error| panic!("{error}"));
    for rotate in [0, 90, 180, 270] {
        let pdf = tiny_pdf::rotated_page(rotate);
        let laid = Laid::of(&pdf);
        let (start, end) = laid.find("HELLO");
        let anchor = Anchor::Text(laid.text.anchor(start, end));
        let placed = place_mark(
            &anchor,
            &AnnotationKind::Highlight,
            &style(),
            laid.paper(),
            &laid.text,
        )
        .unwrap();
        let words = laid.layouts[0].boxes[start..end]
            .iter()
            .copied()
            .reduce(|a, b| CharBox {
                left: a.left.min(b.left),
                top: a.top.min(b.top),
                right: a.right.max(b.right),
                bottom: a.bottom.max(b.bottom),
            })
            .unwrap();
        let copy = markup::write_annotations(&pdf, &placed).unwrap();
        let shown = engine
            .open_bytes(copy, None)
            .unwrap()
            .annotations()
            .unwrap();
        let rect = shown[0].rect;
        // /Rect is the quads' box grown by a point each side: within 1.5 % of this small page.
        for (side, expected) in [
            (rect.left, words.left),
            (rect.top, words.top),
            (rect.right, words.right),
            (rect.bottom, words.bottom),
        ] {
            assert!(
                (side - expected).abs() < 0.015,
                "/Rotate {rotate}: the highlight {rect:?} covers HELLO {words:?}"
            );
        }
        let found = unplace_markups(&placed, laid.paper(), &laid.text);
        assert_eq!(found[0].anchor.as_ref(), Some(&anchor), "/Rotate {rotate}");

        // A rectangle drawn beside HELLO as displayed (towards the middle of the page, where
        // the turn put HELLO in a corner) stays at that offset on every turn.
        let (dw, dh) = laid.pages[0].displayed_size();
        let first = laid.layouts[0].boxes[start];
        let dx = if first.left * dw + 60.0 > dw {
            -50.0
        } else {
            10.0
        };
        let dy = if first.top * dh + 80.0 > dh {
            -60.0
        } else {
            50.0
        };
        let boxed = Anchor::Mark(MarkAnchor {
            text: laid.text.anchor(start, end),
            offset: MarkOffset { dx, dy },
        });
        let kind = AnnotationKind::Rectangle {
            width: 40.0,
            height: 20.0,
        };
        let placed = place_mark(&boxed, &kind, &style(), laid.paper(), &laid.text).unwrap();
        let copy = markup::write_annotations(&pdf, &placed).unwrap();
        let shown = engine
            .open_bytes(copy, None)
            .unwrap()
            .annotations()
            .unwrap();
        let rect = shown[0].rect;
        assert!(
            ((rect.left - first.left) * dw - dx).abs() < 0.05
                && ((rect.top - first.top) * dh - dy).abs() < 0.05
                && ((rect.right - rect.left) * dw - 40.0).abs() < 0.05
                && ((rect.bottom - rect.top) * dh - 20.0).abs() < 0.05,
            "/Rotate {rotate}: {rect:?} from {first:?} on a {dw} x {dh} page"
        );
        assert_eq!(placed[0].subtype, MarkupSubtype::Square);
    }
}

#[test]
fn a_members_annotation_is_written_with_its_id_author_date_colour_and_words() {
    use ecabinet_domain::{
        Annotation, AnnotationId, BlobHash, MadeOn, MeetingId, MemberId, PaperId, Sharing,
        Timestamp,
    };
    let laid = Laid::of(&submission());
    let (start, end) = laid.find("472 tỷ đồng");
    let id: AnnotationId = "0b6f7d5e-8c1a-4f7e-9d55-2f1f3f0c9a01".parse().unwrap();
    let annotation = Annotation {
        id,
        author: "6a1f0a39-3c1e-4d5b-8f0e-0d7b6f1e2a11"
            .parse::<MemberId>()
            .unwrap(),
        paper_id: "7c2f0a39-3c1e-4d5b-8f0e-0d7b6f1e2a11"
            .parse::<PaperId>()
            .unwrap(),
        meeting_id: "8d3f0a39-3c1e-4d5b-8f0e-0d7b6f1e2a11"
            .parse::<MeetingId>()
            .unwrap(),
        made_on: MadeOn {
            packet_version: Some(1),
            hash: BlobHash::parse(&"ab".repeat(32)).unwrap(),
        },
        anchor: Anchor::Text(laid.text.anchor(start, end)),
        kind: AnnotationKind::Squiggly,
        colour: "#cc0000".to_owned(),
        thickness: 1.5,
        body: "Con số này khác phụ lục".to_owned(),
        sharing: Sharing::Private,
        revision: 3,
        updated_at: Timestamp(1_796_463_015_000),
        deleted: false,
    };
    let placed =
        markup::place_annotation(&annotation, "Nguyễn Văn An", laid.paper(), &laid.text).unwrap();
    let m = &placed[0];
    assert_eq!(m.subtype, MarkupSubtype::Squiggly);
    assert_eq!(
        m.name.as_deref(),
        Some("0b6f7d5e-8c1a-4f7e-9d55-2f1f3f0c9a01"),
        "/NM is the id"
    );
    assert_eq!(m.author.as_deref(), Some("Nguyễn Văn An"));
    assert_eq!(m.modified.as_deref(), Some("D:20261205093015Z"));
    assert_eq!(m.colour, Some(Rgb(0xcc, 0, 0)));
    assert_eq!(m.border_width, 1.5);
    assert_eq!(m.contents.as_deref(), Some("Con số này khác phụ lục"));
}
