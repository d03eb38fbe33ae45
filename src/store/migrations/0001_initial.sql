-- The first schema: endpoints, their secrets, and captured requests with a full-text index.
CREATE TABLE endpoints (
    id                INTEGER PRIMARY KEY,
    name              TEXT NOT NULL UNIQUE,
    path_prefix       TEXT NOT NULL,
    provider          TEXT,
    verify_token      TEXT,
    public_url        TEXT,
    response_status   INTEGER NOT NULL DEFAULT 200,
    response_headers  TEXT NOT NULL DEFAULT '[]',
    response_body     TEXT,
    response_delay_ms INTEGER NOT NULL DEFAULT 0,
    handshake_enabled INTEGER NOT NULL DEFAULT 1,
    forward_targets   TEXT NOT NULL DEFAULT '[]',
    auto_forward      TEXT,
    created_at_ns     INTEGER NOT NULL
);

CREATE TABLE endpoint_secrets (
    endpoint_id INTEGER NOT NULL REFERENCES endpoints(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    secret      TEXT NOT NULL,
    PRIMARY KEY (endpoint_id, position)
);

-- endpoint_id has no foreign key on purpose: removing an endpoint keeps its history.
CREATE TABLE requests (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    id               TEXT NOT NULL UNIQUE,
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
    signature        TEXT
);

CREATE INDEX requests_received_at ON requests(received_at_ns);
CREATE INDEX requests_endpoint ON requests(endpoint_id, seq);

-- Contentless: the text lives in `requests`; the index only maps words to rows.
CREATE VIRTUAL TABLE requests_fts USING fts5(
    target, headers, body,
    content = '', contentless_delete = 1, tokenize = 'unicode61'
);
