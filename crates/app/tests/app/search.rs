//! Search: the indexer the shell runs for the app's lifetime reads every paper that arrives
//! in a PDF worker and indexes its pages; a search finds the pages of the papers this
//! member may read, accents or not, and names the paper and the meeting.

use crate::harness::{Council, DEMO_SESSION, Device};
use ecabinet_app::dto::{self, SearchIndexProgress};

/// A candidate for the city's People's Committee, named in the confidential paper (which
/// delegate01 is named on). Search folds accents away, so "Lâm" also matches "làm".
const CANDIDATE: &str = "Lâm Quốc Việt";
const CONFIDENTIAL: &str = "Tờ trình về công tác cán bộ";

/// Waits for the indexer to tell the window that every held paper is indexed.
async fn indexed(device: &Device, papers: u32) -> SearchIndexProgress {
    device
        .until(
            "the search index to cover every paper on the device",
            || async {
                let told = device.events.borrow().search_index?;
                (told.total == papers && told.indexed == papers).then_some(told)
            },
        )
        .await
}

fn snippet_text(hit: &dto::SearchHitView) -> String {
    hit.snippet.iter().map(|part| part.text.as_str()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_downloaded_paper_is_indexed_and_a_search_finds_the_right_one() {
    let council = Council::demo().await;
    let device = Device::new();
    device.keep_search_index();
    device.sign_in(&council, "delegate01").await;
    let packet = device.packet_held(DEMO_SESSION).await;
    let held = packet.papers.iter().filter(|p| p.held).count() as u32;
    assert_eq!(held, 9);

    let told = indexed(&device, held).await;
    assert_eq!(
        device.core.search_index_progress().unwrap(),
        told,
        "what the window was told is what it reads when it asks"
    );

    let results = device.core.search_papers(CANDIDATE).await.unwrap();
    let found: Vec<(&str, u32)> = results
        .hits
        .iter()
        .map(|h| (h.paper_title.as_str(), h.page))
        .collect();
    assert!(
        found.contains(&(CONFIDENTIAL, 0)) && found.contains(&(CONFIDENTIAL, 1)),
        "both pages of the paper about the candidate are found: {found:?}"
    );
    let hit = results
        .hits
        .iter()
        .find(|h| h.paper_title == CONFIDENTIAL)
        .unwrap();
    assert_eq!(hit.meeting_title, DEMO_SESSION, "the hit names its meeting");
    assert_eq!(hit.meeting_id, packet.meeting_id);
    assert!(
        snippet_text(hit).contains(CANDIDATE),
        "the snippet shows the name: {:?}",
        hit.snippet
    );
    for hit in &results.hits {
        assert!(
            hit.snippet.iter().any(|part| part.hit),
            "every hit marks what matched: {hit:?}"
        );
    }
    assert!(
        results.unsearchable.is_empty() && results.unreadable.is_empty(),
        "every demo paper has text, and the engine read each"
    );
    assert_eq!(results.progress, told);

    // Typed without tone marks, as on a keyboard without a Vietnamese layout.
    let plain = device.core.search_papers("lam quoc viet").await.unwrap();
    let pages = |r: &dto::SearchResults| {
        r.hits
            .iter()
            .map(|h| (h.paper_id.clone(), h.page))
            .collect::<Vec<_>>()
    };
    assert_eq!(pages(&plain), pages(&results), "the same pages are found");

    let budget = device.core.search_papers("ngân sách").await.unwrap();
    let papers: std::collections::BTreeSet<&str> =
        budget.hits.iter().map(|h| h.paper_title.as_str()).collect();
    assert!(
        papers.contains("Tờ trình về dự toán ngân sách nhà nước năm 2027") && papers.len() >= 3,
        "the budget is spoken of in several papers: {papers:?}"
    );
    for hit in &budget.hits {
        assert!(
            snippet_text(hit).to_lowercase().contains("ngân sách"),
            "each snippet shows where: {:?}",
            snippet_text(hit)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delegate_not_named_on_a_confidential_paper_cannot_find_its_words() {
    let council = Council::demo().await;
    let device = Device::new();
    device.keep_search_index();
    device.sign_in(&council, "delegate03").await;
    let packet = device.packet_held(DEMO_SESSION).await;
    indexed(&device, 8).await;
    assert_eq!(
        packet.papers.iter().filter(|p| p.held).count(),
        8,
        "the eight papers for everyone"
    );

    let results = device.core.search_papers(CANDIDATE).await.unwrap();
    let papers: Vec<&str> = results
        .hits
        .iter()
        .map(|h| h.paper_title.as_str())
        .collect();
    assert!(
        !papers.contains(&CONFIDENTIAL),
        "the confidential paper never came to this device, so nothing of it is found: {papers:?}"
    );
    let budget = device.core.search_papers("ngan sach").await.unwrap();
    assert!(
        !budget.hits.is_empty(),
        "while the papers for everyone are searched"
    );
}
