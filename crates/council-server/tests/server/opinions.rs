//! Opinions (ý kiến): a delegate sends a formal opinion on an agenda item of the demo
//! session and edits it; the secretariat and the chair receive every version, the author's
//! other login receives them too, and nobody else learns the opinion exists. Who may not
//! send one is refused with a code, as is an opinion that breaks a rule.

use super::*;
use ecabinet_domain::{
    AgendaItem, MAX_OPINION_BODY_CHARS, MAX_OPINION_QUOTE_CHARS, Meeting, MeetingStatus, Opinion,
    OpinionId, PacketEntry, PacketVersion, PaperLink, Visibility,
};
use ecabinet_protocol::{OpinionVersions, OpinionWrite};
use uuid::Uuid;

on_every_backend!(
    an_opinion_and_each_of_its_versions_reach_the_secretariat_and_the_chair_and_no_other_delegate,
    only_delegates_and_the_chair_sitting_in_an_open_meeting_send_opinions,
    malformed_and_oversized_opinions_are_refused_with_a_code,
    the_demo_sessions_opinions_reach_the_secretary_and_each_delegate_sees_their_own,
);

/// The demo council with its upcoming session's packet published.
async fn published_council(backend: Backend) -> Council {
    let (storage, dir, database) = empty_storage(backend).await;
    let seed = demo::council_seed(NOW, PASSWORD, &mut rand::rng()).unwrap();
    let council_id = seed.council.id;
    storage.seed_council(seed).await.unwrap();
    let clock = Arc::new(ManualClock::at(NOW));
    let blobs = FsBlobStore::open(&dir.path().join("blobs")).unwrap();
    let state = ServerState::new(storage, clock.clone(), Arc::new(blobs), paper_check());
    council_server::demo_packet::publish(&state, council_id)
        .await
        .unwrap();
    Council {
        app: router(state),
        clock,
        _dir: dir,
        _database: database,
    }
}

/// What the secretary's pull tells about the demo council's meetings.
struct Session {
    version: PacketVersion,
    meetings: Vec<Meeting>,
    items: Vec<AgendaItem>,
}

impl Session {
    async fn of(council: &Council) -> Session {
        let secretary = council.login("secretary").await.token;
        let records: Vec<SyncRecord> = council
            .changes(&secretary, 0)
            .await
            .changes
            .into_iter()
            .map(|c| c.record)
            .collect();
        let version = records
            .iter()
            .find_map(|r| match r {
                SyncRecord::PacketVersion(v) => Some(v.clone()),
                _ => None,
            })
            .expect("the demo session's packet is published");
        let meetings = records
            .iter()
            .filter_map(|r| match r {
                SyncRecord::Meeting(m) => Some(m.clone()),
                _ => None,
            })
            .collect();
        let items = records
            .iter()
            .filter_map(|r| match r {
                SyncRecord::AgendaItem(i) => Some(i.clone()),
                _ => None,
            })
            .collect();
        Session {
            version,
            meetings,
            items,
        }
    }

    /// A published paper under an agenda item that every participant reads, or the
    /// confidential one.
    fn paper(&self, confidential: bool) -> &PacketEntry {
        self.version
            .entries
            .iter()
            .find(|e| {
                matches!(e.visibility, Visibility::Named { .. }) == confidential
                    && (confidential || matches!(e.place, ecabinet_domain::PaperPlace::Item(_)))
            })
            .expect("the demo packet has papers for all and a confidential one")
    }

    /// The agenda item a published paper sits under.
    fn item_of(&self, paper: &PacketEntry) -> &AgendaItem {
        self.items
            .iter()
            .find(|i| ecabinet_domain::PaperPlace::Item(i.id) == paper.place)
            .expect("the paper sits under an item of the programme")
    }

    fn meeting(&self, status: MeetingStatus) -> &Meeting {
        self.meetings
            .iter()
            .find(|m| m.status == status)
            .unwrap_or_else(|| panic!("the demo council has a {status:?} meeting"))
    }

    fn first_item_of(&self, meeting: &Meeting) -> &AgendaItem {
        self.items
            .iter()
            .find(|i| i.meeting_id == meeting.id)
            .expect("every demo meeting has a programme")
    }
}

