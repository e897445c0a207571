//! Meeting packets: the papers a session is read from, who may read each one, and the
//! numbered, immutable versions the secretariat publishes.
//!
//! A [`Paper`] is the secretariat's working copy: it changes as files are replaced, and it
//! must be approved before it can be published. Publishing freezes every paper of the
//! meeting into a [`PacketVersion`]; what a participant receives of a version is decided by
//! [`PacketVersion::as_seen_by`], and what they are shown as changed by [`PacketChanges`].

use crate::{AgendaItem, AgendaItemId, AgendaTree, MeetingId, MemberId, Role, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use utoipa::ToSchema;

/// The SHA-256 of a file's bytes in lowercase hex: the name of a blob on every disk and on
/// the wire. Made only through [`BlobHash::parse`], so it is always 64 hex digits and can
/// safely become a file name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, pattern = "^[0-9a-f]{64}$")]
pub struct BlobHash(String);

impl BlobHash {
    pub fn parse(text: &str) -> Option<BlobHash> {
        (text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
            .then(|| BlobHash(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for BlobHash {
    type Error = String;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        BlobHash::parse(&text).ok_or_else(|| format!("{text:?} is not a lowercase SHA-256 hex"))
    }
}

impl From<BlobHash> for String {
    fn from(hash: BlobHash) -> String {
        hash.0
    }
}

impl fmt::Display for BlobHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a paper is, as the session's papers are sorted (BRIEF, glossary).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaperKind {
    /// tờ trình
    Submission,
    /// dự thảo nghị quyết
    DraftResolution,
    /// báo cáo thẩm tra
    ReviewReport,
    /// phụ lục
    Appendix,
    Other,
}

/// The session's own sections, which hold papers that belong to no programme item.
/// (The delegate list is the meeting's participants, not a paper.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    /// thông báo
    Announcements,
    /// tổng hợp thông tin báo chí
    PressSummary,
    /// ý kiến cử tri
    VoterOpinions,
}

/// Where a paper sits in the meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(tag = "at", content = "id", rename_all = "snake_case")]
pub enum PaperPlace {
    Item(AgendaItemId),
    Section(SectionKind),
}

/// Who may read a paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "scope", rename_all = "snake_case")]
pub enum Visibility {
    /// Every participant of the meeting.
    AllParticipants,
    /// Confidential: only the named members (and the secretariat). With `title_hidden`,
    /// others do not even learn the paper's title; otherwise they see that it exists.
    Named {
        readers: Vec<MemberId>,
        title_hidden: bool,
    },
    /// Still a draft: the secretariat only.
    Secretariat,
}

impl Visibility {
    /// The secretariat (secretary, and the chair who reviews) reads every paper; the
    /// administrator runs the server and reads none unless named.
    pub fn may_read(&self, member: MemberId, role: Role) -> bool {
        if role.may_read_working_papers() {
            return true;
        }
        match self {
            Visibility::AllParticipants => true,
            Visibility::Named { readers, .. } => readers.contains(&member),
            Visibility::Secretariat => false,
        }
    }

    /// Whether someone who may not read the paper may still learn that it exists.
    fn title_shown_to_others(&self) -> bool {
        matches!(
            self,
            Visibility::Named {
                title_hidden: false,
                ..
            }
        )
    }
}

/// A file as the packet knows it: its content hash, size and page count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PaperFile {
    pub hash: BlobHash,
    pub size: u64,
    pub pages: u32,
    /// The name it was imported under, for people only: never used as a path.
    pub file_name: String,
}

/// Whether a paper has been approved for publishing.
///
/// Stored with every paper on the server and on devices, so variants are only ever added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Review {
    /// Waiting for the chair.
    Pending,
    Approved {
        by: MemberId,
        at: Timestamp,
    },
    /// Sent back to the secretariat by the chair, saying why. It stays returned (and
    /// unpublishable) until a new file is uploaded or the chair approves it after all.
    Returned {
        by: MemberId,
        at: Timestamp,
        reason: String,
    },
}

impl Review {
    pub fn is_approved(&self) -> bool {
        matches!(self, Review::Approved { .. })
    }
}

/// The longest reason a chair may give for returning a paper, in characters: a paragraph
/// or two, not a second paper.
pub const MAX_RETURN_REASON_CHARS: usize = 2000;

/// Why a review act does not apply to the paper as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewRefusal {
    /// Only a paper that waits for review (or was returned already) can be returned; an
    /// approved one has its approval withdrawn first.
    NotPending,
    /// Only an approved paper has an approval to withdraw.
    NotApproved,
    /// The approval went out in this packet version; what was published stays approved.
    /// A change goes through a new file, which needs a new approval.
    AlreadyPublished {
        version: u32,
    },
    /// A returned paper says why: the secretariat must know what to fix.
    ReasonMissing,
    ReasonTooLong {
        max: usize,
    },
    /// Four eyes: the member who uploaded the paper's current file may not approve it;
    /// another member with the right to approve does.
    OwnUpload,
}

impl fmt::Display for ReviewRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReviewRefusal::NotPending => f.write_str(
                "only a paper awaiting review can be returned; withdraw the approval first",
            ),
            ReviewRefusal::NotApproved => f.write_str("the paper is not approved"),
            ReviewRefusal::AlreadyPublished { version } => write!(
                f,
                "the approval was published in packet version {version}; replace the file to change the paper"
            ),
            ReviewRefusal::ReasonMissing => {
                f.write_str("say why the paper is returned: the reason must not be empty")
            }
            ReviewRefusal::ReasonTooLong { max } => {
                write!(f, "the reason is longer than {max} characters")
            }
            ReviewRefusal::OwnUpload => f.write_str(
                "you uploaded this revision of the paper, so another member must approve it",
            ),
        }
    }
}

