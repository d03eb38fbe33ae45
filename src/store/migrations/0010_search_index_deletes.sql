-- Deleting a request from the full-text index leaves a tombstone on the index segment that holds
-- it. By default FTS5 rewrites a whole level of segments, inside the deleting transaction, once a
-- tenth of its entries are tombstones: during a retention pass that stalled captures queued
-- behind one batch of deletions for 150-250 ms (docs/benchmarks.md). With 'deletemerge' at 0,
-- deletions only add tombstones; the writer merges them away in small steps while the listener
-- is quiet (`search::tidy_index_step`), and ordinary merges drop them too.
INSERT INTO requests_fts (requests_fts, rank) VALUES ('deletemerge', 0);
