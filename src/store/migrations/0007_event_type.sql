-- The event a request carries, read at capture for its provider (configured or detected):
-- * provider: the provider id the event was read for; a delivery id means something only
--   together with it.
-- * event_type: the provider's name for the event (`invoice.paid`, `pull_request.opened`).
-- * delivery_id: the provider's id of the event or delivery, the same when it is sent again.
-- * attempt: 1, 2, ... among the requests with the same provider and delivery id, by arrival.
-- Rows without a provider keep NULLs and stay out of both partial indexes, so requests that
-- carry no known provider pay for no index entry.
ALTER TABLE requests ADD COLUMN provider TEXT;
ALTER TABLE requests ADD COLUMN event_type TEXT;
ALTER TABLE requests ADD COLUMN delivery_id TEXT;
ALTER TABLE requests ADD COLUMN attempt INTEGER;

-- `--event TYPE` (exact or prefix), newest first, keyset-paged on seq.
CREATE INDEX requests_event_type ON requests(event_type, seq) WHERE event_type IS NOT NULL;
-- Counting the earlier attempts of a delivery at insert time, and listing them together.
CREATE INDEX requests_delivery ON requests(provider, delivery_id, seq) WHERE delivery_id IS NOT NULL;

-- Rows stored before this migration get their event read by the engine afterwards, oldest
-- first and in batches (`requests::backfill_events`), so that attempts count in arrival order:
-- rows up to `until_seq` are to be read, and those up to `done_seq` have been.
CREATE TABLE event_backfill_progress (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    done_seq  INTEGER NOT NULL,
    until_seq INTEGER NOT NULL
);
INSERT INTO event_backfill_progress (id, done_seq, until_seq) SELECT 1, 0, coalesce(max(seq), 0) FROM requests;
