//! `make bench-meeting`: the live sitting of issue 15 under load, on loopback with release
//! builds, beside Mosquitto doing the same fan-out.
//!
//! The chair and N delegates (`delegate0001`…, seeded by `serve --demo --demo-delegates N`)
//! log in; each delegate holds a real WebSocket on `/api/v1/live`. Then:
//!
//! 1. Check-in: every delegate checks in through `POST …/sitting` (at most
//!    `--checkin-concurrency` requests in flight, as devices in a chamber arrive in waves);
//!    a delegate's latency runs from sending its POST to its own socket hearing its check-in.
//! 2. Page follow: once every socket has heard every check-in, the chair opens the sitting
//!    and presents the longest paper every participant reads, one page after another
//!    (0, 1, 2, … wrapping), `--spacing-ms` apart after a few warm-up turns; a turn's latency
//!    to a delegate runs from sending the chair's POST to that delegate's socket hearing it.
//!    A turn is missed when some delegate did not hear it within 5 s, or heard it after a
//!    later event of the sitting.
//! 3. With `--mosquitto`: Debian's `mosquitto` on a free loopback port, N MQTT subscribers
//!    on one topic, one publisher sending the same turns (the same JSON the server sends)
//!    with the same spacing, measured the same way: an `Instant` before the send, an
//!    `Instant` when the receiving task gets the frame, in this one process.
//!
//! Prints the figures and, with `--json OUT`, writes `{delegates, checkin_p99_ms,
//! page_follow_p99_ms, missed, server_rss_mb, …}`. Exits non-zero when the server missed a
//! turn or a delegate never heard their check-in. Without `--server` it starts a release
//! `council-server` on a temp data dir itself, with the delegates it needs.

use anyhow::{Context, bail};
use clap::Parser;
use ecabinet_domain::sitting::{SittingAction, SittingEvent, SittingStatus};
use ecabinet_domain::{MeetingId, MemberId, PacketVersion, PaperId, Timestamp, Visibility};
use ecabinet_protocol::{
    ChangesPage, LiveEvent, LoginResponse, SittingRequest, SittingSnapshot, SyncRecord,
};
use ecabinet_stories::{Backend, CouncilServer, DEMO_PASSWORD, SESSION_TITLE, free_port};
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::json;
use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use uuid::Uuid;

/// A turn heard later than this, or never, is missed.
const DEADLINE: Duration = Duration::from_secs(5);
/// Sockets (and MQTT subscribers) connecting at once.
const CONNECTS_IN_FLIGHT: usize = 128;
/// Logins at once: each costs the server an argon2 verification on one of its cores.
const LOGINS_IN_FLIGHT: usize = 8;
/// A live socket's read buffer: frames are a few hundred bytes.
const READ_BUFFER: usize = 8 * 1024;

