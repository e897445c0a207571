//! Search across every paper on the device: a background indexer that extracts the text of
//! each held paper in a PDF worker and puts it in the search index (a file beside the
//! store, keyed by the paper file's hash), and the query that maps hits back to the papers
//! this member may read.

use super::{AppCore, task_failed};
use crate::dto::{self, IpcError};
use ecabinet_domain::BlobHash;
use ecabinet_pdf::{Fault, PdfError, PdfWorkers};
use ecabinet_search::{Query, SearchIndex};
use ecabinet_store::ReadablePaper;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Results shown at most; the index is asked for more, since a hit in a file this member
/// no longer reads (an older revision) is dropped.
const RESULTS: usize = 30;

/// How patiently the indexer reads a paper the PDF engine fails on (a worker that crashed or
/// ran out of time, on a busy machine or a hostile file): four tries, 30 s, 2 min and 8 min
/// apart; then the paper is recorded as one that could not be read.
pub const READ_RETRIES: ReadRetries = ReadRetries {
    attempts: 4,
    first_delay: Duration::from_secs(30),
};

/// The longest the indexer sleeps when nothing wakes it.
const IDLE_WAKE: Duration = Duration::from_secs(60);

/// How many times to try reading a paper, and how long to wait after the first failure
/// (each later wait is four times the one before).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadRetries {
    pub attempts: u32,
    pub first_delay: Duration,
}

/// What to do after a paper could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// Try again once this much time has passed.
    RetryIn(Duration),
    /// That was the last try: record the paper as one that could not be read.
    GiveUp,
}

/// The papers the PDF engine failed on and when each may be tried again, by file hash.
/// In memory only: a restart of the app tries them afresh, which is what a member who
/// restarts it hopes for.
#[derive(Debug, Default)]
pub struct FailedReads {
    papers: HashMap<String, FailedRead>,
}

#[derive(Debug)]
struct FailedRead {
    failures: u32,
    retry_at: Instant,
}

impl FailedReads {
    /// Whether `key` failed and its next try is not yet due at `now`.
    pub fn waiting(&self, key: &str, now: Instant) -> bool {
        self.papers.get(key).is_some_and(|read| read.retry_at > now)
    }

    /// Counts a failed try of `key` at `now`.
    pub fn failed(&mut self, key: &str, now: Instant, retries: ReadRetries) -> AfterFailure {
        let read = self.papers.entry(key.to_owned()).or_insert(FailedRead {
            failures: 0,
            retry_at: now,
        });
        read.failures += 1;
        if read.failures >= retries.attempts {
            self.papers.remove(key);
            return AfterFailure::GiveUp;
        }
        let delay = retries.first_delay * 4u32.saturating_pow(read.failures - 1);
        read.retry_at = now + delay;
        AfterFailure::RetryIn(delay)
    }

    /// How many tries of `key` failed so far (0 once it was read or given up).
    pub fn failures(&self, key: &str) -> u32 {
        self.papers.get(key).map_or(0, |read| read.failures)
    }

    /// `key` was read: forget its failures.
    pub fn succeeded(&mut self, key: &str) {
        self.papers.remove(key);
    }

    /// When the earliest waiting paper may be tried again.
    pub fn next_retry(&self) -> Option<Instant> {
        self.papers.values().map(|read| read.retry_at).min()
    }
}

/// Every page's text of a PDF, read in a PDF worker. A page PDFium cannot take apart is a
/// blank page to search, not a lost paper; but a worker that crashed or ran out of time
/// did not read the paper, and that is an error to try again. `fault` makes the worker
/// misbehave once the document is open, as a hostile PDF would (tests only).
pub fn read_pages(
    workers: &PdfWorkers,
    bytes: Vec<u8>,
    fault: Option<Fault>,
) -> Result<Vec<String>, PdfError> {
    let document = workers.open_bytes(bytes, None)?;
    if let Some(fault) = fault {
        document.inject_fault(fault)?;
    }
    (0..document.page_count())
        .map(|page| match document.page_text(page) {
            Ok(text) => Ok(text),
            Err(e @ (PdfError::EngineCrashed { .. } | PdfError::TimedOut { .. })) => Err(e),
            Err(_) => Ok(String::new()),
        })
        .collect()
}

/// Whether a failure says nothing about the paper: the engine or its worker program is
/// missing (an installation problem). Indexing pauses instead of blaming the paper.
fn engine_missing(error: &PdfError) -> bool {
    matches!(
        error,
        PdfError::EngineUnavailable { .. } | PdfError::WorkerUnavailable { .. }
    )
}

