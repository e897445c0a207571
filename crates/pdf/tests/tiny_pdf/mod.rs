//! Small PDFs written by the tests themselves, for what the shared fixtures do not show: pages
//! turned by `/Rotate` with a crop box away from the origin, and outlines honest or hostile.
//! Each test binary uses a part of this.
#![allow(dead_code)]

/// A PDF of `objects`, numbered from 1 (object 1 is the catalog), with a correct
/// cross-reference table, so PDFium reads it without having to repair it.
pub fn pdf(objects: &[String]) -> Vec<u8> {
    pdf_with_trailer(objects, "")
}

/// [`pdf`] with `extra` entries in the trailer dictionary.
pub fn pdf_with_trailer(objects: &[String], extra: &str) -> Vec<u8> {
    let mut pdf = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (index, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", index + 1).as_bytes());
    }
    let xref = pdf.len();
    let size = objects.len() + 1;
    pdf.extend_from_slice(format!("xref\n0 {size}\n0000000000 65535 f \n").as_bytes());
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!("trailer\n<< /Size {size} /Root 1 0 R {extra}>>\nstartxref\n{xref}\n%%EOF\n")
            .as_bytes(),
    );
    pdf
}

fn stream(content: &str) -> String {
    format!(
        "<< /Length {} >>\nstream\n{content}\nendstream",
        content.len()
    )
}

/// A text string as PDF writes one outside the Latin range: UTF-16BE with a byte order mark.
pub fn text_string(text: &str) -> String {
    let mut hex = String::from("<FEFF");
    for unit in text.encode_utf16() {
        hex.push_str(&format!("{unit:04X}"));
    }
    hex.push('>');
    hex
}

/// One page, 400 x 300 points of media box cropped to [20 10 380 290], turned by `rotate`
/// degrees, showing "HELLO" large near its top-left corner and "corner" small near its
/// bottom-right, in Helvetica (built into PDFium), and nothing else.
pub fn rotated_page(rotate: u32) -> Vec<u8> {
    pdf(&[
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 300] /CropBox [20 10 380 290] \
             /Rotate {rotate} /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
        stream("BT /F1 40 Tf 40 220 Td (HELLO) Tj ET\nBT /F1 16 Tf 250 30 Td (corner) Tj ET"),
    ])
}

/// One empty page encrypted for the holders of a certificate (the public-key handler,
/// `/Adobe.PubSec`) rather than with a password: no password can open it.
pub fn certificate_locked() -> Vec<u8> {
    pdf_with_trailer(
        &[
            "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>".to_owned(),
            "<< /Filter /Adobe.PubSec /SubFilter /adbe.pkcs7.s4 /V 4 /Length 128 \
             /Recipients [<3082>] >>"
                .to_owned(),
        ],
        "/Encrypt 4 0 R /ID [<00112233445566778899AABBCCDDEEFF> <00112233445566778899AABBCCDDEEFF>] ",
    )
}

/// A reference to page `index` (from 0) of a [`with_outline`] document.
pub fn page_ref(index: usize) -> String {
    format!("{} 0 R", 3 + index)
}

/// A reference to outline entry `index` (from 0) of a [`with_outline`] document of `pages`
/// pages.
pub fn entry_ref(pages: usize, index: usize) -> String {
    format!("{} 0 R", 4 + pages + index)
}

/// A document of `pages` empty pages whose outline's first top-level entry is `entries[0]`;
/// entries link to each other and to pages with [`entry_ref`] and [`page_ref`].
pub fn with_outline(pages: usize, entries: &[String]) -> Vec<u8> {
    let kids: Vec<String> = (0..pages).map(page_ref).collect();
    let outlines = 3 + pages;
    let mut objects = vec![
        format!("<< /Type /Catalog /Pages 2 0 R /Outlines {outlines} 0 R >>"),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            kids.join(" ")
        ),
    ];
    for _ in 0..pages {
        objects.push("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".to_owned());
    }
    objects.push(if entries.is_empty() {
        "<< /Type /Outlines >>".to_owned()
    } else {
        format!("<< /Type /Outlines /First {} >>", entry_ref(pages, 0))
    });
    objects.extend_from_slice(entries);
    pdf(&objects)
}

/// An A4 page of `lines` in Helvetica 12 pt, one every 20 points from the top, as a version of
/// a paper whose text the tests control.
pub fn text_page(lines: &[&str]) -> Vec<u8> {
    let mut content = String::new();
    for (index, line) in lines.iter().enumerate() {
        let escaped = line
            .replace('\\', "\\\\")
            .replace('(', "\\(")
            .replace(')', "\\)");
        content.push_str(&format!(
            "BT /F1 12 Tf 72 {} Td ({escaped}) Tj ET\n",
            760 - 20 * index
        ));
    }
    pdf(&[
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
         /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
            .to_owned(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
        stream(&content),
    ])
}
