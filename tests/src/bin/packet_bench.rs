//! `make bench` (packet part): the three figures the packet issue names, measured on
//! loopback with release builds, printed side by side with their peers; asserts nothing.
//!
//! 1. Publish → the last of N devices holding the verified packet: N simulated devices
//!    are logged in and follow the live signal; the secretary publishes; each device pulls,
//!    downloads every paper it may read and checks its SHA-256.
//! 2. Throughput: N devices fetch the whole packet at once from the council server
//!    (authorised, per-request rights check) and from nginx serving the same files
//!    (sendfile, no auth), in the same run; the ratio is ours / nginx.
//! 3. Re-sync after one of 40 papers is replaced: bytes a device transfers (pull + files)
//!    as a share of the packet's bytes.
//!
//! The 40-paper packet is the fixture packet plus the first papers of the real-world
//! corpus that the server accepts (smallest first would flatter us; path order is used).
//! Devices are tokio tasks with their own HTTP connection pools, on the same two cores
//! as the server, so both servers are measured under the same client load.

use ecabinet_domain::PacketVersion;
use ecabinet_protocol::{BlobInfo, ChangesPage, LiveEvent, LoginResponse, SyncRecord};
use ecabinet_stories::{CouncilServer, DEMO_PASSWORD, free_port, repo_root};
use futures_util::StreamExt;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use uuid::Uuid;

const PAPERS: usize = 40;

struct Api {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Api {
    async fn login(base: &str, username: &str) -> anyhow::Result<Api> {
        let http = reqwest::Client::new();
        let login: LoginResponse = http
            .post(format!("{base}/api/v1/auth/login"))
            .json(&json!({"username": username, "password": DEMO_PASSWORD}))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        Ok(Api {
            http,
            base: base.to_owned(),
            token: login.token,
        })
    }

    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: serde_json::Value,
    ) -> anyhow::Result<serde_json::Value> {
        let response = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await?;
        let status = response.status();
        let value: serde_json::Value = response.json().await?;
        anyhow::ensure!(status.is_success(), "{path}: {status} {value}");
        Ok(value)
    }

    /// Uploads a file; `None` when the server refuses it (not every corpus file is usable).
    async fn upload(&self, bytes: Vec<u8>) -> anyhow::Result<Option<BlobInfo>> {
        let hash = hex::encode(Sha256::digest(&bytes));
        let response = self
            .http
            .put(format!("{}/api/v1/blobs/{hash}", self.base))
            .bearer_auth(&self.token)
            .body(bytes)
            .send()
            .await?;
        if response.status().is_success() {
            Ok(Some(response.json().await?))
        } else {
            Ok(None)
        }
    }

