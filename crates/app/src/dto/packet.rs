//! The packet as a participant reads it: papers with their change marks and download state,
//! the delegate list, the storage each meeting takes, and pages rendered for the viewer.

use ecabinet_domain as domain;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PaperKind {
    Submission,
    DraftResolution,
    ReviewReport,
    Appendix,
    Other,
}

impl From<domain::PaperKind> for PaperKind {
    fn from(k: domain::PaperKind) -> Self {
        match k {
            domain::PaperKind::Submission => PaperKind::Submission,
            domain::PaperKind::DraftResolution => PaperKind::DraftResolution,
            domain::PaperKind::ReviewReport => PaperKind::ReviewReport,
            domain::PaperKind::Appendix => PaperKind::Appendix,
            domain::PaperKind::Other => PaperKind::Other,
        }
    }
}

impl From<PaperKind> for domain::PaperKind {
    fn from(k: PaperKind) -> Self {
        match k {
            PaperKind::Submission => domain::PaperKind::Submission,
            PaperKind::DraftResolution => domain::PaperKind::DraftResolution,
            PaperKind::ReviewReport => domain::PaperKind::ReviewReport,
            PaperKind::Appendix => domain::PaperKind::Appendix,
            PaperKind::Other => domain::PaperKind::Other,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    Announcements,
    PressSummary,
    VoterOpinions,
}

impl From<domain::SectionKind> for SectionKind {
    fn from(k: domain::SectionKind) -> Self {
        match k {
            domain::SectionKind::Announcements => SectionKind::Announcements,
            domain::SectionKind::PressSummary => SectionKind::PressSummary,
            domain::SectionKind::VoterOpinions => SectionKind::VoterOpinions,
        }
    }
}

impl From<SectionKind> for domain::SectionKind {
    fn from(k: SectionKind) -> Self {
        match k {
            SectionKind::Announcements => domain::SectionKind::Announcements,
            SectionKind::PressSummary => domain::SectionKind::PressSummary,
            SectionKind::VoterOpinions => domain::SectionKind::VoterOpinions,
        }
    }
}

/// Where a paper sits: under a programme item or in one of the session's sections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "at", rename_all = "snake_case")]
pub enum PaperPlace {
    Item { item_id: String },
    Section { section: SectionKind },
}

impl From<domain::PaperPlace> for PaperPlace {
    fn from(p: domain::PaperPlace) -> Self {
        match p {
            domain::PaperPlace::Item(id) => PaperPlace::Item {
                item_id: id.to_string(),
            },
            domain::PaperPlace::Section(s) => PaperPlace::Section { section: s.into() },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ChangeMark {
    Added,
    Replaced,
    Removed,
}

impl From<domain::ChangeMark> for ChangeMark {
    fn from(m: domain::ChangeMark) -> Self {
        match m {
            domain::ChangeMark::Added => ChangeMark::Added,
            domain::ChangeMark::Replaced => ChangeMark::Replaced,
            domain::ChangeMark::Removed => ChangeMark::Removed,
        }
    }
}

/// A paper's file as the packet describes it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PaperFileView {
    /// The content hash: the key of the file's download progress.
    pub hash: String,
    pub size: u64,
    pub pages: u32,
    pub file_name: String,
}

impl From<&domain::PaperFile> for PaperFileView {
    fn from(f: &domain::PaperFile) -> Self {
        PaperFileView {
            hash: f.hash.to_string(),
            size: f.size,
            pages: f.pages,
            file_name: f.file_name.clone(),
        }
    }
}

/// One paper of the latest packet version, as this member received it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PacketPaperView {
    pub paper_id: String,
    /// `None` only if the secretariat hid the title from this reader (such papers are
    /// normally left out of their copy entirely).
    pub title: Option<String>,
    pub kind: PaperKind,
    pub place: PaperPlace,
    pub position: i32,
    pub revision: u32,
    /// Confidential and not for this member: listed, never downloadable or openable.
    pub restricted: bool,
    pub file: Option<PaperFileView>,
    /// The file is on this device and was verified when it arrived.
    pub held: bool,
    pub mark: Option<ChangeMark>,
}

impl From<&ecabinet_store::PaperView> for PacketPaperView {
    fn from(p: &ecabinet_store::PaperView) -> Self {
        let e = &p.entry;
        PacketPaperView {
            paper_id: e.paper_id.to_string(),
            title: e.title.clone(),
            kind: e.kind.into(),
            place: e.place.into(),
            position: e.position,
            revision: e.revision,
            restricted: e.is_restricted(),
            file: e.file.as_ref().map(Into::into),
            held: p.held,
            mark: p.mark.map(Into::into),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MeetingRole {
    Chair,
    Secretary,
    Delegate,
    Guest,
}

impl From<domain::MeetingRole> for MeetingRole {
    fn from(r: domain::MeetingRole) -> Self {
        match r {
            domain::MeetingRole::Chair => MeetingRole::Chair,
            domain::MeetingRole::Secretary => MeetingRole::Secretary,
            domain::MeetingRole::Delegate => MeetingRole::Delegate,
            domain::MeetingRole::Guest => MeetingRole::Guest,
        }
    }
}

impl From<MeetingRole> for domain::MeetingRole {
    fn from(r: MeetingRole) -> Self {
        match r {
            MeetingRole::Chair => domain::MeetingRole::Chair,
            MeetingRole::Secretary => domain::MeetingRole::Secretary,
            MeetingRole::Delegate => domain::MeetingRole::Delegate,
            MeetingRole::Guest => domain::MeetingRole::Guest,
        }
    }
}

/// A participant of a meeting (the delegate list).
#[derive(Debug, Clone, Serialize, TS)]
pub struct ParticipantView {
    pub member_id: String,
    pub display_name: String,
    pub meeting_role: MeetingRole,
    pub votes: bool,
}

impl From<&domain::Participant> for ParticipantView {
    fn from(p: &domain::Participant) -> Self {
        ParticipantView {
            member_id: p.member_id.to_string(),
            display_name: p.display_name.clone(),
            meeting_role: p.meeting_role.into(),
            votes: p.votes,
        }
    }
}

/// The latest published packet of a meeting as this member sees it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MeetingPacket {
    pub meeting_id: String,
    /// The version number, 1, 2, 3…
    pub version: u32,
    /// Milliseconds since the Unix epoch.
    pub published_at: i64,
    /// The version the change marks are measured from; below `version` when there is news
    /// the member has not acknowledged.
    pub baseline: u32,
    /// In programme order within each place.
    pub papers: Vec<PacketPaperView>,
    /// Papers of the baseline that this version no longer has.
    pub removed_titles: Vec<String>,
    pub total_bytes: u64,
    pub held_bytes: u64,
    pub participants: Vec<ParticipantView>,
    /// The member removed this meeting's papers from the device (storage view).
    pub released: bool,
}

/// How one file's download stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DownloadState {
    Waiting,
    Downloading,
    /// On the device and verified.
    Done,
    /// The last attempt failed; it is retried by itself.
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FileDownload {
    pub hash: String,
    pub received: u64,
    pub total: u64,
    pub state: DownloadState,
    /// Why the last attempt failed, for people.
    pub detail: Option<String>,
}

/// What the downloader as a whole is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DownloaderState {
    Checking,
    Downloading,
    /// Paused by the user.
    Paused,
    /// The server cannot be reached; retrying by itself.
    Offline,
    /// Something else went wrong; retrying by itself.
    Retrying,
    /// Every file this device needs is here and verified.
    Complete,
    /// Everything that could be fetched is here; some files failed (see each file).
    Incomplete,
    /// Nobody is signed in, so nothing is fetched.
    SignedOut,
}

/// Payload of the `download-progress` event: the files of the current round of downloads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DownloadProgress {
    pub state: DownloaderState,
    /// Why the state is what it is, for people.
    pub detail: Option<String>,
    pub received: u64,
    pub total: u64,
    pub files: Vec<FileDownload>,
}

/// How much of the device one meeting's papers take.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MeetingStorageView {
    pub meeting_id: String,
    pub title: String,
    pub starts_at: i64,
    pub held_bytes: u64,
    /// Removed from this device by the user; not fetched again until kept.
    pub released: bool,
}

impl From<&ecabinet_store::MeetingStorage> for MeetingStorageView {
    fn from(m: &ecabinet_store::MeetingStorage) -> Self {
        MeetingStorageView {
            meeting_id: m.meeting_id.to_string(),
            title: m.title.clone(),
            starts_at: m.starts_at.millis(),
            held_bytes: m.held_bytes,
            released: m.released,
        }
    }
}

impl From<&ecabinet_sync::DownloadProgress> for DownloadProgress {
    fn from(p: &ecabinet_sync::DownloadProgress) -> Self {
        use ecabinet_sync::{DownloaderState as Engine, PaperDownloadState as Paper};
        DownloadProgress {
            state: match p.state {
                Engine::Checking => DownloaderState::Checking,
                Engine::Downloading => DownloaderState::Downloading,
                Engine::Paused => DownloaderState::Paused,
                Engine::Offline => DownloaderState::Offline,
                Engine::Retrying => DownloaderState::Retrying,
                Engine::Complete => DownloaderState::Complete,
                Engine::Incomplete => DownloaderState::Incomplete,
                Engine::SignedOut => DownloaderState::SignedOut,
            },
            detail: p.detail.clone(),
            received: p.done_bytes,
            total: p.total_bytes,
            files: p
                .papers
                .iter()
                .map(|paper| {
                    let (state, detail) = match &paper.state {
                        Paper::Queued => (DownloadState::Waiting, None),
                        Paper::Downloading => (DownloadState::Downloading, None),
                        Paper::Done => (DownloadState::Done, None),
                        Paper::Failed(reason) => (DownloadState::Failed, Some(reason.clone())),
                    };
                    FileDownload {
                        hash: paper.hash.to_string(),
                        received: paper.done,
                        total: paper.total,
                        state,
                        detail,
                    }
                })
                .collect(),
        }
    }
}

impl DownloadProgress {
    /// What the window shows when nobody is signed in (nothing is fetched).
    pub fn signed_out() -> Self {
        DownloadProgress {
            state: DownloaderState::SignedOut,
            detail: None,
            received: 0,
            total: 0,
            files: Vec::new(),
        }
    }
}

impl TryFrom<PaperPlace> for domain::PaperPlace {
    type Error = super::IpcError;
    fn try_from(p: PaperPlace) -> Result<Self, Self::Error> {
        Ok(match p {
            PaperPlace::Item { item_id } => {
                domain::PaperPlace::Item(item_id.parse().map_err(|_| {
                    super::IpcError::new(
                        super::IpcErrorCode::BadRequest,
                        format!("{item_id:?} is not an agenda item id"),
                    )
                })?)
            }
            PaperPlace::Section { section } => domain::PaperPlace::Section(section.into()),
        })
    }
}
