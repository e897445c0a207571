//! Keeps the app's local store in step with the council server.
//!
//! [`CouncilClient`] speaks the HTTP API (login, pull, papers and packets, blobs). [`spawn`]
//! runs the live loop: hold a WebSocket to the server, pull by cursor on connect and on
//! every signal, and when the server cannot be reached, say so and retry with backoff.
//! [`PacketDownloader`] fetches the paper files the store needs into [`PaperFiles`],
//! resumably and verified. None of it knows the UI; each publishes its state on a watch
//! channel for whoever shows it.

mod backoff;
mod chat;
mod client;
mod download;
mod engine;
mod outbox;
mod paper_files;

pub use backoff::Backoff;
pub use chat::{
    ChatNews, ChatPushed, apply_live_message, catch_up_chat, pull_conversation, push_chat,
    push_chat_marks,
};
pub use client::{BlobDownload, CouncilClient, SyncError};
pub use download::{
    DownloadHandle, DownloadProgress, DownloaderState, PacketDownloader, PaperDownloadState,
    PaperProgress,
};
pub use engine::{ConnectionState, SittingNews, SyncHandle, SyncStatus, pull_all, spawn};
pub use outbox::{Pushed, push_annotations, push_opinions};
pub use paper_files::{PaperFileError, PaperFiles, VerifiedPaper};
