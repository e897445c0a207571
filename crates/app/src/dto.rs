//! What crosses the IPC bridge to the TypeScript UI.
//!
//! These types exist only at this boundary: they convert from the domain and store types
//! and are the source of `ui/src/lib/ipc/types.ts`, which `bindings_are_fresh` (below)
//! regenerates and checks, so the UI and the core cannot disagree silently.

mod accounts;
mod amendments;
mod annotations;
mod chat;
mod opinions;
mod packet;
mod polls;
mod prepare;
mod reader;
mod sitting;

pub use accounts::*;
pub use amendments::*;
pub use annotations::*;
pub use chat::*;
pub use opinions::*;
pub use packet::*;
pub use polls::*;
pub use prepare::*;
pub use reader::*;
pub use sitting::*;

use ecabinet_domain as domain;
use ecabinet_sync::ConnectionState as EngineState;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, Serialize, serde::Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Administrator,
    Secretary,
    Chair,
    Delegate,
    Guest,
}

impl From<Role> for domain::Role {
    fn from(r: Role) -> Self {
        match r {
            Role::Administrator => domain::Role::Administrator,
            Role::Secretary => domain::Role::Secretary,
            Role::Chair => domain::Role::Chair,
            Role::Delegate => domain::Role::Delegate,
            Role::Guest => domain::Role::Guest,
        }
    }
}

