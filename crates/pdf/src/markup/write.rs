//! Writing annotations into a copy of a paper, as an incremental update.

use std::collections::{BTreeMap, HashMap};

use lopdf::IncrementalDocument;
use lopdf::{Dictionary, Document, Object, ObjectId, dictionary, text_string};

use super::error::guarded;
use super::place::inherited;
use super::{LineEnding, Markup, MarkupError, MarkupSubtype, appearance};

/// The annotation flag "print": the mark prints with the page (PDF 32000-2, table 167).
const PRINT: i64 = 4;

/// A copy of `pdf` with `markups` added as real annotations, each with its appearance stream.
/// Annotations already in the file stay. Replies (`in_reply_to`) point at the annotation of
/// that name among `markups` (the first of that name, for a text mark cut across pages).
pub fn write_annotations(pdf: &[u8], markups: &[Markup]) -> Result<Vec<u8>, MarkupError> {
    guarded(|| write(pdf, markups))
}

fn write(pdf: &[u8], markups: &[Markup]) -> Result<Vec<u8>, MarkupError> {
    let document = Document::load_mem(pdf)?;
    // A file encrypted with an empty user password (an owner's restrictions only) was
    // decrypted on loading, and the update's new objects are encrypted like the rest.
    if document.is_encrypted() {
        return Err(MarkupError::Encrypted);
    }
    let pages = document.get_pages();
    let page_count = u32::try_from(pages.len()).unwrap_or(u32::MAX);
    let page_id = |page: u32| -> Result<ObjectId, MarkupError> {
        pages
            .get(&(page + 1))
            .copied()
            .ok_or(MarkupError::PageOutOfRange { page, page_count })
    };
    let turns: HashMap<u32, u8> = markups
        .iter()
        .map(|m| Ok((m.page, quarter_turns(&document, page_id(m.page)?))))
        .collect::<Result<_, MarkupError>>()?;

    let mut update = IncrementalDocument::create_from(pdf.to_vec(), document);
    let mut added: BTreeMap<ObjectId, Vec<ObjectId>> = BTreeMap::new();
    // Replies may answer an annotation already in the file.
    let mut by_name: HashMap<String, ObjectId> = named_annotations(update.get_prev_documents());
    let mut ids = Vec::with_capacity(markups.len());
    for markup in markups {
        let page = page_id(markup.page)?;
        let form = appearance::form(markup, turns[&markup.page]);
        let form = update.new_document.add_object(form);
        let id = update
            .new_document
            .add_object(dictionary_of(markup, page, form));
        if let Some(name) = markup.name.as_deref() {
            by_name.entry(name.to_owned()).or_insert(id);
        }
        added.entry(page).or_default().push(id);
        ids.push(id);
    }
    for (markup, id) in markups.iter().zip(&ids) {
        if let Some(parent) = markup.in_reply_to.as_deref().and_then(|n| by_name.get(n)) {
            update
                .new_document
                .get_dictionary_mut(*id)?
                .set("IRT", Object::Reference(*parent));
        }
    }
    for (page, new) in added {
        let existing: Vec<Object> = {
            let previous = update.get_prev_documents();
            let page_dict = previous.get_dictionary(page)?;
            match page_dict.get(b"Annots") {
                Ok(annots) => previous
                    .dereference(annots)
                    .ok()
                    .and_then(|(_, array)| array.as_array().ok().cloned())
                    .unwrap_or_default(),
                Err(_) => Vec::new(),
            }
        };
        update.opt_clone_object_to_new_document(page)?;
        let page_dict = update.new_document.get_dictionary_mut(page)?;
        let mut annots = existing;
        annots.extend(new.into_iter().map(Object::Reference));
        page_dict.set("Annots", Object::Array(annots));
    }
    let mut out = Vec::with_capacity(pdf.len() + 4096 * markups.len());
    update
        .save_to(&mut out)
        .map_err(|error| MarkupError::Corrupt {
            detail: format!("writing the copy: {error}"),
        })?;
    Ok(out)
}

