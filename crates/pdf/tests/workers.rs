//! The worker pool against real worker processes (this crate's `ecabinet-pdf` binary), the real
//! PDFium and the shared fixtures: what the app gets when it renders through `PdfWorkers`, and
//! what happens when a worker crashes, hangs or talks nonsense.

mod tiny_pdf;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ecabinet_pdf::{
    Deadlines, Fault, PdfEngine, PdfError, PdfWorkers, RenderSize, WorkerConfig, WorkerDocument,
    WorkerStderr,
};

const PACKET_SUBMISSION: &str = "packet/01-to-trinh-du-toan-ngan-sach-2027.pdf";
const DRAFT_RESOLUTION: &str = "packet/02-du-thao-nghi-quyet-ngan-sach-2027.pdf";

fn fixture(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures")
        .join(relative)
}

fn config(workers: usize) -> WorkerConfig {
    let mut config = WorkerConfig::new(env!("CARGO_BIN_EXE_ecabinet-pdf"));
    config.workers = workers;
    config.stderr = WorkerStderr::Inherit;
    config
}

fn pool(workers: usize) -> PdfWorkers {
    PdfWorkers::start(config(workers)).unwrap_or_else(|error| panic!("{error}"))
}

fn open(pool: &PdfWorkers, relative: &str) -> WorkerDocument {
    pool.open_path(&fixture(relative), None)
        .unwrap_or_else(|error| panic!("{relative}: {error}"))
}

fn refusal(pool: &PdfWorkers, path: &Path, password: Option<&str>) -> PdfError {
    match pool.open_path(path, password) {
        Ok(document) => panic!("{} opened ({document:?})", path.display()),
        Err(error) => error,
    }
}

#[test]
fn a_page_rendered_by_a_worker_is_the_page_rendered_in_process() {
    let pool = pool(1);
    let document = open(&pool, PACKET_SUBMISSION);
    let started = Instant::now();
    let page = document.render(0, RenderSize::Dpi(150.0)).unwrap();
    let through_worker = started.elapsed();

    let engine = PdfEngine::bind().unwrap_or_else(|error| panic!("{error}"));
    let local = engine.open_path(&fixture(PACKET_SUBMISSION), None).unwrap();
    let started = Instant::now();
    let expected = local.render_page(0, 150.0).unwrap();
    let in_process = started.elapsed();
    eprintln!(
        "timing: page 1 at 150 dpi: {through_worker:?} through a worker, {in_process:?} in process"
    );

    assert_eq!((page.width, page.height), (1240, 1754));
    assert!(
        page == expected,
        "the worker hands back PDFium's pixels unchanged"
    );

    let narrow = document.render(1, RenderSize::Width(600)).unwrap();
    assert!(narrow == local.render(1, RenderSize::Width(600)).unwrap());
    assert_eq!(
        document.page_text(0).unwrap(),
        local.page_text(0).unwrap(),
        "text crosses the pipe intact, Vietnamese diacritics included"
    );
}

#[test]
fn opening_reports_what_a_viewer_needs_before_the_first_render() {
    let pool = pool(1);
    let document = open(&pool, PACKET_SUBMISSION);
    let engine = PdfEngine::bind().unwrap_or_else(|error| panic!("{error}"));
    let local = engine.open_path(&fixture(PACKET_SUBMISSION), None).unwrap();
    assert_eq!(document.info(), &local.info().unwrap());
    assert_eq!(document.page_count(), 10);
    assert_eq!(document.info().page_sizes.len(), 10);
    assert!(document.info().first_page_has_text);
    assert_eq!(
        document.info().metadata.title.as_deref(),
        Some("TỜ TRÌNH dự toán ngân sách địa phương năm 2027")
    );

    let scan = open(&pool, "packet/06-van-ban-da-ky-ban-chup.pdf");
    assert!(
        !scan.info().first_page_has_text,
        "a scanned paper has nothing to search until it is OCRed"
    );
}

