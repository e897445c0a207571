//! The exported copy checked by two readers that share no code with ours: poppler's
//! `pdftoppm` draws every mark where its rectangle is and nowhere else, and `pypdf` finds each
//! annotation's subtype, rectangle, text and appearance stream. Neither is optional: a missing
//! tool fails the test with the command that installs it.

mod every_kind;
mod tiny_pdf;

use std::path::{Path, PathBuf};
use std::process::Command;

use ecabinet_pdf::markup::{self, Markup, MarkupSubtype, PageGeometry, UserRect, xfdf};
use every_kind::{every_kind, submission};

/// Renders page 1 at 72 dpi (one pixel per point) with pdftoppm, showing the crop box as
/// PDFium does: RGB rows, width, height.
fn render_with_poppler(pdf: &[u8], dir: &Path, name: &str) -> (Vec<u8>, usize, usize) {
    let file = dir.join(format!("{name}.pdf"));
    std::fs::write(&file, pdf).unwrap();
    let stem = dir.join(name);
    let output = Command::new("pdftoppm")
        .args(["-r", "72", "-f", "1", "-l", "1", "-singlefile", "-cropbox"])
        .arg(&file)
        .arg(&stem)
        .output()
        .unwrap_or_else(|error| {
            panic!(
                "pdftoppm cannot be run ({error}): install poppler-utils with `scripts/setup.sh test`"
            )
        });
    assert!(
        output.status.success(),
        "pdftoppm refused {name}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let ppm = std::fs::read(stem.with_extension("ppm")).unwrap();
    // P6, width, height, 255, then one byte of white space and the pixels.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while ppm[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !ppm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8(ppm[start..at].to_vec()).unwrap());
    }
    assert_eq!(fields[0], "P6");
    let (width, height) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    (ppm[at + 1..].to_vec(), width, height)
}

/// A displayed rectangle in pixels (72 dpi: points), grown by `margin`, clipped to the page.
#[derive(Debug, Clone, Copy)]
struct Area {
    left: f32,
    top: f32,
    right: f32,
    bottom: f32,
}

impl Area {
    fn of(rect: &UserRect, page: &PageGeometry, margin: f32) -> Self {
        let corners = [
            (rect.left, rect.bottom),
            (rect.right, rect.top),
            (rect.left, rect.top),
            (rect.right, rect.bottom),
        ]
        .map(|c| page.to_displayed(c));
        Self {
            left: corners.iter().map(|c| c.0).fold(f32::INFINITY, f32::min) - margin,
            top: corners.iter().map(|c| c.1).fold(f32::INFINITY, f32::min) - margin,
            right: corners
                .iter()
                .map(|c| c.0)
                .fold(f32::NEG_INFINITY, f32::max)
                + margin,
            bottom: corners
                .iter()
                .map(|c| c.1)
                .fold(f32::NEG_INFINITY, f32::max)
                + margin,
        }
    }

    fn holds(&self, x: usize, y: usize) -> bool {
        let (x, y) = (x as f32 + 0.5, y as f32 + 0.5);
        x >= self.left && x <= self.right && y >= self.top && y <= self.bottom
    }
}

/// Pixels that differ between two renders, as (x, y).
fn differences(a: &[u8], b: &[u8], width: usize) -> Vec<(usize, usize)> {
    a.chunks_exact(3)
        .zip(b.chunks_exact(3))
        .enumerate()
        .filter(|(_, (p, q))| p.iter().zip(*q).any(|(x, y)| x.abs_diff(*y) > 8))
        .map(|(i, _)| (i % width, i / width))
        .collect()
}

/// Checks that every mark changed pixels inside its rectangle and that nothing changed
/// more than two pixels outside all of them.
fn assert_drawn_where_placed(
    plain: &[u8],
    annotated: &[u8],
    width: usize,
    marks: &[Markup],
    page: &PageGeometry,
    what: &str,
) {
    let changed = differences(plain, annotated, width);
    for mark in marks {
        let inside = Area::of(&mark.rect, page, 0.0);
        let count = changed.iter().filter(|(x, y)| inside.holds(*x, *y)).count();
        assert!(
            count >= 20,
            "{what}: {:?} {:?} changed only {count} pixels inside its rectangle {inside:?}",
            mark.subtype,
            mark.name
        );
    }
    let around: Vec<Area> = marks.iter().map(|m| Area::of(&m.rect, page, 2.0)).collect();
    let stray: Vec<&(usize, usize)> = changed
        .iter()
        .filter(|(x, y)| !around.iter().any(|a| a.holds(*x, *y)))
        .collect();
    assert!(
        stray.is_empty(),
        "{what}: {} pixels changed away from every mark, first {:?}",
        stray.len(),
        stray.first()
    );
}

