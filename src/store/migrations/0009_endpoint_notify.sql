-- Desktop notifications per endpoint: when on, the app shows a notification for the endpoint's
-- requests that arrive while its window is hidden or not focused. Off for every endpoint that
-- existed before, as for a new one.
ALTER TABLE endpoints ADD COLUMN notify INTEGER NOT NULL DEFAULT 0;
