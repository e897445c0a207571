//! Search benchmark: latency of typical queries over an index of 1,000,000 page rows, and
//! how fast the fixture packet's text is extracted and indexed. It prints figures and asserts
//! nothing (the tests do that).
//!
//! Run with `make bench-search`, or `cargo bench -p ecabinet-search --bench search --
//! [PACKET_DIR]` (PACKET_DIR defaults to the shared fixtures' packet).
//!
//! The million rows are synthetic but made of real council text: every line of the fixture
//! packet's text layer (extracted in process with PDFium), and each page 40 of those lines
//! drawn at random (seeded), so words occur as often as they do in council papers; 50 pages to
//! a document. Building it takes minutes, so it is kept in `target/bench-search/` and built
//! again only when missing or when `INDEX_VERSION` changes.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ecabinet_pdf::PdfEngine;
use ecabinet_search::{Query, SearchIndex};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Bump when the schema, the folding or the way the synthetic index is made changes, so a
/// stale cached index is not measured.
const INDEX_VERSION: u32 = 4;
const PAGE_ROWS: usize = 1_000_000;
const PAGES_PER_DOCUMENT: usize = 50;
const LINES_PER_PAGE: usize = 40;
const SEED: u64 = 2027;
/// Timed runs of each query, unless `--runs N` says otherwise.
const RUNS: usize = 200;
/// Hits the app asks for.
const LIMIT: usize = 20;

/// Queries as a member types them, without accents.
const QUERIES: &[(&str, &str)] = &[
    (
        "ngan sach",
        "two common words (budget), on nearly every page",
    ),
    ("dau tu", "two common words (investment)"),
    ("cu tri", "two common words (voters)"),
    (
        "hop khong giay",
        "three words (paperless meeting), not in these papers",
    ),
    (
        "hanh phuc",
        "a rarer pair (happiness, from the national motto in letterheads)",
    ),
    (
        "8238 7338",
        "a rare pair: two sums of money, each on one line of the packet",
    ),
];

fn main() {
    let options = parse_options();
    let packet = &options.packet;
    let engine = PdfEngine::bind().unwrap_or_else(|error| fail(&error.to_string()));
    let started = Instant::now();
    let papers = load_text(&engine, packet);
    let extracted = started.elapsed();
    let pages: usize = papers.iter().map(|p| p.pages.len()).sum();
    println!(
        "Search benchmark: {} ({} documents, {pages} pages); load average {}",
        packet.display(),
        papers.len(),
        load_average()
    );

    println!("\n== Indexing the fixture packet ==");
    indexing_throughput(&papers, extracted);

    let lines: Vec<&str> = papers
        .iter()
        .flat_map(|paper| paper.pages.iter())
        .flat_map(|page| page.lines())
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    let path = index_path();
    println!(
        "\n== An index of {PAGE_ROWS} page rows: {} ==",
        path.display()
    );
    println!(
        "made of the packet's {} text lines: each page {LINES_PER_PAGE} lines drawn at random (seed {SEED}), {PAGES_PER_DOCUMENT} pages to a document, indexed with index_document, then optimized",
        lines.len()
    );
    if path.exists() {
        println!("(built by an earlier run, index version {INDEX_VERSION})");
    } else {
        build_index(&path, &lines);
    }
    print_sizes(&path);

    let index = SearchIndex::open(&path).unwrap();
    println!(
        "\n== Search, limit {LIMIT}, {} runs of each query, interleaved ==",
        options.runs
    );
    latencies(&index, &path, options.runs);
}

struct Paper {
    name: String,
    pages: Vec<String>,
}

struct Options {
    packet: PathBuf,
    runs: usize,
}

fn parse_options() -> Options {
    let mut options = Options {
        packet: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/packet"),
        runs: RUNS,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            // `cargo bench` passes this to every benchmark binary.
            "--bench" => {}
            "--runs" => {
                options.runs = args
                    .next()
                    .and_then(|value| value.parse().ok())
                    .filter(|value| *value > 0)
                    .unwrap_or_else(|| fail("--runs needs a positive number"));
            }
            _ if arg.starts_with("--") => fail(&format!("unknown option {arg}")),
            _ => options.packet = PathBuf::from(arg),
        }
    }
    options
}

fn fail(message: &str) -> ! {
    eprintln!("search bench: {message}");
    std::process::exit(2)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned())
}

fn pdf_paths(dir: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|error| fail(&format!("cannot list {}: {error}", dir.display())))
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "pdf"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        fail(&format!("no PDFs in {}", dir.display()));
    }
    paths
}

/// Every page's text of every paper in `dir`, extracted in process with PDFium.
fn load_text(engine: &PdfEngine, dir: &Path) -> Vec<Paper> {
    pdf_paths(dir)
        .into_iter()
        .map(|path| {
            let document = engine
                .open_path(&path, None)
                .unwrap_or_else(|error| fail(&format!("{}: {error}", path.display())));
            let pages = (0..document.page_count())
                .map(|page| document.page_text(page).unwrap())
                .collect();
            Paper {
                name: path.file_name().unwrap().to_string_lossy().into_owned(),
                pages,
            }
        })
        .collect()
}

