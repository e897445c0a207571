//! Papers, the blobs they are stored as (and which councils own them), and published
//! packet versions.

use crate::StorageResult;
use async_trait::async_trait;
use ecabinet_domain::{BlobHash, CouncilId, MeetingId, PacketVersion, Paper, PaperId};
use ecabinet_protocol::BlobInfo;

/// Everything a packet publish writes, in one transaction.
#[derive(Debug, Clone)]
pub struct NewPacketVersion {
    pub council: CouncilId,
    pub version: PacketVersion,
}

/// Papers in preparation, blob ownership and packet versions.
#[async_trait]
pub trait PacketStore: Send + Sync {
    /// What the server knows of a stored blob, if any council uploaded one with this hash.
    /// For the server's own use (bytes it holds need not be checked again); never an
    /// answer to a council that does not own the blob.
    async fn blob(&self, hash: &BlobHash) -> StorageResult<Option<BlobInfo>>;

    /// The blob, if `council` uploaded it: to every other council it does not exist.
    async fn council_blob(
        &self,
        council: CouncilId,
        hash: &BlobHash,
    ) -> StorageResult<Option<BlobInfo>>;

    /// Records a blob the blob store now holds, and that `council` uploaded it, in one
    /// transaction (idempotent; a blob already held keeps its recorded size and pages).
    async fn put_blob(&self, council: CouncilId, blob: BlobInfo) -> StorageResult<()>;

    async fn paper(&self, id: PaperId) -> StorageResult<Paper>;

    /// Every paper of a meeting, withdrawn ones included, in no particular order.
    async fn papers(&self, meeting: MeetingId) -> StorageResult<Vec<Paper>>;

    /// The paper a watched folder imported from `source`, if any.
    async fn paper_by_source(
        &self,
        meeting: MeetingId,
        source: &str,
    ) -> StorageResult<Option<Paper>>;

    /// Inserts or replaces a paper and logs it; returns the new log head.
    async fn put_paper(&self, council: CouncilId, paper: Paper) -> StorageResult<i64>;

    /// Whether any paper of the council (in preparation) uses this blob.
    async fn council_uses_blob(&self, council: CouncilId, hash: &BlobHash) -> StorageResult<bool>;

    /// The newest published packet version of a meeting.
    async fn latest_packet(&self, meeting: MeetingId) -> StorageResult<Option<PacketVersion>>;

    /// Stores and logs a packet version; returns the new log head. Fails with
    /// [`StorageError::Conflict`] unless its number is exactly the meeting's last + 1, checked
    /// in the same transaction as the insert: of two concurrent publishes, one wins whole.
    ///
    /// [`StorageError::Conflict`]: crate::StorageError::Conflict
    async fn publish_packet(&self, packet: NewPacketVersion) -> StorageResult<i64>;

    /// Every published version (of the council's meetings) that lists this blob, for deciding
    /// who may download it.
    async fn packets_with_blob(
        &self,
        council: CouncilId,
        hash: &BlobHash,
    ) -> StorageResult<Vec<PacketVersion>>;
}
