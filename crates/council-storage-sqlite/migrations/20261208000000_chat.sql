-- Chat: conversations, their messages and each member's marks. Apart from the change log:
-- every message stored, edited or deleted takes its conversation's next revision (`rev`),
-- the cursor a device pulls a conversation by; `seq` numbers the messages as stored.
CREATE TABLE conversations (
    id         TEXT PRIMARY KEY,
    council_id TEXT NOT NULL REFERENCES councils(id),
    -- private, group, meeting, announcements or secretariat
    kind       TEXT NOT NULL,
    record     TEXT NOT NULL,
    rev        INTEGER NOT NULL DEFAULT 0,
    last_seq   INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX conversations_by_kind ON conversations (council_id, kind);

-- Who a conversation lists by name (a private pair, a group's or a meeting's members, the
-- member of one with the secretariat), for listing a member's conversations.
CREATE TABLE conversation_members (
    member_id       TEXT NOT NULL,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    PRIMARY KEY (member_id, conversation_id)
) WITHOUT ROWID;

CREATE TABLE chat_messages (
    id              TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    seq             INTEGER NOT NULL CHECK (seq >= 1),
    rev             INTEGER NOT NULL CHECK (rev >= 1),
    record          TEXT NOT NULL,
    UNIQUE (conversation_id, seq)
);
CREATE UNIQUE INDEX chat_messages_by_rev ON chat_messages (conversation_id, rev);

CREATE TABLE chat_marks (
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    member_id       TEXT NOT NULL,
    delivered       INTEGER NOT NULL DEFAULT 0,
    read            INTEGER NOT NULL DEFAULT 0,
    muted           INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (conversation_id, member_id)
) WITHOUT ROWID;
