//! Conversations, messages and marks ([`ChatStore`]).

use crate::prelude::*;
use ecabinet_domain::chat::{Conversation, ConversationKind, Message};
use ecabinet_domain::{ConversationId, MessageId};
use ecabinet_protocol::{ChatMark, ChatMarksUpdate};
use std::collections::HashSet;
use std::sync::Arc;
use tokio::sync::Barrier;
use uuid::Uuid;

use super::{Fixture, NOW, expect_conflict, expect_not_found};

fn message(conversation: &Conversation, author: ecabinet_domain::MemberId, body: &str) -> Message {
    Message {
        id: MessageId(Uuid::new_v4()),
        conversation_id: conversation.id,
        seq: 0,
        author,
        body: body.into(),
        reply_to: None,
        paper: None,
        sent_at: NOW,
        edited_at: None,
        deleted_at: None,
    }
}

pub async fn a_conversation_numbers_its_messages_and_a_retry_posts_nothing(
    storage: Arc<dyn CouncilStorage>,
) {
    let fx = Fixture::new("chat");
    storage.seed_council(fx.seed()).await.unwrap();
    let (lan, secretary) = (fx.delegate.id, fx.secretary.id);
    let help = Conversation::well_known(
        fx.council,
        ConversationKind::Secretariat { member: lan },
        Vec::new(),
        NOW,
    );
    let orphan = message(&help, lan, "before the conversation exists");
    expect_not_found(
        storage.post_message(&orphan).await,
        "a message to a conversation not stored",
    );
    let stored = storage.put_conversation(fx.council, &help).await.unwrap();
    assert_eq!(
        (stored.rev, stored.last_seq),
        (0, 0),
        "a new conversation is empty"
    );
    assert_eq!(stored.conversation, help);

    let asked = message(&help, lan, "Bảng dự toán ở tài liệu nào?");
    let (first, new) = storage.post_message(&asked).await.unwrap();
    assert!(new);
    assert_eq!((first.rev, first.message.seq), (1, 1));
    let (retry, new) = storage.post_message(&asked).await.unwrap();
    assert!(!new, "the same id again is a retry");
    assert_eq!(retry, first, "answered with what was stored the first time");
    let answered = message(&help, secretary, "Tờ trình 112, trang 12.");
    let (second, _) = storage.post_message(&answered).await.unwrap();
    assert_eq!((second.rev, second.message.seq), (2, 2));

    let mut edited = first.message.clone();
    edited
        .edit(
            lan,
            "Bảng dự toán ngân sách ở tài liệu nào?",
            NOW.plus_millis(5),
        )
        .unwrap();
    let change = storage.change_message(&edited).await.unwrap();
    assert_eq!(change.rev, 3, "an edit takes the next revision");
    assert_eq!(change.message.seq, 1, "and keeps its place");
    let after_one = storage.messages_after(help.id, 1, 100).await.unwrap();
    assert_eq!(
        after_one
            .iter()
            .map(|e| (e.rev, e.message.seq))
            .collect::<Vec<_>>(),
        [(2, 2), (3, 1)],
        "a device at revision 1 pulls the answer and the edit, in revision order"
    );
    assert_eq!(
        after_one[1].message.body,
        "Bảng dự toán ngân sách ở tài liệu nào?"
    );
    assert_eq!(
        storage.messages_after(help.id, 0, 1).await.unwrap().len(),
        1,
        "a limit"
    );
    let mut ghost = edited.clone();
    ghost.id = MessageId(Uuid::new_v4());
    expect_not_found(
        storage.change_message(&ghost).await,
        "changing a message never sent",
    );
    assert_eq!(
        storage.chat_message(answered.id).await.unwrap().unwrap(),
        second
    );
    let now = storage.conversation(help.id).await.unwrap().unwrap();
    assert_eq!((now.rev, now.last_seq, now.council), (3, 2, fx.council));

    // Who lists what: the member their conversation with the secretariat, the secretariat
    // every member's; the announcements everyone.
    let announcements =
        Conversation::well_known(fx.council, ConversationKind::Announcements, Vec::new(), NOW);
    storage
        .put_conversation(fx.council, &announcements)
        .await
        .unwrap();
    let private = Conversation::private(fx.council, lan, secretary, NOW.plus_millis(1)).unwrap();
    storage
        .put_conversation(fx.council, &private)
        .await
        .unwrap();
    let listed = |member, secretariat| {
        let storage = storage.clone();
        async move {
            storage
                .member_conversations(fx.council, member, secretariat)
                .await
                .unwrap()
                .into_iter()
                .map(|c| c.conversation.id)
                .collect::<HashSet<ConversationId>>()
        }
    };
    assert_eq!(
        listed(lan, false).await,
        HashSet::from([help.id, announcements.id, private.id])
    );
    assert_eq!(
        listed(secretary, true).await,
        HashSet::from([help.id, announcements.id, private.id])
    );
    let stranger = ecabinet_domain::MemberId(Uuid::new_v4());
    assert_eq!(
        listed(stranger, false).await,
        HashSet::from([announcements.id]),
        "someone in neither conversation lists the announcements alone"
    );
    assert!(
        storage
            .member_conversations(ecabinet_domain::CouncilId(Uuid::new_v4()), lan, true)
            .await
            .unwrap()
            .is_empty(),
        "another council's listing holds none of these"
    );

    // A group's members change; another council cannot take its id.
    let mut group = Conversation::group(
        ConversationId(Uuid::new_v4()),
        lan,
        "Tổ đại biểu số 3",
        &[secretary],
        NOW,
    )
    .unwrap();
    storage.put_conversation(fx.council, &group).await.unwrap();
    assert!(listed(secretary, false).await.contains(&group.id));
    group.members.retain(|m| *m != secretary);
    let changed = storage.put_conversation(fx.council, &group).await.unwrap();
    assert_eq!(changed.conversation.members, [lan]);
    assert!(
        !listed(secretary, false).await.contains(&group.id),
        "a removed member no longer lists the group"
    );
    let other = Fixture::new("chat-other");
    storage.seed_council(other.seed()).await.unwrap();
    expect_conflict(
        storage.put_conversation(other.council, &group).await,
        "storing a conversation under another council's id",
    );

    // Marks move forward only; muting is the member's own.
    let mark = |delivered, read, muted| ChatMarksUpdate {
        delivered,
        read,
        muted,
    };
    let m = storage
        .put_chat_mark(help.id, lan, mark(Some(2), Some(1), None))
        .await
        .unwrap();
    assert_eq!((m.mark.delivered, m.mark.read, m.muted), (2, 1, false));
    let m = storage
        .put_chat_mark(help.id, lan, mark(Some(1), None, Some(true)))
        .await
        .unwrap();
    assert_eq!(
        (m.mark.delivered, m.mark.read, m.muted),
        (2, 1, true),
        "a mark behind the stored one changes nothing; muting does"
    );
    let m = storage
        .put_chat_mark(help.id, secretary, mark(None, Some(2), None))
        .await
        .unwrap();
    assert_eq!(
        (m.mark.delivered, m.mark.read),
        (2, 2),
        "what was read was delivered"
    );
    let mut marks = storage.chat_marks(help.id).await.unwrap();
    marks.sort_by_key(|m| m.mark.member);
    let mut expected = vec![
        ChatMark {
            member: lan,
            delivered: 2,
            read: 1,
        },
        ChatMark {
            member: secretary,
            delivered: 2,
            read: 2,
        },
    ];
    expected.sort_by_key(|m| m.member);
    assert_eq!(marks.iter().map(|m| m.mark).collect::<Vec<_>>(), expected);
}

