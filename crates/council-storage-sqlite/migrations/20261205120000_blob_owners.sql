-- Paper files belong to the councils that uploaded them. A file's bytes are stored once on
-- the server (named by their SHA-256), but a council may attach or download only a file it
-- uploaded itself: knowing another council's hash must not be enough to read its paper.
CREATE TABLE blob_owners (
    hash       TEXT NOT NULL REFERENCES blobs(hash),
    council_id TEXT NOT NULL REFERENCES councils(id),
    PRIMARY KEY (hash, council_id)
);

-- Files stored before this step belong to every council whose papers or published versions
-- name them.
INSERT INTO blob_owners (hash, council_id)
SELECT p.hash, m.council_id FROM papers p JOIN meetings m ON m.id = p.meeting_id
UNION
SELECT b.hash, b.council_id FROM packet_blobs b JOIN blobs ON blobs.hash = b.hash;
