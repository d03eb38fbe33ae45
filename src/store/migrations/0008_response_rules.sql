-- Ordered response rules per endpoint (conditions, schedule and action as JSON), with counters
-- that survive a restart: how many requests matched a rule's conditions, and how many it answered.
-- Removing an endpoint removes its rules. Positions run 1..n per endpoint, kept dense by the code.
CREATE TABLE response_rules (
    id            INTEGER PRIMARY KEY,
    endpoint_id   INTEGER NOT NULL REFERENCES endpoints(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    definition    TEXT NOT NULL,
    matched       INTEGER NOT NULL DEFAULT 0,
    answered      INTEGER NOT NULL DEFAULT 0,
    created_at_ns INTEGER NOT NULL
);

CREATE INDEX response_rules_endpoint ON response_rules(endpoint_id, position);

-- Which rule answered a captured request, as it was named then ("#2 first 2 → 503");
-- NULL when the endpoint's default response (or a handshake, a limit, a passthrough) answered.
ALTER TABLE requests ADD COLUMN rule TEXT;
