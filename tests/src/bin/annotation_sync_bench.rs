//! `make bench-annotations` (sync part): how long 10,000 of a member's annotations take to
//! reach their second device on loopback (issue 14: under 2 s), beside the same pull of the
//! demo council without them, and how long a batch of new annotations takes to reach a
//! device that follows live.
//!
//! A release council server with the demo council; delegate01 writes the annotations through
//! the real API, as their device's outbox does (`PUT /api/v1/annotations/{id}`, several at a
//! time to seed faster), on the papers they may read: a realistic mix of highlights and
//! other text marks quoting the papers' own text, ink strokes of 50 points, notes, shapes.
//! Then fresh devices of delegate01 (a new store each) pull everything with
//! `ecabinet_sync::pull_all`. Prints figures, asserts nothing (beyond every annotation
//! arriving).

use ecabinet_domain::{MemberId, PaperId, SystemClock};
use ecabinet_store::{Store, StoredSession};
use ecabinet_stories::marks::{self, MarkablePaper};
use ecabinet_stories::{CouncilServer, DEMO_PASSWORD};
use ecabinet_sync::{Backoff, ConnectionState, CouncilClient};
use rand::SeedableRng;
use rand::rngs::StdRng;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ANNOTATIONS: usize = 10_000;
/// Writes in flight while seeding.
const SEEDING_WRITERS: usize = 8;
const FRESH_DEVICES: usize = 7;
const LIVE_BATCHES: usize = 10;
const LIVE_BATCH: usize = 100;
const GOAL: Duration = Duration::from_secs(2);

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    samples[((samples.len() - 1) as f64 * p).round() as usize]
}

