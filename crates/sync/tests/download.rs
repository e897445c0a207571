//! The downloader against a small blob server in this process that can misbehave on
//! demand: cut a transfer, send wrong bytes, ignore a range, refuse the token. Each test
//! is one way the chamber's Wi-Fi or the server lets a delegate down, and what the device
//! must still end up with: every paper file whole, verified, and never half-written at its
//! final name.

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;
use ecabinet_domain::{
    BlobHash, Council, CouncilId, Meeting, MeetingId, MeetingStatus, Member, MemberId, PacketEntry,
    PacketVersion, PaperFile, PaperId, PaperKind, PaperPlace, Role, SectionKind, SystemClock,
    Timestamp, Visibility,
};
use ecabinet_protocol::{ApiError, Change, ChangesPage, ErrorCode, SyncRecord};
use ecabinet_store::{Store, StoredSession};
use ecabinet_sync::{
    Backoff, DownloadHandle, DownloadProgress, DownloaderState, PacketDownloader,
    PaperDownloadState, PaperFileError, PaperFiles,
};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use uuid::Uuid;

const TOKEN: &str = "test-token";

/// What the blob server does, and what it saw.
#[derive(Default)]
struct Behaviour {
    blobs: HashMap<String, Bytes>,
    /// Responses that stop after this many bytes with an error, as a dropped connection.
    cut_after: Vec<usize>,
    /// Responses that send the right length but wrong bytes.
    corrupt: usize,
    ignore_range: bool,
    revoked: bool,
    /// Delay between 16 KiB chunks, to make a transfer slow enough to pause.
    chunk_delay: Option<Duration>,
    served_bytes: u64,
    ranges: Vec<Option<String>>,
}

type Shared = Arc<Mutex<Behaviour>>;

async fn blob(
    State(shared): State<Shared>,
    Path(hash): Path<String>,
    headers: HeaderMap,
) -> Response {
    let mut b = shared.lock().unwrap();
    if b.revoked
        || headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            != Some(&format!("Bearer {TOKEN}"))
    {
        let body = ApiError::new(ErrorCode::SessionExpired, "session ended");
        return (StatusCode::UNAUTHORIZED, axum::Json(body)).into_response();
    }
    let Some(data) = b.blobs.get(&hash).cloned() else {
        let body = ApiError::new(ErrorCode::NotFound, "no such paper file");
        return (StatusCode::NOT_FOUND, axum::Json(body)).into_response();
    };
    let range = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    b.ranges.push(range.clone());
    let start = match range.as_deref().and_then(|r| r.strip_prefix("bytes=")) {
        Some(spec) if !b.ignore_range => spec.trim_end_matches('-').parse::<usize>().unwrap(),
        _ => 0,
    };
    let mut body = data.slice(start..).to_vec();
    if b.corrupt > 0 {
        b.corrupt -= 1;
        for byte in body.iter_mut().step_by(997) {
            *byte ^= 0xff;
        }
    }
    let cut = if b.cut_after.is_empty() {
        None
    } else {
        Some(b.cut_after.remove(0))
    };
    let sent = cut.unwrap_or(body.len()).min(body.len());
    let delay = b.chunk_delay;
    let length = body.len();
    drop(b);

    // Count what is streamed, not what was asked for: a paused download stops early.
    let chunks: Vec<Bytes> = body[..sent]
        .chunks(16 * 1024)
        .map(Bytes::copy_from_slice)
        .collect();
    let counter = shared.clone();
    let stream = futures_util::stream::iter(chunks)
        .then(move |chunk| {
            let counter = counter.clone();
            async move {
                if let Some(delay) = delay {
                    tokio::time::sleep(delay).await;
                }
                counter.lock().unwrap().served_bytes += chunk.len() as u64;
                Ok::<_, std::io::Error>(chunk)
            }
        })
        .chain(futures_util::stream::iter(cut).then(|_| async {
            // Let what was sent reach the client before the connection drops.
            tokio::time::sleep(Duration::from_millis(50)).await;
            Err(std::io::Error::other("connection dropped"))
        }));
    let status = if start > 0 {
        StatusCode::PARTIAL_CONTENT
    } else {
        StatusCode::OK
    };
    let mut response = Response::new(Body::from_stream(stream));
    *response.status_mut() = status;
    let h = response.headers_mut();
    h.insert(header::CONTENT_LENGTH, length.into());
    if start > 0 {
        let value = format!("bytes {start}-{}/{}", data.len() - 1, data.len());
        h.insert(header::CONTENT_RANGE, value.parse().unwrap());
    }
    response
}

