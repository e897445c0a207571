//! What crosses the network between the desktop app and the council server.
//!
//! Only serde types and the constants both sides must agree on (paths, limits).
//! The server derives its OpenAPI document from these types; the app's sync engine
//! deserializes them. Neither side's storage shapes leak in here.

mod chat;
mod error;

pub use chat::{
    ChatEdit, ChatEntry, ChatMark, ChatMarksUpdate, ChatPage, ChatPageQuery, ChatPost,
    ConversationView, GroupMembersChange, MAX_CHAT_PAGE, NewGroup,
};
pub use error::{ApiError, ErrorCode};

use ecabinet_domain::annotation::Anchor;
use ecabinet_domain::poll::log::LineHash;
use ecabinet_domain::poll::{Poll, PollId, PollSettings, PollStep, Receipt};
use ecabinet_domain::sitting::{Sitting, SittingAction, SittingEvent};
use ecabinet_domain::{
    AgendaItem, AgendaItemId, Annotation, AnnotationId, AnnotationKind, BlobHash, ConversationId,
    Council, MadeOn, Meeting, MeetingId, MeetingRole, MeetingStatus, Member, MemberId, Opinion,
    PacketVersion, Paper, PaperId, PaperKind, PaperLink, PaperPlace, Participant, Role, Sharing,
    Timestamp, Visibility,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Version prefix of every API path.
pub const API_PREFIX: &str = "/api/v1";

/// The largest JSON body the server reads; anything larger is refused with 413.
pub const MAX_JSON_BODY_BYTES: usize = 256 * 1024;

/// The close code of a live socket whose session ended (logged out, the account disabled,
/// its password reset or changed elsewhere): the client is signed out, not offline.
pub const LIVE_CLOSE_SESSION_ENDED: u16 = 4401;

/// How many changes one pull returns at most.
pub const MAX_CHANGES_PER_PULL: u32 = 1000;

/// The largest paper the server accepts. The fixture compendium of ~460 pages is 1 MB; a
/// scanned 300-page report at 300 dpi is around 60 MB.
pub const MAX_PAPER_BYTES: u64 = 100 * 1024 * 1024;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// A successful login: the bearer token for every later request, and who it belongs to.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LoginResponse {
    pub token: String,
    pub expires_at: Timestamp,
    pub member: Member,
    pub council: Council,
    /// An administrator set this password: every route but `POST /api/v1/auth/password`
    /// (and logout) refuses this session with `password_change_required` until the member
    /// chooses their own.
    #[serde(default)]
    pub must_change_password: bool,
}

/// The caller, as the server knows them from their token.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WhoAmI {
    pub member: Member,
    pub council: Council,
}

/// One account as an administrator sees it. Only administrators receive this: the change
/// log carries a [`Member`], which has no unit, state or password data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AccountSummary {
    pub member: Member,
    pub active_sessions: u32,
    /// The member's unit (đơn vị: a district, a committee, a department); may be empty.
    #[serde(default)]
    pub unit: String,
    /// A disabled account cannot log in and has no sessions.
    #[serde(default)]
    pub disabled: bool,
    /// The password was set by an administrator and has not been changed yet.
    #[serde(default)]
    pub must_change_password: bool,
}

// --- Account administration --------------------------------------------------------------

/// `POST /api/v1/admin/accounts`: a member the administrator adds to the council.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NewAccountRequest {
    pub display_name: String,
    /// Lowercase letters, digits, `.`, `_` or `-`; unique on the server.
    pub username: String,
    pub role: Role,
    #[serde(default)]
    pub unit: String,
    /// The first password; the server generates one when absent (and returns it once).
    #[serde(default)]
    pub password: Option<String>,
}

/// An account just created (or imported), with the password the server generated for it,
/// shown this once and never again.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AccountCreated {
    pub account: AccountSummary,
    pub generated_password: Option<String>,
}

/// `PATCH /api/v1/admin/accounts/{member_id}`: what the administrator changes; an absent
/// field is left alone.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct AccountPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// `true` disables the account and ends every session of it; `false` enables it again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
}

/// `POST /api/v1/admin/accounts/{member_id}/password`: the administrator resets a password.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct PasswordReset {
    /// The new password; the server generates one when absent.
    #[serde(default)]
    pub password: Option<String>,
}

/// The password an administrator's reset set, if the server generated it (shown once).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PasswordIssued {
    pub generated_password: Option<String>,
}

