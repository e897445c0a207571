//! Annotations that survive amendments: what a mark is anchored by, how it finds its place
//! again in a new version of the paper, and what changed between the two versions.
//!
//! Everything here works on text handed in by the caller (the PDF engine extracts it; this
//! crate performs no IO).
//!
//! **The unit of every offset is the Unicode scalar value** (a Rust `char`), counted in a
//! paper's whole text: its pages' texts joined by one `'\n'` (see [`PaperText`]).
//! A Vietnamese letter written with combining marks (`e` + U+0302 + U+0301) therefore counts
//! as three, the precomposed `ế` as one; PDFium hands out the same form for the same file,
//! and the matching here compares characters as given, so both versions of a paper must come
//! from the same extraction (they do: the app extracts every version the same way).

mod anchor;
mod changes;
#[cfg(test)]
mod fixtures;
mod paper_text;
mod reanchor;

pub use anchor::{
    Anchor, CONTEXT_CHARS, MarkAnchor, MarkOffset, TextAnchor, TextPosition, TextQuote,
};
pub use changes::{Amendment, Change, ChangeKind, MAX_EDIT_WORDS, MERGE_GAP_WORDS, changes};
pub use paper_text::{PagePoint, PageRange, PaperText};
pub use reanchor::{
    Candidate, MIN_MARGIN, PLACE_SCORE, POSITION_WEIGHT, PREFIX_WEIGHT, QUOTE_WEIGHT,
    REVIEW_CANDIDATES, Reanchoring, SUFFIX_WEIGHT, reanchor,
};
