//! The few words of a page shown under a search result, in the page's own spelling.

use crate::query::{OwnedFoldedPage, Query};

/// About this many words are shown around the best hit.
const SNIPPET_WORDS: usize = 25;

/// Part of a snippet: a hit (a term's occurrence, to highlight) or the text between hits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnippetPart {
    pub text: String,
    pub hit: bool,
}

/// About 25 words of `original` around the place where the most query terms occur together,
/// whitespace collapsed to single spaces, each term occurrence its own `hit` part, and "…"
/// where the page goes on before or after.
pub(crate) fn snippet(query: &Query, original: &str) -> Vec<SnippetPart> {
    let owned = OwnedFoldedPage::new(original);
    let page = owned.page();
    let words = &page.words;
    if words.is_empty() {
        return Vec::new();
    }
    // Which term each word is, if any.
    let term_of: Vec<Option<usize>> = words
        .iter()
        .map(|word| query.terms().iter().position(|term| word.text == term))
        .collect();
    let (start, end) = best_window(&term_of, query.terms().len());

    let chars: Vec<(usize, char)> = original.char_indices().collect();
    let byte_at = |char_index: usize| chars.get(char_index).map_or(original.len(), |c| c.0);
    // The whole text before the first word and after the last one when the window reaches
    // them (an opening bracket, a closing full stop), else from word to word.
    let from = if start == 0 {
        0
    } else {
        page.original_range(&words[start], &words[start]).start
    };
    let to = if end == words.len() {
        chars.len()
    } else {
        page.original_range(&words[end - 1], &words[end - 1]).end
    };

    let mut parts = Parts::default();
    if start > 0 {
        parts.push("… ", false);
    }
    let mut at = from;
    for index in start..end {
        if term_of[index].is_none() {
            continue;
        }
        let range = page.original_range(&words[index], &words[index]);
        // Two words can come from one char ("½" folds to "1⁄2"): the char is marked once.
        if range.end <= at {
            continue;
        }
        let start = range.start.max(at);
        parts.push(&original[byte_at(at)..byte_at(start)], false);
        parts.push(&original[byte_at(start)..byte_at(range.end)], true);
        at = range.end;
    }
    parts.push(&original[byte_at(at)..byte_at(to)], false);
    if end < words.len() {
        parts.push(" …", false);
    }
    parts.finish()
}

/// The words `start..end` to show: the window of `SNIPPET_WORDS` words with the most distinct
/// terms (then the most hits), moved so its hits sit in the middle.
fn best_window(term_of: &[Option<usize>], term_count: usize) -> (usize, usize) {
    let n = term_of.len();
    let size = SNIPPET_WORDS.min(n);
    let mut best: Option<((usize, usize), usize)> = None;
    let mut counts = vec![0usize; term_count];
    let (mut distinct, mut hits) = (0, 0);
    for end in 0..n {
        if let Some(term) = term_of[end] {
            counts[term] += 1;
            hits += 1;
            if counts[term] == 1 {
                distinct += 1;
            }
        }
        if end >= size
            && let Some(term) = term_of[end - size]
        {
            counts[term] -= 1;
            hits -= 1;
            if counts[term] == 0 {
                distinct -= 1;
            }
        }
        if end + 1 >= size && best.is_none_or(|(score, _)| (distinct, hits) > score) {
            best = Some(((distinct, hits), end + 1 - size));
        }
    }
    let start = best.map_or(0, |(_, start)| start);
    let in_window = &term_of[start..start + size];
    let (Some(first), Some(last)) = (
        in_window.iter().position(Option::is_some),
        in_window.iter().rposition(Option::is_some),
    ) else {
        return (start, start + size);
    };
    // Centre the hits: as much context before the first as after the last.
    let slack = size - (last - first + 1);
    let start = (start + first).saturating_sub(slack / 2);
    let start = start.min(n - size);
    (start, start + size)
}

/// Builds parts with whitespace collapsed and neighbours of the same kind merged.
#[derive(Default)]
struct Parts {
    parts: Vec<SnippetPart>,
}

impl Parts {
    fn push(&mut self, text: &str, hit: bool) {
        let mut collapsed = String::with_capacity(text.len());
        let mut in_space = false;
        for c in text.chars() {
            if c.is_whitespace() {
                if !in_space {
                    collapsed.push(' ');
                }
                in_space = true;
            } else {
                collapsed.push(c);
                in_space = false;
            }
        }
        if collapsed.starts_with(' ') && self.ends_with_space() {
            collapsed.remove(0);
        }
        if collapsed.is_empty() {
            return;
        }
        match self.parts.last_mut() {
            Some(last) if last.hit == hit => last.text.push_str(&collapsed),
            _ => self.parts.push(SnippetPart {
                text: collapsed,
                hit,
            }),
        }
    }

    fn ends_with_space(&self) -> bool {
        self.parts.last().is_some_and(|p| p.text.ends_with(' '))
    }

    fn finish(mut self) -> Vec<SnippetPart> {
        if let Some(first) = self.parts.first_mut() {
            let trimmed = first.text.trim_start();
            if trimmed.len() != first.text.len() {
                first.text = trimmed.to_owned();
            }
        }
        if let Some(last) = self.parts.last_mut() {
            let trimmed = last.text.trim_end();
            if trimmed.len() != last.text.len() {
                last.text = trimmed.to_owned();
            }
        }
        self.parts.retain(|p| !p.text.is_empty());
        self.parts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(parts: &[SnippetPart]) -> String {
        parts
            .iter()
            .map(|p| {
                if p.hit {
                    format!("[{}]", p.text)
                } else {
                    p.text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn a_short_page_is_shown_whole_with_its_hits_marked() {
        let query = Query::parse("ngan sach");
        let parts = snippet(&query, "  Dự toán\n ngân   sách năm 2027. ");
        assert_eq!(
            render(&parts),
            "Dự toán [ngân] [sách] năm 2027.",
            "whitespace collapses, hits keep their accents, nothing is cut so no ellipsis"
        );
    }

    #[test]
    fn words_folded_out_of_one_char_are_marked_once() {
        let parts = snippet(&Query::parse("1 2"), "Tỷ lệ ½ ngân sách");
        assert_eq!(
            render(&parts),
            "Tỷ lệ [½] ngân sách",
            "½ folds to the words 1 and 2"
        );
    }

    #[test]
    fn a_long_page_is_cut_around_the_hits_with_ellipses() {
        let words: Vec<String> = (0..100).map(|i| format!("w{i}")).collect();
        let mut text = words.join(" ");
        text.push_str(" đầu tư ");
        text.push_str(&words.join(" "));
        let parts = snippet(&Query::parse("dau tu"), &text);
        let shown = render(&parts);
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert!(shown.contains("[đầu] [tư]"), "{shown}");
        assert_eq!(
            shown.split_whitespace().count(),
            SNIPPET_WORDS + 2,
            "25 words and two ellipses: {shown}"
        );
    }
}
