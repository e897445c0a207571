//! The search index as a member uses it: words typed without accents find the pages of their
//! papers, best first, with the words highlighted in the paper's own spelling.

use ecabinet_search::{CANDIDATES, Query, SearchHit, SearchIndex};

fn pages(texts: &[&str]) -> Vec<String> {
    texts.iter().map(|text| (*text).to_owned()).collect()
}

fn search(index: &SearchIndex, query: &str) -> Vec<SearchHit> {
    index.search(&Query::parse(query), 20).unwrap()
}

/// The hits of a snippet, in order.
fn highlighted(hit: &SearchHit) -> Vec<&str> {
    hit.snippet
        .iter()
        .filter(|part| part.hit)
        .map(|part| part.text.as_str())
        .collect()
}

/// The snippet as one string, hits in brackets.
fn rendered(hit: &SearchHit) -> String {
    hit.snippet
        .iter()
        .map(|part| {
            if part.hit {
                format!("[{}]", part.text)
            } else {
                part.text.clone()
            }
        })
        .collect()
}

fn chars(text: &str, range: std::ops::Range<usize>) -> String {
    text.chars().skip(range.start).take(range.len()).collect()
}

/// An excerpt of the fixture packet's first paper (01-to-trinh-du-toan-ngan-sach-2027.pdf),
/// page 1, as PDFium extracts it.
const TO_TRINH_PAGE_1: &str = "Trang 1
HỘI ĐỒNG NHÂN DÂN THÀNH PHỐ CỘNG HÒA XÃ HỘI CHỦ NGHĨA
VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 112/TTr-UBND
TỜ TRÌNH
Về dự toán ngân sách địa phương năm 2027
I. NỘI DUNG 1
Tổng kinh phí dự kiến cho chỉnh trang đô thị và hạ tầng giao thông là 2051
tỷ đồng, được bố trí từ nguồn ngân sách thành phố. Thời gian thực hiện từ
ngày 01 tháng 01 năm 2027 đến hết ngày 31 tháng 12 năm 2027.";

/// The same paper, page 2.
const TO_TRINH_PAGE_2: &str = "Trang 2
II. NỘI DUNG 2
Giao Thường trực Hội đồng nhân dân, các Ban và đại biểu giám sát việc
thực hiện đầu tư công trung hạn giai đoạn 2026-2030. Tuy nhiên, việc
triển khai đầu tư công trung hạn giai đoạn 2026-2030 vẫn còn một số khó
khăn, vướng mắc cần được tháo gỡ kịp thời.";

#[test]
fn hop_khong_giay_finds_hop_khong_giay_with_its_accents() {
    let mut index = SearchIndex::open_in_memory().unwrap();
    index
        .index_document(
            "de-an",
            &pages(&[
                "Đề án chuyển đổi số của Hội đồng nhân dân.",
                "Triển khai phòng HỌP KHÔNG GIẤY cho các kỳ họp từ năm 2027.",
            ]),
        )
        .unwrap();

    let hits = search(&index, "hop khong giay");

    assert_eq!(hits.len(), 1, "only page 2 has all three words");
    assert_eq!((hits[0].key.as_str(), hits[0].page), ("de-an", 1));
    assert_eq!(
        highlighted(&hits[0]),
        ["HỌP", "KHÔNG", "GIẤY", "họp"],
        "the words typed without accents or capitals match them (and the later họp), shown as the paper spells them"
    );
}

#[test]
fn dong_finds_dong_with_a_stroke() {
    let mut index = SearchIndex::open_in_memory().unwrap();
    index
        .index_document("to-trinh", &pages(&[TO_TRINH_PAGE_1, TO_TRINH_PAGE_2]))
        .unwrap();

    let hits = search(&index, "dong");

    assert_eq!(
        hits.len(),
        2,
        "đ has no decomposition, yet \"dong\" finds ĐỒNG, đồng and Hội đồng on both pages"
    );
    let all: Vec<&str> = hits.iter().flat_map(highlighted).collect();
    assert!(
        all.contains(&"đồng") && all.contains(&"ĐỒNG"),
        "both spellings are highlighted: {all:?}"
    );
}

