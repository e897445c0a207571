//! Annotations: a delegate marks up a published paper on one device and finds it on their
//! other; shared marks reach the participants they are shared with, read-only, and leave them
//! when unshared; nobody else learns a private mark exists.

use super::*;
use ecabinet_domain::annotation::{
    Anchor, MarkAnchor, MarkOffset, TextAnchor, TextPosition, TextQuote,
};
use ecabinet_domain::{
    Annotation, AnnotationId, AnnotationKind, InkPoint, MAX_ANNOTATION_BODY_CHARS, MadeOn,
    MemberId, PacketEntry, PacketVersion, PaperId, Sharing, Visibility,
};
use ecabinet_protocol::{AnnotationHistory, AnnotationRemoved, AnnotationWrite};
use uuid::Uuid;

on_every_backend!(
    a_private_annotation_reaches_its_authors_other_login_and_nobody_else,
    a_shared_annotation_reaches_participants_read_only_and_leaves_them_when_unshared,
    a_retry_is_stored_once_and_of_two_edits_from_one_base_the_last_wins,
    bad_annotations_are_refused_with_a_code,
    the_demo_s_marks_are_on_the_submission_s_words_and_reach_whom_they_are_shared_with,
);

/// The demo council with its upcoming session's packet published.
async fn published_council(backend: Backend) -> Council {
    published_council_with(backend, false).await
}

async fn published_council_with(backend: Backend, demo_marks: bool) -> Council {
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
    if demo_marks {
        for _ in 0..2 {
            // Twice, as a restart does: the second writes nothing new.
            council_server::demo_annotations::seed(&state, council_id)
                .await
                .unwrap();
        }
    }
    Council {
        app: router(state),
        clock,
        _dir: dir,
        _database: database,
    }
}

/// A paper of the published packet (as the secretary sees it) with this visibility.
async fn published_paper(council: &Council, confidential: bool) -> (PacketVersion, PacketEntry) {
    let secretary = council.login("secretary").await.token;
    let version = council
        .changes(&secretary, 0)
        .await
        .changes
        .into_iter()
        .find_map(|c| match c.record {
            SyncRecord::PacketVersion(v) => Some(v),
            _ => None,
        })
        .expect("the demo session's packet is published");
    let entry = version
        .entries
        .iter()
        .find(|e| matches!(e.visibility, Visibility::Named { .. }) == confidential)
        .expect("the demo packet has papers for all and a confidential one")
        .clone();
    (version, entry)
}

fn text_anchor() -> TextAnchor {
    TextAnchor {
        quote: TextQuote {
            exact: "dự toán thu ngân sách".into(),
            prefix: "Phê duyệt ".into(),
            suffix: " năm 2027".into(),
        },
        position: TextPosition {
            start: 120,
            end: 141,
        },
        page: 1,
    }
}

/// A highlight on `paper`, edited from `base_revision`.
fn highlight(
    version: &PacketVersion,
    paper: &PacketEntry,
    base_revision: u32,
    body: &str,
    sharing: Sharing,
) -> AnnotationWrite {
    AnnotationWrite {
        base_revision,
        paper_id: paper.paper_id,
        made_on: MadeOn {
            packet_version: Some(version.number),
            hash: paper.file.as_ref().unwrap().hash.clone(),
        },
        anchor: Anchor::Text(text_anchor()),
        kind: AnnotationKind::Highlight,
        colour: "#ffd54f".into(),
        thickness: 1.0,
        body: body.into(),
        sharing,
    }
}

impl Council {
    async fn put_annotation(
        &self,
        token: &str,
        id: AnnotationId,
        write: &AnnotationWrite,
    ) -> (StatusCode, Value) {
        self.json(
            "PUT",
            &format!("/api/v1/annotations/{id}"),
            Some(token),
            serde_json::to_value(write).unwrap(),
        )
        .await
    }