/// A paper being prepared: the secretariat's working copy, synced only to the secretariat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Paper {
    pub id: crate::PaperId,
    pub meeting_id: MeetingId,
    pub place: PaperPlace,
    /// Order among the papers of the same place.
    pub position: i32,
    pub title: String,
    pub kind: PaperKind,
    pub visibility: Visibility,
    pub file: PaperFile,
    /// 1 for the first file; +1 each time the file is replaced.
    pub revision: u32,
    /// Where a watched folder found it (its path relative to the folder), so a changed file
    /// becomes a new revision of the same paper, never a duplicate.
    pub source: Option<String>,
    pub review: Review,
    /// Who attached the current file (the revision's uploader), who may therefore not
    /// approve it. `None` for papers recorded before this was kept.
    #[serde(default)]
    pub uploaded_by: Option<MemberId>,
    /// Withdrawn papers stay as records (so the next version can say they were removed) but
    /// are not published.
    pub withdrawn: bool,
    pub updated_at: Timestamp,
}

impl Paper {
    /// A new file, attached by `by`, replaces the old one: the revision moves on and the
    /// paper waits for review again, since what was approved (or returned) is no longer what
    /// would be published; and `by`, its uploader, is not the one to approve it.
    pub fn replace_file(&mut self, file: PaperFile, by: MemberId, now: Timestamp) -> bool {
        if file.hash == self.file.hash {
            return false;
        }
        self.file = file;
        self.revision += 1;
        self.uploaded_by = Some(by);
        self.review = Review::Pending;
        self.updated_at = now;
        true
    }

    /// The secretariat changed the paper's title, kind, visibility or place. What the chair
    /// approved was those too, so an approval lapses; a return stands (with its reason in
    /// view) until a new file comes or the chair approves.
    pub fn amended(&mut self, now: Timestamp) {
        if self.review.is_approved() {
            self.review = Review::Pending;
        }
        self.updated_at = now;
    }

    /// The chair approves the paper for publishing, whether it waited or was returned.
    /// Returns false when it was approved already (a retried request changes nothing).
    /// Four eyes: whoever uploaded the current revision may not approve it.
    pub fn approve(&mut self, by: MemberId, at: Timestamp) -> Result<bool, ReviewRefusal> {
        if self.uploaded_by == Some(by) {
            return Err(ReviewRefusal::OwnUpload);
        }
        if self.review.is_approved() {
            return Ok(false);
        }
        self.review = Review::Approved { by, at };
        Ok(true)
    }

    /// The chair sends a paper that waits for review back to the secretariat, saying why
    /// (trimmed; at most [`MAX_RETURN_REASON_CHARS`]). A returned paper can be returned
    /// again with a new reason; the same reason again changes nothing (false).
    pub fn return_with(
        &mut self,
        by: MemberId,
        at: Timestamp,
        reason: &str,
    ) -> Result<bool, ReviewRefusal> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(ReviewRefusal::ReasonMissing);
        }
        if reason.chars().count() > MAX_RETURN_REASON_CHARS {
            return Err(ReviewRefusal::ReasonTooLong {
                max: MAX_RETURN_REASON_CHARS,
            });
        }
        match &self.review {
            Review::Approved { .. } => Err(ReviewRefusal::NotPending),
            Review::Returned { reason: given, .. } if given == reason => Ok(false),
            Review::Pending | Review::Returned { .. } => {
                self.review = Review::Returned {
                    by,
                    at,
                    reason: reason.to_owned(),
                };
                Ok(true)
            }
        }
    }

    /// The chair takes back an approval that has not been published yet: the paper waits
    /// for review again. `latest` is the meeting's last published version: an approval
    /// given before it, of a paper it holds, went out with it and stays. A paper already
    /// waiting changes nothing (false), so a retried request is harmless.
    pub fn withdraw_approval(
        &mut self,
        latest: Option<&PacketVersion>,
    ) -> Result<bool, ReviewRefusal> {
        match &self.review {
            Review::Pending => Ok(false),
            Review::Returned { .. } => Err(ReviewRefusal::NotApproved),
            Review::Approved { at, .. } => {
                if let Some(version) = latest
                    && version.published_at >= *at
                    && version.entries.iter().any(|e| e.paper_id == self.id)
                {
                    return Err(ReviewRefusal::AlreadyPublished {
                        version: version.number,
                    });
                }
                self.review = Review::Pending;
                Ok(true)
            }
        }
    }
}

/// A participant of a meeting and whether they vote in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Participant {
    pub member_id: MemberId,
    pub display_name: String,
    pub meeting_role: MeetingRole,
    pub votes: bool,
}

impl Participant {
    /// The list a meeting has until the secretariat chooses one: every member but the
    /// administrator, in their council role, the chair and delegates voting.
    pub fn defaults<'a>(members: impl IntoIterator<Item = &'a crate::Member>) -> Vec<Participant> {
        members
            .into_iter()
            .filter_map(|m| {
                let meeting_role = match m.role {
                    Role::Administrator => return None,
                    Role::Secretary => MeetingRole::Secretary,
                    Role::Chair => MeetingRole::Chair,
                    Role::Delegate => MeetingRole::Delegate,
                    Role::Guest => MeetingRole::Guest,
                };
                Some(Participant {
                    member_id: m.id,
                    display_name: m.display_name.clone(),
                    meeting_role,
                    votes: matches!(m.role, Role::Chair | Role::Delegate),
                })
            })
            .collect()
    }
}

