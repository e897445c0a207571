//! Reading the annotation dictionaries of a PDF into [`Markup`]s, colour and replies included.

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object, ObjectId, decode_text_string};

use super::error::guarded;
use super::{InkVertex, LineEnding, Markup, MarkupError, MarkupSubtype, Quad, Rgb, UserRect};

/// The annotations of the kinds eCabinet knows ([`MarkupSubtype`]) in `pdf`, page by page in
/// each page's `/Annots` order. A reply whose parent has no `/NM` names it
/// `ecabinet-OBJ-GEN` (its object number), and the parent gets that name, so replies survive
/// an XFDF round trip.
pub fn read_annotations(pdf: &[u8]) -> Result<Vec<Markup>, MarkupError> {
    guarded(|| read(pdf))
}

fn read(pdf: &[u8]) -> Result<Vec<Markup>, MarkupError> {
    let document = Document::load_mem(pdf)?;
    if document.is_encrypted() {
        return Err(MarkupError::Encrypted);
    }
    let mut found: Vec<(Option<ObjectId>, u32, &Dictionary)> = Vec::new();
    for (number, page_id) in document.get_pages() {
        let Ok(page) = document.get_dictionary(page_id) else {
            continue;
        };
        let Some(annots) = page
            .get(b"Annots")
            .ok()
            .and_then(|annots| document.dereference(annots).ok())
            .and_then(|(_, annots)| annots.as_array().ok())
        else {
            continue;
        };
        for entry in annots {
            let Ok((id, Object::Dictionary(annot))) = document.dereference(entry) else {
                continue;
            };
            let known = annot
                .get(b"Subtype")
                .and_then(Object::as_name)
                .is_ok_and(|name| MarkupSubtype::from_pdf_name(name).is_some());
            if known {
                found.push((id, number - 1, annot));
            }
        }
    }
    let text = |annot: &Dictionary, key: &[u8]| {
        annot
            .get(key)
            .ok()
            .and_then(|value| document.dereference(value).ok())
            .and_then(|(_, value)| decode_text_string(value).ok())
    };
    // Names, including those made up for parents of replies that have none.
    let mut names: HashMap<ObjectId, String> = HashMap::new();
    for (id, _, annot) in &found {
        if let (Some(id), Some(name)) = (id, text(annot, b"NM")) {
            names.insert(*id, name);
        }
    }
    for (_, _, annot) in &found {
        if let Ok(parent) = annot.get(b"IRT").and_then(Object::as_reference) {
            names
                .entry(parent)
                .or_insert_with(|| format!("ecabinet-{}-{}", parent.0, parent.1));
        }
    }
    let mut markups = Vec::with_capacity(found.len());
    for (id, page, annot) in found {
        let Some(subtype) = annot
            .get(b"Subtype")
            .and_then(Object::as_name)
            .ok()
            .and_then(MarkupSubtype::from_pdf_name)
        else {
            continue;
        };
        let numbers = |key: &[u8]| -> Vec<f32> { numbers(&document, annot.get(key).ok()) };
        let rect = match numbers(b"Rect").as_slice() {
            [left, bottom, right, top, ..] => UserRect {
                left: *left,
                bottom: *bottom,
                right: *right,
                top: *top,
            }
            .normalised(),
            _ => UserRect::default(),
        };
        let mut markup = Markup::new(page, subtype, rect);
        markup.quads = numbers(b"QuadPoints")
            .chunks_exact(8)
            .map(|q| Quad {
                top_left: (q[0], q[1]),
                top_right: (q[2], q[3]),
                bottom_left: (q[4], q[5]),
                bottom_right: (q[6], q[7]),
            })
            .collect();
        markup.ink = ink(&document, annot);
        if let [x1, y1, x2, y2, ..] = numbers(b"L").as_slice() {
            markup.line = Some([(*x1, *y1), (*x2, *y2)]);
        }
        if let Some(endings) = array(&document, annot.get(b"LE").ok()) {
            let ending = |at: usize| {
                endings
                    .get(at)
                    .and_then(|e| e.as_name().ok())
                    .map_or(LineEnding::None, LineEnding::from_pdf_name)
            };
            markup.line_endings = [ending(0), ending(1)];
        }
        markup.colour = colour(&numbers(b"C"));
        markup.opacity = numbers(b"CA").first().copied().unwrap_or(1.0);
        markup.border_width = border_width(&document, annot);
        markup.contents = text(annot, b"Contents");
        markup.author = text(annot, b"T");
        markup.modified = text(annot, b"M");
        markup.name = id
            .and_then(|id| names.get(&id).cloned())
            .or_else(|| text(annot, b"NM"));
        markup.in_reply_to = annot
            .get(b"IRT")
            .and_then(Object::as_reference)
            .ok()
            .and_then(|parent| names.get(&parent).cloned());
        markup.needs_review = annot
            .get(b"ECabinetNeedsReview")
            .and_then(Object::as_bool)
            .unwrap_or(false);
        markups.push(markup);
    }
    Ok(markups)
}

