//! The reader and search: an open paper's layout, its text layer, find, and search across
//! every paper on the device.

use serde::Serialize;
use ts_rs::TS;

/// A page's size in PDF points after its rotation; the reader lays out every page before
/// rendering any.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
pub struct PageSizeView {
    pub width_pt: f32,
    pub height_pt: f32,
}

/// One bookmark of the paper's outline, flattened in reading order.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct OutlineEntryView {
    pub title: String,
    /// Zero-based; `None` when the bookmark points nowhere inside the paper.
    pub page: Option<u32>,
    pub depth: u32,
}

/// A paper opened in the reader.
#[derive(Debug, Clone, Serialize, TS)]
pub struct OpenedPaper {
    /// Names the open document in `render_page`, `page_text` and `find_in_paper`.
    pub paper_id: String,
    pub title: String,
    pub page_count: u32,
    pub pages: Vec<PageSizeView>,
    pub outline: Vec<OutlineEntryView>,
    /// Zero-based page this member last read, 0 the first time.
    pub last_page: u32,
    /// `false` for a scan without a text layer: find and search cannot see into it.
    pub searchable: bool,
}

/// A page's text and, per character, its box as fractions of the page (origin top-left),
/// flattened `[left, top, right, bottom, …]`, so the UI can lay a selectable text layer
/// over the pixels and highlight hits.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PageTextView {
    pub page: u32,
    pub text: String,
    pub boxes: Vec<f32>,
}

/// One occurrence of a find query: `start` and `length` count characters of the page's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct FindHitView {
    pub page: u32,
    pub start: u32,
    pub length: u32,
}

/// A piece of a result's snippet; `hit` pieces are what matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SnippetPart {
    pub text: String,
    pub hit: bool,
}

/// A page that matches a search, best first.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SearchHitView {
    pub meeting_id: String,
    pub meeting_title: String,
    pub paper_id: String,
    pub paper_title: String,
    /// Zero-based.
    pub page: u32,
    pub snippet: Vec<SnippetPart>,
}

/// A paper search cannot look into (a scan without text, or a file the PDF engine could not
/// read), listed so it is not silently missing.
#[derive(Debug, Clone, Serialize, TS)]
pub struct UnsearchablePaperView {
    pub meeting_id: String,
    pub meeting_title: String,
    pub paper_id: String,
    pub paper_title: String,
}

/// How far the background indexing of this member's papers has got; also the payload of
/// the `search-index-progress` event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct SearchIndexProgress {
    pub indexed: u32,
    pub total: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct SearchResults {
    pub query: String,
    pub hits: Vec<SearchHitView>,
    pub unsearchable: Vec<UnsearchablePaperView>,
    /// Papers the PDF engine could not read, however often it tried (it crashed or ran out
    /// of time): not scans, but files that need a fresh copy. The reason is in the log.
    pub unreadable: Vec<UnsearchablePaperView>,
    pub progress: SearchIndexProgress,
}