#[test]
fn a_worker_that_crashes_is_replaced_and_its_documents_reopen() {
    let pool = pool(1);
    let document = open(&pool, PACKET_SUBMISSION);
    let other = pool
        .open_bytes(std::fs::read(fixture(DRAFT_RESOLUTION)).unwrap(), None)
        .unwrap();
    document.render(0, RenderSize::Dpi(36.0)).unwrap();

    let error = document.inject_fault(Fault::Crash).unwrap_err();
    assert_eq!(error.code(), "engine_crashed", "{error}");
    assert!(
        error.to_string().contains("SIGABRT"),
        "the message says how the worker died: {error}"
    );

    // Both documents were open in the worker that died; both come back without the caller
    // doing anything, one from its path and one from the bytes the pool kept.
    let page = document.render(2, RenderSize::Dpi(36.0)).unwrap();
    assert_eq!(page.width, 298);
    assert!(other.page_text(0).unwrap().contains("NGHỊ QUYẾT"));
    let stats = pool.stats();
    assert_eq!((stats.started, stats.crashed, stats.timed_out), (2, 1, 0));
    assert!(
        error
            .to_string()
            .contains("the worker was killed by signal 6, SIGABRT"),
        "{error}"
    );
}

#[test]
fn a_worker_in_an_endless_loop_is_killed_at_its_deadline() {
    let mut config = config(1);
    config.deadlines = Deadlines {
        render: Duration::from_millis(500),
        ..Deadlines::default()
    };
    let pool = PdfWorkers::start(config).unwrap();
    let document = open(&pool, PACKET_SUBMISSION);

    let started = Instant::now();
    let error = document.inject_fault(Fault::Hang).unwrap_err();
    let waited = started.elapsed();
    assert_eq!(error.code(), "timed_out", "{error}");
    // The limit counts the worker's CPU time; on a machine too busy to give it half a second
    // of CPU, the clock stops it at four times the limit instead.
    let message = error.to_string();
    assert!(
        message.contains("longer than 0.5 s") || message.contains("longer than 2 s"),
        "{message}"
    );
    assert!(
        waited >= Duration::from_millis(500) && waited < Duration::from_secs(5),
        "the caller waits for the deadline, not for the looping worker: {waited:?}"
    );

    assert!(document.page_text(0).unwrap().contains("TỜ TRÌNH"));
    let stats = pool.stats();
    assert_eq!((stats.started, stats.crashed, stats.timed_out), (2, 0, 1));
}

#[test]
fn a_worker_blocked_without_using_cpu_is_killed_too() {
    let mut config = config(1);
    config.deadlines = Deadlines {
        render: Duration::from_millis(250),
        ..Deadlines::default()
    };
    let pool = PdfWorkers::start(config).unwrap();
    let document = open(&pool, PACKET_SUBMISSION);

    let started = Instant::now();
    let error = document.inject_fault(Fault::Stall).unwrap_err();
    let waited = started.elapsed();
    assert_eq!(error.code(), "timed_out", "{error}");
    // On Linux the deadline counts CPU time, which a blocked worker never spends; the clock
    // stops it at four times the limit. Elsewhere the limit itself is on the clock.
    assert!(
        waited >= Duration::from_millis(250) && waited < Duration::from_secs(5),
        "{waited:?}"
    );
    assert_eq!(
        document.render(0, RenderSize::Dpi(36.0)).unwrap().width,
        298
    );
}

#[test]
fn a_worker_that_writes_nonsense_is_replaced() {
    let pool = pool(1);
    let document = open(&pool, PACKET_SUBMISSION);
    let error = document.inject_fault(Fault::Garbage).unwrap_err();
    assert_eq!(error.code(), "engine_crashed", "{error}");
    assert!(error.to_string().contains("not a frame"), "{error}");
    assert_eq!(
        document.render(0, RenderSize::Dpi(36.0)).unwrap().width,
        298
    );
}

#[test]
fn a_worker_whose_engine_panicked_retires_and_is_replaced() {
    let mut config = config(1);
    // The worker's panic message would show up among the test output.
    config.stderr = WorkerStderr::Discard;
    let pool = PdfWorkers::start(config).unwrap();
    let document = open(&pool, PACKET_SUBMISSION);
    // A panic inside pdfium-render leaves its process-wide lock poisoned: that worker's PDFium
    // would fail every later call. The request still gets its own answer, and no crash is
    // counted; the worker then leaves, and the next request gets a fresh one.
    let error = document.inject_fault(Fault::Panic).unwrap_err();
    assert_eq!(error.code(), "engine_failure", "{error}");
    assert_eq!(
        document.render(0, RenderSize::Dpi(36.0)).unwrap().width,
        298
    );
    let stats = pool.stats();
    assert_eq!(
        (stats.started, stats.crashed, stats.retired),
        (2, 0, 1),
        "{stats:?}"
    );
}

