//! Paper files, named by the SHA-256 of their bytes.
//!
//! The server keeps blobs behind [`BlobStore`] so that an object store can replace the
//! file system later; [`FsBlobStore`] keeps them under the data dir. A blob is written to a
//! staging file first and moved into place only after its hash was checked, so a reader
//! never sees half a file, and a name is always a validated [`BlobHash`], never a path
//! from a request.

use async_trait::async_trait;
use bytes::Bytes;
use ecabinet_domain::BlobHash;
use futures_util::stream::{self, BoxStream, StreamExt};
use std::collections::{HashMap, VecDeque};
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tokio::io::{AsyncReadExt, AsyncSeekExt};

/// A stream of a blob's bytes.
pub type BlobStream = BoxStream<'static, io::Result<Bytes>>;

/// Where the server keeps paper files.
#[async_trait]
pub trait BlobStore: Send + Sync + 'static {
    /// The size of a stored blob, or `None` when it is not stored.
    async fn size(&self, hash: &BlobHash) -> io::Result<Option<u64>>;

    /// The bytes of `range` (already checked against the size).
    async fn read(&self, hash: &BlobHash, range: Range<u64>) -> io::Result<BlobStream>;

    /// A directory for uploads in progress, on the same file system as the store (so a
    /// verified upload moves into place with a rename).
    fn staging_dir(&self) -> &Path;

    /// Moves a staged, verified file into the store under `hash`.
    async fn put(&self, hash: &BlobHash, staged: &Path) -> io::Result<()>;
}

/// Blobs as files `<root>/<first two hex digits>/<hash>`.
///
/// Small blobs that are read are kept in memory up to a byte budget: when a packet is
/// published, a hundred devices ask for the same few files at once, and serving them
/// from memory keeps the server close to a static file server's speed.
pub struct FsBlobStore {
    root: PathBuf,
    staging: PathBuf,
    cache: Mutex<ByteCache>,
}

/// Blobs larger than this are streamed from disk, never cached.
const CACHE_MAX_BLOB: u64 = 32 * 1024 * 1024;
/// Total bytes kept in memory.
const CACHE_BUDGET: u64 = 256 * 1024 * 1024;
/// Chunk size when streaming from disk.
const CHUNK: usize = 256 * 1024;

#[derive(Default)]
struct ByteCache {
    blobs: HashMap<BlobHash, Bytes>,
    order: VecDeque<BlobHash>,
    bytes: u64,
}

impl ByteCache {
    fn insert(&mut self, hash: BlobHash, data: Bytes) {
        if self.blobs.contains_key(&hash) {
            return;
        }
        self.bytes += data.len() as u64;
        self.order.push_back(hash.clone());
        self.blobs.insert(hash, data);
        while self.bytes > CACHE_BUDGET {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            if let Some(old) = self.blobs.remove(&oldest) {
                self.bytes -= old.len() as u64;
            }
        }
    }
}

impl FsBlobStore {
    pub fn open(root: &Path) -> io::Result<FsBlobStore> {
        let staging = root.join("staging");
        std::fs::create_dir_all(&staging)?;
        // Uploads interrupted by a crash leave staging files behind; none is ever resumed.
        for entry in std::fs::read_dir(&staging)? {
            let _ = std::fs::remove_file(entry?.path());
        }
        Ok(FsBlobStore {
            root: root.to_owned(),
            staging,
            cache: Mutex::new(ByteCache::default()),
        })
    }

    fn path(&self, hash: &BlobHash) -> PathBuf {
        self.root.join(&hash.as_str()[..2]).join(hash.as_str())
    }

    fn cached(&self, hash: &BlobHash) -> Option<Bytes> {
        let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        cache.blobs.get(hash).cloned()
    }
}

#[async_trait]
impl BlobStore for FsBlobStore {
    async fn size(&self, hash: &BlobHash) -> io::Result<Option<u64>> {
        if let Some(data) = self.cached(hash) {
            return Ok(Some(data.len() as u64));
        }
        match tokio::fs::metadata(self.path(hash)).await {
            Ok(meta) => Ok(Some(meta.len())),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn read(&self, hash: &BlobHash, range: Range<u64>) -> io::Result<BlobStream> {
        let (start, end) = (range.start as usize, range.end as usize);
        let slice = move |data: Bytes| data.slice(start..end);
        if let Some(data) = self.cached(hash) {
            return Ok(stream::once(async move { Ok(slice(data)) }).boxed());
        }
        let path = self.path(hash);
        let size = tokio::fs::metadata(&path).await?.len();
        if size <= CACHE_MAX_BLOB {
            let data = Bytes::from(tokio::fs::read(&path).await?);
            self.cache
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(hash.clone(), data.clone());
            return Ok(stream::once(async move { Ok(slice(data)) }).boxed());
        }
        let mut file = tokio::fs::File::open(&path).await?;
        file.seek(io::SeekFrom::Start(range.start)).await?;
        let remaining = range.end - range.start;
        Ok(
            stream::try_unfold((file, remaining), |(mut file, remaining)| async move {
                if remaining == 0 {
                    return Ok(None);
                }
                let mut buf = vec![0; CHUNK.min(remaining as usize)];
                let n = file.read(&mut buf).await?;
                if n == 0 {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "blob file is shorter than recorded",
                    ));
                }
                buf.truncate(n);
                Ok(Some((Bytes::from(buf), (file, remaining - n as u64))))
            })
            .boxed(),
        )
    }

    fn staging_dir(&self) -> &Path {
        &self.staging
    }

    async fn put(&self, hash: &BlobHash, staged: &Path) -> io::Result<()> {
        let target = self.path(hash);
        if let Some(dir) = target.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        // The staged file was fsynced by the upload; the rename makes it appear whole.
        tokio::fs::rename(staged, &target).await?;
        if let Some(dir) = target.parent() {
            tokio::fs::File::open(dir).await?.sync_all().await?;
        }
        Ok(())
    }
}