fn report(name: &str, samples: &mut [Duration]) {
    println!(
        "  {name:<58} n={:<3} p50={:>9.2?} p95={:>9.2?} max={:>9.2?}",
        samples.len(),
        percentile(samples, 0.5),
        percentile(samples, 0.95),
        percentile(samples, 1.0)
    );
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let server = CouncilServer::start(data.path(), 0);
    let client = CouncilClient::new(&server.url())?;
    let mut dice = StdRng::seed_from_u64(14);
    println!(
        "council server ({}) at {}; demo council; member delegate01",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
        server.url()
    );

    // The peer: fresh devices pulling the demo council as it is, without annotations.
    let (mut plain, plain_records) = fresh_pulls(&client, &[]).await?;

    // delegate01's papers, read as their device reads them.
    let login = client.login("delegate01", DEMO_PASSWORD).await?;
    let member = login.member.clone();
    let records = marks::records(&client, &login.token).await?;
    let mut papers = Vec::new();
    for (paper_id, made_on, _) in marks::readable_papers(&records, &member) {
        let pdf = marks::download(&server.url(), &login.token, &made_on.hash).await?;
        papers.push(MarkablePaper::open(paper_id, made_on, pdf)?);
    }
    anyhow::ensure!(!papers.is_empty(), "delegate01 may read no published paper");
    let pages: usize = papers.iter().map(MarkablePaper::page_count).sum();

    // The writes, spread over every page of every paper.
    let mut writes = Vec::with_capacity(ANNOTATIONS);
    for n in 0..ANNOTATIONS {
        let mut page = n % pages;
        let paper = papers
            .iter()
            .find(|p| {
                let here = page < p.page_count();
                if !here {
                    page -= p.page_count();
                }
                here
            })
            .expect("a page of some paper");
        writes.push((marks::new_id(&mut dice), paper.write(page, n, &mut dice)));
    }
    let bytes: usize = writes
        .iter()
        .map(|(_, w)| serde_json::to_vec(w).map_or(0, |b| b.len()))
        .sum();
    let seeding = Instant::now();
    marks::put_all(&client, &login.token, &writes, SEEDING_WRITERS).await?;
    let seeded = seeding.elapsed();
    println!(
        "\nseeding: {ANNOTATIONS} annotations ({:.1} MB of JSON) on {} papers ({pages} pages) through PUT /api/v1/annotations/{{id}}, {SEEDING_WRITERS} in flight: {seeded:.2?}, {:.0} writes/s",
        bytes as f64 / 1e6,
        papers.len(),
        ANNOTATIONS as f64 / seeded.as_secs_f64()
    );

    let paper_ids: Vec<PaperId> = papers.iter().map(|p| p.paper_id).collect();
    let (mut marked, marked_records) = fresh_pulls(&client, &paper_ids).await?;
    println!(
        "\na second device of delegate01 (fresh store, login done) pulls everything; goal < {GOAL:?}:"
    );
    report(
        &format!("demo council without annotations ({plain_records} records)"),
        &mut plain,
    );
    report(
        &format!("with the {ANNOTATIONS} annotations ({marked_records} records)"),
        &mut marked,
    );

    // A device already synced, following live: a batch of new annotations written on
    // another device reaches its store (live signal, then pull).
    let dir = tempfile::tempdir()?;
    let session = StoredSession {
        server_url: client.server_url(),
        token: login.token.clone(),
        member: login.member.clone(),
        council: login.council.clone(),
    };
    let mut store = Store::open(&dir.path().join("ecabinet.db"))?;
    store.save_session(&session)?;
    let store = Arc::new(Mutex::new(store));
    ecabinet_sync::pull_all(&client, &login.token, &store, &SystemClock).await?;
    let sync = ecabinet_sync::spawn(
        store.clone(),
        session,
        Arc::new(SystemClock),
        Backoff::default(),
    );
    let mut status = sync.status();
    tokio::time::timeout(
        Duration::from_secs(10),
        status.wait_for(|s| s.connection == ConnectionState::Online),
    )
    .await??;
    // The other device writing: its own session.
    let writer = client.login("delegate01", DEMO_PASSWORD).await?;
    let (mut single, mut batches) = (Vec::new(), Vec::new());
    let mut n = ANNOTATIONS;
    for round in 0..LIVE_BATCHES * 2 {
        // Alternately one annotation (the peer) and a batch.
        let size = if round % 2 == 0 { 1 } else { LIVE_BATCH };
        let paper = &papers[round % papers.len()];
        let batch: Vec<_> = (0..size)
            .map(|i| {
                n += 1;
                let page = (n + i) % paper.page_count();
                (marks::new_id(&mut dice), paper.write(page, n, &mut dice))
            })
            .collect();
        let before = count(&store, member.id, &paper_ids)?;
        let sent = Instant::now();
        marks::put_all(&client, &writer.token, &batch, SEEDING_WRITERS).await?;
        loop {
            if count(&store, member.id, &paper_ids)? == before + size {
                break;
            }
            anyhow::ensure!(
                sent.elapsed() < Duration::from_secs(20),
                "a batch of {size} never arrived"
            );
            tokio::time::sleep(Duration::from_micros(500)).await;
        }
        if size == 1 {
            single.push(sent.elapsed());
        } else {
            batches.push(sent.elapsed());
        }
    }
    sync.stop().await;
    println!(
        "\na device already synced, following live: first PUT sent -> all in its store (live signal, then pull); goal < {GOAL:?}:"
    );
    report("one new annotation", &mut single);
    report(
        &format!("a batch of {LIVE_BATCH} new annotations ({SEEDING_WRITERS} PUTs in flight)"),
        &mut batches,
    );
    Ok(())
}

/// Pulls into [`FRESH_DEVICES`] fresh stores: the time from the start of each pull to the
/// store holding everything, and how many change records there were. Checks that the
/// annotations on `papers` all arrived.
async fn fresh_pulls(
    client: &CouncilClient,
    papers: &[PaperId],
) -> anyhow::Result<(Vec<Duration>, i64)> {
    let mut times = Vec::new();
    let mut records = 0;
    for _ in 0..FRESH_DEVICES {
        let dir = tempfile::tempdir()?;
        let login = client.login("delegate01", DEMO_PASSWORD).await?;
        let mut store = Store::open(&dir.path().join("ecabinet.db"))?;
        store.save_session(&StoredSession {
            server_url: client.server_url(),
            token: login.token.clone(),
            member: login.member.clone(),
            council: login.council,
        })?;
        let store = Arc::new(Mutex::new(store));
        let start = Instant::now();
        records = ecabinet_sync::pull_all(client, &login.token, &store, &SystemClock).await?;
        times.push(start.elapsed());
        if !papers.is_empty() {
            let held = count(&store, login.member.id, papers)?;
            anyhow::ensure!(
                held >= ANNOTATIONS,
                "the device holds {held} annotations after the pull, not {ANNOTATIONS}"
            );
        }
    }
    Ok((times, records))
}

fn count(store: &Mutex<Store>, member: MemberId, papers: &[PaperId]) -> anyhow::Result<usize> {
    let store = store.lock().expect("store lock");
    let mut held = 0;
    for paper in papers {
        held += store.annotations(member, *paper)?.len();
    }
    Ok(held)
}
