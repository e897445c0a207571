//! Between eCabinet's annotations (anchored in a paper's text) and PDF annotations (placed in
//! a page's user space): where a mark goes on the page, and which text a PDF annotation marks.
//!
//! Both ways go through the page as displayed, the space of [`TextLayout`]'s boxes and of the
//! domain's offsets: points from the top-left corner of the visible page (the crop box within
//! the media box) after `/Rotate`, x to the right, y down. [`PageGeometry`] maps that space to
//! the page's user space and back.

use std::collections::HashMap;

use ecabinet_domain::annotation::{Anchor, MarkAnchor, MarkOffset, PagePoint, PaperText};
use ecabinet_domain::{Annotation, AnnotationKind, InkPoint};
use lopdf::{Document, Object, ObjectId};

use super::error::guarded;
use super::write::quarter_turns;
use super::{
    InkVertex, LineEnding, Markup, MarkupError, MarkupSubtype, Quad, Rgb, UserRect, pdf_date,
};
use crate::{CharBox, TextLayout};

/// A sticky note's icon, in points on the displayed page.
const NOTE_SIZE: f32 = 20.0;

/// What part of the page is displayed and how it is turned.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageGeometry {
    /// The crop box within the media box, in user space.
    pub visible: UserRect,
    /// Quarter turns clockwise (`/Rotate` / 90).
    pub quarter_turns: u8,
}

impl PageGeometry {
    /// Width and height of the page as displayed, in points.
    pub fn displayed_size(&self) -> (f32, f32) {
        let (w, h) = (self.visible.width(), self.visible.height());
        if self.quarter_turns % 2 == 1 {
            (h, w)
        } else {
            (w, h)
        }
    }

    /// A point of the displayed page (points from its top-left, y down) in user space: the
    /// inverse of how PDFium displays a page (`PageFrame::place`).
    pub fn to_user(&self, (x, y): (f32, f32)) -> (f32, f32) {
        let (dw, dh) = self.displayed_size();
        let (fx, fy) = (x / dw, y / dh);
        let (u, v) = match self.quarter_turns % 4 {
            1 => (fy, fx),
            2 => (1.0 - fx, fy),
            3 => (1.0 - fy, 1.0 - fx),
            _ => (fx, 1.0 - fy),
        };
        (
            self.visible.left + u * self.visible.width(),
            self.visible.bottom + v * self.visible.height(),
        )
    }

    /// A point of user space on the displayed page.
    pub fn to_displayed(&self, (x, y): (f32, f32)) -> (f32, f32) {
        let (dw, dh) = self.displayed_size();
        let u = (x - self.visible.left) / self.visible.width();
        let v = (y - self.visible.bottom) / self.visible.height();
        let (fx, fy) = match self.quarter_turns % 4 {
            1 => (v, u),
            2 => (1.0 - u, v),
            3 => (1.0 - v, 1.0 - u),
            _ => (u, 1.0 - v),
        };
        (fx * dw, fy * dh)
    }

    /// A character box (fractions of the displayed page) in displayed points:
    /// `(left, top, right, bottom)`.
    fn points_of(&self, b: &CharBox) -> (f32, f32, f32, f32) {
        let (dw, dh) = self.displayed_size();
        (b.left * dw, b.top * dh, b.right * dw, b.bottom * dh)
    }

    /// The user-space rectangle around a displayed rectangle.
    fn user_rect(&self, left: f32, top: f32, right: f32, bottom: f32, margin: f32) -> UserRect {
        UserRect::around(
            [(left, top), (right, top), (left, bottom), (right, bottom)].map(|p| self.to_user(p)),
            margin,
        )
    }

    /// The displayed rectangle around a user-space one: `(left, top, right, bottom)`.
    fn displayed_rect(&self, rect: &UserRect) -> (f32, f32, f32, f32) {
        let corners = [
            (rect.left, rect.bottom),
            (rect.right, rect.bottom),
            (rect.left, rect.top),
            (rect.right, rect.top),
        ]
        .map(|p| self.to_displayed(p));
        let xs = corners.map(|p| p.0);
        let ys = corners.map(|p| p.1);
        (
            xs.into_iter().fold(f32::INFINITY, f32::min),
            ys.into_iter().fold(f32::INFINITY, f32::min),
            xs.into_iter().fold(f32::NEG_INFINITY, f32::max),
            ys.into_iter().fold(f32::NEG_INFINITY, f32::max),
        )
    }
}

