//! The index itself: one SQLite file with the pages' text and an FTS5 index of their folded
//! words (schema and its reasons in migrations.rs).

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};

use crate::fold::for_each_word;
use crate::rank::{Bm25, count_terms};
use crate::{Doing, IndexedDocument, Query, Result, SearchHit, migrations, snippet};

/// A document whose pages average fewer non-whitespace chars than this has no real text
/// layer (a scan, perhaps with a stray page number): it is recorded as unsearchable.
pub const MIN_TEXT_CHARS_PER_PAGE: usize = 16;

/// At most this many matching pages are ranked: the most recently indexed ones.
///
/// Finding the pages that match is cheap in any index (FTS5 walks the terms' page lists from
/// the newest page and stops), but ranking costs for every page ranked (its text is read and
/// folded again, about 15-25 µs a page), and a query of two common words matches nearly every
/// page of a large index. Up to this many matches, every match is ranked and the order is
/// exactly FTS5's bm25; beyond it, the best of the newest `CANDIDATES` matches are returned,
/// which favours the papers of the latest meetings, the ones indexed last, and a page of an
/// old paper that would rank higher is missed. Adding a word narrows the search back to
/// exact. 128 keeps a two-word query within 10 ms (p95) over a million pages on the two-core
/// benchmark machine even while it builds software; 256 did not (benches/search.rs).
pub const CANDIDATES: usize = 128;

/// The full-text index, on one SQLite connection. Not `Sync`: share it behind a mutex.
pub struct SearchIndex {
    conn: Connection,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("path", &self.conn.path())
            .finish()
    }
}

impl SearchIndex {
    /// Opens the index at `path`, creating it and bringing its schema up to date.
    pub fn open(path: &Path) -> Result<Self> {
        let doing = || format!("opening the search index {}", path.display());
        let conn = Connection::open(path).doing(doing)?;
        // WAL: searches read while the app indexes a newly downloaded paper. The index can be
        // rebuilt from the papers, so NORMAL sync (durable at checkpoints) is enough.
        conn.pragma_update(None, "journal_mode", "WAL")
            .doing(doing)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .doing(doing)?;
        Self::migrated(conn)
    }

    /// An index that lives as long as this value: for tests.
    pub fn open_in_memory() -> Result<Self> {
        let conn = Connection::open_in_memory()
            .doing(|| "opening an in-memory search index".to_owned())?;
        Self::migrated(conn)
    }

    fn migrated(mut conn: Connection) -> Result<Self> {
        migrations::apply(&mut conn)?;
        Ok(Self { conn })
    }

    /// Indexes `pages` (zero-based page number = index) under `key`, replacing whatever the
    /// key held, in one transaction.
    pub fn index_document(&mut self, key: &str, pages: &[String]) -> Result<IndexedDocument> {
        let doing = || format!("indexing document {key}");
        let text_chars: usize = pages
            .iter()
            .map(|page| page.chars().filter(|c| !c.is_whitespace()).count())
            .sum();
        let has_text = !pages.is_empty() && text_chars >= MIN_TEXT_CHARS_PER_PAGE * pages.len();

        let tx = self.conn.transaction().doing(doing)?;
        remove_document(&tx, key).doing(doing)?;
        tx.execute(
            "INSERT INTO documents (key, has_text) VALUES (?1, ?2)",
            params![key, has_text],
        )
        .doing(doing)?;
        let doc_id = tx.last_insert_rowid();
        let mut statistics = Statistics::default();
        {
            let mut insert_page = tx
                .prepare_cached("INSERT INTO pages (doc_id, page, text) VALUES (?1, ?2, ?3)")
                .doing(doing)?;
            let mut insert_terms = tx
                .prepare_cached("INSERT INTO page_terms (rowid, terms) VALUES (?1, ?2)")
                .doing(doing)?;
            let mut words = String::new();
            for (number, text) in pages.iter().enumerate() {
                insert_page
                    .execute(params![doc_id, number as i64, text])
                    .doing(doing)?;
                if has_text {
                    let page_id = tx.last_insert_rowid();
                    indexed_words(text, &mut words);
                    statistics.add_page(&words);
                    insert_terms.execute(params![page_id, words]).doing(doing)?;
                }
            }
        }
        statistics.apply(&tx, 1).doing(doing)?;
        tx.commit().doing(doing)?;
        Ok(IndexedDocument {
            pages: pages.len() as u32,
            has_text,
        })
    }

