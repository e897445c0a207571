//! The wire format, pinned: every kind of sync record and every response body, as JSON
//! files beside this test. The server also stores papers and packet versions as this JSON,
//! so a change here is a change of stored legal records too.
//!
//! A deliberate change of the format: `UPDATE_GOLDEN=1 cargo test -p ecabinet-protocol
//! --test golden`, then review the diff of `tests/golden/` like any other change. Records
//! stored by earlier versions live in `tests/golden/legacy/` and must keep loading.

use ecabinet_domain::annotation::{
    Anchor, MarkAnchor, MarkOffset, TextAnchor, TextPosition, TextQuote,
};
use ecabinet_domain::{
    AgendaItem, AgendaItemId, Annotation, AnnotationId, AnnotationKind, BlobHash, Council,
    CouncilId, InkPoint, MadeOn, Meeting, MeetingId, MeetingRole, MeetingStatus, Member, MemberId,
    Opinion, OpinionId, PacketEntry, PacketVersion, Paper, PaperFile, PaperId, PaperKind,
    PaperLink, PaperPlace, Participant, Review, Role, SectionKind, Sharing, Timestamp, Visibility,
};
use ecabinet_protocol::{
    AgendaItemPatch, AnnotationHistory, AnnotationRecord, AnnotationRemoved, AnnotationWrite,
    ApiError, BlobInfo, Change, ChangesPage, ErrorCode, LiveEvent, LoginResponse, MeetingCreated,
    MeetingParticipants, MeetingPatch, NewAgendaItem, NewMeeting, NewPaper, OpinionVersions,
    OpinionWrite, PaperPatch, PublishRequest, SyncRecord,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt::Debug;
use std::path::PathBuf;
use uuid::Uuid;

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// Serializes `value` and compares it with `tests/golden/{name}.json`; reads the file back
/// and checks it parses to the same value, so both directions of the format are pinned.
fn pinned<T: Serialize + DeserializeOwned + PartialEq + Debug>(name: &str, value: &T) {
    let path = golden_dir().join(format!("{name}.json"));
    let json = serde_json::to_string_pretty(value).unwrap() + "\n";
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &json).unwrap();
    }
    let golden = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with UPDATE_GOLDEN=1 to write it",
            path.display()
        )
    });
    assert_eq!(
        json, golden,
        "the wire format of {name} changed; if on purpose, run with UPDATE_GOLDEN=1 and review the diff"
    );
    let parsed: T = serde_json::from_str(&golden).unwrap();
    assert_eq!(&parsed, value, "{name}.json parses back to the same value");
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn council() -> Council {
    Council {
        id: CouncilId(id(1)),
        name: "Hội đồng nhân dân thành phố Phú An".into(),
    }
}

fn member() -> Member {
    Member {
        id: MemberId(id(2)),
        council_id: CouncilId(id(1)),
        username: "delegate01".into(),
        display_name: "Hoàng Thị Lan".into(),
        role: Role::Delegate,
    }
}

fn meeting() -> Meeting {
    Meeting {
        id: MeetingId(id(3)),
        council_id: CouncilId(id(1)),
        title: "Kỳ họp thứ mười".into(),
        starts_at: Timestamp(1_797_728_400_000),
        location: "Hội trường".into(),
        status: MeetingStatus::Scheduled,
    }
}

fn item() -> AgendaItem {
    AgendaItem {
        id: AgendaItemId(id(4)),
        meeting_id: MeetingId(id(3)),
        parent_id: Some(AgendaItemId(id(5))),
        position: 10,
        title: "Dự toán ngân sách nhà nước năm 2027".into(),
        presenter: Some("Giám đốc Sở Tài chính".into()),
        planned_minutes: Some(90),
        paper_titles: vec!["Tờ trình số 312/TTr-UBND".into()],
    }
}

fn hash() -> BlobHash {
    BlobHash::parse(&"ab".repeat(32)).unwrap()
}

fn file() -> PaperFile {
    PaperFile {
        hash: hash(),
        size: 87_516,
        pages: 10,
        file_name: "to-trinh.pdf".into(),
    }
}

fn paper(review: Review) -> Paper {
    Paper {
        id: PaperId(id(6)),
        meeting_id: MeetingId(id(3)),
        place: PaperPlace::Item(AgendaItemId(id(4))),
        position: 1,
        title: "Tờ trình dự toán ngân sách".into(),
        kind: PaperKind::Submission,
        visibility: Visibility::Named {
            readers: vec![MemberId(id(2))],
            title_hidden: false,
        },
        file: file(),
        revision: 2,
        source: Some("2/to-trinh.pdf".into()),
        uploaded_by: Some(MemberId(id(7))),
        review,
        withdrawn: false,
        updated_at: Timestamp(1_797_000_000_000),
    }
}

