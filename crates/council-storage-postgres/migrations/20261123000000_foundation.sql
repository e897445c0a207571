-- The foundation schema, in PostgreSQL: the same tables, columns and constraints as the
-- SQLite backend's step of the same name, so the server cannot tell the two apart.
--
-- Types, and why:
-- * Ids are the UUID type, not text: 16 bytes instead of 36 in every row and index, and a
--   malformed id is refused by the database itself. They reach Rust as `uuid::Uuid`.
-- * Times are BIGINT Unix milliseconds, as everywhere in eCabinet (SQLite, JSON, the UI),
--   not timestamptz: one representation end to end, no time zone to get wrong.
-- * Integers that hold a Rust i64 or u32 are BIGINT; those that hold an i32 are INTEGER.
-- * Records kept whole (and the change log's records) are JSONB: PostgreSQL checks they are
--   JSON on the way in, and an operator can look inside with ->> without a migration.
--   JSONB does not keep key order or whitespace; nothing relies on either.

CREATE TABLE councils (
    id   UUID PRIMARY KEY,
    name TEXT NOT NULL
);

-- User names are unique server-wide so login needs no council picker.
CREATE TABLE members (
    id            UUID PRIMARY KEY,
    council_id    UUID NOT NULL REFERENCES councils(id),
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('administrator', 'secretary', 'chair', 'delegate', 'guest')),
    -- argon2id PHC string; the password itself is never stored.
    password_hash TEXT NOT NULL
);

-- Only the SHA-256 of a bearer token is kept, so a copy of this database lets nobody in.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    member_id  UUID NOT NULL REFERENCES members(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX sessions_by_member ON sessions(member_id);

CREATE TABLE meetings (
    id         UUID PRIMARY KEY,
    council_id UUID NOT NULL REFERENCES councils(id),
    title      TEXT NOT NULL,
    starts_at  BIGINT NOT NULL,
    location   TEXT NOT NULL,
    status     TEXT NOT NULL
);

CREATE TABLE agenda_items (
    id              UUID PRIMARY KEY,
    meeting_id      UUID NOT NULL REFERENCES meetings(id),
    -- Not a foreign key: an item may be moved under a parent that arrives in the same batch.
    parent_id       UUID,
    position        INTEGER NOT NULL,
    title           TEXT NOT NULL,
    presenter       TEXT,
    planned_minutes INTEGER,
    -- A JSON array of strings; the papers themselves arrive with packets.
    paper_titles    JSONB NOT NULL DEFAULT '[]'
);
CREATE INDEX agenda_items_by_meeting ON agenda_items(meeting_id);

-- Every record a client must learn about. An identity column is a sequence, and a sequence
-- never hands out a value twice, even after a rollback or a delete (rollbacks leave gaps,
-- which clients do not mind): clients' cursors stay meaningful.
--
-- A sequence value is taken at insert, but transactions commit in whatever order they
-- finish, so seq order is commit order only because every transaction that appends here
-- first takes its council's log lock (see `begin_logged` in src/lib.rs).
CREATE TABLE change_log (
    seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    council_id UUID NOT NULL REFERENCES councils(id),
    -- The full record (ecabinet_protocol::SyncRecord).
    record     JSONB NOT NULL
);
CREATE INDEX change_log_by_council ON change_log(council_id, seq);
