//! Fan-out of "the change log grew" to every connected client of a council, of a sitting's
//! events to its participants, and of "these sessions ended" to the sockets that belong to
//! them.
//!
//! A broadcast channel carries only (council, head). Slow receivers may miss signals;
//! that is harmless because clients pull by cursor and the next signal or reconnect
//! catches them up. A sitting's event goes out whole, serialised once, with the members it
//! is for; a socket that lags behind tells its device the sittings are stale, and the
//! device fetches their state, so nothing is lost there either. Ended sessions go out on a
//! third channel; a socket that lags behind it asks the storage whether its session still
//! holds, so it cannot miss its own end.
//!
//! One instance is all this needs. Several instances would share it through PostgreSQL:
//! each publishes with `NOTIFY` (a council's head; a sitting's meeting and number, the
//! event itself being in `sitting_events`) and each `LISTEN`s and feeds what it hears into
//! its own hub, so every socket hears every instance's events (ARCHITECTURE.md).

use ecabinet_domain::sitting::SittingEvent;
use ecabinet_domain::{CouncilId, MeetingId, MemberId};
use ecabinet_protocol::LiveEvent;
use std::collections::HashSet;
use std::sync::Arc;
use tokio::sync::broadcast;

/// Sessions that ended: their live sockets close at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionsEnded {
    /// One session, by the hash of its token (a logout).
    Session(String),
    /// Every session of a member but `except` (disabled, password reset or changed).
    Member {
        member: MemberId,
        except: Option<String>,
    },
}

impl SessionsEnded {
    /// Whether the session of `member` with `token_hash` is one of these.
    pub fn covers(&self, member: MemberId, token_hash: &str) -> bool {
        match self {
            SessionsEnded::Session(hash) => hash == token_hash,
            SessionsEnded::Member {
                member: ended,
                except,
            } => *ended == member && except.as_deref() != Some(token_hash),
        }
    }
}

/// A sitting's event, a poll's news or a chat message, on its way to the sockets of the
/// members it is for.
#[derive(Debug, Clone)]
pub struct MeetingNews {
    pub council: CouncilId,
    /// Who hears it: the meeting's participants, or a conversation's readers.
    pub audience: Arc<HashSet<MemberId>>,
    /// The [`LiveEvent`] as JSON, made once for every socket.
    pub text: Arc<str>,
}

#[derive(Clone)]
pub struct LiveHub {
    tx: broadcast::Sender<(CouncilId, i64)>,
    sittings: broadcast::Sender<MeetingNews>,
    chat: broadcast::Sender<MeetingNews>,
    ended: broadcast::Sender<SessionsEnded>,
}

/// Sitting events a socket may fall behind by before it is told its sittings are stale:
/// a chair turning pages and 2,000 check-ins arrive in bursts.
const SITTING_BACKLOG: usize = 4096;

/// Chat messages a socket may fall behind by before it is told to pull its conversations.
const CHAT_BACKLOG: usize = 4096;

impl Default for LiveHub {
    fn default() -> Self {
        let (tx, _) = broadcast::channel(256);
        let (sittings, _) = broadcast::channel(SITTING_BACKLOG);
        let (chat, _) = broadcast::channel(CHAT_BACKLOG);
        let (ended, _) = broadcast::channel(256);
        Self {
            tx,
            sittings,
            chat,
            ended,
        }
    }
}

impl LiveHub {
    pub fn announce(&self, council: CouncilId, head: i64) {
        // No receivers is the normal state of a server nobody is connected to.
        let _ = self.tx.send((council, head));
    }

    pub fn subscribe(&self) -> broadcast::Receiver<(CouncilId, i64)> {
        self.tx.subscribe()
    }

    /// Sends a sitting's event to the live sockets of `audience` (the meeting's participants).
    pub fn publish_sitting(
        &self,
        council: CouncilId,
        meeting_id: MeetingId,
        audience: Arc<HashSet<MemberId>>,
        event: SittingEvent,
    ) {
        self.publish_to_meeting(council, audience, &LiveEvent::Sitting { meeting_id, event });
    }

    /// Sends `event` to the live sockets of `audience` (some of a meeting's participants),
    /// in the sitting's channel: a socket lagging behind it is told its sittings (and
    /// their polls) are stale.
    pub fn publish_to_meeting(
        &self,
        council: CouncilId,
        audience: Arc<HashSet<MemberId>>,
        event: &LiveEvent,
    ) {
        let text = serde_json::to_string(event).expect("live events always serialize");
        let _ = self.sittings.send(MeetingNews {
            council,
            audience,
            text: text.into(),
        });
    }

    pub fn subscribe_to_sittings(&self) -> broadcast::Receiver<MeetingNews> {
        self.sittings.subscribe()
    }

    /// Sends a chat `event` to the live sockets of `audience` (the members who read the
    /// conversation), in chat's channel: a socket lagging behind it is told to pull.
    pub fn publish_chat(
        &self,
        council: CouncilId,
        audience: Arc<HashSet<MemberId>>,
        event: &LiveEvent,
    ) {
        let text = serde_json::to_string(event).expect("live events always serialize");
        let _ = self.chat.send(MeetingNews {
            council,
            audience,
            text: text.into(),
        });
    }

    pub fn subscribe_to_chat(&self) -> broadcast::Receiver<MeetingNews> {
        self.chat.subscribe()
    }

    /// Tells every live socket that these sessions ended (after the storage revoked them).
    pub fn end_sessions(&self, ended: SessionsEnded) {
        let _ = self.ended.send(ended);
    }

    pub fn subscribe_to_ended_sessions(&self) -> broadcast::Receiver<SessionsEnded> {
        self.ended.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn a_member_s_sessions_end_all_but_the_one_kept() {
        let member = MemberId(Uuid::new_v4());
        let ended = SessionsEnded::Member {
            member,
            except: Some("kept".into()),
        };
        assert!(ended.covers(member, "other"));
        assert!(
            !ended.covers(member, "kept"),
            "the session that changed the password"
        );
        assert!(
            !ended.covers(MemberId(Uuid::new_v4()), "other"),
            "someone else"
        );
        assert!(SessionsEnded::Session("t".into()).covers(member, "t"));
        assert!(!SessionsEnded::Session("t".into()).covers(member, "u"));
    }
}
