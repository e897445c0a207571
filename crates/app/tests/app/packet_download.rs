//! Packet download: a delegate signs in and the published packet comes to the device by
//! itself, every file checked against its hash, so the session can be read offline; the
//! member may pause the downloads and resume them.

use crate::harness::{Council, DEMO_SESSION, Device, paper, refused};
use ecabinet_app::dto::{ConnectionState, DownloadState, DownloaderState, IpcErrorCode, Role};
use sha2::{Digest, Sha256};

/// The confidential paper of the demo packet: for the chair, delegate01 and delegate02.
const CONFIDENTIAL: &str = "Tờ trình về công tác cán bộ";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delegate_signs_in_and_the_whole_published_packet_arrives_verified() {
    let council = Council::demo().await;
    let device = Device::new();

    let session = device.sign_in(&council, "delegate01").await;
    assert!(matches!(session.member.role, Role::Delegate));
    assert_eq!(session.council_name, "Hội đồng nhân dân thành phố Phú An");

    let packet = device.packet_held(DEMO_SESSION).await;
    assert_eq!(packet.version, 1, "the demo publishes version 1");
    assert_eq!(
        packet.papers.len(),
        9,
        "delegate01 is a named reader of the confidential paper, so all nine are theirs"
    );
    assert!(
        !paper(&packet, CONFIDENTIAL).restricted,
        "delegate01 is named on the confidential paper"
    );
    for p in &packet.papers {
        assert!(p.held, "{:?} is on the device", p.title);
        let file = p
            .file
            .as_ref()
            .expect("a paper for this member has its file");
        let bytes = std::fs::read(
            device
                .data_dir
                .join("papers")
                .join(format!("{}.pdf", file.hash)),
        )
        .unwrap_or_else(|e| panic!("{:?} is kept as a file named by its hash: {e}", p.title));
        assert_eq!(bytes.len() as u64, file.size, "{:?} arrived whole", p.title);
        assert_eq!(
            hex::encode(Sha256::digest(&bytes)),
            file.hash,
            "{:?} is exactly what was published",
            p.title
        );
    }

    let progress = device.core.download_progress().await;
    assert_eq!(progress.state, DownloaderState::Complete);
    assert_eq!(
        progress.received, progress.total,
        "every byte of the round arrived"
    );
    assert_eq!(
        progress.total, packet.total_bytes,
        "this round fetched the whole packet"
    );
    assert!(
        progress
            .files
            .iter()
            .all(|f| f.state == DownloadState::Done && f.received == f.total),
        "every file of the round is done: {progress:#?}"
    );
    device
        .until(
            "the window to be told the downloads are complete",
            || async {
                let told = device.events.borrow().downloads.clone()?;
                (told == progress).then_some(())
            },
        )
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_confidential_paper_is_listed_to_other_delegates_but_never_fetched() {
    let council = Council::demo().await;
    let device = Device::new();
    device.sign_in(&council, "delegate03").await;

    let packet = device.packet_held(DEMO_SESSION).await;
    let confidential = paper(&packet, CONFIDENTIAL);
    assert!(
        confidential.restricted,
        "delegate03 is not named on it: listed, its title shown"
    );
    assert!(
        confidential.file.is_none() && !confidential.held,
        "and its file neither described nor on the device"
    );
    let held: Vec<_> = std::fs::read_dir(device.data_dir.join("papers"))
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.strip_suffix(".pdf").map(str::to_owned)
        })
        .collect();
    assert_eq!(
        held.len(),
        8,
        "the eight papers for everyone are on the device, the confidential one is not: {held:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paused_downloads_fetch_nothing_until_resumed() {
    let council = Council::demo().await;
    let device = Device::new();
    device.sign_in(&council, "delegate02").await;
    // Paused at once: the first pull (which brings the packet) has not happened yet.
    device.core.pause_downloads(true).await.unwrap();

    let packet = device
        .until(
            "the packet to arrive while downloads are paused",
            || async {
                let online = matches!(
                    device.core.snapshot().await.ok()?.sync.connection,
                    ConnectionState::Online
                );
                let meeting = device
                    .core
                    .meetings()
                    .ok()?
                    .into_iter()
                    .find(|m| m.title == DEMO_SESSION)?;
                let packet = device.core.meeting_packet(&meeting.id).ok()??;
                let paused = device.core.download_progress().await.state == DownloaderState::Paused;
                (online && paused).then_some(packet)
            },
        )
        .await;
    assert!(packet.total_bytes > 0, "the packet has files to fetch");
    assert_eq!(
        packet.held_bytes, 0,
        "nothing is fetched while the member has paused the downloads"
    );
    assert!(packet.papers.iter().all(|p| !p.held));
    let submission = paper(&packet, "Tờ trình về dự toán ngân sách nhà nước năm 2027");
    assert_eq!(
        refused(
            "opening a paper whose file has not come yet",
            device
                .core
                .open_paper(&packet.meeting_id, &submission.paper_id)
                .await
        ),
        IpcErrorCode::PaperNotDownloaded,
        "the reader says the file is not on the device yet"
    );

    device.core.pause_downloads(false).await.unwrap();
    let packet = device.packet_held(DEMO_SESSION).await;
    assert!(
        packet.papers.iter().all(|p| p.held),
        "resumed, every paper arrives"
    );
}
