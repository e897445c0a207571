//! Where each character of a page's text sits on the page as a reader displays it: what a text
//! layer for selection, and the highlights of find, are drawn from.
//!
//! The text and its boxes come from one walk over PDFium's characters ([`collect`]), and
//! [`Document::page_text`](crate::Document::page_text) is the same walk without the boxes, so a
//! character index found by searching the page's text is also the index of its box.

use pdfium_render::prelude::{PdfPageRenderRotation, PdfPageText, PdfRect};
use serde::{Deserialize, Serialize};

/// The text of one page and the box of each of its characters.
///
/// `boxes[i]` belongs to the `i`-th `char` of `text` (Unicode scalar values, not bytes): there
/// are exactly `text.chars().count()` boxes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TextLayout {
    /// The same text as [`Document::page_text`](crate::Document::page_text): lines end in `\n`.
    pub text: String,
    pub boxes: Vec<CharBox>,
}

impl TextLayout {
    /// The word nearest a point of the page (`x`, `y` as fractions of the displayed page,
    /// like the boxes): the range of characters (end exclusive) of the visible word whose
    /// box is closest, or inside which the point lies; `None` on a page without visible
    /// text. A mark drawn beside the text is anchored to it, so it follows that word into a
    /// new version of the paper. `aspect` is the page's height over its width, so that
    /// distances across and down the page compare in the same unit.
    pub fn word_nearest(&self, x: f32, y: f32, aspect: f32) -> Option<std::ops::Range<usize>> {
        let distance = |b: &CharBox| {
            let dx = (b.left - x).max(x - b.right).max(0.0);
            let dy = ((b.top - y).max(y - b.bottom).max(0.0)) * aspect;
            dx * dx + dy * dy
        };
        let visible = |b: &CharBox| b.right > b.left && b.bottom > b.top;
        let nearest = self
            .boxes
            .iter()
            .enumerate()
            .filter(|(_, b)| visible(b))
            .min_by(|(_, a), (_, b)| distance(a).total_cmp(&distance(b)))?
            .0;
        let chars: Vec<char> = self.text.chars().collect();
        let in_word = |i: usize| chars.get(i).is_some_and(|c| !c.is_whitespace());
        let mut start = nearest;
        while start > 0 && in_word(start - 1) {
            start -= 1;
        }
        let mut end = nearest + 1;
        while in_word(end) {
            end += 1;
        }
        Some(start..end)
    }
}

/// A character's box as fractions (0 to 1) of the page as displayed, that is after the page's
/// own rotation, measured from its top-left corner: multiply by the rendered bitmap's width
/// and height to get pixels. Line breaks and spaces PDFium inserts have boxes of no size.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct CharBox {
    pub left: f32,
    pub top: f32,
    pub right: f32,
    pub bottom: f32,
}

/// The page as the renderer sees it: the rectangle of user space that is displayed (the crop
/// box within the media box, which PDFium calls the page's bounding box) and how many quarter
/// turns clockwise it is displayed with (`/Rotate`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct PageFrame {
    left: f32,
    bottom: f32,
    right: f32,
    top: f32,
    quarter_turns: u8,
}

impl PageFrame {
    pub fn new(displayed: PdfRect, rotation: PdfPageRenderRotation) -> Self {
        Self {
            left: displayed.left().value,
            bottom: displayed.bottom().value,
            right: displayed.right().value,
            top: displayed.top().value,
            quarter_turns: match rotation {
                PdfPageRenderRotation::None => 0,
                PdfPageRenderRotation::Degrees90 => 1,
                PdfPageRenderRotation::Degrees180 => 2,
                PdfPageRenderRotation::Degrees270 => 3,
            },
        }
    }

