//! Papers replaced by an amended version, on the device: the member's own marks follow the
//! paper onto the new version, the ones that cannot be placed with confidence wait for the
//! member ("needs review"), and the reader shows what changed inside the paper.
//!
//! Everything here works on the page texts the search index keeps per file hash (equal to
//! the reader's page texts: `page_text` is the layout's text), with the domain's rules
//! (`ecabinet_domain::annotation`): one word alignment of the two versions
//! ([`Amendment`]) both lists the changes and re-anchors the marks.
//!
//! **When marks move.** Once the indexer has nothing left to read (so the new file's text
//! is there), [`AppCore::follow_amendments`] looks at every paper of the member's meetings:
//! each of the member's own annotations made on another file than the paper's current one
//! is re-anchored, with the old version's text when the device still has it (else from its
//! anchor alone). A placed one is saved as a new revision on the current file through the
//! store and outbox, exactly as an edit, so it reaches the member's other devices and those
//! it is shared with; one that needs review stays on its version, untouched, and is listed
//! by [`AppCore::annotations_needing_review`]. None is ever dropped. The state lives in the
//! annotation itself (`made_on`): a moved mark names the current file and is not looked at
//! again, so a restart moves nothing twice.

use crate::dto::{self, IpcError, IpcErrorCode};
use crate::{AppCore, parse_id, task_failed};
use ecabinet_domain::annotation::{
    Amendment, Anchor, ChangeKind, PageRange, PaperText, Reanchoring, reanchor,
};
use ecabinet_domain::{Annotation, AnnotationId, BlobHash, MadeOn, MeetingId, MemberId, PaperId};
use ecabinet_store::{ReadablePaper, Store};
use ecabinet_sync::CouncilClient;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Characters of context shown either side of a candidate's words.
const CANDIDATE_CONTEXT: usize = 40;

/// Marks already judged to need review on a file, so the indexer's every idle pass does not
/// align the same versions again: (annotation, the revision's time, the current file).
/// In memory: after a restart they are judged once more, with the same outcome.
#[derive(Debug, Default)]
pub(crate) struct Judged(HashSet<(AnnotationId, i64, BlobHash)>);

/// The file a paper's changes are measured from.
struct Earlier {
    /// The newest packet version that had it.
    version: u32,
    file: ecabinet_domain::PaperFile,
    /// The member opened it.
    read: bool,
}

/// A paper of the member's meetings as its current version stands on the device.
struct CurrentPaper {
    meeting_id: MeetingId,
    paper_id: PaperId,
    hash: BlobHash,
    version: u32,
}

impl AppCore {
    /// Re-anchors the member's own marks made on an earlier file of each paper onto the
    /// current file, where that file's text is read; returns how many moved. Called by the
    /// search indexer whenever it has nothing left to read.
    pub(crate) async fn follow_amendments(self: &Arc<Self>) -> Result<usize, IpcError> {
        let core = self.clone();
        let moved = tokio::task::spawn_blocking(move || core.follow_amendments_now())
            .await
            .map_err(task_failed)??;
        if moved > 0 {
            tracing::info!("moved {moved} annotations onto amended papers");
            // The window shows the moved marks at once, online or not.
            let cursor = *self.store_cursor.borrow();
            self.notify.store_changed(dto::StoreChanged { cursor });
            if let Some(following) = self.following.lock().await.as_ref() {
                following.sync.push_now();
            }
        }
        Ok(moved)
    }

    fn follow_amendments_now(&self) -> Result<usize, IpcError> {
        let Ok(session) = self.session() else {
            return Ok(0);
        };
        let member = session.member.id;
        let mut moved = 0;
        for paper in self.current_papers(member)? {
            let waiting: Vec<Annotation> = self
                .own_annotations(member, paper.paper_id)?
                .into_iter()
                .filter(|a| a.made_on.hash != paper.hash)
                .filter(|a| !self.judged(a, &paper.hash))
                .collect();
            if waiting.is_empty() {
                continue;
            }
            let Some(new) = self.indexed_text(&paper.hash)? else {
                continue; // not read yet: the indexer calls again once it is
            };
            for (made_on, group) in by_version(waiting) {
                let old = self.indexed_text(&made_on)?;
                let follower = Follower::new(old.as_ref(), &new);
                for annotation in group {
                    let saved = follower
                        .place(&annotation.anchor)
                        .map(|anchor| self.save_moved(&annotation, anchor, &paper));
                    match saved {
                        Some(Ok(())) => moved += 1,
                        Some(Err(e)) => {
                            // Kept where it was; one mark must not stop the others moving.
                            tracing::warn!(
                                "annotation {} not moved: {} ({:?})",
                                annotation.id,
                                e.message,
                                e.code
                            );
                            self.judged_lock().0.insert((
                                annotation.id,
                                annotation.updated_at.millis(),
                                paper.hash.clone(),
                            ));
                        }
                        None => {
                            self.judged_lock().0.insert((
                                annotation.id,
                                annotation.updated_at.millis(),
                                paper.hash.clone(),
                            ));
                        }
                    }
                }
            }
        }
        Ok(moved)
    }

