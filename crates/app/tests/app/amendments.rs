//! A paper replaced by an amended version: the delegate's marks follow it onto the new
//! version by themselves, the one whose passage was deleted waits in "needs review" with its
//! old quote and candidates, the delegate's second device receives the moved marks, and the
//! reader lists what changed inside the paper. The paper is the demo's draft resolution and
//! its amended version (`assets/demo/papers/…-sua-doi.pdf`: two figures changed, a sentence
//! inserted in Article 3, a solution deleted), published as the packet's version 2 by
//! `demo_packet::publish_amendment`, as `make run` does.

use crate::harness::{Council, DEMO_PASSWORD, DEMO_SESSION, Device, paper, refused};
use council_server::demo_packet;
use ecabinet_app::dto::{self, IpcErrorCode};
use ecabinet_domain::annotation::{Anchor, MarkAnchor, MarkOffset, PagePoint, PaperText};
use ecabinet_domain::{
    Annotation, AnnotationId, AnnotationKind, BlobHash, InkPoint, MadeOn, Sharing,
};
use ecabinet_protocol::AnnotationWrite;
use ecabinet_sync::CouncilClient;
use uuid::Uuid;

const DRAFT_RESOLUTION: &str = "Dự thảo Nghị quyết về dự toán ngân sách nhà nước năm 2027";

/// A passage the amendment leaves alone but moves: it comes after the deleted solution.
const SUPERVISION: &str = "giám sát việc thực hiện";
/// A line whose figure the amendment changes (recurrent spending goes down).
const RECURRENT: &str = "Chi thường xuyên:";
/// Recurrent spending in Article 1 (the amendment lowers it to 9.397.500).
const FIGURE: &str = "9.410.000 triệu đồng";
/// The closing sentence, after the inserted one.
const IN_FORCE: &str = "lực kể từ ngày thông qua";
/// The solution the amendment deletes.
const DELETED: &str = "Đẩy mạnh chuyển đổi số trong quản lý thuế";
/// The sentence the amendment inserts in Article 3.
const INSERTED: &str = "kết quả thực hiện dự toán sáu tháng đầu năm 2027";

/// Every page's text of the paper as the reader shows it (the version open now).
async fn reader_text(device: &Device, meeting: &str, paper_id: &str) -> PaperText {
    let opened = device
        .core
        .open_paper(meeting, paper_id)
        .await
        .expect("the paper opens");
    let mut pages = Vec::new();
    for page in 0..opened.page_count {
        pages.push(device.core.page_text(paper_id, page).await.unwrap().text);
    }
    device.core.close_paper();
    PaperText::new(&pages)
}

/// Whole-text offsets of the first occurrence of `words`.
fn find(text: &PaperText, words: &str) -> (usize, usize) {
    let whole = text.slice(0, text.len());
    let byte = whole
        .find(words)
        .unwrap_or_else(|| panic!("{words:?} is not in the paper's text:\n{whole}"));
    let start = whole[..byte].chars().count();
    (start, start + words.chars().count())
}

fn write(
    paper_id: &str,
    made_on: &MadeOn,
    anchor: Anchor,
    kind: AnnotationKind,
    body: &str,
) -> AnnotationWrite {
    AnnotationWrite {
        base_revision: 0,
        paper_id: paper_id.parse().unwrap(),
        made_on: made_on.clone(),
        anchor,
        kind,
        colour: "#ffd54f".into(),
        thickness: 1.5,
        body: body.into(),
        sharing: Sharing::Private,
    }
}

