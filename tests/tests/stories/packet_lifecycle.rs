//! The packet issue's story, end to end over a real council server: the secretary imports
//! the fixture packet (some papers as the watched folder sends them: placed by their
//! subfolder's item number, with their path as their source), the chair approves, the
//! secretary publishes version 1; a delegate's device holds it all and reads it offline;
//! the secretary sends an amended file from the same path and publishes version 2; the delegate
//! fetches only that paper and sees it marked as replaced; a guest never receives the
//! confidential paper. (The app's own watched folder, following a real folder, is the
//! `app_window` story of the secretary who imports from it.)

use ecabinet_domain::{
    AgendaTree, ChangeMark, Clock, MeetingId, MeetingRole, Paper, PaperKind, PaperPlace,
    SectionKind, SystemClock, Timestamp, Visibility,
};
use ecabinet_import::{Importer, PaperDraft};
use ecabinet_pdf::PdfEngine;
use ecabinet_protocol::{ErrorCode, NewAgendaItem, NewMeeting};
use ecabinet_store::{PacketView, Store, StoredSession};
use ecabinet_stories::packet::fixture_packet_dir;
use ecabinet_stories::{Backend, CouncilServer, DEMO_PASSWORD, repo_root};
use ecabinet_sync::{
    Backoff, CouncilClient, DownloaderState, PacketDownloader, PaperFiles, SyncError,
};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One member's device: a real store file and a real papers folder.
struct Device {
    client: CouncilClient,
    session: StoredSession,
    store: Arc<Mutex<Store>>,
    files: PaperFiles,
    _dir: tempfile::TempDir,
}

impl Device {
    async fn sign_in(server: &str, username: &str) -> Device {
        let dir = tempfile::tempdir().unwrap();
        let client = CouncilClient::new(server).unwrap();
        let login = client.login(username, DEMO_PASSWORD).await.unwrap();
        let session = StoredSession {
            server_url: client.server_url(),
            token: login.token,
            member: login.member,
            council: login.council,
        };
        let mut store = Store::open(&dir.path().join("ecabinet.db")).unwrap();
        store.save_session(&session).unwrap();
        let store = Arc::new(Mutex::new(store));
        let files = PaperFiles::open(
            &dir.path().join("papers"),
            store.clone(),
            Arc::new(SystemClock),
        )
        .unwrap();
        Device {
            client,
            session,
            store,
            files,
            _dir: dir,
        }
    }

    fn token(&self) -> &str {
        &self.session.token
    }

    async fn sync(&self) {
        ecabinet_sync::pull_all(&self.client, &self.session.token, &self.store, &SystemClock)
            .await
            .unwrap();
    }

    /// Pulls, then runs the downloader until every paper this member may read is held.
    async fn hold_packet(&self) {
        self.sync().await;
        let handle = PacketDownloader::new(self.files.clone(), &self.session)
            .unwrap()
            .with_backoff(Backoff::new(
                Duration::from_millis(50),
                Duration::from_millis(500),
            ))
            .spawn();
        let mut progress = handle.progress();
        tokio::time::timeout(Duration::from_secs(60), async {
            loop {
                let state = progress.borrow_and_update().state;
                match state {
                    DownloaderState::Complete => return,
                    DownloaderState::Incomplete | DownloaderState::SignedOut => {
                        panic!("download stopped: {:?}", progress.borrow())
                    }
                    _ => progress.changed().await.unwrap(),
                }
            }
        })
        .await
        .expect("the packet downloads within 60 s");
        handle.stop().await;
    }

    fn view(&self, meeting: MeetingId) -> PacketView {
        self.store
            .lock()
            .unwrap()
            .packet_view(meeting, self.session.member.id)
            .unwrap()
            .expect("a packet version is here")
    }

    /// Files in the papers folder, final ones only.
    fn file_names(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.files.dir())
            .unwrap()
            .filter_map(|e| {
                let name = e.ok()?.file_name().to_string_lossy().into_owned();
                name.ends_with(".pdf").then_some(name)
            })
            .collect();
        names.sort();
        names
    }
}

fn fixture(name: &str) -> PathBuf {
    fixture_packet_dir().join(name)
}

fn file_name(relative: &str) -> &str {
    relative.rsplit('/').next().unwrap()
}

