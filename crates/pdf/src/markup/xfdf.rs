//! XFDF (ISO 19444-1), the XML exchange format for PDF annotations: [`to_xfdf`] and
//! [`from_xfdf`] carry every field of [`Markup`] without loss, so a set of annotations can
//! leave eCabinet, go through another reader, and come back.
//!
//! The standard's elements and attributes are used wherever they exist (`page` from 0, `rect`
//! and `coords` in user space, `color`, `opacity`, `width`, `name`, `title`, `date`,
//! `inreplyto`, `<contents>`, `<inklist><gesture>`, `start`/`end`/`head`/`tail`). Two things
//! have no XFDF spelling and go in eCabinet's own namespace (`xmlns:ec`), which other readers
//! ignore: an ink point's pen pressure (`ec:pressure`: strokes separated by `;`, points by
//! `,`, an empty entry where the pen gave none) and the re-anchoring's "needs review" marker
//! (`ec:review="needs-review"`).
//!
//! Numbers are written in Rust's shortest form that reads back as the same `f32`, so a round
//! trip is exact. Line breaks, tabs and carriage returns in text are written as character
//! references, which XML parsers must not normalise away.

use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::{InkVertex, LineEnding, Markup, MarkupError, MarkupSubtype, Quad, Rgb, UserRect};

const XFDF_NAMESPACE: &str = "http://ns.adobe.com/xfdf/";
const ECABINET_NAMESPACE: &str = "urn:ecabinet:xfdf:1";
const NEEDS_REVIEW: &str = "needs-review";

/// The annotations as an XFDF document.
pub fn to_xfdf(markups: &[Markup]) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xfdf xmlns=\"{XFDF_NAMESPACE}\" xmlns:ec=\"{ECABINET_NAMESPACE}\" xml:space=\"preserve\">\n<annots>\n"
    );
    for markup in markups {
        write_one(&mut out, markup);
    }
    out.push_str("</annots>\n</xfdf>\n");
    out
}

