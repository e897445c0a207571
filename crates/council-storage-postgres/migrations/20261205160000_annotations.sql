-- Members' annotations on papers, in PostgreSQL: the same tables as the SQLite backend's
-- step of the same name (ids as UUID, JSON as JSONB). `annotations` holds each one's current
-- revision with who besides its author may read it; `annotation_revisions` keeps every
-- revision ever stored, tombstones included.
CREATE TABLE annotations (
    id         UUID PRIMARY KEY,
    council_id UUID NOT NULL REFERENCES councils(id),
    author_id  UUID NOT NULL REFERENCES members(id),
    paper_id   UUID NOT NULL REFERENCES papers(id),
    revision   INTEGER NOT NULL,
    readers    JSONB NOT NULL,
    record     JSONB NOT NULL
);
CREATE INDEX annotations_by_paper ON annotations(paper_id);

CREATE TABLE annotation_revisions (
    annotation_id UUID NOT NULL REFERENCES annotations(id),
    revision      INTEGER NOT NULL,
    base_revision INTEGER NOT NULL,
    record        JSONB NOT NULL,
    PRIMARY KEY (annotation_id, revision)
);
CREATE INDEX annotation_revisions_by_base ON annotation_revisions(annotation_id, base_revision);
