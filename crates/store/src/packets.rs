//! Meeting packets in the local store: the published versions this member received, the
//! paper files the device holds, what the member has read, and the change marks that follow.
//!
//! The bytes of a paper are a file named by its hash beside the store (the sync crate's
//! fetcher writes them); this module only records which hashes are held and verified.

use crate::Store;
use anyhow::Context;
use ecabinet_domain::{
    AgendaItem, AgendaItemId, BlobHash, ChangeMark, ItemMark, MeetingId, MemberId, PacketChanges,
    PacketEntry, PacketVersion, Paper, PaperId, Participant, ProgrammeChanges, Timestamp,
};
use rusqlite::{OptionalExtension, params};
use std::collections::{BTreeMap, HashMap, HashSet};

/// One paper of the latest version as this member sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperView {
    pub entry: PacketEntry,
    /// The file is on this device and verified.
    pub held: bool,
    pub mark: Option<ChangeMark>,
}

/// The latest packet version of a meeting, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PacketView {
    pub version: PacketVersion,
    pub papers: Vec<PaperView>,
    /// The version the change marks are measured from.
    pub baseline: u32,
    pub removed_titles: Vec<String>,
    pub total_bytes: u64,
    pub held_bytes: u64,
}

/// A meeting's programme as participants see it, with what changed for this member.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProgrammeView {
    /// Flat rows (build the tree with `AgendaTree::build`).
    pub items: Vec<AgendaItem>,
    /// What changed since the version this member last acknowledged.
    pub marks: HashMap<AgendaItemId, ItemMark>,
    pub removed_titles: Vec<String>,
}

/// A file the device should hold and does not yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobNeed {
    pub hash: BlobHash,
    pub size: u64,
    /// A title to show beside its progress bar.
    pub title: String,
    pub meeting_id: MeetingId,
}

/// How much of the device a meeting's papers take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingStorage {
    pub meeting_id: MeetingId,
    pub title: String,
    pub starts_at: Timestamp,
    pub held_bytes: u64,
    pub released: bool,
}

