//! What every [`CouncilStorage`] backend must do, as async functions that panic with the
//! reason when a backend does not.
//!
//! Each backend's tests call every function here with a fresh, empty storage (see
//! `crates/council-storage-sqlite/tests/conformance.rs`), so a property is written once and a new
//! backend proves it has them all. The HTTP-level suite (`crates/council-server/tests`) runs on
//! every backend too; this suite adds what HTTP tests cannot reach easily: concurrency,
//! and the exact error each misuse maps to.

use crate::prelude::*;
use crate::{
    Account, AccountChange, AccountDetails, CouncilSeed, NewAccount, NewPacketVersion, NewSession,
    SessionHolder, StorageError, StorageResult,
};
use ecabinet_domain::{
    AgendaItem, AgendaItemId, BlobHash, Council, CouncilId, Meeting, MeetingId, MeetingRole,
    MeetingStatus, Member, MemberId, PacketEntry, PacketVersion, Paper, PaperFile, PaperId,
    PaperKind, PaperPlace, Participant, Review, Role, Timestamp, Visibility,
};
use ecabinet_protocol::{BlobInfo, SyncRecord};
use std::collections::BTreeSet;
use std::sync::Arc;
use tokio::sync::Barrier;
use uuid::Uuid;

const NOW: Timestamp = Timestamp(1_795_464_000_000);

/// A small council: a secretary and a delegate, one meeting, one programme item.
pub struct Fixture {
    pub council: CouncilId,
    pub secretary: Member,
    pub delegate: Member,
    pub meeting: Meeting,
    pub item: AgendaItem,
}

impl Fixture {
    /// A council whose user names start with `prefix` (user names are unique server-wide).
    pub fn new(prefix: &str) -> Fixture {
        let council = CouncilId(Uuid::new_v4());
        let member = |name: &str, role| Member {
            id: MemberId(Uuid::new_v4()),
            council_id: council,
            username: format!("{prefix}-{name}"),
            display_name: format!("{name} of {prefix}"),
            role,
        };
        let meeting = Meeting {
            id: MeetingId(Uuid::new_v4()),
            council_id: council,
            title: "Kỳ họp thử nghiệm".into(),
            starts_at: NOW.plus_millis(86_400_000),
            location: "Hội trường".into(),
            status: MeetingStatus::Scheduled,
        };
        let item = AgendaItem {
            id: AgendaItemId(Uuid::new_v4()),
            meeting_id: meeting.id,
            parent_id: None,
            position: 1,
            title: "Khai mạc".into(),
            presenter: Some("Chủ tọa".into()),
            planned_minutes: Some(15),
            paper_titles: vec!["Tờ trình số 1".into()],
        };
        Fixture {
            council,
            secretary: member("secretary", Role::Secretary),
            delegate: member("delegate", Role::Delegate),
            meeting,
            item,
        }
    }

    pub fn seed(&self) -> CouncilSeed {
        CouncilSeed {
            council: Council {
                id: self.council,
                name: "Hội đồng nhân dân thử nghiệm".into(),
            },
            accounts: [&self.secretary, &self.delegate]
                .into_iter()
                .map(|m| Account {
                    member: m.clone(),
                    password_hash: "$argon2id$not-a-real-hash".into(),
                })
                .collect(),
            meetings: vec![self.meeting.clone()],
            agenda_items: vec![self.item.clone()],
        }
    }

    /// A version of the meeting's packet listing one paper with `hash`.
    pub fn packet(&self, number: u32, hash: &BlobHash) -> NewPacketVersion {
        NewPacketVersion {
            council: self.council,
            version: PacketVersion {
                meeting_id: self.meeting.id,
                number,
                published_at: NOW,
                published_by: self.secretary.id,
                participants: vec![participant(&self.delegate)],
                entries: vec![PacketEntry {
                    paper_id: PaperId(Uuid::new_v4()),
                    place: PaperPlace::Item(self.item.id),
                    position: 1,
                    title: Some("Tờ trình số 1".into()),
                    kind: PaperKind::Submission,
                    visibility: Visibility::AllParticipants,
                    revision: 1,
                    file: Some(file(hash)),
                }],
                programme: Some(vec![self.item.clone()]),
            },
        }
    }

