//! Finding an annotation's place in a new version of its paper.
//!
//! The rule, in order:
//! 1. **Nothing moved**: the quote and both contexts read the same at the old position, so
//!    the mark stays there.
//! 2. **Exact quote**: every place the quote reads exactly is scored by how well the text
//!    around it agrees with the stored context and how near it is to the old position.
//! 3. **Fuzzy**: if no exact place wins clearly, places that nearly read the quote (found
//!    from pieces of the quote and of its context, then aligned character by character) and
//!    the gap between the stored prefix and suffix (where a deleted quote used to be) are
//!    scored the same way.
//!
//! A place wins when its score reaches [`PLACE_SCORE`] and beats the next distinct place by
//! [`MIN_MARGIN`]; otherwise the annotation needs review, with the best places found. No
//! anchor is ever dropped: every call returns exactly one [`Reanchoring`].
//!
//! With the old version's text at hand ([`Amendment::reanchor`]), the word alignment of the
//! two versions is asked first, between rules 1 and 2: see there.
//!
//! All matching happens in the whitespace-folded text (see [`PaperText`]), so a reflowed
//! page, moved line breaks and a quote across a page break match like any other text.

use super::anchor::TextAnchor;
use super::changes::{Amendment, Followed};
use super::paper_text::{PaperText, fold};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Weight of the quote's own similarity: the marked text is what the delegate meant.
pub const QUOTE_WEIGHT: f32 = 50.0;
/// Weight of the agreement of the text before a place with the stored prefix.
pub const PREFIX_WEIGHT: f32 = 20.0;
/// Weight of the agreement of the text after a place with the stored suffix.
pub const SUFFIX_WEIGHT: f32 = 20.0;
/// Weight of nearness to the old position, measured against the paper's length. It is kept
/// below [`MIN_MARGIN`] (as a share of all weights) on purpose: position may order the
/// places shown for review, but it never decides alone between two places whose quote and
/// context read the same, since an insertion before both moves both.
pub const POSITION_WEIGHT: f32 = 5.0;
const TOTAL_WEIGHT: f32 = QUOTE_WEIGHT + PREFIX_WEIGHT + SUFFIX_WEIGHT + POSITION_WEIGHT;

/// The score a place needs to be taken without asking. An exact quote with one side of its
/// context rewritten still passes (an edit next to a mark must not send it to review); an
/// exact quote with both sides rewritten does not (a phrase that recurs, such as "ngân sách
/// nhà nước", could be another occurrence); a quote of which half or more changed does not
/// either, even in its old context (what the delegate marked is no longer there).
pub const PLACE_SCORE: f32 = 0.75;

/// How far the winner must be ahead of the next distinct place: more than position alone
/// can give (see [`POSITION_WEIGHT`]), so two places told apart only by position go to review.
pub const MIN_MARGIN: f32 = 0.08;

// Checked when compiling: position alone never makes the margin (see POSITION_WEIGHT).
const _: () = assert!(POSITION_WEIGHT / TOTAL_WEIGHT < MIN_MARGIN);

/// Places shown with an annotation that needs review.
pub const REVIEW_CANDIDATES: usize = 3;

/// Approximate places whose quote differs in more than this share of its characters are not
/// considered (Hypothesis allows the same share).
const MAX_ERROR_SHARE: f32 = 0.5;
/// Pieces of the quote looked up exactly to find approximate places: an edit spoils only the
/// piece it falls in.
const MAX_SEEDS: usize = 12;
const MIN_SEED_CHARS: usize = 6;
/// Characters of the stored context looked up next to a place.
const CONTEXT_SEED_CHARS: usize = 16;
/// A piece found more often than this says nothing about where the quote is.
const MAX_SEED_HITS: usize = 32;
/// Regions aligned character by character, the best-supported first.
const MAX_FUZZY_REGIONS: usize = 8;
/// Exact occurrences scored, the nearest to the old position first (a one-letter quote may
/// occur thousands of times; beyond this many, context cannot single one out anyway).
const MAX_SCORED_OCCURRENCES: usize = 1000;

/// Where an annotation belongs in the new version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Reanchoring {
    /// Placed with confidence: whole-text offsets in the new version, the page of the first
    /// character, and the score (from [`PLACE_SCORE`] to 1; 1 is the same text in the same
    /// context).
    Placed {
        start: usize,
        end: usize,
        page: usize,
        confidence: f32,
    },
    /// Not placed: the delegate chooses among the best places found (possibly none), seeing
    /// the old quote beside them.
    NeedsReview { candidates: Vec<Candidate> },
}

/// A place an annotation might belong, for review.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub struct Candidate {
    pub start: usize,
    pub end: usize,
    pub page: usize,
    pub score: f32,
}

/// Finds where an anchor made on an older version belongs in `new`, from the anchor alone
/// (when the old version's text is at hand, [`Amendment::reanchor`] knows more).
pub fn reanchor(anchor: &TextAnchor, new: &PaperText) -> Reanchoring {
    if anchor.is_page_only() {
        return same_page(anchor, new);
    }
    if let Some(placed) = unmoved(anchor, new) {
        return placed;
    }
    place(&Query::new(anchor, anchor.position.start), new)
}

