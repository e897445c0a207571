//! Typed ids: a `MeetingId` can never be passed where an `AgendaItemId` is expected.
//! Every id is a UUID made by whoever creates the thing, client or server, so offline
//! creation and retries never collide.

use serde::{Deserialize, Serialize};
use std::fmt;
use utoipa::ToSchema;
use uuid::Uuid;

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
        #[serde(transparent)]
        #[schema(value_type = String, format = Uuid)]
        pub struct $name(pub Uuid);

        impl $name {
            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

uuid_id!(
    /// Identifies a council (the tenant).
    CouncilId
);
uuid_id!(
    /// Identifies a member account of a council.
    MemberId
);
uuid_id!(
    /// Identifies a meeting (session or sitting).
    MeetingId
);
uuid_id!(
    /// Identifies one item of a meeting's programme.
    AgendaItemId
);
uuid_id!(
    /// Identifies a paper of a meeting across all its revisions and packet versions.
    PaperId
);
uuid_id!(
    /// Identifies an annotation across all its revisions; made by the device that draws it,
    /// so a retried upload never creates a second one.
    AnnotationId
);
uuid_id!(
    /// Identifies a chat conversation (private, group, meeting, announcements, or a member's
    /// with the secretariat).
    ConversationId
);
uuid_id!(
    /// Identifies a chat message; made by the device that writes it, so a retried send never
    /// posts twice.
    MessageId
);
uuid_id!(
    /// Identifies a poll; made by the device of the chair or secretary who drafts it, so a
    /// retried creation never makes a second poll.
    PollId
);
uuid_id!(
    /// Identifies a delegate's opinion across all its versions; made by the device that
    /// sends it, so a retried send never makes a second one.
    OpinionId
);
