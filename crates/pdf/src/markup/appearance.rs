//! Appearance streams (`/AP /N`): the form XObject each annotation is drawn with, so readers
//! that do not draw annotations themselves (most, for most kinds) show the mark as made.
//!
//! Marks that follow the page's geometry (text markup, ink, shapes, lines) are drawn in the
//! page's user space: the form's `/BBox` is the annotation's `/Rect` and its matrix is the
//! identity, so a rotated page turns them with it. Marks that carry words or an icon (free
//! text, notes) are drawn upright as the page is displayed: the form is the rectangle's
//! displayed size and its `/Matrix` turns it against the page's `/Rotate`, which readers
//! apply before fitting the form to `/Rect` (PDF 32000-2, 12.5.5).

use lopdf::{Dictionary, Object, Stream, dictionary};

use super::winansi;
use super::{LineEnding, Markup, MarkupSubtype, Rgb};

/// The font free text is drawn in: Courier needs no width table to wrap lines, and as one of
/// the standard 14 fonts every reader has it.
const FONT_SIZE: f32 = 12.0;
const COURIER_ADVANCE: f32 = 0.6;
const PADDING: f32 = 3.0;
/// Bézier control distance for a quarter ellipse.
const KAPPA: f32 = 0.552_284_8;

/// The colour a mark without `/C` is drawn in.
pub(crate) fn default_colour(subtype: MarkupSubtype) -> Rgb {
    match subtype {
        MarkupSubtype::Highlight => Rgb(255, 212, 0),
        MarkupSubtype::Text => Rgb(255, 230, 100),
        _ => Rgb(0, 0, 0),
    }
}

