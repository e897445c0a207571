//! `chat-load` (`make bench-chat`): issue 17's chat under load, on loopback with release
//! builds, beside Mosquitto fanning the same messages out to as many subscribers.
//!
//! N delegates (`delegate0001`…, seeded by `serve --demo --demo-delegates N`) log in, each
//! holding a real WebSocket on `/api/v1/live`, and the first makes a group of all N
//! (`PUT /api/v1/chat/groups/{id}`). Then, for S seconds, R messages a second go to the
//! group (`PUT /api/v1/chat/messages/{id}` under an id made here), each from the next member
//! in turn: a member sends one every N/R seconds, inside the server's rate for a sender (a
//! burst of 10, then one a second), so R may not exceed N.
//!
//! The sends are paced by a tokio interval with `MissedTickBehavior::Burst`: the load
//! offered stays R a second over the run even when this process is starved for a moment
//! (the sends it missed go at once, each still timed from its own PUT), and how late sends
//! left their tick is reported, so a starved generator shows. Each PUT runs on its own task:
//! a slow answer does not hold back the next message. A PUT that fails on the way is sent
//! again under the same id (the server posts it once), timed from the first.
//!
//! Every member's socket, the sender's too, must hear every message once
//! (`{"type":"chat_message","entry":{…}}`), in the conversation's order (`seq`). A receipt's
//! delivery latency runs from the moment its PUT was sent to the moment that member's socket
//! got the frame: an `Instant` each, in this one process. `delivered` counts (member,
//! message) receipts; `lost` the receipts expected (every message sent, to every member)
//! and not heard within `--grace-secs` after the last PUT was answered (a message the server
//! refused is lost to all its readers); `duplicated` a member hearing a message again;
//! `out_of_order` a member hearing a number lower than one it heard before.
//!
//! With `--mosquitto`, after the server's run: Debian's mosquitto on a free loopback port, N
//! MQTT subscribers on one topic, and one publisher sending the frames the server sends for
//! such messages (the same JSON, so the same size) at the same rate for as long, measured
//! the same way: an `Instant` before each publish, one when each subscriber's task gets it.
//!
//! Prints the figures and, with `--json OUT`, writes `{members, sent, delivered, lost,
//! duplicated, out_of_order, delivery_p50_ms, delivery_p99_ms, …, server_rss_mb,
//! server_cpu_s, mosquitto: {…}}`. Exits non-zero when the server lost, duplicated or
//! reordered a receipt; latency (the target is p99 ≤ 100 ms for 500 members at 50 a second)
//! and Mosquitto's figures are reported, not judged. Without `--server` it starts a release
//! `council-server` on a temp data dir itself, with the delegates it needs.

use anyhow::{Context, bail};
use clap::Parser;
use ecabinet_domain::chat::{MAX_GROUP_MEMBERS, MAX_MESSAGE_CHARS, Message};
use ecabinet_domain::{Clock, ConversationId, MemberId, MessageId, SystemClock};
use ecabinet_protocol::{ChatEntry, ChatPost, ConversationView, LiveEvent, NewGroup};
use ecabinet_stories::load::{
    Api, CpuClock, LOGINS_IN_FLIGHT, Listener, LiveSockets, LoadServer, Memory, Mosquitto,
    load_average, login_all, memory_mb, memory_now, ms, percentile, raise_open_file_limit, show,
    summary, wait_for,
};
use serde::Deserialize;
use serde_json::json;
use std::borrow::Cow;
use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio::time::MissedTickBehavior;
use uuid::Uuid;

/// The target for 500 members at 50 messages a second.
const TARGET_P99: Duration = Duration::from_millis(100);
/// A send that left its tick later than this was held up by this process, not the server.
const LATE_SEND: Duration = Duration::from_millis(10);
/// How often a progress line is printed while the messages go.
const PROGRESS_EVERY: Duration = Duration::from_secs(10);
/// A PUT not answered in this long has failed.
const PUT_TIMEOUT: Duration = Duration::from_secs(30);
/// How many times a PUT that failed on the way is sent again.
const PUT_TRIES: u32 = 5;
/// The topic Mosquitto's messages go out on.
const TOPIC: &str = "ecabinet/chat";

