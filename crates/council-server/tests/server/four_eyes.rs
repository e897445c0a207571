//! Four eyes: no one approves a revision they uploaded. In the demo's roles the secretary
//! uploads and the chair approves; a chair who uploaded a revision (as secretary, before the
//! council changed their role) is refused, and approves the next revision someone else
//! uploads.

use super::*;
use ecabinet_domain::{Paper, Review};

on_every_backend!(the_member_who_uploaded_a_revision_may_not_approve_it);

async fn the_member_who_uploaded_a_revision_may_not_approve_it(backend: Backend) {
    let (storage, dir, database) = empty_storage(backend).await;
    storage
        .seed_council(demo::council_seed(NOW, PASSWORD, &mut rand::rng()).unwrap())
        .await
        .unwrap();
    let clock = Arc::new(ManualClock::at(NOW));
    let app = router(ServerState::new(
        storage.clone(),
        clock.clone(),
        Arc::new(FsBlobStore::open(&dir.path().join("blobs")).unwrap()),
        paper_check(),
    ));
    let council = Council {
        app,
        clock,
        _dir: dir,
        _database: database,
    };
    let secretary = council.login("secretary").await;
    let chair = council.login("chair").await;

    let paper = council
        .attach(
            &secretary.token,
            "packet/01-to-trinh-du-toan-ngan-sach-2027.pdf",
            "Tờ trình dự toán",
            json!({"scope": "all_participants"}),
            None,
        )
        .await;
    assert_eq!(
        paper.uploaded_by,
        Some(secretary.member.id),
        "the paper records who uploaded its file"
    );
    let (status, body) = council.approve(&chair.token, &paper).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the chair approves what the secretary uploaded: {body}"
    );

    // A revision the chair uploaded while they were the council's secretary.
    let own = Paper {
        uploaded_by: Some(chair.member.id),
        review: Review::Pending,
        revision: paper.revision + 1,
        ..paper.clone()
    };
    storage
        .put_paper(chair.member.council_id, own.clone())
        .await
        .unwrap();
    let (status, body) = council.approve(&chair.token, &own).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, ErrorCode::OwnUpload),
        "no one approves a revision they uploaded: {body}"
    );
    assert_eq!(
        storage.paper(own.id).await.unwrap().review,
        Review::Pending,
        "the refused approval changed nothing"
    );

    // The secretary uploads the next revision; that one the chair approves.
    let (status, body) = council
        .upload(
            &secretary.token,
            fixture("packet/02-du-thao-nghi-quyet-ngan-sach-2027.pdf"),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, revised) = council
        .json(
            "PATCH",
            &format!("/api/v1/papers/{}", own.id),
            Some(&secretary.token),
            json!({"hash": body["hash"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{revised}");
    let revised: Paper = serde_json::from_value(revised).unwrap();
    assert_eq!(revised.uploaded_by, Some(secretary.member.id));
    let (status, body) = council.approve(&chair.token, &revised).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a revision someone else uploaded the chair approves: {body}"
    );
}
