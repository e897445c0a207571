//! `vote-load` (`make bench-vote`): issue 16's polls under load, on loopback with release
//! builds, beside Mosquitto fanning out one message to as many subscribers.
//!
//! The chair and N delegates (`delegate0001`…, seeded by `serve --demo --demo-delegates N`)
//! log in, each delegate holding a real WebSocket on `/api/v1/live`, and check in; the
//! chair opens the sitting. Then, `--runs` times:
//!
//! 1. The chair drafts and opens a poll (yes / no / abstain, secret with `--secret`). A
//!    delegate's poll-open latency runs from sending the chair's POST to that delegate's
//!    socket hearing the poll open.
//! 2. Every delegate votes (at most `--concurrency` ballots in flight): delegate i votes yes,
//!    no or abstain as i mod 3 says, so the true count is known here. A share `--duplicates`
//!    sends its ballot twice at once (a retry); a share `--disconnects` has its socket
//!    dropped and reconnected just before voting and then reads the polls again, which must
//!    say the poll is open and it has not voted. A ballot's latency runs from its POST to its
//!    answer; a failed POST is sent again (the same ballot) until answered.
//! 3. The chair closes the poll; the time to the closing answer (which carries the result)
//!    is `result_after_close_ms`. The result must equal the true count: `lost` counts
//!    ballots acknowledged and not counted, `double_counted` ballots counted beyond the
//!    acknowledged ones. The log is fetched and audited (`poll::log::audit`), and every
//!    acknowledged receipt must sit in it at its line with its hash.
//!
//! With `--mosquitto`: one message of the size of the server's poll-open message goes from
//! one publisher to N subscribers through Debian's mosquitto, a few times, measured the
//! same way (an `Instant` before the publish, one when each subscriber's task gets it).
//!
//! Prints the figures and, with `--json OUT`, writes `{poll_id, delegates, poll_open_p99_ms,
//! ballot_ack_p99_ms, lost, double_counted, tally_matches, result_after_close_ms,
//! server_rss_mb, runs, …}` (the worst of the runs). Exits non-zero when a ballot is lost or
//! doubled, a tally differs from the truth, or a log does not hold.

use anyhow::{Context, bail};
use clap::Parser;
use ecabinet_domain::poll::log::audit;
use ecabinet_domain::poll::{
    ABSTAIN, Ballot, BallotKey, MajorityRule, NO, PollId, PollKind, PollSettings, PollState,
    PollStep, YES,
};
use ecabinet_domain::sitting::{SittingAction, SittingEvent, SittingStatus};
use ecabinet_domain::{AgendaItemId, MeetingId};
use ecabinet_protocol::{
    BallotReceipt, LiveEvent, PollDraft, PollStatus, PollStepRequest, PollsSnapshot,
    SittingRequest, SittingSnapshot, SyncRecord,
};
use ecabinet_stories::SESSION_TITLE;
use ecabinet_stories::load::{
    Api, CpuClock, LOGINS_IN_FLIGHT, Listener, LiveSockets, LoadServer, Mosquitto, council_records,
    load_average, login_all, memory_mb, memory_now, ms, percentile, raise_open_file_limit, show,
    summary, wait_for,
};
use reqwest::Method;
use serde_json::json;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use uuid::Uuid;

/// A poll-open heard later than this, or never, is missed.
const DEADLINE: Duration = Duration::from_secs(5);

