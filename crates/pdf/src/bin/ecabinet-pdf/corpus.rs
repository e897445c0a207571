//! `ecabinet-pdf corpus DIR`: puts every file in a folder through what the app does with a new
//! paper (open it, render page 1, extract the text of page 1, lay out that text for the
//! reader, read the outline) on a worker pool, and counts how each file fared. It is how we
//! check that a few hundred odd and malformed real-world PDFs cannot hurt the app.
//!
//! What counts as what, per file (the first step that fails decides):
//! - **opened**: every step worked.
//! - **refused**: a step failed with a [`PdfError`] the app shows as a clear message. This
//!   includes `engine_crashed`: PDFium died on the file, the worker was replaced and the next
//!   file went on as usual, which is the isolation doing its job; the summary shows how many
//!   of the refusals these were, so that they are never hidden among damaged files.
//! - **crashed**: the isolation failed: handling the file panicked in this process, or the pool
//!   could not replace a worker afterwards (`worker_unavailable`, `engine_unavailable`), so the
//!   app would have been hurt.
//! - **timed out**: a worker was killed at its deadline. Contained too, but a delegate waiting
//!   that long for a page is a bug to fix, not a refusal.
//! - **inconsistent**: every step answered, but the answers disagree with what the engine
//!   promises (a layout whose text is not the page's text, or whose boxes do not match its
//!   characters one for one or leave the page; an outline entry pointing past the last page).
//!   A bug in this crate, whatever the file.
//!
//! The exit status is 1 when anything crashed, timed out or was inconsistent, so CI can run it.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use clap::Args;
use ecabinet_pdf::{PdfError, PdfWorkers, RenderSize, TextLayout};

#[derive(Args)]
pub struct CorpusArgs {
    /// The folder of files to try (searched recursively).
    dir: PathBuf,
    /// How long PDFium may work on one request (open, render, text) before it is stopped
    /// (CPU time, on Linux).
    #[arg(long, default_value_t = 5_000)]
    timeout_ms: u64,
    /// How many files to work on at once (one worker process each); default: one per core.
    #[arg(long)]
    jobs: Option<usize>,
    /// Resolution for rendering page 1.
    #[arg(long, default_value_t = 72.0)]
    dpi: f32,
    /// The most memory one worker may use, in MiB (default: the pool's, 2048).
    #[arg(long)]
    memory_limit_mb: Option<u64>,
    /// Also list the N slowest files.
    #[arg(long, default_value_t = 0)]
    slowest: usize,
    /// Render and extract every page, not only page 1 (what indexing a paper for search does).
    #[arg(long)]
    all_pages: bool,
}

#[derive(Debug)]
enum Outcome {
    Opened,
    Refused { step: String, error: PdfError },
    Crashed { step: String, reason: String },
    TimedOut { step: String, error: PdfError },
    Inconsistent { step: String, problem: String },
}

struct Tried {
    file: PathBuf,
    outcome: Outcome,
    took: Duration,
}

pub fn run(args: &CorpusArgs) -> ExitCode {
    let started = Instant::now();
    let files = match files_in(&args.dir) {
        Ok(files) => files,
        Err(error) => {
            eprintln!("error[io]: cannot list {}: {error}", args.dir.display());
            return ExitCode::FAILURE;
        }
    };
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
        .max(1);
    let memory_limit = args.memory_limit_mb.map(|mib| mib << 20);
    let workers = match crate::workers(jobs, Duration::from_millis(args.timeout_ms), memory_limit) {
        Ok(workers) => workers,
        Err(error) => {
            eprintln!(
                "error[{}]: {}",
                error.code(),
                crate::one_line(&error.to_string())
            );
            return ExitCode::FAILURE;
        }
    };

    let next = AtomicUsize::new(0);
    let tried = Mutex::new(Vec::with_capacity(files.len()));
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| {
                while let Some(file) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let one = try_file(&workers, file, args);
                    report(&args.dir, &one);
                    tried
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .push(one);
                }
            });
        }
    });
    let mut tried = tried
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);

    let count =
        |matches: fn(&Outcome) -> bool| tried.iter().filter(|t| matches(&t.outcome)).count();
    let opened = count(|o| matches!(o, Outcome::Opened));
    let refused = count(|o| matches!(o, Outcome::Refused { .. }));
    let engine_crashed =
        count(|o| matches!(o, Outcome::Refused { error, .. } if error.code() == "engine_crashed"));
    let crashed = count(|o| matches!(o, Outcome::Crashed { .. }));
    let timed_out = count(|o| matches!(o, Outcome::TimedOut { .. }));
    let inconsistent = count(|o| matches!(o, Outcome::Inconsistent { .. }));

    if args.slowest > 0 {
        tried.sort_by_key(|t| std::cmp::Reverse(t.took));
        for t in tried.iter().take(args.slowest) {
            println!(
                "slow: {} took {} ms",
                name(&args.dir, &t.file),
                t.took.as_millis()
            );
        }
    }
    let stats = workers.stats();
    println!(
        "summary: files {}, opened {opened}, refused {refused} (engine_crashed {engine_crashed}), crashed {crashed}, timed out {timed_out}, inconsistent {inconsistent}, workers started {}, in {:.1} s",
        files.len(),
        stats.started,
        started.elapsed().as_secs_f64()
    );
    if crashed + timed_out + inconsistent > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn try_file(workers: &PdfWorkers, file: &Path, args: &CorpusArgs) -> Tried {
    let started = Instant::now();
    let outcome =
        catch_unwind(AssertUnwindSafe(|| steps(workers, file, args))).unwrap_or_else(|panic| {
            Outcome::Crashed {
                step: "handling the file".to_owned(),
                reason: format!(
                    "this process panicked: {}",
                    panic
                        .downcast_ref::<&str>()
                        .map(|s| (*s).to_owned())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_default()
                ),
            }
        });
    Tried {
        file: file.to_path_buf(),
        outcome,
        took: started.elapsed(),
    }
}

