//! What the council server needs from a database, as one async trait per concern.
//!
//! The router, auth and live fan-out are written once against [`CouncilStorage`], the
//! sum of the concerns: [`AccountStore`] (accounts, sessions, login state),
//! [`MeetingStore`] (councils, meetings, programmes, participants), [`PacketStore`]
//! (papers, blob ownership, packet versions), [`AnnotationStore`] (members' annotations and
//! their revisions), [`OpinionStore`] (delegates' opinions and their versions), [`SittingStore`] (the
//! live sittings' events), [`PollStore`] (polls, who voted, ballots and the polls' logs) and
//! [`ChangeLog`] (the log clients pull).
//! Each backend (embedded SQLite today, PostgreSQL for large councils) implements every
//! concern in its own crate with its own migrations, and must pass the same test suite.
//! The traits speak domain and protocol types only: no SQL, no backend errors leak out.
//!
//! A new concern (votes, chat, annotations, minutes) is a new module here with its trait,
//! added to [`CouncilStorage`]'s supertraits, a module of the same name in each backend,
//! and a module of the same name in the conformance suite.

pub mod accounts;
pub mod annotations;
pub mod changes;
pub mod chat;
#[cfg(feature = "conformance")]
pub mod conformance;
pub mod meetings;
pub mod opinions;
pub mod packets;
pub mod polls;
pub mod rows;
pub mod sittings;

pub use accounts::{
    Account, AccountChange, AccountDetails, AccountStore, NewAccount, NewSession, SessionHolder,
};
pub use annotations::{
    AnnotationPlan, AnnotationStore, AnnotationWritten, CurrentAnnotation, NewAnnotationRevision,
    plan_annotation_write,
};
pub use changes::ChangeLog;
pub use chat::{ChatStore, StoredConversation, StoredMark};
pub use meetings::{CouncilSeed, MeetingStore};
pub use opinions::{
    NewOpinionVersion, OpinionPlan, OpinionStore, OpinionWritten, StoredOpinionVersion,
    plan_opinion_write,
};
pub use packets::{NewPacketVersion, PacketStore};
pub use polls::{PollStore, PollWrite, StoredPoll};
pub use sittings::SittingStore;

/// The storage traits, for calling their methods on an `Arc<dyn CouncilStorage>`.
pub mod prelude {
    pub use crate::{
        AccountStore, AnnotationStore, ChangeLog, ChatStore, CouncilStorage, MeetingStore,
        OpinionStore, PacketStore, PollStore, SittingStore,
    };
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("not found")]
    NotFound,
    #[error("conflicts with existing data: {0}")]
    Conflict(String),
    /// Anything the backend could not do; the cause chain is for the log only.
    #[error(transparent)]
    Backend(#[from] anyhow::Error),
}

#[cfg(feature = "sqlx")]
impl StorageError {
    /// What an sqlx error means to the server: a missing row is [`StorageError::NotFound`],
    /// a unique key already taken is a [`StorageError::Conflict`], anything else is the
    /// backend's failure while `doing` something.
    pub fn from_sqlx(error: sqlx::Error, doing: &'static str) -> StorageError {
        match error {
            sqlx::Error::RowNotFound => StorageError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StorageError::Conflict(db.message().to_owned())
            }
            other => StorageError::Backend(anyhow::Error::new(other).context(doing)),
        }
    }
}

/// `query.fetch_one(pool).await.doing("reading meeting")?`: an sqlx result as a
/// [`StorageResult`], its error mapped by [`StorageError::from_sqlx`].
#[cfg(feature = "sqlx")]
pub trait Doing<T> {
    fn doing(self, doing: &'static str) -> StorageResult<T>;
}

#[cfg(feature = "sqlx")]
impl<T> Doing<T> for Result<T, sqlx::Error> {
    fn doing(self, doing: &'static str) -> StorageResult<T> {
        self.map_err(|e| StorageError::from_sqlx(e, doing))
    }
}

pub type StorageResult<T> = Result<T, StorageError>;

/// The council server's persistence: every concern, behind one object.
///
/// Every write that a client must learn about appends to the council's change log in the
/// same transaction as the write itself, so the log and the data never disagree.
/// A backend implements each concern's trait; this one comes with them.
pub trait CouncilStorage:
    AccountStore
    + MeetingStore
    + PacketStore
    + AnnotationStore
    + OpinionStore
    + SittingStore
    + PollStore
    + ChatStore
    + ChangeLog
    + Send
    + Sync
    + 'static
{
}

impl<T> CouncilStorage for T where
    T: AccountStore
        + MeetingStore
        + PacketStore
        + AnnotationStore
        + OpinionStore
        + SittingStore
        + PollStore
        + ChatStore
        + ChangeLog
        + Send
        + Sync
        + 'static
{
}