/// A number for a content stream: three decimals, no trailing zeros.
fn n(value: f32) -> String {
    let value = if value.is_finite() { value } else { 0.0 };
    let text = format!("{value:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

fn point(p: (f32, f32)) -> String {
    format!("{} {}", n(p.0), n(p.1))
}

fn colour_op(colour: Rgb, operator: &str) -> String {
    let [r, g, b] = colour.fractions();
    format!("{} {} {} {operator}\n", n(r), n(g), n(b))
}

fn sub(a: (f32, f32), b: (f32, f32)) -> (f32, f32) {
    (a.0 - b.0, a.1 - b.1)
}

fn add(a: (f32, f32), b: (f32, f32)) -> (f32, f32) {
    (a.0 + b.0, a.1 + b.1)
}

fn scale(a: (f32, f32), by: f32) -> (f32, f32) {
    (a.0 * by, a.1 * by)
}

fn length(a: (f32, f32)) -> f32 {
    a.0.hypot(a.1)
}

/// The form XObject that draws `markup` on a page displayed with `quarter_turns` clockwise.
pub(crate) fn form(markup: &Markup, quarter_turns: u8) -> Stream {
    let rect = markup.rect;
    let colour = markup.colour.unwrap_or(default_colour(markup.subtype));
    let width = markup.border_width.max(0.0);
    let mut graphics = dictionary! {
        "Type" => "ExtGState",
        "CA" => Object::Real(markup.opacity),
        "ca" => Object::Real(markup.opacity),
    };
    let mut resources = Dictionary::new();
    let mut bbox = [rect.left, rect.bottom, rect.right, rect.top];
    let mut matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
    let mut content = String::from("/GS0 gs\n");
    match markup.subtype {
        MarkupSubtype::Highlight => {
            graphics.set("BM", "Multiply");
            content.push_str(&colour_op(colour, "rg"));
            for quad in &markup.quads {
                content.push_str(&format!(
                    "{} m {} l {} l {} l h f\n",
                    point(quad.top_left),
                    point(quad.top_right),
                    point(quad.bottom_right),
                    point(quad.bottom_left)
                ));
            }
        }
        MarkupSubtype::Underline | MarkupSubtype::StrikeOut => {
            content.push_str(&colour_op(colour, "RG"));
            for quad in &markup.quads {
                let up = sub(quad.top_left, quad.bottom_left);
                let line_width = width.max(length(up) / 16.0);
                let at = if markup.subtype == MarkupSubtype::Underline {
                    // Just above the box's bottom, where the descenders end.
                    0.08_f32.max(line_width / 2.0 / length(up).max(1.0))
                } else {
                    0.45
                };
                let from = add(quad.bottom_left, scale(up, at));
                let to = add(quad.bottom_right, scale(up, at));
                content.push_str(&format!(
                    "{} w {} m {} l S\n",
                    n(line_width),
                    point(from),
                    point(to)
                ));
            }
        }
        MarkupSubtype::Squiggly => {
            content.push_str(&colour_op(colour, "RG"));
            content.push_str("1 J 1 j\n");
            for quad in &markup.quads {
                let up = sub(quad.top_left, quad.bottom_left);
                let along = sub(quad.bottom_right, quad.bottom_left);
                let (height, run) = (length(up), length(along));
                if run <= 0.0 || height <= 0.0 {
                    continue;
                }
                let line_width = width.max(height / 20.0);
                let step = (height / 6.0).max(1.5);
                let steps = (run / step).ceil().max(1.0) as usize;
                let base = add(quad.bottom_left, scale(up, 0.04));
                let crest = scale(up, 0.12);
                content.push_str(&format!("{} w {} m", n(line_width), point(base)));
                for i in 1..=steps {
                    let along_here = scale(along, (i as f32 / steps as f32).min(1.0));
                    let lift = if i % 2 == 1 { crest } else { (0.0, 0.0) };
                    content.push_str(&format!(" {} l", point(add(add(base, along_here), lift))));
                }
                content.push_str(" S\n");
            }
        }
        MarkupSubtype::Ink => {
            content.push_str(&colour_op(colour, "RG"));
            content.push_str(&format!("{} w 1 J 1 j\n", n(width)));
            for stroke in &markup.ink {
                let Some(first) = stroke.first() else {
                    continue;
                };
                if stroke.len() > 1 && stroke.iter().any(|v| v.pressure.is_some()) {
                    // A pen's pressure draws each segment as wide as the pen pressed there
                    // (half pressure is the mark's own width); round caps join them.
                    for pair in stroke.windows(2) {
                        let pressed = |v: &super::InkVertex| v.pressure.unwrap_or(0.5);
                        let factor = 0.4 + 1.2 * (pressed(&pair[0]) + pressed(&pair[1])) / 2.0;
                        content.push_str(&format!(
                            "{} w {} m {} l S\n",
                            n(width * factor),
                            point((pair[0].x, pair[0].y)),
                            point((pair[1].x, pair[1].y))
                        ));
                    }
                    continue;
                }
                content.push_str(&format!("{} m", point((first.x, first.y))));
                if stroke.len() == 1 {
                    // A dot: a round cap on a line of no length.
                    content.push_str(&format!(" {} l", point((first.x, first.y))));
                }
                for vertex in &stroke[1..] {
                    content.push_str(&format!(" {} l", point((vertex.x, vertex.y))));
                }
                content.push_str(" S\n");
            }
        }
        MarkupSubtype::Square => {
            content.push_str(&colour_op(colour, "RG"));
            let inset = width / 2.0;
            content.push_str(&format!(
                "{} w {} {} {} {} re S\n",
                n(width),
                n(rect.left + inset),
                n(rect.bottom + inset),
                n((rect.width() - width).max(0.0)),
                n((rect.height() - width).max(0.0))
            ));
        }
        MarkupSubtype::Circle => {
            content.push_str(&colour_op(colour, "RG"));
            let inset = width / 2.0;
            let (cx, cy) = (
                (rect.left + rect.right) / 2.0,
                (rect.bottom + rect.top) / 2.0,
            );
            let (rx, ry) = (
                (rect.width() / 2.0 - inset).max(0.0),
                (rect.height() / 2.0 - inset).max(0.0),
            );
            let (kx, ky) = (rx * KAPPA, ry * KAPPA);
            content.push_str(&format!("{} w {} m\n", n(width), point((cx + rx, cy))));
            for [c1, c2, end] in [
                [(cx + rx, cy + ky), (cx + kx, cy + ry), (cx, cy + ry)],
                [(cx - kx, cy + ry), (cx - rx, cy + ky), (cx - rx, cy)],
                [(cx - rx, cy - ky), (cx - kx, cy - ry), (cx, cy - ry)],
                [(cx + kx, cy - ry), (cx + rx, cy - ky), (cx + rx, cy)],
            ] {
                content.push_str(&format!("{} {} {} c\n", point(c1), point(c2), point(end)));
            }
            content.push_str("S\n");
        }
        MarkupSubtype::Line => {
            content.push_str(&colour_op(colour, "RG"));
            content.push_str(&format!("{} w 1 J 1 j\n", n(width)));
            if let Some([start, end]) = markup.line {
                content.push_str(&format!("{} m {} l S\n", point(start), point(end)));
                for (tip, from, ending) in [
                    (start, end, markup.line_endings[0]),
                    (end, start, markup.line_endings[1]),
                ] {
                    if ending == LineEnding::OpenArrow {
                        content.push_str(&arrow_head(tip, from, width));
                    }
                }
            }
        }
        MarkupSubtype::Text | MarkupSubtype::FreeText => {
            let (w, h) = if quarter_turns % 2 == 1 {
                (rect.height(), rect.width())
            } else {
                (rect.width(), rect.height())
            };
            bbox = [0.0, 0.0, w, h];
            matrix = match quarter_turns % 4 {
                1 => [0.0, 1.0, -1.0, 0.0, 0.0, 0.0],
                2 => [-1.0, 0.0, 0.0, -1.0, 0.0, 0.0],
                3 => [0.0, -1.0, 1.0, 0.0, 0.0, 0.0],
                _ => matrix,
            };
            if markup.subtype == MarkupSubtype::Text {
                content.push_str(&note_icon(colour, w, h));
            } else {
                resources.set(
                    "Font",
                    dictionary! {
                        "Cour" => dictionary! {
                            "Type" => "Font",
                            "Subtype" => "Type1",
                            "BaseFont" => "Courier",
                            "Encoding" => "WinAnsiEncoding",
                        },
                    },
                );
                content.push_str(&free_text(
                    markup.contents.as_deref().unwrap_or(""),
                    colour,
                    width,
                    w,
                    h,
                ));
            }
        }
    }
    resources.set("ExtGState", dictionary! { "GS0" => graphics });
    let real = |values: &[f32]| Object::Array(values.iter().map(|v| Object::Real(*v)).collect());
    Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Form",
            "FormType" => 1,
            "BBox" => real(&bbox),
            "Matrix" => real(&matrix),
            "Resources" => resources,
        },
        content.into_bytes(),
    )
}