/// A page attribute, looked up the page tree (`/Rotate`, `/MediaBox`, `/CropBox` inherit).
pub(crate) fn inherited<'a>(
    document: &'a Document,
    page: ObjectId,
    key: &[u8],
) -> Option<&'a Object> {
    let mut node = document.get_dictionary(page).ok()?;
    for _ in 0..64 {
        if let Ok(value) = node.get(key) {
            return document.dereference(value).ok().map(|(_, value)| value);
        }
        let parent = node.get(b"Parent").ok()?.as_reference().ok()?;
        node = document.get_dictionary(parent).ok()?;
    }
    None
}

fn user_rect_of(object: Option<&Object>) -> Option<UserRect> {
    let numbers: Vec<f32> = object?
        .as_array()
        .ok()?
        .iter()
        .filter_map(|n| n.as_float().ok())
        .collect();
    match numbers.as_slice() {
        [a, b, c, d] => Some(
            UserRect {
                left: *a,
                bottom: *b,
                right: *c,
                top: *d,
            }
            .normalised(),
        ),
        _ => None,
    }
}

/// Each page's geometry, read from the file (as PDFium displays it: the crop box clipped to
/// the media box, or the media box when they do not overlap).
pub fn page_geometries(pdf: &[u8]) -> Result<Vec<PageGeometry>, MarkupError> {
    guarded(|| {
        let document = Document::load_mem(pdf)?;
        Ok(document
            .get_pages()
            .into_values()
            .map(|page| {
                let media =
                    user_rect_of(inherited(&document, page, b"MediaBox")).unwrap_or(UserRect {
                        left: 0.0,
                        bottom: 0.0,
                        right: 612.0,
                        top: 792.0,
                    });
                let crop =
                    user_rect_of(inherited(&document, page, b"CropBox")).map(|crop| UserRect {
                        left: crop.left.max(media.left),
                        bottom: crop.bottom.max(media.bottom),
                        right: crop.right.min(media.right),
                        top: crop.top.min(media.top),
                    });
                let visible = crop
                    .filter(|c| c.width() > 0.0 && c.height() > 0.0)
                    .unwrap_or(media);
                PageGeometry {
                    visible,
                    quarter_turns: quarter_turns(&document, page),
                }
            })
            .collect())
    })
}

/// What an annotation carries besides its place.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Style {
    pub colour: Option<Rgb>,
    /// Line width in points.
    pub thickness: f32,
    /// The note's words or the comment on a mark (`/Contents`; empty for none).
    pub body: String,
    pub author: Option<String>,
    pub modified: Option<String>,
    pub name: Option<String>,
    pub in_reply_to: Option<String>,
}

/// A paper as the engine laid it out: each page's text with its character boxes, and each
/// page's geometry (the same pages, in order).
#[derive(Debug, Clone, Copy)]
pub struct LaidOutPaper<'a> {
    pub layouts: &'a [TextLayout],
    pub pages: &'a [PageGeometry],
}

impl LaidOutPaper<'_> {
    /// The paper's whole text, as the domain anchors in it.
    pub fn text(&self) -> PaperText {
        let pages: Vec<&str> = self.layouts.iter().map(|l| l.text.as_str()).collect();
        PaperText::new(&pages)
    }

    fn page(&self, page: usize) -> Result<(&TextLayout, &PageGeometry), MarkupError> {
        match (self.layouts.get(page), self.pages.get(page)) {
            (Some(layout), Some(geometry)) => Ok((layout, geometry)),
            _ => Err(MarkupError::Unplaceable {
                detail: format!("its anchor is on page {}, beyond the paper", page + 1),
            }),
        }
    }
}

/// A domain annotation as PDF annotations: one per page its text covers (a highlight across a
/// page break is two), one for any other kind. `author` is the name written as `/T`.
pub fn place_annotation(
    annotation: &Annotation,
    author: &str,
    paper: LaidOutPaper<'_>,
    text: &PaperText,
) -> Result<Vec<Markup>, MarkupError> {
    let style = Style {
        colour: Rgb::parse(&annotation.colour),
        thickness: annotation.thickness,
        body: annotation.body.clone(),
        author: Some(author.to_owned()),
        modified: Some(pdf_date(annotation.updated_at.0)),
        name: Some(annotation.id.to_string()),
        in_reply_to: None,
    };
    place_mark(&annotation.anchor, &annotation.kind, &style, paper, text)
}

