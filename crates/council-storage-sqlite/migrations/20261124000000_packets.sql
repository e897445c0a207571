-- Meeting packets: the blobs the server accepted, the papers the secretariat prepares,
-- who takes part in each meeting, and the published (immutable) packet versions.
-- Papers, participants and versions are kept whole as JSON (the domain types), with
-- beside them only the columns that queries filter on.

-- One row per accepted file, named by the SHA-256 of its bytes; the bytes live in the
-- blob store (files under the data dir), not here.
CREATE TABLE blobs (
    hash  TEXT PRIMARY KEY,
    size  INTEGER NOT NULL,
    pages INTEGER NOT NULL
);

CREATE TABLE papers (
    id         TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meetings(id),
    -- A watched folder's relative path: a changed file must update this paper, not add one.
    source     TEXT,
    hash       TEXT NOT NULL REFERENCES blobs(hash),
    record     TEXT NOT NULL
);
CREATE INDEX papers_by_meeting ON papers(meeting_id);
CREATE UNIQUE INDEX papers_by_source ON papers(meeting_id, source) WHERE source IS NOT NULL;
CREATE INDEX papers_by_hash ON papers(hash);

CREATE TABLE participants (
    meeting_id TEXT PRIMARY KEY REFERENCES meetings(id),
    record     TEXT NOT NULL
);

-- Never updated or deleted. The primary key is what makes two concurrent publishes of the
-- same number fail for one of them.
CREATE TABLE packet_versions (
    meeting_id TEXT NOT NULL REFERENCES meetings(id),
    number     INTEGER NOT NULL,
    record     TEXT NOT NULL,
    PRIMARY KEY (meeting_id, number)
);

-- Which versions name which blob: a download is allowed only through a version that
-- grants the caller that paper.
CREATE TABLE packet_blobs (
    hash       TEXT NOT NULL,
    council_id TEXT NOT NULL REFERENCES councils(id),
    meeting_id TEXT NOT NULL,
    number     INTEGER NOT NULL,
    PRIMARY KEY (hash, meeting_id, number)
);
