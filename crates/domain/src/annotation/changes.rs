//! What changed inside a paper between two versions: the passages inserted, deleted and
//! changed, found by aligning the two versions' words.
//!
//! Words are runs of characters between whitespace, so line breaks, page breaks and a
//! reflowed layout change nothing; punctuation stays with its word, so "đồng." and "đồng,"
//! differ (a changed full stop is a change a delegate may care about in a resolution).
//! The alignment is Myers' shortest edit script over the words that differ once the common
//! beginning and end are set aside.

use super::anchor::TextPosition;
use super::paper_text::{PageRange, PaperText};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

/// Two passages with no more than this many unchanged words between them are shown as one:
/// a rewritten sentence keeps a few of its small words ("của", "và"), and marking each
/// fragment separately would make the change harder to read, not easier.
pub const MERGE_GAP_WORDS: usize = 2;

/// Beyond this many words inserted and deleted, the versions are not aligned further and
/// what remains between their common beginning and end is one changed passage: the cost of
/// the alignment grows with the square of this number (16 MB of trace at this cap), and a
/// paper rewritten that much is better read anew than as a list of changes.
pub const MAX_EDIT_WORDS: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Only in the new version.
    Inserted,
    /// Only in the old version; marked in the new one where it used to be.
    Deleted,
    /// Replaced by other words.
    Changed,
}

/// One passage that differs between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub struct Change {
    pub kind: ChangeKind,
    /// Whole-text offsets in the old version (empty for an insertion, where it goes).
    pub old: TextPosition,
    /// Whole-text offsets in the new version (empty for a deletion, where it was).
    pub new: TextPosition,
    /// Where to mark it on the new version's pages: one piece per page it touches.
    pub new_pages: Vec<PageRange>,
}

/// The passages that differ between `old` and `new`, in the new version's order.
pub fn changes(old: &PaperText, new: &PaperText) -> Vec<Change> {
    let old_words = words(old);
    let new_words = words(new);
    // Words compared as numbers: equal words, equal numbers.
    let mut ids: HashMap<&[char], u32> = HashMap::new();
    let a: Vec<u32> = old_words
        .iter()
        .map(|&(start, end)| intern(&mut ids, &old.chars()[start..end]))
        .collect();
    let b: Vec<u32> = new_words
        .iter()
        .map(|&(start, end)| intern(&mut ids, &new.chars()[start..end]))
        .collect();

    let hunks = merge(edit_hunks(&a, &b));
    hunks
        .into_iter()
        .map(|hunk| {
            let old_range = span(&old_words, hunk.old.clone(), old.len());
            let new_range = span(&new_words, hunk.new.clone(), new.len());
            let kind = match (hunk.old.is_empty(), hunk.new.is_empty()) {
                (true, _) => ChangeKind::Inserted,
                (_, true) => ChangeKind::Deleted,
                _ => ChangeKind::Changed,
            };
            Change {
                kind,
                old: old_range,
                new: new_range,
                new_pages: new.page_ranges(new_range.start, new_range.end),
            }
        })
        .collect()
}

fn intern<'a>(ids: &mut HashMap<&'a [char], u32>, word: &'a [char]) -> u32 {
    let next = ids.len() as u32;
    *ids.entry(word).or_insert(next)
}

/// The whole-text ranges of a version's words.
fn words(text: &PaperText) -> Vec<(usize, usize)> {
    let mut words = Vec::new();
    let mut start = None;
    for (offset, c) in text.chars().iter().enumerate() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(offset),
            (true, Some(from)) => {
                words.push((from, offset));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        words.push((from, text.len()));
    }
    words
}

/// The characters covered by words `range`; an empty range stands where the word after it
/// starts (or at the end of the text).
fn span(words: &[(usize, usize)], range: std::ops::Range<usize>, len: usize) -> TextPosition {
    if range.is_empty() {
        let at = words.get(range.start).map_or(len, |word| word.0);
        TextPosition { start: at, end: at }
    } else {
        TextPosition {
            start: words[range.start].0,
            end: words[range.end - 1].1,
        }
    }
}

