//! A member's annotations on the device: what the server sent, and their own writes shown
//! at once and kept until the server acknowledges them.

use ecabinet_domain::annotation::{Anchor, TextAnchor, TextPosition, TextQuote};
use ecabinet_domain::{
    Annotation, AnnotationId, AnnotationKind, BlobHash, Council, CouncilId, MadeOn, MeetingId,
    Member, MemberId, PaperId, Role, Sharing, Timestamp,
};
use ecabinet_protocol::{AnnotationRecord, AnnotationRemoved, Change, ChangesPage, SyncRecord};
use ecabinet_store::{AnnotationSync, OutboxOperation, Store, StoredSession};
use uuid::Uuid;

const LAN: u128 = 2;
const MINH: u128 = 3;

fn session(member: u128) -> StoredSession {
    let council = Council {
        id: CouncilId(Uuid::from_u128(1)),
        name: "Hội đồng nhân dân thành phố Phú An".into(),
    };
    StoredSession {
        server_url: "http://server".into(),
        token: "secret-token".into(),
        member: Member {
            id: MemberId(Uuid::from_u128(member)),
            council_id: council.id,
            username: format!("delegate{member:02}"),
            display_name: "Hoàng Thị Lan".into(),
            role: Role::Delegate,
        },
        council,
    }
}

fn budget_paper() -> PaperId {
    PaperId(Uuid::from_u128(11))
}

fn highlight(id: u128, author: u128, revision: u32, body: &str) -> Annotation {
    Annotation {
        id: AnnotationId(Uuid::from_u128(id)),
        author: MemberId(Uuid::from_u128(author)),
        paper_id: budget_paper(),
        meeting_id: MeetingId(Uuid::from_u128(12)),
        made_on: MadeOn {
            packet_version: Some(1),
            hash: BlobHash::parse(&"ab".repeat(32)).unwrap(),
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
        revision,
        updated_at: Timestamp(1_797_000_000_000 + i64::from(revision)),
        deleted: false,
    }
}

fn logged(a: Annotation) -> SyncRecord {
    SyncRecord::Annotation(AnnotationRecord {
        annotation: a,
        readers: Vec::new(),
        former_readers: Vec::new(),
    })
}

fn page(first_seq: i64, records: Vec<SyncRecord>) -> ChangesPage {
    let changes: Vec<Change> = records
        .into_iter()
        .enumerate()
        .map(|(i, record)| Change {
            seq: first_seq + i as i64,
            record,
        })
        .collect();
    ChangesPage {
        next_cursor: changes.last().map_or(first_seq - 1, |c| c.seq),
        changes,
        has_more: false,
    }
}

fn bodies(store: &Store, member: u128) -> Vec<(String, u32, AnnotationSync)> {
    store
        .annotations(MemberId(Uuid::from_u128(member)), budget_paper())
        .unwrap()
        .into_iter()
        .map(|a| (a.annotation.body, a.annotation.revision, a.sync))
        .collect()
}

fn now() -> Timestamp {
    Timestamp(1_797_000_100_000)
}

#[test]
fn a_pulled_annotation_is_kept_and_an_older_revision_never_replaces_a_newer_one() {
    let mut store = Store::open_in_memory().unwrap();
    store.save_session(&session(LAN)).unwrap();
    store
        .apply_changes(
            &page(1, vec![logged(highlight(20, LAN, 2, "Cần làm rõ"))]),
            now(),
        )
        .unwrap();
    store
        .apply_changes(
            &page(2, vec![logged(highlight(20, LAN, 1, "bản cũ"))]),
            now(),
        )
        .unwrap();
    assert_eq!(
        bodies(&store, LAN),
        vec![("Cần làm rõ".into(), 2, AnnotationSync::Synced)],
        "revision 1 arriving after revision 2 (a write's answer raced the pull) is stale"
    );
}

#[test]
fn applying_a_page_of_annotations_twice_ends_where_applying_it_once_does() {
    let mut store = Store::open_in_memory().unwrap();
    store.save_session(&session(LAN)).unwrap();
    let records = vec![
        logged(highlight(20, LAN, 1, "Cần làm rõ")),
        logged(highlight(21, MINH, 1, "Đồng ý")),
        SyncRecord::AnnotationRemoved(AnnotationRemoved {
            id: AnnotationId(Uuid::from_u128(21)),
            paper_id: budget_paper(),
        }),
    ];
    store
        .apply_changes(&page(1, records.clone()), now())
        .unwrap();
    let once = bodies(&store, LAN);
    // The same page again, as a store whose cursor went back to 0 pulls it.
    store.save_session(&session(MINH)).unwrap();
    store.save_session(&session(LAN)).unwrap();
    store
        .apply_changes(&page(1, records.clone()), now())
        .unwrap();
    store.apply_changes(&page(1, records), now()).unwrap();
    assert_eq!(once, vec![("Cần làm rõ".into(), 1, AnnotationSync::Synced)]);
    assert_eq!(
        bodies(&store, LAN),
        once,
        "the unshared note stays removed, the own note is kept once"
    );
}

#[test]
fn a_local_write_shows_at_once_and_survives_a_restart_until_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.db");
    let note = highlight(20, LAN, 0, "Đề nghị giải trình khoản chi");
    {
        let mut store = Store::open(&path).unwrap();
        store.save_session(&session(LAN)).unwrap();
        store.save_annotation(&note, now()).unwrap();
        assert_eq!(
            bodies(&store, LAN),
            vec![(note.body.clone(), 0, AnnotationSync::Pending)],
            "a mark shows the moment it is drawn, before any server answers"
        );
    } // killed before pushing
    let mut store = Store::open(&path).unwrap();
    assert_eq!(
        bodies(&store, LAN),
        vec![(note.body.clone(), 0, AnnotationSync::Pending)]
    );
    let outbox = store.outbox(MemberId(Uuid::from_u128(LAN))).unwrap();
    assert_eq!(outbox.len(), 1, "the write waits to be pushed");
    let OutboxOperation::Put(write) = &outbox[0].operation else {
        panic!("a new annotation is a PUT, got {:?}", outbox[0].operation)
    };
    assert_eq!(write.base_revision, 0, "a new annotation edits no revision");
    assert_eq!(write.body, note.body);

    store
        .acknowledge_annotation(outbox[0].seq, &highlight(20, LAN, 1, &note.body))
        .unwrap();
    assert_eq!(
        bodies(&store, LAN),
        vec![(note.body.clone(), 1, AnnotationSync::Synced)]
    );
    assert!(
        store
            .outbox(MemberId(Uuid::from_u128(LAN)))
            .unwrap()
            .is_empty()
    );

    // An edit names the revision it was made on, and keeps its place among the marks.
    store
        .apply_changes(
            &page(1, vec![logged(highlight(21, MINH, 1, "Đồng ý"))]),
            now(),
        )
        .unwrap();
    store
        .save_annotation(&highlight(20, LAN, 1, "Sửa lại"), now())
        .unwrap();
    assert_eq!(
        bodies(&store, LAN),
        vec![
            ("Sửa lại".into(), 1, AnnotationSync::Pending),
            ("Đồng ý".into(), 1, AnnotationSync::Synced)
        ]
    );
    let outbox = store.outbox(MemberId(Uuid::from_u128(LAN))).unwrap();
    let OutboxOperation::Put(write) = &outbox[0].operation else {
        panic!("an edit is a PUT")
    };
    assert_eq!(write.base_revision, 1);
}

