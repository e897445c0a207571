//! The PDF engine against the real PDFium and the shared fixtures.
//!
//! These tests need the library installed (`make setup` or `scripts/fetch-pdfium.sh`). Without
//! it they fail with the locator's message instead of being skipped, so a machine that cannot
//! render PDFs never passes as green.

mod tiny_pdf;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use ecabinet_pdf::{
    CharBox, Document, OutlineEntry, PdfEngine, PdfError, RenderSize, RenderedPage, TextLayout,
};
use tiny_pdf::{entry_ref, page_ref, text_string};

const PACKET_SUBMISSION: &str = "packet/01-to-trinh-du-toan-ngan-sach-2027.pdf";

fn engine() -> PdfEngine {
    PdfEngine::bind().unwrap_or_else(|error| panic!("{error}"))
}

fn fixture(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures")
        .join(relative)
}

fn open(relative: &str, password: Option<&str>) -> Result<Document, PdfError> {
    engine().open_path(&fixture(relative), password)
}

fn open_error(relative: &str, password: Option<&str>) -> PdfError {
    match open(relative, password) {
        Ok(document) => panic!("{relative} opened ({document:?}) but should have been refused"),
        Err(error) => error,
    }
}

fn corpus_file(name: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/realworld")
        .join(name);
    if path.is_file() {
        Some(path)
    } else {
        eprintln!("note: {} is absent, so it was not tried", path.display());
        None
    }
}

fn timed<T>(run: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let value = run();
    (value, started.elapsed())
}

#[test]
fn engine_and_documents_can_be_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<PdfEngine>();
    assert_send_sync::<Document>();

    let engine = engine();
    assert!(
        engine.library_path().is_file(),
        "{}",
        engine.library_path().display()
    );
    // Binding again returns the same library: PDFium can be bound only once per process.
    assert_eq!(
        PdfEngine::bind().unwrap().library_path(),
        engine.library_path()
    );

    let document = &open(PACKET_SUBMISSION, None).unwrap();
    std::thread::scope(|scope| {
        let renders: Vec<_> = (0..3)
            .map(|index| {
                scope.spawn(move || document.render_page(index, 36.0).map(|page| page.width))
            })
            .collect();
        for render in renders {
            // 595.276 pt at 36 dpi.
            assert_eq!(render.join().unwrap().unwrap(), 298);
        }
    });
}

#[test]
fn renders_the_first_page_of_a_submission_at_150_dpi() {
    let engine = engine();
    let path = fixture(PACKET_SUBMISSION);
    let (document, open_time) = timed(|| engine.open_path(&path, None).unwrap());
    let (page, first_render) = timed(|| document.render_page(0, 150.0).unwrap());
    let (_, warm_render) = timed(|| document.render_page(0, 150.0).unwrap());
    eprintln!(
        "timing: open {open_time:?}, render page 1 at 150 dpi {first_render:?} (first), {warm_render:?} (again)"
    );

    // A4 is 595.276 x 841.89 pt; at 150 dpi that is 1240.2 x 1753.9 px.
    assert_eq!((page.width, page.height), (1240, 1754));
    assert_eq!(page.rgba.len(), 1240 * 1754 * 4);
    let inked = page
        .rgba
        .chunks_exact(4)
        .filter(|pixel| pixel[..3].iter().any(|channel| *channel < 128))
        .count();
    // A page of body text inks a few percent of its pixels; a blank render inks none.
    assert!(
        inked > 10_000,
        "only {inked} dark pixels: the page rendered blank"
    );
    assert!(
        page.rgba.chunks_exact(4).all(|pixel| pixel[3] == 255),
        "pages are rendered on opaque white"
    );
}