/// A mark (anchor and kind) as PDF annotations on `paper`, whose whole text is `text`.
pub fn place_mark(
    anchor: &Anchor,
    kind: &AnnotationKind,
    style: &Style,
    paper: LaidOutPaper<'_>,
    text: &PaperText,
) -> Result<Vec<Markup>, MarkupError> {
    let markup = |page: usize, subtype: MarkupSubtype, rect: UserRect| {
        let mut m = Markup::new(u32::try_from(page).unwrap_or(u32::MAX), subtype, rect);
        m.colour = style.colour;
        m.border_width = style.thickness;
        m.contents = (!style.body.is_empty()).then(|| style.body.clone());
        m.author = style.author.clone();
        m.modified = style.modified.clone();
        m.name = style.name.clone();
        m.in_reply_to = style.in_reply_to.clone();
        m
    };
    let subtype = match kind {
        AnnotationKind::Highlight => MarkupSubtype::Highlight,
        AnnotationKind::Underline => MarkupSubtype::Underline,
        AnnotationKind::StrikeOut => MarkupSubtype::StrikeOut,
        AnnotationKind::Squiggly => MarkupSubtype::Squiggly,
        AnnotationKind::Ink { .. } => MarkupSubtype::Ink,
        AnnotationKind::Note => MarkupSubtype::Text,
        AnnotationKind::FreeText { .. } => MarkupSubtype::FreeText,
        AnnotationKind::Rectangle { .. } => MarkupSubtype::Square,
        AnnotationKind::Ellipse { .. } => MarkupSubtype::Circle,
        AnnotationKind::Line { .. } | AnnotationKind::Arrow { .. } => MarkupSubtype::Line,
    };
    let position = anchor.text().position;
    if position.end > text.len() || position.start > position.end {
        return Err(MarkupError::Unplaceable {
            detail: format!(
                "its text ({}..{}) lies beyond the paper's {} characters",
                position.start,
                position.end,
                text.len()
            ),
        });
    }
    if subtype.is_text_markup() {
        let mut placed = Vec::new();
        for piece in text.page_ranges(position.start, position.end) {
            let (layout, geometry) = paper.page(piece.page)?;
            let quads = line_quads(layout, geometry, piece.start, piece.end);
            if quads.is_empty() {
                continue;
            }
            let rect = UserRect::around(quads.iter().flat_map(|q| q.corners()), 1.0);
            let mut m = markup(piece.page, subtype, rect);
            m.quads = quads;
            placed.push(m);
        }
        if placed.is_empty() {
            return Err(MarkupError::Unplaceable {
                detail: "no character of its text has a box on the page".to_owned(),
            });
        }
        return Ok(placed);
    }
    let (page, (ox, oy)) = origin(anchor, paper, text)?;
    let (_, geometry) = paper.page(page)?;
    let at = |x: f32, y: f32| geometry.to_user((ox + x, oy + y));
    let half = style.thickness / 2.0;
    let placed = match kind {
        AnnotationKind::Ink { strokes } => {
            let ink: Vec<Vec<InkVertex>> = strokes
                .iter()
                .map(|stroke| {
                    stroke
                        .iter()
                        .map(|p| {
                            let (x, y) = at(p.x, p.y);
                            InkVertex {
                                x,
                                y,
                                pressure: p.pressure,
                            }
                        })
                        .collect()
                })
                .collect();
            let mut m = markup(
                page,
                subtype,
                // Room for the widest segment a hard-pressed pen draws (1.6 times the width).
                UserRect::around(
                    ink.iter().flatten().map(|v| (v.x, v.y)),
                    style.thickness * 0.8 + 1.0,
                ),
            );
            m.ink = ink;
            m
        }
        AnnotationKind::Note => markup(
            page,
            subtype,
            geometry.user_rect(ox, oy, ox + NOTE_SIZE, oy + NOTE_SIZE, 0.0),
        ),
        AnnotationKind::FreeText { width, height }
        | AnnotationKind::Rectangle { width, height }
        | AnnotationKind::Ellipse { width, height } => markup(
            page,
            subtype,
            geometry.user_rect(ox, oy, ox + width, oy + height, 0.0),
        ),
        AnnotationKind::Line { dx, dy } | AnnotationKind::Arrow { dx, dy } => {
            let arrow = matches!(kind, AnnotationKind::Arrow { .. });
            let (start, end) = (at(0.0, 0.0), at(*dx, *dy));
            let margin = half
                + if arrow {
                    (style.thickness * 4.0).max(8.0)
                } else {
                    1.0
                };
            let mut m = markup(page, subtype, UserRect::around([start, end], margin));
            m.line = Some([start, end]);
            if arrow {
                m.line_endings = [LineEnding::None, LineEnding::OpenArrow];
            }
            m
        }
        _ => unreachable!("text marks were placed above"),
    };
    Ok(vec![placed])
}

