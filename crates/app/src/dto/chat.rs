//! Chat as the window shows it: the member's conversations and their messages, each with
//! where it stands, and what the window asks of them.

use super::IpcError;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ConversationKindView {
    Private,
    Group,
    Meeting,
    Announcements,
    /// A member's conversation with the secretariat.
    Secretariat,
}

/// A conversation in the member's list.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ConversationSummary {
    pub id: String,
    pub kind: ConversationKindView,
    /// What the list calls it: the other member's name, the group's title, the meeting's
    /// title, the member's name (for the secretariat) or empty (the window names
    /// announcements and the member's own conversation with the secretariat).
    pub title: String,
    /// Members named in it (a group's, a meeting's, a private pair), by display name.
    pub members: Vec<ChatMemberView>,
    pub unread: u32,
    pub muted: bool,
    /// The member was removed from it: kept to read, nothing more arrives.
    pub left: bool,
    /// Whether the member may post in it (announcements: the secretariat only).
    pub may_post: bool,
    /// The member owns the group (adds and removes members).
    pub owned: bool,
    pub last: Option<ChatMessageView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ChatMemberView {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ChatMessageState {
    /// Written here, not acknowledged yet (or waiting for the network).
    Waiting,
    /// The server has it.
    Sent,
    /// The other side's device has it (private conversations and the secretariat's).
    Delivered,
    /// The other side read it.
    Read,
    /// The server refused it: shown with the reason and a retry.
    Refused,
}

/// A paper and page a message points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ChatPaperRef {
    pub paper_id: String,
    /// From 0, as the reader counts pages.
    pub page: u32,
    /// The paper's title and meeting, when the member reads it on this device (else the
    /// window says "a paper" and cannot open it).
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub meeting_id: Option<String>,
}

/// A message as the window shows it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ChatMessageView {
    pub id: String,
    pub conversation_id: String,
    /// Its number in the conversation; 0 while waiting.
    pub seq: u32,
    pub author_id: String,
    pub author_name: String,
    pub mine: bool,
    /// Plain text, shown as text (never as HTML); empty once deleted.
    pub body: String,
    pub reply_to: Option<String>,
    pub paper: Option<ChatPaperRef>,
    #[ts(type = "number")]
    pub sent_at: i64,
    pub edited: bool,
    pub deleted: bool,
    pub state: ChatMessageState,
    pub refusal: Option<IpcError>,
}

/// A new message, written in the window.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct ChatDraft {
    pub conversation_id: String,
    pub body: String,
    #[serde(default)]
    pub reply_to: Option<String>,
    #[serde(default)]
    pub paper: Option<ChatPaperRef>,
}

/// A message found by search across the member's conversations.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ChatSearchHit {
    pub conversation_id: String,
    pub conversation_title: String,
    pub message: ChatMessageView,
}

/// Something changed in the member's chat.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ChatChanged {
    /// The conversation whose messages changed, if one did.
    pub conversation_id: Option<String>,
    /// New messages from others, for a notification (none from a muted conversation).
    pub arrived: Vec<ChatMessageView>,
}
