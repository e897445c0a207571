-- Delegates' opinions on agenda items (issue 14, "Notes become opinions"). Every version
-- ever stored is a row, whole as JSON (the domain's `Opinion`); none is changed or removed.
-- `asked_version` is the number the device sent it under: a retry is found by it.
CREATE TABLE opinion_versions (
    opinion_id    TEXT NOT NULL,
    version       INTEGER NOT NULL,
    asked_version INTEGER NOT NULL,
    council_id    TEXT NOT NULL REFERENCES councils(id),
    author_id     TEXT NOT NULL REFERENCES members(id),
    meeting_id    TEXT NOT NULL REFERENCES meetings(id),
    item_id       TEXT NOT NULL REFERENCES agenda_items(id),
    sent_at       INTEGER NOT NULL,
    record        TEXT NOT NULL,
    PRIMARY KEY (opinion_id, version)
);
CREATE INDEX opinion_versions_by_meeting ON opinion_versions(meeting_id, sent_at);
