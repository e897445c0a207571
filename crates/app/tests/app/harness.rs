//! A council and the devices that talk to it: the real council server (its router on a
//! loopback port, SQLite storage and paper files in a temp dir, a clock the test moves),
//! seeded with the demo council and its published packet; and the app's core on a data dir
//! of its own, with a [`Notify`] that records what the shell would turn into window
//! events, so a test waits for "the downloads are complete" instead of sleeping.

use council_server::blobs::FsBlobStore;
use council_server::paper_check::PaperCheck;
use council_server::{ServerState, demo, demo_packet, router};
use council_storage::prelude::*;
use council_storage_sqlite::SqliteCouncilStorage;
use ecabinet_app::dto::{self, IpcErrorCode};
use ecabinet_app::{AppCore, AppSetup, Notify};
use ecabinet_domain::{ManualClock, Timestamp};
use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// Every demo account's password (the demo council is seeded with one for all).
pub const DEMO_PASSWORD: &str = "mật-khẩu-demo";

/// The server's "now" when the council is seeded: 03:00 on 24 November 2026 in Vietnam. The
/// demo session starts fifteen days later.
pub const NOW: Timestamp = Timestamp(1_795_464_000_000);

/// The demo session whose packet (version 1, nine papers) is published at the start.
pub const DEMO_SESSION: &str = "Kỳ họp thứ mười, Hội đồng nhân dân thành phố khóa XVI";

/// How long anything a test waits for may take before the test fails saying what it
/// waited for: generous, since PDF workers start and two cores are shared.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// The PDF worker role of this crate, as the app runs its own executable.
pub fn pdf_worker() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_ecabinet-app-pdf-worker"))
}

/// A file of the shared test fixtures (`/work/shared/fixtures`).
pub fn fixture(relative: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures")
        .join(relative);
    assert!(path.is_file(), "fixture {} is missing", path.display());
    path
}

/// The council server, serving on a loopback port until dropped.
pub struct Council {
    pub url: String,
    /// The server's clock: sessions last `state.session_ttl_ms` of it.
    pub clock: Arc<ManualClock>,
    pub state: ServerState,
    server: tokio::task::JoinHandle<()>,
    dir: tempfile::TempDir,
}

impl Council {
    /// The demo council, its session's packet published, the special session's draft
    /// papers attached and its delegates' opinions sent, as `council-server --demo` starts.
    pub async fn demo() -> Council {
        let dir = tempfile::tempdir().unwrap();
        let storage = SqliteCouncilStorage::open(&dir.path().join("council.db"))
            .await
            .expect("opening the council's SQLite storage");
        let seed = demo::council_seed(NOW, DEMO_PASSWORD, &mut rand::rng()).unwrap();
        let council = seed.council.id;
        storage.seed_council(seed).await.unwrap();
        let clock = Arc::new(ManualClock::at(NOW));
        let blobs = FsBlobStore::open(&dir.path().join("blobs")).unwrap();
        let state = ServerState::new(
            Arc::new(storage),
            clock.clone(),
            Arc::new(blobs),
            // Uploads are checked by the same worker role the app uses.
            PaperCheck::new(pdf_worker()),
        );
        demo_packet::publish(&state, council)
            .await
            .expect("publishing the demo packet");
        demo_packet::seed_drafts(&state, council)
            .await
            .expect("attaching the demo's draft papers");
        demo_packet::seed_opinions(&state, council)
            .await
            .expect("sending the demo's opinions");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
        let server = tokio::spawn(async move {
            axum::serve(listener, app)
                .await
                .expect("serving the council");
        });
        Council {
            url: format!("http://{addr}"),
            clock,
            state,
            server,
            dir,
        }
    }

    /// Files the server keeps (uploads that passed its check), by name.
    pub fn stored_files(&self) -> Vec<String> {
        fn walk(dir: &Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let entry = entry.unwrap();
                if entry.file_type().unwrap().is_dir() {
                    walk(&entry.path(), out);
                } else {
                    out.push(entry.file_name().to_string_lossy().into_owned());
                }
            }
        }
        let mut files = Vec::new();
        walk(&self.dir.path().join("blobs"), &mut files);
        files.sort();
        files
    }
}

