//! Papers, blobs and which councils own them, and published packet versions.

use async_trait::async_trait;
use council_storage::{Doing, NewPacketVersion, PacketStore, StorageError, StorageResult, rows};
use ecabinet_domain::{BlobHash, CouncilId, MeetingId, PacketVersion, Paper, PaperId};
use ecabinet_protocol::{BlobInfo, SyncRecord};
use sqlx::types::Json;

use crate::changes::log_change;
use crate::{PostgresCouncilStorage, Stored, begin_logged, commit};

#[async_trait]
impl PacketStore for PostgresCouncilStorage {
    async fn blob(&self, hash: &BlobHash) -> StorageResult<Option<BlobInfo>> {
        let row = sqlx::query("SELECT size, pages FROM blobs WHERE hash = $1")
            .bind(hash.as_str())
            .fetch_optional(&self.pool)
            .await
            .doing("reading blob")?;
        row.map(|r| rows::blob_info(&Stored(&r), hash)).transpose()
    }

    async fn council_blob(
        &self,
        council: CouncilId,
        hash: &BlobHash,
    ) -> StorageResult<Option<BlobInfo>> {
        let row = sqlx::query(
            "SELECT b.size, b.pages FROM blobs b JOIN blob_owners o ON o.hash = b.hash
              WHERE b.hash = $1 AND o.council_id = $2",
        )
        .bind(hash.as_str())
        .bind(council.as_uuid())
        .fetch_optional(&self.pool)
        .await
        .doing("reading a council's blob")?;
        row.map(|r| rows::blob_info(&Stored(&r), hash)).transpose()
    }

    async fn put_blob(&self, council: CouncilId, blob: BlobInfo) -> StorageResult<()> {
        let mut tx = self.pool.begin().await.doing("starting blob transaction")?;
        sqlx::query(
            "INSERT INTO blobs (hash, size, pages) VALUES ($1, $2, $3) ON CONFLICT (hash) DO NOTHING",
        )
        .bind(blob.hash.as_str())
        .bind(blob.size as i64)
        .bind(i64::from(blob.pages))
        .execute(&mut *tx)
        .await
        .doing("recording blob")?;
        sqlx::query(
            "INSERT INTO blob_owners (hash, council_id) VALUES ($1, $2)
             ON CONFLICT (hash, council_id) DO NOTHING",
        )
        .bind(blob.hash.as_str())
        .bind(council.as_uuid())
        .execute(&mut *tx)
        .await
        .doing("recording blob owner")?;
        tx.commit().await.doing("committing blob")?;
        Ok(())
    }

    async fn paper(&self, id: PaperId) -> StorageResult<Paper> {
        let Json(paper) = sqlx::query_scalar("SELECT record FROM papers WHERE id = $1")
            .bind(id.as_uuid())
            .fetch_one(&self.pool)
            .await
            .doing("reading paper")?;
        Ok(paper)
    }

    async fn papers(&self, meeting: MeetingId) -> StorageResult<Vec<Paper>> {
        let found: Vec<Json<Paper>> =
            sqlx::query_scalar("SELECT record FROM papers WHERE meeting_id = $1")
                .bind(meeting.as_uuid())
                .fetch_all(&self.pool)
                .await
                .doing("listing papers")?;
        Ok(found.into_iter().map(|Json(p)| p).collect())
    }

    async fn paper_by_source(
        &self,
        meeting: MeetingId,
        source: &str,
    ) -> StorageResult<Option<Paper>> {
        let paper: Option<Json<Paper>> =
            sqlx::query_scalar("SELECT record FROM papers WHERE meeting_id = $1 AND source = $2")
                .bind(meeting.as_uuid())
                .bind(source)
                .fetch_optional(&self.pool)
                .await
                .doing("finding paper by source")?;
        Ok(paper.map(|Json(p)| p))
    }

