-- Forwards and replays of captured requests: what was sent, and the answer or the error.
-- Deleting a request (by hand or by retention) deletes its deliveries.
CREATE TABLE deliveries (
    seq                INTEGER PRIMARY KEY AUTOINCREMENT,
    id                 TEXT NOT NULL UNIQUE,
    request_id         TEXT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
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

CREATE INDEX deliveries_request ON deliveries(request_id, seq);
