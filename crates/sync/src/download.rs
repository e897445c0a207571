//! The downloader: fetches the paper files the store says this device needs, soonest
//! meeting first, so a delegate can read the packet offline.
//!
//! Each file is streamed into `partial/<hash>.part` while a SHA-256 runs over the bytes;
//! after a cut (network, server, or the app killed) it resumes from the partial's length
//! with a range request, re-hashing the bytes already there first. A complete partial is
//! fsynced, its hash compared with its name, and only then renamed to `<hash>.pdf` (and
//! the directory fsynced) and recorded in the store. Progress goes out on a watch channel;
//! network trouble means backing off and trying again, never giving up silently.

use crate::paper_files::{PaperFiles, file_matches, hash_reader, remove_if_present, sync_dir};
use crate::{Backoff, ConnectionState, CouncilClient, SyncError, SyncStatus};
use ecabinet_domain::{BlobHash, MeetingId};
use ecabinet_store::{BlobNeed, StoredSession};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;
use tokio::sync::watch;

/// Byte progress is published at most this often; state changes go out at once.
const PROGRESS_INTERVAL: Duration = Duration::from_millis(100);

/// What the downloader as a whole is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DownloaderState {
    /// Looking at what the store needs and at the files already held.
    Checking,
    Downloading,
    /// Paused by the user; partial files are kept.
    Paused,
    /// The server cannot be reached; retrying with backoff (`detail` says why).
    Offline,
    /// Something else went wrong (a server error, a full disk); retrying with backoff.
    Retrying,
    /// Every file the device needs is held and verified.
    Complete,
    /// Everything that could be fetched is held; some papers failed (see each paper).
    Incomplete,
    /// The server refused the session: nothing more until the user logs in again.
    SignedOut,
}

/// What is happening to one paper's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaperDownloadState {
    Queued,
    Downloading,
    Done,
    /// Given up on for now, with the reason for people. Retried on the next kick.
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperProgress {
    pub hash: BlobHash,
    pub title: String,
    pub meeting_id: MeetingId,
    pub done: u64,
    pub total: u64,
    pub state: PaperDownloadState,
}

/// The downloader's progress, published on [`DownloadHandle::progress`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadProgress {
    pub state: DownloaderState,
    /// Why the state is what it is, for people (e.g. the network error when offline).
    pub detail: Option<String>,
    /// The files of this round: those still needed, and those fetched since the last time
    /// everything was complete.
    pub papers: Vec<PaperProgress>,
    pub done_bytes: u64,
    pub total_bytes: u64,
}

impl DownloadProgress {
    fn starting() -> DownloadProgress {
        DownloadProgress {
            state: DownloaderState::Checking,
            detail: None,
            papers: Vec::new(),
            done_bytes: 0,
            total_bytes: 0,
        }
    }

    /// Bytes done and in total for one meeting's papers in this round.
    pub fn meeting_bytes(&self, meeting: MeetingId) -> (u64, u64) {
        self.papers
            .iter()
            .filter(|p| p.meeting_id == meeting)
            .fold((0, 0), |(done, total), p| (done + p.done, total + p.total))
    }
}

/// A downloader ready to start: which files, which server, how to back off, and
/// (optionally) the sync engine whose pulls should prompt a new look at the store.
pub struct PacketDownloader {
    files: PaperFiles,
    client: CouncilClient,
    token: String,
    backoff: Backoff,
    engine: Option<watch::Receiver<SyncStatus>>,
}

impl PacketDownloader {
    pub fn new(files: PaperFiles, session: &StoredSession) -> Result<PacketDownloader, SyncError> {
        Ok(PacketDownloader {
            files,
            client: CouncilClient::new(&session.server_url)?,
            token: session.token.clone(),
            backoff: Backoff::default(),
            engine: None,
        })
    }

    pub fn with_backoff(mut self, backoff: Backoff) -> PacketDownloader {
        self.backoff = backoff;
        self
    }

    /// Looks at the store again whenever the engine's cursor moves (a pull applied
    /// changes, perhaps a new packet version) and retries at once when it comes online.
    pub fn following(mut self, engine: watch::Receiver<SyncStatus>) -> PacketDownloader {
        self.engine = Some(engine);
        self
    }

