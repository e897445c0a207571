//! What a member typed, as search terms, and where those terms occur in a page's text.

use std::ops::Range;

use crate::fold::{Folded, Word, fold, words};

/// More words than anyone types into a search box; the rest of a pasted paragraph is ignored,
/// which bounds the work a hostile query can ask of FTS5.
pub const MAX_TERMS: usize = 32;

/// A search as typed: its folded words, all of which a page must contain.
///
/// Every term is matched whole: `sach` finds "sách" and "SÁCH", not "sáchx", and `sac` finds
/// nothing. Making the last term a prefix (`"sa"*`), so that results could follow typing, was
/// measured with benches/search.rs over a million pages and rejected: FTS5 merges the page
/// lists of every word with that prefix before it returns the first match, so "ngan sa*" took
/// 210-280 ms, "cu t*" 7-9 s, and even a whole word as a prefix ("ngan sach*") about 50 ms,
/// against a goal of 10 ms. (A `prefix=` index serves only prefixes of the lengths it was
/// built for, and adds about as many entries again for each length.) The app searches when the
/// member stops typing instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    terms: Vec<String>,
}

impl Query {
    /// Folds `input` and splits it into terms (runs of letters and digits). Punctuation and
    /// FTS5 syntax are only separators, so any input is a valid query; one without letters or
    /// digits has no terms and finds nothing.
    pub fn parse(input: &str) -> Self {
        let folded = fold(input);
        let terms = words(&folded.text)
            .into_iter()
            .take(MAX_TERMS)
            .map(|word| word.text.to_owned())
            .collect();
        Self { terms }
    }

    /// The folded terms, in the order typed.
    pub fn terms(&self) -> &[String] {
        &self.terms
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The FTS5 MATCH expression: every term a double-quoted string (quotes inside doubled),
    /// so nothing a member types is read as FTS5 syntax; juxtaposed strings are an AND.
    /// `None` when there is nothing to search for.
    pub(crate) fn match_expression(&self) -> Option<String> {
        if self.terms.is_empty() {
            return None;
        }
        let quoted: Vec<String> = self
            .terms
            .iter()
            .map(|term| format!("\"{}\"", term.replace('"', "\"\"")))
            .collect();
        Some(quoted.join(" "))
    }

    /// Where the terms occur one after another in `original`, separated only by what is not
    /// a letter or digit (spaces, punctuation, line breaks): a browser's find, but blind to
    /// diacritics and case. Ranges are char indices into `original`, not byte offsets, and do
    /// not overlap.
    pub fn phrase_ranges(&self, original: &str) -> Vec<Range<usize>> {
        if self.terms.is_empty() {
            return Vec::new();
        }
        let owned = OwnedFoldedPage::new(original);
        let page = owned.page();
        let n = self.terms.len();
        let mut ranges = Vec::new();
        let mut i = 0;
        while i + n <= page.words.len() {
            let run = &page.words[i..i + n];
            if run
                .iter()
                .zip(&self.terms)
                .all(|(word, term)| word.text == term)
            {
                ranges.push(page.original_range(&run[0], &run[n - 1]));
                i += n;
            } else {
                i += 1;
            }
        }
        ranges
    }

    /// Where each term occurs in `original` as a whole word, in order of position, as char
    /// ranges into `original`.
    pub fn term_ranges(&self, original: &str) -> Vec<Range<usize>> {
        if self.terms.is_empty() {
            return Vec::new();
        }
        let owned = OwnedFoldedPage::new(original);
        let page = owned.page();
        page.words
            .iter()
            .filter(|word| self.terms.iter().any(|term| word.text == term))
            .map(|word| page.original_range(word, word))
            .collect()
    }
}

/// A page's text folded, with its words, for mapping matches back to the original.
pub(crate) struct FoldedPage<'a> {
    folded: &'a Folded,
    pub words: Vec<Word<'a>>,
    /// Chars in the original text.
    original_len: usize,
}

impl<'a> FoldedPage<'a> {
    /// The original chars from the start of `first` to the end of `last`, including any
    /// combining marks that follow the last folded char (decomposed input).
    pub fn original_range(&self, first: &Word<'_>, last: &Word<'_>) -> Range<usize> {
        let origin = &self.folded.origin;
        let start = origin[first.start] as usize;
        let last_char = origin[last.end - 1] as usize;
        let next = origin
            .get(last.end)
            .map_or(self.original_len, |&next| next as usize);
        start..next.max(last_char + 1)
    }
}

/// `FoldedPage` borrows the folded text its words point into; this owns both.
pub(crate) struct OwnedFoldedPage {
    folded: Folded,
    original_len: usize,
}

impl OwnedFoldedPage {
    pub fn new(original: &str) -> Self {
        Self {
            folded: fold(original),
            original_len: original.chars().count(),
        }
    }

    pub fn page(&self) -> FoldedPage<'_> {
        FoldedPage {
            folded: &self.folded,
            words: words(&self.folded.text),
            original_len: self.original_len,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fts5_syntax_typed_in_a_query_is_only_words_in_quotes() {
        let query = Query::parse("ngân\"sách AND (NEAR* col:x) -y ^z");
        assert_eq!(
            query.match_expression().as_deref(),
            Some(r#""ngan" "sach" "and" "near" "col" "x" "y" "z""#),
            "quotes, brackets, stars, colons and operators are separators, operators are words"
        );
        assert_eq!(Query::parse(" \"*( ").match_expression(), None);
    }
}
