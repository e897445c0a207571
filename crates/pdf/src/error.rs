//! Errors of the PDF engine: one variant per thing a user (or a packager) can do about it.

use std::borrow::Cow;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::locate::LocationOrigin;

/// Everything that can go wrong binding PDFium or working on a PDF.
///
/// The UI switches on [`PdfError::code`], which is stable; the `Display` text is for logs and
/// for showing as-is where no translation exists, and always says what to do next.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// No candidate location held a loadable PDFium.
    #[error("{}", engine_unavailable_message(.attempts))]
    EngineUnavailable { attempts: Vec<LoadAttempt> },

    /// The file could not be read at all (missing, no permission, ...).
    #[error("cannot read {}: {source}; check that the file exists and that you may read it", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error(
        "the file is empty (0 bytes), so it is not a PDF; ask the sender for the document again"
    )]
    EmptyFile,

    /// The bytes do not start with a `%PDF-` header (within the first 1024 bytes, as readers allow).
    #[error(
        "the file is not a PDF (it has no %PDF header); check that the right file was attached, or export it to PDF first"
    )]
    NotAPdf,

    /// It claims to be a PDF but PDFium cannot make sense of it, even after trying to repair it.
    #[error("the PDF is damaged and cannot be opened ({detail}); ask the sender for a fresh copy")]
    Corrupt { detail: String },

    /// Larger than a worker opens; a council paper of this size is almost certainly a scan
    /// at a needlessly high resolution, or not a paper at all.
    #[error(
        "the file is too large to open ({} MB; the limit is {} MB); ask the sender for a smaller copy, for example scanned at a lower resolution", .bytes / 1_000_000, .limit / 1_000_000
    )]
    FileTooLarge { bytes: u64, limit: u64 },

    #[error("the PDF is protected by a password; enter the document's password to open it")]
    PasswordRequired,

    #[error("the password is not correct for this PDF; check it with the sender and try again")]
    WrongPassword,

    /// Encrypted with a security handler PDFium does not support (for example certificate-based).
    #[error(
        "the PDF uses a kind of protection this app cannot open (for example a certificate); ask the sender for an unprotected copy"
    )]
    UnsupportedSecurity,

    /// `index` is zero-based; the message shows it one-based, as users count pages.
    #[error("page {} does not exist: the document has {page_count} pages", .index + 1)]
    PageOutOfRange { index: u32, page_count: u32 },

    /// The page at the requested resolution would need an unreasonable amount of memory; a
    /// hostile PDF can declare a page kilometres wide.
    #[error(
        "page {} is too large to display at this zoom ({width} x {height} pixels); zoom out and try again", .index + 1
    )]
    PageTooLarge { index: u32, width: u64, height: u64 },

    /// A caller bug rather than a user error, but still reported instead of panicking.
    #[error("cannot render at {dpi} dpi: the resolution must be a positive number")]
    InvalidDpi { dpi: f32 },

    /// A caller bug, like [`PdfError::InvalidDpi`], for a render asked for by width.
    #[error("cannot render a page {width} pixels wide: the width must be at least 1 pixel")]
    InvalidWidth { width: u32 },

    /// PDFium failed an operation on a document that did open (or pdfium-render panicked).
    #[error("the PDF engine failed while {doing} ({detail}); the document may be damaged")]
    EngineFailure {
        doing: Cow<'static, str>,
        detail: String,
    },

    /// The worker process running PDFium died (crashed, was killed, or broke the protocol)
    /// while working on this document. It has been replaced; the request was not retried,
    /// because the same document would most likely crash the new worker too.
    #[error(
        "the PDF engine stopped while {doing} ({detail}); the document may be damaged or made to crash readers, so ask the sender for a fresh copy"
    )]
    EngineCrashed {
        doing: Cow<'static, str>,
        detail: String,
    },

    /// The worker process took longer than its deadline and was killed and replaced.
    #[error(
        "the PDF engine took longer than {} s while {doing} and was stopped; the page may be too complex or the document damaged", .limit.as_secs_f32()
    )]
    TimedOut {
        doing: Cow<'static, str>,
        limit: Duration,
    },

    /// The worker program could not be started, or is not the version the app expects: an
    /// installation problem, not a problem with any document.
    #[error(
        "the PDF worker program {} cannot be started ({detail}); reinstall the app", .program.display()
    )]
    WorkerUnavailable { program: PathBuf, detail: String },

    /// A document opened from a file had to be opened again (in another worker, or after a
    /// worker was replaced) and the file no longer holds the same bytes.
    #[error("the file changed on disk while it was open; open it again to see the new version")]
    DocumentChanged,
}

impl PdfError {
    /// A stable identifier for the UI and for logs. Never change an existing code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::EngineUnavailable { .. } => "engine_unavailable",
            Self::Io { .. } => "io",
            Self::EmptyFile => "empty_file",
            Self::NotAPdf => "not_a_pdf",
            Self::FileTooLarge { .. } => "file_too_large",
            Self::Corrupt { .. } => "corrupt",
            Self::PasswordRequired => "password_required",
            Self::WrongPassword => "wrong_password",
            Self::UnsupportedSecurity => "unsupported_security",
            Self::PageOutOfRange { .. } => "page_out_of_range",
            Self::PageTooLarge { .. } => "page_too_large",
            Self::InvalidDpi { .. } => "invalid_dpi",
            Self::InvalidWidth { .. } => "invalid_width",
            Self::EngineFailure { .. } => "engine_failure",
            Self::EngineCrashed { .. } => "engine_crashed",
            Self::TimedOut { .. } => "timed_out",
            Self::WorkerUnavailable { .. } => "worker_unavailable",
            Self::DocumentChanged => "document_changed",
        }
    }
}

/// One location that was tried while binding PDFium, and why it did not work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadAttempt {
    pub origin: LocationOrigin,
    /// The library file that was tried (a directory given in `ECABINET_PDFIUM` is resolved).
    pub path: PathBuf,
    pub failure: LoadFailure,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoadFailure {
    Missing,
    /// The file exists but the dynamic loader or the symbol lookup rejected it.
    FailedToLoad(String),
}

impl fmt::Display for LoadFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing => f.write_str("missing"),
            Self::FailedToLoad(reason) => write!(f, "failed to load: {reason}"),
        }
    }
}

fn engine_unavailable_message(attempts: &[LoadAttempt]) -> String {
    let mut message = String::from("the PDF engine (PDFium) is not available");
    if attempts.is_empty() {
        message.push_str(
            "; no location to look in (ECABINET_PDFIUM, the executable's directory, XDG_DATA_HOME and HOME are all unknown)",
        );
    } else {
        message.push_str("; tried:");
        for attempt in attempts {
            message.push_str(&format!(
                "\n  - {} ({}): {}",
                attempt.path.display(),
                attempt.origin,
                attempt.failure
            ));
        }
    }
    message.push_str(
        "\nrun `make setup` (or scripts/fetch-pdfium.sh) to install it, or set ECABINET_PDFIUM to the path of libpdfium.so or the directory containing it",
    );
    message
}