    /// Starts downloading. Only one downloader should run over the same files.
    pub fn spawn(self) -> DownloadHandle {
        let (progress_tx, progress) = watch::channel(DownloadProgress::starting());
        let (paused, paused_rx) = watch::channel(false);
        let (stop, stop_rx) = watch::channel(false);
        let files = self.files.clone();
        let engine_seen = self
            .engine
            .as_ref()
            .map_or((0, ConnectionState::Connecting), |e| {
                let s = e.borrow();
                (s.cursor, s.connection)
            });
        let run = Run {
            files: self.files,
            client: self.client,
            token: self.token,
            backoff: self.backoff,
            engine: self.engine,
            engine_seen,
            progress: progress_tx,
            paused: paused_rx,
            stop: stop_rx,
            papers: Vec::new(),
            state: DownloaderState::Checking,
            detail: None,
            failed: HashMap::new(),
            last_sent: Instant::now(),
        };
        let task = tokio::spawn(run.run());
        DownloadHandle {
            progress,
            paused,
            stop,
            files,
            task,
        }
    }
}

/// A running downloader. Dropping it stops the downloader too.
pub struct DownloadHandle {
    progress: watch::Receiver<DownloadProgress>,
    paused: watch::Sender<bool>,
    stop: watch::Sender<bool>,
    files: PaperFiles,
    task: tokio::task::JoinHandle<()>,
}

impl DownloadHandle {
    pub fn progress(&self) -> watch::Receiver<DownloadProgress> {
        self.progress.clone()
    }

    /// Stops transferring (the current file's partial is kept) until [`resume`](Self::resume).
    pub fn pause(&self) {
        self.paused.send_replace(true);
    }

    pub fn resume(&self) {
        self.paused.send_replace(false);
    }

    /// Looks at what the store needs again, and retries papers that failed.
    pub fn kick(&self) {
        self.files.kick();
    }

    pub fn files(&self) -> &PaperFiles {
        &self.files
    }

    /// Ends the downloader and waits for it: no file or store write happens after this.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// Resolves when asked to stop, or when the handle is gone.
async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|stop| *stop).await;
}

/// How fetching one file ended, when it did not end with the file held.
enum Problem {
    /// The bytes are not what the packet promised (wrong hash or length).
    Mismatch(String),
    /// The server does not (or no longer) give this member the file.
    NotOffered(String),
    Offline(String),
    Retry(String),
    SignedOut,
    Paused,
    Stopped,
}

impl From<SyncError> for Problem {
    fn from(e: SyncError) -> Problem {
        match e {
            SyncError::Unreachable(detail) => Problem::Offline(detail),
            SyncError::SessionExpired | SyncError::InvalidCredentials => Problem::SignedOut,
            SyncError::Refused(api)
                if matches!(
                    api.code,
                    ecabinet_protocol::ErrorCode::NotFound
                        | ecabinet_protocol::ErrorCode::Forbidden
                ) =>
            {
                Problem::NotOffered(api.message)
            }
            other => Problem::Retry(other.to_string()),
        }
    }
}

fn local(what: &str) -> impl FnOnce(io::Error) -> Problem + '_ {
    move |e| Problem::Retry(format!("{what}: {e}"))
}

fn joined<T>(result: Result<T, tokio::task::JoinError>) -> Result<T, Problem> {
    result.map_err(|e| Problem::Retry(format!("a background task failed: {e}")))
}

/// Why the downloader woke up from waiting.
#[derive(PartialEq, Eq)]
enum Wake {
    Stop,
    /// Time to look again (a kick, the engine moved, pause toggled, the backoff ran out).
    Look,
}

struct Run {
    files: PaperFiles,
    client: CouncilClient,
    token: String,
    backoff: Backoff,
    engine: Option<watch::Receiver<SyncStatus>>,
    engine_seen: (i64, ConnectionState),
    progress: watch::Sender<DownloadProgress>,
    paused: watch::Receiver<bool>,
    stop: watch::Receiver<bool>,
    papers: Vec<PaperProgress>,
    state: DownloaderState,
    detail: Option<String>,
    /// Papers given up on until the next kick, with the reason.
    failed: HashMap<BlobHash, String>,
    last_sent: Instant,
}

