//! Chat (trò chuyện): which conversations there are, who reads and who posts in each, what a
//! message may hold, how it is edited or deleted, and how fast one member may send.
//!
//! The server decides with these rules and numbers each conversation's messages 1, 2, 3, …
//! as it stores them, so every member's devices show one order; a device that sees a gap
//! pulls the conversation from its cursor. Members are passed in as their council `Role`
//! (the secretariat is `Role::Secretary`) and whether their account is active, so the rules
//! need no lookup of their own.

use crate::{CouncilId, MeetingId, MemberId, PaperId, Role, Timestamp};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

pub use crate::{ConversationId, MessageId};

/// The longest message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 4000;
/// The longest group title, in characters.
pub const MAX_GROUP_TITLE_CHARS: usize = 200;
/// The most members a group made by a member holds.
pub const MAX_GROUP_MEMBERS: usize = 2000;

/// What kind of conversation, and so who is in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ConversationKind {
    /// Two members of the council, in id order.
    Private { pair: [MemberId; 2] },
    /// Made by a member, who adds and removes its members.
    Group { owner: MemberId, title: String },
    /// Every participant of a meeting, made with the meeting.
    Meeting { meeting_id: MeetingId },
    /// The secretariat posts; every member reads.
    Announcements,
    /// One member and the secretariat as a whole: any secretary answers, the member sees
    /// one conversation.
    Secretariat { member: MemberId },
}

impl ConversationKind {
    /// The id of a conversation whose members follow from its kind (all but groups): a hash
    /// of the council and the kind, so any device, offline too, names the same conversation
    /// (a private one from either side, a member's with the secretariat from any secretary)
    /// and a first message creates it on the server. A group's id is made by its owner; a
    /// private pair out of id order (or with oneself) names no conversation, so one pair has
    /// one id.
    pub fn derived_id(&self, council: CouncilId) -> Option<ConversationId> {
        let mut hash = Sha256::new();
        hash.update(b"ecabinet conversation v1\0");
        hash.update(council.0.as_bytes());
        match self {
            ConversationKind::Group { .. } => return None,
            ConversationKind::Private { pair } if pair[0] >= pair[1] => return None,
            ConversationKind::Private { pair } => {
                hash.update(b"private");
                hash.update(pair[0].0.as_bytes());
                hash.update(pair[1].0.as_bytes());
            }
            ConversationKind::Meeting { meeting_id } => {
                hash.update(b"meeting");
                hash.update(meeting_id.0.as_bytes());
            }
            ConversationKind::Announcements => hash.update(b"announcements"),
            ConversationKind::Secretariat { member } => {
                hash.update(b"secretariat");
                hash.update(member.0.as_bytes());
            }
        }
        let digest = hash.finalize();
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&digest[..16]);
        Some(ConversationId(
            uuid::Builder::from_custom_bytes(bytes).into_uuid(),
        ))
    }
}

/// A conversation and, for groups and meetings, who is in it now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Conversation {
    pub id: ConversationId,
    #[serde(flatten)]
    pub kind: ConversationKind,
    /// A group's or a meeting's members (the owner included); empty for the other kinds,
    /// whose members follow from their kind.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<MemberId>,
    pub created_at: Timestamp,
}

/// A member as the rules see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chatter {
    pub member: MemberId,
    pub role: Role,
    /// A disabled account reads and posts nothing.
    pub active: bool,
}

impl Chatter {
    fn secretariat(&self) -> bool {
        self.role == Role::Secretary
    }
}

/// Why a chat request is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatRefusal {
    /// Not a member of the conversation: it does not exist for them.
    NotMember,
    /// Only the secretariat posts announcements.
    NotSecretariat,
    /// Only a group's owner adds and removes its members.
    NotOwner,
    /// Only a message's author edits or deletes it.
    NotAuthor,
    /// The message was deleted: nothing more is done to it.
    Deleted,
    EmptyBody,
    BodyTooLong,
    NulCharacter,
    /// A private conversation is between two different members.
    WithSelf,
    BadTitle,
    TooManyMembers,
    /// The sender is over the rate: wait this many milliseconds.
    TooFast {
        retry_ms: i64,
    },
}

impl std::fmt::Display for ChatRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChatRefusal::NotMember => f.write_str("no such conversation"),
            ChatRefusal::NotSecretariat => f.write_str("only the secretariat posts announcements"),
            ChatRefusal::NotOwner => f.write_str("only the group's owner adds and removes members"),
            ChatRefusal::NotAuthor => f.write_str("only its author edits or deletes a message"),
            ChatRefusal::Deleted => f.write_str("the message was deleted"),
            ChatRefusal::EmptyBody => f.write_str("a message needs some text"),
            ChatRefusal::BodyTooLong => {
                write!(f, "a message holds at most {MAX_MESSAGE_CHARS} characters")
            }
            ChatRefusal::NulCharacter => f.write_str("a message cannot hold a NUL character"),
            ChatRefusal::WithSelf => f.write_str("a private conversation is with someone else"),
            ChatRefusal::BadTitle => write!(
                f,
                "a group needs a title of at most {MAX_GROUP_TITLE_CHARS} characters"
            ),
            ChatRefusal::TooManyMembers => {
                write!(f, "a group holds at most {MAX_GROUP_MEMBERS} members")
            }
            ChatRefusal::TooFast { retry_ms } => {
                let seconds = ((*retry_ms).max(0) + 999) / 1000;
                write!(f, "too many messages: send again in {seconds} s")
            }
        }
    }
}

