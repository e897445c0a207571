//! The reader behind the delegate's "open": verify the held file, open its bytes in a PDF
//! worker process, and serve the window pages as raw RGBA, each page's text with its
//! character boxes, find, and where the member stopped reading. A PDF from the computer
//! opens the same way, asking for its password when it has one.

use super::{AppCore, parse_id, task_failed};
use crate::dto::{self, IpcError, IpcErrorCode};
use ecabinet_domain::annotation::PaperText;
use ecabinet_domain::{BlobHash, MeetingId, PaperId};
use ecabinet_pdf::{RenderSize, RenderedPage, WorkerDocument};
use ecabinet_search::Query;
use ecabinet_sync::PaperFileError;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::{Arc, Mutex};

/// The document in the reader. One at a time: opening another closes it.
pub(super) struct OpenPaper {
    /// What the window calls it: the paper's id, or a fresh id for a file from the computer.
    id: String,
    /// Where its reading position is kept: the paper's id, or `file:` and the file's hash.
    position_key: String,
    /// The paper's file, for a paper of a packet.
    hash: Option<BlobHash>,
    /// The search index holds this document's page texts under this key, once indexed.
    index_key: Option<BlobHash>,
    searchable: bool,
    document: Arc<WorkerDocument>,
    /// Page texts already extracted for find, by page.
    texts: Mutex<Vec<Option<Arc<str>>>>,
    /// The whole text annotations are anchored in, once asked for.
    whole_text: Mutex<Option<Arc<PaperText>>>,
}

/// A PDF from the computer that needs its password: kept here, so the window never holds
/// the path or the bytes.
pub(super) struct LockedFile {
    bytes: Vec<u8>,
    title: String,
}

/// Bytes before the pixels in a rendered page: width and height, little-endian u32.
pub const PAGE_HEADER_BYTES: usize = 8;

/// More hits than anyone steps through; a query of one common letter stops here.
const MAX_FIND_HITS: usize = 5000;

