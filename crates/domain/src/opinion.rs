//! An opinion (ý kiến): a delegate's formal written view on an agenda item, addressed to the
//! secretariat, with an optional link back to the paper, page and passage it answers.
//!
//! **Who sends** ([`Opinion::may_send`]): a participant of the meeting who sits in it as a
//! delegate or the chair, and whose account may send opinions ([`Role::may_send_opinions`]);
//! never a guest, and nobody once the meeting is archived.
//!
//! **Who reads** ([`Opinion::may_read`]): its author, and the secretariat and the chair
//! ([`Role::may_read_opinions`]). Nobody else learns it exists.
//!
//! **Versions**: once sent, an opinion is its author's record. An edit is a new version
//! (2, 3, …) and every version is kept, so the secretariat sees what was said first and
//! what it became; withdrawing is one more version marked `withdrawn`. An opinion stays on
//! the agenda item it was sent on.

use crate::{
    AgendaItemId, MeetingId, MeetingRole, MeetingStatus, MemberId, OpinionId, PaperId, Role,
    Timestamp,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The longest opinion, in characters (about four printed pages).
pub const MAX_OPINION_BODY_CHARS: usize = 10_000;
/// The longest quoted passage an opinion links to, in characters.
pub const MAX_OPINION_QUOTE_CHARS: usize = 2_000;

/// Where in a paper an opinion comes from: the paper, the page and the passage quoted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PaperLink {
    pub paper_id: PaperId,
    /// The page, counted from 0 as the reader counts them.
    pub page: u32,
    /// The passage the delegate selected, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
}

/// One version of a delegate's opinion on an agenda item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Opinion {
    pub id: OpinionId,
    pub author: MemberId,
    pub meeting_id: MeetingId,
    /// The agenda item it is an opinion on; an item of `meeting_id`.
    pub item_id: AgendaItemId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paper: Option<PaperLink>,
    pub body: String,
    /// 1 for the opinion as first sent, then 2, 3, … for each edit.
    pub version: u32,
    /// When the server received this version.
    pub sent_at: Timestamp,
    /// This version withdraws the opinion (the earlier versions stay on record).
    #[serde(default)]
    pub withdrawn: bool,
}

/// Why an opinion cannot be sent as given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpinionRefusal {
    /// The sender does not sit in the meeting as a delegate or its chair.
    NotASender,
    /// The meeting is archived: its record is closed.
    MeetingArchived,
    /// The agenda item is not one of the meeting's.
    ItemNotInMeeting,
    EmptyBody,
    BodyTooLong,
    QuoteTooLong,
    /// A NUL character in the body or the quote (PostgreSQL cannot store it).
    NulCharacter,
    /// An edit names another meeting or item than the opinion was sent on.
    MovedToAnotherItem,
}

impl std::fmt::Display for OpinionRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpinionRefusal::NotASender => {
                f.write_str("only the meeting's delegates and its chair send opinions")
            }
            OpinionRefusal::MeetingArchived => {
                f.write_str("the meeting is archived; its opinions are closed")
            }
            OpinionRefusal::ItemNotInMeeting => {
                f.write_str("the agenda item is not one of this meeting's")
            }
            OpinionRefusal::EmptyBody => f.write_str("an opinion needs some words"),
            OpinionRefusal::BodyTooLong => write!(
                f,
                "an opinion is at most {MAX_OPINION_BODY_CHARS} characters long"
            ),
            OpinionRefusal::QuoteTooLong => write!(
                f,
                "a quoted passage is at most {MAX_OPINION_QUOTE_CHARS} characters long"
            ),
            OpinionRefusal::NulCharacter => {
                f.write_str("the opinion or its quote holds a NUL character")
            }
            OpinionRefusal::MovedToAnotherItem => f.write_str(
                "an opinion stays on the agenda item it was sent on; withdraw it and send a new one",
            ),
        }
    }
}