/// Every annotation of the document that has a `/NM`, by that name.
fn named_annotations(document: &Document) -> HashMap<String, ObjectId> {
    let mut names = HashMap::new();
    for page in document.get_pages().into_values() {
        let Some(annots) = document
            .get_dictionary(page)
            .ok()
            .and_then(|page| page.get(b"Annots").ok())
            .and_then(|annots| document.dereference(annots).ok())
            .and_then(|(_, annots)| annots.as_array().ok())
        else {
            continue;
        };
        for entry in annots {
            if let Ok(id) = entry.as_reference()
                && let Ok(annot) = document.get_dictionary(id)
                && let Ok(name) = annot.get(b"NM").and_then(lopdf::decode_text_string)
            {
                names.entry(name).or_insert(id);
            }
        }
    }
    names
}

/// How many quarter turns clockwise the page is displayed with (`/Rotate`, inherited).
pub(crate) fn quarter_turns(document: &Document, page: ObjectId) -> u8 {
    let degrees = inherited(document, page, b"Rotate")
        .and_then(|rotate| rotate.as_i64().ok())
        .unwrap_or(0);
    u8::try_from(degrees.rem_euclid(360) / 90).unwrap_or(0)
}

fn reals(values: impl IntoIterator<Item = f32>) -> Object {
    Object::Array(values.into_iter().map(Object::Real).collect())
}

fn dictionary_of(markup: &Markup, page: ObjectId, form: ObjectId) -> Dictionary {
    let rect = markup.rect;
    let mut annot = dictionary! {
        "Type" => "Annot",
        "Subtype" => markup.subtype.pdf_name(),
        "Rect" => reals([rect.left, rect.bottom, rect.right, rect.top]),
        "P" => Object::Reference(page),
        "F" => PRINT,
        "CA" => Object::Real(markup.opacity),
        "BS" => dictionary! { "Type" => "Border", "W" => Object::Real(markup.border_width), "S" => "S" },
        "AP" => dictionary! { "N" => Object::Reference(form) },
    };
    if let Some(colour) = markup.colour {
        annot.set("C", reals(colour.fractions()));
    }
    for (key, value) in [
        ("Contents", &markup.contents),
        ("T", &markup.author),
        ("M", &markup.modified),
        ("NM", &markup.name),
    ] {
        if let Some(value) = value {
            annot.set(key, text_string(value));
        }
    }
    if markup.needs_review {
        annot.set("ECabinetNeedsReview", true);
    }
    match markup.subtype {
        MarkupSubtype::Highlight
        | MarkupSubtype::Underline
        | MarkupSubtype::StrikeOut
        | MarkupSubtype::Squiggly => {
            annot.set(
                "QuadPoints",
                reals(
                    markup
                        .quads
                        .iter()
                        .flat_map(|q| q.corners())
                        .flat_map(|(x, y)| [x, y]),
                ),
            );
        }
        MarkupSubtype::Ink => {
            annot.set(
                "InkList",
                Object::Array(
                    markup
                        .ink
                        .iter()
                        .map(|stroke| reals(stroke.iter().flat_map(|v| [v.x, v.y])))
                        .collect(),
                ),
            );
            if markup.ink.iter().flatten().any(|v| v.pressure.is_some()) {
                annot.set(
                    "ECabinetPressure",
                    Object::Array(
                        markup
                            .ink
                            .iter()
                            .map(|stroke| {
                                Object::Array(
                                    stroke
                                        .iter()
                                        .map(|v| v.pressure.map_or(Object::Null, Object::Real))
                                        .collect(),
                                )
                            })
                            .collect(),
                    ),
                );
            }
        }
        MarkupSubtype::Line => {
            if let Some([start, end]) = markup.line {
                annot.set("L", reals([start.0, start.1, end.0, end.1]));
            }
            if markup.line_endings != [LineEnding::None; 2] {
                annot.set(
                    "LE",
                    Object::Array(
                        markup
                            .line_endings
                            .iter()
                            .map(|e| Object::Name(e.pdf_name().as_bytes().to_vec()))
                            .collect(),
                    ),
                );
            }
        }
        MarkupSubtype::Text => {
            annot.set("Name", "Comment");
            annot.set("Open", false);
        }
        MarkupSubtype::FreeText => {
            let [r, g, b] = markup
                .colour
                .unwrap_or(appearance::default_colour(MarkupSubtype::FreeText))
                .fractions();
            annot.set(
                "DA",
                Object::string_literal(format!("/Cour 12 Tf {r:.3} {g:.3} {b:.3} rg")),
            );
            annot.set("Q", 0);
        }
        MarkupSubtype::Square | MarkupSubtype::Circle => {}
    }
    annot
}
