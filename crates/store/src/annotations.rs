//! Members' annotations on this device: the current revision of each one the member may
//! read (as the server sent it), and the member's own writes not yet acknowledged (the
//! outbox), which show at once over what the server sent.

use crate::Store;
use ecabinet_domain::{Annotation, AnnotationId, MemberId, PaperId, Timestamp};
use ecabinet_protocol::AnnotationWrite;
use rusqlite::{OptionalExtension, Transaction, params};

/// Where an annotation shown on this device stands with the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnnotationSync {
    /// As the server holds it.
    Synced,
    /// A local write the server has not acknowledged yet.
    Pending,
    /// The server refused the local write; it stays shown (and kept) until the member
    /// edits or deletes it. `code` is the server's error code.
    Refused { code: String, message: String },
}

/// An annotation as the member sees it on this device.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalAnnotation {
    pub annotation: Annotation,
    pub sync: AnnotationSync,
}

/// What a pending local write asks of the server.
#[derive(Debug, Clone, PartialEq)]
pub enum OutboxOperation {
    /// `PUT /annotations/{id}`.
    Put(Box<AnnotationWrite>),
    /// `DELETE /annotations/{id}`.
    Delete,
}

/// A local write waiting to be pushed, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxEntry {
    /// Its place in the outbox; acknowledge or refuse it by this.
    pub seq: i64,
    pub annotation_id: AnnotationId,
    pub operation: OutboxOperation,
    pub created_at: Timestamp,
}

impl Store {
    /// The annotations on `paper` that `member` sees: those the server sent (their own and
    /// those shared with them), with the member's own writes not yet acknowledged laid
    /// over them, latest last. Deleted ones are left out.
    pub fn annotations(
        &self,
        member: MemberId,
        paper: PaperId,
    ) -> anyhow::Result<Vec<LocalAnnotation>> {
        let mut stmt = self.conn.prepare(
            "SELECT record FROM annotations WHERE paper_id = ? ORDER BY json_extract(record, '$.updated_at'), id",
        )?;
        let rows = stmt.query_map([paper.to_string()], |r| r.get::<_, String>(0))?;
        let mut shown: Vec<LocalAnnotation> = Vec::new();
        for json in rows {
            let annotation: Annotation = serde_json::from_str(&json?)?;
            shown.push(LocalAnnotation {
                annotation,
                sync: AnnotationSync::Synced,
            });
        }
        let mut stmt = self.conn.prepare(
            "SELECT annotation, refused_code, refused_message FROM annotation_outbox
              WHERE member_id = ? AND paper_id = ? ORDER BY seq",
        )?;
        let pending = stmt.query_map(params![member.to_string(), paper.to_string()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?;
        for row in pending {
            let (json, code, message) = row?;
            let annotation: Annotation = serde_json::from_str(&json)?;
            let sync = match code {
                Some(code) => AnnotationSync::Refused {
                    code,
                    message: message.unwrap_or_default(),
                },
                None => AnnotationSync::Pending,
            };
            // An edit keeps its place; a new mark comes last.
            let local = LocalAnnotation { annotation, sync };
            match shown
                .iter_mut()
                .find(|a| a.annotation.id == local.annotation.id)
            {
                Some(held) => *held = local,
                None => shown.push(local),
            }
        }
        shown.retain(|a| !a.annotation.deleted);
        Ok(shown)
    }

    /// Where the device's annotation changes stand now: the cursor an answer of
    /// `annotations_changed_since` goes on from.
    pub fn annotation_change_cursor(&self) -> anyhow::Result<i64> {
        Ok(self.conn.query_row(
            "SELECT COALESCE(MAX(seq), 0) FROM annotation_changes",
            [],
            |r| r.get(0),
        )?)
    }

    /// The annotations on `paper` whose view on this device changed after `since` (a
    /// cursor from `annotation_change_cursor`), each once, in the order they last changed;
    /// `None` when the changes from that far back are no longer kept (or `since` is from
    /// another store): ask for the paper's every annotation instead.
    pub fn annotations_changed_since(
        &self,
        paper: PaperId,
        since: i64,
    ) -> anyhow::Result<Option<Vec<AnnotationId>>> {
        let (oldest, newest): (Option<i64>, Option<i64>) = self.conn.query_row(
            "SELECT MIN(seq), MAX(seq) FROM annotation_changes",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let newest = newest.unwrap_or(0);
        if since > newest || oldest.is_some_and(|oldest| since < oldest - 1) {
            return Ok(None);
        }
        let mut stmt = self.conn.prepare(
            "SELECT annotation_id FROM annotation_changes WHERE paper_id = ? AND seq > ?
              GROUP BY annotation_id ORDER BY MAX(seq)",
        )?;
        let ids = stmt
            .query_map(params![paper.to_string(), since], |r| r.get::<_, String>(0))?
            .map(|id| Ok(id?.parse()?))
            .collect::<anyhow::Result<Vec<AnnotationId>>>()?;
        Ok(Some(ids))
    }

    /// The annotation as this device shows it, deleted or not: the latest local write if
    /// one is waiting, else the server's revision.
    pub fn annotation(
        &self,
        member: MemberId,
        id: AnnotationId,
    ) -> anyhow::Result<Option<LocalAnnotation>> {
        let pending = self
            .conn
            .query_row(
                "SELECT annotation, refused_code, refused_message FROM annotation_outbox
                  WHERE member_id = ? AND annotation_id = ? ORDER BY seq DESC LIMIT 1",
                params![member.to_string(), id.to_string()],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, Option<String>>(1)?,
                        r.get::<_, Option<String>>(2)?,
                    ))
                },
            )
            .optional()?;
        if let Some((json, code, message)) = pending {
            return Ok(Some(LocalAnnotation {
                annotation: serde_json::from_str(&json)?,
                sync: match code {
                    Some(code) => AnnotationSync::Refused {
                        code,
                        message: message.unwrap_or_default(),
                    },
                    None => AnnotationSync::Pending,
                },
            }));
        }
        self.held_annotation(id)?
            .map(|annotation| {
                Ok(LocalAnnotation {
                    annotation,
                    sync: AnnotationSync::Synced,
                })
            })
            .transpose()
    }