/// Words `old` of the old version became words `new` of the new one.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Hunk {
    old: std::ops::Range<usize>,
    new: std::ops::Range<usize>,
}

fn merge(hunks: Vec<Hunk>) -> Vec<Hunk> {
    let mut merged: Vec<Hunk> = Vec::with_capacity(hunks.len());
    for hunk in hunks {
        match merged.last_mut() {
            Some(last)
                if hunk.old.start - last.old.end <= MERGE_GAP_WORDS
                    && hunk.new.start - last.new.end <= MERGE_GAP_WORDS =>
            {
                last.old.end = hunk.old.end;
                last.new.end = hunk.new.end;
            }
            _ => merged.push(hunk),
        }
    }
    merged
}

/// The differing stretches between `a` and `b`, in order.
fn edit_hunks(a: &[u32], b: &[u32]) -> Vec<Hunk> {
    let common_start = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let common_end = a[common_start..]
        .iter()
        .rev()
        .zip(b[common_start..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let middle_a = &a[common_start..a.len() - common_end];
    let middle_b = &b[common_start..b.len() - common_end];
    if middle_a.is_empty() && middle_b.is_empty() {
        return Vec::new();
    }
    let Some(matched) = shortest_edit(middle_a, middle_b, MAX_EDIT_WORDS) else {
        return vec![Hunk {
            old: common_start..a.len() - common_end,
            new: common_start..b.len() - common_end,
        }];
    };
    // Walk the matched pairs; whatever lies between two of them differs.
    let mut hunks = Vec::new();
    let (mut i, mut j) = (0, 0);
    for (x, y) in matched
        .into_iter()
        .chain(std::iter::once((middle_a.len(), middle_b.len())))
    {
        if x > i || y > j {
            hunks.push(Hunk {
                old: common_start + i..common_start + x,
                new: common_start + j..common_start + y,
            });
        }
        (i, j) = (x + 1, y + 1);
    }
    hunks
}

/// Myers' greedy shortest edit script: the pairs of equal positions `(i, j)` it keeps, in
/// order, or `None` when more than `max_edits` insertions and deletions are needed.
fn shortest_edit(a: &[u32], b: &[u32], max_edits: usize) -> Option<Vec<(usize, usize)>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let limit = (n + m).min(max_edits as isize);
    let offset = limit + 1;
    // v[k + offset]: the furthest x reached on diagonal k = x - y.
    let mut v = vec![0isize; 2 * offset as usize + 1];
    // trace[d]: v on diagonals -(d+1)..=d+1 before step d.
    // (as u32: the trace is the memory that grows with the square of the edits).
    let mut trace: Vec<Vec<u32>> = Vec::new();
    let mut found = None;
    'search: for d in 0..=limit {
        let window = (offset - d - 1) as usize..=(offset + d + 1) as usize;
        trace.push(v[window].iter().map(|&x| x as u32).collect());
        for k in (-d..=d).step_by(2) {
            let at = |k: isize| (k + offset) as usize;
            let mut x = if k == -d || (k != d && v[at(k - 1)] < v[at(k + 1)]) {
                v[at(k + 1)]
            } else {
                v[at(k - 1)] + 1
            };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[at(k)] = x;
            if x >= n && y >= m {
                found = Some(d);
                break 'search;
            }
        }
    }
    let edits = found?;

    let mut pairs = Vec::new();
    let (mut x, mut y) = (n, m);
    for d in (0..=edits).rev() {
        let before = &trace[d as usize];
        let value = |k: isize| before[(k + d + 1) as usize] as isize;
        let k = x - y;
        let previous_k = if k == -d || (k != d && value(k - 1) < value(k + 1)) {
            k + 1
        } else {
            k - 1
        };
        let previous_x = value(previous_k);
        let previous_y = previous_x - previous_k;
        // The run of equal words that ended step d, back to the edit that began it.
        while x > previous_x && y > previous_y {
            x -= 1;
            y -= 1;
            pairs.push((x as usize, y as usize));
        }
        (x, y) = (previous_x, previous_y);
    }
    pairs.reverse();
    Some(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::fixtures::{DRAFT, amended, find, layout, read};

    fn version(paragraphs: &[&str]) -> PaperText {
        layout(paragraphs, 70, 6)
    }

    fn old_text(old: &PaperText, change: &Change) -> String {
        read(old, change.old.start, change.old.end)
    }

    fn new_text(new: &PaperText, change: &Change) -> String {
        read(new, change.new.start, change.new.end)
    }

    #[test]
    fn identical_versions_have_no_changes() {
        assert_eq!(changes(&version(DRAFT), &version(DRAFT)), vec![]);
    }

    #[test]
    fn a_reflowed_version_has_no_changes() {
        assert_eq!(
            changes(&version(DRAFT), &layout(DRAFT, 55, 4)),
            vec![],
            "other line and page breaks are not a change a delegate needs to read"
        );
    }

    #[test]
    fn an_inserted_paragraph_is_one_insertion_marked_on_its_page() {
        const GROUND: &str = "Căn cứ Nghị định số 163/2016/NĐ-CP ngày 21 tháng 12 năm 2016 của Chính phủ quy định chi tiết thi hành một số điều của Luật Ngân sách nhà nước;";
        let old = version(DRAFT);
        let new = version(&amended(|paragraphs| paragraphs.insert(4, GROUND)));
        let found = changes(&old, &new);
        assert_eq!(found.len(), 1, "{found:?}");
        let change = &found[0];
        assert_eq!(change.kind, ChangeKind::Inserted);
        assert_eq!(new_text(&new, change), GROUND);
        assert_eq!(change.old.start, change.old.end, "nothing of it in the old");
        assert_eq!(
            change.old.start,
            find(&old, "Xét Tờ trình", 0).0,
            "it goes before the paragraph it now precedes"
        );
        let pieces: Vec<String> = change
            .new_pages
            .iter()
            .map(|piece| {
                let start = new
                    .offset(crate::annotation::PagePoint {
                        page: piece.page,
                        offset: piece.start,
                    })
                    .unwrap();
                read(&new, start, start + piece.end - piece.start)
            })
            .collect();
        assert_eq!(
            pieces.join(" "),
            GROUND,
            "the page pieces mark exactly the inserted words"
        );
    }

    #[test]
    fn a_changed_number_in_a_table_row_is_one_change_of_that_number() {
        let old = version(DRAFT);
        let new = version(&amended(|paragraphs| {
            paragraphs[11] = "3 Quận 5 3.597 53.137 640 57.306";
        }));
        let found = changes(&old, &new);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].kind, ChangeKind::Changed);
        assert_eq!(old_text(&old, &found[0]), "572");
        assert_eq!(new_text(&new, &found[0]), "640");
        assert_eq!(found[0].new_pages.len(), 1);
        assert_eq!(found[0].new_pages[0].end - found[0].new_pages[0].start, 3);
    }

    #[test]
    fn a_deleted_sentence_is_one_deletion_marked_where_it_was() {
        let old = version(DRAFT);
        let new = version(&amended(|paragraphs| {
            paragraphs[14] = "1. Giao Ủy ban nhân dân thành phố tổ chức thực hiện Nghị quyết này. Báo cáo Hội đồng nhân dân thành phố kết quả thực hiện tại kỳ họp cuối năm.";
        }));
        let found = changes(&old, &new);
        assert_eq!(found.len(), 1, "{found:?}");
        let change = &found[0];
        assert_eq!(change.kind, ChangeKind::Deleted);
        assert_eq!(
            old_text(&old, change),
            "Điều hành ngân sách chủ động, tiết kiệm, hiệu quả."
        );
        assert_eq!(change.new.start, change.new.end);
        assert_eq!(
            change.new.start,
            find(&new, "Báo cáo Hội đồng", 0).0,
            "marked before the sentence that now follows"
        );
    }

    #[test]
    fn a_rewritten_clause_keeping_a_small_word_is_one_change_not_fragments() {
        let old = version(DRAFT);
        let new = version(&amended(|paragraphs| {
            paragraphs[17] = "Nghị quyết này đã được Hội đồng nhân dân thành phố khóa X, kỳ họp thứ 12 thông qua ngày 10 tháng 12 năm 2026 và có hiệu lực từ ngày 01 tháng 01 năm 2027.";
        }));
        let found = changes(&old, &new);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(old_text(&old, &found[0]), "kể từ ngày ký.");
        assert_eq!(new_text(&new, &found[0]), "từ ngày 01 tháng 01 năm 2027.");
    }

    #[test]
    fn several_changes_come_in_the_new_version_order() {
        let old = version(DRAFT);
        let new = version(&amended(|paragraphs| {
            paragraphs[5] = "Điều 1. Phê chuẩn dự toán thu ngân sách nhà nước trên địa bàn năm 2027 là 12.980 tỷ đồng, trong đó thu nội địa 11.400 tỷ đồng, thu từ hoạt động xuất nhập khẩu 1.580 tỷ đồng.";
            paragraphs.remove(16);
            paragraphs.remove(16);
        }));
        let found = changes(&old, &new);
        let kinds: Vec<_> = found.iter().map(|change| change.kind).collect();
        assert_eq!(
            kinds,
            vec![
                ChangeKind::Changed,
                ChangeKind::Changed,
                ChangeKind::Deleted
            ]
        );
        assert!(
            found
                .windows(2)
                .all(|pair| pair[0].new.end <= pair[1].new.start)
        );
        assert_eq!(new_text(&new, &found[1]), "11.400");
    }

    /// Sequences from a fixed linear congruential generator over a small alphabet, so
    /// that equal words are common.
    fn sequence(seed: &mut u64, len: usize) -> Vec<u32> {
        (0..len)
            .map(|_| {
                *seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((*seed >> 33) % 5) as u32
            })
            .collect()
    }

    fn longest_common_subsequence(a: &[u32], b: &[u32]) -> usize {
        let mut table = vec![vec![0; b.len() + 1]; a.len() + 1];
        for i in 0..a.len() {
            for j in 0..b.len() {
                table[i + 1][j + 1] = if a[i] == b[j] {
                    table[i][j] + 1
                } else {
                    table[i][j + 1].max(table[i + 1][j])
                };
            }
        }
        table[a.len()][b.len()]
    }

    #[test]
    fn the_alignment_keeps_a_longest_common_subsequence_of_words() {
        let mut seed = 14;
        for round in 0..300 {
            let a = sequence(&mut seed, round % 23);
            let b = sequence(&mut seed, (round * 7) % 19);
            let pairs = shortest_edit(&a, &b, usize::MAX / 4).unwrap();
            assert!(
                pairs.iter().all(|&(i, j)| a[i] == b[j]),
                "only equal words are paired"
            );
            assert!(
                pairs.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 < w[1].1),
                "pairs keep both orders"
            );
            assert_eq!(
                pairs.len(),
                longest_common_subsequence(&a, &b),
                "the shortest edit keeps as many words as possible: {a:?} {b:?}"
            );
        }
    }

    #[test]
    fn versions_too_different_to_align_are_one_changed_passage() {
        let old = PaperText::new(&[(0..4000).map(|n| format!("a{n} ")).collect::<String>()]);
        let new = PaperText::new(&[(0..4000).map(|n| format!("b{n} ")).collect::<String>()]);
        let found = changes(&old, &new);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, ChangeKind::Changed);
        assert_eq!(found[0].old.start, 0);
        assert_eq!(found[0].new.end, new.len() - 1);
    }
}
