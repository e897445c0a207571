//! The desktop app's core, as a library: the local store, the PDF engine and its worker
//! processes, the paper files, and the sync loop and downloader of whoever is signed in;
//! preparation, the reader, search and the watched folder on top. It knows nothing of
//! windows: the Tauri shell (`src-tauri`) turns its methods into commands and its
//! [`Notify`] calls into window events, and this crate's own tests drive it against a real
//! council server on a loopback port, with no display.

mod accounts;
mod amendments;
mod annotations;
mod chat;
pub use chat::checked_link;
pub mod dto;
mod error;
pub mod export;
mod folder;
mod import;
pub mod ipc;
mod opinions;
mod packet;
pub mod pdf_worker;
mod polls;
mod prepare;
mod reader;
mod remote;
mod search;
mod sitting;

/// How the search indexer reads papers and tries again, for the tests in `tests/`.
#[doc(hidden)]
pub mod paper_reading {
    pub use crate::search::{AfterFailure, FailedReads, READ_RETRIES, ReadRetries, read_pages};
}

use crate::dto::{IpcError, IpcErrorCode};
use anyhow::Context;
use ecabinet_domain::{AgendaTree, Clock, MeetingId, SystemClock};
use ecabinet_pdf::{PdfEngine, PdfWorkers, WorkerConfig};
use ecabinet_store::{Store, StoredSession};
use ecabinet_sync::{
    Backoff, CouncilClient, DownloadHandle, PacketDownloader, PaperFiles, SyncHandle,
};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Where the core reports what happens on its own: the Tauri shell turns these into
/// window events.
pub trait Notify: Send + Sync + 'static {
    fn sync_status(&self, status: dto::SyncStatus);
    fn store_changed(&self, change: dto::StoreChanged);
    fn download_progress(&self, progress: dto::DownloadProgress);
    fn upload_progress(&self, progress: dto::UploadProgress);
    fn watched_folder(&self, folder: Option<dto::WatchedFolderView>);
    fn search_index_progress(&self, progress: dto::SearchIndexProgress);
    /// A followed sitting changed (an event arrived, or its state was fetched anew).
    fn sitting_changed(&self, sitting: dto::SittingView);
    /// A poll of a followed meeting changed (drafted, opened, closed, published, cancelled,
    /// or the member's ballot in it).
    fn poll_changed(&self, poll: dto::PollView);
    /// An open poll's turnout grew.
    fn poll_turnout(&self, turnout: dto::PollTurnoutView);
    /// The member's chat changed: conversations, marks, or messages (others' new ones for a
    /// notification).
    fn chat_changed(&self, changed: dto::ChatChanged);
}

/// PDF workers nothing has used for this long, with no paper open in the reader, are stopped
/// (they hold tens of megabytes each); the next paper opened, checked or indexed starts them
/// again.
const WORKERS_IDLE: Duration = Duration::from_secs(20);

struct RunningWorkers {
    pool: PdfWorkers,
    last_used: Instant,
}

/// What runs while someone is signed in.
struct Following {
    sync: SyncHandle,
    /// `None` only if the server address cannot be used for downloads either.
    downloads: Option<DownloadHandle>,
}

/// Where the core keeps its data and how it gets what it must not choose itself.
pub struct AppSetup {
    /// The local store, the paper files and the search index live here.
    pub data_dir: PathBuf,
    /// The program started as a PDF worker, with `worker --parent PID` (the app passes its
    /// own executable; see [`pdf_worker`]).
    pub pdf_worker: PathBuf,
    pub clock: Arc<dyn Clock>,
}

impl AppSetup {
    /// The data in `data_dir`, workers from `pdf_worker`, the system's clock.
    pub fn new(data_dir: impl Into<PathBuf>, pdf_worker: impl Into<PathBuf>) -> Self {
        AppSetup {
            data_dir: data_dir.into(),
            pdf_worker: pdf_worker.into(),
            clock: Arc::new(SystemClock),
        }
    }
}

