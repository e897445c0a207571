//! Render and text benchmark of the PDF engine over the session packet, beside poppler's
//! `pdftoppm` and MuPDF's `mutool draw` on the same pages in the same run. It prints figures and
//! asserts nothing (the tests do that).
//!
//! Run with `make bench-pdf`, or `cargo bench -p ecabinet-pdf --bench render -- [PACKET_DIR]
//! [--every N] [--rounds N]` (PACKET_DIR defaults to the shared fixtures' packet).
//!
//! How the comparison is kept fair is printed with the figures; in short:
//! - per page: ours is timed around one render call (in process), or from request to pixels
//!   in the caller (through a worker). The other tools cannot be timed inside, so each page is
//!   one process run (`-f N -l N`), minus the median run of the same tool on a blank one-page
//!   PDF at 1 dpi: process start and library set-up. What remains still includes opening the
//!   document, which ours does not (about 1-5 ms), so their per-page figures lean slightly high.
//! - whole documents: every tool renders every page of each document in one go, process start
//!   and opening included, and the time is divided by the page count. Nothing is subtracted,
//!   so this is the comparison to trust when the two disagree.
//! - outputs: ours hands out RGBA pixels in memory; pdftoppm and mutool write PPM (raw RGB) to
//!   /dev/null, the cheapest output each offers. No PNG is encoded anywhere.
//! - memory: the pool starts its workers with glibc's allocator told to keep page-sized
//!   buffers (see `MALLOC_TUNABLES` in src/pool.rs); the benchmark runs itself, and so every
//!   renderer it starts, with the same setting, so that all of them pay the same for memory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ecabinet_pdf::{PdfEngine, PdfWorkers, RenderSize, WorkerConfig};

const DPI: f32 = 150.0;
/// A laptop screen at 100 % zoom, for the time to the first page.
const SCREEN_DPI: f32 = 96.0;
const LARGE_DOCUMENT: &str = "90-tai-lieu-tong-hop-lon.pdf";

struct Options {
    packet: PathBuf,
    /// In documents longer than 50 pages, time every Nth page per page (all pages for the
    /// whole-document figures).
    every: u32,
    /// Renders of each page, for ours, per page.
    rounds: u32,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Kind {
    /// Has a text layer: typed documents.
    Text,
    /// No text layer: scans, a picture of a page.
    Image,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Self::Text => "text pages",
            Self::Image => "image pages (scans)",
        }
    }
}

struct Paper {
    path: PathBuf,
    name: String,
    page_count: u32,
    /// The kind of each page.
    kinds: Vec<Kind>,
}

/// A page to time per page: (paper index, zero-based page index).
type PageRef = (usize, u32);

/// The same as the pool's `MALLOC_TUNABLES` (src/pool.rs).
const MALLOC_TUNABLES: (&str, &str) = (
    "GLIBC_TUNABLES",
    "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456",
);

fn main() {
    if std::env::var_os(MALLOC_TUNABLES.0).is_none() {
        // Run again with the workers' allocator settings (read only when a process starts).
        let status = Command::new(std::env::current_exe().unwrap())
            .args(std::env::args_os().skip(1))
            .env(MALLOC_TUNABLES.0, MALLOC_TUNABLES.1)
            .status()
            .unwrap_or_else(|error| fail(&format!("cannot run again: {error}")));
        std::process::exit(status.code().unwrap_or(1));
    }
    let options = parse_options();
    let engine = PdfEngine::bind().unwrap_or_else(|error| fail(&error.to_string()));
    let papers = load_papers(&engine, &options.packet);
    let sample: Vec<PageRef> = papers
        .iter()
        .enumerate()
        .flat_map(|(paper, p)| {
            let step = if p.page_count > 50 { options.every } else { 1 };
            (0..p.page_count)
                .step_by(step as usize)
                .map(move |page| (paper, page))
        })
        .collect();
    let total_pages: u32 = papers.iter().map(|p| p.page_count).sum();
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    println!(
        "PDF engine benchmark: {} at {DPI} dpi",
        options.packet.display()
    );
    println!(
        "{} documents, {total_pages} pages; per-page figures on {} of them (every page of short documents, every {}th of longer ones), {} round(s) each for ours; {cores} cores; load average {}",
        papers.len(),
        sample.len(),
        options.every,
        options.rounds,
        load_average()
    );
    for paper in &papers {
        let images = paper.kinds.iter().filter(|k| **k == Kind::Image).count();
        println!(
            "  {:<45} {:>4} pages, {:>3} without text layer",
            paper.name, paper.page_count, images
        );
    }

    let workers = start_workers(1);
    let mut per_page: BTreeMap<&str, BTreeMap<Kind, Vec<Duration>>> = BTreeMap::new();

    println!("\n== Per page ==");
    let in_process = timed_in_process(&engine, &papers, &sample, options.rounds);
    per_page.insert("ecabinet in process", in_process);
    let through_worker = timed_through_worker(&workers, &papers, &sample, options.rounds);
    per_page.insert("ecabinet via worker", through_worker);
    let blank = BlankPdf::new();
    for tool in Tool::ALL {
        if !tool.available() {
            println!(
                "{} not found: install {} (scripts/setup.sh does)",
                tool.name, tool.package
            );
            continue;
        }
        per_page.insert(tool.name, tool.per_page(&papers, &sample, &blank));
    }
    print_per_page(&per_page);

    println!("\n== Whole documents (every page, process start and opening included) ==");
    whole_documents(&engine, &workers, &papers);

    println!("\n== Open to first page: {LARGE_DOCUMENT} at {SCREEN_DPI} dpi ==");
    first_page(&engine, &workers, &options.packet.join(LARGE_DOCUMENT));

    println!("\n== Text extraction, every page of the packet ==");
    text_throughput(&engine, &papers, cores);

    println!("\n== Rendering in parallel, every page of the packet at {DPI} dpi ==");
    parallel_render(&papers, cores);
}

