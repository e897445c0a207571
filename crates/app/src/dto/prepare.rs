//! The packet as the secretariat prepares it: the meeting's details, its programme, its
//! participants and its papers in the making, and what the commands that change them take.

use super::{
    AgendaNodeView, MeetingRole, MeetingSummary, MemberView, PaperFileView, PaperKind, PaperPlace,
    ParticipantView,
};
use ecabinet_domain as domain;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Who may read a paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "scope", rename_all = "snake_case")]
pub enum VisibilityView {
    AllParticipants,
    /// Confidential: the named members (and the secretariat) only.
    Named {
        readers: Vec<String>,
        /// Others do not even learn the title.
        title_hidden: bool,
    },
    /// A draft the secretariat keeps to itself.
    Secretariat,
}

impl From<&domain::Visibility> for VisibilityView {
    fn from(v: &domain::Visibility) -> Self {
        match v {
            domain::Visibility::AllParticipants => VisibilityView::AllParticipants,
            domain::Visibility::Named {
                readers,
                title_hidden,
            } => VisibilityView::Named {
                readers: readers.iter().map(ToString::to_string).collect(),
                title_hidden: *title_hidden,
            },
            domain::Visibility::Secretariat => VisibilityView::Secretariat,
        }
    }
}

/// A paper's review, as the secretariat tracks it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ReviewView {
    Pending,
    Approved {
        /// The approver's name, when this device knows the member.
        by: Option<String>,
        /// Milliseconds since the Unix epoch.
        at: i64,
        /// The approval went out with the last packet version, so it can no longer be
        /// withdrawn (a change goes through a new file).
        published: bool,
    },
    /// Sent back by the chair; it waits for a new file (or the chair's approval after all).
    Returned {
        /// The chair's name, when this device knows the member.
        by: Option<String>,
        /// Milliseconds since the Unix epoch.
        at: i64,
        /// Why, in the chair's words.
        reason: String,
    },
}

/// A paper in preparation (the secretariat's working copy).
#[derive(Debug, Clone, Serialize, TS)]
pub struct DraftPaperView {
    pub paper_id: String,
    pub place: PaperPlace,
    pub position: i32,
    pub title: String,
    pub kind: PaperKind,
    pub visibility: VisibilityView,
    pub file: PaperFileView,
    pub revision: u32,
    /// The path in the watched folder it came from, if it did.
    pub source: Option<String>,
    pub review: ReviewView,
    pub withdrawn: bool,
    /// Milliseconds since the Unix epoch.
    pub updated_at: i64,
}

/// Everything the preparation screen shows for one meeting.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MeetingDraft {
    pub meeting: MeetingSummary,
    pub items: Vec<AgendaNodeView>,
    pub papers: Vec<DraftPaperView>,
    pub participants: Vec<ParticipantView>,
    /// Nobody chose the participants yet: `participants` is what publishing would use
    /// (every member but the administrator).
    pub participants_are_default: bool,
    /// The council's members, to choose participants and confidential readers from.
    pub members: Vec<MemberView>,
    /// The last published packet version, if any.
    pub published_version: Option<u32>,
    /// What publishing now would do, or why it cannot.
    pub publish: PublishOutlook,
}

/// What publishing the next version would change for participants, or why it cannot be
/// published (the same rule the server applies: `PacketVersion::freeze`).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum PublishOutlook {
    Ready {
        papers_added: Vec<String>,
        papers_replaced: Vec<String>,
        papers_withdrawn: Vec<String>,
        papers_amended: Vec<String>,
        items_added: Vec<String>,
        items_amended: Vec<String>,
        items_removed: Vec<String>,
        participants_changed: bool,
    },
    /// These papers still wait for the chair's approval.
    NotApproved {
        titles: Vec<String>,
    },
    NoPapers,
    NothingChanged {
        current: u32,
    },
}

impl PublishOutlook {
    pub fn new(
        previous: Option<&domain::PacketVersion>,
        next: Result<domain::PacketVersion, domain::PublishRefusal>,
    ) -> PublishOutlook {
        match next {
            Ok(next) => {
                let p = domain::PublishPreview::between(previous, &next);
                PublishOutlook::Ready {
                    papers_added: p.papers_added,
                    papers_replaced: p.papers_replaced,
                    papers_withdrawn: p.papers_withdrawn,
                    papers_amended: p.papers_amended,
                    items_added: p.items_added,
                    items_amended: p.items_amended,
                    items_removed: p.items_removed,
                    participants_changed: p.participants_changed,
                }
            }
            Err(domain::PublishRefusal::NotApproved(titles)) => {
                PublishOutlook::NotApproved { titles }
            }
            Err(domain::PublishRefusal::NoPapers) => PublishOutlook::NoPapers,
            Err(domain::PublishRefusal::NothingChanged { current }) => {
                PublishOutlook::NothingChanged { current }
            }
        }
    }
}

