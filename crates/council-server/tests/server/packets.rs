//! Packets: a secretary uploads and attaches papers, the chair approves, the secretary
//! publishes; each participant receives what they may read, and downloads resume by range.

use super::*;
use ecabinet_domain::{BlobHash, PacketVersion, Paper, Review};
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use uuid::Uuid;

on_every_backend!(
    an_upload_is_checked_stored_once_and_answered_with_its_page_count,
    every_bad_fixture_is_refused_with_a_code_that_names_the_problem,
    uploads_that_lie_are_too_big_or_come_from_readers_are_refused,
    a_file_name_with_a_path_or_control_characters_is_kept_only_as_a_clean_label,
    a_changed_file_in_the_watched_folder_is_a_new_revision_not_a_duplicate,
    the_chair_approves_the_secretary_publishes_and_each_reader_gets_what_they_may_read,
    downloads_resume_from_a_byte_offset,
    two_publishes_at_once_give_one_version_and_one_conflict,
    the_demo_publishes_a_complete_readable_packet_once,
);

// Review's stories use the helpers below, so they live beneath this module.
#[path = "review.rs"]
mod review;

// The error path's stories upload papers too.
#[path = "errors.rs"]
mod errors;

// Councils apart: probing another council's files by hash.
#[path = "councils.rs"]
mod councils;

// Four eyes: the uploader of a revision does not approve it.
#[path = "four_eyes.rs"]
mod four_eyes;