#[test]
fn a_decompression_bomb_costs_a_worker_not_the_machine() {
    // 5 KB that inflate to 3 GiB when PDFium reads page 1 (see tests/hostile).
    let bomb =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/hostile/decompression-bomb.pdf");
    let mut config = config(1);
    config.memory_limit = Some(512 << 20);
    config.stderr = WorkerStderr::Discard;
    let pool = PdfWorkers::start(config).unwrap();

    let started = Instant::now();
    let error = refusal(&pool, &bomb, None);
    eprintln!(
        "timing: the bomb was stopped after {:?}: {error}",
        started.elapsed()
    );
    assert_eq!(error.code(), "engine_crashed", "{error}");
    assert!(
        started.elapsed() < Deadlines::default().open,
        "the memory limit stops it before any deadline would"
    );

    let document = open(&pool, DRAFT_RESOLUTION);
    assert_eq!(document.page_count(), 4, "the next paper opens as usual");
    assert_eq!(pool.stats().crashed, 1);
}

#[test]
fn two_workers_render_one_document_in_parallel() {
    let pool = pool(2);
    let document = open(&pool, "packet/90-tai-lieu-tong-hop-lon.pdf");
    let engine = PdfEngine::bind().unwrap_or_else(|error| panic!("{error}"));
    let local = engine
        .open_path(&fixture("packet/90-tai-lieu-tong-hop-lon.pdf"), None)
        .unwrap();
    let pages: Vec<u32> = (0..12).collect();

    let started = Instant::now();
    for page in &pages {
        document.render(*page, RenderSize::Dpi(100.0)).unwrap();
    }
    let one_at_a_time = started.elapsed();

    let started = Instant::now();
    let rendered = std::thread::scope(|scope| {
        let threads: Vec<_> = pages
            .chunks(3)
            .map(|chunk| {
                let document = &document;
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|page| (*page, document.render(*page, RenderSize::Dpi(100.0))))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        threads
            .into_iter()
            .flat_map(|thread| thread.join().unwrap())
            .collect::<Vec<_>>()
    });
    let four_threads = started.elapsed();
    eprintln!(
        "timing: 12 pages at 100 dpi on 2 workers: {one_at_a_time:?} one at a time, {four_threads:?} from 4 threads"
    );

    assert_eq!(rendered.len(), pages.len());
    for (page, result) in rendered {
        let result = result.unwrap_or_else(|error| panic!("page {}: {error}", page + 1));
        assert!(
            result == local.render_page(page, 100.0).unwrap(),
            "page {} differs from the in-process render",
            page + 1
        );
    }
    assert_eq!(pool.stats().crashed, 0);
}

#[test]
fn refused_files_come_back_with_their_codes() {
    let pool = pool(1);
    let cases = [
        ("bad/empty.pdf", None, "empty_file"),
        ("bad/not-a-pdf.pdf", None, "not_a_pdf"),
        ("bad/truncated-half.pdf", None, "corrupt"),
        ("bad/garbage-after-header.pdf", None, "corrupt"),
        ("bad/password-matkhau.pdf", None, "password_required"),
        ("bad/password-matkhau.pdf", Some("sai"), "wrong_password"),
        ("bad/there-is-no-such-file.pdf", None, "io"),
    ];
    for (relative, password, code) in cases {
        let error = refusal(&pool, &fixture(relative), password);
        assert_eq!(error.code(), code, "{relative}: {error}");
    }
    let missing = refusal(&pool, &fixture("bad/there-is-no-such-file.pdf"), None);
    assert!(
        missing.to_string().contains("there-is-no-such-file.pdf")
            && missing.to_string().contains("No such file"),
        "the worker's IO error arrives whole: {missing}"
    );

    let locked = pool
        .open_path(&fixture("bad/password-matkhau.pdf"), Some("matkhau"))
        .unwrap();
    assert!(locked.info().encrypted);
    assert!(locked.page_text(0).unwrap().contains("DỰ THẢO NGHỊ QUYẾT"));
    let error = locked.render(4, RenderSize::Dpi(72.0)).unwrap_err();
    assert_eq!(error.code(), "page_out_of_range");
    assert_eq!(
        error.to_string(),
        "page 5 does not exist: the document has 4 pages"
    );
    assert_eq!(pool.stats().crashed, 0, "refusals never cost a worker");
}

#[test]
fn a_file_that_changed_on_disk_is_not_reopened_in_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("paper.pdf");
    std::fs::copy(fixture(PACKET_SUBMISSION), &path).unwrap();
    let pool = pool(1);
    let document = pool.open_path(&path, None).unwrap();
    document.render(0, RenderSize::Dpi(36.0)).unwrap();

    // The secretary replaces the paper while a delegate has it open, and the worker dies.
    std::fs::copy(fixture(DRAFT_RESOLUTION), &path).unwrap();
    document.inject_fault(Fault::Crash).unwrap_err();
    let error = document.render(0, RenderSize::Dpi(36.0)).unwrap_err();
    assert_eq!(error.code(), "document_changed", "{error}");

    let reopened = pool.open_path(&path, None).unwrap();
    assert_eq!(reopened.page_count(), 4, "opening again shows the new file");
}