fn participant() -> Participant {
    Participant {
        member_id: MemberId(id(2)),
        display_name: "Hoàng Thị Lan".into(),
        meeting_role: MeetingRole::Delegate,
        votes: true,
    }
}

fn version() -> PacketVersion {
    PacketVersion {
        meeting_id: MeetingId(id(3)),
        number: 2,
        published_at: Timestamp(1_797_100_000_000),
        published_by: MemberId(id(7)),
        participants: vec![participant()],
        entries: vec![
            PacketEntry {
                paper_id: PaperId(id(6)),
                place: PaperPlace::Item(AgendaItemId(id(4))),
                position: 1,
                title: Some("Tờ trình dự toán ngân sách".into()),
                kind: PaperKind::Submission,
                visibility: Visibility::AllParticipants,
                revision: 2,
                file: Some(file()),
            },
            PacketEntry {
                paper_id: PaperId(id(8)),
                place: PaperPlace::Section(SectionKind::VoterOpinions),
                position: 2,
                title: None,
                kind: PaperKind::Other,
                visibility: Visibility::Named {
                    readers: vec![],
                    title_hidden: false,
                },
                revision: 1,
                file: None,
            },
        ],
        programme: Some(vec![item()]),
    }
}

fn quoted_text() -> TextAnchor {
    TextAnchor {
        quote: TextQuote {
            exact: "dự toán thu ngân sách".into(),
            prefix: "Điều 1. Phê duyệt ".into(),
            suffix: " năm 2027 là 12.500 tỷ đồng".into(),
        },
        position: TextPosition {
            start: 118,
            end: 139,
        },
        page: 1,
    }
}

fn annotation() -> Annotation {
    Annotation {
        id: AnnotationId(id(20)),
        author: MemberId(id(2)),
        paper_id: PaperId(id(6)),
        meeting_id: MeetingId(id(3)),
        made_on: MadeOn {
            packet_version: Some(2),
            hash: hash(),
        },
        anchor: Anchor::Mark(MarkAnchor {
            text: quoted_text(),
            offset: MarkOffset { dx: -6.5, dy: 14.0 },
        }),
        kind: AnnotationKind::Ink {
            strokes: vec![vec![
                InkPoint {
                    x: 0.0,
                    y: 0.0,
                    pressure: Some(0.5),
                },
                InkPoint {
                    x: 40.25,
                    y: 2.0,
                    pressure: None,
                },
            ]],
        },
        colour: "#d32f2f".into(),
        thickness: 1.5,
        body: "Đề nghị làm rõ cơ sở tính.".into(),
        sharing: Sharing::Members {
            members: vec![MemberId(id(9))],
        },
        revision: 3,
        updated_at: Timestamp(1_797_200_000_000),
        deleted: false,
    }
}

fn opinion() -> Opinion {
    Opinion {
        id: OpinionId(id(30)),
        author: MemberId(id(2)),
        meeting_id: MeetingId(id(3)),
        item_id: AgendaItemId(id(4)),
        paper: Some(PaperLink {
            paper_id: PaperId(id(6)),
            page: 1,
            quote: Some("dự toán thu ngân sách năm 2027".into()),
        }),
        body: "Đề nghị làm rõ cơ sở tính số thu.".into(),
        version: 2,
        sent_at: Timestamp(1_797_300_000_000),
        withdrawn: false,
    }
}

