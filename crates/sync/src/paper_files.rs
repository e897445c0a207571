//! The paper files this device holds: one file per blob, named by its hash.
//!
//! Layout: `<dir>/<hash>.pdf` for verified files and `<dir>/partial/<hash>.part` for
//! downloads in progress. A file reaches its final name only by an atomic rename after its
//! bytes were hashed and found to match the name, so nothing at a final name is ever half
//! written; the store's `local_blobs` table records which of them are held.

use crate::{CouncilClient, SyncError};
use ecabinet_domain::{BlobHash, Clock, MeetingId};
use ecabinet_store::Store;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::Notify;

/// Read size when hashing a file.
const HASH_BUFFER: usize = 256 * 1024;

/// Why a held paper file cannot be opened. In every case but `Io` the downloader has been
/// asked to fetch the file (again).
#[derive(Debug, thiserror::Error)]
pub enum PaperFileError {
    #[error("the paper's file is not on this device yet; it is being downloaded")]
    NotDownloaded,
    #[error("the paper's file had disappeared from this device; it is being downloaded again")]
    Missing,
    #[error("the paper's file on this device was damaged; it is being downloaded again")]
    Damaged,
    #[error("the paper's file could not be read: {0}")]
    Io(#[from] io::Error),
    #[error("the local store could not be read or updated: {0}")]
    Store(String),
}

/// A held file whose bytes were just hashed and match its name.
#[derive(Debug)]
pub struct VerifiedPaper {
    pub path: PathBuf,
    /// Open at its start. Reading through this handle reads the verified bytes even if the
    /// name is replaced meanwhile.
    pub file: File,
    pub size: u64,
}

/// The paper files of this device and the store that records them. Cheap to clone; every
/// clone is the same set of files.
#[derive(Clone)]
pub struct PaperFiles {
    inner: Arc<Inner>,
}

struct Inner {
    dir: PathBuf,
    partial_dir: PathBuf,
    store: Arc<Mutex<Store>>,
    clock: Arc<dyn Clock>,
    /// Wakes the downloader. A `Notify` keeps one permit, so a kick while the downloader is
    /// busy is not lost.
    kick: Notify,
    /// Tells the downloader to look at the store again after its current file.
    rescan: AtomicBool,
}

impl std::fmt::Debug for PaperFiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PaperFiles")
            .field("dir", &self.inner.dir)
            .finish()
    }
}

impl PaperFiles {
    /// The files under `dir` (created if needed), recorded in `store`.
    pub fn open(
        dir: &Path,
        store: Arc<Mutex<Store>>,
        clock: Arc<dyn Clock>,
    ) -> io::Result<PaperFiles> {
        let partial_dir = dir.join("partial");
        std::fs::create_dir_all(&partial_dir)?;
        Ok(PaperFiles {
            inner: Arc::new(Inner {
                dir: dir.to_owned(),
                partial_dir,
                store,
                clock,
                kick: Notify::new(),
                rescan: AtomicBool::new(false),
            }),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.inner.dir
    }

    /// Where the verified file of `hash` lives (whether or not it is there yet).
    pub fn path(&self, hash: &BlobHash) -> PathBuf {
        self.inner.dir.join(format!("{hash}.pdf"))
    }

    pub(crate) fn partial_path(&self, hash: &BlobHash) -> PathBuf {
        self.inner.partial_dir.join(format!("{hash}.part"))
    }

    pub(crate) fn partial_dir(&self) -> &Path {
        &self.inner.partial_dir
    }

    pub(crate) fn store(&self) -> &Arc<Mutex<Store>> {
        &self.inner.store
    }

    pub(crate) fn now(&self) -> ecabinet_domain::Timestamp {
        self.inner.clock.now()
    }

    /// Asks the downloader to look at what the store needs again (after a pull applied
    /// packet changes, or when a file was found damaged).
    pub fn kick(&self) {
        self.inner.rescan.store(true, Ordering::SeqCst);
        self.inner.kick.notify_one();
    }

    pub(crate) fn take_rescan(&self) -> bool {
        self.inner.rescan.swap(false, Ordering::SeqCst)
    }

    pub(crate) async fn kicked(&self) {
        self.inner.kick.notified().await;
    }

    /// Opens the held file of `hash` after hashing it again, so a reader never shows bytes
    /// that are not what was published. A damaged file is deleted, forgotten in the store,
    /// and the downloader is kicked to fetch it again.
    ///
    /// Blocking (it reads the whole file): call it from a blocking context.
    pub fn open_verified(&self, hash: &BlobHash) -> Result<VerifiedPaper, PaperFileError> {
        let path = self.path(hash);
        let held = self
            .lock_store()
            .held_hashes()
            .map_err(|e| PaperFileError::Store(format!("{e:#}")))?
            .contains(hash);
        let mut file = match File::open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if held {
                    tracing::warn!("held paper file {hash} is missing; fetching it again");
                    self.forget(hash)?;
                    self.kick();
                    return Err(PaperFileError::Missing);
                }
                self.kick();
                return Err(PaperFileError::NotDownloaded);
            }
            Err(e) => return Err(e.into()),
        };
        let (digest, size) = hash_reader(&mut file, Sha256::new())?;
        if hex::encode(digest.finalize()) != hash.as_str() {
            tracing::warn!("paper file {hash} is damaged; deleting it and fetching it again");
            remove_if_present(&path)?;
            self.forget(hash)?;
            self.kick();
            return Err(PaperFileError::Damaged);
        }
        if !held {
            // Verified and in place, but not recorded: the app stopped between the rename
            // and the store's write. It is held now.
            self.lock_store()
                .record_blob(hash, size, self.now())
                .map_err(|e| PaperFileError::Store(format!("{e:#}")))?;
        }
        file.rewind()?;
        Ok(VerifiedPaper { path, file, size })
    }

