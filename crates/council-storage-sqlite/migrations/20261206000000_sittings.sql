-- The live sittings' events (issue 15, "Sitting rules"). Every accepted event is a row,
-- whole as JSON (the domain's `SittingEvent`), numbered 1, 2, 3, … per meeting; none is
-- changed or removed. `action_id` is the client-made id of the action that asked for it:
-- a retry is found by it.
CREATE TABLE sitting_events (
    meeting_id TEXT NOT NULL REFERENCES meetings(id),
    seq        INTEGER NOT NULL CHECK (seq >= 1),
    action_id  TEXT NOT NULL,
    at         INTEGER NOT NULL,
    actor_id   TEXT NOT NULL REFERENCES members(id),
    record     TEXT NOT NULL,
    PRIMARY KEY (meeting_id, seq),
    UNIQUE (meeting_id, action_id)
);