#[test]
fn every_kind_of_sync_record_is_pinned() {
    let records = [
        ("record_council", SyncRecord::Council(council())),
        ("record_member", SyncRecord::Member(member())),
        ("record_meeting", SyncRecord::Meeting(meeting())),
        ("record_agenda_item", SyncRecord::AgendaItem(item())),
        (
            "record_paper_pending",
            SyncRecord::Paper(paper(Review::Pending)),
        ),
        (
            "record_paper_approved",
            SyncRecord::Paper(paper(Review::Approved {
                by: MemberId(id(9)),
                at: Timestamp(1_797_050_000_000),
            })),
        ),
        (
            "record_paper_returned",
            SyncRecord::Paper(paper(Review::Returned {
                by: MemberId(id(9)),
                at: Timestamp(1_797_050_000_000),
                reason: "Thiếu chữ ký.".into(),
            })),
        ),
        (
            "record_participants",
            SyncRecord::Participants(MeetingParticipants {
                meeting_id: MeetingId(id(3)),
                participants: vec![participant()],
            }),
        ),
        (
            "record_packet_version",
            SyncRecord::PacketVersion(version()),
        ),
        (
            "record_annotation",
            SyncRecord::Annotation(AnnotationRecord {
                annotation: annotation(),
                readers: vec![],
                former_readers: vec![],
            }),
        ),
        (
            // As the change log stores it: who could read it, after and before the write.
            "record_annotation_logged",
            SyncRecord::Annotation(AnnotationRecord {
                annotation: Annotation {
                    anchor: Anchor::Text(quoted_text()),
                    kind: AnnotationKind::Highlight,
                    body: String::new(),
                    sharing: Sharing::Meeting,
                    deleted: true,
                    ..annotation()
                },
                readers: vec![MemberId(id(9))],
                former_readers: vec![MemberId(id(9)), MemberId(id(11))],
            }),
        ),
        (
            "record_annotation_removed",
            SyncRecord::AnnotationRemoved(AnnotationRemoved {
                id: AnnotationId(id(20)),
                paper_id: PaperId(id(6)),
            }),
        ),
        ("record_opinion", SyncRecord::Opinion(opinion())),
    ];
    for (name, record) in &records {
        pinned(name, record);
    }
}

#[test]
fn responses_and_live_events_are_pinned() {
    pinned(
        "response_changes_page",
        &ChangesPage {
            changes: vec![Change {
                seq: 41,
                record: SyncRecord::Meeting(meeting()),
            }],
            next_cursor: 42,
            has_more: false,
        },
    );
    pinned(
        "response_error",
        &ApiError::new(
            ErrorCode::PapersNotApproved,
            "1 paper(s) still await approval",
        ),
    );
    pinned(
        "response_blob_info",
        &BlobInfo {
            hash: hash(),
            size: 87_516,
            pages: 10,
        },
    );
    pinned(
        "response_meeting_created",
        &MeetingCreated {
            id: MeetingId(id(3)),
            status: MeetingStatus::Scheduled,
        },
    );
    pinned(
        "response_annotation_history",
        &AnnotationHistory {
            revisions: vec![
                Annotation {
                    revision: 1,
                    sharing: Sharing::Private,
                    ..annotation()
                },
                annotation(),
            ],
        },
    );
    pinned(
        "response_opinion_versions",
        &OpinionVersions {
            versions: vec![
                Opinion {
                    version: 1,
                    paper: None,
                    body: "Tán thành.".into(),
                    sent_at: Timestamp(1_797_200_000_000),
                    ..opinion()
                },
                opinion(),
                Opinion {
                    version: 3,
                    withdrawn: true,
                    sent_at: Timestamp(1_797_400_000_000),
                    ..opinion()
                },
            ],
        },
    );
    pinned("live_hello", &LiveEvent::Hello { head: 7 });
    pinned("live_changed", &LiveEvent::Changed { head: 8 });
}

#[test]
fn login_response_is_pinned() {
    let login = LoginResponse {
        token: "token-of-the-example".into(),
        expires_at: Timestamp(1_800_000_000_000),
        member: member(),
        council: council(),
        must_change_password: true,
    };
    let path = golden_dir().join("response_login.json");
    let json = serde_json::to_string_pretty(&login).unwrap() + "\n";
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &json).unwrap();
    }
    assert_eq!(json, std::fs::read_to_string(&path).unwrap());
}