/// Two strokes from the tip back along the line, 30 degrees either side.
fn arrow_head(tip: (f32, f32), from: (f32, f32), width: f32) -> String {
    let back = sub(from, tip);
    let len = length(back);
    if len <= 0.0 {
        return String::new();
    }
    let unit = scale(back, 1.0 / len);
    let size = (width * 4.0).max(8.0).min(len);
    let (sin, cos) = (30.0_f32.to_radians().sin(), 30.0_f32.to_radians().cos());
    let turned = |s: f32| {
        (
            unit.0 * cos - unit.1 * s * sin,
            unit.0 * s * sin + unit.1 * cos,
        )
    };
    let left = add(tip, scale(turned(1.0), size));
    let right = add(tip, scale(turned(-1.0), size));
    format!("{} m {} l {} l S\n", point(left), point(tip), point(right))
}

/// A sticky note's icon filling a `w` by `h` form: a coloured sheet with three lines of text.
fn note_icon(colour: Rgb, w: f32, h: f32) -> String {
    let mut out = colour_op(colour, "rg");
    out.push_str(&format!(
        "0.25 0.25 0.25 RG 1 w 0.5 0.5 {} {} re B\n",
        n((w - 1.0).max(0.0)),
        n((h - 1.0).max(0.0))
    ));
    for (line, (from, to)) in [(0.72, 0.8), (0.5, 0.8), (0.28, 0.6)]
        .into_iter()
        .map(|(y, end)| (y, (0.2, end)))
    {
        out.push_str(&format!(
            "{} {} m {} {} l S\n",
            n(w * from),
            n(h * line),
            n(w * to),
            n(h * line)
        ));
    }
    out
}