impl Opinion {
    /// Whether a member may send an opinion in a meeting: `role` is their account's,
    /// `meeting_role` how they sit in the meeting (`None`: not a participant), `status` the
    /// meeting's.
    pub fn may_send(
        role: Role,
        meeting_role: Option<MeetingRole>,
        status: MeetingStatus,
    ) -> Result<(), OpinionRefusal> {
        let sits = matches!(
            meeting_role,
            Some(MeetingRole::Delegate | MeetingRole::Chair)
        );
        if !(sits && role.may_send_opinions()) {
            return Err(OpinionRefusal::NotASender);
        }
        if status == MeetingStatus::Archived {
            return Err(OpinionRefusal::MeetingArchived);
        }
        Ok(())
    }

    /// Whether `member` in `role` may read this opinion: its author, the secretariat and
    /// the chair.
    pub fn may_read(&self, member: MemberId, role: Role) -> bool {
        member == self.author || role.may_read_opinions()
    }

    /// Checks what a device sent: words, within the limits, without NUL; `item_in_meeting`:
    /// its agenda item is one of its meeting's.
    pub fn check(&self, item_in_meeting: bool) -> Result<(), OpinionRefusal> {
        if !item_in_meeting {
            return Err(OpinionRefusal::ItemNotInMeeting);
        }
        let quote = self.paper.as_ref().and_then(|p| p.quote.as_deref());
        if self.body.contains('\0') || quote.is_some_and(|q| q.contains('\0')) {
            return Err(OpinionRefusal::NulCharacter);
        }
        if self.body.trim().is_empty() {
            return Err(OpinionRefusal::EmptyBody);
        }
        if self.body.chars().count() > MAX_OPINION_BODY_CHARS {
            return Err(OpinionRefusal::BodyTooLong);
        }
        if quote.is_some_and(|q| q.chars().count() > MAX_OPINION_QUOTE_CHARS) {
            return Err(OpinionRefusal::QuoteTooLong);
        }
        Ok(())
    }

    /// Whether this may be the next version of `previous`: the same meeting and item.
    pub fn check_edit_of(&self, previous: &Opinion) -> Result<(), OpinionRefusal> {
        if self.meeting_id != previous.meeting_id || self.item_id != previous.item_id {
            return Err(OpinionRefusal::MovedToAnotherItem);
        }
        Ok(())
    }