impl Amendment<'_> {
    /// Finds where an anchor made on the old version belongs in the new one.
    ///
    /// Before the quote search, the word alignment (the same one that lists the changes) is
    /// asked where the marked words went: if it kept every one of them, in one run, and the
    /// context there agrees, the mark goes there even when the same words with the same
    /// context occur elsewhere, since the alignment follows the order of the whole paper,
    /// not 32 characters of it. It never overrides a place whose context agrees clearly
    /// better (by [`MIN_MARGIN`]): repeated boilerplate can be aligned with the wrong copy.
    /// Otherwise the quote search runs as in [`reanchor`], expecting the mark near where
    /// the alignment puts its nearest kept word.
    pub fn reanchor(&self, anchor: &TextAnchor) -> Reanchoring {
        let new = self.new_version();
        if anchor.is_page_only() {
            return same_page(anchor, new);
        }
        if let Some(placed) = unmoved(anchor, new) {
            return placed;
        }
        let (start, end) = (anchor.position.start, anchor.position.end);
        let made_here = start <= end
            && end <= self.old().len()
            && self.old().slice(start, end) == anchor.quote.exact;
        let followed = made_here.then(|| self.follow(start, end)).flatten();
        let expected = match followed {
            Some(Followed::Kept { start, end }) => {
                let query = Query::new(anchor, start);
                let (folded_start, folded_end) = new.folded().range_from_whole(start, end);
                let kept = query.score(new, folded_start, folded_end, 1.0);
                let placed = Reanchoring::Placed {
                    start: kept.start,
                    end: kept.end,
                    page: new.start_point(kept.start).page,
                    confidence: kept.score,
                };
                if kept.score >= 1.0 - MIN_MARGIN {
                    // Nothing can beat it by the margin.
                    return placed;
                }
                if kept.score >= PLACE_SCORE
                    && !query
                        .exact_places(new)
                        .iter()
                        .any(|other| other.score - kept.score >= MIN_MARGIN)
                {
                    return placed;
                }
                start
            }
            Some(Followed::Near(expected)) => expected,
            None => start,
        };
        place(&Query::new(anchor, expected), new)
    }
}

/// Rules 2 and 3: the exact places, then the approximate ones; placed or sent to review.
fn place(query: &Query, new: &PaperText) -> Reanchoring {
    let mut places = query.exact_places(new);
    if let Some(placed) = decide(&mut places, new) {
        return placed;
    }
    // Exact places tied near the top score cannot be beaten by the margin: the approximate
    // search would only cost time.
    let tied_at_the_top = places
        .first()
        .is_some_and(|best| best.score >= 1.0 - MIN_MARGIN);
    if !tied_at_the_top {
        places.extend(query.approximate_places(new));
        if let Some(placed) = decide(&mut places, new) {
            return placed;
        }
    }
    Reanchoring::NeedsReview {
        candidates: places
            .iter()
            .take(REVIEW_CANDIDATES)
            .map(|place| Candidate {
                start: place.start,
                end: place.end,
                page: new.start_point(place.start).page,
                score: place.score,
            })
            .collect(),
    }
}

/// A mark anchored to its page alone stays on that page, if the new version has it.
fn same_page(anchor: &TextAnchor, new: &PaperText) -> Reanchoring {
    match new.offset(super::PagePoint {
        page: anchor.page,
        offset: 0,
    }) {
        Some(start) => Reanchoring::Placed {
            start,
            end: start,
            page: anchor.page,
            confidence: 1.0,
        },
        None => Reanchoring::NeedsReview {
            candidates: Vec::new(),
        },
    }
}

/// Rule 1: the same characters, with the same context, at the same offsets.
fn unmoved(anchor: &TextAnchor, new: &PaperText) -> Option<Reanchoring> {
    let (start, end) = (anchor.position.start, anchor.position.end);
    let quote = &anchor.quote;
    let same = |from: usize, text: &str| {
        let mut chars = text.chars();
        let count = text.chars().count();
        from + count <= new.len()
            && new.chars()[from..from + count]
                .iter()
                .all(|&c| Some(c) == chars.next())
    };
    let prefix_chars = quote.prefix.chars().count();
    let reads_the_same = start <= end
        && end - start == quote.exact.chars().count()
        && start >= prefix_chars
        && same(start, &quote.exact)
        && same(start - prefix_chars, &quote.prefix)
        && same(end, &quote.suffix)
        && (prefix_chars == super::CONTEXT_CHARS || start == prefix_chars)
        && (quote.suffix.chars().count() == super::CONTEXT_CHARS
            || end + quote.suffix.chars().count() == new.len());
    reads_the_same.then(|| Reanchoring::Placed {
        start,
        end,
        page: new.start_point(start).page,
        confidence: 1.0,
    })
}

/// A scored place, in whole-text offsets of the new version.
#[derive(Debug, Clone, Copy)]
struct Place {
    start: usize,
    end: usize,
    score: f32,
}

/// Sorts the places best first, keeps the best of those that overlap, and places the
/// annotation if the best one wins clearly.
fn decide(places: &mut Vec<Place>, new: &PaperText) -> Option<Reanchoring> {
    places.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.start.cmp(&b.start)));
    let mut distinct: Vec<Place> = Vec::with_capacity(places.len());
    for place in places.drain(..) {
        if !distinct.iter().any(|kept| overlap(kept, &place)) {
            distinct.push(place);
        }
    }
    *places = distinct;
    let best = places.first()?;
    let clear = places
        .get(1)
        .is_none_or(|second| best.score - second.score >= MIN_MARGIN);
    (best.score >= PLACE_SCORE && clear).then(|| Reanchoring::Placed {
        start: best.start,
        end: best.end,
        page: new.start_point(best.start).page,
        confidence: best.score,
    })
}

fn overlap(a: &Place, b: &Place) -> bool {
    if a.start == a.end || b.start == b.end {
        return a.start.max(b.start) <= a.end.min(b.end);
    }
    a.start.max(b.start) < a.end.min(b.end)
}

/// The anchor in folded form, ready to compare with the new version's folded text.
struct Query {
    quote: Vec<char>,
    quote_text: String,
    prefix: Vec<char>,
    suffix: Vec<char>,
    prefix_matcher: ContextMatcher,
    suffix_matcher: ContextMatcher,
    /// Where in the new version the mark is expected to start (whole-text offset).
    expected_start: usize,
}