    async fn put_paper(&self, council: CouncilId, paper: Paper) -> StorageResult<i64> {
        let mut tx = begin_logged(&self.pool, council, "starting paper write").await?;
        sqlx::query(
            "INSERT INTO papers (id, meeting_id, source, hash, record) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (id) DO UPDATE SET source = excluded.source, hash = excluded.hash,
                 record = excluded.record",
        )
        .bind(paper.id.as_uuid())
        .bind(paper.meeting_id.as_uuid())
        .bind(paper.source.as_deref())
        .bind(paper.file.hash.as_str())
        .bind(Json(&paper))
        .execute(&mut *tx)
        .await
        .doing("writing paper")?;
        let seq = log_change(&mut tx, council, &SyncRecord::Paper(paper)).await?;
        commit(tx, "committing paper").await?;
        Ok(seq)
    }

    async fn council_uses_blob(&self, council: CouncilId, hash: &BlobHash) -> StorageResult<bool> {
        sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM papers p JOIN meetings m ON m.id = p.meeting_id
                             WHERE p.hash = $1 AND m.council_id = $2)",
        )
        .bind(hash.as_str())
        .bind(council.as_uuid())
        .fetch_one(&self.pool)
        .await
        .doing("checking blob use")
    }

    async fn latest_packet(&self, meeting: MeetingId) -> StorageResult<Option<PacketVersion>> {
        let version: Option<Json<PacketVersion>> = sqlx::query_scalar(
            "SELECT record FROM packet_versions WHERE meeting_id = $1 ORDER BY number DESC LIMIT 1",
        )
        .bind(meeting.as_uuid())
        .fetch_optional(&self.pool)
        .await
        .doing("reading latest packet")?;
        Ok(version.map(|Json(v)| v))
    }

    async fn publish_packet(&self, packet: NewPacketVersion) -> StorageResult<i64> {
        let NewPacketVersion { council, version } = packet;
        // Two guards, either enough alone: the council's log lock makes concurrent publishes
        // take turns, so the second reads the first's number below and is refused; and the
        // primary key (meeting_id, number) refuses a duplicate number whatever happens.
        let mut tx = begin_logged(&self.pool, council, "starting packet publish").await?;
        let meeting = version.meeting_id.as_uuid();
        let number = i64::from(version.number);
        let last: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(number), 0) FROM packet_versions WHERE meeting_id = $1",
        )
        .bind(meeting)
        .fetch_one(&mut *tx)
        .await
        .doing("reading last packet number")?;
        if number != last + 1 {
            return Err(StorageError::Conflict(format!(
                "version {last} is the latest; cannot publish {number}"
            )));
        }
        sqlx::query("INSERT INTO packet_versions (meeting_id, number, record) VALUES ($1, $2, $3)")
            .bind(meeting)
            .bind(number)
            .bind(Json(&version))
            .execute(&mut *tx)
            .await
            .doing("writing packet version")?;
        for file in version.entries.iter().filter_map(|e| e.file.as_ref()) {
            sqlx::query(
                "INSERT INTO packet_blobs (hash, council_id, meeting_id, number) VALUES ($1, $2, $3, $4)
                 ON CONFLICT DO NOTHING",
            )
            .bind(file.hash.as_str())
            .bind(council.as_uuid())
            .bind(meeting)
            .bind(number)
            .execute(&mut *tx)
            .await
            .doing("indexing packet blobs")?;
        }
        let seq = log_change(&mut tx, council, &SyncRecord::PacketVersion(version)).await?;
        commit(tx, "committing packet version").await?;
        Ok(seq)
    }

    async fn packets_with_blob(
        &self,
        council: CouncilId,
        hash: &BlobHash,
    ) -> StorageResult<Vec<PacketVersion>> {
        let found: Vec<Json<PacketVersion>> = sqlx::query_scalar(
            "SELECT v.record FROM packet_blobs b
               JOIN packet_versions v ON v.meeting_id = b.meeting_id AND v.number = b.number
              WHERE b.hash = $1 AND b.council_id = $2",
        )
        .bind(hash.as_str())
        .bind(council.as_uuid())
        .fetch_all(&self.pool)
        .await
        .doing("finding packets with blob")?;
        Ok(found.into_iter().map(|Json(v)| v).collect())
    }
}