impl Run {
    async fn run(mut self) {
        self.publish(true);
        let cancel_verifier = Arc::new(AtomicBool::new(false));
        match self.check_held_files().await {
            Ok(held) => {
                let (files, cancel) = (self.files.clone(), cancel_verifier.clone());
                tokio::task::spawn_blocking(move || verify_in_background(&files, held, &cancel));
            }
            Err(e) => tracing::warn!("checking the held paper files: {e:#}"),
        }
        self.work().await;
        cancel_verifier.store(true, Ordering::SeqCst);
    }

    async fn work(&mut self) {
        loop {
            if *self.paused.borrow() {
                self.set_state(DownloaderState::Paused, None);
                if self.wait(None).await == Wake::Stop {
                    return;
                }
                continue;
            }
            let needs = match self.scan().await {
                Ok(needs) => needs,
                Err(Problem::Stopped) => return,
                Err(_) => {
                    if self.wait_backoff().await == Wake::Stop {
                        return;
                    }
                    continue;
                }
            };
            let todo: Vec<BlobNeed> = needs
                .into_iter()
                .filter(|n| !self.failed.contains_key(&n.hash))
                .collect();
            // The new list goes out together with what it means, so nobody sees the old
            // state (say, complete) beside a list that still needs downloading.
            if todo.is_empty() {
                self.backoff.reset();
                if self.failed.is_empty() {
                    self.show(DownloaderState::Complete, None);
                } else {
                    let detail = format!(
                        "{} paper file(s) could not be downloaded",
                        self.failed.len()
                    );
                    self.show(DownloaderState::Incomplete, Some(detail));
                }
                if self.wait(None).await == Wake::Stop {
                    return;
                }
                continue;
            }
            self.show(DownloaderState::Downloading, None);
            for need in todo {
                match self.fetch(&need).await {
                    Ok(()) => self.backoff.reset(),
                    Err(Problem::Mismatch(reason) | Problem::NotOffered(reason)) => {
                        tracing::warn!("paper file {} failed: {reason}", need.hash);
                        self.set_paper(&need.hash, PaperDownloadState::Failed(reason.clone()));
                        self.failed.insert(need.hash.clone(), reason);
                    }
                    Err(Problem::Paused) => break,
                    Err(Problem::Stopped) => return,
                    Err(Problem::SignedOut) => {
                        self.set_state(
                            DownloaderState::SignedOut,
                            Some(SyncError::SessionExpired.to_string()),
                        );
                        return;
                    }
                    Err(Problem::Offline(detail)) => {
                        tracing::info!("downloads offline: {detail}");
                        self.set_state(DownloaderState::Offline, Some(detail));
                        if self.wait_backoff().await == Wake::Stop {
                            return;
                        }
                        break;
                    }
                    Err(Problem::Retry(detail)) => {
                        tracing::warn!("downloads held up: {detail}");
                        self.set_state(DownloaderState::Retrying, Some(detail));
                        if self.wait_backoff().await == Wake::Stop {
                            return;
                        }
                        break;
                    }
                }
                if self.files.take_rescan() | self.engine_moved_now() {
                    self.failed.clear();
                    break;
                }
            }
        }
    }

    async fn wait_backoff(&mut self) -> Wake {
        let delay = self.backoff.next_delay(&mut rand::rng());
        self.wait(Some(delay)).await
    }

    /// Waits for a reason to look again; `limit` bounds the wait (backoff).
    async fn wait(&mut self, limit: Option<Duration>) -> Wake {
        let sleep = async {
            match limit {
                Some(limit) => tokio::time::sleep(limit).await,
                None => std::future::pending().await,
            }
        };
        let engine = engine_moved(&mut self.engine, &mut self.engine_seen);
        let (kicked, wake) = tokio::select! {
            _ = stopped(&mut self.stop) => (false, Wake::Stop),
            _ = self.files.kicked() => (true, Wake::Look),
            changed = self.paused.changed() => {
                (false, if changed.is_err() { Wake::Stop } else { Wake::Look })
            }
            _ = engine => (true, Wake::Look),
            _ = sleep => (false, Wake::Look),
        };
        if kicked {
            self.files.take_rescan();
            self.failed.clear();
        }
        wake
    }

    /// Whether the engine moved since last seen, without waiting.
    fn engine_moved_now(&mut self) -> bool {
        let Some(engine) = self.engine.as_mut() else {
            return false;
        };
        if !engine.has_changed().unwrap_or(false) {
            return false;
        }
        let status = engine.borrow_and_update();
        let moved = moved(&self.engine_seen, &status);
        self.engine_seen = (status.cursor, status.connection);
        moved
    }