fn steps(workers: &PdfWorkers, file: &Path, args: &CorpusArgs) -> Outcome {
    let document = match workers.open_path(file, None) {
        Ok(document) => document,
        Err(error) => return judge("opening".into(), error),
    };
    let pages = if args.all_pages {
        document.page_count()
    } else {
        1
    };
    for index in 0..pages {
        let step = format!("rendering page {}", index + 1);
        match document.render(index, RenderSize::Dpi(args.dpi)) {
            Ok(page) if page.rgba.len() != page.width as usize * page.height as usize * 4 => {
                return Outcome::Crashed {
                    step,
                    reason: format!(
                        "{} bytes of pixels for {} x {}",
                        page.rgba.len(),
                        page.width,
                        page.height
                    ),
                };
            }
            Ok(_) => {}
            Err(error) => return judge(step, error),
        }
        let text = match document.page_text(index) {
            Ok(text) => text,
            Err(error) => {
                return judge(format!("extracting the text of page {}", index + 1), error);
            }
        };
        // What a reader asks for first: the text layer of the page on screen.
        if index == 0 {
            let step = "laying out the text of page 1".to_owned();
            match document.page_text_layout(index) {
                Ok(layout) => {
                    if let Some(problem) = layout_problem(&layout, &text) {
                        return Outcome::Inconsistent { step, problem };
                    }
                }
                Err(error) => return judge(step, error),
            }
        }
    }
    let step = "reading the outline".to_owned();
    match document.outline() {
        Ok(entries) => {
            let page_count = document.page_count();
            if let Some(entry) = entries.iter().find(|entry| {
                entry.page.is_some_and(|page| page >= page_count) || entry.depth >= 32
            }) {
                return Outcome::Inconsistent {
                    step,
                    problem: format!("{entry:?} in a document of {page_count} pages"),
                };
            }
        }
        Err(error) => return judge(step, error),
    }
    Outcome::Opened
}

/// What is wrong with a page's layout, given the page's text, if anything.
fn layout_problem(layout: &TextLayout, text: &str) -> Option<String> {
    if layout.text != text {
        return Some("its text is not the page's text".to_owned());
    }
    let chars = layout.text.chars().count();
    if layout.boxes.len() != chars {
        return Some(format!(
            "{} boxes for {chars} characters",
            layout.boxes.len()
        ));
    }
    let within = |side: f32| (0.0..=1.0).contains(&side);
    layout
        .boxes
        .iter()
        .position(|b| {
            ![b.left, b.top, b.right, b.bottom].into_iter().all(within)
                || b.left > b.right
                || b.top > b.bottom
        })
        .map(|at| format!("box {at} is not within the page: {:?}", layout.boxes[at]))
}

fn judge(step: String, error: PdfError) -> Outcome {
    match error {
        PdfError::TimedOut { .. } => Outcome::TimedOut { step, error },
        // The pool could not put a worker back: every later file would fail too.
        PdfError::WorkerUnavailable { .. } | PdfError::EngineUnavailable { .. } => {
            Outcome::Crashed {
                step,
                reason: format!(
                    "error[{}]: {}",
                    error.code(),
                    crate::one_line(&error.to_string())
                ),
            }
        }
        error => Outcome::Refused { step, error },
    }
}

fn report(dir: &Path, tried: &Tried) {
    let name = name(dir, &tried.file);
    let line = match &tried.outcome {
        Outcome::Opened => return,
        Outcome::Refused { step, error } => format!(
            "refused while {step}: error[{}]: {}",
            error.code(),
            crate::one_line(&error.to_string())
        ),
        Outcome::Crashed { step, reason } => format!("CRASHED while {step}: {reason}"),
        Outcome::TimedOut { step, error } => format!(
            "TIMED OUT while {step}: error[{}]: {}",
            error.code(),
            crate::one_line(&error.to_string())
        ),
        Outcome::Inconsistent { step, problem } => format!("INCONSISTENT while {step}: {problem}"),
    };
    println!("{name}: {line}");
}

fn name(dir: &Path, file: &Path) -> String {
    file.strip_prefix(dir)
        .unwrap_or(file)
        .to_string_lossy()
        .into_owned()
}

/// Every regular file under `dir`, sorted, so two runs list failures in the same order.
fn files_in(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            if kind.is_dir() {
                folders.push(entry.path());
            } else if kind.is_file() {
                files.push(entry.path());
            }
        }
    }
    files.sort();
    Ok(files)
}
