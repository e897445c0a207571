//! Fan-out of "the change log grew" to every connected client of a council, and of "these
//! sessions ended" to the sockets that belong to them.
//!
//! A broadcast channel carries only (council, head). Slow receivers may miss signals;
//! that is harmless because clients pull by cursor and the next signal or reconnect
//! catches them up. Ended sessions go out on a second channel; a socket that lags behind
//! it asks the storage whether its session still holds, so it cannot miss its own end.

use ecabinet_domain::{CouncilId, MemberId};
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

#[derive(Clone)]
pub struct LiveHub {
    tx: broadcast::Sender<(CouncilId, i64)>,
    ended: broadcast::Sender<SessionsEnded>,
}

impl Default for LiveHub {
    fn default() -> Self {
        let (tx, _) = broadcast::channel(256);
        let (ended, _) = broadcast::channel(256);
        Self { tx, ended }
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