    /// The store's needs, with the progress list rebuilt around them. Partials of files
    /// no longer needed are deleted.
    async fn scan(&mut self) -> Result<Vec<BlobNeed>, Problem> {
        let files = self.files.clone();
        let scanned = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
            let needs = files.store().lock().expect("store lock").blob_needs()?;
            let wanted: HashSet<&BlobHash> = needs.iter().map(|n| &n.hash).collect();
            let mut partial = HashMap::new();
            for entry in std::fs::read_dir(files.partial_dir())? {
                let entry = entry?;
                let name = entry.file_name();
                let hash = name
                    .to_str()
                    .and_then(|n| n.strip_suffix(".part"))
                    .and_then(BlobHash::parse);
                match hash {
                    Some(hash) if wanted.contains(&hash) => {
                        partial.insert(hash, entry.metadata()?.len());
                    }
                    _ => remove_if_present(&entry.path())?,
                }
            }
            Ok((needs, partial))
        });
        let (needs, partial) = match joined(scanned.await)? {
            Ok(scanned) => scanned,
            Err(e) => {
                let detail = format!("reading what to download: {e:#}");
                self.set_state(DownloaderState::Retrying, Some(detail.clone()));
                return Err(Problem::Retry(detail));
            }
        };
        let new_round = matches!(
            self.state,
            DownloaderState::Complete | DownloaderState::Incomplete
        );
        let needed: HashSet<&BlobHash> = needs.iter().map(|n| &n.hash).collect();
        self.papers.retain(|p| {
            !new_round && p.state == PaperDownloadState::Done && !needed.contains(&p.hash)
        });
        for need in &needs {
            self.papers.push(PaperProgress {
                hash: need.hash.clone(),
                title: need.title.clone(),
                meeting_id: need.meeting_id,
                done: partial.get(&need.hash).copied().unwrap_or(0).min(need.size),
                total: need.size,
                state: match self.failed.get(&need.hash) {
                    Some(reason) => PaperDownloadState::Failed(reason.clone()),
                    None => PaperDownloadState::Queued,
                },
            });
        }
        Ok(needs)
    }

    /// Fetches one file until it is held, retrying once from scratch when its bytes turn
    /// out wrong.
    async fn fetch(&mut self, need: &BlobNeed) -> Result<(), Problem> {
        self.set_paper(&need.hash, PaperDownloadState::Downloading);
        let mut result = self.transfer(need).await;
        if let Err(Problem::Mismatch(reason)) = &result {
            tracing::warn!("paper file {}: {reason}; downloading it again", need.hash);
            let partial = self.files.partial_path(&need.hash);
            remove_if_present(&partial).map_err(local("deleting a bad partial file"))?;
            self.set_paper_bytes(&need.hash, 0, true);
            result = self.transfer(need).await;
        }
        match result {
            Ok(()) => {
                self.set_paper_bytes(&need.hash, need.size, false);
                self.set_paper(&need.hash, PaperDownloadState::Done);
                Ok(())
            }
            Err(e) => {
                if matches!(
                    e,
                    Problem::Offline(_) | Problem::Retry(_) | Problem::Paused | Problem::Stopped
                ) {
                    self.set_paper(&need.hash, PaperDownloadState::Queued);
                }
                if let Problem::Mismatch(_) = e {
                    let partial = self.files.partial_path(&need.hash);
                    remove_if_present(&partial).map_err(local("deleting a bad partial file"))?;
                }
                Err(e)
            }
        }
    }

    async fn transfer(&mut self, need: &BlobNeed) -> Result<(), Problem> {
        let hash = need.hash.clone();
        let partial = self.files.partial_path(&hash);
        let final_path = self.files.path(&hash);

        // What is already on disk: a verified file in place (the app stopped between the
        // rename and the store's write), or a partial to resume, whose bytes are hashed
        // again since the hasher's state died with the last run.
        let (in_place, mut hasher, mut len) = {
            let (partial, final_path, hash) = (partial.clone(), final_path.clone(), hash.clone());
            joined(
                tokio::task::spawn_blocking(move || -> io::Result<_> {
                    if file_matches(&final_path, &hash)? {
                        return Ok((true, Sha256::new(), 0));
                    }
                    remove_if_present(&final_path)?;
                    match File::open(&partial) {
                        Ok(mut file) => {
                            let (hasher, len) = hash_reader(&mut file, Sha256::new())?;
                            Ok((false, hasher, len))
                        }
                        Err(e) if e.kind() == io::ErrorKind::NotFound => {
                            Ok((false, Sha256::new(), 0))
                        }
                        Err(e) => Err(e),
                    }
                })
                .await,
            )?
            .map_err(local("reading what was already downloaded"))?
        };
        if in_place {
            return self.record(need).await;
        }
        if len > need.size {
            remove_if_present(&partial).map_err(local("deleting an oversized partial file"))?;
            (hasher, len) = (Sha256::new(), 0);
        }
        self.set_paper_bytes(&hash, len, true);

        if len < need.size {
            let mut download = self
                .client
                .download_blob_range(&self.token, &hash, len)
                .await?;
            if download.total != need.size {
                return Err(Problem::Mismatch(format!(
                    "the server's file is {} bytes but the packet says {}",
                    download.total, need.size
                )));
            }
            let mut options = tokio::fs::OpenOptions::new();
            options.create(true);
            if download.start == len {
                options.append(true);
            } else {
                // The server sent the whole file rather than the rest: start over.
                options.write(true).truncate(true);
                (hasher, len) = (Sha256::new(), 0);
            }
            let mut file = options
                .open(&partial)
                .await
                .map_err(local("opening the partial file"))?;
            loop {
                let chunk = tokio::select! {
                    biased;
                    _ = stopped(&mut self.stop) => Err(Problem::Stopped),
                    changed = self.paused.changed() => match changed {
                        Ok(()) if !*self.paused.borrow() => continue,
                        _ => Err(Problem::Paused),
                    },
                    chunk = download.chunk() => chunk.map_err(Problem::from),
                };
                let bytes = match chunk {
                    Ok(Some(bytes)) => bytes,
                    Ok(None) => break,
                    Err(problem) => {
                        // Keep what arrived: the next attempt resumes after it.
                        let _ = file.flush().await;
                        return Err(problem);
                    }
                };
                if len + bytes.len() as u64 > need.size {
                    return Err(Problem::Mismatch(
                        "the server sent more bytes than the file has".into(),
                    ));
                }
                file.write_all(&bytes)
                    .await
                    .map_err(local("writing the partial file"))?;
                hasher.update(&bytes);
                len += bytes.len() as u64;
                self.set_paper_bytes(&hash, len, false);
            }
            file.flush()
                .await
                .map_err(local("writing the partial file"))?;
            file.sync_all()
                .await
                .map_err(local("syncing the partial file"))?;
            if len < need.size {
                return Err(Problem::Offline(
                    "the connection ended before the whole file arrived".into(),
                ));
            }
        }

        if hex::encode(hasher.finalize()) != hash.as_str() {
            return Err(Problem::Mismatch(
                "the downloaded bytes do not match the paper's hash".into(),
            ));
        }
        let dir = self.files.dir().to_owned();
        joined(
            tokio::task::spawn_blocking(move || -> io::Result<()> {
                std::fs::rename(&partial, &final_path)?;
                sync_dir(&dir)
            })
            .await,
        )?
        .map_err(local("moving the verified file into place"))?;
        self.record(need).await
    }

    async fn record(&mut self, need: &BlobNeed) -> Result<(), Problem> {
        let files = self.files.clone();
        let (hash, size) = (need.hash.clone(), need.size);
        joined(
            tokio::task::spawn_blocking(move || {
                let now = files.now();
                files
                    .store()
                    .lock()
                    .expect("store lock")
                    .record_blob(&hash, size, now)
            })
            .await,
        )?
        .map_err(|e| Problem::Retry(format!("recording a downloaded file: {e:#}")))
    }

    /// At start, cheaply: every held file must exist with its published size. Those that
    /// do not are forgotten (and so fetched again). Returns the held hashes, for the
    /// background verification.
    async fn check_held_files(&mut self) -> anyhow::Result<Vec<BlobHash>> {
        let files = self.files.clone();
        tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<BlobHash>> {
            let (held, sizes) = {
                let store = files.store().lock().expect("store lock");
                let held = store.held_hashes()?;
                let mut sizes = HashMap::new();
                for listing in store.meetings()? {
                    if let Some(version) = store.latest_packet(listing.meeting.id)? {
                        for file in version.entries.into_iter().filter_map(|e| e.file) {
                            sizes.insert(file.hash, file.size);
                        }
                    }
                }
                (held, sizes)
            };
            let mut kept = Vec::new();
            for hash in held {
                let size = std::fs::metadata(files.path(&hash)).map(|m| m.len());
                let intact = match (&size, sizes.get(&hash)) {
                    (Ok(actual), Some(expected)) => actual == expected,
                    (Ok(_), None) => true,
                    (Err(_), _) => false,
                };
                if intact {
                    kept.push(hash);
                } else {
                    tracing::warn!("held paper file {hash} is missing or has the wrong size");
                    files.remove(&hash)?;
                    files
                        .store()
                        .lock()
                        .expect("store lock")
                        .forget_blob(&hash)?;
                }
            }
            Ok(kept)
        })
        .await?
    }

    fn set_state(&mut self, state: DownloaderState, detail: Option<String>) {
        if self.state == state && self.detail == detail {
            return;
        }
        self.show(state, detail);
    }

    /// Sets the state and publishes it with the paper list, even when the state is the same.
    fn show(&mut self, state: DownloaderState, detail: Option<String>) {
        self.state = state;
        self.detail = detail;
        self.publish(true);
    }

    fn set_paper(&mut self, hash: &BlobHash, state: PaperDownloadState) {
        if let Some(paper) = self.papers.iter_mut().find(|p| &p.hash == hash) {
            paper.state = state;
        }
        self.publish(true);
    }

    fn set_paper_bytes(&mut self, hash: &BlobHash, done: u64, force: bool) {
        if let Some(paper) = self.papers.iter_mut().find(|p| &p.hash == hash) {
            paper.done = done;
        }
        self.publish(force);
    }

    /// Sends the progress; byte-only updates at most every [`PROGRESS_INTERVAL`].
    fn publish(&mut self, force: bool) {
        if !force && self.last_sent.elapsed() < PROGRESS_INTERVAL {
            return;
        }
        self.last_sent = Instant::now();
        let (done_bytes, total_bytes) = self
            .papers
            .iter()
            .fold((0, 0), |(d, t), p| (d + p.done, t + p.total));
        self.progress.send_replace(DownloadProgress {
            state: self.state,
            detail: self.detail.clone(),
            papers: self.papers.clone(),
            done_bytes,
            total_bytes,
        });
    }
}