    /// The bytes of the held file of `hash`, verified as [`PaperFiles::open_verified`] does:
    /// what the PDF engine is given, so it never sees a path that could change. Blocking.
    pub fn read_verified(&self, hash: &BlobHash) -> Result<Vec<u8>, PaperFileError> {
        let mut verified = self.open_verified(hash)?;
        let mut bytes = Vec::with_capacity(usize::try_from(verified.size).unwrap_or(0));
        verified.file.read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    /// Brings the file of `hash` (`size` bytes) onto this device now, from the council
    /// server, unless it is here already: for a paper no published version brings, such as
    /// a draft the chair reviews. As with the downloader, the bytes reach their final name
    /// only after they hash to `hash`, so [`PaperFiles::read_verified`] then opens them
    /// like any published paper's.
    pub async fn fetch_now(
        &self,
        client: &CouncilClient,
        token: &str,
        hash: &BlobHash,
        size: u64,
    ) -> Result<(), SyncError> {
        let local = |e: io::Error| SyncError::LocalStore(format!("keeping paper file {hash}: {e}"));
        let (files, wanted) = (self.clone(), hash.clone());
        let held = tokio::task::spawn_blocking(move || file_matches(&files.path(&wanted), &wanted))
            .await
            .map_err(|e| SyncError::LocalStore(e.to_string()))?
            .map_err(local)?;
        if !held {
            let mut download = client.download_blob_range(token, hash, 0).await?;
            if download.total != size {
                return Err(SyncError::Protocol(format!(
                    "the server's file is {} bytes but the paper says {size}",
                    download.total
                )));
            }
            let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
            while let Some(chunk) = download.chunk().await? {
                if (bytes.len() + chunk.len()) as u64 > size {
                    return Err(SyncError::Protocol(
                        "the server sent more bytes than the file has".into(),
                    ));
                }
                bytes.extend_from_slice(&chunk);
            }
            if hex::encode(Sha256::digest(&bytes)) != hash.as_str() {
                return Err(SyncError::Protocol(
                    "the downloaded bytes do not match the paper's hash".into(),
                ));
            }
            let (files, hash) = (self.clone(), hash.clone());
            tokio::task::spawn_blocking(move || files.keep(&hash, &bytes))
                .await
                .map_err(|e| SyncError::LocalStore(e.to_string()))?
                .map_err(local)?;
        }
        let (files, hash) = (self.clone(), hash.clone());
        tokio::task::spawn_blocking(move || {
            files
                .lock_store()
                .record_blob(&hash, size, files.now())
                .map_err(|e| SyncError::LocalStore(format!("{e:#}")))
        })
        .await
        .map_err(|e| SyncError::LocalStore(e.to_string()))?
    }

    /// Puts verified `bytes` at the final name of `hash`: written beside it under a name
    /// nothing else uses (the downloader's partial files are its own), made durable, then
    /// renamed into place.
    fn keep(&self, hash: &BlobHash, bytes: &[u8]) -> io::Result<()> {
        let incoming = self.inner.dir.join(format!("{hash}.incoming"));
        let mut file = File::create(&incoming)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&incoming, self.path(hash))?;
        sync_dir(&self.inner.dir)
    }

    /// Stops keeping a meeting's papers on this device: the store forgets the files no kept
    /// meeting uses and they are deleted. Returns the bytes freed. Blocking.
    pub fn release_meeting(&self, meeting: MeetingId) -> anyhow::Result<u64> {
        let unused = self.lock_store().release_meeting(meeting)?;
        let mut freed = 0;
        for hash in unused {
            freed += std::fs::metadata(self.path(&hash)).map_or(0, |m| m.len());
            self.remove(&hash)?;
        }
        Ok(freed)
    }

    /// Deletes the file of `hash` and any partial download of it (not the store's record).
    pub fn remove(&self, hash: &BlobHash) -> io::Result<()> {
        remove_if_present(&self.path(hash))?;
        remove_if_present(&self.partial_path(hash))
    }

    fn forget(&self, hash: &BlobHash) -> Result<(), PaperFileError> {
        self.lock_store()
            .forget_blob(hash)
            .map_err(|e| PaperFileError::Store(format!("{e:#}")))
    }

    fn lock_store(&self) -> std::sync::MutexGuard<'_, Store> {
        self.inner.store.lock().expect("store lock")
    }
}

pub(crate) fn remove_if_present(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Feeds everything `reader` has left into `hasher`; returns it with the byte count.
pub(crate) fn hash_reader(reader: &mut impl Read, mut hasher: Sha256) -> io::Result<(Sha256, u64)> {
    let mut buffer = vec![0u8; HASH_BUFFER];
    let mut total = 0u64;
    loop {
        match reader.read(&mut buffer) {
            Ok(0) => return Ok((hasher, total)),
            Ok(n) => {
                hasher.update(&buffer[..n]);
                total += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Whether the file at `path` hashes to `hash`. `Ok(false)` when it does not exist.
pub(crate) fn file_matches(path: &Path, hash: &BlobHash) -> io::Result<bool> {
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
    };
    let (digest, _) = hash_reader(&mut file, Sha256::new())?;
    Ok(hex::encode(digest.finalize()) == hash.as_str())
}

/// Makes a rename or creation in `dir` durable.
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}