#[test]
fn extracts_vietnamese_text_with_diacritics_intact() {
    let document = open(PACKET_SUBMISSION, None).unwrap();
    let (text, first) = timed(|| document.page_text(0).unwrap());
    let (_, again) = timed(|| document.page_text(0).unwrap());
    eprintln!("timing: text of page 1 {first:?} (first), {again:?} (again)");

    for phrase in [
        "Về dự toán ngân sách địa phương năm 2027",
        "Độc lập - Tự do - Hạnh phúc",
        "Ủy ban nhân dân thành phố kính trình Hội đồng nhân dân",
    ] {
        assert!(text.contains(phrase), "{phrase:?} not found in:\n{text}");
    }
    assert!(!text.contains('\r'), "lines end with \\n only");
}

#[test]
fn reports_document_info() {
    let document = open(PACKET_SUBMISSION, None).unwrap();
    let info = document.info().unwrap();
    assert_eq!(info.page_count, 10);
    assert_eq!(document.page_count(), 10);
    assert_eq!(
        info.metadata.title.as_deref(),
        Some("TỜ TRÌNH dự toán ngân sách địa phương năm 2027")
    );
    assert!(!info.encrypted);
    let permissions = info.permissions.unwrap();
    assert!(permissions.print && permissions.copy && permissions.modify && permissions.annotate);
    assert_eq!(info.page_sizes.len(), 10, "one size per page");
    assert!(
        info.page_sizes
            .iter()
            .all(|size| (size.width - 595.276).abs() < 0.01 && (size.height - 841.89).abs() < 0.01),
        "every page of the submission is A4 portrait: {:?}",
        info.page_sizes
    );
    assert!(info.first_page_has_text);

    let size = document.page_size(0).unwrap();
    assert!((size.width - 595.276).abs() < 0.01, "{size:?}");
    assert!((size.height - 841.89).abs() < 0.01, "{size:?}");
}

#[test]
fn pages_outside_the_document_are_refused() {
    let document = open(PACKET_SUBMISSION, None).unwrap();
    let error = document.render_page(10, 150.0).unwrap_err();
    assert_eq!(error.code(), "page_out_of_range");
    assert_eq!(
        error.to_string(),
        "page 11 does not exist: the document has 10 pages"
    );
    assert_eq!(
        document.page_text(u32::MAX).unwrap_err().code(),
        "page_out_of_range"
    );
    assert_eq!(
        document.render_page(0, 0.0).unwrap_err().code(),
        "invalid_dpi"
    );
    assert_eq!(
        document.render_page(0, f32::NAN).unwrap_err().code(),
        "invalid_dpi"
    );
    // An A4 page at 20,000 dpi would need 10 GB of pixels.
    assert_eq!(
        document.render_page(0, 20_000.0).unwrap_err().code(),
        "page_too_large"
    );
}

#[test]
fn renders_to_a_width_keeping_the_page_proportions() {
    let document = open(PACKET_SUBMISSION, None).unwrap();
    let page = document.render(0, RenderSize::Width(800)).unwrap();
    // 841.89 / 595.276 * 800 = 1131.4
    assert_eq!((page.width, page.height), (800, 1131));
    assert_eq!(page.rgba.len(), 800 * 1131 * 4);
    assert_eq!(
        document.render(0, RenderSize::Width(0)).unwrap_err().code(),
        "invalid_width"
    );
    // A width is the same render as the equivalent resolution.
    let by_dpi = document.render(0, RenderSize::Dpi(150.0)).unwrap();
    let by_width = document.render(0, RenderSize::Width(1240)).unwrap();
    assert_eq!((by_width.width, by_width.height), (1240, 1754));
    assert!(by_dpi == by_width, "same size, same pixels");
}

#[test]
fn a_scanned_paper_has_no_text_layer() {
    let document = open("packet/06-van-ban-da-ky-ban-chup.pdf", None).unwrap();
    let info = document.info().unwrap();
    assert!(
        !info.first_page_has_text,
        "a scan holds images of text, nothing search could find"
    );
    assert_eq!(info.page_sizes.len(), info.page_count as usize);
}

#[test]
fn an_empty_file_is_reported_as_empty() {
    let error = open_error("bad/empty.pdf", None);
    assert_eq!(error.code(), "empty_file");
}

