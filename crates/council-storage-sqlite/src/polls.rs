//! Polls, who voted, ballots and the polls' logs (see `council_storage::polls` for what is
//! kept and why it links no ballot to a voter).

use async_trait::async_trait;
use council_storage::{
    Doing, PollStore, PollWrite, StorageError, StorageResult, StoredPoll, polls, rows,
};
use ecabinet_domain::MeetingId;
use ecabinet_domain::poll::log::PollLogLine;
use ecabinet_domain::poll::{CastBallot, PollId};

use crate::{SqliteCouncilStorage, Stored};

#[async_trait]
impl PollStore for SqliteCouncilStorage {
    async fn meeting_polls(&self, meeting: MeetingId) -> StorageResult<Vec<StoredPoll>> {
        let found = sqlx::query(
            "SELECT record, voted FROM polls WHERE meeting_id = ? ORDER BY created_at, id",
        )
        .bind(meeting.to_string())
        .fetch_all(&self.pool)
        .await
        .doing("reading a meeting's polls")?;
        found
            .iter()
            .map(|r| rows::stored_poll(&Stored(r)))
            .collect()
    }

    async fn poll(&self, id: PollId) -> StorageResult<Option<StoredPoll>> {
        let found = sqlx::query("SELECT record, voted FROM polls WHERE id = ?")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await
            .doing("reading a poll")?;
        found
            .as_ref()
            .map(|r| rows::stored_poll(&Stored(r)))
            .transpose()
    }

    async fn open_polls(&self) -> StorageResult<Vec<StoredPoll>> {
        let found = sqlx::query("SELECT record, voted FROM polls WHERE json_extract(record, '$.state') = 'open' ORDER BY created_at, id")
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
        let id = poll.id.to_string();
        // IMMEDIATE: the voted set and the last line read here are the ones this write
        // extends.
        let mut tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .doing("starting a poll write")?;
        let stored: Option<(String, String)> =
            sqlx::query_as("SELECT meeting_id, voted FROM polls WHERE id = ?")
                .bind(&id)
                .fetch_optional(&mut *tx)
                .await
                .doing("reading the poll's voted set")?;
        if let Some((meeting, _)) = &stored
            && *meeting != poll.meeting_id.to_string()
        {
            return Err(StorageError::Conflict(format!(
                "poll {id} belongs to another meeting"
            )));
        }
        let voted = polls::mark_new_voters(stored.as_ref().map(|(_, v)| v.as_str()), &write)?;
        if !write.lines.is_empty() {
            let last: i64 =
                sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM poll_log WHERE poll_id = ?")
                    .bind(&id)
                    .fetch_one(&mut *tx)
                    .await
                    .doing("reading the poll's last log line")?;
            polls::check_numbering(last, write.lines)?;
        }
        if write.record_changed || stored.is_none() {
            sqlx::query(
                "INSERT INTO polls (id, meeting_id, created_at, record, voted) VALUES (?, ?, ?, ?, ?)
                 ON CONFLICT (id) DO UPDATE SET record = excluded.record, voted = excluded.voted",
            )
            .bind(&id)
            .bind(poll.meeting_id.to_string())
            .bind(poll.created_at.millis())
            .bind(rows::encode_json(poll, "poll")?)
            .bind(hex::encode(voted.as_bytes()))
            .execute(&mut *tx)
            .await
            .doing("storing the poll")?;
        } else {
            sqlx::query("UPDATE polls SET voted = ? WHERE id = ?")
                .bind(hex::encode(voted.as_bytes()))
                .bind(&id)
                .execute(&mut *tx)
                .await
                .doing("storing who voted")?;
        }
        for ballot in write.ballots {
            insert_ballot(&mut tx, &id, ballot).await?;
        }
        for receipt in write.replaced {
            let changed = sqlx::query(
                "UPDATE poll_ballots SET replaced = 1
                 WHERE poll_id = ? AND receipt = ? AND replaced = 0",
            )
            .bind(&id)
            .bind(receipt.to_string())
            .execute(&mut *tx)
            .await
            .doing("marking a replaced ballot")?;
            if changed.rows_affected() != 1 {
                return Err(StorageError::Conflict(format!(
                    "ballot {receipt} is not a current ballot of poll {id}"
                )));
            }
        }
        for line in write.lines {
            sqlx::query("INSERT INTO poll_log (poll_id, seq, line) VALUES (?, ?, ?)")
                .bind(&id)
                .bind(i64::try_from(line.seq).unwrap_or(i64::MAX))
                .bind(rows::encode_json(line, "poll log line")?)
                .execute(&mut *tx)
                .await
                .doing("appending to the poll's log")?;
        }
        tx.commit().await.doing("committing a poll write")
    }

    async fn poll_ballots(&self, id: PollId) -> StorageResult<Vec<CastBallot>> {
        let found = sqlx::query(
            "SELECT receipt, choice, voter_id, replaced FROM poll_ballots
             WHERE poll_id = ? ORDER BY receipt",
        )
        .bind(id.to_string())
        .fetch_all(&self.pool)
        .await
        .doing("reading a poll's ballots")?;
        found
            .iter()
            .map(|r| rows::cast_ballot(&Stored(r)))
            .collect()
    }

    async fn poll_log(&self, id: PollId) -> StorageResult<Vec<PollLogLine>> {
        let found = sqlx::query("SELECT line FROM poll_log WHERE poll_id = ? ORDER BY seq")
            .bind(id.to_string())
            .fetch_all(&self.pool)
            .await
            .doing("reading a poll's log")?;
        found
            .iter()
            .map(|r| rows::poll_log_line(&Stored(r)))
            .collect()
    }
}

async fn insert_ballot(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    poll: &str,
    ballot: &CastBallot,
) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO poll_ballots (poll_id, receipt, choice, voter_id, replaced)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(poll)
    .bind(ballot.receipt.to_string())
    .bind(rows::encode_json(&ballot.choice, "ballot choice")?)
    .bind(ballot.voter.map(|v| v.to_string()))
    .bind(ballot.replaced)
    .execute(&mut **tx)
    .await
    .doing("storing a ballot")?;
    Ok(())
}
