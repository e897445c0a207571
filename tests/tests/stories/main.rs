//! End-to-end stories. Each runs real processes on real sockets: the council server
//! binary, the sync engine against it, and the desktop app in a real window.

mod app_window;
mod sync_engine;