impl Conversation {
    /// A private conversation between `a` and `b` (in id order, under the id their pair
    /// makes, so either opens the same one).
    pub fn private(
        council: CouncilId,
        a: MemberId,
        b: MemberId,
        at: Timestamp,
    ) -> Result<Conversation, ChatRefusal> {
        if a == b {
            return Err(ChatRefusal::WithSelf);
        }
        let pair = if a < b { [a, b] } else { [b, a] };
        Ok(Conversation::well_known(
            council,
            ConversationKind::Private { pair },
            Vec::new(),
            at,
        ))
    }

    /// A conversation whose id follows from its kind (see [`ConversationKind::derived_id`]);
    /// `members` are a meeting's participants, empty for the other kinds.
    ///
    /// # Panics
    /// For a group, whose id is its owner's to make.
    pub fn well_known(
        council: CouncilId,
        kind: ConversationKind,
        mut members: Vec<MemberId>,
        at: Timestamp,
    ) -> Conversation {
        let id = kind
            .derived_id(council)
            .expect("a group's id is made by its owner");
        members.sort_unstable();
        members.dedup();
        Conversation {
            id,
            kind,
            members,
            created_at: at,
        }
    }

    /// Whether `self` is the conversation its kind names in `council`: a conversation a
    /// device asks the server to create must carry the id its kind makes.
    pub fn id_fits(&self, council: CouncilId) -> bool {
        match self.kind.derived_id(council) {
            Some(id) => id == self.id,
            None => true,
        }
    }

    /// The members a conversation lists, for its kind: the pair of a private one, the group's
    /// or meeting's members, the member of one with the secretariat (the secretariat reads it
    /// by role), nobody for announcements (everyone reads them by role).
    pub fn named_members(&self) -> Vec<MemberId> {
        match &self.kind {
            ConversationKind::Private { pair } => pair.to_vec(),
            ConversationKind::Group { .. } | ConversationKind::Meeting { .. } => {
                self.members.clone()
            }
            ConversationKind::Announcements => Vec::new(),
            ConversationKind::Secretariat { member } => vec![*member],
        }
    }

    /// A group made by `owner`, with `members` (the owner is always one).
    pub fn group(
        id: ConversationId,
        owner: MemberId,
        title: &str,
        members: &[MemberId],
        at: Timestamp,
    ) -> Result<Conversation, ChatRefusal> {
        let title = title.trim();
        if title.is_empty() || title.chars().count() > MAX_GROUP_TITLE_CHARS || title.contains('\0')
        {
            return Err(ChatRefusal::BadTitle);
        }
        let mut all: Vec<MemberId> = members.iter().copied().chain([owner]).collect();
        all.sort_unstable();
        all.dedup();
        if all.len() > MAX_GROUP_MEMBERS {
            return Err(ChatRefusal::TooManyMembers);
        }
        Ok(Conversation {
            id,
            kind: ConversationKind::Group {
                owner,
                title: title.to_owned(),
            },
            members: all,
            created_at: at,
        })
    }

    /// Whether some of its readers read it by their role rather than by name (everyone the
    /// announcements, the secretariat a member's conversation with it): who hears it is then
    /// found among the council's members with [`Conversation::may_read`].
    pub fn read_by_role(&self) -> bool {
        matches!(
            self.kind,
            ConversationKind::Announcements | ConversationKind::Secretariat { .. }
        )
    }

    /// Whether its members see each other's marks (delivered, read): in a conversation of two
    /// sides (a private one, a member's with the secretariat). In groups, meetings and the
    /// announcements each member's marks are their own.
    pub fn shares_marks(&self) -> bool {
        matches!(
            self.kind,
            ConversationKind::Private { .. } | ConversationKind::Secretariat { .. }
        )
    }

    /// Whether `who` reads the conversation (lists it, pulls it, searches it, hears it live).
    pub fn may_read(&self, who: Chatter) -> bool {
        if !who.active {
            return false;
        }
        match &self.kind {
            ConversationKind::Private { pair } => pair.contains(&who.member),
            ConversationKind::Group { .. } | ConversationKind::Meeting { .. } => {
                self.members.binary_search(&who.member).is_ok()
            }
            ConversationKind::Announcements => true,
            ConversationKind::Secretariat { member } => *member == who.member || who.secretariat(),
        }
    }