#[derive(Parser)]
#[command(
    name = "meeting-load",
    about = "N delegates follow the chair's page turns over live WebSockets (and over Mosquitto)"
)]
struct Args {
    /// A running council server seeded with `serve --demo --demo-delegates N` (N at least
    /// --delegates); without it a release server is started on a temp data dir.
    #[arg(long)]
    server: Option<String>,
    /// The process id of the server given with --server, for its memory (found by its
    /// listening port when not given).
    #[arg(long, requires = "server")]
    server_pid: Option<u32>,
    #[arg(long, default_value_t = 2000)]
    delegates: u32,
    #[arg(long, default_value_t = 50)]
    page_turns: u32,
    /// Between the starts of two page turns.
    #[arg(long, default_value_t = 200)]
    spacing_ms: u64,
    /// Turns made and not measured first, so both fan-outs are measured warm.
    #[arg(long, default_value_t = 3)]
    warmup_turns: u32,
    /// Check-in requests in flight at once.
    #[arg(long, default_value_t = 64)]
    checkin_concurrency: usize,
    /// Also run the same fan-out through Debian's mosquitto, after the server's.
    #[arg(long)]
    mosquitto: bool,
    /// Where to write the figures as JSON.
    #[arg(long)]
    json: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> anyhow::Result<std::process::ExitCode> {
    let args = Args::parse();
    anyhow::ensure!(args.delegates > 0, "--delegates must be at least 1");
    anyhow::ensure!(args.page_turns > 0, "--page-turns must be at least 1");
    let files = raise_open_file_limit();
    let needed = 2 * u64::from(args.delegates) + 256;
    if files < needed {
        eprintln!(
            "meeting-load: only {files} open files allowed (ulimit -n); {needed} wanted for {} sockets",
            args.delegates
        );
    }

    let data = tempfile::tempdir()?;
    let (started, base, pid) = match &args.server {
        Some(url) => {
            let url = url.trim_end_matches('/').to_owned();
            let pid = match args.server_pid {
                Some(pid) => Some(pid),
                None => server_pid_by_port(&url),
            };
            (None, url, pid)
        }
        None => {
            let crowd = args.delegates.to_string();
            let server = CouncilServer::start_with_args(
                Backend::Sqlite,
                data.path(),
                0,
                &["--demo-delegates", &crowd],
            );
            let (url, pid) = (server.url(), server.pid());
            (Some(server), url, pid)
        }
    };
    println!(
        "meeting-load: {} delegates, {} page turns {} ms apart after {} warm-up turns, council server at {base}{}",
        args.delegates,
        args.page_turns,
        args.spacing_ms,
        args.warmup_turns,
        if started.is_some() {
            " (started here on a temp data dir, SQLite)"
        } else {
            ""
        }
    );

    // Other work on the machine shares its cores with both sides of the loopback.
    println!("  load average before: {}", load_average());
    let server = server_run(&args, &base, pid).await?;
    let rss = server.memory;
    server.print("council server", rss);
    let mosquitto = if args.mosquitto {
        let run = mosquitto_run(&args, &server.session).await?;
        run.fanout.print(&run.name, Some(run.memory));
        Some(run)
    } else {
        None
    };

    println!("  load average after: {}", load_average());
    let checkin_p99 = ms(percentile(&server.check_ins, 0.99));
    let follow_p99 = ms(percentile(&server.page_follow.samples, 0.99));
    let rss_mb = rss.map(|m| m.rss);
    println!(
        "meeting-load: delegates={} checkin_p99_ms={} page_follow_p99_ms={} missed={} server_rss_mb={}{}",
        args.delegates,
        show(checkin_p99),
        show(follow_p99),
        server.page_follow.missed,
        show(rss_mb),
        mosquitto.as_ref().map_or(String::new(), |m| format!(
            " | mosquitto page_follow_p99_ms={} missed={}",
            show(ms(percentile(&m.fanout.samples, 0.99))),
            m.fanout.missed
        )),
    );
    if let Some(path) = &args.json {
        let figures = json!({
            "delegates": args.delegates,
            "checkin_p99_ms": checkin_p99,
            "page_follow_p99_ms": follow_p99,
            "missed": server.page_follow.missed,
            "server_rss_mb": rss_mb,
            "server_peak_rss_mb": rss.map(|m| m.peak),
            "checkin_p50_ms": ms(percentile(&server.check_ins, 0.5)),
            "checkins_unheard": server.unheard_check_ins,
            "checkin_concurrency": args.checkin_concurrency,
            "page_follow_p50_ms": ms(percentile(&server.page_follow.samples, 0.5)),
            "page_follow_max_ms": ms(percentile(&server.page_follow.samples, 1.0)),
            "page_turns": args.page_turns,
            "spacing_ms": args.spacing_ms,
            "mosquitto": mosquitto.as_ref().map(|m| json!({
                "version": m.name,
                "page_follow_p50_ms": ms(percentile(&m.fanout.samples, 0.5)),
                "page_follow_p99_ms": ms(percentile(&m.fanout.samples, 0.99)),
                "page_follow_max_ms": ms(percentile(&m.fanout.samples, 1.0)),
                "missed": m.fanout.missed,
                "rss_mb": m.memory.rss,
            })),
        });
        std::fs::write(path, serde_json::to_string_pretty(&figures)? + "\n")
            .with_context(|| format!("writing {}", path.display()))?;
    }
    drop(started);
    let failed = server.page_follow.missed > 0 || server.unheard_check_ins > 0;
    Ok(if failed {
        std::process::ExitCode::FAILURE
    } else {
        std::process::ExitCode::SUCCESS
    })
}

// --- The council server's run ------------------------------------------------------------

/// The demo session as the chair found it: what the turns present.
struct Session {
    meeting: MeetingId,
    chair: MemberId,
    paper: PaperId,
    pages: u32,
}

struct ServerRun {
    session: Session,
    /// The server's memory with every socket still open.
    memory: Option<Memory>,
    check_ins: Vec<Duration>,
    unheard_check_ins: usize,
    page_follow: Fanout,
}

impl ServerRun {
    fn print(&self, name: &str, memory: Option<Memory>) {
        println!(
            "{name:<18} check-in     {}  heard {} of {}",
            summary(&self.check_ins),
            self.check_ins.len(),
            self.check_ins.len() + self.unheard_check_ins
        );
        self.page_follow.print(name, memory);
    }
}

async fn server_run(args: &Args, base: &str, pid: Option<u32>) -> anyhow::Result<ServerRun> {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.checkin_concurrency.max(LOGINS_IN_FLIGHT))
        .build()?;
    let began = Instant::now();
    let chair = Api::login(reqwest::Client::new(), base, "chair").await?;
    let session = find_session(&chair).await?;
    let names: Vec<String> = (1..=args.delegates)
        .map(|n| format!("delegate{n:04}"))
        .collect();
    let delegates = login_all(&http, base, &names).await?;
    println!(
        "  logged in the chair and {} delegates in {:.1?}; server {}",
        delegates.len(),
        began.elapsed(),
        memory_now(pid)
    );

