//! What changed inside a paper between two versions: the passages inserted, deleted and
//! changed, found by aligning the two versions' words.
//!
//! Words are runs of characters between whitespace, so line breaks, page breaks and a
//! reflowed layout change nothing; punctuation stays with its word, so "đồng." and "đồng,"
//! differ (a changed full stop is a change a delegate may care about in a resolution).
//! The alignment pins the versions together at the words that occur once in each and keep
//! their order (patience), and aligns what lies between pins by Myers' shortest edit script.

use super::anchor::TextPosition;
use super::paper_text::{PageRange, PaperText};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

/// Two passages with no more than this many unchanged words between them are shown as one:
/// a rewritten sentence keeps a few of its small words ("của", "và"), and marking each
/// fragment separately would make the change harder to read, not easier.
pub const MERGE_GAP_WORDS: usize = 2;

/// Beyond this many words inserted and deleted between two pins (see `align`), that stretch
/// is not aligned further and is one changed passage: the cost of
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
    Amendment::between(old, new).changes()
}

/// An old version and the new version that replaces it, aligned word by word: the one
/// alignment behind both the changes shown to a delegate and the re-anchoring of their
/// marks (see [`Amendment::reanchor`]).
#[derive(Debug)]
pub struct Amendment<'a> {
    old: &'a PaperText,
    new: &'a PaperText,
    old_words: Vec<(usize, usize)>,
    new_words: Vec<(usize, usize)>,
    /// The equal words kept from old to new, in order.
    pairs: Vec<(usize, usize)>,
    /// For each old word, the new word it was kept as.
    kept_as: Vec<Option<usize>>,
}

/// Where a range of the old version went, as the word alignment says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Followed {
    /// Every word kept, in one run: the range in the new version.
    Kept { start: usize, end: usize },
    /// Some words changed or moved: where the range would start, judging by the nearest kept
    /// word.
    Near(usize),
}

impl<'a> Amendment<'a> {
    pub fn between(old: &'a PaperText, new: &'a PaperText) -> Amendment<'a> {
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
        let mut pairs = Vec::new();
        align(&a, &b, (0, 0), &mut pairs);
        let mut kept_as = vec![None; a.len()];
        for &(x, y) in &pairs {
            kept_as[x] = Some(y);
        }
        Amendment {
            old,
            new,
            old_words,
            new_words,
            pairs,
            kept_as,
        }
    }

    pub fn old(&self) -> &'a PaperText {
        self.old
    }

    pub fn new_version(&self) -> &'a PaperText {
        self.new
    }

    /// The passages that differ, in the new version's order.
    pub fn changes(&self) -> Vec<Change> {
        let hunks = merge(hunks(
            &self.pairs,
            self.old_words.len(),
            self.new_words.len(),
        ));
        hunks
            .into_iter()
            .map(|hunk| {
                let old_range = span(&self.old_words, hunk.old.clone(), self.old.len());
                let new_range = span(&self.new_words, hunk.new.clone(), self.new.len());
                let kind = match (hunk.old.is_empty(), hunk.new.is_empty()) {
                    (true, _) => ChangeKind::Inserted,
                    (_, true) => ChangeKind::Deleted,
                    _ => ChangeKind::Changed,
                };
                Change {
                    kind,
                    old: old_range,
                    new: new_range,
                    new_pages: self.new.page_ranges(new_range.start, new_range.end),
                }
            })
            .collect()
    }

    /// Where the old version's `start..end` went, or `None` if it holds no word.
    pub(crate) fn follow(&self, start: usize, end: usize) -> Option<Followed> {
        let first = self.old_words.partition_point(|word| word.1 <= start);
        let last = self.old_words.partition_point(|word| word.0 < end);
        if first >= last {
            return None;
        }
        let new_first = self.kept_as[first];
        let in_one_run = new_first.is_some_and(|new_first| {
            (first..last).all(|old| self.kept_as[old] == Some(new_first + (old - first)))
        });
        if let (true, Some(new_first)) = (in_one_run, new_first) {
            let new_last = new_first + (last - 1 - first);
            // Keep the offsets inside the first and last words (a mark may start or end
            // inside a word); whitespace around the words is not carried over.
            let start = self.new_words[new_first].0 + start.saturating_sub(self.old_words[first].0);
            let end = self.new_words[new_last].1 - self.old_words[last - 1].1.saturating_sub(end);
            return Some(Followed::Kept { start, end });
        }
        // The nearest kept word, inside the range first, then before it, then after it.
        let nearest = (first..last)
            .chain((0..first).rev())
            .chain(last..self.old_words.len())
            .find_map(|old| self.kept_as[old].map(|new| (old, new)))?;
        let (old, new) = nearest;
        let shift = self.new_words[new].0 as isize - self.old_words[old].0 as isize;
        Some(Followed::Near(
            (start as isize + shift).clamp(0, self.new.len() as isize) as usize,
        ))
    }
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

/// The differing stretches between two sequences of `old_len` and `new_len` words, from
/// the pairs of equal words kept.
fn hunks(pairs: &[(usize, usize)], old_len: usize, new_len: usize) -> Vec<Hunk> {
    let mut hunks = Vec::new();
    let (mut i, mut j) = (0, 0);
    for &(x, y) in pairs.iter().chain(std::iter::once(&(old_len, new_len))) {
        if x > i || y > j {
            hunks.push(Hunk {
                old: i..x,
                new: j..y,
            });
        }
        (i, j) = (x + 1, y + 1);
    }
    hunks
}