pub async fn concurrent_posts_to_one_conversation_are_numbered_without_gaps(
    storage: Arc<dyn CouncilStorage>,
) {
    let fx = Fixture::new("chat-race");
    storage.seed_council(fx.seed()).await.unwrap();
    let room = Conversation::group(
        ConversationId(Uuid::new_v4()),
        fx.delegate.id,
        "Phòng họp",
        &[fx.secretary.id],
        NOW,
    )
    .unwrap();
    storage.put_conversation(fx.council, &room).await.unwrap();
    let messages: Vec<Message> = (0..12)
        .map(|n| message(&room, fx.delegate.id, &format!("tin nhắn {n}")))
        .collect();
    // Every message sent twice at once, as a device retrying a send whose answer it lost.
    let barrier = Arc::new(Barrier::new(messages.len() * 2));
    let mut handles = Vec::new();
    for m in messages.iter().chain(messages.iter()) {
        let (storage, m, barrier) = (storage.clone(), m.clone(), barrier.clone());
        handles.push(tokio::spawn(async move {
            barrier.wait().await;
            storage.post_message(&m).await.unwrap()
        }));
    }
    let mut new = 0;
    for handle in handles {
        new += usize::from(handle.await.unwrap().1);
    }
    assert_eq!(
        new,
        messages.len(),
        "each message stored once, its retry answered"
    );
    let stored = storage.messages_after(room.id, 0, 100).await.unwrap();
    let mut seqs: Vec<u64> = stored.iter().map(|e| e.message.seq).collect();
    seqs.sort_unstable();
    assert_eq!(
        seqs,
        (1..=messages.len() as u64).collect::<Vec<_>>(),
        "numbers 1..n, no gap and none twice"
    );
    assert!(
        stored.iter().all(|e| e.rev == e.message.seq),
        "with no edits, each message's revision is its number"
    );
}
