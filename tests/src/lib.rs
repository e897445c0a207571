//! The harness for end-to-end stories: real processes on real sockets.
//!
//! [`CouncilServer`] runs the `council-server` binary on a loopback port with its own data
//! dir, on SQLite or on a PostgreSQL database of its own ([`Backend`]); [`AppDriver`] runs
//! the real desktop app under a private Xvfb display through `tauri-driver` and
//! WebKitWebDriver. Both binaries must be built first (`make test` does it); the harness
//! says so plainly when they are missing rather than skipping.
//! [`ThrottledProxy`] sits between an app and a server to make the link slow or cut it;
//! [`Secretariat`] publishes the fixture packet through the API; [`marks`] makes a
//! member's annotations in bulk for the benchmarks.

pub mod app;
pub mod device;
pub mod frames;
pub mod load;
pub mod marks;
pub mod packet;
pub mod proxy;
pub mod server;

pub use app::{AppDriver, AppWindow};
pub use device::Device;
pub use packet::{PublishedPacket, Secretariat};
pub use proxy::ThrottledProxy;
pub use server::{Backend, CouncilServer, SecretaryApi};

use std::path::PathBuf;

/// The demo session the fixture packet is published to (the full title: "Kỳ họp thứ mười"
/// alone also names the eleventh session, which is in preparation).
pub const SESSION_TITLE: &str = "Kỳ họp thứ mười, Hội đồng nhân dân thành phố khóa XVI";

/// The password every demo account gets in tests.
pub const DEMO_PASSWORD: &str = "mật-khẩu-thử-nghiệm";

/// The repository's root (the workspace), from this crate's manifest dir.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A binary of this workspace's current profile, e.g. `target/debug/council-server`.
pub fn workspace_binary(name: &str) -> PathBuf {
    // Test and bench executables live in target/<profile>/deps or target/<profile>.
    let exe = std::env::current_exe().expect("current exe");
    let mut dir = exe.parent().expect("exe dir").to_path_buf();
    if dir.ends_with("deps") {
        dir.pop();
    }
    let path = dir.join(name);
    assert!(
        path.exists(),
        "{} is not built: run `make test` (or `cargo build -p council-server -p ecabinet` after `npm --prefix ui run build`)",
        path.display()
    );
    path
}

/// A free loopback port (bound then released; fine for tests on one machine).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
