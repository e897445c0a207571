//! Papers replaced by an amended version: the member's marks that could not be moved with
//! confidence ("needs review"), how the member settles one, and what changed inside the
//! paper since the version they last read.
//!
//! Places are given as the reader counts them: a zero-based page and character offsets in
//! that page's own text (`end` exclusive), so the reader boxes them with the page's
//! character boxes.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Characters `start..end` of one page's text of the current version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct ChangeRangeView {
    pub page: u32,
    pub start: u32,
    pub end: u32,
}

/// How a passage differs from the earlier version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TextChangeKind {
    /// Only in the current version.
    Inserted,
    /// Only in the earlier version: `ranges` is one empty range where it used to be.
    Deleted,
    /// Other words in place of the earlier ones.
    Changed,
}

/// One passage that differs between the earlier version and the current one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TextChangeView {
    pub kind: TextChangeKind,
    /// The earlier version's words (empty for an insertion).
    pub old_text: String,
    /// The current version's words (empty for a deletion).
    pub new_text: String,
    /// Where it is on the current version, a range per page it touches (one empty range
    /// for a deletion, where the text was).
    pub ranges: Vec<ChangeRangeView>,
}

/// Why a paper's changes cannot be listed on this device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ChangesUnavailable {
    /// Only one version of this paper was published: nothing to compare.
    NoEarlierVersion,
    /// The current version's text is not read yet (downloading or indexing).
    NotReadYet,
    /// The earlier version's text is not on this device and could not be fetched.
    EarlierVersionMissing,
    /// The paper has no text layer (a scan): words cannot be compared.
    NoText,
}

/// What changed inside a replaced paper.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PaperAmendmentView {
    pub paper_id: String,
    /// The packet version whose file the changes are measured from (the one the member
    /// last read, or the one before the current file when they never read another).
    #[ts(optional)]
    pub since_version: Option<u32>,
    /// The member opened that version (else it is simply the one before the current file).
    pub since_read: bool,
    /// The packet version of the current file.
    pub current_version: u32,
    /// In the current version's order.
    pub changes: Vec<TextChangeView>,
    pub count: u32,
    #[ts(optional)]
    pub unavailable: Option<ChangesUnavailable>,
}

/// A place the member may put a mark that could not be moved by itself.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ReviewCandidateView {
    /// Whole-text offsets in the current version: what the member sends back to choose it.
    pub start: u32,
    pub end: u32,
    /// The words there, with a little context either side.
    pub text: String,
    pub before: String,
    pub after: String,
    /// Where it is on the current version's pages.
    pub ranges: Vec<ChangeRangeView>,
    /// From 0 to 1: how well quote and context agree.
    pub score: f32,
}

/// A mark of the member's, made on an earlier version, that waits for them to place it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AnnotationReviewView {
    pub annotation_id: String,
    pub paper_id: String,
    /// `highlight`, `underline`, `strike_out`, `squiggly`, `ink`, `note`, `free_text`,
    /// `rectangle`, `ellipse`, `line` or `arrow`.
    pub kind: String,
    /// The words it marked (or sat nearest) on the earlier version, with their context.
    pub old_quote: String,
    pub old_before: String,
    pub old_after: String,
    /// Its page (from 0) on the earlier version.
    pub old_page: u32,
    /// The note's words or comment, if any.
    pub body: String,
    /// The packet version it was made on.
    #[ts(optional)]
    pub made_on_version: Option<u32>,
    /// The best places found, best first (at most three; possibly none).
    pub candidates: Vec<ReviewCandidateView>,
}

/// How the member settles a mark that needs review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(tag = "choice", rename_all = "snake_case")]
pub enum ReviewChoice {
    /// Put it on this candidate (whole-text offsets of the current version, as listed).
    Candidate { start: u32, end: u32 },
    /// The passage is gone and so is the reason for the mark: delete it (it stays in the
    /// annotation's history on the server).
    Delete,
}
