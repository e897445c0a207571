//! `serve --demo --demo-delegates N`: N more delegates log in with the demo password and sit
//! in the demo session, whether they arrive before its packet is published (version 1
//! seats them) or after (the next version does); a second start changes nothing.

use super::*;
use council_server::demo_crowd::{self, CrowdSeeded};
use council_server::demo_packet;
use ecabinet_domain::{CouncilId, MeetingId, MeetingRole, PacketVersion};
use ecabinet_protocol::SittingSnapshot;

on_every_backend!(
    the_crowd_seated_before_the_publish_logs_in_and_follows_the_sitting,
    a_session_published_without_the_crowd_seats_it_in_its_next_version,
);

const CROWD: u32 = 30;

/// The demo council, seeded, not yet published, with the server state the demo seeds use.
async fn demo_state(backend: Backend) -> (Council, ServerState, CouncilId) {
    let (storage, dir, database) = empty_storage(backend).await;
    let seed = demo::council_seed(NOW, PASSWORD, &mut rand::rng()).unwrap();
    let council_id = seed.council.id;
    storage.seed_council(seed).await.unwrap();
    let clock = Arc::new(ManualClock::at(NOW));
    let blobs = FsBlobStore::open(&dir.path().join("blobs")).unwrap();
    let state = ServerState::new(storage, clock.clone(), Arc::new(blobs), paper_check());
    let council = Council {
        app: router(state.clone()),
        clock,
        _dir: dir,
        _database: database,
    };
    (council, state, council_id)
}

async fn published(state: &ServerState, council: CouncilId) -> PacketVersion {
    let mut latest = None;
    for meeting in state.storage.meetings(council).await.unwrap() {
        if let Some(version) = state.storage.latest_packet(meeting.id).await.unwrap() {
            latest = Some(version);
        }
    }
    latest.expect("the demo session's packet is published")
}

async fn sitting_as(council: &Council, username: &str, meeting: MeetingId) -> SittingSnapshot {
    let token = council.login(username).await.token;
    let (status, body) = council
        .call(
            "GET",
            &format!("/api/v1/meetings/{meeting}/sitting"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{username} sits in the demo session, so follows its sitting: {body}"
    );
    serde_json::from_value(body).unwrap()
}

async fn the_crowd_seated_before_the_publish_logs_in_and_follows_the_sitting(backend: Backend) {
    let (council, state, council_id) = demo_state(backend).await;
    let seeded = demo_crowd::seed(&state, council_id, CROWD, Some(PASSWORD))
        .await
        .unwrap();
    assert_eq!(
        seeded,
        CrowdSeeded {
            created: CROWD as usize,
            published: None
        },
        "nothing is published yet: the accounts are all it takes"
    );
    demo_packet::publish(&state, council_id).await.unwrap();
    let version = published(&state, council_id).await;
    assert_eq!(version.number, 1);

    let first = sitting_as(&council, "delegate0001", version.meeting_id).await;
    let last = council.login("delegate0030").await;
    assert_eq!(last.member.display_name, "Đại biểu 0030");
    let seat = version
        .participants
        .iter()
        .find(|p| p.member_id == last.member.id)
        .expect("version 1 lists every member of the council");
    assert_eq!(
        (seat.meeting_role, seat.votes),
        (MeetingRole::Delegate, true)
    );
    assert!(
        first.voters.contains(&last.member.id),
        "the crowd counts towards the quorum"
    );

    let again = demo_crowd::seed(&state, council_id, CROWD, None)
        .await
        .unwrap();
    assert_eq!(
        again,
        CrowdSeeded {
            created: 0,
            published: None
        },
        "a second start finds them all: no password needed, nothing written"
    );
    assert_eq!(published(&state, council_id).await.number, 1);
}

async fn a_session_published_without_the_crowd_seats_it_in_its_next_version(backend: Backend) {
    let (council, state, council_id) = demo_state(backend).await;
    demo_packet::publish(&state, council_id).await.unwrap();
    let before = published(&state, council_id).await;
    let seeded = demo_crowd::seed(&state, council_id, CROWD, Some(PASSWORD))
        .await
        .unwrap();
    assert_eq!(seeded.published, Some(2));
    let after = published(&state, council_id).await;
    assert_eq!(
        after.entries, before.entries,
        "the same papers: only participants were added"
    );
    assert_eq!(after.programme, before.programme);
    assert_eq!(
        after.participants.len(),
        before.participants.len() + CROWD as usize
    );
    sitting_as(&council, "delegate0030", after.meeting_id).await;

    // A larger crowd on a later start adds only the ones missing.
    let more = demo_crowd::seed(&state, council_id, CROWD + 2, Some(PASSWORD))
        .await
        .unwrap();
    assert_eq!(
        more,
        CrowdSeeded {
            created: 2,
            published: Some(3)
        }
    );
    sitting_as(&council, "delegate0032", after.meeting_id).await;
}
