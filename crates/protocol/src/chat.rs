//! Chat on the wire: `/api/v1/chat/…` and the live socket's chat messages.
//!
//! Chat has its own cursor, per conversation: every message stored, edited or deleted takes
//! the conversation's next revision (`rev`), and a device holds the highest revision it has
//! applied. Online, messages arrive whole on the live socket; a device that sees a revision
//! out of turn (or `chat_stale`) pulls the conversation after its cursor. Nothing of chat
//! rides the council's change log.

use ecabinet_domain::chat::{Conversation, ConversationKind, Message, PaperPage};
use ecabinet_domain::{ConversationId, MemberId, MessageId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How many messages one pull of a conversation returns at most.
pub const MAX_CHAT_PAGE: u32 = 500;

/// A message as stored, with the conversation's revision at its last change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ChatEntry {
    pub rev: u64,
    #[serde(flatten)]
    pub message: Message,
}

/// How far one member has come in a conversation: the last message (by `seq`) one of their
/// devices received, and the last they read. Marks only move forward.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ChatMark {
    pub member: MemberId,
    pub delivered: u64,
    pub read: u64,
}

/// `GET /api/v1/chat/conversations`: one of the member's conversations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ConversationView {
    pub conversation: Conversation,
    /// The conversation's latest revision: pull after the device's cursor up to here.
    pub rev: u64,
    /// The number of its latest message.
    pub last_seq: u64,
    /// Marks of everyone in a private conversation or one with the secretariat (so each
    /// side sees "delivered" and "read"); the member's own alone in groups, meetings and
    /// announcements.
    pub marks: Vec<ChatMark>,
    /// The member muted it: no notifications, still counted as unread.
    pub muted: bool,
}

/// `GET /api/v1/chat/conversations/{id}/messages?after=REV`.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::IntoParams)]
pub struct ChatPageQuery {
    /// The device's cursor in the conversation (0 for none).
    #[serde(default)]
    pub after: u64,
    /// Page size; at most [`MAX_CHAT_PAGE`].
    pub limit: Option<u32>,
}

/// Messages changed after the cursor, in revision order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ChatPage {
    pub conversation_id: ConversationId,
    pub entries: Vec<ChatEntry>,
    /// More are waiting after the last entry: pull again.
    pub has_more: bool,
}

/// `PUT /api/v1/chat/messages/{message_id}`: a message under the id its device made, so a
/// retry is answered with the message stored the first time and never posts twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ChatPost {
    pub conversation_id: ConversationId,
    /// For a conversation the server may not have yet (a private one, a member's with the
    /// secretariat, a meeting's): its kind, whose id must be `conversation_id`. The first
    /// message creates it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ConversationKind>,
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<MessageId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paper: Option<PaperPage>,
}

/// `PATCH /api/v1/chat/messages/{message_id}`: the author's new text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ChatEdit {
    pub body: String,
}

/// `PUT /api/v1/chat/groups/{conversation_id}`: a new group under its owner's id (a retry
/// answers the group as stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct NewGroup {
    pub title: String,
    pub members: Vec<MemberId>,
}

/// `POST /api/v1/chat/conversations/{id}/members`: the owner adds and removes members.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct GroupMembersChange {
    #[serde(default)]
    pub add: Vec<MemberId>,
    #[serde(default)]
    pub remove: Vec<MemberId>,
}

/// `POST /api/v1/chat/conversations/{id}/marks`: the member's devices received or read up to
/// here, or the member mutes or unmutes the conversation. A mark behind the stored one
/// changes nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ChatMarksUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub muted: Option<bool>,
}