/// New values for a meeting's details.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct MeetingDetails {
    pub title: String,
    /// Milliseconds since the Unix epoch.
    pub starts_at: i64,
    pub location: String,
}

/// New values for a programme item's details.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct AgendaItemDetails {
    pub title: String,
    pub presenter: Option<String>,
    pub planned_minutes: Option<i32>,
}

/// Where a programme item goes.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(tag = "move", rename_all = "snake_case")]
pub enum AgendaMove {
    /// Before its previous sibling.
    Up,
    /// After its next sibling.
    Down,
    /// Under its previous sibling, as its last sub-item.
    Indent,
    /// Out of its parent, right after it.
    Outdent,
    /// Under `parent_id` (top level when `None`) at `index` among the siblings there,
    /// counted without the moved item (drag and drop).
    To {
        parent_id: Option<String>,
        index: u32,
    },
}

/// One participant as the secretariat sets them.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct ParticipantChoice {
    pub member_id: String,
    pub meeting_role: MeetingRole,
    pub votes: bool,
}

/// Changes to a paper; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct PaperChanges {
    #[ts(optional)]
    pub title: Option<String>,
    #[ts(optional)]
    pub kind: Option<PaperKind>,
    #[ts(optional)]
    pub visibility: Option<VisibilityView>,
    #[ts(optional)]
    pub place: Option<PaperPlace>,
    #[ts(optional)]
    pub withdrawn: Option<bool>,
}

/// How one file of an import went.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportOutcome {
    pub file_name: String,
    /// The paper it became (or the paper it is a new revision of).
    pub paper_id: Option<String>,
    pub error: Option<super::IpcError>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum UploadStage {
    /// Opening it with PDFium here, before anything is sent.
    Checking,
    Uploading,
    /// Uploaded; becoming a paper of the meeting.
    Attaching,
    Done,
    Failed,
}

/// Payload of the `upload-progress` event: one file of an import, at each step.
#[derive(Debug, Clone, Serialize, TS)]
pub struct UploadProgress {
    /// Made by the core per file, so the UI can follow several uploads at once.
    pub upload_id: String,
    pub file_name: String,
    pub stage: UploadStage,
    pub sent: u64,
    pub total: u64,
    pub error: Option<super::IpcError>,
}

/// Payload of the `paper-files-dropped` event: files dropped on the window, kept by the
/// core under `drop_id` until the UI says where they go (`import_dropped_papers`).
#[derive(Debug, Clone, Serialize, TS)]
pub struct FilesDropped {
    pub drop_id: u32,
    pub file_names: Vec<String>,
    /// Where they were dropped, in CSS pixels from the window's top left.
    pub x: f64,
    pub y: f64,
}

/// Payload of the `paper-files-hover` event while files are dragged over the window (`null`
/// once they leave): where, in CSS pixels from the window's top left.
#[derive(Debug, Clone, Copy, Serialize, TS)]
pub struct DropPoint {
    pub x: f64,
    pub y: f64,
}

/// A packet version just published.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PublishedVersion {
    pub number: u32,
}

/// What became of one PDF the watched folder reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FolderImportOutcome {
    /// A new draft paper.
    Imported,
    /// A new revision of the paper it was imported as before.
    Revised,
    /// Not imported: its subfolder names no item of the programme (or it has none).
    NoItem,
    /// Not imported: refused or failed (see `error`).
    Failed,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct FolderImport {
    /// Its path inside the folder, e.g. `2.1/to-trinh.pdf`.
    pub relative: String,
    /// The programme number its subfolder names, if any.
    pub item_number: Option<String>,
    pub outcome: FolderImportOutcome,
    pub paper_id: Option<String>,
    pub error: Option<super::IpcError>,
    /// Milliseconds since the Unix epoch.
    pub at: i64,
}

/// The folder the secretary watches for a meeting, and what it brought in (newest first).
/// Also the payload of the `watched-folder` event (`null` when watching stops).
#[derive(Debug, Clone, Serialize, TS)]
pub struct WatchedFolderView {
    pub meeting_id: String,
    /// The folder, as the system names it.
    pub folder: String,
    /// Set when the folder can no longer be watched; the message says why.
    pub failure: Option<String>,
    pub imports: Vec<FolderImport>,
}

impl TryFrom<VisibilityView> for domain::Visibility {
    type Error = super::IpcError;
    fn try_from(v: VisibilityView) -> Result<Self, Self::Error> {
        Ok(match v {
            VisibilityView::AllParticipants => domain::Visibility::AllParticipants,
            VisibilityView::Secretariat => domain::Visibility::Secretariat,
            VisibilityView::Named {
                readers,
                title_hidden,
            } => domain::Visibility::Named {
                readers: readers
                    .iter()
                    .map(|r| {
                        r.parse().map_err(|_| {
                            super::IpcError::new(
                                super::IpcErrorCode::BadRequest,
                                format!("{r:?} is not a member id"),
                            )
                        })
                    })
                    .collect::<Result<_, _>>()?,
                title_hidden,
            },
        })
    }
}
