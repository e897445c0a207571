//! Members' annotations: what the reader draws and shows, and what it sends to keep one.
//! Mirrors `ecabinet_domain::Annotation` with ids as text; geometry is in PDF points.

use super::IpcError;
use ecabinet_domain as domain;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
pub struct InkPointView {
    pub x: f32,
    pub y: f32,
    /// 0 to 1 from a stylus; absent for a mouse.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pressure: Option<f32>,
}

/// What kind of mark, with its geometry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AnnotationKindView {
    Highlight,
    Underline,
    StrikeOut,
    Squiggly,
    Ink { strokes: Vec<Vec<InkPointView>> },
    Note,
    FreeText { width: f32, height: f32 },
    Rectangle { width: f32, height: f32 },
    Ellipse { width: f32, height: f32 },
    Line { dx: f32, dy: f32 },
    Arrow { dx: f32, dy: f32 },
}

/// Who besides the author reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "scope", rename_all = "snake_case")]
pub enum SharingView {
    Private,
    /// The named participants (member ids).
    Members {
        members: Vec<String>,
    },
    Meeting,
}

/// Colour (`#rrggbb`) and line width in PDF points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AnnotationStyle {
    pub colour: String,
    pub thickness: f32,
}

/// Characters `start..end` (end exclusive) of one page's own text, counted as the page's
/// text layer counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct PageRangeView {
    pub page: u32,
    pub start: u32,
    pub end: u32,
}

/// Where an annotation sits on the pages of the version open in the reader.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "at", rename_all = "snake_case")]
pub enum PlacementView {
    /// A mark on text covers these characters, a range per page it touches.
    Text { ranges: Vec<PageRangeView> },
    /// Any other mark has its origin `dx`, `dy` PDF points (x right, y down) from the
    /// top-left corner of character `char_index`'s box on `page`, or of the page itself
    /// when `char_index` is absent (a page without text).
    Mark {
        page: u32,
        #[ts(optional)]
        #[serde(skip_serializing_if = "Option::is_none")]
        char_index: Option<u32>,
        dx: f32,
        dy: f32,
    },
    /// Not on the pages open in the reader: made on another version of the paper (moved
    /// here or sent to review once the new version is read), or the paper is not open.
    Elsewhere,
}

/// Where a new mark goes, as the reader knows it: the selected characters, or a point.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, TS)]
#[serde(tag = "at", rename_all = "snake_case")]
pub enum PlaceInput {
    /// From character `start` of `page` to character `end` (exclusive) of `end_page`,
    /// counted in each page's own text.
    Text {
        page: u32,
        start: u32,
        end_page: u32,
        end: u32,
    },
    /// The mark's origin on `page`, in PDF points from its top-left corner (x right, y down);
    /// the core anchors it to the nearest word.
    Point { page: u32, x: f32, y: f32 },
}

/// Where an annotation stands with the server.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum AnnotationSyncView {
    Synced,
    /// Kept on this device, not yet acknowledged by the server.
    Pending,
    /// The server refused it; it stays shown until the member edits or deletes it.
    Refused {
        error: IpcError,
    },
}

/// An annotation as the reader shows it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AnnotationView {
    pub id: String,
    pub author_id: String,
    /// The author's display name, empty when this device has not learnt it.
    pub author_name: String,
    /// The signed-in member's own: they may edit and delete it.
    pub own: bool,
    pub paper_id: String,
    pub kind: AnnotationKindView,
    pub style: AnnotationStyle,
    pub body: String,
    pub sharing: SharingView,
    /// Where it sits on the pages open in the reader.
    pub placement: PlacementView,
    /// The anchor's page (from 0) and the text it marks or sits nearest, for lists.
    pub page: u32,
    pub quote: String,
    /// The server's revision it is, or was edited from (0 before the server first stored it).
    pub revision: u32,
    /// Milliseconds since the epoch.
    pub updated_at: i64,
    pub sync: AnnotationSyncView,
}

/// What changed among a paper's annotations since the reader last asked
/// (`paper_annotation_changes`): a new mark from sync costs the window one mark, not the
/// paper's thousands.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AnnotationChanges {
    /// Where the next question goes on from.
    pub cursor: i64,
    /// `changed` is every annotation the member sees on the paper (the first question, or
    /// one from before the changes this device keeps), not only those that changed.
    pub full: bool,
    pub changed: Vec<AnnotationView>,
    /// Annotations no longer shown: deleted, or no longer shared with the member.
    pub removed: Vec<String>,
}