#[test]
fn a_file_that_is_not_a_pdf_is_reported_as_such() {
    let error = open_error("bad/not-a-pdf.pdf", None);
    assert_eq!(error.code(), "not_a_pdf");
}

#[test]
fn a_truncated_pdf_is_corrupt() {
    // PDFium's repair pass cannot recover this one: the cross-reference table and trailer are
    // in the missing half.
    let error = open_error("bad/truncated-half.pdf", None);
    assert_eq!(error.code(), "corrupt");
}

#[test]
fn garbage_after_a_pdf_header_is_corrupt() {
    let error = open_error("bad/garbage-after-header.pdf", None);
    assert_eq!(error.code(), "corrupt");
}

#[test]
fn bytes_are_checked_like_files() {
    let engine = engine();
    assert_eq!(
        engine.open_bytes(Vec::new(), None).unwrap_err().code(),
        "empty_file"
    );
    assert_eq!(
        engine
            .open_bytes(b"<html>not a pdf</html>".to_vec(), None)
            .unwrap_err()
            .code(),
        "not_a_pdf"
    );
    let document = engine
        .open_bytes(std::fs::read(fixture(PACKET_SUBMISSION)).unwrap(), None)
        .unwrap();
    assert_eq!(document.page_count(), 10);
}

#[test]
fn a_missing_file_is_an_io_error() {
    let error = open_error("bad/there-is-no-such-file.pdf", None);
    assert_eq!(error.code(), "io");
    assert!(
        error.to_string().contains("there-is-no-such-file.pdf"),
        "{error}"
    );
}

#[test]
fn a_password_protected_pdf_asks_for_its_password() {
    let fixture = "bad/password-matkhau.pdf";
    assert_eq!(open_error(fixture, None).code(), "password_required");
    assert_eq!(open_error(fixture, Some("")).code(), "password_required");
    assert_eq!(open_error(fixture, Some("sai")).code(), "wrong_password");
    assert_eq!(
        open_error(fixture, Some("MATKHAU")).code(),
        "wrong_password"
    );
    // A NUL would make pdfium-render panic while holding its lock and poison PDFium for good.
    assert_eq!(
        open_error(fixture, Some("mat\0khau")).code(),
        "wrong_password"
    );

    let document = open(fixture, Some("matkhau")).unwrap();
    let info = document.info().unwrap();
    assert!(info.encrypted);
    assert_eq!(info.page_count, 4);
    let page = document.render_page(0, 72.0).unwrap();
    assert_eq!((page.width, page.height), (595, 842));
    assert!(
        document
            .page_text(0)
            .unwrap()
            .contains("DỰ THẢO NGHỊ QUYẾT")
    );
}

#[test]
fn a_pdf_locked_by_a_certificate_is_not_mistaken_for_one_with_a_password() {
    // The reader would otherwise ask for a password that can never work.
    let locked = tiny_pdf::certificate_locked();
    for password in [None, Some("matkhau")] {
        let error = engine().open_bytes(locked.clone(), password).unwrap_err();
        assert_eq!(
            error.code(),
            "unsupported_security",
            "{password:?}: {error}"
        );
    }
}

#[test]
fn an_owner_locked_pdf_opens_and_reports_its_restrictions() {
    let document = open("bad/owner-locked-no-print.pdf", None).unwrap();
    let info = document.info().unwrap();
    assert!(info.encrypted);
    assert_eq!(info.page_count, 4);
    let permissions = info.permissions.unwrap();
    assert!(!permissions.print, "{permissions:?}");
    assert!(!permissions.copy, "{permissions:?}");
    // Reading is not restricted by an owner password: the page renders and its text extracts.
    let page = document.render_page(0, 72.0).unwrap();
    assert!(page.rgba.iter().any(|channel| *channel < 128));
    assert!(
        document
            .page_text(0)
            .unwrap()
            .contains("DỰ THẢO NGHỊ QUYẾT")
    );
}