/// Whether two participant lists name the same people in the same roles, in any order.
fn same_participants(a: &[Participant], b: &[Participant]) -> bool {
    let sorted = |list: &[Participant]| {
        let mut list = list.to_vec();
        list.sort_by_key(|p| p.member_id);
        list
    };
    sorted(a) == sorted(b)
}

/// A member's role in one meeting (which may differ from their council role).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MeetingRole {
    Chair,
    Secretary,
    Delegate,
    Guest,
}

/// One paper as frozen in a packet version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PacketEntry {
    pub paper_id: crate::PaperId,
    pub place: PaperPlace,
    pub position: i32,
    /// `None` only in a copy for someone who may not read the paper; see [`PacketVersion::as_seen_by`].
    pub title: Option<String>,
    pub kind: PaperKind,
    pub visibility: Visibility,
    pub revision: u32,
    /// `None` in a copy for someone who may not read the paper: they learn it exists, not its bytes.
    pub file: Option<PaperFile>,
}

impl PacketEntry {
    /// True when this entry is restricted for the member who holds this copy.
    pub fn is_restricted(&self) -> bool {
        self.file.is_none()
    }
}

/// A published, immutable version of a meeting's packet (a manifest: the bytes are blobs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PacketVersion {
    pub meeting_id: MeetingId,
    /// 1, 2, 3… per meeting, never reused.
    pub number: u32,
    pub published_at: Timestamp,
    pub published_by: MemberId,
    pub participants: Vec<Participant>,
    pub entries: Vec<PacketEntry>,
    /// The programme as published with this version: what every participant sees of it
    /// until the next version, whatever the secretariat edits meanwhile. Ordered by parent,
    /// position and id. `None` in versions published before the programme became part of
    /// the packet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub programme: Option<Vec<AgendaItem>>,
}

/// Why the secretariat cannot publish right now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublishRefusal {
    /// Only approved papers can be published; these are still waiting (or were returned).
    NotApproved(Vec<String>),
    /// A version needs at least one paper.
    NoPapers,
    /// Nothing changed since the last version.
    NothingChanged { current: u32 },
}

impl fmt::Display for PublishRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PublishRefusal::NotApproved(titles) => write!(
                f,
                "{} paper(s) still await approval: {}",
                titles.len(),
                titles.join("; ")
            ),
            PublishRefusal::NoPapers => f.write_str("the meeting has no papers to publish"),
            PublishRefusal::NothingChanged { current } => write!(
                f,
                "nothing changed since version {current}; amend a paper before publishing again"
            ),
        }
    }
}

impl PacketVersion {
    /// Freezes the meeting's papers into the version after `previous`.
    ///
    /// Every paper that is not withdrawn must be approved: nothing unapproved is ever
    /// published, and nothing is published partially. The programme is frozen with the
    /// papers, so a change to it reaches participants only when it is published.
    pub fn freeze(
        meeting_id: MeetingId,
        previous: Option<&PacketVersion>,
        papers: &[Paper],
        participants: Vec<Participant>,
        mut programme: Vec<AgendaItem>,
        published_by: MemberId,
        now: Timestamp,
    ) -> Result<PacketVersion, PublishRefusal> {
        let live: Vec<&Paper> = papers.iter().filter(|p| !p.withdrawn).collect();
        if live.is_empty() {
            return Err(PublishRefusal::NoPapers);
        }
        let pending: Vec<String> = live
            .iter()
            .filter(|p| !p.review.is_approved())
            .map(|p| p.title.clone())
            .collect();
        if !pending.is_empty() {
            return Err(PublishRefusal::NotApproved(pending));
        }
        let mut entries: Vec<PacketEntry> = live
            .iter()
            .map(|p| PacketEntry {
                paper_id: p.id,
                place: p.place,
                position: p.position,
                title: Some(p.title.clone()),
                kind: p.kind,
                visibility: p.visibility.clone(),
                revision: p.revision,
                file: Some(p.file.clone()),
            })
            .collect();
        entries.sort_by(|a, b| {
            (a.position, a.paper_id)
                .cmp(&(b.position, b.paper_id))
                .then_with(|| a.title.cmp(&b.title))
        });
        programme.sort_by_key(|i| (i.parent_id, i.position, i.id));
        if let Some(previous) = previous
            && previous.entries == entries
            && same_participants(&previous.participants, &participants)
            && previous.programme.as_ref() == Some(&programme)
        {
            return Err(PublishRefusal::NothingChanged {
                current: previous.number,
            });
        }
        Ok(PacketVersion {
            meeting_id,
            number: previous.map_or(1, |p| p.number + 1),
            published_at: now,
            published_by,
            participants,
            entries,
            programme: Some(programme),
        })
    }

    /// The copy of this version a member receives: papers they may read intact; a
    /// confidential paper they may not read appears without its file (and without its
    /// title, or not at all when the title is hidden too); secretariat drafts not at all.
    pub fn as_seen_by(&self, member: MemberId, role: Role) -> PacketVersion {
        let entries = self
            .entries
            .iter()
            .filter_map(|e| {
                if e.visibility.may_read(member, role) {
                    Some(e.clone())
                } else if e.visibility.title_shown_to_others() {
                    Some(PacketEntry {
                        file: None,
                        visibility: Visibility::Named {
                            readers: Vec::new(),
                            title_hidden: false,
                        },
                        ..e.clone()
                    })
                } else {
                    None
                }
            })
            .collect();
        PacketVersion {
            entries,
            ..self.clone()
        }
    }