    /// A paper of the meeting, under the programme item, stored as `hash`.
    pub fn paper(&self, hash: &BlobHash, source: Option<&str>) -> Paper {
        Paper {
            id: PaperId(Uuid::new_v4()),
            meeting_id: self.meeting.id,
            place: PaperPlace::Item(self.item.id),
            position: 1,
            title: "Tờ trình số 1".into(),
            kind: PaperKind::Submission,
            visibility: Visibility::Named {
                readers: vec![self.delegate.id],
                title_hidden: true,
            },
            file: file(hash),
            revision: 1,
            source: source.map(str::to_owned),
            review: Review::Approved {
                by: self.secretary.id,
                at: NOW,
            },
            uploaded_by: Some(self.delegate.id),
            withdrawn: false,
            updated_at: NOW,
        }
    }
}

fn participant(m: &Member) -> Participant {
    Participant {
        member_id: m.id,
        display_name: m.display_name.clone(),
        meeting_role: MeetingRole::Delegate,
        votes: true,
    }
}

fn file(hash: &BlobHash) -> PaperFile {
    PaperFile {
        hash: hash.clone(),
        size: 5_000_000_000,
        pages: 12,
        file_name: "tờ trình.pdf".into(),
    }
}

fn hash(n: u8) -> BlobHash {
    BlobHash::parse(&format!("{n:02x}").repeat(32)).unwrap()
}

fn expect_not_found<T: std::fmt::Debug>(result: StorageResult<T>, what: &str) {
    match result {
        Err(StorageError::NotFound) => {}
        other => panic!("{what} must be NotFound (the API answers 404 from it), got {other:?}"),
    }
}

fn expect_conflict<T: std::fmt::Debug>(result: StorageResult<T>, what: &str) {
    match result {
        Err(StorageError::Conflict(_)) => {}
        other => panic!("{what} must be Conflict (the API answers 409 from it), got {other:?}"),
    }
}

/// Many writers append to one council's log while a client pulls it by cursor: the client
/// must see every change exactly once, in order.
///
/// This is what a cursor-based pull relies on: the log may only ever become visible in seq
/// order. A backend that lets a larger seq commit before a smaller one fails here, since
/// the reader moves its cursor past the smaller seq before it commits, and never sees it.
pub async fn concurrent_appends_are_never_skipped_by_a_cursor(storage: Arc<dyn CouncilStorage>) {
    const WRITERS: usize = 8;
    const WRITES_EACH: usize = 50;
    let fx = Fixture::new("appends");
    storage.seed_council(fx.seed()).await.unwrap();
    let start = storage.log_head(fx.council).await.unwrap();
    let done = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let barrier = Arc::new(Barrier::new(WRITERS + 1));

    let reader = {
        let (storage, done, barrier) = (storage.clone(), done.clone(), barrier.clone());
        let council = fx.council;
        tokio::spawn(async move {
            barrier.wait().await;
            let mut cursor = start;
            let mut seen = Vec::new();
            loop {
                // Read the flag before pulling: a pull that starts after every writer has
                // returned sees everything, so an empty page then means the end.
                let finished = done.load(std::sync::atomic::Ordering::SeqCst) == WRITERS;
                let page = storage.changes_since(council, cursor, 16).await.unwrap();
                if page.is_empty() {
                    if finished {
                        return seen;
                    }
                    // Leave the (two, on CI) cores to the writers for a moment.
                    tokio::time::sleep(std::time::Duration::from_millis(1)).await;
                }
                for change in page {
                    assert!(
                        change.seq > cursor,
                        "a pull after {cursor} returned seq {}",
                        change.seq
                    );
                    cursor = change.seq;
                    seen.push(change.seq);
                }
            }
        })
    };

    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (storage, done, barrier) = (storage.clone(), done.clone(), barrier.clone());
            let mut item = fx.item.clone();
            item.id = AgendaItemId(Uuid::new_v4());
            item.position = w as i32 + 2;
            let council = fx.council;
            tokio::spawn(async move {
                barrier.wait().await;
                let mut seqs = Vec::with_capacity(WRITES_EACH);
                for n in 0..WRITES_EACH {
                    item.title = format!("writer {w}, write {n}");
                    seqs.push(
                        storage
                            .put_agenda_item(council, item.clone())
                            .await
                            .unwrap(),
                    );
                }
                done.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                seqs
            })
        })
        .collect();

    let mut written = BTreeSet::new();
    for writer in writers {
        for seq in writer.await.unwrap() {
            assert!(written.insert(seq), "seq {seq} was handed out twice");
        }
    }
    let seen = reader.await.unwrap();
    let missed: Vec<_> = written.iter().filter(|s| !seen.contains(s)).collect();
    assert!(
        missed.is_empty(),
        "the cursor skipped {} of {} changes ({missed:?}): they committed after a larger seq \
         was already visible",
        missed.len(),
        written.len()
    );
    assert_eq!(
        seen,
        written.iter().copied().collect::<Vec<_>>(),
        "the reader sees each change exactly once, in seq order, and nothing else"
    );
    assert_eq!(
        storage.log_head(fx.council).await.unwrap(),
        *written.last().unwrap(),
        "the head is the last change"
    );
}

