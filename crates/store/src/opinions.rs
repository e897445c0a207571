//! Opinions on this device: every version the server sent this member (their own, or every
//! opinion of the council for the secretariat and the chair), and the member's own versions
//! not yet acknowledged (the outbox), which show at once beside what the server sent.

use crate::Store;
use ecabinet_domain::{MeetingId, MemberId, Opinion, OpinionId};
use ecabinet_protocol::OpinionWrite;
use rusqlite::{Transaction, params};

/// Where a version shown on this device stands with the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpinionSync {
    /// As the server holds it.
    Synced,
    /// Sent from this device; the server has not acknowledged it yet.
    Pending,
    /// The server refused it; it stays shown (and kept) with the server's code until the
    /// member sends a new version.
    Refused { code: String, message: String },
}

/// One version of an opinion as the member sees it on this device.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalOpinion {
    pub opinion: Opinion,
    pub sync: OpinionSync,
}

/// A version waiting to be pushed, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct OpinionOutboxEntry {
    /// Its place in the outbox; acknowledge or refuse it by this.
    pub seq: i64,
    pub opinion_id: OpinionId,
    pub write: OpinionWrite,
}

impl Store {
    /// Every version of the opinions of `meeting` this member sees: those the server sent,
    /// and the member's own versions still waiting (or refused), in the order they were
    /// made.
    pub fn opinions(
        &self,
        member: MemberId,
        meeting: MeetingId,
    ) -> anyhow::Result<Vec<LocalOpinion>> {
        let mut shown = Vec::new();
        let mut stmt = self.conn.prepare(
            "SELECT record FROM opinions WHERE meeting_id = ?
              ORDER BY json_extract(record, '$.sent_at'), id, version",
        )?;
        for json in stmt.query_map([meeting.to_string()], |r| r.get::<_, String>(0))? {
            shown.push(LocalOpinion {
                opinion: serde_json::from_str(&json?)?,
                sync: OpinionSync::Synced,
            });
        }
        let mut stmt = self.conn.prepare(
            "SELECT opinion, refused_code, refused_message FROM opinion_outbox
              WHERE member_id = ? AND meeting_id = ? ORDER BY seq",
        )?;
        let pending = stmt.query_map(params![member.to_string(), meeting.to_string()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?;
        for row in pending {
            let (json, code, message) = row?;
            shown.push(LocalOpinion {
                opinion: serde_json::from_str(&json)?,
                sync: match code {
                    Some(code) => OpinionSync::Refused {
                        code,
                        message: message.unwrap_or_default(),
                    },
                    None => OpinionSync::Pending,
                },
            });
        }
        Ok(shown)
    }

    /// Keeps a version of the member's opinion: shown at once and queued for the server in
    /// one transaction. Its number is the next after every version this device knows of
    /// (sent, acknowledged or waiting); the version as queued is returned.
    /// `opinion.author` is the member; `opinion.sent_at` is when they sent it here.
    pub fn send_opinion(&mut self, opinion: &Opinion) -> anyhow::Result<Opinion> {
        let tx = self.conn.transaction()?;
        let id = opinion.id.to_string();
        let known: u32 = tx.query_row(
            "SELECT MAX(
                 COALESCE((SELECT MAX(version) FROM opinions WHERE id = ?1), 0),
                 COALESCE((SELECT MAX(json_extract(opinion, '$.version')) FROM opinion_outbox
                            WHERE opinion_id = ?1 AND refused_code IS NULL), 0))",
            [&id],
            |r| r.get(0),
        )?;
        // A new version replaces a refused one: the member acted on the refusal.
        tx.execute(
            "DELETE FROM opinion_outbox WHERE opinion_id = ? AND refused_code IS NOT NULL",
            [&id],
        )?;
        let queued = Opinion {
            version: known + 1,
            ..opinion.clone()
        };
        tx.execute(
            "INSERT INTO opinion_outbox (opinion_id, member_id, meeting_id, opinion, created_at)
             VALUES (?, ?, ?, ?, ?)",
            params![
                id,
                queued.author.to_string(),
                queued.meeting_id.to_string(),
                serde_json::to_string(&queued)?,
                queued.sent_at.millis()
            ],
        )?;
        tx.commit()?;
        Ok(queued)
    }

    /// The latest version of opinion `id` this device knows of (waiting or from the server).
    pub fn latest_opinion(
        &self,
        member: MemberId,
        id: OpinionId,
    ) -> anyhow::Result<Option<Opinion>> {
        let mut latest: Option<Opinion> = None;
        let mut stmt = self.conn.prepare(
            "SELECT record FROM opinions WHERE id = ?1
             UNION ALL
             SELECT opinion FROM opinion_outbox WHERE opinion_id = ?1 AND member_id = ?2",
        )?;
        for json in stmt.query_map(params![id.to_string(), member.to_string()], |r| {
            r.get::<_, String>(0)
        })? {
            let opinion: Opinion = serde_json::from_str(&json?)?;
            if latest.as_ref().is_none_or(|l| opinion.version >= l.version) {
                latest = Some(opinion);
            }
        }
        Ok(latest)
    }

    /// The member's versions the server has not answered yet, oldest first; refused ones
    /// are left out (they wait for the member, not for the network).
    pub fn opinion_outbox(&self, member: MemberId) -> anyhow::Result<Vec<OpinionOutboxEntry>> {
        let mut stmt = self.conn.prepare(
            "SELECT seq, opinion FROM opinion_outbox
              WHERE member_id = ? AND refused_code IS NULL ORDER BY seq",
        )?;
        let rows = stmt.query_map([member.to_string()], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?;
        rows.map(|row| {
            let (seq, json) = row?;
            let o: Opinion = serde_json::from_str(&json)?;
            Ok(OpinionOutboxEntry {
                seq,
                opinion_id: o.id,
                write: OpinionWrite {
                    version: o.version,
                    meeting_id: o.meeting_id,
                    item_id: o.item_id,
                    paper: o.paper,
                    body: o.body,
                    withdrawn: o.withdrawn,
                },
            })
        })
        .collect()
    }

    /// The server answered the version at `seq` with `stored`: it leaves the outbox and the
    /// answer is kept, in one transaction.
    pub fn acknowledge_opinion(&mut self, seq: i64, stored: &Opinion) -> anyhow::Result<()> {
        let tx = self.conn.transaction()?;
        upsert_opinion(&tx, stored)?;
        tx.execute("DELETE FROM opinion_outbox WHERE seq = ?", [seq])?;
        tx.commit()?;
        Ok(())
    }

    /// The server refused the version at `seq`: kept with the server's code for the member
    /// to see, and not pushed again.
    pub fn refuse_opinion_write(
        &mut self,
        seq: i64,
        code: &str,
        message: &str,
    ) -> anyhow::Result<()> {
        self.conn.execute(
            "UPDATE opinion_outbox SET refused_code = ?, refused_message = ? WHERE seq = ?",
            params![code, message, seq],
        )?;
        Ok(())
    }
}

/// Keeps a version the server sent (versions never change, so a repeat is the same row).
pub(crate) fn upsert_opinion(tx: &Transaction<'_>, o: &Opinion) -> anyhow::Result<()> {
    tx.execute(
        "INSERT INTO opinions (id, version, meeting_id, author, record) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id, version) DO UPDATE SET record = excluded.record",
        params![
            o.id.to_string(),
            o.version,
            o.meeting_id.to_string(),
            o.author.to_string(),
            serde_json::to_string(o)?
        ],
    )?;
    Ok(())
}
