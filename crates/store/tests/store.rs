//! The local store keeps what was synced, across restarts and failed writes.

use ecabinet_domain::{
    AgendaItem, AgendaItemId, AgendaTree, Council, CouncilId, Meeting, MeetingId, MeetingStatus,
    Member, MemberId, Role, Timestamp,
};
use ecabinet_protocol::{Change, ChangesPage, SyncRecord};
use ecabinet_store::{Store, StoredSession};
use uuid::Uuid;

fn council() -> Council {
    Council {
        id: CouncilId(Uuid::from_u128(1)),
        name: "Hội đồng nhân dân thành phố Phú An".into(),
    }
}

fn session(server: &str, council: &Council) -> StoredSession {
    StoredSession {
        server_url: server.into(),
        token: "secret-token".into(),
        member: Member {
            id: MemberId(Uuid::from_u128(2)),
            council_id: council.id,
            username: "delegate01".into(),
            display_name: "Hoàng Thị Lan".into(),
            role: Role::Delegate,
        },
        council: council.clone(),
    }
}

fn meeting() -> Meeting {
    Meeting {
        id: MeetingId(Uuid::from_u128(10)),
        council_id: council().id,
        title: "Kỳ họp thứ mười".into(),
        starts_at: Timestamp(1_796_000_000_000),
        location: "Hội trường".into(),
        status: MeetingStatus::Scheduled,
    }
}

fn item(n: u128, parent: Option<u128>, title: &str) -> AgendaItem {
    AgendaItem {
        id: AgendaItemId(Uuid::from_u128(n)),
        meeting_id: meeting().id,
        parent_id: parent.map(|p| AgendaItemId(Uuid::from_u128(p))),
        position: n as i32,
        title: title.into(),
        presenter: Some("Giám đốc Sở Tài chính".into()),
        planned_minutes: Some(30),
        paper_titles: vec!["Tờ trình về dự toán ngân sách".into()],
    }
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

#[test]
fn a_synced_programme_survives_reopening_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.db");
    {
        let mut store = Store::open(&path).unwrap();
        store
            .save_session(&session("http://server", &council()))
            .unwrap();
        let applied = store
            .apply_changes(
                &page(
                    1,
                    vec![
                        SyncRecord::Council(council()),
                        SyncRecord::Meeting(meeting()),
                        SyncRecord::AgendaItem(item(
                            20,
                            None,
                            "Dự toán ngân sách nhà nước năm 2027",
                        )),
                        SyncRecord::AgendaItem(item(21, Some(20), "Thảo luận tại hội trường")),
                    ],
                ),
                Timestamp(5),
            )
            .unwrap();
        assert_eq!(applied.records, 4);
        assert_eq!(applied.cursor, 4);
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.cursor().unwrap(),
        4,
        "the cursor is committed with the data it describes"
    );
    assert_eq!(store.last_synced_at().unwrap(), Some(Timestamp(5)));
    assert_eq!(
        store.session().unwrap().unwrap().member.display_name,
        "Hoàng Thị Lan"
    );
    let listed = store.meetings().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].item_count, 2);
    let tree = AgendaTree::build(store.agenda_items(meeting().id).unwrap());
    let titles: Vec<_> = tree
        .walk()
        .iter()
        .map(|n| format!("{} {}", n.number, n.item.title))
        .collect();
    assert_eq!(
        titles,
        [
            "1 Dự toán ngân sách nhà nước năm 2027",
            "1.1 Thảo luận tại hội trường"
        ]
    );
}

#[test]
fn a_retried_page_changes_nothing_and_never_moves_the_cursor_back() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .save_session(&session("http://server", &council()))
        .unwrap();
    store
        .apply_changes(&page(1, vec![SyncRecord::Meeting(meeting())]), Timestamp(1))
        .unwrap();
    let mut renamed = meeting();
    renamed.title = "Kỳ họp thứ mười (điều chỉnh)".into();
    store
        .apply_changes(&page(2, vec![SyncRecord::Meeting(renamed)]), Timestamp(2))
        .unwrap();

    let stale = page(1, vec![SyncRecord::Meeting(meeting())]);
    let applied = store.apply_changes(&stale, Timestamp(3)).unwrap();
    assert_eq!(
        applied.records, 0,
        "a change at or before the cursor was already applied"
    );
    assert_eq!(store.cursor().unwrap(), 2);
    assert_eq!(
        store.meeting(meeting().id).unwrap().unwrap().title,
        "Kỳ họp thứ mười (điều chỉnh)"
    );
}

#[test]
fn signing_in_to_another_council_starts_afresh_but_logout_keeps_the_papers_readable() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .save_session(&session("http://server", &council()))
        .unwrap();
    store
        .apply_changes(&page(1, vec![SyncRecord::Meeting(meeting())]), Timestamp(1))
        .unwrap();

    store.clear_session().unwrap();
    assert!(store.session().unwrap().is_none());
    assert_eq!(
        store.meetings().unwrap().len(),
        1,
        "logging out must not destroy the offline copy"
    );

    store
        .save_session(&session("http://server", &council()))
        .unwrap();
    assert_eq!(
        store.cursor().unwrap(),
        1,
        "the same council resumes from its cursor"
    );

    let other = Council {
        id: CouncilId(Uuid::from_u128(99)),
        name: "Hội đồng khác".into(),
    };
    store
        .save_session(&session("http://server", &other))
        .unwrap();
    assert!(
        store.meetings().unwrap().is_empty(),
        "one council's meetings never show under another's"
    );
    assert_eq!(store.cursor().unwrap(), 0);
}

#[test]
fn the_session_token_never_appears_in_debug_output() {
    let s = session("http://server", &council());
    assert!(
        !format!("{s:?}").contains("secret-token"),
        "tokens must not reach logs"
    );
}

#[test]
fn another_member_signing_in_on_a_shared_device_starts_from_an_empty_copy() {
    let mut store = Store::open_in_memory().unwrap();
    let chair = StoredSession {
        member: Member {
            id: MemberId(Uuid::from_u128(3)),
            username: "chair".into(),
            role: Role::Chair,
            ..session("http://server", &council()).member
        },
        ..session("http://server", &council())
    };
    store.save_session(&chair).unwrap();
    store
        .apply_changes(&page(1, vec![SyncRecord::Meeting(meeting())]), Timestamp(1))
        .unwrap();
    store.clear_session().unwrap();

    store
        .save_session(&session("http://server", &council()))
        .unwrap();
    assert!(
        store.meetings().unwrap().is_empty(),
        "the chair's copy (drafts, confidential papers) never shows under a delegate's name"
    );
    assert_eq!(
        store.cursor().unwrap(),
        0,
        "the delegate pulls their own copy from the start"
    );
}

#[test]
fn a_paper_reopens_where_each_member_stopped_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ecabinet.db");
    let lan = MemberId(Uuid::from_u128(2));
    let minh = MemberId(Uuid::from_u128(3));
    let paper = Uuid::from_u128(40).to_string();
    {
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.last_page(lan, &paper).unwrap(), None);
        store.remember_page(lan, &paper, 11, Timestamp(1)).unwrap();
        store.remember_page(lan, &paper, 12, Timestamp(2)).unwrap();
        store.remember_page(minh, &paper, 3, Timestamp(3)).unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.last_page(lan, &paper).unwrap(),
        Some(12),
        "the latest page wins, and it survives closing the app"
    );
    assert_eq!(
        store.last_page(minh, &paper).unwrap(),
        Some(3),
        "someone sharing the device keeps their own place"
    );
}