    let first: SittingSnapshot = delegates[0].get(&sitting_path(session.meeting)).await?;
    if first.sitting.status == SittingStatus::Closed {
        bail!("the demo session's sitting is closed: run against a fresh server");
    }
    let voters = first.voters.len();

    let began = Instant::now();
    let progress = Arc::new(Progress::default());
    let (stop, stopped) = watch::channel(false);
    let ears = open_sockets(base, &delegates, &progress, &stopped).await?;
    println!(
        "  opened {} live sockets in {:.1?}; server {}",
        ears.len(),
        began.elapsed(),
        memory_now(pid)
    );

    // Check-in: a burst of POSTs, a bounded number at once.
    let began = Instant::now();
    let cpu = CpuClock::read(pid);
    let gate = Arc::new(Semaphore::new(args.checkin_concurrency.max(1)));
    let mut posts = JoinSet::new();
    for (delegate, ear) in delegates.iter().zip(&ears) {
        let (delegate, ear, gate) = (delegate.clone(), Arc::clone(ear), Arc::clone(&gate));
        let path = sitting_path(session.meeting);
        posts.spawn(async move {
            let _permit = gate.acquire_owned().await?;
            let sent = Instant::now();
            ear.heard.lock().unwrap().check_in_sent = Some(sent);
            let _: SittingEvent = delegate
                .post(&path, SittingAction::CheckIn { remote: false })
                .await?;
            anyhow::Ok(())
        });
    }
    while let Some(done) = posts.join_next().await {
        done??;
    }
    let all = ears.len();
    wait_for(Duration::from_secs(60), || {
        progress.check_ins.load(Ordering::Relaxed) >= all
    })
    .await;
    let mut check_ins = Vec::new();
    for ear in &ears {
        let heard = ear.heard.lock().unwrap();
        if let (Some(sent), Some(heard)) = (heard.check_in_sent, heard.own_check_in) {
            check_ins.push(heard - sent);
        }
    }
    let unheard_check_ins = ears.len() - check_ins.len();
    // The turns are measured on a quiet server: every socket has heard every check-in.
    let sitting: SittingSnapshot = chair.get(&sitting_path(session.meeting)).await?;
    let last = sitting.sitting.seq;
    wait_for(Duration::from_secs(60), || {
        ears.iter()
            .all(|e| e.heard.lock().unwrap().last_seq >= last)
    })
    .await;
    println!(
        "  {} delegates checked in, every socket heard every check-in {:.1?} after the first POST ({}); quorum {} of {} voters",
        check_ins.len(),
        began.elapsed(),
        CpuClock::read(pid).since(cpu),
        sitting.sitting.quorum(&sitting.voters).present,
        voters
    );
    tokio::time::sleep(Duration::from_secs(1)).await;

    match sitting.sitting.status {
        SittingStatus::NotOpened => {
            let _: SittingEvent = chair
                .post(&sitting_path(session.meeting), SittingAction::Open)
                .await?;
        }
        SittingStatus::Paused => {
            let _: SittingEvent = chair
                .post(&sitting_path(session.meeting), SittingAction::Resume)
                .await?;
        }
        SittingStatus::Open | SittingStatus::Closed => {}
    }

    let path = sitting_path(session.meeting);
    let began = Instant::now();
    let cpu = CpuClock::read(pid);
    let turns = page_turns(args, &session, &progress, ears.len(), |page| {
        let (chair, path) = (&chair, &path);
        let action = SittingAction::Present {
            paper_id: session.paper,
            page,
        };
        async move {
            let sent = Instant::now();
            let event: SittingEvent = chair.post(path, action).await?;
            Ok((event.seq, sent))
        }
    })
    .await?;
    println!(
        "  {} page turns in {:.1?} ({})",
        args.warmup_turns + args.page_turns,
        began.elapsed(),
        CpuClock::read(pid).since(cpu)
    );
    let page_follow = Fanout::measure(&turns, &ears);
    let memory = pid.and_then(|pid| memory_mb(pid).ok());
    let _ = stop.send(true);
    Ok(ServerRun {
        session,
        memory,
        check_ins,
        unheard_check_ins,
        page_follow,
    })
}

