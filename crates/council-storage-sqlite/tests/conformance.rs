//! The storage conformance suite (`council_storage::conformance`) on SQLite: the same
//! properties `crates/council-storage-postgres/tests/conformance.rs` checks on PostgreSQL.

use council_storage::{CouncilStorage, conformance};
use council_storage_sqlite::SqliteCouncilStorage;
use std::sync::Arc;

async fn fresh() -> (Arc<dyn CouncilStorage>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let storage = SqliteCouncilStorage::open(&dir.path().join("council.db"))
        .await
        .unwrap();
    (Arc::new(storage), dir)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_appends_are_never_skipped_by_a_cursor() {
    let (storage, _dir) = fresh().await;
    conformance::concurrent_appends_are_never_skipped_by_a_cursor(storage).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_publishes_of_one_number_have_one_winner() {
    let (storage, _dir) = fresh().await;
    conformance::concurrent_publishes_of_one_number_have_one_winner(storage).await;
}

#[tokio::test]
async fn blobs_belong_to_the_councils_that_uploaded_them() {
    let (storage, _dir) = fresh().await;
    conformance::blobs_belong_to_the_councils_that_uploaded_them(storage).await;
}

#[tokio::test]
async fn accounts_are_created_whole_changed_disabled_and_their_passwords_replaced() {
    let (storage, _dir) = fresh().await;
    conformance::accounts_are_created_whole_changed_disabled_and_their_passwords_replaced(storage)
        .await;
}

#[tokio::test]
async fn records_round_trip_and_errors_map() {
    let (storage, _dir) = fresh().await;
    conformance::records_round_trip_and_errors_map(storage).await;
}