fn array<'a>(document: &'a Document, object: Option<&'a Object>) -> Option<&'a Vec<Object>> {
    document
        .dereference(object?)
        .ok()
        .and_then(|(_, value)| value.as_array().ok())
}

/// The numbers of an array (or a single number), references followed; anything else skipped.
fn numbers(document: &Document, object: Option<&Object>) -> Vec<f32> {
    match object.map(|o| document.dereference(o)) {
        Some(Ok((_, Object::Array(items)))) => items
            .iter()
            .filter_map(|item| document.dereference(item).ok())
            .filter_map(|(_, item)| item.as_float().ok())
            .collect(),
        Some(Ok((_, value))) => value.as_float().ok().into_iter().collect(),
        _ => Vec::new(),
    }
}

fn ink(document: &Document, annot: &Dictionary) -> Vec<Vec<InkVertex>> {
    let Some(strokes) = array(document, annot.get(b"InkList").ok()) else {
        return Vec::new();
    };
    let pressures = array(document, annot.get(b"ECabinetPressure").ok());
    strokes
        .iter()
        .enumerate()
        .map(|(s, stroke)| {
            let xy = numbers(document, Some(stroke));
            let pressure = pressures
                .and_then(|p| p.get(s))
                .and_then(|p| p.as_array().ok());
            xy.chunks_exact(2)
                .enumerate()
                .map(|(i, p)| InkVertex {
                    x: p[0],
                    y: p[1],
                    pressure: pressure
                        .and_then(|p| p.get(i))
                        .and_then(|p| p.as_float().ok()),
                })
                .collect()
        })
        .collect()
}

/// `/C` in whatever colour space its length says (gray, RGB, CMYK) as RGB.
fn colour(components: &[f32]) -> Option<Rgb> {
    let byte = |fraction: f32| (fraction.clamp(0.0, 1.0) * 255.0).round() as u8;
    match components {
        [gray] => Some(Rgb(byte(*gray), byte(*gray), byte(*gray))),
        [r, g, b] => Some(Rgb(byte(*r), byte(*g), byte(*b))),
        [c, m, y, k] => {
            let rgb = |x: f32| byte((1.0 - x) * (1.0 - k));
            Some(Rgb(rgb(*c), rgb(*m), rgb(*y)))
        }
        _ => None,
    }
}

/// `/BS /W`, else the third number of `/Border`, else 1 (the default of both).
fn border_width(document: &Document, annot: &Dictionary) -> f32 {
    let from_style = annot
        .get(b"BS")
        .ok()
        .and_then(|bs| document.dereference(bs).ok())
        .and_then(|(_, bs)| bs.as_dict().ok())
        .and_then(|bs| numbers(document, bs.get(b"W").ok()).first().copied());
    from_style
        .or_else(|| numbers(document, annot.get(b"Border").ok()).get(2).copied())
        .unwrap_or(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_in_any_device_space_come_back_as_rgb() {
        assert_eq!(colour(&[1.0, 0.0, 0.0]), Some(Rgb(255, 0, 0)));
        assert_eq!(colour(&[0.5]), Some(Rgb(128, 128, 128)));
        assert_eq!(colour(&[0.0, 1.0, 1.0, 0.0]), Some(Rgb(255, 0, 0)));
        assert_eq!(colour(&[]), None, "an empty /C is transparent: no colour");
    }
}
