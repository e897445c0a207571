//! One annotation of every kind eCabinet writes, on page 1 of an A4 paper, each in a place of
//! its own so a test can tell their marks apart on the rendered page. Shared by the export
//! tests.
#![allow(dead_code)]

use std::path::PathBuf;

use ecabinet_pdf::markup::{InkVertex, LineEnding, Markup, MarkupSubtype, Quad, Rgb, UserRect};

pub const SUBMISSION: &str = "packet/01-to-trinh-du-toan-ngan-sach-2027.pdf";

pub fn fixture(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures")
        .join(relative)
}

pub fn submission() -> Vec<u8> {
    std::fs::read(fixture(SUBMISSION)).unwrap()
}

fn rect(left: f32, bottom: f32, right: f32, top: f32) -> UserRect {
    UserRect {
        left,
        bottom,
        right,
        top,
    }
}

/// A text mark over one line box `left..right` x `bottom..top`.
fn on_line(subtype: MarkupSubtype, left: f32, bottom: f32, right: f32, top: f32) -> Markup {
    let mut markup = Markup::new(
        0,
        subtype,
        rect(left - 1.0, bottom - 1.0, right + 1.0, top + 1.0),
    );
    markup.quads = vec![Quad {
        top_left: (left, top),
        top_right: (right, top),
        bottom_left: (left, bottom),
        bottom_right: (right, bottom),
    }];
    markup
}

/// Every kind once, plus a reply to the note; named `mark-1`, `mark-2`, ... in this order.
pub fn every_kind() -> Vec<Markup> {
    let mut highlight = on_line(MarkupSubtype::Highlight, 300.0, 760.0, 520.0, 776.0);
    highlight.contents = Some("Số liệu này cần đối chiếu với phụ lục".to_owned());
    let underline = on_line(MarkupSubtype::Underline, 300.0, 730.0, 520.0, 746.0);
    let strike_out = on_line(MarkupSubtype::StrikeOut, 300.0, 700.0, 520.0, 716.0);
    let squiggly = on_line(MarkupSubtype::Squiggly, 300.0, 670.0, 520.0, 686.0);

    let mut ink = Markup::new(0, MarkupSubtype::Ink, rect(60.0, 560.0, 260.0, 660.0));
    ink.ink = vec![
        vec![
            InkVertex {
                x: 70.0,
                y: 570.0,
                pressure: Some(0.25),
            },
            InkVertex {
                x: 150.0,
                y: 650.0,
                pressure: Some(0.5),
            },
            InkVertex {
                x: 250.0,
                y: 570.0,
                pressure: None,
            },
        ],
        vec![
            InkVertex {
                x: 80.0,
                y: 600.0,
                pressure: None,
            },
            InkVertex {
                x: 240.0,
                y: 610.5,
                pressure: None,
            },
        ],
    ];
    ink.border_width = 3.0;

    let mut note = Markup::new(0, MarkupSubtype::Text, rect(300.0, 600.0, 320.0, 620.0));
    note.contents = Some("Ghi chú: đề nghị Ban Kinh tế – Ngân sách làm rõ".to_owned());
    let mut free_text = Markup::new(0, MarkupSubtype::FreeText, rect(340.0, 540.0, 540.0, 640.0));
    free_text.contents =
        Some("Đề nghị bổ sung thuyết minh khoản chi 12.450 tỷ đồng (Điều 2)".to_owned());
    let mut square = Markup::new(0, MarkupSubtype::Square, rect(60.0, 420.0, 200.0, 520.0));
    square.border_width = 2.0;
    let mut circle = Markup::new(0, MarkupSubtype::Circle, rect(230.0, 420.0, 370.0, 520.0));
    circle.border_width = 2.5;
    let mut line = Markup::new(0, MarkupSubtype::Line, rect(395.0, 415.0, 545.0, 525.0));
    line.line = Some([(400.0, 420.0), (540.0, 520.0)]);
    let mut arrow = Markup::new(0, MarkupSubtype::Line, rect(50.0, 300.0, 300.0, 400.0));
    arrow.line = Some([(70.0, 320.0), (280.0, 380.0)]);
    arrow.line_endings = [LineEnding::None, LineEnding::OpenArrow];
    arrow.border_width = 2.0;
    let mut reply = Markup::new(0, MarkupSubtype::Text, rect(330.0, 600.0, 350.0, 620.0));
    reply.contents = Some("Đồng ý, sẽ bổ sung".to_owned());

    let colours = [
        Rgb(255, 212, 0),
        Rgb(0, 102, 204),
        Rgb(204, 0, 0),
        Rgb(0, 153, 51),
        Rgb(102, 0, 153),
        Rgb(255, 153, 0),
        Rgb(0, 0, 255),
        Rgb(255, 0, 0),
        Rgb(0, 128, 128),
        Rgb(128, 64, 0),
        Rgb(200, 0, 120),
        Rgb(90, 90, 90),
    ];
    let mut all = vec![
        highlight, underline, strike_out, squiggly, ink, note, free_text, square, circle, line,
        arrow, reply,
    ];
    for (index, markup) in all.iter_mut().enumerate() {
        markup.name = Some(format!("mark-{}", index + 1));
        markup.author = Some(
            if index % 2 == 0 {
                "Nguyễn Văn An"
            } else {
                "Trần Thị Bình"
            }
            .to_owned(),
        );
        markup.modified = Some(format!("D:202612050{}3000Z", index % 10));
        markup.colour = Some(colours[index]);
    }
    all[11].in_reply_to = Some("mark-6".to_owned());
    all[0].opacity = 0.5;
    all
}