    pub fn contains(&self, key: &str) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM documents WHERE key = ?1)",
                [key],
                |row| row.get(0),
            )
            .doing(|| format!("looking up document {key}"))
    }

    /// Removes the document `key`; false if it was not indexed.
    pub fn remove(&mut self, key: &str) -> Result<bool> {
        let doing = || format!("removing document {key}");
        let tx = self.conn.transaction().doing(doing)?;
        let removed = remove_document(&tx, key).doing(doing)?;
        tx.commit().doing(doing)?;
        Ok(removed)
    }

    /// Removes every document whose key `keep` refuses, and says how many went. The app keeps
    /// the documents whose files are on the device, so the text of a paper deleted from it (a
    /// released meeting) does not stay behind in the index.
    pub fn retain(&mut self, mut keep: impl FnMut(&str) -> bool) -> Result<usize> {
        let gone: Vec<String> = self.keys()?.into_iter().filter(|key| !keep(key)).collect();
        for key in &gone {
            self.remove(key)?;
        }
        Ok(gone.len())
    }

    /// Every indexed key, in order.
    pub fn keys(&self) -> Result<Vec<String>> {
        self.strings("SELECT key FROM documents ORDER BY key")
            .doing(|| "listing indexed documents".to_owned())
    }

    /// The keys of documents indexed without text (scans), in order; not those that could
    /// not be read at all (see [`SearchIndex::unreadable`]).
    pub fn unsearchable(&self) -> Result<Vec<String>> {
        self.strings(
            "SELECT key FROM documents WHERE has_text = 0 AND unreadable IS NULL ORDER BY key",
        )
        .doing(|| "listing unsearchable documents".to_owned())
    }

    /// Records `key` as a document that could not be read, with the reason, replacing
    /// whatever the key held. It counts as indexed ([`SearchIndex::contains`]), so it is not
    /// tried again until it is removed.
    pub fn record_unreadable(&mut self, key: &str, reason: &str) -> Result<()> {
        let doing = || format!("recording document {key} as unreadable");
        let tx = self.conn.transaction().doing(doing)?;
        remove_document(&tx, key).doing(doing)?;
        tx.execute(
            "INSERT INTO documents (key, has_text, unreadable) VALUES (?1, 0, ?2)",
            params![key, reason],
        )
        .doing(doing)?;
        tx.commit().doing(doing)
    }

    /// The documents that could not be read, with the reason, in key order.
    pub fn unreadable(&self) -> Result<Vec<(String, String)>> {
        let doing = || "listing unreadable documents".to_owned();
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT key, unreadable FROM documents WHERE unreadable IS NOT NULL ORDER BY key",
            )
            .doing(doing)?;
        let rows = statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .doing(doing)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().doing(doing)
    }

    /// Empties the index.
    pub fn clear(&mut self) -> Result<()> {
        let doing = || "clearing the search index".to_owned();
        let tx = self.conn.transaction().doing(doing)?;
        tx.execute_batch(
            "INSERT INTO page_terms (page_terms) VALUES ('delete-all');
             DELETE FROM pages;
             DELETE FROM documents;
             DELETE FROM terms;
             UPDATE totals SET pages = 0, words = 0;",
        )
        .doing(doing)?;
        tx.commit().doing(doing)
    }

    /// The original text of zero-based `page` of `key`.
    pub fn page_text(&self, key: &str, page: u32) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT pages.text FROM pages JOIN documents ON documents.id = pages.doc_id
                 WHERE documents.key = ?1 AND pages.page = ?2",
                params![key, page],
                |row| row.get(0),
            )
            .optional()
            .doing(|| format!("reading page {page} of {key}"))
    }

    /// Merges the FTS5 index into one b-tree: worth it after a bulk build. Indexing as usual
    /// keeps the index merged well enough by itself (FTS5's automerge).
    pub fn optimize(&mut self) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO page_terms (page_terms) VALUES ('optimize')",
                [],
            )
            .doing(|| "optimizing the search index".to_owned())?;
        Ok(())
    }

    /// The pages that contain every term of `query`, best first (bm25), at most `limit`; see
    /// `CANDIDATES` for how many matches are ranked. A query without terms finds nothing.
    pub fn search(&self, query: &Query, limit: usize) -> Result<Vec<SearchHit>> {
        let Some(expression) = query.match_expression() else {
            return Ok(Vec::new());
        };
        if limit == 0 {
            return Ok(Vec::new());
        }
        let doing = || format!("searching for {:?}", query.terms().join(" "));
        // One read transaction: the matches, their text and the statistics from one snapshot,
        // however the index changes meanwhile.
        let snapshot = self.conn.unchecked_transaction().doing(doing)?;

        // The newest matching pages, by rowid (the page row's id, which grows as papers are
        // indexed). FTS5 walks its page lists backwards and stops at the limit.
        let mut matching = self
            .conn
            .prepare_cached(
                "SELECT rowid FROM page_terms WHERE page_terms MATCH ?1
                 ORDER BY rowid DESC LIMIT ?2",
            )
            .doing(doing)?;
        let ids: Vec<i64> = matching
            .query_map(params![expression, CANDIDATES.max(limit) as i64], |row| {
                row.get(0)
            })
            .doing(doing)?
            .collect::<rusqlite::Result<_>>()
            .doing(doing)?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let bm25 = self.bm25(query).doing(doing)?;

        // Each candidate's text is scored as SQLite hands it over, without copying it into a
        // `String`; only the best are read again for their snippets.
        let mut page = self
            .conn
            .prepare_cached("SELECT text FROM pages WHERE id = ?1")
            .doing(doing)?;
        let mut ranked: Vec<(f64, i64)> = Vec::with_capacity(ids.len());
        let mut scratch = Vec::new();
        let mut frequencies = Vec::new();
        for id in ids {
            let score = page
                .query_row([id], |row| {
                    let text = row.get_ref(0)?.as_bytes()?;
                    let words = count_terms(text, query.terms(), &mut scratch, &mut frequencies);
                    Ok(bm25.score(&frequencies, words))
                })
                .doing(doing)?;
            ranked.push((score, id));
        }
        // Best first; among equals, the newest.
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)));
        ranked.truncate(limit);

        let mut hit = self
            .conn
            .prepare_cached(
                "SELECT documents.key, pages.page, pages.text
                 FROM pages JOIN documents ON documents.id = pages.doc_id
                 WHERE pages.id = ?1",
            )
            .doing(doing)?;
        let mut hits = Vec::with_capacity(ranked.len());
        for (score, id) in ranked {
            let (key, number, text): (String, u32, String) = hit
                .query_row([id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
                .doing(doing)?;
            hits.push(SearchHit {
                key,
                page: number,
                score,
                snippet: snippet::snippet(query, &text),
            });
        }
        snapshot.finish().doing(doing)?;
        Ok(hits)
    }

    /// The per-query half of bm25, from the statistics kept beside the index.
    fn bm25(&self, query: &Query) -> rusqlite::Result<Bm25> {
        let (pages, words): (i64, i64) =
            self.conn
                .query_row("SELECT pages, words FROM totals", [], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })?;
        let mut frequency = self
            .conn
            .prepare_cached("SELECT pages FROM terms WHERE term = ?1")?;
        let mut frequencies = Vec::with_capacity(query.terms().len());
        for term in query.terms() {
            let pages: Option<i64> = frequency.query_row([term], |row| row.get(0)).optional()?;
            frequencies.push(pages.unwrap_or(0));
        }
        Ok(Bm25::new(pages, words, &frequencies))
    }

    fn strings(&self, sql: &str) -> rusqlite::Result<Vec<String>> {
        let mut statement = self.conn.prepare_cached(sql)?;
        let rows = statement.query_map([], |row| row.get(0))?;
        rows.collect()
    }
}