#[derive(Parser)]
#[command(
    name = "chat-load",
    about = "N members of one chat group on live WebSockets, R messages a second for S seconds; every member hears every message once, in order (and the same through Mosquitto)"
)]
struct Args {
    /// A running council server seeded with `serve --demo --demo-delegates N` (N at least
    /// --members); without it a release server is started on a temp data dir.
    #[arg(long)]
    server: Option<String>,
    /// The process id of the server given with --server, for its memory and CPU (found by
    /// its listening port when not given).
    #[arg(long, requires = "server")]
    server_pid: Option<u32>,
    /// Members of the group, each on a live socket.
    #[arg(long, default_value_t = 500)]
    members: u32,
    /// Messages a second, to the group as a whole.
    #[arg(long, default_value_t = 50)]
    rate: u32,
    /// How long the messages go.
    #[arg(long, default_value_t = 60)]
    seconds: u32,
    /// Characters in each message's text.
    #[arg(long, default_value_t = 160)]
    body_chars: usize,
    /// How long after the last PUT was answered a receipt may still come before it is lost.
    #[arg(long, default_value_t = 5)]
    grace_secs: u64,
    /// Also fan the same messages out to as many subscribers through Debian's mosquitto.
    #[arg(long)]
    mosquitto: bool,
    /// Where to write the figures as JSON.
    #[arg(long)]
    json: Option<PathBuf>,
}