impl Query {
    fn new(anchor: &TextAnchor, expected_start: usize) -> Query {
        let quote = fold(&anchor.quote.exact);
        Query {
            quote_text: quote.iter().collect(),
            quote,
            prefix_matcher: ContextMatcher::new(&fold(&anchor.quote.prefix)),
            suffix_matcher: ContextMatcher::new(&fold(&anchor.quote.suffix)),
            prefix: fold(&anchor.quote.prefix),
            suffix: fold(&anchor.quote.suffix),
            expected_start,
        }
    }

    /// Scores a folded range of the new version whose quote similarity is known.
    fn score(
        &self,
        new: &PaperText,
        folded_start: usize,
        folded_end: usize,
        quote_similarity: f32,
    ) -> Place {
        let folded = new.folded();
        let before = &folded.chars[folded_start.saturating_sub(self.prefix.len())..folded_start];
        let after =
            &folded.chars[folded_end..(folded_end + self.suffix.len()).min(folded.chars.len())];
        let (start, end) = trim_space(
            new,
            folded.range_to_whole(folded_start, folded_end, new.len()),
        );
        let distance = start.abs_diff(self.expected_start) as f32 / new.len().max(1) as f32;
        let score = (QUOTE_WEIGHT * quote_similarity
            + PREFIX_WEIGHT * self.prefix_matcher.similarity(before)
            + SUFFIX_WEIGHT * self.suffix_matcher.similarity(after)
            + POSITION_WEIGHT * (1.0 - distance.min(1.0)))
            / TOTAL_WEIGHT;
        Place { start, end, score }
    }

    /// Rule 2: every place the quote reads exactly.
    fn exact_places(&self, new: &PaperText) -> Vec<Place> {
        if self.quote.is_empty() {
            return Vec::new();
        }
        let folded = new.folded();
        let mut starts: Vec<usize> = folded
            .text
            .match_indices(&self.quote_text)
            .map(|(byte, _)| folded.char_at_byte(byte))
            .collect();
        if starts.len() > MAX_SCORED_OCCURRENCES {
            let expected = folded
                .range_from_whole(
                    self.expected_start.min(new.len()),
                    self.expected_start.min(new.len()),
                )
                .0;
            starts.sort_by_key(|start| start.abs_diff(expected));
            starts.truncate(MAX_SCORED_OCCURRENCES);
        }
        starts
            .into_iter()
            .map(|start| self.score(new, start, start + self.quote.len(), 1.0))
            .collect()
    }

    /// Rule 3: places that nearly read the quote, and the gaps between the stored context.
    fn approximate_places(&self, new: &PaperText) -> Vec<Place> {
        let folded = new.folded();
        let text = &folded.text;
        let m = self.quote.len();
        let mut proposals = Vec::new();
        let mut places = Vec::new();

        if m >= MIN_SEED_CHARS {
            let seeds = (m / MIN_SEED_CHARS).min(MAX_SEEDS);
            let seed_chars = m / seeds;
            for seed in 0..seeds {
                let offset = seed * seed_chars;
                let piece: String = self.quote[offset..offset + seed_chars].iter().collect();
                if let Some(hits) = find_few(text, &piece) {
                    proposals
                        .extend(hits.map(|byte| folded.char_at_byte(byte).saturating_sub(offset)));
                }
            }
        }

        // The context's own words, without the space that joined them to the quote: a
        // deleted quote takes one of the two spaces around it along.
        let prefix = trim_end_space(&self.prefix);
        let suffix = trim_start_space(&self.suffix);
        let prefix_tail: String = prefix[prefix.len().saturating_sub(CONTEXT_SEED_CHARS)..]
            .iter()
            .collect();
        let suffix_head: String = suffix[..suffix.len().min(CONTEXT_SEED_CHARS)]
            .iter()
            .collect();
        let tail_chars = prefix_tail.chars().count();
        let prefix_ends: Vec<usize> = (tail_chars > 0)
            .then(|| find_few(text, &prefix_tail))
            .flatten()
            .map(|hits| {
                hits.map(|byte| folded.char_at_byte(byte) + tail_chars)
                    .collect()
            })
            .unwrap_or_default();
        let suffix_starts: Vec<usize> = (!suffix_head.is_empty())
            .then(|| find_few(text, &suffix_head))
            .flatten()
            .map(|hits| hits.map(|byte| folded.char_at_byte(byte)).collect())
            .unwrap_or_default();
        proposals.extend(prefix_ends.iter().copied());
        proposals.extend(suffix_starts.iter().map(|start| start.saturating_sub(m)));

        // The text now between the stored prefix and suffix: where a deleted or rewritten
        // quote used to be. When only one side of the context is left, the quote's length
        // of text next to it.
        let reach = 2 * m + super::CONTEXT_CHARS;
        let mut gaps = Vec::new();
        for &gap_start in &prefix_ends {
            for &gap_end in &suffix_starts {
                if gap_end >= gap_start && gap_end - gap_start <= reach {
                    gaps.push((gap_start, gap_end));
                }
            }
        }
        if gaps.is_empty() {
            let length = folded.chars.len();
            gaps.extend(
                prefix_ends
                    .iter()
                    .map(|&start| (start, (start + m + 1).min(length))),
            );
            gaps.extend(
                suffix_starts
                    .iter()
                    .map(|&end| (end.saturating_sub(m + 1), end)),
            );
        }
        // Give back the spaces that joined the context to the quote.
        let joined_before = self.prefix.last() == Some(&' ');
        let joined_after = self.suffix.first() == Some(&' ');
        let gaps = gaps.into_iter().map(|(mut start, mut end)| {
            if joined_before && start < end && folded.chars[start] == ' ' {
                start += 1;
            }
            if joined_after && start < end && folded.chars[end - 1] == ' ' {
                end -= 1;
            }
            (start, end)
        });
        for (gap_start, gap_end) in gaps {
            let gap = &folded.chars[gap_start..gap_end];
            places.push(self.score(new, gap_start, gap_end, similarity(&self.quote, gap)));
        }

        if m > 0 {
            let max_errors = (m as f32 * MAX_ERROR_SHARE) as usize;
            for (low, high) in regions(proposals, m / 4 + 8) {
                let from = low.saturating_sub(m / 2 + 8);
                let to = (high + m + m / 2 + 8).min(folded.chars.len());
                if from >= to {
                    continue;
                }
                let (errors, ranges) = best_substring_matches(&self.quote, &folded.chars[from..to]);
                if errors <= max_errors {
                    let quote_similarity = 1.0 - errors as f32 / m as f32;
                    places.extend(ranges.into_iter().map(|(start, end)| {
                        self.score(new, from + start, from + end, quote_similarity)
                    }));
                }
            }
        }
        places
    }
}

