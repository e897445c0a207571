//! What every [`CouncilStorage`] backend must do, as async functions that panic with the
//! reason when a backend does not.
//!
//! Each backend's tests run every function here on a fresh, empty storage (with
//! [`conformance_tests!`](crate::conformance_tests), see
//! `crates/council-storage-sqlite/tests/conformance.rs`), so a property is written once and a
//! new backend proves it has them all. The HTTP-level suite (`crates/council-server/tests`) runs on
//! every backend too; this suite adds what HTTP tests cannot reach easily: concurrency,
//! and the exact error each misuse maps to.
//!
//! One module per storage concern, as in the backends: a new concern adds its module here
//! and lists its properties in `conformance_tests!`, which runs them on every backend.

pub mod accounts;
pub mod annotations;
pub mod changes;
pub mod chat;
pub mod meetings;
pub mod opinions;
pub mod packets;
pub mod polls;
pub mod sittings;

use crate::{Account, CouncilSeed, NewPacketVersion, StorageError, StorageResult};
use ecabinet_domain::{
    AgendaItem, AgendaItemId, BlobHash, Council, CouncilId, Meeting, MeetingId, MeetingRole,
    MeetingStatus, Member, MemberId, PacketEntry, PacketVersion, Paper, PaperFile, PaperId,
    PaperKind, PaperPlace, Participant, Review, Role, Timestamp, Visibility,
};
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

/// Runs every property of this suite as a test, one module per concern, on the storage that
/// `$fresh` opens: an async fn in the calling file that returns a fresh, empty
/// `(Arc<dyn CouncilStorage>, guard)`, the guard (a temporary directory, a throwaway
/// database) kept until the test ends. A property joins the list below in the same change
/// that writes it, so that every backend runs it.
#[macro_export]
macro_rules! conformance_tests {
    ($fresh:ident) => {
        $crate::conformance_tests!(@concern $fresh, accounts:
            accounts_and_sessions_round_trip_and_errors_map,
            accounts_are_created_whole_changed_disabled_and_their_passwords_replaced,
        );
        $crate::conformance_tests!(@concern $fresh, annotations:
            annotations_keep_every_revision_and_the_last_write_wins,
            an_unshared_annotation_is_logged_as_gone_for_its_former_readers,
            concurrent_writes_of_one_annotation_each_get_a_revision(
                flavor = "multi_thread",
                worker_threads = 4
            ),
        );
        $crate::conformance_tests!(@concern $fresh, changes:
            a_seed_is_logged_whole_and_read_by_cursor,
            concurrent_appends_are_never_skipped_by_a_cursor(
                flavor = "multi_thread",
                worker_threads = 4
            ),
        );
        $crate::conformance_tests!(@concern $fresh, chat:
            a_conversation_numbers_its_messages_and_a_retry_posts_nothing,
            concurrent_posts_to_one_conversation_are_numbered_without_gaps(
                flavor = "multi_thread",
                worker_threads = 4
            ),
        );
        $crate::conformance_tests!(@concern $fresh, meetings:
            councils_meetings_and_programmes_round_trip_and_errors_map,
        );
        $crate::conformance_tests!(@concern $fresh, opinions:
            opinions_keep_every_version_and_a_retry_writes_nothing,
            concurrent_versions_of_one_opinion_each_get_a_number(
                flavor = "multi_thread",
                worker_threads = 4
            ),
        );
        $crate::conformance_tests!(@concern $fresh, packets:
            papers_and_packets_round_trip_and_errors_map,
            blobs_belong_to_the_councils_that_uploaded_them,
            concurrent_publishes_of_one_number_have_one_winner(
                flavor = "multi_thread",
                worker_threads = 4
            ),
        );
        $crate::conformance_tests!(@concern $fresh, polls:
            a_poll_its_ballots_and_its_log_are_stored_together,
            concurrent_ballots_store_one_per_voter(
                flavor = "multi_thread",
                worker_threads = 4
            ),
        );
        $crate::conformance_tests!(@concern $fresh, sittings:
            sitting_events_are_read_in_order_after_a_cursor,
            a_sitting_event_out_of_turn_or_sent_twice_is_a_conflict_and_stores_nothing,
            concurrent_appends_of_one_number_store_exactly_one(
                flavor = "multi_thread",
                worker_threads = 4
            ),
        );
    };
    (@concern $fresh:ident, $concern:ident: $($property:ident $(($($runtime:tt)*))?),* $(,)?) => {
        mod $concern {
            $(
                #[tokio::test $(($($runtime)*))?]
                async fn $property() {
                    let (storage, _guard) = super::$fresh().await;
                    $crate::conformance::$concern::$property(storage).await;
                }
            )*
        }
    };
}