impl Args {
    fn messages(&self) -> usize {
        self.rate as usize * self.seconds as usize
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<std::process::ExitCode> {
    let args = Args::parse();
    anyhow::ensure!(
        (1..=MAX_GROUP_MEMBERS).contains(&(args.members as usize)),
        "--members must be from 1 to {MAX_GROUP_MEMBERS} (a group's most)"
    );
    anyhow::ensure!(
        args.rate > 0 && args.seconds > 0,
        "--rate and --seconds must be at least 1"
    );
    anyhow::ensure!(
        args.rate <= args.members,
        "--rate {} is more than --members {}: a member sends one message a second at most (the server's rate for a sender), so the group needs as many members as messages a second",
        args.rate,
        args.members
    );
    anyhow::ensure!(
        (1..=MAX_MESSAGE_CHARS).contains(&args.body_chars),
        "--body-chars must be from 1 to {MAX_MESSAGE_CHARS}"
    );
    let files = raise_open_file_limit();
    let needed = 2 * u64::from(args.members) + 256;
    if files < needed {
        eprintln!(
            "chat-load: only {files} open files allowed (ulimit -n); {needed} wanted for {} sockets",
            args.members
        );
    }

    let data = tempfile::tempdir()?;
    let council = LoadServer::given_or_started(
        args.server.as_deref(),
        args.server_pid,
        args.members as usize,
        data.path(),
    );
    let (base, pid) = (council.url.clone(), council.pid);
    println!(
        "chat-load: {} members in one group, {} messages a second for {} s ({} messages of {} characters), council server at {base}{}",
        args.members,
        args.rate,
        args.seconds,
        args.messages(),
        args.body_chars,
        council.origin()
    );
    // Other work on the machine shares its cores with both sides of the loopback.
    println!("  load average before: {}", load_average());

    let server = server_run(&args, &base, pid).await?;
    server.figures.print();
    let mosquitto = if args.mosquitto {
        let figures = mosquitto_run(&args, server.group, &server.authors).await?;
        figures.print();
        Some(figures)
    } else {
        None
    };
    println!("  load average after: {}", load_average());

    let ours = &server.figures;
    let p99 = percentile(&ours.delivery, 0.99);
    println!(
        "chat-load: members={} sent={} delivered={} lost={} duplicated={} out_of_order={} delivery_p50_ms={} delivery_p99_ms={} (target {} ms: {}) server_rss_mb={}{}",
        ours.members,
        ours.sent,
        ours.delivered,
        ours.lost,
        ours.duplicated,
        ours.out_of_order,
        show(ms(percentile(&ours.delivery, 0.5))),
        show(ms(p99)),
        TARGET_P99.as_millis(),
        match p99 {
            Some(p99) if p99 <= TARGET_P99 => "met",
            Some(_) => "missed",
            None => "nothing heard",
        },
        show(ours.memory.map(|m| m.rss)),
        mosquitto.as_ref().map_or(String::new(), |m| format!(
            " | {} delivered={} lost={} duplicated={} out_of_order={} delivery_p50_ms={} delivery_p99_ms={}",
            m.name,
            m.delivered,
            m.lost,
            m.duplicated,
            m.out_of_order,
            show(ms(percentile(&m.delivery, 0.5))),
            show(ms(percentile(&m.delivery, 0.99))),
        )),
    );
    if let Some(path) = &args.json {
        let mut figures = ours.json("server");
        figures["rate"] = json!(args.rate);
        figures["seconds"] = json!(args.seconds);
        figures["body_chars"] = json!(args.body_chars);
        figures["grace_secs"] = json!(args.grace_secs);
        figures["target_p99_ms"] = json!(TARGET_P99.as_millis());
        figures["target_met"] = json!(p99.is_some_and(|p| p <= TARGET_P99));
        figures["mosquitto"] = mosquitto.as_ref().map_or(json!(null), |m| m.json("broker"));
        std::fs::write(path, serde_json::to_string_pretty(&figures)? + "\n")
            .with_context(|| format!("writing {}", path.display()))?;
    }
    drop(council);
    Ok(if ours.exact() {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    })
}

// --- The council server's run ------------------------------------------------------------

struct ServerRun {
    /// The group the messages went to (Mosquitto's frames name it too).
    group: ConversationId,
    /// The members in the order they took turns sending.
    authors: Vec<MemberId>,
    figures: Figures,
}

async fn server_run(args: &Args, base: &str, pid: Option<u32>) -> anyhow::Result<ServerRun> {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(64.max(LOGINS_IN_FLIGHT))
        .timeout(PUT_TIMEOUT)
        .build()?;
    let began = Instant::now();
    let names: Vec<String> = (1..=args.members)
        .map(|n| format!("delegate{n:04}"))
        .collect();
    let members = login_all(&http, base, &names).await?;
    println!(
        "  logged in {} members in {:.1?}; server {}",
        members.len(),
        began.elapsed(),
        memory_now(pid)
    );

    let group = ConversationId(Uuid::new_v4());
    let plan = Arc::new(Plan::new(args.messages()));
    let ears = Arc::new(Ears::new(group, Arc::clone(&plan), members.len()));
    let (stop, stopped) = watch::channel(false);
    let began = Instant::now();
    let sockets = LiveSockets::open(
        base,
        &members,
        Arc::clone(&ears) as Arc<dyn Listener>,
        &stopped,
    )
    .await?;
    println!(
        "  opened {} live sockets in {:.1?}; server {}",
        sockets.len(),
        began.elapsed(),
        memory_now(pid)
    );

    // The first member makes the group of everyone; every socket hears it made.
    let owner = &members[0];
    let made = NewGroup {
        title: format!("Tổ đại biểu ({} thành viên)", members.len()),
        members: members[1..].iter().map(|m| m.member).collect(),
    };
    let view: ConversationView = owner
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/chat/groups/{group}"),
            &made,
        )
        .await
        .context("making the group")?;
    anyhow::ensure!(
        view.conversation.members.len() == members.len(),
        "the group holds {} members, not {}",
        view.conversation.members.len(),
        members.len()
    );
    let all = members.len();
    wait_for(Duration::from_secs(10), || {
        ears.joined.load(Ordering::Relaxed) >= all
    })
    .await;
    println!(
        "  {} made the group; {} of {all} sockets heard it",
        names[0],
        ears.joined.load(Ordering::Relaxed)
    );

    let cpu = CpuClock::read(pid);
    let mut puts = JoinSet::new();
    let pacing = pace(args, &ears, pid, |n| {
        let sender = members[n % members.len()].clone();
        let post = ChatPost {
            conversation_id: group,
            kind: None,
            body: body(n, args.body_chars),
            reply_to: None,
            paper: None,
        };
        let plan = Arc::clone(&plan);
        puts.spawn(async move {
            let answered = put(&sender, plan.ids[n], &post, &plan.sent[n]).await;
            (n, answered)
        });
        std::future::ready(anyhow::Ok(()))
    })
    .await?;
    let mut acks = Vec::with_capacity(args.messages());
    let mut refused = Vec::new();
    while let Some(done) = puts.join_next().await {
        let (n, answered) = done.context("a PUT's task failed")?;
        match answered {
            Ok(ack) => acks.push(ack),
            Err(why) => refused.push(format!("message {n}: {why:#}")),
        }
    }
    for why in refused.iter().take(5) {
        eprintln!("  a message was not posted: {why}");
    }
    let expected = args.messages() * all;
    wait_for(Duration::from_secs(args.grace_secs), || {
        ears.delivered.load(Ordering::Relaxed) >= expected
    })
    .await;
    let cpu = CpuClock::read(pid).seconds_since(cpu);
    let memory = pid.and_then(|pid| memory_mb(pid).ok());
    let _ = stop.send(true);
    let figures = Figures::measure(
        "council server".into(),
        &ears,
        pacing,
        acks,
        refused.len(),
        memory,
        cpu,
    );
    Ok(ServerRun {
        group,
        authors: members.iter().map(|m| m.member).collect(),
        figures,
    })
}

/// Sends a message until the server answers (a request that failed on the way goes again
/// under the same id: the server posts it once); the time from the first send to the
/// answer. `sent` is stamped just before the first request leaves.
async fn put(
    sender: &Api,
    id: MessageId,
    post: &ChatPost,
    sent: &OnceLock<Instant>,
) -> anyhow::Result<Duration> {
    let url = format!("{}/api/v1/chat/messages/{id}", sender.base);
    let mut tries = 0;
    loop {
        tries += 1;
        let request = sender.http.put(&url).bearer_auth(&sender.token).json(post);
        let first = *sent.get_or_init(Instant::now);
        match request.send().await {
            Ok(response) if response.status().is_success() => {
                let _: ChatEntry = response
                    .json()
                    .await
                    .context("reading the message as stored")?;
                return Ok(first.elapsed());
            }
            Ok(response) => bail!(
                "refused: {} {}",
                response.status(),
                response.text().await.unwrap_or_default()
            ),
            Err(e) if tries < PUT_TRIES => {
                eprintln!("  a message's PUT failed ({e}); sending it again");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => return Err(e).context("sending a message"),
        }
    }
}

/// Message `n`'s text: its number, then a councillor's words, cut to `chars` characters, so
/// every message (and every frame carrying one) is the same size.
fn body(n: usize, chars: usize) -> String {
    const WORDS: &str = "Đề nghị các đại biểu xem lại trang 12 của tờ trình về dự toán ngân sách trước phiên chiều; ý kiến góp ý xin gửi tổ thư ký. ";
    format!("#{n:06} ")
        .chars()
        .chain(WORDS.chars().cycle())
        .take(chars)
        .collect()
}

/// Calls `send(n)` for the run's messages n = 0, 1, …, R a second; `Burst` sends the ticks
/// this process missed at once, so the load offered stays R a second over the run. Prints a
/// progress line every few seconds.
async fn pace<F, Fut>(
    args: &Args,
    ears: &Ears,
    pid: Option<u32>,
    mut send: F,
) -> anyhow::Result<Pacing>
where
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    let mut ticks = tokio::time::interval(Duration::from_secs_f64(1.0 / f64::from(args.rate)));
    ticks.set_missed_tick_behavior(MissedTickBehavior::Burst);
    let began = Instant::now();
    let mut report = began + PROGRESS_EVERY;
    let mut pacing = Pacing::default();
    for n in 0..args.messages() {
        let due = ticks.tick().await;
        let lag = due.elapsed();
        pacing.max_lag = pacing.max_lag.max(lag);
        pacing.late += usize::from(lag > LATE_SEND);
        send(n).await?;
        if Instant::now() >= report {
            report += PROGRESS_EVERY;
            println!(
                "    {:>3.0} s: {} sent, {} receipts heard; {}",
                began.elapsed().as_secs_f64(),
                n + 1,
                ears.delivered.load(Ordering::Relaxed),
                memory_now(pid)
            );
        }
    }
    pacing.took = began.elapsed();
    Ok(pacing)
}

/// How the pacing went on this side: sends that left their tick late, and the run's length.
#[derive(Debug, Default, Clone, Copy)]
struct Pacing {
    late: usize,
    max_lag: Duration,
    took: Duration,
}

// --- What the sockets heard, and the figures made of it ----------------------------------

/// The run's messages: their ids, made before the run so a frame is matched to its message
/// without a lock, and when each was sent.
struct Plan {
    ids: Vec<MessageId>,
    index: HashMap<MessageId, usize>,
    sent: Vec<OnceLock<Instant>>,
}

impl Plan {
    fn new(messages: usize) -> Plan {
        let ids: Vec<MessageId> = (0..messages).map(|_| MessageId(Uuid::new_v4())).collect();
        Plan {
            index: ids.iter().enumerate().map(|(n, id)| (*id, n)).collect(),
            sent: (0..messages).map(|_| OnceLock::new()).collect(),
            ids,
        }
    }
}

/// What every socket (or subscriber) heard of the group, as the sockets' listener.
struct Ears {
    group: ConversationId,
    plan: Arc<Plan>,
    heard: Vec<Mutex<Heard>>,
    /// Receipts heard, all sockets together (each (member, message) once).
    delivered: AtomicUsize,
    /// Sockets that heard the group made.
    joined: AtomicUsize,
}

/// What one socket heard.
struct Heard {
    /// Each message heard, by its place in the plan, and when; the first time only.
    receipts: Vec<(usize, Instant)>,
    /// The messages heard, by their place in the plan.
    seen: Vec<bool>,
    /// The highest number in the conversation heard so far.
    last_seq: u64,
    duplicated: usize,
    out_of_order: usize,
    /// `chat_stale`: the server skipped messages for this socket.
    stale: u32,
    joined: bool,
    /// The longest message frame heard, to set beside Mosquitto's.
    frame_bytes: usize,
    /// Why the socket ended early, if it did.
    ended: Option<String>,
}

/// As much of a live frame as the figures need.
#[derive(Deserialize)]
struct Frame<'a> {
    #[serde(rename = "type", borrow)]
    kind: Cow<'a, str>,
    #[serde(default)]
    entry: Option<EntryHead>,
    #[serde(default)]
    conversation: Option<ConversationHead>,
}