#[derive(Parser)]
#[command(
    name = "vote-load",
    about = "N delegates vote in polls over real WebSockets; every ballot counted exactly once"
)]
struct Args {
    /// A running council server seeded with `serve --demo --demo-delegates N` (N at least
    /// --delegates); without it a release server is started on a temp data dir.
    #[arg(long)]
    server: Option<String>,
    #[arg(long, default_value_t = 2000)]
    delegates: u32,
    /// The share of delegates who send their ballot twice at once.
    #[arg(long, default_value_t = 0.0)]
    duplicates: f64,
    /// The share of delegates whose connection drops and comes back just before voting.
    #[arg(long, default_value_t = 0.0)]
    disconnects: f64,
    /// Secret polls (named otherwise).
    #[arg(long)]
    secret: bool,
    /// Polls, one after another, each checked exactly.
    #[arg(long, default_value_t = 1)]
    runs: u32,
    /// Ballots in flight at once.
    #[arg(long, default_value_t = 256)]
    concurrency: usize,
    /// Also fan one message out to as many subscribers through Debian's mosquitto.
    #[arg(long)]
    mosquitto: bool,
    #[arg(long)]
    json: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> anyhow::Result<std::process::ExitCode> {
    let args = Args::parse();
    anyhow::ensure!(args.delegates > 0, "--delegates must be at least 1");
    anyhow::ensure!(
        (0.0..=1.0).contains(&args.duplicates) && (0.0..=1.0).contains(&args.disconnects),
        "--duplicates and --disconnects are shares from 0 to 1"
    );
    let files = raise_open_file_limit();
    let needed = 2 * u64::from(args.delegates) + 256;
    if files < needed {
        eprintln!("vote-load: only {files} open files allowed (ulimit -n); {needed} wanted");
    }
    let data = tempfile::tempdir()?;
    let council = LoadServer::given_or_started(
        args.server.as_deref(),
        None,
        args.delegates as usize,
        data.path(),
    );
    let (base, pid) = (council.url.clone(), council.pid);
    println!(
        "vote-load: {} delegates, {} {} poll(s), {:.0}% duplicate sends, {:.0}% disconnects, council server at {base}{}",
        args.delegates,
        args.runs,
        if args.secret { "secret" } else { "named" },
        args.duplicates * 100.0,
        args.disconnects * 100.0,
        council.origin()
    );
    println!("  load average before: {}", load_average());

    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency.max(LOGINS_IN_FLIGHT))
        .build()?;
    let began = Instant::now();
    let chair = Api::login(reqwest::Client::new(), &base, "chair").await?;
    let (meeting, item) = find_session(&chair).await?;
    let names: Vec<String> = (1..=args.delegates)
        .map(|n| format!("delegate{n:04}"))
        .collect();
    let delegates = login_all(&http, &base, &names).await?;
    println!(
        "  logged in the chair and {} delegates in {:.1?}; server {}",
        delegates.len(),
        began.elapsed(),
        memory_now(pid)
    );
    let ears = Arc::new(Ears::new(delegates.len()));
    let (stop, stopped) = watch::channel(false);
    let began = Instant::now();
    let sockets = Arc::new(
        LiveSockets::open(
            &base,
            &delegates,
            Arc::clone(&ears) as Arc<dyn Listener>,
            &stopped,
        )
        .await?,
    );
    println!(
        "  opened {} live sockets in {:.1?}; server {}",
        sockets.len(),
        began.elapsed(),
        memory_now(pid)
    );
    check_in(&args, &chair, meeting, &delegates).await?;

    let mut runs = Vec::new();
    for run in 1..=args.runs {
        let figures = poll_run(
            &args, &chair, meeting, item, &delegates, &ears, &sockets, pid,
        )
        .await?;
        figures.print(run);
        runs.push(figures);
    }
    let rss = pid.and_then(|pid| memory_mb(pid).ok());
    let _ = stop.send(true);

    let mosquitto = if args.mosquitto {
        Some(mosquitto_fanout(&args, meeting).await?)
    } else {
        None
    };
    println!("  load average after: {}", load_average());