/// The demo session, its published version and the longest paper every participant reads.
async fn find_session(chair: &Api) -> anyhow::Result<Session> {
    let mut meeting = None;
    let mut versions: Vec<PacketVersion> = Vec::new();
    let mut after = 0;
    loop {
        let page: ChangesPage = chair
            .get(&format!("/api/v1/sync/changes?after={after}"))
            .await?;
        for change in page.changes {
            match change.record {
                SyncRecord::Meeting(m) if m.title == SESSION_TITLE => meeting = Some(m.id),
                SyncRecord::PacketVersion(v) => versions.push(v),
                _ => {}
            }
        }
        after = page.next_cursor;
        if !page.has_more {
            break;
        }
    }
    let meeting = meeting.with_context(|| format!("no meeting titled {SESSION_TITLE:?}"))?;
    let version = versions
        .into_iter()
        .filter(|v| v.meeting_id == meeting)
        .max_by_key(|v| v.number)
        .context("the demo session has no published packet")?;
    let (paper, pages) = version
        .entries
        .iter()
        .filter(|e| e.visibility == Visibility::AllParticipants)
        .filter_map(|e| Some((e.paper_id, e.file.as_ref()?.pages)))
        .max_by_key(|(_, pages)| *pages)
        .context("the demo session has no paper every participant reads")?;
    Ok(Session {
        meeting,
        chair: chair.member,
        paper,
        pages,
    })
}

fn sitting_path(meeting: MeetingId) -> String {
    format!("/api/v1/meetings/{meeting}/sitting")
}

/// A logged-in member.
#[derive(Clone)]
struct Api {
    http: reqwest::Client,
    base: String,
    token: String,
    member: MemberId,
}

impl Api {
    async fn login(http: reqwest::Client, base: &str, username: &str) -> anyhow::Result<Api> {
        let response = http
            .post(format!("{base}/api/v1/auth/login"))
            .json(&json!({"username": username, "password": DEMO_PASSWORD}))
            .send()
            .await?;
        let status = response.status();
        if !status.is_success() {
            bail!(
                "logging in {username}: {status} {} (was the server started with --demo --demo-delegates N, N at least --delegates, and ECABINET_DEMO_PASSWORD as the stories use?)",
                response.text().await.unwrap_or_default()
            );
        }
        let login: LoginResponse = response.json().await?;
        Ok(Api {
            http,
            base: base.to_owned(),
            token: login.token,
            member: login.member.id,
        })
    }

    async fn get<T: serde::de::DeserializeOwned>(&self, path: &str) -> anyhow::Result<T> {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await?;
        let status = response.status();
        anyhow::ensure!(
            status.is_success(),
            "GET {path}: {status} {}",
            response.text().await.unwrap_or_default()
        );
        Ok(response.json().await?)
    }

    /// An action in the sitting, under a fresh action id; the event it was recorded as.
    async fn post<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        action: SittingAction,
    ) -> anyhow::Result<T> {
        let request = SittingRequest {
            action_id: Uuid::new_v4(),
            action,
        };
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(&request)
            .send()
            .await?;
        let status = response.status();
        anyhow::ensure!(
            status.is_success(),
            "POST {path} {:?}: {status} {}",
            request.action,
            response.text().await.unwrap_or_default()
        );
        Ok(response.json().await?)
    }
}

async fn login_all(
    http: &reqwest::Client,
    base: &str,
    names: &[String],
) -> anyhow::Result<Vec<Api>> {
    let gate = Arc::new(Semaphore::new(LOGINS_IN_FLIGHT));
    let mut logins = JoinSet::new();
    for (index, name) in names.iter().enumerate() {
        let (http, base, name, gate) = (
            http.clone(),
            base.to_owned(),
            name.clone(),
            Arc::clone(&gate),
        );
        logins.spawn(async move {
            let _permit = gate.acquire_owned().await?;
            Ok::<_, anyhow::Error>((index, Api::login(http, &base, &name).await?))
        });
    }
    let mut apis: Vec<Option<Api>> = vec![None; names.len()];
    while let Some(done) = logins.join_next().await {
        let (index, api) = done??;
        apis[index] = Some(api);
    }
    Ok(apis.into_iter().flatten().collect())
}

