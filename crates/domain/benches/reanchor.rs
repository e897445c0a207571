//! Re-anchoring 1,000 annotations onto a new 100-page version (issue 14: under 1 s).
//!
//! `cargo bench -p ecabinet-domain --bench reanchor`. Builds a draft resolution of 100 pages
//! from administrative sentences, marks 1,000 passages spread over it, amends it (inserted
//! paragraphs, deleted sentences, changed figures, a moved section, a different layout) and
//! prints the time to re-anchor every mark and how many were placed or need review. It
//! asserts nothing: it is a measurement.

use ecabinet_domain::annotation::{Amendment, PaperText, Reanchoring, reanchor};
use std::time::Instant;

const PAGES: usize = 100;
const ANCHORS: usize = 1000;

const TOPICS: &[&str] = &[
    "chỉnh trang đô thị và hạ tầng giao thông",
    "phát triển mạng lưới trường học công lập",
    "quản lý chất thải rắn sinh hoạt",
    "nâng cấp bệnh viện đa khoa khu vực",
    "chuyển đổi số trong cơ quan nhà nước",
    "hỗ trợ hộ nghèo và hộ cận nghèo",
    "cải tạo hệ thống thoát nước và chống ngập",
    "xây dựng nhà ở xã hội cho công nhân",
];
const LEVELS: &[&str] = &["thành phố", "quận", "phường", "huyện"];

/// A fixed linear congruential generator: the same paper every run.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

fn sentence(dice: &mut Dice) -> String {
    let topic = dice.pick(TOPICS);
    let level = dice.pick(LEVELS);
    match dice.below(7) {
        0 => format!(
            "Tổng kinh phí dự kiến cho {topic} là {}.{:03} tỷ đồng, được bố trí từ nguồn ngân sách {level}.",
            1 + dice.below(9),
            dice.below(1000)
        ),
        1 => format!(
            "Giao Ủy ban nhân dân {level} chủ trì, phối hợp với các sở, ngành tổ chức thực hiện {topic}."
        ),
        2 => format!(
            "Thời gian thực hiện {topic} từ ngày {:02} tháng {:02} năm 2027 đến hết ngày 31 tháng 12 năm 2028.",
            1 + dice.below(28),
            1 + dice.below(12)
        ),
        3 => format!(
            "Ban Kinh tế - Ngân sách đã thẩm tra và cơ bản thống nhất với nội dung tờ trình về {topic}."
        ),
        4 => format!(
            "Tuy nhiên, việc triển khai {topic} trên địa bàn {level} vẫn còn một số khó khăn, vướng mắc cần được tháo gỡ kịp thời."
        ),
        5 => format!(
            "Đề nghị các sở, ngành và Ủy ban nhân dân {level} phối hợp chặt chẽ trong quá trình tổ chức thực hiện {topic}."
        ),
        _ => format!(
            "Chỉ tiêu {topic} năm 2027 đạt {}%, tăng {},{} điểm phần trăm so với năm 2026.",
            60 + dice.below(40),
            dice.below(10),
            dice.below(10)
        ),
    }
}

