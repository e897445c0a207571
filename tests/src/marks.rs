//! A member's marks on a paper in bulk, made the way the app makes them, for the annotation
//! benchmarks: text marks anchored by a quote of the paper's own text with its context,
//! other marks by the word nearest the point they were put at (the offset from that word's
//! first character, as `ecabinet_app::annotations` does), ink strokes of about fifty points.
//! The writes are what a device's outbox sends (`PUT /api/v1/annotations/{id}`).

use ecabinet_domain::annotation::{
    Anchor, MarkAnchor, MarkOffset, PagePoint, PaperText, TextAnchor,
};
use ecabinet_domain::{
    AnnotationId, AnnotationKind, BlobHash, InkPoint, MadeOn, PacketVersion, PaperId, Sharing,
};
use ecabinet_pdf::{PageSize, PdfEngine, TextLayout};
use ecabinet_protocol::{AnnotationWrite, SyncRecord};
use ecabinet_sync::CouncilClient;
use futures_util::StreamExt;
use rand::Rng;
use rand::rngs::StdRng;

const COLOURS: &[&str] = &["#ffd54f", "#81c784", "#64b5f6", "#e57373", "#ba68c8"];
const NOTES: &[&str] = &[
    "Đề nghị làm rõ nguồn tăng thu",
    "Số liệu này khác với báo cáo quý III",
    "Hỏi lại Sở Tài chính về tiến độ giải ngân",
    "Cần bổ sung căn cứ pháp lý",
    "Thống nhất với phương án của tổ đại biểu",
    "Chất vấn tại phiên thảo luận ở hội trường",
];
/// Points of an ink stroke: a line written or circled with a pen.
pub const STROKE_POINTS: usize = 50;

/// A paper a member may read, with its text and layout as the app sees them.
pub struct MarkablePaper {
    pub paper_id: PaperId,
    pub made_on: MadeOn,
    text: PaperText,
    pages: Vec<(PageSize, TextLayout)>,
}

/// The papers of the latest published version of any meeting that `member` (in `role`) may
/// read, with their file's hash and version: `(paper, made_on)`.
pub fn readable_papers(
    records: &[SyncRecord],
    member: &ecabinet_domain::Member,
) -> Vec<(PaperId, MadeOn, u32)> {
    let mut latest: Vec<&PacketVersion> = Vec::new();
    for record in records {
        if let SyncRecord::PacketVersion(v) = record {
            latest.retain(|l| l.meeting_id != v.meeting_id || l.number > v.number);
            if !latest.iter().any(|l| l.meeting_id == v.meeting_id) {
                latest.push(v);
            }
        }
    }
    latest
        .iter()
        .flat_map(|v| {
            v.entries.iter().filter_map(move |e| {
                let file = e.file.as_ref()?;
                e.visibility.may_read(member.id, member.role).then(|| {
                    (
                        e.paper_id,
                        MadeOn {
                            packet_version: Some(v.number),
                            hash: file.hash.clone(),
                        },
                        file.pages,
                    )
                })
            })
        })
        .collect()
}

/// Every record of the council's change log as `token`'s member receives it.
pub async fn records(client: &CouncilClient, token: &str) -> anyhow::Result<Vec<SyncRecord>> {
    let mut records = Vec::new();
    let mut after = 0;
    loop {
        let page = client.changes(token, after).await?;
        records.extend(page.changes.into_iter().map(|c| c.record));
        after = page.next_cursor;
        if !page.has_more {
            return Ok(records);
        }
    }
}

/// Sends every write as a device's outbox does (`PUT /api/v1/annotations/{id}`), `in_flight`
/// at a time.
pub async fn put_all(
    client: &CouncilClient,
    token: &str,
    writes: &[(AnnotationId, AnnotationWrite)],
    in_flight: usize,
) -> anyhow::Result<()> {
    let mut answers = futures_util::stream::iter(writes)
        .map(|(id, write)| client.put_annotation(token, *id, write))
        .buffer_unordered(in_flight);
    while let Some(answer) = answers.next().await {
        answer?;
    }
    Ok(())
}

/// Downloads a blob the member may read.
pub async fn download(server_url: &str, token: &str, hash: &BlobHash) -> anyhow::Result<Vec<u8>> {
    Ok(reqwest::Client::new()
        .get(format!("{server_url}/api/v1/blobs/{hash}"))
        .bearer_auth(token)
        .send()
        .await?
        .error_for_status()?
        .bytes()
        .await?
        .to_vec())
}