#[test]
fn real_paper_text_is_found_by_its_words_typed_plainly() {
    let mut index = SearchIndex::open_in_memory().unwrap();
    index
        .index_document("to-trinh", &pages(&[TO_TRINH_PAGE_1, TO_TRINH_PAGE_2]))
        .unwrap();

    let budget = search(&index, "du toan ngan sach");
    assert_eq!(budget.len(), 1, "the budget estimate is on page 1 only");
    assert_eq!(budget[0].page, 0);
    assert_eq!(
        highlighted(&budget[0])[..4],
        ["dự", "toán", "ngân", "sách"],
        "the snippet is where all four words are, in the paper's spelling"
    );

    let investment = search(&index, "Đầu tư công");
    assert_eq!(
        investment.iter().map(|hit| hit.page).collect::<Vec<_>>(),
        [1],
        "a query typed with accents finds the same words"
    );
    assert!(
        search(&index, "hanh phuc")[0]
            .snippet
            .iter()
            .any(|part| part.hit && part.text == "Hạnh"),
        "the motto in the letterhead is text like any other"
    );
}

#[test]
fn every_word_must_be_on_the_page() {
    let mut index = SearchIndex::open_in_memory().unwrap();
    index
        .index_document("to-trinh", &pages(&[TO_TRINH_PAGE_1, TO_TRINH_PAGE_2]))
        .unwrap();

    assert!(
        search(&index, "ngan sach dau tu").is_empty(),
        "budget is on page 1 and investment on page 2, but no page has all four words"
    );
    assert!(
        search(&index, "sach2027").is_empty(),
        "terms are whole words, so a run-together query does not match"
    );
    assert!(
        search(&index, "sac").is_empty(),
        "terms are not prefixes: \"sac\" does not find sách"
    );
}

#[test]
fn decomposed_text_is_found_and_highlighted_at_the_right_chars() {
    // "Họp không giấy" typed with combining marks, as some PDF producers and macOS write it.
    let decomposed = "Về: Ho\u{323}p kho\u{302}ng gia\u{302}\u{301}y.";
    let mut index = SearchIndex::open_in_memory().unwrap();
    index.index_document("nfd", &pages(&[decomposed])).unwrap();

    let hits = search(&index, "họp không giấy");
    assert_eq!(
        hits.len(),
        1,
        "precomposed query, decomposed page: they fold alike"
    );
    assert_eq!(
        highlighted(&hits[0]),
        ["Ho\u{323}p", "kho\u{302}ng", "gia\u{302}\u{301}y"],
        "each highlighted word keeps its combining marks"
    );

    let query = Query::parse("hop khong giay");
    let ranges = query.phrase_ranges(decomposed);
    assert_eq!(
        ranges,
        vec![std::ops::Range { start: 4, end: 22 }],
        "chars 4..22 run from H to the last mark after y"
    );
    assert_eq!(
        chars(decomposed, ranges[0].clone()),
        "Ho\u{323}p kho\u{302}ng gia\u{302}\u{301}y",
        "the range is in chars of the original, marks included"
    );
}

#[test]
fn a_word_with_an_invisible_char_inside_is_still_one_word() {
    // Some producers put a zero-width space or a soft hyphen inside words.
    let page = "Dự thảo quy\u{AD}ết đị\u{200B}nh về đầu tư công.";
    let mut index = SearchIndex::open_in_memory().unwrap();
    index.index_document("zwsp", &pages(&[page])).unwrap();

    let hits = search(&index, "quyet dinh");
    assert_eq!(hits.len(), 1, "both words are found whole");
    assert_eq!(
        highlighted(&hits[0]),
        ["quy\u{AD}ết", "đị\u{200B}nh"],
        "the highlight covers the whole word, invisible char included"
    );
    assert!(
        search(&index, "dinh").len() == 1 && search(&index, "nh").is_empty(),
        "the part after the invisible char is not a word of its own"
    );
}

#[test]
fn phrase_ranges_find_the_words_in_order_like_a_browser_does() {
    let text = "Ngân sách; ngân\nsách, NGÂN-SÁCH và sách ngân. Ngân quỹ sách";
    let query = Query::parse("ngan sach");

    let phrases: Vec<String> = query
        .phrase_ranges(text)
        .into_iter()
        .map(|range| chars(text, range))
        .collect();
    assert_eq!(
        phrases,
        ["Ngân sách", "ngân\nsách", "NGÂN-SÁCH"],
        "the words in order, separated by anything but letters and digits; not reversed, not apart"
    );

    let terms: Vec<String> = query
        .term_ranges(text)
        .into_iter()
        .map(|range| chars(text, range))
        .collect();
    assert_eq!(
        terms.len(),
        10,
        "every occurrence of either word, wherever it is: {terms:?}"
    );
    assert_eq!(
        Query::parse("sach").term_ranges("sách sáchx xsách"),
        vec![std::ops::Range { start: 0, end: 4 }],
        "only whole words"
    );
}