    let worst = |f: fn(&PollFigures) -> Option<f64>| {
        runs.iter()
            .filter_map(f)
            .fold(None, |a: Option<f64>, b| Some(a.map_or(b, |a| a.max(b))))
    };
    let poll_open_p99 = worst(|r| ms(percentile(&r.poll_open, 0.99)));
    let ballot_ack_p99 = worst(|r| ms(percentile(&r.ballot_acks, 0.99)));
    let result_after_close = worst(|r| Some(r.close.as_secs_f64() * 1000.0));
    let lost: usize = runs.iter().map(|r| r.lost).sum();
    let double_counted: usize = runs.iter().map(|r| r.double_counted).sum();
    let tally_matches = runs.iter().all(|r| r.tally_matches);
    let logs_hold = runs.iter().all(|r| r.log_holds);
    let exact = runs.iter().all(PollFigures::exact);
    println!(
        "vote-load: delegates={} runs={} poll_open_p99_ms={} ballot_ack_p99_ms={} lost={lost} double_counted={double_counted} tally_matches={tally_matches} logs_hold={logs_hold} result_after_close_ms={} server_rss_mb={}{}",
        args.delegates,
        args.runs,
        show(poll_open_p99),
        show(ballot_ack_p99),
        show(result_after_close.map(|v| (v * 10.0).round() / 10.0)),
        show(rss.map(|m| m.rss)),
        mosquitto.as_ref().map_or(String::new(), |m| format!(
            " | {} fan-out of one {}-byte message to {} subscribers p99_ms={} missed={}",
            m.name,
            m.bytes,
            args.delegates,
            show(ms(percentile(&m.samples, 0.99))),
            m.missed
        )),
    );
    if let Some(path) = &args.json {
        let figures = json!({
            "poll_id": runs.last().map(|r| r.poll.to_string()),
            "delegates": args.delegates,
            "poll_open_p99_ms": poll_open_p99,
            "ballot_ack_p99_ms": ballot_ack_p99,
            "lost": lost,
            "double_counted": double_counted,
            "tally_matches": tally_matches,
            "result_after_close_ms": result_after_close,
            "server_rss_mb": rss.map(|m| m.rss),
            "server_peak_rss_mb": rss.map(|m| m.peak),
            "runs": args.runs,
            "exact_runs": runs.iter().filter(|r| r.exact()).count(),
            "logs_hold": logs_hold,
            "secret": args.secret,
            "duplicates": args.duplicates,
            "disconnects": args.disconnects,
            "reconnects_seen_right": runs.iter().map(|r| r.reconnects_right).sum::<usize>(),
            "reconnects": runs.iter().map(|r| r.reconnects).sum::<usize>(),
            "per_run": runs.iter().map(|r| json!({
                "poll_id": r.poll.to_string(),
                "poll_open_p50_ms": ms(percentile(&r.poll_open, 0.5)),
                "poll_open_p99_ms": ms(percentile(&r.poll_open, 0.99)),
                "ballot_ack_p50_ms": ms(percentile(&r.ballot_acks, 0.5)),
                "ballot_ack_p99_ms": ms(percentile(&r.ballot_acks, 0.99)),
                "result_after_close_ms": r.close.as_secs_f64() * 1000.0,
                "exact": r.exact(),
            })).collect::<Vec<_>>(),
            "mosquitto": mosquitto.as_ref().map(|m| json!({
                "version": m.name,
                "message_bytes": m.bytes,
                "fanout_p50_ms": ms(percentile(&m.samples, 0.5)),
                "fanout_p99_ms": ms(percentile(&m.samples, 0.99)),
                "missed": m.missed,
            })),
        });
        std::fs::write(path, serde_json::to_string_pretty(&figures)? + "\n")
            .with_context(|| format!("writing {}", path.display()))?;
    }
    drop(council);
    Ok(if exact {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    })
}

/// The demo session and the item its polls are put on.
async fn find_session(chair: &Api) -> anyhow::Result<(MeetingId, AgendaItemId)> {
    let (mut meeting, mut items) = (None, Vec::new());
    for record in council_records(chair).await? {
        match record {
            SyncRecord::Meeting(m) if m.title == SESSION_TITLE => meeting = Some(m.id),
            SyncRecord::AgendaItem(i) => items.push(i),
            _ => {}
        }
    }
    let meeting = meeting.with_context(|| format!("no meeting titled {SESSION_TITLE:?}"))?;
    let item = items
        .iter()
        .filter(|i| i.meeting_id == meeting && i.parent_id.is_none())
        .max_by_key(|i| i.position)
        .context("the demo session has no programme")?;
    Ok((meeting, item.id))
}

