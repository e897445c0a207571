//! The demo's chat, so whoever signs in finds conversations under way: the secretariat's
//! announcement, delegate01's question to the secretariat about a page of the session's
//! submission and its answer, a delegation group's note and the chair's word in the session's
//! conversation. Posted through the same path as a device's `PUT /api/v1/chat/messages/{id}`,
//! under fixed ids: a restart posts nothing twice.

use crate::ServerState;
use crate::api::chat::{group_as, post_as};
use ecabinet_domain::chat::{ConversationKind, PaperPage};
use ecabinet_domain::{ConversationId, CouncilId, Member, MessageId, PaperKind, Visibility};
use ecabinet_protocol::{ChatPost, NewGroup};
use uuid::Uuid;

fn message_id(n: u128) -> MessageId {
    MessageId(Uuid::from_u128(0xc4a7_0000_0000 + n))
}

/// Posts the demo's messages in the council's published session.
pub async fn seed(state: &ServerState, council: CouncilId) -> anyhow::Result<()> {
    let members = crate::demo::council_members(state, council).await?;
    let named = |username: &str| members.iter().find(|m| m.username == username).cloned();
    let (Some(secretary), Some(chair), Some(lan), Some(minh)) = (
        named("secretary"),
        named("chair"),
        named("delegate01"),
        named("delegate02"),
    ) else {
        tracing::warn!("the demo council was reshaped; its chat is not seeded");
        return Ok(());
    };
    let mut session = None;
    for meeting in state.storage.meetings(council).await? {
        if let Some(version) = state.storage.latest_packet(meeting.id).await? {
            session = Some((meeting, version));
        }
    }
    let Some((session, version)) = session else {
        tracing::warn!("the demo has no published session; its chat is not seeded");
        return Ok(());
    };
    let paper = version
        .entries
        .iter()
        .find(|e| {
            e.kind == PaperKind::Submission
                && e.file.is_some()
                && e.visibility == Visibility::AllParticipants
        })
        .map(|e| PaperPage {
            paper_id: e.paper_id,
            page: 2,
        });
    let post = |kind: ConversationKind, body: &str, paper: Option<PaperPage>| ChatPost {
        conversation_id: kind.derived_id(council).expect("a well-known conversation"),
        kind: Some(kind),
        body: body.into(),
        reply_to: None,
        paper,
    };
    let mut say = Vec::<(&Member, MessageId, ChatPost)>::new();
    say.push((
        &secretary,
        message_id(1),
        post(
            ConversationKind::Announcements,
            &format!(
                "Kính gửi các đại biểu: tài liệu của {} đã được phát hành trên eCabinet.\nĐề nghị các đại biểu điểm danh trên ứng dụng trước giờ khai mạc.",
                session.title
            ),
            None,
        ),
    ));
    let help = ConversationKind::Secretariat { member: lan.id };
    say.push((
        &lan,
        message_id(2),
        post(
            help.clone(),
            "Chào Ban thư ký, bảng dự toán thu ngân sách nằm ở trang nào của tờ trình ạ?",
            paper,
        ),
    ));
    say.push((
        &secretary,
        message_id(3),
        post(
            help,
            "Chào chị Lan, bảng 1 ở trang 3 của tờ trình; phụ lục chi tiết ở cuối tài liệu.",
            None,
        ),
    ));
    say.push((
        &chair,
        message_id(4),
        post(
            ConversationKind::Meeting {
                meeting_id: session.id,
            },
            "Phiên khai mạc bắt đầu đúng giờ. Các đại biểu có ý kiến về chương trình xin đăng ký phát biểu trên ứng dụng.",
            None,
        ),
    ));
    for (member, id, post) in say {
        if let Err(e) = post_as(state, member, id, post).await {
            tracing::warn!("the demo's message {id} was not posted: {e:?}");
        }
    }
    let group = ConversationId(Uuid::from_u128(0xc4a7_6700));
    let delegation: Vec<_> = ["delegate01", "delegate03", "delegate04", "delegate05"]
        .into_iter()
        .filter_map(named)
        .map(|m| m.id)
        .collect();
    group_as(
        state,
        &minh,
        group,
        NewGroup {
            title: "Tổ đại biểu số 1".into(),
            members: delegation,
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("making the demo's group: {e:?}"))?;
    let note = ChatPost {
        conversation_id: group,
        kind: None,
        body: "Tổ mình trao đổi nhanh lúc 11 giờ 30 tại phòng 2 về dự thảo nghị quyết.".into(),
        reply_to: None,
        paper: None,
    };
    if let Err(e) = post_as(state, &minh, message_id(5), note).await {
        tracing::warn!("the demo's group note was not posted: {e:?}");
    }
    Ok(())
}
