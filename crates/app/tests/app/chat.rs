//! Chat between two devices: messages written offline survive the app being closed, reach
//! the server once and in the order written when the app is online again, and arrive on the
//! other member's device (with a notification) live; the other side's read mark comes back
//! as "read". A refused message stays with its reason and holds back what was written after
//! it until the member discards it. Search finds a message whatever its accents.

use crate::harness::{Council, Device};
use ecabinet_app::dto::{self, ChatMessageState};
use std::path::Path;

fn restarted(data_dir: &Path) -> Device {
    Device::open(data_dir)
}

fn draft(conversation: &str, body: &str) -> dto::ChatDraft {
    dto::ChatDraft {
        conversation_id: conversation.into(),
        body: body.into(),
        reply_to: None,
        paper: None,
    }
}

/// The conversation's messages on `device` once `ready` holds for them.
async fn messages(
    device: &Device,
    conversation: &str,
    what: &str,
    ready: impl Fn(&[dto::ChatMessageView]) -> bool,
) -> Vec<dto::ChatMessageView> {
    device
        .until(what, || async {
            let shown = device.core.chat_messages(conversation).ok()?;
            ready(&shown).then_some(shown)
        })
        .await
}

fn bodies(shown: &[dto::ChatMessageView]) -> Vec<&str> {
    shown.iter().map(|m| m.body.as_str()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_written_offline_arrive_once_in_order_and_come_back_read() {
    let council = Council::demo().await;
    let minh = Device::new();
    let minh_id = minh.sign_in(&council, "delegate02").await.member.id;
    let laptop_dir = tempfile::tempdir().unwrap();
    let conversation = {
        let laptop = Device::open(laptop_dir.path());
        laptop.sign_in(&council, "delegate01").await;
        laptop.core.open_private_chat(&minh_id).unwrap()
    }; // the app closes

    {
        let laptop = restarted(laptop_dir.path());
        for body in [
            "Anh Minh ơi,",
            "bảng dự toán ngân sách",
            "ở tài liệu nào ạ?",
        ] {
            let shown = laptop
                .core
                .send_chat_message(draft(&conversation, body))
                .expect("kept on the device");
            assert_eq!(
                shown.state,
                ChatMessageState::Waiting,
                "offline: kept, not sent"
            );
            assert!(shown.mine);
        }
        let waiting = laptop.core.chat_messages(&conversation).unwrap();
        assert_eq!(
            bodies(&waiting),
            [
                "Anh Minh ơi,",
                "bảng dự toán ngân sách",
                "ở tài liệu nào ạ?"
            ]
        );
    } // closed before anything reached the server

    let laptop = restarted(laptop_dir.path());
    assert_eq!(
        laptop.core.chat_messages(&conversation).unwrap().len(),
        3,
        "messages written offline survive the app being closed"
    );
    laptop.core.resume().await.expect("online again");
    let sent = messages(&laptop, &conversation, "the three acknowledged", |m| {
        m.len() == 3 && m.iter().all(|m| m.state != ChatMessageState::Waiting)
    })
    .await;
    assert_eq!(
        sent.iter().map(|m| m.seq).collect::<Vec<_>>(),
        [1, 2, 3],
        "numbered by the server in the order written"
    );

    let received = messages(&minh, &conversation, "the three on Minh's device", |m| {
        m.len() == 3
    })
    .await;
    assert_eq!(
        bodies(&received),
        [
            "Anh Minh ơi,",
            "bảng dự toán ngân sách",
            "ở tài liệu nào ạ?"
        ]
    );
    assert!(
        received
            .iter()
            .all(|m| !m.mine && m.author_name != m.author_id)
    );
    let listed = minh.core.chat_conversations().unwrap();
    let summary = listed
        .iter()
        .find(|c| c.id == conversation)
        .expect("Minh lists the conversation Lan started");
    assert_eq!(summary.unread, 3);
    assert_eq!(summary.kind, dto::ConversationKindView::Private);
    minh.until("a notification for each message", || async {
        (minh.events.borrow().chat_arrived.len() >= 3).then_some(())
    })
    .await;

    let stored = council
        .state
        .storage
        .messages_after(conversation.parse().unwrap(), 0, 100)
        .await
        .unwrap();
    assert_eq!(stored.len(), 3, "each message reached the server once");

    minh.core.mark_chat_read(&conversation).unwrap();
    assert_eq!(
        minh.core
            .chat_conversations()
            .unwrap()
            .iter()
            .find(|c| c.id == conversation)
            .unwrap()
            .unread,
        0,
        "read here at once"
    );
    messages(&laptop, &conversation, "Lan's messages shown read", |m| {
        m.len() == 3 && m.iter().all(|m| m.state == ChatMessageState::Read)
    })
    .await;

    let hits = minh.core.search_chat("BANG DU TOAN").unwrap();
    assert_eq!(
        hits.len(),
        1,
        "search folds accents and case as paper search does"
    );
    assert_eq!(hits[0].message.body, "bảng dự toán ngân sách");
    assert!(minh.core.search_chat("biên bản").unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_message_stays_with_its_reason_and_holds_back_the_ones_after_it() {
    let council = Council::demo().await;
    let lan = Device::new();
    lan.sign_in(&council, "delegate01").await;
    let help = lan.core.ask_secretariat().unwrap();
    let secretary = Device::new();
    secretary.sign_in(&council, "secretary").await;

    // A reply to a message that does not exist: the server refuses it.
    let refused = lan
        .core
        .send_chat_message(dto::ChatDraft {
            reply_to: Some(uuid::Uuid::new_v4().to_string()),
            ..draft(&help, "Trả lời một tin không có")
        })
        .unwrap();
    lan.core
        .send_chat_message(draft(&help, "Xin hỏi Ban thư ký"))
        .unwrap();
    let shown = messages(&lan, &help, "the refusal shown", |m| {
        m.iter().any(|m| m.state == ChatMessageState::Refused)
    })
    .await;
    assert_eq!(
        shown
            .iter()
            .map(|m| (m.body.as_str(), m.state))
            .collect::<Vec<_>>(),
        [
            ("Trả lời một tin không có", ChatMessageState::Refused),
            ("Xin hỏi Ban thư ký", ChatMessageState::Waiting),
        ],
        "the one after it waits: it must not overtake"
    );
    assert_eq!(
        shown[0].refusal.as_ref().map(|e| e.code),
        Some(dto::IpcErrorCode::BadRequest),
        "with the server's reason"
    );

    lan.core.discard_chat_message(&refused.id).unwrap();
    let shown = messages(&lan, &help, "the next one sent", |m| {
        m.len() == 1 && m[0].state != ChatMessageState::Waiting
    })
    .await;
    assert_eq!(shown[0].seq, 1);
    let at_secretariat = messages(&secretary, &help, "the question at the secretariat", |m| {
        m.len() == 1
    })
    .await;
    assert_eq!(at_secretariat[0].body, "Xin hỏi Ban thư ký");
    let listed = secretary.core.chat_conversations().unwrap();
    let summary = listed.iter().find(|c| c.id == help).unwrap();
    assert_eq!(
        (summary.kind, summary.title.as_str()),
        (dto::ConversationKindView::Secretariat, "Hoàng Thị Lan"),
        "the secretariat sees whose conversation it is"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_s_owner_adds_and_removes_members_and_a_muted_conversation_stays_quiet() {
    let council = Council::demo().await;
    let lan = Device::new();
    lan.sign_in(&council, "delegate01").await;
    let minh = Device::new();
    let minh_id = minh.sign_in(&council, "delegate02").await.member.id;
    let hoa = Device::new();
    let hoa_id = hoa.sign_in(&council, "delegate03").await.member.id;

    let group = lan
        .core
        .create_chat_group(
            "Tổ đại biểu số 3".into(),
            vec![minh_id.clone(), hoa_id.clone()],
        )
        .await
        .expect("the owner makes a group online");
    let summary = lan
        .core
        .chat_conversations()
        .unwrap()
        .into_iter()
        .find(|c| c.id == group)
        .expect("the owner lists the new group at once");
    assert!(summary.owned && summary.may_post);
    assert_eq!(summary.kind, dto::ConversationKindView::Group);
    assert_eq!(summary.members.len(), 3, "the owner and the two members");

    hoa.until("the group on Hoa's device", || async {
        hoa.core
            .chat_conversations()
            .ok()?
            .into_iter()
            .any(|c| c.id == group)
            .then_some(())
    })
    .await;
    hoa.core.mute_chat(&group, true).unwrap();
    assert_eq!(
        hoa.core
            .mute_chat(&uuid::Uuid::new_v4().to_string(), true)
            .map_err(|e| e.code)
            .err(),
        Some(dto::IpcErrorCode::NotFound),
        "muting a conversation not held here says so"
    );
    lan.core
        .send_chat_message(draft(&group, "Tổ họp lúc 11 giờ"))
        .unwrap();
    messages(&minh, &group, "the note at Minh's", |m| m.len() == 1).await;
    messages(&hoa, &group, "the note at Hoa's", |m| m.len() == 1).await;
    minh.until("Minh notified", || async {
        minh.events
            .borrow()
            .chat_arrived
            .iter()
            .any(|m| m.body == "Tổ họp lúc 11 giờ")
            .then_some(())
    })
    .await;
    assert!(
        hoa.events
            .borrow()
            .chat_arrived
            .iter()
            .all(|m| m.conversation_id != group),
        "a muted conversation is counted, not announced"
    );
    assert_eq!(
        hoa.core
            .chat_conversations()
            .unwrap()
            .into_iter()
            .find(|c| c.id == group)
            .map(|c| (c.muted, c.unread)),
        Some((true, 1))
    );

    lan.core
        .change_chat_group(&group, Vec::new(), vec![hoa_id])
        .await
        .expect("the owner removes a member");
    hoa.until("Hoa's device to know she left", || async {
        hoa.core
            .chat_conversations()
            .ok()?
            .into_iter()
            .find(|c| c.id == group && c.left)
            .map(|_| ())
    })
    .await;
    let held = hoa.core.chat_conversations().unwrap();
    let left = held.iter().find(|c| c.id == group).unwrap();
    assert!(
        !left.may_post,
        "a member who left reads what she had, and writes nothing"
    );
    lan.core
        .send_chat_message(draft(&group, "Đổi sang 13 giờ"))
        .unwrap();
    messages(&minh, &group, "the change at Minh's", |m| m.len() == 2).await;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert_eq!(
        hoa.core.chat_messages(&group).unwrap().len(),
        1,
        "nothing sent after her removal reaches Hoa"
    );
    let refused = minh
        .core
        .change_chat_group(
            &group,
            vec![hoa.core.chat_members().unwrap()[0].id.clone()],
            Vec::new(),
        )
        .await;
    assert_eq!(
        refused.map_err(|e| e.code).err(),
        Some(dto::IpcErrorCode::Forbidden),
        "only the owner changes the members"
    );
}
