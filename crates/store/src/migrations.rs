//! The local schema, append-only: a delegate's tablet may skip several releases, so every
//! step must apply on top of any earlier one. Never edit a step that has shipped.

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

const STEPS: &[&str] = &[
    // 1: the foundation. Synced records are kept whole as JSON (the server's record is the
    // truth and the app only reads it back), with the few columns queries need beside it.
    "CREATE TABLE councils (id TEXT PRIMARY KEY, name TEXT NOT NULL);
     CREATE TABLE members (id TEXT PRIMARY KEY, username TEXT NOT NULL, record TEXT NOT NULL);
     CREATE TABLE meetings (id TEXT PRIMARY KEY, starts_at INTEGER NOT NULL, title TEXT NOT NULL, record TEXT NOT NULL);
     -- No foreign key to meetings: a page may carry an item before its meeting's update.
     CREATE TABLE agenda_items (id TEXT PRIMARY KEY, meeting_id TEXT NOT NULL, record TEXT NOT NULL);
     CREATE INDEX agenda_items_by_meeting ON agenda_items(meeting_id);
     -- One row: where this copy syncs from and how far it got.
     CREATE TABLE sync_state (
         id INTEGER PRIMARY KEY CHECK (id = 1),
         server_url TEXT NOT NULL,
         council_id TEXT NOT NULL,
         cursor INTEGER NOT NULL,
         last_synced_at INTEGER
     );
     -- One row: who is signed in. Holds a bearer token, never a password.
     CREATE TABLE session (
         id INTEGER PRIMARY KEY CHECK (id = 1),
         server_url TEXT NOT NULL,
         token TEXT NOT NULL,
         member TEXT NOT NULL,
         council TEXT NOT NULL
     );",
];

pub fn apply(conn: &mut Connection) -> rusqlite_migration::Result<()> {
    Migrations::new(STEPS.iter().map(|sql| M::up(sql)).collect()).to_latest(conn)
}
