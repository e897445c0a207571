//! The reader: a downloaded paper opens from its verified file in a PDF worker; the window
//! gets each page's text with a box per character (the text layer), finds words with or
//! without their diacritics, gets pages as RGBA at the width it asks, and reopens a paper
//! where the member stopped.

use crate::harness::{Council, DEMO_SESSION, Device, paper, refused};
use ecabinet_app::dto::{self, IpcErrorCode};

/// A rendered page starts with its width and height, little-endian u32 (what the UI decodes).
const PAGE_HEADER_BYTES: usize = 8;

const SUBMISSION: &str = "Tờ trình về dự toán ngân sách nhà nước năm 2027";

/// The text of a find hit: `start` and `length` count characters of the page's text.
fn hit_text(page_text: &str, hit: &dto::FindHitView) -> String {
    page_text
        .chars()
        .skip(hit.start as usize)
        .take(hit.length as usize)
        .collect()
}

/// A delegate's device with the demo packet on it and the submission open in the reader.
async fn submission_open() -> (Council, Device, dto::MeetingPacket, dto::OpenedPaper) {
    let council = Council::demo().await;
    let device = Device::new();
    device.sign_in(&council, "delegate08").await;
    let packet = device.packet_held(DEMO_SESSION).await;
    let submission = paper(&packet, SUBMISSION).paper_id.clone();
    let opened = device
        .core
        .open_paper(&packet.meeting_id, &submission)
        .await
        .expect("a downloaded paper opens");
    (council, device, packet, opened)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_s_text_is_the_vietnamese_of_the_paper_with_a_box_per_character() {
    let (_council, device, _packet, opened) = submission_open().await;
    assert_eq!(opened.title, SUBMISSION);
    assert_eq!(opened.page_count, 7);
    assert_eq!(
        opened.pages.len(),
        7,
        "every page's size, before any is rendered"
    );
    assert!(opened.searchable, "the submission has a text layer");
    assert_eq!(opened.last_page, 0, "read for the first time: page 1");

    let first = device.core.page_text(&opened.paper_id, 0).await.unwrap();
    assert_eq!(first.page, 0);
    for line in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 312/TTr-UBND",
        "Về dự toán ngân sách nhà nước năm 2027",
        "Kính gửi: Hội đồng nhân dân thành phố Phú An",
    ] {
        assert!(
            first.text.contains(line),
            "page 1 reads {line:?}, with every tone mark:\n{}",
            first.text
        );
    }
    assert_eq!(
        first.boxes.len(),
        4 * first.text.chars().count(),
        "left, top, right and bottom for each character of the text"
    );
    assert!(
        first.boxes.iter().all(|b| (0.0..=1.0).contains(b)),
        "boxes are fractions of the page"
    );

    let beyond = device.core.page_text(&opened.paper_id, 7).await;
    assert!(beyond.is_err(), "the submission has no eighth page");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn find_sees_a_word_with_or_without_its_diacritics() {
    let (_council, device, _packet, opened) = submission_open().await;
    let id = &opened.paper_id;

    let with_marks = device.core.find_in_paper(id, "quốc doanh").await.unwrap();
    let without = device.core.find_in_paper(id, "quoc doanh").await.unwrap();
    let shouting = device.core.find_in_paper(id, "QUỐC DOANH").await.unwrap();
    assert!(
        !with_marks.is_empty(),
        "the submission speaks of the non-state sector"
    );
    assert_eq!(
        with_marks, without,
        "typed without tone marks, the same words are found"
    );
    assert_eq!(with_marks, shouting, "case does not matter either");
    assert_eq!(
        with_marks[0].page, 0,
        "first on page 1: \"khu vực kinh tế ngoài quốc doanh\""
    );
    for hit in &with_marks {
        let text = device.core.page_text(id, hit.page).await.unwrap().text;
        let printed = hit_text(&text, hit);
        assert_eq!(
            printed
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase(),
            "quốc doanh",
            "the hit marks the words as printed, across a line break if need be: {printed:?}"
        );
    }

    // A phrase broken over two lines is still one hit ("…dự toán ngân\nsách…").
    let budget = device.core.find_in_paper(id, "ngan sach").await.unwrap();
    let pages: std::collections::BTreeSet<u32> = budget.iter().map(|h| h.page).collect();
    assert!(
        pages.len() >= 5,
        "\"ngân sách\" is on most pages of a budget submission: {pages:?}"
    );
    assert!(
        device
            .core
            .find_in_paper(id, "Lâm Quốc Việt")
            .await
            .unwrap()
            .is_empty(),
        "a name from another paper is not in this one"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_render_as_rgba_at_the_width_asked_and_the_paper_reopens_where_left() {
    let (_council, device, packet, opened) = submission_open().await;
    let id = &opened.paper_id;
    let size = opened.pages[0];

    for width in [300, 800] {
        let page = device.core.render_page(id, 0, width).await.unwrap();
        let header = |at: usize| u32::from_le_bytes(page[at..at + 4].try_into().unwrap());
        let (w, h) = (header(0), header(4));
        assert_eq!(w, width, "the page is as wide as the window asked");
        let expected_height = width as f32 * size.height_pt / size.width_pt;
        assert!(
            (h as f32 - expected_height).abs() <= 1.0,
            "and as tall as its proportions make it: {h} for {expected_height}"
        );
        assert_eq!(
            page.len(),
            PAGE_HEADER_BYTES + (w * h * 4) as usize,
            "four bytes (RGBA) per pixel after the header"
        );
        let pixels = &page[PAGE_HEADER_BYTES..];
        assert!(
            pixels.chunks(4).any(|px| px[0] < 100),
            "there is dark ink (text) on the page"
        );
        assert!(
            pixels.chunks(4).all(|px| px[3] == 255),
            "the paper is opaque"
        );
    }

    device.core.remember_page(id, 4).unwrap();
    device.core.close_paper();
    assert_eq!(
        refused(
            "rendering a closed paper",
            device.core.render_page(id, 0, 300).await
        ),
        IpcErrorCode::NotFound
    );
    let reopened = device
        .core
        .open_paper(&packet.meeting_id, id)
        .await
        .unwrap();
    assert_eq!(
        reopened.last_page, 4,
        "it reopens on page 5, where the member was"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_file_is_never_shown_and_comes_again_from_the_server() {
    let (_council, device, packet, opened) = submission_open().await;
    device.core.close_paper();
    let file = paper(&packet, SUBMISSION)
        .file
        .clone()
        .expect("the submission's file");
    let path = device
        .data_dir
        .join("papers")
        .join(format!("{}.pdf", file.hash));
    // A disk error, or someone editing the file: one byte differs.
    let mut bytes = std::fs::read(&path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    std::fs::write(&path, &bytes).unwrap();

    assert_eq!(
        refused(
            "opening a paper whose file changed on the device",
            device
                .core
                .open_paper(&packet.meeting_id, &opened.paper_id)
                .await
        ),
        IpcErrorCode::PaperDamaged,
        "the reader shows nothing but what was published"
    );
    let again = device.packet_held(DEMO_SESSION).await;
    assert!(
        paper(&again, SUBMISSION).held,
        "the downloader fetched the damaged file again"
    );
    let reopened = device
        .core
        .open_paper(&packet.meeting_id, &opened.paper_id)
        .await
        .expect("the fresh copy opens");
    assert_eq!(reopened.page_count, 7);
}
