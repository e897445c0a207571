//! The device's full-text index of paper text: a member types a few words, without accents if
//! they like ("hop khong giay"), and finds the pages of their papers that contain them ("Họp
//! không giấy"), best first, with a snippet in the paper's own spelling.
//!
//! Text is folded before it is indexed or searched (`fold`: lowercase, diacritics removed,
//! `đ` as `d`), and every match maps back to char ranges in the original text, so the reader
//! can highlight it. One SQLite file holds the original page text and an FTS5 index of the
//! folded text; documents are keyed by an opaque string (the app uses the paper file's hash).
//!
//! Pages are ranked by bm25, computed as FTS5's `bm25()` does but from statistics kept beside
//! the index (rank.rs says why), over at most `CANDIDATES` matches, the newest: that keeps a
//! two-word query within 10 ms over a million pages (benches/search.rs, `make bench-search`).

mod fold;
mod index;
mod migrations;
mod query;
mod rank;
mod snippet;

pub use fold::{Folded, fold};
pub use index::{CANDIDATES, MIN_TEXT_CHARS_PER_PAGE, SearchIndex};
pub use query::{MAX_TERMS, Query};
pub use snippet::SnippetPart;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("{doing}: {source}")]
    Database {
        doing: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("migrating the search index: {0}")]
    Migration(#[from] rusqlite_migration::Error),
}

pub type Result<T, E = SearchError> = std::result::Result<T, E>;

/// Adds what was being done to a database error.
pub(crate) trait Doing<T> {
    fn doing(self, doing: impl FnOnce() -> String) -> Result<T>;
}

impl<T> Doing<T> for rusqlite::Result<T> {
    fn doing(self, doing: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|source| SearchError::Database {
            doing: doing(),
            source,
        })
    }
}

/// What indexing a document recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexedDocument {
    pub pages: u32,
    /// False for a document with (almost) no text, a scanned paper: it is kept (its pages can
    /// be listed) but never found, and `unsearchable` lists it.
    pub has_text: bool,
}

/// A page that matched, with a snippet of its text.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub key: String,
    /// Zero-based.
    pub page: u32,
    /// Relevance, higher is better: bm25 as FTS5's `bm25()` computes it, negated (FTS5 ranks
    /// lower first).
    pub score: f64,
    pub snippet: Vec<SnippetPart>,
}
