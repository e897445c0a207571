//! The demo council's marks on the published submission: two delegates' comments shared with
//! the whole meeting, and delegate01's own private highlight and pen stroke, so whoever signs
//! in to the demo finds the reader's annotations already in use. They are written through
//! the same path as a device's `PUT /api/v1/annotations/{id}`, anchored in the paper's real
//! text (read by the server's PDF workers), under fixed ids: a restart writes nothing new.

use crate::ServerState;
use crate::api::annotations::write_annotation;
use crate::auth::Caller;
use anyhow::Context;
use council_storage::StorageError;
use ecabinet_domain::annotation::{Anchor, MarkAnchor, MarkOffset, PaperText};
use ecabinet_domain::{AnnotationId, AnnotationKind, CouncilId, InkPoint, MadeOn, Sharing};
use ecabinet_protocol::AnnotationWrite;
use uuid::Uuid;

/// The paper the demo's marks are on, by the file it was published from.
const SUBMISSION_FILE: &str = "to-trinh-du-toan-ngan-sach-2027.pdf";

/// One demo mark: who makes it, on which words, what it is and says.
struct DemoMark {
    id: u128,
    author: &'static str,
    /// Words of the submission, on one line of it.
    quote: &'static str,
    kind: AnnotationKind,
    /// For a mark beside the words: its offset from the first word's corner, in points.
    beside: Option<(f32, f32)>,
    colour: &'static str,
    body: &'static str,
    sharing: Sharing,
}

fn marks() -> Vec<DemoMark> {
    vec![
        DemoMark {
            id: 0xdec0_0001,
            author: "delegate02",
            quote: "Giải ngân vốn đầu tư công có chuyển biến tích cực nhưng chưa đồng",
            kind: AnnotationKind::Highlight,
            beside: None,
            colour: "#ffd54f",
            body: "Đề nghị nêu rõ những chủ đầu tư giải ngân chậm và nguyên nhân.",
            sharing: Sharing::Meeting,
        },
        DemoMark {
            id: 0xdec0_0002,
            author: "delegate03",
            quote: "16.546.000 triệu đồng, đạt 100,5% dự toán",
            kind: AnnotationKind::Underline,
            beside: None,
            colour: "#d32f2f",
            body: "Số ước thực hiện này có khớp với báo cáo quý III không?",
            sharing: Sharing::Meeting,
        },
        DemoMark {
            id: 0xdec0_0003,
            author: "delegate03",
            quote: "Nguồn",
            kind: AnnotationKind::Note,
            beside: Some((-34.0, -2.0)),
            colour: "#ffd54f",
            body: "Cần báo cáo chi tiết các khoản đã chi từ nguồn dự phòng.",
            sharing: Sharing::Meeting,
        },
        DemoMark {
            id: 0xdec0_0004,
            author: "delegate01",
            quote: "Tổng chi ngân sách địa phương năm 2026 ước thực hiện 14.957.000",
            kind: AnnotationKind::Highlight,
            beside: None,
            colour: "#81c784",
            body: "Hỏi: vì sao chi chỉ đạt 96,4% dự toán?",
            sharing: Sharing::Private,
        },
        DemoMark {
            id: 0xdec0_0005,
            author: "delegate01",
            quote: "96,4%",
            kind: AnnotationKind::Ink {
                strokes: vec![ring(36.0, 16.0)],
            },
            beside: Some((-5.0, -4.0)),
            colour: "#d32f2f",
            body: "",
            sharing: Sharing::Private,
        },
    ]
}

/// A hand-drawn ring around a word `width` by `height` points, from its top-left corner.
fn ring(width: f32, height: f32) -> Vec<InkPoint> {
    (0..=24)
        .map(|step| {
            let angle = std::f32::consts::TAU * step as f32 / 24.0 - std::f32::consts::FRAC_PI_2;
            InkPoint {
                x: width / 2.0 + (width / 2.0 + 3.0) * angle.cos(),
                y: height / 2.0 + (height / 2.0 + 3.0) * angle.sin(),
                pressure: None,
            }
        })
        .collect()
}

/// Writes the demo's marks on the latest published version of the submission, once: a
/// council that has them (a restart) is left as it is, and a mark the council can no longer
/// take (someone reshaped the demo) is skipped with a warning, never stopping the server.
pub async fn seed(state: &ServerState, council: CouncilId) -> anyhow::Result<()> {
    let storage = &state.storage;
    let first = AnnotationId(Uuid::from_u128(marks()[0].id));
    match storage.annotation(first).await {
        Ok(_) => return Ok(()),
        Err(StorageError::NotFound) => {}
        Err(e) => return Err(e.into()),
    }
    let members = crate::demo::council_members(state, council).await?;
    let mut submission = None;
    for meeting in storage.meetings(council).await? {
        for paper in storage.papers(meeting.id).await? {
            if paper.file.file_name == SUBMISSION_FILE {
                submission = Some(paper);
            }
        }
    }
    let Some(paper) = submission else {
        tracing::warn!("the demo has no submission to mark; no demo marks written");
        return Ok(());
    };
    let Some(version) = storage.latest_packet(paper.meeting_id).await? else {
        return Ok(());
    };
    let bytes = crate::demo_packet::demo_file(SUBMISSION_FILE)
        .context("the demo submission was not compiled in")?
        .to_vec();
    let checker = state.papers.clone();
    let pages = tokio::task::spawn_blocking(move || checker.page_texts(bytes))
        .await
        .context("reading the demo submission's text")??;
    let text = PaperText::new(&pages);
    let whole: Vec<char> = pages.join("\n").chars().collect();
    for mark in marks() {
        let (Some(author), Some(start)) = (
            members.iter().find(|m| m.username == mark.author),
            find(&whole, mark.quote),
        ) else {
            tracing::warn!(
                author = mark.author,
                quote = mark.quote,
                "a demo mark names a member or words the demo no longer has; not written"
            );
            continue;
        };
        let on_words = text.anchor(start, start + mark.quote.chars().count());
        let anchor = match mark.beside {
            None => Anchor::Text(on_words),
            Some((dx, dy)) => Anchor::Mark(MarkAnchor {
                text: on_words,
                offset: MarkOffset { dx, dy },
            }),
        };
        let caller = Caller {
            member: author.clone(),
            token_hash: String::new(),
        };
        let write = AnnotationWrite {
            base_revision: 0,
            paper_id: paper.id,
            made_on: MadeOn {
                packet_version: Some(version.number),
                hash: paper.file.hash.clone(),
            },
            anchor,
            kind: mark.kind,
            colour: mark.colour.into(),
            thickness: 2.0,
            body: mark.body.into(),
            sharing: mark.sharing,
        };
        write_annotation(
            state,
            &caller,
            AnnotationId(Uuid::from_u128(mark.id)),
            write,
        )
        .await
        .map_err(|e| anyhow::anyhow!("writing the demo mark {:x}: {e:?}", mark.id))?;
    }
    Ok(())
}

/// The character offset of the first occurrence of `quote` in `text`.
fn find(text: &[char], quote: &str) -> Option<usize> {
    let quote: Vec<char> = quote.chars().collect();
    text.windows(quote.len()).position(|window| window == quote)
}
