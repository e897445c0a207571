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
    // 2: meeting packets. Papers in preparation (synced to the secretariat only), the
    // participants being prepared, and the published versions as this member may see them.
    "CREATE TABLE papers (id TEXT PRIMARY KEY, meeting_id TEXT NOT NULL, record TEXT NOT NULL);
     CREATE INDEX papers_by_meeting ON papers(meeting_id);
     CREATE TABLE participants (meeting_id TEXT PRIMARY KEY, record TEXT NOT NULL);
     CREATE TABLE packet_versions (
         meeting_id TEXT NOT NULL,
         number INTEGER NOT NULL,
         record TEXT NOT NULL,
         PRIMARY KEY (meeting_id, number)
     );
     -- Paper files this device holds, each verified against its hash before it was moved
     -- into place; the bytes are files named by hash beside this store.
     CREATE TABLE local_blobs (hash TEXT PRIMARY KEY, size INTEGER NOT NULL, verified_at INTEGER NOT NULL);
     -- What each member has read: the file (hash) of a paper they last opened. Per member,
     -- since two people may share a device.
     CREATE TABLE paper_reads (
         member_id TEXT NOT NULL,
         paper_id TEXT NOT NULL,
         hash TEXT NOT NULL,
         read_at INTEGER NOT NULL,
         PRIMARY KEY (member_id, paper_id)
     );
     -- The version a member's change marks are measured from: the first one they received,
     -- moved on when they acknowledge the changes.
     CREATE TABLE packet_baselines (
         member_id TEXT NOT NULL,
         meeting_id TEXT NOT NULL,
         number INTEGER NOT NULL,
         PRIMARY KEY (member_id, meeting_id)
     );
     -- Meetings whose papers the user removed from this device (storage view): not fetched
     -- again until they ask.
     CREATE TABLE released_meetings (meeting_id TEXT PRIMARY KEY);",
    // 3: whose copy this is. The server cuts every record to what its member may read, so a
    // different member signing in on this device must start from an empty copy. Rows from
    // before this step have no member, which counts as different.
    "ALTER TABLE sync_state ADD COLUMN member_id TEXT;",
    // 4: where each member stopped reading each document, so it reopens there. Keyed by
    // text, not a paper id: a PDF opened from the computer is keyed by its file's hash.
    // Per member, like paper_reads, since two people may share a device.
    "CREATE TABLE reading_positions (
         member_id TEXT NOT NULL,
         document TEXT NOT NULL,
         page INTEGER NOT NULL,
         read_at INTEGER NOT NULL,
         PRIMARY KEY (member_id, document)
     );",
    // 5: members' annotations (issue 14). `annotations` holds the current revision of each
    // one this member may read, as the server sent it (a tombstone included, so an older
    // revision arriving late cannot bring a deleted mark back). `annotation_outbox` holds
    // the member's own writes the server has not acknowledged yet, in the order they were
    // made, each saved in the same transaction that shows it, so a crash loses nothing
    // drawn; `refused_code` is set when the server refused one (kept for the UI, not
    // retried). Rows carry their author so another member signing in on this device never
    // pushes or sees them.
    //
    // The cursor goes back to 0: earlier versions of the app moved it past annotation
    // records without keeping them, so a copy that synced before this step would never see
    // the annotations already logged. Pulling again is safe: every record is a full state
    // applied as an upsert (annotations only if newer than the one held), packet baselines
    // keep the first one set, and the log replays in seq order, so the copy ends where the
    // log does.
    "CREATE TABLE annotations (
         id TEXT PRIMARY KEY,
         paper_id TEXT NOT NULL,
         author TEXT NOT NULL,
         revision INTEGER NOT NULL,
         deleted INTEGER NOT NULL,
         record TEXT NOT NULL
     );
     CREATE INDEX annotations_by_paper ON annotations(paper_id);
     CREATE TABLE annotation_outbox (
         seq INTEGER PRIMARY KEY AUTOINCREMENT,
         annotation_id TEXT NOT NULL,
         member_id TEXT NOT NULL,
         paper_id TEXT NOT NULL,
         -- 'put' or 'delete'
         operation TEXT NOT NULL,
         -- The annotation as it shows locally until the server answers.
         annotation TEXT NOT NULL,
         base_revision INTEGER NOT NULL,
         created_at INTEGER NOT NULL,
         refused_code TEXT,
         refused_message TEXT
     );
     CREATE INDEX annotation_outbox_by_paper ON annotation_outbox(member_id, paper_id);
     UPDATE sync_state SET cursor = 0;",
    // 6: opinions (ý kiến, issue 14). `opinions` holds every version the server sent this
    // member (their own; every opinion of the council for the secretariat and the chair):
    // versions never change, so each is a row of its own. `opinion_outbox` holds the
    // member's versions the server has not acknowledged yet, saved in the transaction that
    // shows them, so a version sent offline survives a restart; `refused_code` is set when
    // the server refused one (kept for the member, not retried). No cursor reset: no log
    // held an opinion before this step.
    "CREATE TABLE opinions (
         id TEXT NOT NULL,
         version INTEGER NOT NULL,
         meeting_id TEXT NOT NULL,
         author TEXT NOT NULL,
         record TEXT NOT NULL,
         PRIMARY KEY (id, version)
     );
     CREATE INDEX opinions_by_meeting ON opinions(meeting_id);
     CREATE TABLE opinion_outbox (
         seq INTEGER PRIMARY KEY AUTOINCREMENT,
         opinion_id TEXT NOT NULL,
         member_id TEXT NOT NULL,
         meeting_id TEXT NOT NULL,
         -- The version as it shows locally, numbered by this device, until the server answers.
         opinion TEXT NOT NULL,
         created_at INTEGER NOT NULL,
         refused_code TEXT,
         refused_message TEXT
     );
     CREATE INDEX opinion_outbox_by_member ON opinion_outbox(member_id, meeting_id);",
    // 7: the member's own ballots (issue 16). One row per poll: the random key this device
    // made for it (the secret its receipts derive from, which a change of ballot needs),
    // the last ballot sent (version, choice, where it stands: sending, recorded or refused
    // with the server's code), and the last one the server recorded, with the receipt, line
    // number and line hash its answer gave, which the member later finds in the poll's log.
    "CREATE TABLE own_ballots (
         poll_id TEXT NOT NULL,
         member_id TEXT NOT NULL,
         meeting_id TEXT NOT NULL,
         ballot_key TEXT NOT NULL,
         version INTEGER NOT NULL,
         choice TEXT NOT NULL,
         state TEXT NOT NULL,
         refused_code TEXT,
         refused_message TEXT,
         recorded_version INTEGER,
         recorded_choice TEXT,
         receipt TEXT,
         line_seq INTEGER,
         line_hash TEXT,
         updated_at INTEGER NOT NULL,
         PRIMARY KEY (poll_id, member_id)
     );
     CREATE INDEX own_ballots_by_meeting ON own_ballots(member_id, meeting_id);",
    // 8: chat (issue 17), with its own cursor per conversation, apart from the change log.
    // A conversation's row: its record, the highest revision applied here (`cursor`), the
    // server's revision and last number when it last listed it, everyone's marks as the
    // server sent them, the member's mute, whether the member left it (kept to read),
    // whether the server has it yet (`local_only`: a private one opened here), and what
    // this device owes the server (the last "delivered" it reported, a read mark, a mute).
    // Messages are the server's copies; the outbox holds what the member wrote, edited or
    // deleted here, per member (a shared device keeps each member's unsent messages), in
    // the order written.
    "CREATE TABLE chat_conversations (
         id TEXT PRIMARY KEY,
         record TEXT NOT NULL,
         cursor INTEGER NOT NULL DEFAULT 0,
         server_rev INTEGER NOT NULL DEFAULT 0,
         last_seq INTEGER NOT NULL DEFAULT 0,
         marks TEXT NOT NULL DEFAULT '[]',
         muted INTEGER NOT NULL DEFAULT 0,
         left INTEGER NOT NULL DEFAULT 0,
         listed INTEGER NOT NULL DEFAULT 1,
         local_only INTEGER NOT NULL DEFAULT 0,
         delivered_sent INTEGER NOT NULL DEFAULT 0,
         read_owed INTEGER,
         muted_owed INTEGER
     );
     CREATE TABLE chat_messages (
         id TEXT PRIMARY KEY,
         conversation_id TEXT NOT NULL,
         seq INTEGER NOT NULL,
         rev INTEGER NOT NULL,
         record TEXT NOT NULL
     );
     CREATE INDEX chat_messages_by_conversation ON chat_messages(conversation_id, seq);
     CREATE TABLE chat_outbox (
         position INTEGER PRIMARY KEY AUTOINCREMENT,
         member_id TEXT NOT NULL,
         message_id TEXT NOT NULL,
         conversation_id TEXT NOT NULL,
         operation TEXT NOT NULL,
         request TEXT NOT NULL,
         written_at INTEGER NOT NULL,
         refused_code TEXT,
         refused_message TEXT
     );
     CREATE INDEX chat_outbox_by_conversation ON chat_outbox(member_id, conversation_id, position);",
    // 9: which annotations changed, in order, so the reader asks for what changed since its
    // last answer instead of a paper's every mark on each change (issue 14). Triggers write
    // it, so no write path (sync, the member's own writes, the server's answers, a refusal,
    // a discard) can forget to. Kept short by `Store::open` (an answer from before what is
    // kept is a full one).
    "CREATE TABLE annotation_changes (
         seq INTEGER PRIMARY KEY AUTOINCREMENT,
         paper_id TEXT NOT NULL,
         annotation_id TEXT NOT NULL
     );
     CREATE INDEX annotation_changes_by_paper ON annotation_changes(paper_id, seq);
     CREATE TRIGGER annotation_held AFTER INSERT ON annotations BEGIN
         INSERT INTO annotation_changes (paper_id, annotation_id) VALUES (NEW.paper_id, NEW.id);
     END;
     CREATE TRIGGER annotation_held_anew AFTER UPDATE ON annotations BEGIN
         INSERT INTO annotation_changes (paper_id, annotation_id) VALUES (NEW.paper_id, NEW.id);
     END;
     CREATE TRIGGER annotation_let_go AFTER DELETE ON annotations BEGIN
         INSERT INTO annotation_changes (paper_id, annotation_id) VALUES (OLD.paper_id, OLD.id);
     END;
     CREATE TRIGGER annotation_queued AFTER INSERT ON annotation_outbox BEGIN
         INSERT INTO annotation_changes (paper_id, annotation_id) VALUES (NEW.paper_id, NEW.annotation_id);
     END;
     CREATE TRIGGER annotation_answered AFTER UPDATE ON annotation_outbox BEGIN
         INSERT INTO annotation_changes (paper_id, annotation_id) VALUES (NEW.paper_id, NEW.annotation_id);
     END;
     CREATE TRIGGER annotation_unqueued AFTER DELETE ON annotation_outbox BEGIN
         INSERT INTO annotation_changes (paper_id, annotation_id) VALUES (OLD.paper_id, OLD.annotation_id);
     END;",
];

pub fn apply(conn: &mut Connection) -> rusqlite_migration::Result<()> {
    Migrations::new(STEPS.iter().map(|sql| M::up(sql)).collect()).to_latest(conn)
}
