//! The `ecabinet-pdf` command line on the shared fixtures: what a secretary or a script sees,
//! exit status and the one line on stderr that says why a file was refused.

mod tiny_pdf;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SUBMISSION: &str = "packet/01-to-trinh-du-toan-ngan-sach-2027.pdf";

fn fixture(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures")
        .join(relative)
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ecabinet-pdf"))
        .args(args)
        .output()
        .unwrap()
}

fn path(relative: &str) -> String {
    fixture(relative).to_string_lossy().into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// Asserts a refusal: status 1 and exactly one line, `error[CODE]: MESSAGE`.
fn assert_refused(output: &Output, code: &str, what: &str) -> String {
    let stderr = stderr(output);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{what}: a refused file exits with 1; stderr: {stderr}"
    );
    assert_eq!(
        stderr.lines().count(),
        1,
        "{what}: one line on stderr, got {stderr:?}"
    );
    let prefix = format!("error[{code}]: ");
    assert!(
        stderr.starts_with(&prefix) && stderr.len() > prefix.len() + 10,
        "{what}: expected {prefix}<reason>, got {stderr:?}"
    );
    assert!(output.stdout.is_empty(), "{what}: nothing on stdout");
    stderr
}

fn png_size(file: &Path) -> (u32, u32) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(file).unwrap()));
    let reader = decoder.read_info().unwrap();
    let info = reader.info();
    assert_eq!(info.color_type, png::ColorType::Rgba);
    (info.width, info.height)
}

#[test]
fn info_describes_a_paper() {
    let output = run(&["info", &path(SUBMISSION)]);
    assert!(output.status.success(), "{}", stderr(&output));
    let info = stdout(&output);
    for line in [
        "pages: 10",
        "title: TỜ TRÌNH dự toán ngân sách địa phương năm 2027",
        "encrypted: no",
        "allowed: print yes, copy yes, modify yes, annotate yes",
        "text on page 1: yes",
        "pages 1-10: 595.3 x 841.9 pt (210 x 297 mm)",
    ] {
        assert!(
            info.lines().any(|l| l == line),
            "{line:?} missing from:\n{info}"
        );
    }
    assert!(stderr(&output).is_empty());

    let scan = stdout(&run(&[
        "info",
        &path("packet/06-van-ban-da-ky-ban-chup.pdf"),
    ]));
    assert!(scan.contains("text on page 1: no"), "{scan}");
}

#[test]
fn every_bad_fixture_is_refused_with_one_line_naming_its_code() {
    let out = tempfile::tempdir().unwrap();
    let png = out.path().join("page.png").to_string_lossy().into_owned();
    let cases = [
        ("bad/empty.pdf", "empty_file"),
        ("bad/truncated-half.pdf", "corrupt"),
        ("bad/not-a-pdf.pdf", "not_a_pdf"),
        ("bad/garbage-after-header.pdf", "corrupt"),
        ("bad/password-matkhau.pdf", "password_required"),
        ("bad/there-is-no-such-file.pdf", "io"),
    ];
    for (relative, code) in cases {
        let file = path(relative);
        for command in [
            vec!["info", &file],
            vec!["text", &file],
            vec!["render", &file, "--page", "1", "--dpi", "72", "--out", &png],
        ] {
            assert_refused(&run(&command), code, &format!("{command:?}"));
        }
    }
    assert!(
        !out.path().join("page.png").exists(),
        "no image is written for a refused file"
    );

    // Owner-locked files restrict printing and copying, not reading: they open.
    let output = run(&["info", &path("bad/owner-locked-no-print.pdf")]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("allowed: print no, copy no"));
}

