//! The storage conformance suite (`council_storage::conformance`) on SQLite: every property,
//! one module per concern, as `crates/council-storage-postgres/tests/conformance.rs` runs
//! them on PostgreSQL.

use council_storage::CouncilStorage;
use council_storage_sqlite::SqliteCouncilStorage;
use std::sync::Arc;

async fn fresh() -> (Arc<dyn CouncilStorage>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let storage = SqliteCouncilStorage::open(&dir.path().join("council.db"))
        .await
        .unwrap();
    (Arc::new(storage), dir)
}

council_storage::conformance_tests!(fresh);