fn fixture(relative: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures")
        .join(relative);
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading fixture {}: {e}", path.display()))
}

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl Council {
    async fn upload(&self, token: &str, bytes: Vec<u8>) -> (StatusCode, Value) {
        let hash = sha256(&bytes);
        self.upload_as(token, &hash, bytes).await
    }

    async fn upload_as(&self, token: &str, hash: &str, bytes: Vec<u8>) -> (StatusCode, Value) {
        let req = Request::builder()
            .method("PUT")
            .uri(format!("/api/v1/blobs/{hash}"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/pdf")
            .header(header::CONTENT_LENGTH, bytes.len())
            .body(Body::from(bytes))
            .unwrap();
        self.send(req).await
    }

    async fn send(&self, req: Request<Body>) -> (StatusCode, Value) {
        let response = self.app.clone().oneshot(req).await.unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    async fn download(
        &self,
        token: &str,
        hash: &str,
        range: Option<&str>,
    ) -> (StatusCode, Vec<u8>) {
        let mut req = Request::builder()
            .uri(format!("/api/v1/blobs/{hash}"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"));
        if let Some(range) = range {
            req = req.header(header::RANGE, range);
        }
        let response = self
            .app
            .clone()
            .oneshot(req.body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        (
            status,
            response
                .into_body()
                .collect()
                .await
                .unwrap()
                .to_bytes()
                .to_vec(),
        )
    }

    /// Uploads a fixture and attaches it to the session's second agenda item.
    async fn attach(
        &self,
        token: &str,
        file: &str,
        title: &str,
        visibility: Value,
        source: Option<&str>,
    ) -> Paper {
        let (status, body) = self.upload(token, fixture(file)).await;
        assert_eq!(status, StatusCode::OK, "uploading {file}: {body}");
        let (meeting, item) = self.session_and_item(token).await;
        let (status, body) = self
            .json(
                "POST",
                &format!("/api/v1/meetings/{meeting}/papers"),
                Some(token),
                json!({
                    "id": Uuid::new_v4(), "place": {"at": "item", "id": item}, "position": 1,
                    "title": title, "kind": "submission", "visibility": visibility,
                    "hash": body["hash"], "file_name": file, "source": source,
                }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "attaching {file}: {body}");
        serde_json::from_value(body).unwrap()
    }

    /// The upcoming session and its budget item, from the change log.
    async fn session_and_item(&self, token: &str) -> (String, String) {
        let page = self.changes(token, 0).await;
        let item = page
            .changes
            .iter()
            .find_map(|c| match &c.record {
                SyncRecord::AgendaItem(i) if i.title == "Dự toán ngân sách nhà nước năm 2027" => {
                    Some(i.clone())
                }
                _ => None,
            })
            .expect("the demo session has its budget item");
        (item.meeting_id.to_string(), item.id.to_string())
    }

    async fn publish(&self, token: &str, meeting: &str, expected: u32) -> (StatusCode, Value) {
        self.json(
            "POST",
            &format!("/api/v1/meetings/{meeting}/packets"),
            Some(token),
            json!({"expected_number": expected}),
        )
        .await
    }

    async fn approve(&self, token: &str, paper: &Paper) -> (StatusCode, Value) {
        self.call(
            "POST",
            &format!("/api/v1/papers/{}/approval", paper.id),
            Some(token),
            None,
        )
        .await
    }

    async fn packets(&self, token: &str) -> Vec<PacketVersion> {
        self.changes(token, 0)
            .await
            .changes
            .into_iter()
            .filter_map(|c| match c.record {
                SyncRecord::PacketVersion(v) => Some(v),
                _ => None,
            })
            .collect()
    }
}

async fn an_upload_is_checked_stored_once_and_answered_with_its_page_count(backend: Backend) {
    let council = demo_council(backend).await;
    let secretary = council.login("secretary").await.token;
    let bytes = fixture("packet/01-to-trinh-du-toan-ngan-sach-2027.pdf");
    let (status, body) = council.upload(&secretary, bytes.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["size"], bytes.len());
    assert!(body["pages"].as_u64().unwrap() > 1, "{body}");
    let (again, body2) = council.upload(&secretary, bytes).await;
    assert_eq!(
        (again, &body2),
        (StatusCode::OK, &body),
        "a second upload of the same bytes is a no-op"
    );
}

async fn every_bad_fixture_is_refused_with_a_code_that_names_the_problem(backend: Backend) {
    let council = demo_council(backend).await;
    let secretary = council.login("secretary").await.token;
    for (file, expected) in [
        ("bad/empty.pdf", ErrorCode::PdfEmpty),
        ("bad/not-a-pdf.pdf", ErrorCode::NotAPdf),
        ("bad/truncated-half.pdf", ErrorCode::PdfCorrupt),
        ("bad/garbage-after-header.pdf", ErrorCode::PdfCorrupt),
        ("bad/password-matkhau.pdf", ErrorCode::PdfPasswordProtected),
        ("bad/owner-locked-no-print.pdf", ErrorCode::PdfRestricted),
    ] {
        let (status, body) = council.upload(&secretary, fixture(file)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{file}: {body}");
        assert_eq!(code(&body), expected, "{file}: {body}");
        assert!(!body["message"].as_str().unwrap().is_empty());
    }
    let blobs = std::fs::read_dir(council._dir.path().join("blobs/staging"))
        .unwrap()
        .count();
    assert_eq!(blobs, 0, "refused uploads leave nothing behind");
}

async fn uploads_that_lie_are_too_big_or_come_from_readers_are_refused(backend: Backend) {
    let council = demo_council(backend).await;
    let secretary = council.login("secretary").await.token;
    let bytes = fixture("packet/02-du-thao-nghi-quyet-ngan-sach-2027.pdf");
    let (status, body) = council
        .upload_as(&secretary, &"0".repeat(64), bytes.clone())
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, ErrorCode::HashMismatch)
    );
    let (status, body) = council
        .upload_as(&secretary, "..%2F..%2Fetc%2Fpasswd", bytes.clone())
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a name that is not a hash never reaches the disk: {body}"
    );

    let huge = Request::builder()
        .method("PUT")
        .uri(format!("/api/v1/blobs/{}", "a".repeat(64)))
        .header(header::AUTHORIZATION, format!("Bearer {secretary}"))
        .header(
            header::CONTENT_LENGTH,
            ecabinet_protocol::MAX_PAPER_BYTES + 1,
        )
        .body(Body::from(vec![0u8; 16]))
        .unwrap();
    let (status, body) = council.send(huge).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::PayloadTooLarge)
    );

    for reader in ["delegate01", "guest", "admin"] {
        let token = council.login(reader).await.token;
        let (status, body) = council.upload(&token, bytes.clone()).await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            "{reader}"
        );
    }
}

async fn a_file_name_with_a_path_or_control_characters_is_kept_only_as_a_clean_label(
    backend: Backend,
) {
    let council = demo_council(backend).await;
    let secretary = council.login("secretary").await.token;
    let paper = council
        .attach(
            &secretary,
            "packet/02-du-thao-nghi-quyet-ngan-sach-2027.pdf",
            "Dự thảo",
            json!({"scope": "all_participants"}),
            None,
        )
        .await;
    assert_eq!(
        paper.file.file_name,
        "02-du-thao-nghi-quyet-ngan-sach-2027.pdf"
    );
    let (meeting, item) = council.session_and_item(&secretary).await;
    let (status, body) = council
        .json(
            "POST",
            &format!("/api/v1/meetings/{meeting}/papers"),
            Some(&secretary),
            json!({
                "id": Uuid::new_v4(), "place": {"at": "item", "id": item}, "position": 2,
                "title": "Tên tệp xấu", "kind": "other", "visibility": {"scope": "all_participants"},
                "hash": paper.file.hash, "file_name": "../../etc/\u{1b}[31mpasswd\u{7}.pdf", "source": null,
            }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["file"]["file_name"], "[31mpasswd.pdf",
        "path and control characters are gone"
    );
}

async fn a_changed_file_in_the_watched_folder_is_a_new_revision_not_a_duplicate(backend: Backend) {
    let council = demo_council(backend).await;
    let secretary = council.login("secretary").await.token;
    let first = council
        .attach(
            &secretary,
            "packet/01-to-trinh-du-toan-ngan-sach-2027.pdf",
            "Tờ trình",
            json!({"scope": "all_participants"}),
            Some("2/to-trinh.pdf"),
        )
        .await;
    let second = council
        .attach(
            &secretary,
            "packet/02-du-thao-nghi-quyet-ngan-sach-2027.pdf",
            "Tờ trình",
            json!({"scope": "all_participants"}),
            Some("2/to-trinh.pdf"),
        )
        .await;
    assert_eq!(second.id, first.id, "same source, same paper");
    assert_eq!(second.revision, 2);
    assert_ne!(second.file.hash, first.file.hash);
}

async fn the_chair_approves_the_secretary_publishes_and_each_reader_gets_what_they_may_read(
    backend: Backend,
) {
    let council = demo_council(backend).await;
    let secretary = council.login("secretary").await.token;
    let chair = council.login("chair").await.token;
    let delegate = council.login("delegate01").await;
    let other = council.login("delegate02").await.token;
    let guest = council.login("guest").await.token;

    let open = council
        .attach(
            &secretary,
            "packet/01-to-trinh-du-toan-ngan-sach-2027.pdf",
            "Tờ trình dự toán",
            json!({"scope": "all_participants"}),
            None,
        )
        .await;
    let named = council
        .attach(
            &secretary,
            "packet/03-bao-cao-tham-tra-ban-kinh-te.pdf",
            "Báo cáo mật",
            json!({"scope": "named", "readers": [delegate.member.id], "title_hidden": false}),
            None,
        )
        .await;
    let hidden = council
        .attach(
            &secretary,
            "packet/05-tong-hop-y-kien-cu-tri.pdf",
            "Tài liệu tuyệt mật",
            json!({"scope": "named", "readers": [delegate.member.id], "title_hidden": true}),
            None,
        )
        .await;
    let (meeting, _) = council.session_and_item(&secretary).await;

    let (status, body) = council.publish(&secretary, &meeting, 1).await;
    assert_eq!(
        (status, code(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::PapersNotApproved
        ),
        "{body}"
    );
    for refused in [&secretary, &delegate.token, &guest] {
        let (status, _) = council.approve(refused, &open).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "only the chair approves");
    }
    for paper in [&open, &named, &hidden] {
        let (status, body) = council.approve(&chair, paper).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (status, body) = council.publish(&chair, &meeting, 1).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the chair approves but the secretary publishes: {body}"
    );
    let (status, body) = council.publish(&secretary, &meeting, 1).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["number"], 1);

    let (status, body) = council.publish(&secretary, &meeting, 1).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, ErrorCode::PublishConflict),
        "{body}"
    );
    let (status, body) = council.publish(&secretary, &meeting, 2).await;
    assert_eq!(
        (status, code(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::NothingToPublish
        ),
        "{body}"
    );

    // The delegate named as reader gets all three papers; papers in preparation never reach them.
    let page = council.changes(&delegate.token, 0).await;
    assert!(
        !page
            .changes
            .iter()
            .any(|c| matches!(c.record, SyncRecord::Paper(_))),
        "drafts stay with the secretariat"
    );
    let mine = council.packets(&delegate.token).await;
    assert_eq!(mine.len(), 1);
    assert_eq!(
        mine[0]
            .entries
            .iter()
            .filter(|e| !e.is_restricted())
            .count(),
        3
    );

    // Another delegate and the guest see the confidential paper exists, never its file or the hidden one.
    for (who, token) in [("delegate02", &other), ("guest", &guest)] {
        let theirs = council.packets(token).await;
        let entries = &theirs[0].entries;
        assert_eq!(
            entries.len(),
            2,
            "{who}: the hidden-title paper is not even listed"
        );
        let restricted: Vec<_> = entries.iter().filter(|e| e.is_restricted()).collect();
        assert_eq!(restricted.len(), 1, "{who}");
        assert_eq!(restricted[0].title.as_deref(), Some("Báo cáo mật"));
        for paper in [&named, &hidden] {
            let (status, _) = council
                .download(token, paper.file.hash.as_str(), None)
                .await;
            assert_eq!(
                status,
                StatusCode::NOT_FOUND,
                "{who} must not download {}",
                paper.title
            );
        }
        let body = serde_json::to_string(&council.changes(token, 0).await).unwrap();
        assert!(
            !body.contains(hidden.file.hash.as_str()) && !body.contains("tuyệt mật"),
            "{who}: nothing of the hidden paper leaks"
        );
    }
    let (status, bytes) = council
        .download(&delegate.token, named.file.hash.as_str(), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(sha256(&bytes), named.file.hash.as_str());
    let (status, bytes) = council
        .download(&guest, open.file.hash.as_str(), None)
        .await;
    assert_eq!(
        (status, sha256(&bytes)),
        (StatusCode::OK, open.file.hash.to_string())
    );
}

async fn downloads_resume_from_a_byte_offset(backend: Backend) {
    let council = demo_council(backend).await;
    let secretary = council.login("secretary").await.token;
    let chair = council.login("chair").await.token;
    let paper = council
        .attach(
            &secretary,
            "packet/04-phu-luc-so-lieu.pdf",
            "Phụ lục",
            json!({"scope": "all_participants"}),
            None,
        )
        .await;
    council.approve(&chair, &paper).await;
    let (meeting, _) = council.session_and_item(&secretary).await;
    assert_eq!(
        council.publish(&secretary, &meeting, 1).await.0,
        StatusCode::OK
    );
    let delegate = council.login("delegate05").await.token;
    let whole = fixture("packet/04-phu-luc-so-lieu.pdf");
    let hash = paper.file.hash.as_str();

    let (status, head) = council
        .download(&delegate, hash, Some("bytes=0-9999"))
        .await;
    assert_eq!((status, head.len()), (StatusCode::PARTIAL_CONTENT, 10_000));
    let (status, tail) = council
        .download(&delegate, hash, Some("bytes=10000-"))
        .await;
    assert_eq!(status, StatusCode::PARTIAL_CONTENT);
    assert_eq!([head, tail].concat(), whole, "the two halves make the file");
    let (status, _) = council
        .download(&delegate, hash, Some(&format!("bytes={}-", whole.len())))
        .await;
    assert_eq!(status, StatusCode::RANGE_NOT_SATISFIABLE);
    let (status, _) = council.download(&delegate, &"f".repeat(64), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn two_publishes_at_once_give_one_version_and_one_conflict(backend: Backend) {
    let council = demo_council(backend).await;
    let secretary = council.login("secretary").await.token;
    let chair = council.login("chair").await.token;
    let paper = council
        .attach(
            &secretary,
            "packet/01-to-trinh-du-toan-ngan-sach-2027.pdf",
            "Tờ trình",
            json!({"scope": "all_participants"}),
            None,
        )
        .await;
    council.approve(&chair, &paper).await;
    let (meeting, _) = council.session_and_item(&secretary).await;
    let (a, b) = tokio::join!(
        council.publish(&secretary, &meeting, 1),
        council.publish(&secretary, &meeting, 1)
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CONFLICT],
        "{a:?} {b:?}"
    );
    let versions = council.packets(&secretary).await;
    assert_eq!(versions.len(), 1, "exactly one version 1, never a mix");
    let _ = BlobHash::parse(paper.file.hash.as_str()).unwrap();
}

async fn the_demo_publishes_a_complete_readable_packet_once(backend: Backend) {
    let (storage, dir, database) = empty_storage(backend).await;
    // Seeded "now" so the demo session lies ahead of the server's clock.
    let seed = demo::council_seed(NOW, PASSWORD, &mut rand::rng()).unwrap();
    let council_id = seed.council.id;
    storage.seed_council(seed).await.unwrap();
    let blobs = FsBlobStore::open(&dir.path().join("blobs")).unwrap();
    let state = ServerState::new(
        storage,
        Arc::new(ManualClock::at(NOW)),
        Arc::new(blobs),
        paper_check(),
    );
    for _start in 0..2 {
        council_server::demo_packet::publish(&state, council_id)
            .await
            .unwrap();
        council_server::demo_packet::seed_drafts(&state, council_id)
            .await
            .unwrap();
    }
    let council = Council {
        app: router(state),
        clock: Arc::new(ManualClock::at(NOW)),
        _dir: dir,
        _database: database,
    };

    let delegate = council.login("delegate01").await.token;
    let versions = council.packets(&delegate).await;
    assert_eq!(versions.len(), 1, "a second start publishes nothing more");
    let v1 = &versions[0];
    assert!(v1.entries.len() >= 8, "{} papers", v1.entries.len());
    assert!(
        v1.entries
            .iter()
            .any(|e| e.file.as_ref().is_some_and(|f| f.pages >= 100)),
        "one paper of 100+ pages"
    );
    assert!(
        v1.entries.iter().all(|e| !e.is_restricted()),
        "delegate01 is named on the confidential paper"
    );
    let (status, bytes) = council
        .download(
            &delegate,
            v1.entries[0].file.as_ref().unwrap().hash.as_str(),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(bytes.starts_with(b"%PDF-"));

    let guest = council.login("guest").await.token;
    let theirs = council.packets(&guest).await;
    assert_eq!(
        theirs[0]
            .entries
            .iter()
            .filter(|e| e.is_restricted())
            .count(),
        1,
        "the guest sees the confidential paper exists but cannot open it"
    );

    // The session in preparation shows the chair's review: one draft waiting, one returned
    // with its reason; the secretariat sees them, a delegate does not.
    let secretary = council.login("secretary").await.token;
    let drafts: Vec<Paper> = council
        .changes(&secretary, 0)
        .await
        .changes
        .into_iter()
        .filter_map(|c| match c.record {
            SyncRecord::Paper(p) if !v1.entries.iter().any(|e| e.paper_id == p.id) => Some(p),
            _ => None,
        })
        .collect();
    assert_eq!(drafts.len(), 2, "a second start adds no drafts: {drafts:?}");
    assert!(drafts.iter().any(|p| p.review == Review::Pending));
    assert!(drafts.iter().any(
        |p| matches!(&p.review, Review::Returned { reason, .. } if reason.contains("biểu số 01"))
    ));
    assert!(
        !council
            .changes(&delegate, 0)
            .await
            .changes
            .iter()
            .any(|c| matches!(c.record, SyncRecord::Paper(_))),
        "drafts stay with the secretariat"
    );
}