#[test]
fn every_error_code_is_distinct_and_snake_case() {
    let errors = [
        PdfError::EngineUnavailable {
            attempts: Vec::new(),
        },
        PdfError::Io {
            path: PathBuf::from("x.pdf"),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        },
        PdfError::EmptyFile,
        PdfError::NotAPdf,
        PdfError::FileTooLarge {
            bytes: 2 << 30,
            limit: 1 << 30,
        },
        PdfError::Corrupt {
            detail: String::new(),
        },
        PdfError::PasswordRequired,
        PdfError::WrongPassword,
        PdfError::UnsupportedSecurity,
        PdfError::PageOutOfRange {
            index: 0,
            page_count: 0,
        },
        PdfError::PageTooLarge {
            index: 0,
            width: 0,
            height: 0,
        },
        PdfError::InvalidDpi { dpi: 0.0 },
        PdfError::InvalidWidth { width: 0 },
        PdfError::EngineFailure {
            doing: "testing".into(),
            detail: String::new(),
        },
        PdfError::EngineCrashed {
            doing: "testing".into(),
            detail: String::new(),
        },
        PdfError::TimedOut {
            doing: "testing".into(),
            limit: Duration::from_secs(5),
        },
        PdfError::WorkerUnavailable {
            program: PathBuf::from("ecabinet-pdf"),
            detail: String::new(),
        },
        PdfError::DocumentChanged,
    ];
    let mut codes: Vec<_> = errors.iter().map(PdfError::code).collect();
    assert!(
        codes
            .iter()
            .all(|code| code.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
    );
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), errors.len());
}

/// Checks what every layout promises and returns the boxes of the characters that leave ink
/// (not white space).
fn checked_layout(document: &Document, index: u32) -> (TextLayout, Vec<CharBox>) {
    let layout = document.page_text_layout(index).unwrap();
    assert_eq!(
        layout.text,
        document.page_text(index).unwrap(),
        "the layout's text is the page's text, so indices found in one hold in the other"
    );
    assert_eq!(
        layout.boxes.len(),
        layout.text.chars().count(),
        "one box per character"
    );
    for (at, b) in layout.boxes.iter().enumerate() {
        assert!(
            [b.left, b.top, b.right, b.bottom]
                .iter()
                .all(|side| (0.0..=1.0).contains(side))
                && b.left <= b.right
                && b.top <= b.bottom,
            "box {at} is a rectangle within the page: {b:?}"
        );
    }
    let visible = layout
        .text
        .chars()
        .zip(&layout.boxes)
        .filter(|(c, _)| !c.is_whitespace())
        .map(|(_, b)| *b)
        .collect();
    (layout, visible)
}

/// The pixels of `page` under `b`, widened by `margin` pixels on every side.
fn pixel_rect(b: &CharBox, page: &RenderedPage, margin: f32) -> [usize; 4] {
    let (width, height) = (page.width as f32, page.height as f32);
    [
        (b.left * width - margin).floor().max(0.0) as usize,
        (b.top * height - margin).floor().max(0.0) as usize,
        (b.right * width + margin).ceil().min(width) as usize,
        (b.bottom * height + margin).ceil().min(height) as usize,
    ]
}

fn is_ink(page: &RenderedPage, x: usize, y: usize) -> bool {
    let at = (y * page.width as usize + x) * 4;
    page.rgba[at..at + 3].iter().any(|channel| *channel < 160)
}

fn has_ink(page: &RenderedPage, [x0, y0, x1, y1]: [usize; 4]) -> bool {
    (y0..y1).any(|y| (x0..x1).any(|x| is_ink(page, x, y)))
}

/// How many of `boxes` have ink under them, out of how many.
fn boxes_with_ink(page: &RenderedPage, boxes: &[CharBox]) -> (usize, usize) {
    let inked = boxes
        .iter()
        .filter(|b| has_ink(page, pixel_rect(b, page, 1.0)))
        .count();
    (inked, boxes.len())
}

