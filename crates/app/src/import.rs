//! Importing PDFs as draft papers: from the file dialog, from files dropped on the window,
//! from the watched folder, or as a paper's new file. The core reads every file itself
//! (the UI only ever names a drop or a place) and opens it with PDFium here first, so an
//! unusable file is refused with the same code the server would give, before any upload,
//! and the paper is titled from the document (its metadata, else its first page's heading)
//! rather than its file name. Uploading and
//! attaching is `ecabinet_import`'s work.

use super::{AppCore, parse_id};
use crate::dto::{self, IpcError, IpcErrorCode};
use ecabinet_domain::{MeetingId, Paper, PaperId, PaperPlace, Visibility};
use ecabinet_import::{
    ImportError, Importer, PaperDraft, guess_kind, title_from_file_name, title_from_first_page,
};
use ecabinet_pdf::{PaperRefusal, PdfWorkers};
use ecabinet_protocol::{MAX_PAPER_BYTES, PaperPatch};
use ecabinet_store::StoredSession;
use ecabinet_sync::CouncilClient;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// Files dropped on the window, kept until the UI says where they go.
#[derive(Debug, Default)]
pub(super) struct Drops {
    next: u32,
    pending: HashMap<u32, Vec<PathBuf>>,
}

/// A file that opened as a usable PDF here.
pub(super) struct Checked {
    pub bytes: std::sync::Arc<[u8]>,
    /// The document's own title, when it has a meaningful one.
    pub title: Option<String>,
}

/// What an import makes of a file.
pub(super) enum Target {
    /// A new paper at this place (after the papers already there), or the next revision
    /// of the paper the watched folder imported from the same `source` before.
    New {
        place: PaperPlace,
        source: Option<String>,
    },
    /// The next file of this existing paper.
    Replace(PaperId),
}

/// Reads and checks a file as the server will: it must open without a password and pass
/// `ecabinet_pdf::accept_as_paper`. The file is
/// opened in a PDF worker process, so a hostile one costs a worker. Blocking.
pub(super) fn check_file(workers: &PdfWorkers, path: &Path) -> Result<Checked, IpcError> {
    let unreadable = |e: std::io::Error| {
        IpcError::new(
            IpcErrorCode::FileUnreadable,
            format!("cannot read {}: {e}", path.display()),
        )
    };
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    if size > MAX_PAPER_BYTES {
        return Err(IpcError::new(
            IpcErrorCode::PayloadTooLarge,
            format!(
                "{} is {size} bytes, more than the server accepts",
                path.display()
            ),
        ));
    }
    let bytes: std::sync::Arc<[u8]> = std::fs::read(path).map_err(unreadable)?.into();
    let document = workers.open_bytes(bytes.clone(), None)?;
    let info = document.info();
    ecabinet_pdf::accept_as_paper(info).map_err(|refusal| match refusal {
        PaperRefusal::Restricted => IpcError::new(
            IpcErrorCode::PdfRestricted,
            "the PDF forbids printing or copying",
        ),
        PaperRefusal::NoPages => IpcError::new(IpcErrorCode::PdfCorrupt, "the PDF has no pages"),
    })?;
    // The document's own title, else the heading of its first page (so a file named
    // without accents still gets its Vietnamese title); the file name comes last.
    let title = info
        .metadata
        .title
        .clone()
        .filter(|t| meaningful_title(t))
        .or_else(|| {
            let first_page = document.page_text(0).ok()?;
            title_from_first_page(&first_page)
        });
    Ok(Checked { bytes, title })
}

/// Document titles that say nothing about the paper: left by the tool that made the PDF.
fn meaningful_title(title: &str) -> bool {
    let lower = title.trim().to_lowercase();
    !(lower.is_empty()
        || lower == "untitled"
        || lower.starts_with("microsoft word - ")
        || lower.ends_with(".doc")
        || lower.ends_with(".docx"))
}

/// The title a new paper gets: the document's own, else one made from its file name.
pub(super) fn paper_title(document_title: Option<&str>, file_name: &str) -> String {
    match document_title {
        Some(title) => title.trim().to_owned(),
        None => title_from_file_name(file_name),
    }
}

/// A file's name as people see it (never used as a path).
pub(super) fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

impl AppCore {
    /// Imports `paths` as new papers at `place`, one after the other. Each file's progress
    /// and refusal go out as `upload-progress`; the outcomes say what became of each.
    pub async fn import_files(
        &self,
        meeting_id: &str,
        place: dto::PaperPlace,
        paths: Vec<PathBuf>,
    ) -> Result<Vec<dto::ImportOutcome>, IpcError> {
        let session = self.session()?;
        let meeting: MeetingId = parse_id(meeting_id)?;
        let place: PaperPlace = place.try_into()?;
        let client = CouncilClient::new(&session.server_url)?;
        let mut outcomes = Vec::with_capacity(paths.len());
        for path in paths {
            let target = Target::New {
                place,
                source: None,
            };
            let result = self
                .import_file(&client, &session, meeting, &path, target)
                .await;
            outcomes.push(outcome(&path, result));
            // The store shows it at once, and the importer places the next file after it.
            self.catch_up(&client, &session).await;
        }
        Ok(outcomes)
    }

    /// Gives a new file to an existing paper (a new revision; the approval lapses).
    pub async fn replace_paper_file(
        &self,
        paper_id: &str,
        path: PathBuf,
    ) -> Result<dto::ImportOutcome, IpcError> {
        let session = self.session()?;
        let paper: PaperId = parse_id(paper_id)?;
        let meeting = self
            .store()
            .paper(paper)?
            .ok_or_else(|| {
                IpcError::new(IpcErrorCode::NotFound, "the paper is not on this device")
            })?
            .meeting_id;
        let client = CouncilClient::new(&session.server_url)?;
        let result = self
            .import_file(&client, &session, meeting, &path, Target::Replace(paper))
            .await;
        self.catch_up(&client, &session).await;
        Ok(outcome(&path, result))
    }

