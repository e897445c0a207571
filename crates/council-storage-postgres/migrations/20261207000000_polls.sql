-- Polls, in PostgreSQL: the same tables as the SQLite backend's step of the same name (ids
-- as UUID, JSON as JSONB). A poll's row holds the poll and who of its entitled voters has
-- voted (one bit per voter in id order, as hex). Ballots are keyed by receipt, with no
-- time, and `voter_id` only in a named poll; their heap order is the order they came,
-- which is the public log's order, and the voted set has no order to match it against.
CREATE TABLE polls (
    id         UUID PRIMARY KEY,
    meeting_id UUID NOT NULL REFERENCES meetings(id),
    created_at BIGINT NOT NULL,
    record     JSONB NOT NULL,
    voted      TEXT NOT NULL
);
CREATE INDEX polls_by_meeting ON polls (meeting_id, created_at);

CREATE TABLE poll_ballots (
    poll_id  UUID NOT NULL REFERENCES polls(id),
    receipt  TEXT NOT NULL,
    choice   JSONB NOT NULL,
    voter_id UUID REFERENCES members(id),
    replaced BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (poll_id, receipt)
);

CREATE TABLE poll_log (
    poll_id UUID NOT NULL REFERENCES polls(id),
    seq     BIGINT NOT NULL CHECK (seq >= 1),
    line    JSONB NOT NULL,
    PRIMARY KEY (poll_id, seq)
);