impl From<domain::Role> for Role {
    fn from(r: domain::Role) -> Self {
        match r {
            domain::Role::Administrator => Role::Administrator,
            domain::Role::Secretary => Role::Secretary,
            domain::Role::Chair => Role::Chair,
            domain::Role::Delegate => Role::Delegate,
            domain::Role::Guest => Role::Guest,
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MeetingStatus {
    Draft,
    Scheduled,
    InProgress,
    Closed,
    Archived,
}

impl From<domain::MeetingStatus> for MeetingStatus {
    fn from(s: domain::MeetingStatus) -> Self {
        match s {
            domain::MeetingStatus::Draft => MeetingStatus::Draft,
            domain::MeetingStatus::Scheduled => MeetingStatus::Scheduled,
            domain::MeetingStatus::InProgress => MeetingStatus::InProgress,
            domain::MeetingStatus::Closed => MeetingStatus::Closed,
            domain::MeetingStatus::Archived => MeetingStatus::Archived,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionState {
    Online,
    Connecting,
    Offline,
    SignedOut,
}

impl From<EngineState> for ConnectionState {
    fn from(s: EngineState) -> Self {
        match s {
            EngineState::Online => ConnectionState::Online,
            EngineState::Connecting => ConnectionState::Connecting,
            EngineState::Offline => ConnectionState::Offline,
            EngineState::SignedOut => ConnectionState::SignedOut,
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct MemberView {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
}

impl From<&domain::Member> for MemberView {
    fn from(m: &domain::Member) -> Self {
        MemberView {
            id: m.id.to_string(),
            username: m.username.clone(),
            display_name: m.display_name.clone(),
            role: m.role.into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct SessionInfo {
    pub server_url: String,
    pub member: MemberView,
    pub council_name: String,
    pub may: RolePermissions,
}

impl From<&ecabinet_store::StoredSession> for SessionInfo {
    fn from(s: &ecabinet_store::StoredSession) -> Self {
        SessionInfo {
            server_url: s.server_url.clone(),
            member: (&s.member).into(),
            council_name: s.council.name.clone(),
            may: s.member.role.into(),
        }
    }
}

/// What the signed-in role may do, from the domain's rules, so the UI hides what the
/// server would refuse without keeping a second copy of the rules.
#[derive(Debug, Clone, Copy, Serialize, TS)]
pub struct RolePermissions {
    /// Edit meetings, programmes, participants and papers (the secretariat).
    pub prepare_meetings: bool,
    /// Open a meeting's preparation and read its papers in the making (the secretariat,
    /// and the chair who reviews them).
    pub read_working_papers: bool,
    /// Approve, return, or withdraw the approval of papers (the chair).
    pub approve_papers: bool,
    pub publish_packets: bool,
    /// Add, import, disable and reset members' accounts (the administrator).
    pub manage_accounts: bool,
}

impl From<domain::Role> for RolePermissions {
    fn from(role: domain::Role) -> Self {
        RolePermissions {
            prepare_meetings: role.may_prepare_meetings(),
            read_working_papers: role.may_read_working_papers(),
            approve_papers: role.may_approve_papers(),
            publish_packets: role.may_publish_packets(),
            manage_accounts: role.may_manage_accounts(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SyncStatus {
    pub connection: ConnectionState,
    /// Milliseconds since the Unix epoch.
    pub last_synced_at: Option<i64>,
    pub detail: Option<String>,
}

impl From<&ecabinet_sync::SyncStatus> for SyncStatus {
    fn from(s: &ecabinet_sync::SyncStatus) -> Self {
        SyncStatus {
            connection: s.connection.into(),
            last_synced_at: s.last_synced_at.map(|t| t.millis()),
            detail: s.detail.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct PdfEngineStatus {
    pub available: bool,
    /// The library in use, or every path tried and how to fix it.
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct AppSnapshot {
    pub session: Option<SessionInfo>,
    pub sync: SyncStatus,
    pub pdf_engine: PdfEngineStatus,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct MeetingSummary {
    pub id: String,
    pub title: String,
    pub starts_at: i64,
    pub location: String,
    pub status: MeetingStatus,
    pub item_count: u32,
    /// The secretariat may file it away now (`MeetingStatus::archived`).
    pub archivable: bool,
    /// It is archived and may be brought back.
    pub restorable: bool,
}

impl From<&ecabinet_store::MeetingListing> for MeetingSummary {
    fn from(l: &ecabinet_store::MeetingListing) -> Self {
        let m = &l.meeting;
        MeetingSummary {
            id: m.id.to_string(),
            title: m.title.clone(),
            starts_at: m.starts_at.millis(),
            location: m.location.clone(),
            status: m.status.into(),
            item_count: l.item_count,
            archivable: m.status.archived(true).is_some(),
            restorable: m.status.archived(false).is_some(),
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct AgendaNodeView {
    pub id: String,
    /// "2.1": the number the papers use for this item.
    pub number: String,
    pub title: String,
    pub presenter: Option<String>,
    pub planned_minutes: Option<i32>,
    pub paper_titles: Vec<String>,
    /// What changed in this item since the version the member last acknowledged.
    pub mark: Option<ItemMark>,
    pub children: Vec<AgendaNodeView>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ItemMark {
    Added,
    Amended,
}

impl AgendaNodeView {
    /// Marks each item of the tree that `marks` names (removed items are not in the tree).
    pub fn with_marks(
        mut self,
        marks: &std::collections::HashMap<domain::AgendaItemId, domain::ItemMark>,
    ) -> AgendaNodeView {
        self.mark =
            self.id
                .parse()
                .ok()
                .and_then(|id| marks.get(&id))
                .and_then(|mark| match mark {
                    domain::ItemMark::Added => Some(ItemMark::Added),
                    domain::ItemMark::Amended => Some(ItemMark::Amended),
                    domain::ItemMark::Removed => None,
                });
        self.children = self
            .children
            .into_iter()
            .map(|child| child.with_marks(marks))
            .collect();
        self
    }
}

impl From<domain::AgendaNode> for AgendaNodeView {
    fn from(n: domain::AgendaNode) -> Self {
        AgendaNodeView {
            id: n.item.id.to_string(),
            number: n.number,
            title: n.item.title,
            presenter: n.item.presenter,
            planned_minutes: n.item.planned_minutes,
            paper_titles: n.item.paper_titles,
            mark: None,
            children: n.children.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct MeetingAgenda {
    pub meeting: MeetingSummary,
    /// The programme as published (see `Store::programme_view`).
    pub items: Vec<AgendaNodeView>,
    /// Items the latest version removed, for the member who has not acknowledged it yet.
    pub removed_items: Vec<String>,
}

/// Payload of the `store-changed` event: the local store advanced to this sync cursor.
#[derive(Debug, Clone, Serialize, TS)]
pub struct StoreChanged {
    pub cursor: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum IpcErrorCode {
    InvalidCredentials,
    ServerUnreachable,
    InvalidServerUrl,
    SessionExpired,
    NotSignedIn,
    NotFound,
    /// The server refused: this role may not do this.
    Forbidden,
    /// The server refused the input (an empty title, an unknown item…); the message says why.
    BadRequest,
    Conflict,
    /// A paper's file is empty.
    PdfEmpty,
    NotAPdf,
    PdfCorrupt,
    PdfPasswordProtected,
    /// The password given for a protected PDF is not its password.
    PdfWrongPassword,
    /// The PDF is locked by a scheme other than a password (a certificate, a vendor's DRM):
    /// asking for a password would never open it.
    PdfUnsupportedSecurity,
    /// The PDF forbids printing or copying.
    PdfRestricted,
    PayloadTooLarge,
    /// The bytes changed on the way to the server.
    HashMismatch,
    /// A file chosen for import could not be read from the disk.
    FileUnreadable,
    /// Someone else published a packet version first.
    PublishConflict,
    PapersNotApproved,
    NothingToPublish,
    /// The paper's review changed meanwhile (approved, returned): look at it again.
    ReviewChanged,
    /// The approval went out in a packet version and cannot be withdrawn.
    ApprovalPublished,
    /// Four eyes: the member uploaded this revision, so another member must approve it.
    OwnUpload,
    /// The paper's file is not on this device yet.
    PaperNotDownloaded,
    /// The file on this device no longer matches its hash; it is fetched again.
    PaperDamaged,
    /// PDFium is missing, so no paper can be checked or shown.
    PdfEngineUnavailable,
    /// The page is too large to render at this size.
    PageTooLarge,
    /// The watched folder cannot be read (removed, unplugged, no permission).
    FolderUnavailable,
    // Accounts and logins.
    /// Too many failed logins: wait a few minutes.
    TooManyAttempts,
    /// An administrator set this password: choose your own first.
    PasswordChangeRequired,
    PasswordTooShort,
    PasswordContainsUserName,
    PasswordTooCommon,
    WrongCurrentPassword,
    UsernameTaken,
    /// Rows of a member list cannot be imported; nothing was.
    ImportRejected,
    // The live sitting.
    /// The sitting is closed.
    SittingClosed,
    /// The sitting is not open (not yet, or paused) for this.
    SittingNotOpen,
    /// This sitting takes check-ins in the chamber only.
    RemoteNotAllowed,
    /// Check in before asking for the floor.
    NotCheckedIn,
    /// That request for the floor was withdrawn or granted meanwhile.
    RequestGone,
    /// The poll has not been opened yet.
    PollNotOpen,
    /// The poll is closed: no more ballots.
    PollClosed,
    /// The poll was cancelled.
    PollCancelled,
    /// Only the voting members checked in when the poll opened vote in it.
    NotEntitled,
    /// The member has voted already and the poll takes no change.
    AlreadyVoted,
    /// A change named a ballot that is no longer the member's current one.
    BallotNotCurrent,
    /// No voting member is checked in, so the poll cannot open.
    NobodyPresent,
    /// Chat: over the rate of messages; wait a little and send again.
    TooManyMessages,
    /// Chat: a message longer than a message may be.
    MessageTooLong,
    /// Chat: the message was deleted.
    MessageDeleted,
    Internal,
}

/// Every rejected command rejects with this; the UI switches on `code`.
#[derive(Debug, Clone, Serialize, TS)]
pub struct IpcError {
    pub code: IpcErrorCode,
    pub message: String,
}

/// The generated TypeScript, in dependency order.
pub fn typescript_bindings() -> String {
    let cfg = ts_rs::Config::new().with_large_int("number");
    let decls = [
        Role::decl(&cfg),
        MeetingStatus::decl(&cfg),
        ConnectionState::decl(&cfg),
        MemberView::decl(&cfg),
        SessionInfo::decl(&cfg),
        SyncStatus::decl(&cfg),
        PdfEngineStatus::decl(&cfg),
        AppSnapshot::decl(&cfg),
        MeetingSummary::decl(&cfg),
        ItemMark::decl(&cfg),
        AgendaNodeView::decl(&cfg),
        MeetingAgenda::decl(&cfg),
        StoreChanged::decl(&cfg),
        RolePermissions::decl(&cfg),
        AccountView::decl(&cfg),
        NewAccountDetails::decl(&cfg),
        AccountCreatedView::decl(&cfg),
        AccountChanges::decl(&cfg),
        ImportProblemView::decl(&cfg),
        MemberImportOutcome::decl(&cfg),
        PaperKind::decl(&cfg),
        SectionKind::decl(&cfg),
        PaperPlace::decl(&cfg),
        ChangeMark::decl(&cfg),
        PaperFileView::decl(&cfg),
        PacketPaperView::decl(&cfg),
        MeetingRole::decl(&cfg),
        ParticipantView::decl(&cfg),
        MeetingPacket::decl(&cfg),
        DownloadState::decl(&cfg),
        FileDownload::decl(&cfg),
        DownloaderState::decl(&cfg),
        DownloadProgress::decl(&cfg),
        PageSizeView::decl(&cfg),
        OutlineEntryView::decl(&cfg),
        OpenedPaper::decl(&cfg),
        PageTextView::decl(&cfg),
        FindHitView::decl(&cfg),
        SnippetPart::decl(&cfg),
        SearchHitView::decl(&cfg),
        UnsearchablePaperView::decl(&cfg),
        SearchIndexProgress::decl(&cfg),
        PageRangeView::decl(&cfg),
        PlacementView::decl(&cfg),
        PlaceInput::decl(&cfg),
        FileAnnotationView::decl(&cfg),
        ExportOutcome::decl(&cfg),
        PacketAnnotationView::decl(&cfg),
        InkPointView::decl(&cfg),
        AnnotationKindView::decl(&cfg),
        SharingView::decl(&cfg),
        AnnotationStyle::decl(&cfg),
        AnnotationSyncView::decl(&cfg),
        AnnotationView::decl(&cfg),
        AnnotationChanges::decl(&cfg),
        AnnotationInput::decl(&cfg),
        PaperLinkView::decl(&cfg),
        OpinionInput::decl(&cfg),
        OpinionSyncView::decl(&cfg),
        OpinionVersionView::decl(&cfg),
        OpinionView::decl(&cfg),
        ItemOpinions::decl(&cfg),
        MeetingOpinions::decl(&cfg),
        ChangeRangeView::decl(&cfg),
        TextChangeKind::decl(&cfg),
        TextChangeView::decl(&cfg),
        ChangesUnavailable::decl(&cfg),
        PaperAmendmentView::decl(&cfg),
        ReviewCandidateView::decl(&cfg),
        AnnotationReviewView::decl(&cfg),
        ReviewChoice::decl(&cfg),
        SearchResults::decl(&cfg),
        MeetingStorageView::decl(&cfg),
        VisibilityView::decl(&cfg),
        ReviewView::decl(&cfg),
        DraftPaperView::decl(&cfg),
        PublishOutlook::decl(&cfg),
        MeetingDraft::decl(&cfg),
        MeetingDetails::decl(&cfg),
        AgendaItemDetails::decl(&cfg),
        AgendaMove::decl(&cfg),
        ParticipantChoice::decl(&cfg),
        PaperChanges::decl(&cfg),
        ImportOutcome::decl(&cfg),
        UploadStage::decl(&cfg),
        UploadProgress::decl(&cfg),
        FilesDropped::decl(&cfg),
        DropPoint::decl(&cfg),
        PublishedVersion::decl(&cfg),
        FolderImportOutcome::decl(&cfg),
        FolderImport::decl(&cfg),
        WatchedFolderView::decl(&cfg),
        SittingStatusView::decl(&cfg),
        PresenceView::decl(&cfg),
        ClockView::decl(&cfg),
        QuorumView::decl(&cfg),
        AttendeeView::decl(&cfg),
        FloorRequestView::decl(&cfg),
        SpeechView::decl(&cfg),
        PresentationView::decl(&cfg),
        CurrentItemView::decl(&cfg),
        SittingPlaceView::decl(&cfg),
        SittingView::decl(&cfg),
        SittingActionInput::decl(&cfg),
        PollKindView::decl(&cfg),
        MajorityRuleView::decl(&cfg),
        PollStateView::decl(&cfg),
        RollEntryView::decl(&cfg),
        PollResultView::decl(&cfg),
        BallotStateView::decl(&cfg),
        MyBallotView::decl(&cfg),
        PollView::decl(&cfg),
        PollTurnoutView::decl(&cfg),
        PollDraftInput::decl(&cfg),
        PollStepInput::decl(&cfg),
        ReceiptCheckView::decl(&cfg),
        ConversationKindView::decl(&cfg),
        ChatMemberView::decl(&cfg),
        ChatMessageState::decl(&cfg),
        ChatPaperRef::decl(&cfg),
        ChatMessageView::decl(&cfg),
        ConversationSummary::decl(&cfg),
        ChatDraft::decl(&cfg),
        ChatSearchHit::decl(&cfg),
        ChatChanged::decl(&cfg),
        IpcErrorCode::decl(&cfg),
        IpcError::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from crates/app/src/dto.rs and ipc.rs by `make bindings`.\n\
         // Do not edit: change the Rust types and regenerate.\n\n",
    );
    for decl in decls {
        out.push_str("export ");
        out.push_str(&decl);
        out.push('\n');
    }
    out.push_str(&crate::ipc::typescript_names(&cfg));
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn bindings_are_fresh() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/ipc/types.ts");
        let generated = super::typescript_bindings();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "ui/src/lib/ipc/types.ts is stale: run `make bindings` and commit it"
        );
    }
}
