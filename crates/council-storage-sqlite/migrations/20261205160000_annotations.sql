-- Members' annotations on papers (issue 14). `annotations` holds each one's current
-- revision, whole as JSON (the domain's `Annotation`), with who besides its author may read
-- it; `annotation_revisions` keeps every revision ever stored, so an edit that lost to a
-- later one stays readable. A deletion is a revision too (a tombstone).
CREATE TABLE annotations (
    id         TEXT PRIMARY KEY,
    council_id TEXT NOT NULL REFERENCES councils(id),
    author_id  TEXT NOT NULL REFERENCES members(id),
    paper_id   TEXT NOT NULL REFERENCES papers(id),
    revision   INTEGER NOT NULL,
    -- JSON list of member ids: the readers of the current revision.
    readers    TEXT NOT NULL,
    record     TEXT NOT NULL
);
CREATE INDEX annotations_by_paper ON annotations(paper_id);

CREATE TABLE annotation_revisions (
    annotation_id TEXT NOT NULL REFERENCES annotations(id),
    revision      INTEGER NOT NULL,
    -- The revision the device edited: a retry of the same write is found among its siblings.
    base_revision INTEGER NOT NULL,
    record        TEXT NOT NULL,
    PRIMARY KEY (annotation_id, revision)
);
CREATE INDEX annotation_revisions_by_base ON annotation_revisions(annotation_id, base_revision);