/// One quad per line of the page's characters `start..end` (offsets in the page's text):
/// characters without a box (spaces, line breaks PDFium makes up) mark no line.
fn line_quads(layout: &TextLayout, geometry: &PageGeometry, start: usize, end: usize) -> Vec<Quad> {
    let mut lines: Vec<(f32, f32, f32, f32)> = Vec::new();
    let mut new_line = true;
    for (c, b) in layout
        .text
        .chars()
        .zip(&layout.boxes)
        .skip(start)
        .take(end.saturating_sub(start))
    {
        if c == '\n' {
            new_line = true;
            continue;
        }
        if b.right <= b.left || b.bottom <= b.top {
            continue;
        }
        let (l, t, r, bt) = geometry.points_of(b);
        match lines.last_mut() {
            // A character beside the line, at its height, continues it.
            Some(line) if !new_line && t < line.3 && bt > line.1 => {
                *line = (line.0.min(l), line.1.min(t), line.2.max(r), line.3.max(bt));
            }
            _ => lines.push((l, t, r, bt)),
        }
        new_line = false;
    }
    lines
        .into_iter()
        .map(|(l, t, r, b)| Quad {
            top_left: geometry.to_user((l, t)),
            top_right: geometry.to_user((r, t)),
            bottom_left: geometry.to_user((l, b)),
            bottom_right: geometry.to_user((r, b)),
        })
        .collect()
}

/// The page and displayed point a mark's offset counts from, plus its offset: the top-left
/// corner of its anchor text's first character box.
fn origin(
    anchor: &Anchor,
    paper: LaidOutPaper<'_>,
    text: &PaperText,
) -> Result<(usize, (f32, f32)), MarkupError> {
    let start = text.start_point(anchor.text().position.start);
    let (layout, geometry) = paper.page(start.page)?;
    let Some(b) = layout
        .boxes
        .get(start.offset.min(layout.boxes.len().saturating_sub(1)))
    else {
        return Err(MarkupError::Unplaceable {
            detail: format!("page {} has no text to place it by", start.page + 1),
        });
    };
    let (left, top, ..) = geometry.points_of(b);
    let offset = match anchor {
        Anchor::Mark(mark) => (mark.offset.dx, mark.offset.dy),
        Anchor::Text(_) => (0.0, 0.0),
    };
    Ok((start.page, (left + offset.0, top + offset.1)))
}

/// A mark found in a PDF, as the domain knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundMark {
    /// The [`Markup`]s it was made from (a text mark across a page break is one per page).
    pub pieces: Vec<usize>,
    /// Where it is in the paper's text; `None` on a page without text (a scan), where
    /// nothing can anchor it.
    pub anchor: Option<Anchor>,
    pub kind: AnnotationKind,
    pub style: Style,
}

/// The domain's view of PDF annotations on `paper`: text marks anchored by the characters
/// under their quads (pieces with the same name, one per page, are one mark), other marks by
/// the word nearest their origin and their offset from its first character.
pub fn unplace_markups(
    markups: &[Markup],
    paper: LaidOutPaper<'_>,
    text: &PaperText,
) -> Vec<FoundMark> {
    let mut found: Vec<FoundMark> = Vec::new();
    let mut by_name: HashMap<&str, usize> = HashMap::new();
    for (index, markup) in markups.iter().enumerate() {
        if markup.subtype.is_text_markup()
            && let Some(name) = markup.name.as_deref()
            && let Some(&at) = by_name.get(name)
            && found[at].kind == text_kind(markup.subtype)
        {
            found[at].pieces.push(index);
            let pieces: Vec<&Markup> = found[at].pieces.iter().map(|i| &markups[*i]).collect();
            found[at].anchor = text_anchor(&pieces, paper, text);
            continue;
        }
        let mark = unplace(index, markup, paper, text);
        if let Some(name) = markup.name.as_deref() {
            by_name.insert(name, found.len());
        }
        found.push(mark);
    }
    found
}

