-- Meeting packets, in PostgreSQL: the same tables as the SQLite backend's step of the same
-- name (types as explained in the foundation step). Papers, participants and versions are
-- kept whole as JSONB (the domain types), with beside them only the columns that queries
-- filter on.

-- One row per accepted file, named by the SHA-256 of its bytes; the bytes live in the
-- blob store (files under the data dir), not here.
CREATE TABLE blobs (
    hash  TEXT PRIMARY KEY,
    size  BIGINT NOT NULL,
    pages BIGINT NOT NULL
);

CREATE TABLE papers (
    id         UUID PRIMARY KEY,
    meeting_id UUID NOT NULL REFERENCES meetings(id),
    -- A watched folder's relative path: a changed file must update this paper, not add one.
    source     TEXT,
    hash       TEXT NOT NULL REFERENCES blobs(hash),
    record     JSONB NOT NULL
);
CREATE INDEX papers_by_meeting ON papers(meeting_id);
CREATE UNIQUE INDEX papers_by_source ON papers(meeting_id, source) WHERE source IS NOT NULL;
CREATE INDEX papers_by_hash ON papers(hash);

CREATE TABLE participants (
    meeting_id UUID PRIMARY KEY REFERENCES meetings(id),
    record     JSONB NOT NULL
);

-- Never updated or deleted. The primary key is what makes two concurrent publishes of the
-- same number fail for one of them, whatever else the code does.
CREATE TABLE packet_versions (
    meeting_id UUID NOT NULL REFERENCES meetings(id),
    number     BIGINT NOT NULL,
    record     JSONB NOT NULL,
    PRIMARY KEY (meeting_id, number)
);

-- Which versions name which blob: a download is allowed only through a version that
-- grants the caller that paper.
CREATE TABLE packet_blobs (
    hash       TEXT NOT NULL,
    council_id UUID NOT NULL REFERENCES councils(id),
    meeting_id UUID NOT NULL,
    number     BIGINT NOT NULL,
    PRIMARY KEY (hash, meeting_id, number)
);
