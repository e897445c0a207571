//! Papers, blobs and packet versions ([`PacketStore`]).

use crate::StorageError;
use crate::prelude::*;
use ecabinet_domain::{CouncilId, PaperId};
use ecabinet_protocol::{BlobInfo, SyncRecord};
use std::sync::Arc;
use tokio::sync::Barrier;
use uuid::Uuid;

use super::{Fixture, expect_conflict, expect_not_found, hash};

/// Two secretaries publish the same version number at the same moment: one wins whole,
/// the other is told it conflicts, never a server error and never two versions.
pub async fn concurrent_publishes_of_one_number_have_one_winner(storage: Arc<dyn CouncilStorage>) {
    const ROUNDS: u32 = 10;
    let fx = Fixture::new("publish");
    storage.seed_council(fx.seed()).await.unwrap();
    for number in 1..=ROUNDS {
        let barrier = Arc::new(Barrier::new(2));
        let attempts: Vec<_> = (0..2)
            .map(|_| {
                let (storage, barrier) = (storage.clone(), barrier.clone());
                let packet = fx.packet(number, &hash(1));
                tokio::spawn(async move {
                    barrier.wait().await;
                    storage.publish_packet(packet).await
                })
            })
            .collect();
        let mut wins = 0;
        for attempt in attempts {
            match attempt.await.unwrap() {
                Ok(_) => wins += 1,
                Err(StorageError::Conflict(_)) => {}
                Err(other) => panic!(
                    "a publish that lost the race for version {number} must be a Conflict, \
                     got {other:?}"
                ),
            }
        }
        assert_eq!(wins, 1, "exactly one of two publishes of {number} wins");
    }
    let latest = storage.latest_packet(fx.meeting.id).await.unwrap();
    assert_eq!(latest.map(|v| v.number), Some(ROUNDS));
    let logged = storage
        .changes_since(fx.council, 0, 1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| matches!(c.record, SyncRecord::PacketVersion(_)))
        .count();
    assert_eq!(
        logged, ROUNDS as usize,
        "only the winners are logged: a refused publish leaves no trace"
    );
    expect_conflict(
        storage
            .publish_packet(fx.packet(ROUNDS + 2, &hash(1)))
            .await,
        "publishing a number that skips one",
    );
    expect_conflict(
        storage.publish_packet(fx.packet(ROUNDS, &hash(1))).await,
        "publishing a number again",
    );
}

/// A blob belongs to the councils that uploaded it: to any other it does not exist, until
/// that council uploads the same bytes itself; the bytes are recorded once.
pub async fn blobs_belong_to_the_councils_that_uploaded_them(storage: Arc<dyn CouncilStorage>) {
    let (north, south) = (Fixture::new("north"), Fixture::new("south"));
    storage.seed_council(north.seed()).await.unwrap();
    storage.seed_council(south.seed()).await.unwrap();
    let blob = BlobInfo {
        hash: hash(11),
        size: 123_456,
        pages: 3,
    };
    assert_eq!(
        storage
            .council_blob(north.council, &blob.hash)
            .await
            .unwrap(),
        None
    );
    storage.put_blob(north.council, blob.clone()).await.unwrap();
    assert_eq!(
        storage
            .council_blob(north.council, &blob.hash)
            .await
            .unwrap(),
        Some(blob.clone()),
        "the uploader's council holds its file"
    );
    assert_eq!(
        storage
            .council_blob(south.council, &blob.hash)
            .await
            .unwrap(),
        None,
        "another council's file does not exist for this council, though the server holds it"
    );
    assert_eq!(
        storage.blob(&blob.hash).await.unwrap(),
        Some(blob.clone()),
        "the server itself knows it holds the bytes"
    );

    // The second council uploads the same bytes: it owns them too, and the first keeps them.
    storage.put_blob(south.council, blob.clone()).await.unwrap();
    storage.put_blob(south.council, blob.clone()).await.unwrap();
    for council in [north.council, south.council] {
        assert_eq!(
            storage.council_blob(council, &blob.hash).await.unwrap(),
            Some(blob.clone()),
            "each council that uploaded the bytes holds them, once"
        );
    }
    assert_eq!(
        storage
            .council_blob(CouncilId(Uuid::new_v4()), &blob.hash)
            .await
            .unwrap(),
        None
    );
}

