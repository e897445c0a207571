//! What the server checks before it keeps an uploaded paper: it must open in PDFium without
//! a password and allow printing and copying, since every participant must be able to read
//! (and print) what the council publishes. Returns the page count for the packet manifest.

use crate::error::AppError;
use ecabinet_pdf::{PdfEngine, PdfError};
use ecabinet_protocol::ErrorCode;
use std::path::Path;

/// Opens the staged file and returns its page count, or the refusal a secretary sees.
pub fn inspect(path: &Path) -> Result<u32, AppError> {
    let engine = PdfEngine::bind().map_err(|e| {
        AppError::internal(anyhow::Error::new(e).context("binding PDFium to check an upload"))
    })?;
    let document = engine.open_path(path, None).map_err(refusal)?;
    let info = document.info().map_err(refusal)?;
    if let Some(permissions) = info.permissions
        && !(permissions.print && permissions.copy)
    {
        return Err(AppError::new(
            ErrorCode::PdfRestricted,
            "this PDF forbids printing or copying; ask its author for an unrestricted copy",
        ));
    }
    if document.page_count() == 0 {
        return Err(AppError::new(
            ErrorCode::PdfCorrupt,
            "this PDF has no pages; ask its author for a complete copy",
        ));
    }
    Ok(document.page_count())
}

fn refusal(error: PdfError) -> AppError {
    let code = match &error {
        PdfError::EmptyFile => ErrorCode::PdfEmpty,
        PdfError::NotAPdf => ErrorCode::NotAPdf,
        PdfError::PasswordRequired | PdfError::WrongPassword | PdfError::UnsupportedSecurity => {
            return AppError::new(
                ErrorCode::PdfPasswordProtected,
                "this PDF is protected by a password, so delegates could not open it; \
                 remove the password and import it again",
            );
        }
        PdfError::EngineUnavailable { .. } | PdfError::Io { .. } => {
            return AppError::internal(anyhow::Error::new(error).context("checking an upload"));
        }
        _ => ErrorCode::PdfCorrupt,
    };
    AppError::new(code, error.to_string())
}