/// Opens every delegate's live socket (a bounded number connecting at once) and returns
/// once each has said hello.
async fn open_sockets(
    base: &str,
    delegates: &[Api],
    progress: &Arc<Progress>,
    stopped: &watch::Receiver<bool>,
) -> anyhow::Result<Vec<Arc<Ear>>> {
    let live = format!("{}/api/v1/live", base.replacen("http", "ws", 1));
    let gate = Arc::new(Semaphore::new(CONNECTS_IN_FLIGHT));
    let mut ears = Vec::new();
    let mut hellos = JoinSet::new();
    for delegate in delegates {
        let ear = Arc::new(Ear::new(Some(delegate.member.to_string())));
        ears.push(Arc::clone(&ear));
        let (live, token, gate) = (live.clone(), delegate.token.clone(), Arc::clone(&gate));
        let (progress, mut stopped) = (Arc::clone(progress), stopped.clone());
        let (said_hello, hello) = tokio::sync::oneshot::channel();
        hellos.spawn(hello);
        tokio::spawn(async move {
            let permit = gate.acquire_owned().await;
            let socket = async {
                use tokio_tungstenite::tungstenite::client::IntoClientRequest;
                let mut request = live.into_client_request()?;
                request
                    .headers_mut()
                    .insert("authorization", format!("Bearer {token}").parse()?);
                // tungstenite zero-fills its whole read buffer (128 KiB by default) before
                // every read: with 2,000 sockets on the same two cores as the server, that
                // memset would be most of this process's work and starve the server.
                let config = WebSocketConfig::default().read_buffer_size(READ_BUFFER);
                let (mut socket, _) =
                    tokio_tungstenite::connect_async_with_config(request, Some(config), false)
                        .await?;
                // The hello: the server has subscribed this socket to the sitting's events.
                match socket.next().await {
                    Some(Ok(_)) => anyhow::Ok(socket),
                    other => bail!("no hello on the live socket: {other:?}"),
                }
            }
            .await;
            drop(permit);
            let mut socket = match socket {
                Ok(socket) => {
                    let _ = said_hello.send(Ok(()));
                    socket
                }
                Err(e) => {
                    let _ = said_hello.send(Err(e));
                    return;
                }
            };
            use tokio_tungstenite::tungstenite::Message;
            loop {
                tokio::select! {
                    message = socket.next() => {
                        let now = Instant::now();
                        match message {
                            Some(Ok(Message::Text(text))) => ear.hear(text.as_str(), now, &progress),
                            Some(Ok(Message::Close(frame))) => {
                                ear.heard.lock().unwrap().lost = Some(format!("closed: {frame:?}"));
                                return;
                            }
                            Some(Ok(_)) => {}
                            Some(Err(e)) => {
                                ear.heard.lock().unwrap().lost = Some(e.to_string());
                                return;
                            }
                            None => {
                                ear.heard.lock().unwrap().lost = Some("ended".into());
                                return;
                            }
                        }
                    }
                    _ = stopped.changed() => {
                        let _ = socket.close(None).await;
                        return;
                    }
                }
            }
        });
    }
    while let Some(hello) = hellos.join_next().await {
        hello?.context("a live socket task ended before connecting")??;
    }
    Ok(ears)
}

// --- What the sockets heard, and the figures made of it ----------------------------------

#[derive(Default)]
struct Progress {
    /// Delegates who heard their own check-in.
    check_ins: AtomicUsize,
    /// Page turns heard, all sockets together.
    turns: AtomicUsize,
}

/// What one socket (a delegate's device, or an MQTT subscriber) heard, and when.
struct Ear {
    /// The delegate's member id as the server writes it (`None` for a subscriber).
    me: Option<String>,
    heard: Mutex<Heard>,
}

#[derive(Default)]
struct Heard {
    check_in_sent: Option<Instant>,
    own_check_in: Option<Instant>,
    /// Page turns by event number, in the order heard.
    turns: Vec<(u64, Instant)>,
    /// Event numbers heard after a higher one.
    out_of_order: Vec<u64>,
    last_seq: u64,
    /// `sittings_stale`: the server skipped events for this socket.
    stale: u32,
    /// Why the socket ended early, if it did.
    lost: Option<String>,
}

/// As much of a live event as the figures need, read without copying.
#[derive(Deserialize)]
struct Frame<'a> {
    #[serde(rename = "type", borrow)]
    kind: Cow<'a, str>,
    #[serde(default, borrow)]
    event: Option<EventHead<'a>>,
}

#[derive(Deserialize)]
struct EventHead<'a> {
    seq: u64,
    #[serde(borrow)]
    actor: Cow<'a, str>,
    #[serde(borrow)]
    action: Cow<'a, str>,
}

impl Ear {
    fn new(me: Option<String>) -> Ear {
        Ear {
            me,
            heard: Mutex::default(),
        }
    }

    /// Notes a frame heard at `now` (taken as the frame came off the socket).
    fn hear(&self, text: &str, now: Instant, progress: &Progress) {
        let Ok(frame) = serde_json::from_str::<Frame>(text) else {
            return;
        };
        let mut heard = self.heard.lock().unwrap();
        match (frame.kind.as_ref(), frame.event) {
            ("sitting", Some(event)) => {
                if event.seq <= heard.last_seq {
                    heard.out_of_order.push(event.seq);
                } else {
                    heard.last_seq = event.seq;
                }
                match event.action.as_ref() {
                    "present" => {
                        heard.turns.push((event.seq, now));
                        progress.turns.fetch_add(1, Ordering::Relaxed);
                    }
                    "check_in"
                        if heard.own_check_in.is_none()
                            && self.me.as_deref() == Some(event.actor.as_ref()) =>
                    {
                        heard.own_check_in = Some(now);
                        progress.check_ins.fetch_add(1, Ordering::Relaxed);
                    }
                    _ => {}
                }
            }
            ("sittings_stale", _) => heard.stale += 1,
            _ => {}
        }
    }
}