fn numbers(values: impl IntoIterator<Item = f32>) -> String {
    values
        .into_iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// Text for XML: markup characters, and the white space an XML parser would otherwise
/// normalise, as references; characters XML 1.0 cannot hold at all as U+FFFD.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push_str(&format!("&#{};", u32::from(c))),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn write_one(out: &mut String, markup: &Markup) {
    let element = markup.subtype.xfdf_name();
    let rect = markup.rect;
    let mut attributes = vec![
        ("page", markup.page.to_string()),
        (
            "rect",
            numbers([rect.left, rect.bottom, rect.right, rect.top]),
        ),
    ];
    if let Some(colour) = markup.colour {
        attributes.push(("color", colour.hex()));
    }
    attributes.push(("opacity", markup.opacity.to_string()));
    attributes.push(("width", markup.border_width.to_string()));
    for (key, value) in [
        ("name", &markup.name),
        ("title", &markup.author),
        ("date", &markup.modified),
        ("inreplyto", &markup.in_reply_to),
    ] {
        if let Some(value) = value {
            attributes.push((key, value.clone()));
        }
    }
    if markup.subtype.is_text_markup() {
        attributes.push((
            "coords",
            numbers(
                markup
                    .quads
                    .iter()
                    .flat_map(|q| q.corners())
                    .flat_map(|(x, y)| [x, y]),
            ),
        ));
    }
    if let Some([start, end]) = markup.line {
        attributes.push(("start", numbers([start.0, start.1])));
        attributes.push(("end", numbers([end.0, end.1])));
    }
    if markup.subtype == MarkupSubtype::Line {
        attributes.push(("head", markup.line_endings[0].pdf_name().to_owned()));
        attributes.push(("tail", markup.line_endings[1].pdf_name().to_owned()));
    }
    if markup.subtype == MarkupSubtype::Text {
        attributes.push(("icon", "Comment".to_owned()));
    }
    if markup.ink.iter().flatten().any(|v| v.pressure.is_some()) {
        let strokes: Vec<String> = markup
            .ink
            .iter()
            .map(|stroke| {
                stroke
                    .iter()
                    .map(|v| v.pressure.map(|p| p.to_string()).unwrap_or_default())
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .collect();
        attributes.push(("ec:pressure", strokes.join(";")));
    }
    if markup.needs_review {
        attributes.push(("ec:review", NEEDS_REVIEW.to_owned()));
    }
    out.push('<');
    out.push_str(element);
    for (key, value) in attributes {
        out.push_str(&format!(" {key}=\"{}\"", escape(&value)));
    }
    out.push_str(">\n");
    if let Some(contents) = &markup.contents {
        out.push_str(&format!("<contents>{}</contents>\n", escape(contents)));
    }
    if markup.subtype == MarkupSubtype::Ink {
        out.push_str("<inklist>\n");
        for stroke in &markup.ink {
            let points: Vec<String> = stroke.iter().map(|v| format!("{},{}", v.x, v.y)).collect();
            out.push_str(&format!("<gesture>{}</gesture>\n", points.join(";")));
        }
        out.push_str("</inklist>\n");
    }
    out.push_str(&format!("</{element}>\n"));
}

fn bad(detail: impl Into<String>) -> MarkupError {
    MarkupError::BadXfdf {
        detail: detail.into(),
    }
}

/// Where the reader is inside an annotation element.
enum Inside {
    Nothing,
    Contents(String),
    Gesture(String),
}

/// The annotations of an XFDF document, in document order. Elements of kinds eCabinet does
/// not make (stamps, polygons, ...) and fields it does not keep are skipped; anything that is
/// not well-formed XFDF, or an annotation without a page or a rectangle, is an error.
pub fn from_xfdf(xml: &str) -> Result<Vec<Markup>, MarkupError> {
    let mut reader = Reader::from_str(xml);
    let mut markups = Vec::new();
    let mut current: Option<Markup> = None;
    let mut pressures: Option<Vec<Vec<Option<f32>>>> = None;
    let mut inside = Inside::Nothing;
    let mut saw_root = false;
    loop {
        let event = reader.read_event().map_err(|error| {
            bad(format!(
                "not well-formed XML at byte {}: {error}",
                reader.error_position()
            ))
        })?;
        match event {
            Event::Start(element) | Event::Empty(element)
                if element.local_name().as_ref() == "xfdf" =>
            {
                saw_root = true;
            }
            Event::Empty(element) if current.is_none() && is_annotation(&element) => {
                let (markup, pressure) = start_annotation(&element)?;
                markups.push(finish(markup, pressure)?);
            }
            Event::Start(element) if current.is_none() && is_annotation(&element) => {
                let (markup, pressure) = start_annotation(&element)?;
                current = Some(markup);
                pressures = pressure;
            }
            Event::Start(element) if current.is_some() => match element.local_name().as_ref() {
                "contents" => inside = Inside::Contents(String::new()),
                "gesture" => inside = Inside::Gesture(String::new()),
                _ => {}
            },
            Event::Empty(element) if current.is_some() => {
                if element.local_name().as_ref() == "contents"
                    && let Some(markup) = current.as_mut()
                {
                    markup.contents = Some(String::new());
                }
            }
            Event::Text(text) => match &mut inside {
                Inside::Contents(buffer) | Inside::Gesture(buffer) => {
                    buffer.push_str(&text.xml10_content());
                }
                Inside::Nothing => {}
            },
            Event::CData(data) => {
                if let Inside::Contents(buffer) | Inside::Gesture(buffer) = &mut inside {
                    buffer.push_str(&data.xml10_content());
                }
            }
            Event::GeneralRef(reference) => {
                if let Inside::Contents(buffer) | Inside::Gesture(buffer) = &mut inside {
                    let resolved = match reference.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        Ok(None) => quick_xml::escape::resolve_predefined_entity(&reference)
                            .ok_or_else(|| bad(format!("unknown entity &{};", &*reference)))?
                            .to_owned(),
                        Err(error) => return Err(bad(format!("bad character reference: {error}"))),
                    };
                    buffer.push_str(&resolved);
                }
            }
            Event::End(element) => {
                let name = element.local_name();
                match (
                    name.as_ref(),
                    std::mem::replace(&mut inside, Inside::Nothing),
                ) {
                    ("contents", Inside::Contents(text)) => {
                        if let Some(markup) = current.as_mut() {
                            markup.contents = Some(text);
                        }
                    }
                    ("gesture", Inside::Gesture(text)) => {
                        if let Some(markup) = current.as_mut() {
                            markup.ink.push(gesture(&text)?);
                        }
                    }
                    (other, state) => {
                        inside = state;
                        if let Some(markup) = current.as_ref()
                            && markup.subtype.xfdf_name() == other
                        {
                            let markup = current.take().expect("checked above");
                            markups.push(finish(markup, pressures.take())?);
                        }
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_root {
        return Err(bad("there is no <xfdf> element"));
    }
    if current.is_some() {
        return Err(bad("the document ends inside an annotation"));
    }
    Ok(markups)
}

fn is_annotation(element: &BytesStart<'_>) -> bool {
    MarkupSubtype::from_xfdf_name(element.local_name().as_ref().as_bytes()).is_some()
}

fn attribute_text(attribute: &Attribute<'_>) -> Result<String, MarkupError> {
    attribute
        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
        .map(|value| value.into_owned())
        .map_err(|error| bad(format!("an attribute cannot be read: {error}")))
}

fn floats(text: &str, what: &str) -> Result<Vec<f32>, MarkupError> {
    text.split([',', ';', ' '])
        .filter(|part| !part.trim().is_empty())
        .map(|part| {
            part.trim()
                .parse::<f32>()
                .map_err(|_| bad(format!("{what} holds {part:?}, which is not a number")))
        })
        .collect()
}

fn pair(text: &str, what: &str) -> Result<(f32, f32), MarkupError> {
    match floats(text, what)?.as_slice() {
        [x, y] => Ok((*x, *y)),
        _ => Err(bad(format!("{what} must be two numbers, \"x,y\""))),
    }
}

fn gesture(text: &str) -> Result<Vec<InkVertex>, MarkupError> {
    text.split(';')
        .filter(|point| !point.trim().is_empty())
        .map(|point| {
            pair(point, "an ink gesture").map(|(x, y)| InkVertex {
                x,
                y,
                pressure: None,
            })
        })
        .collect()
}

type Pressures = Option<Vec<Vec<Option<f32>>>>;

fn start_annotation(element: &BytesStart<'_>) -> Result<(Markup, Pressures), MarkupError> {
    let subtype = MarkupSubtype::from_xfdf_name(element.local_name().as_ref().as_bytes())
        .ok_or_else(|| bad("not an annotation element"))?;
    let mut markup = Markup::new(u32::MAX, subtype, UserRect::default());
    let mut has_rect = false;
    let mut pressures = None;
    for attribute in element.attributes() {
        let attribute =
            attribute.map_err(|error| bad(format!("an attribute cannot be read: {error}")))?;
        let value = attribute_text(&attribute)?;
        match attribute.key.as_ref() {
            "page" => {
                markup.page = value
                    .trim()
                    .parse()
                    .map_err(|_| bad(format!("page {value:?} is not a page number")))?;
            }
            "rect" => match floats(&value, "rect")?.as_slice() {
                [left, bottom, right, top] => {
                    has_rect = true;
                    markup.rect = UserRect {
                        left: *left,
                        bottom: *bottom,
                        right: *right,
                        top: *top,
                    }
                    .normalised();
                }
                _ => return Err(bad("rect must be four numbers")),
            },
            "color" => {
                markup.colour = Some(
                    Rgb::parse(value.trim())
                        .ok_or_else(|| bad(format!("color {value:?} is not #rrggbb")))?,
                );
            }
            "opacity" => markup.opacity = pair_one(&value, "opacity")?,
            "width" => markup.border_width = pair_one(&value, "width")?,
            "name" => markup.name = Some(value),
            "title" => markup.author = Some(value),
            "date" => markup.modified = Some(value),
            "inreplyto" => markup.in_reply_to = Some(value),
            "coords" => {
                let coords = floats(&value, "coords")?;
                if coords.len() % 8 != 0 {
                    return Err(bad("coords must be quadrilaterals of eight numbers"));
                }
                markup.quads = coords
                    .chunks_exact(8)
                    .map(|q| Quad {
                        top_left: (q[0], q[1]),
                        top_right: (q[2], q[3]),
                        bottom_left: (q[4], q[5]),
                        bottom_right: (q[6], q[7]),
                    })
                    .collect();
            }
            "start" => {
                let start = pair(&value, "start")?;
                let end = markup.line.map_or(start, |[_, end]| end);
                markup.line = Some([start, end]);
            }
            "end" => {
                let end = pair(&value, "end")?;
                let start = markup.line.map_or(end, |[start, _]| start);
                markup.line = Some([start, end]);
            }
            "head" => markup.line_endings[0] = LineEnding::from_pdf_name(value.trim().as_bytes()),
            "tail" => markup.line_endings[1] = LineEnding::from_pdf_name(value.trim().as_bytes()),
            "ec:pressure" => {
                pressures = Some(
                    value
                        .split(';')
                        .map(|stroke| {
                            stroke
                                .split(',')
                                .map(|p| {
                                    let p = p.trim();
                                    if p.is_empty() {
                                        Ok(None)
                                    } else {
                                        p.parse::<f32>().map(Some).map_err(|_| {
                                            bad(format!("pressure {p:?} is not a number"))
                                        })
                                    }
                                })
                                .collect::<Result<Vec<_>, _>>()
                        })
                        .collect::<Result<Vec<_>, _>>()?,
                );
            }
            "ec:review" => markup.needs_review = value == NEEDS_REVIEW,
            _ => {}
        }
    }
    if markup.page == u32::MAX {
        return Err(bad(format!("a <{}> has no page", subtype.xfdf_name())));
    }
    if !has_rect {
        return Err(bad(format!("a <{}> has no rect", subtype.xfdf_name())));
    }
    Ok((markup, pressures))
}

fn pair_one(text: &str, what: &str) -> Result<f32, MarkupError> {
    text.trim()
        .parse()
        .map_err(|_| bad(format!("{what} {text:?} is not a number")))
}

fn finish(mut markup: Markup, pressures: Pressures) -> Result<Markup, MarkupError> {
    if let Some(pressures) = pressures {
        for (stroke, pressure) in markup.ink.iter_mut().zip(pressures) {
            for (vertex, pressure) in stroke.iter_mut().zip(pressure) {
                vertex.pressure = pressure;
            }
        }
    }
    Ok(markup)
}
