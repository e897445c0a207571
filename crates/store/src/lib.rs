//! The app's offline copy of everything a member needs, in one SQLite file.
//!
//! The sync engine writes into it (a pulled batch is applied in one transaction together
//! with the new cursor, so a crash leaves either the old state or the new one); the UI
//! reads from it and never waits for the network. The session (server, token, who) lives
//! here too, so the app reopens signed in without ever storing the password.

mod annotations;
mod ballots;
mod chat;
mod migrations;
mod opinions;
mod packets;
mod reading;

pub use annotations::{AnnotationSync, LocalAnnotation, OutboxEntry, OutboxOperation};
pub use ballots::{BallotState, OwnBallot, RecordedBallot};
pub use chat::{
    ChatMarksOwed, ChatOutboxEntry, ChatRequest, ChatSync, LocalConversation, LocalMessage,
};
pub use opinions::{LocalOpinion, OpinionOutboxEntry, OpinionSync};
pub use packets::{BlobNeed, MeetingStorage, PacketView, PaperView, ProgrammeView};
pub use reading::ReadablePaper;

use anyhow::Context;
use ecabinet_domain::{
    AgendaItem, AgendaItemId, Council, CouncilId, Meeting, MeetingId, Member, Timestamp,
};
use ecabinet_protocol::{ChangesPage, SyncRecord};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use std::path::Path;
use uuid::Uuid;

/// Who is signed in, to which server. The token is a bearer secret: it is stored in this
/// file (readable by the user only) and never logged.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredSession {
    pub server_url: String,
    pub token: String,
    pub member: Member,
    pub council: Council,
}

impl std::fmt::Debug for StoredSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredSession")
            .field("server_url", &self.server_url)
            .field("token", &"<redacted>")
            .field("member", &self.member.username)
            .finish()
    }
}

/// A meeting as listed, with the size of its programme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingListing {
    pub meeting: Meeting,
    pub item_count: u32,
}

/// What applying a pulled page did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Applied {
    pub records: usize,
    pub cursor: i64,
}

/// How many of the latest annotation changes the store keeps (see `annotations_changed_since`).
const KEPT_ANNOTATION_CHANGES: i64 = 100_000;