#[test]
fn the_page_with_more_hits_ranks_first() {
    let filler = "Ủy ban nhân dân thành phố kính trình Hội đồng nhân dân xem xét. ";
    let once = format!(
        "{}Đề nghị bố trí vốn đầu tư công. {}",
        filler.repeat(3),
        filler.repeat(3)
    );
    let often = format!(
        "{}Đầu tư công: kế hoạch đầu tư, nguồn đầu tư và giải ngân vốn đầu tư. {}",
        filler.repeat(3),
        filler.repeat(3)
    );
    let mut index = SearchIndex::open_in_memory().unwrap();
    index
        .index_document("a", &pages(&[&once, &often, filler]))
        .unwrap();

    let hits = search(&index, "dau tu");

    assert_eq!(
        hits.iter().map(|hit| hit.page).collect::<Vec<_>>(),
        [1, 0],
        "page 1 says đầu tư four times in as many words as page 0 says it once; page 2 never"
    );
    assert!(
        hits[0].score > hits[1].score,
        "scores are higher for better pages"
    );
}

#[test]
fn the_shorter_page_ranks_first_when_hits_are_equal() {
    let filler = "Thời gian thực hiện từ ngày 01 tháng 01 năm 2027. ";
    let mut index = SearchIndex::open_in_memory().unwrap();
    index
        .index_document(
            "a",
            &pages(&[
                &format!("{}Ý kiến cử tri. {}", filler.repeat(20), filler.repeat(20)),
                &format!("Ý kiến cử tri. {}", filler.repeat(2)),
            ]),
        )
        .unwrap();

    let hits = search(&index, "cu tri");

    assert_eq!(
        hits.iter().map(|hit| hit.page).collect::<Vec<_>>(),
        [1, 0],
        "the same hits are denser on the short page (bm25's length normalisation)"
    );
}

#[test]
fn the_snippet_shows_the_words_around_the_hit_in_the_original_spelling() {
    let words: Vec<String> = (1..=60).map(|i| format!("từ{i}")).collect();
    let page = format!(
        "{}\n   Kỳ họp   thứ mười   bàn về  NGÂN SÁCH năm 2027. {}",
        words.join(" "),
        words.join(" ")
    );
    let mut index = SearchIndex::open_in_memory().unwrap();
    index.index_document("a", &pages(&[&page])).unwrap();

    let hits = search(&index, "ngan sach");

    let shown = rendered(&hits[0]);
    assert!(
        shown.contains("bàn về [NGÂN] [SÁCH] năm 2027."),
        "hits keep the page's spelling and the text around them its accents: {shown}"
    );
    assert!(
        shown.starts_with("… ") && shown.ends_with(" …"),
        "the page goes on at both ends: {shown}"
    );
    assert!(
        !shown.contains("  ") && !shown.contains('\n'),
        "whitespace is collapsed: {shown:?}"
    );
    let word_count = shown.split_whitespace().count() - 2;
    assert!(
        (20..=30).contains(&word_count),
        "about 25 words are shown, not {word_count}"
    );
}

#[test]
fn a_scanned_document_is_listed_as_unsearchable_and_never_a_hit() {
    let mut index = SearchIndex::open_in_memory().unwrap();
    // A scan: PDFium finds only page numbers a stamp left in the text layer.
    let scan = index
        .index_document("scan", &pages(&["Trang 1", "", "Trang 3 ngân sách"]))
        .unwrap();
    let typed = index
        .index_document("typed", &pages(&[TO_TRINH_PAGE_1]))
        .unwrap();

    assert!(
        !scan.has_text,
        "fewer than 16 visible chars a page is no text layer"
    );
    assert_eq!(scan.pages, 3);
    assert!(typed.has_text);
    assert_eq!(index.unsearchable().unwrap(), ["scan"]);
    let hits = search(&index, "ngan sach");
    assert!(
        hits.iter().all(|hit| hit.key == "typed"),
        "the scan's stray words are not searched"
    );
    assert_eq!(
        index.page_text("scan", 2).unwrap().as_deref(),
        Some("Trang 3 ngân sách"),
        "its text is still kept"
    );
}

#[test]
fn re_indexing_a_key_replaces_its_pages() {
    let mut index = SearchIndex::open_in_memory().unwrap();
    index
        .index_document("paper", &pages(&["Dự thảo lần 1: ngân sách", "Phụ lục"]))
        .unwrap();
    index
        .index_document("paper", &pages(&["Dự thảo lần 2: đầu tư công"]))
        .unwrap();

    assert!(
        search(&index, "ngan sach").is_empty(),
        "the old version's words are gone"
    );
    assert_eq!(search(&index, "dau tu").len(), 1);
    assert_eq!(
        index.page_text("paper", 1).unwrap(),
        None,
        "the old version's second page is gone too"
    );
    assert_eq!(index.keys().unwrap(), ["paper"]);
}

