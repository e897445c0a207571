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
use ecabinet_domain::annotation::PaperText;
use ecabinet_pdf::markup::{self, LaidOutPaper, MarkupError, PageGeometry, xfdf};
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
    /// With --xfdf: the annotations of the kinds eCabinet makes (text marks, ink, notes, free
    /// text, rectangles, ellipses, lines and arrows) as XFDF, with colours and replies.
    Annotations {
        #[command(flatten)]
        file: FileArgs,
        /// Print XFDF (ISO 19444-1) instead of lines.
        #[arg(long)]
        xfdf: bool,
    },
    /// Write a copy of FILE with the annotations of an XFDF file in it, each with an
    /// appearance stream so other readers show it.
    Annotate {
        #[command(flatten)]
        file: FileArgs,
        /// The annotations to write in.
        #[arg(long)]
        xfdf: PathBuf,
        /// The annotated copy to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// Move the annotations made on one version of a paper (an XFDF file) onto the next
    /// version, and write them as XFDF. Prints one line per annotation that could not be
    /// placed with confidence, tab separated: its name ("-" if none), its kind and the text it
    /// marked on the old version. Such an annotation is not dropped: it keeps its old place in
    /// the output, marked ec:review="needs-review".
    Reanchor {
        /// The version the annotations were made on.
        old: PathBuf,
        /// The new version.
        new: PathBuf,
        /// The annotations, as XFDF, on the old version.
        #[arg(long)]
        xfdf: PathBuf,
        /// Where to write the annotations on the new version, as XFDF.
        #[arg(long)]
        out: PathBuf,
        /// How long PDFium may work on one request before it is stopped (CPU time, on Linux).
        #[arg(long, default_value_t = 10_000)]
        timeout_ms: u64,
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

impl From<MarkupError> for Failure {
    fn from(error: MarkupError) -> Self {
        Self {
            code: error.code(),
            message: error.to_string(),
        }
    }
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
        Command::Annotations { file, xfdf: false } => annotations(&file),
        Command::Annotations { file, xfdf: true } => annotations_as_xfdf(&file),
        Command::Annotate { file, xfdf, out } => annotate(&file, &xfdf, &out),
        Command::Reanchor {
            old,
            new,
            xfdf,
            out,
            timeout_ms,
        } => reanchor(&old, &new, &xfdf, &out, Duration::from_millis(timeout_ms)),
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

fn read_file(path: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|error| Failure {
        code: "io",
        message: format!("cannot read {}: {error}", path.display()),
    })
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    std::fs::write(path, bytes).map_err(|error| {
        let _ = std::fs::remove_file(path);
        Failure {
            code: "output",
            message: format!("cannot write {}: {error}", path.display()),
        }
    })
}

fn print(text: &str) -> Result<(), Failure> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|error| Failure {
            code: "output",
            message: format!("cannot write the output: {error}"),
        })
}

/// The file's bytes, once PDFium (in a worker) has opened it: a file it refuses is refused
/// with the same code as by every other command.
fn checked_bytes(file: &FileArgs) -> Result<(WorkerDocument, Vec<u8>), Failure> {
    let document = open(file)?;
    let bytes = read_file(&file.file)?;
    Ok((document, bytes))
}

fn read_xfdf(path: &Path) -> Result<Vec<markup::Markup>, Failure> {
    let bytes = read_file(path)?;
    let text = String::from_utf8(bytes).map_err(|_| Failure {
        code: "bad_xfdf",
        message: format!("{} is not UTF-8 text", path.display()),
    })?;
    xfdf::from_xfdf(&text).map_err(|error| Failure {
        code: error.code(),
        message: format!("{}: {error}", path.display()),
    })
}

fn annotations_as_xfdf(file: &FileArgs) -> Result<(), Failure> {
    let (_, bytes) = checked_bytes(file)?;
    print(&xfdf::to_xfdf(&markup::read_annotations(&bytes)?))
}

fn annotate(file: &FileArgs, xfdf_path: &Path, out: &Path) -> Result<(), Failure> {
    let markups = read_xfdf(xfdf_path)?;
    let (_, bytes) = checked_bytes(file)?;
    let copy = markup::write_annotations(&bytes, &markups)?;
    write_file(out, &copy)
}

/// A version of a paper laid out by the engine: each page's text and boxes, and geometry.
struct Version {
    layouts: Vec<TextLayout>,
    pages: Vec<PageGeometry>,
    text: PaperText,
}

impl Version {
    fn lay_out(file: &FileArgs) -> Result<Self, Failure> {
        let (document, bytes) = checked_bytes(file)?;
        let layouts = (0..document.page_count())
            .map(|page| document.page_text_layout(page))
            .collect::<Result<Vec<_>, _>>()?;
        let pages = markup::page_geometries(&bytes)?;
        if pages.len() != layouts.len() {
            return Err(Failure {
                code: "corrupt",
                message: format!(
                    "{}: PDFium finds {} pages and the page tree {}; the PDF is damaged",
                    file.file.display(),
                    layouts.len(),
                    pages.len()
                ),
            });
        }
        let texts: Vec<&str> = layouts.iter().map(|l| l.text.as_str()).collect();
        let text = PaperText::new(&texts);
        Ok(Self {
            layouts,
            pages,
            text,
        })
    }

    fn paper(&self) -> LaidOutPaper<'_> {
        LaidOutPaper {
            layouts: &self.layouts,
            pages: &self.pages,
        }
    }
}

fn reanchor(
    old: &Path,
    new: &Path,
    xfdf_path: &Path,
    out: &Path,
    timeout: Duration,
) -> Result<(), Failure> {
    let markups = read_xfdf(xfdf_path)?;
    let file = |path: &Path| FileArgs {
        file: path.to_path_buf(),
        password: None,
        timeout_ms: u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX),
    };
    let old = Version::lay_out(&file(old))?;
    let new = Version::lay_out(&file(new))?;
    let carried = markup::carry_markups(&markups, old.paper(), &old.text, new.paper(), &new.text);
    write_file(out, xfdf::to_xfdf(&carried.markups).as_bytes())?;
    let mut listing = String::new();
    for review in &carried.needs_review {
        listing.push_str(&format!(
            "{}\t{}\t{}\n",
            review.name.as_deref().unwrap_or("-"),
            review.kind,
            review
                .quote
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        ));
    }
    print(&listing)
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