/// `POST /api/v1/auth/password`: a member changes their own password.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// The accounts a member-list import created, in the order of the file's rows.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MembersImported {
    pub accounts: Vec<AccountCreated>,
}

/// One row of a member list that cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ImportProblem {
    /// The row's line in the file (the header is line 1).
    pub line: u32,
    pub reason: String,
}

/// The body of a refused import (`import_rejected`): an [`ApiError`] with every problem row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ImportRejected {
    pub code: ErrorCode,
    pub message: String,
    pub problems: Vec<ImportProblem>,
    /// The id the server logged this request under, as in [`ApiError`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// A record the server logs as changed, with its full current state (last writer wins per id).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum SyncRecord {
    Council(Council),
    Member(Member),
    Meeting(Meeting),
    AgendaItem(AgendaItem),
    /// A paper being prepared: the secretariat's working copy.
    Paper(Paper),
    /// Who takes part in a meeting, as the secretariat is preparing it (published with
    /// each packet version).
    Participants(MeetingParticipants),
    /// A published packet version, as the receiving member may see it.
    PacketVersion(PacketVersion),
    /// A revision of an annotation, sent to its author and to those it is shared with.
    Annotation(AnnotationRecord),
    /// An annotation the receiving member may no longer read (its author unshared it, or
    /// shared it with others): delete the copy. Never logged; made by
    /// [`SyncRecord::as_seen_by`] from an [`AnnotationRecord`] for its former readers.
    AnnotationRemoved(AnnotationRemoved),
    /// A version of a delegate's opinion on an agenda item, sent to its author and to those
    /// who read opinions ([`Opinion::may_read`]: the secretariat and the chair).
    Opinion(Opinion),
}

impl SyncRecord {
    /// What of this record `member` may receive: the record itself, a copy cut down to
    /// what they may read, or nothing. The server applies this to every change it sends.
    pub fn as_seen_by(&self, member: MemberId, role: Role) -> Option<SyncRecord> {
        match self {
            // Working copies: papers, participants and the programme reach everyone else
            // only frozen in a published packet version.
            SyncRecord::Paper(_) | SyncRecord::Participants(_) | SyncRecord::AgendaItem(_) => {
                role.may_read_working_papers().then(|| self.clone())
            }
            SyncRecord::PacketVersion(version) => {
                Some(SyncRecord::PacketVersion(version.as_seen_by(member, role)))
            }
            SyncRecord::Council(_) | SyncRecord::Member(_) | SyncRecord::Meeting(_) => {
                Some(self.clone())
            }
            SyncRecord::Annotation(logged) => logged.as_seen_by(member),
            SyncRecord::AnnotationRemoved(_) => Some(self.clone()),
            SyncRecord::Opinion(opinion) => opinion.may_read(member, role).then(|| self.clone()),
        }
    }
}

/// An annotation's revision as the change log keeps it: the annotation, who besides its
/// author may read it (`readers`), and who could read the revision it replaced but not this
/// one (`former_readers`), as the server resolved them when it stored the write ([`Annotation::readers`]: the participants it is shared with who
/// may read the paper). The two lists are the server's: every copy a client receives
/// leaves them out (an author learns whom they shared with from `sharing`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AnnotationRecord {
    pub annotation: Annotation,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub readers: Vec<MemberId>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub former_readers: Vec<MemberId>,
}

impl AnnotationRecord {
    /// What `member` receives of this revision: the annotation itself if they are its
    /// author or one of its readers; an [`AnnotationRemoved`] if they could read the
    /// revision before and no longer can (unshared: their copy goes away rather than staying
    /// stale); nothing otherwise, so a private annotation never reaches anyone but its
    /// author, not even as an id.
    pub fn as_seen_by(&self, member: MemberId) -> Option<SyncRecord> {
        let annotation = &self.annotation;
        if member == annotation.author || self.readers.contains(&member) {
            Some(SyncRecord::Annotation(AnnotationRecord {
                annotation: annotation.clone(),
                readers: Vec::new(),
                former_readers: Vec::new(),
            }))
        } else if self.former_readers.contains(&member) {
            Some(SyncRecord::AnnotationRemoved(AnnotationRemoved {
                id: annotation.id,
                paper_id: annotation.paper_id,
            }))
        } else {
            None
        }
    }
}