/// Two secretaries publish the same version number at the same moment: one wins whole,
/// the other is told it conflicts, never a server error and never two versions.
pub async fn concurrent_publishes_of_one_number_have_one_winner(storage: Arc<dyn CouncilStorage>) {
    const ROUNDS: u32 = 10;
    let fx = Fixture::new("publish");
    storage.seed_council(fx.seed()).await.unwrap();
    for number in 1..=ROUNDS {
        let barrier = Arc::new(Barrier::new(2));
        let attempts: Vec<_> = (0..2)
            .map(|_| {
                let (storage, barrier) = (storage.clone(), barrier.clone());
                let packet = fx.packet(number, &hash(1));
                tokio::spawn(async move {
                    barrier.wait().await;
                    storage.publish_packet(packet).await
                })
            })
            .collect();
        let mut wins = 0;
        for attempt in attempts {
            match attempt.await.unwrap() {
                Ok(_) => wins += 1,
                Err(StorageError::Conflict(_)) => {}
                Err(other) => panic!(
                    "a publish that lost the race for version {number} must be a Conflict, \
                     got {other:?}"
                ),
            }
        }
        assert_eq!(wins, 1, "exactly one of two publishes of {number} wins");
    }
    let latest = storage.latest_packet(fx.meeting.id).await.unwrap();
    assert_eq!(latest.map(|v| v.number), Some(ROUNDS));
    let logged = storage
        .changes_since(fx.council, 0, 1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| matches!(c.record, SyncRecord::PacketVersion(_)))
        .count();
    assert_eq!(
        logged, ROUNDS as usize,
        "only the winners are logged: a refused publish leaves no trace"
    );
    expect_conflict(
        storage
            .publish_packet(fx.packet(ROUNDS + 2, &hash(1)))
            .await,
        "publishing a number that skips one",
    );
    expect_conflict(
        storage.publish_packet(fx.packet(ROUNDS, &hash(1))).await,
        "publishing a number again",
    );
}

/// Every method on a small council: what goes in comes back equal, each write is logged
/// and returns the new head, and misuse maps to the error the API turns into a code.
/// A blob belongs to the councils that uploaded it: to any other it does not exist, until
/// that council uploads the same bytes itself; the bytes are recorded once.
pub async fn blobs_belong_to_the_councils_that_uploaded_them(storage: Arc<dyn CouncilStorage>) {
    let (north, south) = (Fixture::new("north"), Fixture::new("south"));
    storage.seed_council(north.seed()).await.unwrap();
    storage.seed_council(south.seed()).await.unwrap();
    let blob = BlobInfo {
        hash: hash(11),
        size: 123_456,
        pages: 3,
    };
    assert_eq!(
        storage
            .council_blob(north.council, &blob.hash)
            .await
            .unwrap(),
        None
    );
    storage.put_blob(north.council, blob.clone()).await.unwrap();
    assert_eq!(
        storage
            .council_blob(north.council, &blob.hash)
            .await
            .unwrap(),
        Some(blob.clone()),
        "the uploader's council holds its file"
    );
    assert_eq!(
        storage
            .council_blob(south.council, &blob.hash)
            .await
            .unwrap(),
        None,
        "another council's file does not exist for this council, though the server holds it"
    );
    assert_eq!(
        storage.blob(&blob.hash).await.unwrap(),
        Some(blob.clone()),
        "the server itself knows it holds the bytes"
    );

    // The second council uploads the same bytes: it owns them too, and the first keeps them.
    storage.put_blob(south.council, blob.clone()).await.unwrap();
    storage.put_blob(south.council, blob.clone()).await.unwrap();
    for council in [north.council, south.council] {
        assert_eq!(
            storage.council_blob(council, &blob.hash).await.unwrap(),
            Some(blob.clone()),
            "each council that uploaded the bytes holds them, once"
        );
    }
    assert_eq!(
        storage
            .council_blob(CouncilId(Uuid::new_v4()), &blob.hash)
            .await
            .unwrap(),
        None
    );
}

