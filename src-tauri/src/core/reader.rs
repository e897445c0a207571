//! The minimal viewer behind the delegate's "open": verify the held file, open its bytes in
//! a PDF worker process, clear the paper's change mark, and render pages as raw RGBA for a
//! canvas.

use super::{AppCore, parse_id, task_failed};
use crate::dto::{self, IpcError, IpcErrorCode};
use ecabinet_domain::{MeetingId, PaperId};
use ecabinet_pdf::{RenderSize, RenderedPage, WorkerDocument};
use ecabinet_sync::PaperFileError;
use std::io::Read;

/// The paper in the viewer. One at a time: opening another closes it.
pub(super) struct OpenPaper {
    paper_id: PaperId,
    document: WorkerDocument,
}

/// Bytes before the pixels in a rendered page: width and height, little-endian u32.
pub const PAGE_HEADER_BYTES: usize = 8;

impl AppCore {
    /// Opens a paper of the latest packet for the viewer. The file is hashed again first,
    /// so the viewer never shows bytes that are not what was published.
    pub async fn open_paper(
        &self,
        meeting_id: &str,
        paper_id: &str,
    ) -> Result<dto::OpenedPaper, IpcError> {
        let session = self.session()?;
        let meeting: MeetingId = parse_id(meeting_id)?;
        let paper: PaperId = parse_id(paper_id)?;
        let entry = self
            .store()
            .packet_view(meeting, session.member.id)?
            .and_then(|view| view.papers.into_iter().find(|p| p.entry.paper_id == paper))
            .ok_or_else(|| IpcError::new(IpcErrorCode::NotFound, "the packet has no such paper"))?
            .entry;
        let file = entry.file.clone().ok_or_else(|| {
            IpcError::new(
                IpcErrorCode::Forbidden,
                "this confidential paper is for its named readers only",
            )
        })?;
        let files = self.files.clone();
        let hash = file.hash.clone();
        let document = tokio::task::block_in_place(|| -> Result<WorkerDocument, IpcError> {
            let workers = self.pdf_workers()?;
            // The worker gets the bytes just verified, never a path that could change.
            let mut verified = files.open_verified(&hash)?;
            let mut bytes = Vec::with_capacity(verified.size as usize);
            verified.file.read_to_end(&mut bytes).map_err(|e| {
                IpcError::from(anyhow::Error::new(e).context("reading a verified paper file"))
            })?;
            Ok(workers.open_bytes(bytes, None)?)
        })?;
        let page_count = document.page_count();
        self.store()
            .mark_read(session.member.id, paper, &file.hash, self.clock.now())?;
        *self.reader_slot() = Some(OpenPaper {
            paper_id: paper,
            document,
        });
        Ok(dto::OpenedPaper {
            paper_id: paper.to_string(),
            title: entry.title.unwrap_or_default(),
            page_count,
        })
    }

    /// Renders a page of the open paper about `width_px` pixels wide, as
    /// [`PAGE_HEADER_BYTES`] of width and height followed by the RGBA rows.
    pub async fn render_page(
        &self,
        paper_id: &str,
        page: u32,
        width_px: u32,
    ) -> Result<Vec<u8>, IpcError> {
        let paper: PaperId = parse_id(paper_id)?;
        let reader = self.reader.clone();
        tokio::task::spawn_blocking(move || {
            let slot = reader.lock().expect("a panic while holding the viewer");
            let open = slot
                .as_ref()
                .filter(|o| o.paper_id == paper)
                .ok_or_else(|| {
                    IpcError::new(IpcErrorCode::NotFound, "this paper is not open any more")
                })?;
            let rendered = open
                .document
                .render(page, RenderSize::Width(width_px.clamp(200, 4000)))?;
            Ok(encode_page(&rendered))
        })
        .await
        .map_err(task_failed)?
    }

    pub fn close_paper(&self) {
        *self.reader_slot() = None;
    }

    fn reader_slot(&self) -> std::sync::MutexGuard<'_, Option<OpenPaper>> {
        self.reader
            .lock()
            .expect("a panic while holding the viewer")
    }
}

/// The page as the UI decodes it: width and height (little-endian u32), then RGBA rows.
pub fn encode_page(page: &RenderedPage) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(PAGE_HEADER_BYTES + page.rgba.len());
    bytes.extend_from_slice(&page.width.to_le_bytes());
    bytes.extend_from_slice(&page.height.to_le_bytes());
    bytes.extend_from_slice(&page.rgba);
    bytes
}

impl From<PaperFileError> for IpcError {
    fn from(e: PaperFileError) -> Self {
        let code = match &e {
            PaperFileError::NotDownloaded | PaperFileError::Missing => {
                IpcErrorCode::PaperNotDownloaded
            }
            PaperFileError::Damaged => IpcErrorCode::PaperDamaged,
            PaperFileError::Io(_) | PaperFileError::Store(_) => {
                return IpcError::from(anyhow::Error::new(e).context("opening a paper file"));
            }
        };
        IpcError::new(code, e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_travels_as_its_size_then_its_pixels() {
        let page = RenderedPage {
            width: 2,
            height: 1,
            rgba: vec![1, 2, 3, 4, 5, 6, 7, 8],
        };
        assert_eq!(
            encode_page(&page),
            [2, 0, 0, 0, 1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8],
            "the UI reads width and height as little-endian u32 before the RGBA rows"
        );
    }
}