/// Makes the warm-up and measured turns, `spacing` apart; returns the measured ones (their
/// event numbers and when each was sent) once every ear heard every turn or the deadline
/// after the last passed.
async fn page_turns<F, Fut>(
    args: &Args,
    session: &Session,
    progress: &Progress,
    ears: usize,
    mut turn: F,
) -> anyhow::Result<Vec<(u64, Instant)>>
where
    F: FnMut(u32) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<(u64, Instant)>>,
{
    let mut ticks = tokio::time::interval(Duration::from_millis(args.spacing_ms));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let start = progress.turns.load(Ordering::Relaxed);
    let total = args.warmup_turns + args.page_turns;
    let mut measured = Vec::new();
    for n in 0..total {
        ticks.tick().await;
        let sent = turn(n % session.pages).await?;
        if n >= args.warmup_turns {
            measured.push(sent);
        }
    }
    let expected = start + ears * total as usize;
    wait_for(DEADLINE, || {
        progress.turns.load(Ordering::Relaxed) >= expected
    })
    .await;
    Ok(measured)
}

/// Latencies of every (turn, ear) heard, and the turns some ear missed.
struct Fanout {
    samples: Vec<Duration>,
    missed: usize,
    turns: usize,
    /// Deliveries that never came, came late or out of order.
    bad_deliveries: usize,
    stale: u32,
    lost_sockets: usize,
}

impl Fanout {
    fn measure(turns: &[(u64, Instant)], ears: &[Arc<Ear>]) -> Fanout {
        let mut fanout = Fanout {
            samples: Vec::with_capacity(turns.len() * ears.len()),
            missed: 0,
            turns: turns.len(),
            bad_deliveries: 0,
            stale: 0,
            lost_sockets: 0,
        };
        let heard: Vec<_> = ears
            .iter()
            .map(|ear| {
                let heard = ear.heard.lock().unwrap();
                fanout.stale += heard.stale;
                fanout.lost_sockets += usize::from(heard.lost.is_some());
                let at: std::collections::HashMap<u64, Instant> =
                    heard.turns.iter().copied().collect();
                (at, heard.out_of_order.clone())
            })
            .collect();
        for (seq, sent) in turns {
            let mut missed = false;
            for (at, out_of_order) in &heard {
                match at.get(seq) {
                    Some(when) => {
                        let latency = when.saturating_duration_since(*sent);
                        fanout.samples.push(latency);
                        if latency > DEADLINE || out_of_order.contains(seq) {
                            missed = true;
                            fanout.bad_deliveries += 1;
                        }
                    }
                    None => {
                        missed = true;
                        fanout.bad_deliveries += 1;
                    }
                }
            }
            fanout.missed += usize::from(missed);
        }
        fanout
    }

    fn print(&self, name: &str, memory: Option<Memory>) {
        let memory = memory.map_or("RSS unknown".into(), |m| {
            format!("RSS {:.1} MB (peak {:.1} MB)", m.rss, m.peak)
        });
        println!(
            "{name:<18} page follow  {}  missed {} of {} turns ({} bad deliveries, {} stale, {} sockets lost)  {memory}",
            summary(&self.samples),
            self.missed,
            self.turns,
            self.bad_deliveries,
            self.stale,
            self.lost_sockets,
        );
    }
}

async fn wait_for(limit: Duration, mut done: impl FnMut() -> bool) {
    let until = Instant::now() + limit;
    while !done() && Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn percentile(samples: &[Duration], p: f64) -> Option<Duration> {
    if samples.is_empty() {
        return None;
    }
    let mut sorted = samples.to_vec();
    sorted.sort();
    Some(sorted[((sorted.len() - 1) as f64 * p).round() as usize])
}

fn ms(d: Option<Duration>) -> Option<f64> {
    d.map(|d| (d.as_secs_f64() * 1e4).round() / 10.0)
}

fn show(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| format!("{v}"))
}

fn summary(samples: &[Duration]) -> String {
    let at = |p| show(ms(percentile(samples, p)));
    format!(
        "n={:<6} p50={:>7} ms p99={:>7} ms max={:>7} ms",
        samples.len(),
        at(0.5),
        at(0.99),
        at(1.0)
    )
}

// --- Mosquitto ----------------------------------------------------------------------------

struct MosquittoRun {
    name: String,
    fanout: Fanout,
    memory: Memory,
}

/// The topic the page turns go out on.
const TOPIC: &str = "ecabinet/sitting";

