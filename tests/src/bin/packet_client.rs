//! `packet-client`: the app's sync core without a window. It opens the store in a data dir,
//! logs in when it has no saved session, pulls, and downloads the packet's paper files
//! with the very crates the app uses (store + sync), printing one line per progress
//! update. Killing it is killing the app's sync core, which is what the stories do.
//!
//! With `--until-complete` it exits 0 once every needed paper is held and verified (2 when
//! some paper failed, 3 when the session was refused). Without it, it also follows the
//! server live and keeps every new packet version downloaded until it is stopped.
//!
//! Lines on stdout (the stories read them):
//! `pulled cursor=N`, `offline REASON`,
//! `progress STATE DONE/TOTAL papers HELD/COUNT [DETAIL]`,
//! `complete files=N bytes=B` (every held file re-hashed), `signed-out`.

use clap::Parser;
use ecabinet_domain::SystemClock;
use ecabinet_store::{Store, StoredSession};
use ecabinet_sync::{
    Backoff, CouncilClient, DownloadProgress, DownloaderState, PacketDownloader,
    PaperDownloadState, PaperFiles, SyncError,
};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Parser)]
#[command(about = "Downloads a council packet headlessly with the app's sync core")]
struct Args {
    /// The council server, e.g. http://127.0.0.1:8470
    #[arg(long)]
    server: String,
    #[arg(long)]
    user: String,
    #[arg(long)]
    password: String,
    /// Where the store (ecabinet.db) and the paper files (papers/) live.
    #[arg(long)]
    data_dir: PathBuf,
    /// Exit once every needed paper is held and verified.
    #[arg(long)]
    until_complete: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(args).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("packet-client: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let clock = Arc::new(SystemClock);
    let mut store = Store::open(&args.data_dir.join("ecabinet.db"))?;
    let session = match store.session()? {
        Some(session) => session,
        None => {
            let client = CouncilClient::new(&args.server)?;
            let login = client.login(&args.user, &args.password).await?;
            let session = StoredSession {
                server_url: client.server_url(),
                token: login.token,
                member: login.member,
                council: login.council,
            };
            store.save_session(&session)?;
            session
        }
    };
    let store = Arc::new(Mutex::new(store));
    // A test tool: retry sooner than the app would, so stories stay short.
    let backoff = Backoff::new(Duration::from_millis(100), Duration::from_secs(2));

    let client = CouncilClient::new(&session.server_url)?;
    let mut retry = backoff.clone();
    loop {
        match ecabinet_sync::pull_all(&client, &session.token, &store, clock.as_ref()).await {
            Ok(cursor) => {
                say(&format!("pulled cursor={cursor}"));
                break;
            }
            Err(SyncError::SessionExpired) => {
                say("signed-out");
                return Ok(ExitCode::from(3));
            }
            Err(e) => {
                say(&format!("offline {e}"));
                tokio::time::sleep(retry.next_delay(&mut rand::rng())).await;
            }
        }
    }

    let files = PaperFiles::open(&args.data_dir.join("papers"), store.clone(), clock.clone())?;
    let engine = (!args.until_complete).then(|| {
        ecabinet_sync::spawn(
            store.clone(),
            session.clone(),
            clock.clone(),
            backoff.clone(),
        )
    });
    let mut downloader = PacketDownloader::new(files.clone(), &session)?.with_backoff(backoff);
    if let Some(engine) = &engine {
        downloader = downloader.following(engine.status());
    }
    let handle = downloader.spawn();
    let mut progress = handle.progress();
    loop {
        let now = progress.borrow_and_update().clone();
        say(&progress_line(&now));
        match now.state {
            DownloaderState::Complete => {
                let (files, store) = (files.clone(), store.clone());
                let verified =
                    tokio::task::spawn_blocking(move || verify_held(&files, &store)).await??;
                // When a file failed to verify it was forgotten and the downloader kicked:
                // wait for the next completion.
                if let Some((count, bytes)) = verified {
                    say(&format!("complete files={count} bytes={bytes}"));
                    if args.until_complete {
                        handle.stop().await;
                        return Ok(ExitCode::SUCCESS);
                    }
                }
            }
            DownloaderState::Incomplete if args.until_complete => {
                handle.stop().await;
                return Ok(ExitCode::from(2));
            }
            DownloaderState::SignedOut => {
                say("signed-out");
                return Ok(ExitCode::from(3));
            }
            _ => {}
        }
        if progress.changed().await.is_err() {
            anyhow::bail!("the downloader ended unexpectedly");
        }
    }
}

fn progress_line(p: &DownloadProgress) -> String {
    let state = format!("{:?}", p.state).to_lowercase();
    let held = p
        .papers
        .iter()
        .filter(|paper| paper.state == PaperDownloadState::Done)
        .count();
    let mut line = format!(
        "progress {state} {}/{} papers {held}/{}",
        p.done_bytes,
        p.total_bytes,
        p.papers.len()
    );
    if let Some(detail) = &p.detail {
        line.push(' ');
        line.push_str(detail);
    }
    line
}

/// Re-hashes every held file. `None` when one was damaged or missing (it is being fetched
/// again); otherwise how many files and bytes verified.
fn verify_held(files: &PaperFiles, store: &Mutex<Store>) -> anyhow::Result<Option<(usize, u64)>> {
    let held = store.lock().expect("store lock").held_hashes()?;
    let (mut count, mut bytes) = (0, 0);
    for hash in held {
        match files.open_verified(&hash) {
            Ok(paper) => {
                count += 1;
                bytes += paper.size;
            }
            Err(e) => {
                say(&format!("damaged {hash}: {e}"));
                return Ok(None);
            }
        }
    }
    Ok(Some((count, bytes)))
}