    /// Where each of `annotations` (of one paper) shows on `current`, the text of the
    /// paper's file `current_hash`, for display only: nothing is saved. For others' shared
    /// marks that their author's device has not moved yet (the author's device does that,
    /// and the moved revision replaces this on its next pull). An annotation made on
    /// `current_hash` keeps its anchor; `None` for one that could not be placed with
    /// confidence (it stays on its own version). The versions are aligned once per earlier
    /// file, whatever the number of annotations.
    pub fn anchors_on_current(
        &self,
        annotations: &[Annotation],
        current_hash: &BlobHash,
        current: &PaperText,
    ) -> Result<Vec<Option<Anchor>>, IpcError> {
        let mut olds = TextCache::default();
        let mut placed = Vec::with_capacity(annotations.len());
        let mut followers: HashMap<BlobHash, Vec<usize>> = HashMap::new();
        for (index, annotation) in annotations.iter().enumerate() {
            if &annotation.made_on.hash == current_hash {
                placed.push(Some(annotation.anchor.clone()));
            } else {
                placed.push(None);
                followers
                    .entry(annotation.made_on.hash.clone())
                    .or_default()
                    .push(index);
            }
        }
        for (made_on, indices) in followers {
            let follower = Follower::new(olds.get(self, &made_on)?, current);
            for index in indices {
                placed[index] = follower.place(&annotations[index].anchor);
            }
        }
        Ok(placed)
    }

    /// The member's own marks on `paper_id` made on an earlier file that could not be
    /// placed on the current one with confidence, with the best places found for each.
    pub fn annotations_needing_review(
        &self,
        paper_id: &str,
    ) -> Result<Vec<dto::AnnotationReviewView>, IpcError> {
        let member = self.session()?.member.id;
        let paper = self.current_paper(member, parse_id(paper_id)?)?;
        let waiting: Vec<Annotation> = self
            .own_annotations(member, paper.paper_id)?
            .into_iter()
            .filter(|a| a.made_on.hash != paper.hash)
            .collect();
        if waiting.is_empty() {
            return Ok(Vec::new());
        }
        let Some(new) = self.indexed_text(&paper.hash)? else {
            // Not read yet: they move (or come here) once it is.
            return Ok(Vec::new());
        };
        let mut listed = Vec::new();
        for (made_on, group) in by_version(waiting) {
            let old = self.indexed_text(&made_on)?;
            let follower = Follower::new(old.as_ref(), &new);
            for annotation in group {
                let Reanchoring::NeedsReview { candidates } = follower.reanchor(&annotation.anchor)
                else {
                    continue; // placed: the indexer's next pass moves it
                };
                let quote = &annotation.anchor.text().quote;
                listed.push(dto::AnnotationReviewView {
                    annotation_id: annotation.id.to_string(),
                    paper_id: paper.paper_id.to_string(),
                    kind: annotation.kind.name().to_owned(),
                    old_quote: quote.exact.clone(),
                    old_before: quote.prefix.clone(),
                    old_after: quote.suffix.clone(),
                    old_page: annotation.anchor.text().page as u32,
                    body: annotation.body.clone(),
                    made_on_version: annotation.made_on.packet_version,
                    candidates: candidates
                        .iter()
                        .map(|c| dto::ReviewCandidateView {
                            start: c.start as u32,
                            end: c.end as u32,
                            text: new.slice(c.start, c.end),
                            before: new.slice(c.start.saturating_sub(CANDIDATE_CONTEXT), c.start),
                            after: new.slice(c.end, c.end + CANDIDATE_CONTEXT),
                            ranges: ranges(&new, c.start, c.end),
                            score: c.score,
                        })
                        .collect(),
                });
            }
        }
        Ok(listed)
    }

