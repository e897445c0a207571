//! Keeps the app's local store in step with the council server.
//!
//! [`CouncilClient`] speaks the HTTP API (login, pull). [`spawn`] runs the live loop:
//! hold a WebSocket to the server, pull by cursor on connect and on every signal, and when
//! the server cannot be reached, say so and retry with backoff. It knows nothing of the UI;
//! it publishes a [`SyncStatus`] and the cursor on watch channels for whoever shows them.

mod backoff;
mod client;
mod engine;

pub use backoff::Backoff;
pub use client::{CouncilClient, SyncError};
pub use engine::{ConnectionState, SyncHandle, SyncStatus, pull_all, spawn};
