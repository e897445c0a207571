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
use ecabinet_protocol::{LiveEvent, SittingRequest, SittingSnapshot, SyncRecord};
use ecabinet_stories::SESSION_TITLE;
use ecabinet_stories::load::{
    Api, CpuClock, LOGINS_IN_FLIGHT, Listener, LiveSockets, LoadServer, Memory, Mosquitto,
    council_records, load_average, login_all, memory_mb, memory_now, ms, percentile,
    raise_open_file_limit, show, summary, wait_for,
};
use serde::Deserialize;
use serde_json::json;
use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use uuid::Uuid;

/// A turn heard later than this, or never, is missed.
const DEADLINE: Duration = Duration::from_secs(5);

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
    let council = LoadServer::given_or_started(
        args.server.as_deref(),
        args.server_pid,
        args.delegates as usize,
        data.path(),
    );
    let (base, pid) = (council.url.clone(), council.pid);
    println!(
        "meeting-load: {} delegates, {} page turns {} ms apart after {} warm-up turns, council server at {base}{}",
        args.delegates,
        args.page_turns,
        args.spacing_ms,
        args.warmup_turns,
        council.origin()
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
    drop(council);
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
    let ears: Vec<Arc<Ear>> = delegates
        .iter()
        .map(|d| Arc::new(Ear::new(Some(d.member.to_string()))))
        .collect();
    let listener = Arc::new(Ears {
        ears: ears.clone(),
        progress: Arc::clone(&progress),
    });
    let sockets = LiveSockets::open(base, &delegates, listener, &stopped).await?;
    println!(
        "  opened {} live sockets in {:.1?}; server {}",
        sockets.len(),
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
            act(&delegate, &path, SittingAction::CheckIn { remote: false }).await?;
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
            act(&chair, &sitting_path(session.meeting), SittingAction::Open).await?;
        }
        SittingStatus::Paused => {
            act(
                &chair,
                &sitting_path(session.meeting),
                SittingAction::Resume,
            )
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
            let event = act(chair, path, action).await?;
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
    for record in council_records(chair).await? {
        match record {
            SyncRecord::Meeting(m) if m.title == SESSION_TITLE => meeting = Some(m.id),
            SyncRecord::PacketVersion(v) => versions.push(v),
            _ => {}
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

/// An action in the sitting as `member`, under a fresh action id; the event it was recorded as.
async fn act(member: &Api, path: &str, action: SittingAction) -> anyhow::Result<SittingEvent> {
    let request = SittingRequest {
        action_id: Uuid::new_v4(),
        action,
    };
    member.send(reqwest::Method::POST, path, &request).await
}

/// Every socket's ear, as the sockets' listener.
struct Ears {
    ears: Vec<Arc<Ear>>,
    progress: Arc<Progress>,
}

impl Listener for Ears {
    fn heard(&self, socket: usize, text: &str, at: Instant) {
        self.ears[socket].hear(text, at, &self.progress);
    }

    fn lost(&self, socket: usize, why: String) {
        self.ears[socket].heard.lock().unwrap().lost = Some(why);
    }
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

// --- Mosquitto ----------------------------------------------------------------------------

struct MosquittoRun {
    name: String,
    fanout: Fanout,
    memory: Memory,
}

/// The topic the page turns go out on.
const TOPIC: &str = "ecabinet/sitting";

async fn mosquitto_run(args: &Args, session: &Session) -> anyhow::Result<MosquittoRun> {
    use rumqttc::QoS;
    let broker = Mosquitto::start().await?;
    let began = Instant::now();
    let progress = Arc::new(Progress::default());
    let (stop, stopped) = watch::channel(false);
    let ears: Vec<Arc<Ear>> = (0..args.delegates)
        .map(|_| Arc::new(Ear::new(None)))
        .collect();
    let listener = Arc::new(Ears {
        ears: ears.clone(),
        progress: Arc::clone(&progress),
    });
    broker
        .subscribe(TOPIC, ears.len(), listener, &stopped)
        .await?;
    println!(
        "  {} MQTT subscribers connected and subscribed in {:.1?}",
        ears.len(),
        began.elapsed()
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    let publisher = broker.publisher(&stopped).await?;

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
    let memory = memory_mb(broker.pid())?;
    let _ = stop.send(true);
    drop(publisher);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let name = broker.name.clone();
    drop(broker);
    Ok(MosquittoRun {
        name,
        fanout,
        memory,
    })
}
