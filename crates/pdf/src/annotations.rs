//! The annotations already inside a PDF (comments, highlights, stamps, form fields others made
//! with other readers), read-only: the app shows and lists them next to its own.
//!
//! Nothing is skipped: a subtype this module has no name for comes back as
//! [`AnnotationKind::Other`] with its PDF name, and an annotation whose rectangle PDFium cannot
//! read gets a box of no size at the page's top-left corner.
//!
//! Colour (`/C`) is not read: pdfium-render 0.9.5's `stroke_color` and `fill_color`, when
//! `FPDFAnnot_GetColor` fails (an annotation with an appearance stream, or without `/C`), pass
//! the annotation's handle to `FPDFPageObj_GetStrokeColor` as if it were a page object, which
//! crashes PDFium (seen on every pop-up and stamp in `shared/corpus/realworld`). Reading it
//! needs the raw annotation handle, which pdfium-render does not expose.

use pdfium_render::prelude::{
    PdfPage, PdfPageAnnotation, PdfPageAnnotationCommon, PdfPageAnnotationType, PdfRect,
};
use serde::{Deserialize, Serialize};

use crate::layout::{CharBox, PageFrame};

/// What kind of annotation it is: the PDF `/Subtype`, for the kinds a reader tells apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnnotationKind {
    /// `/Text`: a sticky note.
    Note,
    FreeText,
    Highlight,
    Underline,
    Squiggly,
    StrikeOut,
    Ink,
    Square,
    Circle,
    Line,
    Polygon,
    Polyline,
    Stamp,
    Link,
    /// A form field's widget.
    Widget,
    /// The pop-up window another annotation shows its text in.
    Popup,
    /// Any other subtype, by its PDF name (`Caret`, `FileAttachment`, `3D`, ...).
    Other(String),
}

impl AnnotationKind {
    fn of(subtype: PdfPageAnnotationType) -> Self {
        use PdfPageAnnotationType as Subtype;
        let other = |name: &str| Self::Other(name.to_owned());
        match subtype {
            Subtype::Text => Self::Note,
            Subtype::FreeText => Self::FreeText,
            Subtype::Highlight => Self::Highlight,
            Subtype::Underline => Self::Underline,
            Subtype::Squiggly => Self::Squiggly,
            Subtype::Strikeout => Self::StrikeOut,
            Subtype::Ink => Self::Ink,
            Subtype::Square => Self::Square,
            Subtype::Circle => Self::Circle,
            Subtype::Line => Self::Line,
            Subtype::Polygon => Self::Polygon,
            Subtype::Polyline => Self::Polyline,
            Subtype::Stamp => Self::Stamp,
            Subtype::Link => Self::Link,
            Subtype::Widget => Self::Widget,
            Subtype::Popup => Self::Popup,
            // PDF names (PDF 32000-2, table 171), not pdfium-render's spelling.
            Subtype::Caret => other("Caret"),
            Subtype::FileAttachment => other("FileAttachment"),
            Subtype::Sound => other("Sound"),
            Subtype::Movie => other("Movie"),
            Subtype::Screen => other("Screen"),
            Subtype::PrinterMark => other("PrinterMark"),
            Subtype::TrapNet => other("TrapNet"),
            Subtype::Watermark => other("Watermark"),
            Subtype::ThreeD => other("3D"),
            Subtype::RichMedia => other("RichMedia"),
            Subtype::XfaWidget => other("XFAWidget"),
            Subtype::Redacted => other("Redact"),
            // PDFium's name for a subtype it does not know.
            Subtype::Unknown => other("Unknown"),
        }
    }

    /// The short name the `annotations` command prints: the serialised name, or the PDF name
    /// of an [`AnnotationKind::Other`].
    pub fn name(&self) -> &str {
        match self {
            Self::Note => "note",
            Self::FreeText => "free_text",
            Self::Highlight => "highlight",
            Self::Underline => "underline",
            Self::Squiggly => "squiggly",
            Self::StrikeOut => "strike_out",
            Self::Ink => "ink",
            Self::Square => "square",
            Self::Circle => "circle",
            Self::Line => "line",
            Self::Polygon => "polygon",
            Self::Polyline => "polyline",
            Self::Stamp => "stamp",
            Self::Link => "link",
            Self::Widget => "widget",
            Self::Popup => "popup",
            Self::Other(name) => name,
        }
    }
}

/// One annotation found in a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageAnnotation {
    /// Zero-based index of the page it is on.
    pub page: u32,
    pub kind: AnnotationKind,
    /// Its `/Rect` as fractions of the page as displayed, the same convention as
    /// [`TextLayout`](crate::TextLayout)'s boxes: after the crop box and `/Rotate`, from the
    /// top-left corner, clamped to the page (pop-ups often sit in the margin beyond it).
    pub rect: CharBox,
    /// `/T`: who made it, as the other reader recorded it.
    pub author: Option<String>,
    /// `/Contents`: its text.
    pub contents: Option<String>,
    /// `/M` as the PDF wrote it (`D:YYYYMMDDHHmmSSOHH'mm'`, often incomplete).
    pub modified: Option<String>,
}

/// The annotations of one page, in the page's `/Annots` order.
pub(crate) fn of_page(page: &PdfPage<'_>, index: u32, frame: &PageFrame) -> Vec<PageAnnotation> {
    page.annotations()
        .iter()
        .map(|annotation| read(&annotation, index, frame))
        .collect()
}

fn read(annotation: &PdfPageAnnotation<'_>, page: u32, frame: &PageFrame) -> PageAnnotation {
    let text = |value: Option<String>| value.filter(|value| !value.trim().is_empty());
    PageAnnotation {
        page,
        kind: AnnotationKind::of(annotation.annotation_type()),
        rect: annotation
            .bounds()
            .map(|bounds| frame.place(&normalised(&bounds)))
            .unwrap_or_default(),
        author: text(annotation.creator()),
        contents: text(annotation.contents()),
        modified: text(annotation.modification_date()),
    }
}

/// A `/Rect` whose corners come in the wrong order (real files have them) as left < right and
/// bottom < top.
fn normalised(rect: &PdfRect) -> PdfRect {
    let (left, right) = (rect.left().value, rect.right().value);
    let (bottom, top) = (rect.bottom().value, rect.top().value);
    PdfRect::new_from_values(
        bottom.min(top),
        left.min(right),
        bottom.max(top),
        left.max(right),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corners_in_the_wrong_order_are_put_right() {
        // An ink annotation's /Rect from a real file: [129.67 698.33 111.67 774.33].
        let rect = normalised(&PdfRect::new_from_values(698.33, 129.67, 774.33, 111.67));
        assert_eq!(rect.left().value, 111.67);
        assert_eq!(rect.right().value, 129.67);
        assert_eq!(rect.bottom().value, 698.33);
        assert_eq!(rect.top().value, 774.33);
    }

    #[test]
    fn subtypes_without_a_kind_keep_their_pdf_name() {
        assert_eq!(
            AnnotationKind::of(PdfPageAnnotationType::ThreeD),
            AnnotationKind::Other("3D".to_owned())
        );
        assert_eq!(
            AnnotationKind::of(PdfPageAnnotationType::Text).name(),
            "note"
        );
        assert_eq!(
            AnnotationKind::of(PdfPageAnnotationType::Strikeout).name(),
            "strike_out"
        );
    }
}
