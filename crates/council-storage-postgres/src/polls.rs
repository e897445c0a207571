//! Polls, who voted, ballots and the polls' logs (see `council_storage::polls` for what is
//! kept and why it links no ballot to a voter).

use async_trait::async_trait;
use council_storage::{
    Doing, PollStore, PollWrite, StorageError, StorageResult, StoredPoll, polls, rows,
};
use ecabinet_domain::MeetingId;
use ecabinet_domain::poll::log::PollLogLine;
use ecabinet_domain::poll::{CastBallot, PollId};
use sqlx::types::Json;
use uuid::Uuid;

use crate::{PostgresCouncilStorage, Stored, commit};

#[async_trait]
impl PollStore for PostgresCouncilStorage {
    async fn meeting_polls(&self, meeting: MeetingId) -> StorageResult<Vec<StoredPoll>> {
        let found = sqlx::query(
            "SELECT record, voted FROM polls WHERE meeting_id = $1 ORDER BY created_at, id",
        )
        .bind(meeting.as_uuid())
        .fetch_all(&self.pool)
        .await
        .doing("reading a meeting's polls")?;
        found
            .iter()
            .map(|r| rows::stored_poll(&Stored(r)))
            .collect()
    }

    async fn poll(&self, id: PollId) -> StorageResult<Option<StoredPoll>> {
        let found = sqlx::query("SELECT record, voted FROM polls WHERE id = $1")
            .bind(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .doing("reading a poll")?;
        found
            .as_ref()
            .map(|r| rows::stored_poll(&Stored(r)))
            .transpose()
    }

    async fn open_polls(&self) -> StorageResult<Vec<StoredPoll>> {
        let found = sqlx::query("SELECT record, voted FROM polls WHERE record->>'state' = 'open' ORDER BY created_at, id")
            .fetch_all(&self.pool)
            .await
            .doing("reading the open polls")?;
        found
            .iter()
            .map(|r| rows::stored_poll(&Stored(r)))
            .collect()
    }

    async fn write_poll(&self, write: PollWrite<'_>) -> StorageResult<()> {
        let poll = write.poll;
        let id = poll.id.as_uuid();
        let mut tx = self.pool.begin().await.doing("starting a poll write")?;
        // The poll's row locked: the voted set and the last line read here are the ones
        // this write extends, whichever server instance writes.
        let stored: Option<(Uuid, String)> =
            sqlx::query_as("SELECT meeting_id, voted FROM polls WHERE id = $1 FOR UPDATE")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await
                .doing("reading the poll's voted set")?;
        if let Some((meeting, _)) = &stored
            && *meeting != poll.meeting_id.as_uuid()
        {
            return Err(StorageError::Conflict(format!(
                "poll {id} belongs to another meeting"
            )));
        }
        let voted = polls::mark_new_voters(stored.as_ref().map(|(_, v)| v.as_str()), &write)?;
        if !write.lines.is_empty() {
            let last: i64 =
                sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM poll_log WHERE poll_id = $1")
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await
                    .doing("reading the poll's last log line")?;
            polls::check_numbering(last, write.lines)?;
        }
        // A poll created by two writers at once: the primary key refuses the second
        // (a Conflict), as the row lock above cannot lock a row not there yet.
        if write.record_changed || stored.is_none() {
            sqlx::query(
                "INSERT INTO polls (id, meeting_id, created_at, record, voted) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (id) DO UPDATE SET record = excluded.record, voted = excluded.voted",
            )
            .bind(id)
            .bind(poll.meeting_id.as_uuid())
            .bind(poll.created_at.millis())
            .bind(Json(poll))
            .bind(hex::encode(voted.as_bytes()))
            .execute(&mut *tx)
            .await
            .doing("storing the poll")?;
        } else {
            sqlx::query("UPDATE polls SET voted = $1 WHERE id = $2")
                .bind(hex::encode(voted.as_bytes()))
                .bind(id)
                .execute(&mut *tx)
                .await
                .doing("storing who voted")?;
        }
        if !write.ballots.is_empty() {
            let receipts: Vec<String> = write
                .ballots
                .iter()
                .map(|b| b.receipt.to_string())
                .collect();
            let choices: Vec<serde_json::Value> = write
                .ballots
                .iter()
                .map(|b| serde_json::json!(b.choice))
                .collect();
            let voters: Vec<Option<Uuid>> = write
                .ballots
                .iter()
                .map(|b| b.voter.map(|v| v.as_uuid()))
                .collect();
            let replaced: Vec<bool> = write.ballots.iter().map(|b| b.replaced).collect();
            sqlx::query(
                "INSERT INTO poll_ballots (poll_id, receipt, choice, voter_id, replaced)
                 SELECT $1, * FROM UNNEST($2::text[], $3::jsonb[], $4::uuid[], $5::bool[])",
            )
            .bind(id)
            .bind(receipts)
            .bind(choices)
            .bind(voters)
            .bind(replaced)
            .execute(&mut *tx)
            .await
            .doing("storing ballots")?;
        }
        if !write.replaced.is_empty() {
            let receipts: Vec<String> = write.replaced.iter().map(|r| r.to_string()).collect();
            let changed = sqlx::query(
                "UPDATE poll_ballots SET replaced = TRUE
                 WHERE poll_id = $1 AND receipt = ANY($2) AND NOT replaced",
            )
            .bind(id)
            .bind(&receipts)
            .execute(&mut *tx)
            .await
            .doing("marking replaced ballots")?;
            if changed.rows_affected() != receipts.len() as u64 {
                return Err(StorageError::Conflict(format!(
                    "a replaced ballot is not a current ballot of poll {id}"
                )));
            }
        }
        if !write.lines.is_empty() {
            let seqs: Vec<i64> = write
                .lines
                .iter()
                .map(|l| i64::try_from(l.seq).unwrap_or(i64::MAX))
                .collect();
            let lines: Vec<serde_json::Value> = write
                .lines
                .iter()
                .map(|l| serde_json::to_value(l).map_err(|e| StorageError::Backend(e.into())))
                .collect::<StorageResult<_>>()?;
            sqlx::query(
                "INSERT INTO poll_log (poll_id, seq, line)
                 SELECT $1, * FROM UNNEST($2::bigint[], $3::jsonb[])",
            )
            .bind(id)
            .bind(seqs)
            .bind(lines)
            .execute(&mut *tx)
            .await
            .doing("appending to the poll's log")?;
        }
        commit(tx, "committing a poll write").await
    }

    async fn poll_ballots(&self, id: PollId) -> StorageResult<Vec<CastBallot>> {
        let found = sqlx::query(
            "SELECT receipt, choice, voter_id, replaced FROM poll_ballots
             WHERE poll_id = $1 ORDER BY receipt",
        )
        .bind(id.as_uuid())
        .fetch_all(&self.pool)
        .await
        .doing("reading a poll's ballots")?;
        found
            .iter()
            .map(|r| rows::cast_ballot(&Stored(r)))
            .collect()
    }

    async fn poll_log(&self, id: PollId) -> StorageResult<Vec<PollLogLine>> {
        let found = sqlx::query("SELECT line FROM poll_log WHERE poll_id = $1 ORDER BY seq")
            .bind(id.as_uuid())
            .fetch_all(&self.pool)
            .await
            .doing("reading a poll's log")?;
        found
            .iter()
            .map(|r| rows::poll_log_line(&Stored(r)))
            .collect()
    }
}
