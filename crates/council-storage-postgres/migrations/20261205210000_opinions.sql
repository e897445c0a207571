-- Delegates' opinions on agenda items, in PostgreSQL: the same table as the SQLite
-- backend's step of the same name (ids as UUID, JSON as JSONB). Every version ever stored
-- is a row; `asked_version` is the number the device sent it under.
CREATE TABLE opinion_versions (
    opinion_id    UUID NOT NULL,
    version       INTEGER NOT NULL,
    asked_version INTEGER NOT NULL,
    council_id    UUID NOT NULL REFERENCES councils(id),
    author_id     UUID NOT NULL REFERENCES members(id),
    meeting_id    UUID NOT NULL REFERENCES meetings(id),
    item_id       UUID NOT NULL REFERENCES agenda_items(id),
    sent_at       BIGINT NOT NULL,
    record        JSONB NOT NULL,
    PRIMARY KEY (opinion_id, version)
);
CREATE INDEX opinion_versions_by_meeting ON opinion_versions(meeting_id, sent_at);