pub struct AppCore {
    store: Arc<Mutex<Store>>,
    clock: Arc<dyn Clock>,
    pdf: Result<PdfEngine, String>,
    /// PDFium in worker processes, started at the first paper opened, checked or indexed and
    /// stopped once idle: every PDF comes from outside, and one that crashes or hangs PDFium
    /// must cost a worker, not the app. (The engine bound above only tells the window
    /// whether PDFium is there.)
    workers: Mutex<Option<RunningWorkers>>,
    files: PaperFiles,
    data_dir: PathBuf,
    pdf_worker: PathBuf,
    following: tokio::sync::Mutex<Option<Following>>,
    notify: Arc<dyn Notify>,
    reader: Mutex<Option<Arc<reader::OpenPaper>>>,
    /// The PDF the app was started with, until the window asks for it.
    launch_file: Mutex<Option<PathBuf>>,
    /// A PDF from the computer waiting for its password.
    locked_file: Mutex<Option<reader::LockedFile>>,
    /// A login whose password an administrator set, until the member chooses their own.
    first_login: Mutex<Option<StoredSession>>,
    /// The text of every held paper, for search (derived data, beside the store).
    search: Arc<Mutex<ecabinet_search::SearchIndex>>,
    /// Wakes the search indexer: a paper file arrived.
    index_wake: Arc<tokio::sync::Notify>,
    /// Papers the PDF engine failed to read for search, waiting to be tried again.
    failed_reads: Mutex<search::FailedReads>,
    drops: Mutex<import::Drops>,
    folder: tokio::sync::Mutex<Option<folder::Watching>>,
    /// The store's sync cursor, for whoever waits for synced data (the watched folder).
    store_cursor: tokio::sync::watch::Sender<i64>,
    /// Marks already found to need review on a paper's current file (`amendments`).
    judged_reviews: Mutex<amendments::Judged>,
    /// The live sittings the window follows, as last known.
    sittings: Arc<sitting::HeldSittings>,
    /// The polls the window follows, as last known.
    polls: Arc<polls::HeldPolls>,
}

impl AppCore {
    /// Opens the local store and the paper files in the data dir and binds PDFium. A missing
    /// PDFium is reported in the snapshot, not fatal: the programme and sync work without it.
    pub fn open(setup: AppSetup, notify: Arc<dyn Notify>) -> anyhow::Result<AppCore> {
        let AppSetup {
            data_dir,
            pdf_worker,
            clock,
        } = setup;
        let store =
            Store::open(&data_dir.join("ecabinet.db")).context("opening the local store")?;
        let pdf = PdfEngine::bind().map_err(|e| {
            // The member is told in plain words; the paths tried are for whoever supports them.
            tracing::error!("the PDF engine cannot be bound: {e}");
            e.to_string()
        });
        match &pdf {
            Ok(engine) => tracing::info!("PDFium bound from {}", engine.library_path().display()),
            Err(e) => tracing::warn!("PDFium unavailable: {e}"),
        }
        let store = Arc::new(Mutex::new(store));
        let files = PaperFiles::open(&data_dir.join("papers"), store.clone(), clock.clone())
            .context("opening the paper files")?;
        let search =
            search::open_index(&data_dir.join("search.db")).context("opening the search index")?;
        Ok(AppCore {
            store,
            clock,
            pdf,
            workers: Mutex::new(None),
            files,
            data_dir,
            pdf_worker,
            following: tokio::sync::Mutex::new(None),
            notify,
            reader: Mutex::new(None),
            launch_file: Mutex::new(None),
            locked_file: Mutex::new(None),
            first_login: Mutex::new(None),
            search,
            index_wake: Arc::new(tokio::sync::Notify::new()),
            failed_reads: Mutex::new(search::FailedReads::default()),
            drops: Mutex::new(import::Drops::default()),
            folder: tokio::sync::Mutex::new(None),
            store_cursor: tokio::sync::watch::Sender::new(0),
            judged_reviews: Mutex::new(amendments::Judged::default()),
            sittings: Arc::default(),
            polls: Arc::default(),
        })
    }

    /// The app was started to open `path` (a command-line argument).
    pub fn open_at_launch(&self, path: PathBuf) {
        *self.launch_file.lock().expect("the launch file") = Some(path);
    }

    /// The PDF worker processes (this executable run as `ecabinet worker`), started on first
    /// use; or why papers cannot be shown or checked on this device. Blocking: starting
    /// waits for the workers to load PDFium.
    fn pdf_workers(&self) -> Result<PdfWorkers, IpcError> {
        let engine = self
            .pdf
            .as_ref()
            .map_err(|detail| IpcError::new(IpcErrorCode::PdfEngineUnavailable, detail.clone()))?;
        let mut slot = self
            .workers
            .lock()
            .expect("a panic while starting PDF workers");
        if let Some(running) = slot.as_mut() {
            running.last_used = Instant::now();
            return Ok(running.pool.clone());
        }
        let mut config = WorkerConfig::new(self.pdf_worker.clone());
        // One page on screen at a time, and imports one file after another.
        config.workers = 2;
        config.pdfium = Some(engine.library_path().to_owned());
        let workers = PdfWorkers::start(config)?;
        *slot = Some(RunningWorkers {
            pool: workers.clone(),
            last_used: Instant::now(),
        });
        Ok(workers)
    }

