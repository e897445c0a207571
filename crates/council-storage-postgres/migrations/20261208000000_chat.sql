-- Chat, in PostgreSQL: the same tables as the SQLite step of the same name (ids as UUID,
-- JSON as JSONB).
-- Chat: conversations, their messages and each member's marks. Apart from the change log:
-- every message stored, edited or deleted takes its conversation's next revision (`rev`),
-- the cursor a device pulls a conversation by; `seq` numbers the messages as stored.
CREATE TABLE conversations (
    id         UUID PRIMARY KEY,
    council_id UUID NOT NULL REFERENCES councils(id),
    -- private, group, meeting, announcements or secretariat
    kind       TEXT NOT NULL,
    record     JSONB NOT NULL,
    rev        BIGINT NOT NULL DEFAULT 0,
    last_seq   BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX conversations_by_kind ON conversations (council_id, kind);

-- Who a conversation lists by name (a private pair, a group's or a meeting's members, the
-- member of one with the secretariat), for listing a member's conversations.
CREATE TABLE conversation_members (
    member_id       UUID NOT NULL,
    conversation_id UUID NOT NULL REFERENCES conversations(id),
    PRIMARY KEY (member_id, conversation_id)
);

CREATE TABLE chat_messages (
    id              UUID PRIMARY KEY,
    conversation_id UUID NOT NULL REFERENCES conversations(id),
    seq             BIGINT NOT NULL CHECK (seq >= 1),
    rev             BIGINT NOT NULL CHECK (rev >= 1),
    record          JSONB NOT NULL,
    UNIQUE (conversation_id, seq)
);
CREATE UNIQUE INDEX chat_messages_by_rev ON chat_messages (conversation_id, rev);

CREATE TABLE chat_marks (
    conversation_id UUID NOT NULL REFERENCES conversations(id),
    member_id       UUID NOT NULL,
    delivered       BIGINT NOT NULL DEFAULT 0,
    read            BIGINT NOT NULL DEFAULT 0,
    muted           BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (conversation_id, member_id)
);
