//! Opinions: a delegate sends a formal opinion on an item of the demo session from the
//! paper they read, offline; it survives the app being closed, reaches the server once when
//! the app is online again, and an edit is a second version. The secretary's device shows
//! both versions under the item with their author; another delegate's shows none of it.

use crate::harness::{Council, DEMO_PASSWORD, DEMO_SESSION, Device};
use ecabinet_app::dto;
use ecabinet_protocol::MeetingPatch;
use ecabinet_sync::CouncilClient;
use std::path::Path;

/// The demo's last session, over: its opinions are still taken until it is archived.
const CLOSED_SESSION: &str = "Kỳ họp thứ chín (chuyên đề) về quy hoạch đô thị";

const SUBMISSION: &str = "Tờ trình về dự toán ngân sách nhà nước năm 2027";

fn restarted(data_dir: &Path) -> Device {
    Device::open(data_dir)
}

/// The demo session's id and the submission's item and id, once the packet is on the device.
async fn the_submission(device: &Device) -> (String, String, String) {
    let meeting = device.meeting_id(DEMO_SESSION).await;
    let paper = device
        .until("the packet's submission to reach the device", || async {
            let packet = device.core.meeting_packet(&meeting).ok()??;
            packet
                .papers
                .into_iter()
                .find(|p| p.title.as_deref() == Some(SUBMISSION))
                .map(|p| p.paper_id)
        })
        .await;
    let opinions = device.core.opinions(&meeting).unwrap();
    let item = opinions
        .items
        .iter()
        .find(|i| i.paper_ids.contains(&paper))
        .expect("the submission sits under an item of the programme")
        .item_id
        .clone();
    (meeting, item, paper)
}

/// The opinion `id` as `device` shows it under `item`, once `ready` holds.
async fn shown(
    device: &Device,
    meeting: &str,
    item: &str,
    id: &str,
    what: &str,
    ready: impl Fn(&dto::OpinionView) -> bool,
) -> dto::OpinionView {
    device
        .until(what, || async {
            let opinions = device.core.opinions(meeting).ok()?;
            let under = opinions.items.into_iter().find(|i| i.item_id == item)?;
            under.opinions.into_iter().find(|o| o.id == id && ready(o))
        })
        .await
}