/// The character index (not byte index) where `needle` starts in `text`.
fn char_index(text: &str, needle: &str) -> usize {
    let byte = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not found in:\n{text}"));
    text[..byte].chars().count()
}

#[test]
fn a_page_layout_gives_each_character_the_box_it_is_printed_in() {
    let document = open(PACKET_SUBMISSION, None).unwrap();
    let ((layout, visible), took) = timed(|| checked_layout(&document, 0));
    eprintln!(
        "timing: layout of page 1 ({} characters) {took:?}",
        layout.boxes.len()
    );
    assert!(!layout.text.contains('\r'), "lines end with \\n only");

    // The subject line under the title: "Về dự toán ngân sách địa phương năm 2027".
    let phrase = "ngân sách";
    let start = char_index(&layout.text, "Về dự toán ngân sách");
    let start = start + "Về dự toán ".chars().count();
    let boxes = &layout.boxes[start..start + phrase.chars().count()];
    for (c, b) in phrase.chars().zip(boxes) {
        if c != ' ' {
            assert!(
                b.left < b.right && b.top < b.bottom,
                "{c:?} has a size: {b:?}"
            );
        }
        assert!(
            b.bottom < 0.3 && b.left > 0.2 && b.right < 0.8,
            "the subject is centred in the page's upper part: {c:?} at {b:?}"
        );
        assert!(
            (b.top - boxes[0].top).abs() < 0.005,
            "one line: {c:?} at {b:?}"
        );
    }
    assert!(
        boxes.windows(2).all(|pair| pair[0].left <= pair[1].left),
        "left to right: {boxes:?}"
    );
    let title = &layout.boxes[char_index(&layout.text, "TỜ TRÌNH")];
    assert!(
        title.bottom <= boxes[0].top,
        "the title is above its subject"
    );

    let page = document.render_page(0, 72.0).unwrap();
    let (inked, of) = boxes_with_ink(&page, &visible);
    assert!(
        inked * 100 >= of * 98,
        "the boxes lie over the printed characters: {inked} of {of} have ink under them"
    );
}

#[test]
fn characters_sit_where_the_renderer_draws_them_on_turned_pages() {
    let engine = engine();
    for rotate in [0, 90, 180, 270] {
        let document = engine
            .open_bytes(tiny_pdf::rotated_page(rotate), None)
            .unwrap();
        let (layout, visible) = checked_layout(&document, 0);
        assert!(
            layout.text.contains("HELLO") && layout.text.contains("corner"),
            "{rotate}: {:?}",
            layout.text
        );
        let page = document.render_page(0, 144.0).unwrap();
        // The crop box is 360 x 280 points; a quarter turn swaps the sides.
        let expected = if rotate % 180 == 0 {
            (720, 560)
        } else {
            (560, 720)
        };
        assert_eq!((page.width, page.height), expected, "{rotate}");

        let (inked, of) = boxes_with_ink(&page, &visible);
        assert_eq!(inked, of, "{rotate}: every letter's box has its ink");
        let stray = (0..page.height as usize)
            .flat_map(|y| (0..page.width as usize).map(move |x| (x, y)))
            .filter(|&(x, y)| is_ink(&page, x, y))
            .filter(|&(x, y)| {
                !visible.iter().any(|b| {
                    let [x0, y0, x1, y1] = pixel_rect(b, &page, 2.0);
                    (x0..x1).contains(&x) && (y0..y1).contains(&y)
                })
            })
            .count();
        assert_eq!(
            stray, 0,
            "{rotate}: all the ink is inside some letter's box"
        );

        // "HELLO" is printed near the top-left corner of the unturned page.
        let h = layout.boxes[char_index(&layout.text, "HELLO")];
        let (across, down) = ((h.left + h.right) / 2.0, (h.top + h.bottom) / 2.0);
        let corner = match (across < 0.5, down < 0.5) {
            (true, true) => "top-left",
            (false, true) => "top-right",
            (false, false) => "bottom-right",
            (true, false) => "bottom-left",
        };
        let expected =
            ["top-left", "top-right", "bottom-right", "bottom-left"][rotate as usize / 90];
        assert_eq!(corner, expected, "{rotate}: the page turned clockwise");
    }
}