impl AppCore {
    pub(super) fn search_index(&self) -> Result<std::sync::MutexGuard<'_, SearchIndex>, IpcError> {
        Ok(self
            .search
            .lock()
            .expect("a panic while holding the search index"))
    }

    /// Papers indexed of all this member's papers held on the device.
    pub fn search_index_progress(&self) -> Result<dto::SearchIndexProgress, IpcError> {
        let session = self.session()?;
        let papers = self.store().readable_papers(session.member.id)?;
        self.progress_of(&papers)
    }

    fn progress_of(&self, papers: &[ReadablePaper]) -> Result<dto::SearchIndexProgress, IpcError> {
        let index = self.search_index()?;
        let mut progress = dto::SearchIndexProgress {
            indexed: 0,
            total: 0,
        };
        for paper in papers.iter().filter(|p| p.held) {
            progress.total += 1;
            if index.contains(paper.hash.as_str())? {
                progress.indexed += 1;
            }
        }
        Ok(progress)
    }

    /// The pages that best match `query` in the papers this member may read, best first,
    /// and the papers search cannot look into.
    pub async fn search_papers(&self, query: &str) -> Result<dto::SearchResults, IpcError> {
        let session = self.session()?;
        let papers = self.store().readable_papers(session.member.id)?;
        let parsed = Query::parse(query);
        let index = self.search.clone();
        let (hits, unsearchable, unreadable) = tokio::task::spawn_blocking(move || {
            let index = index
                .lock()
                .expect("a panic while holding the search index");
            let hits = if parsed.is_empty() {
                Vec::new()
            } else {
                index.search(&parsed, RESULTS * 2)?
            };
            let unsearchable = index.unsearchable()?;
            let unreadable = index.unreadable()?;
            Ok::<_, IpcError>((hits, unsearchable, unreadable))
        })
        .await
        .map_err(task_failed)??;
        let mut by_hash: HashMap<&str, Vec<&ReadablePaper>> = HashMap::new();
        for paper in &papers {
            by_hash.entry(paper.hash.as_str()).or_default().push(paper);
        }
        let hits = hits
            .into_iter()
            .flat_map(|hit| {
                let snippet: Vec<dto::SnippetPart> = hit
                    .snippet
                    .into_iter()
                    .map(|part| dto::SnippetPart {
                        text: part.text,
                        hit: part.hit,
                    })
                    .collect();
                by_hash
                    .get(hit.key.as_str())
                    .into_iter()
                    .flatten()
                    .map(move |paper| dto::SearchHitView {
                        meeting_id: paper.meeting_id.to_string(),
                        meeting_title: paper.meeting_title.clone(),
                        paper_id: paper.paper_id.to_string(),
                        paper_title: paper.title.clone(),
                        page: hit.page,
                        snippet: snippet.clone(),
                    })
                    .collect::<Vec<_>>()
            })
            .take(RESULTS)
            .collect();
        let listed = |keys: &[&str]| {
            papers
                .iter()
                .filter(|paper| keys.contains(&paper.hash.as_str()))
                .map(|paper| dto::UnsearchablePaperView {
                    meeting_id: paper.meeting_id.to_string(),
                    meeting_title: paper.meeting_title.clone(),
                    paper_id: paper.paper_id.to_string(),
                    paper_title: paper.title.clone(),
                })
                .collect::<Vec<_>>()
        };
        let unsearchable = listed(&unsearchable.iter().map(String::as_str).collect::<Vec<_>>());
        // The reasons stay in the log, where the indexer wrote them when it gave up.
        let unreadable = listed(
            &unreadable
                .iter()
                .map(|(key, _)| key.as_str())
                .collect::<Vec<_>>(),
        );
        Ok(dto::SearchResults {
            query: query.to_owned(),
            hits,
            unsearchable,
            unreadable,
            progress: self.progress_of(&papers)?,
        })
    }

    /// Indexes every held paper of this member that the index lacks, one at a time, until
    /// none is left; then waits for the store or the downloads to change, stopping the PDF
    /// workers once idle. Runs for the app's lifetime.
    pub async fn keep_search_index(self: Arc<Self>) {
        loop {
            match self.index_next().await {
                Ok(true) => continue,
                Ok(false) => {
                    // Every held paper is read: marks made on an earlier version of a
                    // replaced paper can follow it now.
                    if let Err(e) = self.follow_amendments().await {
                        tracing::warn!("annotations not moved: {} ({:?})", e.message, e.code);
                    }
                }
                Err(e) => {
                    // A paper the engine cannot read is tried again later and then recorded
                    // as unreadable, so this is the store, the index or a missing engine:
                    // try again later rather than spin.
                    tracing::warn!("search indexing paused: {} ({:?})", e.message, e.code);
                    tokio::time::sleep(Duration::from_secs(30)).await;
                }
            }
            // A paper waiting to be read again wakes the indexer when its time comes.
            // So do idle PDF workers, to be stopped.
            let next_retry = self
                .failed_reads
                .lock()
                .expect("a panic while holding the failed reads")
                .next_retry();
            let now = Instant::now();
            let wake = [next_retry, self.stop_idle_workers()]
                .into_iter()
                .flatten()
                .map(|at| at.saturating_duration_since(now))
                .fold(IDLE_WAKE, Duration::min);
            let mut cursor = self.store_cursor.subscribe();
            tokio::select! {
                _ = self.index_wake.notified() => {}
                _ = cursor.changed() => {}
                _ = tokio::time::sleep(wake) => {}
            }
            // Downloads report every few kilobytes: let a burst settle.
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Indexes one paper; `false` when there was nothing left to do.
    async fn index_next(self: &Arc<Self>) -> Result<bool, IpcError> {
        let Ok(session) = self.session() else {
            return Ok(false);
        };
        let papers = self.store().readable_papers(session.member.id)?;
        let mut next = None;
        {
            let index = self.search_index()?;
            let failed = self
                .failed_reads
                .lock()
                .expect("a panic while holding the failed reads");
            let now = Instant::now();
            for paper in papers.iter().filter(|p| p.held) {
                if !index.contains(paper.hash.as_str())?
                    && !failed.waiting(paper.hash.as_str(), now)
                {
                    next = Some(paper.hash.clone());
                    break;
                }
            }
        }
        let Some(hash) = next else {
            // The text of papers whose files left this device (a released meeting) does not
            // stay behind in the index.
            let held = self.store().held_hashes()?;
            let forgotten = self
                .search_index()?
                .retain(|key| BlobHash::parse(key).is_some_and(|hash| held.contains(&hash)))?;
            if forgotten > 0 {
                tracing::info!("search index: forgot {forgotten} papers no longer on this device");
            }
            return Ok(false);
        };
        let core = self.clone();
        let started = std::time::Instant::now();
        let pages =
            tokio::task::spawn_blocking(move || core.extract_pages(&hash).map(|p| (hash, p)))
                .await
                .map_err(task_failed)??;
        let (hash, pages) = pages;
        let key = hash.as_str();
        let pages = match pages {
            Ok(pages) => pages,
            Err(e) => {
                let after = self
                    .failed_reads
                    .lock()
                    .expect("a panic while holding the failed reads")
                    .failed(key, Instant::now(), READ_RETRIES);
                match after {
                    AfterFailure::RetryIn(delay) => tracing::warn!(
                        code = e.code(),
                        "could not read {} for search; trying again in {} s: {e}",
                        &key[..12],
                        delay.as_secs()
                    ),
                    AfterFailure::GiveUp => {
                        tracing::warn!(
                            code = e.code(),
                            "could not read {} for search after {} tries; shown as unreadable: {e}",
                            &key[..12],
                            READ_RETRIES.attempts
                        );
                        self.search_index()?
                            .record_unreadable(key, &format!("{}: {e}", e.code()))?;
                        self.notify
                            .search_index_progress(self.progress_of(&papers)?);
                    }
                }
                return Ok(true);
            }
        };
        self.failed_reads
            .lock()
            .expect("a panic while holding the failed reads")
            .succeeded(key);
        let indexed = self.search_index()?.index_document(key, &pages)?;
        tracing::info!(
            pages = pages.len(),
            has_text = indexed.has_text,
            "indexed {} in {} ms",
            &hash.as_str()[..12],
            started.elapsed().as_millis()
        );
        self.notify
            .search_index_progress(self.progress_of(&papers)?);
        Ok(true)
    }

    /// Every page's text of a held paper, through a PDF worker; the inner error when the
    /// engine could not read this paper (see [`read_pages`]), the outer one when the store,
    /// the file or the engine itself is the problem.
    fn extract_pages(&self, hash: &BlobHash) -> Result<Result<Vec<String>, PdfError>, IpcError> {
        let workers = self.pdf_workers()?;
        match read_pages(&workers, self.files.read_verified(hash)?, None) {
            Err(e) if engine_missing(&e) => Err(e.into()),
            read => Ok(read),
        }
    }
}

/// Opens the search index beside the store. The index is derived data: one that cannot be
/// opened (damaged, from a newer app) is set aside and rebuilt.
pub(super) fn open_index(path: &std::path::Path) -> anyhow::Result<Arc<Mutex<SearchIndex>>> {
    let index = match SearchIndex::open(path) {
        Ok(index) => index,
        Err(e) => {
            tracing::warn!("rebuilding the search index: {e}");
            let aside = path.with_extension("damaged");
            std::fs::rename(path, &aside).ok();
            SearchIndex::open(path)?
        }
    };
    Ok(Arc::new(Mutex::new(index)))
}