use futures_util::StreamExt;

struct Bench {
    shared: Shared,
    store: Arc<Mutex<Store>>,
    files: PaperFiles,
    session: StoredSession,
    /// (hash, bytes) of the packet's papers, in packet order.
    papers: Vec<(BlobHash, Bytes)>,
    _dir: tempfile::TempDir,
}

fn sha256(bytes: &[u8]) -> BlobHash {
    BlobHash::parse(&hex::encode(Sha256::digest(bytes))).unwrap()
}

/// Pseudo-random bytes, different per seed, so no two papers share a hash.
fn paper_bytes(seed: u8, len: usize) -> Bytes {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64 ^ u64::from(seed);
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect::<Vec<u8>>()
        .into()
}

/// A blob server holding `sizes.len()` papers, a store that received a packet version
/// with all of them, and the paper files directory (empty).
async fn bench(sizes: &[usize]) -> Bench {
    let papers: Vec<(BlobHash, Bytes)> = sizes
        .iter()
        .enumerate()
        .map(|(i, &len)| {
            let bytes = paper_bytes(i as u8, len);
            (sha256(&bytes), bytes)
        })
        .collect();
    let shared: Shared = Arc::new(Mutex::new(Behaviour {
        blobs: papers
            .iter()
            .map(|(h, b)| (h.as_str().to_owned(), b.clone()))
            .collect(),
        ..Default::default()
    }));
    let app = Router::new()
        .route("/api/v1/blobs/{hash}", get(blob))
        .with_state(shared.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let dir = tempfile::tempdir().unwrap();
    let council = Council {
        id: CouncilId(Uuid::new_v4()),
        name: "HĐND thử nghiệm".into(),
    };
    let member = Member {
        id: MemberId(Uuid::new_v4()),
        council_id: council.id,
        username: "delegate01".into(),
        display_name: "Đại biểu".into(),
        role: Role::Delegate,
    };
    let session = StoredSession {
        server_url: url,
        token: TOKEN.into(),
        member: member.clone(),
        council: council.clone(),
    };
    let mut store = Store::open(&dir.path().join("ecabinet.db")).unwrap();
    store.save_session(&session).unwrap();
    let meeting = Meeting {
        id: MeetingId(Uuid::new_v4()),
        council_id: council.id,
        title: "Kỳ họp thứ mười".into(),
        starts_at: Timestamp(1_800_000_000_000),
        location: "Hội trường".into(),
        status: MeetingStatus::Scheduled,
    };
    let version = PacketVersion {
        meeting_id: meeting.id,
        number: 1,
        published_at: Timestamp(1_790_000_000_000),
        published_by: member.id,
        participants: Vec::new(),
        entries: papers
            .iter()
            .enumerate()
            .map(|(i, (hash, bytes))| PacketEntry {
                paper_id: PaperId(Uuid::new_v4()),
                place: PaperPlace::Section(SectionKind::Announcements),
                position: i as i32,
                title: Some(format!("Tài liệu {}", i + 1)),
                kind: PaperKind::Other,
                visibility: Visibility::AllParticipants,
                revision: 1,
                file: Some(PaperFile {
                    hash: hash.clone(),
                    size: bytes.len() as u64,
                    pages: 1,
                    file_name: format!("{i}.pdf"),
                }),
            })
            .collect(),
        programme: None,
    };
    store
        .apply_changes(
            &ChangesPage {
                changes: vec![
                    Change {
                        seq: 1,
                        record: SyncRecord::Meeting(meeting),
                    },
                    Change {
                        seq: 2,
                        record: SyncRecord::PacketVersion(version),
                    },
                ],
                next_cursor: 2,
                has_more: false,
            },
            Timestamp(1_790_000_000_000),
        )
        .unwrap();
    let store = Arc::new(Mutex::new(store));
    let files = PaperFiles::open(
        &dir.path().join("papers"),
        store.clone(),
        Arc::new(SystemClock),
    )
    .unwrap();
    Bench {
        shared,
        store,
        files,
        session,
        papers,
        _dir: dir,
    }
}

impl Bench {
    fn start(&self) -> DownloadHandle {
        PacketDownloader::new(self.files.clone(), &self.session)
            .unwrap()
            .with_backoff(Backoff::new(
                Duration::from_millis(10),
                Duration::from_millis(50),
            ))
            .spawn()
    }

    fn total(&self) -> u64 {
        self.papers.iter().map(|(_, b)| b.len() as u64).sum()
    }

    fn served(&self) -> u64 {
        self.shared.lock().unwrap().served_bytes
    }

    /// Every paper is held, its file hashes to its name, and no partial is left.
    fn assert_all_held_and_verified(&self) {
        let held = self.store.lock().unwrap().held_hashes().unwrap();
        for (hash, bytes) in &self.papers {
            assert!(held.contains(hash), "the store records {hash} as held");
            let on_disk = std::fs::read(self.files.path(hash)).unwrap();
            assert_eq!(
                sha256(&on_disk),
                *hash,
                "the file at the final name is whole"
            );
            assert_eq!(on_disk.len(), bytes.len());
        }
        let partials = std::fs::read_dir(self.files.dir().join("partial"))
            .unwrap()
            .count();
        assert_eq!(partials, 0, "no partial download is left behind");
    }
}

async fn wait_state(handle: &DownloadHandle, state: DownloaderState) -> DownloadProgress {
    let mut rx = handle.progress();
    let waited = tokio::time::timeout(Duration::from_secs(20), rx.wait_for(|p| p.state == state))
        .await
        .map(|r| r.map(|p| p.clone()));
    match waited {
        Ok(Ok(progress)) => progress,
        _ => panic!(
            "timed out waiting for {state:?}; last progress: {:?}",
            *rx.borrow()
        ),
    }
}

#[tokio::test]
async fn every_needed_file_is_downloaded_verified_and_recorded() {
    let bench = bench(&[300_000, 70_000, 1]).await;
    let handle = bench.start();
    let done = wait_state(&handle, DownloaderState::Complete).await;
    assert_eq!(done.done_bytes, bench.total());
    assert_eq!(done.total_bytes, bench.total());
    assert!(
        done.papers
            .iter()
            .all(|p| p.state == PaperDownloadState::Done),
        "{done:?}"
    );
    bench.assert_all_held_and_verified();
    assert_eq!(bench.served(), bench.total(), "each byte fetched once");
    assert!(bench.store.lock().unwrap().blob_needs().unwrap().is_empty());
    handle.stop().await;
}

#[tokio::test]
async fn a_dropped_connection_resumes_where_it_stopped_instead_of_starting_over() {
    let bench = bench(&[400_000]).await;
    bench.shared.lock().unwrap().cut_after = vec![150_000, 100_000];
    let handle = bench.start();
    wait_state(&handle, DownloaderState::Complete).await;
    bench.assert_all_held_and_verified();
    let b = bench.shared.lock().unwrap();
    assert_eq!(
        b.ranges,
        vec![
            None,
            Some("bytes=150000-".into()),
            Some("bytes=250000-".into())
        ],
        "each attempt asks for the rest only"
    );
    assert_eq!(b.served_bytes, 400_000, "no byte fetched twice");
}

#[tokio::test]
async fn a_partial_file_left_by_a_killed_app_is_rehashed_and_continued() {
    let bench = bench(&[500_000]).await;
    let (hash, bytes) = &bench.papers[0];
    std::fs::write(
        bench.files.dir().join(format!("partial/{hash}.part")),
        &bytes[..123_456],
    )
    .unwrap();
    let handle = bench.start();
    wait_state(&handle, DownloaderState::Complete).await;
    bench.assert_all_held_and_verified();
    assert_eq!(bench.served(), 500_000 - 123_456);
}

#[tokio::test]
async fn wrong_bytes_are_fetched_again_once_then_the_paper_is_reported_failed() {
    let bench = bench(&[200_000, 50_000]).await;
    bench.shared.lock().unwrap().corrupt = 1;
    let handle = bench.start();
    wait_state(&handle, DownloaderState::Complete).await;
    bench.assert_all_held_and_verified();
    handle.stop().await;

    let bench = bench_with_corrupt_forever().await;
    let handle = bench.start();
    let progress = wait_state(&handle, DownloaderState::Incomplete).await;
    let (bad, _) = &bench.papers[0];
    let paper = progress.papers.iter().find(|p| &p.hash == bad).unwrap();
    assert!(
        matches!(&paper.state, PaperDownloadState::Failed(reason) if reason.contains("hash")),
        "{paper:?}"
    );
    assert!(
        !bench.files.path(bad).exists(),
        "a file that never verified never reaches its final name"
    );
    assert_eq!(
        bench.shared.lock().unwrap().ranges.len(),
        2,
        "one retry, not a loop"
    );
    assert!(progress.detail.unwrap().contains("could not be downloaded"));
}

async fn bench_with_corrupt_forever() -> Bench {
    let bench = bench(&[60_000]).await;
    bench.shared.lock().unwrap().corrupt = usize::MAX;
    bench
}

#[tokio::test]
async fn a_server_that_ignores_the_range_gets_the_file_started_over() {
    let bench = bench(&[300_000]).await;
    let (hash, bytes) = &bench.papers[0];
    std::fs::write(
        bench.files.dir().join(format!("partial/{hash}.part")),
        &bytes[..100_000],
    )
    .unwrap();
    bench.shared.lock().unwrap().ignore_range = true;
    let handle = bench.start();
    wait_state(&handle, DownloaderState::Complete).await;
    bench.assert_all_held_and_verified();
}

#[tokio::test]
async fn a_damaged_file_is_caught_when_opened_and_fetched_again() {
    let bench = bench(&[250_000, 40_000]).await;
    let handle = bench.start();
    wait_state(&handle, DownloaderState::Complete).await;
    let (hash, bytes) = bench.papers[0].clone();
    let verified = bench.files.open_verified(&hash).unwrap();
    assert_eq!(verified.size, bytes.len() as u64);

    let mut damaged = bytes.to_vec();
    damaged[1000] ^= 0x55;
    std::fs::write(bench.files.path(&hash), &damaged).unwrap();
    let files = bench.files.clone();
    let h = hash.clone();
    let opened = tokio::task::spawn_blocking(move || files.open_verified(&h))
        .await
        .unwrap();
    assert!(matches!(opened, Err(PaperFileError::Damaged)), "{opened:?}");
    assert!(
        !bench
            .store
            .lock()
            .unwrap()
            .held_hashes()
            .unwrap()
            .contains(&hash),
        "a damaged file is no longer counted as held"
    );

    let mut rx = handle.progress();
    let store = bench.store.clone();
    tokio::time::timeout(
        Duration::from_secs(20),
        rx.wait_for(|p| {
            p.state == DownloaderState::Complete
                && store.lock().unwrap().held_hashes().unwrap().contains(&hash)
        }),
    )
    .await
    .expect("the damaged file is fetched again")
    .unwrap();
    bench.assert_all_held_and_verified();
    assert_eq!(bench.served(), bench.total() + bytes.len() as u64);
    let reopened = bench.files.open_verified(&hash).unwrap();
    assert_eq!(reopened.size, bytes.len() as u64);
}

#[tokio::test]
async fn at_start_a_missing_or_truncated_held_file_is_forgotten_and_fetched_again() {
    let bench = bench(&[120_000, 80_000, 30_000]).await;
    let handle = bench.start();
    wait_state(&handle, DownloaderState::Complete).await;
    handle.stop().await;

    std::fs::remove_file(bench.files.path(&bench.papers[0].0)).unwrap();
    std::fs::write(
        bench.files.path(&bench.papers[1].0),
        &bench.papers[1].1[..1000],
    )
    .unwrap();
    let mut same_size = bench.papers[2].1.to_vec();
    same_size[5] ^= 1;
    std::fs::write(bench.files.path(&bench.papers[2].0), same_size).unwrap();

    let before = bench.served();
    let handle = bench.start();
    // The missing and the truncated file are caught by the cheap check at start; the one
    // with the right size but a flipped bit only by the background hashing, which may
    // finish after the first two are fetched again.
    let mut rx = handle.progress();
    let expected = before + bench.total();
    tokio::time::timeout(
        Duration::from_secs(20),
        rx.wait_for(|p| p.state == DownloaderState::Complete && bench.served() >= expected),
    )
    .await
    .expect("all three are fetched again")
    .unwrap();
    bench.assert_all_held_and_verified();
    assert_eq!(
        bench.served() - before,
        bench.total(),
        "exactly the three damaged files"
    );
}

#[tokio::test]
async fn pausing_keeps_the_partial_and_resuming_finishes_it() {
    let bench = bench(&[600_000]).await;
    bench.shared.lock().unwrap().chunk_delay = Some(Duration::from_millis(5));
    let handle = bench.start();
    let mut rx = handle.progress();
    rx.wait_for(|p| p.done_bytes > 100_000).await.unwrap();
    handle.pause();
    let paused = wait_state(&handle, DownloaderState::Paused).await;
    assert!(paused.done_bytes < 600_000);
    let (hash, _) = &bench.papers[0];
    let partial = bench.files.dir().join(format!("partial/{hash}.part"));
    tokio::time::sleep(Duration::from_millis(100)).await;
    let kept = std::fs::metadata(&partial).unwrap().len();
    assert!(kept > 100_000, "the partial stays while paused: {kept}");
    assert!(!bench.files.path(hash).exists());

    bench.shared.lock().unwrap().chunk_delay = None;
    handle.resume();
    wait_state(&handle, DownloaderState::Complete).await;
    bench.assert_all_held_and_verified();
    assert!(
        bench.served() < 600_000 + 100_000,
        "resuming continued the partial: {} B served, ranges {:?}",
        bench.served(),
        bench.shared.lock().unwrap().ranges
    );
}

#[tokio::test]
async fn a_revoked_session_stops_the_downloader_as_signed_out() {
    let bench = bench(&[10_000]).await;
    bench.shared.lock().unwrap().revoked = true;
    let handle = bench.start();
    let progress = wait_state(&handle, DownloaderState::SignedOut).await;
    assert!(progress.detail.unwrap().contains("expired"));
}

#[tokio::test]
async fn an_unreachable_server_is_reported_offline_and_retried_until_it_answers() {
    let mut bench = bench(&[50_000]).await;
    let real = bench.session.server_url.clone();
    // Nothing listens here: the downloader must say offline, then keep trying.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    bench.session.server_url = format!("http://127.0.0.1:{port}");
    let handle = bench.start();
    let offline = wait_state(&handle, DownloaderState::Offline).await;
    assert!(offline.detail.is_some(), "offline says why");
    handle.stop().await;

    bench.session.server_url = real;
    let handle = bench.start();
    wait_state(&handle, DownloaderState::Complete).await;
    bench.assert_all_held_and_verified();
}

#[tokio::test]
async fn a_pull_that_brings_a_new_version_prompts_the_downloader_through_the_engine_status() {
    let bench = bench(&[40_000]).await;
    let (engine, status) = tokio::sync::watch::channel(ecabinet_sync::SyncStatus {
        connection: ecabinet_sync::ConnectionState::Online,
        last_synced_at: None,
        detail: None,
        cursor: 2,
    });
    let handle = PacketDownloader::new(bench.files.clone(), &bench.session)
        .unwrap()
        .following(status)
        .spawn();
    wait_state(&handle, DownloaderState::Complete).await;

    // The engine applies version 2, which adds a paper, and its cursor moves.
    let amended = paper_bytes(99, 90_000);
    let hash = sha256(&amended);
    bench
        .shared
        .lock()
        .unwrap()
        .blobs
        .insert(hash.as_str().to_owned(), amended.clone());
    {
        let mut store = bench.store.lock().unwrap();
        let meeting = store.meetings().unwrap()[0].meeting.id;
        let mut v2 = store.latest_packet(meeting).unwrap().unwrap();
        v2.number = 2;
        let mut entry = v2.entries[0].clone();
        entry.paper_id = PaperId(Uuid::new_v4());
        entry.file = Some(PaperFile {
            hash: hash.clone(),
            size: amended.len() as u64,
            pages: 1,
            file_name: "amended.pdf".into(),
        });
        v2.entries.push(entry);
        let page = ChangesPage {
            changes: vec![Change {
                seq: 3,
                record: SyncRecord::PacketVersion(v2),
            }],
            next_cursor: 3,
            has_more: false,
        };
        store
            .apply_changes(&page, Timestamp(1_790_000_100_000))
            .unwrap();
    }
    engine.send_modify(|s| s.cursor = 3);

    let mut rx = handle.progress();
    tokio::time::timeout(
        Duration::from_secs(20),
        rx.wait_for(|p| {
            p.state == DownloaderState::Complete && p.papers.iter().any(|p| p.hash == hash)
        }),
    )
    .await
    .expect("the new paper is fetched without anyone calling kick()")
    .unwrap();
    assert!(bench.files.open_verified(&hash).is_ok());
}

#[tokio::test]
async fn a_file_fetched_on_demand_is_kept_only_once_it_hashes_to_its_name() {
    // A draft the chair opens: no version brings it, so it is fetched when asked for.
    let bench = bench(&[120_000]).await;
    let (hash, bytes) = bench.papers[0].clone();
    let size = bytes.len() as u64;
    let client = ecabinet_sync::CouncilClient::new(&bench.session.server_url).unwrap();

    bench.shared.lock().unwrap().corrupt = 1;
    let refused = bench.files.fetch_now(&client, TOKEN, &hash, size).await;
    assert!(
        matches!(&refused, Err(ecabinet_sync::SyncError::Protocol(m)) if m.contains("hash")),
        "{refused:?}"
    );
    assert!(
        !bench.files.path(&hash).exists(),
        "bytes that do not hash to the name never reach it"
    );
    assert!(
        !bench
            .store
            .lock()
            .unwrap()
            .held_hashes()
            .unwrap()
            .contains(&hash)
    );

    bench
        .files
        .fetch_now(&client, TOKEN, &hash, size)
        .await
        .unwrap();
    assert!(
        bench
            .store
            .lock()
            .unwrap()
            .held_hashes()
            .unwrap()
            .contains(&hash)
    );
    let read = tokio::task::spawn_blocking({
        let (files, hash) = (bench.files.clone(), hash.clone());
        move || files.read_verified(&hash)
    })
    .await
    .unwrap()
    .unwrap();
    assert_eq!(read, bytes, "what is opened is what the server holds");

    let served = bench.served();
    bench
        .files
        .fetch_now(&client, TOKEN, &hash, size)
        .await
        .unwrap();
    assert_eq!(
        bench.served(),
        served,
        "a file on the device is not fetched again"
    );
}
