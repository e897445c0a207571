//! The search indexer against real PDF workers (the app's worker role, as its own
//! executable runs it) made to crash: a paper the engine cannot read is tried again, later and later, and
//! after the last try it is listed as one that could not be read, never as a scan without
//! text.

use ecabinet_app::paper_reading::{AfterFailure, FailedReads, READ_RETRIES, read_pages};
use ecabinet_pdf::{Fault, PdfEngine, PdfWorkers, WorkerConfig};
use ecabinet_search::SearchIndex;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const SUBMISSION: &str = "packet/01-to-trinh-du-toan-ngan-sach-2027.pdf";

fn fixture(relative: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures")
        .join(relative);
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Workers as the app starts them: its own executable, with the PDFium it bound.
fn workers() -> PdfWorkers {
    let engine = PdfEngine::bind().unwrap_or_else(|e| panic!("{e}"));
    let mut config = WorkerConfig::new(env!("CARGO_BIN_EXE_ecabinet-app-pdf-worker"));
    config.workers = 1;
    config.pdfium = Some(engine.library_path().to_owned());
    PdfWorkers::start(config).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn tries_are_spaced_out_four_times_longer_each_time_then_given_up() {
    let mut failed = FailedReads::default();
    let start = Instant::now();
    let key = "a".repeat(64);
    let mut delays = Vec::new();
    let mut now = start;
    while let AfterFailure::RetryIn(delay) = failed.failed(&key, now, READ_RETRIES) {
        assert!(failed.waiting(&key, now), "not tried again at once");
        assert!(
            !failed.waiting(&key, now + delay),
            "tried again when the delay is over"
        );
        assert_eq!(
            failed.next_retry(),
            Some(now + delay),
            "the indexer wakes then"
        );
        delays.push(delay);
        now += delay;
    }
    assert_eq!(
        delays,
        [30, 120, 480].map(Duration::from_secs),
        "30 s, 2 min and 8 min between the four tries"
    );
    assert_eq!(
        failed.failures(&key),
        0,
        "nothing left waiting once given up"
    );
    assert_eq!(failed.next_retry(), None);

    failed.failed(&key, now, READ_RETRIES);
    failed.succeeded(&key);
    assert!(
        !failed.waiting(&key, now),
        "a paper read at last is forgotten"
    );
}

#[test]
fn a_paper_whose_worker_crashes_on_every_try_is_listed_as_unreadable_not_as_a_scan() {
    let workers = workers();
    let bytes = fixture(SUBMISSION);
    let key = "b".repeat(64);
    let mut index = SearchIndex::open_in_memory().unwrap();
    let mut failed = FailedReads::default();
    let mut now = Instant::now();
    let mut tries = 0;

    // The indexer's loop, with the clock moved on to each retry instead of waiting for it.
    let reason = loop {
        tries += 1;
        let error = read_pages(&workers, bytes.clone(), Some(Fault::Crash))
            .expect_err("a worker that crashes has not read the paper");
        assert_eq!(error.code(), "engine_crashed", "{error}");
        match failed.failed(&key, now, READ_RETRIES) {
            AfterFailure::RetryIn(delay) => {
                assert!(
                    !index.contains(&key).unwrap(),
                    "nothing is recorded while tries remain, so the paper is tried again"
                );
                now += delay;
            }
            AfterFailure::GiveUp => break format!("{}: {error}", error.code()),
        }
    };
    index.record_unreadable(&key, &reason).unwrap();

    assert_eq!(tries, READ_RETRIES.attempts);
    assert!(
        index.unsearchable().unwrap().is_empty(),
        "not a scan without text"
    );
    assert_eq!(index.unreadable().unwrap(), [(key.clone(), reason.clone())]);
    assert!(
        reason.starts_with("engine_crashed: the PDF engine stopped"),
        "the reason says what happened: {reason}"
    );

    // The crashed workers were replaced: the same paper reads normally without the fault.
    let pages = read_pages(&workers, bytes, None).expect("a fresh worker reads the paper");
    assert_eq!(pages.len(), 10, "the submission has ten pages");
    assert!(
        pages[0].contains("Số: 112/TTr-UBND"),
        "its first page carries the submission's number: {}",
        pages[0]
    );
}
