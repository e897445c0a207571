//! Members' annotations and their revisions ([`AnnotationStore`]).

use crate::prelude::*;
use crate::{AnnotationWritten, NewAnnotationRevision};
use ecabinet_domain::annotation::{Anchor, TextAnchor, TextPosition, TextQuote};
use ecabinet_domain::{
    Annotation, AnnotationId, AnnotationKind, MadeOn, MemberId, Paper, Sharing, Timestamp,
};
use ecabinet_protocol::{AnnotationRemoved, BlobInfo, SyncRecord};
use std::sync::Arc;
use tokio::sync::Barrier;
use uuid::Uuid;

use super::{Fixture, NOW, expect_conflict, expect_not_found, hash};

/// A council with one stored paper to annotate.
async fn council_with_paper(storage: &Arc<dyn CouncilStorage>, prefix: &str) -> (Fixture, Paper) {
    let fx = Fixture::new(prefix);
    storage.seed_council(fx.seed()).await.unwrap();
    storage
        .put_blob(
            fx.council,
            BlobInfo {
                hash: hash(21),
                size: 1000,
                pages: 2,
            },
        )
        .await
        .unwrap();
    let paper = fx.paper(&hash(21), None);
    storage.put_paper(fx.council, paper.clone()).await.unwrap();
    (fx, paper)
}

/// The delegate's highlight on the paper, with `body` as its comment.
fn highlight(fx: &Fixture, paper: &Paper, id: AnnotationId, body: &str) -> Annotation {
    Annotation {
        id,
        author: fx.delegate.id,
        paper_id: paper.id,
        meeting_id: paper.meeting_id,
        made_on: MadeOn {
            packet_version: Some(1),
            hash: paper.file.hash.clone(),
        },
        anchor: Anchor::Text(TextAnchor {
            quote: TextQuote {
                exact: "dự toán thu ngân sách".into(),
                prefix: "Phê duyệt ".into(),
                suffix: " năm 2027".into(),
            },
            position: TextPosition { start: 10, end: 31 },
            page: 0,
        }),
        kind: AnnotationKind::Highlight,
        colour: "#ffd54f".into(),
        thickness: 1.0,
        body: body.into(),
        sharing: Sharing::Private,
        revision: 0,
        updated_at: NOW,
        deleted: false,
    }
}

fn write(fx: &Fixture, annotation: Annotation, base: u32) -> NewAnnotationRevision {
    NewAnnotationRevision {
        council: fx.council,
        annotation,
        base_revision: base,
        readers: Vec::new(),
    }
}

async fn logged_annotations(storage: &Arc<dyn CouncilStorage>, fx: &Fixture) -> Vec<SyncRecord> {
    storage
        .changes_since(fx.council, 0, 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.record)
        .filter(|r| matches!(r, SyncRecord::Annotation(_)))
        .collect()
}

/// Every write is a revision, logged with it; a retry writes nothing; of two edits from the
/// same base the later wins and the earlier stays in the history; a deletion is a tombstone
/// revision; another member cannot write under an annotation's id.
pub async fn annotations_keep_every_revision_and_the_last_write_wins(
    storage: Arc<dyn CouncilStorage>,
) {
    let (fx, paper) = council_with_paper(&storage, "annotate").await;
    let id = AnnotationId(Uuid::new_v4());
    expect_not_found(storage.annotation(id).await, "an unknown annotation");
    assert!(storage.annotation_history(id).await.unwrap().is_empty());

    let first = storage
        .write_annotation(write(&fx, highlight(&fx, &paper, id, ""), 0))
        .await
        .unwrap();
    assert_eq!(
        first.annotation.revision, 1,
        "a new annotation is revision 1"
    );
    let head = first.head.expect("a new annotation is logged");
    assert_eq!(storage.log_head(fx.council).await.unwrap(), head);

    let retry = storage
        .write_annotation(write(&fx, highlight(&fx, &paper, id, ""), 0))
        .await
        .unwrap();
    assert_eq!(
        retry,
        AnnotationWritten {
            annotation: first.annotation.clone(),
            head: None
        },
        "a retried write is answered with its first result and writes nothing"
    );
    assert_eq!(storage.log_head(fx.council).await.unwrap(), head);

    // The laptop and the tablet both edited revision 1 offline.
    let laptop = highlight(&fx, &paper, id, "Số liệu chưa khớp");
    let tablet = Annotation {
        updated_at: Timestamp(NOW.millis() + 5_000),
        ..highlight(&fx, &paper, id, "Đề nghị giải trình")
    };
    let from_laptop = storage
        .write_annotation(write(&fx, laptop.clone(), 1))
        .await
        .unwrap();
    let from_tablet = storage
        .write_annotation(write(&fx, tablet.clone(), 1))
        .await
        .unwrap();
    assert_eq!(from_laptop.annotation.revision, 2);
    assert_eq!(
        from_tablet.annotation.revision, 3,
        "the write that reached the server last wins, whatever its base"
    );
    let current = storage.annotation(id).await.unwrap();
    assert_eq!(current.body, "Đề nghị giải trình");
    let again = storage
        .write_annotation(write(&fx, laptop.clone(), 1))
        .await
        .unwrap();
    assert_eq!(
        (again.annotation.revision, again.head),
        (2, None),
        "the laptop's retry finds its own revision and does not undo the tablet's"
    );

    let tombstone = Annotation {
        deleted: true,
        ..current.clone()
    };
    let deleted = storage
        .write_annotation(write(&fx, tombstone, 3))
        .await
        .unwrap();
    assert!(deleted.annotation.deleted && deleted.annotation.revision == 4);
    assert!(storage.annotation(id).await.unwrap().deleted);

    let history = storage.annotation_history(id).await.unwrap();
    let bodies: Vec<_> = history
        .iter()
        .map(|a| (a.revision, a.body.as_str(), a.deleted))
        .collect();
    assert_eq!(
        bodies,
        vec![
            (1, "", false),
            (2, "Số liệu chưa khớp", false),
            (3, "Đề nghị giải trình", false),
            (4, "Đề nghị giải trình", true),
        ],
        "every revision stays readable, the losing edit and the deletion included"
    );
    assert_eq!(
        logged_annotations(&storage, &fx).await.len(),
        4,
        "each stored revision is logged once, retries never"
    );

    let stranger = Annotation {
        author: fx.secretary.id,
        ..highlight(&fx, &paper, id, "")
    };
    expect_conflict(
        storage.write_annotation(write(&fx, stranger, 4)).await,
        "writing under another member's annotation id",
    );
    assert_eq!(storage.annotation_history(id).await.unwrap().len(), 4);
}

