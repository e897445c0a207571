//! The watched folder as a secretary uses it: subfolders per agenda item, files copied in,
//! replaced and removed.

use ecabinet_folder_watch::{FolderEvent, FolderWatch, item_number, placement};
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

const QUIET: Duration = Duration::from_millis(150);

#[test]
fn subfolders_named_by_item_number_place_their_papers() {
    let place = |p: &str| placement(Path::new(p));
    assert_eq!(
        place("2/to-trinh.pdf"),
        Some(("2/to-trinh.pdf".into(), Some("2".into())))
    );
    assert_eq!(
        place("2.1 Tờ trình/bản mới.PDF").unwrap().1.as_deref(),
        Some("2.1")
    );
    assert_eq!(
        place("02/x.pdf").unwrap().1.as_deref(),
        Some("2"),
        "leading zeros are ignored"
    );
    assert_eq!(
        place("thong-bao.pdf"),
        Some(("thong-bao.pdf".into(), None)),
        "no subfolder: unplaced"
    );
    assert_eq!(
        place("Phụ lục/x.pdf").unwrap().1,
        None,
        "a folder without a number: unplaced"
    );
    for ignored in [
        "2/ghi-chu.docx",
        "2/~$bản nháp.pdf",
        "2/.an.pdf",
        ".git/x.pdf",
        "2/x.pdf.crdownload",
    ] {
        assert_eq!(place(ignored), None, "{ignored} is not a paper");
    }
}

#[test]
fn item_numbers_are_read_only_from_the_start_of_a_folder_name() {
    assert_eq!(item_number("3"), Some("3".into()));
    assert_eq!(item_number("3.2.1-Thảo luận"), Some("3.2.1".into()));
    assert_eq!(item_number("3."), Some("3".into()));
    assert_eq!(item_number("2027 Ngân sách"), Some("2027".into()));
    assert_eq!(item_number("Mục 3"), None);
    assert_eq!(item_number("3a"), None);
    assert_eq!(item_number("0"), None);
}

fn next(rx: &mpsc::Receiver<FolderEvent>) -> FolderEvent {
    rx.recv_timeout(Duration::from_secs(5))
        .expect("the watcher reports within 5 s")
}

#[test]
fn files_present_at_start_then_added_changed_and_removed_are_reported_once_settled() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("2")).unwrap();
    std::fs::write(root.join("2/to-trinh.pdf"), b"%PDF-1.7 first").unwrap();
    let (tx, rx) = mpsc::channel();
    let _watch = FolderWatch::start(root, QUIET, move |e| {
        let _ = tx.send(e);
    })
    .unwrap();

    match next(&rx) {
        FolderEvent::Present(p) => {
            assert_eq!(
                (p.relative.as_str(), p.item_number.as_deref()),
                ("2/to-trinh.pdf", Some("2"))
            );
        }
        other => panic!("expected the existing paper, got {other:?}"),
    }

    // A file written in several steps is reported once, whole.
    std::fs::create_dir(root.join("3.1")).unwrap();
    let path = root.join("3.1/du-thao.pdf");
    std::fs::write(&path, b"%PDF-1.7 part").unwrap();
    std::fs::write(&path, b"%PDF-1.7 part and the rest").unwrap();
    match next(&rx) {
        FolderEvent::Present(p) => {
            assert_eq!(p.relative, "3.1/du-thao.pdf");
            assert_eq!(p.item_number.as_deref(), Some("3.1"));
            assert_eq!(
                p.size, 26,
                "reported after the copy settled, at its full size"
            );
        }
        other => panic!("expected the new paper, got {other:?}"),
    }
    assert!(
        rx.recv_timeout(QUIET * 3).is_err(),
        "no second report for one copy"
    );

    std::fs::write(root.join("2/to-trinh.pdf"), b"%PDF-1.7 amended").unwrap();
    assert!(
        matches!(next(&rx), FolderEvent::Present(p) if p.relative == "2/to-trinh.pdf" && p.size == 16)
    );

    std::fs::remove_file(root.join("2/to-trinh.pdf")).unwrap();
    assert_eq!(
        next(&rx),
        FolderEvent::Gone {
            relative: "2/to-trinh.pdf".into()
        }
    );
}
