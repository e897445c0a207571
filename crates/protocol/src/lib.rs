//! What crosses the network between the desktop app and the council server.
//!
//! Only serde types and the constants both sides must agree on (paths, limits).
//! The server derives its OpenAPI document from these types; the app's sync engine
//! deserializes them. Neither side's storage shapes leak in here.

mod error;

pub use error::{ApiError, ErrorCode};

use ecabinet_domain::{
    AgendaItem, AgendaItemId, Council, Meeting, MeetingId, MeetingStatus, Member, Timestamp,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Version prefix of every API path.
pub const API_PREFIX: &str = "/api/v1";

/// The largest JSON body the server reads; anything larger is refused with 413.
pub const MAX_JSON_BODY_BYTES: usize = 256 * 1024;

/// How many changes one pull returns at most.
pub const MAX_CHANGES_PER_PULL: u32 = 1000;

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
}

/// The caller, as the server knows them from their token.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WhoAmI {
    pub member: Member,
    pub council: Council,
}

/// One account as an administrator sees it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AccountSummary {
    pub member: Member,
    pub active_sessions: u32,
}

/// A record the server logs as changed, with its full current state (last writer wins per id).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum SyncRecord {
    Council(Council),
    Member(Member),
    Meeting(Meeting),
    AgendaItem(AgendaItem),
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
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ChangesPage {
    pub changes: Vec<Change>,
    /// The cursor to send next time: the last `seq` in `changes`, or the request's `after`.
    pub next_cursor: i64,
    /// More changes are waiting; pull again right away.
    pub has_more: bool,
}

/// Pushed over the live WebSocket (`GET /api/v1/live`). A signal, never data:
/// the client pulls on it, so a missed signal costs latency, not correctness.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LiveEvent {
    /// Sent once on connect: the log's head at that moment.
    Hello { head: i64 },
    /// The change log grew; `head` is its new last `seq`.
    Changed { head: i64 },
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NewMeeting {
    pub title: String,
    pub starts_at: Timestamp,
    pub location: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
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
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct AgendaItemPatch {
    pub title: Option<String>,
    pub position: Option<i32>,
    pub presenter: Option<String>,
    pub planned_minutes: Option<i32>,
}