    /// Whether `member` may download the blob `hash` because of this version.
    pub fn grants_blob(&self, hash: &BlobHash, member: MemberId, role: Role) -> bool {
        self.entries.iter().any(|e| {
            e.file.as_ref().is_some_and(|f| &f.hash == hash) && e.visibility.may_read(member, role)
        })
    }

    /// Total bytes of the files in this copy.
    pub fn total_bytes(&self) -> u64 {
        self.entries
            .iter()
            .filter_map(|e| e.file.as_ref())
            .map(|f| f.size)
            .sum()
    }
}

/// How a paper differs in a new version from what the reader last had.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeMark {
    Added,
    Replaced,
    Removed,
}

/// What changed for one reader between the version they had read against (`baseline`) and
/// the current one, minus what they have opened since (`read`: paper → the hash they read).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PacketChanges {
    pub marks: HashMap<crate::PaperId, ChangeMark>,
    /// Titles of removed papers, since they are no longer in the programme to be marked.
    pub removed_titles: Vec<String>,
}

impl PacketChanges {
    pub fn between(
        baseline: Option<&PacketVersion>,
        current: &PacketVersion,
        read: &HashMap<crate::PaperId, BlobHash>,
    ) -> PacketChanges {
        let Some(baseline) = baseline else {
            // The first version a reader receives is simply the packet: nothing is "changed".
            return PacketChanges::default();
        };
        let before: HashMap<_, _> = baseline.entries.iter().map(|e| (e.paper_id, e)).collect();
        let mut changes = PacketChanges::default();
        for entry in &current.entries {
            let Some(file) = &entry.file else { continue };
            if read.get(&entry.paper_id) == Some(&file.hash) {
                continue;
            }
            let mark = match before.get(&entry.paper_id) {
                None => Some(ChangeMark::Added),
                Some(old) if old.file.as_ref().map(|f| &f.hash) != Some(&file.hash) => {
                    Some(ChangeMark::Replaced)
                }
                Some(_) => None,
            };
            if let Some(mark) = mark {
                changes.marks.insert(entry.paper_id, mark);
            }
        }
        let now_present: std::collections::HashSet<_> =
            current.entries.iter().map(|e| e.paper_id).collect();
        for old in &baseline.entries {
            if !now_present.contains(&old.paper_id) {
                changes.marks.insert(old.paper_id, ChangeMark::Removed);
                if let Some(title) = &old.title {
                    changes.removed_titles.push(title.clone());
                }
            }
        }
        changes
    }
}

/// How a programme item differs in a version from the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemMark {
    Added,
    /// Its title, presenter, planned time or number changed.
    Amended,
    Removed,
}

/// What changed in the programme between two versions, item by item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProgrammeChanges {
    pub marks: HashMap<AgendaItemId, ItemMark>,
    /// Titles of removed items, since they are no longer in the programme to be marked.
    pub removed_titles: Vec<String>,
}

impl ProgrammeChanges {
    /// Compares two programmes as participants see them: an item is amended when what is
    /// shown of it changed, its number included (an item moved to another place is renumbered).
    /// With no programme before (the first version, or one published before programmes were
    /// frozen), nothing is marked.
    pub fn between(before: Option<&[AgendaItem]>, after: &[AgendaItem]) -> ProgrammeChanges {
        let Some(before) = before else {
            return ProgrammeChanges::default();
        };
        let old = numbered_by_id(before);
        let new = numbered_by_id(after);
        let mut changes = ProgrammeChanges::default();
        for (id, (number, item)) in &new {
            let mark = match old.get(id) {
                None => Some(ItemMark::Added),
                Some((old_number, old_item))
                    if old_number != number
                        || old_item.title != item.title
                        || old_item.presenter != item.presenter
                        || old_item.planned_minutes != item.planned_minutes =>
                {
                    Some(ItemMark::Amended)
                }
                Some(_) => None,
            };
            if let Some(mark) = mark {
                changes.marks.insert(*id, mark);
            }
        }
        // In the old programme's reading order.
        for (_, item) in numbered(before) {
            if !new.contains_key(&item.id) {
                changes.marks.insert(item.id, ItemMark::Removed);
                changes.removed_titles.push(item.title);
            }
        }
        changes
    }

    pub fn is_empty(&self) -> bool {
        self.marks.is_empty()
    }
}

/// Each item of a programme with its display number, in reading order.
fn numbered(items: &[AgendaItem]) -> Vec<(String, AgendaItem)> {
    AgendaTree::build(items.to_vec())
        .walk()
        .into_iter()
        .map(|node| (node.number.clone(), node.item.clone()))
        .collect()
}

/// [`numbered`], by item id.
fn numbered_by_id(items: &[AgendaItem]) -> HashMap<AgendaItemId, (String, AgendaItem)> {
    numbered(items)
        .into_iter()
        .map(|(number, item)| (item.id, (number, item)))
        .collect()
}

/// What publishing now would change for participants, as the secretary confirms it:
/// the difference between the last version and the one that would be frozen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublishPreview {
    pub papers_added: Vec<String>,
    pub papers_replaced: Vec<String>,
    /// Papers withdrawn (or no longer in the packet) since the last version.
    pub papers_withdrawn: Vec<String>,
    /// Papers whose title, kind, place or readers changed but not their file.
    pub papers_amended: Vec<String>,
    pub items_added: Vec<String>,
    pub items_amended: Vec<String>,
    pub items_removed: Vec<String>,
    pub participants_changed: bool,
}