/// Requests are pinned one way: what a client sends (absent fields left out, see the
/// patches' docs), since the server's parsing of them is tested by the server's tests.
#[test]
fn requests_are_pinned() {
    let requests: [(&str, serde_json::Value); 9] = [
        (
            "request_new_meeting",
            serde_json::to_value(NewMeeting {
                title: "Kỳ họp thứ mười một".into(),
                starts_at: Timestamp(1_800_000_000_000),
                location: "Hội trường A".into(),
            })
            .unwrap(),
        ),
        (
            "request_meeting_patch",
            serde_json::to_value(MeetingPatch {
                archived: Some(true),
                ..Default::default()
            })
            .unwrap(),
        ),
        (
            "request_new_agenda_item",
            serde_json::to_value(NewAgendaItem {
                parent_id: None,
                position: 10,
                title: "Khai mạc".into(),
                presenter: None,
                planned_minutes: Some(15),
                paper_titles: vec![],
            })
            .unwrap(),
        ),
        (
            "request_agenda_item_patch",
            serde_json::to_value(AgendaItemPatch {
                title: Some("Khai mạc kỳ họp".into()),
                planned_minutes: Some(None),
                ..Default::default()
            })
            .unwrap(),
        ),
        (
            "request_new_paper",
            serde_json::to_value(NewPaper {
                id: PaperId(id(6)),
                place: PaperPlace::Item(AgendaItemId(id(4))),
                position: 1,
                title: "Tờ trình".into(),
                kind: PaperKind::Submission,
                visibility: Visibility::Secretariat,
                hash: hash(),
                file_name: "to-trinh.pdf".into(),
                source: None,
            })
            .unwrap(),
        ),
        (
            "request_paper_patch",
            serde_json::to_value(PaperPatch {
                withdrawn: Some(true),
                ..Default::default()
            })
            .unwrap(),
        ),
        (
            "request_publish",
            serde_json::to_value(PublishRequest { expected_number: 3 }).unwrap(),
        ),
        (
            "request_annotation_write",
            serde_json::to_value(AnnotationWrite {
                base_revision: 2,
                paper_id: PaperId(id(6)),
                made_on: MadeOn {
                    packet_version: Some(2),
                    hash: hash(),
                },
                anchor: Anchor::Text(quoted_text()),
                kind: AnnotationKind::Underline,
                colour: "#1976d2".into(),
                thickness: 1.0,
                body: "Số liệu khác với báo cáo của Sở.".into(),
                sharing: Sharing::Meeting,
            })
            .unwrap(),
        ),
        (
            "request_opinion_write",
            serde_json::to_value(OpinionWrite {
                version: 2,
                meeting_id: MeetingId(id(3)),
                item_id: AgendaItemId(id(4)),
                paper: Some(PaperLink {
                    paper_id: PaperId(id(6)),
                    page: 1,
                    quote: Some("dự toán thu ngân sách năm 2027".into()),
                }),
                body: "Đề nghị làm rõ cơ sở tính số thu.".into(),
                withdrawn: false,
            })
            .unwrap(),
        ),
    ];
    for (name, json) in &requests {
        let path = golden_dir().join(format!("{name}.json"));
        let text = serde_json::to_string_pretty(json).unwrap() + "\n";
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&path, &text).unwrap();
        }
        assert_eq!(
            text,
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
            "the wire format of {name} changed"
        );
    }
}

/// Records as servers and devices stored them before later changes: they must keep loading.
#[test]
fn records_stored_by_earlier_versions_still_load() {
    let legacy = golden_dir().join("legacy");
    let mut read = 0;
    for entry in std::fs::read_dir(&legacy).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let record: Result<SyncRecord, _> = serde_json::from_str(&text);
        assert!(
            record.is_ok(),
            "{} no longer loads: {:?}",
            path.display(),
            record.err()
        );
        read += 1;
    }
    assert!(read >= 2, "the legacy records are there to be read");
}

#[test]
fn the_live_sitting_is_pinned() {
    use ecabinet_domain::sitting::{Sitting, SittingAction, SittingEvent};
    use ecabinet_protocol::{SittingRequest, SittingSnapshot};
    let chair = MemberId(id(9));
    let delegate = member().id;
    let event = |seq: u64, minute: i64, actor: MemberId, action: SittingAction| SittingEvent {
        seq,
        at: Timestamp(1_797_000_000_000 + minute * 60_000),
        actor,
        action,
    };
    let events = [
        event(1, 0, delegate, SittingAction::CheckIn { remote: false }),
        event(2, 1, chair, SittingAction::Open),
        event(
            3,
            2,
            chair,
            SittingAction::MoveTo {
                item: AgendaItemId(id(4)),
            },
        ),
        event(
            4,
            3,
            delegate,
            SittingAction::RequestFloor {
                point_of_order: false,
            },
        ),
        event(
            5,
            4,
            chair,
            SittingAction::GrantFloor {
                member: delegate,
                allowed_secs: Some(300),
            },
        ),
        event(
            6,
            5,
            delegate,
            SittingAction::Present {
                paper_id: PaperId(id(6)),
                page: 11,
            },
        ),
    ];
    let mut sitting = Sitting::default();
    for event in &events {
        sitting.apply(event);
    }
    pinned(
        "live_sitting",
        &LiveEvent::Sitting {
            meeting_id: MeetingId(id(3)),
            event: events[5].clone(),
        },
    );
    pinned("live_sittings_stale", &LiveEvent::SittingsStale);
    pinned(
        "request_sitting_action",
        &SittingRequest {
            action_id: id(77),
            action: SittingAction::GrantFloor {
                member: delegate,
                allowed_secs: None,
            },
        },
    );
    pinned(
        "response_sitting_snapshot",
        &SittingSnapshot {
            meeting_id: MeetingId(id(3)),
            sitting,
            voters: vec![chair, delegate],
            server_time: Timestamp(1_797_000_360_000),
        },
    );
}

