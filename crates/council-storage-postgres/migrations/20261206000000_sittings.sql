-- The live sittings' events, in PostgreSQL: the same table as the SQLite backend's step of
-- the same name (ids as UUID, JSON as JSONB). Every accepted event is a row, numbered per
-- meeting; `action_id` is the client-made id of the action that asked for it.
CREATE TABLE sitting_events (
    meeting_id UUID NOT NULL REFERENCES meetings(id),
    seq        BIGINT NOT NULL CHECK (seq >= 1),
    action_id  UUID NOT NULL,
    at         BIGINT NOT NULL,
    actor_id   UUID NOT NULL REFERENCES members(id),
    record     JSONB NOT NULL,
    PRIMARY KEY (meeting_id, seq),
    UNIQUE (meeting_id, action_id)
);