#[derive(Deserialize)]
struct EntryHead {
    id: MessageId,
    conversation_id: ConversationId,
    seq: u64,
}

#[derive(Deserialize)]
struct ConversationHead {
    id: ConversationId,
}

/// A lock that still yields what it holds after a panic elsewhere: the figures are wanted.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Ears {
    fn new(group: ConversationId, plan: Arc<Plan>, sockets: usize) -> Ears {
        let messages = plan.ids.len();
        Ears {
            group,
            plan,
            heard: (0..sockets)
                .map(|_| {
                    Mutex::new(Heard {
                        receipts: Vec::with_capacity(messages),
                        seen: vec![false; messages],
                        last_seq: 0,
                        duplicated: 0,
                        out_of_order: 0,
                        stale: 0,
                        joined: false,
                        frame_bytes: 0,
                        ended: None,
                    })
                })
                .collect(),
            delivered: AtomicUsize::new(0),
            joined: AtomicUsize::new(0),
        }
    }
}

impl Listener for Ears {
    fn heard(&self, socket: usize, text: &str, at: Instant) {
        let Ok(frame) = serde_json::from_str::<Frame>(text) else {
            return;
        };
        let mut heard = lock(&self.heard[socket]);
        match (frame.kind.as_ref(), frame.entry, frame.conversation) {
            ("chat_message", Some(entry), _) if entry.conversation_id == self.group => {
                let Some(&n) = self.plan.index.get(&entry.id) else {
                    return;
                };
                heard.frame_bytes = heard.frame_bytes.max(text.len());
                if entry.seq < heard.last_seq {
                    heard.out_of_order += 1;
                } else {
                    heard.last_seq = entry.seq;
                }
                if std::mem::replace(&mut heard.seen[n], true) {
                    heard.duplicated += 1;
                } else {
                    heard.receipts.push((n, at));
                    self.delivered.fetch_add(1, Ordering::Relaxed);
                }
            }
            ("chat_conversation", _, Some(conversation))
                if conversation.id == self.group && !heard.joined =>
            {
                heard.joined = true;
                self.joined.fetch_add(1, Ordering::Relaxed);
            }
            ("chat_stale", _, _) => heard.stale += 1,
            _ => {}
        }
    }

