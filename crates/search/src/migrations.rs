//! The index's schema, append-only: the app opens whatever file an earlier release left, so
//! every step must apply on top of any earlier one. Never edit a step that has shipped.

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

const STEPS: &[&str] = &[
    // 1: documents and their pages' text, the FTS5 index of the folded text, and the
    // statistics bm25 needs.
    //
    // The page text kept is the original, for snippets and for find in a document; the index
    // is contentless (`content=''`), so the folded text exists only as FTS5's inverted index
    // and the text is not stored twice. `contentless_delete=1` lets a re-indexed or removed
    // document delete its rows by rowid, which is the page row's `id`. `detail=full` (the
    // default) keeps positions although search only asks FTS5 for pages with every term (and
    // counts occurrences itself, see rank.rs): `detail=none` would shrink the index, but a
    // later phrase search must be answered by FTS5 itself, before matches are capped, and
    // the tests check the ranking against FTS5's own bm25(), which needs positions.
    // The tokenizer is `ascii` because the text arrives folded and already split into words
    // (see `index_document`): it then only splits on spaces, exactly as `Query::parse` does.
    "CREATE TABLE documents (
         id INTEGER PRIMARY KEY,
         key TEXT NOT NULL UNIQUE,
         -- 0 when the document has (almost) no text layer: a scanned paper, never a hit.
         has_text INTEGER NOT NULL
     );
     CREATE TABLE pages (
         id INTEGER PRIMARY KEY,
         doc_id INTEGER NOT NULL,
         page INTEGER NOT NULL,
         text TEXT NOT NULL
     );
     CREATE UNIQUE INDEX pages_by_document ON pages(doc_id, page);
     CREATE VIRTUAL TABLE page_terms USING fts5(
         terms,
         content = '',
         contentless_delete = 1,
         tokenize = 'ascii'
     );
     -- On how many indexed pages each word occurs: bm25's document frequency. FTS5 knows it
     -- too, but only by reading the word's whole page list, tens of milliseconds for a common
     -- word among a million pages, on every search.
     CREATE TABLE terms (term TEXT PRIMARY KEY, pages INTEGER NOT NULL) WITHOUT ROWID;
     -- One row: the pages in the FTS5 index and their words in all (bm25's average length).
     CREATE TABLE totals (
         id INTEGER PRIMARY KEY CHECK (id = 1),
         pages INTEGER NOT NULL,
         words INTEGER NOT NULL
     );
     INSERT INTO totals (id, pages, words) VALUES (1, 0, 0);",
    // 2: folding now drops zero-width chars and soft hyphens, which used to split a word in
    // two. An index folded the old way is emptied; the app indexes every paper again from
    // its file (the index is derived data, keyed by the file's hash).
    "INSERT INTO page_terms (page_terms) VALUES ('delete-all');
     DELETE FROM pages;
     DELETE FROM documents;
     DELETE FROM terms;
     UPDATE totals SET pages = 0, words = 0;",
    // 3: a document the PDF engine could not read (it crashed or ran out of time on every
    // try) is recorded with the reason, apart from a scan without text. Before this step
    // such a document was recorded as a scan with no pages at all, which a real PDF never
    // is: those rows are dropped so the app tries them again.
    "ALTER TABLE documents ADD COLUMN unreadable TEXT;
     DELETE FROM documents WHERE NOT EXISTS (SELECT 1 FROM pages WHERE pages.doc_id = documents.id);",
];

pub fn apply(conn: &mut Connection) -> rusqlite_migration::Result<()> {
    Migrations::new(STEPS.iter().map(|sql| M::up(sql)).collect()).to_latest(conn)
}
