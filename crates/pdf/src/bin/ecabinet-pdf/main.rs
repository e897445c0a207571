//! `ecabinet-pdf`: looks at PDFs the way the app does, from a shell, and is the worker process
//! of [`ecabinet_pdf::PdfWorkers`] (`ecabinet-pdf worker`, hidden: only the pool starts it).
//!
//! Every command goes through a worker pool, like the app, so a PDF that crashes PDFium gives
//! an `engine_crashed` error here too instead of a core dump. A refused file exits with status
//! 1 and one line on stderr, `error[CODE]: MESSAGE`, the code being [`PdfError::code`].
//! Pages are numbered from 1, as people count them.

mod corpus;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use ecabinet_pdf::{
    CharBox, Deadlines, DocumentInfo, PageSize, PdfError, PdfWorkers, RenderSize, RenderedPage,
    TextLayout, WorkerConfig, WorkerDocument, WorkerLimits, WorkerStderr,
};

#[derive(Parser)]
#[command(
    name = "ecabinet-pdf",
    version,
    about = "Look at PDFs the way eCabinet does"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Page count, page sizes, metadata, protection and whether page 1 has text.
    Info {
        #[command(flatten)]
        file: FileArgs,
    },
    /// The text of one page, or of every page separated by form feeds (as pdftotext does).
    Text {
        #[command(flatten)]
        file: FileArgs,
        /// Only this page (from 1).
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
        page: Option<u32>,
        /// Start each line with the box around it on the page: left, top, right and bottom as
        /// fractions of the page's width and height (as displayed), from its top-left corner.
        #[arg(long)]
        layout: bool,
    },
    /// The document's bookmarks, one per line: indented two spaces per level, the title, a
    /// tab, and the page it goes to (from 1), or "-" when it goes to no page of the document.
    Outline {
        #[command(flatten)]
        file: FileArgs,
    },
    /// The annotations already inside the file (made with other readers), one per line, tab
    /// separated: the page (from 1), the kind, the box (left, top, right and bottom as
    /// fractions of the page as displayed, from its top-left corner), the author and the
    /// text, "-" when it has none. Tabs and line breaks inside the text become spaces.
    Annotations {
        #[command(flatten)]
        file: FileArgs,
    },
    /// Render one page to a PNG file.
    Render {
        #[command(flatten)]
        file: FileArgs,
        /// The page to render (from 1).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
        page: u32,
        /// Resolution in dots per inch (150 unless --width is given).
        #[arg(long, conflicts_with = "width")]
        dpi: Option<f32>,
        /// Width of the image in pixels, instead of a resolution.
        #[arg(long)]
        width: Option<u32>,
        /// The PNG file to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// Open every file in a folder, render its page 1, extract and lay out its text, read its
    /// outline, and count how each fared. Exits with 1 if any file crashed the isolation, timed
    /// out, or got answers that contradict each other.
    Corpus(corpus::CorpusArgs),
    /// Serve a PdfWorkers pool on stdin and stdout (started by the pool, not by people).
    #[command(hide = true)]
    Worker {
        /// The pool's process id: the worker dies with it.
        #[arg(long)]
        parent: Option<u32>,
        /// The most address space the worker may use, in bytes.
        #[arg(long)]
        memory_limit: Option<u64>,
    },
}

#[derive(Args)]
struct FileArgs {
    /// The PDF file.
    file: PathBuf,
    /// The document's password, if it has one.
    #[arg(long)]
    password: Option<String>,
    /// How long PDFium may work on one request before it is stopped (CPU time, on Linux).
    #[arg(long, default_value_t = 10_000)]
    timeout_ms: u64,
}

/// Why a command did not do its job: one line for stderr, with a stable code.
struct Failure {
    code: &'static str,
    message: String,
}