#[test]
fn polls_and_their_log_are_pinned() {
    use ecabinet_domain::poll::log::{PollLogEntry, PollLogLine};
    use ecabinet_domain::poll::{
        Ballot, BallotKey, BallotTally, MajorityRule, Poll, PollId, PollKind, PollResult,
        PollSettings, PollStep, Receipt, YES,
    };
    use ecabinet_protocol::{BallotReceipt, PollDraft, PollStatus, PollStepRequest, PollsSnapshot};
    let chair = MemberId(id(9));
    let delegate = member().id;
    let settings = PollSettings {
        title: "Thông qua Nghị quyết về dự toán ngân sách năm 2027".into(),
        kind: PollKind::Election {
            candidates: vec!["Nguyễn Văn An".into(), "Trần Thị Bình".into()],
            seats: 1,
        },
        secret: true,
        rule: MajorityRule::HalfOfMembers,
        may_change: true,
        countdown_secs: Some(60),
    };
    let at = Timestamp(1_797_000_000_000);
    let mut poll = Poll::draft(
        PollId(id(20)),
        MeetingId(id(3)),
        AgendaItemId(id(4)),
        settings.clone(),
        chair,
        at,
    )
    .unwrap();
    pinned(
        "request_poll_draft",
        &PollDraft {
            item_id: AgendaItemId(id(4)),
            settings: settings.clone(),
        },
    );
    pinned(
        "request_poll_step",
        &PollStepRequest {
            step: PollStep::Open,
        },
    );
    poll.open(Timestamp(at.millis() + 1_000), vec![chair, delegate], 3)
        .unwrap();
    let key = BallotKey([7; 32]);
    let ballot = Ballot {
        key,
        version: 1,
        choice: vec![YES],
    };
    pinned("request_ballot", &ballot);
    let receipt = Receipt::of(poll.id, &key, 1);
    let opened = PollLogLine::after(
        None,
        PollLogEntry::Opened {
            poll_id: poll.id,
            meeting_id: poll.meeting_id,
            item_id: poll.item_id,
            settings: settings.clone(),
            at: Timestamp(at.millis() + 1_000),
            entitled: 2,
            members: 3,
            voters: None,
        },
    );
    let cast = PollLogLine::after(
        Some(&opened),
        PollLogEntry::Ballot {
            receipt,
            choice: vec![YES],
            replaces: None,
            voter: None,
        },
    );
    pinned("poll_log_opened", &opened);
    pinned("poll_log_ballot", &cast);
    pinned(
        "response_ballot_receipt",
        &BallotReceipt {
            poll_id: poll.id,
            receipt,
            version: 1,
            seq: cast.seq,
            line_hash: cast.hash,
        },
    );
    let mut tally = BallotTally::new(&settings.kind);
    tally.add(&settings.kind, &[YES]);
    poll.close(
        Timestamp(at.millis() + 61_000),
        PollResult::decide(&settings, &tally, 2, 3, None),
    );
    let mut shown = poll.clone();
    shown.entitled.clear();
    let status = PollStatus {
        poll: shown,
        entitled: 2,
        voted: 1,
        may_vote: false,
        has_voted: Some(true),
        not_voted: None,
    };
    pinned(
        "response_polls_snapshot",
        &PollsSnapshot {
            meeting_id: MeetingId(id(3)),
            polls: vec![status.clone()],
            server_time: Timestamp(at.millis() + 62_000),
        },
    );
    pinned(
        "live_poll",
        &LiveEvent::Poll {
            meeting_id: MeetingId(id(3)),
            status: Box::new(PollStatus {
                has_voted: None,
                ..status
            }),
        },
    );
    pinned(
        "live_poll_turnout",
        &LiveEvent::PollTurnout {
            meeting_id: MeetingId(id(3)),
            poll_id: poll.id,
            voted: 1,
            entitled: 2,
        },
    );
}

