//! What an annotation is anchored by: stored with it, synced with it, and enough on its own
//! to find its place again in a new version of the paper.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::PaperText;

/// Characters of context kept on each side of a quote, as Hypothesis keeps them: enough to
/// tell apart most repetitions of a short quote, short enough that an edit near the quote
/// spoils only one side.
pub const CONTEXT_CHARS: usize = 32;

/// The marked text and the text around it, as it read in the version the mark was made on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub struct TextQuote {
    /// The marked text itself.
    pub exact: String,
    /// Up to [`CONTEXT_CHARS`] characters before it (fewer at the start of the paper).
    pub prefix: String,
    /// Up to [`CONTEXT_CHARS`] characters after it (fewer at the end of the paper).
    pub suffix: String,
}

/// Where the marked text was: character offsets in the paper's whole text (see
/// [`PaperText`](super::PaperText) for the unit), `start` inclusive, `end` exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub struct TextPosition {
    pub start: usize,
    pub end: usize,
}

/// A mark on text (highlight, underline, strike-through, squiggly): the quote finds it
/// again, the position and page say where to look first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub struct TextAnchor {
    pub quote: TextQuote,
    pub position: TextPosition,
    /// The page (from 0) of the quote's first character.
    pub page: usize,
}

impl TextAnchor {
    /// The anchor of a mark on a page without text: an empty quote at `offset`, the page's
    /// start in the paper's whole text.
    pub fn page_only(page: usize, offset: usize) -> TextAnchor {
        TextAnchor {
            quote: TextQuote {
                exact: String::new(),
                prefix: String::new(),
                suffix: String::new(),
            },
            position: TextPosition {
                start: offset,
                end: offset,
            },
            page,
        }
    }

    /// Anchored to its page alone (no quote, no context): a mark on a scan.
    pub fn is_page_only(&self) -> bool {
        self.quote.exact.is_empty() && self.quote.prefix.is_empty() && self.quote.suffix.is_empty()
    }
}

/// How far a mark that is not on text sits from the text it is anchored to, in PDF points
/// from the top-left corner of that text's first character box (x to the right, y down), or
/// from the page's top-left corner for a mark anchored to the page alone.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub struct MarkOffset {
    pub dx: f32,
    pub dy: f32,
}

/// A mark that is not on text (ink, shapes, sticky notes, free text): it follows the nearest
/// text, so an amendment that moves that text down the page moves the mark with it.
///
/// On a page without text (a scan) there is no text to follow: the mark is anchored to the
/// page itself ([`TextAnchor::page_only`]: an empty quote at the page's start), and its offset
/// is measured from the page's top-left corner. It stays on that page in a new version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub struct MarkAnchor {
    /// The text nearest the mark when it was made.
    pub text: TextAnchor,
    pub offset: MarkOffset,
}

/// What an annotation is anchored by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Anchor {
    Text(TextAnchor),
    Mark(MarkAnchor),
}

impl Anchor {
    /// The text the annotation follows into a new version: its own, or its nearest.
    pub fn text(&self) -> &TextAnchor {
        match self {
            Anchor::Text(text) => text,
            Anchor::Mark(mark) => &mark.text,
        }
    }

    /// The same kind of anchor on `start..end` of `new`, where re-anchoring placed it: a
    /// mark not on text keeps its offset from its text, and a mark on a page alone stays
    /// anchored to that page alone (its page, not the text that happens to follow it).
    pub fn moved_to(&self, new: &PaperText, start: usize, end: usize) -> Anchor {
        let old = self.text();
        let text = if old.is_page_only() {
            TextAnchor::page_only(old.page, start)
        } else {
            new.anchor(start, end)
        };
        match self {
            Anchor::Text(_) => Anchor::Text(text),
            Anchor::Mark(mark) => Anchor::Mark(MarkAnchor {
                text,
                offset: mark.offset,
            }),
        }
    }
}