/// An opinion on `paper`'s item quoting its first page, as a device sends its `version`.
fn on_paper(session: &Session, paper: &PacketEntry, version: u32, body: &str) -> OpinionWrite {
    OpinionWrite {
        version,
        meeting_id: session.version.meeting_id,
        item_id: session.item_of(paper).id,
        paper: Some(PaperLink {
            paper_id: paper.paper_id,
            page: 0,
            quote: Some("dự toán thu ngân sách nhà nước".into()),
        }),
        body: body.into(),
        withdrawn: false,
    }
}

impl Council {
    async fn put_opinion(
        &self,
        token: &str,
        id: OpinionId,
        write: &OpinionWrite,
    ) -> (StatusCode, Value) {
        self.json(
            "PUT",
            &format!("/api/v1/opinions/{id}"),
            Some(token),
            serde_json::to_value(write).unwrap(),
        )
        .await
    }

    /// The versions of opinion `id` in the caller's pull: what their device receives.
    async fn pulled_versions(&self, token: &str, id: OpinionId) -> Vec<u32> {
        self.changes(token, 0)
            .await
            .changes
            .into_iter()
            .filter_map(|c| match c.record {
                SyncRecord::Opinion(o) if o.id == id => Some(o.version),
                _ => None,
            })
            .collect()
    }
}

async fn an_opinion_and_each_of_its_versions_reach_the_secretariat_and_the_chair_and_no_other_delegate(
    backend: Backend,
) {
    let council = published_council(backend).await;
    let session = Session::of(&council).await;
    let paper = session.paper(false);
    let laptop = council.login("delegate01").await.token;
    let tablet = council.login("delegate01").await.token;
    let id = OpinionId(Uuid::new_v4());

    let first = on_paper(&session, paper, 1, "Tán thành với dự thảo nghị quyết.");
    let (status, body) = council.put_opinion(&laptop, id, &first).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let sent: Opinion = serde_json::from_value(body).unwrap();
    assert_eq!((sent.version, sent.withdrawn), (1, false));
    assert_eq!(sent.author, council.login("delegate01").await.member.id);
    assert_eq!(sent.sent_at, NOW, "the server's clock dates each version");

    let secretary = council.login("secretary").await.token;
    let head = council.changes(&secretary, 0).await.next_cursor;
    let (status, body) = council.put_opinion(&laptop, id, &first).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        serde_json::from_value::<Opinion>(body).unwrap(),
        sent,
        "a retry is answered with the version it made the first time"
    );
    assert_eq!(
        council.changes(&secretary, 0).await.next_cursor,
        head,
        "and logs nothing"
    );

    let edit = on_paper(
        &session,
        paper,
        2,
        "Tán thành; đề nghị bổ sung số liệu thu quý IV năm 2026.",
    );
    let (status, body) = council.put_opinion(&laptop, id, &edit).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(serde_json::from_value::<Opinion>(body).unwrap().version, 2);

    for (who, token) in [
        ("the author's other login", tablet.clone()),
        ("the secretary", secretary.clone()),
        ("the chair", council.login("chair").await.token),
    ] {
        assert_eq!(
            council.pulled_versions(&token, id).await,
            vec![1, 2],
            "{who} receives both versions"
        );
    }
    let (status, body) = council
        .call(
            "GET",
            &format!("/api/v1/opinions/{id}"),
            Some(&secretary),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let versions: OpinionVersions = serde_json::from_value(body).unwrap();
    assert_eq!(
        versions
            .versions
            .iter()
            .map(|o| (o.version, o.body.as_str()))
            .collect::<Vec<_>>(),
        vec![
            (1, "Tán thành với dự thảo nghị quyết."),
            (2, "Tán thành; đề nghị bổ sung số liệu thu quý IV năm 2026."),
        ],
        "the secretariat sees what was said first and what it became"
    );
    let meeting_list = format!("/api/v1/meetings/{}/opinions", session.version.meeting_id);
    let (status, body) = council
        .call("GET", &meeting_list, Some(&secretary), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let listed: OpinionVersions = serde_json::from_value(body).unwrap();
    assert_eq!(listed.versions.iter().filter(|o| o.id == id).count(), 2);

    let unknown = OpinionId(Uuid::new_v4());
    for other in ["delegate02", "guest", "admin"] {
        let token = council.login(other).await.token;
        assert!(
            council.pulled_versions(&token, id).await.is_empty(),
            "{other} must not receive another member's opinion, not even its id"
        );
        for probe in [id, unknown] {
            let (status, body) = council
                .call(
                    "GET",
                    &format!("/api/v1/opinions/{probe}"),
                    Some(&token),
                    None,
                )
                .await;
            assert_eq!(
                (status, code(&body)),
                (StatusCode::NOT_FOUND, ErrorCode::NotFound),
                "{other}: delegate01's opinion is answered exactly as an id nobody used"
            );
        }
    }
    let delegate02 = council.login("delegate02").await.token;
    let (status, body) = council
        .call("GET", &meeting_list, Some(&delegate02), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        serde_json::from_value::<OpinionVersions>(body)
            .unwrap()
            .versions
            .iter()
            .all(|o| o.id != id),
        "a delegate's list of the meeting's opinions holds only their own"
    );
    let (status, body) = council
        .put_opinion(&delegate02, id, &on_paper(&session, paper, 3, "Ghi đè"))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::NOT_FOUND, ErrorCode::NotFound),
        "another delegate cannot write under delegate01's opinion"
    );

    let withdrawal = OpinionWrite {
        withdrawn: true,
        ..on_paper(&session, paper, 3, &edit.body)
    };
    let (status, body) = council.put_opinion(&tablet, id, &withdrawal).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let withdrawn: Opinion = serde_json::from_value(body).unwrap();
    assert!(withdrawn.withdrawn && withdrawn.version == 3);
    assert_eq!(
        council.pulled_versions(&secretary, id).await,
        vec![1, 2, 3],
        "withdrawing is one more version; the earlier ones stay on record"
    );
}

