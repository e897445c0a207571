//! Members' annotations: what the reader draws and shows, and what it sends to keep one.
//! Mirrors `ecabinet_domain::Annotation` with ids as text; geometry is in PDF points.

use super::IpcError;
use ecabinet_domain as domain;
use ecabinet_domain::annotation as anchor;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The quoted words a text mark sits on, with up to 32 characters either side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TextQuoteView {
    pub exact: String,
    pub prefix: String,
    pub suffix: String,
}

/// Where in the paper's whole text (pages joined by one line break) a mark sits, counted
/// in Unicode characters, and its zero-based page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TextAnchorView {
    pub quote: TextQuoteView,
    pub start: u32,
    pub end: u32,
    pub page: u32,
}

/// Where a mark sits: on text itself, or at an offset (PDF points, x right, y down) from
/// the nearest text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AnchorView {
    Text {
        text: TextAnchorView,
    },
    Mark {
        text: TextAnchorView,
        dx: f32,
        dy: f32,
    },
}

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
    /// The signed-in member's own: they may edit and delete it.
    pub own: bool,
    pub paper_id: String,
    pub kind: AnnotationKindView,
    pub anchor: AnchorView,
    pub style: AnnotationStyle,
    pub body: String,
    pub sharing: SharingView,
    /// The server's revision it is, or was edited from (0 before the server first stored it).
    pub revision: u32,
    /// Milliseconds since the epoch.
    pub updated_at: i64,
    pub sync: AnnotationSyncView,
}

/// A new annotation (no `id`) or an edit of the member's own.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct AnnotationInput {
    #[ts(optional)]
    pub id: Option<String>,
    pub paper_id: String,
    pub kind: AnnotationKindView,
    pub anchor: AnchorView,
    pub style: AnnotationStyle,
    #[serde(default)]
    pub body: String,
    pub sharing: SharingView,
}

impl From<&anchor::TextAnchor> for TextAnchorView {
    fn from(a: &anchor::TextAnchor) -> Self {
        TextAnchorView {
            quote: TextQuoteView {
                exact: a.quote.exact.clone(),
                prefix: a.quote.prefix.clone(),
                suffix: a.quote.suffix.clone(),
            },
            start: a.position.start as u32,
            end: a.position.end as u32,
            page: a.page as u32,
        }
    }
}

impl From<TextAnchorView> for anchor::TextAnchor {
    fn from(a: TextAnchorView) -> Self {
        anchor::TextAnchor {
            quote: anchor::TextQuote {
                exact: a.quote.exact,
                prefix: a.quote.prefix,
                suffix: a.quote.suffix,
            },
            position: anchor::TextPosition {
                start: a.start as usize,
                end: a.end as usize,
            },
            page: a.page as usize,
        }
    }
}

impl From<&anchor::Anchor> for AnchorView {
    fn from(a: &anchor::Anchor) -> Self {
        match a {
            anchor::Anchor::Text(text) => AnchorView::Text { text: text.into() },
            anchor::Anchor::Mark(mark) => AnchorView::Mark {
                text: (&mark.text).into(),
                dx: mark.offset.dx,
                dy: mark.offset.dy,
            },
        }
    }
}

impl From<AnchorView> for anchor::Anchor {
    fn from(a: AnchorView) -> Self {
        match a {
            AnchorView::Text { text } => anchor::Anchor::Text(text.into()),
            AnchorView::Mark { text, dx, dy } => anchor::Anchor::Mark(anchor::MarkAnchor {
                text: text.into(),
                offset: anchor::MarkOffset { dx, dy },
            }),
        }
    }
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
