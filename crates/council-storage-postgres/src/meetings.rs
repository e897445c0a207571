//! Councils, meetings, programme items and participants.

use async_trait::async_trait;
use council_storage::{CouncilSeed, Doing, MeetingStore, StorageResult, rows};
use ecabinet_domain::{
    AgendaItem, AgendaItemId, Council, CouncilId, Meeting, MeetingId, Participant,
};
use ecabinet_protocol::{MeetingParticipants, SyncRecord};
use sqlx::types::Json;
use sqlx::{Postgres, Transaction};

use crate::accounts::insert_seeded_account;
use crate::changes::log_change;
use crate::{PostgresCouncilStorage, Stored, begin_logged, commit};

async fn upsert_meeting(tx: &mut Transaction<'_, Postgres>, m: &Meeting) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO meetings (id, council_id, title, starts_at, location, status)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, starts_at = excluded.starts_at,
             location = excluded.location, status = excluded.status",
    )
    .bind(m.id.as_uuid())
    .bind(m.council_id.as_uuid())
    .bind(&m.title)
    .bind(m.starts_at.millis())
    .bind(&m.location)
    .bind(rows::meeting_status_name(m.status))
    .execute(&mut **tx)
    .await
    .doing("writing meeting")?;
    Ok(())
}

async fn upsert_agenda_item(
    tx: &mut Transaction<'_, Postgres>,
    i: &AgendaItem,
) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO agenda_items (id, meeting_id, parent_id, position, title, presenter, planned_minutes, paper_titles)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (id) DO UPDATE SET parent_id = excluded.parent_id, position = excluded.position,
             title = excluded.title, presenter = excluded.presenter,
             planned_minutes = excluded.planned_minutes, paper_titles = excluded.paper_titles",
    )
    .bind(i.id.as_uuid())
    .bind(i.meeting_id.as_uuid())
    .bind(i.parent_id.map(|p| p.as_uuid()))
    .bind(i.position)
    .bind(&i.title)
    .bind(&i.presenter)
    .bind(i.planned_minutes)
    .bind(Json(&i.paper_titles))
    .execute(&mut **tx)
    .await
    .doing("writing agenda item")?;
    Ok(())
}

