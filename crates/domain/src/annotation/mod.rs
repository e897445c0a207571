//! Annotations that survive amendments: what a mark is anchored by, how it finds its place
//! again in a new version of the paper, and what changed between the two versions.
//!
//! Everything here works on text handed in by the caller (the PDF engine extracts it; this
//! crate performs no IO).
//!
//! **The unit of every offset is the Unicode scalar value** (a Rust `char`), counted in a
//! paper's whole text: its pages' texts joined by one `'\n'` (see [`PaperText`]).
//! A Vietnamese letter written with combining marks (`e` + U+0302 + U+0301) therefore counts
//! as three, the precomposed `ế` as one. Offsets are kept in the form the text layer gives,
//! since the reader maps them to character boxes; no normalisation happens here. Two versions
//! extracted in different forms would not match exactly: their marks would go through the
//! approximate search and, failing that, to review (never to a wrong place by themselves).
//!
//! The pieces: [`PaperText`] (a version's text), [`TextAnchor`] and [`Anchor`] (what an
//! annotation stores), [`reanchor`] (a new place from the anchor alone), and [`Amendment`]
//! (an old and a new version aligned word by word: the [`Change`]s a delegate is shown, and
//! [`Amendment::reanchor`], which uses the same alignment before the quote search).

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