#[test]
fn removing_a_document_forgets_it_and_only_it() {
    let mut index = SearchIndex::open_in_memory().unwrap();
    index
        .index_document("a", &pages(&["Báo cáo thẩm tra ngân sách"]))
        .unwrap();
    index
        .index_document("b", &pages(&["Tờ trình dự toán ngân sách"]))
        .unwrap();

    assert!(index.remove("a").unwrap(), "a was indexed");
    assert!(!index.remove("a").unwrap(), "and is not any more");

    assert!(!index.contains("a").unwrap());
    assert!(index.contains("b").unwrap());
    let keys: Vec<String> = search(&index, "ngan sach")
        .into_iter()
        .map(|hit| hit.key)
        .collect();
    assert_eq!(keys, ["b"]);
    assert!(search(&index, "tham tra").is_empty(), "a's words are gone");
}

#[test]
fn retain_forgets_the_documents_not_kept_and_only_them() {
    let mut index = SearchIndex::open_in_memory().unwrap();
    index
        .index_document("kept", &pages(&[TO_TRINH_PAGE_1]))
        .unwrap();
    index
        .index_document("released", &pages(&[TO_TRINH_PAGE_2]))
        .unwrap();
    index.index_document("scan", &pages(&[""])).unwrap();

    let removed = index.retain(|key| key == "kept").unwrap();

    assert_eq!(removed, 2);
    assert_eq!(index.keys().unwrap(), ["kept"]);
    assert!(index.unsearchable().unwrap().is_empty(), "a scan goes too");
    assert_eq!(
        index.page_text("released", 0).unwrap(),
        None,
        "the text itself is gone, not just hidden"
    );
    assert_eq!(
        index.retain(|_| true).unwrap(),
        0,
        "nothing to do the second time"
    );
}

#[test]
fn clear_empties_the_index() {
    let mut index = SearchIndex::open_in_memory().unwrap();
    index
        .index_document("a", &pages(&[TO_TRINH_PAGE_1]))
        .unwrap();
    index.index_document("scan", &pages(&[""])).unwrap();

    index.clear().unwrap();

    assert!(index.keys().unwrap().is_empty());
    assert!(index.unsearchable().unwrap().is_empty());
    assert!(search(&index, "ngan sach").is_empty());
    index
        .index_document("a", &pages(&[TO_TRINH_PAGE_1]))
        .unwrap();
    assert_eq!(search(&index, "ngan sach").len(), 1, "and works after");
}

#[test]
fn hostile_queries_do_not_error() {
    let mut index = SearchIndex::open_in_memory().unwrap();
    index
        .index_document("a", &pages(&[TO_TRINH_PAGE_1, "near and or not"]))
        .unwrap();
    let long = "ngân sách ".repeat(5_000);
    let hostile = [
        "",
        "   ",
        "\"",
        "\"\"",
        "AND (",
        "*",
        "ngan*",
        "NEAR",
        "NEAR(ngan sach, 2)",
        "ngan OR sach",
        "ngan NOT sach",
        "-ngan",
        "^ngan",
        "terms:ngan",
        "{terms}: ngan",
        "'; DROP TABLE pages; --",
        "\u{0}\u{301}\u{FFFF}",
        long.as_str(),
    ];
    for query in hostile {
        let result = index.search(&Query::parse(query), 20);
        assert!(
            result.is_ok(),
            "{query:?} is only words and separators, never FTS5 syntax: {result:?}"
        );
    }
    assert!(
        search(&index, "\"*(").is_empty(),
        "a query of punctuation has no terms and finds nothing"
    );
    assert_eq!(
        search(&index, "NEAR AND").len(),
        1,
        "operator words are ordinary words"
    );
    assert_eq!(index.keys().unwrap(), ["a"], "and nothing was dropped");
}

#[test]
fn an_index_folded_the_old_way_is_emptied_to_be_built_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("search.sqlite3");
    {
        let mut index = SearchIndex::open(&path).unwrap();
        index
            .index_document("to-trinh", &pages(&[TO_TRINH_PAGE_1]))
            .unwrap();
    }
    // As a release before schema 2 left the file: its words folded before zero-width chars
    // were dropped (and no column for unreadable papers yet, which came with schema 3).
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(
            "ALTER TABLE documents DROP COLUMN unreadable;
             PRAGMA user_version = 1;",
        )
        .unwrap();

    let index = SearchIndex::open(&path).unwrap();
    assert!(
        index.keys().unwrap().is_empty(),
        "every paper is indexed again"
    );
    assert!(search(&index, "dau tu cong").is_empty());
}