async fn mosquitto_run(args: &Args, session: &Session) -> anyhow::Result<MosquittoRun> {
    use rumqttc::{AsyncClient, Event, MqttOptions, Packet, QoS};
    let program = ["/usr/sbin/mosquitto", "mosquitto"]
        .into_iter()
        .find(|p| std::process::Command::new(p).arg("-h").output().is_ok())
        .context("mosquitto is not installed: scripts/setup.sh bench installs it")?;
    let help = std::process::Command::new(program).arg("-h").output()?;
    let name = String::from_utf8_lossy(&help.stdout)
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("mosquitto version "))
        .map_or("mosquitto".into(), |v| format!("mosquitto {}", v.trim()));

    let dir = tempfile::tempdir()?;
    let port = free_port();
    let config = dir.path().join("mosquitto.conf");
    std::fs::write(
        &config,
        format!(
            "listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stderr\nlog_type error\nlog_type warning\n"
        ),
    )?;
    let broker = Broker(
        std::process::Command::new(program)
            .arg("-c")
            .arg(&config)
            .stdout(std::process::Stdio::null())
            .spawn()
            .context("starting mosquitto")?,
    );
    let began = Instant::now();
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        anyhow::ensure!(
            began.elapsed() < Duration::from_secs(10),
            "mosquitto did not listen on port {port} in 10 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let options = |id: &str| {
        let mut options = MqttOptions::new(id, "127.0.0.1", port);
        options.set_keep_alive(Duration::from_secs(30));
        options
    };
    let progress = Arc::new(Progress::default());
    let (stop, stopped) = watch::channel(false);
    let gate = Arc::new(Semaphore::new(CONNECTS_IN_FLIGHT));
    let mut ears = Vec::new();
    let mut subscribed = JoinSet::new();
    for n in 1..=args.delegates {
        let ear = Arc::new(Ear::new(None));
        ears.push(Arc::clone(&ear));
        let (client, mut events) = AsyncClient::new(options(&format!("delegate{n:04}")), 16);
        let (progress, mut stopped, gate) =
            (Arc::clone(&progress), stopped.clone(), Arc::clone(&gate));
        let (ready, is_ready) = tokio::sync::oneshot::channel::<anyhow::Result<()>>();
        subscribed.spawn(is_ready);
        tokio::spawn(async move {
            let mut permit = Some(gate.acquire_owned().await);
            let mut ready = Some(ready);
            if let Err(e) = client.subscribe(TOPIC, QoS::AtMostOnce).await {
                let _ = ready.take().map(|r| r.send(Err(e.into())));
                return;
            }
            loop {
                tokio::select! {
                    event = events.poll() => {
                        let now = Instant::now();
                        match event {
                            Ok(Event::Incoming(Packet::Publish(publish))) => {
                                if let Ok(text) = std::str::from_utf8(&publish.payload) {
                                    ear.hear(text, now, &progress);
                                }
                            }
                            Ok(Event::Incoming(Packet::SubAck(_))) => {
                                permit.take();
                                let _ = ready.take().map(|r| r.send(Ok(())));
                            }
                            Ok(_) => {}
                            Err(e) => {
                                ear.heard.lock().unwrap().lost = Some(e.to_string());
                                let _ = ready.take().map(|r| r.send(Err(e.into())));
                                return;
                            }
                        }
                    }
                    _ = stopped.changed() => {
                        let _ = client.disconnect().await;
                        return;
                    }
                }
            }
        });
    }
    while let Some(ready) = subscribed.join_next().await {
        ready?
            .context("a subscriber ended before subscribing")?
            .context("subscribing to mosquitto")?;
    }
    println!(
        "  {} MQTT subscribers connected and subscribed in {:.1?}",
        ears.len(),
        began.elapsed()
    );
    tokio::time::sleep(Duration::from_secs(1)).await;

    let (publisher, mut publishing) = AsyncClient::new(options("chair"), 16);
    let (publisher_up, up) = tokio::sync::oneshot::channel();
    let mut publisher_up = Some(publisher_up);
    let mut publisher_stopped = stopped.clone();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                event = publishing.poll() => match event {
                    Ok(Event::Incoming(Packet::ConnAck(_))) => {
                        let _ = publisher_up.take().map(|u| u.send(()));
                    }
                    Ok(_) => {}
                    Err(e) => {
                        eprintln!("meeting-load: the MQTT publisher failed: {e}");
                        return;
                    }
                },
                _ = publisher_stopped.changed() => return,
            }
        }
    });
    up.await.context("the MQTT publisher did not connect")?;

    let mut seq = 0;
    let turns = page_turns(args, session, &progress, ears.len(), |page| {
        seq += 1;
        // The very frame the council server sends for a page turn.
        let frame = serde_json::to_string(&LiveEvent::Sitting {
            meeting_id: session.meeting,
            event: SittingEvent {
                seq,
                at: Timestamp(0),
                actor: session.chair,
                action: SittingAction::Present {
                    paper_id: session.paper,
                    page,
                },
            },
        });
        let publisher = &publisher;
        let seq = seq;
        async move {
            let frame = frame?;
            let sent = Instant::now();
            publisher
                .publish(TOPIC, QoS::AtMostOnce, false, frame)
                .await?;
            Ok((seq, sent))
        }
    })
    .await?;
    let fanout = Fanout::measure(&turns, &ears);
    let memory = memory_mb(broker.0.id())?;
    let _ = stop.send(true);
    drop(publisher);
    tokio::time::sleep(Duration::from_millis(200)).await;
    drop(broker);
    Ok(MosquittoRun {
        name,
        fanout,
        memory,
    })
}