    /// Settles a mark that needs review: on one of its candidates (saved there on the
    /// current file, as an edit), or deleted.
    pub async fn resolve_annotation_review(
        &self,
        annotation_id: &str,
        choice: dto::ReviewChoice,
    ) -> Result<(), IpcError> {
        let member = self.session()?.member.id;
        let id: AnnotationId = parse_id(annotation_id)?;
        let annotation = self
            .store()
            .annotation(member, id)?
            .map(|a| a.annotation)
            .filter(|a| a.author == member && !a.deleted)
            .ok_or_else(|| IpcError::new(IpcErrorCode::NotFound, "no such annotation of yours"))?;
        let paper = self.current_paper(member, annotation.paper_id)?;
        if annotation.made_on.hash == paper.hash {
            return Err(IpcError::new(
                IpcErrorCode::Conflict,
                "this mark is on the current version already; list the marks to review again",
            ));
        }
        match choice {
            dto::ReviewChoice::Delete => {
                self.store()
                    .delete_annotation(&annotation, self.clock.now())?;
            }
            dto::ReviewChoice::Candidate { start, end } => {
                let new = self.indexed_text(&paper.hash)?.ok_or_else(|| {
                    IpcError::new(
                        IpcErrorCode::PaperNotDownloaded,
                        "the current version of this paper is not read on this device yet",
                    )
                })?;
                let old = self.indexed_text(&annotation.made_on.hash)?;
                let candidates =
                    match Follower::new(old.as_ref(), &new).reanchor(&annotation.anchor) {
                        Reanchoring::NeedsReview { candidates } => candidates,
                        Reanchoring::Placed { start, end, .. } => {
                            vec![ecabinet_domain::annotation::Candidate {
                                start,
                                end,
                                page: 0,
                                score: 1.0,
                            }]
                        }
                    };
                let (start, end) = (start as usize, end as usize);
                if !candidates.iter().any(|c| c.start == start && c.end == end) {
                    return Err(IpcError::new(
                        IpcErrorCode::Conflict,
                        "this place is no longer among the mark's candidates; list them again",
                    ));
                }
                let anchor = annotation.anchor.moved_to(&new, start, end);
                self.save_moved(&annotation, anchor, &paper)?;
            }
        }
        self.judged_lock()
            .0
            .retain(|(judged, _, _)| *judged != annotation.id);
        if let Some(following) = self.following.lock().await.as_ref() {
            following.sync.push_now();
        }
        Ok(())
    }

    /// What changed inside a replaced paper between the file the member last read (or, if
    /// they have read no other, the file before the current one) and the current file.
    /// The earlier file is fetched from the server if this device never held it.
    pub async fn paper_changes(&self, paper_id: &str) -> Result<dto::PaperAmendmentView, IpcError> {
        let session = self.session()?;
        let member = session.member.id;
        let paper = self.current_paper(member, parse_id(paper_id)?)?;
        let mut view = dto::PaperAmendmentView {
            paper_id: paper.paper_id.to_string(),
            since_version: None,
            since_read: false,
            current_version: paper.version,
            changes: Vec::new(),
            count: 0,
            unavailable: None,
        };
        let Some(Earlier {
            version: since,
            file: earlier,
            read,
        }) = self.earlier_file(member, &paper)?
        else {
            view.unavailable = Some(dto::ChangesUnavailable::NoEarlierVersion);
            return Ok(view);
        };
        view.since_version = Some(since);
        view.since_read = read;
        let Some(new) = self.indexed_text(&paper.hash)? else {
            view.unavailable = Some(dto::ChangesUnavailable::NotReadYet);
            return Ok(view);
        };
        let old = match self.indexed_text(&earlier.hash)? {
            Some(old) => old,
            None => match self.fetch_text(&session, &earlier).await {
                Ok(old) => old,
                Err(e) => {
                    tracing::info!(
                        "the earlier version of paper {} cannot be compared: {}",
                        paper.paper_id,
                        e.message
                    );
                    view.unavailable = Some(dto::ChangesUnavailable::EarlierVersionMissing);
                    return Ok(view);
                }
            },
        };
        if !has_text(&new) || !has_text(&old) {
            view.unavailable = Some(dto::ChangesUnavailable::NoText);
            return Ok(view);
        }
        let changes = tokio::task::block_in_place(|| Amendment::between(&old, &new).changes());
        view.changes = changes
            .into_iter()
            .map(|change| dto::TextChangeView {
                kind: match change.kind {
                    ChangeKind::Inserted => dto::TextChangeKind::Inserted,
                    ChangeKind::Deleted => dto::TextChangeKind::Deleted,
                    ChangeKind::Changed => dto::TextChangeKind::Changed,
                },
                old_text: old.slice(change.old.start, change.old.end),
                new_text: new.slice(change.new.start, change.new.end),
                ranges: change.new_pages.iter().map(range_view).collect(),
            })
            .collect();
        view.count = view.changes.len() as u32;
        Ok(view)
    }