#[test]
fn an_index_file_keeps_its_documents_across_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("search.sqlite3");
    {
        let mut index = SearchIndex::open(&path).unwrap();
        index
            .index_document("to-trinh", &pages(&[TO_TRINH_PAGE_1, TO_TRINH_PAGE_2]))
            .unwrap();
        index.index_document("scan", &pages(&["", ""])).unwrap();
    }

    let index = SearchIndex::open(&path).unwrap();

    assert_eq!(index.keys().unwrap(), ["scan", "to-trinh"]);
    assert_eq!(index.unsearchable().unwrap(), ["scan"]);
    assert_eq!(
        search(&index, "dau tu cong")[0].page,
        1,
        "the FTS5 index persisted"
    );
    assert_eq!(
        index.page_text("to-trinh", 0).unwrap().as_deref(),
        Some(TO_TRINH_PAGE_1)
    );
}

#[test]
fn a_query_matching_more_pages_than_are_ranked_ranks_the_newest_matches() {
    let mut index = SearchIndex::open_in_memory().unwrap();
    // The best page is in the oldest paper; then enough newer matching pages to fill the
    // candidates.
    index
        .index_document("old", &pages(&["Ngân sách, ngân sách, ngân sách."]))
        .unwrap();
    let newer: Vec<String> = (0..CANDIDATES)
        .map(|i| format!("Trang {i}: dự toán ngân sách năm 2027 và các năm sau."))
        .collect();
    index.index_document("new", &newer).unwrap();

    let hits = search(&index, "ngan sach");

    assert_eq!(hits.len(), 20, "the limit holds");
    assert!(
        hits.iter().all(|hit| hit.key == "new"),
        "beyond CANDIDATES matches only the newest are ranked, so the old paper's better page is not among them"
    );
    index.remove("new").unwrap();
    assert_eq!(
        search(&index, "ngan sach")[0].key,
        "old",
        "with few matches every match is ranked"
    );
}

#[test]
fn a_paper_the_engine_could_not_read_is_listed_apart_from_scans_with_its_reason() {
    let mut index = SearchIndex::open_in_memory().unwrap();
    index.index_document("scan", &pages(&["", ""])).unwrap();
    index
        .index_document("typed", &pages(&[TO_TRINH_PAGE_1]))
        .unwrap();
    index
        .record_unreadable("crashing", "the PDF engine stopped while reading page 1")
        .unwrap();

    assert!(
        index.contains("crashing").unwrap(),
        "recorded, so it is not tried again"
    );
    assert_eq!(
        index.unsearchable().unwrap(),
        ["scan"],
        "a paper that could not be read is not a scan without text"
    );
    assert_eq!(
        index.unreadable().unwrap(),
        [(
            "crashing".to_owned(),
            "the PDF engine stopped while reading page 1".to_owned()
        )]
    );
    assert!(
        search(&index, "dau tu cong")
            .iter()
            .all(|hit| hit.key == "typed")
    );

    // Read at last (a new engine, a fresh copy): it is an ordinary document again.
    index
        .index_document("crashing", &pages(&[TO_TRINH_PAGE_2]))
        .unwrap();
    assert!(index.unreadable().unwrap().is_empty());
    assert!(index.remove("crashing").unwrap());
}

#[test]
fn papers_an_older_app_recorded_with_no_pages_are_tried_again() {
    // Before unreadable papers were recorded as such, a paper whose worker crashed was
    // stored as a scan with no pages at all; a real PDF has at least one page.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("search.sqlite3");
    {
        let mut index = SearchIndex::open(&path).unwrap();
        index.index_document("scan", &pages(&["", ""])).unwrap();
        index
            .index_document("typed", &pages(&[TO_TRINH_PAGE_1]))
            .unwrap();
    }
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        // As the old app recorded a crash: a document row, no pages; and the schema as it was.
        conn.execute_batch(
            "INSERT INTO documents (key, has_text) VALUES ('crashed', 0);
             ALTER TABLE documents DROP COLUMN unreadable;
             PRAGMA user_version = 2;",
        )
        .unwrap();
    }

    let index = SearchIndex::open(&path).unwrap();
    assert!(
        !index.contains("crashed").unwrap(),
        "dropped by the migration, so the app indexes it again"
    );
    assert_eq!(
        index.keys().unwrap(),
        ["scan", "typed"],
        "real documents stay"
    );
    assert_eq!(index.unsearchable().unwrap(), ["scan"]);
}
