-- Times the public tunnel was lost while it was meant to be up, and reconnected by itself (or
-- was stopped, failed, or the app closed before it came back). Requests sent to the public URL
-- in that time may never have arrived; the request list marks the gap.
CREATE TABLE tunnel_outages (
    id            INTEGER PRIMARY KEY,
    started_at_ns INTEGER NOT NULL,
    -- NULL while the outage lasts, and when the app closed before it ended.
    ended_at_ns   INTEGER,
    -- reconnected | stopped | failed | app_closed; NULL while it lasts.
    end_reason    TEXT,
    -- Why the connection was lost, as the status bar said it.
    reason        TEXT NOT NULL
);

CREATE INDEX tunnel_outages_started ON tunnel_outages(started_at_ns);