    /// Saves `annotation` moved to `anchor` on the paper's current file, as an edit: shown at
    /// once, queued for the server in the same transaction.
    fn save_moved(
        &self,
        annotation: &Annotation,
        anchor: Anchor,
        paper: &CurrentPaper,
    ) -> Result<(), IpcError> {
        let now = self.clock.now();
        let moved = Annotation {
            anchor,
            made_on: MadeOn {
                packet_version: Some(paper.version),
                hash: paper.hash.clone(),
            },
            updated_at: now,
            ..annotation.clone()
        };
        moved.check().map_err(|refusal| {
            IpcError::new(
                IpcErrorCode::Internal,
                format!("a moved annotation would be refused: {refusal}"),
            )
        })?;
        self.store().save_annotation(&moved, now)?;
        Ok(())
    }

    fn judged(&self, annotation: &Annotation, current: &BlobHash) -> bool {
        self.judged_lock().0.contains(&(
            annotation.id,
            annotation.updated_at.millis(),
            current.clone(),
        ))
    }

    fn judged_lock(&self) -> std::sync::MutexGuard<'_, Judged> {
        self.judged_reviews
            .lock()
            .expect("a panic while holding the judged reviews")
    }

    /// The member's own annotations on a paper as this device shows them (pending edits
    /// included, deleted ones left out).
    fn own_annotations(
        &self,
        member: MemberId,
        paper: PaperId,
    ) -> Result<Vec<Annotation>, IpcError> {
        Ok(self
            .store()
            .annotations(member, paper)?
            .into_iter()
            .map(|a| a.annotation)
            .filter(|a| a.author == member)
            .collect())
    }

    /// Every paper of the member's meetings whose current file is on the device.
    fn current_papers(&self, member: MemberId) -> Result<Vec<CurrentPaper>, IpcError> {
        let store = self.store();
        let mut versions: HashMap<MeetingId, u32> = HashMap::new();
        let mut papers = Vec::new();
        for paper in store.readable_papers(member)? {
            if !paper.held {
                continue;
            }
            let version = match versions.get(&paper.meeting_id) {
                Some(&version) => version,
                None => {
                    let version = latest_number(&store, paper.meeting_id)?;
                    versions.insert(paper.meeting_id, version);
                    version
                }
            };
            papers.push(current(paper, version));
        }
        Ok(papers)
    }

    fn current_paper(&self, member: MemberId, paper: PaperId) -> Result<CurrentPaper, IpcError> {
        let store = self.store();
        let readable = store
            .readable_papers(member)?
            .into_iter()
            .find(|p| p.paper_id == paper)
            .ok_or_else(|| {
                IpcError::new(IpcErrorCode::NotFound, "no paper you may read has this id")
            })?;
        let version = latest_number(&store, readable.meeting_id)?;
        Ok(current(readable, version))
    }

    /// The file the changes are measured from, with the newest packet version that had it:
    /// the file the member last opened when that is not the current one, else the file the
    /// paper had before its current one.
    fn earlier_file(
        &self,
        member: MemberId,
        paper: &CurrentPaper,
    ) -> Result<Option<Earlier>, IpcError> {
        let store = self.store();
        let read = store
            .read_file(member, paper.paper_id)?
            .filter(|h| h != &paper.hash);
        let mut previous = None;
        for number in (1..paper.version).rev() {
            let Some(version) = store.packet_version(paper.meeting_id, number)? else {
                continue;
            };
            let Some(file) = version
                .entries
                .into_iter()
                .find(|e| e.paper_id == paper.paper_id)
                .and_then(|e| e.file)
            else {
                continue;
            };
            if file.hash == paper.hash {
                continue;
            }
            let earlier = |read| Earlier {
                version: number,
                file: file.clone(),
                read,
            };
            match &read {
                Some(read) if &file.hash == read => return Ok(Some(earlier(true))),
                Some(_) => {
                    previous.get_or_insert_with(|| earlier(false));
                }
                None => return Ok(Some(earlier(false))),
            }
        }
        Ok(previous)
    }

    /// A file's page texts from the search index, as one paper text; `None` when the
    /// indexer has not read it (or it is not on this device).
    fn indexed_text(&self, hash: &BlobHash) -> Result<Option<PaperText>, IpcError> {
        let index = self.search_index()?;
        if !index.contains(hash.as_str())? {
            return Ok(None);
        }
        let mut pages = Vec::new();
        while let Some(text) = index.page_text(hash.as_str(), pages.len() as u32)? {
            pages.push(text);
        }
        if pages.is_empty() {
            return Ok(None); // recorded as unreadable
        }
        Ok(Some(PaperText::new(&pages)))
    }

    /// Brings an earlier file of a paper onto the device and reads its text into the
    /// search index (it stays as long as the file does).
    async fn fetch_text(
        &self,
        session: &ecabinet_store::StoredSession,
        file: &ecabinet_domain::PaperFile,
    ) -> Result<PaperText, IpcError> {
        let client = CouncilClient::new(&session.server_url)?;
        self.files
            .fetch_now(&client, &session.token, &file.hash, file.size)
            .await?;
        let pages = tokio::task::block_in_place(|| -> Result<Vec<String>, IpcError> {
            let workers = self.pdf_workers()?;
            let bytes = self.files.read_verified(&file.hash)?;
            Ok(crate::search::read_pages(&workers, bytes, None)?)
        })?;
        self.search_index()?
            .index_document(file.hash.as_str(), &pages)?;
        Ok(PaperText::new(&pages))
    }
}

