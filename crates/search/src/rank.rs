//! bm25, computed here as FTS5's `bm25()` computes it, from statistics this index keeps.
//!
//! FTS5's own function weighs each term by its document frequency, which it counts by reading
//! the term's whole page list on every query: 50-80 ms for a common word over a million pages
//! (measured with benches/search.rs), so a two-word query could never meet the 10 ms goal.
//! The index keeps document frequencies in a table instead (`terms`), and the term counts and
//! length of a candidate page come from folding its stored text again.

use crate::fold::for_each_word;

/// FTS5's constants (`fts5Bm25Function`).
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// The per-query half of bm25: a weight for each term and the average page length.
#[derive(Debug, Clone)]
pub(crate) struct Bm25 {
    idf: Vec<f64>,
    average_words: f64,
}

impl Bm25 {
    /// `pages` and `words` count what is indexed; `document_frequencies[i]` is on how many of
    /// those pages term `i` occurs.
    pub fn new(pages: i64, words: i64, document_frequencies: &[i64]) -> Self {
        let n = pages as f64;
        let idf = document_frequencies
            .iter()
            .map(|&hits| {
                // FTS5 floors the weight of a term on over half the pages, which would be
                // negative, at 1e-6.
                let idf = ((n - hits as f64 + 0.5) / (hits as f64 + 0.5)).ln();
                if idf <= 0.0 { 1e-6 } else { idf }
            })
            .collect();
        Self {
            idf,
            average_words: words as f64 / n.max(1.0),
        }
    }

    /// The score of a page with `frequencies[i]` occurrences of term `i` among `words` words:
    /// FTS5's bm25 negated, so higher is better.
    pub fn score(&self, frequencies: &[u32], words: usize) -> f64 {
        let length = 1.0 - B + B * words as f64 / self.average_words;
        self.idf
            .iter()
            .zip(frequencies)
            .map(|(idf, &tf)| {
                let tf = f64::from(tf);
                idf * (tf * (K1 + 1.0)) / (tf + K1 * length)
            })
            .sum()
    }
}

/// Counts, in `text` (UTF-8) as indexed, the occurrences of each of `terms` and the words
/// in all. `scratch` is reused between pages.
pub(crate) fn count_terms(
    text: &[u8],
    terms: &[String],
    scratch: &mut Vec<u8>,
    frequencies: &mut Vec<u32>,
) -> usize {
    frequencies.clear();
    frequencies.resize(terms.len(), 0);
    let mut words = 0;
    for_each_word(text, scratch, |word| {
        words += 1;
        for (term, frequency) in terms.iter().zip(frequencies.iter_mut()) {
            if word == term.as_bytes() {
                *frequency += 1;
            }
        }
    });
    words
}