/// Pairs the equal words of `a` and `b` (offset by `at` in the whole sequences), in order,
/// into `pairs`.
///
/// Patience first: words that occur exactly once on each side (figures, names, dates) and
/// keep their order pin the two versions together, and each stretch between two pins is
/// aligned the same way. Only a stretch with no such word left goes to Myers' shortest edit.
/// A moved section then costs its own words, not an edit script the size of everything in
/// between, and repeated boilerplate pairs with its own copy within the pinned stretch.
fn align(a: &[u32], b: &[u32], at: (usize, usize), pairs: &mut Vec<(usize, usize)>) {
    let common_start = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    pairs.extend((0..common_start).map(|n| (at.0 + n, at.1 + n)));
    let (a, b) = (&a[common_start..], &b[common_start..]);
    let at = (at.0 + common_start, at.1 + common_start);
    let common_end = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (middle_a, middle_b) = (&a[..a.len() - common_end], &b[..b.len() - common_end]);

    if !middle_a.is_empty() && !middle_b.is_empty() {
        let pins = unique_pins(middle_a, middle_b);
        if pins.is_empty() {
            if let Some(matched) = shortest_edit(middle_a, middle_b, MAX_EDIT_WORDS) {
                pairs.extend(matched.into_iter().map(|(x, y)| (at.0 + x, at.1 + y)));
            }
        } else {
            let (mut x0, mut y0) = (0, 0);
            for (x, y) in pins {
                align(
                    &middle_a[x0..x],
                    &middle_b[y0..y],
                    (at.0 + x0, at.1 + y0),
                    pairs,
                );
                pairs.push((at.0 + x, at.1 + y));
                (x0, y0) = (x + 1, y + 1);
            }
            align(
                &middle_a[x0..],
                &middle_b[y0..],
                (at.0 + x0, at.1 + y0),
                pairs,
            );
        }
    }

    let end_at = (at.0 + middle_a.len(), at.1 + middle_b.len());
    pairs.extend((0..common_end).map(|n| (end_at.0 + n, end_at.1 + n)));
}

/// The words found exactly once in `a` and once in `b`, as position pairs, keeping the
/// longest run that is in order on both sides.
fn unique_pins(a: &[u32], b: &[u32]) -> Vec<(usize, usize)> {
    // word -> (count in a, position in a, count in b, position in b)
    let mut seen: HashMap<u32, (u32, usize, u32, usize)> = HashMap::new();
    for (x, &word) in a.iter().enumerate() {
        let entry = seen.entry(word).or_insert((0, x, 0, 0));
        entry.0 += 1;
    }
    for (y, &word) in b.iter().enumerate() {
        if let Some(entry) = seen.get_mut(&word) {
            entry.2 += 1;
            entry.3 = y;
        }
    }
    let mut candidates: Vec<(usize, usize)> = seen
        .into_values()
        .filter(|&(in_a, _, in_b, _)| in_a == 1 && in_b == 1)
        .map(|(_, x, _, y)| (x, y))
        .collect();
    candidates.sort_unstable();
    longest_increasing(&candidates)
}

/// The longest subsequence of `pairs` (sorted by their first position) whose second
/// positions increase too.
fn longest_increasing(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    // tails[len]: index of the pair ending the best run of length len + 1 found so far.
    let mut tails: Vec<usize> = Vec::new();
    let mut previous: Vec<Option<usize>> = vec![None; pairs.len()];
    for (index, &(_, y)) in pairs.iter().enumerate() {
        let length = tails.partition_point(|&tail| pairs[tail].1 < y);
        previous[index] = length.checked_sub(1).map(|before| tails[before]);
        if length == tails.len() {
            tails.push(index);
        } else {
            tails[length] = index;
        }
    }
    let mut run = Vec::with_capacity(tails.len());
    let mut cursor = tails.last().copied();
    while let Some(index) = cursor {
        run.push(pairs[index]);
        cursor = previous[index];
    }
    run.reverse();
    run
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

    #[test]
    fn a_moved_section_is_deleted_where_it_was_and_inserted_where_it_went() {
        let old = version(DRAFT);
        let new = version(&amended(|paragraphs| {
            let table: Vec<_> = paragraphs.drain(7..13).collect();
            paragraphs.extend(table);
        }));
        let found = changes(&old, &new);
        let kinds: Vec<_> = found.iter().map(|change| change.kind).collect();
        assert_eq!(
            kinds,
            vec![ChangeKind::Deleted, ChangeKind::Inserted],
            "{found:?}"
        );
        assert!(old_text(&old, &found[0]).starts_with("Bảng 1. Dự toán chi theo đơn vị"));
        assert_eq!(old_text(&old, &found[0]), new_text(&new, &found[1]));
        assert_eq!(found[1].new.end, new.len(), "the table now ends the paper");
    }

    #[test]
    fn the_alignment_pairs_only_equal_words_in_order() {
        let mut seed = 7;
        for round in 0..300 {
            let a = sequence(&mut seed, round % 41);
            let b = sequence(&mut seed, (round * 3) % 37);
            let mut pairs = Vec::new();
            align(&a, &b, (0, 0), &mut pairs);
            assert!(pairs.iter().all(|&(i, j)| a[i] == b[j]));
            assert!(
                pairs.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 < w[1].1),
                "{a:?} {b:?} {pairs:?}"
            );
        }
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