/// A place without the line or page breaks at its ends (a mark made from the start of a
/// line may begin with the break before it; where that break now falls is no part of the
/// mark), unless it is nothing but space.
fn trim_space(new: &PaperText, (start, end): (usize, usize)) -> (usize, usize) {
    let chars = &new.chars()[start..end];
    let Some(first) = chars.iter().position(|c| !c.is_whitespace()) else {
        return (start, end);
    };
    let last = chars
        .iter()
        .rposition(|c| !c.is_whitespace())
        .unwrap_or(first);
    (start + first, start + last + 1)
}

fn trim_end_space(text: &[char]) -> &[char] {
    text.strip_suffix(&[' ']).unwrap_or(text)
}

fn trim_start_space(text: &[char]) -> &[char] {
    text.strip_prefix(&[' ']).unwrap_or(text)
}

/// Where `piece` occurs in `text` (byte offsets), or `None` when it occurs too often to say
/// anything.
fn find_few<'a>(text: &'a str, piece: &'a str) -> Option<impl Iterator<Item = usize> + 'a> {
    let count = text.match_indices(piece).take(MAX_SEED_HITS + 1).count();
    (count <= MAX_SEED_HITS).then(|| text.match_indices(piece).map(|(byte, _)| byte))
}

/// Groups proposed starts that lie within `reach` of each other, most proposed first.
fn regions(mut proposals: Vec<usize>, reach: usize) -> Vec<(usize, usize)> {
    proposals.sort_unstable();
    let mut groups: Vec<(usize, usize, usize)> = Vec::new();
    for start in proposals {
        match groups.last_mut() {
            Some((_, high, votes)) if start - *high <= reach => {
                *high = start;
                *votes += 1;
            }
            _ => groups.push((start, start, 1)),
        }
    }
    groups.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    groups
        .into_iter()
        .take(MAX_FUZZY_REGIONS)
        .map(|(low, high, _)| (low, high))
        .collect()
}

/// The substrings of `text` closest to `pattern` by edit distance (Sellers' algorithm: the
/// pattern must be matched whole, the text may start and end anywhere): the distance, and
/// the ranges that reach it (a few; which of them is right is for the context to say, e.g.
/// whether "57.3" or "57.374" ends a row whose last figure changed).
fn best_substring_matches(pattern: &[char], text: &[char]) -> (usize, Vec<(usize, usize)>) {
    const MAX_TIES: usize = 8;
    let m = pattern.len();
    // (cost, start in text) for each prefix of the pattern, for the previous text column.
    let mut previous: Vec<(usize, usize)> = (0..=m).map(|i| (i, 0)).collect();
    let mut current = previous.clone();
    let mut best = (m, vec![(0, 0)]);
    for (j, &c) in text.iter().enumerate() {
        current[0] = (0, j + 1);
        for i in 1..=m {
            let diagonal = (
                previous[i - 1].0 + usize::from(pattern[i - 1] != c),
                previous[i - 1].1,
            );
            let skip_pattern = (current[i - 1].0 + 1, current[i - 1].1);
            let skip_text = (previous[i].0 + 1, previous[i].1);
            current[i] = [skip_pattern, skip_text]
                .into_iter()
                .fold(
                    diagonal,
                    |best, other| if other.0 < best.0 { other } else { best },
                );
        }
        let (cost, start) = current[m];
        if cost < best.0 {
            best = (cost, vec![(start, j + 1)]);
        } else if cost == best.0 && best.1.len() < MAX_TIES {
            best.1.push((start, j + 1));
        }
        std::mem::swap(&mut previous, &mut current);
    }
    best
}

/// A stored context (at most 64 characters, as [`CONTEXT_CHARS`](super::CONTEXT_CHARS) is
/// 32) compared with the text around one place after another: a short quote may occur
/// thousands of times, and each occurrence's context is compared. Myers' bit-parallel edit
/// distance (in Hyyrö's form for whole strings) does a column of the distance table in a few
/// word operations.
#[derive(Debug)]
struct ContextMatcher {
    context: Vec<char>,
    /// For each distinct character of the context, the bit mask of where it occurs, sorted
    /// by character.
    masks: Vec<(char, u64)>,
}

impl ContextMatcher {
    fn new(context: &[char]) -> ContextMatcher {
        let mut masks: Vec<(char, u64)> = Vec::new();
        if context.len() <= 64 {
            for (index, &c) in context.iter().enumerate() {
                match masks.binary_search_by_key(&c, |&(key, _)| key) {
                    Ok(found) => masks[found].1 |= 1 << index,
                    Err(at) => masks.insert(at, (c, 1 << index)),
                }
            }
        }
        ContextMatcher {
            context: context.to_vec(),
            masks,
        }
    }