impl MarkablePaper {
    /// Reads the paper's text and layout with PDFium, as the app does.
    pub fn open(paper_id: PaperId, made_on: MadeOn, pdf: Vec<u8>) -> anyhow::Result<Self> {
        let engine = PdfEngine::bind()?;
        let document = engine.open_bytes(pdf, None)?;
        let mut pages = Vec::new();
        for page in 0..document.page_count() {
            pages.push((document.page_size(page)?, document.page_text_layout(page)?));
        }
        let text = PaperText::new(
            &pages
                .iter()
                .map(|(_, layout)| layout.text.as_str())
                .collect::<Vec<_>>(),
        );
        Ok(MarkablePaper {
            paper_id,
            made_on,
            text,
            pages,
        })
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// The `n`th mark of a member's usual mix on `page` (about a third highlights, a fifth
    /// ink, then underlines, notes, shapes and the rest), placed by `dice`.
    pub fn write(&self, page: usize, n: usize, dice: &mut StdRng) -> AnnotationWrite {
        let has_text = self.pages[page].1.text.chars().any(char::is_alphanumeric);
        let share = n % 10 == 3;
        let (anchor, kind, body) = match n % 20 {
            0..=6 if has_text => (self.quote(page, dice), AnnotationKind::Highlight, {
                if n.is_multiple_of(5) {
                    NOTES[n % NOTES.len()]
                } else {
                    ""
                }
            }),
            7 | 8 if has_text => (self.quote(page, dice), AnnotationKind::Underline, ""),
            9 if has_text => (self.quote(page, dice), AnnotationKind::StrikeOut, ""),
            10 if has_text => (self.quote(page, dice), AnnotationKind::Squiggly, ""),
            14 | 15 => (
                self.point(page, dice),
                AnnotationKind::Note,
                NOTES[n % NOTES.len()],
            ),
            16 => (
                self.point(page, dice),
                AnnotationKind::FreeText {
                    width: 140.0,
                    height: 36.0,
                },
                NOTES[(n + 1) % NOTES.len()],
            ),
            17 => (
                self.point(page, dice),
                AnnotationKind::Rectangle {
                    width: dice.random_range(40.0..200.0),
                    height: dice.random_range(14.0..80.0),
                },
                "",
            ),
            18 => (
                self.point(page, dice),
                AnnotationKind::Ellipse {
                    width: dice.random_range(30.0..120.0),
                    height: dice.random_range(14.0..50.0),
                },
                "",
            ),
            19 => (
                self.point(page, dice),
                if n % 40 == 19 {
                    AnnotationKind::Arrow {
                        dx: dice.random_range(-80.0..80.0),
                        dy: dice.random_range(-60.0..60.0),
                    }
                } else {
                    AnnotationKind::Line {
                        dx: dice.random_range(40.0..160.0),
                        dy: 0.0,
                    }
                },
                "",
            ),
            // 11 to 13, and text marks on a page without text (a scan).
            _ => (self.point(page, dice), ink(dice), ""),
        };
        AnnotationWrite {
            base_revision: 0,
            paper_id: self.paper_id,
            made_on: self.made_on.clone(),
            anchor,
            kind,
            colour: COLOURS[n % COLOURS.len()].to_owned(),
            thickness: [1.0, 1.5, 2.0, 3.0][n % 4],
            body: body.to_owned(),
            sharing: if share {
                Sharing::Meeting
            } else {
                Sharing::Private
            },
        }
    }

    /// A few words to a line and a half of the page's text, from a word's start.
    fn quote(&self, page: usize, dice: &mut StdRng) -> Anchor {
        let chars: Vec<char> = self.pages[page].1.text.chars().collect();
        let starts: Vec<usize> = (0..chars.len())
            .filter(|&i| chars[i].is_alphanumeric() && (i == 0 || chars[i - 1].is_whitespace()))
            .collect();
        let start = starts[dice.random_range(0..starts.len())];
        let mut end = (start + dice.random_range(12..110)).min(chars.len());
        while end > start + 1 && chars[end - 1].is_whitespace() {
            end -= 1;
        }
        let at = |offset| {
            self.text
                .offset(PagePoint { page, offset })
                .expect("an offset inside the page")
        };
        Anchor::Text(self.text.anchor(at(start), at(end)))
    }

    /// A point on the page anchored by its nearest word, as the app anchors a drawn mark.
    fn point(&self, page: usize, dice: &mut StdRng) -> Anchor {
        let (size, layout) = &self.pages[page];
        let (x, y) = (
            dice.random_range(0.08..0.8) * size.width,
            dice.random_range(0.06..0.85) * size.height,
        );
        let page_start = self.text.offset(PagePoint { page, offset: 0 }).unwrap_or(0);
        match layout.word_nearest(x / size.width, y / size.height, size.height / size.width) {
            Some(word) => {
                let first = layout.boxes[word.start];
                let at = |offset| {
                    self.text
                        .offset(PagePoint { page, offset })
                        .expect("a word inside the page")
                };
                Anchor::Mark(MarkAnchor {
                    text: self.text.anchor(at(word.start), at(word.end)),
                    offset: MarkOffset {
                        dx: x - first.left * size.width,
                        dy: y - first.top * size.height,
                    },
                })
            }
            None => Anchor::Mark(MarkAnchor {
                text: TextAnchor::page_only(page, page_start),
                offset: MarkOffset { dx: x, dy: y },
            }),
        }
    }
}

/// One stroke of [`STROKE_POINTS`] points from the mark's origin: a wavy line under a passage.
fn ink(dice: &mut StdRng) -> AnnotationKind {
    let length = dice.random_range(60.0..220.0f32);
    let wave = dice.random_range(2.0..8.0f32);
    let pen = dice.random_bool(0.3);
    let stroke = (0..STROKE_POINTS)
        .map(|i| {
            let t = i as f32 / (STROKE_POINTS - 1) as f32;
            InkPoint {
                x: t * length,
                y: (t * 12.0).sin() * wave + dice.random_range(-0.4..0.4),
                pressure: pen
                    .then(|| ((0.4 + 0.4 * (t * 3.0).sin().abs()) * 100.0).round() / 100.0),
            }
        })
        .collect();
    AnnotationKind::Ink {
        strokes: vec![stroke],
    }
}

/// A device-made id, from the bench's own dice.
pub fn new_id(dice: &mut StdRng) -> AnnotationId {
    AnnotationId(uuid::Builder::from_random_bytes(dice.random()).into_uuid())
}