async fn only_delegates_and_the_chair_sitting_in_an_open_meeting_send_opinions(backend: Backend) {
    let council = published_council(backend).await;
    let session = Session::of(&council).await;
    let paper = session.paper(false);
    let write = on_paper(&session, paper, 1, "Đề nghị làm rõ nguồn vốn.");

    for (who, allowed) in [
        ("chair", true),
        ("delegate03", true),
        ("guest", false),
        ("secretary", false),
        ("admin", false),
    ] {
        let token = council.login(who).await.token;
        let (status, body) = council
            .put_opinion(&token, OpinionId(Uuid::new_v4()), &write)
            .await;
        if allowed {
            assert_eq!(status, StatusCode::OK, "{who}: {body}");
        } else {
            assert_eq!(
                (status, code(&body)),
                (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
                "{who} sends no opinions: {body}"
            );
        }
    }

    // The session in preparation: the secretariat lists who takes part, delegate12 left out.
    let secretary = council.login("secretary").await.token;
    let draft = session.meeting(MeetingStatus::Draft);
    let mut seated = Vec::new();
    for username in ["chair", "secretary", "delegate01"] {
        let member = council.login(username).await.member;
        seated.push(json!({
            "member_id": member.id,
            "meeting_role": if username == "secretary" { "secretary" } else if username == "chair" { "chair" } else { "delegate" },
            "votes": username != "secretary",
        }));
    }
    let (status, body) = council
        .json(
            "PUT",
            &format!("/api/v1/meetings/{}/participants", draft.id),
            Some(&secretary),
            Value::Array(seated),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let on_draft = OpinionWrite {
        version: 1,
        meeting_id: draft.id,
        item_id: session.first_item_of(draft).id,
        paper: None,
        body: "Ý kiến về chương trình kỳ họp.".into(),
        withdrawn: false,
    };
    let outsider = council.login("delegate12").await.token;
    let (status, body) = council
        .put_opinion(&outsider, OpinionId(Uuid::new_v4()), &on_draft)
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
        "a delegate of the council who does not sit in this meeting: {body}"
    );
    let seated = council.login("delegate01").await.token;
    let (status, body) = council
        .put_opinion(&seated, OpinionId(Uuid::new_v4()), &on_draft)
        .await;
    assert_eq!(status, StatusCode::OK, "a delegate who sits in it: {body}");

    // The last session is closed: opinions still come in for its conclusions, until the
    // secretariat archives it.
    let closed = session.meeting(MeetingStatus::Closed);
    let on_closed = OpinionWrite {
        meeting_id: closed.id,
        item_id: session.first_item_of(closed).id,
        ..on_draft.clone()
    };
    let id = OpinionId(Uuid::new_v4());
    let (status, body) = council.put_opinion(&seated, id, &on_closed).await;
    assert_eq!(status, StatusCode::OK, "a closed session: {body}");
    let (status, body) = council
        .json(
            "PATCH",
            &format!("/api/v1/meetings/{}", closed.id),
            Some(&secretary),
            json!({"archived": true}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let edit = OpinionWrite {
        version: 2,
        body: "Bổ sung sau khi lưu trữ".into(),
        ..on_closed.clone()
    };
    let (status, body) = council.put_opinion(&seated, id, &edit).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, ErrorCode::Conflict),
        "an archived meeting's opinions are closed: {body}"
    );
    let (_, body) = council
        .call(
            "GET",
            &format!("/api/v1/opinions/{id}"),
            Some(&seated),
            None,
        )
        .await;
    assert_eq!(
        serde_json::from_value::<OpinionVersions>(body)
            .unwrap()
            .versions
            .len(),
        1,
        "the refused edit stored nothing"
    );
}

async fn malformed_and_oversized_opinions_are_refused_with_a_code(backend: Backend) {
    let council = published_council(backend).await;
    let session = Session::of(&council).await;
    let paper = session.paper(false);
    let token = council.login("delegate01").await.token;
    let good = on_paper(&session, paper, 1, "Tán thành.");
    let other_item = session
        .items
        .iter()
        .find(|i| i.meeting_id != session.version.meeting_id)
        .expect("another meeting's item");
    let long_quote = OpinionWrite {
        paper: Some(PaperLink {
            quote: Some("ý".repeat(MAX_OPINION_QUOTE_CHARS + 1)),
            ..good.paper.clone().unwrap()
        }),
        ..good.clone()
    };
    let cases: Vec<(&str, Value, StatusCode, ErrorCode)> = vec![
        (
            "an empty opinion",
            serde_json::to_value(OpinionWrite {
                body: " \n\t ".into(),
                ..good.clone()
            })
            .unwrap(),
            StatusCode::BAD_REQUEST,
            ErrorCode::BadRequest,
        ),
        (
            "a NUL character",
            serde_json::to_value(OpinionWrite {
                body: "Tán\0thành".into(),
                ..good.clone()
            })
            .unwrap(),
            StatusCode::BAD_REQUEST,
            ErrorCode::BadRequest,
        ),
        (
            "an opinion longer than the limit",
            serde_json::to_value(OpinionWrite {
                body: "ý".repeat(MAX_OPINION_BODY_CHARS + 1),
                ..good.clone()
            })
            .unwrap(),
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::PayloadTooLarge,
        ),
        (
            "a quote longer than the limit",
            serde_json::to_value(long_quote).unwrap(),
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::PayloadTooLarge,
        ),
        (
            "an item of another meeting",
            serde_json::to_value(OpinionWrite {
                item_id: other_item.id,
                ..good.clone()
            })
            .unwrap(),
            StatusCode::BAD_REQUEST,
            ErrorCode::BadRequest,
        ),
        (
            "an item nobody made",
            serde_json::to_value(OpinionWrite {
                item_id: ecabinet_domain::AgendaItemId(Uuid::new_v4()),
                ..good.clone()
            })
            .unwrap(),
            StatusCode::BAD_REQUEST,
            ErrorCode::BadRequest,
        ),
        (
            "no body field",
            json!({"version": 1, "meeting_id": good.meeting_id, "item_id": good.item_id}),
            StatusCode::BAD_REQUEST,
            ErrorCode::MalformedJson,
        ),
        (
            "a negative version",
            json!({"version": -1, "meeting_id": good.meeting_id, "item_id": good.item_id, "body": "x"}),
            StatusCode::BAD_REQUEST,
            ErrorCode::MalformedJson,
        ),
    ];
    for (what, body, status, error) in cases {
        let (got, answer) = council
            .json(
                "PUT",
                &format!("/api/v1/opinions/{}", OpinionId(Uuid::new_v4())),
                Some(&token),
                body,
            )
            .await;
        assert_eq!((got, code(&answer)), (status, error), "{what}: {answer}");
    }

    // A confidential paper and a delegate it is not given to.
    let confidential = session.paper(true);
    let Visibility::Named { readers, .. } = &confidential.visibility else {
        unreachable!("a confidential paper names its readers")
    };
    let mut outsider = None;
    for n in 1..=12 {
        let login = council.login(&format!("delegate{n:02}")).await;
        if !readers.contains(&login.member.id) {
            outsider = Some(login.token);
            break;
        }
    }
    let outsider = outsider.expect("a delegate the confidential paper is not given to");
    let quoting_it = OpinionWrite {
        paper: Some(PaperLink {
            paper_id: confidential.paper_id,
            page: 0,
            quote: None,
        }),
        ..good.clone()
    };
    let (status, body) = council
        .put_opinion(&outsider, OpinionId(Uuid::new_v4()), &quoting_it)
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::NOT_FOUND, ErrorCode::NotFound),
        "a link to a paper the delegate may not read is answered as a paper nobody made: {body}"
    );

    let id = OpinionId(Uuid::new_v4());
    let (status, body) = council.put_opinion(&token, id, &good).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let moved = OpinionWrite {
        version: 2,
        item_id: session
            .items
            .iter()
            .find(|i| i.meeting_id == good.meeting_id && i.id != good.item_id)
            .expect("the session has more than one item")
            .id,
        ..good.clone()
    };
    let (status, body) = council.put_opinion(&token, id, &moved).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, ErrorCode::BadRequest),
        "an edit stays on the item it was sent on: {body}"
    );
}

