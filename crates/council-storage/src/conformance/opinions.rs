//! Delegates' opinions and their versions ([`OpinionStore`]).

use crate::prelude::*;
use crate::{NewOpinionVersion, OpinionWritten};
use ecabinet_domain::{AgendaItemId, Opinion, OpinionId, PaperId, PaperLink, Timestamp};
use ecabinet_protocol::SyncRecord;
use std::sync::Arc;
use tokio::sync::Barrier;
use uuid::Uuid;

use super::{Fixture, NOW, expect_conflict};

/// The delegate's opinion `id` on the fixture's item, as their device sends it under
/// `version`.
fn opinion(fx: &Fixture, id: OpinionId, version: u32, body: &str) -> NewOpinionVersion {
    NewOpinionVersion {
        council: fx.council,
        opinion: Opinion {
            id,
            author: fx.delegate.id,
            meeting_id: fx.meeting.id,
            item_id: fx.item.id,
            paper: Some(PaperLink {
                paper_id: PaperId(Uuid::new_v4()),
                page: 3,
                quote: Some("dự toán thu ngân sách năm 2027".into()),
            }),
            body: body.into(),
            version,
            sent_at: NOW,
            withdrawn: false,
        },
    }
}

fn with_paper_of(mut write: NewOpinionVersion, first: &NewOpinionVersion) -> NewOpinionVersion {
    write.opinion.paper = first.opinion.paper.clone();
    write
}

async fn logged_opinions(storage: &Arc<dyn CouncilStorage>, fx: &Fixture) -> Vec<(i64, Opinion)> {
    storage
        .changes_since(fx.council, 0, 1000)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|c| match c.record {
            SyncRecord::Opinion(o) => Some((c.seq, o)),
            _ => None,
        })
        .collect()
}

/// Every version is stored and logged with it, at the head it reports; a retry writes
/// nothing; a number another device took first becomes the next version; withdrawing is a
/// version; another member, or another item, cannot write under an opinion's id.
pub async fn opinions_keep_every_version_and_a_retry_writes_nothing(
    storage: Arc<dyn CouncilStorage>,
) {
    let fx = Fixture::new("opinion");
    storage.seed_council(fx.seed()).await.unwrap();
    let id = OpinionId(Uuid::new_v4());
    assert!(storage.opinion_versions(id).await.unwrap().is_empty());

    let first = opinion(&fx, id, 1, "Tán thành với tờ trình.");
    let sent = storage.write_opinion(first.clone()).await.unwrap();
    assert_eq!(sent.opinion.version, 1);
    let head = sent.head.expect("a new opinion is logged");
    assert_eq!(
        storage.log_head(fx.council).await.unwrap(),
        head,
        "the version is logged in the write's own transaction, at the head it reports"
    );

    let retry = storage.write_opinion(first.clone()).await.unwrap();
    assert_eq!(
        retry,
        OpinionWritten {
            opinion: sent.opinion.clone(),
            head: None
        },
        "a retried send is answered with its first result and writes nothing"
    );

    let edit = with_paper_of(
        opinion(&fx, id, 2, "Tán thành; đề nghị bổ sung số liệu quý IV."),
        &first,
    );
    let edited = storage.write_opinion(edit.clone()).await.unwrap();
    assert_eq!(edited.opinion.version, 2);
    let again = storage.write_opinion(edit.clone()).await.unwrap();
    assert_eq!(
        (again.opinion.version, again.head),
        (2, None),
        "the edit's retry does not duplicate it"
    );

    // The member's tablet, offline, had also made a version 2 of its own.
    let tablet = with_paper_of(
        opinion(&fx, id, 2, "Đề nghị làm rõ cơ sở tính số thu."),
        &first,
    );
    let from_tablet = storage.write_opinion(tablet.clone()).await.unwrap();
    assert_eq!(
        from_tablet.opinion.version, 3,
        "a number another device took first: kept as the next version, not lost"
    );
    assert_eq!(
        storage.write_opinion(tablet).await.unwrap().head,
        None,
        "and its retry is found under the number it asked for"
    );

    let mut withdrawal = with_paper_of(
        opinion(&fx, id, 4, "Đề nghị làm rõ cơ sở tính số thu."),
        &first,
    );
    withdrawal.opinion.withdrawn = true;
    withdrawal.opinion.sent_at = Timestamp(NOW.millis() + 60_000);
    let withdrawn = storage.write_opinion(withdrawal).await.unwrap();
    assert!(withdrawn.opinion.withdrawn && withdrawn.opinion.version == 4);

    let versions: Vec<_> = storage
        .opinion_versions(id)
        .await
        .unwrap()
        .into_iter()
        .map(|o| (o.version, o.body, o.withdrawn))
        .collect();
    assert_eq!(
        versions,
        vec![
            (1, "Tán thành với tờ trình.".to_owned(), false),
            (
                2,
                "Tán thành; đề nghị bổ sung số liệu quý IV.".to_owned(),
                false
            ),
            (3, "Đề nghị làm rõ cơ sở tính số thu.".to_owned(), false),
            (4, "Đề nghị làm rõ cơ sở tính số thu.".to_owned(), true),
        ],
        "every version stays on record, the withdrawal included"
    );
    let logged = logged_opinions(&storage, &fx).await;
    assert_eq!(
        logged.iter().map(|(_, o)| o.version).collect::<Vec<_>>(),
        vec![1, 2, 3, 4],
        "each stored version is logged once, retries never"
    );
    assert_eq!(logged[0].0, head);
    assert_eq!(
        storage.meeting_opinions(fx.meeting.id).await.unwrap().len(),
        4,
        "the meeting's list holds every version"
    );

    let mut stranger = opinion(&fx, id, 5, "Ý kiến của người khác");
    stranger.opinion.author = fx.secretary.id;
    expect_conflict(
        storage.write_opinion(stranger).await,
        "writing under another member's opinion id",
    );
    let mut moved = opinion(&fx, id, 5, "Chuyển sang mục khác");
    moved.opinion.item_id = AgendaItemId(Uuid::new_v4());
    expect_conflict(
        storage.write_opinion(moved).await,
        "moving an opinion to another item",
    );
    assert_eq!(storage.opinion_versions(id).await.unwrap().len(), 4);
}

/// Devices send versions of one opinion at the same moment: each gets a number of its own,
/// without gaps or repeats.
pub async fn concurrent_versions_of_one_opinion_each_get_a_number(
    storage: Arc<dyn CouncilStorage>,
) {
    const DEVICES: usize = 6;
    let fx = Fixture::new("opinion-devices");
    storage.seed_council(fx.seed()).await.unwrap();
    let id = OpinionId(Uuid::new_v4());
    let first = opinion(&fx, id, 1, "Tán thành.");
    storage.write_opinion(first.clone()).await.unwrap();
    let barrier = Arc::new(Barrier::new(DEVICES));
    let edits: Vec<_> = (0..DEVICES)
        .map(|device| {
            let (storage, barrier) = (storage.clone(), barrier.clone());
            let edit = with_paper_of(
                opinion(&fx, id, 2, &format!("Ý kiến từ thiết bị {device}")),
                &first,
            );
            tokio::spawn(async move {
                barrier.wait().await;
                storage.write_opinion(edit).await
            })
        })
        .collect();
    let mut versions = Vec::new();
    for edit in edits {
        versions.push(edit.await.unwrap().unwrap().opinion.version);
    }
    versions.sort_unstable();
    assert_eq!(versions, (2..=DEVICES as u32 + 1).collect::<Vec<_>>());
    assert_eq!(
        storage.opinion_versions(id).await.unwrap().len(),
        DEVICES + 1
    );
}
