-- Every captured row paid for an index on its arrival time, and its page was written to the log
-- again with every commit: about 5% of capture throughput at 64 connections (docs/benchmarks.md,
-- ninth round). Only retention by age read it. Rows are stored in arrival order, so retention now
-- walks them by `seq`, which the table is keyed by, and stops at the first one young enough.
DROP INDEX requests_received_at;
