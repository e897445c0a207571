//! The PDF engine of eCabinet: binds the PDFium library at run time and performs the operations
//! the app needs on PDFs, which always come from outside and are treated as untrusted input
//! (opening with or without a password, page count, rendering a page to RGBA pixels, extracting
//! a page's text, document information). Every failure a user can cause with a bad file comes
//! back as a [`PdfError`] with a stable [`PdfError::code`] the UI switches on and a message that
//! says what to do; a damaged, encrypted or hostile PDF must never take the app down.
//!
//! PDFium is not part of the build: `scripts/fetch-pdfium.sh` (run by `make setup`) installs a
//! pinned `libpdfium.so`, and [`PdfEngine::bind`] finds it through the search order described in
//! [`search_order`].

mod engine;
mod error;
mod locate;

pub use engine::{Document, DocumentInfo, PageSize, PdfEngine, Permissions, RenderedPage};
pub use error::{LoadAttempt, LoadFailure, PdfError};
pub use locate::{
    LIBRARY_FILE_NAME, LocationOrigin, LocatorEnv, PdfiumLocation, install_dir, search_order,
    search_order_from_process,
};
