//! Annotations other readers left inside real-world PDFs (`shared/corpus/realworld`), read
//! through the real PDFium. The expected values were read from the files with `mutool`.

use std::path::PathBuf;

use ecabinet_pdf::{AnnotationKind, CharBox, PageAnnotation, PdfEngine};

fn annotations_of(name: &str) -> Vec<PageAnnotation> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/realworld")
        .join(name);
    let engine = PdfEngine::bind().unwrap_or_else(|error| panic!("{error}"));
    let document = engine
        .open_path(&path, None)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    document
        .annotations()
        .unwrap_or_else(|error| panic!("{name}: {error}"))
}

fn kinds(annotations: &[PageAnnotation]) -> Vec<AnnotationKind> {
    annotations.iter().map(|found| found.kind.clone()).collect()
}

/// Within a thousandth of the page of `expected` (left, top, right, bottom).
fn assert_placed(rect: CharBox, expected: [f32; 4]) {
    let actual = [rect.left, rect.top, rect.right, rect.bottom];
    for (side, expected) in actual.iter().zip(expected) {
        assert!(
            (side - expected).abs() < 1e-3,
            "{actual:?} is not {expected:?}"
        );
    }
}

fn assert_within_the_page(annotations: &[PageAnnotation]) {
    for found in annotations {
        let CharBox {
            left,
            top,
            right,
            bottom,
        } = found.rect;
        for side in [left, top, right, bottom] {
            assert!((0.0..=1.0).contains(&side), "{found:?}");
        }
        assert!(left <= right && top <= bottom, "{found:?}");
    }
}

#[test]
fn a_strike_out_with_its_author_text_and_date() {
    let found = annotations_of("annotation-strikeout.pdf");
    // The pop-up that shows its text is an annotation of its own, listed too.
    assert_eq!(
        kinds(&found),
        [AnnotationKind::StrikeOut, AnnotationKind::Popup]
    );
    let strike_out = &found[0];
    assert_eq!(strike_out.page, 0);
    assert_eq!(strike_out.author.as_deref(), Some("Tim van der Meij"));
    assert_eq!(strike_out.contents.as_deref(), Some("StrikeOut content"));
    assert_eq!(
        strike_out.modified.as_deref(),
        Some("D:20151229150516+01'00'")
    );
    // /Rect [70.86 736.177 193.88 745.586] on a 595.32 x 841.92 page, measured from its top.
    assert_placed(
        strike_out.rect,
        [
            70.86 / 595.32,
            1.0 - 745.586 / 841.92,
            193.88 / 595.32,
            1.0 - 736.177 / 841.92,
        ],
    );
    // The pop-up sits in the margin beyond the page's right edge: clamped to it.
    assert_eq!(found[1].rect.right, 1.0);
    assert_within_the_page(&found);
}

#[test]
fn a_square_and_a_circle() {
    let found = annotations_of("annotation-square-circle.pdf");
    assert_eq!(
        kinds(&found),
        [
            AnnotationKind::Square,
            AnnotationKind::Popup,
            AnnotationKind::Circle,
            AnnotationKind::Popup
        ]
    );
    assert_eq!(found[0].contents.as_deref(), Some("Square content"));
    assert_eq!(found[2].contents.as_deref(), Some("Circle content"));
    // /Rect [71.6709 657.982 274.738 754.469]
    assert_placed(
        found[0].rect,
        [
            71.6709 / 595.32,
            1.0 - 754.469 / 841.92,
            274.738 / 595.32,
            1.0 - 657.982 / 841.92,
        ],
    );
    assert_within_the_page(&found);
}

#[test]
fn ink_strokes_without_an_appearance_and_with_corners_out_of_order() {
    let found = annotations_of("annotation-ink-without-appearance.pdf");
    assert_eq!(kinds(&found), vec![AnnotationKind::Ink; 6]);
    for ink in &found {
        assert_eq!(ink.author.as_deref(), Some("Title"));
        assert_eq!(ink.contents.as_deref(), Some("Contents"));
    }
    // /Rect [129.66667 698.3333 111.666667 774.3333]: left and right swapped in the file.
    assert_placed(
        found[0].rect,
        [
            111.666667 / 612.0,
            1.0 - 774.3333 / 792.0,
            129.66667 / 612.0,
            1.0 - 698.3333 / 792.0,
        ],
    );
    assert_eq!(found[5].modified.as_deref(), Some("D:20210426091454"));
    assert_within_the_page(&found);
}

#[test]
fn a_stamp() {
    let found = annotations_of("annotation-stamp.pdf");
    assert_eq!(
        kinds(&found),
        [AnnotationKind::Stamp, AnnotationKind::Popup]
    );
    assert_eq!(found[0].author.as_deref(), Some("Tim van der Meij"));
    assert_eq!(found[0].contents.as_deref(), Some("Stamp content"));
    assert_within_the_page(&found);
}

#[test]
fn polygons_lines_and_text_markup() {
    assert_eq!(
        kinds(&annotations_of(
            "annotation-polyline-polygon-without-appearance.pdf"
        )),
        [
            AnnotationKind::Polygon,
            AnnotationKind::Popup,
            AnnotationKind::Polyline,
            AnnotationKind::Popup
        ]
    );
    let line = annotations_of("annotation-line-without-appearance.pdf");
    assert_eq!(kinds(&line), [AnnotationKind::Line]);
    // /Contents is UTF-16 with a byte order mark.
    assert_eq!(line[0].contents.as_deref(), Some("Line content"));
    let underline = annotations_of("annotation-underline.pdf");
    assert_eq!(underline[0].kind, AnnotationKind::Underline);
    assert_eq!(underline[0].contents.as_deref(), Some("Underline content"));
    let highlight = annotations_of("annotation-highlight-without-appearance.pdf");
    assert_eq!(kinds(&highlight), [AnnotationKind::Highlight]);
}

#[test]
fn a_line_with_an_empty_rectangle_is_listed_not_dropped() {
    let found = annotations_of("annotation-line-without-appearance-empty-Rect.pdf");
    assert_eq!(kinds(&found), [AnnotationKind::Line]);
    assert_placed(found[0].rect, [0.0, 1.0, 0.0, 1.0]);
}

#[test]
fn form_fields_are_widgets() {
    let found = annotations_of("annotation-text-widget.pdf");
    assert_eq!(kinds(&found), vec![AnnotationKind::Widget; 7]);
    assert_within_the_page(&found);
}

#[test]
fn rectangles_are_placed_on_the_crop_box_as_displayed() {
    // The crop box [155.671 622.967 302.656 729.865] shows only part of the media box.
    let found = annotations_of("annotation_hidden_print.pdf");
    assert_eq!(kinds(&found), [AnnotationKind::Ink, AnnotationKind::Popup]);
    let ink = &found[0];
    assert_eq!(ink.author.as_deref(), Some("calix"));
    // /Rect [174.391 632.654 285.965 729.449]
    let (width, height) = (302.656 - 155.671, 729.865 - 622.967);
    assert_placed(
        ink.rect,
        [
            (174.391 - 155.671) / width,
            (729.865 - 729.449) / height,
            (285.965 - 155.671) / width,
            (729.865 - 632.654) / height,
        ],
    );
    assert_within_the_page(&found);
}