/// The local store. Not `Sync`: share it behind a mutex; every call is short.
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens or creates the store at `path` and migrates it to the current schema.
    pub fn open(path: &Path) -> anyhow::Result<Store> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        let conn = Connection::open(path)
            .with_context(|| format!("opening local store {}", path.display()))?;
        restrict_to_owner(path);
        Self::prepare(conn)
    }

    /// A throwaway store for tests.
    pub fn open_in_memory() -> anyhow::Result<Store> {
        Self::prepare(Connection::open_in_memory()?)
    }

    fn prepare(mut conn: Connection) -> anyhow::Result<Store> {
        // WAL keeps reads (the UI) from blocking on a sync write, and a crash mid-write
        // loses only that uncommitted transaction.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrations::apply(&mut conn).context("migrating local store")?;
        // The reader asks what changed since its last answer, never from further back than
        // its paper was opened: the latest changes are enough.
        conn.execute(
            "DELETE FROM annotation_changes
              WHERE seq <= (SELECT MAX(seq) FROM annotation_changes) - ?",
            [KEPT_ANNOTATION_CHANGES],
        )
        .context("trimming the annotation changes")?;
        Ok(Store { conn })
    }

    pub fn session(&self) -> anyhow::Result<Option<StoredSession>> {
        self.conn
            .query_row(
                "SELECT server_url, token, member, council FROM session WHERE id = 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                    ))
                },
            )
            .optional()
            .context("reading session")?
            .map(|(server_url, token, member, council)| {
                Ok(StoredSession {
                    server_url,
                    token,
                    member: serde_json::from_str(&member).context("decoding stored member")?,
                    council: serde_json::from_str(&council).context("decoding stored council")?,
                })
            })
            .transpose()
    }

    /// Remembers a new login. Signing in as someone else (or to another council or server)
    /// starts the local copy afresh: the server sends each member only what they may read,
    /// so one member's copy (a chair's drafts, a named reader's confidential papers) must
    /// never show under another's name on a shared device.
    pub fn save_session(&mut self, session: &StoredSession) -> anyhow::Result<()> {
        let tx = self.conn.transaction()?;
        let previous: Option<(String, String, Option<String>)> = tx
            .query_row(
                "SELECT server_url, council_id, member_id FROM sync_state WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let here = (
            session.server_url.clone(),
            session.council.id.to_string(),
            Some(session.member.id.to_string()),
        );
        if previous.as_ref() != Some(&here) {
            for table in [
                "chat_conversations",
                "chat_messages",
                "annotations",
                "opinions",
                "papers",
                "participants",
                "packet_versions",
                "packet_baselines",
                "paper_reads",
                "released_meetings",
                "agenda_items",
                "meetings",
                "members",
                "councils",
                "sync_state",
            ] {
                tx.execute(&format!("DELETE FROM {table}"), [])?;
            }
            tx.execute(
                "INSERT INTO sync_state (id, server_url, council_id, member_id, cursor, last_synced_at)
                 VALUES (1, ?, ?, ?, 0, NULL)",
                params![here.0, here.1, here.2],
            )?;
        }
        tx.execute(
            "INSERT INTO session (id, server_url, token, member, council) VALUES (1, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET server_url = excluded.server_url, token = excluded.token,
                 member = excluded.member, council = excluded.council",
            params![
                session.server_url,
                session.token,
                serde_json::to_string(&session.member)?,
                serde_json::to_string(&session.council)?
            ],
        )?;
        tx.commit().context("saving session")
    }

    /// Forgets the token (logout, or the server said it expired). The synced data stays
    /// readable offline until another council signs in.
    pub fn clear_session(&mut self) -> anyhow::Result<()> {
        self.conn
            .execute("DELETE FROM session", [])
            .context("clearing session")?;
        Ok(())
    }

    /// The `seq` of the last change applied (0 before the first sync).
    pub fn cursor(&self) -> anyhow::Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT cursor FROM sync_state WHERE id = 1", [], |r| {
                r.get(0)
            })
            .optional()?
            .unwrap_or(0))
    }

    pub fn last_synced_at(&self) -> anyhow::Result<Option<Timestamp>> {
        Ok(self
            .conn
            .query_row(
                "SELECT last_synced_at FROM sync_state WHERE id = 1",
                [],
                |r| r.get::<_, Option<i64>>(0),
            )
            .optional()?
            .flatten()
            .map(Timestamp))
    }

    /// Applies a pulled page and advances the cursor, all or nothing.
    ///
    /// A page whose changes are at or before the current cursor (a retried pull) changes
    /// nothing: records are full states, so applying them twice would be harmless, but
    /// the cursor must never move backwards.
    pub fn apply_changes(&mut self, page: &ChangesPage, now: Timestamp) -> anyhow::Result<Applied> {
        let tx = self.conn.transaction()?;
        let cursor: i64 = tx
            .query_row("SELECT cursor FROM sync_state WHERE id = 1", [], |r| {
                r.get(0)
            })
            .optional()?
            .context("no sync state: save a session before syncing")?;
        let mut records = 0;
        for change in page.changes.iter().filter(|c| c.seq > cursor) {
            apply_record(&tx, &change.record)
                .with_context(|| format!("applying change {}", change.seq))?;
            records += 1;
        }
        let new_cursor = cursor.max(page.next_cursor);
        tx.execute(
            "UPDATE sync_state SET cursor = ?, last_synced_at = ? WHERE id = 1",
            params![new_cursor, now.millis()],
        )?;
        tx.commit().context("committing pulled changes")?;
        Ok(Applied {
            records,
            cursor: new_cursor,
        })
    }

    pub fn council(&self) -> anyhow::Result<Option<Council>> {
        self.conn
            .query_row("SELECT id, name FROM councils LIMIT 1", [], |r| {
                Ok(Council {
                    id: CouncilId(uuid_at(r, 0)?),
                    name: r.get(1)?,
                })
            })
            .optional()
            .context("reading council")
    }

    pub fn members(&self) -> anyhow::Result<Vec<Member>> {
        let mut stmt = self
            .conn
            .prepare("SELECT record FROM members ORDER BY username")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.map(|json| Ok(serde_json::from_str(&json?)?)).collect()
    }

    /// Every meeting, soonest first, with the number of items of the programme its
    /// participants see (see [`Store::programme_view`]).
    pub fn meetings(&self) -> anyhow::Result<Vec<MeetingListing>> {
        let mut stmt = self.conn.prepare(
            "SELECT m.record, (SELECT COUNT(*) FROM agenda_items a WHERE a.meeting_id = m.id)
               FROM meetings m ORDER BY m.starts_at DESC, m.title",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?)))?;
        rows.map(|row| {
            let (json, rows) = row?;
            let meeting: Meeting = serde_json::from_str(&json)?;
            let published = self
                .latest_packet(meeting.id)?
                .and_then(|v| v.programme)
                .map(|p| p.len() as u32);
            Ok(MeetingListing {
                meeting,
                item_count: published.unwrap_or(rows),
            })
        })
        .collect()
    }

    pub fn meeting(&self, id: MeetingId) -> anyhow::Result<Option<Meeting>> {
        self.conn
            .query_row(
                "SELECT record FROM meetings WHERE id = ?",
                [id.to_string()],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .map(|json| Ok(serde_json::from_str(&json)?))
            .transpose()
    }

    /// The meeting's programme as flat rows (build the tree with `AgendaTree::build`).
    pub fn agenda_items(&self, meeting: MeetingId) -> anyhow::Result<Vec<AgendaItem>> {
        let mut stmt = self
            .conn
            .prepare("SELECT record FROM agenda_items WHERE meeting_id = ?")?;
        let rows = stmt.query_map([meeting.to_string()], |r| r.get::<_, String>(0))?;
        rows.map(|json| Ok(serde_json::from_str(&json?)?)).collect()
    }

    pub fn agenda_item(&self, id: AgendaItemId) -> anyhow::Result<Option<AgendaItem>> {
        self.conn
            .query_row(
                "SELECT record FROM agenda_items WHERE id = ?",
                [id.to_string()],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .map(|json| Ok(serde_json::from_str(&json)?))
            .transpose()
    }
}

fn uuid_at(row: &Row<'_>, idx: usize) -> rusqlite::Result<Uuid> {
    let text: String = row.get(idx)?;
    Uuid::parse_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, e.into())
    })
}

