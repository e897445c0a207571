//! Review, as councils work: the secretariat prepares (meeting, programme, participants,
//! papers), the chair reviews what it prepared: approves, returns a paper saying why, or
//! withdraws an approval before it is published. The chair edits nothing.

use super::*;
use ecabinet_domain::{MAX_RETURN_REASON_CHARS, Review};

on_every_backend!(
    the_chair_is_refused_every_route_that_edits_the_preparation,
    the_chair_returns_a_paper_saying_why_and_the_secretary_sees_it,
    an_approval_is_withdrawn_until_it_is_published,
);

impl Council {
    async fn return_paper(&self, token: &str, paper: &Paper, reason: &str) -> (StatusCode, Value) {
        self.json(
            "POST",
            &format!("/api/v1/papers/{}/return", paper.id),
            Some(token),
            json!({ "reason": reason }),
        )
        .await
    }

    async fn withdraw_approval(&self, token: &str, paper: &Paper) -> (StatusCode, Value) {
        self.call(
            "POST",
            &format!("/api/v1/papers/{}/withdraw-approval", paper.id),
            Some(token),
            None,
        )
        .await
    }

    /// The paper as the log has it now, pulled by `token`.
    async fn paper_as_pulled(&self, token: &str, paper: &Paper) -> Paper {
        self.changes(token, 0)
            .await
            .changes
            .into_iter()
            .rev()
            .find_map(|c| match c.record {
                SyncRecord::Paper(p) if p.id == paper.id => Some(p),
                _ => None,
            })
            .expect("the paper is in the log")
    }
}

fn review(body: &Value) -> Review {
    serde_json::from_value(body["review"].clone())
        .unwrap_or_else(|e| panic!("no review in {body}: {e}"))
}

async fn the_chair_is_refused_every_route_that_edits_the_preparation(backend: Backend) {
    let council = demo_council(backend).await;
    let secretary = council.login("secretary").await.token;
    let chair = council.login("chair").await;
    let paper = council
        .attach(
            &secretary,
            "packet/01-to-trinh-du-toan-ngan-sach-2027.pdf",
            "Tờ trình dự toán",
            json!({"scope": "all_participants"}),
            None,
        )
        .await;
    let (meeting, item) = council.session_and_item(&secretary).await;
    let file = fixture("packet/04-phu-luc-so-lieu.pdf");
    let new_paper = json!({
        "id": Uuid::new_v4(), "place": {"at": "item", "id": item}, "position": 2,
        "title": "Phụ lục", "kind": "appendix", "visibility": {"scope": "all_participants"},
        "hash": paper.file.hash, "file_name": "phu-luc.pdf", "source": null,
    });
    // Each edit, with a body the secretary's same request is accepted with (below): a
    // refusal of the chair is the role rule, not a bad request.
    let edits = [
        (
            "POST",
            "/api/v1/meetings".to_owned(),
            json!({"title": "Phiên họp bất thường", "starts_at": NOW.millis(), "location": "Hội trường"}),
        ),
        (
            "PATCH",
            format!("/api/v1/meetings/{meeting}"),
            json!({"title": "Kỳ họp thứ mười (sửa đổi)"}),
        ),
        (
            "POST",
            format!("/api/v1/meetings/{meeting}/agenda-items"),
            json!({"parent_id": null, "position": 90, "title": "Mục bổ sung"}),
        ),
        (
            "PATCH",
            format!("/api/v1/agenda-items/{item}"),
            json!({"title": "Dự toán ngân sách (sửa đổi)"}),
        ),
        (
            "POST",
            format!("/api/v1/meetings/{meeting}/papers"),
            new_paper,
        ),
        (
            "PATCH",
            format!("/api/v1/papers/{}", paper.id),
            json!({"title": "Tờ trình dự toán (sửa đổi)"}),
        ),
        (
            "PUT",
            format!("/api/v1/meetings/{meeting}/participants"),
            json!([{"member_id": chair.member.id, "meeting_role": "chair", "votes": true}]),
        ),
    ];
    let before = council.changes(&secretary, 0).await.next_cursor;
    for (method, path, body) in &edits {
        let (status, answer) = council
            .json(method, path, Some(&chair.token), body.clone())
            .await;
        assert_eq!(
            (status, code(&answer)),
            (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            "the chair reviews, the secretariat edits: {method} {path}"
        );
    }
    let (status, answer) = council.upload(&chair.token, file.clone()).await;
    assert_eq!(
        (status, code(&answer)),
        (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
        "the chair uploads no files either"
    );
    assert_eq!(
        council.changes(&secretary, before).await.changes.len(),
        0,
        "no refused edit left a trace in the log"
    );

    for (method, path, body) in edits {
        let (status, answer) = council.json(method, &path, Some(&secretary), body).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "the secretary may: {method} {path}: {answer}"
        );
    }
    assert_eq!(council.upload(&secretary, file).await.0, StatusCode::OK);

    // Reviewing needs the papers: the chair pulls them and may fetch their files (to read
    // them before approving); a delegate gets neither before publication.
    let pulled = council.paper_as_pulled(&chair.token, &paper).await;
    assert_eq!(
        pulled.title, "Tờ trình dự toán (sửa đổi)",
        "the chair follows the secretary's edits"
    );
    let (status, bytes) = council
        .download(&chair.token, paper.file.hash.as_str(), None)
        .await;
    assert_eq!(
        (status, sha256(&bytes)),
        (StatusCode::OK, paper.file.hash.to_string()),
        "the chair reads the draft they are asked to approve"
    );
    let delegate = council.login("delegate01").await.token;
    let (status, _) = council
        .download(&delegate, paper.file.hash.as_str(), None)
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "drafts stay with the secretariat and the chair"
    );
}