/// The engine's status moved in a way that may change what to download: its cursor moved
/// (a pull applied changes) or it came online (the server is back: retry now).
fn moved(seen: &(i64, ConnectionState), status: &SyncStatus) -> bool {
    status.cursor != seen.0
        || (status.connection == ConnectionState::Online && seen.1 != ConnectionState::Online)
}

/// Resolves when the engine moved; never when there is no engine (or it has ended).
async fn engine_moved(
    engine: &mut Option<watch::Receiver<SyncStatus>>,
    seen: &mut (i64, ConnectionState),
) {
    let Some(engine) = engine.as_mut() else {
        return std::future::pending().await;
    };
    loop {
        if engine.changed().await.is_err() {
            return std::future::pending().await;
        }
        let status = engine.borrow_and_update();
        let moved = moved(seen, &status);
        *seen = (status.cursor, status.connection);
        if moved {
            return;
        }
    }
}

/// Hashes every held file once, one at a time; a damaged one is deleted, forgotten and
/// fetched again. Runs beside the downloads so the app need not wait for it.
fn verify_in_background(files: &PaperFiles, held: Vec<BlobHash>, cancel: &AtomicBool) {
    for hash in held {
        if cancel.load(Ordering::SeqCst) {
            return;
        }
        match file_matches(&files.path(&hash), &hash) {
            Ok(true) => {}
            Ok(false) => {
                tracing::warn!("held paper file {hash} is damaged; fetching it again");
                let forgotten = files
                    .remove(&hash)
                    .map_err(anyhow::Error::from)
                    .and_then(|()| files.store().lock().expect("store lock").forget_blob(&hash));
                if let Err(e) = forgotten {
                    tracing::error!("forgetting damaged paper file {hash}: {e:#}");
                }
                files.kick();
            }
            Err(e) => tracing::warn!("verifying paper file {hash}: {e}"),
        }
    }
}