/// Every method of [`PacketStore`] on a small council: what goes in comes back equal,
/// each write is logged and returns the new head, and misuse maps to the error the API
/// turns into a code.
pub async fn papers_and_packets_round_trip_and_errors_map(storage: Arc<dyn CouncilStorage>) {
    let fx = Fixture::new("records");
    storage.seed_council(fx.seed()).await.unwrap();

    expect_not_found(
        storage.paper(PaperId(Uuid::new_v4())).await,
        "an unknown paper",
    );

    // Blobs and papers.
    let blob = BlobInfo {
        hash: hash(7),
        size: 5_000_000_000,
        pages: 12,
    };
    assert_eq!(storage.blob(&blob.hash).await.unwrap(), None);
    storage.put_blob(fx.council, blob.clone()).await.unwrap();
    storage.put_blob(fx.council, blob.clone()).await.unwrap();
    assert_eq!(
        storage.blob(&blob.hash).await.unwrap(),
        Some(blob.clone()),
        "recording a blob twice is harmless"
    );
    let paper = fx.paper(&blob.hash, Some("ky-hop/to-trinh-1.pdf"));
    let seq = storage.put_paper(fx.council, paper.clone()).await.unwrap();
    assert_eq!(storage.log_head(fx.council).await.unwrap(), seq);
    assert_eq!(storage.paper(paper.id).await.unwrap(), paper);
    assert_eq!(
        storage.papers(fx.meeting.id).await.unwrap(),
        vec![paper.clone()]
    );
    assert_eq!(
        storage
            .paper_by_source(fx.meeting.id, "ky-hop/to-trinh-1.pdf")
            .await
            .unwrap(),
        Some(paper.clone())
    );
    assert_eq!(
        storage
            .paper_by_source(fx.meeting.id, "other.pdf")
            .await
            .unwrap(),
        None
    );
    let duplicate = fx.paper(&blob.hash, Some("ky-hop/to-trinh-1.pdf"));
    expect_conflict(
        storage.put_paper(fx.council, duplicate).await,
        "a second paper from the same watched file",
    );
    assert_eq!(
        storage.log_head(fx.council).await.unwrap(),
        seq,
        "a refused write is not logged"
    );
    let mut revised = paper.clone();
    revised.title = "Tờ trình số 1 (sửa)".into();
    revised.revision = 2;
    storage
        .put_paper(fx.council, revised.clone())
        .await
        .unwrap();
    assert_eq!(storage.paper(paper.id).await.unwrap(), revised);
    assert!(
        storage
            .council_uses_blob(fx.council, &blob.hash)
            .await
            .unwrap()
    );
    assert!(
        !storage
            .council_uses_blob(fx.council, &hash(8))
            .await
            .unwrap()
    );
    assert!(
        !storage
            .council_uses_blob(CouncilId(Uuid::new_v4()), &blob.hash)
            .await
            .unwrap(),
        "another council does not use this council's blobs"
    );

    // Packets.
    assert_eq!(storage.latest_packet(fx.meeting.id).await.unwrap(), None);
    let first = fx.packet(1, &blob.hash);
    let seq = storage.publish_packet(first.clone()).await.unwrap();
    assert_eq!(storage.log_head(fx.council).await.unwrap(), seq);
    assert_eq!(
        storage.latest_packet(fx.meeting.id).await.unwrap(),
        Some(first.version.clone())
    );
    assert_eq!(
        storage
            .packets_with_blob(fx.council, &blob.hash)
            .await
            .unwrap(),
        vec![first.version.clone()]
    );
    assert!(
        storage
            .packets_with_blob(CouncilId(Uuid::new_v4()), &blob.hash)
            .await
            .unwrap()
            .is_empty(),
        "another council's packets do not grant this blob"
    );
}
