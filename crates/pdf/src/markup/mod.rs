//! Annotations as they sit in a PDF file, written and read with a PDF object library
//! (`lopdf`) rather than PDFium, and exchanged as XFDF (ISO 19444-1).
//!
//! [`Markup`] is one annotation dictionary, in the page's user space (PDF points, origin at
//! the bottom-left of the media box, before `/Rotate`): what [`write_annotations`] puts into a
//! copy of a paper (with an appearance stream, so every reader shows it), what
//! [`read_annotations`] finds in a file (with its colour, which PDFium's bindings cannot read
//! safely), and what [`xfdf`] writes and reads. Only the kinds eCabinet makes are modelled
//! ([`MarkupSubtype`]); other subtypes (links, stamps, form fields, pop-ups) are left where
//! they are and listed by [`Document::annotations`](crate::Document::annotations).
//!
//! Why not PDFium: pdfium-render has no call that creates a circle or a line annotation,
//! PDFium lets page objects (an appearance) be added only to ink and stamp annotations, and it
//! writes appearance streams only for a page rendered before saving; an annotation without
//! an appearance is drawn by some readers and not by others. Writing the dictionaries and
//! their `/AP /N` form XObjects directly gives every kind the same, complete treatment.
//!
//! The copy is an incremental update: the paper's bytes stay as they are and the new objects
//! follow them, so a signed paper's signature still covers the bytes it signed.

mod appearance;
mod carry;
mod error;
mod place;
mod read;
mod winansi;
mod write;
pub mod xfdf;

pub use carry::{Carried, NeedsReview, carry_markups};
pub use error::MarkupError;
pub use place::{
    FoundMark, LaidOutPaper, PageGeometry, Style, page_geometries, place_annotation, place_mark,
    unplace_markups,
};
pub use read::read_annotations;
pub use write::write_annotations;

/// The PDF subtypes eCabinet writes and reads (PDF 32000-2, 12.5.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MarkupSubtype {
    Highlight,
    Underline,
    StrikeOut,
    Squiggly,
    Ink,
    /// `/Text`: a sticky note.
    Text,
    FreeText,
    /// `/Square`: a rectangle.
    Square,
    /// `/Circle`: an ellipse.
    Circle,
    /// A line, or with `/LE` an arrow.
    Line,
}

impl MarkupSubtype {
    pub const ALL: [MarkupSubtype; 10] = [
        Self::Highlight,
        Self::Underline,
        Self::StrikeOut,
        Self::Squiggly,
        Self::Ink,
        Self::Text,
        Self::FreeText,
        Self::Square,
        Self::Circle,
        Self::Line,
    ];

    /// The PDF name (`/Subtype`).
    pub fn pdf_name(self) -> &'static str {
        match self {
            Self::Highlight => "Highlight",
            Self::Underline => "Underline",
            Self::StrikeOut => "StrikeOut",
            Self::Squiggly => "Squiggly",
            Self::Ink => "Ink",
            Self::Text => "Text",
            Self::FreeText => "FreeText",
            Self::Square => "Square",
            Self::Circle => "Circle",
            Self::Line => "Line",
        }
    }

    pub fn from_pdf_name(name: &[u8]) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|subtype| subtype.pdf_name().as_bytes() == name)
    }

    /// The XFDF element name (ISO 19444-1: lower case, `strikeout`, `freetext`).
    pub fn xfdf_name(self) -> &'static str {
        match self {
            Self::Highlight => "highlight",
            Self::Underline => "underline",
            Self::StrikeOut => "strikeout",
            Self::Squiggly => "squiggly",
            Self::Ink => "ink",
            Self::Text => "text",
            Self::FreeText => "freetext",
            Self::Square => "square",
            Self::Circle => "circle",
            Self::Line => "line",
        }
    }

    pub fn from_xfdf_name(name: &[u8]) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|subtype| subtype.xfdf_name().as_bytes() == name)
    }

    /// Marks on text, placed by quad points.
    pub fn is_text_markup(self) -> bool {
        matches!(
            self,
            Self::Highlight | Self::Underline | Self::StrikeOut | Self::Squiggly
        )
    }
}

/// A rectangle in user space: `[left bottom right top]` as `/Rect` writes it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct UserRect {
    pub left: f32,
    pub bottom: f32,
    pub right: f32,
    pub top: f32,
}

impl UserRect {
    /// The rectangle with its corners in order (files have them either way round).
    pub fn normalised(self) -> Self {
        Self {
            left: self.left.min(self.right),
            bottom: self.bottom.min(self.top),
            right: self.left.max(self.right),
            top: self.bottom.max(self.top),
        }
    }

    pub fn width(&self) -> f32 {
        self.right - self.left
    }

    pub fn height(&self) -> f32 {
        self.top - self.bottom
    }

    /// The smallest rectangle around the points, grown by `margin` on every side.
    pub fn around(points: impl IntoIterator<Item = (f32, f32)>, margin: f32) -> Self {
        let mut rect: Option<Self> = None;
        for (x, y) in points {
            rect = Some(match rect {
                None => Self {
                    left: x,
                    bottom: y,
                    right: x,
                    top: y,
                },
                Some(r) => Self {
                    left: r.left.min(x),
                    bottom: r.bottom.min(y),
                    right: r.right.max(x),
                    top: r.top.max(y),
                },
            });
        }
        let r = rect.unwrap_or_default();
        Self {
            left: r.left - margin,
            bottom: r.bottom - margin,
            right: r.right + margin,
            top: r.top + margin,
        }
    }
}

