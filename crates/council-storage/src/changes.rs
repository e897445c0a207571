//! The change log clients pull by cursor.
//!
//! Every other concern appends to it in the same transaction as its write; this trait only
//! reads it.

use crate::StorageResult;
use async_trait::async_trait;
use ecabinet_domain::CouncilId;
use ecabinet_protocol::Change;

/// Each council's change log, read in `seq` order.
#[async_trait]
pub trait ChangeLog: Send + Sync {
    /// Up to `limit` changes of a council with `seq > after`, in order.
    async fn changes_since(
        &self,
        council: CouncilId,
        after: i64,
        limit: u32,
    ) -> StorageResult<Vec<Change>>;

    /// The council's last `seq` (0 for an empty log).
    async fn log_head(&self, council: CouncilId) -> StorageResult<i64>;
}
