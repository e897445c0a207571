//! Councils apart: a paper's file belongs to the councils that uploaded it. To any other
//! council a file's hash names nothing, exactly as a hash nobody uploaded, for attaching and
//! for downloading; a council that has the same bytes uploads them itself.

use super::*;

on_every_backend!(
    another_council_s_file_is_as_missing_as_a_file_nobody_uploaded,
    a_council_with_the_same_bytes_uploads_them_itself_and_then_uses_them,
);

const NEIGHBOUR: &str = "dong-anh";

/// The demo council and a second one on the same server (the demo once more, its user names
/// prefixed `dong-anh.`).
async fn two_councils(backend: Backend) -> Council {
    let (storage, dir, database) = empty_storage(backend).await;
    for seed in [
        demo::council_seed(NOW, PASSWORD, &mut rand::rng()).unwrap(),
        demo::neighbour_council_seed(NOW, PASSWORD, NEIGHBOUR, &mut rand::rng()).unwrap(),
    ] {
        storage.seed_council(seed).await.unwrap();
    }
    let clock = Arc::new(ManualClock::at(NOW));
    let blobs = FsBlobStore::open(&dir.path().join("blobs")).unwrap();
    let app = router(ServerState::new(
        storage,
        clock.clone(),
        Arc::new(blobs),
        paper_check(),
    ));
    Council {
        app,
        clock,
        _dir: dir,
        _database: database,
    }
}

const PAPER: &str = "packet/01-to-trinh-du-toan-ngan-sach-2027.pdf";

impl Council {
    /// Attaches the file with `hash` to the caller's upcoming session, under its budget item.
    async fn attach_hash(&self, token: &str, hash: &str) -> (StatusCode, Value) {
        let (meeting, item) = self.session_and_item(token).await;
        self.json(
            "POST",
            &format!("/api/v1/meetings/{meeting}/papers"),
            Some(token),
            json!({
                "id": Uuid::new_v4(), "place": {"at": "item", "id": item}, "position": 1,
                "title": "Tờ trình dự toán", "kind": "submission",
                "visibility": {"scope": "all_participants"},
                "hash": hash, "file_name": "to-trinh.pdf", "source": null,
            }),
        )
        .await
    }
}

/// An answer without the id of its request, which differs from one request to the next.
fn answer(status: StatusCode, mut body: Value) -> (StatusCode, Value) {
    body.as_object_mut().map(|b| b.remove("request_id"));
    (status, body)
}

fn download_answer((status, bytes): (StatusCode, Vec<u8>)) -> (StatusCode, Value) {
    answer(
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

async fn another_council_s_file_is_as_missing_as_a_file_nobody_uploaded(backend: Backend) {
    let council = two_councils(backend).await;
    let secretary = council.login("secretary").await.token;
    let paper = council
        .attach(
            &secretary,
            PAPER,
            "Tờ trình dự toán",
            json!({"scope": "all_participants"}),
            None,
        )
        .await;
    let known = paper.file.hash.to_string();
    let nobody_s = sha256(b"a file nobody uploaded");

    let neighbour = council.login(&format!("{NEIGHBOUR}.secretary")).await.token;
    let attach_known = council.attach_hash(&neighbour, &known).await;
    let attach_nobody_s = council.attach_hash(&neighbour, &nobody_s).await;
    assert_eq!(
        attach_known.0,
        StatusCode::BAD_REQUEST,
        "another council's hash is refused: {}",
        attach_known.1
    );
    assert_eq!(
        answer(attach_known.0, attach_known.1),
        answer(attach_nobody_s.0, attach_nobody_s.1),
        "attaching another council's file is answered exactly as a file nobody uploaded"
    );

    for probe in [
        &neighbour,
        &council.login(&format!("{NEIGHBOUR}.chair")).await.token,
    ] {
        let known_download = download_answer(council.download(probe, &known, None).await);
        let nobody_s_download = download_answer(council.download(probe, &nobody_s, None).await);
        assert_eq!(
            known_download.0,
            StatusCode::NOT_FOUND,
            "{known_download:?}"
        );
        assert_eq!(
            known_download, nobody_s_download,
            "downloading another council's file is answered exactly as a file nobody uploaded"
        );
    }

    let (status, bytes) = council.download(&secretary, &known, None).await;
    assert_eq!(
        (status, bytes),
        (StatusCode::OK, fixture(PAPER)),
        "the council that uploaded the file still reads it"
    );
}

async fn a_council_with_the_same_bytes_uploads_them_itself_and_then_uses_them(backend: Backend) {
    let council = two_councils(backend).await;
    let secretary = council.login("secretary").await.token;
    let (status, first) = council.upload(&secretary, fixture(PAPER)).await;
    assert_eq!(status, StatusCode::OK, "{first}");

    let neighbour = council.login(&format!("{NEIGHBOUR}.secretary")).await.token;
    let hash = first["hash"].as_str().unwrap().to_owned();
    let (status, body) = council
        .upload_as(
            &neighbour,
            &hash,
            b"%PDF-1.7 not the bytes of that hash".to_vec(),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, ErrorCode::HashMismatch),
        "naming a file the server holds does not spare sending its bytes: {body}"
    );

    let (status, second) = council.upload(&neighbour, fixture(PAPER)).await;
    assert_eq!(
        (status, &second),
        (StatusCode::OK, &first),
        "the same bytes, uploaded by the second council, are accepted and described alike"
    );
    let (status, body) = council.attach_hash(&neighbour, &hash).await;
    assert_eq!(status, StatusCode::OK, "its own upload attaches: {body}");
    let (status, bytes) = council.download(&neighbour, &hash, None).await;
    assert_eq!(
        (status, bytes),
        (StatusCode::OK, fixture(PAPER)),
        "and its secretariat reads it"
    );
    let (status, body) = council.attach_hash(&secretary, &hash).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the first council keeps its file: {body}"
    );
}