fn apply_record(tx: &Transaction<'_>, record: &SyncRecord) -> anyhow::Result<()> {
    match record {
        SyncRecord::Council(c) => {
            tx.execute(
                "INSERT INTO councils (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name",
                params![c.id.to_string(), c.name],
            )?;
        }
        SyncRecord::Member(m) => {
            tx.execute(
                "INSERT INTO members (id, username, record) VALUES (?, ?, ?)
                 ON CONFLICT (id) DO UPDATE SET username = excluded.username, record = excluded.record",
                params![m.id.to_string(), m.username, serde_json::to_string(m)?],
            )?;
        }
        SyncRecord::Meeting(m) => {
            tx.execute(
                "INSERT INTO meetings (id, starts_at, title, record) VALUES (?, ?, ?, ?)
                 ON CONFLICT (id) DO UPDATE SET starts_at = excluded.starts_at, title = excluded.title,
                     record = excluded.record",
                params![m.id.to_string(), m.starts_at.millis(), m.title, serde_json::to_string(m)?],
            )?;
        }
        SyncRecord::AgendaItem(i) => {
            tx.execute(
                "INSERT INTO agenda_items (id, meeting_id, record) VALUES (?, ?, ?)
                 ON CONFLICT (id) DO UPDATE SET meeting_id = excluded.meeting_id, record = excluded.record",
                params![i.id.to_string(), i.meeting_id.to_string(), serde_json::to_string(i)?],
            )?;
        }
        SyncRecord::Paper(p) => {
            tx.execute(
                "INSERT INTO papers (id, meeting_id, record) VALUES (?, ?, ?)
                 ON CONFLICT (id) DO UPDATE SET meeting_id = excluded.meeting_id, record = excluded.record",
                params![p.id.to_string(), p.meeting_id.to_string(), serde_json::to_string(p)?],
            )?;
        }
        SyncRecord::Participants(p) => {
            tx.execute(
                "INSERT INTO participants (meeting_id, record) VALUES (?, ?)
                 ON CONFLICT (meeting_id) DO UPDATE SET record = excluded.record",
                params![
                    p.meeting_id.to_string(),
                    serde_json::to_string(&p.participants)?
                ],
            )?;
        }
        SyncRecord::PacketVersion(v) => {
            tx.execute(
                "INSERT INTO packet_versions (meeting_id, number, record) VALUES (?, ?, ?)
                 ON CONFLICT (meeting_id, number) DO UPDATE SET record = excluded.record",
                params![
                    v.meeting_id.to_string(),
                    v.number,
                    serde_json::to_string(v)?
                ],
            )?;
            // The first version a member receives is their baseline: nothing in it is "changed".
            tx.execute(
                "INSERT INTO packet_baselines (member_id, meeting_id, number)
                 SELECT json_extract(member, '$.id'), ?, ? FROM session WHERE id = 1
                 ON CONFLICT (member_id, meeting_id) DO NOTHING",
                params![v.meeting_id.to_string(), v.number],
            )?;
        }
        SyncRecord::Annotation(logged) => annotations::upsert_annotation(tx, &logged.annotation)?,
        SyncRecord::AnnotationRemoved(removed) => annotations::remove_annotation(tx, removed.id)?,
        SyncRecord::Opinion(opinion) => opinions::upsert_opinion(tx, opinion)?,
    }
    Ok(())
}

/// The store holds a bearer token: keep it from other local users.
fn restrict_to_owner(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Err(e) = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)) {
            eprintln!(
                "warning: could not restrict {} to its owner: {e}",
                path.display()
            );
        }
    }
}
