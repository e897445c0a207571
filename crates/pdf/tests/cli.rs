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