/// Indexes `papers` into a new file, printing how long that and the extraction took.
fn indexing_throughput(papers: &[Paper], extracted: Duration) {
    let dir = tempfile::tempdir().unwrap();
    let mut index = SearchIndex::open(&dir.path().join("index.sqlite3")).unwrap();
    let pages: usize = papers.iter().map(|p| p.pages.len()).sum();
    let started = Instant::now();
    for paper in papers {
        let indexed = index.index_document(&paper.name, &paper.pages).unwrap();
        if !indexed.has_text {
            println!("  {}: no text layer, recorded as unsearchable", paper.name);
        }
    }
    let indexed = started.elapsed();
    let rate = |took: Duration| pages as f64 / took.as_secs_f64();
    println!(
        "extract {pages} pages (PDFium in process): {:.2} s, {:>6.0} pages/s",
        extracted.as_secs_f64(),
        rate(extracted)
    );
    println!(
        "index them (new file, one transaction a document): {:.2} s, {:>6.0} pages/s",
        indexed.as_secs_f64(),
        rate(indexed)
    );
    println!(
        "extract and index, one after the other: {:.0} pages/s (goal: at least 150)",
        rate(extracted + indexed)
    );
}

fn index_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/bench-search")
        .join(format!("index-1m-v{INDEX_VERSION}.sqlite3"))
}

fn build_index(path: &Path, lines: &[&str]) {
    let dir = path.parent().unwrap();
    std::fs::create_dir_all(dir).unwrap();
    // Built beside and renamed into place, so an interrupted build is never measured.
    let building = dir.join("building.sqlite3");
    for stale in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{stale}", building.display()));
    }
    let mut index = SearchIndex::open(&building).unwrap();
    let mut rng = StdRng::seed_from_u64(SEED);
    let started = Instant::now();
    let documents = PAGE_ROWS / PAGES_PER_DOCUMENT;
    for document in 0..documents {
        let pages: Vec<String> = (0..PAGES_PER_DOCUMENT)
            .map(|_| {
                let mut page = String::new();
                for _ in 0..LINES_PER_PAGE {
                    page.push_str(lines[rng.random_range(0..lines.len())]);
                    page.push('\n');
                }
                page
            })
            .collect();
        index
            .index_document(&format!("{document:064x}"), &pages)
            .unwrap();
        if (document + 1) % (documents / 10) == 0 {
            println!(
                "  {} pages indexed, {:.0} s",
                (document + 1) * PAGES_PER_DOCUMENT,
                started.elapsed().as_secs_f64()
            );
        }
    }
    let indexed = started.elapsed();
    println!(
        "built in {:.0} s ({:.0} pages/s)",
        indexed.as_secs_f64(),
        PAGE_ROWS as f64 / indexed.as_secs_f64()
    );
    // The app's index grows a paper at a time and is never optimized, so measure it as
    // built too.
    println!("\nsearch before optimizing, as an index grown a paper at a time is, 50 runs:");
    latencies(&index, &building, 50);
    let started = Instant::now();
    index.optimize().unwrap();
    println!(
        "\noptimized (FTS5 segments merged into one) in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    drop(index);
    std::fs::rename(&building, path).unwrap();
}

/// The file, and what its text and its FTS5 index take of it.
fn print_sizes(path: &Path) {
    let file = std::fs::metadata(path).map_or(0, |m| m.len());
    let conn = rusqlite::Connection::open(path).unwrap();
    let sum = |sql: &str| -> f64 {
        conn.query_row(sql, [], |row| row.get::<_, i64>(0)).unwrap() as f64 / 1e6
    };
    println!(
        "file size {:.0} MB: page text {:.0} MB, FTS5 index {:.0} MB, the rest b-tree pages and free space",
        file as f64 / 1e6,
        sum("SELECT sum(length(CAST(text AS BLOB))) FROM pages"),
        sum("SELECT sum(length(block)) FROM page_terms_data"),
    );
}

fn latencies(index: &SearchIndex, path: &Path, runs: usize) {
    let queries: Vec<Query> = QUERIES.iter().map(|(text, _)| Query::parse(text)).collect();
    let matching: Vec<i64> = queries
        .iter()
        .map(|query| matching_pages(path, query))
        .collect();
    let mut times: Vec<Vec<Duration>> = vec![Vec::with_capacity(runs); queries.len()];
    let mut hits = vec![0; queries.len()];
    // One untimed round first: the first query of a process opens the file's pages.
    for query in &queries {
        index.search(query, LIMIT).unwrap();
    }
    for _ in 0..runs {
        for (i, query) in queries.iter().enumerate() {
            let started = Instant::now();
            let found = index.search(query, LIMIT).unwrap();
            times[i].push(started.elapsed());
            hits[i] = found.len();
        }
    }
    println!(
        "{:<16} {:>8} {:>5} {:>9} {:>9} {:>9} {:>9}  what",
        "query", "matching", "hits", "p50", "p95", "p99", "max"
    );
    for (i, (text, what)) in QUERIES.iter().enumerate() {
        let samples = &mut times[i];
        println!(
            "{:<16} {:>8} {:>5} {:>9} {:>9} {:>9} {:>9}  {what}",
            text,
            matching[i],
            hits[i],
            ms(percentile(samples, 50)),
            ms(percentile(samples, 95)),
            ms(percentile(samples, 99)),
            ms(percentile(samples, 100)),
        );
    }
}

/// How many pages contain every term: counted apart, straight from FTS5, since the search
/// never counts them all.
fn matching_pages(path: &Path, query: &Query) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    let expression: Vec<String> = query
        .terms()
        .iter()
        .map(|term| format!("\"{term}\""))
        .collect();
    conn.query_row(
        "SELECT count(*) FROM page_terms WHERE page_terms MATCH ?1",
        [expression.join(" ")],
        |row| row.get(0),
    )
    .unwrap()
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
    format!("{:.2} ms", duration.as_secs_f64() * 1000.0)
}