#[test]
fn a_deletion_hides_the_mark_at_once_and_a_refused_write_stays_with_its_code() {
    let mut store = Store::open_in_memory().unwrap();
    store.save_session(&session(LAN)).unwrap();
    store
        .apply_changes(
            &page(1, vec![logged(highlight(20, LAN, 1, "Cần làm rõ"))]),
            now(),
        )
        .unwrap();
    store
        .delete_annotation(&highlight(20, LAN, 1, "Cần làm rõ"), now())
        .unwrap();
    assert!(
        bodies(&store, LAN).is_empty(),
        "deleted before the server knows"
    );
    let lan = MemberId(Uuid::from_u128(LAN));
    let outbox = store.outbox(lan).unwrap();
    assert_eq!(outbox[0].operation, OutboxOperation::Delete);

    store
        .save_annotation(&highlight(22, LAN, 0, "quá dài"), now())
        .unwrap();
    let seq = store.outbox(lan).unwrap()[1].seq;
    store
        .refuse_annotation_write(seq, "payload_too_large", "the note is too long")
        .unwrap();
    assert_eq!(
        bodies(&store, LAN),
        vec![(
            "quá dài".into(),
            0,
            AnnotationSync::Refused {
                code: "payload_too_large".into(),
                message: "the note is too long".into()
            }
        )],
        "a refused mark stays in view with the reason, so nothing drawn vanishes"
    );
    assert_eq!(
        store.outbox(lan).unwrap().len(),
        1,
        "a refused write is not pushed again"
    );
}