/// Every delegate checks in (the chair too) and the chair opens the sitting.
async fn check_in(
    args: &Args,
    chair: &Api,
    meeting: MeetingId,
    delegates: &[Api],
) -> anyhow::Result<()> {
    let path = format!("/api/v1/meetings/{meeting}/sitting");
    let act = |member: &Api, action: SittingAction| {
        let (member, path) = (member.clone(), path.clone());
        async move {
            let request = SittingRequest {
                action_id: Uuid::new_v4(),
                action,
            };
            let _: SittingEvent = member.send(Method::POST, &path, &request).await?;
            anyhow::Ok(())
        }
    };
    let sitting: SittingSnapshot = chair.get(&path).await?;
    if sitting.sitting.status == SittingStatus::Closed {
        bail!("the demo session's sitting is closed: run against a fresh server");
    }
    let began = Instant::now();
    let gate = Arc::new(Semaphore::new(args.concurrency.clamp(1, 64)));
    let mut posts = JoinSet::new();
    for member in delegates.iter().chain([chair]) {
        if sitting.sitting.present(member.member).is_some() {
            continue;
        }
        let (gate, done) = (
            Arc::clone(&gate),
            act(member, SittingAction::CheckIn { remote: false }),
        );
        posts.spawn(async move {
            let _permit = gate.acquire_owned().await?;
            done.await
        });
    }
    while let Some(done) = posts.join_next().await {
        done??;
    }
    match sitting.sitting.status {
        SittingStatus::NotOpened => act(chair, SittingAction::Open).await?,
        SittingStatus::Paused => act(chair, SittingAction::Resume).await?,
        _ => {}
    }
    println!(
        "  every delegate checked in and the sitting is open, {:.1?}",
        began.elapsed()
    );
    Ok(())
}

/// What the sockets heard: when each heard the current poll open, and reconnections.
struct Ears {
    poll: Mutex<Option<PollId>>,
    opened: Vec<Mutex<Option<Instant>>>,
    heard_open: AtomicUsize,
    lost: Mutex<Vec<String>>,
    reconnected: Vec<tokio::sync::Notify>,
}

impl Ears {
    fn new(count: usize) -> Ears {
        Ears {
            poll: Mutex::new(None),
            opened: (0..count).map(|_| Mutex::new(None)).collect(),
            heard_open: AtomicUsize::new(0),
            lost: Mutex::default(),
            reconnected: (0..count).map(|_| tokio::sync::Notify::new()).collect(),
        }
    }

    fn expect(&self, poll: PollId) {
        *self.poll.lock().unwrap() = Some(poll);
        for opened in &self.opened {
            *opened.lock().unwrap() = None;
        }
        self.heard_open.store(0, Ordering::SeqCst);
    }
}

impl Listener for Ears {
    fn heard(&self, socket: usize, text: &str, at: Instant) {
        // Only the poll's state matters here; turnout and the sitting's events pass by.
        if !text.starts_with("{\"type\":\"poll\"") {
            return;
        }
        let Ok(LiveEvent::Poll { status, .. }) = serde_json::from_str::<LiveEvent>(text) else {
            return;
        };
        let expected = *self.poll.lock().unwrap();
        if Some(status.poll.id) == expected && status.poll.state == PollState::Open {
            let mut opened = self.opened[socket].lock().unwrap();
            if opened.is_none() {
                *opened = Some(at);
                self.heard_open.fetch_add(1, Ordering::SeqCst);
            }
        }
    }

    fn lost(&self, socket: usize, why: String) {
        self.lost
            .lock()
            .unwrap()
            .push(format!("socket {socket}: {why}"));
    }

    fn reconnected(&self, socket: usize) {
        self.reconnected[socket].notify_one();
    }
}

