//! What makes an opened PDF acceptable as a council paper, once for the app's check before
//! upload and the server's check of every upload.

use crate::DocumentInfo;

/// Why a PDF that opens cannot be a council paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaperRefusal {
    /// It forbids printing or copying: delegates must be able to do both with their papers.
    Restricted,
    /// It has no pages.
    NoPages,
}

/// Whether a document that opened (without a password) may become a paper.
pub fn accept_as_paper(info: &DocumentInfo) -> Result<(), PaperRefusal> {
    if let Some(permissions) = info.permissions
        && !(permissions.print && permissions.copy)
    {
        return Err(PaperRefusal::Restricted);
    }
    if info.page_count == 0 {
        return Err(PaperRefusal::NoPages);
    }
    Ok(())
}