pub async fn records_round_trip_and_errors_map(storage: Arc<dyn CouncilStorage>) {
    assert!(storage.is_empty().await.unwrap(), "a new database is empty");
    let fx = Fixture::new("records");
    storage.seed_council(fx.seed()).await.unwrap();
    assert!(!storage.is_empty().await.unwrap());

    // The seed is logged whole, in order.
    let log = storage.changes_since(fx.council, 0, 100).await.unwrap();
    let kinds: Vec<_> = log
        .iter()
        .map(|c| match &c.record {
            SyncRecord::Council(_) => "council",
            SyncRecord::Member(_) => "member",
            SyncRecord::Meeting(_) => "meeting",
            SyncRecord::AgendaItem(_) => "agenda item",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        ["council", "member", "member", "meeting", "agenda item"]
    );
    assert!(log.windows(2).all(|w| w[0].seq < w[1].seq));
    assert_eq!(
        storage.log_head(fx.council).await.unwrap(),
        log.last().unwrap().seq
    );
    assert_eq!(
        storage
            .changes_since(fx.council, log[1].seq, 2)
            .await
            .unwrap(),
        log[2..4].to_vec(),
        "a page starts after the cursor and stops at the limit"
    );
    assert_eq!(
        storage.log_head(CouncilId(Uuid::new_v4())).await.unwrap(),
        0,
        "an unknown council has an empty log"
    );

    // Councils, meetings and programme items come back equal; unknown ids are NotFound.
    assert_eq!(storage.council(fx.council).await.unwrap().id, fx.council);
    assert_eq!(storage.meeting(fx.meeting.id).await.unwrap(), fx.meeting);
    assert_eq!(storage.agenda_item(fx.item.id).await.unwrap(), fx.item);
    expect_not_found(
        storage.council(CouncilId(Uuid::new_v4())).await,
        "an unknown council",
    );
    expect_not_found(
        storage.meeting(MeetingId(Uuid::new_v4())).await,
        "an unknown meeting",
    );
    expect_not_found(
        storage.agenda_item(AgendaItemId(Uuid::new_v4())).await,
        "an unknown agenda item",
    );
    expect_not_found(
        storage.paper(PaperId(Uuid::new_v4())).await,
        "an unknown paper",
    );

    let mut meeting = fx.meeting.clone();
    meeting.status = MeetingStatus::InProgress;
    meeting.title = "Kỳ họp thử nghiệm (đang họp)".into();
    let seq = storage.put_meeting(meeting.clone()).await.unwrap();
    assert_eq!(storage.meeting(meeting.id).await.unwrap(), meeting);
    assert_eq!(storage.log_head(fx.council).await.unwrap(), seq);

    let mut child = fx.item.clone();
    child.id = AgendaItemId(Uuid::new_v4());
    child.parent_id = Some(fx.item.id);
    child.presenter = None;
    child.planned_minutes = None;
    child.paper_titles = vec![];
    let seq = storage
        .put_agenda_item(fx.council, child.clone())
        .await
        .unwrap();
    assert_eq!(storage.agenda_item(child.id).await.unwrap(), child);
    assert_eq!(
        storage.meetings(fx.council).await.unwrap(),
        vec![meeting.clone()],
        "the council's meetings, each once, as last written"
    );
    assert!(
        storage
            .meetings(CouncilId(Uuid::new_v4()))
            .await
            .unwrap()
            .is_empty()
    );
    let mut items = storage.agenda_items(fx.meeting.id).await.unwrap();
    items.sort_by_key(|i| i.parent_id.is_some());
    assert_eq!(items, vec![fx.item.clone(), child.clone()]);
    let last = storage
        .changes_since(fx.council, seq - 1, 10)
        .await
        .unwrap();
    assert_eq!(
        last.iter().map(|c| &c.record).collect::<Vec<_>>(),
        [&SyncRecord::AgendaItem(child)],
        "the write is logged with its full new state"
    );

    // A second council reusing a user name is refused whole: user names are server-wide.
    let mut clash = Fixture::new("other");
    clash.delegate.username = fx.delegate.username.clone();
    expect_conflict(
        storage.seed_council(clash.seed()).await,
        "seeding a user name that exists",
    );
    expect_not_found(
        storage.council(clash.council).await,
        "a council whose seed failed (the seed is one transaction)",
    );

    // Accounts and sessions.
    let found = storage
        .account_by_username(&fx.delegate.username)
        .await
        .unwrap()
        .expect("the delegate's account");
    assert_eq!(found.member, fx.delegate);
    assert_eq!(found.password_hash, "$argon2id$not-a-real-hash");
    assert!(
        storage
            .account_by_username("nobody")
            .await
            .unwrap()
            .is_none()
    );
    let session = |token: &str, expires_at| NewSession {
        token_hash: token.into(),
        member_id: fx.delegate.id,
        created_at: NOW,
        expires_at,
    };
    storage
        .create_session(session("live", NOW.plus_millis(1000)))
        .await
        .unwrap();
    storage
        .create_session(session("revoked", NOW.plus_millis(1000)))
        .await
        .unwrap();
    storage
        .create_session(session("expired", NOW))
        .await
        .unwrap();
    expect_conflict(
        storage
            .create_session(session("live", NOW.plus_millis(1000)))
            .await,
        "a token hash used twice",
    );
    storage.revoke_session("revoked", NOW).await.unwrap();
    storage.revoke_session("no-such-token", NOW).await.unwrap();
    assert_eq!(
        storage.session_member("live", NOW).await.unwrap(),
        Some(SessionHolder {
            member: fx.delegate.clone(),
            must_change_password: false,
        })
    );
    for token in ["revoked", "expired", "no-such-token"] {
        assert_eq!(
            storage.session_member(token, NOW).await.unwrap(),
            None,
            "session {token:?} lets nobody in"
        );
    }
    let accounts = storage.accounts(fx.council, NOW).await.unwrap();
    assert_eq!(
        accounts
            .iter()
            .map(|(m, n)| (m.username.as_str(), *n))
            .collect::<Vec<_>>(),
        [
            (fx.delegate.username.as_str(), 1),
            (fx.secretary.username.as_str(), 0)
        ],
        "accounts are sorted by user name and count only live sessions"
    );

    // Blobs and papers.
    let blob = BlobInfo {
        hash: hash(7),
        size: 5_000_000_000,
        pages: 12,
    };
    assert_eq!(storage.blob(&blob.hash).await.unwrap(), None);
    storage.put_blob(fx.council, blob.clone()).await.unwrap();
    storage.put_blob(fx.council, blob.clone()).await.unwrap();
    assert_eq!(
        storage.blob(&blob.hash).await.unwrap(),
        Some(blob.clone()),
        "recording a blob twice is harmless"
    );
    let paper = fx.paper(&blob.hash, Some("ky-hop/to-trinh-1.pdf"));
    let seq = storage.put_paper(fx.council, paper.clone()).await.unwrap();
    assert_eq!(storage.log_head(fx.council).await.unwrap(), seq);
    assert_eq!(storage.paper(paper.id).await.unwrap(), paper);
    assert_eq!(
        storage.papers(fx.meeting.id).await.unwrap(),
        vec![paper.clone()]
    );
    assert_eq!(
        storage
            .paper_by_source(fx.meeting.id, "ky-hop/to-trinh-1.pdf")
            .await
            .unwrap(),
        Some(paper.clone())
    );
    assert_eq!(
        storage
            .paper_by_source(fx.meeting.id, "other.pdf")
            .await
            .unwrap(),
        None
    );
    let duplicate = fx.paper(&blob.hash, Some("ky-hop/to-trinh-1.pdf"));
    expect_conflict(
        storage.put_paper(fx.council, duplicate).await,
        "a second paper from the same watched file",
    );
    assert_eq!(
        storage.log_head(fx.council).await.unwrap(),
        seq,
        "a refused write is not logged"
    );
    let mut revised = paper.clone();
    revised.title = "Tờ trình số 1 (sửa)".into();
    revised.revision = 2;
    storage
        .put_paper(fx.council, revised.clone())
        .await
        .unwrap();
    assert_eq!(storage.paper(paper.id).await.unwrap(), revised);
    assert!(
        storage
            .council_uses_blob(fx.council, &blob.hash)
            .await
            .unwrap()
    );
    assert!(
        !storage
            .council_uses_blob(fx.council, &hash(8))
            .await
            .unwrap()
    );
    assert!(
        !storage
            .council_uses_blob(CouncilId(Uuid::new_v4()), &blob.hash)
            .await
            .unwrap(),
        "another council does not use this council's blobs"
    );

    // Participants and packets.
    assert!(
        storage
            .participants(fx.meeting.id)
            .await
            .unwrap()
            .is_empty()
    );
    let people = vec![participant(&fx.delegate), participant(&fx.secretary)];
    storage
        .put_participants(fx.council, fx.meeting.id, people.clone())
        .await
        .unwrap();
    assert_eq!(storage.participants(fx.meeting.id).await.unwrap(), people);
    assert_eq!(storage.latest_packet(fx.meeting.id).await.unwrap(), None);
    let first = fx.packet(1, &blob.hash);
    let seq = storage.publish_packet(first.clone()).await.unwrap();
    assert_eq!(storage.log_head(fx.council).await.unwrap(), seq);
    assert_eq!(
        storage.latest_packet(fx.meeting.id).await.unwrap(),
        Some(first.version.clone())
    );
    assert_eq!(
        storage
            .packets_with_blob(fx.council, &blob.hash)
            .await
            .unwrap(),
        vec![first.version.clone()]
    );
    assert!(
        storage
            .packets_with_blob(CouncilId(Uuid::new_v4()), &blob.hash)
            .await
            .unwrap()
            .is_empty(),
        "another council's packets do not grant this blob"
    );
}

/// Accounts an administrator manages: created in one transaction (a taken user name fails
/// the whole batch), changed and logged as bare members (no unit, state or password in the
/// log), disabled with every session ended, and passwords replaced with the sessions of the
/// member ended but the one kept.
pub async fn accounts_are_created_whole_changed_disabled_and_their_passwords_replaced(
    storage: Arc<dyn CouncilStorage>,
) {
    let fx = Fixture::new("acc");
    storage.seed_council(fx.seed()).await.unwrap();
    let head_before = storage.log_head(fx.council).await.unwrap();
    let new = |username: &str, role| NewAccount {
        member: Member {
            id: MemberId(Uuid::new_v4()),
            council_id: fx.council,
            username: username.into(),
            display_name: format!("Nguyễn Thị {username}"),
            role,
        },
        unit: "Ban Kinh tế - Ngân sách".into(),
        password_hash: "$argon2id$set-by-the-administrator".into(),
        must_change_password: true,
    };

    // A batch with one taken user name writes nothing.
    let clash = vec![
        new("acc-new-1", Role::Delegate),
        new(&fx.delegate.username, Role::Guest),
    ];
    expect_conflict(
        storage.create_accounts(fx.council, clash).await,
        "a batch with a taken user name",
    );
    assert!(
        storage
            .account_by_username("acc-new-1")
            .await
            .unwrap()
            .is_none(),
        "the batch is one transaction: its first account was not kept"
    );
    assert_eq!(storage.log_head(fx.council).await.unwrap(), head_before);

    let lan = new("acc-lan", Role::Delegate);
    let minh = new("acc-minh", Role::Guest);
    let head = storage
        .create_accounts(fx.council, vec![lan.clone(), minh.clone()])
        .await
        .unwrap();
    let logged = storage
        .changes_since(fx.council, head_before, 100)
        .await
        .unwrap();
    assert_eq!(
        logged.iter().map(|c| c.record.clone()).collect::<Vec<_>>(),
        [
            SyncRecord::Member(lan.member.clone()),
            SyncRecord::Member(minh.member.clone())
        ],
        "each new member is logged, as a bare Member"
    );
    assert_eq!(head, logged.last().unwrap().seq);
    assert_eq!(
        storage.account(lan.member.id, NOW).await.unwrap(),
        AccountDetails {
            member: lan.member.clone(),
            unit: "Ban Kinh tế - Ngân sách".into(),
            disabled: false,
            must_change_password: true,
            active_sessions: 0,
        }
    );
    expect_not_found(
        storage.account(MemberId(Uuid::new_v4()), NOW).await,
        "an account nobody created",
    );

    // Sessions of Lan: her password is replaced, keeping the session that replaced it.
    for token in ["acc-lan-1", "acc-lan-2"] {
        storage
            .create_session(NewSession {
                token_hash: token.into(),
                member_id: lan.member.id,
                created_at: NOW,
                expires_at: NOW.plus_millis(60_000),
            })
            .await
            .unwrap();
    }
    assert_eq!(
        storage.session_member("acc-lan-1", NOW).await.unwrap(),
        Some(SessionHolder {
            member: lan.member.clone(),
            must_change_password: true
        })
    );
    let head_before_password = storage.log_head(fx.council).await.unwrap();
    storage
        .set_password(
            lan.member.id,
            "$argon2id$chosen-by-lan".into(),
            false,
            Some("acc-lan-1"),
            NOW,
        )
        .await
        .unwrap();
    assert_eq!(
        storage.log_head(fx.council).await.unwrap(),
        head_before_password,
        "passwords never reach the change log"
    );
    assert_eq!(
        storage
            .account_by_username("acc-lan")
            .await
            .unwrap()
            .unwrap()
            .password_hash,
        "$argon2id$chosen-by-lan"
    );
    assert_eq!(
        storage.session_member("acc-lan-1", NOW).await.unwrap(),
        Some(SessionHolder {
            member: lan.member.clone(),
            must_change_password: false
        }),
        "the session that changed the password goes on, no longer held back"
    );
    assert_eq!(
        storage.session_member("acc-lan-2", NOW).await.unwrap(),
        None,
        "every other session of the member ended"
    );
    expect_not_found(
        storage
            .set_password(MemberId(Uuid::new_v4()), "x".into(), true, None, NOW)
            .await,
        "a password for an account nobody created",
    );

    // An administrator changes Lan's role and unit, then disables her.
    let head = storage
        .update_account(
            lan.member.id,
            AccountChange {
                role: Some(Role::Chair),
                unit: Some("Thường trực".into()),
                ..AccountChange::default()
            },
            NOW,
        )
        .await
        .unwrap();
    let promoted = Member {
        role: Role::Chair,
        ..lan.member.clone()
    };
    let last = storage
        .changes_since(fx.council, head - 1, 1)
        .await
        .unwrap();
    assert_eq!(last[0].record, SyncRecord::Member(promoted.clone()));
    storage
        .update_account(
            lan.member.id,
            AccountChange {
                disabled: Some(true),
                ..AccountChange::default()
            },
            NOW,
        )
        .await
        .unwrap();
    let disabled = storage.account(lan.member.id, NOW).await.unwrap();
    assert!(disabled.disabled);
    assert_eq!(disabled.unit, "Thường trực");
    assert_eq!(disabled.active_sessions, 0, "disabling ended every session");
    assert_eq!(
        storage.session_member("acc-lan-1", NOW).await.unwrap(),
        None
    );
    assert!(
        !storage
            .accounts(fx.council, NOW)
            .await
            .unwrap()
            .iter()
            .any(|(m, _)| m.id == lan.member.id),
        "a disabled member is not among the council's (enabled) accounts"
    );
    let listed = storage.account_details(fx.council, NOW).await.unwrap();
    assert_eq!(
        listed
            .iter()
            .map(|a| (a.member.username.as_str(), a.disabled))
            .collect::<Vec<_>>(),
        [
            ("acc-delegate", false),
            ("acc-lan", true),
            ("acc-minh", false),
            ("acc-secretary", false)
        ],
        "the administrator's list has every account, sorted by user name"
    );
    storage
        .update_account(
            lan.member.id,
            AccountChange {
                disabled: Some(false),
                ..AccountChange::default()
            },
            NOW,
        )
        .await
        .unwrap();
    assert!(!storage.account(lan.member.id, NOW).await.unwrap().disabled);
    expect_not_found(
        storage
            .update_account(MemberId(Uuid::new_v4()), AccountChange::default(), NOW)
            .await,
        "changing an account nobody created",
    );
}