#[test]
fn poppler_draws_every_mark_inside_its_rectangle_and_nothing_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let paper = submission();
    let marks = every_kind();
    let annotated = markup::write_annotations(&paper, &marks).unwrap();
    let (plain_pixels, width, height) = render_with_poppler(&paper, dir.path(), "plain");
    let (marked_pixels, ..) = render_with_poppler(&annotated, dir.path(), "annotated");
    assert_eq!(
        (width, height),
        (596, 842),
        "A4 (595.3 x 841.9 pt), rounded up"
    );
    let page = markup::page_geometries(&paper).unwrap()[0];
    assert_drawn_where_placed(
        &plain_pixels,
        &marked_pixels,
        width,
        &marks,
        &page,
        "budget submission",
    );

    // The in-repo XFDF round trip: the paper's annotations as XFDF, written into a fresh copy,
    // look exactly the same to poppler.
    let exported = xfdf::to_xfdf(&markup::read_annotations(&annotated).unwrap());
    let again = markup::write_annotations(&paper, &xfdf::from_xfdf(&exported).unwrap()).unwrap();
    let (again_pixels, ..) = render_with_poppler(&again, dir.path(), "again");
    assert!(
        again_pixels == marked_pixels,
        "the copy made from the XFDF renders exactly as the original export"
    );
}

#[test]
fn poppler_draws_marks_on_a_turned_and_cropped_page_where_the_reader_placed_them() {
    let dir = tempfile::tempdir().unwrap();
    for rotate in [90, 180, 270] {
        let paper = tiny_pdf::rotated_page(rotate);
        let page = markup::page_geometries(&paper).unwrap()[0];
        // A box and a free text in the middle of the page as displayed, placed through the
        // same mapping the reader's marks go through.
        let (dw, dh) = page.displayed_size();
        let rect_at = |left: f32, top: f32, w: f32, h: f32| {
            UserRect::around(
                [(left, top), (left + w, top + h)].map(|p| page.to_user(p)),
                0.0,
            )
        };
        let mut square = Markup::new(
            0,
            MarkupSubtype::Square,
            rect_at(dw * 0.3, dh * 0.4, 40.0, 30.0),
        );
        square.border_width = 2.0;
        let mut words = Markup::new(
            0,
            MarkupSubtype::FreeText,
            rect_at(dw * 0.55, dh * 0.4, 90.0, 40.0),
        );
        words.contents = Some("Ý kiến".to_owned());
        let marks = vec![square, words];
        let annotated = markup::write_annotations(&paper, &marks).unwrap();
        let (plain, width, _) = render_with_poppler(&paper, dir.path(), &format!("plain-{rotate}"));
        let (marked, ..) = render_with_poppler(&annotated, dir.path(), &format!("marked-{rotate}"));
        assert_eq!(width as f32, dw, "/Rotate {rotate}: the crop box, turned");
        assert_drawn_where_placed(
            &plain,
            &marked,
            width,
            &marks,
            &page,
            &format!("/Rotate {rotate}"),
        );
    }
}

fn pypdf_python() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let script = root.join("scripts/pypdf-venv.sh");
    let output = Command::new(&script).arg("python").output().unwrap();
    let python = PathBuf::from(String::from_utf8(output.stdout).unwrap().trim());
    assert!(
        python.exists(),
        "pypdf's virtual environment is missing ({}): run `scripts/pypdf-venv.sh install` (or `scripts/setup.sh test`)",
        python.display()
    );
    python
}

/// What pypdf reads of each annotation, one line each: subtype, rect, contents, whether
/// /AP /N is a form stream, and its length.
const READ_WITH_PYPDF: &str = r#"
import json, sys
from pypdf import PdfReader
from pypdf.generic import StreamObject
reader = PdfReader(sys.argv[1])
for page in reader.pages:
    for ref in page.get("/Annots") or []:
        a = ref.get_object()
        ap = a.get("/AP")
        normal = ap.get_object()["/N"].get_object() if ap is not None else None
        is_form = isinstance(normal, StreamObject) and normal.get("/Subtype") == "/Form"
        print(json.dumps({
            "subtype": a["/Subtype"],
            "rect": [float(v) for v in a["/Rect"]],
            "contents": a.get("/Contents"),
            "author": a.get("/T"),
            "form": is_form,
            "drawn": len(normal.get_data()) if is_form else 0,
            "bbox": [float(v) for v in normal["/BBox"]] if is_form else None,
        }, ensure_ascii=False))