impl AppCore {
    /// Opens a paper of the latest packet in the reader. The file is hashed again first,
    /// so the reader never shows bytes that are not what was published.
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
            Ok(workers.open_bytes(files.read_verified(&hash)?, None)?)
        })?;
        let now = self.clock.now();
        self.store()
            .mark_read(session.member.id, paper, &file.hash, now)?;
        let indexed = self.search_index()?.contains(file.hash.as_str())?;
        self.show(
            OpenedDocument {
                id: paper.to_string(),
                position_key: paper.to_string(),
                title: entry.title.unwrap_or_default(),
                index_key: Some(file.hash),
                searchable_if_unindexed: None,
            },
            document,
            indexed,
        )
    }

    /// Opens a PDF from the computer (chosen in a dialog the shell opened). A file with a
    /// password is kept for [`AppCore::unlock_local_pdf`] and refused with
    /// `pdf_password_protected`, so the window can ask for it.
    pub async fn open_local_pdf(&self, path: &Path) -> Result<dto::OpenedPaper, IpcError> {
        let bytes = std::fs::read(path).map_err(|e| {
            IpcError::new(
                IpcErrorCode::FileUnreadable,
                format!(
                    "cannot read {}: {e}",
                    path.file_name().unwrap_or_default().to_string_lossy()
                ),
            )
        })?;
        let title = path
            .file_stem()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.open_local_bytes(LockedFile { bytes, title }, None)
    }

    /// Opens the PDF the app was started with (`ecabinet FILE.pdf`, as a file manager's
    /// "Open with" does), once; `None` when there was none or it was already opened.
    pub async fn open_launch_pdf(&self) -> Result<Option<dto::OpenedPaper>, IpcError> {
        let path = self.launch_file.lock().expect("the launch file").take();
        match path {
            Some(path) => self.open_local_pdf(&path).await.map(Some),
            None => Ok(None),
        }
    }

    /// Tries `password` on the protected file the last [`AppCore::open_local_pdf`] kept.
    pub async fn unlock_local_pdf(&self, password: &str) -> Result<dto::OpenedPaper, IpcError> {
        let locked = self.locked_file().take().ok_or_else(|| {
            IpcError::new(
                IpcErrorCode::NotFound,
                "no protected file is waiting for its password; open the file again",
            )
        })?;
        self.open_local_bytes(locked, Some(password))
    }

    fn open_local_bytes(
        &self,
        file: LockedFile,
        password: Option<&str>,
    ) -> Result<dto::OpenedPaper, IpcError> {
        let key = format!("file:{}", hex::encode(Sha256::digest(&file.bytes)));
        let opened = tokio::task::block_in_place(|| {
            self.pdf_workers()?
                .open_bytes(file.bytes.clone(), password)
                .map_err(IpcError::from)
        });
        let document = match opened {
            Ok(document) => document,
            Err(e) => {
                if matches!(
                    e.code,
                    IpcErrorCode::PdfPasswordProtected | IpcErrorCode::PdfWrongPassword
                ) {
                    *self.locked_file() = Some(file);
                }
                return Err(e);
            }
        };
        let searchable = document.info().first_page_has_text;
        self.show(
            OpenedDocument {
                id: format!("local-{}", uuid::Uuid::new_v4()),
                position_key: key,
                title: file.title,
                index_key: None,
                searchable_if_unindexed: Some(searchable),
            },
            document,
            false,
        )
    }

    pub(super) fn show(
        &self,
        opened: OpenedDocument,
        document: WorkerDocument,
        indexed: bool,
    ) -> Result<dto::OpenedPaper, IpcError> {
        // A file from the computer opens before anyone signs in too; it then starts at page 1.
        let member = self.store().session()?.map(|s| s.member.id);
        let info = document.info().clone();
        let outline = tokio::task::block_in_place(|| document.outline()).unwrap_or_else(|e| {
            // A broken outline costs the sidebar its bookmarks, not the paper.
            tracing::warn!("reading the outline: {e}");
            Vec::new()
        });
        let searchable = match (&opened.index_key, indexed) {
            (Some(key), true) => !self
                .search_index()?
                .unsearchable()?
                .iter()
                .any(|k| k == key.as_str()),
            _ => opened
                .searchable_if_unindexed
                .unwrap_or(info.first_page_has_text),
        };
        let last_page = match member {
            Some(member) => self.store().last_page(member, &opened.position_key)?,
            None => None,
        }
        .unwrap_or(0)
        .min(info.page_count.saturating_sub(1));
        let reply = dto::OpenedPaper {
            paper_id: opened.id.clone(),
            title: opened.title,
            page_count: info.page_count,
            pages: info
                .page_sizes
                .iter()
                .map(|size| dto::PageSizeView {
                    width_pt: size.width,
                    height_pt: size.height,
                })
                .collect(),
            outline: outline
                .into_iter()
                .map(|entry| dto::OutlineEntryView {
                    title: entry.title,
                    page: entry.page,
                    depth: entry.depth,
                })
                .collect(),
            last_page,
            searchable,
        };
        *self.reader_slot() = Some(Arc::new(OpenPaper {
            id: opened.id,
            position_key: opened.position_key,
            hash: opened.index_key.clone(),
            index_key: opened.index_key.filter(|_| indexed),
            searchable,
            texts: Mutex::new(vec![None; info.page_count as usize]),
            whole_text: Mutex::new(None),
            document: Arc::new(document),
        }));
        Ok(reply)
    }

    /// Renders a page of the open document about `width_px` pixels wide, as
    /// [`PAGE_HEADER_BYTES`] of width and height followed by the RGBA rows.
    pub async fn render_page(
        &self,
        paper_id: &str,
        page: u32,
        width_px: u32,
    ) -> Result<Vec<u8>, IpcError> {
        let open = self.open_document(paper_id)?;
        tokio::task::spawn_blocking(move || {
            let rendered = open
                .document
                .render(page, RenderSize::Width(width_px.clamp(100, 4000)))?;
            Ok(encode_page(&rendered))
        })
        .await
        .map_err(task_failed)?
    }

    /// A page's text and one box per character, for the window's text layer.
    pub async fn page_text(
        &self,
        paper_id: &str,
        page: u32,
    ) -> Result<dto::PageTextView, IpcError> {
        let open = self.open_document(paper_id)?;
        tokio::task::spawn_blocking(move || {
            let layout = open.document.page_text_layout(page)?;
            let boxes = layout
                .boxes
                .iter()
                .flat_map(|b| [b.left, b.top, b.right, b.bottom])
                .collect();
            Ok(dto::PageTextView {
                page,
                text: layout.text,
                boxes,
            })
        })
        .await
        .map_err(task_failed)?
    }

    /// Every occurrence of `query` in the open document, accents and case ignored, in
    /// page order. Page texts come from the search index when it has them, otherwise from
    /// the worker once per page.
    pub async fn find_in_paper(
        &self,
        paper_id: &str,
        query: &str,
    ) -> Result<Vec<dto::FindHitView>, IpcError> {
        let open = self.open_document(paper_id)?;
        let query = Query::parse(query);
        if query.is_empty() || !open.searchable {
            return Ok(Vec::new());
        }
        let index = self.search.clone();
        tokio::task::spawn_blocking(move || {
            let mut hits = Vec::new();
            for page in 0..open.document.page_count() {
                let text = open.text(page, &index)?;
                for range in query.phrase_ranges(&text) {
                    hits.push(dto::FindHitView {
                        page,
                        start: range.start as u32,
                        length: (range.end - range.start) as u32,
                    });
                    if hits.len() == MAX_FIND_HITS {
                        return Ok(hits);
                    }
                }
            }
            Ok(hits)
        })
        .await
        .map_err(task_failed)?
    }

    /// The member is on `page` of the open document; it reopens there. Nobody signed in
    /// (a file opened from the computer at start) has nowhere to keep it.
    pub fn remember_page(&self, paper_id: &str, page: u32) -> Result<(), IpcError> {
        let Some(session) = self.store().session()? else {
            return Ok(());
        };
        let open = self.open_document(paper_id)?;
        let page = page.min(open.document.page_count().saturating_sub(1));
        self.store().remember_page(
            session.member.id,
            &open.position_key,
            page,
            self.clock.now(),
        )?;
        Ok(())
    }

    pub fn close_paper(&self) {
        *self.reader_slot() = None;
        // The next paper is often opened right after: keep the workers a while.
        self.workers_used();
    }

    pub(crate) fn open_document(&self, id: &str) -> Result<Arc<OpenPaper>, IpcError> {
        self.reader_slot()
            .as_ref()
            .filter(|open| open.id == id)
            .cloned()
            .ok_or_else(|| IpcError::new(IpcErrorCode::NotFound, "this paper is not open any more"))
    }

    pub(crate) fn reader_slot(&self) -> std::sync::MutexGuard<'_, Option<Arc<OpenPaper>>> {
        self.reader
            .lock()
            .expect("a panic while holding the reader")
    }

    fn locked_file(&self) -> std::sync::MutexGuard<'_, Option<LockedFile>> {
        self.locked_file
            .lock()
            .expect("a panic while holding a protected file")
    }
}

