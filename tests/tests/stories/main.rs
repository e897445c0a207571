//! End-to-end stories. Each runs real processes on real sockets: the council server
//! binary, the sync engine and the packet downloader against it, and the desktop app in a
//! real window.

mod app_window;
mod packet_lifecycle;
mod packets;
mod sync_engine;