"#;

#[test]
fn pypdf_finds_each_annotations_subtype_rectangle_text_and_appearance() {
    let python = pypdf_python();
    let dir = tempfile::tempdir().unwrap();
    let marks = every_kind();
    let file = dir.path().join("annotated.pdf");
    std::fs::write(
        &file,
        markup::write_annotations(&submission(), &marks).unwrap(),
    )
    .unwrap();
    let output = Command::new(&python)
        .args(["-c", READ_WITH_PYPDF])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "pypdf failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let found: Vec<serde_json::Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(found.len(), marks.len(), "{stdout}");
    for (found, mark) in found.iter().zip(&marks) {
        let what = format!("{:?} {:?}", mark.subtype, mark.name);
        assert_eq!(
            found["subtype"],
            format!("/{}", mark.subtype.pdf_name()),
            "{what}"
        );
        let rect: Vec<f32> = found["rect"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap() as f32)
            .collect();
        assert_eq!(
            rect,
            [
                mark.rect.left,
                mark.rect.bottom,
                mark.rect.right,
                mark.rect.top
            ],
            "{what}"
        );
        assert_eq!(
            found["contents"].as_str(),
            mark.contents.as_deref(),
            "{what}: UTF-16 text read by another library"
        );
        assert_eq!(found["author"].as_str(), mark.author.as_deref(), "{what}");
        assert_eq!(found["form"], true, "{what}: /AP /N is a form XObject");
        assert!(
            found["drawn"].as_u64().unwrap() > 20,
            "{what}: the appearance draws something"
        );
    }
}

/// Each annotation of the kinds eCabinet keeps, as pypdf reads it: page, subtype, /C, /T,
/// whether it replies to another (/IRT).
const READ_COLOURS_WITH_PYPDF: &str = r#"
import json, sys
from pypdf import PdfReader
kinds = {"/Highlight", "/Underline", "/StrikeOut", "/Squiggly", "/Ink", "/Text", "/FreeText", "/Square", "/Circle", "/Line"}
reader = PdfReader(sys.argv[1])
for number, page in enumerate(reader.pages):
    for ref in page.get("/Annots") or []:
        a = ref.get_object()
        if a.get("/Subtype") not in kinds:
            continue
        c = a.get("/C")
        print(json.dumps({
            "page": number,
            "subtype": a["/Subtype"],
            "colour": [float(v) for v in c] if c is not None else None,
            "author": a.get("/T"),
            "reply": a.get("/IRT") is not None,
        }, ensure_ascii=False))
"#;

#[test]
fn other_readers_annotations_are_read_with_the_colours_pypdf_finds() {
    let python = pypdf_python();
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/realworld");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.file_name()
                .is_some_and(|name| name.to_string_lossy().starts_with("annotation"))
        })
        .collect();
    files.sort();
    let mut coloured = 0;
    for file in &files {
        let output = Command::new(&python)
            .args(["-c", READ_COLOURS_WITH_PYPDF])
            .arg(file)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "pypdf on {}: {}",
            file.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        let theirs: Vec<serde_json::Value> = String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        let ours = markup::read_annotations(&std::fs::read(file).unwrap()).unwrap();
        assert_eq!(ours.len(), theirs.len(), "{}", file.display());
        for (ours, theirs) in ours.iter().zip(&theirs) {
            let what = format!("{} {:?}", file.display(), ours.subtype);
            assert_eq!(
                u64::from(ours.page),
                theirs["page"].as_u64().unwrap(),
                "{what}"
            );
            assert_eq!(
                format!("/{}", ours.subtype.pdf_name()),
                theirs["subtype"],
                "{what}"
            );
            assert_eq!(ours.author.as_deref(), theirs["author"].as_str(), "{what}");
            assert_eq!(
                ours.in_reply_to.is_some(),
                theirs["reply"] == true,
                "{what}"
            );
            let expected = theirs["colour"]
                .as_array()
                .and_then(|c| match c.as_slice() {
                    [r, g, b] => Some(
                        [r, g, b]
                            .map(|v| (v.as_f64().unwrap().clamp(0.0, 1.0) * 255.0).round() as u8),
                    ),
                    _ => None,
                });
            if let Some([r, g, b]) = expected {
                coloured += 1;
                assert_eq!(ours.colour, Some(markup::Rgb(r, g, b)), "{what}");
            }
        }
    }
    assert!(
        coloured >= 5,
        "the corpus has coloured annotations to compare: {coloured}"
    );
}