struct PollFigures {
    poll: PollId,
    poll_open: Vec<Duration>,
    poll_open_missed: usize,
    ballot_acks: Vec<Duration>,
    close: Duration,
    lost: usize,
    double_counted: usize,
    tally_matches: bool,
    log_holds: bool,
    receipts_in_log: bool,
    reconnects: usize,
    reconnects_right: usize,
    duplicates_same: bool,
}

impl PollFigures {
    fn exact(&self) -> bool {
        self.lost == 0
            && self.double_counted == 0
            && self.tally_matches
            && self.log_holds
            && self.receipts_in_log
            && self.reconnects_right == self.reconnects
            && self.duplicates_same
    }

    fn print(&self, run: u32) {
        println!(
            "  poll {run} ({}): open heard {}  missed {}\n    ballot ack  {}\n    close → result {:.1} ms; lost {} double-counted {} tally {} log {} receipts {} reconnects right {}/{} duplicates answered alike {}",
            self.poll,
            summary(&self.poll_open),
            self.poll_open_missed,
            summary(&self.ballot_acks),
            self.close.as_secs_f64() * 1000.0,
            self.lost,
            self.double_counted,
            if self.tally_matches {
                "matches"
            } else {
                "DIFFERS"
            },
            if self.log_holds {
                "holds"
            } else {
                "DOES NOT HOLD"
            },
            if self.receipts_in_log {
                "all in the log"
            } else {
                "MISSING"
            },
            self.reconnects_right,
            self.reconnects,
            self.duplicates_same,
        );
    }
}

/// The ballot delegate `index` casts: its true choice, and a key of its own.
fn truth(index: usize) -> u32 {
    [YES, NO, ABSTAIN][index % 3]
}

/// A share `share` of `count`, picked evenly (every 1/share-th), so a run is repeatable.
fn picked(index: usize, share: f64, salt: usize) -> bool {
    share > 0.0
        && ((index + salt) as f64 * share).floor() != ((index + salt + 1) as f64 * share).floor()
}