#[test]
fn characters_line_up_with_turned_pages_of_the_corpus() {
    let engine = engine();
    for (name, rotate) in [
        ("issue14497.pdf", 90),
        ("issue14415.pdf", 180),
        ("issue5747.pdf", 270),
    ] {
        let Some(path) = corpus_file(name) else {
            continue;
        };
        let document = engine.open_path(&path, None).unwrap();
        let (layout, visible) = checked_layout(&document, 0);
        assert!(visible.len() > 20, "{name}: {:?}", layout.text);
        let page = document.render_page(0, 72.0).unwrap();
        let (inked, of) = boxes_with_ink(&page, &visible);
        assert!(
            inked * 100 >= of * 95,
            "{name} (/Rotate {rotate}): {inked} of {of} boxes have ink under them"
        );
    }
}

#[test]
fn text_extraction_keeps_up_with_a_long_compendium() {
    let document = open("packet/90-tai-lieu-tong-hop-lon.pdf", None).unwrap();
    let pages = document.page_count();
    let (texts, text_time) = timed(|| {
        (0..pages)
            .map(|index| document.page_text(index).unwrap())
            .collect::<Vec<_>>()
    });
    let (layouts, layout_time) = timed(|| {
        (0..pages)
            .map(|index| document.page_text_layout(index).unwrap())
            .collect::<Vec<_>>()
    });
    // Again, now that PDFium has parsed every page and font once, as the layout did.
    let (_, warm_text_time) = timed(|| {
        for index in 0..pages {
            document.page_text(index).unwrap();
        }
    });
    let rate = |took: Duration| f64::from(pages) / took.as_secs_f64();
    eprintln!(
        "timing: {pages} pages: text {text_time:?} ({:.0} pages/s), layout {layout_time:?} ({:.0} pages/s), text again {warm_text_time:?} ({:.0} pages/s)",
        rate(text_time),
        rate(layout_time),
        rate(warm_text_time)
    );
    for (index, (text, layout)) in texts.iter().zip(&layouts).enumerate() {
        assert_eq!(&layout.text, text, "page {}", index + 1);
        assert_eq!(
            layout.boxes.len(),
            text.chars().count(),
            "page {}",
            index + 1
        );
    }
    // Indexing a packet for search reads every page; the engine did 500-700 pages/s in a
    // release build when this was written. The floor leaves room for a debug build and a
    // busy machine, and still catches a slide into per-character slowness.
    assert!(rate(text_time) > 100.0, "{:.0} pages/s", rate(text_time));
}

fn entry(title: &str, page: Option<u32>, depth: u32) -> OutlineEntry {
    OutlineEntry {
        title: title.to_owned(),
        page,
        depth,
    }
}

#[test]
fn a_paper_without_bookmarks_has_an_empty_outline() {
    let document = open(PACKET_SUBMISSION, None).unwrap();
    assert_eq!(document.outline().unwrap(), []);
    let document = engine()
        .open_bytes(tiny_pdf::with_outline(2, &[]), None)
        .unwrap();
    assert_eq!(
        document.outline().unwrap(),
        [],
        "an /Outlines with no entry"
    );
}