/// Deletes `key`'s document, its pages and their index rows and statistics; whether there
/// was one.
fn remove_document(conn: &Connection, key: &str) -> rusqlite::Result<bool> {
    let Some((doc_id, has_text)): Option<(i64, bool)> = conn
        .query_row(
            "SELECT id, has_text FROM documents WHERE key = ?1",
            [key],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?
    else {
        return Ok(false);
    };
    if has_text {
        let mut pages = conn.prepare_cached("SELECT id, text FROM pages WHERE doc_id = ?1")?;
        let pages: Vec<(i64, String)> = pages
            .query_map([doc_id], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        // One rowid at a time: FTS5 deletes by rowid equality, not from an IN list.
        let mut delete = conn.prepare_cached("DELETE FROM page_terms WHERE rowid = ?1")?;
        let mut statistics = Statistics::default();
        let mut words = String::new();
        for (id, text) in &pages {
            delete.execute([id])?;
            indexed_words(text, &mut words);
            statistics.add_page(&words);
        }
        statistics.apply(conn, -1)?;
    }
    conn.execute("DELETE FROM pages WHERE doc_id = ?1", [doc_id])?;
    conn.execute("DELETE FROM documents WHERE id = ?1", [doc_id])?;
    Ok(true)
}

/// The words FTS5 indexes for a page: its folded words, separated by single spaces, into
/// `out`.
fn indexed_words(text: &str, out: &mut String) {
    let mut words = Vec::with_capacity(text.len());
    for_each_word(text.as_bytes(), &mut Vec::new(), |word| {
        if !words.is_empty() {
            words.push(b' ');
        }
        words.extend_from_slice(word);
    });
    out.clear();
    // Whole chars went in, so this is UTF-8 and borrows.
    out.push_str(&String::from_utf8_lossy(&words));
}

/// What a document adds to (or takes from) the bm25 statistics.
#[derive(Default)]
struct Statistics {
    pages: i64,
    words: i64,
    /// On how many of the document's pages each word occurs.
    term_pages: HashMap<String, i64>,
}

impl Statistics {
    /// Counts a page given as `indexed_words` makes it.
    fn add_page(&mut self, words: &str) {
        self.pages += 1;
        let mut distinct: Vec<&str> = words.split(' ').filter(|w| !w.is_empty()).collect();
        self.words += distinct.len() as i64;
        distinct.sort_unstable();
        distinct.dedup();
        for word in distinct {
            match self.term_pages.get_mut(word) {
                Some(pages) => *pages += 1,
                None => {
                    self.term_pages.insert(word.to_owned(), 1);
                }
            }
        }
    }

    /// Adds (`sign` 1) or subtracts (-1) these counts to the index's; a word on no page any
    /// more is forgotten.
    fn apply(&self, conn: &Connection, sign: i64) -> rusqlite::Result<()> {
        if self.pages == 0 {
            return Ok(());
        }
        conn.execute(
            "UPDATE totals SET pages = pages + ?1, words = words + ?2",
            params![sign * self.pages, sign * self.words],
        )?;
        let mut add = conn.prepare_cached(
            "INSERT INTO terms (term, pages) VALUES (?1, ?2)
             ON CONFLICT (term) DO UPDATE SET pages = pages + excluded.pages",
        )?;
        let mut forget = conn.prepare_cached("DELETE FROM terms WHERE term = ?1 AND pages <= 0")?;
        for (term, pages) in &self.term_pages {
            add.execute(params![term, sign * pages])?;
            if sign < 0 {
                forget.execute([term])?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(key, page, score)` of every match as FTS5's own `bm25()` ranks it, best first.
    fn fts5_ranking(index: &SearchIndex, query: &Query) -> Vec<(String, u32, f64)> {
        let mut statement = index
            .conn
            .prepare(
                "SELECT documents.key, pages.page, -bm25(page_terms)
                 FROM page_terms
                 JOIN pages ON pages.id = page_terms.rowid
                 JOIN documents ON documents.id = pages.doc_id
                 WHERE page_terms MATCH ?1 ORDER BY rank",
            )
            .unwrap();
        statement
            .query_map([query.match_expression().unwrap()], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    const SENTENCES: [&str; 5] = [
        "Dự toán ngân sách địa phương năm 2027.",
        "Đầu tư công trung hạn giai đoạn 2026-2030.",
        "Ý kiến, kiến nghị của cử tri trước kỳ họp.",
        "Ngân sách thành phố bố trí vốn đầu tư.",
        "Hội đồng nhân dân xem xét, thông qua.",
    ];

    /// Pages of different lengths and mixes, so term counts, lengths and weights all vary.
    fn document(number: usize) -> Vec<String> {
        (0..5)
            .map(|page| {
                (0..=(number + page) % 7)
                    .map(|i| SENTENCES[(i * (page + 1) + number) % SENTENCES.len()])
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    fn statistics(index: &SearchIndex) -> (i64, i64, Vec<(String, i64)>) {
        let (pages, words) = index
            .conn
            .query_row("SELECT pages, words FROM totals", [], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .unwrap();
        let mut terms = index
            .conn
            .prepare("SELECT term, pages FROM terms ORDER BY term")
            .unwrap();
        let terms = terms
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        (pages, words, terms)
    }

    #[test]
    fn scores_are_fts5_bm25_when_every_match_is_ranked() {
        // Only insertions: FTS5 does not take deleted rows of a contentless table out of the
        // averages bm25() uses (SQLite 3.51), so after a deletion its scores drift and ours,
        // from exact statistics, no longer agree with them.
        let mut index = SearchIndex::open_in_memory().unwrap();
        for number in 0..6 {
            index
                .index_document(&format!("d{number}"), &document(number))
                .unwrap();
        }

        for text in ["ngan sach", "dau tu", "cu tri ky hop", "ngan ngan", "2027"] {
            let query = Query::parse(text);
            let ours: Vec<(String, u32, f64)> = index
                .search(&query, 1000)
                .unwrap()
                .into_iter()
                .map(|hit| (hit.key, hit.page, hit.score))
                .collect();
            let theirs = fts5_ranking(&index, &query);
            assert_eq!(ours.len(), theirs.len(), "{text}: the same matches");
            for (rank, (ours, theirs)) in ours.iter().zip(&theirs).enumerate() {
                assert!(
                    (ours.2 - theirs.2).abs() <= 1e-9 * theirs.2.abs(),
                    "{text}: at rank {rank} ours is {ours:?}, FTS5's {theirs:?}"
                );
            }
        }
    }

    #[test]
    fn statistics_follow_replacements_and_removals() {
        let mut index = SearchIndex::open_in_memory().unwrap();
        for number in 0..6 {
            index
                .index_document(&format!("d{number}"), &document(number))
                .unwrap();
        }
        index.index_document("d1", &document(9)).unwrap();
        index.remove("d4").unwrap();
        index.index_document("scan", &[String::new()]).unwrap();

        let mut fresh = SearchIndex::open_in_memory().unwrap();
        for (key, number) in [("d0", 0), ("d1", 9), ("d2", 2), ("d3", 3), ("d5", 5)] {
            fresh.index_document(key, &document(number)).unwrap();
        }
        assert_eq!(
            statistics(&index),
            statistics(&fresh),
            "counts after replacing and removing are those of indexing the result afresh"
        );
    }
}