    /// The annotation records of the caller's pull after `after`: what their device applies.
    async fn annotation_records(&self, token: &str, after: i64) -> (Vec<SyncRecord>, i64) {
        let page = self.changes(token, after).await;
        let records = page
            .changes
            .into_iter()
            .map(|c| c.record)
            .filter(|r| {
                matches!(
                    r,
                    SyncRecord::Annotation(_) | SyncRecord::AnnotationRemoved(_)
                )
            })
            .collect();
        (records, page.next_cursor)
    }

    async fn member_id(&self, username: &str) -> MemberId {
        self.login(username).await.member.id
    }
}

fn stored(body: Value) -> Annotation {
    serde_json::from_value(body).unwrap()
}

fn received(records: &[SyncRecord]) -> Vec<(AnnotationId, u32, bool)> {
    records
        .iter()
        .filter_map(|r| match r {
            SyncRecord::Annotation(a) => {
                Some((a.annotation.id, a.annotation.revision, a.annotation.deleted))
            }
            _ => None,
        })
        .collect()
}

async fn a_private_annotation_reaches_its_authors_other_login_and_nobody_else(backend: Backend) {
    let council = published_council(backend).await;
    let (version, paper) = published_paper(&council, false).await;
    let laptop = council.login("delegate01").await.token;
    let tablet = council.login("delegate01").await.token;

    let id = AnnotationId(Uuid::new_v4());
    let write = highlight(&version, &paper, 0, "Hỏi Sở Tài chính", Sharing::Private);
    let (status, body) = council.put_annotation(&laptop, id, &write).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let made = stored(body);
    assert_eq!((made.revision, made.deleted), (1, false));
    assert_eq!(made.author, council.member_id("delegate01").await);

    let (on_tablet, _) = council.annotation_records(&tablet, 0).await;
    assert_eq!(
        on_tablet,
        vec![SyncRecord::Annotation(
            ecabinet_protocol::AnnotationRecord {
                annotation: made.clone(),
                readers: vec![],
                former_readers: vec![],
            }
        )],
        "the author's other device receives the mark whole, without the server's reader lists"
    );

    for other in ["delegate02", "chair", "secretary", "admin", "guest"] {
        let token = council.login(other).await.token;
        let (records, _) = council.annotation_records(&token, 0).await;
        assert!(
            records.is_empty(),
            "{other} must not learn of a private annotation, not even its id: {records:?}"
        );
        for (method, path) in [
            ("GET", format!("/api/v1/annotations/{id}/history")),
            ("DELETE", format!("/api/v1/annotations/{id}")),
        ] {
            let (status, body) = council.call(method, &path, Some(&token), None).await;
            assert_eq!(
                (status, code(&body)),
                (StatusCode::NOT_FOUND, ErrorCode::NotFound),
                "{other} {method} {path}: answered as for an id nobody used"
            );
        }
        let takeover = highlight(&version, &paper, 1, "", Sharing::Meeting);
        let (status, body) = council.put_annotation(&token, id, &takeover).await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::NOT_FOUND, ErrorCode::NotFound),
            "{other} cannot write over the delegate's annotation"
        );
    }
    let (status, body) = council
        .call(
            "GET",
            &format!("/api/v1/annotations/{id}/history"),
            Some(&tablet),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let history: AnnotationHistory = serde_json::from_value(body).unwrap();
    assert_eq!(
        history.revisions,
        vec![made],
        "the refused writes left no revision"
    );
}