fn all_synced(o: &dto::OpinionView) -> bool {
    o.versions
        .iter()
        .all(|v| matches!(v.sync, dto::OpinionSyncView::Synced))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_opinion_sent_offline_arrives_once_and_the_secretary_sees_every_version() {
    let council = Council::demo().await;
    let laptop_dir = tempfile::tempdir().unwrap();
    let (meeting, item, paper, author) = {
        let laptop = Device::open(laptop_dir.path());
        let author = laptop.sign_in(&council, "delegate01").await.member;
        let (meeting, item, paper) = the_submission(&laptop).await;
        assert!(
            laptop.core.opinions(&meeting).unwrap().may_send,
            "a delegate of the session may send opinions"
        );
        (meeting, item, paper, author)
    }; // the app closes

    let quote = "dự toán thu ngân sách nhà nước trên địa bàn";
    let id = {
        let laptop = restarted(laptop_dir.path());
        let sent = laptop
            .core
            .send_opinion(dto::OpinionInput {
                meeting_id: meeting.clone(),
                item_id: item.clone(),
                paper: Some(dto::PaperLinkView {
                    paper_id: paper.clone(),
                    page: 1,
                    quote: Some(quote.into()),
                }),
                body: "Đề nghị làm rõ cơ sở dự báo thu năm 2027.".into(),
            })
            .await
            .expect("the opinion is kept on the device");
        assert!(sent.own);
        assert_eq!(sent.versions.len(), 1);
        assert_eq!(sent.versions[0].version, 1);
        assert!(
            matches!(sent.versions[0].sync, dto::OpinionSyncView::Pending),
            "offline: kept, not yet sent"
        );
        sent.id
    }; // closed before it reached the server

    let laptop = restarted(laptop_dir.path());
    let waiting = laptop.core.opinions(&meeting).unwrap();
    assert!(
        waiting
            .items
            .iter()
            .flat_map(|i| &i.opinions)
            .any(|o| o.id == id),
        "an opinion sent offline survives the app being closed"
    );
    laptop.core.resume().await.expect("online again");
    shown(
        &laptop,
        &meeting,
        &item,
        &id,
        "the opinion acknowledged",
        all_synced,
    )
    .await;

    let edited = laptop
        .core
        .edit_opinion(
            &id,
            "Đề nghị làm rõ cơ sở dự báo thu năm 2027 và bổ sung số liệu quý IV.".into(),
        )
        .await
        .expect("an edit is a new version");
    assert_eq!(
        edited
            .versions
            .iter()
            .map(|v| v.version)
            .collect::<Vec<_>>(),
        vec![1, 2]
    );
    shown(
        &laptop,
        &meeting,
        &item,
        &id,
        "the edit acknowledged",
        |o| all_synced(o) && o.versions.len() == 2,
    )
    .await;

    let stored = council
        .state
        .storage
        .opinion_versions(id.parse().unwrap())
        .await
        .unwrap();
    assert_eq!(
        stored.iter().map(|o| o.version).collect::<Vec<_>>(),
        vec![1, 2],
        "the offline send arrived once, and the edit is the second version"
    );

    let secretary = Device::new();
    secretary.sign_in(&council, "secretary").await;
    let seen = shown(
        &secretary,
        &meeting,
        &item,
        &id,
        "both versions on the secretary's device",
        |o| o.versions.len() == 2,
    )
    .await;
    assert!(!seen.own);
    assert_eq!(seen.author_id, author.id);
    assert_eq!(seen.author_name, author.display_name);
    assert_eq!(
        seen.versions
            .iter()
            .map(|v| (v.version, v.body.as_str()))
            .collect::<Vec<_>>(),
        vec![
            (1, "Đề nghị làm rõ cơ sở dự báo thu năm 2027."),
            (
                2,
                "Đề nghị làm rõ cơ sở dự báo thu năm 2027 và bổ sung số liệu quý IV."
            ),
        ],
        "the secretariat sees what was said first and what it became"
    );
    let link = seen.versions[0]
        .paper
        .as_ref()
        .expect("linked to the paper");
    assert_eq!(
        (link.paper_id.as_str(), link.page, link.quote.as_deref()),
        (paper.as_str(), 1, Some(quote))
    );
    let opinions = secretary.core.opinions(&meeting).unwrap();
    assert!(opinions.reads_all && !opinions.may_send);
    assert!(
        secretary
            .core
            .send_opinion(dto::OpinionInput {
                meeting_id: meeting.clone(),
                item_id: item.clone(),
                paper: None,
                body: "Thư ký không gửi ý kiến".into(),
            })
            .await
            .is_err_and(|e| e.code == dto::IpcErrorCode::Forbidden),
        "the secretariat receives opinions; it sends none"
    );

    let colleague = Device::new();
    colleague.sign_in(&council, "delegate03").await;
    colleague.meeting_id(DEMO_SESSION).await;
    let theirs = colleague.core.opinions(&meeting).unwrap();
    assert!(!theirs.reads_all);
    assert!(
        theirs.items.iter().flat_map(|i| &i.opinions).all(|o| o.own),
        "another delegate sees no opinion but their own"
    );
    assert!(
        colleague
            .core
            .edit_opinion(&id, "Ghi đè".into())
            .await
            .is_err_and(|e| e.code == dto::IpcErrorCode::NotFound),
        "nor can they edit delegate01's"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_opinion_sent_offline_to_a_session_archived_meanwhile_stays_refused_with_its_code() {
    let council = Council::demo().await;
    let chair_dir = tempfile::tempdir().unwrap();
    let (meeting, item) = {
        let chair = Device::open(chair_dir.path());
        chair.sign_in(&council, "chair").await;
        let meeting = chair.meeting_id(CLOSED_SESSION).await;
        let item = chair
            .until(
                "the closed session's programme on the chair's device",
                || async {
                    let opinions = chair.core.opinions(&meeting).ok()?;
                    opinions.may_send.then_some(())?;
                    opinions.items.first().map(|i| i.item_id.clone())
                },
            )
            .await;
        (meeting, item)
    }; // the app closes

    let chair = restarted(chair_dir.path());
    let sent = chair
        .core
        .send_opinion(dto::OpinionInput {
            meeting_id: meeting.clone(),
            item_id: item.clone(),
            paper: None,
            body: "Đề nghị bổ sung kết luận về quy hoạch phân khu.".into(),
        })
        .await
        .expect("kept on the device while offline");

    // Meanwhile the secretariat files the session away.
    let client = CouncilClient::new(&council.url).unwrap();
    let secretary = client.login("secretary", DEMO_PASSWORD).await.unwrap();
    client
        .patch_meeting(
            &secretary.token,
            meeting.parse().unwrap(),
            &MeetingPatch {
                archived: Some(true),
                ..Default::default()
            },
        )
        .await
        .expect("the secretary archives the closed session");

    chair.core.resume().await.expect("online again");
    let refused = shown(
        &chair,
        &meeting,
        &item,
        &sent.id,
        "the server's refusal on the chair's device",
        |o| {
            matches!(
                &o.versions[0].sync,
                dto::OpinionSyncView::Refused { error } if error.code == dto::IpcErrorCode::Conflict
            )
        },
    )
    .await;
    assert_eq!(
        refused.versions[0].body, "Đề nghị bổ sung kết luận về quy hoạch phân khu.",
        "the words stay on the device, shown with the refusal, not silently dropped"
    );
    assert!(
        council
            .state
            .storage
            .opinion_versions(sent.id.parse().unwrap())
            .await
            .unwrap()
            .is_empty(),
        "the archived session took nothing"
    );
    assert!(
        !chair.core.opinions(&meeting).unwrap().may_send,
        "and the app offers no more sending in it"
    );
}
