//! Chat in the demo council: a private exchange reaches both sides' sockets and no one
//! else's, a conversation is 404 on every route to whoever is not in it, a group's removed
//! member and a disabled account hear nothing more, retries post once, and the size and rate
//! limits answer with codes that say what to do.

use super::sittings::{chamber, next_live};
use super::*;
use ecabinet_domain::chat::{ConversationKind, MAX_MESSAGE_CHARS};
use ecabinet_domain::{ConversationId, CouncilId, MemberId, MessageId};
use ecabinet_protocol::{
    ChatEntry, ChatPage, ChatPost, ConversationView, GroupMembersChange, LiveEvent, NewGroup,
};
use uuid::Uuid;

on_every_backend!(
    a_private_exchange_reaches_both_sides_and_nobody_else,
    a_conversation_does_not_exist_for_anyone_outside_it,
    a_removed_member_and_a_disabled_account_hear_nothing_more,
    limits_say_what_to_do_and_a_retry_posts_once,
    the_demo_s_chat_is_under_way_once,
);

struct Member {
    token: String,
    id: MemberId,
    council: CouncilId,
}

async fn member(council: &Council, name: &str) -> Member {
    let login = council.login(name).await;
    Member {
        token: login.token,
        id: login.member.id,
        council: login.member.council_id,
    }
}

fn private(a: &Member, b: &Member) -> (ConversationId, ConversationKind) {
    let pair = if a.id < b.id {
        [a.id, b.id]
    } else {
        [b.id, a.id]
    };
    let kind = ConversationKind::Private { pair };
    (kind.derived_id(a.council).unwrap(), kind)
}

async fn post(
    council: &Council,
    from: &Member,
    id: MessageId,
    conversation: ConversationId,
    kind: Option<ConversationKind>,
    body: &str,
) -> (StatusCode, Value) {
    council
        .json(
            "PUT",
            &format!("/api/v1/chat/messages/{id}"),
            Some(&from.token),
            serde_json::to_value(ChatPost {
                conversation_id: conversation,
                kind,
                body: body.into(),
                reply_to: None,
                paper: None,
            })
            .unwrap(),
        )
        .await
}

/// A new message from `from` to a conversation the server has.
async fn say(
    council: &Council,
    from: &Member,
    conversation: ConversationId,
    body: &str,
) -> (StatusCode, Value) {
    post(
        council,
        from,
        MessageId(Uuid::new_v4()),
        conversation,
        None,
        body,
    )
    .await
}

/// `GET …/messages?after=0` of `conversation` as `token`.
async fn pull(council: &Council, token: &str, conversation: ConversationId) -> (StatusCode, Value) {
    council
        .call(
            "GET",
            &format!("/api/v1/chat/conversations/{conversation}/messages?after=0"),
            Some(token),
            None,
        )
        .await
}

/// The chat messages among the next live messages, until a second passes without one.
async fn chat_heard(socket: &mut LiveSocket) -> Vec<LiveEvent> {
    let mut heard = Vec::new();
    while let Some(event) = next_live(socket).await {
        if matches!(
            event,
            LiveEvent::ChatMessage { .. }
                | LiveEvent::ChatMark { .. }
                | LiveEvent::ChatConversation { .. }
                | LiveEvent::ChatLeft { .. }
        ) {
            heard.push(event);
        }
    }
    heard
}

fn bodies(events: &[LiveEvent]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            LiveEvent::ChatMessage { entry } => Some(entry.message.body.clone()),
            _ => None,
        })
        .collect()
}

