//! The live sitting of the demo session: delegates check in and the quorum follows, the
//! chair opens the sitting and moves through the programme, a delegate asks for the floor
//! and is granted it, the presenter's page goes to every participant's live socket and to
//! nobody else's. Who may not act is refused with a code; a retry records nothing twice;
//! a restarted server carries on from what it stored.

use super::*;
use ecabinet_domain::sitting::{
    Presence, Sitting, SittingAction, SittingEvent, SittingRules, SittingStatus,
};
use ecabinet_domain::{MeetingId, PacketVersion, PaperId, Visibility};
use ecabinet_protocol::{LiveEvent, SittingRequest, SittingSnapshot};
use futures_util::StreamExt;
use std::time::Duration;
use tokio_tungstenite::tungstenite::protocol::Message;
use uuid::Uuid;

on_every_backend!(
    delegates_check_in_the_quorum_follows_and_the_chair_runs_the_programme_and_the_floor,
    who_may_not_act_is_refused_with_a_code_and_a_retry_records_nothing_twice,
    the_presenter_s_page_reaches_every_participant_s_socket_and_no_one_else_s,
    a_restarted_server_carries_on_from_the_stored_sitting,
    the_demo_s_sitting_has_its_early_arrivals_once,
);

/// The demo council with its session's packet published, and what it takes to start the
/// server again on the same storage.
pub(super) struct Chamber {
    pub(super) council: Council,
    pub(super) state: ServerState,
    pub(super) storage: Arc<dyn CouncilStorage>,
    pub(super) meeting: MeetingId,
    version: PacketVersion,
}

pub(super) async fn chamber(backend: Backend) -> Chamber {
    let (storage, dir, database) = empty_storage(backend).await;
    let seed = demo::council_seed(NOW, PASSWORD, &mut rand::rng()).unwrap();
    let council_id = seed.council.id;
    storage.seed_council(seed).await.unwrap();
    let clock = Arc::new(ManualClock::at(NOW));
    let blobs = FsBlobStore::open(&dir.path().join("blobs")).unwrap();
    let state = ServerState::new(
        Arc::clone(&storage),
        clock.clone(),
        Arc::new(blobs),
        paper_check(),
    );
    council_server::demo_packet::publish(&state, council_id)
        .await
        .unwrap();
    let mut version = None;
    for meeting in storage.meetings(council_id).await.unwrap() {
        if let Some(published) = storage.latest_packet(meeting.id).await.unwrap() {
            version = Some(published);
        }
    }
    let version = version.expect("the demo session's packet is published");
    Chamber {
        state: state.clone(),
        council: Council {
            app: router(state),
            clock,
            _dir: dir,
            _database: database,
        },
        storage,
        meeting: version.meeting_id,
        version,
    }
}

impl Chamber {
    /// The server started anew on the same storage: nothing in memory survives.
    pub(super) fn restart(&mut self) {
        let blobs = FsBlobStore::open(&self.council._dir.path().join("blobs")).unwrap();
        let state = ServerState::new(
            Arc::clone(&self.storage),
            self.council.clock.clone(),
            Arc::new(blobs),
            paper_check(),
        );
        self.council.app = router(state.clone());
        self.state = state;
    }

    fn path(&self) -> String {
        format!("/api/v1/meetings/{}/sitting", self.meeting)
    }

    async fn send(&self, token: &str, id: Uuid, action: SittingAction) -> (StatusCode, Value) {
        let request = SittingRequest {
            action_id: id,
            action,
        };
        self.council
            .json(
                "POST",
                &self.path(),
                Some(token),
                serde_json::to_value(request).unwrap(),
            )
            .await
    }

    /// Acts and expects the action recorded.
    pub(super) async fn act(&self, token: &str, action: SittingAction) -> SittingEvent {
        let (status, body) = self.send(token, Uuid::new_v4(), action.clone()).await;
        assert_eq!(status, StatusCode::OK, "{action:?}: {body}");
        serde_json::from_value(body).unwrap()
    }

    /// Acts and expects a refusal: its status and code.
    async fn refused(&self, token: &str, action: SittingAction) -> (StatusCode, ErrorCode) {
        let (status, body) = self.send(token, Uuid::new_v4(), action).await;
        (status, code(&body))
    }

    async fn snapshot(&self, token: &str) -> SittingSnapshot {
        let (status, body) = self
            .council
            .call("GET", &self.path(), Some(token), None)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        serde_json::from_value(body).unwrap()
    }

    pub(super) fn first_item(&self) -> ecabinet_domain::AgendaItemId {
        self.version.programme.as_ref().unwrap()[0].id
    }

