//! A document's outline (its bookmarks), flattened into the list a reader's sidebar shows.
//!
//! The outline is a tree of dictionaries linked by `/First` and `/Next`, so a hostile or
//! broken file can make it loop (a `/Next` back to an earlier entry, a `/First` back to an
//! ancestor) or make it enormous. The walk visits each entry once, stops descending at
//! [`MAX_DEPTH`] and stops altogether at [`MAX_ENTRIES`]: whatever the file says, reading the
//! outline takes bounded time and memory.

use std::collections::HashSet;

use pdfium_render::prelude::{PdfActionType, PdfBookmark, PdfBookmarks};
use serde::{Deserialize, Serialize};

/// More entries than any honest document's outline has (a 2,000-page legal code with a
/// bookmark per article has a few thousand); beyond it the list is cut short.
pub(crate) const MAX_ENTRIES: usize = 10_000;

/// Entries nested deeper than this are left out, with their children.
pub(crate) const MAX_DEPTH: u32 = 32;

/// Titles longer than this many characters are cut, ending in '…'.
const MAX_TITLE_CHARS: usize = 500;

/// One bookmark of the outline, in the order a reader lists them (each entry before its
/// children, children before the next sibling).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutlineEntry {
    /// The title with runs of white space and control characters made single spaces.
    pub title: String,
    /// The zero-based page the bookmark goes to; `None` when it goes nowhere in this document
    /// (no destination, a web link, another file, a page that does not exist).
    pub page: Option<u32>,
    /// 0 for a top-level entry, 1 for its children, and so on.
    pub depth: u32,
}

pub(crate) fn flatten(bookmarks: &PdfBookmarks<'_>, page_count: u32) -> Vec<OutlineEntry> {
    let mut entries = Vec::new();
    // Bookmarks compare by PDFium's handle, which is the entry's dictionary: an entry met
    // again is a loop.
    let mut visited: HashSet<PdfBookmark<'_>> = HashSet::new();
    let mut pending: Vec<(PdfBookmark<'_>, u32)> =
        bookmarks.root().map(|root| (root, 0)).into_iter().collect();
    // Each entry pushes at most two more, so this ends after at most 2 * MAX_ENTRIES + 1 turns.
    while let Some((bookmark, depth)) = pending.pop() {
        if entries.len() >= MAX_ENTRIES {
            break;
        }
        if !visited.insert(bookmark.clone()) {
            continue;
        }
        // The sibling goes below the child on the stack, so the child's subtree comes first.
        if let Some(sibling) = bookmark.next_sibling() {
            pending.push((sibling, depth));
        }
        if depth + 1 < MAX_DEPTH
            && let Some(child) = bookmark.first_child()
        {
            pending.push((child, depth + 1));
        }
        entries.push(OutlineEntry {
            title: clean_title(&bookmark.title().unwrap_or_default()),
            page: page(&bookmark, page_count),
            depth,
        });
    }
    entries
}

/// Where in this document `bookmark` goes, if anywhere.
fn page(bookmark: &PdfBookmark<'_>, page_count: u32) -> Option<u32> {
    // FPDFBookmark_GetDest falls back on the destination of the bookmark's action, including
    // a GoToR's, which is a page of another file.
    let elsewhere = bookmark.action().is_some_and(|action| {
        matches!(
            action.action_type(),
            PdfActionType::GoToDestinationInRemoteDocument
                | PdfActionType::GoToDestinationInEmbeddedDocument
                | PdfActionType::Launch
                | PdfActionType::Uri
        )
    });
    if elsewhere {
        return None;
    }
    // A destination may give its page as a plain number, even one past the last page.
    bookmark
        .destination()
        .and_then(|destination| destination.page_index().ok())
        .and_then(|index| u32::try_from(index).ok())
        .filter(|index| *index < page_count)
}

fn clean_title(raw: &str) -> String {
    let words = raw
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|word| !word.is_empty());
    let mut title = String::new();
    for (index, word) in words.enumerate() {
        if index > 0 {
            title.push(' ');
        }
        title.push_str(word);
        // Stop reading a hostile title of megabytes early.
        if title.len() > MAX_TITLE_CHARS * 4 {
            break;
        }
    }
    match title.char_indices().nth(MAX_TITLE_CHARS) {
        Some((cut, _)) => {
            title.truncate(cut);
            title.truncate(title.trim_end().len());
            title.push('…');
            title
        }
        None => title,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_tidied_and_bounded() {
        assert_eq!(
            clean_title("  Chương I\r\n  Quy định\tchung\0 "),
            "Chương I Quy định chung"
        );
        assert_eq!(clean_title(""), "");
        let long = clean_title(&"ngân sách ".repeat(200));
        assert!(long.chars().count() <= MAX_TITLE_CHARS + 1, "{long}");
        assert!(long.ends_with('…'));
    }
}