async fn a_shared_annotation_reaches_participants_read_only_and_leaves_them_when_unshared(
    backend: Backend,
) {
    let council = published_council(backend).await;
    let (version, paper) = published_paper(&council, false).await;
    let author = council.login("delegate01").await.token;
    let named = council.login("delegate02").await.token;
    let other = council.login("delegate03").await.token;
    let admin = council.login("admin").await.token;
    let id = AnnotationId(Uuid::new_v4());
    let mut cursors = [0i64; 3];

    let (status, body) = council
        .put_annotation(
            &author,
            id,
            &highlight(&version, &paper, 0, "Cùng xem số liệu", Sharing::Meeting),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    for (i, token) in [&named, &other].into_iter().enumerate() {
        let (records, cursor) = council.annotation_records(token, cursors[i]).await;
        cursors[i] = cursor;
        assert_eq!(
            received(&records),
            vec![(id, 1, false)],
            "shared with the meeting, it reaches every participant"
        );
    }
    let (records, _) = council.annotation_records(&admin, 0).await;
    assert!(
        records.is_empty(),
        "the administrator takes no part in the session: {records:?}"
    );

    // Read-only for them: their edits and deletions are refused, and change nothing.
    let (status, _) = council
        .put_annotation(
            &named,
            id,
            &highlight(&version, &paper, 1, "Sửa hộ", Sharing::Meeting),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = council
        .call(
            "DELETE",
            &format!("/api/v1/annotations/{id}"),
            Some(&named),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let delegate02 = council.member_id("delegate02").await;
    let (status, body) = council
        .put_annotation(
            &author,
            id,
            &highlight(
                &version,
                &paper,
                1,
                "Cùng xem số liệu",
                Sharing::Members {
                    members: vec![delegate02],
                },
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (records, cursor) = council.annotation_records(&named, cursors[0]).await;
    cursors[0] = cursor;
    assert_eq!(
        received(&records),
        vec![(id, 2, false)],
        "still shared with delegate02"
    );
    let (records, cursor) = council.annotation_records(&other, cursors[1]).await;
    cursors[1] = cursor;
    assert_eq!(
        records,
        vec![SyncRecord::AnnotationRemoved(AnnotationRemoved {
            id,
            paper_id: paper.paper_id
        })],
        "no longer shared with delegate03: their copy is removed"
    );

    let (status, body) = council
        .put_annotation(
            &author,
            id,
            &highlight(&version, &paper, 2, "Cùng xem số liệu", Sharing::Private),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (records, _) = council.annotation_records(&named, cursors[0]).await;
    assert_eq!(
        records,
        vec![SyncRecord::AnnotationRemoved(AnnotationRemoved {
            id,
            paper_id: paper.paper_id
        })],
        "made private again: it leaves delegate02 too"
    );
    let (records, _) = council.annotation_records(&other, cursors[1]).await;
    assert!(records.is_empty(), "delegate03 had it removed already");

    // A quote of a confidential paper, shared with the meeting, reaches only its readers.
    let (version, secret) = published_paper(&council, true).await;
    let secret_id = AnnotationId(Uuid::new_v4());
    let (status, body) = council
        .put_annotation(
            &author,
            secret_id,
            &highlight(&version, &secret, 0, "Mật", Sharing::Meeting),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "delegate01 reads the confidential paper: {body}"
    );
    let (records, _) = council.annotation_records(&named, 0).await;
    assert!(
        received(&records).contains(&(secret_id, 1, false)),
        "delegate02 is named on the confidential paper"
    );
    let (records, _) = council.annotation_records(&other, 0).await;
    assert!(
        !received(&records).iter().any(|(a, ..)| *a == secret_id),
        "delegate03 may not read the confidential paper, so not a quote of it either"
    );
}

async fn a_retry_is_stored_once_and_of_two_edits_from_one_base_the_last_wins(backend: Backend) {
    let council = published_council(backend).await;
    let (version, paper) = published_paper(&council, false).await;
    let laptop = council.login("delegate01").await.token;
    let tablet = council.login("delegate01").await.token;
    let id = AnnotationId(Uuid::new_v4());
    let first = highlight(&version, &paper, 0, "", Sharing::Private);

    let (_, body) = council.put_annotation(&laptop, id, &first).await;
    let made = stored(body);
    council.clock.advance_ms(5_000);
    let (status, body) = council.put_annotation(&laptop, id, &first).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        stored(body),
        made,
        "a retry (the answer was lost) gets the first answer back, not a second revision"
    );
    let (records, _) = council.annotation_records(&tablet, 0).await;
    assert_eq!(received(&records), vec![(id, 1, false)], "logged once");

    // Both devices edit revision 1 offline; the tablet's edit reaches the server last.
    let from_laptop = highlight(&version, &paper, 1, "Số liệu chưa khớp", Sharing::Private);
    let from_tablet = highlight(&version, &paper, 1, "Đề nghị giải trình", Sharing::Private);
    let (_, body) = council.put_annotation(&laptop, id, &from_laptop).await;
    assert_eq!(stored(body).revision, 2);
    let (_, body) = council.put_annotation(&tablet, id, &from_tablet).await;
    let last = stored(body);
    assert_eq!(
        (last.revision, last.body.as_str()),
        (3, "Đề nghị giải trình"),
        "the last write wins"
    );
    let (_, body) = council.put_annotation(&laptop, id, &from_laptop).await;
    assert_eq!(
        stored(body).revision,
        2,
        "the laptop's retry finds its own revision and does not undo the tablet's edit"
    );

    let (status, body) = council
        .call(
            "DELETE",
            &format!("/api/v1/annotations/{id}"),
            Some(&laptop),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let tombstone = stored(body);
    assert!(tombstone.deleted && tombstone.revision == 4);
    let (_, body) = council
        .call(
            "DELETE",
            &format!("/api/v1/annotations/{id}"),
            Some(&tablet),
            None,
        )
        .await;
    assert_eq!(stored(body), tombstone, "deleting again changes nothing");

    let (_, body) = council
        .call(
            "GET",
            &format!("/api/v1/annotations/{id}/history"),
            Some(&tablet),
            None,
        )
        .await;
    let history: AnnotationHistory = serde_json::from_value(body).unwrap();
    let kept: Vec<_> = history
        .revisions
        .iter()
        .map(|a| (a.revision, a.body.as_str(), a.deleted))
        .collect();
    assert_eq!(
        kept,
        vec![
            (1, "", false),
            (2, "Số liệu chưa khớp", false),
            (3, "Đề nghị giải trình", false),
            (4, "Đề nghị giải trình", true),
        ],
        "the losing edit stays recoverable, and the deletion is a revision"
    );
    let (records, _) = council.annotation_records(&tablet, 0).await;
    assert_eq!(
        received(&records),
        vec![
            (id, 1, false),
            (id, 2, false),
            (id, 3, false),
            (id, 4, true)
        ],
        "each device applies the revisions in order and ends with the tombstone"
    );
}

async fn bad_annotations_are_refused_with_a_code(backend: Backend) {
    let council = published_council(backend).await;
    let (version, paper) = published_paper(&council, false).await;
    let (_, secret) = published_paper(&council, true).await;
    let delegate = council.login("delegate03").await.token;
    let good = highlight(&version, &paper, 0, "", Sharing::Private);
    let refused = |write: AnnotationWrite, status, code_, why: &'static str| {
        let council = &council;
        let delegate = &delegate;
        async move {
            let (got, body) = council
                .put_annotation(delegate, AnnotationId(Uuid::new_v4()), &write)
                .await;
            assert_eq!((got, code(&body)), (status, code_), "{why}: {body}");
        }
    };

    refused(
        AnnotationWrite {
            anchor: Anchor::Text(TextAnchor {
                position: TextPosition {
                    start: 141,
                    end: 120,
                },
                ..text_anchor()
            }),
            ..good.clone()
        },
        StatusCode::BAD_REQUEST,
        ErrorCode::BadRequest,
        "an anchor that ends before it starts",
    )
    .await;
    refused(
        AnnotationWrite {
            kind: AnnotationKind::Ink {
                strokes: vec![vec![InkPoint {
                    x: 0.0,
                    y: 0.0,
                    pressure: Some(0.5),
                }]],
            },
            ..good.clone()
        },
        StatusCode::BAD_REQUEST,
        ErrorCode::BadRequest,
        "ink anchored as if it were a mark on text",
    )
    .await;
    refused(
        AnnotationWrite {
            colour: "đỏ".into(),
            ..good.clone()
        },
        StatusCode::BAD_REQUEST,
        ErrorCode::BadRequest,
        "a colour that is not #rrggbb",
    )
    .await;
    refused(
        AnnotationWrite {
            body: "ý".repeat(MAX_ANNOTATION_BODY_CHARS + 1),
            ..good.clone()
        },
        StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::PayloadTooLarge,
        "a note longer than the server keeps",
    )
    .await;
    refused(
        AnnotationWrite {
            body: "mở\0đóng".into(),
            ..good.clone()
        },
        StatusCode::BAD_REQUEST,
        ErrorCode::BadRequest,
        "a NUL character, which PostgreSQL cannot store",
    )
    .await;
    refused(
        AnnotationWrite {
            paper_id: PaperId(Uuid::new_v4()),
            ..good.clone()
        },
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
        "a paper that does not exist",
    )
    .await;
    refused(
        AnnotationWrite {
            paper_id: secret.paper_id,
            ..good.clone()
        },
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
        "a confidential paper delegate03 may not read: answered as for no paper",
    )
    .await;

    let mut malformed = serde_json::to_value(&good).unwrap();
    malformed["anchor"] = json!({"kind": "text", "page": 0});
    let (status, body) = council
        .json(
            "PUT",
            &format!("/api/v1/annotations/{}", Uuid::new_v4()),
            Some(&delegate),
            malformed,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "an anchor without its quote: {body}"
    );

    // A mark stays on its paper: moving it to another is a new annotation.
    let id = AnnotationId(Uuid::new_v4());
    let (status, _) = council.put_annotation(&delegate, id, &good).await;
    assert_eq!(status, StatusCode::OK);
    let (_, other_paper) = {
        let (version, _) = published_paper(&council, false).await;
        let other = version
            .entries
            .iter()
            .find(|e| e.paper_id != paper.paper_id && e.visibility == Visibility::AllParticipants)
            .unwrap()
            .clone();
        (version, other)
    };
    let moved = AnnotationWrite {
        paper_id: other_paper.paper_id,
        base_revision: 1,
        anchor: Anchor::Mark(MarkAnchor {
            text: text_anchor(),
            offset: MarkOffset { dx: 3.0, dy: 4.0 },
        }),
        kind: AnnotationKind::Note,
        ..good.clone()
    };
    let (status, body) = council.put_annotation(&delegate, id, &moved).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, ErrorCode::BadRequest),
        "an annotation moved to another paper"
    );
}

/// The annotations among the changes `username` pulls.
async fn marks_seen_by(council: &Council, username: &str) -> Vec<Annotation> {
    let token = council.login(username).await.token;
    council
        .changes(&token, 0)
        .await
        .changes
        .into_iter()
        .filter_map(|c| match c.record {
            SyncRecord::Annotation(a) => Some(a.annotation),
            _ => None,
        })
        .collect()
}

async fn the_demo_s_marks_are_on_the_submission_s_words_and_reach_whom_they_are_shared_with(
    backend: Backend,
) {
    let council = published_council_with(backend, true).await;
    let own = marks_seen_by(&council, "delegate01").await;
    assert_eq!(
        own.len(),
        5,
        "delegate01 reads the three shared marks and their own two"
    );
    assert!(
        own.iter().all(|a| a.revision == 1),
        "seeding again on a restart wrote no new revision: {:?}",
        own.iter().map(|a| a.revision).collect::<Vec<_>>()
    );
    let highlight = own
        .iter()
        .find(|a| a.kind == AnnotationKind::Highlight && a.sharing == Sharing::Private)
        .expect("delegate01's private highlight");
    assert_eq!(
        highlight.anchor.text().quote.exact,
        "Tổng chi ngân sách địa phương năm 2026 ước thực hiện 14.957.000",
        "anchored in the submission's real text"
    );
    assert_eq!(
        highlight.anchor.text().page,
        1,
        "on the second page, where the submission says it"
    );
    let colleague = marks_seen_by(&council, "delegate04").await;
    assert_eq!(
        colleague.len(),
        3,
        "another delegate reads only the shared ones"
    );
    assert!(colleague.iter().all(|a| a.sharing == Sharing::Meeting));
}