/// Page texts of earlier files, read from the index once per pass.
#[derive(Default)]
struct TextCache(HashMap<BlobHash, Option<PaperText>>);

impl TextCache {
    fn get(&mut self, core: &AppCore, hash: &BlobHash) -> Result<Option<&PaperText>, IpcError> {
        if !self.0.contains_key(hash) {
            let text = core.indexed_text(hash)?;
            self.0.insert(hash.clone(), text);
        }
        Ok(self.0.get(hash).and_then(Option::as_ref))
    }
}

/// The member's annotations grouped by the file they were made on.
fn by_version(annotations: Vec<Annotation>) -> HashMap<BlobHash, Vec<Annotation>> {
    let mut groups: HashMap<BlobHash, Vec<Annotation>> = HashMap::new();
    for annotation in annotations {
        groups
            .entry(annotation.made_on.hash.clone())
            .or_default()
            .push(annotation);
    }
    groups
}

/// Marks made on one earlier file, placed on the current one: with the two versions aligned
/// once when the device has the earlier text, else from each anchor alone.
struct Follower<'a> {
    amendment: Option<Amendment<'a>>,
    new: &'a PaperText,
}

impl<'a> Follower<'a> {
    fn new(old: Option<&'a PaperText>, new: &'a PaperText) -> Follower<'a> {
        Follower {
            amendment: old.map(|old| Amendment::between(old, new)),
            new,
        }
    }

    fn reanchor(&self, anchor: &Anchor) -> Reanchoring {
        match &self.amendment {
            Some(amendment) => amendment.reanchor(anchor.text()),
            None => reanchor(anchor.text(), self.new),
        }
    }

    /// The anchor on the current file, when the mark can be placed with confidence.
    fn place(&self, anchor: &Anchor) -> Option<Anchor> {
        match self.reanchor(anchor) {
            Reanchoring::Placed { start, end, .. } => Some(anchor.moved_to(self.new, start, end)),
            Reanchoring::NeedsReview { .. } => None,
        }
    }
}

fn current(paper: ReadablePaper, version: u32) -> CurrentPaper {
    CurrentPaper {
        meeting_id: paper.meeting_id,
        paper_id: paper.paper_id,
        hash: paper.hash,
        version,
    }
}

fn latest_number(store: &Store, meeting: MeetingId) -> Result<u32, IpcError> {
    Ok(store.latest_packet(meeting)?.map_or(0, |v| v.number))
}

fn has_text(text: &PaperText) -> bool {
    text.slice(0, text.len())
        .chars()
        .any(|c| !c.is_whitespace())
}

fn range_view(range: &PageRange) -> dto::ChangeRangeView {
    dto::ChangeRangeView {
        page: range.page as u32,
        start: range.start as u32,
        end: range.end as u32,
    }
}

fn ranges(text: &PaperText, start: usize, end: usize) -> Vec<dto::ChangeRangeView> {
    text.page_ranges(start, end)
        .iter()
        .map(range_view)
        .collect()
}
