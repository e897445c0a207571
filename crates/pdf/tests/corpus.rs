//! `ecabinet-pdf corpus` over the shared real-world corpus (several hundred odd and malformed
//! PDFs from public test suites) and over this crate's own hostile files: nothing may crash
//! the isolation or run into a deadline, whether rendering, extracting or laying out text, or
//! reading the outline.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::Instant;

/// The runs take turns: each keeps every core busy, and it is easier to read what each took.
static ONE_RUN_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Runs the corpus command and returns its summary line, after checking its exit status.
fn corpus(dir: &Path, extra: &[&str]) -> String {
    let _turn = ONE_RUN_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_ecabinet-pdf"))
        .arg("corpus")
        .arg(dir)
        .args(extra)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    eprintln!(
        "{stdout}timing: corpus {} in {:?}",
        dir.display(),
        started.elapsed()
    );
    let summary = stdout
        .lines()
        .find(|line| line.starts_with("summary: "))
        .unwrap_or_else(|| panic!("no summary in:\n{stdout}"))
        .to_owned();
    assert!(
        output.status.success(),
        "the corpus command fails only when something crashed or timed out: {summary}"
    );
    summary
}

/// The number after `what` in the summary, where `what` starts a word.
fn count(summary: &str, what: &str) -> usize {
    let at = [" ", "("]
        .iter()
        .find_map(|before| summary.find(&format!("{before}{what} ")))
        .unwrap_or_else(|| panic!("no {what:?} in {summary:?}"));
    summary[at + what.len() + 2..]
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|digits| digits.parse().ok())
        .unwrap_or_else(|| panic!("no count after {what:?} in {summary:?}"))
}

#[test]
fn the_real_world_corpus_neither_crashes_nor_hangs_the_engine() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/realworld");
    if !dir.is_dir() {
        eprintln!(
            "note: {} is absent, so the real-world corpus was not tried",
            dir.display()
        );
        return;
    }
    let summary = corpus(&dir, &[]);
    assert_eq!(count(&summary, "crashed"), 0, "{summary}");
    assert_eq!(count(&summary, "timed out"), 0, "{summary}");
    assert_eq!(
        count(&summary, "inconsistent"),
        0,
        "every page 1 laid out has one box per character of its text, on the page, and every bookmark goes to a page that exists: {summary}"
    );
    assert_eq!(
        count(&summary, "engine_crashed"),
        0,
        "no file of the corpus is known to kill PDFium; a new one should be looked at: {summary}"
    );
    let files = count(&summary, "files");
    assert!(files > 400, "{summary}");
    assert!(
        count(&summary, "opened") * 100 / files >= 95,
        "PDFium opens the vast majority of real-world files: {summary}"
    );
}

#[test]
fn hostile_files_are_contained_and_reported() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/hostile");
    // A low memory limit stops the bomb within a second instead of after 2 GiB.
    let summary = corpus(&dir, &["--jobs", "1", "--memory-limit-mb", "256"]);
    // The decompression bomb kills its worker on the memory limit; that is a refusal with the
    // code engine_crashed, and the run goes on.
    assert_eq!(count(&summary, "files"), 1, "{summary}");
    assert_eq!(count(&summary, "engine_crashed"), 1, "{summary}");
    assert_eq!(count(&summary, "crashed"), 0, "{summary}");
    assert_eq!(count(&summary, "timed out"), 0, "{summary}");
}