async fn a_private_exchange_reaches_both_sides_and_nobody_else(backend: Backend) {
    let council = demo_council(backend).await;
    let addr = council.serve().await;
    let lan = member(&council, "delegate01").await;
    let minh = member(&council, "delegate02").await;
    let hoa = member(&council, "delegate03").await;
    let (mut lan_socket, mut minh_socket, mut hoa_socket) = (
        open_live(addr, &lan.token).await,
        open_live(addr, &minh.token).await,
        open_live(addr, &hoa.token).await,
    );
    let (conversation, kind) = private(&lan, &minh);
    let asked = MessageId(Uuid::new_v4());
    let (status, body) = post(
        &council,
        &lan,
        asked,
        conversation,
        Some(kind.clone()),
        "Anh Minh ơi, bảng dự toán ở tài liệu nào?",
    )
    .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the first message makes the conversation: {body}"
    );
    let first: ChatEntry = serde_json::from_value(body).unwrap();
    assert_eq!((first.rev, first.message.seq), (1, 1));
    let (status, body) = say(&council, &minh, conversation, "Tờ trình 112, trang 12.").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = council
        .json(
            "POST",
            &format!("/api/v1/chat/conversations/{conversation}/marks"),
            Some(&lan.token),
            json!({"delivered": 2, "read": 2}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    let expected = [
        "Anh Minh ơi, bảng dự toán ở tài liệu nào?",
        "Tờ trình 112, trang 12.",
    ];
    let lan_heard = chat_heard(&mut lan_socket).await;
    let minh_heard = chat_heard(&mut minh_socket).await;
    assert_eq!(bodies(&lan_heard), expected, "in the order stored");
    assert_eq!(bodies(&minh_heard), expected);
    assert!(
        minh_heard.iter().any(|e| matches!(e,
            LiveEvent::ChatMark { mark, .. } if mark.member == lan.id && mark.read == 2)),
        "Minh sees that Lan read both: {minh_heard:?}"
    );
    assert!(
        chat_heard(&mut hoa_socket).await.is_empty(),
        "a third member's socket hears nothing of it"
    );

    // Each side lists it with both marks; a device that missed everything pulls it whole.
    let (status, body) = council
        .call("GET", "/api/v1/chat/conversations", Some(&minh.token), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let listed: Vec<ConversationView> = serde_json::from_value(body).unwrap();
    let view = listed
        .iter()
        .find(|v| v.conversation.id == conversation)
        .expect("Minh lists the conversation Lan started");
    assert_eq!((view.rev, view.last_seq), (2, 2));
    assert!(view.marks.iter().any(|m| m.member == lan.id && m.read == 2));
    let (status, body) = council
        .call(
            "GET",
            &format!("/api/v1/chat/conversations/{conversation}/messages?after=1"),
            Some(&minh.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let page: ChatPage = serde_json::from_value(body).unwrap();
    assert_eq!(
        bodies_of(&page),
        ["Tờ trình 112, trang 12."],
        "after the cursor only"
    );
    let (_, body) = council
        .call("GET", "/api/v1/chat/conversations", Some(&hoa.token), None)
        .await;
    let hoa_listed: Vec<ConversationView> = serde_json::from_value(body).unwrap();
    assert!(
        hoa_listed.iter().all(|v| v.conversation.id != conversation),
        "nor does Hoa list it"
    );
    assert!(
        hoa_listed
            .iter()
            .any(|v| v.conversation.kind == ConversationKind::Announcements),
        "everyone lists the announcements"
    );
}

fn bodies_of(page: &ChatPage) -> Vec<String> {
    page.entries
        .iter()
        .map(|e| e.message.body.clone())
        .collect()
}

async fn a_conversation_does_not_exist_for_anyone_outside_it(backend: Backend) {
    let council = demo_council(backend).await;
    let lan = member(&council, "delegate01").await;
    let minh = member(&council, "delegate02").await;
    let (conversation, kind) = private(&lan, &minh);
    let message = MessageId(Uuid::new_v4());
    let (status, _) = post(
        &council,
        &lan,
        message,
        conversation,
        Some(kind.clone()),
        "Riêng tư",
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    // Every chat route, as the secretary, the chair and another delegate: 404, whatever the
    // route, as for an id nobody used.
    for name in ["secretary", "chair", "delegate03", "admin"] {
        let stranger = member(&council, name).await;
        let t = Some(stranger.token.as_str());
        let probes = [
            council
                .call(
                    "GET",
                    &format!("/api/v1/chat/conversations/{conversation}"),
                    t,
                    None,
                )
                .await,
            pull(&council, &stranger.token, conversation).await,
            council
                .json(
                    "POST",
                    &format!("/api/v1/chat/conversations/{conversation}/marks"),
                    t,
                    json!({"read": 1}),
                )
                .await,
            council
                .json(
                    "POST",
                    &format!("/api/v1/chat/conversations/{conversation}/members"),
                    t,
                    serde_json::to_value(GroupMembersChange {
                        add: vec![stranger.id],
                        remove: vec![],
                    })
                    .unwrap(),
                )
                .await,
            say(&council, &stranger, conversation, "Xin chào").await,
            // Naming the kind does not open someone else's pair either.
            post(
                &council,
                &stranger,
                MessageId(Uuid::new_v4()),
                conversation,
                Some(kind.clone()),
                "Xin chào",
            )
            .await,
            council
                .json(
                    "PATCH",
                    &format!("/api/v1/chat/messages/{message}"),
                    t,
                    json!({"body": "đã sửa"}),
                )
                .await,
            council
                .call(
                    "DELETE",
                    &format!("/api/v1/chat/messages/{message}"),
                    t,
                    None,
                )
                .await,
            council
                .json(
                    "PUT",
                    &format!("/api/v1/chat/groups/{conversation}"),
                    t,
                    serde_json::to_value(NewGroup {
                        title: "Chiếm chỗ".into(),
                        members: vec![],
                    })
                    .unwrap(),
                )
                .await,
        ];
        for (i, (status, body)) in probes.iter().enumerate() {
            assert_eq!(
                (*status, code(body)),
                (StatusCode::NOT_FOUND, ErrorCode::NotFound),
                "probe {i} by {name} must find nothing: {body}"
            );
            assert!(
                !body.to_string().contains("Riêng tư"),
                "nothing of the conversation in the answer: {body}"
            );
        }
    }
    let (_, body) = pull(&council, &lan.token, conversation).await;
    let page: ChatPage = serde_json::from_value(body).unwrap();
    assert_eq!(bodies_of(&page), ["Riêng tư"], "the probes changed nothing");

    // A made-up kind cannot name a conversation under an id of the caller's choosing.
    let (status, body) = post(
        &council,
        &lan,
        MessageId(Uuid::new_v4()),
        ConversationId(Uuid::new_v4()),
        Some(kind),
        "Lạc đường",
    )
    .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::NOT_FOUND, ErrorCode::NotFound)
    );

    // Only the secretariat posts announcements; every member reads them.
    let announcements = ConversationKind::Announcements
        .derived_id(lan.council)
        .unwrap();
    let (status, body) = post(
        &council,
        &lan,
        MessageId(Uuid::new_v4()),
        announcements,
        Some(ConversationKind::Announcements),
        "Thông báo giả",
    )
    .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
        "{body}"
    );
    let secretary = member(&council, "secretary").await;
    let (status, body) = post(
        &council,
        &secretary,
        MessageId(Uuid::new_v4()),
        announcements,
        Some(ConversationKind::Announcements),
        "Phiên chiều bắt đầu lúc 14 giờ.",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn a_removed_member_and_a_disabled_account_hear_nothing_more(backend: Backend) {
    let council = demo_council(backend).await;
    let addr = council.serve().await;
    let lan = member(&council, "delegate01").await;
    let minh = member(&council, "delegate02").await;
    let hoa = member(&council, "delegate03").await;
    let group = ConversationId(Uuid::new_v4());
    let (status, body) = council
        .json(
            "PUT",
            &format!("/api/v1/chat/groups/{group}"),
            Some(&lan.token),
            serde_json::to_value(NewGroup {
                title: "Tổ đại biểu số 3".into(),
                members: vec![minh.id, hoa.id],
            })
            .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut minh_socket = open_live(addr, &minh.token).await;
    let mut hoa_socket = open_live(addr, &hoa.token).await;
    let (status, _) = say(&council, &lan, group, "Họp tổ lúc 11 giờ").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        bodies(&chat_heard(&mut hoa_socket).await),
        ["Họp tổ lúc 11 giờ"]
    );

    // Hoa is removed: told so, and nothing after it reaches her.
    let (status, body) = council
        .json(
            "POST",
            &format!("/api/v1/chat/conversations/{group}/members"),
            Some(&lan.token),
            serde_json::to_value(GroupMembersChange {
                add: vec![],
                remove: vec![hoa.id],
            })
            .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = council
        .json(
            "POST",
            &format!("/api/v1/chat/conversations/{group}/members"),
            Some(&minh.token),
            serde_json::to_value(GroupMembersChange::default()).unwrap(),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
        "only the owner changes the members"
    );
    let (status, _) = say(&council, &lan, group, "Đổi sang 13 giờ").await;
    assert_eq!(status, StatusCode::OK);
    let hoa_heard = chat_heard(&mut hoa_socket).await;
    assert!(
        hoa_heard.iter().any(
            |e| matches!(e, LiveEvent::ChatLeft { conversation_id } if *conversation_id == group)
        ),
        "Hoa's devices are told she left: {hoa_heard:?}"
    );
    assert!(
        bodies(&hoa_heard).is_empty(),
        "and hear nothing sent after: {hoa_heard:?}"
    );
    assert_eq!(
        bodies(&chat_heard(&mut minh_socket).await),
        ["Họp tổ lúc 11 giờ", "Đổi sang 13 giờ"]
    );
    let (status, _) = pull(&council, &hoa.token, group).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "nor can she pull it");

    // Minh's account is disabled: his socket closes and his token opens nothing.
    let admin = member(&council, "admin").await;
    let (status, body) = council
        .json(
            "PATCH",
            &format!("/api/v1/admin/accounts/{}", minh.id),
            Some(&admin.token),
            json!({"disabled": true}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = say(&council, &lan, group, "Anh Minh có đó không?").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        bodies(&chat_heard(&mut minh_socket).await).is_empty(),
        "a disabled account's socket hears nothing"
    );
    let (status, _) = pull(&council, &minh.token, group).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "and pulls nothing");
}

async fn limits_say_what_to_do_and_a_retry_posts_once(backend: Backend) {
    let council = demo_council(backend).await;
    let lan = member(&council, "delegate01").await;
    let help = ConversationKind::Secretariat { member: lan.id };
    let conversation = help.derived_id(lan.council).unwrap();
    let kind = Some(help);

    let (status, body) = post(
        &council,
        &lan,
        MessageId(Uuid::new_v4()),
        conversation,
        kind.clone(),
        " \n ",
    )
    .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, ErrorCode::BadRequest),
        "{body}"
    );
    let long = "ư".repeat(MAX_MESSAGE_CHARS + 1);
    let (status, body) = post(
        &council,
        &lan,
        MessageId(Uuid::new_v4()),
        conversation,
        kind.clone(),
        &long,
    )
    .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::MessageTooLong),
        "{body}"
    );
    assert!(
        body["message"].as_str().unwrap().contains("4000"),
        "says the limit: {body}"
    );

    // A retry is answered with the stored message and costs nothing of the rate.
    let first = MessageId(Uuid::new_v4());
    let (_, once) = post(
        &council,
        &lan,
        first,
        conversation,
        kind.clone(),
        "Tin số 1",
    )
    .await;
    let (status, again) = post(
        &council,
        &lan,
        first,
        conversation,
        kind.clone(),
        "Tin số 1",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(once, again, "the same id answers the same message");
    // Ten at once is the burst: the first took one, nine more pass, the next waits.
    for n in 2..=10 {
        let (status, body) = post(
            &council,
            &lan,
            MessageId(Uuid::new_v4()),
            conversation,
            kind.clone(),
            &format!("Tin số {n}"),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "message {n}: {body}");
    }
    let request = Request::builder()
        .method("PUT")
        .uri(format!(
            "/api/v1/chat/messages/{}",
            MessageId(Uuid::new_v4())
        ))
        .header(header::AUTHORIZATION, format!("Bearer {}", lan.token))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            serde_json::to_string(&ChatPost {
                conversation_id: conversation,
                kind: None,
                body: "Tin số 11".into(),
                reply_to: None,
                paper: None,
            })
            .unwrap(),
        ))
        .unwrap();
    let response = council.app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        response.headers()[header::RETRY_AFTER],
        "1",
        "says when to send again"
    );
    let (status, again) = post(
        &council,
        &lan,
        first,
        conversation,
        kind.clone(),
        "Tin số 1",
    )
    .await;
    assert_eq!(
        (status, &again),
        (StatusCode::OK, &once),
        "a retry still passes"
    );
    council.clock.advance_ms(1_000);
    let (status, body) = post(
        &council,
        &lan,
        MessageId(Uuid::new_v4()),
        conversation,
        kind,
        "Tin số 11",
    )
    .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a second later one more passes: {body}"
    );
    let (_, body) = pull(&council, &lan.token, conversation).await;
    let page: ChatPage = serde_json::from_value(body).unwrap();
    assert_eq!(page.entries.len(), 11, "each message once");
    assert_eq!(
        page.entries
            .iter()
            .map(|e| e.message.seq)
            .collect::<Vec<_>>(),
        (1..=11).collect::<Vec<u64>>()
    );

    // Edits and deletions: the author's alone, a deletion leaves a trace.
    let secretary = member(&council, "secretary").await;
    let (status, body) = council
        .json(
            "PATCH",
            &format!("/api/v1/chat/messages/{first}"),
            Some(&secretary.token),
            json!({"body": "sửa hộ"}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, ErrorCode::Forbidden)
    );
    let (status, body) = council
        .call(
            "DELETE",
            &format!("/api/v1/chat/messages/{first}"),
            Some(&lan.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let deleted: ChatEntry = serde_json::from_value(body).unwrap();
    assert!(deleted.message.deleted_at.is_some() && deleted.message.body.is_empty());
    assert_eq!(
        (deleted.rev, deleted.message.seq),
        (12, 1),
        "a new revision, the same place"
    );
    let (status, body) = council
        .json(
            "PATCH",
            &format!("/api/v1/chat/messages/{first}"),
            Some(&lan.token),
            json!({"body": "khôi phục"}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, ErrorCode::MessageDeleted),
        "{body}"
    );
}

async fn the_demo_s_chat_is_under_way_once(backend: Backend) {
    let chamber = chamber(backend).await;
    let lan = member(&chamber.council, "delegate01").await;
    for _restart in 0..2 {
        council_server::demo_chat::seed(&chamber.state, lan.council)
            .await
            .unwrap();
    }
    let (status, body) = chamber
        .council
        .call("GET", "/api/v1/chat/conversations", Some(&lan.token), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let listed: Vec<ConversationView> = serde_json::from_value(body).unwrap();
    let kinds: Vec<&str> = listed
        .iter()
        .map(|v| match v.conversation.kind {
            ConversationKind::Private { .. } => "private",
            ConversationKind::Group { .. } => "group",
            ConversationKind::Meeting { .. } => "meeting",
            ConversationKind::Announcements => "announcements",
            ConversationKind::Secretariat { .. } => "secretariat",
        })
        .collect();
    for kind in ["announcements", "secretariat", "meeting", "group"] {
        assert!(
            kinds.contains(&kind),
            "delegate01 finds a {kind} conversation: {kinds:?}"
        );
    }
    let help = listed
        .iter()
        .find(|v| matches!(v.conversation.kind, ConversationKind::Secretariat { .. }))
        .unwrap();
    assert_eq!(
        (help.rev, help.last_seq),
        (2, 2),
        "a question and its answer, posted once though seeded twice"
    );
    let (_, body) = pull(&chamber.council, &lan.token, help.conversation.id).await;
    let page: ChatPage = serde_json::from_value(body).unwrap();
    assert!(
        page.entries[0].message.paper.is_some(),
        "the question points at a page of the submission"
    );
}
