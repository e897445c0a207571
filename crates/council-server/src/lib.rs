//! The council server: the authority for a council's meetings, programmes and accounts.
//!
//! [`router`] builds the whole HTTP and WebSocket API over any [`CouncilStorage`]
//! backend, so tests call it in-process and `main` serves it on a socket. Handlers
//! authenticate with bearer tokens, check the caller's role here on the server, and
//! answer errors as `{code, message}` (see [`error::ServerError`]).

pub mod api;
pub mod auth;
pub mod blobs;
pub mod chat;
pub mod demo;
pub mod demo_annotations;
pub mod demo_chat;
pub mod demo_crowd;
pub mod demo_packet;
pub mod demo_sitting;
pub mod error;
pub mod live;
pub mod member_list;
pub mod paper_check;
pub mod passwords;
pub mod polls;
pub mod sittings;
pub mod throttle;
pub mod verify_poll;

use axum::Router;
use council_storage::CouncilStorage;
use ecabinet_domain::Clock;
use std::sync::Arc;

/// What every handler can reach.
#[derive(Clone)]
pub struct ServerState {
    pub storage: Arc<dyn CouncilStorage>,
    pub clock: Arc<dyn Clock>,
    pub blobs: Arc<dyn blobs::BlobStore>,
    /// Opens uploads in PDF worker processes.
    pub papers: paper_check::PaperCheck,
    pub live: live::LiveHub,
    /// The live sittings, loaded from their events on first use.
    pub sittings: Arc<sittings::Sittings>,
    /// The polls, loaded from the storage on first use.
    pub polls: Arc<polls::Polls>,
    /// Chat senders' rates and conversations' turns.
    pub chat: Arc<chat::Chat>,
    /// Hashing and checking passwords, on threads of their own.
    pub passwords: Arc<passwords::Passwords>,
    /// Failed logins per user name and address, in memory.
    pub throttle: Arc<throttle::LoginThrottle>,
    /// How long a login stays valid.
    pub session_ttl_ms: i64,
}

impl ServerState {
    pub fn new(
        storage: Arc<dyn CouncilStorage>,
        clock: Arc<dyn Clock>,
        blobs: Arc<dyn blobs::BlobStore>,
        papers: paper_check::PaperCheck,
    ) -> Self {
        Self {
            storage,
            clock,
            blobs,
            papers,
            live: live::LiveHub::default(),
            sittings: Arc::default(),
            polls: Arc::default(),
            chat: Arc::default(),
            passwords: Arc::new(passwords::Passwords::for_this_machine()),
            throttle: Arc::default(),
            session_ttl_ms: 30 * 24 * 60 * 60 * 1000,
        }
    }
}

/// The whole API, ready to serve or to call with `tower::ServiceExt::oneshot`.
pub fn router(state: ServerState) -> Router {
    api::router(state)
}