/// An annotation to remove from a device: no longer shared with its member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AnnotationRemoved {
    pub id: AnnotationId,
    pub paper_id: PaperId,
}

/// `PUT /api/v1/annotations/{annotation_id}`: a device creates or edits its member's
/// annotation (the id is the device's, so a retry never makes a second one).
///
/// `base_revision` is the revision the device edited (0 for a new annotation). The server
/// does not refuse a stale base: the write that reaches it last becomes the next revision,
/// and the one it replaced stays in the history (`GET …/history`). The same write sent
/// again (same content, same base) is answered with the revision it made the first time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AnnotationWrite {
    pub base_revision: u32,
    pub paper_id: PaperId,
    pub made_on: MadeOn,
    pub anchor: Anchor,
    pub kind: AnnotationKind,
    /// `#rrggbb`.
    pub colour: String,
    /// Line width in PDF points.
    pub thickness: f32,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub sharing: Sharing,
}

/// `GET /api/v1/annotations/{annotation_id}/history`: every revision, oldest first, the
/// tombstone of a deletion included.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AnnotationHistory {
    pub revisions: Vec<Annotation>,
}

/// `PUT /api/v1/opinions/{opinion_id}`: a delegate's device sends an opinion, or a new
/// version of it (the id is the device's, so a retry never makes a second one).
///
/// `version` is the version the device made: 1 for a new opinion, the last it knew + 1 for
/// an edit. The same write sent again (same id, version and content) is answered with the
/// version it made the first time and stores nothing. If another device of the same member
/// took that number first, the write is kept as the next version: nothing sent is lost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OpinionWrite {
    pub version: u32,
    pub meeting_id: MeetingId,
    pub item_id: AgendaItemId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paper: Option<PaperLink>,
    pub body: String,
    /// This version withdraws the opinion.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub withdrawn: bool,
}

/// `GET /api/v1/opinions/{opinion_id}` and `GET /api/v1/meetings/{meeting_id}/opinions`:
/// every version, oldest first (per opinion).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OpinionVersions {
    pub versions: Vec<Opinion>,
}

/// The participants of one meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MeetingParticipants {
    pub meeting_id: MeetingId,
    pub participants: Vec<Participant>,
}

/// One entry of the council's ordered change log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Change {
    /// Position in the log; strictly increasing, never reused.
    pub seq: i64,
    pub record: SyncRecord,
}

/// Query of `GET /api/v1/sync/changes`.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::IntoParams)]
pub struct ChangesQuery {
    /// The client's cursor: the `seq` of the last change it applied (0 for none).
    #[serde(default)]
    pub after: i64,
    /// Page size; at most [`MAX_CHANGES_PER_PULL`].
    pub limit: Option<u32>,
}

/// A page of changes after the client's cursor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ChangesPage {
    pub changes: Vec<Change>,
    /// The cursor to send next time: the last `seq` the server read for this page (at or
    /// past the last one in `changes`, since records the caller may not see are skipped),
    /// or the request's `after`.
    pub next_cursor: i64,
    /// More changes are waiting; pull again right away.
    pub has_more: bool,
}

/// Pushed over the live WebSocket (`GET /api/v1/live`).
///
/// The change log travels as a signal: the client pulls on it, so a missed signal costs
/// latency, not correctness. A sitting's events travel whole, to its participants, since
/// 2,000 devices pulling after each page turn would take longer than the turn may; each
/// carries its number, so a device that sees a gap (or `sittings_stale`) fetches the
/// sitting's state (`GET /api/v1/meetings/{id}/sitting`) and nothing is lost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LiveEvent {
    /// Sent once on connect: the log's head at that moment.
    Hello { head: i64 },
    /// The change log grew; `head` is its new last `seq`.
    Changed { head: i64 },
    /// The next event of a sitting the member takes part in.
    Sitting {
        meeting_id: MeetingId,
        event: SittingEvent,
    },
    /// The socket fell behind and sitting events were skipped: fetch the state of every
    /// sitting followed (and its polls).
    SittingsStale,
    /// A poll of a meeting the member takes part in was drafted, edited, opened, closed,
    /// published or cancelled: its state whole (`may_vote` says whether this member may vote).
    Poll {
        meeting_id: MeetingId,
        status: Box<PollStatus>,
    },
    /// An open poll's turnout grew (sent at most a few times a second, whatever the rate of
    /// ballots).
    PollTurnout {
        meeting_id: MeetingId,
        poll_id: PollId,
        voted: u32,
        entitled: u32,
    },
    /// A message of one of the member's conversations was posted, edited or deleted: whole,
    /// with the conversation's revision it made. A device whose cursor in the conversation is
    /// not `rev - 1` pulls the conversation instead.
    ChatMessage { entry: Box<ChatEntry> },
    /// Someone's devices received or read a private conversation's messages (or one with
    /// the secretariat) up to here.
    ChatMark {
        conversation_id: ConversationId,
        mark: ChatMark,
    },
    /// A conversation the member is in was made or its members changed.
    ChatConversation {
        conversation: Box<ecabinet_domain::chat::Conversation>,
    },
    /// The member was removed from a group: nothing more of it reaches them.
    ChatLeft { conversation_id: ConversationId },
    /// The socket fell behind and chat messages were skipped: pull the conversations.
    ChatStale,
}