async fn the_demo_sessions_opinions_reach_the_secretary_and_each_delegate_sees_their_own(
    backend: Backend,
) {
    let (storage, dir, database) = empty_storage(backend).await;
    let seed = demo::council_seed(NOW, PASSWORD, &mut rand::rng()).unwrap();
    let council_id = seed.council.id;
    storage.seed_council(seed).await.unwrap();
    let clock = Arc::new(ManualClock::at(NOW));
    let blobs = FsBlobStore::open(&dir.path().join("blobs")).unwrap();
    let state = ServerState::new(storage, clock.clone(), Arc::new(blobs), paper_check());
    council_server::demo_packet::publish(&state, council_id)
        .await
        .unwrap();
    council_server::demo_packet::seed_opinions(&state, council_id)
        .await
        .unwrap();
    council_server::demo_packet::seed_opinions(&state, council_id)
        .await
        .expect("seeding again (a restart of the demo server) adds nothing");
    let council = Council {
        app: router(state),
        clock,
        _dir: dir,
        _database: database,
    };
    let session = Session::of(&council).await;
    let meeting = session.version.meeting_id;
    let secretary = council.login("secretary").await.token;
    let (status, body) = council
        .call(
            "GET",
            &format!("/api/v1/meetings/{meeting}/opinions"),
            Some(&secretary),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let listed = serde_json::from_value::<OpinionVersions>(body)
        .unwrap()
        .versions;
    let mut per_opinion: std::collections::BTreeMap<OpinionId, Vec<u32>> = Default::default();
    for o in &listed {
        per_opinion.entry(o.id).or_default().push(o.version);
        assert!(
            session
                .items
                .iter()
                .any(|i| i.id == o.item_id && i.meeting_id == meeting),
            "every demo opinion is on an item of the session"
        );
        assert!(o.paper.is_some(), "and linked to the paper it quotes");
    }
    let mut shapes: Vec<Vec<u32>> = per_opinion.into_values().collect();
    shapes.sort();
    assert_eq!(
        shapes,
        vec![vec![1], vec![1], vec![1, 2]],
        "three opinions, one edited once, seeded once"
    );
    let delegate02 = council.login("delegate02").await;
    let mine: Vec<Opinion> = council
        .changes(&delegate02.token, 0)
        .await
        .changes
        .into_iter()
        .filter_map(|c| match c.record {
            SyncRecord::Opinion(o) => Some(o),
            _ => None,
        })
        .collect();
    assert_eq!(mine.len(), 2, "delegate02's own opinion, both versions");
    assert!(mine.iter().all(|o| o.author == delegate02.member.id));
}