#[test]
fn a_file_too_large_to_open_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scan-at-1200-dpi.pdf");
    // Sparse: two gigabytes on paper, nothing on disk.
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(2 << 30).unwrap();
    let pool = pool(1);
    let started = Instant::now();
    let error = refusal(&pool, &path, None);
    assert_eq!(error.code(), "file_too_large", "{error}");
    assert!(error.to_string().contains("2147 MB"), "{error}");
    assert!(started.elapsed() < Duration::from_secs(1), "not read first");
    assert_eq!(pool.stats().crashed, 0);
}

#[test]
fn a_missing_worker_program_is_reported_when_the_pool_starts() {
    let mut config = config(1);
    config.program = PathBuf::from("/nonexistent/ecabinet-pdf");
    let error = PdfWorkers::start(config).unwrap_err();
    assert_eq!(error.code(), "worker_unavailable");
    assert!(
        error.to_string().contains("/nonexistent/ecabinet-pdf"),
        "{error}"
    );

    // A program that is not a worker at all.
    let mut not_a_worker = self::config(1);
    not_a_worker.program = PathBuf::from("/bin/true");
    let error = PdfWorkers::start(not_a_worker).unwrap_err();
    assert_eq!(error.code(), "worker_unavailable", "{error}");
}

#[test]
fn workers_without_pdfium_say_so() {
    let mut config = config(1);
    config.pdfium = Some(PathBuf::from("/nonexistent/libpdfium.so"));
    config.stderr = WorkerStderr::Discard;
    let error = PdfWorkers::start(config).unwrap_err();
    assert_eq!(error.code(), "engine_unavailable", "{error}");
    assert!(
        error.to_string().contains("/nonexistent/libpdfium.so"),
        "{error}"
    );
}

#[test]
fn a_reader_gets_the_same_text_layer_and_outline_from_a_worker_as_in_process() {
    let pool = pool(1);
    let document = open(&pool, PACKET_SUBMISSION);
    let engine = PdfEngine::bind().unwrap_or_else(|error| panic!("{error}"));
    let local = engine.open_path(&fixture(PACKET_SUBMISSION), None).unwrap();

    let started = Instant::now();
    let layout = document.page_text_layout(0).unwrap();
    eprintln!(
        "timing: layout of page 1 through a worker {:?} ({} characters)",
        started.elapsed(),
        layout.boxes.len()
    );
    assert_eq!(
        layout,
        local.page_text_layout(0).unwrap(),
        "boxes cross the pipe exactly"
    );
    assert_eq!(
        layout.text,
        document.page_text(0).unwrap(),
        "a search hit's character index in the page text is its index among the boxes"
    );
    assert_eq!(layout.boxes.len(), layout.text.chars().count());
    assert_eq!(
        document.outline().unwrap(),
        [],
        "the submission has no bookmarks"
    );

    // A turned page and an outline, from bytes this test wrote.
    let turned = pool.open_bytes(tiny_pdf::rotated_page(90), None).unwrap();
    let local_turned = engine.open_bytes(tiny_pdf::rotated_page(90), None).unwrap();
    assert_eq!(
        turned.page_text_layout(0).unwrap(),
        local_turned.page_text_layout(0).unwrap()
    );
    let entries = [
        format!(
            "<< /Title {} /First {} /Dest [{} /Fit] >>",
            tiny_pdf::text_string("Chương I"),
            tiny_pdf::entry_ref(2, 1),
            tiny_pdf::page_ref(0)
        ),
        format!(
            "<< /Title (Dieu 1) /Dest [{} /Fit] >>",
            tiny_pdf::page_ref(1)
        ),
    ];
    let bytes = tiny_pdf::with_outline(2, &entries);
    let outlined = pool.open_bytes(bytes.clone(), None).unwrap();
    let outline = outlined.outline().unwrap();
    assert_eq!(
        outline,
        engine.open_bytes(bytes, None).unwrap().outline().unwrap()
    );
    assert_eq!(outline.len(), 2, "{outline:?}");
    assert_eq!((outline[1].page, outline[1].depth), (Some(1), 1));
}