/// A poll as a participant sees it. `poll.entitled` is left empty on the wire (a named
/// poll's log lists its voters; `not_voted` says who is missing): 2,000 devices told of an
/// opened poll get a few hundred bytes each, not the council's roll.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PollStatus {
    pub poll: Poll,
    /// Voters entitled (present when it opened).
    pub entitled: u32,
    /// Ballots cast so far (each voter once).
    pub voted: u32,
    /// Whether the member this is for may vote in it (entitled, and it is open).
    pub may_vote: bool,
    /// Whether the member this is for has voted (absent in messages sent to many).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_voted: Option<bool>,
    /// A named poll's entitled voters who have not voted, while it is open (absent in
    /// messages sent to many, and in secret polls).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_voted: Option<Vec<MemberId>>,
}

/// `GET /api/v1/meetings/{meeting_id}/polls`: the meeting's polls as they stand, oldest
/// first; live `poll` and `poll_turnout` messages follow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PollsSnapshot {
    pub meeting_id: MeetingId,
    pub polls: Vec<PollStatus>,
    pub server_time: Timestamp,
}

/// `PUT /api/v1/meetings/{meeting_id}/polls/{poll_id}`: a new draft under the device's id,
/// or a draft's new settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PollDraft {
    pub item_id: AgendaItemId,
    pub settings: PollSettings,
}

/// `POST /api/v1/polls/{poll_id}/steps`: the chair opens, closes, publishes or cancels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PollStepRequest {
    pub step: PollStep,
}

/// `POST /api/v1/polls/{poll_id}/ballots` answers a recorded ballot with where it stands in
/// the poll's public log: the device keeps this, and later finds line `seq` with this hash
/// in the published log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BallotReceipt {
    pub poll_id: PollId,
    pub receipt: Receipt,
    pub version: u32,
    pub seq: u64,
    pub line_hash: LineHash,
}

/// `POST /api/v1/meetings/{meeting_id}/sitting`: an action in the meeting's sitting, under a
/// client-made id, so a retry is answered with the event it made the first time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SittingRequest {
    #[schema(value_type = String, format = Uuid)]
    pub action_id: uuid::Uuid,
    #[serde(flatten)]
    pub action: SittingAction,
}

/// `GET /api/v1/meetings/{meeting_id}/sitting`: the sitting as it stands, for a device that
/// joins, reconnects or restarts; live events numbered above `sitting.seq` follow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SittingSnapshot {
    pub meeting_id: MeetingId,
    pub sitting: Sitting,
    /// The meeting's voting participants, whom the quorum counts.
    pub voters: Vec<MemberId>,
    /// The server's clock when it answered: devices read clocks against it.
    pub server_time: Timestamp,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NewMeeting {
    pub title: String,
    pub starts_at: Timestamp,
    pub location: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MeetingCreated {
    pub id: MeetingId,
    pub status: MeetingStatus,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NewAgendaItem {
    pub parent_id: Option<AgendaItemId>,
    pub position: i32,
    pub title: String,
    pub presenter: Option<String>,
    pub planned_minutes: Option<i32>,
    #[serde(default)]
    pub paper_titles: Vec<String>,
}

/// Fields of an agenda item to change; absent fields stay as they are.
///
/// A field left `None` is left out of the JSON, never sent as `null`: for the two fields
/// that can be cleared, `null` means "clear" (a `null` parent moves the item to the top
/// level), so an absent field sent as `null` would move or clear what the user never touched.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AgendaItemPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<i32>,
    /// An empty presenter clears it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub presenter: Option<String>,
    /// `Some(None)` (JSON `null`) clears the planned time, `Some(Some(n))` sets it.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "double_option"
    )]
    #[schema(value_type = Option<i32>)]
    pub planned_minutes: Option<Option<i32>>,
    /// Moves the item: `Some(None)` (JSON `null`) to the top level, `Some(Some(id))` under
    /// another item.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "double_option"
    )]
    #[schema(value_type = Option<String>, format = Uuid)]
    pub parent_id: Option<Option<AgendaItemId>>,
}