fn parse_options() -> Options {
    let mut options = Options {
        packet: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/packet"),
        every: 10,
        rounds: 3,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> u32 {
            args.next()
                .and_then(|value| value.parse().ok())
                .filter(|value| *value > 0)
                .unwrap_or_else(|| fail(&format!("{name} needs a positive number")))
        };
        match arg.as_str() {
            // `cargo bench` passes this to every benchmark binary.
            "--bench" => {}
            "--every" => options.every = number("--every"),
            "--rounds" => options.rounds = number("--rounds"),
            _ if arg.starts_with("--") => fail(&format!("unknown option {arg}")),
            _ => options.packet = PathBuf::from(arg),
        }
    }
    options
}

fn fail(message: &str) -> ! {
    eprintln!("pdf bench: {message}");
    std::process::exit(2)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned())
}

fn load_papers(engine: &PdfEngine, dir: &Path) -> Vec<Paper> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|error| fail(&format!("cannot list {}: {error}", dir.display())))
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "pdf"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        fail(&format!("no PDF in {}", dir.display()));
    }
    paths
        .into_iter()
        .map(|path| {
            let document = engine
                .open_path(&path, None)
                .unwrap_or_else(|error| fail(&format!("{}: {error}", path.display())));
            let page_count = document.page_count();
            let kinds = (0..page_count)
                .map(|page| {
                    let text = document.page_text(page).unwrap_or_default();
                    if text.chars().any(|c| !c.is_whitespace()) {
                        Kind::Text
                    } else {
                        Kind::Image
                    }
                })
                .collect();
            Paper {
                name: path
                    .file_name()
                    .map(|name| name.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                path,
                page_count,
                kinds,
            }
        })
        .collect()
}

fn start_workers(count: usize) -> PdfWorkers {
    let mut config = WorkerConfig::new(env!("CARGO_BIN_EXE_ecabinet-pdf"));
    config.workers = count;
    config.workers_per_document = count;
    PdfWorkers::start(config).unwrap_or_else(|error| fail(&error.to_string()))
}

fn timed_in_process(
    engine: &PdfEngine,
    papers: &[Paper],
    sample: &[PageRef],
    rounds: u32,
) -> BTreeMap<Kind, Vec<Duration>> {
    let documents: Vec<_> = papers
        .iter()
        .map(|paper| engine.open_path(&paper.path, None).unwrap())
        .collect();
    let mut times: BTreeMap<Kind, Vec<Duration>> = BTreeMap::new();
    for _ in 0..rounds {
        for &(paper, page) in sample {
            let started = Instant::now();
            let pixels = documents[paper].render_page(page, DPI).unwrap();
            let took = started.elapsed();
            std::hint::black_box(pixels);
            times
                .entry(papers[paper].kinds[page as usize])
                .or_default()
                .push(took);
        }
    }
    times
}