#[async_trait]
impl MeetingStore for PostgresCouncilStorage {
    async fn is_empty(&self) -> StorageResult<bool> {
        let any: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM councils)")
            .fetch_one(&self.pool)
            .await
            .doing("counting councils")?;
        Ok(!any)
    }

    async fn seed_council(&self, seed: CouncilSeed) -> StorageResult<()> {
        let council = seed.council.id;
        let mut tx = begin_logged(&self.pool, council, "starting seed").await?;
        sqlx::query("INSERT INTO councils (id, name) VALUES ($1, $2)")
            .bind(council.as_uuid())
            .bind(&seed.council.name)
            .execute(&mut *tx)
            .await
            .doing("writing council")?;
        log_change(&mut tx, council, &SyncRecord::Council(seed.council.clone())).await?;
        for account in &seed.accounts {
            insert_seeded_account(&mut tx, account).await?;
            let m = &account.member;
            log_change(&mut tx, council, &SyncRecord::Member(m.clone())).await?;
        }
        for m in &seed.meetings {
            upsert_meeting(&mut tx, m).await?;
            log_change(&mut tx, council, &SyncRecord::Meeting(m.clone())).await?;
        }
        for i in &seed.agenda_items {
            upsert_agenda_item(&mut tx, i).await?;
            log_change(&mut tx, council, &SyncRecord::AgendaItem(i.clone())).await?;
        }
        commit(tx, "committing seed").await
    }

    async fn council(&self, id: CouncilId) -> StorageResult<Council> {
        let row = sqlx::query("SELECT id, name FROM councils WHERE id = $1")
            .bind(id.as_uuid())
            .fetch_one(&self.pool)
            .await
            .doing("reading council")?;
        rows::council(&Stored(&row))
    }

    async fn meeting(&self, id: MeetingId) -> StorageResult<Meeting> {
        let row = sqlx::query(
            "SELECT id, council_id, title, starts_at, location, status FROM meetings WHERE id = $1",
        )
        .bind(id.as_uuid())
        .fetch_one(&self.pool)
        .await
        .doing("reading meeting")?;
        rows::meeting(&Stored(&row))
    }

    async fn meetings(&self, council: CouncilId) -> StorageResult<Vec<Meeting>> {
        let found = sqlx::query(
            "SELECT id, council_id, title, starts_at, location, status FROM meetings WHERE council_id = $1",
        )
        .bind(council.as_uuid())
        .fetch_all(&self.pool)
        .await
        .doing("listing meetings")?;
        found.iter().map(|r| rows::meeting(&Stored(r))).collect()
    }

    async fn agenda_items(&self, meeting: MeetingId) -> StorageResult<Vec<AgendaItem>> {
        let found = sqlx::query(
            "SELECT id, meeting_id, parent_id, position, title, presenter, planned_minutes, paper_titles
               FROM agenda_items WHERE meeting_id = $1",
        )
        .bind(meeting.as_uuid())
        .fetch_all(&self.pool)
        .await
        .doing("listing agenda items")?;
        found
            .iter()
            .map(|r| rows::agenda_item(&Stored(r)))
            .collect()
    }

    async fn agenda_item(&self, id: AgendaItemId) -> StorageResult<AgendaItem> {
        let row = sqlx::query(
            "SELECT id, meeting_id, parent_id, position, title, presenter, planned_minutes, paper_titles
               FROM agenda_items WHERE id = $1",
        )
        .bind(id.as_uuid())
        .fetch_one(&self.pool)
        .await
        .doing("reading agenda item")?;
        rows::agenda_item(&Stored(&row))
    }

    async fn put_meeting(&self, meeting: Meeting) -> StorageResult<i64> {
        let council = meeting.council_id;
        let mut tx = begin_logged(&self.pool, council, "starting meeting write").await?;
        upsert_meeting(&mut tx, &meeting).await?;
        let seq = log_change(&mut tx, council, &SyncRecord::Meeting(meeting)).await?;
        commit(tx, "committing meeting").await?;
        Ok(seq)
    }

    async fn put_agenda_item(&self, council: CouncilId, item: AgendaItem) -> StorageResult<i64> {
        let mut tx = begin_logged(&self.pool, council, "starting agenda write").await?;
        upsert_agenda_item(&mut tx, &item).await?;
        let seq = log_change(&mut tx, council, &SyncRecord::AgendaItem(item)).await?;
        commit(tx, "committing agenda item").await?;
        Ok(seq)
    }

    async fn participants(&self, meeting: MeetingId) -> StorageResult<Vec<Participant>> {
        let participants: Option<Json<Vec<Participant>>> =
            sqlx::query_scalar("SELECT record FROM participants WHERE meeting_id = $1")
                .bind(meeting.as_uuid())
                .fetch_optional(&self.pool)
                .await
                .doing("reading participants")?;
        Ok(participants.map(|Json(p)| p).unwrap_or_default())
    }

    async fn put_participants(
        &self,
        council: CouncilId,
        meeting: MeetingId,
        participants: Vec<Participant>,
    ) -> StorageResult<i64> {
        let mut tx = begin_logged(&self.pool, council, "starting participants write").await?;
        sqlx::query(
            "INSERT INTO participants (meeting_id, record) VALUES ($1, $2)
             ON CONFLICT (meeting_id) DO UPDATE SET record = excluded.record",
        )
        .bind(meeting.as_uuid())
        .bind(Json(&participants))
        .execute(&mut *tx)
        .await
        .doing("writing participants")?;
        let record = SyncRecord::Participants(MeetingParticipants {
            meeting_id: meeting,
            participants,
        });
        let seq = log_change(&mut tx, council, &record).await?;
        commit(tx, "committing participants").await?;
        Ok(seq)
    }
}
