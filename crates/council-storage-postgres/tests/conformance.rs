//! The storage conformance suite (`council_storage::conformance`) on PostgreSQL: every
//! property, one module per concern, as `crates/council-storage-sqlite/tests/conformance.rs`
//! runs them on SQLite. Each test gets a database of its own on a throwaway cluster (see
//! `ecabinet-test-postgres`).

use council_storage::CouncilStorage;
use council_storage_postgres::PostgresCouncilStorage;
use ecabinet_test_postgres::TestDatabase;
use std::sync::Arc;

async fn fresh() -> (Arc<dyn CouncilStorage>, TestDatabase) {
    let db = TestDatabase::create().expect("a PostgreSQL database for this test");
    let storage = PostgresCouncilStorage::connect(db.url()).await.unwrap();
    (Arc::new(storage), db)
}

council_storage::conformance_tests!(fresh);

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
