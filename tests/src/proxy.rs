//! A TCP proxy that plays the chamber's Wi-Fi: it forwards loopback connections to the
//! council server at a limited rate, counts the bytes, and can cut every connection at
//! once. The product stays unchanged; only the link between the app and the server is
//! made slow and unreliable.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::time::Instant;

/// A running proxy on 127.0.0.1, in its own thread and runtime so a test that blocks
/// (waiting for a process) never stalls it. Stops on drop.
pub struct ThrottledProxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

struct Shared {
    upstream_port: AtomicU64,
    /// Bytes per second in each direction, shared by all connections like one radio link;
    /// 0 for no limit.
    rate: AtomicU64,
    to_client: AtomicU64,
    to_server: AtomicU64,
    /// Bumped to cut every open connection.
    cuts: watch::Sender<u64>,
    /// The link is down: connections are cut and new ones closed at once.
    down: std::sync::atomic::AtomicBool,
    /// When the link is next free, per direction (a token bucket without burst).
    down_free: Mutex<Instant>,
    up_free: Mutex<Instant>,
}

impl ThrottledProxy {
    /// Forwards to the server on `upstream_port`; `rate` in bytes per second, `None` for
    /// unlimited.
    pub fn start(upstream_port: u16, rate: Option<u64>) -> ThrottledProxy {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binding the proxy");
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let (cuts, _) = watch::channel(0);
        let shared = Arc::new(Shared {
            upstream_port: AtomicU64::new(u64::from(upstream_port)),
            rate: AtomicU64::new(rate.unwrap_or(0)),
            to_client: AtomicU64::new(0),
            to_server: AtomicU64::new(0),
            cuts,
            down: std::sync::atomic::AtomicBool::new(false),
            down_free: Mutex::new(Instant::now()),
            up_free: Mutex::new(Instant::now()),
        });
        let (shutdown, shutdown_rx) = tokio::sync::oneshot::channel();
        let serving = shared.clone();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = TcpListener::from_std(listener).unwrap();
                tokio::select! {
                    _ = accept_loop(listener, serving) => {}
                    _ = shutdown_rx => {}
                }
            });
        });
        ThrottledProxy {
            addr,
            shared,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }
    }

    /// The address the app should use as its server.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn set_rate(&self, bytes_per_second: Option<u64>) {
        self.shared
            .rate
            .store(bytes_per_second.unwrap_or(0), Ordering::SeqCst);
    }

    /// Bytes forwarded from the server to the app so far.
    pub fn bytes_to_client(&self) -> u64 {
        self.shared.to_client.load(Ordering::SeqCst)
    }

    pub fn bytes_to_server(&self) -> u64 {
        self.shared.to_server.load(Ordering::SeqCst)
    }

    /// Drops every open connection, as when the laptop leaves the access point.
    pub fn cut_all(&self) {
        self.shared.cuts.send_modify(|n| *n += 1);
    }

    /// Takes the link down (every connection cut, new ones closed at once, as in a dead
    /// spot of the chamber) or brings it back.
    pub fn set_down(&self, down: bool) {
        self.shared.down.store(down, Ordering::SeqCst);
        if down {
            self.cut_all();
        }
    }
}

impl Drop for ThrottledProxy {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        let Ok((client, _)) = listener.accept().await else {
            // Out of file descriptors or similar: give the system a moment.
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        tokio::spawn(forward(client, shared.clone()));
    }
}

async fn forward(client: TcpStream, shared: Arc<Shared>) {
    let mut cut = shared.cuts.subscribe();
    if shared.down.load(Ordering::SeqCst) {
        return;
    }
    let port = shared.upstream_port.load(Ordering::SeqCst) as u16;
    // The server is down: the app's connection closes at once, as a refused connect would.
    let Ok(server) = TcpStream::connect(("127.0.0.1", port)).await else {
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (client_read, client_write) = client.into_split();
    let (server_read, server_write) = server.into_split();
    let down = pump(server_read, client_write, &shared, Direction::ToClient);
    let up = pump(client_read, server_write, &shared, Direction::ToServer);
    // Either side closing, or a cut, ends both directions.
    tokio::select! {
        _ = down => {}
        _ = up => {}
        _ = cut.changed() => {}
    }
}

#[derive(Clone, Copy)]
enum Direction {
    ToClient,
    ToServer,
}

async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    shared: &Shared,
    direction: Direction,
) {
    let mut buffer = vec![0u8; 16 * 1024];
    loop {
        let rate = shared.rate.load(Ordering::SeqCst);
        // Small reads when throttled, so the flow is smooth rather than bursty.
        let max = if rate == 0 {
            buffer.len()
        } else {
            (rate / 50).clamp(512, buffer.len() as u64) as usize
        };
        let n = match from.read(&mut buffer[..max]).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        if rate > 0 {
            let free = match direction {
                Direction::ToClient => &shared.down_free,
                Direction::ToServer => &shared.up_free,
            };
            let start = {
                let mut free = free.lock().unwrap();
                let start = (*free).max(Instant::now());
                *free = start + Duration::from_secs_f64(n as f64 / rate as f64);
                start
            };
            tokio::time::sleep_until(start).await;
        }
        if to.write_all(&buffer[..n]).await.is_err() {
            return;
        }
        let counter = match direction {
            Direction::ToClient => &shared.to_client,
            Direction::ToServer => &shared.to_server,
        };
        counter.fetch_add(n as u64, Ordering::SeqCst);
    }
}
