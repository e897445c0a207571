//! The PDF engine against the real PDFium and the shared fixtures.
//!
//! These tests need the library installed (`make setup` or `scripts/fetch-pdfium.sh`). Without
//! it they fail with the locator's message instead of being skipped, so a machine that cannot
//! render PDFs never passes as green.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use ecabinet_pdf::{Document, PdfEngine, PdfError, RenderSize};

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