    /// Stops the PDF workers if nothing has used them for [`WORKERS_IDLE`] and no paper is
    /// open (a document still held elsewhere keeps its workers until it is dropped). Returns
    /// when to look again; `None` when none are running.
    fn stop_idle_workers(&self) -> Option<Instant> {
        let reading = self.reader_slot().is_some();
        let mut slot = self
            .workers
            .lock()
            .expect("a panic while holding the PDF workers");
        let running = slot.as_mut()?;
        let now = Instant::now();
        if reading {
            running.last_used = now;
        }
        let idle_from = running.last_used + WORKERS_IDLE;
        if now < idle_from {
            return Some(idle_from);
        }
        *slot = None;
        tracing::debug!("PDF workers stopped: idle");
        None
    }

    /// The workers were just used, though not through [`Self::pdf_workers`] (the reader's
    /// open document): they stay for [`WORKERS_IDLE`] from now.
    fn workers_used(&self) {
        if let Some(running) = self
            .workers
            .lock()
            .expect("a panic while holding the PDF workers")
            .as_mut()
        {
            running.last_used = Instant::now();
        }
    }

    fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        self.store
            .lock()
            .expect("a panic while holding the store lock")
    }

    fn session(&self) -> Result<StoredSession, IpcError> {
        self.store().session()?.ok_or_else(IpcError::not_signed_in)
    }

    /// Starts following the server if someone is signed in, and watching the folder they
    /// chose (called once at start-up).
    pub async fn resume(self: &Arc<Self>) -> anyhow::Result<()> {
        let session = self.store().session()?;
        if let Some(session) = session {
            self.start_sync(session).await;
            self.resume_watching().await;
        }
        Ok(())
    }

    async fn start_sync(&self, session: StoredSession) {
        let mut slot = self.following.lock().await;
        if let Some(old) = slot.take() {
            old.stop().await;
        }
        let sync = ecabinet_sync::spawn(
            self.store.clone(),
            session.clone(),
            self.clock.clone(),
            Backoff::default(),
        );
        tokio::spawn(forward(
            sync.status(),
            self.notify.clone(),
            self.store_cursor.clone(),
        ));
        tokio::spawn(sitting::follow(
            sync.sittings(),
            self.sittings.clone(),
            self.store.clone(),
            session.clone(),
            self.notify.clone(),
            self.clock.clone(),
        ));
        tokio::spawn(chat::follow(
            sync.chat(),
            self.store.clone(),
            session.member.id,
            self.notify.clone(),
        ));
        tokio::spawn(polls::follow(
            sync.sittings(),
            self.polls.clone(),
            self.store.clone(),
            session.clone(),
            self.notify.clone(),
            self.clock.clone(),
        ));
        let downloads = match PacketDownloader::new(self.files.clone(), &session) {
            Ok(downloader) => {
                let handle = downloader.following(sync.status()).spawn();
                tokio::spawn(forward_downloads(
                    handle.progress(),
                    self.notify.clone(),
                    self.index_wake.clone(),
                ));
                Some(handle)
            }
            Err(e) => {
                tracing::warn!("paper downloads cannot start: {e}");
                None
            }
        };
        *slot = Some(Following { sync, downloads });
    }

    pub async fn snapshot(&self) -> Result<dto::AppSnapshot, IpcError> {
        let session = self.store().session()?;
        let sync = match (&session, self.following.lock().await.as_ref()) {
            (Some(_), Some(following)) => dto::SyncStatus::from(&*following.sync.status().borrow()),
            _ => dto::SyncStatus {
                connection: dto::ConnectionState::SignedOut,
                last_synced_at: self.store().last_synced_at()?.map(|t| t.millis()),
                detail: None,
            },
        };
        let pdf_engine = match &self.pdf {
            Ok(engine) => dto::PdfEngineStatus {
                available: true,
                detail: format!("PDFium: {}", engine.library_path().display()),
            },
            Err(e) => dto::PdfEngineStatus {
                available: false,
                detail: e.clone(),
            },
        };
        Ok(dto::AppSnapshot {
            session: session.as_ref().map(Into::into),
            sync,
            pdf_engine,
        })
    }

    pub async fn login(
        &self,
        server_url: &str,
        username: &str,
        password: &str,
    ) -> Result<dto::SessionInfo, IpcError> {
        let client = CouncilClient::new(server_url)?;
        let response = client.login(username.trim(), password).await?;
        let session = StoredSession {
            server_url: client.server_url(),
            token: response.token,
            member: response.member,
            council: response.council,
        };
        if response.must_change_password {
            return Err(self.hold_first_login(session));
        }
        self.first_login.lock().expect("first login lock").take();
        self.store().save_session(&session)?;
        tracing::info!(user = %session.member.username, server = %session.server_url, "signed in");
        let info = dto::SessionInfo::from(&session);
        self.start_sync(session).await;
        Ok(info)
    }

    /// Signs out here at once; telling the server is best effort, so logout works offline.
    pub async fn logout(&self) -> Result<(), IpcError> {
        if let Some(following) = self.following.lock().await.take() {
            following.stop().await;
        }
        self.stop_watching_folder().await?;
        self.close_paper();
        self.sittings.forget_all();
        self.polls.forget_all();
        let Some(session) = self.store().session()? else {
            return Ok(());
        };
        self.store().clear_session()?;
        if let Ok(client) = CouncilClient::new(&session.server_url) {
            let reason =
                match tokio::time::timeout(Duration::from_secs(3), client.logout(&session.token))
                    .await
                {
                    Ok(Ok(())) => None,
                    Ok(Err(e)) => Some(e.to_string()),
                    Err(_) => Some("no answer within 3 s".to_owned()),
                };
            if let Some(reason) = reason {
                tracing::info!(
                    "could not revoke the token on the server (it expires on its own): {reason}"
                );
            }
        }
        Ok(())
    }

    pub fn meetings(&self) -> Result<Vec<dto::MeetingSummary>, IpcError> {
        self.session()?;
        Ok(self.store().meetings()?.iter().map(Into::into).collect())
    }

    pub fn agenda(&self, meeting_id: &str) -> Result<dto::MeetingAgenda, IpcError> {
        let member = self.session()?.member.id;
        let id: MeetingId = parse_id(meeting_id)?;
        let store = self.store();
        let meeting = store.meeting(id)?.ok_or_else(|| {
            IpcError::new(IpcErrorCode::NotFound, "this meeting is not on this device")
        })?;
        let programme = store.programme_view(id, member)?;
        let listing = ecabinet_store::MeetingListing {
            meeting,
            item_count: programme.items.len() as u32,
        };
        Ok(dto::MeetingAgenda {
            meeting: (&listing).into(),
            items: AgendaTree::build(programme.items)
                .roots
                .into_iter()
                .map(|node| dto::AgendaNodeView::from(node).with_marks(&programme.marks))
                .collect(),
            removed_items: programme.removed_titles,
        })
    }
}

