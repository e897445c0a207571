use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a member is to the council; it decides what the server lets them do.
///
/// The rules live here, as methods, so the server's authorization and the app's
/// choice of what to show ask the same question the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// quản trị: accounts, devices, the server.
    Administrator,
    /// thư ký: prepares agendas and papers, publishes packets and conclusions.
    Secretary,
    /// chủ tọa: runs the meeting, opens and closes votes.
    Chair,
    /// đại biểu: reads, annotates, votes, chats.
    Delegate,
    /// khách mời: reads what they are given; never votes.
    Guest,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Administrator,
        Role::Secretary,
        Role::Chair,
        Role::Delegate,
        Role::Guest,
    ];

    /// Managing accounts is the administrator's alone.
    pub fn may_manage_accounts(self) -> bool {
        matches!(self, Role::Administrator)
    }

    /// The secretariat prepares meetings: their details, programmes, participants and
    /// papers. The chair runs the meeting and approves its papers but edits none of it, as
    /// councils work: what the chair wants changed goes back to the secretariat.
    pub fn may_prepare_meetings(self) -> bool {
        matches!(self, Role::Secretary)
    }

    /// The papers being prepared (working copies, drafts) reach the secretariat who makes
    /// them and the chair who reviews them; everyone else reads only what is published.
    pub fn may_read_working_papers(self) -> bool {
        matches!(self, Role::Secretary | Role::Chair)
    }

    /// Papers are approved (or returned, or their approval withdrawn) by the chair, who
    /// reviews what the secretariat prepared: the secretary who imports a paper does not
    /// approve it too.
    pub fn may_approve_papers(self) -> bool {
        matches!(self, Role::Chair)
    }

    /// Publishing a packet version is the secretary's act.
    pub fn may_publish_packets(self) -> bool {
        matches!(self, Role::Secretary)
    }

    /// Guests and administrators read (or administer) but never cast a ballot.
    pub fn may_vote(self) -> bool {
        matches!(self, Role::Chair | Role::Delegate | Role::Secretary)
    }

    /// A formal opinion (ý kiến) on an agenda item comes from those who sit in judgement on
    /// it: the delegates and the chair. Guests read; the secretariat and the administrator
    /// receive and keep, they do not opine.
    pub fn may_send_opinions(self) -> bool {
        matches!(self, Role::Delegate | Role::Chair)
    }

    /// Opinions are addressed to the secretariat, which compiles them per item; the chair
    /// reads them too, since the chair approves the conclusions compiled from them and
    /// collects the opinions of members who are not in the room (BRIEF). Other delegates
    /// read none but their own.
    pub fn may_read_opinions(self) -> bool {
        matches!(self, Role::Secretary | Role::Chair)
    }

    /// Stable lowercase name, as stored and sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::Secretary => "secretary",
            Role::Chair => "chair",
            Role::Delegate => "delegate",
            Role::Guest => "guest",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_administrator_manages_accounts() {
        for role in Role::ALL {
            assert_eq!(
                role.may_manage_accounts(),
                role == Role::Administrator,
                "{role:?}"
            );
        }
    }

    #[test]
    fn the_secretariat_prepares_and_the_chair_reviews_what_it_prepared() {
        for role in Role::ALL {
            assert_eq!(
                role.may_prepare_meetings(),
                role == Role::Secretary,
                "{role:?}: only the secretariat edits meetings, programmes and papers"
            );
            assert_eq!(
                role.may_approve_papers(),
                role == Role::Chair,
                "{role:?}: only the chair approves"
            );
            assert_eq!(
                role.may_read_working_papers(),
                role.may_prepare_meetings() || role.may_approve_papers(),
                "{role:?}: working papers reach whoever prepares or reviews them, nobody else"
            );
        }
    }

    #[test]
    fn delegates_and_the_chair_send_opinions_and_the_secretariat_and_chair_read_them() {
        for role in Role::ALL {
            assert_eq!(
                role.may_send_opinions(),
                matches!(role, Role::Delegate | Role::Chair),
                "{role:?}"
            );
            assert_eq!(
                role.may_read_opinions(),
                role.may_prepare_meetings() || role == Role::Chair,
                "{role:?}: opinions go to the secretariat, and the chair who approves the conclusions"
            );
        }
    }

    #[test]
    fn guests_never_vote() {
        assert!(
            !Role::Guest.may_vote(),
            "a guest reads the papers they are given but has no ballot"
        );
        assert!(Role::Delegate.may_vote());
    }

    #[test]
    fn names_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