impl Drop for Council {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// What the core told the window so far: the latest of each event, and every upload step.
#[derive(Debug, Clone, Default)]
pub struct Events {
    pub sync: Option<dto::SyncStatus>,
    pub cursor: i64,
    pub downloads: Option<dto::DownloadProgress>,
    pub uploads: Vec<dto::UploadProgress>,
    pub search_index: Option<dto::SearchIndexProgress>,
    /// The last sitting shown.
    pub sitting: Option<dto::SittingView>,
    /// The last state shown of each poll, by id.
    pub polls: std::collections::HashMap<String, dto::PollView>,
    /// The last turnout heard.
    pub turnout: Option<dto::PollTurnoutView>,
    /// Chat changes heard, and others' messages that arrived (for a notification).
    pub chat_changes: usize,
    pub chat_arrived: Vec<dto::ChatMessageView>,
}

/// The window, as far as the core can tell: it records events on a watch channel.
pub struct Window(watch::Sender<Events>);

impl Notify for Window {
    fn sync_status(&self, status: dto::SyncStatus) {
        self.0.send_modify(|e| e.sync = Some(status));
    }
    fn store_changed(&self, change: dto::StoreChanged) {
        self.0.send_modify(|e| e.cursor = change.cursor);
    }
    fn download_progress(&self, progress: dto::DownloadProgress) {
        self.0.send_modify(|e| e.downloads = Some(progress));
    }
    fn upload_progress(&self, progress: dto::UploadProgress) {
        self.0.send_modify(|e| e.uploads.push(progress));
    }
    fn watched_folder(&self, _folder: Option<dto::WatchedFolderView>) {}
    fn search_index_progress(&self, progress: dto::SearchIndexProgress) {
        self.0.send_modify(|e| e.search_index = Some(progress));
    }
    fn sitting_changed(&self, sitting: dto::SittingView) {
        self.0.send_modify(|e| e.sitting = Some(sitting));
    }
    fn poll_changed(&self, poll: dto::PollView) {
        self.0.send_modify(|e| {
            e.polls.insert(poll.id.clone(), poll);
        });
    }
    fn poll_turnout(&self, turnout: dto::PollTurnoutView) {
        self.0.send_modify(|e| e.turnout = Some(turnout));
    }
    fn chat_changed(&self, changed: dto::ChatChanged) {
        self.0.send_modify(|e| {
            e.chat_changes += 1;
            e.chat_arrived.extend(changed.arrived);
        });
    }
}

/// One installation of the app: its core on a data dir of its own, and its window's events.
pub struct Device {
    pub core: Arc<AppCore>,
    pub events: watch::Receiver<Events>,
    pub data_dir: PathBuf,
    _dir: Option<tempfile::TempDir>,
}

impl Device {
    /// A fresh installation: nothing on it, nobody signed in.
    pub fn new() -> Device {
        let dir = tempfile::tempdir().unwrap();
        let mut device = Device::open(dir.path());
        device._dir = Some(dir);
        device
    }

    /// The app started on `data_dir` (what an earlier run left there), as the shell opens it.
    pub fn open(data_dir: &Path) -> Device {
        let (tx, events) = watch::channel(Events::default());
        let setup = AppSetup::new(data_dir, pdf_worker());
        let core = AppCore::open(setup, Arc::new(Window(tx))).expect("opening the app's core");
        Device {
            core: Arc::new(core),
            events,
            data_dir: data_dir.to_owned(),
            _dir: None,
        }
    }

    /// Signs `username` in with the demo password.
    pub async fn sign_in(&self, council: &Council, username: &str) -> dto::SessionInfo {
        self.core
            .login(&council.url, username, DEMO_PASSWORD)
            .await
            .unwrap_or_else(|e| panic!("{username} signs in: {e:?}"))
    }

    /// Runs the search indexer for the app's lifetime, as the shell spawns it at start.
    pub fn keep_search_index(&self) {
        tokio::spawn(self.core.clone().keep_search_index());
    }

    /// Waits until `ready` holds, checking again at every event of the window (and every
    /// 100 ms, for what changes without one); fails naming `what` after [`PATIENCE`].
    pub async fn until<T, F, Fut>(&self, what: &str, mut ready: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Option<T>>,
    {
        let mut events = self.events.clone();
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            if let Some(value) = ready().await {
                return value;
            }
            let next = async {
                tokio::select! {
                    _ = events.changed() => {}
                    _ = tokio::time::sleep(Duration::from_millis(100)) => {}
                }
            };
            if tokio::time::timeout_at(deadline, next).await.is_err() {
                panic!(
                    "waited {PATIENCE:?} for {what}; the window was last told {:#?}",
                    *self.events.borrow()
                );
            }
        }
    }

    /// The id of the meeting titled `title`, once it is on this device (the first pull
    /// after signing in brings it).
    pub async fn meeting_id(&self, title: &str) -> String {
        self.until(
            &format!("the meeting {title:?} to reach this device"),
            || async {
                let meetings = self.core.meetings().ok()?;
                meetings
                    .into_iter()
                    .find(|m| m.title == title)
                    .map(|m| m.id)
            },
        )
        .await
    }

    /// Waits for the packet of the meeting titled `title` to arrive and every file of it
    /// this member may read to be on the device; returns it.
    pub async fn packet_held(&self, title: &str) -> dto::MeetingPacket {
        self.until(
            &format!("the packet of {title:?} to be on the device"),
            || async {
                let meeting = self
                    .core
                    .meetings()
                    .ok()?
                    .into_iter()
                    .find(|m| m.title == title)?;
                let packet = self.core.meeting_packet(&meeting.id).ok()??;
                let complete = matches!(
                    self.core.download_progress().await.state,
                    dto::DownloaderState::Complete
                );
                (complete && packet.total_bytes > 0 && packet.held_bytes == packet.total_bytes)
                    .then_some(packet)
            },
        )
        .await
    }
}

/// The paper titled `title` in `packet`.
pub fn paper<'a>(packet: &'a dto::MeetingPacket, title: &str) -> &'a dto::PacketPaperView {
    packet
        .papers
        .iter()
        .find(|p| p.title.as_deref() == Some(title))
        .unwrap_or_else(|| {
            panic!(
                "no paper {title:?} in the packet, only {:?}",
                packet.papers.iter().map(|p| &p.title).collect::<Vec<_>>()
            )
        })
}

/// The code of a refusal, or a failure naming what should have been refused.
pub fn refused<T: std::fmt::Debug>(what: &str, result: Result<T, dto::IpcError>) -> IpcErrorCode {
    match result {
        Ok(value) => panic!("{what} was accepted: {value:?}"),
        Err(e) => e.code,
    }
}