#[test]
fn another_member_on_the_device_neither_sees_nor_pushes_anothers_pending_marks() {
    let mut store = Store::open_in_memory().unwrap();
    store.save_session(&session(LAN)).unwrap();
    store
        .save_annotation(&highlight(20, LAN, 0, "ghi chú riêng"), now())
        .unwrap();
    store.save_session(&session(MINH)).unwrap();
    assert!(bodies(&store, MINH).is_empty());
    assert!(
        store
            .outbox(MemberId(Uuid::from_u128(MINH)))
            .unwrap()
            .is_empty()
    );
    store.save_session(&session(LAN)).unwrap();
    assert_eq!(
        store.outbox(MemberId(Uuid::from_u128(LAN))).unwrap().len(),
        1,
        "Lan's unsent mark waits for Lan's next sign-in"
    );
}

#[test]
fn a_store_that_skipped_annotation_records_pulls_from_the_start_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.db");
    {
        let mut store = Store::open(&path).unwrap();
        store.save_session(&session(LAN)).unwrap();
        store.apply_changes(&page(1, Vec::new()), now()).unwrap();
        store
            .apply_changes(
                &ChangesPage {
                    changes: Vec::new(),
                    next_cursor: 40,
                    has_more: false,
                },
                now(),
            )
            .unwrap();
        assert_eq!(store.cursor().unwrap(), 40);
    }
    // Make the file what the previous release left: schema step 4, no annotation (or
    // later) tables.
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "DROP TABLE annotations; DROP TABLE annotation_outbox;
             DROP TABLE opinions; DROP TABLE opinion_outbox; DROP TABLE own_ballots;
             DROP TABLE chat_conversations; DROP TABLE chat_messages; DROP TABLE chat_outbox;
             DROP TABLE annotation_changes;
             PRAGMA user_version = 4;",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.cursor().unwrap(),
        0,
        "the annotations logged before this release were skipped, so pull them again"
    );
}

#[test]
fn the_reader_learns_which_marks_changed_since_its_last_answer_from_every_kind_of_write() {
    let mut store = Store::open_in_memory().unwrap();
    store.save_session(&session(LAN)).unwrap();
    let paper = budget_paper();
    let changed = |store: &Store, since| store.annotations_changed_since(paper, since).unwrap();
    let id = |n: u128| AnnotationId(Uuid::from_u128(n));

    let start = store.annotation_change_cursor().unwrap();
    assert_eq!(changed(&store, start), Some(vec![]), "nothing yet");
    store
        .apply_changes(
            &page(1, vec![logged(highlight(20, MINH, 1, "Đồng ý"))]),
            now(),
        )
        .unwrap();
    let pulled = store.annotation_change_cursor().unwrap();
    assert_eq!(
        changed(&store, start),
        Some(vec![id(20)]),
        "sync brought one"
    );

    store
        .save_annotation(&highlight(21, LAN, 0, "Đề nghị làm rõ"), now())
        .unwrap();
    store
        .save_annotation(&highlight(21, LAN, 0, "Đề nghị làm rõ nguồn vốn"), now())
        .unwrap();
    assert_eq!(
        changed(&store, pulled),
        Some(vec![id(21)]),
        "the member's own writes, each mark once however often it changed"
    );
    let written = store.annotation_change_cursor().unwrap();
    let seq = store.outbox(MemberId(Uuid::from_u128(LAN))).unwrap()[0].seq;
    store
        .refuse_annotation_write(seq, "payload_too_large", "the note is too long")
        .unwrap();
    assert_eq!(
        changed(&store, written),
        Some(vec![id(21)]),
        "a refusal changes how it shows"
    );
    let refused = store.annotation_change_cursor().unwrap();
    store
        .apply_changes(
            &page(
                2,
                vec![SyncRecord::AnnotationRemoved(AnnotationRemoved {
                    id: id(20),
                    paper_id: paper,
                })],
            ),
            now(),
        )
        .unwrap();
    assert_eq!(
        changed(&store, refused),
        Some(vec![id(20)]),
        "an unshared mark is a change too"
    );
    assert_eq!(
        changed(&store, start),
        Some(vec![id(21), id(20)]),
        "in the order they last changed"
    );
    assert_eq!(
        store
            .annotations_changed_since(PaperId(Uuid::from_u128(99)), start)
            .unwrap(),
        Some(vec![]),
        "another paper's marks did not change"
    );
    assert_eq!(
        changed(&store, store.annotation_change_cursor().unwrap() + 5),
        None,
        "a cursor this store never gave: ask for every mark"
    );
}
