//! `council-server serve`: runs a council server on a socket.

use anyhow::Context;
use clap::{Parser, Subcommand};
use council_server::blobs::FsBlobStore;
use council_server::paper_check::PaperCheck;
use council_server::{ServerState, demo, router};
use council_server::{demo_annotations, demo_chat, demo_crowd, demo_packet, demo_sitting};
use council_storage::CouncilStorage;
use council_storage_postgres::PostgresCouncilStorage;
use council_storage_sqlite::SqliteCouncilStorage;
use ecabinet_domain::{Clock, SystemClock};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(
    name = "council-server",
    version,
    about = "The eCabinet council server"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the council API.
    Serve {
        /// Folder for the papers, the demo password and (without --database-url) the
        /// SQLite database, council.db.
        #[arg(long, env = "ECABINET_DATA_DIR")]
        data_dir: PathBuf,
        /// Keep the council's data in this PostgreSQL database instead of SQLite in the
        /// data dir: postgres://user:password@host:port/database.
        // hide_env_values: clap would otherwise print the URL, password included, in --help.
        #[arg(long, env = "ECABINET_DATABASE_URL", hide_env_values = true)]
        database_url: Option<String>,
        /// Address to listen on; port 0 picks a free port (printed at start).
        #[arg(long, default_value = "127.0.0.1:8470")]
        listen: SocketAddr,
        /// Seed the demo council when the database is empty, and print its accounts.
        #[arg(long)]
        demo: bool,
        /// With --demo: publish the demo's amended draft resolution as the packet's version 2
        /// this many seconds after the start (once), so a delegate who read version 1 sees a
        /// paper replaced, what changed inside it, and their marks follow it.
        #[arg(long, value_name = "SECONDS", requires = "demo")]
        demo_amendment_after: Option<u64>,
        /// With --demo: add this many delegates (delegate0001 "Đại biểu 0001", …) with the
        /// demo password, each sitting and voting in the demo session, for load tests.
        #[arg(long, value_name = "N", requires = "demo", default_value_t = 0,
              value_parser = clap::value_parser!(u32).range(0..=demo_crowd::MAX_DELEGATES as i64))]
        demo_delegates: u32,
    },
    /// Checks a poll's public log (`GET /api/v1/polls/{id}/log`, saved as JSON lines): the
    /// hash chain, every ballot against the poll's settings, and the result against a count
    /// of the ballots under the poll's rule. Prints the count; names every line that does
    /// not hold and exits 1 (2 when the file cannot be read).
    VerifyPoll {
        /// The log, one JSON line per entry.
        log: PathBuf,
    },
    /// A PDF worker process: the server checks uploads in these, so a hostile PDF that
    /// crashes or hangs PDFium costs a worker, not the server.
    #[command(hide = true)]
    Worker {
        #[arg(long)]
        parent: Option<u32>,
        #[arg(long)]
        memory_limit: Option<u64>,
    },
}

const DEMO_CREDENTIALS_FILE: &str = "demo-password.txt";

