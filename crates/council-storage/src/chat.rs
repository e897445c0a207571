//! Chat: conversations, their messages and each member's marks in them.
//!
//! Chat has its own cursor, apart from the council's change log: every message stored,
//! edited or deleted takes its conversation's next revision, and a device pulls a
//! conversation by revision. A message also has its number in the conversation (`seq`,
//! 1, 2, 3, … as stored), which orders what people read. Marks (how far each member's
//! devices received and read) only move forward.

use crate::StorageResult;
use async_trait::async_trait;
use ecabinet_domain::chat::{Conversation, Message};
use ecabinet_domain::{ConversationId, CouncilId, MemberId, MessageId};
use ecabinet_protocol::{ChatEntry, ChatMark, ChatMarksUpdate};

/// A conversation as stored: its council, its latest revision and its latest message's number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredConversation {
    pub council: CouncilId,
    pub conversation: Conversation,
    pub rev: u64,
    pub last_seq: u64,
}

/// A member's marks in a conversation, and whether they muted it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredMark {
    pub mark: ChatMark,
    pub muted: bool,
}

#[async_trait]
pub trait ChatStore: Send + Sync {
    async fn conversation(&self, id: ConversationId) -> StorageResult<Option<StoredConversation>>;

    /// Stores a new conversation, or the new members (and a group's title) of the one with
    /// its id; its revision and messages stay. Answers it as stored.
    async fn put_conversation(
        &self,
        council: CouncilId,
        conversation: &Conversation,
    ) -> StorageResult<StoredConversation>;

    /// The conversations of `council` that list `member` (a private one, groups, meetings,
    /// theirs with the secretariat), the announcements, and, for the secretariat
    /// (`secretariat`), every member's with the secretariat; oldest first.
    async fn member_conversations(
        &self,
        council: CouncilId,
        member: MemberId,
        secretariat: bool,
    ) -> StorageResult<Vec<StoredConversation>>;

    /// Stores a new message as its conversation's next number and revision (its own `seq`
    /// is ignored) and answers it with `true`; when its id is taken, stores nothing and
    /// answers the stored message with `false` (a retry). `NotFound` when the conversation
    /// is not stored.
    async fn post_message(&self, message: &Message) -> StorageResult<(ChatEntry, bool)>;

    /// Stores an edited or deleted message under its conversation's next revision.
    /// `NotFound` when no message has its id.
    async fn change_message(&self, message: &Message) -> StorageResult<ChatEntry>;

    async fn chat_message(&self, id: MessageId) -> StorageResult<Option<ChatEntry>>;

    /// The conversation's messages changed after revision `after`, in revision order, at
    /// most `limit`.
    async fn messages_after(
        &self,
        conversation: ConversationId,
        after: u64,
        limit: u32,
    ) -> StorageResult<Vec<ChatEntry>>;

    /// Moves the member's marks forward (a mark behind the stored one changes nothing) and
    /// mutes or unmutes; answers what is stored.
    async fn put_chat_mark(
        &self,
        conversation: ConversationId,
        member: MemberId,
        update: ChatMarksUpdate,
    ) -> StorageResult<StoredMark>;

    /// Every member's marks in the conversation, by member id.
    async fn chat_marks(&self, conversation: ConversationId) -> StorageResult<Vec<StoredMark>>;
}

/// The name a conversation's kind is stored under (a column, so a listing can select the
/// announcements and the secretariat's conversations without reading JSON).
pub fn kind_name(conversation: &Conversation) -> &'static str {
    use ecabinet_domain::chat::ConversationKind as K;
    match conversation.kind {
        K::Private { .. } => "private",
        K::Group { .. } => "group",
        K::Meeting { .. } => "meeting",
        K::Announcements => "announcements",
        K::Secretariat { .. } => "secretariat",
    }
}
