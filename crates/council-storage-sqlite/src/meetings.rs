//! Councils, meetings, programme items and participants.

use async_trait::async_trait;
use council_storage::{CouncilSeed, Doing, MeetingStore, StorageResult, rows};
use ecabinet_domain::{
    AgendaItem, AgendaItemId, Council, CouncilId, Meeting, MeetingId, Participant,
};
use ecabinet_protocol::{MeetingParticipants, SyncRecord};
use sqlx::{Sqlite, Transaction};

use crate::accounts::insert_seeded_account;
use crate::changes::log_change;
use crate::{SqliteCouncilStorage, Stored, write_logged};

async fn upsert_meeting(tx: &mut Transaction<'_, Sqlite>, m: &Meeting) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO meetings (id, council_id, title, starts_at, location, status) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, starts_at = excluded.starts_at,
             location = excluded.location, status = excluded.status",
    )
    .bind(m.id.to_string())
    .bind(m.council_id.to_string())
    .bind(&m.title)
    .bind(m.starts_at.millis())
    .bind(&m.location)
    .bind(rows::meeting_status_name(m.status))
    .execute(&mut **tx)
    .await
    .doing("writing meeting")?;
    Ok(())
}

async fn upsert_agenda_item(tx: &mut Transaction<'_, Sqlite>, i: &AgendaItem) -> StorageResult<()> {
    let papers = rows::encode_json(&i.paper_titles, "paper titles")?;
    sqlx::query(
        "INSERT INTO agenda_items (id, meeting_id, parent_id, position, title, presenter, planned_minutes, paper_titles)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET parent_id = excluded.parent_id, position = excluded.position,
             title = excluded.title, presenter = excluded.presenter,
             planned_minutes = excluded.planned_minutes, paper_titles = excluded.paper_titles",
    )
    .bind(i.id.to_string())
    .bind(i.meeting_id.to_string())
    .bind(i.parent_id.map(|p| p.to_string()))
    .bind(i.position)
    .bind(&i.title)
    .bind(&i.presenter)
    .bind(i.planned_minutes)
    .bind(papers)
    .execute(&mut **tx)
    .await
    .doing("writing agenda item")?;
    Ok(())
}

#[async_trait]
impl MeetingStore for SqliteCouncilStorage {
    async fn is_empty(&self) -> StorageResult<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM councils")
            .fetch_one(&self.pool)
            .await
            .doing("counting councils")?;
        Ok(n == 0)
    }

    async fn seed_council(&self, seed: CouncilSeed) -> StorageResult<()> {
        let mut tx = self.pool.begin().await.doing("starting seed")?;
        let council = seed.council.id;
        sqlx::query("INSERT INTO councils (id, name) VALUES (?, ?)")
            .bind(council.to_string())
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
        tx.commit().await.doing("committing seed")
    }

    async fn council(&self, id: CouncilId) -> StorageResult<Council> {
        let row = sqlx::query("SELECT id, name FROM councils WHERE id = ?")
            .bind(id.to_string())
            .fetch_one(&self.pool)
            .await
            .doing("reading council")?;
        rows::council(&Stored(&row))
    }

    async fn meeting(&self, id: MeetingId) -> StorageResult<Meeting> {
        let row = sqlx::query(
            "SELECT id, council_id, title, starts_at, location, status FROM meetings WHERE id = ?",
        )
        .bind(id.to_string())
        .fetch_one(&self.pool)
        .await
        .doing("reading meeting")?;
        rows::meeting(&Stored(&row))
    }

    async fn meetings(&self, council: CouncilId) -> StorageResult<Vec<Meeting>> {
        let found = sqlx::query(
            "SELECT id, council_id, title, starts_at, location, status FROM meetings WHERE council_id = ?",
        )
        .bind(council.to_string())
        .fetch_all(&self.pool)
        .await
        .doing("listing meetings")?;
        found.iter().map(|r| rows::meeting(&Stored(r))).collect()
    }

    async fn agenda_items(&self, meeting: MeetingId) -> StorageResult<Vec<AgendaItem>> {
        let found = sqlx::query(
            "SELECT id, meeting_id, parent_id, position, title, presenter, planned_minutes, paper_titles
               FROM agenda_items WHERE meeting_id = ?",
        )
        .bind(meeting.to_string())
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
               FROM agenda_items WHERE id = ?",
        )
        .bind(id.to_string())
        .fetch_one(&self.pool)
        .await
        .doing("reading agenda item")?;
        rows::agenda_item(&Stored(&row))
    }

    async fn put_meeting(&self, meeting: Meeting) -> StorageResult<i64> {
        let mut tx = self.pool.begin().await.doing("starting meeting write")?;
        upsert_meeting(&mut tx, &meeting).await?;
        let seq = log_change(&mut tx, meeting.council_id, &SyncRecord::Meeting(meeting)).await?;
        tx.commit().await.doing("committing meeting")?;
        Ok(seq)
    }

    async fn put_agenda_item(&self, council: CouncilId, item: AgendaItem) -> StorageResult<i64> {
        let mut tx = self.pool.begin().await.doing("starting agenda write")?;
        upsert_agenda_item(&mut tx, &item).await?;
        let seq = log_change(&mut tx, council, &SyncRecord::AgendaItem(item)).await?;
        tx.commit().await.doing("committing agenda item")?;
        Ok(seq)
    }

    async fn participants(&self, meeting: MeetingId) -> StorageResult<Vec<Participant>> {
        let json: Option<String> =
            sqlx::query_scalar("SELECT record FROM participants WHERE meeting_id = ?")
                .bind(meeting.to_string())
                .fetch_optional(&self.pool)
                .await
                .doing("reading participants")?;
        Ok(json
            .map(|j| rows::decode_json::<Vec<Participant>>(&j, "participants"))
            .transpose()?
            .unwrap_or_default())
    }

    async fn put_participants(
        &self,
        council: CouncilId,
        meeting: MeetingId,
        participants: Vec<Participant>,
    ) -> StorageResult<i64> {
        let json = rows::encode_json(&participants, "participants")?;
        let record = SyncRecord::Participants(MeetingParticipants {
            meeting_id: meeting,
            participants,
        });
        write_logged(
            &self.pool,
            council,
            record,
            "writing participants",
            move |tx| {
                Box::pin(async move {
                    sqlx::query(
                        "INSERT INTO participants (meeting_id, record) VALUES (?, ?)
                     ON CONFLICT (meeting_id) DO UPDATE SET record = excluded.record",
                    )
                    .bind(meeting.to_string())
                    .bind(json)
                    .execute(&mut **tx)
                    .await
                    .doing("writing participants")?;
                    Ok(())
                })
            },
        )
        .await
    }
}
