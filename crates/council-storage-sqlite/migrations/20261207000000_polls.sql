-- Polls (issue 16). A poll's row holds the poll whole as JSON (the domain's `Poll`) and
-- who of its entitled voters has voted: one bit per voter in the entitled list's id order,
-- as hex, updated in place. Ballots are keyed by receipt in a WITHOUT ROWID table, so
-- their rows are kept in receipt order, not in the order they came; no ballot has a time,
-- and `voter_id` is set only in a named poll. The log's lines are numbered per poll and
-- never changed. "Has voted" (the bit) and "what was voted" (the ballot) share no id,
-- time or order.
CREATE TABLE polls (
    id         TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meetings(id),
    created_at INTEGER NOT NULL,
    record     TEXT NOT NULL,
    voted      TEXT NOT NULL
);
CREATE INDEX polls_by_meeting ON polls (meeting_id, created_at);

CREATE TABLE poll_ballots (
    poll_id  TEXT NOT NULL REFERENCES polls(id),
    receipt  TEXT NOT NULL,
    choice   TEXT NOT NULL,
    voter_id TEXT REFERENCES members(id),
    replaced INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (poll_id, receipt)
) WITHOUT ROWID;

CREATE TABLE poll_log (
    poll_id TEXT NOT NULL REFERENCES polls(id),
    seq     INTEGER NOT NULL CHECK (seq >= 1),
    line    TEXT NOT NULL,
    PRIMARY KEY (poll_id, seq)
) WITHOUT ROWID;