fn main() -> anyhow::Result<ExitCode> {
    match Cli::parse().command {
        // No runtime and no logging: a worker speaks only its protocol on stdout.
        Command::Worker {
            parent,
            memory_limit,
        } => Ok(ecabinet_pdf::serve_worker(ecabinet_pdf::WorkerLimits {
            parent,
            memory: memory_limit,
        })),
        Command::VerifyPoll { log } => match std::fs::read_to_string(&log) {
            Ok(text) => {
                let (report, holds) = council_server::verify_poll::report(&text);
                print!("{report}");
                Ok(if holds {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(1)
                })
            }
            Err(e) => {
                eprintln!("cannot read {}: {e}", log.display());
                Ok(ExitCode::from(2))
            }
        },
        Command::Serve {
            data_dir,
            database_url,
            listen,
            demo,
            demo_amendment_after,
            demo_delegates,
        } => {
            init_logging();
            tokio::runtime::Runtime::new()?.block_on(serve(
                &data_dir,
                database_url.as_deref(),
                listen,
                demo,
                demo_amendment_after.map(Duration::from_secs),
                demo_delegates,
            ))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn init_logging() {
    tracing_subscriber::fmt()
        .with_env_filter(
            // PostgreSQL's notices ("relation already exists, skipping" at every start)
            // are not news.
            EnvFilter::try_from_env("ECABINET_LOG")
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx::postgres::notice=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
}

async fn serve(
    data_dir: &Path,
    database_url: Option<&str>,
    listen: SocketAddr,
    with_demo: bool,
    demo_amendment_after: Option<Duration>,
    demo_delegates: u32,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("creating data dir {}", data_dir.display()))?;
    let storage = open_storage(data_dir, database_url).await?;
    let clock = Arc::new(SystemClock);
    let demo_password = if with_demo {
        seed_demo(storage.as_ref(), clock.as_ref(), data_dir).await?
    } else {
        None
    };
    let blobs = FsBlobStore::open(&data_dir.join("blobs"))
        .with_context(|| format!("opening the blob store in {}", data_dir.display()))?;
    let checker =
        PaperCheck::new(std::env::current_exe().context("locating the council-server binary")?);
    let state = ServerState::new(storage, clock, Arc::new(blobs), checker);
    if with_demo {
        let secretary = state
            .storage
            .account_by_username("secretary")
            .await?
            .context("the demo council has no secretary account")?;
        if demo_delegates > 0 {
            // Before the packet is published, so a fresh council's version 1 seats them
            // (and the demo's amendment stays its version 2).
            let seeded = demo_crowd::seed(
                &state,
                secretary.member.council_id,
                demo_delegates,
                demo_password.as_deref(),
            )
            .await
            .context("seeding the demo delegates")?;
            tracing::info!(
                created = seeded.created,
                published = ?seeded.published,
                "the demo session seats {demo_delegates} more delegates"
            );
            println!(
                "  {}…{} {:<14} {}…{} (--demo-delegates)",
                demo_crowd::username(1),
                demo_crowd::username(demo_delegates),
                ecabinet_domain::Role::Delegate.as_str(),
                demo_crowd::display_name(1),
                demo_crowd::display_name(demo_delegates),
            );
        }
        demo_packet::publish(&state, secretary.member.council_id)
            .await
            .context("publishing the demo packet")?;
        demo_packet::seed_drafts(&state, secretary.member.council_id)
            .await
            .context("attaching the demo's draft papers")?;
        demo_annotations::seed(&state, secretary.member.council_id)
            .await
            .context("writing the demo's marks")?;
        demo_sitting::seed(&state, secretary.member.council_id)
            .await
            .context("seeding the demo's sitting")?;
        demo_packet::seed_opinions(&state, secretary.member.council_id)
            .await
            .context("sending the demo's opinions")?;
        demo_chat::seed(&state, secretary.member.council_id)
            .await
            .context("posting the demo's chat")?;
        if let Some(after) = demo_amendment_after {
            let (state, council) = (state.clone(), secretary.member.council_id);
            tokio::spawn(async move {
                tokio::time::sleep(after).await;
                match demo_packet::publish_amendment(&state, council).await {
                    Ok(true) => tracing::info!("published the demo's amended draft resolution"),
                    Ok(false) => {}
                    Err(e) => tracing::error!("publishing the demo's amendment: {e:#}"),
                }
            });
        }
    }
    // Polls left open with a countdown when the server last stopped close on time again.
    let resumed = state
        .polls
        .resume_countdowns(&state.storage, &state.live, state.clock.now())
        .await
        .context("resuming the open polls' countdowns")?;
    if resumed > 0 {
        tracing::info!(resumed, "resumed the countdowns of open polls");
    }
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("listening on {listen}"))?;
    let addr = listener.local_addr()?;
    // Scripts and tests read this line to learn the port.
    println!("council-server listening on http://{addr}");
    // Connection info gives the login throttle each client's address.
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .context("serving")
}

/// The one place a backend is chosen; everything after sees only the trait.
async fn open_storage(
    data_dir: &Path,
    database_url: Option<&str>,
) -> anyhow::Result<Arc<dyn CouncilStorage>> {
    match database_url.filter(|url| !url.trim().is_empty()) {
        Some(url) => {
            // Says which database without the password that the URL may hold.
            let database = council_storage_postgres::describe_url(url)?;
            let storage = PostgresCouncilStorage::connect(url).await?;
            tracing::info!("storage: {database}");
            Ok(Arc::new(storage))
        }
        None => {
            let path = data_dir.join("council.db");
            let storage = SqliteCouncilStorage::open(&path).await?;
            tracing::info!("storage: SQLite database {}", path.display());
            Ok(Arc::new(storage))
        }
    }
}

/// Seeds the demo council into an empty store and prints its accounts; returns the demo
/// password when this data dir recorded it.
///
/// The password is `ECABINET_DEMO_PASSWORD` if set, else a random one made at the first
/// seed. It is kept in the data dir (readable by its owner only) so later starts can print
/// it again: it is a demo, and a demo someone cannot log into is useless.
async fn seed_demo(
    storage: &dyn CouncilStorage,
    clock: &dyn Clock,
    data_dir: &Path,
) -> anyhow::Result<Option<String>> {
    let password_file = data_dir.join(DEMO_CREDENTIALS_FILE);
    if storage.is_empty().await? {
        let password = std::env::var("ECABINET_DEMO_PASSWORD")
            .ok()
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| demo::random_password(&mut rand::rng()));
        let seed = demo::council_seed(clock.now(), &password, &mut rand::rng())?;
        storage
            .seed_council(seed)
            .await
            .context("seeding the demo council")?;
        write_private(&password_file, &password)?;
        tracing::info!("seeded the demo council");
    }
    let password = std::fs::read_to_string(&password_file)
        .map(|p| p.trim().to_owned())
        .ok();
    println!(
        "Demo accounts (password for all: {}):",
        password
            .as_deref()
            .unwrap_or("(set when this data dir was first seeded; not recorded)")
    );
    for m in demo::members() {
        println!(
            "  {:<11} {:<14} {}",
            m.username,
            m.role.as_str(),
            m.display_name
        );
    }
    Ok(password)
}

fn write_private(path: &Path, contents: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("writing {}", path.display()))?;
    file.write_all(contents.as_bytes())?;
    Ok(())
}