    fn lost(&self, socket: usize, why: String) {
        lock(&self.heard[socket]).ended = Some(why);
    }
}

/// One fan-out's figures: the council server's or Mosquitto's.
struct Figures {
    name: String,
    members: usize,
    /// Messages sent (PUTs, or publishes).
    sent: usize,
    delivered: usize,
    lost: usize,
    duplicated: usize,
    out_of_order: usize,
    /// Every receipt's delivery latency, sorted.
    delivery: Vec<Duration>,
    /// Every PUT's time to its answer, sorted (none for Mosquitto).
    acks: Vec<Duration>,
    refused: usize,
    stale: u32,
    sockets_ended: usize,
    pacing: Pacing,
    frame_bytes: usize,
    memory: Option<Memory>,
    /// CPU seconds of the server (or broker) and of this process over the run.
    cpu: (Option<f64>, Option<f64>),
}

impl Figures {
    fn measure(
        name: String,
        ears: &Ears,
        pacing: Pacing,
        mut acks: Vec<Duration>,
        refused: usize,
        memory: Option<Memory>,
        cpu: (Option<f64>, Option<f64>),
    ) -> Figures {
        let sent = ears.plan.ids.len();
        let mut figures = Figures {
            name,
            members: ears.heard.len(),
            sent,
            delivered: 0,
            lost: 0,
            duplicated: 0,
            out_of_order: 0,
            delivery: Vec::with_capacity(sent * ears.heard.len()),
            acks: Vec::new(),
            refused,
            stale: 0,
            sockets_ended: 0,
            pacing,
            frame_bytes: 0,
            memory,
            cpu,
        };
        for heard in &ears.heard {
            let heard = lock(heard);
            figures.delivered += heard.receipts.len();
            figures.duplicated += heard.duplicated;
            figures.out_of_order += heard.out_of_order;
            figures.stale += heard.stale;
            figures.sockets_ended += usize::from(heard.ended.is_some());
            figures.frame_bytes = figures.frame_bytes.max(heard.frame_bytes);
            for (n, at) in &heard.receipts {
                if let Some(sent) = ears.plan.sent[*n].get() {
                    figures.delivery.push(at.saturating_duration_since(*sent));
                }
            }
        }
        figures.lost = sent * figures.members - figures.delivered;
        figures.delivery.sort_unstable();
        acks.sort_unstable();
        figures.acks = acks;
        figures
    }

