//! A member's opinions on the device: every version the server sent, and their own versions
//! shown at once, numbered after every version the device knows, and kept until the server
//! acknowledges them.

use ecabinet_domain::{
    AgendaItemId, Council, CouncilId, MeetingId, Member, MemberId, Opinion, OpinionId, Role,
    Timestamp,
};
use ecabinet_protocol::{Change, ChangesPage, SyncRecord};
use ecabinet_store::{OpinionSync, Store, StoredSession};
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

fn meeting() -> MeetingId {
    MeetingId(Uuid::from_u128(12))
}

fn opinion(author: u128, version: u32, body: &str) -> Opinion {
    Opinion {
        id: OpinionId(Uuid::from_u128(40)),
        author: MemberId(Uuid::from_u128(author)),
        meeting_id: meeting(),
        item_id: AgendaItemId(Uuid::from_u128(13)),
        paper: None,
        body: body.into(),
        version,
        sent_at: Timestamp(1_797_000_000_000 + i64::from(version)),
        withdrawn: false,
    }
}

fn pulled(store: &mut Store, seq: i64, opinion: Opinion) {
    store
        .apply_changes(
            &ChangesPage {
                changes: vec![Change {
                    seq,
                    record: SyncRecord::Opinion(opinion),
                }],
                next_cursor: seq,
                has_more: false,
            },
            Timestamp(1_797_000_000_000),
        )
        .unwrap();
}

#[test]
fn a_version_sent_offline_survives_a_restart_and_leaves_the_outbox_with_its_answer() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.db");
    let lan = MemberId(Uuid::from_u128(LAN));
    {
        let mut store = Store::open(&path).unwrap();
        store.save_session(&session(LAN)).unwrap();
        let queued = store.send_opinion(&opinion(LAN, 0, "Tán thành.")).unwrap();
        assert_eq!(queued.version, 1, "a new opinion is version 1");
    } // the app closes offline
    let mut store = Store::open(&path).unwrap();
    let shown = store.opinions(lan, meeting()).unwrap();
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].sync, OpinionSync::Pending);
    let waiting = store.opinion_outbox(lan).unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].write.version, 1);
    assert_eq!(waiting[0].write.body, "Tán thành.");

    store
        .acknowledge_opinion(waiting[0].seq, &opinion(LAN, 1, "Tán thành."))
        .unwrap();
    assert!(store.opinion_outbox(lan).unwrap().is_empty());
    let shown = store.opinions(lan, meeting()).unwrap();
    assert_eq!(
        shown
            .iter()
            .map(|o| (o.opinion.version, o.sync.clone()))
            .collect::<Vec<_>>(),
        vec![(1, OpinionSync::Synced)],
        "the server's answer replaces the waiting copy, in one transaction"
    );
    pulled(&mut store, 7, opinion(LAN, 1, "Tán thành."));
    assert_eq!(
        store.opinions(lan, meeting()).unwrap().len(),
        1,
        "the same version pulled again is the same row"
    );

    // Another device of Lan's sent version 2 meanwhile; an edit here is numbered after it.
    pulled(
        &mut store,
        8,
        opinion(LAN, 2, "Tán thành, có ý kiến bổ sung."),
    );
    let edit = store
        .send_opinion(&opinion(LAN, 0, "Tán thành; đề nghị bổ sung số liệu."))
        .unwrap();
    assert_eq!(edit.version, 3);
    let seq = store.opinion_outbox(lan).unwrap()[0].seq;
    store
        .refuse_opinion_write(seq, "conflict", "the meeting is archived")
        .unwrap();
    assert!(
        store.opinion_outbox(lan).unwrap().is_empty(),
        "a refused version is not pushed again"
    );
    assert!(matches!(
        store.opinions(lan, meeting()).unwrap().last().unwrap().sync,
        OpinionSync::Refused { ref code, .. } if code == "conflict"
    ));
    assert_eq!(
        store
            .latest_opinion(lan, OpinionId(Uuid::from_u128(40)))
            .unwrap()
            .unwrap()
            .version,
        3
    );

    store.save_session(&session(MINH)).unwrap();
    let minh = MemberId(Uuid::from_u128(MINH));
    assert!(
        store.opinions(minh, meeting()).unwrap().is_empty(),
        "another member signing in on this device sees none of Lan's opinions"
    );
}