/// Imports `file` as the watched folder sends the file at `relative` (`2/…` for item 2).
async fn from_folder(
    importer: &Importer,
    programme: &AgendaTree,
    relative: &str,
    file: &Path,
) -> Paper {
    let number = relative.split([' ', '/']).next().unwrap();
    let item = programme
        .item_numbered(number)
        .unwrap_or_else(|| panic!("{relative}: no item numbered {number}"));
    importer
        .import_file(
            file,
            PaperDraft {
                place: PaperPlace::Item(item),
                title: None,
                kind: None,
                visibility: Visibility::AllParticipants,
                source: Some(relative.to_owned()),
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{relative}: {e}"))
}

on_every_backend!(prepare_approve_publish_read_offline_amend_and_see_only_what_changed);

async fn prepare_approve_publish_read_offline_amend_and_see_only_what_changed(backend: Backend) {
    let server_data = tempfile::tempdir().unwrap();
    let mut server = CouncilServer::start_with(backend, server_data.path(), 0);
    let url = server.url();

    // The secretary prepares a thematic sitting with a two-level programme.
    let secretary = Device::sign_in(&url, "secretary").await;
    let chair = Device::sign_in(&url, "chair").await;
    let meeting = secretary
        .client
        .create_meeting(
            secretary.token(),
            &NewMeeting {
                title: "Phiên họp chuyên đề về ngân sách".into(),
                starts_at: Timestamp(SystemClock.now().millis() + 86_400_000),
                location: "Phòng họp số 1".into(),
            },
        )
        .await
        .unwrap()
        .id;
    for (position, title) in [
        (1, "Khai mạc"),
        (2, "Dự toán ngân sách năm 2027"),
        (3, "Đầu tư công"),
    ] {
        secretary
            .client
            .add_agenda_item(
                secretary.token(),
                meeting,
                &NewAgendaItem {
                    parent_id: None,
                    position,
                    title: title.into(),
                    presenter: None,
                    planned_minutes: Some(30),
                    paper_titles: vec![],
                },
            )
            .await
            .unwrap();
    }
    secretary.sync().await;
    let importer = Importer::new(
        secretary.client.clone(),
        secretary.token().to_owned(),
        meeting,
        secretary.store.clone(),
    );

    // Three papers arrive as the watched folder sends them: one subfolder per item number,
    // the path in the folder as the paper's source.
    let programme = AgendaTree::build(
        secretary
            .store
            .lock()
            .unwrap()
            .agenda_items(meeting)
            .unwrap(),
    );
    let mut imported = Vec::new();
    for relative in [
        "2/01-to-trinh-du-toan-ngan-sach-2027.pdf",
        "2/02-du-thao-nghi-quyet-ngan-sach-2027.pdf",
        "3 Đầu tư công/04-phu-luc-so-lieu.pdf",
    ] {
        imported.push(
            from_folder(
                &importer,
                &programme,
                relative,
                &fixture(file_name(relative)),
            )
            .await,
        );
    }
    assert!(
        imported
            .iter()
            .any(|p| p.kind == PaperKind::DraftResolution),
        "kind guessed from the file name"
    );

    // The rest by hand: a confidential review report, the voters' opinions, the compendium.
    let delegate01 = secretary
        .store
        .lock()
        .unwrap()
        .members()
        .unwrap()
        .into_iter()
        .find(|m| m.username == "delegate01")
        .unwrap()
        .id;
    secretary.sync().await;
    let budget_item = imported[0].place;
    let confidential = importer
        .import_file(
            &fixture("03-bao-cao-tham-tra-ban-kinh-te.pdf"),
            PaperDraft {
                place: budget_item,
                title: Some("Báo cáo thẩm tra (mật)".into()),
                kind: None,
                visibility: Visibility::Named {
                    readers: vec![delegate01],
                    title_hidden: false,
                },
                source: None,
            },
        )
        .await
        .unwrap();
    for (file, place) in [
        (
            "05-tong-hop-y-kien-cu-tri.pdf",
            PaperPlace::Section(SectionKind::VoterOpinions),
        ),
        ("90-tai-lieu-tong-hop-lon.pdf", imported[2].place),
    ] {
        importer
            .import_file(
                &fixture(file),
                PaperDraft {
                    place,
                    title: None,
                    kind: None,
                    visibility: Visibility::AllParticipants,
                    source: None,
                },
            )
            .await
            .unwrap();
    }
    // A file that is not a PDF is refused with a code that names the problem.
    let refused = importer
        .import_file(
            &repo_root().join("../shared/fixtures/bad/not-a-pdf.pdf"),
            PaperDraft {
                place: budget_item,
                title: None,
                kind: None,
                visibility: Visibility::AllParticipants,
                source: None,
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, ecabinet_import::ImportError::Sync(SyncError::Refused(e)) if e.code == ErrorCode::NotAPdf),
        "{refused:?}"
    );

    // The chair approves every paper; the secretary publishes version 1.
    secretary.sync().await;
    let papers = secretary.store.lock().unwrap().papers(meeting).unwrap();
    assert_eq!(papers.len(), 6);
    for paper in &papers {
        chair
            .client
            .approve_paper(chair.token(), paper.id)
            .await
            .unwrap();
    }
    let v1 = secretary
        .client
        .publish_packet(secretary.token(), meeting, 1)
        .await
        .unwrap();
    assert_eq!((v1.number, v1.entries.len()), (1, 6));
    assert!(
        v1.participants
            .iter()
            .any(|p| p.meeting_role == MeetingRole::Chair && p.votes)
    );

    // delegate01 (named on the confidential paper) holds the whole packet, then reads offline.
    let delegate = Device::sign_in(&url, "delegate01").await;
    delegate.hold_packet().await;
    let view = delegate.view(meeting);
    assert!(
        view.papers.iter().all(|p| p.held && p.mark.is_none()),
        "everything held, nothing marked in v1"
    );
    assert_eq!(view.held_bytes, view.total_bytes);
    server.kill();
    let engine = PdfEngine::bind().unwrap();
    for paper in &view.papers {
        let file = paper.entry.file.as_ref().unwrap();
        let verified = delegate.files.open_verified(&file.hash).unwrap();
        let document = engine.open_path(&verified.path, None).unwrap();
        let page = document.render_page(0, 72.0).unwrap();
        assert!(
            page.width > 0 && page.height > 0,
            "{} opens to its first page offline",
            file.file_name
        );
    }
    server.restart();
    tokio::time::sleep(Duration::from_millis(200)).await;

    // The night before: the submission is amended, and the folder sends it from the same path.
    let before = delegate.file_names();
    let mut amended = std::fs::read(fixture("01-to-trinh-du-toan-ngan-sach-2027.pdf")).unwrap();
    amended.extend_from_slice("\n% sửa đổi theo ý kiến thẩm tra\n".as_bytes());
    let amended_file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(amended_file.path(), &amended).unwrap();
    let revised = from_folder(
        &importer,
        &programme,
        "2/01-to-trinh-du-toan-ngan-sach-2027.pdf",
        amended_file.path(),
    )
    .await;
    assert_eq!(
        revised.revision, 2,
        "a file from a known source is the next revision"
    );
    assert!(
        imported.iter().any(|p| p.id == revised.id),
        "the same paper, not a duplicate"
    );
    chair
        .client
        .approve_paper(chair.token(), revised.id)
        .await
        .unwrap();
    let v2 = secretary
        .client
        .publish_packet(secretary.token(), meeting, 2)
        .await
        .unwrap();
    assert_eq!(v2.entries.len(), 6);

    delegate.hold_packet().await;
    let after = delegate.file_names();
    let new_files: Vec<_> = after.iter().filter(|f| !before.contains(f)).collect();
    assert_eq!(
        new_files,
        vec![&format!("{}.pdf", revised.file.hash)],
        "only the replaced paper is fetched again"
    );
    let view = delegate.view(meeting);
    let marks: Vec<_> = view
        .papers
        .iter()
        .filter_map(|p| Some((p.entry.paper_id, p.mark?)))
        .collect();
    assert_eq!(
        marks,
        vec![(revised.id, ChangeMark::Replaced)],
        "only the amended paper is marked"
    );
    delegate
        .store
        .lock()
        .unwrap()
        .mark_read(
            delegate.session.member.id,
            revised.id,
            &revised.file.hash,
            Timestamp(0),
        )
        .unwrap();
    assert!(
        delegate
            .view(meeting)
            .papers
            .iter()
            .all(|p| p.mark.is_none()),
        "opening it clears the mark"
    );

    // The guest holds every paper but the confidential one, and cannot fetch it directly.
    let guest = Device::sign_in(&url, "guest").await;
    guest.hold_packet().await;
    let view = guest.view(meeting);
    let restricted: Vec<_> = view
        .papers
        .iter()
        .filter(|p| p.entry.is_restricted())
        .collect();
    assert_eq!(restricted.len(), 1);
    assert_eq!(restricted[0].entry.paper_id, confidential.id);
    assert_eq!(
        guest.file_names().len(),
        5 + 8,
        "this packet minus the confidential paper, plus the demo session's eight open papers"
    );
    assert!(
        !guest
            .file_names()
            .contains(&format!("{}.pdf", confidential.file.hash))
    );
    let direct = guest
        .client
        .download_blob_range(guest.token(), &confidential.file.hash, 0)
        .await;
    assert!(
        matches!(&direct, Err(SyncError::Refused(e)) if e.code == ErrorCode::NotFound),
        "a guest asking for the confidential file by hash is told it does not exist"
    );
}