/// One quadrilateral of `/QuadPoints`, corners in the order Acrobat writes and every reader
/// expects: top-left, top-right, bottom-left, bottom-right of the text as it reads (PDFium
/// draws a zero-width highlight from the order of the specification's figure).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Quad {
    pub top_left: (f32, f32),
    pub top_right: (f32, f32),
    pub bottom_left: (f32, f32),
    pub bottom_right: (f32, f32),
}

impl Quad {
    pub fn corners(&self) -> [(f32, f32); 4] {
        [
            self.top_left,
            self.top_right,
            self.bottom_left,
            self.bottom_right,
        ]
    }
}

/// One point of an ink stroke in user space; `pressure` (0 to 1) where the pen reported it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InkVertex {
    pub x: f32,
    pub y: f32,
    pub pressure: Option<f32>,
}

/// How a line ends (`/LE`); eCabinet draws only an open arrow head.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LineEnding {
    #[default]
    None,
    OpenArrow,
}

impl LineEnding {
    pub fn pdf_name(self) -> &'static str {
        match self {
            Self::None => "None",
            Self::OpenArrow => "OpenArrow",
        }
    }

    /// Endings this module does not draw are read as none.
    pub fn from_pdf_name(name: &[u8]) -> Self {
        if name == b"OpenArrow" {
            Self::OpenArrow
        } else {
            Self::None
        }
    }
}

/// A colour as `/C` gives it in DeviceRGB, kept as eCabinet's `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb` (any case) or `None`.
    pub fn parse(text: &str) -> Option<Self> {
        let hex = text.strip_prefix('#')?;
        if hex.len() != 6 || !hex.is_ascii() {
            return None;
        }
        let byte = |at: usize| u8::from_str_radix(&hex[at..at + 2], 16).ok();
        Some(Self(byte(0)?, byte(2)?, byte(4)?))
    }

    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    pub fn fractions(self) -> [f32; 3] {
        [self.0, self.1, self.2].map(|c| f32::from(c) / 255.0)
    }
}

/// One annotation as it sits in a PDF file.
#[derive(Debug, Clone, PartialEq)]
pub struct Markup {
    /// Zero-based page index.
    pub page: u32,
    pub subtype: MarkupSubtype,
    /// `/Rect`, normalised.
    pub rect: UserRect,
    /// `/QuadPoints`: one quad per line of marked text (text markup only).
    pub quads: Vec<Quad>,
    /// `/InkList`, with each point's pressure where known (ink only; the pressure goes in
    /// eCabinet's own `/ECabinetPressure`, since PDF has no key for it).
    pub ink: Vec<Vec<InkVertex>>,
    /// `/L`: start and end points (line only).
    pub line: Option<[(f32, f32); 2]>,
    /// `/LE`: how the line's start and end look (line only).
    pub line_endings: [LineEnding; 2],
    /// `/C`.
    pub colour: Option<Rgb>,
    /// `/CA`, from 0 (invisible) to 1.
    pub opacity: f32,
    /// `/BS /W`: line width in points.
    pub border_width: f32,
    /// `/Contents`.
    pub contents: Option<String>,
    /// `/T`: the author's name.
    pub author: Option<String>,
    /// `/M`, as a PDF date string (`D:20261205093000Z`).
    pub modified: Option<String>,
    /// `/NM`: the annotation's name, eCabinet's annotation id.
    pub name: Option<String>,
    /// `/IRT`: the name of the annotation this one replies to.
    pub in_reply_to: Option<String>,
    /// eCabinet's "needs review" marker after re-anchoring (`/ECabinetNeedsReview true`,
    /// XFDF `ec:review="needs-review"`): this annotation could not be placed with confidence on
    /// the new version and keeps its old place until a person decides.
    pub needs_review: bool,
}

impl Markup {
    /// An annotation of `subtype` with everything else empty: a starting point to fill in.
    pub fn new(page: u32, subtype: MarkupSubtype, rect: UserRect) -> Self {
        Self {
            page,
            subtype,
            rect,
            quads: Vec::new(),
            ink: Vec::new(),
            line: None,
            line_endings: [LineEnding::None; 2],
            colour: None,
            opacity: 1.0,
            border_width: 1.0,
            contents: None,
            author: None,
            modified: None,
            name: None,
            in_reply_to: None,
            needs_review: false,
        }
    }
}

/// `D:YYYYMMDDHHmmSSZ` for a time in Unix milliseconds (UTC).
pub fn pdf_date(unix_millis: i64) -> String {
    let seconds = unix_millis.div_euclid(1000);
    let (days, in_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "D:{year:04}{month:02}{day:02}{:02}{:02}{:02}Z",
        in_day / 3600,
        in_day % 3600 / 60,
        in_day % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_the_pdf_way_in_utc() {
        assert_eq!(pdf_date(0), "D:19700101000000Z");
        // 2026-12-05 09:30:15 UTC.
        assert_eq!(pdf_date(1_796_463_015_000), "D:20261205093015Z");
        assert_eq!(pdf_date(951_782_400_000), "D:20000229000000Z", "a leap day");
    }

    #[test]
    fn colours_read_as_written() {
        assert_eq!(Rgb::parse("#FFcc00"), Some(Rgb(255, 204, 0)));
        assert_eq!(Rgb(255, 204, 0).hex(), "#ffcc00");
        assert_eq!(Rgb::parse("ffcc00"), None);
        assert_eq!(Rgb::parse("#ffcc0"), None);
    }
}