fn paragraph(dice: &mut Dice) -> String {
    if dice.below(6) == 0 {
        // A table row.
        return format!(
            "{} {} {} {}.{:03} {}.{:03} {} {}.{:03}",
            1 + dice.below(30),
            if dice.below(2) == 0 {
                "Quận"
            } else {
                "Phường"
            },
            1 + dice.below(24),
            dice.below(90),
            dice.below(1000),
            dice.below(90),
            dice.below(1000),
            dice.below(1000),
            dice.below(180),
            dice.below(1000)
        );
    }
    (0..2 + dice.below(4))
        .map(|_| sentence(dice))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Lines of at most `width` characters, `lines_per_page` lines a page, as PDFium's page text.
fn layout(paragraphs: &[String], width: usize, lines_per_page: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in paragraphs {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines
        .chunks(lines_per_page)
        .map(|page| page.join("\r\n"))
        .collect()
}

fn main() {
    let mut dice = Dice(2027);
    let mut paragraphs = Vec::new();
    while layout(&paragraphs, 90, 40).len() < PAGES {
        for _ in 0..20 {
            paragraphs.push(paragraph(&mut dice));
        }
    }
    let old = PaperText::new(&layout(&paragraphs, 90, 40));

    // Marks spread over the whole paper: single words, phrases, sentences, a few lines.
    let chars: Vec<char> = old.slice(0, old.len()).chars().collect();
    let anchors: Vec<_> = (0..ANCHORS)
        .map(|n| {
            let mut start = n * old.len() / ANCHORS;
            while start < chars.len() && !chars[start].is_whitespace() {
                start += 1;
            }
            start = (start + 1).min(chars.len());
            let wanted = [3, 12, 40, 90, 200][n % 5];
            let mut end = (start + wanted).min(chars.len());
            while end < chars.len() && !chars[end].is_whitespace() {
                end += 1;
            }
            old.anchor(start, end)
        })
        .collect();

    // The amendment: new paragraphs, dropped sentences, changed figures, a section moved to
    // the end, and a new layout.
    let mut amended = paragraphs.clone();
    for _ in 0..20 {
        let at = dice.below(amended.len());
        amended.insert(at, paragraph(&mut dice));
    }
    for _ in 0..20 {
        let at = dice.below(amended.len());
        let sentences: Vec<&str> = amended[at].split_inclusive(". ").collect();
        if sentences.len() > 1 {
            let drop = dice.below(sentences.len());
            amended[at] = sentences
                .iter()
                .enumerate()
                .filter(|&(n, _)| n != drop)
                .map(|(_, s)| *s)
                .collect();
        }
    }
    for _ in 0..30 {
        let at = dice.below(amended.len());
        if let Some(digit) = amended[at].find(|c: char| c.is_ascii_digit()) {
            amended[at].replace_range(digit..digit + 1, &(dice.below(10)).to_string());
        }
    }
    let section_start = dice.below(amended.len() - 10);
    let section: Vec<String> = amended.drain(section_start..section_start + 10).collect();
    amended.extend(section);
    let new = PaperText::new(&layout(&amended, 84, 38));

    println!(
        "old version: {} pages, {} characters; new version: {} pages, {} characters",
        old.page_count(),
        old.len(),
        new.page_count(),
        new.len()
    );

    // From the anchors alone (the old version's text unknown).
    let started = Instant::now();
    let alone: Vec<Reanchoring> = anchors
        .iter()
        .map(|anchor| reanchor(anchor, &new))
        .collect();
    report(
        "from the anchors alone",
        started.elapsed().as_secs_f64(),
        &alone,
        &anchors,
        &new,
    );

    // With both versions at hand, as when a paper is replaced: the word alignment first
    // (its time included), then every anchor.
    let started = Instant::now();
    let amendment = Amendment::between(&old, &new);
    let aligned = started.elapsed().as_secs_f64();
    let outcomes: Vec<Reanchoring> = anchors
        .iter()
        .map(|anchor| amendment.reanchor(anchor))
        .collect();
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "aligning the two versions' words: {:.1} ms",
        aligned * 1000.0
    );
    report(
        "with the amendment's alignment",
        elapsed,
        &outcomes,
        &anchors,
        &new,
    );

    // Neither way knows the truth, but where both place a mark they must agree.
    let (mut both, mut agree) = (0, 0);
    for (one, other) in alone.iter().zip(&outcomes) {
        if let (
            Reanchoring::Placed {
                start: a, end: b, ..
            },
            Reanchoring::Placed {
                start: c, end: d, ..
            },
        ) = (one, other)
        {
            both += 1;
            agree += usize::from((a, b) == (c, d));
        }
    }
    println!("placed both ways: {both}, at the same place: {agree}");

    let started = Instant::now();
    let found = amendment.changes();
    println!(
        "changes inside the paper: {} passages listed in {:.1} ms (after the alignment)",
        found.len(),
        started.elapsed().as_secs_f64() * 1000.0
    );
}

fn report(
    how: &str,
    seconds: f64,
    outcomes: &[Reanchoring],
    anchors: &[ecabinet_domain::annotation::TextAnchor],
    new: &PaperText,
) {
    let placed = outcomes
        .iter()
        .filter(|outcome| matches!(outcome, Reanchoring::Placed { .. }))
        .count();
    let reads_the_same = outcomes
        .iter()
        .zip(anchors)
        .filter(|(outcome, anchor)| match outcome {
            Reanchoring::Placed { start, end, .. } => {
                let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
                words(&new.slice(*start, *end)) == words(&anchor.quote.exact)
            }
            Reanchoring::NeedsReview { .. } => false,
        })
        .count();
    println!(
        "{how}: re-anchored {} annotations in {:.1} ms (goal: under 1000 ms); placed {placed} ({reads_the_same} on the same words as before), needs review {}",
        outcomes.len(),
        seconds * 1000.0,
        outcomes.len() - placed
    );
}