#[test]
fn layout_and_outline_survive_a_worker_crash_like_the_rest() {
    let pool = pool(1);
    let document = open(&pool, PACKET_SUBMISSION);
    let before = document.page_text_layout(1).unwrap();

    document.inject_fault(Fault::Crash).unwrap_err();
    // The replacement worker opens the document again for the next request.
    assert_eq!(document.page_text_layout(1).unwrap(), before);
    document.inject_fault(Fault::Crash).unwrap_err();
    assert_eq!(document.outline().unwrap(), []);

    let error = document.page_text_layout(10).unwrap_err();
    assert_eq!(error.code(), "page_out_of_range", "{error}");
    let stats = pool.stats();
    assert_eq!((stats.started, stats.crashed), (3, 2), "{stats:?}");
}

#[test]
fn workers_outlive_the_thread_that_started_them() {
    // As in the app, where the pool starts on one of tokio's blocking threads, which end after
    // ten idle seconds: Linux's parent-death signal follows the spawning thread, not the process.
    let (pool, document) = std::thread::spawn(|| {
        let pool = pool(1);
        let document = open(&pool, PACKET_SUBMISSION);
        (pool, document)
    })
    .join()
    .expect("the starting thread");
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        !document.page_text(0).unwrap().is_empty(),
        "the open document still reads"
    );
    let stats = pool.stats();
    assert_eq!(
        (stats.started, stats.crashed),
        (1, 0),
        "the worker that opened the document still serves it: none died with the thread, none was started again"
    );
}

#[test]
fn a_second_worker_starts_only_when_requests_overlap() {
    let pool = pool(2);
    assert_eq!(
        pool.stats().started,
        1,
        "one worker is enough to start with"
    );
    for _ in 0..3 {
        let document = open(&pool, PACKET_SUBMISSION);
        assert!(!document.page_text(0).unwrap().is_empty());
    }
    assert_eq!(
        pool.stats().started,
        1,
        "papers read one after another are read by the worker already running"
    );
    let first = open(&pool, PACKET_SUBMISSION);
    let second = open(&pool, DRAFT_RESOLUTION);
    std::thread::scope(|scope| {
        scope.spawn(|| first.render(0, RenderSize::Dpi(72.0)).unwrap());
        scope.spawn(|| second.render(0, RenderSize::Dpi(72.0)).unwrap());
    });
    assert_eq!(
        pool.stats().started,
        2,
        "two papers open at once get a worker each"
    );
}

#[test]
fn a_paper_must_allow_printing_and_copying() {
    let pool = pool(1);
    let submission = open(&pool, PACKET_SUBMISSION);
    assert_eq!(
        ecabinet_pdf::accept_as_paper(submission.info()),
        Ok(()),
        "an ordinary submission is a paper"
    );
    let locked = open(&pool, "bad/owner-locked-no-print.pdf");
    assert_eq!(
        ecabinet_pdf::accept_as_paper(locked.info()),
        Err(ecabinet_pdf::PaperRefusal::Restricted),
        "it opens without a password but forbids printing: delegates could not print it"
    );
}

#[test]
fn the_annotations_inside_a_file_cross_the_pipe_as_read_in_process_and_survive_a_crash() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(
        "../../../shared/corpus/realworld/annotation-polyline-polygon-without-appearance.pdf",
    );
    let pool = pool(1);
    let document = pool.open_path(&path, None).unwrap();
    let engine = PdfEngine::bind().unwrap_or_else(|error| panic!("{error}"));
    let local = engine
        .open_path(&path, None)
        .unwrap()
        .annotations()
        .unwrap();

    let annotations = document.annotations().unwrap();
    assert_eq!(annotations, local, "every field crosses the pipe exactly");
    let kinds: Vec<&str> = annotations.iter().map(|found| found.kind.name()).collect();
    assert_eq!(kinds, ["polygon", "popup", "polyline", "popup"]);
    assert_eq!(annotations[2].contents.as_deref(), Some("Polyline content"));

    document.inject_fault(Fault::Crash).unwrap_err();
    // The replacement worker opens the document again and reads the same annotations.
    assert_eq!(document.annotations().unwrap(), local);
    assert_eq!(
        open(&pool, PACKET_SUBMISSION).annotations().unwrap(),
        [],
        "the submission has none"
    );
}