    async fn changes(&self, after: i64) -> anyhow::Result<(ChangesPage, u64)> {
        let bytes = self
            .http
            .get(format!("{}/api/v1/sync/changes?after={after}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await?
            .error_for_status()?
            .bytes()
            .await?;
        Ok((serde_json::from_slice(&bytes)?, bytes.len() as u64))
    }
}

/// A simulated device: what it has pulled, what it holds, how many bytes it transferred.
struct Device {
    api: Api,
    cursor: i64,
    held: std::collections::HashSet<String>,
    transferred: u64,
}

impl Device {
    async fn new(base: &str, username: &str) -> anyhow::Result<Device> {
        let mut device = Device {
            api: Api::login(base, username).await?,
            cursor: 0,
            held: Default::default(),
            transferred: 0,
        };
        device.pull().await?;
        Ok(device)
    }

    /// Pulls to the head; returns the newest packet version seen.
    async fn pull(&mut self) -> anyhow::Result<Option<PacketVersion>> {
        let mut latest = None;
        loop {
            let (page, bytes) = self.api.changes(self.cursor).await?;
            self.transferred += bytes;
            self.cursor = page.next_cursor;
            for change in page.changes {
                if let SyncRecord::PacketVersion(v) = change.record {
                    latest = Some(v);
                }
            }
            if !page.has_more {
                return Ok(latest);
            }
        }
    }

    /// Downloads and verifies every file of `version` this device does not hold yet.
    async fn fetch(&mut self, version: &PacketVersion) -> anyhow::Result<()> {
        for file in version.entries.iter().filter_map(|e| e.file.as_ref()) {
            let hash = file.hash.as_str();
            if self.held.contains(hash) {
                continue;
            }
            let bytes = self
                .api
                .http
                .get(format!("{}/api/v1/blobs/{hash}", self.api.base))
                .bearer_auth(&self.api.token)
                .send()
                .await?
                .error_for_status()?
                .bytes()
                .await?;
            anyhow::ensure!(
                hex::encode(Sha256::digest(&bytes)) == hash,
                "paper {hash} does not verify"
            );
            self.transferred += bytes.len() as u64;
            self.held.insert(hash.to_owned());
        }
        Ok(())
    }

    /// Waits for the live signal that the log grew past `after`.
    async fn wait_for_change(&self, after: i64) -> anyhow::Result<()> {
        let url = format!(
            "{}/api/v1/live",
            self.api.base.replacen("http://", "ws://", 1)
        );
        let mut request =
            tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(url)?;
        request.headers_mut().insert(
            "authorization",
            format!("Bearer {}", self.api.token).parse()?,
        );
        let (mut socket, _) = tokio_tungstenite::connect_async(request).await?;
        while let Some(message) = socket.next().await {
            if let tokio_tungstenite::tungstenite::Message::Text(text) = message?
                && let Ok(LiveEvent::Changed { head } | LiveEvent::Hello { head }) =
                    serde_json::from_str::<LiveEvent>(&text)
                && head > after
            {
                return Ok(());
            }
        }
        anyhow::bail!("live socket closed")
    }
}

fn papers(fixtures: &Path, corpus: &Path) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    for dir in [fixtures, corpus] {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
            .filter_map(|e| Some(e.ok()?.path()))
            .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("pdf")))
            .collect();
        entries.sort();
        for path in entries {
            let name = path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            files.push((name, std::fs::read(&path)?));
        }
    }
    Ok(files)
}

struct Nginx {
    child: Child,
    port: u16,
    conf: PathBuf,
    work: PathBuf,
}

impl Nginx {
    fn start(root: &Path, work: &Path) -> anyhow::Result<Nginx> {
        let port = free_port();
        // nginx's workers drop to an unprivileged user when started as root: let them in.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755))?;
            for entry in std::fs::read_dir(root)? {
                std::fs::set_permissions(entry?.path(), std::fs::Permissions::from_mode(0o644))?;
            }
        }
        let config = format!(
            "worker_processes 2;
daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location / {{ }}
    }}
}}
",
            work = work.display(),
            root = root.display()
        );
        let conf = work.join("nginx.conf");
        std::fs::write(&conf, config)?;
        let child = Command::new("nginx")
            .args(["-p"])
            .arg(work)
            .arg("-c")
            .arg(&conf)
            .spawn()
            .map_err(|e| anyhow::anyhow!("starting nginx (make bench installs it): {e}"))?;
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            anyhow::ensure!(
                Instant::now() < deadline,
                "nginx did not start; see {}/error.log",
                work.display()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(Nginx {
            child,
            port,
            conf,
            work: work.to_owned(),
        })
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // A SIGKILL to the master would orphan its workers: ask it to stop them first.
        let _ = Command::new("nginx")
            .arg("-p")
            .arg(&self.work)
            .arg("-c")
            .arg(&self.conf)
            .args(["-s", "stop"])
            .status();
        let _ = self.child.wait();
    }
}