/// An annotation another reader left inside the PDF file itself: shown and listed,
/// read-only. Its box is in fractions of the displayed page, like the text layer's.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct FileAnnotationView {
    pub page: u32,
    /// The PDF subtype in snake case (`highlight`, `note`, `stamp`, …), or its PDF name.
    pub kind: String,
    pub left: f32,
    pub top: f32,
    pub right: f32,
    pub bottom: f32,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contents: Option<String>,
}

/// One of the marks across a meeting's packet, for the list of every mark with the paper
/// and agenda item it belongs to.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PacketAnnotationView {
    pub annotation: AnnotationView,
    pub paper_title: String,
    /// The agenda item the paper is attached to; absent for a paper of a section.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_id: Option<String>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_title: Option<String>,
}

/// What exporting the member's marks into a copy of the paper did.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ExportOutcome {
    /// The member closed the save dialog.
    Cancelled,
    Saved {
        file_name: String,
        /// Marks written into the copy.
        written: u32,
        /// Marks made on an earlier version that could not be placed on this one with
        /// confidence: left out rather than put where they may not belong.
        left_out: u32,
    },
}

/// A new annotation (no `id`) or an edit of the member's own, on the paper open in the
/// reader.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct AnnotationInput {
    #[ts(optional)]
    pub id: Option<String>,
    pub paper_id: String,
    pub kind: AnnotationKindView,
    /// Where it goes; required for a new annotation, absent to keep an edited one's place.
    #[ts(optional)]
    pub at: Option<PlaceInput>,
    pub style: AnnotationStyle,
    #[serde(default)]
    pub body: String,
    pub sharing: SharingView,
}

impl From<&domain::AnnotationKind> for AnnotationKindView {
    fn from(k: &domain::AnnotationKind) -> Self {
        use domain::AnnotationKind as K;
        match k {
            K::Highlight => Self::Highlight,
            K::Underline => Self::Underline,
            K::StrikeOut => Self::StrikeOut,
            K::Squiggly => Self::Squiggly,
            K::Ink { strokes } => Self::Ink {
                strokes: strokes
                    .iter()
                    .map(|s| {
                        s.iter()
                            .map(|p| InkPointView {
                                x: p.x,
                                y: p.y,
                                pressure: p.pressure,
                            })
                            .collect()
                    })
                    .collect(),
            },
            K::Note => Self::Note,
            K::FreeText { width, height } => Self::FreeText {
                width: *width,
                height: *height,
            },
            K::Rectangle { width, height } => Self::Rectangle {
                width: *width,
                height: *height,
            },
            K::Ellipse { width, height } => Self::Ellipse {
                width: *width,
                height: *height,
            },
            K::Line { dx, dy } => Self::Line { dx: *dx, dy: *dy },
            K::Arrow { dx, dy } => Self::Arrow { dx: *dx, dy: *dy },
        }
    }
}

impl From<AnnotationKindView> for domain::AnnotationKind {
    fn from(k: AnnotationKindView) -> Self {
        use AnnotationKindView as V;
        match k {
            V::Highlight => Self::Highlight,
            V::Underline => Self::Underline,
            V::StrikeOut => Self::StrikeOut,
            V::Squiggly => Self::Squiggly,
            V::Ink { strokes } => Self::Ink {
                strokes: strokes
                    .into_iter()
                    .map(|s| {
                        s.into_iter()
                            .map(|p| domain::InkPoint {
                                x: p.x,
                                y: p.y,
                                pressure: p.pressure,
                            })
                            .collect()
                    })
                    .collect(),
            },
            V::Note => Self::Note,
            V::FreeText { width, height } => Self::FreeText { width, height },
            V::Rectangle { width, height } => Self::Rectangle { width, height },
            V::Ellipse { width, height } => Self::Ellipse { width, height },
            V::Line { dx, dy } => Self::Line { dx, dy },
            V::Arrow { dx, dy } => Self::Arrow { dx, dy },
        }
    }
}

impl From<&domain::Sharing> for SharingView {
    fn from(s: &domain::Sharing) -> Self {
        match s {
            domain::Sharing::Private => SharingView::Private,
            domain::Sharing::Members { members } => SharingView::Members {
                members: members.iter().map(ToString::to_string).collect(),
            },
            domain::Sharing::Meeting => SharingView::Meeting,
        }
    }
}