    /// The server's current revision of `id` on this device.
    pub fn held_annotation(&self, id: AnnotationId) -> anyhow::Result<Option<Annotation>> {
        self.conn
            .query_row(
                "SELECT record FROM annotations WHERE id = ?",
                [id.to_string()],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .map(|json| Ok(serde_json::from_str(&json)?))
            .transpose()
    }

    /// Keeps the member's new or edited annotation: shown at once and queued for the
    /// server in one transaction. Its base revision is the server's revision held here
    /// (0 for a new one). `annotation.author` is the member.
    pub fn save_annotation(
        &mut self,
        annotation: &Annotation,
        now: Timestamp,
    ) -> anyhow::Result<()> {
        self.queue(annotation, "put", now)
    }

    /// Deletes the member's annotation: gone from view at once, the deletion queued for
    /// the server in the same transaction.
    pub fn delete_annotation(
        &mut self,
        annotation: &Annotation,
        now: Timestamp,
    ) -> anyhow::Result<()> {
        let tombstone = Annotation {
            deleted: true,
            updated_at: now,
            ..annotation.clone()
        };
        self.queue(&tombstone, "delete", now)
    }

    fn queue(
        &mut self,
        annotation: &Annotation,
        operation: &str,
        now: Timestamp,
    ) -> anyhow::Result<()> {
        let tx = self.conn.transaction()?;
        // The member acted on a mark the server refused: the new write replaces the refusal.
        tx.execute(
            "DELETE FROM annotation_outbox WHERE annotation_id = ? AND refused_code IS NOT NULL",
            [annotation.id.to_string()],
        )?;
        let base: u32 = held_revision(&tx, annotation.id)?.unwrap_or(0);
        let shown = Annotation {
            revision: base,
            ..annotation.clone()
        };
        tx.execute(
            "INSERT INTO annotation_outbox
                 (annotation_id, member_id, paper_id, operation, annotation, base_revision, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
            params![
                annotation.id.to_string(),
                annotation.author.to_string(),
                annotation.paper_id.to_string(),
                operation,
                serde_json::to_string(&shown)?,
                base,
                now.millis()
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The member's local writes the server has not answered yet, oldest first; refused
    /// ones are left out (they wait for the member, not for the network).
    pub fn outbox(&self, member: MemberId) -> anyhow::Result<Vec<OutboxEntry>> {
        let mut stmt = self.conn.prepare(
            "SELECT seq, operation, annotation, base_revision, created_at FROM annotation_outbox
              WHERE member_id = ? AND refused_code IS NULL ORDER BY seq",
        )?;
        let rows = stmt.query_map([member.to_string()], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, u32>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?;
        rows.map(|row| {
            let (seq, operation, json, base_revision, created_at) = row?;
            let a: Annotation = serde_json::from_str(&json)?;
            let operation = match operation.as_str() {
                "delete" => OutboxOperation::Delete,
                _ => OutboxOperation::Put(Box::new(AnnotationWrite {
                    base_revision,
                    paper_id: a.paper_id,
                    made_on: a.made_on,
                    anchor: a.anchor,
                    kind: a.kind,
                    colour: a.colour,
                    thickness: a.thickness,
                    body: a.body,
                    sharing: a.sharing,
                })),
            };
            Ok(OutboxEntry {
                seq,
                annotation_id: a.id,
                operation,
                created_at: Timestamp(created_at),
            })
        })
        .collect()
    }

    /// The server answered the write at `seq` with `revision`: the write leaves the outbox
    /// and the answer is kept, in one transaction.
    pub fn acknowledge_annotation(
        &mut self,
        seq: i64,
        revision: &Annotation,
    ) -> anyhow::Result<()> {
        let tx = self.conn.transaction()?;
        upsert_annotation(&tx, revision)?;
        tx.execute("DELETE FROM annotation_outbox WHERE seq = ?", [seq])?;
        tx.commit()?;
        Ok(())
    }

    /// The write at `seq` needs nothing more from the server: a deletion of an annotation
    /// the server does not hold (made and deleted before its creation was stored). Any
    /// copy held here goes too, in the same transaction.
    pub fn drop_outbox_entry(&mut self, seq: i64) -> anyhow::Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "DELETE FROM annotations WHERE id IN
                 (SELECT annotation_id FROM annotation_outbox WHERE seq = ? AND operation = 'delete')",
            [seq],
        )?;
        tx.execute("DELETE FROM annotation_outbox WHERE seq = ?", [seq])?;
        tx.commit()?;
        Ok(())
    }

    /// The server refused the write at `seq`: it is kept, with the server's code, for the
    /// member to see, and not pushed again.
    pub fn refuse_annotation_write(
        &mut self,
        seq: i64,
        code: &str,
        message: &str,
    ) -> anyhow::Result<()> {
        self.conn.execute(
            "UPDATE annotation_outbox SET refused_code = ?, refused_message = ? WHERE seq = ?",
            params![code, message, seq],
        )?;
        Ok(())
    }
}

fn held_revision(tx: &Transaction<'_>, id: AnnotationId) -> anyhow::Result<Option<u32>> {
    Ok(tx
        .query_row(
            "SELECT revision FROM annotations WHERE id = ?",
            [id.to_string()],
            |r| r.get(0),
        )
        .optional()?)
}

/// Keeps a revision the server sent, unless this device already holds a later one (a
/// pulled page and a write's answer may arrive in either order).
pub(crate) fn upsert_annotation(tx: &Transaction<'_>, a: &Annotation) -> anyhow::Result<()> {
    tx.execute(
        "INSERT INTO annotations (id, paper_id, author, revision, deleted, record) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET paper_id = excluded.paper_id, author = excluded.author,
             revision = excluded.revision, deleted = excluded.deleted, record = excluded.record
         WHERE excluded.revision >= annotations.revision",
        params![
            a.id.to_string(),
            a.paper_id.to_string(),
            a.author.to_string(),
            a.revision,
            a.deleted,
            serde_json::to_string(a)?
        ],
    )?;
    Ok(())
}

pub(crate) fn remove_annotation(tx: &Transaction<'_>, id: AnnotationId) -> anyhow::Result<()> {
    tx.execute("DELETE FROM annotations WHERE id = ?", [id.to_string()])?;
    Ok(())
}
