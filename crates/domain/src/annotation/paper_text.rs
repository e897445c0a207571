//! A version's text as the reader has it: pages, and one whole text to anchor in.

use super::anchor::{CONTEXT_CHARS, TextAnchor, TextPosition, TextQuote};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One version of a paper's text, as pages (the strings PDFium gives per page).
///
/// Offsets count Unicode scalar values in the **whole text**: the pages joined by one
/// `'\n'`. The break between pages is a character of its own so that the last word of a page
/// and the first word of the next never fuse into one word, and so a quote across a page
/// break is an ordinary range of the whole text.
///
/// Matching compares a *folded* view of the text in which every run of whitespace (line
/// breaks, page breaks, non-breaking spaces) is one space: the same words laid out on other
/// lines or pages read the same.
#[derive(Debug, Clone)]
pub struct PaperText {
    chars: Vec<char>,
    /// Offset in the whole text of each page's first character.
    page_starts: Vec<usize>,
    page_lens: Vec<usize>,
    folded: Folded,
}

/// A page and a character offset inside that page's own text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub struct PagePoint {
    pub page: usize,
    pub offset: usize,
}

/// A range of one page's own text (offsets inside the page, `end` exclusive): what the
/// reader marks on that page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub struct PageRange {
    pub page: usize,
    pub start: usize,
    pub end: usize,
}

/// The whitespace-folded view of a text, with the way back to the whole text's offsets.
#[derive(Debug, Clone)]
pub(crate) struct Folded {
    pub(crate) text: String,
    pub(crate) chars: Vec<char>,
    /// Byte offset in `text` of each folded character, plus one for the end.
    char_bytes: Vec<usize>,
    /// Whole-text offset of each folded character.
    to_whole: Vec<usize>,
    /// Folded index of each whole-text character, plus one for the end.
    from_whole: Vec<usize>,
}