fn text_kind(subtype: MarkupSubtype) -> AnnotationKind {
    match subtype {
        MarkupSubtype::Underline => AnnotationKind::Underline,
        MarkupSubtype::StrikeOut => AnnotationKind::StrikeOut,
        MarkupSubtype::Squiggly => AnnotationKind::Squiggly,
        _ => AnnotationKind::Highlight,
    }
}

fn unplace(index: usize, markup: &Markup, paper: LaidOutPaper<'_>, text: &PaperText) -> FoundMark {
    let style = Style {
        colour: markup.colour,
        thickness: markup.border_width,
        body: markup.contents.clone().unwrap_or_default(),
        author: markup.author.clone(),
        modified: markup.modified.clone(),
        name: markup.name.clone(),
        in_reply_to: markup.in_reply_to.clone(),
    };
    let page = markup.page as usize;
    if markup.subtype.is_text_markup() {
        return FoundMark {
            pieces: vec![index],
            anchor: text_anchor(&[markup], paper, text),
            kind: text_kind(markup.subtype),
            style,
        };
    }
    let Ok((_, geometry)) = paper.page(page) else {
        return FoundMark {
            pieces: vec![index],
            anchor: None,
            kind: AnnotationKind::Note,
            style,
        };
    };
    let (left, top, right, bottom) = geometry.displayed_rect(&markup.rect);
    let (origin, kind) = match markup.subtype {
        MarkupSubtype::Ink => {
            // Points on the displayed page first, then from the top-left of all of them.
            let mut strokes: Vec<Vec<InkPoint>> = markup
                .ink
                .iter()
                .map(|s| {
                    s.iter()
                        .map(|v| {
                            let (x, y) = geometry.to_displayed((v.x, v.y));
                            InkPoint {
                                x,
                                y,
                                pressure: v.pressure,
                            }
                        })
                        .collect()
                })
                .collect();
            let ox = strokes
                .iter()
                .flatten()
                .map(|p| p.x)
                .fold(f32::INFINITY, f32::min);
            let oy = strokes
                .iter()
                .flatten()
                .map(|p| p.y)
                .fold(f32::INFINITY, f32::min);
            let (ox, oy) = if ox.is_finite() {
                (ox, oy)
            } else {
                (left, top)
            };
            for point in strokes.iter_mut().flatten() {
                point.x -= ox;
                point.y -= oy;
            }
            ((ox, oy), AnnotationKind::Ink { strokes })
        }
        MarkupSubtype::Line => {
            let [start, end] = markup.line.unwrap_or([
                geometry.to_user((left, top)),
                geometry.to_user((right, bottom)),
            ]);
            let (mut from, mut to) = (geometry.to_displayed(start), geometry.to_displayed(end));
            let [start_ending, end_ending] = markup.line_endings;
            if start_ending == LineEnding::OpenArrow && end_ending != LineEnding::OpenArrow {
                std::mem::swap(&mut from, &mut to);
            }
            let (dx, dy) = (to.0 - from.0, to.1 - from.1);
            let kind =
                if start_ending == LineEnding::OpenArrow || end_ending == LineEnding::OpenArrow {
                    AnnotationKind::Arrow { dx, dy }
                } else {
                    AnnotationKind::Line { dx, dy }
                };
            (from, kind)
        }
        MarkupSubtype::Text => ((left, top), AnnotationKind::Note),
        MarkupSubtype::FreeText => (
            (left, top),
            AnnotationKind::FreeText {
                width: right - left,
                height: bottom - top,
            },
        ),
        MarkupSubtype::Circle => (
            (left, top),
            AnnotationKind::Ellipse {
                width: right - left,
                height: bottom - top,
            },
        ),
        _ => (
            (left, top),
            AnnotationKind::Rectangle {
                width: right - left,
                height: bottom - top,
            },
        ),
    };
    FoundMark {
        pieces: vec![index],
        anchor: mark_anchor(page, origin, paper, text),
        kind,
        style,
    }
}