    /// The longest paper every participant reads, or the confidential one.
    fn paper(&self, confidential: bool) -> PaperId {
        self.version
            .entries
            .iter()
            .filter(|e| matches!(e.visibility, Visibility::Named { .. }) == confidential)
            .filter_map(|e| Some((e.paper_id, e.file.as_ref()?.pages)))
            .max_by_key(|(_, pages)| *pages)
            .expect("the demo packet has papers for all and a confidential one")
            .0
    }
}

fn code(body: &Value) -> ErrorCode {
    serde_json::from_value(body["code"].clone()).unwrap_or_else(|_| panic!("no code in {body}"))
}

async fn delegates_check_in_the_quorum_follows_and_the_chair_runs_the_programme_and_the_floor(
    backend: Backend,
) {
    let chamber = chamber(backend).await;
    let chair = chamber.council.login("chair").await.token;
    let secretary = chamber.council.login("secretary").await.token;
    let before = chamber.snapshot(&chair).await;
    assert_eq!(before.sitting.status, SittingStatus::NotOpened);
    let voters = before.voters.len();
    assert!(
        voters >= 4,
        "the demo session has a chair and delegates who vote"
    );
    let quorum = |s: &SittingSnapshot| s.sitting.quorum(&s.voters);
    assert_eq!(quorum(&before).present, 0);

    let remote = SittingRules {
        remote_allowed: true,
        ..SittingRules::default()
    };
    chamber
        .act(&secretary, SittingAction::SetRules { rules: remote })
        .await;
    for (name, remote) in [
        ("delegate01", false),
        ("delegate02", false),
        ("delegate03", true),
    ] {
        let token = chamber.council.login(name).await.token;
        let event = chamber.act(&token, SittingAction::CheckIn { remote }).await;
        assert_eq!(event.at, NOW, "the server's clock dates each event");
    }
    let present = chamber.snapshot(&chair).await;
    assert_eq!(quorum(&present).present, 3);
    let delegate03 = chamber.council.login("delegate03").await.member.id;
    assert_eq!(
        present.sitting.present(delegate03),
        Some(Presence::Remote),
        "checked in from outside the chamber"
    );

    chamber.council.clock.advance_ms(60_000);
    chamber.act(&chair, SittingAction::Open).await;
    let item = chamber.first_item();
    chamber.act(&chair, SittingAction::MoveTo { item }).await;
    let delegate01 = chamber.council.login("delegate01").await;
    chamber
        .act(
            &delegate01.token,
            SittingAction::RequestFloor {
                point_of_order: false,
            },
        )
        .await;
    chamber
        .act(
            &chair,
            SittingAction::GrantFloor {
                member: delegate01.member.id,
                allowed_secs: Some(180),
            },
        )
        .await;
    chamber.council.clock.advance_ms(90_000);
    chamber.act(&chair, SittingAction::EndSpeech).await;

    let seen = chamber.snapshot(&delegate01.token).await;
    assert_eq!(seen.sitting.status, SittingStatus::Open);
    assert_eq!(seen.sitting.current.map(|c| c.item), Some(item));
    assert_eq!(
        seen.sitting
            .spoken_ms(delegate01.member.id, seen.server_time),
        90_000,
        "a minute and a half on the floor"
    );
    assert_eq!(seen.server_time, NOW.plus_millis(150_000));

    let in_progress = chamber
        .council
        .changes(&delegate01.token, 0)
        .await
        .changes
        .into_iter()
        .rev()
        .find_map(|c| match c.record {
            SyncRecord::Meeting(m) if m.id == chamber.meeting => Some(m.status),
            _ => None,
        });
    assert_eq!(
        in_progress,
        Some(ecabinet_domain::MeetingStatus::InProgress),
        "opening the sitting puts the meeting in progress for every device"
    );
}