/// The folded form of a piece of text (a quote, a prefix, a suffix): whitespace runs become
/// one space, exactly as in [`PaperText`]'s own folded view, so the two compare.
pub(crate) fn fold(text: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(text.len());
    let mut in_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

impl Folded {
    fn new(chars: &[char]) -> Folded {
        let mut folded = Folded {
            text: String::with_capacity(chars.len()),
            chars: Vec::with_capacity(chars.len()),
            char_bytes: Vec::with_capacity(chars.len() + 1),
            to_whole: Vec::with_capacity(chars.len()),
            from_whole: Vec::with_capacity(chars.len() + 1),
        };
        let mut in_space = false;
        for (offset, &c) in chars.iter().enumerate() {
            let space = c.is_whitespace();
            if space && in_space {
                folded.from_whole.push(folded.chars.len() - 1);
                continue;
            }
            in_space = space;
            let c = if space { ' ' } else { c };
            folded.from_whole.push(folded.chars.len());
            folded.char_bytes.push(folded.text.len());
            folded.to_whole.push(offset);
            folded.text.push(c);
            folded.chars.push(c);
        }
        folded.from_whole.push(folded.chars.len());
        folded.char_bytes.push(folded.text.len());
        folded
    }

    /// The folded index of the character starting at `byte` of the folded text.
    pub(crate) fn char_at_byte(&self, byte: usize) -> usize {
        self.char_bytes.partition_point(|&b| b < byte)
    }

    /// The folded range that covers the whole text's `start..end`.
    pub(crate) fn range_from_whole(&self, start: usize, end: usize) -> (usize, usize) {
        let folded_start = self.from_whole[start];
        let folded_end = if end > start {
            self.from_whole[end - 1] + 1
        } else {
            folded_start
        };
        (folded_start, folded_end)
    }

    /// The whole-text range that a folded `start..end` stands for.
    pub(crate) fn range_to_whole(
        &self,
        start: usize,
        end: usize,
        whole_len: usize,
    ) -> (usize, usize) {
        let whole_start = self.to_whole.get(start).copied().unwrap_or(whole_len);
        let whole_end = if end > start {
            self.to_whole[end - 1] + 1
        } else {
            whole_start
        };
        (whole_start, whole_end)
    }
}

impl PaperText {
    pub fn new<S: AsRef<str>>(pages: &[S]) -> PaperText {
        let mut chars = Vec::new();
        let mut page_starts = Vec::with_capacity(pages.len());
        let mut page_lens = Vec::with_capacity(pages.len());
        for (index, page) in pages.iter().enumerate() {
            if index > 0 {
                chars.push('\n');
            }
            page_starts.push(chars.len());
            let before = chars.len();
            chars.extend(page.as_ref().chars());
            page_lens.push(chars.len() - before);
        }
        let folded = Folded::new(&chars);
        PaperText {
            chars,
            page_starts,
            page_lens,
            folded,
        }
    }

    /// Characters in the whole text, page breaks included.
    pub fn len(&self) -> usize {
        self.chars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    pub fn page_count(&self) -> usize {
        self.page_starts.len()
    }

    /// The whole text's characters `start..end` (clipped to the text).
    pub fn slice(&self, start: usize, end: usize) -> String {
        let end = end.min(self.len());
        self.chars[start.min(end)..end].iter().collect()
    }

    pub(crate) fn chars(&self) -> &[char] {
        &self.chars
    }

    pub(crate) fn folded(&self) -> &Folded {
        &self.folded
    }

    /// The whole-text offset of a character given by page and offset inside the page, or
    /// `None` past the page's end (the page's end itself is a valid offset).
    pub fn offset(&self, point: PagePoint) -> Option<usize> {
        let (&start, &len) = (
            self.page_starts.get(point.page)?,
            self.page_lens.get(point.page)?,
        );
        (point.offset <= len).then_some(start + point.offset)
    }

    /// Where a range *starting* at `offset` begins: the page of the character at `offset`.
    /// A start on a page break is the next page's start; the end of the text is the last
    /// page's end.
    pub fn start_point(&self, offset: usize) -> PagePoint {
        let Some(page) = self.page_at(offset) else {
            return PagePoint { page: 0, offset: 0 };
        };
        let inside = offset - self.page_starts[page];
        if inside < self.page_lens[page] || page + 1 == self.page_count() {
            PagePoint {
                page,
                offset: inside.min(self.page_lens[page]),
            }
        } else {
            PagePoint {
                page: page + 1,
                offset: 0,
            }
        }
    }

    /// Where a range *ending* at `offset` (exclusive) ends: the page of the character before
    /// it. A range that ends with a page's last character ends on that page (at its length),
    /// never at the start of the next.
    pub fn end_point(&self, offset: usize) -> PagePoint {
        if offset == 0 {
            return PagePoint { page: 0, offset: 0 };
        }
        let Some(page) = self.page_at(offset - 1) else {
            return PagePoint { page: 0, offset: 0 };
        };
        PagePoint {
            page,
            offset: (offset - self.page_starts[page]).min(self.page_lens[page]),
        }
    }

    /// The page whose text (or the break after it) holds the whole-text offset.
    fn page_at(&self, offset: usize) -> Option<usize> {
        self.page_starts
            .partition_point(|&start| start <= offset)
            .checked_sub(1)
    }

    /// The pieces of `start..end` on each page it touches, in page order; page breaks belong
    /// to no page. An empty range is one empty piece where it stands.
    pub fn page_ranges(&self, start: usize, end: usize) -> Vec<PageRange> {
        let first = self.start_point(start);
        if end <= start {
            return vec![PageRange {
                page: first.page,
                start: first.offset,
                end: first.offset,
            }];
        }
        let last = self.end_point(end);
        (first.page..=last.page.max(first.page))
            .filter_map(|page| {
                let from = if page == first.page { first.offset } else { 0 };
                let to = if page == last.page {
                    last.offset
                } else {
                    self.page_lens[page]
                };
                (to > from || first.page == last.page).then_some(PageRange {
                    page,
                    start: from,
                    end: to.max(from),
                })
            })
            .collect()
    }

    /// The quote of `start..end` with up to [`CONTEXT_CHARS`] characters of context on each
    /// side, clipped at the ends of the text.
    pub fn quote(&self, start: usize, end: usize) -> TextQuote {
        let end = end.min(self.len());
        let start = start.min(end);
        TextQuote {
            exact: self.slice(start, end),
            prefix: self.slice(start.saturating_sub(CONTEXT_CHARS), start),
            suffix: self.slice(end, end + CONTEXT_CHARS),
        }
    }

    /// The anchor of a mark made on `start..end` of this version.
    pub fn anchor(&self, start: usize, end: usize) -> TextAnchor {
        let end = end.min(self.len());
        let start = start.min(end);
        TextAnchor {
            quote: self.quote(start, end),
            position: TextPosition { start, end },
            page: self.start_point(start).page,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::{Anchor, MarkAnchor, MarkOffset};

    const PAGE_1: &str = "Điều 1. Phê chuẩn dự toán thu ngân sách nhà nước trên địa bàn";
    const PAGE_2: &str = "năm 2027 là 12.450 tỷ đồng.\nĐiều 2. Giao Ủy ban nhân dân thành phố";

    fn two_pages() -> PaperText {
        PaperText::new(&[PAGE_1, PAGE_2])
    }

    #[test]
    fn the_whole_text_is_the_pages_joined_by_one_line_break() {
        let text = two_pages();
        let page_1_chars = PAGE_1.chars().count();
        assert_eq!(text.len(), page_1_chars + 1 + PAGE_2.chars().count());
        assert_eq!(
            text.slice(page_1_chars - 5, page_1_chars + 4),
            "a bàn\nnăm",
            "the break is one character so the last word of a page and the first of the next stay two words"
        );
        assert_eq!(
            text.offset(PagePoint { page: 1, offset: 0 }),
            Some(page_1_chars + 1)
        );
        assert_eq!(
            text.offset(PagePoint {
                page: 0,
                offset: page_1_chars + 1
            }),
            None,
            "past a page's end is no place on that page"
        );
    }

    #[test]
    fn offsets_count_unicode_scalar_values_so_combining_marks_count_on_their_own() {
        let precomposed = PaperText::new(&["Điều"]);
        let decomposed = PaperText::new(&["Đie\u{302}\u{300}u"]);
        assert_eq!(precomposed.len(), 4);
        assert_eq!(
            decomposed.len(),
            6,
            "e + circumflex + grave are three scalar values, not one letter"
        );
    }

    #[test]
    fn the_last_character_of_a_page_ends_on_that_page_not_the_next() {
        let text = two_pages();
        let page_1_chars = PAGE_1.chars().count();
        // "bàn", the last word of page 1.
        let (start, end) = (page_1_chars - 3, page_1_chars);
        assert_eq!(
            text.end_point(end),
            PagePoint {
                page: 0,
                offset: page_1_chars
            }
        );
        assert_eq!(
            text.page_ranges(start, end),
            vec![PageRange {
                page: 0,
                start: page_1_chars - 3,
                end: page_1_chars
            }],
            "a mark on a page's last word stays on that page alone"
        );
        assert_eq!(
            text.start_point(end),
            PagePoint { page: 1, offset: 0 },
            "a range starting on the break starts on the next page"
        );
    }

    #[test]
    fn a_range_across_the_page_break_is_cut_into_one_piece_per_page() {
        let text = two_pages();
        let page_1_chars = PAGE_1.chars().count();
        let start = page_1_chars - 7; // "địa bàn"
        let end = page_1_chars + 1 + 8; // "năm 2027"
        assert_eq!(text.slice(start, end), "địa bàn\nnăm 2027");
        assert_eq!(
            text.page_ranges(start, end),
            vec![
                PageRange {
                    page: 0,
                    start: page_1_chars - 7,
                    end: page_1_chars
                },
                PageRange {
                    page: 1,
                    start: 0,
                    end: 8
                },
            ]
        );
        assert_eq!(text.anchor(start, end).page, 0, "the quote's first page");
    }

    #[test]
    fn a_quote_keeps_thirty_two_characters_each_side_clipped_at_the_ends_of_the_text() {
        let text = two_pages();
        let start = PAGE_1
            .find("dự toán")
            .map(|b| PAGE_1[..b].chars().count())
            .unwrap();
        let end = start + "dự toán".chars().count();
        let quote = text.quote(start, end);
        assert_eq!(quote.exact, "dự toán");
        assert_eq!(quote.prefix, "Điều 1. Phê chuẩn ", "clipped at the start");
        assert_eq!(quote.suffix.chars().count(), CONTEXT_CHARS);
        assert_eq!(quote.suffix, " thu ngân sách nhà nước trên địa");

        let last = text.quote(text.len() - 5, text.len());
        assert_eq!(last.exact, "h phố");
        assert_eq!(last.suffix, "", "nothing after the end of the paper");
    }

    #[test]
    fn an_anchor_is_stored_as_snake_case_json_tagged_by_kind() {
        let text = two_pages();
        let anchor = Anchor::Mark(MarkAnchor {
            text: text.anchor(0, 7),
            offset: MarkOffset { dx: 12.5, dy: -4.0 },
        });
        let json = serde_json::to_value(&anchor).unwrap();
        assert_eq!(json["kind"], "mark");
        assert_eq!(json["text"]["quote"]["exact"], "Điều 1.");
        assert_eq!(json["text"]["position"]["end"], 7);
        assert_eq!(json["offset"]["dx"], 12.5);
        let back: Anchor = serde_json::from_value(json).unwrap();
        assert_eq!(back, anchor, "what is synced reads back the same");
        assert_eq!(back.text().quote.exact, "Điều 1.");
    }

    #[test]
    fn a_moved_anchor_keeps_its_kind_and_a_mark_on_a_scan_stays_on_its_page() {
        let old = two_pages();
        let new = PaperText::new(&[PAGE_1, "", PAGE_2]);
        let giao = PAGE_2
            .find("Giao")
            .map(|b| PAGE_2[..b].chars().count())
            .unwrap();
        let at = PAGE_1.chars().count() + 1 + giao;

        let note = Anchor::Mark(MarkAnchor {
            text: old.anchor(at, at + 4),
            offset: MarkOffset { dx: 3.0, dy: 9.0 },
        });
        let moved = note.moved_to(&new, at + 1, at + 5);
        let Anchor::Mark(moved) = moved else {
            panic!("a note stays a mark anchor, got {moved:?}")
        };
        assert_eq!(
            moved.text.quote.exact, "Giao",
            "re-read from the new version"
        );
        assert_eq!(moved.text.page, 2, "the page the words are on now");
        assert_eq!(
            moved.offset,
            MarkOffset { dx: 3.0, dy: 9.0 },
            "still beside its words"
        );

        // A stamp on the blank middle page: the text that follows it is on the next page, so
        // re-reading the text there would carry the stamp off its page.
        let blank_start = new.offset(PagePoint { page: 1, offset: 0 }).unwrap();
        let stamp = Anchor::Mark(MarkAnchor {
            text: TextAnchor::page_only(1, blank_start),
            offset: MarkOffset { dx: 40.0, dy: 40.0 },
        });
        let moved = stamp.moved_to(&new, blank_start, blank_start);
        assert!(
            moved.text().is_page_only(),
            "still anchored to the page alone"
        );
        assert_eq!(moved.text().page, 1, "on the page it was made on");
    }

    #[test]
    fn line_and_page_breaks_fold_to_one_space_for_matching() {
        let text = PaperText::new(&["Điều 2.  Giao\r\n", "Ủy ban"]);
        assert_eq!(text.folded().text, "Điều 2. Giao Ủy ban");
        let giao = text.folded().text.find("Giao").unwrap();
        let folded_start = text.folded().char_at_byte(giao);
        let (start, end) = text
            .folded()
            .range_to_whole(folded_start, folded_start + 4, text.len());
        assert_eq!(text.slice(start, end), "Giao");
        assert_eq!(
            text.folded().range_from_whole(start, end),
            (folded_start, folded_start + 4)
        );
        assert_eq!(fold(" a \n\n b"), vec![' ', 'a', ' ', 'b']);
    }
}