fn timed_through_worker(
    workers: &PdfWorkers,
    papers: &[Paper],
    sample: &[PageRef],
    rounds: u32,
) -> BTreeMap<Kind, Vec<Duration>> {
    let documents: Vec<_> = papers
        .iter()
        .map(|paper| workers.open_path(&paper.path, None).unwrap())
        .collect();
    let mut times: BTreeMap<Kind, Vec<Duration>> = BTreeMap::new();
    for _ in 0..rounds {
        for &(paper, page) in sample {
            let started = Instant::now();
            let pixels = documents[paper].render(page, RenderSize::Dpi(DPI)).unwrap();
            let took = started.elapsed();
            std::hint::black_box(pixels);
            times
                .entry(papers[paper].kinds[page as usize])
                .or_default()
                .push(took);
        }
    }
    times
}

/// Pages `first..=last`, counted from 1; `None` for all.
type PageRange = Option<(u32, u32)>;

/// A command-line renderer to compare with.
struct Tool {
    name: &'static str,
    package: &'static str,
    program: &'static str,
    /// Arguments rendering pages `first..=last` of `file` at `dpi` to a sink.
    args: fn(file: &str, dpi: f32, pages: PageRange) -> Vec<String>,
}

impl Tool {
    const ALL: [Tool; 2] = [
        Tool {
            name: "pdftoppm",
            package: "poppler-utils",
            program: "pdftoppm",
            // Without an output root, pdftoppm writes PPM to stdout, which goes to /dev/null.
            args: |file, dpi, pages| {
                let mut args = vec!["-r".to_owned(), dpi.to_string()];
                if let Some((first, last)) = pages {
                    args.extend(["-f".to_owned(), first.to_string()]);
                    args.extend(["-l".to_owned(), last.to_string()]);
                }
                args.push(file.to_owned());
                args
            },
        },
        Tool {
            name: "mutool draw",
            package: "mupdf-tools",
            program: "mutool",
            args: |file, dpi, pages| {
                // RGB like pdftoppm's PPM: for PNM mutool would otherwise pick grey, a third
                // of the pixels to write.
                let mut args: Vec<String> = [
                    "draw",
                    "-q",
                    "-c",
                    "rgb",
                    "-F",
                    "pnm",
                    "-o",
                    "/dev/null",
                    "-r",
                ]
                .iter()
                .map(|arg| (*arg).to_owned())
                .collect();
                args.push(dpi.to_string());
                args.push(file.to_owned());
                if let Some((first, last)) = pages {
                    args.push(format!("{first}-{last}"));
                }
                args
            },
        },
    ];

    fn available(&self) -> bool {
        Command::new(self.program)
            .arg("-v")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok()
    }

    fn run(&self, file: &Path, dpi: f32, pages: PageRange) -> Duration {
        let file = file.to_string_lossy();
        let started = Instant::now();
        let status = Command::new(self.program)
            .args((self.args)(&file, dpi, pages))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap_or_else(|error| fail(&format!("{}: {error}", self.name)));
        let took = started.elapsed();
        if !status.success() {
            fail(&format!("{} failed on {file} ({status})", self.name));
        }
        took
    }

    fn per_page(
        &self,
        papers: &[Paper],
        sample: &[PageRef],
        blank: &BlankPdf,
    ) -> BTreeMap<Kind, Vec<Duration>> {
        let mut starts: Vec<Duration> = (0..11).map(|_| self.run(&blank.path, 1.0, None)).collect();
        let start = percentile(&mut starts, 50);
        println!(
            "{}: start-up measured as {} (median of 11 runs on a blank page at 1 dpi), subtracted below",
            self.name,
            ms(start)
        );
        let mut times: BTreeMap<Kind, Vec<Duration>> = BTreeMap::new();
        for &(paper, page) in sample {
            let one_based = page + 1;
            let took = self.run(&papers[paper].path, DPI, Some((one_based, one_based)));
            times
                .entry(papers[paper].kinds[page as usize])
                .or_default()
                .push(took.saturating_sub(start));
        }
        times
    }
}

/// A blank one-page A4 PDF in a temporary directory, to time a tool's start-up.
struct BlankPdf {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl BlankPdf {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("blank.pdf");
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ];
        let mut pdf = String::from("%PDF-1.4\n");
        let mut offsets = Vec::new();
        for (number, body) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.push_str(&format!("{} 0 obj\n{body}\nendobj\n", number + 1));
        }
        let xref = pdf.len();
        pdf.push_str(&format!(
            "xref\n0 {}\n0000000000 65535 f \n",
            objects.len() + 1
        ));
        for offset in offsets {
            pdf.push_str(&format!("{offset:010} 00000 n \n"));
        }
        pdf.push_str(&format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        ));
        std::fs::write(&path, pdf).unwrap();
        Self { _dir: dir, path }
    }
}