    /// Whether `other` says the same as this one: everything but what the server sets
    /// (version and time). A retried send is recognised by it.
    pub fn same_content(&self, other: &Opinion) -> bool {
        let plain = |o: &Opinion| Opinion {
            version: 0,
            sent_at: Timestamp(0),
            ..o.clone()
        };
        plain(self) == plain(other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn opinion(body: &str) -> Opinion {
        Opinion {
            id: OpinionId(Uuid::from_u128(30)),
            author: MemberId(Uuid::from_u128(1)),
            meeting_id: MeetingId(Uuid::from_u128(3)),
            item_id: AgendaItemId(Uuid::from_u128(4)),
            paper: Some(PaperLink {
                paper_id: PaperId(Uuid::from_u128(6)),
                page: 2,
                quote: Some("dự toán thu ngân sách năm 2027".into()),
            }),
            body: body.into(),
            version: 1,
            sent_at: Timestamp(1_797_000_000_000),
            withdrawn: false,
        }
    }

    #[test]
    fn delegates_and_the_chair_of_the_meeting_send_opinions_until_it_is_archived() {
        let scheduled = MeetingStatus::Scheduled;
        assert_eq!(
            Opinion::may_send(Role::Delegate, Some(MeetingRole::Delegate), scheduled),
            Ok(())
        );
        assert_eq!(
            Opinion::may_send(Role::Chair, Some(MeetingRole::Chair), MeetingStatus::Closed),
            Ok(()),
            "opinions are still gathered after the sitting, for the conclusions"
        );
        assert_eq!(
            Opinion::may_send(Role::Delegate, None, scheduled),
            Err(OpinionRefusal::NotASender),
            "a delegate of the council who does not take part in this meeting"
        );
        assert_eq!(
            Opinion::may_send(Role::Guest, Some(MeetingRole::Guest), scheduled),
            Err(OpinionRefusal::NotASender),
            "a guest reads the papers but gives no formal opinion"
        );
        assert_eq!(
            Opinion::may_send(Role::Guest, Some(MeetingRole::Delegate), scheduled),
            Err(OpinionRefusal::NotASender),
            "a guest's account listed as a delegate by mistake still sends none"
        );
        assert_eq!(
            Opinion::may_send(Role::Secretary, Some(MeetingRole::Secretary), scheduled),
            Err(OpinionRefusal::NotASender),
            "the secretariat receives opinions"
        );
        assert_eq!(
            Opinion::may_send(
                Role::Delegate,
                Some(MeetingRole::Delegate),
                MeetingStatus::Archived
            ),
            Err(OpinionRefusal::MeetingArchived)
        );
    }

    #[test]
    fn an_opinion_is_read_by_its_author_the_secretariat_and_the_chair_only() {
        let sent = opinion("Đề nghị làm rõ cơ sở tính.");
        assert!(sent.may_read(sent.author, Role::Delegate));
        assert!(sent.may_read(MemberId(Uuid::from_u128(2)), Role::Secretary));
        assert!(sent.may_read(MemberId(Uuid::from_u128(2)), Role::Chair));
        for role in [Role::Delegate, Role::Guest, Role::Administrator] {
            assert!(
                !sent.may_read(MemberId(Uuid::from_u128(2)), role),
                "{role:?} reads no one else's opinion"
            );
        }
    }

    #[test]
    fn what_a_device_sends_is_checked() {
        assert_eq!(opinion("Tán thành.").check(true), Ok(()));
        assert_eq!(
            opinion("Tán thành.").check(false),
            Err(OpinionRefusal::ItemNotInMeeting)
        );
        assert_eq!(opinion("  \n ").check(true), Err(OpinionRefusal::EmptyBody));
        assert_eq!(
            opinion(&"ý".repeat(MAX_OPINION_BODY_CHARS)).check(true),
            Ok(()),
            "the limit counts characters, not bytes"
        );
        assert_eq!(
            opinion(&"ý".repeat(MAX_OPINION_BODY_CHARS + 1)).check(true),
            Err(OpinionRefusal::BodyTooLong)
        );
        assert_eq!(
            opinion("a\0b").check(true),
            Err(OpinionRefusal::NulCharacter)
        );
        let long_quote = Opinion {
            paper: Some(PaperLink {
                paper_id: PaperId(Uuid::from_u128(6)),
                page: 0,
                quote: Some("x".repeat(MAX_OPINION_QUOTE_CHARS + 1)),
            }),
            ..opinion("Tán thành.")
        };
        assert_eq!(long_quote.check(true), Err(OpinionRefusal::QuoteTooLong));
        let without_paper = Opinion {
            paper: None,
            ..opinion("Ý kiến chung về nội dung này.")
        };
        assert_eq!(without_paper.check(true), Ok(()), "the link is optional");
    }

    #[test]
    fn an_edit_stays_on_its_item_and_a_retry_is_the_same_content() {
        let first = opinion("Tán thành.");
        let edited = Opinion {
            body: "Tán thành, đề nghị bổ sung số liệu quý IV.".into(),
            version: 2,
            ..first.clone()
        };
        assert_eq!(edited.check_edit_of(&first), Ok(()));
        let moved = Opinion {
            item_id: AgendaItemId(Uuid::from_u128(5)),
            ..edited.clone()
        };
        assert_eq!(
            moved.check_edit_of(&first),
            Err(OpinionRefusal::MovedToAnotherItem)
        );
        let retried = Opinion {
            version: 7,
            sent_at: Timestamp(1_797_000_900_000),
            ..first.clone()
        };
        assert!(first.same_content(&retried));
        assert!(!first.same_content(&edited));
        let withdrawn = Opinion {
            withdrawn: true,
            ..first.clone()
        };
        assert!(
            !first.same_content(&withdrawn),
            "withdrawing is a version of its own"
        );
    }
}