async fn who_may_not_act_is_refused_with_a_code_and_a_retry_records_nothing_twice(
    backend: Backend,
) {
    let chamber = chamber(backend).await;
    let chair = chamber.council.login("chair").await.token;
    let guest = chamber.council.login("guest").await.token;
    let delegate01 = chamber.council.login("delegate01").await;
    let delegate02 = chamber.council.login("delegate02").await.token;
    let admin = chamber.council.login("admin").await.token;
    let forbidden = (StatusCode::FORBIDDEN, ErrorCode::Forbidden);

    assert_eq!(
        chamber
            .refused(&delegate02, SittingAction::CheckIn { remote: true })
            .await,
        (StatusCode::FORBIDDEN, ErrorCode::RemoteNotAllowed),
        "the demo session takes check-ins in the chamber only until the secretariat allows more"
    );
    assert_eq!(
        chamber
            .refused(&admin, SittingAction::CheckIn { remote: false })
            .await,
        forbidden,
        "the administrator sits in no meeting"
    );
    let ask = SittingAction::RequestFloor {
        point_of_order: false,
    };
    assert_eq!(
        chamber.refused(&delegate02, ask.clone()).await,
        (StatusCode::CONFLICT, ErrorCode::NotCheckedIn)
    );
    assert_eq!(
        chamber.refused(&delegate02, SittingAction::Open).await,
        forbidden,
        "only the chair opens the sitting"
    );

    // A retry is answered with the event it made, and records nothing more.
    let id = Uuid::new_v4();
    let (status, first) = chamber
        .send(
            &delegate01.token,
            id,
            SittingAction::CheckIn { remote: false },
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let (status, again) = chamber
        .send(
            &delegate01.token,
            id,
            SittingAction::CheckIn { remote: false },
        )
        .await;
    assert_eq!((status, &again), (StatusCode::OK, &first));
    assert_eq!(chamber.snapshot(&chair).await.sitting.seq, 1);

    chamber.act(&chair, SittingAction::Open).await;
    let item = chamber.first_item();
    assert_eq!(
        chamber
            .refused(&delegate02, SittingAction::MoveTo { item })
            .await,
        forbidden,
        "a delegate does not move the programme"
    );
    chamber.act(&chair, SittingAction::MoveTo { item }).await;
    chamber
        .act(&guest, SittingAction::CheckIn { remote: false })
        .await;
    assert_eq!(
        chamber.refused(&guest, ask.clone()).await,
        forbidden,
        "a guest does not ask for the floor"
    );
    chamber.act(&delegate01.token, ask.clone()).await;
    let grant = SittingAction::GrantFloor {
        member: delegate01.member.id,
        allowed_secs: None,
    };
    assert_eq!(
        chamber.refused(&delegate02, grant.clone()).await,
        forbidden,
        "only the chair grants the floor"
    );
    chamber
        .act(&delegate01.token, SittingAction::WithdrawRequest)
        .await;
    assert_eq!(
        chamber.refused(&chair, grant).await,
        (StatusCode::CONFLICT, ErrorCode::RequestGone),
        "a withdrawn request is not granted from a screen that still showed it"
    );
    assert_eq!(
        chamber
            .refused(
                &chair,
                SittingAction::Present {
                    paper_id: chamber.paper(true),
                    page: 0
                }
            )
            .await,
        (StatusCode::BAD_REQUEST, ErrorCode::BadRequest),
        "a confidential paper is not shown to every participant"
    );
    assert_eq!(
        chamber
            .refused(
                &chair,
                SittingAction::Present {
                    paper_id: chamber.paper(false),
                    page: 10_000
                }
            )
            .await,
        (StatusCode::BAD_REQUEST, ErrorCode::BadRequest),
        "no such page"
    );

    chamber.act(&chair, SittingAction::Close).await;
    assert_eq!(
        chamber
            .refused(&delegate02, SittingAction::CheckIn { remote: false })
            .await,
        (StatusCode::CONFLICT, ErrorCode::SittingClosed),
        "nothing is recorded after the close"
    );

    let (status, body) = chamber
        .council
        .json(
            "POST",
            &chamber.path(),
            Some(&chair),
            json!({"action_id": Uuid::new_v4(), "action": "adjourn_forever"}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, ErrorCode::MalformedJson),
        "an action the server does not know: {body}"
    );
    assert!(
        !body["message"].as_str().unwrap_or("").contains("Sitting"),
        "no Rust type names in the answer: {body}"
    );
}

/// The next live message on `socket` within a second, if any.
pub(super) async fn next_live(socket: &mut LiveSocket) -> Option<LiveEvent> {
    let read = tokio::time::timeout(Duration::from_secs(1), async {
        loop {
            match socket.next().await {
                Some(Ok(Message::Text(text))) => return serde_json::from_str(&text).ok(),
                Some(Ok(_)) => {}
                _ => return None,
            }
        }
    });
    read.await.ok().flatten()
}

/// The sitting events among the next live messages, until a second passes without one.
async fn sitting_events(socket: &mut LiveSocket) -> Vec<SittingEvent> {
    let mut events = Vec::new();
    while let Some(message) = next_live(socket).await {
        if let LiveEvent::Sitting { event, .. } = message {
            events.push(event);
        }
    }
    events
}

async fn the_presenter_s_page_reaches_every_participant_s_socket_and_no_one_else_s(
    backend: Backend,
) {
    let chamber = chamber(backend).await;
    let addr = chamber.council.serve().await;
    let chair = chamber.council.login("chair").await.token;
    let delegate = chamber.council.login("delegate01").await.token;
    let admin = chamber.council.login("admin").await.token;
    let mut delegate_socket = open_live(addr, &delegate).await;
    let mut admin_socket = open_live(addr, &admin).await;

    chamber.act(&chair, SittingAction::Open).await;
    let paper_id = chamber.paper(false);
    for page in 0..3 {
        chamber
            .act(&chair, SittingAction::Present { paper_id, page })
            .await;
    }
    let heard = sitting_events(&mut delegate_socket).await;
    let pages: Vec<u32> = heard
        .iter()
        .filter_map(|e| match e.action {
            SittingAction::Present { page, .. } => Some(page),
            _ => None,
        })
        .collect();
    assert_eq!(
        pages,
        vec![0, 1, 2],
        "every turn, in order, in the message itself"
    );
    let numbers: Vec<u64> = heard.iter().map(|e| e.seq).collect();
    assert_eq!(numbers, vec![1, 2, 3, 4], "numbered without a gap");

    // A device that folds what it heard onto nothing shows what the server shows.
    let mut device = Sitting::default();
    for event in &heard {
        device.apply(event);
    }
    assert_eq!(device, chamber.snapshot(&delegate).await.sitting);

    assert!(
        sitting_events(&mut admin_socket).await.is_empty(),
        "a member who does not sit in the meeting hears none of its sitting"
    );
}

async fn a_restarted_server_carries_on_from_the_stored_sitting(backend: Backend) {
    let mut chamber = chamber(backend).await;
    let chair = chamber.council.login("chair").await.token;
    let delegate01 = chamber.council.login("delegate01").await;
    chamber
        .act(&delegate01.token, SittingAction::CheckIn { remote: false })
        .await;
    chamber.act(&chair, SittingAction::Open).await;
    let item = chamber.first_item();
    chamber.act(&chair, SittingAction::MoveTo { item }).await;
    chamber
        .act(
            &delegate01.token,
            SittingAction::RequestFloor {
                point_of_order: true,
            },
        )
        .await;
    let before = chamber.snapshot(&chair).await.sitting;

    chamber.restart();
    let after = chamber.snapshot(&chair).await.sitting;
    assert_eq!(
        after, before,
        "the sitting is its stored events, not the memory of a process"
    );
    chamber
        .act(
            &chair,
            SittingAction::GrantFloor {
                member: delegate01.member.id,
                allowed_secs: None,
            },
        )
        .await;
    assert_eq!(
        chamber
            .snapshot(&chair)
            .await
            .sitting
            .speech
            .map(|s| s.member),
        Some(delegate01.member.id),
        "and carries on where it stopped"
    );
}

async fn the_demo_s_sitting_has_its_early_arrivals_once(backend: Backend) {
    let chamber = chamber(backend).await;
    let council = chamber.council.login("chair").await.member.council_id;
    council_server::demo_sitting::seed(&chamber.state, council)
        .await
        .unwrap();
    let chair = chamber.council.login("chair").await.token;
    let seeded = chamber.snapshot(&chair).await;
    assert!(
        seeded.sitting.rules.remote_allowed,
        "the demo takes remote check-ins"
    );
    assert_eq!(
        seeded.sitting.quorum(&seeded.voters).present,
        5,
        "four delegates checked in and one recorded present by the secretary"
    );
    let delegate04 = chamber.council.login("delegate04").await.member.id;
    assert_eq!(seeded.sitting.present(delegate04), Some(Presence::Remote));
    let delegate06 = chamber.council.login("delegate06").await.member.id;
    assert_eq!(seeded.sitting.present(delegate06), Some(Presence::ByHand));

    council_server::demo_sitting::seed(&chamber.state, council)
        .await
        .unwrap();
    assert_eq!(
        chamber.snapshot(&chair).await.sitting.seq,
        seeded.sitting.seq,
        "a restart records nothing twice"
    );
    let polls = chamber
        .storage
        .meeting_polls(chamber.meeting)
        .await
        .unwrap();
    assert_eq!(
        polls.len(),
        1,
        "the demo drafts one poll for the chair, once"
    );
    assert_eq!(polls[0].poll.id, council_server::demo_sitting::DEMO_POLL);
    assert_eq!(
        Some(polls[0].poll.item_id),
        chamber.version.programme.as_ref().and_then(|p| p
            .iter()
            .filter(|i| i.parent_id.is_none())
            .max_by_key(|i| i.position)
            .map(|i| i.id)),
        "on the programme's last item"
    );
}