impl From<PdfError> for Failure {
    fn from(error: PdfError) -> Self {
        Self {
            code: error.code(),
            message: error.to_string(),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Worker {
            parent,
            memory_limit,
        } => {
            return ecabinet_pdf::serve_worker(WorkerLimits {
                parent,
                memory: memory_limit,
            });
        }
        Command::Corpus(args) => return corpus::run(&args),
        Command::Info { file } => info(&file),
        Command::Text { file, page, layout } => text(&file, page, layout),
        Command::Outline { file } => outline(&file),
        Command::Annotations { file } => annotations(&file),
        Command::Render {
            file,
            page,
            dpi,
            width,
            out,
        } => {
            let size = width.map_or(RenderSize::Dpi(dpi.unwrap_or(150.0)), RenderSize::Width);
            render(&file, page, size, &out)
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error[{}]: {}", failure.code, one_line(&failure.message));
            ExitCode::FAILURE
        }
    }
}

/// Joins a multi-line message (the engine's lists the places it looked for PDFium) into one
/// line, so scripts can rely on one line per failure.
pub(crate) fn one_line(message: &str) -> String {
    let mut line = String::new();
    for part in message
        .lines()
        .map(str::trim)
        .filter(|part| !part.is_empty())
    {
        if !line.is_empty() {
            line.push_str(if line.ends_with(':') { " " } else { "; " });
        }
        line.push_str(part.trim_start_matches("- "));
    }
    line
}

/// A pool for one command: PDFium stays out of this process, as in the app.
pub(crate) fn workers(
    count: usize,
    limit: Duration,
    memory_limit: Option<u64>,
) -> Result<PdfWorkers, PdfError> {
    let program = std::env::current_exe().map_err(|error| PdfError::WorkerUnavailable {
        program: PathBuf::from("ecabinet-pdf"),
        detail: format!("cannot find this executable: {error}"),
    })?;
    let mut config = WorkerConfig::new(program);
    config.workers = count;
    config.deadlines = Deadlines::all(limit);
    config.memory_limit = memory_limit.or(config.memory_limit);
    config.stderr = WorkerStderr::Discard;
    PdfWorkers::start(config)
}

fn open(file: &FileArgs) -> Result<WorkerDocument, PdfError> {
    let workers = workers(1, Duration::from_millis(file.timeout_ms), None)?;
    workers.open_path(&file.file, file.password.as_deref())
}

/// Turns a page number from the command line (from 1) into the engine's index (from 0).
fn index(page: u32) -> u32 {
    page.saturating_sub(1)
}

fn info(file: &FileArgs) -> Result<(), Failure> {
    let document = open(file)?;
    print!("{}", describe(&file.file, document.info()));
    Ok(())
}

fn describe(path: &Path, info: &DocumentInfo) -> String {
    let yes_no = |value: bool| if value { "yes" } else { "no" };
    let mut out = format!("file: {}\npages: {}\n", path.display(), info.page_count);
    let metadata = &info.metadata;
    for (name, value) in [
        ("title", &metadata.title),
        ("author", &metadata.author),
        ("subject", &metadata.subject),
        ("keywords", &metadata.keywords),
        ("creator", &metadata.creator),
        ("producer", &metadata.producer),
        ("created", &metadata.created),
        ("modified", &metadata.modified),
    ] {
        if let Some(value) = value {
            out.push_str(&format!("{name}: {value}\n"));
        }
    }
    out.push_str(&format!("encrypted: {}\n", yes_no(info.encrypted)));
    match info.permissions {
        Some(p) => out.push_str(&format!(
            "allowed: print {}, copy {}, modify {}, annotate {}\n",
            yes_no(p.print),
            yes_no(p.copy),
            yes_no(p.modify),
            yes_no(p.annotate)
        )),
        None => out.push_str("allowed: unknown (a protection this engine cannot read)\n"),
    }
    out.push_str(&format!(
        "text on page 1: {}\n",
        if info.first_page_has_text {
            "yes"
        } else {
            "no (a scan?)"
        }
    ));
    for (first, last, size) in runs_of_equal_sizes(&info.page_sizes) {
        let pages = if first == last {
            format!("page {first}")
        } else {
            format!("pages {first}-{last}")
        };
        out.push_str(&format!(
            "{pages}: {:.1} x {:.1} pt ({:.0} x {:.0} mm)\n",
            size.width,
            size.height,
            size.width / 72.0 * 25.4,
            size.height / 72.0 * 25.4
        ));
    }
    out
}

/// Consecutive pages of the same size, as (first page, last page, size), pages from 1: a
/// 460-page report is one line, an appendix in landscape another.
fn runs_of_equal_sizes(sizes: &[PageSize]) -> Vec<(usize, usize, PageSize)> {
    let mut runs: Vec<(usize, usize, PageSize)> = Vec::new();
    for (index, size) in sizes.iter().enumerate() {
        match runs.last_mut() {
            Some((_, last, run_size)) if run_size == size => *last = index + 1,
            _ => runs.push((index + 1, index + 1, *size)),
        }
    }
    runs
}

fn text(file: &FileArgs, page: Option<u32>, layout: bool) -> Result<(), Failure> {
    let document = open(file)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let page_text = |index: u32| -> Result<String, PdfError> {
        if layout {
            Ok(lines_with_boxes(&document.page_text_layout(index)?))
        } else {
            document.page_text(index)
        }
    };
    match page {
        Some(page) => {
            let text = page_text(index(page))?;
            writeln!(out, "{text}").map_err(write_failed)?;
        }
        None => {
            for index in 0..document.page_count() {
                let text = page_text(index)?;
                write!(out, "{text}\n\x0c").map_err(write_failed)?;
            }
        }
    }
    out.flush().map_err(write_failed)
}

fn write_failed(error: std::io::Error) -> Failure {
    Failure {
        code: "output",
        message: format!("cannot write the text: {error}"),
    }
}

/// Each line of the page's text after the box around its characters (`-` for a line with
/// nothing visible), `left top right bottom` to four decimals.
fn lines_with_boxes(layout: &TextLayout) -> String {
    let mut out = String::new();
    let mut boxes = layout.boxes.iter();
    for (number, line) in layout.text.split('\n').enumerate() {
        if number > 0 {
            out.push('\n');
            // The box of the '\n' itself.
            boxes.next();
        }
        let around = boxes
            .by_ref()
            .take(line.chars().count())
            .filter(|b| b.right > b.left || b.bottom > b.top)
            .fold(None, |around: Option<CharBox>, b| {
                Some(match around {
                    None => *b,
                    Some(a) => CharBox {
                        left: a.left.min(b.left),
                        top: a.top.min(b.top),
                        right: a.right.max(b.right),
                        bottom: a.bottom.max(b.bottom),
                    },
                })
            });
        match around {
            Some(b) => out.push_str(&format!(
                "{:.4} {:.4} {:.4} {:.4}\t{line}",
                b.left, b.top, b.right, b.bottom
            )),
            None => out.push_str(&format!("-\t{line}")),
        }
    }
    out
}

fn outline(file: &FileArgs) -> Result<(), Failure> {
    let document = open(file)?;
    let mut listing = String::new();
    for entry in document.outline()? {
        let page = entry.page.map_or_else(
            || "-".to_owned(),
            |index| (u64::from(index) + 1).to_string(),
        );
        let indent = "  ".repeat(entry.depth as usize);
        listing.push_str(&format!("{indent}{}\t{page}\n", entry.title));
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    out.write_all(listing.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|error| Failure {
            code: "output",
            message: format!("cannot write the outline: {error}"),
        })
}

fn annotations(file: &FileArgs) -> Result<(), Failure> {
    let document = open(file)?;
    // One annotation, one line: whatever another reader put in a field cannot break it.
    let field = |value: Option<&str>| {
        value.map_or_else(
            || "-".to_owned(),
            |value| value.split_whitespace().collect::<Vec<_>>().join(" "),
        )
    };
    let mut listing = String::new();
    for found in document.annotations()? {
        let CharBox {
            left,
            top,
            right,
            bottom,
        } = found.rect;
        listing.push_str(&format!(
            "{}\t{}\t{left:.4} {top:.4} {right:.4} {bottom:.4}\t{}\t{}\n",
            u64::from(found.page) + 1,
            found.kind.name(),
            field(found.author.as_deref()),
            field(found.contents.as_deref()),
        ));
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    out.write_all(listing.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|error| Failure {
            code: "output",
            message: format!("cannot write the annotations: {error}"),
        })
}

fn render(file: &FileArgs, page: u32, size: RenderSize, out: &Path) -> Result<(), Failure> {
    let document = open(file)?;
    let rendered = document.render(index(page), size)?;
    write_png(&rendered, out).map_err(|error| {
        let _ = std::fs::remove_file(out);
        Failure {
            code: "output",
            message: format!("cannot write {}: {error}", out.display()),
        }
    })
}

fn write_png(page: &RenderedPage, out: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let file = BufWriter::new(File::create(out)?);
    let mut encoder = png::Encoder::new(file, page.width, page.height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&page.rgba)?;
    writer.finish()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_page_sizes_are_grouped_into_runs() {
        let a4 = PageSize {
            width: 595.3,
            height: 841.9,
        };
        let landscape = PageSize {
            width: 841.9,
            height: 595.3,
        };
        assert_eq!(
            runs_of_equal_sizes(&[a4, a4, landscape, a4]),
            [(1, 2, a4), (3, 3, landscape), (4, 4, a4)]
        );
        assert!(runs_of_equal_sizes(&[]).is_empty());
    }

    #[test]
    fn messages_are_folded_into_one_line() {
        assert_eq!(
            one_line(
                "not available; tried:\n  - /a (env): missing\n  - /b (dir): missing\nrun setup"
            ),
            "not available; tried: /a (env): missing; /b (dir): missing; run setup"
        );
        assert_eq!(one_line("plain"), "plain");
    }
}
