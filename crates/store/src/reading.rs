//! What the reader and search need from the store: where a member stopped reading each
//! document, and every paper of the latest versions that the member may read, with its file.

use crate::Store;
use ecabinet_domain::{BlobHash, MeetingId, MemberId, PaperId, Timestamp};
use rusqlite::{OptionalExtension, params};

/// A paper of a meeting's latest packet version that the member may read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadablePaper {
    pub meeting_id: MeetingId,
    pub meeting_title: String,
    pub paper_id: PaperId,
    pub title: String,
    pub hash: BlobHash,
    /// The file is on this device and verified.
    pub held: bool,
}

impl Store {
    /// The member is on zero-based `page` of `document` (a paper id, or a local file's key).
    pub fn remember_page(
        &mut self,
        member: MemberId,
        document: &str,
        page: u32,
        now: Timestamp,
    ) -> anyhow::Result<()> {
        self.conn.execute(
            "INSERT INTO reading_positions (member_id, document, page, read_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (member_id, document) DO UPDATE SET page = excluded.page, read_at = excluded.read_at",
            params![member.to_string(), document, page, now.millis()],
        )?;
        Ok(())
    }

    /// Where the member stopped reading `document`, if they ever opened it.
    pub fn last_page(&self, member: MemberId, document: &str) -> anyhow::Result<Option<u32>> {
        Ok(self
            .conn
            .query_row(
                "SELECT page FROM reading_positions WHERE member_id = ? AND document = ?",
                params![member.to_string(), document],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Every paper the member may read in the latest version of every meeting on this
    /// device, in the meeting list's order: what search looks through. Confidential papers
    /// this member is not named for have no file in their copy, so they are not listed.
    pub fn readable_papers(&self, member: MemberId) -> anyhow::Result<Vec<ReadablePaper>> {
        let mut papers = Vec::new();
        for listing in self.meetings()? {
            let meeting = listing.meeting;
            let Some(view) = self.packet_view(meeting.id, member)? else {
                continue;
            };
            for paper in view.papers {
                let Some(file) = paper.entry.file else {
                    continue;
                };
                papers.push(ReadablePaper {
                    meeting_id: meeting.id,
                    meeting_title: meeting.title.clone(),
                    paper_id: paper.entry.paper_id,
                    title: paper.entry.title.unwrap_or_default(),
                    hash: file.hash,
                    held: paper.held,
                });
            }
        }
        Ok(papers)
    }
}
