//! The member's own ballots on this device: the key each poll's receipts derive from, the
//! last ballot sent and where it stands, and the last one the server recorded with its
//! receipt. The key is written before the ballot is sent, so a retry after a crash or a
//! lost answer is the same ballot, which the server counts once.

use crate::Store;
use ecabinet_domain::poll::log::LineHash;
use ecabinet_domain::poll::{BallotKey, PollId, Receipt};
use ecabinet_domain::{MeetingId, MemberId};
use rusqlite::{OptionalExtension, params};

/// Where the last ballot sent stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BallotState {
    /// Sent; no answer yet (or the answer was lost: sending again is safe).
    Sending,
    Recorded,
    /// The server refused it, with its code and message.
    Refused {
        code: String,
        message: String,
    },
}

/// A ballot the server recorded, and where its receipt stands in the poll's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedBallot {
    pub version: u32,
    pub choice: Vec<u32>,
    pub receipt: Receipt,
    pub seq: u64,
    pub line_hash: LineHash,
}

/// The member's ballot in one poll, as this device keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnBallot {
    pub poll_id: PollId,
    pub meeting_id: MeetingId,
    pub key: BallotKey,
    /// The last ballot sent.
    pub version: u32,
    pub choice: Vec<u32>,
    pub state: BallotState,
    pub recorded: Option<RecordedBallot>,
}

const COLUMNS: &str = "poll_id, meeting_id, ballot_key, version, choice, state, refused_code, \
     refused_message, recorded_version, recorded_choice, receipt, line_seq, line_hash";

fn hex32(text: &str) -> rusqlite::Result<[u8; 32]> {
    hex::decode(text)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| {
            rusqlite::Error::InvalidColumnType(0, "hex32".into(), rusqlite::types::Type::Text)
        })
}

fn choice(text: &str) -> rusqlite::Result<Vec<u32>> {
    serde_json::from_str(text).map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))
}

fn own_ballot(row: &rusqlite::Row<'_>) -> rusqlite::Result<OwnBallot> {
    let poll: String = row.get(0)?;
    let meeting: String = row.get(1)?;
    let state: String = row.get(5)?;
    let state = match state.as_str() {
        "recorded" => BallotState::Recorded,
        "refused" => BallotState::Refused {
            code: row.get::<_, Option<String>>(6)?.unwrap_or_default(),
            message: row.get::<_, Option<String>>(7)?.unwrap_or_default(),
        },
        _ => BallotState::Sending,
    };
    let recorded = match row.get::<_, Option<u32>>(8)? {
        Some(version) => Some(RecordedBallot {
            version,
            choice: choice(&row.get::<_, String>(9)?)?,
            receipt: Receipt(hex32(&row.get::<_, String>(10)?)?),
            seq: row.get::<_, i64>(11)?.max(0) as u64,
            line_hash: LineHash(hex32(&row.get::<_, String>(12)?)?),
        }),
        None => None,
    };
    let bad_id =
        |_| rusqlite::Error::InvalidColumnType(0, "uuid".into(), rusqlite::types::Type::Text);
    Ok(OwnBallot {
        poll_id: poll.parse().map_err(bad_id)?,
        meeting_id: meeting.parse().map_err(bad_id)?,
        key: BallotKey(hex32(&row.get::<_, String>(2)?)?),
        version: row.get(3)?,
        choice: choice(&row.get::<_, String>(4)?)?,
        state,
        recorded,
    })
}

