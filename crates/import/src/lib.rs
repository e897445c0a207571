//! The secretary's side of papers: a PDF picked in a dialog, dropped on an agenda item or
//! found in the watched folder becomes a draft paper of the meeting being prepared.
//!
//! The council server checks every file (it must open as an unprotected PDF) and answers a
//! refusal with a code; this crate turns files into uploads and names and places them (a
//! watched folder's file carries its path as the paper's `source`, so that a changed file
//! becomes the next revision of the same paper; the app follows the folder). It holds no
//! state of its own: the meeting's programme comes from the local
//! store, and every paper lives on the server.

mod heading;

pub use heading::title_from_first_page;

use ecabinet_domain::{MeetingId, Paper, PaperId, PaperKind, PaperPlace, Visibility};
use ecabinet_protocol::NewPaper;
use ecabinet_store::Store;
use ecabinet_sync::{CouncilClient, SyncError};
use std::path::Path;
use std::sync::{Arc, Mutex};
use uuid::Uuid;

/// Why a file did not become a paper.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The server (or the network) refused; the code says why.
    #[error(transparent)]
    Sync(#[from] SyncError),
    #[error("the local store could not be read: {0}")]
    Store(String),
}

/// A paper's kind guessed from its file name, the way secretariats name files
/// (`to-trinh…`, `du-thao-nghi-quyet…`); the secretary can change it afterwards.
pub fn guess_kind(file_name: &str) -> PaperKind {
    let name = fold(file_name);
    if name.contains("du thao") || name.contains("nghi quyet") {
        PaperKind::DraftResolution
    } else if name.contains("tham tra") {
        PaperKind::ReviewReport
    } else if name.contains("phu luc") {
        PaperKind::Appendix
    } else if name.contains("to trinh") {
        PaperKind::Submission
    } else {
        PaperKind::Other
    }
}

/// A name as search compares words (`ecabinet_search::fold`: lowercase, no diacritics, `đ`
/// as `d`), with the separators file names use as spaces: "Tờ_trình-2027" → "to trinh 2027".
fn fold(text: &str) -> String {
    ecabinet_search::fold(text)
        .text
        .chars()
        .map(|c| if matches!(c, '-' | '_' | '.') { ' ' } else { c })
        .collect()
}

/// A title from a file name: without extension and separators, first letter capitalised.
pub fn title_from_file_name(file_name: &str) -> String {
    let stem = Path::new(file_name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let spaced = stem.replace(['-', '_'], " ");
    let trimmed = spaced.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = trimmed.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Tài liệu".to_owned(),
    }
}

/// Imports files as papers of one meeting, for the signed-in secretary.
#[derive(Clone)]
pub struct Importer {
    client: CouncilClient,
    token: String,
    meeting: MeetingId,
    store: Arc<Mutex<Store>>,
}

impl std::fmt::Debug for Importer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Importer")
            .field("meeting", &self.meeting)
            .finish()
    }
}

/// How a file should become a paper.
#[derive(Debug, Clone)]
pub struct PaperDraft {
    pub place: PaperPlace,
    pub title: Option<String>,
    pub kind: Option<PaperKind>,
    pub visibility: Visibility,
    /// The watched folder's relative path, which makes a changed file the same paper.
    pub source: Option<String>,
}

impl Importer {
    pub fn new(
        client: CouncilClient,
        token: String,
        meeting: MeetingId,
        store: Arc<Mutex<Store>>,
    ) -> Importer {
        Importer {
            client,
            token,
            meeting,
            store,
        }
    }

    /// Uploads `path` and attaches it as a draft paper (or the next revision of the paper
    /// with the same source).
    pub async fn import_file(&self, path: &Path, draft: PaperDraft) -> Result<Paper, ImportError> {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let blob = self.client.upload_blob_file(&self.token, path).await?;
        let position = self.next_position(draft.place)?;
        let paper = NewPaper {
            id: PaperId(Uuid::new_v4()),
            place: draft.place,
            position,
            title: draft
                .title
                .unwrap_or_else(|| title_from_file_name(&file_name)),
            kind: draft.kind.unwrap_or_else(|| guess_kind(&file_name)),
            visibility: draft.visibility,
            hash: blob.hash,
            file_name,
            source: draft.source,
        };
        Ok(self
            .client
            .add_paper(&self.token, self.meeting, &paper)
            .await?)
    }

    fn store(&self) -> Result<std::sync::MutexGuard<'_, Store>, ImportError> {
        self.store
            .lock()
            .map_err(|_| ImportError::Store("the store lock is poisoned".into()))
    }

    fn next_position(&self, place: PaperPlace) -> Result<i32, ImportError> {
        let papers = self
            .store()?
            .papers(self.meeting)
            .map_err(|e| ImportError::Store(format!("{e:#}")))?;
        Ok(papers
            .iter()
            .filter(|p| p.place == place)
            .map(|p| p.position)
            .max()
            .unwrap_or(0)
            + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_guessed_from_how_secretariats_name_files() {
        assert_eq!(guess_kind("01-to-trinh-du-toan.pdf"), PaperKind::Submission);
        assert_eq!(
            guess_kind("Dự thảo Nghị quyết.pdf"),
            PaperKind::DraftResolution
        );
        assert_eq!(
            guess_kind("03-bao-cao-tham-tra-ban-kinh-te.pdf"),
            PaperKind::ReviewReport
        );
        assert_eq!(guess_kind("PHỤ_LỤC số liệu.pdf"), PaperKind::Appendix);
        assert_eq!(guess_kind("anh-chup.pdf"), PaperKind::Other);
    }

    #[test]
    fn titles_come_from_file_names_without_separators() {
        assert_eq!(
            title_from_file_name("tờ-trình_dự toán.pdf"),
            "Tờ trình dự toán"
        );
        assert_eq!(title_from_file_name("__-.pdf"), "Tài liệu");
    }
}
