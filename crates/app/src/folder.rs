//! The secretary's watched folder: every PDF under a subfolder named by an item's number
//! becomes a draft paper of that item; a changed file becomes the same paper's next
//! revision (the server matches it by its path in the folder, the paper's `source`).
//!
//! A file whose item is not in the programme yet (or not synced yet, when watching resumes at
//! start-up) is tried again whenever the store changes, an unchanged file is not uploaded
//! again, and each file's progress and refusal show like any other import's.
//!
//! One folder for one meeting at a time. The choice is kept in `watched-folder.json` beside
//! the store, so watching resumes when the app starts again.

use super::import::{Target, display_name};
use super::{AppCore, parse_id};
use crate::dto::{self, IpcError, IpcErrorCode};
use ecabinet_domain::{AgendaTree, MeetingId, PaperPlace};
use ecabinet_folder_watch::{FolderEvent, FolderPaper, FolderWatch};
use ecabinet_sync::CouncilClient;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long a file must stay unchanged before it is imported: a copy in progress keeps
/// changing it, and a half-copied PDF would be refused as damaged.
const QUIET: Duration = Duration::from_secs(2);

/// The file that remembers the choice.
const CHOICE_FILE: &str = "watched-folder.json";

#[derive(Debug, Serialize, Deserialize)]
struct Choice {
    meeting_id: MeetingId,
    folder: PathBuf,
}

