//! Search across every paper on the device: a background indexer that extracts the text of
//! each held paper in a PDF worker and puts it in the search index (a file beside the
//! store, keyed by the paper file's hash), and the query that maps hits back to the papers
//! this member may read.

use super::{AppCore, task_failed};
use crate::dto::{self, IpcError};
use ecabinet_domain::BlobHash;
use ecabinet_search::{Query, SearchIndex};
use ecabinet_store::ReadablePaper;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Results shown at most; the index is asked for more, since a hit in a file this member
/// no longer reads (an older revision) is dropped.
const RESULTS: usize = 30;

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
        let (hits, unsearchable) = tokio::task::spawn_blocking(move || {
            let index = index
                .lock()
                .expect("a panic while holding the search index");
            let hits = if parsed.is_empty() {
                Vec::new()
            } else {
                index.search(&parsed, RESULTS * 2)?
            };
            let unsearchable = index.unsearchable()?;
            Ok::<_, IpcError>((hits, unsearchable))
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
        let unsearchable = papers
            .iter()
            .filter(|paper| unsearchable.iter().any(|key| key == paper.hash.as_str()))
            .map(|paper| dto::UnsearchablePaperView {
                meeting_id: paper.meeting_id.to_string(),
                meeting_title: paper.meeting_title.clone(),
                paper_id: paper.paper_id.to_string(),
                paper_title: paper.title.clone(),
            })
            .collect();
        Ok(dto::SearchResults {
            query: query.to_owned(),
            hits,
            unsearchable,
            progress: self.progress_of(&papers)?,
        })
    }

    /// Indexes every held paper of this member that the index lacks, one at a time, until
    /// none is left; then waits for the store or the downloads to change. Runs for the
    /// app's lifetime.
    pub async fn keep_search_index(self: Arc<Self>) {
        loop {
            match self.index_next().await {
                Ok(true) => continue,
                Ok(false) => {}
                Err(e) => {
                    // A paper PDFium refuses is recorded as unsearchable, so this is the
                    // store or the index itself: try again later rather than spin.
                    tracing::warn!("search indexing paused: {} ({:?})", e.message, e.code);
                    tokio::time::sleep(Duration::from_secs(30)).await;
                }
            }
            let mut cursor = self.store_cursor.subscribe();
            tokio::select! {
                _ = self.index_wake.notified() => {}
                _ = cursor.changed() => {}
                _ = tokio::time::sleep(Duration::from_secs(60)) => {}
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
            for paper in papers.iter().filter(|p| p.held) {
                if !index.contains(paper.hash.as_str())? {
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
        let indexed = self.search_index()?.index_document(hash.as_str(), &pages)?;
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

    /// Every page's text of a held paper, through a PDF worker. A paper PDFium cannot read
    /// yields no pages, which the index records as a paper without text.
    fn extract_pages(&self, hash: &BlobHash) -> Result<Vec<String>, IpcError> {
        let workers = self.pdf_workers()?;
        let document = match workers.open_bytes(self.files.read_verified(hash)?, None) {
            Ok(document) => document,
            Err(e) => {
                tracing::warn!("cannot index {}: {e}", hash.as_str());
                return Ok(Vec::new());
            }
        };
        (0..document.page_count())
            .map(|page| {
                // One unreadable page is a blank page to search, not a lost paper.
                Ok(document.page_text(page).unwrap_or_default())
            })
            .collect()
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