/// Nearest-rank percentile; sorts `samples`.
fn percentile(samples: &mut [Duration], percent: usize) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    samples.sort_unstable();
    let rank = (samples.len() * percent).div_ceil(100).max(1);
    samples[rank - 1]
}

fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

fn print_per_page(results: &BTreeMap<&str, BTreeMap<Kind, Vec<Duration>>>) {
    let ours = "ecabinet in process";
    let mut medians: BTreeMap<(&str, Kind), Duration> = BTreeMap::new();
    println!(
        "\n{:<22} {:<22} {:>8} {:>10} {:>10}",
        "renderer", "pages", "samples", "p50", "p95"
    );
    for kind in [Kind::Text, Kind::Image] {
        for (name, by_kind) in results {
            let Some(samples) = by_kind.get(&kind) else {
                continue;
            };
            let mut samples = samples.clone();
            let p50 = percentile(&mut samples, 50);
            let p95 = percentile(&mut samples, 95);
            medians.insert((name, kind), p50);
            println!(
                "{:<22} {:<22} {:>8} {:>10} {:>10}",
                name,
                kind.label(),
                samples.len(),
                ms(p50),
                ms(p95)
            );
        }
    }
    println!(
        "\nratios of p50 (time of the first / time of the second; below 1 means the first is faster):"
    );
    for kind in [Kind::Text, Kind::Image] {
        let Some(base) = medians.get(&(ours, kind)).copied() else {
            continue;
        };
        let worker = medians.get(&("ecabinet via worker", kind)).copied();
        let mut line = format!("  {:<20}", kind.label());
        if let Some(worker) = worker {
            line.push_str(&format!(" worker/in-process {:.2}", ratio(worker, base)));
        }
        for tool in ["pdftoppm", "mutool draw"] {
            if let Some(theirs) = medians.get(&(tool, kind)) {
                line.push_str(&format!("  in-process/{tool} {:.2}", ratio(base, *theirs)));
                if let Some(worker) = worker {
                    line.push_str(&format!("  worker/{tool} {:.2}", ratio(worker, *theirs)));
                }
            }
        }
        println!("{line}");
    }
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}

fn whole_documents(engine: &PdfEngine, workers: &PdfWorkers, papers: &[Paper]) {
    // Scanned documents on one line, typed ones on the other.
    let groups: [(&str, Vec<&Paper>); 2] = [
        (
            "typed documents",
            papers
                .iter()
                .filter(|p| p.kinds.iter().all(|k| *k == Kind::Text))
                .collect(),
        ),
        (
            "scanned documents",
            papers
                .iter()
                .filter(|p| p.kinds.contains(&Kind::Image))
                .collect(),
        ),
    ];
    println!(
        "{:<22} {:<20} {:>7} {:>11} {:>12}",
        "renderer", "documents", "pages", "total", "per page"
    );
    for (label, group) in &groups {
        let pages: u32 = group.iter().map(|p| p.page_count).sum();
        if pages == 0 {
            continue;
        }
        let mut rows: Vec<(&str, Duration)> = Vec::new();
        let started = Instant::now();
        for paper in group {
            let document = engine.open_path(&paper.path, None).unwrap();
            for page in 0..paper.page_count {
                std::hint::black_box(document.render_page(page, DPI).unwrap());
            }
        }
        rows.push(("ecabinet in process", started.elapsed()));
        let started = Instant::now();
        for paper in group {
            let document = workers.open_path(&paper.path, None).unwrap();
            for page in 0..paper.page_count {
                std::hint::black_box(document.render(page, RenderSize::Dpi(DPI)).unwrap());
            }
        }
        rows.push(("ecabinet via worker", started.elapsed()));
        for tool in Tool::ALL.iter().filter(|tool| tool.available()) {
            let started = Instant::now();
            for paper in group {
                tool.run(&paper.path, DPI, None);
            }
            rows.push((tool.name, started.elapsed()));
        }
        let ours = rows[0].1;
        for (name, total) in &rows {
            println!(
                "{:<22} {:<20} {:>7} {:>11} {:>12}   {:.2}x the in-process time",
                name,
                label,
                pages,
                format!("{:.2} s", total.as_secs_f64()),
                ms(*total / pages),
                ratio(*total, ours)
            );
        }
    }
}