    fn similarity(&self, text: &[char]) -> f32 {
        let longer = self.context.len().max(text.len());
        if longer == 0 {
            return 1.0;
        }
        1.0 - self.distance(text) as f32 / longer as f32
    }

    fn distance(&self, text: &[char]) -> usize {
        let m = self.context.len();
        if m == 0 || m > 64 {
            return edit_distance(&self.context, text);
        }
        let last = 1u64 << (m - 1);
        let (mut positive, mut negative) = (!0u64, 0u64);
        let mut score = m;
        for c in text {
            let equal = self
                .masks
                .binary_search_by_key(c, |&(key, _)| key)
                .map_or(0, |found| self.masks[found].1);
            let vertical = equal | negative;
            let horizontal = (((equal & positive).wrapping_add(positive)) ^ positive) | equal;
            let mut horizontal_positive = negative | !(horizontal | positive);
            let mut horizontal_negative = positive & horizontal;
            if horizontal_positive & last != 0 {
                score += 1;
            } else if horizontal_negative & last != 0 {
                score -= 1;
            }
            // The first row of the table grows by one per character of text.
            horizontal_positive = (horizontal_positive << 1) | 1;
            horizontal_negative <<= 1;
            positive = horizontal_negative | !(vertical | horizontal_positive);
            negative = horizontal_positive & vertical;
        }
        score
    }
}

/// 1 for equal texts, falling to 0 as the edit distance reaches the longer one's length.
fn similarity(a: &[char], b: &[char]) -> f32 {
    let longer = a.len().max(b.len());
    if longer == 0 {
        return 1.0;
    }
    1.0 - edit_distance(a, b) as f32 / longer as f32
}

fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            current[j + 1] = (previous[j] + usize::from(ca != cb))
                .min(previous[j + 1] + 1)
                .min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::TextPosition;
    use crate::annotation::fixtures::{DRAFT, amended, find, layout, mark, read};

    const WIDTH: usize = 70;
    const LINES_PER_PAGE: usize = 6;

    fn version(paragraphs: &[&str]) -> PaperText {
        layout(paragraphs, WIDTH, LINES_PER_PAGE)
    }

    /// The placed range, read back from the new version, and the confidence.
    fn placed(outcome: &Reanchoring, new: &PaperText) -> (String, f32) {
        match outcome {
            Reanchoring::Placed {
                start,
                end,
                page,
                confidence,
            } => {
                assert_eq!(
                    *page,
                    new.start_point(*start).page,
                    "the page is the first character's"
                );
                (read(new, *start, *end), *confidence)
            }
            other => panic!("expected the mark placed, got {other:?}"),
        }
    }

    fn candidates(outcome: &Reanchoring) -> &[Candidate] {
        match outcome {
            Reanchoring::NeedsReview { candidates } => candidates,
            other => panic!("expected the mark sent to review, got {other:?}"),
        }
    }

    #[test]
    fn a_mark_on_a_scanned_page_stays_on_that_page_and_goes_to_review_when_the_page_is_gone() {
        // A scan has no text: three empty pages, the mark anchored to the second.
        let scan = PaperText::new(&["", "", ""]);
        let on_page_two = TextAnchor::page_only(
            1,
            scan.offset(crate::annotation::PagePoint { page: 1, offset: 0 })
                .unwrap(),
        );
        let rescanned = PaperText::new(&["", "", "", ""]);
        assert_eq!(
            reanchor(&on_page_two, &rescanned),
            Reanchoring::Placed {
                start: 1,
                end: 1,
                page: 1,
                confidence: 1.0
            },
            "a new scan with the page still there keeps the mark on it"
        );
        let shortened = PaperText::new(&[""]);
        assert_eq!(
            Amendment::between(&scan, &shortened).reanchor(&on_page_two),
            Reanchoring::NeedsReview {
                candidates: Vec::new()
            },
            "a page that is gone is not guessed at: the delegate places the mark"
        );
    }

    #[test]
    fn a_mark_on_an_unchanged_version_stays_exactly_where_it_was() {
        let old = version(DRAFT);
        let new = version(DRAFT);
        let anchor = mark(&old, "dự phòng ngân sách 317 tỷ đồng", 0);
        assert_eq!(
            reanchor(&anchor, &new),
            Reanchoring::Placed {
                start: anchor.position.start,
                end: anchor.position.end,
                page: anchor.page,
                confidence: 1.0
            }
        );
    }

    #[test]
    fn paragraphs_inserted_before_the_quote_move_the_mark_down_with_its_text() {
        let old = version(DRAFT);
        let new = version(&amended(|paragraphs| {
            paragraphs.insert(
                4,
                "Căn cứ Nghị định số 163/2016/NĐ-CP ngày 21 tháng 12 năm 2016 của Chính phủ quy định chi tiết thi hành một số điều của Luật Ngân sách nhà nước;",
            );
            paragraphs.insert(
                5,
                "Căn cứ Quyết định của Thủ tướng Chính phủ về việc giao dự toán ngân sách nhà nước năm 2027;",
            );
        }));
        let anchor = mark(&old, "chi đầu tư phát triển 3.596 tỷ đồng", 0);
        let outcome = reanchor(&anchor, &new);
        let (text, confidence) = placed(&outcome, &new);
        assert_eq!(text, "chi đầu tư phát triển 3.596 tỷ đồng");
        assert!(
            confidence > 0.95,
            "same quote, same context, only further down: {confidence}"
        );
        let Reanchoring::Placed { start, page, .. } = outcome else {
            unreachable!()
        };
        assert!(
            start > anchor.position.start,
            "the insertion pushed it down"
        );
        assert!(
            page > anchor.page,
            "two paragraphs push it onto a later page"
        );
    }

    #[test]
    fn a_sentence_deleted_elsewhere_leaves_the_mark_on_its_own_text() {
        let old = version(DRAFT);
        let new = version(&amended(|paragraphs| {
            paragraphs[4] = "Xét Tờ trình số 215/TTr-UBND ngày 20 tháng 11 năm 2026 của Ủy ban nhân dân thành phố về dự toán ngân sách địa phương năm 2027; Báo cáo thẩm tra của Ban Kinh tế - Ngân sách Hội đồng nhân dân thành phố.";
        }));
        let anchor = mark(&old, "giám sát việc thực hiện Nghị quyết này", 0);
        let (text, confidence) = placed(&reanchor(&anchor, &new), &new);
        assert_eq!(text, "giám sát việc thực hiện Nghị quyết này");
        assert!(confidence > 0.95, "{confidence}");
    }

    #[test]
    fn a_reflowed_version_with_other_line_and_page_breaks_keeps_every_mark() {
        let old = version(DRAFT);
        let new = layout(DRAFT, 55, 4);
        for quote in [
            "thu từ hoạt động xuất nhập khẩu 1.580 tỷ đồng",
            "3 Quận 5 3.597 53.137 572 57.306",
            "Điều hành ngân sách chủ động, tiết kiệm, hiệu quả.",
            "có hiệu lực kể từ ngày ký",
        ] {
            let anchor = mark(&old, quote, 0);
            let (text, confidence) = placed(&reanchor(&anchor, &new), &new);
            assert_eq!(text, quote, "same words, other lines");
            assert!(
                confidence > 0.95,
                "a reflow changes no words, so nothing should look doubtful: {quote}: {confidence}"
            );
        }
    }

    #[test]
    fn a_changed_number_inside_a_marked_table_row_keeps_the_mark_with_lower_confidence() {
        // The delegate marked the row; the amendment changed one figure in it. The row is
        // still what the mark is about, so the mark stays on it, and the confidence below 1
        // (with the change list) tells the reader that the marked text changed.
        let old = version(DRAFT);
        let new = version(&amended(|paragraphs| {
            paragraphs[11] = "3 Quận 5 3.597 53.137 640 57.374";
        }));
        let anchor = mark(&old, "3 Quận 5 3.597 53.137 572 57.306", 0);
        let (text, confidence) = placed(&reanchor(&anchor, &new), &new);
        assert_eq!(text, "3 Quận 5 3.597 53.137 640 57.374");
        assert!(
            (PLACE_SCORE..1.0).contains(&confidence),
            "placed, but not as sure as an unchanged row: {confidence}"
        );
    }

    #[test]
    fn a_mark_on_the_changed_number_itself_goes_to_review_showing_the_new_figure() {
        // When the mark was on the figure itself, the figure it pointed at is gone: placing
        // the mark on "640" would say the delegate marked a number they never saw.
        let old = version(DRAFT);
        let new = version(&amended(|paragraphs| {
            paragraphs[11] = "3 Quận 5 3.597 53.137 640 57.374";
        }));
        let anchor = mark(&old, "572", 0);
        let outcome = reanchor(&anchor, &new);
        let candidates = candidates(&outcome);
        let (start, end) = find(&new, "53.137 640", 0);
        assert!(
            candidates
                .iter()
                .any(
                    |candidate| read(&new, candidate.start, candidate.end).contains("640")
                        && candidate.start >= start
                        && candidate.end <= end + 1
                ),
            "the new figure in the same row is offered: {candidates:?}"
        );
    }

    #[test]
    fn a_moved_section_takes_its_marks_along() {
        let old = version(DRAFT);
        // The table moves from after Article 2 to the end of the resolution.
        let new = version(&amended(|paragraphs| {
            let table: Vec<_> = paragraphs.drain(7..13).collect();
            paragraphs.extend(table);
        }));
        let anchor = mark(&old, "2 Quận 3 63.767 20.812 102 84.681", 0);
        let outcome = reanchor(&anchor, &new);
        let (text, confidence) = placed(&outcome, &new);
        assert_eq!(text, "2 Quận 3 63.767 20.812 102 84.681");
        assert!(
            confidence > 0.9,
            "the rows around it moved too: {confidence}"
        );
        let Reanchoring::Placed { start, .. } = outcome else {
            unreachable!()
        };
        assert!(
            start > find(&new, "có hiệu lực kể từ ngày ký", 0).1,
            "it is found where the table now is, after the last article"
        );
    }

    #[test]
    fn a_deleted_quote_goes_to_review_with_the_place_where_it_was() {
        let old = version(DRAFT);
        let new = version(&amended(|paragraphs| {
            paragraphs[14] = "1. Giao Ủy ban nhân dân thành phố tổ chức thực hiện Nghị quyết này. Báo cáo Hội đồng nhân dân thành phố kết quả thực hiện tại kỳ họp cuối năm.";
        }));
        let anchor = mark(
            &old,
            "Điều hành ngân sách chủ động, tiết kiệm, hiệu quả.",
            0,
        );
        let outcome = reanchor(&anchor, &new);
        let candidates = candidates(&outcome);
        let best = candidates.first().expect("the gap where the sentence was");
        let was_here =
            find(&new, "Nghị quyết này. Báo cáo", 0).0 + "Nghị quyết này.".chars().count();
        assert!(
            best.start.abs_diff(was_here) <= 2 && best.end - best.start <= 2,
            "the best candidate is the space left between the sentences around it: {best:?} vs {was_here}"
        );
        assert!(best.score < PLACE_SCORE);
    }

    #[test]
    fn a_short_quote_that_occurs_many_times_is_placed_by_its_context() {
        let old = version(DRAFT);
        assert!(
            old.folded().text.matches("tỷ đồng").count() >= 7,
            "the quote is everywhere"
        );
        let new = version(&amended(|paragraphs| {
            paragraphs.insert(
                5,
                "Căn cứ Nghị quyết số 12/2026/NQ-HĐND về phân cấp nguồn thu, nhiệm vụ chi giữa các cấp ngân sách;",
            );
        }));
        // The one after "xuất nhập khẩu 1.580".
        let anchor = mark(&old, "tỷ đồng", 2);
        assert!(anchor.quote.prefix.ends_with("xuất nhập khẩu 1.580 "));
        let outcome = reanchor(&anchor, &new);
        let (_, confidence) = placed(&outcome, &new);
        let Reanchoring::Placed { start, .. } = outcome else {
            unreachable!()
        };
        assert_eq!(
            start,
            find(&new, "tỷ đồng", 2).0,
            "the occurrence after the same figure, not the nearest one: {confidence}"
        );
    }

    #[test]
    fn a_short_quote_whose_context_cannot_tell_two_places_apart_goes_to_review() {
        // The same sentence stands twice (Article 3 and a closing reminder); the delegate
        // marked "Ban" in the second. After an insertion both move: quote and context read the
        // same at both, and a guess would put the mark confidently in the wrong place half
        // the time.
        const REMINDER: &str = "2. Giao Thường trực Hội đồng nhân dân, các Ban và đại biểu Hội đồng nhân dân thành phố giám sát việc thực hiện Nghị quyết này.";
        let old = version(&amended(|paragraphs| paragraphs.push(REMINDER)));
        let new = version(&amended(|paragraphs| {
            paragraphs.insert(3, "Căn cứ Luật Đầu tư công ngày 29 tháng 11 năm 2024;");
            paragraphs.push(REMINDER);
        }));
        let anchor = mark(&old, "Ban", 2);
        assert!(anchor.quote.prefix.ends_with("Hội đồng nhân dân, các "));
        let outcome = reanchor(&anchor, &new);
        let candidates = candidates(&outcome);
        let (article_3, reminder) = (
            find(&new, "các Ban", 0).0 + 4,
            find(&new, "các Ban", 1).0 + 4,
        );
        let mut best_two: Vec<usize> = candidates
            .iter()
            .take(2)
            .map(|candidate| candidate.start)
            .collect();
        best_two.sort_unstable();
        assert_eq!(
            best_two,
            vec![article_3, reminder],
            "both places are offered first: {candidates:?}"
        );
    }

    #[test]
    fn a_quote_across_a_page_break_is_found_whether_or_not_it_still_spans_one() {
        let old = version(DRAFT);
        // The break between the first two pages, and the words either side of it.
        let break_at = old
            .offset(crate::annotation::PagePoint { page: 1, offset: 0 })
            .unwrap();
        let (start, end) = (break_at - 12, break_at + 12);
        let anchor = old.anchor(start, end);
        assert_eq!(
            old.page_ranges(start, end).len(),
            2,
            "the mark spans two pages"
        );
        let quote = read(&old, start, end);

        for new in [
            layout(DRAFT, 55, 4),
            version(&amended(|paragraphs| {
                paragraphs.insert(1, "Số: 45/2026/NQ-HĐND");
            })),
        ] {
            let (text, confidence) = placed(&reanchor(&anchor, &new), &new);
            assert_eq!(text, quote, "the same words wherever the break now falls");
            assert!(confidence > 0.95, "{confidence}");
        }
    }

    #[test]
    fn a_mark_on_the_last_character_of_a_page_stays_on_that_page() {
        let old = version(DRAFT);
        let page_end = old
            .offset(crate::annotation::PagePoint { page: 2, offset: 0 })
            .unwrap()
            - 1;
        let anchor = old.anchor(page_end - 1, page_end);
        let new = version(&amended(|paragraphs| {
            paragraphs[4] = "Xét Tờ trình số 215/TTr-UBND ngày 20 tháng 11 năm 2026 của Ủy ban nhân dân thành phố.";
        }));
        let outcome = reanchor(&anchor, &new);
        let Reanchoring::Placed { start, end, .. } = outcome else {
            panic!("a one-character quote with its context intact is placed: {outcome:?}")
        };
        assert_eq!(read(&new, start, end), anchor.quote.exact);
        let pieces = new.page_ranges(start, end);
        assert_eq!(pieces.len(), 1, "one character is on one page: {pieces:?}");
    }

    #[test]
    fn every_anchor_yields_one_outcome_even_with_nothing_to_find() {
        let old = version(DRAFT);
        let anchor = mark(&old, "Điều 4. Hiệu lực thi hành", 0);
        let unrelated =
            PaperText::new(&["Biên bản kiểm phiếu biểu quyết thông qua các nội dung tại kỳ họp."]);
        assert_eq!(
            reanchor(&anchor, &unrelated),
            Reanchoring::NeedsReview { candidates: vec![] },
            "nothing resembles it, but the annotation is kept for review"
        );
        assert!(matches!(
            reanchor(&anchor, &PaperText::new::<&str>(&[])),
            Reanchoring::NeedsReview { .. }
        ));
        let empty = old.anchor(10, 10);
        assert!(
            matches!(
                reanchor(&empty, &version(DRAFT)),
                Reanchoring::Placed { .. }
            ),
            "an empty anchor with its context intact stays put"
        );
    }

    #[test]
    fn with_the_old_version_at_hand_the_alignment_tells_identical_sentences_apart() {
        // The same two copies as above: 32 characters of context cannot tell them apart,
        // the order of the whole paper can.
        const REMINDER: &str = "2. Giao Thường trực Hội đồng nhân dân, các Ban và đại biểu Hội đồng nhân dân thành phố giám sát việc thực hiện Nghị quyết này.";
        let old = version(&amended(|paragraphs| paragraphs.push(REMINDER)));
        let new = version(&amended(|paragraphs| {
            paragraphs.insert(3, "Căn cứ Luật Đầu tư công ngày 29 tháng 11 năm 2024;");
            paragraphs.push(REMINDER);
        }));
        let amendment = Amendment::between(&old, &new);
        for (copy, what) in [(1, "Article 3"), (2, "the closing reminder")] {
            let anchor = mark(&old, "Ban", copy);
            let outcome = amendment.reanchor(&anchor);
            let Reanchoring::Placed { start, .. } = outcome else {
                panic!("{what}: the alignment kept these words, so the mark is placed: {outcome:?}")
            };
            assert_eq!(
                start,
                find(&new, "Ban", copy).0,
                "{what}: the mark stays on its own copy"
            );
        }
    }

    #[test]
    fn with_the_old_version_at_hand_every_amendment_above_ends_the_same_way() {
        let table_row_changed = amended(|paragraphs| {
            paragraphs[11] = "3 Quận 5 3.597 53.137 640 57.374";
        });
        let sentence_deleted = amended(|paragraphs| {
            paragraphs[14] = "1. Giao Ủy ban nhân dân thành phố tổ chức thực hiện Nghị quyết này. Báo cáo Hội đồng nhân dân thành phố kết quả thực hiện tại kỳ họp cuối năm.";
        });
        let section_moved = amended(|paragraphs| {
            let table: Vec<_> = paragraphs.drain(7..13).collect();
            paragraphs.extend(table);
        });
        let paragraphs_inserted = amended(|paragraphs| {
            paragraphs.insert(4, "Căn cứ Quyết định của Thủ tướng Chính phủ về việc giao dự toán ngân sách nhà nước năm 2027;");
        });
        let old = version(DRAFT);
        // (new version, quote marked on the old one, what it should read as when placed)
        let cases: [(PaperText, &str, Option<&str>); 7] = [
            (
                layout(DRAFT, 55, 4),
                "thu từ hoạt động xuất nhập khẩu 1.580 tỷ đồng",
                Some("thu từ hoạt động xuất nhập khẩu 1.580 tỷ đồng"),
            ),
            (version(&paragraphs_inserted), "tỷ đồng", Some("tỷ đồng")),
            (
                version(&table_row_changed),
                "3 Quận 5 3.597 53.137 572 57.306",
                Some("3 Quận 5 3.597 53.137 640 57.374"),
            ),
            (version(&table_row_changed), "572", None),
            (
                version(&sentence_deleted),
                "Điều hành ngân sách chủ động, tiết kiệm, hiệu quả.",
                None,
            ),
            (
                version(&section_moved),
                "2 Quận 3 63.767 20.812 102 84.681",
                Some("2 Quận 3 63.767 20.812 102 84.681"),
            ),
            (
                version(&section_moved),
                "Điều 3. Tổ chức thực hiện",
                Some("Điều 3. Tổ chức thực hiện"),
            ),
        ];
        for (new, quote, expected) in cases {
            let anchor = mark(&old, quote, 0);
            let amendment = Amendment::between(&old, &new);
            let outcome = amendment.reanchor(&anchor);
            match (expected, &outcome) {
                (Some(text), Reanchoring::Placed { start, end, .. }) => {
                    assert_eq!(read(&new, *start, *end), text, "{quote}")
                }
                (None, Reanchoring::NeedsReview { .. }) => {}
                _ => panic!("{quote}: expected {expected:?}, got {outcome:?}"),
            }
            assert_eq!(
                matches!(outcome, Reanchoring::Placed { .. }),
                matches!(reanchor(&anchor, &new), Reanchoring::Placed { .. }),
                "{quote}: where the anchor alone decides, the alignment agrees"
            );
        }
    }

    #[test]
    fn an_anchor_not_made_on_the_old_version_is_still_placed_by_its_quote() {
        let old = version(DRAFT);
        let new = version(DRAFT);
        let mut anchor = mark(&old, "dự phòng ngân sách 317 tỷ đồng", 0);
        anchor.position = TextPosition { start: 3, end: 9 };
        let outcome = Amendment::between(&old, &new).reanchor(&anchor);
        let (text, _) = placed(&outcome, &new);
        assert_eq!(text, "dự phòng ngân sách 317 tỷ đồng");
    }

    #[test]
    fn the_outcome_is_stored_as_snake_case_json() {
        let json = serde_json::to_value(Reanchoring::NeedsReview {
            candidates: vec![Candidate {
                start: 1,
                end: 4,
                page: 0,
                score: 0.5,
            }],
        })
        .unwrap();
        assert_eq!(json["outcome"], "needs_review");
        assert_eq!(json["candidates"][0]["end"], 4);
    }

    #[test]
    fn the_bit_parallel_context_distance_agrees_with_the_plain_one() {
        let alphabet: Vec<char> = "aăâbđeêế ,.1".chars().collect();
        let mut seed = 32u64;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        for round in 0..2000 {
            let context: Vec<char> = (0..round % 65)
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            let text: Vec<char> = (0..next(70))
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            assert_eq!(
                ContextMatcher::new(&context).distance(&text),
                edit_distance(&context, &text),
                "{context:?} {text:?}"
            );
        }
    }

    #[test]
    fn the_closest_substring_is_found_with_its_edit_distance() {
        let text: Vec<char> = "dự phòng 317 tỷ đồng".chars().collect();
        let pattern: Vec<char> = "phòng 371 tỷ".chars().collect();
        let (errors, ranges) = best_substring_matches(&pattern, &text);
        assert_eq!(errors, 2, "a transposition is two substitutions");
        assert_eq!(
            text[ranges[0].0..ranges[0].1].iter().collect::<String>(),
            "phòng 317 tỷ"
        );
    }
}