/// N devices fetch every URL at once, each over its own connections; bytes/s overall.
async fn fetch_all_at_once(
    urls: Arc<Vec<String>>,
    token: Option<String>,
    devices: usize,
) -> anyhow::Result<(f64, u64, Duration)> {
    let total = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..devices {
        let (urls, token, total) = (urls.clone(), token.clone(), total.clone());
        tasks.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            for url in urls.iter() {
                let mut request = http.get(url);
                if let Some(token) = &token {
                    request = request.bearer_auth(token);
                }
                let mut response = request.send().await?.error_for_status()?;
                while let Some(chunk) = response.chunk().await? {
                    total.fetch_add(chunk.len() as u64, Ordering::Relaxed);
                }
            }
            anyhow::Ok(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    let elapsed = start.elapsed();
    let bytes = total.load(Ordering::Relaxed);
    Ok((bytes as f64 / elapsed.as_secs_f64(), bytes, elapsed))
}

fn mb(bytes: f64) -> f64 {
    bytes / 1_000_000.0
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let devices: usize = args
        .iter()
        .position(|a| a == "--devices")
        .and_then(|i| args.get(i + 1)?.parse().ok())
        .unwrap_or(100);
    let shared = repo_root().join("../shared");
    let candidates = papers(
        &shared.join("fixtures/packet"),
        &shared.join("corpus/realworld"),
    )?;

    let data = tempfile::tempdir()?;
    let server = CouncilServer::start(data.path(), 0);
    let base = server.url();
    println!("council server (release) at {base}; {devices} simulated devices\n");

    // The secretary prepares a meeting with 40 papers; the chair approves them.
    let secretary = Api::login(&base, "secretary").await?;
    let chair = Api::login(&base, "chair").await?;
    let meeting = secretary
        .send(reqwest::Method::POST, "/api/v1/meetings", json!({"title": "Phiên đo hiệu năng", "starts_at": 1_900_000_000_000_i64, "location": "Phòng họp"}))
        .await?;
    let meeting_id = meeting["id"].as_str().unwrap_or_default().to_owned();
    let item = secretary
        .send(
            reqwest::Method::POST,
            &format!("/api/v1/meetings/{meeting_id}/agenda-items"),
            json!({"parent_id": null, "position": 1, "title": "Các tài liệu"}),
        )
        .await?;
    let mut packet: Vec<(String, BlobInfo, String)> = Vec::new();
    let upload_start = Instant::now();
    for (name, bytes) in candidates {
        if packet.len() == PAPERS {
            break;
        }
        let Some(blob) = secretary.upload(bytes).await? else {
            continue;
        };
        if packet.iter().any(|(_, b, _)| b.hash == blob.hash) {
            continue;
        }
        let paper = secretary
            .send(
                reqwest::Method::POST,
                &format!("/api/v1/meetings/{meeting_id}/papers"),
                json!({"id": Uuid::new_v4(), "place": {"at": "item", "id": item["id"]}, "position": packet.len(),
                       "title": name, "kind": "other", "visibility": {"scope": "all_participants"},
                       "hash": blob.hash, "file_name": name, "source": null}),
            )
            .await?;
        let paper_id = paper["id"].as_str().unwrap_or_default().to_owned();
        chair
            .send(
                reqwest::Method::POST,
                &format!("/api/v1/papers/{paper_id}/approval"),
                json!(null),
            )
            .await?;
        packet.push((name, blob, paper_id));
    }
    let packet_bytes: u64 = packet.iter().map(|(_, b, _)| b.size).sum();
    println!(
        "packet: {} papers, {:.1} MB, {} pages (uploaded, checked by PDFium and approved in {:.1?})",
        packet.len(),
        mb(packet_bytes as f64),
        packet
            .iter()
            .map(|(_, b, _)| u64::from(b.pages))
            .sum::<u64>(),
        upload_start.elapsed()
    );

    // 1. Publish → last device holding the verified packet.
    let delegates: Vec<String> = (1..=12).map(|n| format!("delegate{n:02}")).collect();
    let mut ready = Vec::new();
    for i in 0..devices {
        ready.push(Device::new(&base, &delegates[i % delegates.len()]).await?);
    }
    let head = ready[0].cursor;
    let (started_tx, _) = tokio::sync::broadcast::channel::<Instant>(1);
    let mut tasks = Vec::new();
    for mut device in ready {
        let mut started = started_tx.subscribe();
        tasks.push(tokio::spawn(async move {
            device.wait_for_change(head).await?;
            let version = device
                .pull()
                .await?
                .ok_or_else(|| anyhow::anyhow!("no packet arrived"))?;
            device.fetch(&version).await?;
            let t0 = started.recv().await?;
            anyhow::Ok((t0.elapsed(), device))
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await; // every socket is connected
    let t0 = Instant::now();
    secretary
        .send(
            reqwest::Method::POST,
            &format!("/api/v1/meetings/{meeting_id}/packets"),
            json!({"expected_number": 1}),
        )
        .await?;
    let _ = started_tx.send(t0);
    let mut times = Vec::new();
    let mut holders = Vec::new();
    for task in tasks {
        let (time, device) = task.await??;
        times.push(time);
        holders.push(device);
    }
    times.sort();
    println!(
        "\n1. publish → devices holding the verified packet ({} devices, {:.1} MB each):\n   first {:.2?}   median {:.2?}   p95 {:.2?}   last {:.2?}",
        devices,
        mb(packet_bytes as f64),
        times[0],
        times[times.len() / 2],
        times[(times.len() - 1) * 95 / 100],
        times[times.len() - 1]
    );

    // 2. Throughput beside nginx, same files, same client load, three rounds each.
    let files = tempfile::tempdir()?;
    for (_, blob, _) in &packet {
        let source = data
            .path()
            .join("blobs")
            .join(&blob.hash.as_str()[..2])
            .join(blob.hash.as_str());
        std::fs::copy(&source, files.path().join(format!("{}.pdf", blob.hash)))?;
    }
    let work = tempfile::tempdir()?;
    let nginx = Nginx::start(files.path(), work.path())?;
    let ours: Arc<Vec<String>> = Arc::new(
        packet
            .iter()
            .map(|(_, b, _)| format!("{base}/api/v1/blobs/{}", b.hash))
            .collect(),
    );
    let theirs: Arc<Vec<String>> = Arc::new(
        packet
            .iter()
            .map(|(_, b, _)| format!("http://127.0.0.1:{}/{}.pdf", nginx.port, b.hash))
            .collect(),
    );
    let token = holders[0].api.token.clone();
    let (mut ours_best, mut nginx_best) = (0f64, 0f64);
    println!(
        "\n2. {devices} devices fetch the whole packet at once ({:.0} MB per round):",
        mb((packet_bytes * devices as u64) as f64)
    );
    for round in 1..=3 {
        let (rate, bytes, time) =
            fetch_all_at_once(ours.clone(), Some(token.clone()), devices).await?;
        println!(
            "   round {round}: council-server {:>7.1} MB/s ({:.0} MB in {:.2?})",
            mb(rate),
            mb(bytes as f64),
            time
        );
        ours_best = ours_best.max(rate);
        let (rate, bytes, time) = fetch_all_at_once(theirs.clone(), None, devices).await?;
        println!(
            "            nginx          {:>7.1} MB/s ({:.0} MB in {:.2?})",
            mb(rate),
            mb(bytes as f64),
            time
        );
        nginx_best = nginx_best.max(rate);
    }
    println!(
        "   best of 3: council-server {:.1} MB/s, nginx {:.1} MB/s, ratio {:.2} (goal ≥ 0.8)",
        mb(ours_best),
        mb(nginx_best),
        ours_best / nginx_best
    );
    drop(nginx);

    // 3. Re-sync after one of the 40 papers is replaced (the median-size one).
    let mut by_size: Vec<&(String, BlobInfo, String)> = packet.iter().collect();
    by_size.sort_by_key(|(_, b, _)| b.size);
    let (name, blob, paper_id) = by_size[by_size.len() / 2];
    let original = std::fs::read(
        data.path()
            .join("blobs")
            .join(&blob.hash.as_str()[..2])
            .join(blob.hash.as_str()),
    )?;
    let mut amended = original.clone();
    amended.extend_from_slice(b"\n% amended the night before\n");
    let new_blob = secretary
        .upload(amended)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the amended paper was refused"))?;
    secretary
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/papers/{paper_id}"),
            json!({"hash": new_blob.hash}),
        )
        .await?;
    chair
        .send(
            reqwest::Method::POST,
            &format!("/api/v1/papers/{paper_id}/approval"),
            json!(null),
        )
        .await?;
    secretary
        .send(
            reqwest::Method::POST,
            &format!("/api/v1/meetings/{meeting_id}/packets"),
            json!({"expected_number": 2}),
        )
        .await?;
    let device = &mut holders[0];
    let before = device.transferred;
    let version = device
        .pull()
        .await?
        .ok_or_else(|| anyhow::anyhow!("version 2 did not arrive"))?;
    let pulled = device.transferred - before;
    device.fetch(&version).await?;
    let transferred = device.transferred - before;
    let new_packet_bytes = version.total_bytes();
    println!(
        "\n3. re-sync after replacing one of {} papers ({name}, {:.0} KB):\n   transferred {:.1} KB ({:.1} KB change log + {:.1} KB paper) = {:.2}% of the packet's {:.1} MB (goal ≤ 3%)",
        version.entries.len(),
        new_blob.size as f64 / 1000.0,
        transferred as f64 / 1000.0,
        pulled as f64 / 1000.0,
        (transferred - pulled) as f64 / 1000.0,
        100.0 * transferred as f64 / new_packet_bytes as f64,
        mb(new_packet_bytes as f64)
    );
    Ok(())
}
