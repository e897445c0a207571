//! The PDF engine of eCabinet: binds the PDFium library at run time and performs the operations
//! the app needs on PDFs, which always come from outside and are treated as untrusted input
//! (opening with or without a password, page count, rendering a page to RGBA pixels, extracting
//! a page's text and where each character sits, the outline, the annotations already inside, document information). Every failure a user can cause with a bad file comes
//! back as a [`PdfError`] with a stable [`PdfError::code`] the UI switches on and a message that
//! says what to do; a damaged, encrypted or hostile PDF must never take the app down.
//!
//! Two ways to run it:
//! - [`PdfEngine`] runs PDFium in the calling process: one operation at a time, and a PDF that
//!   crashes PDFium crashes the caller. Fine for tools and tests.
//! - [`PdfWorkers`] runs PDFium in a pool of `ecabinet-pdf worker` processes (the binary of this
//!   crate), with a deadline on every request: pages render in parallel, and a PDF that crashes
//!   or hangs PDFium costs one worker, which is replaced, and gives an error with a code. This
//!   is what the app uses for documents from outside.
//!
//! The `ecabinet-pdf` binary also offers `info`, `text`, `outline`, `annotations`, `render` and `corpus` commands for
//! looking at a file, or a folder of them, from a shell, and `annotate` and `reanchor` for
//! annotations exchanged as XFDF ([`markup`]).
//!
//! PDFium is not part of the build: `scripts/fetch-pdfium.sh` (run by `make setup`) installs a
//! pinned `libpdfium.so`, and [`PdfEngine::bind`] finds it through the search order described in
//! [`search_order`].

mod annotations;
mod engine;
mod error;
mod layout;
mod locate;
pub mod markup;
mod outline;
mod paper;
mod pool;
mod protocol;
mod worker;

pub use annotations::{AnnotationKind, PageAnnotation};
pub use engine::{
    Document, DocumentInfo, Metadata, PageSize, PdfEngine, Permissions, RenderSize, RenderedPage,
};
pub use error::{LoadAttempt, LoadFailure, PdfError};
pub use layout::{CharBox, TextLayout};
pub use locate::{
    LIBRARY_FILE_NAME, LocationOrigin, LocatorEnv, PdfiumLocation, install_dir, search_order,
    search_order_from_process,
};
pub use outline::OutlineEntry;
pub use paper::{PaperRefusal, accept_as_paper};
pub use pool::{Deadlines, PdfWorkers, WorkerConfig, WorkerDocument, WorkerStats, WorkerStderr};
#[doc(hidden)]
pub use protocol::Fault;
pub use worker::{WorkerLimits, serve as serve_worker};