/// A folder being watched, and what it brought in.
pub(super) struct Watching {
    _watch: FolderWatch,
    view: Arc<Mutex<dto::WatchedFolderView>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Watching {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl AppCore {
    pub async fn watched_folder(&self) -> Option<dto::WatchedFolderView> {
        let slot = self.folder.lock().await;
        slot.as_ref()
            .map(|w| w.view.lock().expect("folder view lock").clone())
    }

    /// Watches `folder` for `meeting_id` instead of whatever was watched before.
    pub async fn watch_folder(
        self: &Arc<Self>,
        meeting_id: &str,
        folder: PathBuf,
    ) -> Result<dto::WatchedFolderView, IpcError> {
        self.session()?;
        let meeting: MeetingId = parse_id(meeting_id)?;
        let view = self.start_watching(meeting, folder.clone()).await?;
        let choice = Choice {
            meeting_id: meeting,
            folder,
        };
        if let Err(e) = std::fs::write(
            self.data_dir.join(CHOICE_FILE),
            serde_json::to_vec(&choice).unwrap_or_default(),
        ) {
            tracing::warn!("remembering the watched folder: {e}");
        }
        Ok(view)
    }

    pub async fn stop_watching_folder(&self) -> Result<(), IpcError> {
        self.folder.lock().await.take();
        match std::fs::remove_file(self.data_dir.join(CHOICE_FILE)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                tracing::warn!("forgetting the watched folder: {e}")
            }
            _ => {}
        }
        self.notify.watched_folder(None);
        Ok(())
    }

    /// Watches the folder chosen before the app last stopped, if any.
    pub(super) async fn resume_watching(self: &Arc<Self>) {
        let Ok(bytes) = std::fs::read(self.data_dir.join(CHOICE_FILE)) else {
            return;
        };
        match serde_json::from_slice::<Choice>(&bytes) {
            Ok(choice) => {
                if let Err(e) = self.start_watching(choice.meeting_id, choice.folder).await {
                    tracing::warn!("resuming the watched folder: {}", e.message);
                }
            }
            Err(e) => tracing::warn!("the remembered watched folder is unreadable: {e}"),
        }
    }

    async fn start_watching(
        self: &Arc<Self>,
        meeting: MeetingId,
        folder: PathBuf,
    ) -> Result<dto::WatchedFolderView, IpcError> {
        let mut slot = self.folder.lock().await;
        slot.take();
        let (events, mut received) = tokio::sync::mpsc::unbounded_channel();
        let watch = FolderWatch::start(&folder, QUIET, move |event| {
            let _ = events.send(event);
        })
        .map_err(|e| {
            IpcError::new(
                IpcErrorCode::FolderUnavailable,
                format!("cannot watch {}: {e}", folder.display()),
            )
        })?;
        let view = Arc::new(Mutex::new(dto::WatchedFolderView {
            meeting_id: meeting.to_string(),
            folder: watch.root().display().to_string(),
            failure: None,
            imports: Vec::new(),
        }));
        let core = Arc::clone(self);
        let task_view = view.clone();
        let mut store_moved = self.store_cursor.subscribe();
        let task = tokio::spawn(async move {
            // Files whose item is not in the programme (yet): tried again whenever the store
            // changes, since the secretary may add the item, or the first sync may still be
            // on its way when watching resumes at start-up.
            let mut unplaced: Vec<FolderPaper> = Vec::new();
            loop {
                let found = tokio::select! {
                    event = received.recv() => match event {
                        None => return,
                        Some(FolderEvent::Present(paper)) => {
                            unplaced.retain(|p| p.relative != paper.relative);
                            vec![paper]
                        }
                        Some(FolderEvent::Gone { relative }) => {
                            // A file taken out of the folder stays a paper: withdrawing is
                            // the secretary's decision, made on the screen.
                            unplaced.retain(|p| p.relative != relative);
                            continue;
                        }
                        Some(FolderEvent::Failed(reason)) => {
                            task_view.lock().expect("folder view lock").failure = Some(reason);
                            Vec::new()
                        }
                    },
                    moved = store_moved.changed() => {
                        if moved.is_err() {
                            return;
                        }
                        std::mem::take(&mut unplaced)
                    }
                };
                let mut news = false;
                for paper in found {
                    let (entry, placed) = core.import_from_folder(meeting, &paper).await;
                    if !placed {
                        unplaced.push(paper);
                    }
                    if let Some(entry) = entry {
                        let mut view = task_view.lock().expect("folder view lock");
                        let same = |e: &dto::FolderImport| {
                            e.relative == entry.relative
                                && e.outcome == entry.outcome
                                && e.outcome == dto::FolderImportOutcome::NoItem
                        };
                        if view.imports.iter().any(same) {
                            // Still waiting for its item: already listed as such.
                            continue;
                        }
                        // A file is listed once, as it stands now.
                        view.imports.retain(|e| e.relative != entry.relative);
                        view.imports.insert(0, entry);
                        view.imports.truncate(200);
                        news = true;
                    }
                }
                let failed = task_view
                    .lock()
                    .expect("folder view lock")
                    .failure
                    .is_some();
                if news || failed {
                    let current = task_view.lock().expect("folder view lock").clone();
                    core.notify.watched_folder(Some(current));
                }
            }
        });
        let current = view.lock().expect("folder view lock").clone();
        *slot = Some(Watching {
            _watch: watch,
            view,
            task,
        });
        tracing::info!("watching {} for meeting {meeting}", current.folder);
        self.notify.watched_folder(Some(current.clone()));
        Ok(current)
    }

    /// Imports one PDF the folder reported. Returns what to list (nothing when the file is
    /// already its paper's file, or when the programme has not arrived yet) and whether the
    /// file found its item (if not, it is tried again when the store changes).
    async fn import_from_folder(
        &self,
        meeting: MeetingId,
        found: &FolderPaper,
    ) -> (Option<dto::FolderImport>, bool) {
        let entry = |outcome, paper_id: Option<String>, error: Option<IpcError>| {
            Some(dto::FolderImport {
                relative: found.relative.clone(),
                item_number: found.item_number.clone(),
                outcome,
                paper_id,
                error,
                at: self.clock.now().millis(),
            })
        };
        let (item, existing) = {
            let store = self.store();
            let items = store.agenda_items(meeting).unwrap_or_default();
            if items.is_empty() {
                // Not synced yet: no verdict until the programme is here.
                return (None, false);
            }
            let item = found
                .item_number
                .as_deref()
                .and_then(|number| AgendaTree::build(items).item_numbered(number));
            let existing = store
                .papers(meeting)
                .unwrap_or_default()
                .into_iter()
                .find(|p| p.source.as_deref() == Some(found.relative.as_str()));
            (item, existing)
        };
        let Some(item) = item else {
            return (entry(dto::FolderImportOutcome::NoItem, None, None), false);
        };
        if let Some(paper) = &existing
            && !paper.withdrawn
            && same_bytes(&found.path, paper.file.hash.as_str())
        {
            return (None, true);
        }
        let session = match self.session() {
            Ok(session) => session,
            Err(e) => return (entry(dto::FolderImportOutcome::Failed, None, Some(e)), true),
        };
        let client = match CouncilClient::new(&session.server_url) {
            Ok(client) => client,
            Err(e) => {
                let error = Some(e.into());
                return (entry(dto::FolderImportOutcome::Failed, None, error), true);
            }
        };
        // The server makes a file from a known source the next revision of that paper.
        let target = Target::New {
            place: PaperPlace::Item(item),
            source: Some(found.relative.clone()),
        };
        let result = self
            .import_file(&client, &session, meeting, &found.path, target)
            .await;
        self.catch_up(&client, &session).await;
        match result {
            Ok(paper) => {
                let outcome = if existing.is_some() {
                    dto::FolderImportOutcome::Revised
                } else {
                    dto::FolderImportOutcome::Imported
                };
                tracing::info!(
                    "imported {} from the watched folder",
                    display_name(&found.path)
                );
                (entry(outcome, Some(paper.id.to_string()), None), true)
            }
            Err(error) => (
                entry(dto::FolderImportOutcome::Failed, None, Some(error)),
                true,
            ),
        }
    }
}

/// Whether the file at `path` hashes to `hash` (a file that cannot be read does not).
fn same_bytes(path: &Path, hash: &str) -> bool {
    std::fs::read(path).is_ok_and(|bytes| hex::encode(Sha256::digest(&bytes)) == hash)
}
