//! Papers, blobs and which councils own them, and published packet versions.

use async_trait::async_trait;
use council_storage::{Doing, NewPacketVersion, PacketStore, StorageError, StorageResult, rows};
use ecabinet_domain::{BlobHash, CouncilId, MeetingId, PacketVersion, Paper, PaperId};
use ecabinet_protocol::{BlobInfo, SyncRecord};

use crate::{SqliteCouncilStorage, Stored, write_logged};

#[async_trait]
impl PacketStore for SqliteCouncilStorage {
    async fn blob(&self, hash: &BlobHash) -> StorageResult<Option<BlobInfo>> {
        let row = sqlx::query("SELECT size, pages FROM blobs WHERE hash = ?")
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
              WHERE b.hash = ? AND o.council_id = ?",
        )
        .bind(hash.as_str())
        .bind(council.to_string())
        .fetch_optional(&self.pool)
        .await
        .doing("reading a council's blob")?;
        row.map(|r| rows::blob_info(&Stored(&r), hash)).transpose()
    }

    async fn put_blob(&self, council: CouncilId, blob: BlobInfo) -> StorageResult<()> {
        let mut tx = self.pool.begin().await.doing("starting blob transaction")?;
        sqlx::query(
            "INSERT INTO blobs (hash, size, pages) VALUES (?, ?, ?) ON CONFLICT (hash) DO NOTHING",
        )
        .bind(blob.hash.as_str())
        .bind(blob.size as i64)
        .bind(i64::from(blob.pages))
        .execute(&mut *tx)
        .await
        .doing("recording blob")?;
        sqlx::query(
            "INSERT INTO blob_owners (hash, council_id) VALUES (?, ?)
             ON CONFLICT (hash, council_id) DO NOTHING",
        )
        .bind(blob.hash.as_str())
        .bind(council.to_string())
        .execute(&mut *tx)
        .await
        .doing("recording blob owner")?;
        tx.commit().await.doing("committing blob")?;
        Ok(())
    }

    async fn paper(&self, id: PaperId) -> StorageResult<Paper> {
        let json: String = sqlx::query_scalar("SELECT record FROM papers WHERE id = ?")
            .bind(id.to_string())
            .fetch_one(&self.pool)
            .await
            .doing("reading paper")?;
        rows::decode_json(&json, "paper")
    }

    async fn papers(&self, meeting: MeetingId) -> StorageResult<Vec<Paper>> {
        let found: Vec<String> =
            sqlx::query_scalar("SELECT record FROM papers WHERE meeting_id = ?")
                .bind(meeting.to_string())
                .fetch_all(&self.pool)
                .await
                .doing("listing papers")?;
        found
            .iter()
            .map(|j| rows::decode_json(j, "paper"))
            .collect()
    }

    async fn paper_by_source(
        &self,
        meeting: MeetingId,
        source: &str,
    ) -> StorageResult<Option<Paper>> {
        let json: Option<String> =
            sqlx::query_scalar("SELECT record FROM papers WHERE meeting_id = ? AND source = ?")
                .bind(meeting.to_string())
                .bind(source)
                .fetch_optional(&self.pool)
                .await
                .doing("finding paper by source")?;
        json.map(|j| rows::decode_json(&j, "paper")).transpose()
    }

    async fn put_paper(&self, council: CouncilId, paper: Paper) -> StorageResult<i64> {
        let json = rows::encode_json(&paper, "paper")?;
        let record = SyncRecord::Paper(paper.clone());
        write_logged(&self.pool, council, record, "writing paper", move |tx| {
            Box::pin(async move {
                sqlx::query(
                    "INSERT INTO papers (id, meeting_id, source, hash, record) VALUES (?, ?, ?, ?, ?)
                     ON CONFLICT (id) DO UPDATE SET source = excluded.source, hash = excluded.hash,
                         record = excluded.record",
                )
                .bind(paper.id.to_string())
                .bind(paper.meeting_id.to_string())
                .bind(paper.source.as_deref())
                .bind(paper.file.hash.as_str())
                .bind(json)
                .execute(&mut **tx)
                .await
                .doing("writing paper")?;
                Ok(())
            })
        })
        .await
    }

    async fn council_uses_blob(&self, council: CouncilId, hash: &BlobHash) -> StorageResult<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM papers p JOIN meetings m ON m.id = p.meeting_id
              WHERE p.hash = ? AND m.council_id = ?",
        )
        .bind(hash.as_str())
        .bind(council.to_string())
        .fetch_one(&self.pool)
        .await
        .doing("checking blob use")?;
        Ok(n > 0)
    }

    async fn latest_packet(&self, meeting: MeetingId) -> StorageResult<Option<PacketVersion>> {
        let json: Option<String> = sqlx::query_scalar(
            "SELECT record FROM packet_versions WHERE meeting_id = ? ORDER BY number DESC LIMIT 1",
        )
        .bind(meeting.to_string())
        .fetch_optional(&self.pool)
        .await
        .doing("reading latest packet")?;
        json.map(|j| rows::decode_json(&j, "packet version"))
            .transpose()
    }

    async fn publish_packet(&self, packet: NewPacketVersion) -> StorageResult<i64> {
        let NewPacketVersion { council, version } = packet;
        let json = rows::encode_json(&version, "packet version")?;
        let record = SyncRecord::PacketVersion(version.clone());
        write_logged(&self.pool, council, record, "publishing packet", move |tx| {
            Box::pin(async move {
                let meeting = version.meeting_id.to_string();
                let last: i64 = sqlx::query_scalar(
                    "SELECT COALESCE(MAX(number), 0) FROM packet_versions WHERE meeting_id = ?",
                )
                .bind(&meeting)
                .fetch_one(&mut **tx)
                .await
                .doing("reading last packet number")?;
                if i64::from(version.number) != last + 1 {
                    return Err(StorageError::Conflict(format!(
                        "version {last} is the latest; cannot publish {}",
                        version.number
                    )));
                }
                sqlx::query(
                    "INSERT INTO packet_versions (meeting_id, number, record) VALUES (?, ?, ?)",
                )
                .bind(&meeting)
                .bind(i64::from(version.number))
                .bind(json)
                .execute(&mut **tx)
                .await
                .doing("writing packet version")?;
                for file in version.entries.iter().filter_map(|e| e.file.as_ref()) {
                    sqlx::query(
                        "INSERT INTO packet_blobs (hash, council_id, meeting_id, number) VALUES (?, ?, ?, ?)
                         ON CONFLICT DO NOTHING",
                    )
                    .bind(file.hash.as_str())
                    .bind(council.to_string())
                    .bind(&meeting)
                    .bind(i64::from(version.number))
                    .execute(&mut **tx)
                    .await
                    .doing("indexing packet blobs")?;
                }
                Ok(())
            })
        })
        .await
    }

    async fn packets_with_blob(
        &self,
        council: CouncilId,
        hash: &BlobHash,
    ) -> StorageResult<Vec<PacketVersion>> {
        let found: Vec<String> = sqlx::query_scalar(
            "SELECT v.record FROM packet_blobs b
               JOIN packet_versions v ON v.meeting_id = b.meeting_id AND v.number = b.number
              WHERE b.hash = ? AND b.council_id = ?",
        )
        .bind(hash.as_str())
        .bind(council.to_string())
        .fetch_all(&self.pool)
        .await
        .doing("finding packets with blob")?;
        found
            .iter()
            .map(|j| rows::decode_json(j, "packet version"))
            .collect()
    }
}
