-- Each captured row paid for two structures that the durable floor does not have: the unique
-- index on `id` (its rightmost page written again with every commit) and AUTOINCREMENT (a read and
-- a rewrite of `sqlite_sequence` with every insert). Both move off the capture path
-- (docs/benchmarks.md, tenth round):
-- * ids are looked up in `request_ids`, which the writer fills behind the listener, hundreds of
--   rows per transaction, whenever it has a moment (`store::request_ids`); the few rows it has not
--   reached yet (above `request_ids_progress.mapped_seq`) are read directly
--   (`store::requests::seq_of_id!`);
-- * a new row's `seq` is chosen by its inserting transaction, above every `seq` ever used:
--   `request_seq_floor` keeps the highest one that deletions removed, so that a `seq` is never
--   used twice (the live list and the search index rely on that).
-- Deliveries cannot reference a column without a unique index: the trigger below deletes them
-- with their request, as the foreign key's cascade did.
-- The tables are rebuilt: this copies every stored request once.

CREATE TABLE deliveries_new (
    seq                INTEGER PRIMARY KEY AUTOINCREMENT,
    id                 TEXT NOT NULL UNIQUE,
    request_id         TEXT NOT NULL,
    kind               TEXT NOT NULL,
    target             TEXT NOT NULL,
    started_at_ns      INTEGER NOT NULL,
    duration_us        INTEGER NOT NULL,
    sent_method        TEXT NOT NULL,
    sent_url           TEXT NOT NULL,
    sent_headers       TEXT NOT NULL,
    sent_body          BLOB NOT NULL,
    edited             INTEGER NOT NULL,
    resigned           INTEGER NOT NULL,
    response_status    INTEGER,
    response_headers   TEXT,
    response_body      BLOB,
    response_body_size INTEGER,
    response_truncated INTEGER,
    error_kind         TEXT,
    error_message      TEXT
);
INSERT INTO deliveries_new (seq, id, request_id, kind, target, started_at_ns, duration_us, sent_method, sent_url, sent_headers,
    sent_body, edited, resigned, response_status, response_headers, response_body, response_body_size, response_truncated, error_kind, error_message)
    SELECT seq, id, request_id, kind, target, started_at_ns, duration_us, sent_method, sent_url, sent_headers,
    sent_body, edited, resigned, response_status, response_headers, response_body, response_body_size, response_truncated, error_kind, error_message FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_new RENAME TO deliveries;
CREATE INDEX deliveries_request ON deliveries(request_id, seq);

CREATE TABLE request_seq_floor (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
);
INSERT INTO request_seq_floor (id, seq) SELECT 1, max(
    coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'requests'), 0),
    coalesce((SELECT max(seq) FROM requests), 0),
    (SELECT indexed_seq FROM search_index_progress WHERE id = 1)
);

CREATE TABLE requests_new (
    seq              INTEGER PRIMARY KEY,
    id               TEXT NOT NULL,
    endpoint_id      INTEGER,
    endpoint_name    TEXT,
    received_at_ns   INTEGER NOT NULL,
    source           TEXT NOT NULL,
    remote_addr      TEXT,
    method           TEXT NOT NULL,
    target           TEXT NOT NULL,
    http_version     TEXT NOT NULL,
    headers          TEXT NOT NULL,
    content_type     TEXT,
    body             BLOB NOT NULL,
    body_size        INTEGER NOT NULL,
    truncated        INTEGER NOT NULL,
    response_status  INTEGER NOT NULL,
    response_headers TEXT NOT NULL,
    response_body    BLOB NOT NULL,
    response_note    TEXT,
    signature        TEXT,
    signature_status TEXT,
    provider         TEXT,
    event_type       TEXT,
    delivery_id      TEXT,
    attempt          INTEGER,
    rule             TEXT,
    tail_sketch      BLOB
);
INSERT INTO requests_new (seq, id, endpoint_id, endpoint_name, received_at_ns, source, remote_addr, method, target, http_version, headers, content_type,
    body, body_size, truncated, response_status, response_headers, response_body, response_note, signature, signature_status, provider, event_type, delivery_id, attempt, rule, tail_sketch)
    SELECT seq, id, endpoint_id, endpoint_name, received_at_ns, source, remote_addr, method, target, http_version, headers, content_type,
    body, body_size, truncated, response_status, response_headers, response_body, response_note, signature, signature_status, provider, event_type, delivery_id, attempt, rule, tail_sketch FROM requests;
DROP TABLE requests;
ALTER TABLE requests_new RENAME TO requests;
CREATE INDEX requests_endpoint ON requests(endpoint_id, seq) WHERE endpoint_id IS NOT NULL;
CREATE INDEX requests_event_type ON requests(event_type, seq) WHERE event_type IS NOT NULL;
CREATE INDEX requests_delivery ON requests(provider, delivery_id, seq) WHERE delivery_id IS NOT NULL;

CREATE TABLE request_ids (
    id  TEXT PRIMARY KEY,
    seq INTEGER NOT NULL
) WITHOUT ROWID;
-- Ids are fresh ULIDs; should two rows ever share one, the first stored keeps it.
INSERT OR IGNORE INTO request_ids (id, seq) SELECT id, seq FROM requests ORDER BY seq;
CREATE TABLE request_ids_progress (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    mapped_seq INTEGER NOT NULL
);
INSERT INTO request_ids_progress (id, mapped_seq) SELECT 1, coalesce(max(seq), 0) FROM requests;

CREATE TRIGGER requests_deleted AFTER DELETE ON requests BEGIN
    DELETE FROM request_ids WHERE id = old.id AND seq = old.seq;
    DELETE FROM deliveries WHERE request_id = old.id;
END;
