#!/usr/bin/env bash
# How far the full-text index falls behind a steady stream: `hookscope serve` receives a paced
# rate of POSTs from four keep-alive senders (the window benchmark's sender,
# tests/e2e/bench-window.mjs) for SECONDS, and once a second the rows stored and the rows not yet
# indexed are read from the database (docs/benchmarks.md, eighth round). Rows the index has not
# reached are still found by a search (it reads them directly), but the more there are, the more
# each search reads. Each binary is measured at each rate in turn, on a fresh database.
#
# Usage: scripts/bench-index-lag.sh [BINARY...]   (RATES="500 1000 2000", SECONDS_OF_LOAD=10;
#        the default binary is this tree's release build)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
RATES=${RATES:-500 1000 2000}
SECONDS_OF_LOAD=${SECONDS_OF_LOAD:-10}
for tool in node python3; do
    command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install -y nodejs python3" >&2; exit 2; }
done
if (($# == 0)); then
    (cd "$ROOT" && cargo build --release --quiet --bin hookscope)
    set -- "$TARGET/release/hookscope"
fi

WORK=$(mktemp -d)
source "$ROOT/scripts/bench-lib.sh"
trap 'stop_all_servers; rm -rf "$WORK"' EXIT

echo "rows not yet indexed, read once a second during a paced stream of ${SECONDS_OF_LOAD} s"
for rate in $RATES; do
    for binary in "$@"; do
        rm -f "$WORK"/lag.db*
        start_server serve "$binary" serve --listen 127.0.0.1:0 --db "$WORK/lag.db"
        node "$ROOT/tests/e2e/bench-window.mjs" send "$SERVER_URL/paced" "$rate" "$SECONDS_OF_LOAD" 4 >/dev/null &
        sender=$!
        python3 - "$WORK/lag.db" "$SECONDS_OF_LOAD" "$rate" "$binary" <<'PY'
import sqlite3, statistics, sys, time
db, seconds, rate, binary = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
behind, stored = [], 0
start = time.monotonic()
while time.monotonic() - start < seconds - 0.5:
    time.sleep(1)
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    indexed, stored = connection.execute(
        "SELECT (SELECT indexed_seq FROM search_index_progress), (SELECT coalesce(max(seq), 0) FROM requests)"
    ).fetchone()
    connection.close()
    behind.append(stored - indexed)
print(f"{rate:>5}/s  {binary}: stored {stored}, not indexed: median {statistics.median(behind):.0f}, "
      f"max {max(behind)}, last {behind[-1]} (each second: {' '.join(map(str, behind))})")
PY
        wait "$sender"
        stop_server
    done
done