/// An id from the UI. One that does not parse names nothing this device has.
fn parse_id<T: std::str::FromStr>(text: &str) -> Result<T, IpcError> {
    text.parse().map_err(|_| {
        IpcError::new(
            IpcErrorCode::NotFound,
            format!("{text:?} names nothing on this device"),
        )
    })
}

impl Following {
    /// Ends the sync loop and the downloader, so nothing writes the store after this.
    async fn stop(self) {
        if let Some(downloads) = self.downloads {
            downloads.stop().await;
        }
        self.sync.stop().await;
    }
}

/// A blocking task that panicked: logged in full, reported briefly.
fn task_failed(e: tokio::task::JoinError) -> IpcError {
    IpcError::from(anyhow::Error::new(e).context("a background task failed"))
}

/// Relays the downloader's progress to the window until it stops, and wakes the search
/// indexer when a file arrives.
async fn forward_downloads(
    mut progress: tokio::sync::watch::Receiver<ecabinet_sync::DownloadProgress>,
    notify: Arc<dyn Notify>,
    index_wake: Arc<tokio::sync::Notify>,
) {
    let mut done = usize::MAX;
    loop {
        let current = dto::DownloadProgress::from(&*progress.borrow_and_update());
        let now_done = current
            .files
            .iter()
            .filter(|f| matches!(f.state, dto::DownloadState::Done))
            .count();
        if now_done != done {
            // A file arrived (or a new round began): the indexer may have work.
            done = now_done;
            index_wake.notify_one();
        }
        notify.download_progress(current);
        if progress.changed().await.is_err() {
            return;
        }
    }
}

/// Relays a sync loop's status to the window until the loop ends.
async fn forward(
    mut status: tokio::sync::watch::Receiver<ecabinet_sync::SyncStatus>,
    notify: Arc<dyn Notify>,
    store_cursor: tokio::sync::watch::Sender<i64>,
) {
    let mut cursor = status.borrow().cursor;
    loop {
        let current = status.borrow_and_update().clone();
        notify.sync_status((&current).into());
        if current.cursor != cursor {
            cursor = current.cursor;
            notify.store_changed(dto::StoreChanged { cursor });
            store_cursor.send_replace(cursor);
        }
        if status.changed().await.is_err() {
            return;
        }
    }
}