    /// Maps a rectangle in PDF user space (points, origin bottom-left) to the displayed page,
    /// the way PDFium's display matrix does when it renders (`CPDF_Page::GetDisplayMatrix`).
    /// Anything outside the page is clamped to its edge, so every box stays within 0..1.
    pub fn place(&self, rect: &PdfRect) -> CharBox {
        let (width, height) = (self.right - self.left, self.top - self.bottom);
        // Fractions of the unrotated page, measured from its bottom-left corner.
        let across = |x: f32| (x - self.left) / width;
        let up = |y: f32| (y - self.bottom) / height;
        let (u0, u1) = (across(rect.left().value), across(rect.right().value));
        let (v0, v1) = (up(rect.bottom().value), up(rect.top().value));
        let (left, top, right, bottom) = match self.quarter_turns {
            // A quarter turn clockwise brings the left edge to the top.
            1 => (v0, u0, v1, u1),
            2 => (1.0 - u1, v0, 1.0 - u0, v1),
            3 => (1.0 - v1, 1.0 - u1, 1.0 - v0, 1.0 - u0),
            _ => (u0, 1.0 - v1, u1, 1.0 - v0),
        };
        CharBox {
            left: unit(left),
            top: unit(top),
            right: unit(right),
            bottom: unit(bottom),
        }
    }
}

/// Clamps to 0..1; a page of no size gives NaN, which becomes 0.
fn unit(fraction: f32) -> f32 {
    if fraction.is_nan() {
        0.0
    } else {
        fraction.clamp(0.0, 1.0)
    }
}

impl CharBox {
    fn union(&self, other: &Self) -> Self {
        Self {
            left: self.left.min(other.left),
            top: self.top.min(other.top),
            right: self.right.max(other.right),
            bottom: self.bottom.max(other.bottom),
        }
    }

    /// A box of no size where `self` ends, for a character PDFium gives no box for.
    fn end(&self) -> Self {
        Self {
            left: self.right,
            right: self.right,
            top: self.top,
            bottom: self.bottom,
        }
    }
}

const CARRIAGE_RETURN: u32 = '\r' as u32;
const LINE_FEED: u32 = '\n' as u32;
const HIGH_SURROGATES: std::ops::RangeInclusive<u32> = 0xD800..=0xDBFF;
const LOW_SURROGATES: std::ops::RangeInclusive<u32> = 0xDC00..=0xDFFF;