#[allow(clippy::too_many_arguments)]
async fn poll_run(
    args: &Args,
    chair: &Api,
    meeting: MeetingId,
    item: AgendaItemId,
    delegates: &[Api],
    ears: &Arc<Ears>,
    sockets: &Arc<LiveSockets>,
    pid: Option<u32>,
) -> anyhow::Result<PollFigures> {
    let poll = PollId(Uuid::new_v4());
    let draft = PollDraft {
        item_id: item,
        settings: PollSettings {
            title: "Thông qua Nghị quyết về dự toán ngân sách địa phương năm 2027".into(),
            kind: PollKind::YesNoAbstain,
            secret: args.secret,
            rule: MajorityRule::HalfOfMembers,
            may_change: false,
            countdown_secs: None,
        },
    };
    let _: PollStatus = chair
        .send(
            Method::PUT,
            &format!("/api/v1/meetings/{meeting}/polls/{poll}"),
            &draft,
        )
        .await?;
    ears.expect(poll);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let step = |step| {
        let chair = chair.clone();
        async move {
            let status: PollStatus = chair
                .send(
                    Method::POST,
                    &format!("/api/v1/polls/{poll}/steps"),
                    &PollStepRequest { step },
                )
                .await?;
            anyhow::Ok(status)
        }
    };
    let cpu = CpuClock::read(pid);
    let sent = Instant::now();
    let opened = step(PollStep::Open).await?;
    anyhow::ensure!(
        opened.entitled as usize >= delegates.len(),
        "only {} entitled: every delegate should be checked in",
        opened.entitled
    );
    let all = delegates.len();
    wait_for(DEADLINE, || ears.heard_open.load(Ordering::SeqCst) >= all).await;
    let mut poll_open = Vec::new();
    for opened in &ears.opened {
        if let Some(at) = *opened.lock().unwrap() {
            poll_open.push(at.saturating_duration_since(sent));
        }
    }
    let poll_open_missed = all - poll_open.len();

    // Every delegate votes, some twice at once, some after their connection came back.
    let gate = Arc::new(Semaphore::new(args.concurrency.max(1)));
    let mut votes = JoinSet::new();
    let reconnects = (0..all).filter(|&i| picked(i, args.disconnects, 7)).count();
    for (index, delegate) in delegates.iter().enumerate() {
        let (delegate, gate, ears, sockets) = (
            delegate.clone(),
            Arc::clone(&gate),
            Arc::clone(ears),
            Arc::clone(sockets),
        );
        let twice = picked(index, args.duplicates, 3);
        let reconnect = picked(index, args.disconnects, 7);
        let mut key = [0u8; 32];
        key[..16].copy_from_slice(Uuid::new_v4().as_bytes());
        key[16..].copy_from_slice(Uuid::new_v4().as_bytes());
        let ballot = Ballot {
            key: BallotKey(key),
            version: 1,
            choice: vec![truth(index)],
        };
        votes.spawn(async move {
            let _permit = gate.acquire_owned().await?;
            let mut right_after_reconnect = None;
            if reconnect {
                let back = ears.reconnected[index].notified();
                sockets.drop_and_reconnect(index);
                tokio::time::timeout(DEADLINE, back)
                    .await
                    .context("a socket did not come back")?;
                let seen: PollsSnapshot = delegate
                    .get(&format!("/api/v1/meetings/{meeting}/polls"))
                    .await?;
                let status = seen.polls.iter().find(|p| p.poll.id == poll);
                right_after_reconnect = Some(status.is_some_and(|s| {
                    s.poll.state == PollState::Open && s.may_vote && s.has_voted == Some(false)
                }));
            }
            let path = format!("/api/v1/polls/{poll}/ballots");
            let sent = Instant::now();
            let answers = if twice {
                let (a, b) = tokio::join!(
                    cast(&delegate, &path, &ballot),
                    cast(&delegate, &path, &ballot)
                );
                vec![a?, b?]
            } else {
                vec![cast(&delegate, &path, &ballot).await?]
            };
            let latency = sent.elapsed();
            anyhow::Ok((index, latency, answers, right_after_reconnect))
        });
    }
    let mut ballot_acks = Vec::new();
    let mut acked: HashMap<usize, BallotReceipt> = HashMap::new();
    let mut duplicates_same = true;
    let mut reconnects_right = 0;
    while let Some(done) = votes.join_next().await {
        let (index, latency, answers, right) = done??;
        ballot_acks.push(latency);
        duplicates_same &= answers.windows(2).all(|w| w[0] == w[1]);
        reconnects_right += usize::from(right == Some(true));
        acked.insert(index, answers[0].clone());
    }

    let began = Instant::now();
    let closed = step(PollStep::Close).await?;
    let close = began.elapsed();
    let result = closed
        .poll
        .result
        .context("a closed poll carries its result")?;
    let mut truth_counts = vec![0u64; 3];
    for index in acked.keys() {
        truth_counts[truth(*index) as usize] += 1;
    }
    let acked_count = acked.len() as u64;
    let lost = acked_count.saturating_sub(result.ballots) as usize;
    let double_counted = result.ballots.saturating_sub(acked_count) as usize;
    let tally_matches = result.counts == truth_counts && acked.len() == all;

    let log = chair.text(&format!("/api/v1/polls/{poll}/log")).await?;
    let audited = audit(&log);
    let lines: Vec<ecabinet_domain::poll::log::PollLogLine> = log
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let receipts_in_log = acked.values().all(|r| {
        lines
            .get(r.seq as usize - 1)
            .is_some_and(|line| line.hash == r.line_hash && line.seq == r.seq)
    });
    for fault in audited.faults.iter().take(5) {
        eprintln!("  log line {}: {}", fault.line, fault.problem);
    }
    let lost_sockets = ears.lost.lock().unwrap().clone();
    for why in lost_sockets.iter().take(5) {
        eprintln!("  a socket was lost: {why}");
    }
    println!(
        "    ({}; server {})",
        CpuClock::read(pid).since(cpu),
        memory_now(pid)
    );
    Ok(PollFigures {
        poll,
        poll_open,
        poll_open_missed,
        ballot_acks,
        close,
        lost,
        double_counted,
        tally_matches,
        log_holds: audited.holds() && audited.recount.as_ref() == Some(&result),
        receipts_in_log,
        reconnects,
        reconnects_right,
        duplicates_same,
    })
}

