//! The app's core against a real council server on a loopback port, with no display: what
//! the window asks of it, feature by feature, in one test binary (one link on two cores).
//! Each test starts its own council (the demo council, SQLite in a temp dir, a clock the
//! test moves) and its own devices (the core on a data dir of its own, real PDF workers).

#[path = "app/harness.rs"]
mod harness;

#[path = "app/amendments.rs"]
mod amendments;
#[path = "app/annotations.rs"]
mod annotations;
#[path = "app/chat.rs"]
mod chat;
#[path = "app/export.rs"]
mod export;
#[path = "app/opinions.rs"]
mod opinions;
#[path = "app/packet_download.rs"]
mod packet_download;
#[path = "app/polls.rs"]
mod polls;
#[path = "app/preparation.rs"]
mod preparation;
#[path = "app/reader.rs"]
mod reader;
#[path = "app/search.rs"]
mod search;
#[path = "app/session.rs"]
mod session;
#[path = "app/sitting.rs"]
mod sitting;