fn first_page(engine: &PdfEngine, workers: &PdfWorkers, path: &Path) {
    let runs = 7;
    let mut in_process = Vec::new();
    let mut open_only = Vec::new();
    let mut with_info = Vec::new();
    let mut through_worker = Vec::new();
    let mut worker_open = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        let document = engine.open_path(path, None).unwrap();
        open_only.push(started.elapsed());
        std::hint::black_box(document.render_page(0, SCREEN_DPI).unwrap());
        in_process.push(started.elapsed());
        let started = Instant::now();
        std::hint::black_box(document.info().unwrap());
        with_info.push(started.elapsed());

        let started = Instant::now();
        // Opening through the pool also reads every page size and the text of page 1.
        let document = workers.open_path(path, None).unwrap();
        worker_open.push(started.elapsed());
        std::hint::black_box(document.render(0, RenderSize::Dpi(SCREEN_DPI)).unwrap());
        through_worker.push(started.elapsed());
    }
    let started = Instant::now();
    let fresh = start_workers(1);
    let start = started.elapsed();
    let document = fresh.open_path(path, None).unwrap();
    std::hint::black_box(document.render(0, RenderSize::Dpi(SCREEN_DPI)).unwrap());
    let cold = started.elapsed();
    println!(
        "in process: open {}, open + render page 1 {}; document information (all page sizes, page-1 text) {} more (medians of {runs})",
        ms(percentile(&mut open_only, 50)),
        ms(percentile(&mut in_process, 50)),
        ms(percentile(&mut with_info, 50))
    );
    println!(
        "via a running worker: open with its information {}, + render page 1 {} (medians of {runs})",
        ms(percentile(&mut worker_open, 50)),
        ms(percentile(&mut through_worker, 50))
    );
    println!(
        "from nothing: start a worker {} , then open + render page 1, in all {}",
        ms(start),
        ms(cold)
    );
}

fn text_throughput(engine: &PdfEngine, papers: &[Paper], cores: usize) {
    let pages: u32 = papers.iter().map(|p| p.page_count).sum();
    let started = Instant::now();
    for paper in papers {
        let document = engine.open_path(&paper.path, None).unwrap();
        for page in 0..paper.page_count {
            std::hint::black_box(document.page_text(page).unwrap());
        }
    }
    let in_process = started.elapsed();
    let single = extract_with_workers(papers, 1);
    let pool = extract_with_workers(papers, cores);
    let rate = |took: Duration| f64::from(pages) / took.as_secs_f64();
    println!("in process:          {:>7.0} pages/s", rate(in_process));
    println!("one worker:          {:>7.0} pages/s", rate(single));
    println!(
        "{cores} workers, {cores} threads: {:>7.0} pages/s",
        rate(pool)
    );
}

/// Extracts every page with `count` workers and as many threads, each thread taking every
/// `count`th page, so each document ends up open in every worker.
fn extract_with_workers(papers: &[Paper], count: usize) -> Duration {
    let workers = start_workers(count);
    let documents: Vec<_> = papers
        .iter()
        .map(|paper| workers.open_path(&paper.path, None).unwrap())
        .collect();
    let started = Instant::now();
    std::thread::scope(|scope| {
        for thread in 0..count {
            let documents = &documents;
            scope.spawn(move || {
                for document in documents {
                    for page in (thread as u32..document.page_count()).step_by(count) {
                        std::hint::black_box(document.page_text(page).unwrap());
                    }
                }
            });
        }
    });
    started.elapsed()
}

fn parallel_render(papers: &[Paper], cores: usize) {
    let pages: u32 = papers.iter().map(|p| p.page_count).sum();
    for count in [1, cores] {
        let workers = start_workers(count);
        let documents: Vec<_> = papers
            .iter()
            .map(|paper| workers.open_path(&paper.path, None).unwrap())
            .collect();
        let started = Instant::now();
        std::thread::scope(|scope| {
            for thread in 0..count {
                let documents = &documents;
                scope.spawn(move || {
                    for document in documents {
                        for page in (thread as u32..document.page_count()).step_by(count) {
                            std::hint::black_box(
                                document.render(page, RenderSize::Dpi(DPI)).unwrap(),
                            );
                        }
                    }
                });
            }
        });
        let took = started.elapsed();
        println!(
            "{count} worker(s), {count} thread(s): {pages} pages in {:.2} s, {:.0} pages/s",
            took.as_secs_f64(),
            f64::from(pages) / took.as_secs_f64()
        );
    }
}