impl Store {
    /// The member's ballot in `poll`, if they sent one from this device.
    pub fn own_ballot(&self, member: MemberId, poll: PollId) -> anyhow::Result<Option<OwnBallot>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM own_ballots WHERE member_id = ? AND poll_id = ?"),
                params![member.to_string(), poll.to_string()],
                own_ballot,
            )
            .optional()?)
    }

    /// The member's ballots in the polls of `meeting`.
    pub fn own_ballots(
        &self,
        member: MemberId,
        meeting: MeetingId,
    ) -> anyhow::Result<Vec<OwnBallot>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM own_ballots WHERE member_id = ? AND meeting_id = ?"
        ))?;
        let rows = stmt.query_map(params![member.to_string(), meeting.to_string()], own_ballot)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Saves the ballot about to be sent: the first in the poll under `new_key`, else the
    /// next version under the key kept (the same version again while the last one is still
    /// unanswered, which the server takes as a retry). Returns it as saved.
    pub fn start_ballot(
        &mut self,
        member: MemberId,
        meeting: MeetingId,
        poll: PollId,
        new_key: BallotKey,
        choice: &[u32],
        now: i64,
    ) -> anyhow::Result<OwnBallot> {
        let kept = self.own_ballot(member, poll)?;
        let (key, version) = match &kept {
            None => (new_key, 1),
            Some(b) => {
                let next = b.recorded.as_ref().map_or(1, |r| r.version + 1);
                (b.key, next)
            }
        };
        let choice_json = serde_json::to_string(choice)?;
        self.conn.execute(
            "INSERT INTO own_ballots (poll_id, member_id, meeting_id, ballot_key, version, choice,
                                      state, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'sending', ?7)
             ON CONFLICT (poll_id, member_id) DO UPDATE SET
                 version = excluded.version, choice = excluded.choice, state = 'sending',
                 refused_code = NULL, refused_message = NULL, updated_at = excluded.updated_at",
            params![
                poll.to_string(),
                member.to_string(),
                meeting.to_string(),
                hex::encode(key.0),
                version,
                choice_json,
                now
            ],
        )?;
        self.own_ballot(member, poll)?
            .ok_or_else(|| anyhow::anyhow!("the ballot just saved is gone"))
    }

    /// The server recorded the ballot sent: keep its receipt and where it stands in the log.
    pub fn ballot_recorded(
        &mut self,
        member: MemberId,
        poll: PollId,
        recorded: &RecordedBallot,
        now: i64,
    ) -> anyhow::Result<()> {
        self.conn.execute(
            "UPDATE own_ballots SET state = 'recorded', refused_code = NULL, refused_message = NULL,
                    recorded_version = ?3, recorded_choice = ?4, receipt = ?5, line_seq = ?6,
                    line_hash = ?7, updated_at = ?8
              WHERE member_id = ?1 AND poll_id = ?2",
            params![
                member.to_string(),
                poll.to_string(),
                recorded.version,
                serde_json::to_string(&recorded.choice)?,
                hex::encode(recorded.receipt.0),
                i64::try_from(recorded.seq).unwrap_or(i64::MAX),
                hex::encode(recorded.line_hash.0),
                now
            ],
        )?;
        Ok(())
    }

    /// The server refused the ballot sent, for `code`: kept beside it for the member.
    pub fn ballot_refused(
        &mut self,
        member: MemberId,
        poll: PollId,
        code: &str,
        message: &str,
        now: i64,
    ) -> anyhow::Result<()> {
        self.conn.execute(
            "UPDATE own_ballots SET state = 'refused', refused_code = ?3, refused_message = ?4,
                    updated_at = ?5
              WHERE member_id = ?1 AND poll_id = ?2",
            params![member.to_string(), poll.to_string(), code, message, now],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn a_ballot_keeps_its_key_and_a_change_is_the_next_version() {
        let mut store = Store::open_in_memory().unwrap();
        let (member, meeting, poll) = (
            MemberId(Uuid::new_v4()),
            MeetingId(Uuid::new_v4()),
            PollId(Uuid::new_v4()),
        );
        let first = store
            .start_ballot(member, meeting, poll, BallotKey([1; 32]), &[0], 10)
            .unwrap();
        assert_eq!(
            (first.version, first.state.clone()),
            (1, BallotState::Sending)
        );
        let again = store
            .start_ballot(member, meeting, poll, BallotKey([2; 32]), &[0], 11)
            .unwrap();
        assert_eq!(
            again.key, first.key,
            "a retry keeps the key the first send made"
        );
        assert_eq!(
            again.version, 1,
            "and the version: the server counts it once"
        );
        let recorded = RecordedBallot {
            version: 1,
            choice: vec![0],
            receipt: Receipt::of(poll, &first.key, 1),
            seq: 2,
            line_hash: LineHash([9; 32]),
        };
        store.ballot_recorded(member, poll, &recorded, 12).unwrap();
        let change = store
            .start_ballot(member, meeting, poll, BallotKey([3; 32]), &[1], 13)
            .unwrap();
        assert_eq!(change.version, 2, "a change is the next version");
        assert_eq!(
            change.recorded,
            Some(recorded),
            "the recorded one stays until the change is"
        );
        store
            .ballot_refused(member, poll, "poll_closed", "closed", 14)
            .unwrap();
        let kept = store.own_ballot(member, poll).unwrap().unwrap();
        assert_eq!(
            kept.state,
            BallotState::Refused {
                code: "poll_closed".into(),
                message: "closed".into()
            }
        );
        assert_eq!(store.own_ballots(member, meeting).unwrap().len(), 1);
    }
}