/// Sends a ballot until the server answers it (a dropped request is sent again, the same
/// ballot: the server counts it once); a refusal is an error.
async fn cast(delegate: &Api, path: &str, ballot: &Ballot) -> anyhow::Result<BallotReceipt> {
    let mut tries = 0;
    loop {
        tries += 1;
        let response = delegate
            .http
            .post(format!("{}{path}", delegate.base))
            .bearer_auth(&delegate.token)
            .json(ballot)
            .send()
            .await;
        match response {
            Ok(response) if response.status().is_success() => return Ok(response.json().await?),
            Ok(response) => bail!(
                "a ballot was refused: {} {}",
                response.status(),
                response.text().await.unwrap_or_default()
            ),
            Err(e) if tries < 10 => {
                eprintln!("  a ballot's POST failed ({e}); sending it again");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// Mosquitto fanning out one message of the poll-open frame's size to as many subscribers.
struct MosquittoFanout {
    name: String,
    bytes: usize,
    samples: Vec<Duration>,
    missed: usize,
}

struct Subscribers {
    heard: Vec<Mutex<Vec<(u64, Instant)>>>,
    count: AtomicUsize,
}

impl Listener for Subscribers {
    fn heard(&self, socket: usize, text: &str, at: Instant) {
        let number = text
            .strip_prefix("{\"n\":")
            .and_then(|t| t.split(',').next())
            .and_then(|n| n.parse().ok());
        if let Some(n) = number {
            self.heard[socket].lock().unwrap().push((n, at));
            self.count.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn lost(&self, _socket: usize, _why: String) {}
}

async fn mosquitto_fanout(args: &Args, meeting: MeetingId) -> anyhow::Result<MosquittoFanout> {
    use rumqttc::QoS;
    let broker = Mosquitto::start().await?;
    let (stop, stopped) = watch::channel(false);
    let count = args.delegates as usize;
    let subscribers = Arc::new(Subscribers {
        heard: (0..count).map(|_| Mutex::default()).collect(),
        count: AtomicUsize::new(0),
    });
    broker
        .subscribe(
            "ecabinet/poll",
            count,
            Arc::clone(&subscribers) as Arc<dyn Listener>,
            &stopped,
        )
        .await?;
    let publisher = broker.publisher(&stopped).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    // As long as the server's poll-open message: a counter first, padded with the meeting.
    let size: usize = 600;
    let messages = 10u64;
    let mut sent = Vec::new();
    for n in 0..messages {
        let mut frame = format!("{{\"n\":{n},\"meeting_id\":\"{meeting}\",\"pad\":\"");
        frame.push_str(&"x".repeat(size.saturating_sub(frame.len() + 2)));
        frame.push_str("\"}");
        let at = Instant::now();
        publisher
            .publish("ecabinet/poll", QoS::AtMostOnce, false, frame)
            .await?;
        sent.push(at);
        let expected = count * (n as usize + 1);
        wait_for(DEADLINE, || {
            subscribers.count.load(Ordering::SeqCst) >= expected
        })
        .await;
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let mut samples = Vec::new();
    let mut missed = 0;
    for heard in &subscribers.heard {
        let heard = heard.lock().unwrap();
        let at: HashMap<u64, Instant> = heard.iter().copied().collect();
        for (n, sent) in sent.iter().enumerate() {
            match at.get(&(n as u64)) {
                Some(when) => samples.push(when.saturating_duration_since(*sent)),
                None => missed += 1,
            }
        }
    }
    println!(
        "{:<18} fan-out of one {size}-byte message  {}  missed {missed}",
        broker.name,
        summary(&samples)
    );
    let _ = stop.send(true);
    drop(publisher);
    Ok(MosquittoFanout {
        name: broker.name.clone(),
        bytes: size,
        samples,
        missed,
    })
}