    /// Whether `who` posts in it; `Err` says why not.
    pub fn may_post(&self, who: Chatter) -> Result<(), ChatRefusal> {
        if !self.may_read(who) {
            return Err(ChatRefusal::NotMember);
        }
        match self.kind {
            ConversationKind::Announcements if !who.secretariat() => {
                Err(ChatRefusal::NotSecretariat)
            }
            _ => Ok(()),
        }
    }

    /// Adds and removes members of a group, as its owner (who stays in it).
    pub fn change_members(
        &mut self,
        by: Chatter,
        add: &[MemberId],
        remove: &[MemberId],
    ) -> Result<(), ChatRefusal> {
        let ConversationKind::Group { owner, .. } = &self.kind else {
            return Err(ChatRefusal::NotOwner);
        };
        if !self.may_read(by) {
            return Err(ChatRefusal::NotMember);
        }
        if *owner != by.member {
            return Err(ChatRefusal::NotOwner);
        }
        let owner = *owner;
        let mut members: Vec<MemberId> = self
            .members
            .iter()
            .copied()
            .filter(|m| *m == owner || !remove.contains(m))
            .chain(add.iter().copied())
            .collect();
        members.sort_unstable();
        members.dedup();
        if members.len() > MAX_GROUP_MEMBERS {
            return Err(ChatRefusal::TooManyMembers);
        }
        self.members = members;
        Ok(())
    }
}

/// A place in a paper a message points at ("Tờ trình 112, trang 12"), which opens the reader
/// there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PaperPage {
    pub paper_id: PaperId,
    /// From 0, as the reader counts pages.
    pub page: u32,
}

/// A message as stored and shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Message {
    /// Made by the device that wrote it: a retry never posts twice.
    pub id: MessageId,
    pub conversation_id: ConversationId,
    /// 1, 2, 3, … in the conversation, given by the server as it stores the message.
    pub seq: u64,
    pub author: MemberId,
    /// Empty once deleted.
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<MessageId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paper: Option<PaperPage>,
    /// When the server stored it.
    pub sent_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_at: Option<Timestamp>,
    /// Deleted by its author: shown as a trace ("tin nhắn đã bị xóa"), not a hole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<Timestamp>,
}

/// A message's text as the rules take it: not empty, not too long, no NUL.
pub fn check_body(body: &str) -> Result<(), ChatRefusal> {
    if body.trim().is_empty() {
        return Err(ChatRefusal::EmptyBody);
    }
    if body.chars().count() > MAX_MESSAGE_CHARS {
        return Err(ChatRefusal::BodyTooLong);
    }
    if body.contains('\0') {
        return Err(ChatRefusal::NulCharacter);
    }
    Ok(())
}

impl Message {
    /// Replaces the text, as its author.
    pub fn edit(&mut self, by: MemberId, body: &str, at: Timestamp) -> Result<(), ChatRefusal> {
        self.own(by)?;
        check_body(body)?;
        self.body = body.to_owned();
        self.edited_at = Some(at);
        Ok(())
    }

    /// Deletes it, as its author: the text goes, the trace stays.
    pub fn delete(&mut self, by: MemberId, at: Timestamp) -> Result<(), ChatRefusal> {
        self.own(by)?;
        self.body.clear();
        self.paper = None;
        self.deleted_at = Some(at);
        Ok(())
    }

    fn own(&self, by: MemberId) -> Result<(), ChatRefusal> {
        if self.author != by {
            return Err(ChatRefusal::NotAuthor);
        }
        if self.deleted_at.is_some() {
            return Err(ChatRefusal::Deleted);
        }
        Ok(())
    }
}

/// How fast one member may send: a burst of `burst` messages, then one every `every_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SendRate {
    pub burst: u32,
    pub every_ms: i64,
}

impl Default for SendRate {
    /// Ten at once, then one a second: more than anyone types, less than a stuck script.
    fn default() -> Self {
        SendRate {
            burst: 10,
            every_ms: 1000,
        }
    }
}

/// What is left of one sender's burst, as of `at` (a token bucket, on the clock passed in).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SendBudget {
    /// Thousandths of a message, so refilling is exact in integers.
    millis: i64,
    at: Timestamp,
}

impl SendBudget {
    /// A full burst at `at`.
    pub fn full(rate: SendRate, at: Timestamp) -> SendBudget {
        SendBudget {
            millis: i64::from(rate.burst) * 1000,
            at,
        }
    }

    /// Takes one message's worth at `now`, or says how long to wait.
    pub fn take(&mut self, rate: SendRate, now: Timestamp) -> Result<(), ChatRefusal> {
        let every = rate.every_ms.max(1);
        let elapsed = (now.millis() - self.at.millis()).max(0);
        let cap = i64::from(rate.burst) * 1000;
        self.millis = (self.millis + elapsed * 1000 / every).min(cap);
        self.at = now;
        if self.millis >= 1000 {
            self.millis -= 1000;
            Ok(())
        } else {
            let retry_ms = ((1000 - self.millis) * every + 999) / 1000;
            Err(ChatRefusal::TooFast { retry_ms })
        }
    }
}

#[cfg(test)]
mod tests;
