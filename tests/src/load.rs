//! What the load generators (`meeting-load`, `vote-load`, `chat-load`) share: logging in a
//! crowd of demo delegates, their live WebSockets, Mosquitto as the reference fan-out,
//! percentiles, and the process side (open files, CPU and memory of the server).

use crate::DEMO_PASSWORD;
use anyhow::{Context, bail};
use ecabinet_domain::MemberId;
use ecabinet_protocol::LoginResponse;
use futures_util::StreamExt;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{Notify, Semaphore, watch};
use tokio::task::JoinSet;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

/// Sockets (and MQTT subscribers) connecting at once.
pub const CONNECTS_IN_FLIGHT: usize = 128;
/// Logins at once: each costs the server an argon2 verification on one of its cores.
pub const LOGINS_IN_FLIGHT: usize = 8;
/// A live socket's read buffer: frames are a few hundred bytes.
const READ_BUFFER: usize = 8 * 1024;

/// A logged-in member.
#[derive(Clone)]
pub struct Api {
    pub http: reqwest::Client,
    pub base: String,
    pub token: String,
    pub member: MemberId,
}

impl Api {
    pub async fn login(http: reqwest::Client, base: &str, username: &str) -> anyhow::Result<Api> {
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

    pub async fn get<T: serde::de::DeserializeOwned>(&self, path: &str) -> anyhow::Result<T> {
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

    pub async fn text(&self, path: &str) -> anyhow::Result<String> {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await?;
        let status = response.status();
        anyhow::ensure!(status.is_success(), "GET {path}: {status}");
        Ok(response.text().await?)
    }

    /// `method` `path` with `body` as JSON; the answer when it succeeds.
    pub async fn send<T: serde::de::DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &impl serde::Serialize,
    ) -> anyhow::Result<T> {
        let response = self
            .http
            .request(method.clone(), format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await?;
        let status = response.status();
        anyhow::ensure!(
            status.is_success(),
            "{method} {path}: {status} {}",
            response.text().await.unwrap_or_default()
        );
        Ok(response.json().await?)
    }
}

/// Every record of the council `member` may read, pulled page by page from the start.
pub async fn council_records(member: &Api) -> anyhow::Result<Vec<ecabinet_protocol::SyncRecord>> {
    let mut records = Vec::new();
    let mut after = 0;
    loop {
        let page: ecabinet_protocol::ChangesPage = member
            .get(&format!("/api/v1/sync/changes?after={after}"))
            .await?;
        records.extend(page.changes.into_iter().map(|change| change.record));
        after = page.next_cursor;
        if !page.has_more {
            return Ok(records);
        }
    }
}

/// Logs in each of `names`, a few at once; in their order.
pub async fn login_all(
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

/// What a crowd of live sockets hears: each text frame as it comes off socket `socket`, and
/// each socket that ends on its own.
pub trait Listener: Send + Sync + 'static {
    fn heard(&self, socket: usize, text: &str, at: Instant);
    fn lost(&self, socket: usize, why: String);
    /// The socket connected again after [`LiveSockets::drop_and_reconnect`].
    fn reconnected(&self, _socket: usize) {}
}

/// Every member's live socket, each in its own task until `stop`.
pub struct LiveSockets {
    reconnect: Vec<Arc<Notify>>,
}

impl LiveSockets {
    /// Opens a live socket for each of `members` (a bounded number connecting at once);
    /// returns once each has said hello.
    pub async fn open(
        base: &str,
        members: &[Api],
        listener: Arc<dyn Listener>,
        stopped: &watch::Receiver<bool>,
    ) -> anyhow::Result<LiveSockets> {
        let live = format!("{}/api/v1/live", base.replacen("http", "ws", 1));
        let gate = Arc::new(Semaphore::new(CONNECTS_IN_FLIGHT));
        let mut hellos = JoinSet::new();
        let mut reconnect = Vec::new();
        for (index, member) in members.iter().enumerate() {
            let (live, token, gate) = (live.clone(), member.token.clone(), Arc::clone(&gate));
            let (listener, mut stopped) = (Arc::clone(&listener), stopped.clone());
            let again = Arc::new(Notify::new());
            reconnect.push(Arc::clone(&again));
            let (said_hello, hello) = tokio::sync::oneshot::channel();
            hellos.spawn(hello);
            tokio::spawn(async move {
                let permit = gate.acquire_owned().await;
                let socket = connect(&live, &token).await;
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
                                Some(Ok(Message::Text(text))) => listener.heard(index, text.as_str(), now),
                                Some(Ok(Message::Close(frame))) => {
                                    listener.lost(index, format!("closed: {frame:?}"));
                                    return;
                                }
                                Some(Ok(_)) => {}
                                Some(Err(e)) => {
                                    listener.lost(index, e.to_string());
                                    return;
                                }
                                None => {
                                    listener.lost(index, "ended".into());
                                    return;
                                }
                            }
                        }
                        _ = again.notified() => {
                            // A dropped connection: no close frame, as when a laptop's
                            // Wi-Fi goes; then a new socket, as the app's sync loop opens.
                            drop(socket);
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            socket = match connect(&live, &token).await {
                                Ok(socket) => socket,
                                Err(e) => {
                                    listener.lost(index, format!("reconnecting: {e}"));
                                    return;
                                }
                            };
                            listener.reconnected(index);
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
        Ok(LiveSockets { reconnect })
    }

    pub fn len(&self) -> usize {
        self.reconnect.len()
    }

    pub fn is_empty(&self) -> bool {
        self.reconnect.is_empty()
    }

    /// Drops socket `index`'s connection without a word and opens a new one.
    pub fn drop_and_reconnect(&self, index: usize) {
        self.reconnect[index].notify_one();
    }
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A live socket that has said hello (the server has subscribed it).
async fn connect(live: &str, token: &str) -> anyhow::Result<Socket> {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut request = live.into_client_request()?;
    request
        .headers_mut()
        .insert("authorization", format!("Bearer {token}").parse()?);
    // tungstenite zero-fills its whole read buffer (128 KiB by default) before every
    // read: with 2,000 sockets on the same two cores as the server, that memset would be
    // most of this process's work and starve the server.
    let config = WebSocketConfig::default().read_buffer_size(READ_BUFFER);
    let (mut socket, _) =
        tokio_tungstenite::connect_async_with_config(request, Some(config), false).await?;
    match socket.next().await {
        Some(Ok(_)) => Ok(socket),
        other => bail!("no hello on the live socket: {other:?}"),
    }
}

// --- Mosquitto -----------------------------------------------------------------------------

/// Debian's mosquitto on a free loopback port, for the reference fan-out; stopped when
/// dropped.
pub struct Mosquitto {
    pub name: String,
    pub port: u16,
    child: std::process::Child,
    _dir: tempfile::TempDir,
}

impl Mosquitto {
    pub async fn start() -> anyhow::Result<Mosquitto> {
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
        let port = crate::free_port();
        let config = dir.path().join("mosquitto.conf");
        std::fs::write(
            &config,
            format!(
                "listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stderr\nlog_type error\nlog_type warning\n"
            ),
        )?;
        let child = std::process::Command::new(program)
            .arg("-c")
            .arg(&config)
            .stdout(std::process::Stdio::null())
            .spawn()
            .context("starting mosquitto")?;
        let broker = Mosquitto {
            name,
            port,
            child,
            _dir: dir,
        };
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
        Ok(broker)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    fn options(&self, id: &str) -> rumqttc::MqttOptions {
        let mut options = rumqttc::MqttOptions::new(id, "127.0.0.1", self.port);
        options.set_keep_alive(Duration::from_secs(30));
        options
    }

    /// `count` subscribers to `topic`, each handing what it hears to `listener` (as socket
    /// `index`); returns once all are subscribed.
    pub async fn subscribe(
        &self,
        topic: &str,
        count: usize,
        listener: Arc<dyn Listener>,
        stopped: &watch::Receiver<bool>,
    ) -> anyhow::Result<()> {
        use rumqttc::{AsyncClient, Event, Packet, QoS};
        let gate = Arc::new(Semaphore::new(CONNECTS_IN_FLIGHT));
        let mut subscribed = JoinSet::new();
        for index in 0..count {
            let (client, mut events) =
                AsyncClient::new(self.options(&format!("subscriber{index:04}")), 16);
            let (listener, mut stopped, gate) =
                (Arc::clone(&listener), stopped.clone(), Arc::clone(&gate));
            let topic = topic.to_owned();
            let (ready, is_ready) = tokio::sync::oneshot::channel::<anyhow::Result<()>>();
            subscribed.spawn(is_ready);
            tokio::spawn(async move {
                let mut permit = Some(gate.acquire_owned().await);
                let mut ready = Some(ready);
                if let Err(e) = client.subscribe(topic, QoS::AtMostOnce).await {
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
                                        listener.heard(index, text, now);
                                    }
                                }
                                Ok(Event::Incoming(Packet::SubAck(_))) => {
                                    permit.take();
                                    let _ = ready.take().map(|r| r.send(Ok(())));
                                }
                                Ok(_) => {}
                                Err(e) => {
                                    listener.lost(index, e.to_string());
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
        Ok(())
    }

    /// A connected publisher.
    pub async fn publisher(
        &self,
        stopped: &watch::Receiver<bool>,
    ) -> anyhow::Result<rumqttc::AsyncClient> {
        use rumqttc::{AsyncClient, Event, Packet};
        let (publisher, mut publishing) = AsyncClient::new(self.options("publisher"), 16);
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
                            eprintln!("the MQTT publisher failed: {e}");
                            return;
                        }
                    },
                    _ = publisher_stopped.changed() => return,
                }
            }
        });
        up.await.context("the MQTT publisher did not connect")?;
        Ok(publisher)
    }
}

impl Drop for Mosquitto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// --- Figures -------------------------------------------------------------------------------

pub async fn wait_for(limit: Duration, mut done: impl FnMut() -> bool) {
    let until = Instant::now() + limit;
    while !done() && Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

pub fn percentile(samples: &[Duration], p: f64) -> Option<Duration> {
    if samples.is_empty() {
        return None;
    }
    let mut sorted = samples.to_vec();
    sorted.sort();
    Some(sorted[((sorted.len() - 1) as f64 * p).round() as usize])
}

/// Milliseconds to a tenth.
pub fn ms(d: Option<Duration>) -> Option<f64> {
    d.map(|d| (d.as_secs_f64() * 1e4).round() / 10.0)
}

pub fn show(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| format!("{v}"))
}

pub fn summary(samples: &[Duration]) -> String {
    let at = |p| show(ms(percentile(samples, p)));
    format!(
        "n={:<6} p50={:>7} ms p99={:>7} ms max={:>7} ms",
        samples.len(),
        at(0.5),
        at(0.99),
        at(1.0)
    )
}

// --- The process side: open files, memory, who listens on a port ----------------------------

/// Raises the soft limit of open files to the hard one; returns the limit now in force.
pub fn raise_open_file_limit() -> u64 {
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
pub struct CpuClock {
    server: Option<f64>,
    own: Option<f64>,
}

impl CpuClock {
    pub fn read(server: Option<u32>) -> CpuClock {
        CpuClock {
            server: server.and_then(|pid| cpu_seconds(&pid.to_string())),
            own: cpu_seconds("self"),
        }
    }

    /// CPU seconds the server and this process used since `earlier`, as numbers for a
    /// benchmark's JSON (`None` where /proc could not be read).
    pub fn seconds_since(self, earlier: CpuClock) -> (Option<f64>, Option<f64>) {
        let used =
            |now: Option<f64>, then: Option<f64>| Some(((now? - then?) * 10.0).round() / 10.0);
        (
            used(self.server, earlier.server),
            used(self.own, earlier.own),
        )
    }

    pub fn since(self, earlier: CpuClock) -> String {
        let used = |now: Option<f64>, then: Option<f64>| match (now, then) {
            (Some(now), Some(then)) => format!("{:.1} s", now - then),
            _ => "unknown".into(),
        };
        format!(
            "CPU: server {}, load generator {}",
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
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg").map_or("unknown".into(), |l| {
        l.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    })
}

/// The server's memory for a progress line.
pub fn memory_now(pid: Option<u32>) -> String {
    match pid.map(memory_mb) {
        Some(Ok(m)) => format!("RSS {:.1} MB (peak {:.1} MB)", m.rss, m.peak),
        _ => "RSS unknown".into(),
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Memory {
    pub rss: f64,
    pub peak: f64,
}

/// A process's resident memory now and at its peak, in MB, from /proc/<pid>/status.
pub fn memory_mb(pid: u32) -> anyhow::Result<Memory> {
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
pub fn server_pid_by_port(url: &str) -> Option<u32> {
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

/// The council server a load generator drives: the one at `--server` (its process found by
/// its port unless `--server-pid` names it), or a release server started here on `data`
/// (SQLite) with a crowd of `crowd` demo delegates, stopped when this is dropped.
pub struct LoadServer {
    pub url: String,
    pub pid: Option<u32>,
    started: Option<crate::CouncilServer>,
}

impl LoadServer {
    pub fn given_or_started(
        given: Option<&str>,
        given_pid: Option<u32>,
        crowd: usize,
        data: &Path,
    ) -> LoadServer {
        match given {
            Some(url) => {
                let url = url.trim_end_matches('/').to_owned();
                let pid = given_pid.or_else(|| server_pid_by_port(&url));
                LoadServer {
                    url,
                    pid,
                    started: None,
                }
            }
            None => {
                let server = crate::CouncilServer::start_with_args(
                    crate::Backend::Sqlite,
                    data,
                    0,
                    &["--demo-delegates", &crowd.to_string()],
                );
                LoadServer {
                    url: server.url(),
                    pid: server.pid(),
                    started: Some(server),
                }
            }
        }
    }

    /// How the report names where the server came from.
    pub fn origin(&self) -> &'static str {
        if self.started.is_some() {
            " (started here on a temp data dir, SQLite)"
        } else {
            ""
        }
    }
}
