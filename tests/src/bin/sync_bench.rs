//! `make bench` (sync part): how long a fresh client takes to sync the demo council, and
//! how long a change on the server takes to reach a following client's store.
//! Real processes on loopback, release builds; prints figures, asserts nothing.

use ecabinet_domain::SystemClock;
use ecabinet_store::{Store, StoredSession};
use ecabinet_stories::{CouncilServer, DEMO_PASSWORD, SecretaryApi};
use ecabinet_sync::{Backoff, ConnectionState, CouncilClient};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const FRESH_SYNCS: usize = 20;
const LIVE_CHANGES: usize = 50;

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    samples[((samples.len() - 1) as f64 * p).round() as usize]
}

fn report(name: &str, samples: &mut [Duration]) {
    println!(
        "{name:<44} n={:<3} p50={:>8.2?} p95={:>8.2?} max={:>8.2?}",
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
    println!("council server (release) at {}; demo council", server.url());

    let (mut logins, mut pulls, mut totals) = (Vec::new(), Vec::new(), Vec::new());
    let mut records = 0;
    for _ in 0..FRESH_SYNCS {
        let dir = tempfile::tempdir()?;
        let start = Instant::now();
        let login = client.login("delegate01", DEMO_PASSWORD).await?;
        let logged_in = Instant::now();
        let mut store = Store::open(&dir.path().join("ecabinet.db"))?;
        store.save_session(&StoredSession {
            server_url: client.server_url(),
            token: login.token.clone(),
            member: login.member,
            council: login.council,
        })?;
        let store = Arc::new(Mutex::new(store));
        let cursor = ecabinet_sync::pull_all(&client, &login.token, &store, &SystemClock).await?;
        let done = Instant::now();
        records = cursor;
        logins.push(logged_in - start);
        pulls.push(done - logged_in);
        totals.push(done - start);
    }
    println!("\nfresh client syncs the demo council ({records} change records):");
    report("login (argon2id verify + token)", &mut logins);
    report("open store + pull + apply", &mut pulls);
    report("total", &mut totals);

    let dir = tempfile::tempdir()?;
    // The programme's working copy reaches the chair live (delegates get it frozen in a
    // published version), so the chair's device follows the secretary's edits.
    let login = client.login("chair", DEMO_PASSWORD).await?;
    let session = StoredSession {
        server_url: client.server_url(),
        token: login.token,
        member: login.member,
        council: login.council,
    };
    let mut store = Store::open(&dir.path().join("ecabinet.db"))?;
    store.save_session(&session)?;
    let store = Arc::new(Mutex::new(store));
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
    let secretary = SecretaryApi::login(&server.url(), "secretary").await?;
    let item = secretary.agenda_item("Thảo luận tại hội trường").await?;
    let mut latencies = Vec::new();
    for n in 0..LIVE_CHANGES {
        let title = format!("Thảo luận tại hội trường (lượt {n})");
        let sent = Instant::now();
        secretary.rename_agenda_item(&item, &title).await?;
        loop {
            let seen =
                store.lock().unwrap().agenda_item(item.id)?.map(|i| i.title) == Some(title.clone());
            if seen {
                break;
            }
            anyhow::ensure!(
                sent.elapsed() < Duration::from_secs(5),
                "change {n} never arrived"
            );
            tokio::time::sleep(Duration::from_micros(200)).await;
        }
        latencies.push(sent.elapsed());
    }
    println!("\nserver-side change to the client's store (live signal, then pull):");
    report("PATCH sent -> store shows the new title", &mut latencies);
    sync.stop().await;
    Ok(())
}
