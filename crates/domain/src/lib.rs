//! The council's vocabulary and the rules that hold whatever stores or transports it.
//!
//! Everything here is plain data and pure functions: no IO and no randomness; the only
//! clock read is [`SystemClock`], which callers pass in where "now" is needed.
//! Ids and times come in from the caller, so every rule can be tested exactly.

mod agenda;
pub mod agenda_moves;
pub mod annotation;
mod annotation_record;
pub mod chat;
mod ids;
mod opinion;
mod packet;
mod password;
pub mod poll;
mod role;
pub mod sitting;
mod time;

pub use agenda::{AgendaItem, AgendaNode, AgendaTree};
pub use annotation_record::{
    Annotation, AnnotationKind, AnnotationRefusal, InkPoint, MAX_ANNOTATION_BODY_CHARS,
    MAX_INK_POINTS, MAX_SHARED_WITH, MAX_THICKNESS, MadeOn, Sharing,
};
pub use ids::{
    AgendaItemId, AnnotationId, ConversationId, CouncilId, MeetingId, MemberId, MessageId,
    OpinionId, PaperId, PollId,
};
pub use opinion::{
    MAX_OPINION_BODY_CHARS, MAX_OPINION_QUOTE_CHARS, Opinion, OpinionRefusal, PaperLink,
};
pub use packet::{
    BlobHash, ChangeMark, ItemMark, MAX_RETURN_REASON_CHARS, MeetingRole, PacketChanges,
    PacketEntry, PacketVersion, Paper, PaperFile, PaperKind, PaperPlace, Participant,
    ProgrammeChanges, PublishPreview, PublishRefusal, Review, ReviewRefusal, SectionKind,
    Visibility,
};
pub use password::{MIN_PASSWORD_CHARS, PasswordRefusal, check_password};
pub use role::Role;
pub use time::{Clock, ManualClock, SystemClock, Timestamp};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A People's Council (HĐND) or People's Committee: the tenant everything else belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Council {
    pub id: CouncilId,
    pub name: String,
}

/// A person with an account on the council server, and the role that decides what they may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Member {
    pub id: MemberId,
    pub council_id: CouncilId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
}

/// Where a meeting stands in its lifecycle (BRIEF: before, during, after).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MeetingStatus {
    /// The secretariat is still preparing it.
    Draft,
    /// Announced to the participants; papers may be read.
    Scheduled,
    /// In session.
    InProgress,
    /// Over; conclusions may follow.
    Closed,
    /// Filed away by the secretariat: kept, but out of the list of current sessions.
    Archived,
}

impl MeetingStatus {
    /// The status after archiving (`true`) or restoring (`false`) a meeting in this one, or
    /// `None` when that is not possible: only a closed session (or a draft never announced)
    /// is archived, and a restored one is closed again.
    pub fn archived(self, archived: bool) -> Option<MeetingStatus> {
        match (self, archived) {
            (MeetingStatus::Closed | MeetingStatus::Draft, true) => Some(MeetingStatus::Archived),
            (MeetingStatus::Archived, false) => Some(MeetingStatus::Closed),
            _ => None,
        }
    }
}

/// A session or sitting of the council (kỳ họp / phiên họp).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Meeting {
    pub id: MeetingId,
    pub council_id: CouncilId,
    pub title: String,
    pub starts_at: Timestamp,
    pub location: String,
    pub status: MeetingStatus,
}

#[cfg(test)]
mod tests {
    use super::MeetingStatus;

    #[test]
    fn only_a_session_that_is_over_is_archived_and_a_restored_one_is_closed() {
        assert_eq!(
            MeetingStatus::Closed.archived(true),
            Some(MeetingStatus::Archived)
        );
        assert_eq!(
            MeetingStatus::Draft.archived(true),
            Some(MeetingStatus::Archived)
        );
        assert_eq!(
            MeetingStatus::Scheduled.archived(true),
            None,
            "still to come"
        );
        assert_eq!(MeetingStatus::InProgress.archived(true), None, "in session");
        assert_eq!(
            MeetingStatus::Archived.archived(false),
            Some(MeetingStatus::Closed)
        );
        assert_eq!(
            MeetingStatus::Closed.archived(false),
            None,
            "nothing to restore"
        );
    }
}
