//! The storage conformance suite (`council_storage::conformance`) on PostgreSQL: the same
//! properties `crates/council-storage-sqlite/tests/conformance.rs` checks on SQLite. Each test gets
//! a database of its own on a throwaway cluster (see `ecabinet-test-postgres`).

use council_storage::{CouncilStorage, conformance};
use council_storage_postgres::PostgresCouncilStorage;
use ecabinet_test_postgres::TestDatabase;
use std::sync::Arc;

async fn fresh() -> (Arc<dyn CouncilStorage>, TestDatabase) {
    let db = TestDatabase::create().expect("a PostgreSQL database for this test");
    let storage = PostgresCouncilStorage::connect(db.url()).await.unwrap();
    (Arc::new(storage), db)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_appends_are_never_skipped_by_a_cursor() {
    let (storage, _db) = fresh().await;
    conformance::concurrent_appends_are_never_skipped_by_a_cursor(storage).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_publishes_of_one_number_have_one_winner() {
    let (storage, _db) = fresh().await;
    conformance::concurrent_publishes_of_one_number_have_one_winner(storage).await;
}

#[tokio::test]
async fn blobs_belong_to_the_councils_that_uploaded_them() {
    let (storage, _db) = fresh().await;
    conformance::blobs_belong_to_the_councils_that_uploaded_them(storage).await;
}

#[tokio::test]
async fn accounts_are_created_whole_changed_disabled_and_their_passwords_replaced() {
    let (storage, _db) = fresh().await;
    conformance::accounts_are_created_whole_changed_disabled_and_their_passwords_replaced(storage)
        .await;
}

#[tokio::test]
async fn records_round_trip_and_errors_map() {
    let (storage, _db) = fresh().await;
    conformance::records_round_trip_and_errors_map(storage).await;
}

#[tokio::test]
async fn migrations_run_once_when_two_servers_connect() {
    let db = TestDatabase::create().expect("a PostgreSQL database for this test");
    let (a, b) = tokio::join!(
        PostgresCouncilStorage::connect(db.url()),
        PostgresCouncilStorage::connect(db.url())
    );
    a.expect("the first server connects");
    b.expect("the second server connects to the same, already migrated, database");
}