#[test]
fn the_outline_lists_bookmarks_in_reading_order_with_their_pages() {
    let pages = 3;
    let e = |index| entry_ref(pages, index);
    let entries = [
        format!(
            "<< /Title {} /First {} /Next {} /Dest [{} /Fit] >>",
            text_string("Chương I. Quy định chung"),
            e(1),
            e(3),
            page_ref(1)
        ),
        format!(
            "<< /Title (Dieu 1) /Next {} /Dest [{} /XYZ 0 800 0] >>",
            e(2),
            page_ref(0)
        ),
        "<< /Title (Web) /A << /S /URI /URI (https://example.org) >> >>".to_owned(),
        format!(
            "<< /Title (Elsewhere) /Next {} /A << /S /GoToR /F (other.pdf) /D [0 /Fit] >> >>",
            e(4)
        ),
        format!("<< /Title (Past the end) /Next {} /Dest [99 /Fit] >>", e(5)),
        format!(
            "<< /Title {} /A << /S /GoTo /D [{} /Fit] >> >>",
            text_string("  Phụ lục\r\n\tsố liệu "),
            page_ref(2)
        ),
    ];
    let document = engine()
        .open_bytes(tiny_pdf::with_outline(pages, &entries), None)
        .unwrap();
    assert_eq!(
        document.outline().unwrap(),
        [
            entry("Chương I. Quy định chung", Some(1), 0),
            entry("Dieu 1", Some(0), 1),
            entry("Web", None, 1),
            entry("Elsewhere", None, 0),
            entry("Past the end", None, 0),
            entry("Phụ lục số liệu", Some(2), 0),
        ],
        "children follow their parent; links out of the document go to no page"
    );

    let Some(path) = corpus_file("outlines_for_editor.pdf") else {
        return;
    };
    let document = engine().open_path(&path, None).unwrap();
    assert_eq!(
        document.outline().unwrap(),
        [
            entry("Page 1 - explicit dest", Some(0), 0),
            entry("Page 2 - named dest", Some(1), 0),
            entry("External URL", None, 0),
            entry("Next Page action", None, 0),
            entry("Remote PDF link", None, 0),
            entry("Chapter", Some(0), 0),
            entry("Section 1", Some(1), 1),
            entry("Section 2", Some(2), 1),
            entry("Subsection", Some(4), 1),
            entry("Deep item", Some(3), 2),
            entry("No dest parent", None, 0),
            entry("Child with dest", Some(4), 1),
        ]
    );
}

#[test]
fn hostile_outlines_are_cut_short_instead_of_looping() {
    let engine = engine();
    let pages = 1;
    let e = |index| entry_ref(pages, index);
    // The child's /First goes back to its parent and its /Next to itself; the last top-level
    // entry's /Next goes back to the first.
    let looping = [
        format!(
            "<< /Title (First) /First {} /Next {} /Dest [{} /Fit] >>",
            e(1),
            e(2),
            page_ref(0)
        ),
        format!("<< /Title (Child) /First {} /Next {} >>", e(0), e(1)),
        format!("<< /Title (Second) /Next {} >>", e(0)),
    ];
    let document = engine
        .open_bytes(tiny_pdf::with_outline(pages, &looping), None)
        .unwrap();
    let (outline, took) = timed(|| document.outline().unwrap());
    assert_eq!(
        outline,
        [
            entry("First", Some(0), 0),
            entry("Child", None, 1),
            entry("Second", None, 0),
        ],
        "each entry once, in {took:?}"
    );

    let deep: Vec<String> = (0..40)
        .map(|level| format!("<< /Title (Level {level}) /First {} >>", e(level + 1)))
        .collect();
    let document = engine
        .open_bytes(tiny_pdf::with_outline(pages, &deep), None)
        .unwrap();
    let outline = document.outline().unwrap();
    assert_eq!(outline.len(), 32, "nesting stops at 32 levels");
    assert_eq!(outline[31], entry("Level 31", None, 31));

    let wide: Vec<String> = (0..12_000)
        .map(|index| format!("<< /Title (Item {index}) /Next {} >>", e(index + 1)))
        .collect();
    let document = engine
        .open_bytes(tiny_pdf::with_outline(pages, &wide), None)
        .unwrap();
    let (outline, took) = timed(|| document.outline().unwrap());
    eprintln!("timing: an outline cut at 10,000 entries in {took:?}");
    assert_eq!(outline.len(), 10_000, "at most 10,000 entries");
    assert_eq!(outline[9_999], entry("Item 9999", None, 0));
}
