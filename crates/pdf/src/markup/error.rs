//! Why annotations could not be written, read or exchanged.

/// A failure of [`write_annotations`](super::write_annotations),
/// [`read_annotations`](super::read_annotations) or XFDF, with a stable [`MarkupError::code`].
#[derive(Debug, thiserror::Error)]
pub enum MarkupError {
    /// The PDF object library cannot read the file.
    #[error(
        "the PDF is damaged and its annotations cannot be read or written ({detail}); ask the sender for a fresh copy"
    )]
    Corrupt { detail: String },

    /// The PDF needs a password to be read (an owner's restrictions alone do not stop it).
    #[error(
        "the PDF is protected by a password; annotations are read and written only in copies that open without one"
    )]
    Encrypted,

    /// An annotation names a page the document does not have (`page` from 0).
    #[error("an annotation is on page {} but the document has {page_count} pages", .page + 1)]
    PageOutOfRange { page: u32, page_count: u32 },

    /// The XFDF is not well-formed XML or not XFDF.
    #[error("the XFDF cannot be read: {detail}")]
    BadXfdf { detail: String },

    /// An annotation cannot be placed on the paper's text (no text at its anchor).
    #[error("an annotation cannot be placed on this paper: {detail}")]
    Unplaceable { detail: String },
}

impl MarkupError {
    /// A stable identifier for scripts and the UI. Never change an existing code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Corrupt { .. } => "corrupt",
            Self::Encrypted => "encrypted",
            Self::PageOutOfRange { .. } => "page_out_of_range",
            Self::BadXfdf { .. } => "bad_xfdf",
            Self::Unplaceable { .. } => "unplaceable",
        }
    }
}

impl From<lopdf::Error> for MarkupError {
    fn from(error: lopdf::Error) -> Self {
        Self::Corrupt {
            detail: error.to_string(),
        }
    }
}

/// Runs lopdf on bytes from outside: it is memory-safe Rust, but a malformed file may make it
/// panic, which becomes a `corrupt` error instead of taking the caller down.
pub(crate) fn guarded<T>(run: impl FnOnce() -> Result<T, MarkupError>) -> Result<T, MarkupError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).unwrap_or_else(|panic| {
        Err(MarkupError::Corrupt {
            detail: panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "the PDF library stopped".to_owned()),
        })
    })
}
