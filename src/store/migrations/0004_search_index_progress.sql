-- Rows are indexed for full-text search after they are committed and answered, off the
-- capture path; this records the last `seq` indexed. Rows already present are indexed.
CREATE TABLE search_index_progress (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    indexed_seq INTEGER NOT NULL
);
INSERT INTO search_index_progress (id, indexed_seq) SELECT 1, coalesce(max(seq), 0) FROM requests;