/// Fields of a meeting to change; absent fields stay as they are (and are left out of the JSON).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MeetingPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Files a session that is over away (`true`) or brings it back (`false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived: Option<bool>,
}

/// Tells "absent" (leave as is) from `null` (clear) in a patch.
mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(
        value: &Option<Option<T>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(inner) => inner.serialize(serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(deserializer).map(Some)
    }
}

/// A stored blob: what the server learned when it accepted the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BlobInfo {
    pub hash: BlobHash,
    pub size: u64,
    pub pages: u32,
}

/// Attaches an uploaded file to a meeting as a paper (`PUT /blobs/{hash}` first).
///
/// The id is made by the client, so a retried request never creates a second paper. When
/// `source` names a file a watched folder already imported, or `id` an existing paper,
/// the file becomes that paper's next revision.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NewPaper {
    pub id: PaperId,
    pub place: PaperPlace,
    pub position: i32,
    pub title: String,
    pub kind: PaperKind,
    pub visibility: Visibility,
    pub hash: BlobHash,
    pub file_name: String,
    pub source: Option<String>,
}

/// Fields of a paper to change; absent fields stay as they are. A new `hash` replaces the
/// file (a new revision, approval needed again).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct PaperPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<PaperKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<Visibility>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<PaperPlace>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<BlobHash>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<bool>,
}

/// The chair sends a paper back to the secretariat (`POST /papers/{id}/return`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReturnPaper {
    /// Why, for the secretariat: not empty, at most
    /// [`ecabinet_domain::MAX_RETURN_REASON_CHARS`] characters.
    pub reason: String,
}

/// One participant as the secretariat sets it; the display name comes from the account.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ParticipantEntry {
    pub member_id: MemberId,
    pub meeting_role: MeetingRole,
    pub votes: bool,
}

