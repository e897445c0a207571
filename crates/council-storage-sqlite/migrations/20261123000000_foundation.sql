-- The foundation schema: a council, its accounts and sessions, its meetings and
-- programmes, and the change log that clients sync from.
-- Ids are UUID strings made by whoever creates the record; times are Unix milliseconds.

CREATE TABLE councils (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

-- User names are unique server-wide so login needs no council picker.
CREATE TABLE members (
    id            TEXT PRIMARY KEY,
    council_id    TEXT NOT NULL REFERENCES councils(id),
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('administrator', 'secretary', 'chair', 'delegate', 'guest')),
    -- argon2id PHC string; the password itself is never stored.
    password_hash TEXT NOT NULL
);

-- Only the SHA-256 of a bearer token is kept, so a copy of this file lets nobody in.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    member_id  TEXT NOT NULL REFERENCES members(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX sessions_by_member ON sessions(member_id);

CREATE TABLE meetings (
    id         TEXT PRIMARY KEY,
    council_id TEXT NOT NULL REFERENCES councils(id),
    title      TEXT NOT NULL,
    starts_at  INTEGER NOT NULL,
    location   TEXT NOT NULL,
    status     TEXT NOT NULL
);

CREATE TABLE agenda_items (
    id              TEXT PRIMARY KEY,
    meeting_id      TEXT NOT NULL REFERENCES meetings(id),
    -- Not a foreign key: an item may be moved under a parent that arrives in the same batch.
    parent_id       TEXT,
    position        INTEGER NOT NULL,
    title           TEXT NOT NULL,
    presenter       TEXT,
    planned_minutes INTEGER,
    -- JSON array of strings; the papers themselves arrive with packets.
    paper_titles    TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX agenda_items_by_meeting ON agenda_items(meeting_id);

-- Every record a client must learn about, in commit order. AUTOINCREMENT so a seq is
-- never reused even after the last row is deleted: clients' cursors stay meaningful.
CREATE TABLE change_log (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    council_id TEXT NOT NULL REFERENCES councils(id),
    -- The full record as JSON (ecabinet_protocol::SyncRecord).
    record     TEXT NOT NULL
);
CREATE INDEX change_log_by_council ON change_log(council_id, seq);