/// Free text: a border in the mark's colour and the words wrapped inside, clipped to it.
fn free_text(text: &str, colour: Rgb, border: f32, w: f32, h: f32) -> String {
    let mut out = String::new();
    if border > 0.0 {
        out.push_str(&colour_op(colour, "RG"));
        out.push_str(&format!(
            "{} w {} {} {} {} re S\n",
            n(border),
            n(border / 2.0),
            n(border / 2.0),
            n((w - border).max(0.0)),
            n((h - border).max(0.0))
        ));
    }
    let inner = w - 2.0 * (PADDING + border);
    let per_line = ((inner / (FONT_SIZE * COURIER_ADVANCE)).floor() as usize).max(1);
    out.push_str(&format!(
        "q {} {} {} {} re W n\nBT /Cour {} Tf\n",
        n(border),
        n(border),
        n((w - 2.0 * border).max(0.0)),
        n((h - 2.0 * border).max(0.0)),
        n(FONT_SIZE)
    ));
    out.push_str(&colour_op(colour, "rg"));
    let leading = FONT_SIZE * 1.15;
    let mut y = h - border - PADDING - FONT_SIZE * 0.85;
    for line in wrap(text, per_line) {
        if y < border - FONT_SIZE {
            break;
        }
        out.push_str(&format!(
            "1 0 0 1 {} {} Tm ({}) Tj\n",
            n(border + PADDING),
            n(y),
            escape(&winansi::line(&line))
        ));
        y -= leading;
    }
    out.push_str("ET Q\n");
    out
}

/// Lines of at most `width` characters, broken at spaces where a word fits, else inside it.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split(' ') {
            let mut word: Vec<char> = word.chars().collect();
            let used = line.chars().count();
            if used > 0 && used + 1 + word.len() <= width {
                line.push(' ');
                line.extend(word.iter());
                continue;
            }
            if used > 0 {
                lines.push(std::mem::take(&mut line));
            }
            while word.len() > width {
                lines.push(word.drain(..width).collect());
            }
            line.extend(word.iter());
        }
        lines.push(line);
    }
    lines
}

/// A literal string's bytes: `(`, `)` and `\` escaped, anything outside printable ASCII octal.
fn escape(bytes: &[u8]) -> String {
    let mut out = String::new();
    for &byte in bytes {
        match byte {
            b'(' | b')' | b'\\' => {
                out.push('\\');
                out.push(char::from(byte));
            }
            0x20..=0x7E => out.push(char::from(byte)),
            _ => out.push_str(&format!("\\{byte:03o}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_wrap_at_spaces_and_long_words_break() {
        assert_eq!(wrap("một hai ba bốn", 7), vec!["một hai", "ba bốn"]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("a\nb", 10), vec!["a", "b"]);
    }

    #[test]
    fn numbers_are_short_and_strings_escaped() {
        assert_eq!(n(1.0), "1");
        assert_eq!(n(-0.0001), "0");
        assert_eq!(n(12.3456), "12.346");
        assert_eq!(escape(b"(a\\b)\xea"), "\\(a\\\\b\\)\\352");
    }
}