/// The broker this run started; stopped when dropped.
struct Broker(std::process::Child);

impl Drop for Broker {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

// --- The process side: open files, memory, who listens on a port -------------------------

/// Raises the soft limit of open files to the hard one; returns the limit now in force.
fn raise_open_file_limit() -> u64 {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    // No hard limit: the kernel still caps files at fs.nr_open (a million by default).
    let wanted = limit.maximum.unwrap_or(1 << 20);
    if limit.current.is_some_and(|c| c < wanted) {
        let raised = Rlimit {
            current: Some(wanted),
            maximum: limit.maximum,
        };
        if setrlimit(Resource::Nofile, raised).is_ok() {
            return wanted;
        }
    }
    limit.current.unwrap_or(u64::MAX)
}

/// CPU time used so far by the server (when it can be read) and by this process, to tell
/// which side of the loopback a phase's time went to.
#[derive(Debug, Clone, Copy)]
struct CpuClock {
    server: Option<f64>,
    own: Option<f64>,
}

impl CpuClock {
    fn read(server: Option<u32>) -> CpuClock {
        CpuClock {
            server: server.and_then(|pid| cpu_seconds(&pid.to_string())),
            own: cpu_seconds("self"),
        }
    }

    fn since(self, earlier: CpuClock) -> String {
        let used = |now: Option<f64>, then: Option<f64>| match (now, then) {
            (Some(now), Some(then)) => format!("{:.1} s", now - then),
            _ => "unknown".into(),
        };
        format!(
            "CPU: server {}, meeting-load {}",
            used(self.server, earlier.server),
            used(self.own, earlier.own)
        )
    }
}

/// User and system CPU seconds of a process (`self` or a pid), from /proc/<pid>/stat.
fn cpu_seconds(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces): state is the 3rd field of the
    // line, utime the 14th and stime the 15th.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / rustix::param::clock_ticks_per_second() as f64)
}

/// The 1, 5 and 15 minute load averages of the machine.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg").map_or("unknown".into(), |l| {
        l.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    })
}

/// The server's memory for a progress line.
fn memory_now(pid: Option<u32>) -> String {
    match pid.map(memory_mb) {
        Some(Ok(m)) => format!("RSS {:.1} MB (peak {:.1} MB)", m.rss, m.peak),
        _ => "RSS unknown".into(),
    }
}

#[derive(Debug, Clone, Copy)]
struct Memory {
    rss: f64,
    peak: f64,
}

/// A process's resident memory now and at its peak, in MB, from /proc/<pid>/status.
fn memory_mb(pid: u32) -> anyhow::Result<Memory> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .with_context(|| format!("reading the memory of process {pid}"))?;
    let field = |name: &str| -> anyhow::Result<f64> {
        let kb: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .with_context(|| format!("no {name} for process {pid}"))?;
        Ok((kb / 1024.0 * 10.0).round() / 10.0)
    };
    Ok(Memory {
        rss: field("VmRSS:")?,
        peak: field("VmHWM:")?,
    })
}

/// The process listening on the URL's port on this machine, if it can be seen: the listening
/// socket's inode from /proc/net/tcp, then the process holding it.
fn server_pid_by_port(url: &str) -> Option<u32> {
    let port = reqwest::Url::parse(url).ok()?.port_or_known_default()?;
    let inode = ["/proc/net/tcp", "/proc/net/tcp6"]
        .iter()
        .find_map(|table| {
            let table = std::fs::read_to_string(table).ok()?;
            table.lines().skip(1).find_map(|line| {
                let fields: Vec<&str> = line.split_whitespace().collect();
                let local_port = fields.get(1)?.rsplit(':').next()?;
                let listening = *fields.get(3)? == "0A";
                (listening && u16::from_str_radix(local_port, 16).ok()? == port)
                    .then(|| fields.get(9).map(|i| i.to_string()))
                    .flatten()
            })
        })?;
    let socket = PathBuf::from(format!("socket:[{inode}]"));
    std::fs::read_dir("/proc").ok()?.find_map(|entry| {
        let pid: u32 = entry.ok()?.file_name().to_str()?.parse().ok()?;
        let fds = std::fs::read_dir(format!("/proc/{pid}/fd")).ok()?;
        fds.filter_map(Result::ok)
            .any(|fd| std::fs::read_link(fd.path()).is_ok_and(|l| l == Path::new(&socket)))
            .then_some(pid)
    })
}