#[test]
fn chat_is_pinned() {
    use ecabinet_domain::chat::{Conversation, ConversationKind, Message, PaperPage};
    use ecabinet_domain::{ConversationId, MessageId};
    use ecabinet_protocol::{
        ChatEdit, ChatEntry, ChatMark, ChatMarksUpdate, ChatPage, ChatPost, ConversationView,
        GroupMembersChange, NewGroup,
    };
    let lan = MemberId(id(2));
    let secretary = MemberId(id(9));
    let help = Conversation::well_known(
        CouncilId(id(1)),
        ConversationKind::Secretariat { member: lan },
        Vec::new(),
        Timestamp(1_796_900_000_000),
    );
    let asked = Message {
        id: MessageId(id(40)),
        conversation_id: help.id,
        seq: 1,
        author: lan,
        body: "Bảng dự toán ngân sách ở tài liệu nào?\nCảm ơn.".into(),
        reply_to: None,
        paper: Some(PaperPage {
            paper_id: PaperId(id(5)),
            page: 11,
        }),
        sent_at: Timestamp(1_796_900_060_000),
        edited_at: None,
        deleted_at: None,
    };
    let answered = Message {
        id: MessageId(id(41)),
        seq: 2,
        author: secretary,
        body: "Tờ trình 112, trang 12.".into(),
        reply_to: Some(asked.id),
        paper: None,
        edited_at: Some(Timestamp(1_796_900_130_000)),
        sent_at: Timestamp(1_796_900_120_000),
        ..asked.clone()
    };
    let deleted = Message {
        id: MessageId(id(42)),
        seq: 3,
        body: String::new(),
        paper: None,
        deleted_at: Some(Timestamp(1_796_900_200_000)),
        sent_at: Timestamp(1_796_900_190_000),
        ..asked.clone()
    };
    pinned(
        "request_chat_post",
        &ChatPost {
            conversation_id: help.id,
            kind: Some(help.kind.clone()),
            body: asked.body.clone(),
            reply_to: None,
            paper: asked.paper,
        },
    );
    pinned(
        "request_chat_edit",
        &ChatEdit {
            body: "Tờ trình 112, trang 12.".into(),
        },
    );
    pinned(
        "request_new_group",
        &NewGroup {
            title: "Tổ đại biểu số 3".into(),
            members: vec![lan, MemberId(id(7))],
        },
    );
    pinned(
        "request_group_members_change",
        &GroupMembersChange {
            add: vec![MemberId(id(8))],
            remove: vec![MemberId(id(7))],
        },
    );
    pinned(
        "request_chat_marks",
        &ChatMarksUpdate {
            delivered: Some(3),
            read: Some(2),
            muted: None,
        },
    );
    pinned(
        "response_chat_page",
        &ChatPage {
            conversation_id: help.id,
            entries: vec![
                ChatEntry {
                    rev: 1,
                    message: asked.clone(),
                },
                ChatEntry {
                    rev: 4,
                    message: answered,
                },
                ChatEntry {
                    rev: 5,
                    message: deleted,
                },
            ],
            has_more: false,
        },
    );
    let group = Conversation::group(
        ConversationId(id(50)),
        lan,
        "Tổ đại biểu số 3",
        &[MemberId(id(7))],
        Timestamp(1_796_900_000_000),
    )
    .unwrap();
    pinned(
        "response_conversation_view",
        &vec![
            ConversationView {
                conversation: help.clone(),
                rev: 5,
                last_seq: 3,
                marks: vec![
                    ChatMark {
                        member: lan,
                        delivered: 3,
                        read: 3,
                    },
                    ChatMark {
                        member: secretary,
                        delivered: 3,
                        read: 1,
                    },
                ],
                muted: false,
            },
            ConversationView {
                conversation: group.clone(),
                rev: 0,
                last_seq: 0,
                marks: vec![],
                muted: true,
            },
        ],
    );
    pinned(
        "live_chat_message",
        &LiveEvent::ChatMessage {
            entry: Box::new(ChatEntry {
                rev: 1,
                message: asked,
            }),
        },
    );
    pinned(
        "live_chat_mark",
        &LiveEvent::ChatMark {
            conversation_id: help.id,
            mark: ChatMark {
                member: secretary,
                delivered: 3,
                read: 3,
            },
        },
    );
    pinned(
        "live_chat_conversation",
        &LiveEvent::ChatConversation {
            conversation: Box::new(group.clone()),
        },
    );
    pinned(
        "live_chat_left",
        &LiveEvent::ChatLeft {
            conversation_id: group.id,
        },
    );
    pinned("live_chat_stale", &LiveEvent::ChatStale);
}