/// Publishes the next packet version of a meeting.
///
/// `expected_number` is the number the secretary is publishing (the last one they saw + 1):
/// when someone else published first, the server refuses with `publish_conflict` instead of
/// publishing a version the secretary never looked at.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PublishRequest {
    pub expected_number: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_agenda_item_patch_sends_only_what_it_changes() {
        // Editing an item's title must not say anything about its parent: a `null` parent
        // is "move to the top level", which once pulled sub-items out of their parent.
        let edit = AgendaItemPatch {
            title: Some("Khai mạc".into()),
            presenter: Some(String::new()),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(&edit).unwrap(),
            json!({"title": "Khai mạc", "presenter": ""})
        );
    }

    #[test]
    fn an_agenda_item_patch_tells_absent_from_cleared() {
        let absent: AgendaItemPatch = serde_json::from_value(json!({})).unwrap();
        assert_eq!(
            absent,
            AgendaItemPatch::default(),
            "absent fields stay as they are"
        );

        let cleared: AgendaItemPatch =
            serde_json::from_value(json!({"parent_id": null, "planned_minutes": null})).unwrap();
        assert_eq!(cleared.parent_id, Some(None), "null moves to the top level");
        assert_eq!(
            cleared.planned_minutes,
            Some(None),
            "null clears the planned time"
        );

        let moved = AgendaItemPatch {
            parent_id: Some(None),
            planned_minutes: Some(Some(15)),
            ..Default::default()
        };
        let round_trip: AgendaItemPatch =
            serde_json::from_value(serde_json::to_value(&moved).unwrap()).unwrap();
        assert_eq!(
            round_trip, moved,
            "a move to the top level survives the wire"
        );
    }

    fn shared_highlight(sharing: Sharing) -> Annotation {
        use ecabinet_domain::annotation::{TextAnchor, TextPosition, TextQuote};
        Annotation {
            id: AnnotationId(uuid::Uuid::from_u128(20)),
            author: MemberId(uuid::Uuid::from_u128(1)),
            paper_id: PaperId(uuid::Uuid::from_u128(6)),
            meeting_id: MeetingId(uuid::Uuid::from_u128(3)),
            made_on: MadeOn {
                packet_version: Some(1),
                hash: BlobHash::parse(&"ab".repeat(32)).unwrap(),
            },
            anchor: Anchor::Text(TextAnchor {
                quote: TextQuote {
                    exact: "ngân sách".into(),
                    prefix: String::new(),
                    suffix: String::new(),
                },
                position: TextPosition { start: 0, end: 9 },
                page: 0,
            }),
            kind: AnnotationKind::Highlight,
            colour: "#ffd54f".into(),
            thickness: 1.0,
            body: String::new(),
            sharing,
            revision: 2,
            updated_at: Timestamp(1),
            deleted: false,
        }
    }

    #[test]
    fn an_annotation_reaches_its_author_and_readers_and_former_readers_learn_it_is_gone() {
        let (author, reader, former, stranger) = (
            MemberId(uuid::Uuid::from_u128(1)),
            MemberId(uuid::Uuid::from_u128(2)),
            MemberId(uuid::Uuid::from_u128(3)),
            MemberId(uuid::Uuid::from_u128(4)),
        );
        let logged = SyncRecord::Annotation(AnnotationRecord {
            annotation: shared_highlight(Sharing::Members {
                members: vec![reader],
            }),
            readers: vec![reader],
            former_readers: vec![reader, former],
        });
        let plain = SyncRecord::Annotation(AnnotationRecord {
            annotation: shared_highlight(Sharing::Members {
                members: vec![reader],
            }),
            readers: vec![],
            former_readers: vec![],
        });
        assert_eq!(
            logged.as_seen_by(author, Role::Delegate),
            Some(plain.clone()),
            "the author receives it, without the server's lists of readers"
        );
        assert_eq!(logged.as_seen_by(reader, Role::Delegate), Some(plain));
        assert_eq!(
            logged.as_seen_by(former, Role::Delegate),
            Some(SyncRecord::AnnotationRemoved(AnnotationRemoved {
                id: AnnotationId(uuid::Uuid::from_u128(20)),
                paper_id: PaperId(uuid::Uuid::from_u128(6)),
            })),
            "unshared from them: their copy is removed, not left stale"
        );
        assert_eq!(
            logged.as_seen_by(stranger, Role::Secretary),
            None,
            "no role reads another member's annotation, not even its id"
        );

        let private = SyncRecord::Annotation(AnnotationRecord {
            annotation: shared_highlight(Sharing::Private),
            readers: vec![],
            former_readers: vec![],
        });
        assert_eq!(private.as_seen_by(stranger, Role::Chair), None);
        assert!(private.as_seen_by(author, Role::Delegate).is_some());
    }

    #[test]
    fn an_opinion_reaches_its_author_the_secretariat_and_the_chair_and_no_other_delegate() {
        let author = MemberId(uuid::Uuid::from_u128(1));
        let other = MemberId(uuid::Uuid::from_u128(2));
        let record = SyncRecord::Opinion(Opinion {
            id: ecabinet_domain::OpinionId(uuid::Uuid::from_u128(30)),
            author,
            meeting_id: MeetingId(uuid::Uuid::from_u128(3)),
            item_id: AgendaItemId(uuid::Uuid::from_u128(4)),
            paper: None,
            body: "Tán thành.".into(),
            version: 1,
            sent_at: Timestamp(1),
            withdrawn: false,
        });
        assert_eq!(
            record.as_seen_by(author, Role::Delegate),
            Some(record.clone())
        );
        assert_eq!(
            record.as_seen_by(other, Role::Secretary),
            Some(record.clone())
        );
        assert_eq!(record.as_seen_by(other, Role::Chair), Some(record.clone()));
        for role in [Role::Delegate, Role::Guest, Role::Administrator] {
            assert_eq!(
                record.as_seen_by(other, role),
                None,
                "{role:?}: another member's opinion is not theirs to see, not even its id"
            );
        }
    }

    #[test]
    fn meeting_and_paper_patches_leave_out_absent_fields() {
        let meeting = MeetingPatch {
            location: Some("Hội trường".into()),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(&meeting).unwrap(),
            json!({"location": "Hội trường"})
        );
        let paper = PaperPatch {
            withdrawn: Some(true),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(&paper).unwrap(),
            json!({"withdrawn": true})
        );
    }
}
