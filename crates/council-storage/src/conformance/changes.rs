//! The change log ([`ChangeLog`]): what a client pulling by cursor relies on.

use crate::prelude::*;
use ecabinet_domain::{AgendaItemId, CouncilId};
use ecabinet_protocol::SyncRecord;
use std::collections::BTreeSet;
use std::sync::Arc;
use tokio::sync::Barrier;
use uuid::Uuid;

use super::Fixture;

/// Many writers append to one council's log while a client pulls it by cursor: the client
/// must see every change exactly once, in order.
///
/// This is what a cursor-based pull relies on: the log may only ever become visible in seq
/// order. A backend that lets a larger seq commit before a smaller one fails here, since
/// the reader moves its cursor past the smaller seq before it commits, and never sees it.
pub async fn concurrent_appends_are_never_skipped_by_a_cursor(storage: Arc<dyn CouncilStorage>) {
    const WRITERS: usize = 8;
    const WRITES_EACH: usize = 50;
    let fx = Fixture::new("appends");
    storage.seed_council(fx.seed()).await.unwrap();
    let start = storage.log_head(fx.council).await.unwrap();
    let done = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let barrier = Arc::new(Barrier::new(WRITERS + 1));

    let reader = {
        let (storage, done, barrier) = (storage.clone(), done.clone(), barrier.clone());
        let council = fx.council;
        tokio::spawn(async move {
            barrier.wait().await;
            let mut cursor = start;
            let mut seen = Vec::new();
            loop {
                // Read the flag before pulling: a pull that starts after every writer has
                // returned sees everything, so an empty page then means the end.
                let finished = done.load(std::sync::atomic::Ordering::SeqCst) == WRITERS;
                let page = storage.changes_since(council, cursor, 16).await.unwrap();
                if page.is_empty() {
                    if finished {
                        return seen;
                    }
                    // Leave the (two, on CI) cores to the writers for a moment.
                    tokio::time::sleep(std::time::Duration::from_millis(1)).await;
                }
                for change in page {
                    assert!(
                        change.seq > cursor,
                        "a pull after {cursor} returned seq {}",
                        change.seq
                    );
                    cursor = change.seq;
                    seen.push(change.seq);
                }
            }
        })
    };

    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (storage, done, barrier) = (storage.clone(), done.clone(), barrier.clone());
            let mut item = fx.item.clone();
            item.id = AgendaItemId(Uuid::new_v4());
            item.position = w as i32 + 2;
            let council = fx.council;
            tokio::spawn(async move {
                barrier.wait().await;
                let mut seqs = Vec::with_capacity(WRITES_EACH);
                for n in 0..WRITES_EACH {
                    item.title = format!("writer {w}, write {n}");
                    seqs.push(
                        storage
                            .put_agenda_item(council, item.clone())
                            .await
                            .unwrap(),
                    );
                }
                done.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                seqs
            })
        })
        .collect();

    let mut written = BTreeSet::new();
    for writer in writers {
        for seq in writer.await.unwrap() {
            assert!(written.insert(seq), "seq {seq} was handed out twice");
        }
    }
    let seen = reader.await.unwrap();
    let missed: Vec<_> = written.iter().filter(|s| !seen.contains(s)).collect();
    assert!(
        missed.is_empty(),
        "the cursor skipped {} of {} changes ({missed:?}): they committed after a larger seq \
         was already visible",
        missed.len(),
        written.len()
    );
    assert_eq!(
        seen,
        written.iter().copied().collect::<Vec<_>>(),
        "the reader sees each change exactly once, in seq order, and nothing else"
    );
    assert_eq!(
        storage.log_head(fx.council).await.unwrap(),
        *written.last().unwrap(),
        "the head is the last change"
    );
}

/// A new council's seed is logged whole, in order, and read back page by page from a cursor.
pub async fn a_seed_is_logged_whole_and_read_by_cursor(storage: Arc<dyn CouncilStorage>) {
    assert!(storage.is_empty().await.unwrap(), "a new database is empty");
    let fx = Fixture::new("records");
    storage.seed_council(fx.seed()).await.unwrap();
    assert!(!storage.is_empty().await.unwrap());

    // The seed is logged whole, in order.
    let log = storage.changes_since(fx.council, 0, 100).await.unwrap();
    let kinds: Vec<_> = log
        .iter()
        .map(|c| match &c.record {
            SyncRecord::Council(_) => "council",
            SyncRecord::Member(_) => "member",
            SyncRecord::Meeting(_) => "meeting",
            SyncRecord::AgendaItem(_) => "agenda item",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        ["council", "member", "member", "meeting", "agenda item"]
    );
    assert!(log.windows(2).all(|w| w[0].seq < w[1].seq));
    assert_eq!(
        storage.log_head(fx.council).await.unwrap(),
        log.last().unwrap().seq
    );
    assert_eq!(
        storage
            .changes_since(fx.council, log[1].seq, 2)
            .await
            .unwrap(),
        log[2..4].to_vec(),
        "a page starts after the cursor and stops at the limit"
    );
    assert_eq!(
        storage.log_head(CouncilId(Uuid::new_v4())).await.unwrap(),
        0,
        "an unknown council has an empty log"
    );
}