/// The page's characters in PDFium's reading order, with their boxes when `frame` is given.
///
/// Each `char` of the text gets exactly one box, so text and boxes line up by construction:
/// - characters whose Unicode value is 0 are left out, as PDFium's own text extraction does;
/// - PDFium gives a character beyond the Basic Multilingual Plane (an emoji, a rare CJK
///   ideograph) as two UTF-16 surrogates: they become one `char` whose box spans both;
/// - any other value that is not a Unicode scalar value (a lone surrogate from a broken
///   `/ToUnicode` map) becomes U+FFFD, so the text stays valid UTF-8;
/// - PDFium ends lines with `\r\n`: the `\r` is left out (a lone `\r` becomes `\n`), so lines
///   end in `\n` only.
pub(crate) fn collect(text: &PdfPageText<'_>, frame: Option<&PageFrame>) -> TextLayout {
    let chars = text.chars();
    let count = chars.len();
    let unicode_at = |index: usize| chars.get(index).map_or(0, |char| char.unicode_value());
    let bounds_at = |index: usize| chars.get(index).and_then(|char| char.loose_bounds());
    let mut layout = TextLayout {
        text: String::with_capacity(count),
        boxes: Vec::with_capacity(if frame.is_some() { count } else { 0 }),
    };
    let mut index = 0;
    while index < count {
        let first = index;
        index += 1;
        let value = unicode_at(first);
        let character = match value {
            0 => continue,
            CARRIAGE_RETURN if unicode_at(index) == LINE_FEED => continue,
            CARRIAGE_RETURN => '\n',
            high if HIGH_SURROGATES.contains(&high)
                && LOW_SURROGATES.contains(&unicode_at(index)) =>
            {
                let low = unicode_at(index);
                index += 1;
                char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                    .unwrap_or(char::REPLACEMENT_CHARACTER)
            }
            value => char::from_u32(value).unwrap_or(char::REPLACEMENT_CHARACTER),
        };
        layout.text.push(character);
        if let Some(frame) = frame {
            let placed = (first..index)
                .filter_map(|at| bounds_at(at).ok())
                .map(|bounds| frame.place(&bounds))
                .reduce(|a, b| a.union(&b))
                .or_else(|| layout.boxes.last().map(CharBox::end))
                .unwrap_or_default();
            layout.boxes.push(placed);
        }
    }
    layout
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(rotation: PdfPageRenderRotation) -> PageFrame {
        // An A4 page whose crop box starts away from the origin, as scans often have.
        PageFrame::new(
            PdfRect::new_from_values(100.0, 50.0, 100.0 + 842.0, 50.0 + 595.0),
            rotation,
        )
    }

    /// A glyph near the unrotated page's top-left corner: 60..110 across, 902..932 up.
    fn glyph() -> PdfRect {
        PdfRect::new_from_values(902.0, 60.0, 932.0, 110.0)
    }

    fn close(actual: CharBox, expected: [f32; 4]) -> bool {
        let actual = [actual.left, actual.top, actual.right, actual.bottom];
        actual
            .iter()
            .zip(expected)
            .all(|(actual, expected)| (actual - expected).abs() < 1e-4)
    }

    #[test]
    fn a_glyph_follows_the_page_through_each_quarter_turn() {
        let (u0, u1) = (10.0 / 595.0, 60.0 / 595.0);
        let (v0, v1) = (802.0 / 842.0, 832.0 / 842.0);
        let cases = [
            // Upright: near the top-left corner.
            (PdfPageRenderRotation::None, [u0, 1.0 - v1, u1, 1.0 - v0]),
            // Turned clockwise: the page's left edge is now its top, so the glyph sits at
            // the top-right.
            (PdfPageRenderRotation::Degrees90, [v0, u0, v1, u1]),
            // Upside down: bottom-right.
            (
                PdfPageRenderRotation::Degrees180,
                [1.0 - u1, v0, 1.0 - u0, v1],
            ),
            // Turned anticlockwise: bottom-left.
            (
                PdfPageRenderRotation::Degrees270,
                [1.0 - v1, 1.0 - u1, 1.0 - v0, 1.0 - u0],
            ),
        ];
        for (rotation, expected) in cases {
            let placed = frame(rotation).place(&glyph());
            assert!(close(placed, expected), "{rotation:?}: {placed:?}");
            assert!(placed.left < placed.right && placed.top < placed.bottom);
        }
    }

    #[test]
    fn boxes_outside_the_page_or_on_a_page_of_no_size_stay_within_it() {
        let off_page = PdfRect::new_from_values(-500.0, -500.0, 5000.0, 5000.0);
        let placed = frame(PdfPageRenderRotation::None).place(&off_page);
        assert!(close(placed, [0.0, 0.0, 1.0, 1.0]), "{placed:?}");

        let flat = PageFrame::new(
            PdfRect::new_from_values(0.0, 0.0, 0.0, 0.0),
            PdfPageRenderRotation::Degrees90,
        );
        let placed = flat.place(&glyph());
        for side in [placed.left, placed.top, placed.right, placed.bottom] {
            assert!((0.0..=1.0).contains(&side), "{placed:?}");
        }
    }

    /// "Điều 1. Thu" on one line: each character 0.05 wide from 0.1, the space without a box.
    fn one_line() -> TextLayout {
        let text = "Điều 1. Thu";
        let boxes = text
            .chars()
            .enumerate()
            .map(|(i, c)| {
                let left = 0.1 + 0.05 * i as f32;
                if c == ' ' {
                    CharBox::default()
                } else {
                    CharBox {
                        left,
                        top: 0.2,
                        right: left + 0.04,
                        bottom: 0.23,
                    }
                }
            })
            .collect();
        TextLayout {
            text: text.into(),
            boxes,
        }
    }

    #[test]
    fn a_mark_beside_the_text_is_anchored_to_the_nearest_whole_word() {
        let layout = one_line();
        assert_eq!(
            layout.word_nearest(0.12, 0.21, 1.4),
            Some(0..4),
            "a point on 'Điều' is that word"
        );
        assert_eq!(
            layout.word_nearest(0.7, 0.5, 1.4),
            Some(8..11),
            "below and right of the line: 'Thu', the closest"
        );
        assert_eq!(
            layout.word_nearest(0.0, 0.0, 1.4),
            Some(0..4),
            "above the first word: the first word"
        );
    }

    #[test]
    fn a_page_without_visible_text_has_no_word_to_anchor_to() {
        let scan = TextLayout {
            text: " \n".into(),
            boxes: vec![CharBox::default(); 2],
        };
        assert_eq!(scan.word_nearest(0.5, 0.5, 1.4), None);
    }
}