/// What [`AppCore::show`] needs besides the open document.
pub(super) struct OpenedDocument {
    pub(super) id: String,
    pub(super) position_key: String,
    pub(super) title: String,
    pub(super) index_key: Option<BlobHash>,
    /// For a document search has not indexed: whether page 1 has text.
    pub(super) searchable_if_unindexed: Option<bool>,
}

impl OpenPaper {
    pub(crate) fn hash(&self) -> Option<&BlobHash> {
        self.hash.as_ref()
    }

    pub(crate) fn document(&self) -> &WorkerDocument {
        &self.document
    }

    /// The whole text of the document (its pages joined), which annotations are anchored in.
    /// Blocks on the PDF worker for pages the search index does not hold.
    pub(crate) fn whole_text(
        &self,
        index: &Mutex<ecabinet_search::SearchIndex>,
    ) -> Result<Arc<PaperText>, IpcError> {
        if let Some(text) = self.whole_text.lock().expect("whole text").clone() {
            return Ok(text);
        }
        let pages = (0..self.document.page_count())
            .map(|page| self.text(page, index))
            .collect::<Result<Vec<_>, _>>()?;
        let text = Arc::new(PaperText::new(&pages));
        *self.whole_text.lock().expect("whole text") = Some(text.clone());
        Ok(text)
    }

    fn text(
        &self,
        page: u32,
        index: &Mutex<ecabinet_search::SearchIndex>,
    ) -> Result<Arc<str>, IpcError> {
        if let Some(text) = self.texts.lock().expect("page texts")[page as usize].clone() {
            return Ok(text);
        }
        let indexed = match &self.index_key {
            Some(key) => index
                .lock()
                .expect("a panic while holding the search index")
                .page_text(key.as_str(), page)?,
            None => None,
        };
        let text: Arc<str> = match indexed {
            Some(text) => text.into(),
            None => self.document.page_text(page)?.into(),
        };
        self.texts.lock().expect("page texts")[page as usize] = Some(text.clone());
        Ok(text)
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