/// The revisions the server holds of the delegate's annotation `id`, oldest first.
async fn history(client: &CouncilClient, token: &str, id: AnnotationId) -> Vec<Annotation> {
    client
        .annotation_history(token, id)
        .await
        .expect("the author reads their annotation's history")
        .revisions
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn marks_follow_an_amended_paper_and_a_deleted_passage_waits_for_review() {
    let council = Council::demo().await;
    let laptop = Device::new();
    laptop.sign_in(&council, "delegate01").await;
    laptop.keep_search_index();
    let meeting = laptop.meeting_id(DEMO_SESSION).await;
    let packet = laptop.packet_held(DEMO_SESSION).await;
    let draft = paper(&packet, DRAFT_RESOLUTION).clone();
    let v1_hash = BlobHash::parse(&draft.file.as_ref().unwrap().hash).unwrap();
    let old = reader_text(&laptop, &meeting, &draft.paper_id).await;

    // The delegate marks version 1 (on their tablet, say: the marks reach the laptop as
    // the server's records).
    let client = CouncilClient::new(&council.url).unwrap();
    let token = client
        .login("delegate01", DEMO_PASSWORD)
        .await
        .unwrap()
        .token;
    let made_on = MadeOn {
        packet_version: Some(1),
        hash: v1_hash.clone(),
    };
    let text_anchor = |words: &str| {
        let (start, end) = find(&old, words);
        old.anchor(start, end)
    };
    let marks = [
        (
            "highlight",
            Anchor::Text(text_anchor(SUPERVISION)),
            AnnotationKind::Highlight,
            "",
        ),
        (
            "ink",
            Anchor::Mark(MarkAnchor {
                text: text_anchor(RECURRENT),
                offset: MarkOffset { dx: -12.0, dy: 2.0 },
            }),
            AnnotationKind::Ink {
                strokes: vec![vec![
                    InkPoint {
                        x: 0.0,
                        y: 0.0,
                        pressure: Some(0.4),
                    },
                    InkPoint {
                        x: 8.0,
                        y: 6.0,
                        pressure: Some(0.6),
                    },
                ]],
            },
            "",
        ),
        (
            "note",
            Anchor::Mark(MarkAnchor {
                text: text_anchor(IN_FORCE),
                offset: MarkOffset { dx: 300.0, dy: 0.0 },
            }),
            AnnotationKind::Note,
            "Hỏi lại thời điểm có hiệu lực",
        ),
        (
            "figure",
            Anchor::Text(text_anchor(FIGURE)),
            AnnotationKind::Highlight,
            "Sao giảm chi thường xuyên?",
        ),
        (
            "deleted",
            Anchor::Text(text_anchor(DELETED)),
            AnnotationKind::Underline,
            "Cần bổ sung lộ trình",
        ),
    ];
    let mut ids = Vec::new();
    for (_, anchor, kind, body) in marks.iter().cloned() {
        let id = AnnotationId(Uuid::new_v4());
        client
            .put_annotation(
                &token,
                id,
                &write(&draft.paper_id, &made_on, anchor, kind, body),
            )
            .await
            .expect("the server keeps the delegate's mark");
        ids.push(id);
    }
    laptop
        .until("the five marks to reach the laptop", || async {
            (laptop
                .core
                .paper_annotations(&draft.paper_id)
                .await
                .ok()?
                .len()
                == 5)
                .then_some(())
        })
        .await;
    assert!(
        laptop
            .core
            .annotations_needing_review(&draft.paper_id)
            .unwrap()
            .is_empty(),
        "nothing waits for review while the paper has one version"
    );

    // The secretariat publishes the amended draft resolution as version 2.
    let secretary = council
        .state
        .storage
        .account_by_username("secretary")
        .await
        .unwrap()
        .unwrap();
    assert!(
        demo_packet::publish_amendment(&council.state, secretary.member.council_id)
            .await
            .unwrap(),
        "version 2 is published"
    );
    assert!(
        !demo_packet::publish_amendment(&council.state, secretary.member.council_id)
            .await
            .unwrap(),
        "and only once (a restarted demo server publishes nothing more)"
    );
    let v2_hash = laptop
        .until("version 2 to reach the laptop", || async {
            let packet = laptop.core.meeting_packet(&meeting).ok()??;
            let file = paper(&packet, DRAFT_RESOLUTION).file.clone()?;
            (packet.version == 2 && file.hash != v1_hash.as_str()).then_some(file.hash)
        })
        .await;
    let v2_hash = BlobHash::parse(&v2_hash).unwrap();

    // Once the new file is downloaded and read, the three marks move by themselves, as
    // edits that reach the server; the one on the deleted solution stays where it was.
    let moved = laptop
        .until("the moved marks to reach the server", || async {
            let mut latest = Vec::new();
            for id in &ids[..4] {
                let revisions = history(&client, &token, *id).await;
                let last = revisions.last()?.clone();
                (last.made_on.hash == v2_hash).then_some(())?;
                latest.push(last);
            }
            Some(latest)
        })
        .await;
    let new = reader_text(&laptop, &meeting, &draft.paper_id).await;
    for ((name, _, _, _), annotation) in marks.iter().zip(&moved) {
        let text = annotation.anchor.text();
        assert_eq!(
            new.slice(text.position.start, text.position.end),
            text.quote.exact,
            "the {name} sits on its words in version 2"
        );
        assert_eq!(annotation.made_on.packet_version, Some(2));
        assert_eq!(annotation.revision, 2, "the {name} moved once");
    }
    let expected = [SUPERVISION, RECURRENT, IN_FORCE];
    for (((name, before, _, _), annotation), words) in marks.iter().zip(&moved).zip(expected) {
        assert_eq!(
            annotation.anchor.text().quote.exact,
            words,
            "the {name} is on the same words"
        );
        assert_eq!(
            (
                annotation.anchor.text().position.start,
                annotation.anchor.text().page
            ),
            (
                find(&new, words).0,
                new.start_point(find(&new, words).0).page
            ),
            "the {name} is at their place in version 2 (it was at {} in version 1)",
            before.text().position.start
        );
    }
    assert!(
        moved[0].anchor.text().position.start < old.len()
            && moved[0].anchor.text().position.start != marks[0].1.text().position.start,
        "the highlight after the deleted solution moved up the text"
    );
    match (&moved[1].anchor, &marks[1].1) {
        (Anchor::Mark(now), Anchor::Mark(before)) => {
            assert_eq!(
                now.offset, before.offset,
                "the ink keeps its offset from its text"
            )
        }
        other => panic!("the ink is still anchored as a mark: {other:?}"),
    }
    assert_eq!(moved[2].body, "Hỏi lại thời điểm có hiệu lực");
    // A highlight on a figure the amendment changed follows its line to the new figure.
    let figure = history(&client, &token, ids[3]).await;
    let figure = &figure.last().unwrap().anchor;
    assert_eq!(figure.text().quote.exact, "9.397.500 triệu đồng");
    assert_eq!(
        figure.text().position.start,
        find(&new, "9.397.500 triệu đồng").0,
        "the highlight is on Article 1's new recurrent spending, not the appendix's"
    );
    let stayed = history(&client, &token, ids[4]).await;
    assert_eq!(
        stayed.len(),
        1,
        "the mark on the deleted solution is not moved (nor dropped)"
    );

    let review = laptop
        .core
        .annotations_needing_review(&draft.paper_id)
        .unwrap();
    assert_eq!(
        review.len(),
        1,
        "only the deleted passage's mark: {review:#?}"
    );
    let waiting = &review[0];
    assert_eq!(waiting.annotation_id, ids[4].to_string());
    assert_eq!(waiting.old_quote, DELETED, "shown with its old quote");
    assert_eq!(waiting.kind, "underline");
    assert_eq!(waiting.body, "Cần bổ sung lộ trình");
    assert_eq!(waiting.made_on_version, Some(1));
    assert!(waiting.candidates.len() <= 3, "{:#?}", waiting.candidates);
    for candidate in &waiting.candidates {
        assert_eq!(
            candidate.text,
            new.slice(candidate.start as usize, candidate.end as usize),
            "a candidate shows the words at its place"
        );
        assert!(!candidate.ranges.is_empty());
    }

    assert_eq!(
        refused(
            "a place the review never offered",
            laptop
                .core
                .resolve_annotation_review(
                    &waiting.annotation_id,
                    dto::ReviewChoice::Candidate { start: 0, end: 5 },
                )
                .await,
        ),
        IpcErrorCode::Conflict
    );
    assert_eq!(
        refused(
            "reviewing a mark that moved by itself",
            laptop
                .core
                .resolve_annotation_review(&ids[0].to_string(), dto::ReviewChoice::Delete)
                .await,
        ),
        IpcErrorCode::Conflict,
        "it is on the current version: nothing to review"
    );

    // What changed inside the paper, measured from version 1, which the laptop read.
    let changes = laptop.core.paper_changes(&draft.paper_id).await.unwrap();
    assert_eq!(changes.unavailable, None);
    assert_eq!(changes.since_version, Some(1));
    assert!(
        !changes.since_read,
        "the laptop has opened version 2 since: the changes are those since the version before"
    );
    assert_eq!(changes.current_version, 2);
    assert_eq!(changes.count as usize, changes.changes.len());
    let inserted = changes
        .changes
        .iter()
        .find(|c| c.new_text.contains(INSERTED))
        .unwrap_or_else(|| panic!("the inserted sentence is listed: {:#?}", changes.changes));
    assert_eq!(inserted.kind, dto::TextChangeKind::Inserted);
    let range = inserted.ranges[0];
    let at = |offset: u32| {
        new.offset(PagePoint {
            page: range.page as usize,
            offset: offset as usize,
        })
        .expect("the range is on its page")
    };
    assert!(
        new.slice(at(range.start), at(range.end))
            .starts_with("3. Giao"),
        "the insertion is boxed at its characters on its page: {:?}",
        new.slice(at(range.start), at(range.end))
    );
    let deleted = changes
        .changes
        .iter()
        .find(|c| c.old_text.contains(DELETED))
        .unwrap_or_else(|| panic!("the deleted solution is listed: {:#?}", changes.changes));
    assert_eq!(deleted.kind, dto::TextChangeKind::Deleted);
    assert_eq!(deleted.new_text, "");
    assert_eq!(
        deleted.ranges.len(),
        1,
        "a deletion is marked at one place, where it was"
    );
    assert!(
        changes
            .changes
            .iter()
            .filter(|c| c.kind == dto::TextChangeKind::Changed)
            .count()
            >= 2,
        "the changed figures are listed: {:#?}",
        changes.changes
    );

    // The delegate's tablet, signed in now, receives the moved marks and moves nothing
    // again; the mark that waits for review waits there too.
    let tablet = Device::new();
    tablet.sign_in(&council, "delegate01").await;
    tablet.keep_search_index();
    tablet
        .until("the moved marks to reach the tablet", || async {
            let shown = tablet.core.paper_annotations(&draft.paper_id).await.ok()?;
            let moved = shown
                .iter()
                .filter(|a| a.revision == 2 && matches!(a.sync, dto::AnnotationSyncView::Synced))
                .count();
            (moved == 4 && shown.len() == 5).then_some(())
        })
        .await;
    tablet.packet_held(DEMO_SESSION).await;
    let on_tablet = tablet
        .until("the tablet to list the mark that needs review", || async {
            let listed = tablet
                .core
                .annotations_needing_review(&draft.paper_id)
                .ok()?;
            (!listed.is_empty()).then_some(listed)
        })
        .await;
    assert_eq!(on_tablet[0].annotation_id, ids[4].to_string());
    for id in &ids[..4] {
        assert_eq!(
            history(&client, &token, *id).await.len(),
            2,
            "a mark is moved once, not again by the second device"
        );
    }

    // The delegate settles it on the laptop: the passage is gone, so is the mark.
    laptop
        .core
        .resolve_annotation_review(&waiting.annotation_id, dto::ReviewChoice::Delete)
        .await
        .unwrap();
    assert!(
        laptop
            .core
            .annotations_needing_review(&draft.paper_id)
            .unwrap()
            .is_empty()
    );
    laptop
        .until("the deletion to reach the server", || async {
            history(&client, &token, ids[4])
                .await
                .last()
                .is_some_and(|a| a.deleted)
                .then_some(())
        })
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_colleagues_shared_mark_not_yet_moved_by_its_author_shows_on_the_new_version() {
    let council = Council::demo().await;
    let client = CouncilClient::new(&council.url).unwrap();
    let author = client
        .login("delegate01", DEMO_PASSWORD)
        .await
        .unwrap()
        .token;
    // The author reads version 1 on their laptop and shares a highlight with the meeting;
    // then their laptop stays closed, so nothing moves the mark when version 2 comes.
    let (draft, old, v1_hash) = {
        let laptop = Device::new();
        laptop.sign_in(&council, "delegate01").await;
        let meeting = laptop.meeting_id(DEMO_SESSION).await;
        let packet = laptop.packet_held(DEMO_SESSION).await;
        let draft = paper(&packet, DRAFT_RESOLUTION).clone();
        let hash = BlobHash::parse(&draft.file.as_ref().unwrap().hash).unwrap();
        let old = reader_text(&laptop, &meeting, &draft.paper_id).await;
        (draft, old, hash)
    };
    let (start, end) = find(&old, SUPERVISION);
    let shared = client
        .put_annotation(
            &author,
            AnnotationId(Uuid::new_v4()),
            &AnnotationWrite {
                sharing: Sharing::Meeting,
                ..write(
                    &draft.paper_id,
                    &MadeOn {
                        packet_version: Some(1),
                        hash: v1_hash.clone(),
                    },
                    Anchor::Text(old.anchor(start, end)),
                    AnnotationKind::Highlight,
                    "Đề nghị làm rõ cơ chế giám sát",
                )
            },
        )
        .await
        .unwrap();
    let secretary = council
        .state
        .storage
        .account_by_username("secretary")
        .await
        .unwrap()
        .unwrap();
    demo_packet::publish_amendment(&council.state, secretary.member.council_id)
        .await
        .unwrap();

    // A colleague who signs in now holds only version 2.
    let colleague = Device::new();
    colleague.sign_in(&council, "delegate03").await;
    let meeting = colleague.meeting_id(DEMO_SESSION).await;
    let packet = colleague.packet_held(DEMO_SESSION).await;
    assert_eq!(packet.version, 2);
    let v2_hash =
        BlobHash::parse(&paper(&packet, DRAFT_RESOLUTION).file.as_ref().unwrap().hash).unwrap();
    assert_ne!(v2_hash, v1_hash);
    let new = reader_text(&colleague, &meeting, &draft.paper_id).await;
    let placed = colleague
        .core
        .anchors_on_current(std::slice::from_ref(&shared), &v2_hash, &new)
        .unwrap();
    let anchor = placed[0]
        .as_ref()
        .expect("the shared highlight is placed on version 2 from its anchor alone");
    let text = anchor.text();
    assert_eq!(
        new.slice(text.position.start, text.position.end),
        SUPERVISION
    );
    assert_eq!(text.position.start, find(&new, SUPERVISION).0);
    assert_ne!(
        text.position.start, start,
        "the deleted solution before it moved it up the text"
    );
    assert_eq!(
        history(&client, &author, shared.id).await.len(),
        1,
        "placing it for display saves nothing"
    );
}