/// The text under a text mark's quads: from the first to the last character whose box's
/// centre lies inside one of them.
fn text_anchor(pieces: &[&Markup], paper: LaidOutPaper<'_>, text: &PaperText) -> Option<Anchor> {
    let mut range: Option<(usize, usize)> = None;
    for piece in pieces {
        let page = piece.page as usize;
        let Ok((layout, geometry)) = paper.page(page) else {
            continue;
        };
        let page_start = text.offset(PagePoint { page, offset: 0 })?;
        let areas: Vec<(f32, f32, f32, f32)> = piece
            .quads
            .iter()
            .map(|q| {
                let corners = q.corners().map(|c| geometry.to_displayed(c));
                (
                    corners.iter().map(|c| c.0).fold(f32::INFINITY, f32::min),
                    corners.iter().map(|c| c.1).fold(f32::INFINITY, f32::min),
                    corners
                        .iter()
                        .map(|c| c.0)
                        .fold(f32::NEG_INFINITY, f32::max),
                    corners
                        .iter()
                        .map(|c| c.1)
                        .fold(f32::NEG_INFINITY, f32::max),
                )
            })
            .collect();
        for (offset, b) in layout.boxes.iter().enumerate() {
            if b.right <= b.left || b.bottom <= b.top {
                continue;
            }
            let (l, t, r, bt) = geometry.points_of(b);
            let (cx, cy) = ((l + r) / 2.0, (t + bt) / 2.0);
            if areas
                .iter()
                .any(|a| cx >= a.0 && cx <= a.2 && cy >= a.1 && cy <= a.3)
            {
                let at = page_start + offset;
                range = Some(range.map_or((at, at + 1), |(s, e)| (s.min(at), e.max(at + 1))));
            }
        }
    }
    range.map(|(start, end)| Anchor::Text(text.anchor(start, end)))
}

/// The word nearest `origin` on `page` and the offset from its first character's top-left.
fn mark_anchor(
    page: usize,
    origin: (f32, f32),
    paper: LaidOutPaper<'_>,
    text: &PaperText,
) -> Option<Anchor> {
    let (layout, geometry) = paper.page(page).ok()?;
    let chars: Vec<char> = layout.text.chars().collect();
    let distance = |b: &CharBox| {
        let (l, t, r, bt) = geometry.points_of(b);
        let dx = (l - origin.0).max(0.0).max(origin.0 - r);
        let dy = (t - origin.1).max(0.0).max(origin.1 - bt);
        dx.hypot(dy)
    };
    let nearest = layout
        .boxes
        .iter()
        .enumerate()
        .filter(|(i, b)| {
            b.right > b.left
                && b.bottom > b.top
                && chars.get(*i).is_some_and(|c| !c.is_whitespace())
        })
        .min_by(|a, b| distance(a.1).total_cmp(&distance(b.1)))?
        .0;
    let mut start = nearest;
    while start > 0 && !chars[start - 1].is_whitespace() {
        start -= 1;
    }
    let mut end = nearest + 1;
    while end < chars.len() && !chars[end].is_whitespace() {
        end += 1;
    }
    let (left, top, ..) = geometry.points_of(&layout.boxes[start]);
    let page_start = text.offset(PagePoint { page, offset: 0 })?;
    Some(Anchor::Mark(MarkAnchor {
        text: text.anchor(page_start + start, page_start + end),
        offset: MarkOffset {
            dx: origin.0 - left,
            dy: origin.1 - top,
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displayed_points_map_to_user_space_and_back_on_every_turn() {
        for quarter_turns in 0..4 {
            let geometry = PageGeometry {
                // A crop box away from the origin.
                visible: UserRect {
                    left: 50.0,
                    bottom: 100.0,
                    right: 645.0,
                    top: 942.0,
                },
                quarter_turns,
            };
            let (dw, dh) = geometry.displayed_size();
            let top_left = geometry.to_user((0.0, 0.0));
            let back = geometry.to_displayed(geometry.to_user((30.0, 40.0)));
            assert!((back.0 - 30.0).abs() < 1e-3 && (back.1 - 40.0).abs() < 1e-3);
            let expected = match quarter_turns {
                // Upright: the crop box's top-left corner.
                0 => (50.0, 942.0),
                // Turned clockwise: the displayed top-left is user space's bottom-left.
                1 => (50.0, 100.0),
                2 => (645.0, 100.0),
                _ => (645.0, 942.0),
            };
            assert_eq!(top_left, expected, "{quarter_turns} turns");
            assert_eq!(
                (dw, dh),
                if quarter_turns % 2 == 1 {
                    (842.0, 595.0)
                } else {
                    (595.0, 842.0)
                }
            );
        }
    }
}