#[test]
fn the_password_opens_a_protected_paper() {
    let file = path("bad/password-matkhau.pdf");
    let output = run(&["text", &file, "--password", "matkhau", "--page", "1"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("DỰ THẢO NGHỊ QUYẾT"));

    let line = assert_refused(
        &run(&["info", &file, "--password", "sai"]),
        "wrong_password",
        "wrong password",
    );
    assert!(line.contains("password is not correct"), "{line}");
}

#[test]
fn render_writes_a_png_of_the_requested_page() {
    let out = tempfile::tempdir().unwrap();
    let png = out.path().join("page-2.png");
    let file = path(SUBMISSION);
    let output = run(&[
        "render",
        &file,
        "--page",
        "2",
        "--dpi",
        "150",
        "--out",
        png.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(png_size(&png), (1240, 1754), "A4 at 150 dpi");

    let output = run(&[
        "render",
        &file,
        "--width",
        "600",
        "--out",
        png.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(png_size(&png), (600, 849), "page 1, 600 pixels wide");
}

#[test]
fn pages_are_counted_from_one() {
    let file = path(SUBMISSION);
    let first = stdout(&run(&["text", &file, "--page", "1"]));
    assert!(first.contains("Số: 112/TTr-UBND"), "{first}");

    let all = stdout(&run(&["text", &file]));
    assert_eq!(all.matches('\x0c').count(), 10, "one form feed per page");
    assert!(all.starts_with(&first), "page 1 comes first");

    let line = assert_refused(
        &run(&["text", &file, "--page", "11"]),
        "page_out_of_range",
        "page 11 of 10",
    );
    assert!(line.contains("page 11 does not exist"), "{line}");

    let zero = run(&["text", &file, "--page", "0"]);
    assert_eq!(zero.status.code(), Some(2), "page 0 is a usage error");
}

#[test]
fn outline_lists_bookmarks_indented_with_their_pages_from_one() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("outlined.pdf");
    let entries = [
        format!(
            "<< /Title {} /First {} /Next {} /Dest [{} /Fit] >>",
            tiny_pdf::text_string("Chương I"),
            tiny_pdf::entry_ref(2, 1),
            tiny_pdf::entry_ref(2, 2),
            tiny_pdf::page_ref(0)
        ),
        format!(
            "<< /Title (Dieu 1) /Dest [{} /Fit] >>",
            tiny_pdf::page_ref(1)
        ),
        "<< /Title (Web) /A << /S /URI /URI (https://example.org) >> >>".to_owned(),
    ];
    std::fs::write(&file, tiny_pdf::with_outline(2, &entries)).unwrap();
    let output = run(&["outline", file.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "Chương I\t1\n  Dieu 1\t2\nWeb\t-\n");

    let output = run(&["outline", &path(SUBMISSION)]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "", "no bookmarks, no lines");

    assert_refused(
        &run(&["outline", &path("bad/password-matkhau.pdf")]),
        "password_required",
        "outline of a protected paper",
    );
}

#[test]
fn annotations_lists_what_other_readers_left_one_per_line() {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/realworld");
    let file = corpus.join("annotation-square-circle.pdf");
    let output = run(&["annotations", file.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let listing = stdout(&output);
    let lines: Vec<Vec<&str>> = listing
        .lines()
        .map(|line| line.split('\t').collect())
        .collect();
    // The square and the circle, each followed by the pop-up that shows its text.
    assert_eq!(lines.len(), 4, "{listing}");
    for line in &lines {
        assert_eq!(line.len(), 5, "page, kind, box, author, text: {line:?}");
        assert_eq!(line[0], "1", "page numbers count from 1");
    }
    let kinds: Vec<&str> = lines.iter().map(|line| line[1]).collect();
    assert_eq!(kinds, ["square", "popup", "circle", "popup"]);
    // /Rect [71.6709 657.982 274.738 754.469] on a 595.32 x 841.92 page.
    assert_eq!(lines[0][2], "0.1204 0.1039 0.4615 0.2185");
    assert_eq!(lines[0][3], "Tim van der Meij");
    assert_eq!(lines[0][4], "Square content");
    assert_eq!(
        (lines[1][3], lines[1][4]),
        ("-", "-"),
        "a pop-up has no author"
    );

    let output = run(&["annotations", &path(SUBMISSION)]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "", "no annotations, no lines");

    assert_refused(
        &run(&["annotations", &path("bad/password-matkhau.pdf")]),
        "password_required",
        "annotations of a protected paper",
    );
}

#[test]
fn text_with_layout_starts_each_line_with_its_box() {
    let file = path(SUBMISSION);
    let plain = stdout(&run(&["text", &file, "--page", "1"]));
    let output = run(&["text", &file, "--page", "1", "--layout"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let laid_out = stdout(&output);
    assert_eq!(
        laid_out.lines().count(),
        plain.lines().count(),
        "{laid_out}"
    );
    for (line, text) in laid_out.lines().zip(plain.lines()) {
        let (place, rest) = line.split_once('\t').unwrap();
        assert_eq!(rest, text, "the line's text follows its box");
        if place != "-" {
            let sides: Vec<f32> = place.split(' ').map(|side| side.parse().unwrap()).collect();
            assert_eq!(sides.len(), 4, "{line}");
            assert!(
                sides.iter().all(|side| (0.0..=1.0).contains(side))
                    && sides[0] <= sides[2]
                    && sides[1] <= sides[3],
                "{line}"
            );
        }
    }
    let subject = laid_out
        .lines()
        .find(|line| line.ends_with("Về dự toán ngân sách địa phương năm 2027"))
        .unwrap_or_else(|| panic!("{laid_out}"));
    let top: f32 = subject.split(' ').nth(1).unwrap().parse().unwrap();
    assert!(top < 0.3, "the subject sits near the top: {subject}");
}

/// A paper's first version and its amended second: a paragraph inserted at the top moves
/// every line down, and the sentence of article 3 is rewritten.
fn versions() -> (Vec<u8>, Vec<u8>) {
    let old = tiny_pdf::text_page(&[
        "Article 1. Budget revenue in the city is 12,450 billion dong.",
        "Article 2. The city committee shall report on spending quarterly.",
        "Article 3. This resolution takes effect on 1 January 2027.",
    ]);
    let new = tiny_pdf::text_page(&[
        "Article 0. Words used in this resolution have these meanings.",
        "Article 1. Budget revenue in the city is 12,450 billion dong.",
        "Article 2. The city committee shall report on spending quarterly.",
        "Article 3. Implementation is assigned to the standing body.",
    ]);
    (old, new)
}

/// XFDF of a highlight on "report on spending quarterly" and a strike-out on "takes effect on
/// 1 January 2027", placed on `old` by the engine itself.
fn marks_on(old: &[u8]) -> String {
    use ecabinet_domain::AnnotationKind;
    use ecabinet_domain::annotation::{Anchor, PaperText};
    use ecabinet_pdf::markup::{self, LaidOutPaper, Style};
    let engine = ecabinet_pdf::PdfEngine::bind().unwrap_or_else(|error| panic!("{error}"));
    let document = engine.open_bytes(old.to_vec(), None).unwrap();
    let layouts = vec![document.page_text_layout(0).unwrap()];
    let pages = markup::page_geometries(old).unwrap();
    let text = PaperText::new(&[layouts[0].text.as_str()]);
    let paper = LaidOutPaper {
        layouts: &layouts,
        pages: &pages,
    };
    let whole = text.slice(0, text.len());
    let mut marks = Vec::new();
    for (name, quote, kind) in [
        (
            "kept",
            "report on spending quarterly",
            AnnotationKind::Highlight,
        ),
        (
            "rewritten",
            "takes effect on 1 January 2027",
            AnnotationKind::StrikeOut,
        ),
    ] {
        let start = whole[..whole.find(quote).unwrap()].chars().count();
        let anchor = Anchor::Text(text.anchor(start, start + quote.chars().count()));
        let style = Style {
            name: Some(name.to_owned()),
            thickness: 1.0,
            ..Style::default()
        };
        marks.extend(markup::place_mark(&anchor, &kind, &style, paper, &text).unwrap());
    }
    markup::xfdf::to_xfdf(&marks)
}

#[test]
fn annotations_as_xfdf_then_annotate_writes_them_into_another_copy() {
    let out = tempfile::tempdir().unwrap();
    let corpus = "../corpus/realworld/annotation-square-circle.pdf";
    let output = run(&["annotations", &path(corpus), "--xfdf"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let xfdf = stdout(&output);
    assert!(xfdf.starts_with("<?xml") && xfdf.contains("<square ") && xfdf.contains("<circle "));
    let xfdf_file = out.path().join("marks.xfdf");
    std::fs::write(&xfdf_file, &xfdf).unwrap();

    let annotated = out.path().join("annotated.pdf");
    let output = run(&[
        "annotate",
        &path(SUBMISSION),
        "--xfdf",
        &xfdf_file.to_string_lossy(),
        "--out",
        &annotated.to_string_lossy(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(output.stdout.is_empty() && output.stderr.is_empty());
    let listed = stdout(&run(&["annotations", &annotated.to_string_lossy()]));
    let kinds: Vec<&str> = listed
        .lines()
        .map(|l| l.split('\t').nth(1).unwrap())
        .collect();
    assert_eq!(kinds, ["square", "circle"], "{listed}");
    let again = stdout(&run(&[
        "annotations",
        &annotated.to_string_lossy(),
        "--xfdf",
    ]));
    assert_eq!(
        again, xfdf,
        "the copy's annotations read back as the XFDF that made them"
    );
}

#[test]
fn reanchor_moves_marks_onto_the_new_version_and_lists_the_one_that_needs_review() {
    let out = tempfile::tempdir().unwrap();
    let (old, new) = versions();
    let (old_file, new_file) = (out.path().join("v1.pdf"), out.path().join("v2.pdf"));
    std::fs::write(&old_file, &old).unwrap();
    std::fs::write(&new_file, &new).unwrap();
    let xfdf_in = out.path().join("v1.xfdf");
    std::fs::write(&xfdf_in, marks_on(&old)).unwrap();
    let xfdf_out = out.path().join("v2.xfdf");

    let output = run(&[
        "reanchor",
        &old_file.to_string_lossy(),
        &new_file.to_string_lossy(),
        "--xfdf",
        &xfdf_in.to_string_lossy(),
        "--out",
        &xfdf_out.to_string_lossy(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "rewritten\tstrike_out\ttakes effect on 1 January 2027\n",
        "the rewritten sentence's mark needs review; the kept one is placed"
    );
    let carried =
        ecabinet_pdf::markup::xfdf::from_xfdf(&std::fs::read_to_string(&xfdf_out).unwrap())
            .unwrap();
    let before =
        ecabinet_pdf::markup::xfdf::from_xfdf(&std::fs::read_to_string(&xfdf_in).unwrap()).unwrap();
    assert_eq!(carried.len(), 2, "no annotation is dropped");
    let (kept, rewritten) = (&carried[0], &carried[1]);
    assert_eq!(kept.name.as_deref(), Some("kept"));
    assert!(!kept.needs_review);
    let moved_down = before[0].quads[0].top_left.1 - kept.quads[0].top_left.1;
    assert!(
        (moved_down - 20.0).abs() < 0.5,
        "the highlight follows its words one line (20 pt) down: {moved_down}"
    );
    assert!(rewritten.needs_review, "marked for review in the XFDF");
    assert_eq!(rewritten.quads, before[1].quads, "it keeps its old place");

    // The carried marks go into the new version like any XFDF.
    let annotated = out.path().join("v2-annotated.pdf");
    let output = run(&[
        "annotate",
        &new_file.to_string_lossy(),
        "--xfdf",
        &xfdf_out.to_string_lossy(),
        "--out",
        &annotated.to_string_lossy(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&run(&["annotations", &annotated.to_string_lossy()]))
            .lines()
            .count(),
        2
    );
}

#[test]
fn annotate_and_reanchor_refuse_bad_input_with_one_line() {
    let out = tempfile::tempdir().unwrap();
    let good_xfdf = out.path().join("good.xfdf");
    std::fs::write(
        &good_xfdf,
        "<xfdf><annots><square page=\"0\" rect=\"10,10,50,50\"/></annots></xfdf>",
    )
    .unwrap();
    let bad_xfdf = out.path().join("bad.xfdf");
    std::fs::write(
        &bad_xfdf,
        "<xfdf><annots><square page=\"0\" rect=\"10,10,50,50\"></annots>",
    )
    .unwrap();
    let beyond = out.path().join("beyond.xfdf");
    std::fs::write(
        &beyond,
        "<xfdf><annots><square page=\"99\" rect=\"10,10,50,50\"/></annots></xfdf>",
    )
    .unwrap();
    let pdf_out = out.path().join("out.pdf");
    let (pdf_out, good, bad, beyond, missing) = (
        pdf_out.to_string_lossy().into_owned(),
        good_xfdf.to_string_lossy().into_owned(),
        bad_xfdf.to_string_lossy().into_owned(),
        beyond.to_string_lossy().into_owned(),
        out.path()
            .join("nothing.xfdf")
            .to_string_lossy()
            .into_owned(),
    );
    let paper = path(SUBMISSION);
    let corrupt = path("bad/truncated-half.pdf");
    for (args, code) in [
        (
            vec!["annotate", &paper, "--xfdf", &bad, "--out", &pdf_out],
            "bad_xfdf",
        ),
        (
            vec!["annotate", &paper, "--xfdf", &missing, "--out", &pdf_out],
            "io",
        ),
        (
            vec!["annotate", &paper, "--xfdf", &beyond, "--out", &pdf_out],
            "page_out_of_range",
        ),
        (
            vec!["annotate", &corrupt, "--xfdf", &good, "--out", &pdf_out],
            "corrupt",
        ),
        (vec!["annotations", &corrupt, "--xfdf"], "corrupt"),
        (
            vec![
                "reanchor", &corrupt, &paper, "--xfdf", &good, "--out", &missing,
            ],
            "corrupt",
        ),
        (
            vec![
                "reanchor", &paper, &paper, "--xfdf", &bad, "--out", &missing,
            ],
            "bad_xfdf",
        ),
    ] {
        let stderr = assert_refused(&run(&args), code, &format!("{args:?}"));
        assert!(!stderr.trim_end().contains('\n'));
    }
    assert!(
        !Path::new(&pdf_out).exists(),
        "no copy is written when it fails"
    );
    assert!(!Path::new(&missing).exists());
}