    /// Keeps files dropped on the window under a number the UI refers to.
    pub fn remember_drop(&self, paths: Vec<PathBuf>) -> dto::FilesDropped {
        let mut drops = self.drops.lock().expect("a panic while holding the drops");
        drops.next += 1;
        let drop_id = drops.next;
        let file_names = paths.iter().map(|p| display_name(p)).collect();
        // Only the latest few drops can still be placed; older ones were abandoned.
        drops.pending.retain(|id, _| *id + 8 > drop_id);
        drops.pending.insert(drop_id, paths);
        dto::FilesDropped {
            drop_id,
            file_names,
            x: 0.0,
            y: 0.0,
        }
    }

    pub async fn import_dropped(
        &self,
        drop_id: u32,
        meeting_id: &str,
        place: dto::PaperPlace,
    ) -> Result<Vec<dto::ImportOutcome>, IpcError> {
        let paths = self
            .drops
            .lock()
            .expect("a panic while holding the drops")
            .pending
            .remove(&drop_id)
            .ok_or_else(|| {
                IpcError::new(
                    IpcErrorCode::NotFound,
                    "those dropped files are gone; drop them again",
                )
            })?;
        self.import_files(meeting_id, place, paths).await
    }

    /// Checks, uploads and attaches one file, reporting each step as `upload-progress`.
    pub(super) async fn import_file(
        &self,
        client: &CouncilClient,
        session: &StoredSession,
        meeting: MeetingId,
        path: &Path,
        target: Target,
    ) -> Result<Paper, IpcError> {
        let file_name = display_name(path);
        let upload_id = Uuid::new_v4().to_string();
        let report = |stage, sent, total, error: Option<IpcError>| {
            self.notify.upload_progress(dto::UploadProgress {
                upload_id: upload_id.clone(),
                file_name: file_name.clone(),
                stage,
                sent,
                total,
                error,
            })
        };
        report(dto::UploadStage::Checking, 0, 0, None);
        let result = async {
            let checked = tokio::task::block_in_place(|| check_file(&self.pdf_workers()?, path))?;
            let total = checked.bytes.len() as u64;
            report(dto::UploadStage::Uploading, 0, total, None);
            let paper = match target {
                Target::New { place, source } => {
                    let title = paper_title(checked.title.as_deref(), &file_name);
                    let draft = PaperDraft {
                        place,
                        kind: Some(guess_kind(&format!("{title} {file_name}"))),
                        title: Some(title),
                        visibility: Visibility::AllParticipants,
                        source,
                    };
                    // Uploading and attaching are one step of the importer.
                    Importer::new(
                        client.clone(),
                        session.token.clone(),
                        meeting,
                        self.store.clone(),
                    )
                    .import_file(path, draft)
                    .await?
                }
                Target::Replace(paper) => {
                    let blob = client
                        .upload_blob(&session.token, checked.bytes.to_vec())
                        .await?;
                    report(dto::UploadStage::Attaching, total, total, None);
                    let patch = PaperPatch {
                        hash: Some(blob.hash),
                        file_name: Some(file_name.clone()),
                        ..Default::default()
                    };
                    client.patch_paper(&session.token, paper, &patch).await?
                }
            };
            Ok::<_, IpcError>((paper, total))
        }
        .await;
        match result {
            Ok((paper, total)) => {
                report(dto::UploadStage::Done, total, total, None);
                Ok(paper)
            }
            Err(error) => {
                tracing::info!("importing {}: {}", path.display(), error.message);
                report(dto::UploadStage::Failed, 0, 0, Some(error.clone()));
                Err(error)
            }
        }
    }
}

fn outcome(path: &Path, result: Result<Paper, IpcError>) -> dto::ImportOutcome {
    match result {
        Ok(paper) => dto::ImportOutcome {
            file_name: display_name(path),
            paper_id: Some(paper.id.to_string()),
            error: None,
        },
        Err(error) => dto::ImportOutcome {
            file_name: display_name(path),
            paper_id: None,
            error: Some(error),
        },
    }
}

impl From<ImportError> for IpcError {
    fn from(e: ImportError) -> Self {
        match e {
            ImportError::Sync(e) => e.into(),
            ImportError::Store(_) => {
                IpcError::from(anyhow::Error::new(e).context("importing a paper"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paper_is_named_after_its_document_title_or_else_its_file() {
        assert_eq!(
            paper_title(Some(" TỜ TRÌNH dự toán "), "01.pdf"),
            "TỜ TRÌNH dự toán"
        );
        assert_eq!(
            paper_title(None, "bao-cao-tham-tra.pdf"),
            "Bao cao tham tra"
        );
        assert!(!meaningful_title("untitled"));
        assert!(!meaningful_title("Microsoft Word - To trinh.docx"));
        assert!(meaningful_title("Phụ lục số liệu dự toán"));
    }

    #[test]
    fn the_kind_is_guessed_from_the_document_title_as_well_as_the_file_name() {
        let kind = |title: &str, file: &str| guess_kind(&format!("{title} {file}"));
        assert_eq!(
            kind("BÁO CÁO THẨM TRA tờ trình", "03.pdf"),
            ecabinet_domain::PaperKind::ReviewReport
        );
        assert_eq!(
            kind("Phụ lục số liệu", "04.pdf"),
            ecabinet_domain::PaperKind::Appendix
        );
    }
}
