//! What the server checks before it keeps an uploaded paper: it must open in PDFium without
//! a password and allow printing and copying, since every participant must be able to read
//! (and print) what the council publishes. Returns the page count for the packet manifest.
//!
//! Uploads are untrusted files, so PDFium runs in worker processes (`ecabinet_pdf::PdfWorkers`)
//! with deadlines and a memory limit: a file that crashes or hangs PDFium costs a worker,
//! not the server. The worker is the server's own binary (`council-server worker`, hidden), so
//! nothing else has to be installed beside it.

use crate::error::ServerError;
use ecabinet_pdf::{Fault, PaperRefusal, PdfError, PdfWorkers, WorkerConfig, WorkerStderr};
use ecabinet_protocol::ErrorCode;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Checks uploads in PDF worker processes, started at the first upload.
#[derive(Clone)]
pub struct PaperCheck {
    program: PathBuf,
    workers: Arc<Mutex<Option<PdfWorkers>>>,
    /// A fault the worker checking the next upload is made to commit (tests only).
    fault: Arc<Mutex<Option<Fault>>>,
}

impl std::fmt::Debug for PaperCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PaperCheck")
            .field("program", &self.program)
            .finish()
    }
}

impl PaperCheck {
    /// `program` answers `worker …` as a PDF worker: the council-server binary.
    pub fn new(program: impl Into<PathBuf>) -> PaperCheck {
        PaperCheck {
            program: program.into(),
            workers: Arc::new(Mutex::new(None)),
            fault: Arc::new(Mutex::new(None)),
        }
    }

    fn workers(&self) -> Result<PdfWorkers, ServerError> {
        let mut slot = self.workers.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(workers) = slot.as_ref() {
            return Ok(workers.clone());
        }
        let mut config = WorkerConfig::new(&self.program);
        config.workers = 2;
        config.stderr = WorkerStderr::Inherit;
        let workers = PdfWorkers::start(config).map_err(|e| {
            ServerError::internal(
                anyhow::Error::new(e).context("starting PDF workers to check uploads"),
            )
        })?;
        *slot = Some(workers.clone());
        Ok(workers)
    }

    /// Makes the worker that checks the next upload misbehave as a hostile PDF could (crash,
    /// hang...), after it opened the file: the upload then meets the real failure. For tests.
    #[doc(hidden)]
    pub fn misbehave_on_next_check(&self, fault: Fault) {
        *self.fault.lock().unwrap_or_else(|e| e.into_inner()) = Some(fault);
    }

    /// Opens the staged file in a worker and returns its page count, or the refusal a
    /// secretary sees. Blocking: call it from `spawn_blocking`.
    pub fn inspect(&self, path: &Path) -> Result<u32, ServerError> {
        let document = self.workers()?.open_path(path, None).map_err(refusal)?;
        let fault = self.fault.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(fault) = fault {
            document.inject_fault(fault).map_err(refusal)?;
        }
        ecabinet_pdf::accept_as_paper(document.info()).map_err(|refusal| match refusal {
            PaperRefusal::Restricted => ServerError::new(
                ErrorCode::PdfRestricted,
                "this PDF forbids printing or copying; ask its author for an unrestricted copy",
            ),
            PaperRefusal::NoPages => ServerError::new(
                ErrorCode::PdfCorrupt,
                "this PDF has no pages; ask its author for a complete copy",
            ),
        })?;
        Ok(document.page_count())
    }

    /// Every page's text of a PDF the server already holds (the demo's papers, to anchor
    /// the demo's marks in). Blocking.
    pub fn page_texts(&self, bytes: Vec<u8>) -> anyhow::Result<Vec<String>> {
        let workers = self.workers().map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let document = workers.open_bytes(bytes, None)?;
        (0..document.page_count())
            .map(|page| Ok(document.page_text(page)?))
            .collect()
    }
}

/// The refusal a secretary reads, one fixed message per code: PDFium's detail, a worker's
/// exit status or a file path says nothing to them and much to a prober, so it goes to the
/// log (under the request's id) instead.
fn refusal(error: PdfError) -> ServerError {
    let (code, message) = match &error {
        PdfError::EmptyFile => (
            ErrorCode::PdfEmpty,
            "the file is empty (0 bytes); ask its author for the document again",
        ),
        PdfError::NotAPdf => (
            ErrorCode::NotAPdf,
            "the file is not a PDF; check that the right file was chosen, or export it to PDF first",
        ),
        PdfError::PasswordRequired | PdfError::WrongPassword | PdfError::UnsupportedSecurity => (
            ErrorCode::PdfPasswordProtected,
            "this PDF is protected by a password, so delegates could not open it; \
             remove the password and import it again",
        ),
        PdfError::EngineUnavailable { .. }
        | PdfError::Io { .. }
        | PdfError::WorkerUnavailable { .. } => {
            return ServerError::internal(anyhow::Error::new(error).context("checking an upload"));
        }
        // A file that crashed or hung PDFium, or is absurdly large: refused as damaged.
        _ => (
            ErrorCode::PdfCorrupt,
            "this PDF is damaged or could not be read safely; ask its author for a fresh copy",
        ),
    };
    ServerError::new(code, message)
        .with_cause(anyhow::Error::new(error).context("refusing an upload"))
}