    /// Every message reached every member once, in order.
    fn exact(&self) -> bool {
        self.lost == 0 && self.duplicated == 0 && self.out_of_order == 0
    }

    fn print(&self) {
        let name = &self.name;
        println!(
            "{name:<18} delivery     {}  {} messages × {} members: lost {} duplicated {} out of order {} ({} stale, {} sockets ended)",
            summary(&self.delivery),
            self.sent,
            self.members,
            self.lost,
            self.duplicated,
            self.out_of_order,
            self.stale,
            self.sockets_ended,
        );
        if !self.acks.is_empty() || self.refused > 0 {
            println!(
                "{:<18} PUT answered {}  refused {}",
                "",
                summary(&self.acks),
                self.refused
            );
        }
        let memory = self.memory.map_or("RSS unknown".into(), |m| {
            format!("RSS {:.1} MB (peak {:.1} MB)", m.rss, m.peak)
        });
        println!(
            "{:<18} {}-byte frames over {:.1?}; {} sends left their tick late (max {:.1?}); CPU {} s, load generator {} s; {memory}",
            "",
            self.frame_bytes,
            self.pacing.took,
            self.pacing.late,
            self.pacing.max_lag,
            show(self.cpu.0),
            show(self.cpu.1),
        );
    }

    /// The figures as JSON; the fan-out's process (`server` or `broker`) names its memory
    /// and CPU.
    fn json(&self, process: &str) -> serde_json::Value {
        let mut figures = json!({
            "name": self.name,
            "members": self.members,
            "sent": self.sent,
            "delivered": self.delivered,
            "lost": self.lost,
            "duplicated": self.duplicated,
            "out_of_order": self.out_of_order,
            "delivery_p50_ms": ms(percentile(&self.delivery, 0.5)),
            "delivery_p99_ms": ms(percentile(&self.delivery, 0.99)),
            "delivery_max_ms": ms(percentile(&self.delivery, 1.0)),
            "chat_stale": self.stale,
            "sockets_ended": self.sockets_ended,
            "frame_bytes": self.frame_bytes,
            "late_sends": self.pacing.late,
            "max_send_lag_ms": ms(Some(self.pacing.max_lag)),
            "run_s": (self.pacing.took.as_secs_f64() * 10.0).round() / 10.0,
            "load_generator_cpu_s": self.cpu.1,
        });
        figures[format!("{process}_rss_mb")] = json!(self.memory.map(|m| m.rss));
        figures[format!("{process}_peak_rss_mb")] = json!(self.memory.map(|m| m.peak));
        figures[format!("{process}_cpu_s")] = json!(self.cpu.0);
        // Only the council server answers each message (Mosquitto's publish is fire and forget).
        if process == "server" {
            figures["post_ack_p50_ms"] = json!(ms(percentile(&self.acks, 0.5)));
            figures["post_ack_p99_ms"] = json!(ms(percentile(&self.acks, 0.99)));
            figures["post_ack_max_ms"] = json!(ms(percentile(&self.acks, 1.0)));
            figures["refused"] = json!(self.refused);
        }
        figures
    }
}