impl Store {
    pub fn latest_packet(&self, meeting: MeetingId) -> anyhow::Result<Option<PacketVersion>> {
        self.conn
            .query_row(
                "SELECT record FROM packet_versions WHERE meeting_id = ? ORDER BY number DESC LIMIT 1",
                [meeting.to_string()],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .map(|json| serde_json::from_str(&json).context("decoding packet version"))
            .transpose()
    }

    pub fn packet_version(
        &self,
        meeting: MeetingId,
        number: u32,
    ) -> anyhow::Result<Option<PacketVersion>> {
        self.conn
            .query_row(
                "SELECT record FROM packet_versions WHERE meeting_id = ? AND number = ?",
                params![meeting.to_string(), number],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .map(|json| serde_json::from_str(&json).context("decoding packet version"))
            .transpose()
    }

    /// The papers being prepared for a meeting (synced to the secretariat only).
    pub fn papers(&self, meeting: MeetingId) -> anyhow::Result<Vec<Paper>> {
        let mut stmt = self
            .conn
            .prepare("SELECT record FROM papers WHERE meeting_id = ?")?;
        let rows = stmt.query_map([meeting.to_string()], |r| r.get::<_, String>(0))?;
        let mut papers: Vec<Paper> = rows
            .map(|json| Ok(serde_json::from_str(&json?)?))
            .collect::<anyhow::Result<_>>()?;
        papers.sort_by(|a, b| (a.position, &a.title).cmp(&(b.position, &b.title)));
        Ok(papers)
    }

    pub fn paper(&self, id: PaperId) -> anyhow::Result<Option<Paper>> {
        self.conn
            .query_row(
                "SELECT record FROM papers WHERE id = ?",
                [id.to_string()],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .map(|json| serde_json::from_str(&json).context("decoding paper"))
            .transpose()
    }

    /// The meeting's participants: the secretariat's working list when this member has it,
    /// otherwise the list published with the latest version.
    pub fn participants(&self, meeting: MeetingId) -> anyhow::Result<Vec<Participant>> {
        let working: Option<String> = self
            .conn
            .query_row(
                "SELECT record FROM participants WHERE meeting_id = ?",
                [meeting.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(json) = working {
            return serde_json::from_str(&json).context("decoding participants");
        }
        Ok(self
            .latest_packet(meeting)?
            .map(|v| v.participants)
            .unwrap_or_default())
    }

    /// The programme participants see: the one frozen in the latest packet version, so the
    /// secretariat's edits reach them only when published. Before any version carries a
    /// programme (none published yet, or versions from before programmes were frozen) it
    /// is the programme rows this device received, which only the secretariat receives now.
    pub fn programme_view(
        &self,
        meeting: MeetingId,
        member: MemberId,
    ) -> anyhow::Result<ProgrammeView> {
        let latest = self.latest_packet(meeting)?;
        let Some(programme) = latest.as_ref().and_then(|v| v.programme.clone()) else {
            return Ok(ProgrammeView {
                items: self.agenda_items(meeting)?,
                ..Default::default()
            });
        };
        let number = latest.as_ref().map_or(0, |v| v.number);
        let baseline = self.baseline(meeting, member)?.unwrap_or(number);
        let changes = if baseline < number {
            match self.packet_version(meeting, baseline)? {
                Some(before) => ProgrammeChanges::between(
                    Some(before.programme.as_deref().unwrap_or_default()),
                    &programme,
                ),
                None => ProgrammeChanges::default(),
            }
        } else {
            ProgrammeChanges::default()
        };
        Ok(ProgrammeView {
            items: programme,
            marks: changes.marks,
            removed_titles: changes.removed_titles,
        })
    }

    /// The version `member`'s change marks for `meeting` are measured from, if any.
    fn baseline(&self, meeting: MeetingId, member: MemberId) -> anyhow::Result<Option<u32>> {
        Ok(self
            .conn
            .query_row(
                "SELECT number FROM packet_baselines WHERE member_id = ? AND meeting_id = ?",
                params![member.to_string(), meeting.to_string()],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The latest version of a meeting's packet with what this device holds and what
    /// changed for `member` since their baseline.
    pub fn packet_view(
        &self,
        meeting: MeetingId,
        member: MemberId,
    ) -> anyhow::Result<Option<PacketView>> {
        let Some(version) = self.latest_packet(meeting)? else {
            return Ok(None);
        };
        let baseline_number = self.baseline(meeting, member)?.unwrap_or(version.number);
        let baseline = if baseline_number < version.number {
            self.packet_version(meeting, baseline_number)?
        } else {
            None
        };
        let read = self.reads(member)?;
        let changes = PacketChanges::between(baseline.as_ref(), &version, &read);
        let held = self.held_hashes()?;
        let papers: Vec<PaperView> = version
            .entries
            .iter()
            .map(|entry| PaperView {
                held: entry.file.as_ref().is_some_and(|f| held.contains(&f.hash)),
                mark: changes.marks.get(&entry.paper_id).copied(),
                entry: entry.clone(),
            })
            .collect();
        let held_bytes = papers
            .iter()
            .filter(|p| p.held)
            .filter_map(|p| p.entry.file.as_ref())
            .map(|f| f.size)
            .sum();
        Ok(Some(PacketView {
            total_bytes: version.total_bytes(),
            held_bytes,
            baseline: baseline_number,
            removed_titles: changes.removed_titles,
            papers,
            version,
        }))
    }

    fn reads(&self, member: MemberId) -> anyhow::Result<HashMap<PaperId, BlobHash>> {
        let mut stmt = self
            .conn
            .prepare("SELECT paper_id, hash FROM paper_reads WHERE member_id = ?")?;
        let rows = stmt.query_map([member.to_string()], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut reads = HashMap::new();
        for row in rows {
            let (paper, hash) = row?;
            if let (Ok(paper), Some(hash)) = (paper.parse(), BlobHash::parse(&hash)) {
                reads.insert(paper, hash);
            }
        }
        Ok(reads)
    }

    /// The file of `paper` the member last opened, if they ever did.
    pub fn read_file(&self, member: MemberId, paper: PaperId) -> anyhow::Result<Option<BlobHash>> {
        let hash: Option<String> = self
            .conn
            .query_row(
                "SELECT hash FROM paper_reads WHERE member_id = ? AND paper_id = ?",
                params![member.to_string(), paper.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        Ok(hash.as_deref().and_then(BlobHash::parse))
    }

    /// The member opened this file of the paper: its change mark clears.
    pub fn mark_read(
        &mut self,
        member: MemberId,
        paper: PaperId,
        hash: &BlobHash,
        now: Timestamp,
    ) -> anyhow::Result<()> {
        self.conn.execute(
            "INSERT INTO paper_reads (member_id, paper_id, hash, read_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (member_id, paper_id) DO UPDATE SET hash = excluded.hash, read_at = excluded.read_at",
            params![member.to_string(), paper.to_string(), hash.as_str(), now.millis()],
        )?;
        Ok(())
    }

    /// The member has seen what changed: marks are measured from the latest version on.
    pub fn acknowledge_packet(
        &mut self,
        member: MemberId,
        meeting: MeetingId,
    ) -> anyhow::Result<()> {
        let Some(latest) = self.latest_packet(meeting)? else {
            return Ok(());
        };
        self.conn.execute(
            "INSERT INTO packet_baselines (member_id, meeting_id, number) VALUES (?, ?, ?)
             ON CONFLICT (member_id, meeting_id) DO UPDATE SET number = excluded.number",
            params![member.to_string(), meeting.to_string(), latest.number],
        )?;
        Ok(())
    }

    /// Files of the latest versions that this device should hold and does not, soonest
    /// meeting first; meetings the user released are skipped.
    pub fn blob_needs(&self) -> anyhow::Result<Vec<BlobNeed>> {
        let held = self.held_hashes()?;
        let mut seen = HashSet::new();
        let mut needs = Vec::new();
        for (meeting, version) in self.latest_versions(false)? {
            for entry in &version.entries {
                let Some(file) = &entry.file else { continue };
                if held.contains(&file.hash) || !seen.insert(file.hash.clone()) {
                    continue;
                }
                needs.push(BlobNeed {
                    hash: file.hash.clone(),
                    size: file.size,
                    title: entry.title.clone().unwrap_or_default(),
                    meeting_id: meeting,
                });
            }
        }
        Ok(needs)
    }

    /// Latest version per meeting (soonest first), optionally including released meetings.
    fn latest_versions(
        &self,
        include_released: bool,
    ) -> anyhow::Result<Vec<(MeetingId, PacketVersion)>> {
        let mut stmt = self.conn.prepare(
            "SELECT v.meeting_id, v.record FROM packet_versions v
               LEFT JOIN meetings m ON m.id = v.meeting_id
              WHERE v.number = (SELECT MAX(number) FROM packet_versions w WHERE w.meeting_id = v.meeting_id)
                AND (? OR v.meeting_id NOT IN (SELECT meeting_id FROM released_meetings))
              ORDER BY m.starts_at",
        )?;
        let rows = stmt.query_map([include_released], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        rows.map(|row| {
            let (meeting, json) = row?;
            Ok((meeting.parse()?, serde_json::from_str(&json)?))
        })
        .collect()
    }

    /// Every hash held and verified on this device.
    pub fn held_hashes(&self) -> anyhow::Result<HashSet<BlobHash>> {
        let mut stmt = self.conn.prepare("SELECT hash FROM local_blobs")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let mut held = HashSet::new();
        for hash in rows {
            if let Some(hash) = BlobHash::parse(&hash?) {
                held.insert(hash);
            }
        }
        Ok(held)
    }

    /// The fetcher verified and moved a file into place.
    pub fn record_blob(
        &mut self,
        hash: &BlobHash,
        size: u64,
        now: Timestamp,
    ) -> anyhow::Result<()> {
        self.conn.execute(
            "INSERT INTO local_blobs (hash, size, verified_at) VALUES (?, ?, ?)
             ON CONFLICT (hash) DO UPDATE SET size = excluded.size, verified_at = excluded.verified_at",
            params![hash.as_str(), size as i64, now.millis()],
        )?;
        Ok(())
    }

    /// A held file turned out missing or damaged: it is needed again.
    pub fn forget_blob(&mut self, hash: &BlobHash) -> anyhow::Result<()> {
        self.conn
            .execute("DELETE FROM local_blobs WHERE hash = ?", [hash.as_str()])?;
        Ok(())
    }

    /// How much space each meeting's papers take on this device.
    pub fn storage_by_meeting(&self) -> anyhow::Result<Vec<MeetingStorage>> {
        let held = self.held_hashes()?;
        let released: HashSet<MeetingId> = {
            let mut stmt = self
                .conn
                .prepare("SELECT meeting_id FROM released_meetings")?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            rows.filter_map(|r| r.ok()?.parse().ok()).collect()
        };
        let mut by_meeting: BTreeMap<MeetingId, u64> = BTreeMap::new();
        for (meeting, version) in self.latest_versions(true)? {
            let bytes = version
                .entries
                .iter()
                .filter_map(|e| e.file.as_ref())
                .filter(|f| held.contains(&f.hash))
                .map(|f| f.size)
                .sum();
            by_meeting.insert(meeting, bytes);
        }
        let mut out = Vec::new();
        for (meeting_id, held_bytes) in by_meeting {
            let meeting = self.meeting(meeting_id)?;
            out.push(MeetingStorage {
                meeting_id,
                title: meeting
                    .as_ref()
                    .map(|m| m.title.clone())
                    .unwrap_or_default(),
                starts_at: meeting.map_or(Timestamp(0), |m| m.starts_at),
                held_bytes,
                released: released.contains(&meeting_id),
            });
        }
        out.sort_by_key(|m| std::cmp::Reverse(m.starts_at));
        Ok(out)
    }

    /// Stops keeping a meeting's papers on this device. Returns the hashes no other kept
    /// meeting uses: they are forgotten here, and the caller deletes their files.
    pub fn release_meeting(&mut self, meeting: MeetingId) -> anyhow::Result<Vec<BlobHash>> {
        self.conn.execute(
            "INSERT INTO released_meetings (meeting_id) VALUES (?) ON CONFLICT DO NOTHING",
            [meeting.to_string()],
        )?;
        let kept: HashSet<BlobHash> = self
            .latest_versions(false)?
            .into_iter()
            .flat_map(|(_, v)| v.entries.into_iter().filter_map(|e| e.file.map(|f| f.hash)))
            .collect();
        let held = self.held_hashes()?;
        let unused: Vec<BlobHash> = held.into_iter().filter(|h| !kept.contains(h)).collect();
        let tx = self.conn.transaction()?;
        for hash in &unused {
            tx.execute("DELETE FROM local_blobs WHERE hash = ?", [hash.as_str()])?;
        }
        tx.commit()?;
        Ok(unused)
    }

    /// Keeps a released meeting's papers on this device again (they are fetched anew).
    pub fn keep_meeting(&mut self, meeting: MeetingId) -> anyhow::Result<()> {
        self.conn.execute(
            "DELETE FROM released_meetings WHERE meeting_id = ?",
            [meeting.to_string()],
        )?;
        Ok(())
    }
}