async fn the_chair_returns_a_paper_saying_why_and_the_secretary_sees_it(backend: Backend) {
    let council = demo_council(backend).await;
    let secretary = council.login("secretary").await.token;
    let chair = council.login("chair").await;
    let paper = council
        .attach(
            &secretary,
            "packet/01-to-trinh-du-toan-ngan-sach-2027.pdf",
            "Tờ trình dự toán",
            json!({"scope": "all_participants"}),
            None,
        )
        .await;
    let (meeting, _) = council.session_and_item(&secretary).await;

    for (who, token) in [
        ("secretary", secretary.clone()),
        ("delegate01", council.login("delegate01").await.token),
        ("guest", council.login("guest").await.token),
    ] {
        let (status, body) = council.return_paper(&token, &paper, "Không đạt").await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            "only the chair returns papers: {who}"
        );
    }
    for reason in ["", "   \n ", &"ư".repeat(MAX_RETURN_REASON_CHARS + 1)] {
        let (status, body) = council.return_paper(&chair.token, &paper, reason).await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::BAD_REQUEST, ErrorCode::BadRequest),
            "a return says why, in a paragraph or two ({} characters)",
            reason.chars().count()
        );
    }

    council.clock.advance_ms(60_000);
    let (status, body) = council
        .return_paper(&chair.token, &paper, "  Thiếu phụ lục số liệu năm 2025.  ")
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let returned = Review::Returned {
        by: chair.member.id,
        at: NOW.plus_millis(60_000),
        reason: "Thiếu phụ lục số liệu năm 2025.".into(),
    };
    assert_eq!(review(&body), returned);
    assert_eq!(
        council.paper_as_pulled(&secretary, &paper).await.review,
        returned,
        "the secretary's devices learn who returned it, when and why"
    );

    let (status, body) = council.publish(&secretary, &meeting, 1).await;
    assert_eq!(
        (status, code(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::PapersNotApproved
        ),
        "a returned paper is not published: {body}"
    );
    let (status, body) = council.withdraw_approval(&chair.token, &paper).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, ErrorCode::ReviewChanged),
        "a returned paper has no approval to withdraw"
    );

    // Renaming it does not answer the return; a new file does.
    let (status, body) = council
        .json(
            "PATCH",
            &format!("/api/v1/papers/{}", paper.id),
            Some(&secretary),
            json!({"title": "Tờ trình dự toán (bổ sung)"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(review(&body), returned, "the reason stays in view");
    let (status, upload) = council
        .upload(&secretary, fixture("packet/04-phu-luc-so-lieu.pdf"))
        .await;
    assert_eq!(status, StatusCode::OK, "{upload}");
    let (status, body) = council
        .json(
            "PATCH",
            &format!("/api/v1/papers/{}", paper.id),
            Some(&secretary),
            json!({"hash": upload["hash"], "file_name": "to-trinh-bo-sung.pdf"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (review(&body), body["revision"].as_u64()),
        (Review::Pending, Some(2)),
        "the new file goes back to the chair"
    );

    let (status, body) = council.approve(&chair.token, &paper).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = council.return_paper(&chair.token, &paper, "Đổi ý").await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, ErrorCode::ReviewChanged),
        "an approved paper is not returned behind the approval's back"
    );
    let (status, body) = council.publish(&secretary, &meeting, 1).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn an_approval_is_withdrawn_until_it_is_published(backend: Backend) {
    let council = demo_council(backend).await;
    let secretary = council.login("secretary").await.token;
    let chair = council.login("chair").await.token;
    let paper = council
        .attach(
            &secretary,
            "packet/02-du-thao-nghi-quyet-ngan-sach-2027.pdf",
            "Dự thảo nghị quyết",
            json!({"scope": "all_participants"}),
            None,
        )
        .await;
    let (meeting, _) = council.session_and_item(&secretary).await;
    assert_eq!(council.approve(&chair, &paper).await.0, StatusCode::OK);

    let (status, body) = council.withdraw_approval(&secretary, &paper).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
        "the approval is the chair's to withdraw"
    );
    let (status, body) = council.withdraw_approval(&chair, &paper).await;
    assert_eq!((status, review(&body)), (StatusCode::OK, Review::Pending));
    let (status, body) = council.withdraw_approval(&chair, &paper).await;
    assert_eq!(
        (status, review(&body)),
        (StatusCode::OK, Review::Pending),
        "a retried withdrawal changes nothing"
    );
    assert_eq!(
        council.paper_as_pulled(&secretary, &paper).await.review,
        Review::Pending
    );
    let (status, body) = council.publish(&secretary, &meeting, 1).await;
    assert_eq!(
        (status, code(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::PapersNotApproved
        ),
        "{body}"
    );

    assert_eq!(council.approve(&chair, &paper).await.0, StatusCode::OK);
    council.clock.advance_ms(1000);
    let (status, body) = council.publish(&secretary, &meeting, 1).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = council.withdraw_approval(&chair, &paper).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, ErrorCode::ApprovalPublished),
        "what delegates received stays approved: {body}"
    );
}