/// Readers are logged with each revision, and a reader who loses it (unshared) is among the
/// logged revision's former readers, so their pull removes it.
pub async fn an_unshared_annotation_is_logged_as_gone_for_its_former_readers(
    storage: Arc<dyn CouncilStorage>,
) {
    let (fx, paper) = council_with_paper(&storage, "unshare").await;
    let id = AnnotationId(Uuid::new_v4());
    let reader = fx.secretary.id;
    let shared = Annotation {
        sharing: Sharing::Meeting,
        ..highlight(&fx, &paper, id, "Cùng xem")
    };
    storage
        .write_annotation(NewAnnotationRevision {
            readers: vec![reader],
            ..write(&fx, shared, 0)
        })
        .await
        .unwrap();
    storage
        .write_annotation(write(&fx, highlight(&fx, &paper, id, "Cùng xem"), 1))
        .await
        .unwrap();
    let logged = logged_annotations(&storage, &fx).await;
    assert_eq!(logged.len(), 2);
    let seen: Vec<_> = logged
        .iter()
        .map(|r| r.as_seen_by(reader, fx.secretary.role))
        .collect();
    assert!(
        matches!(&seen[0], Some(SyncRecord::Annotation(a)) if a.annotation.revision == 1),
        "the shared revision reaches its reader: {seen:?}"
    );
    assert_eq!(
        seen[1],
        Some(SyncRecord::AnnotationRemoved(AnnotationRemoved {
            id,
            paper_id: paper.id
        })),
        "the private revision tells its former reader to remove it"
    );
    let other = MemberId(Uuid::new_v4());
    assert!(
        logged
            .iter()
            .all(|r| r.as_seen_by(other, fx.delegate.role).is_none()),
        "a member it was never shared with learns nothing of it"
    );
}

/// Devices edit one annotation at the same moment: each write gets a revision of its own,
/// numbered without gaps or repeats, and the history holds every one.
pub async fn concurrent_writes_of_one_annotation_each_get_a_revision(
    storage: Arc<dyn CouncilStorage>,
) {
    const DEVICES: usize = 6;
    let (fx, paper) = council_with_paper(&storage, "devices").await;
    let id = AnnotationId(Uuid::new_v4());
    storage
        .write_annotation(write(&fx, highlight(&fx, &paper, id, ""), 0))
        .await
        .unwrap();
    let barrier = Arc::new(Barrier::new(DEVICES));
    let edits: Vec<_> = (0..DEVICES)
        .map(|device| {
            let (storage, barrier) = (storage.clone(), barrier.clone());
            let edit = write(
                &fx,
                highlight(&fx, &paper, id, &format!("thiết bị {device}")),
                1,
            );
            tokio::spawn(async move {
                barrier.wait().await;
                storage.write_annotation(edit).await
            })
        })
        .collect();
    let mut revisions = Vec::new();
    for edit in edits {
        revisions.push(edit.await.unwrap().unwrap().annotation.revision);
    }
    revisions.sort_unstable();
    assert_eq!(
        revisions,
        (2..=DEVICES as u32 + 1).collect::<Vec<_>>(),
        "every concurrent edit is a revision of its own"
    );
    assert_eq!(
        storage.annotation_history(id).await.unwrap().len(),
        DEVICES + 1
    );
    assert_eq!(
        storage.annotation(id).await.unwrap().revision,
        DEVICES as u32 + 1
    );
}