impl PublishPreview {
    /// Compares the version that would be published with the last one (`None` before the
    /// first: then everything in it is new).
    pub fn between(previous: Option<&PacketVersion>, next: &PacketVersion) -> PublishPreview {
        let title = |e: &PacketEntry| e.title.clone().unwrap_or_default();
        let before: HashMap<_, _> = previous
            .map(|v| v.entries.iter().map(|e| (e.paper_id, e)).collect())
            .unwrap_or_default();
        let mut preview = PublishPreview::default();
        for entry in &next.entries {
            match before.get(&entry.paper_id) {
                None => preview.papers_added.push(title(entry)),
                Some(old) if old.file != entry.file => preview.papers_replaced.push(title(entry)),
                Some(old) if *old != entry => preview.papers_amended.push(title(entry)),
                Some(_) => {}
            }
        }
        let now_present: std::collections::HashSet<_> =
            next.entries.iter().map(|e| e.paper_id).collect();
        if let Some(previous) = previous {
            preview.papers_withdrawn = previous
                .entries
                .iter()
                .filter(|e| !now_present.contains(&e.paper_id))
                .map(title)
                .collect();
            preview.participants_changed =
                !same_participants(&previous.participants, &next.participants);
        }
        let programme = next.programme.as_deref().unwrap_or_default();
        let items = match previous {
            Some(previous) => ProgrammeChanges::between(
                Some(previous.programme.as_deref().unwrap_or_default()),
                programme,
            ),
            None => ProgrammeChanges::between(Some(&[]), programme),
        };
        for (number, item) in numbered(programme) {
            let line = format!("{number}. {}", item.title);
            match items.marks.get(&item.id) {
                Some(ItemMark::Added) => preview.items_added.push(line),
                Some(ItemMark::Amended) => preview.items_amended.push(line),
                Some(ItemMark::Removed) | None => {}
            }
        }
        preview.items_removed = items.removed_titles;
        preview
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PaperId;
    use uuid::Uuid;

    fn hash(n: u8) -> BlobHash {
        BlobHash::parse(&format!("{n:02x}").repeat(32)).unwrap()
    }

    fn member(n: u128) -> MemberId {
        MemberId(Uuid::from_u128(n))
    }

    fn paper(n: u128, file: u8, visibility: Visibility) -> Paper {
        Paper {
            id: PaperId(Uuid::from_u128(n)),
            meeting_id: MeetingId(Uuid::from_u128(1)),
            place: PaperPlace::Section(SectionKind::Announcements),
            position: n as i32,
            title: format!("Tài liệu {n}"),
            kind: PaperKind::Submission,
            visibility,
            file: PaperFile {
                hash: hash(file),
                size: 1000,
                pages: 3,
                file_name: format!("{n}.pdf"),
            },
            revision: 1,
            source: None,
            review: Review::Approved {
                by: member(9),
                at: Timestamp(0),
            },
            uploaded_by: Some(member(5)),
            withdrawn: false,
            updated_at: Timestamp(0),
        }
    }

    fn freeze(previous: Option<&PacketVersion>, papers: &[Paper]) -> PacketVersion {
        PacketVersion::freeze(
            MeetingId(Uuid::from_u128(1)),
            previous,
            papers,
            vec![],
            vec![],
            member(9),
            Timestamp(5),
        )
        .unwrap()
    }

    #[test]
    fn blob_hashes_are_64_lowercase_hex_digits_only() {
        assert!(BlobHash::parse(&"a".repeat(64)).is_some());
        assert!(BlobHash::parse(&"A".repeat(64)).is_none(), "uppercase");
        assert!(BlobHash::parse(&"a".repeat(63)).is_none(), "short");
        assert!(
            BlobHash::parse(&format!("../{}", "a".repeat(61))).is_none(),
            "a hash becomes a file name, so nothing but hex may pass"
        );
        assert!(serde_json::from_str::<BlobHash>("\"zz\"").is_err());
    }

    #[test]
    fn versions_number_from_one_and_refuse_to_repeat_themselves() {
        let papers = [paper(1, 1, Visibility::AllParticipants)];
        let v1 = freeze(None, &papers);
        assert_eq!(v1.number, 1);
        let again = PacketVersion::freeze(
            v1.meeting_id,
            Some(&v1),
            &papers,
            vec![],
            vec![],
            member(9),
            Timestamp(6),
        );
        assert_eq!(again, Err(PublishRefusal::NothingChanged { current: 1 }));
        let v2 = freeze(Some(&v1), &[paper(1, 2, Visibility::AllParticipants)]);
        assert_eq!(v2.number, 2);
    }

    #[test]
    fn nothing_unapproved_is_published() {
        let mut pending = paper(2, 2, Visibility::AllParticipants);
        pending.review = Review::Pending;
        let refusal = PacketVersion::freeze(
            MeetingId(Uuid::from_u128(1)),
            None,
            &[paper(1, 1, Visibility::AllParticipants), pending],
            vec![],
            vec![],
            member(9),
            Timestamp(0),
        )
        .unwrap_err();
        assert_eq!(
            refusal,
            PublishRefusal::NotApproved(vec!["Tài liệu 2".into()]),
            "one pending paper blocks the whole version: nothing is published partially"
        );
    }

    #[test]
    fn replacing_a_file_moves_the_revision_on_and_needs_approval_again() {
        let mut p = paper(1, 1, Visibility::AllParticipants);
        assert!(
            !p.replace_file(p.file.clone(), member(5), Timestamp(1)),
            "same bytes"
        );
        let mut file = p.file.clone();
        file.hash = hash(7);
        assert!(p.replace_file(file, member(5), Timestamp(2)));
        assert_eq!((p.revision, &p.review), (2, &Review::Pending));
    }

    #[test]
    fn no_one_approves_a_revision_they_uploaded() {
        let (secretary, chair) = (member(5), member(2));
        let mut p = pending(1);
        p.uploaded_by = Some(chair);
        assert_eq!(
            p.approve(chair, Timestamp(1)),
            Err(ReviewRefusal::OwnUpload),
            "the member who uploaded the file (a chair who was secretary when they did) may not approve it"
        );
        assert_eq!(p.review, Review::Pending, "a refusal changes nothing");

        let mut file = p.file.clone();
        file.hash = hash(9);
        assert!(p.replace_file(file, secretary, Timestamp(2)));
        assert_eq!(
            p.uploaded_by,
            Some(secretary),
            "a new file has a new uploader"
        );
        assert_eq!(
            p.approve(chair, Timestamp(3)),
            Ok(true),
            "a revision someone else uploaded the chair approves"
        );
        assert_eq!(
            p.approve(secretary, Timestamp(4)),
            Err(ReviewRefusal::OwnUpload),
            "the uploader is refused even when the paper is approved already"
        );

        let legacy: Paper = serde_json::from_value({
            let mut record = serde_json::to_value(pending(2)).unwrap();
            record.as_object_mut().unwrap().remove("uploaded_by");
            record
        })
        .unwrap();
        assert_eq!(
            legacy.uploaded_by, None,
            "papers recorded before uploaders were kept still read"
        );
    }

    fn pending(n: u128) -> Paper {
        Paper {
            review: Review::Pending,
            ..paper(n, n as u8, Visibility::AllParticipants)
        }
    }

    #[test]
    fn the_chair_returns_a_pending_paper_saying_why_and_may_approve_it_after_all() {
        let mut p = pending(1);
        assert_eq!(
            p.return_with(
                member(2),
                Timestamp(10),
                "  Thiếu phụ lục số liệu năm 2025.  "
            ),
            Ok(true)
        );
        assert_eq!(
            p.review,
            Review::Returned {
                by: member(2),
                at: Timestamp(10),
                reason: "Thiếu phụ lục số liệu năm 2025.".into()
            },
            "the reason is kept as written, without the stray spaces"
        );
        assert_eq!(
            p.return_with(member(2), Timestamp(11), "Thiếu phụ lục số liệu năm 2025."),
            Ok(false),
            "a retried return changes nothing"
        );
        assert_eq!(
            p.return_with(member(2), Timestamp(12), "Sai số trang."),
            Ok(true),
            "the chair may say more"
        );
        assert!(
            p.approve(member(2), Timestamp(13)).unwrap(),
            "returned, then approved after all"
        );
        assert!(p.review.is_approved());
        assert!(
            !p.approve(member(2), Timestamp(14)).unwrap(),
            "approving twice is one approval"
        );
        assert_eq!(
            p.review,
            Review::Approved {
                by: member(2),
                at: Timestamp(13)
            }
        );
    }

    #[test]
    fn a_return_needs_a_reason_of_bounded_length_and_a_paper_not_approved() {
        let mut p = pending(1);
        assert_eq!(
            p.return_with(member(2), Timestamp(1), " \n\t "),
            Err(ReviewRefusal::ReasonMissing)
        );
        let long = "ư".repeat(MAX_RETURN_REASON_CHARS + 1);
        assert_eq!(
            p.return_with(member(2), Timestamp(1), &long),
            Err(ReviewRefusal::ReasonTooLong {
                max: MAX_RETURN_REASON_CHARS
            }),
            "the limit counts characters, not the bytes of Vietnamese letters"
        );
        let longest = "ư".repeat(MAX_RETURN_REASON_CHARS);
        assert_eq!(p.return_with(member(2), Timestamp(1), &longest), Ok(true));
        let mut approved = paper(2, 2, Visibility::AllParticipants);
        assert_eq!(
            approved.return_with(member(2), Timestamp(1), "Sai số trang."),
            Err(ReviewRefusal::NotPending),
            "an approval is withdrawn first, so returning is never a silent un-approval"
        );
        assert!(approved.review.is_approved());
    }

    #[test]
    fn an_approval_is_withdrawn_until_it_is_published() {
        let mut p = paper(1, 1, Visibility::AllParticipants);
        assert_eq!(p.withdraw_approval(None), Ok(true));
        assert_eq!(p.review, Review::Pending);
        assert_eq!(
            p.withdraw_approval(None),
            Ok(false),
            "a retry changes nothing"
        );
        p.return_with(member(2), Timestamp(1), "Sai số trang.")
            .unwrap();
        assert_eq!(
            p.withdraw_approval(None),
            Err(ReviewRefusal::NotApproved),
            "a returned paper has no approval to withdraw"
        );

        // Approved at 0, published at 5: the approval went out with version 1.
        let mut published = paper(1, 1, Visibility::AllParticipants);
        let v1 = freeze(None, std::slice::from_ref(&published));
        assert_eq!(
            published.withdraw_approval(Some(&v1)),
            Err(ReviewRefusal::AlreadyPublished { version: 1 })
        );
        assert!(
            published.review.is_approved(),
            "what was published stays approved"
        );

        // A new file after version 1, approved again: that approval is not published yet.
        let mut file = published.file.clone();
        file.hash = hash(7);
        published.replace_file(file, member(5), Timestamp(6));
        published.approve(member(9), Timestamp(7)).unwrap();
        assert_eq!(published.withdraw_approval(Some(&v1)), Ok(true));

        // A paper added after version 1 was never in it.
        let mut added = paper(2, 2, Visibility::AllParticipants);
        assert_eq!(added.withdraw_approval(Some(&v1)), Ok(true));
    }

    #[test]
    fn a_returned_paper_waits_for_a_new_file_not_for_a_new_title() {
        let mut p = pending(1);
        p.return_with(member(2), Timestamp(1), "Sai số trang.")
            .unwrap();
        p.title = "Tờ trình (sửa tên)".into();
        p.amended(Timestamp(2));
        assert!(
            matches!(p.review, Review::Returned { .. }),
            "the secretariat still sees why it came back"
        );
        let mut file = p.file.clone();
        file.hash = hash(8);
        p.replace_file(file, member(5), Timestamp(3));
        assert_eq!(
            p.review,
            Review::Pending,
            "a new file goes to the chair again"
        );

        let mut approved = paper(2, 2, Visibility::AllParticipants);
        approved.amended(Timestamp(4));
        assert_eq!(
            approved.review,
            Review::Pending,
            "the chair approved the title and visibility too"
        );
    }

    #[test]
    fn a_returned_paper_is_not_published() {
        let mut returned = pending(2);
        returned
            .return_with(member(9), Timestamp(1), "Thiếu chữ ký.")
            .unwrap();
        let refusal = PacketVersion::freeze(
            MeetingId(Uuid::from_u128(1)),
            None,
            &[paper(1, 1, Visibility::AllParticipants), returned],
            vec![],
            vec![],
            member(9),
            Timestamp(2),
        )
        .unwrap_err();
        assert_eq!(
            refusal,
            PublishRefusal::NotApproved(vec!["Tài liệu 2".into()]),
            "returned counts as not approved, like pending"
        );
    }

    #[test]
    fn reviews_stored_before_returns_existed_still_load() {
        // As the server's and devices' stores hold them (inside each paper's record).
        let stored: Review = serde_json::from_str(r#"{"state":"pending"}"#).unwrap();
        assert_eq!(stored, Review::Pending);
        let stored: Review = serde_json::from_str(
            r#"{"state":"approved","by":"00000000-0000-0000-0000-000000000009","at":1795464000000}"#,
        )
        .unwrap();
        assert_eq!(
            stored,
            Review::Approved {
                by: member(9),
                at: Timestamp(1_795_464_000_000)
            }
        );
        let returned = Review::Returned {
            by: member(9),
            at: Timestamp(5),
            reason: "Thiếu chữ ký.".into(),
        };
        assert_eq!(
            serde_json::to_value(&returned).unwrap(),
            serde_json::json!({
                "state": "returned",
                "by": "00000000-0000-0000-0000-000000000009",
                "at": 5,
                "reason": "Thiếu chữ ký."
            })
        );
    }

    #[test]
    fn a_guest_never_receives_a_confidential_paper() {
        let named = Visibility::Named {
            readers: vec![member(1)],
            title_hidden: false,
        };
        let secret = Visibility::Named {
            readers: vec![member(1)],
            title_hidden: true,
        };
        let v = freeze(
            None,
            &[
                paper(1, 1, Visibility::AllParticipants),
                paper(2, 2, named),
                paper(3, 3, secret),
                paper(4, 4, Visibility::Secretariat),
            ],
        );
        let guest = v.as_seen_by(member(50), Role::Guest);
        assert_eq!(
            guest.entries.len(),
            2,
            "hidden-title and draft papers vanish"
        );
        assert!(
            guest.entries[1].is_restricted(),
            "the confidential file is withheld"
        );
        assert!(!guest.grants_blob(&hash(2), member(50), Role::Guest));
        assert!(
            !guest
                .entries
                .iter()
                .any(|e| e.file.as_ref().is_some_and(|f| f.hash == hash(3))),
            "not even the hash of a hidden paper leaks"
        );
        let reader = v.as_seen_by(member(1), Role::Delegate);
        assert_eq!(
            reader.entries.len(),
            3,
            "the named reader gets both confidential papers"
        );
        assert!(v.grants_blob(&hash(3), member(1), Role::Delegate));
        assert_eq!(v.as_seen_by(member(9), Role::Secretary).entries.len(), 4);
        assert!(
            !v.grants_blob(&hash(2), member(60), Role::Administrator),
            "the administrator runs the server, not the papers"
        );
    }

    #[test]
    fn changes_are_marked_until_read() {
        let v1 = freeze(
            None,
            &[
                paper(1, 1, Visibility::AllParticipants),
                paper(2, 2, Visibility::AllParticipants),
            ],
        );
        let v2 = freeze(
            Some(&v1),
            &[
                paper(1, 9, Visibility::AllParticipants),
                paper(3, 3, Visibility::AllParticipants),
            ],
        );
        let none = HashMap::new();
        assert_eq!(
            PacketChanges::between(None, &v1, &none),
            PacketChanges::default()
        );
        let changes = PacketChanges::between(Some(&v1), &v2, &none);
        let id = |n| PaperId(Uuid::from_u128(n));
        assert_eq!(changes.marks.get(&id(1)), Some(&ChangeMark::Replaced));
        assert_eq!(changes.marks.get(&id(2)), Some(&ChangeMark::Removed));
        assert_eq!(changes.marks.get(&id(3)), Some(&ChangeMark::Added));
        assert_eq!(changes.removed_titles, vec!["Tài liệu 2".to_owned()]);
        let read = HashMap::from([(id(1), hash(9))]);
        let changes = PacketChanges::between(Some(&v1), &v2, &read);
        assert_eq!(
            changes.marks.get(&id(1)),
            None,
            "opening the new file clears its mark"
        );
    }

    fn item(n: u128, parent: Option<u128>, position: i32, title: &str) -> AgendaItem {
        AgendaItem {
            id: AgendaItemId(Uuid::from_u128(n)),
            meeting_id: MeetingId(Uuid::from_u128(1)),
            parent_id: parent.map(|p| AgendaItemId(Uuid::from_u128(p))),
            position,
            title: title.into(),
            presenter: None,
            planned_minutes: None,
            paper_titles: vec![],
        }
    }

    fn freeze_with(
        previous: Option<&PacketVersion>,
        programme: Vec<AgendaItem>,
    ) -> Result<PacketVersion, PublishRefusal> {
        PacketVersion::freeze(
            MeetingId(Uuid::from_u128(1)),
            previous,
            &[paper(1, 1, Visibility::AllParticipants)],
            vec![],
            programme,
            member(9),
            Timestamp(5),
        )
    }

    #[test]
    fn the_programme_is_frozen_with_the_papers_and_a_change_to_it_is_worth_a_version() {
        let v1 = freeze_with(
            None,
            vec![item(2, None, 20, "Bế mạc"), item(1, None, 10, "Khai mạc")],
        )
        .unwrap();
        assert_eq!(
            v1.programme
                .as_ref()
                .unwrap()
                .iter()
                .map(|i| i.title.as_str())
                .collect::<Vec<_>>(),
            ["Khai mạc", "Bế mạc"],
            "frozen in a canonical order, so the same programme always compares equal"
        );
        assert_eq!(
            freeze_with(
                Some(&v1),
                vec![item(1, None, 10, "Khai mạc"), item(2, None, 20, "Bế mạc")]
            ),
            Err(PublishRefusal::NothingChanged { current: 1 }),
            "the same programme in another order is no change"
        );
        let v2 = freeze_with(
            Some(&v1),
            vec![
                item(1, None, 10, "Khai mạc kỳ họp"),
                item(2, None, 20, "Bế mạc"),
            ],
        )
        .expect("a renamed item alone is worth publishing");
        assert_eq!(v2.number, 2);
    }

    #[test]
    fn programme_changes_mark_added_amended_moved_and_removed_items() {
        let before = vec![
            item(1, None, 10, "Khai mạc"),
            item(2, Some(1), 10, "Báo cáo đại biểu dự họp"),
            item(3, None, 20, "Dự toán ngân sách"),
            item(4, None, 30, "Bế mạc"),
        ];
        let mut after = before.clone();
        after[0].planned_minutes = Some(15); // amended
        after.remove(3); // "Bế mạc" removed
        after.push(item(5, None, 25, "Chất vấn")); // added
        let mut moved = before[2].clone();
        moved.position = 5; // now item 1, so renumbered
        after[2] = moved;
        let changes = ProgrammeChanges::between(Some(&before), &after);
        let id = |n| AgendaItemId(Uuid::from_u128(n));
        assert_eq!(
            changes.marks.get(&id(1)),
            Some(&ItemMark::Amended),
            "planned time changed (and it is now item 2)"
        );
        assert_eq!(
            changes.marks.get(&id(2)),
            Some(&ItemMark::Amended),
            "its number followed its parent's: 1.1 became 2.1"
        );
        assert_eq!(
            changes.marks.get(&id(3)),
            Some(&ItemMark::Amended),
            "moved to the top: 2 became 1"
        );
        assert_eq!(changes.marks.get(&id(4)), Some(&ItemMark::Removed));
        assert_eq!(changes.marks.get(&id(5)), Some(&ItemMark::Added));
        assert_eq!(changes.removed_titles, ["Bế mạc"]);
        assert!(
            ProgrammeChanges::between(None, &after).is_empty(),
            "a first programme is simply the programme: nothing is marked"
        );
        assert!(ProgrammeChanges::between(Some(&before), &before).is_empty());
    }

    #[test]
    fn a_publish_preview_names_what_participants_will_see_change() {
        let v1 = freeze_with(None, vec![item(1, None, 10, "Khai mạc")]).unwrap();
        let first = PublishPreview::between(None, &v1);
        assert_eq!(first.papers_added, ["Tài liệu 1"]);
        assert_eq!(first.items_added, ["1. Khai mạc"]);

        let v2 = PacketVersion::freeze(
            v1.meeting_id,
            Some(&v1),
            &[
                paper(1, 7, Visibility::AllParticipants),
                paper(2, 2, Visibility::AllParticipants),
            ],
            vec![],
            vec![
                item(1, None, 10, "Khai mạc kỳ họp"),
                item(2, None, 20, "Bế mạc"),
            ],
            member(9),
            Timestamp(6),
        )
        .unwrap();
        let preview = PublishPreview::between(Some(&v1), &v2);
        assert_eq!(preview.papers_replaced, ["Tài liệu 1"], "a new file");
        assert_eq!(preview.papers_added, ["Tài liệu 2"]);
        assert!(preview.papers_withdrawn.is_empty());
        assert_eq!(preview.items_amended, ["1. Khai mạc kỳ họp"]);
        assert_eq!(preview.items_added, ["2. Bế mạc"]);

        let v3 = PacketVersion::freeze(
            v1.meeting_id,
            Some(&v2),
            &[paper(2, 2, Visibility::AllParticipants)],
            vec![],
            vec![item(1, None, 10, "Khai mạc kỳ họp")],
            member(9),
            Timestamp(7),
        )
        .unwrap();
        let preview = PublishPreview::between(Some(&v2), &v3);
        assert_eq!(preview.papers_withdrawn, ["Tài liệu 1"]);
        assert_eq!(preview.items_removed, ["Bế mạc"]);
    }
}