// --- Mosquitto ----------------------------------------------------------------------------

/// The same messages through Debian's mosquitto: as many subscribers, the same frames at the
/// same rate, one publisher.
async fn mosquitto_run(
    args: &Args,
    group: ConversationId,
    authors: &[MemberId],
) -> anyhow::Result<Figures> {
    use rumqttc::QoS;
    let broker = Mosquitto::start().await?;
    let plan = Arc::new(Plan::new(args.messages()));
    let ears = Arc::new(Ears::new(group, Arc::clone(&plan), authors.len()));
    let (stop, stopped) = watch::channel(false);
    let began = Instant::now();
    broker
        .subscribe(
            TOPIC,
            authors.len(),
            Arc::clone(&ears) as Arc<dyn Listener>,
            &stopped,
        )
        .await?;
    println!(
        "  {} MQTT subscribers connected and subscribed in {:.1?}",
        authors.len(),
        began.elapsed()
    );
    let publisher = broker.publisher(&stopped).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;

    let cpu = CpuClock::read(Some(broker.pid()));
    let pacing = pace(args, &ears, Some(broker.pid()), |n| {
        // The very frame the council server sends for such a message.
        let seq = n as u64 + 1;
        let frame = serde_json::to_string(&LiveEvent::ChatMessage {
            entry: Box::new(ChatEntry {
                rev: seq,
                message: Message {
                    id: plan.ids[n],
                    conversation_id: group,
                    seq,
                    author: authors[n % authors.len()],
                    body: body(n, args.body_chars),
                    reply_to: None,
                    paper: None,
                    sent_at: SystemClock.now(),
                    edited_at: None,
                    deleted_at: None,
                },
            }),
        });
        let (publisher, plan) = (&publisher, &plan);
        async move {
            let frame = frame.context("writing a chat frame")?;
            plan.sent[n].get_or_init(Instant::now);
            publisher
                .publish(TOPIC, QoS::AtMostOnce, false, frame)
                .await
                .context("publishing to mosquitto")?;
            anyhow::Ok(())
        }
    })
    .await?;
    let expected = args.messages() * authors.len();
    wait_for(Duration::from_secs(args.grace_secs), || {
        ears.delivered.load(Ordering::Relaxed) >= expected
    })
    .await;
    let cpu = CpuClock::read(Some(broker.pid())).seconds_since(cpu);
    let memory = memory_mb(broker.pid()).ok();
    let _ = stop.send(true);
    drop(publisher);
    tokio::time::sleep(Duration::from_millis(200)).await;
    Ok(Figures::measure(
        broker.name.clone(),
        &ears,
        pacing,
        Vec::new(),
        0,
        memory,
        cpu,
    ))
}
