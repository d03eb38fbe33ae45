#!/usr/bin/env bash
# Capture while retention prunes: requests/s and p99 of `hookscope serve` on the same seeded
# database, first without a byte limit (the baseline), then with `--max-bytes` at 90% of what it
# holds, so that the first pruning pass (at start) removes a tenth of the rows under load.
#
# Usage: scripts/bench-retention.sh [BINARY]   (SEED=15s of load to fill the database;
#                                               DURATION=20s per measured run; BENCH_DIR)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
SEED=${SEED:-15s}
DURATION=${DURATION:-20s}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing: apt-get install -y sqlite3" >&2; exit 2; }
if [[ -z "${1:-}" ]]; then
    (cd "$ROOT" && cargo build --release --quiet --bin hookscope)
fi
BIN=${1:-$TARGET/release/hookscope}
WORK=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/hookscope-retention.XXXXXX")
source "$ROOT/scripts/bench-lib.sh"
trap 'stop_all_servers; rm -rf "$WORK"' EXIT

cat >"$WORK/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"type":"invoice.paid","note":"' .. string.rep("x", 2048 - 34) .. '"}'
LUA

# serve DB [ARGS...]: starts `hookscope serve` on DB.
serve() {
    local db=$1
    shift
    start_server hookscope "$BIN" serve --listen 127.0.0.1:0 --db "$db" "$@"
}
# measure NAME: wrk at 16 connections; prints req/s and p99.
measure() {
    wrk -t2 -c16 -d"$DURATION" --latency -s "$WORK/post.lua" "$SERVER_URL/bench" >"$WORK/$1.wrk"
    printf '%-22s %10s req/s   p99 %s   max %s\n' "$1" \
        "$(awk '/Requests\/sec/ { printf "%d", $2 }' "$WORK/$1.wrk")" \
        "$(awk '$1 == "99%" { print $2 }' "$WORK/$1.wrk")" \
        "$(awk '/^    Latency/ { print $4 }' "$WORK/$1.wrk")"
}

echo "== seeding: $SEED of load"
serve "$WORK/seed.db"
wrk -t2 -c64 -d"$SEED" -s "$WORK/post.lua" "$SERVER_URL/seed" >/dev/null
# A first open indexes what the load left unindexed, so that both runs start from the same state.
# Let serve's writer bring the full-text index up to date, as it does when the listener is quiet.
for _ in $(seq 2400); do
    [[ "$(sqlite3 "$WORK/seed.db" 'SELECT (SELECT max(seq) FROM requests) - indexed_seq FROM search_index_progress')" == 0 ]] && break
    sleep 0.25
done
stop_server
BYTES=$(sqlite3 "$WORK/seed.db" 'SELECT sum(length(body) + length(response_body)) FROM requests')
LIMIT=$((BYTES * 9 / 10))
echo "seeded $(stat -c %s "$WORK/seed.db" | awk '{ printf "%d MiB", $1 / 1048576 }'), $BYTES body bytes; limit $LIMIT"

# fresh_copy: run.db as the seed left it. `sync` so that the copy's dirty pages are on disk:
# otherwise the first checkpoint's fsync writes the whole file, and that stall is the copy's.
fresh_copy() {
    rm -f "$WORK"/run.db "$WORK"/run.db-wal "$WORK"/run.db-shm
    cp "$WORK/seed.db" "$WORK/run.db"
    sync
}
fresh_copy
serve "$WORK/run.db"
measure "no byte limit"
stop_server
fresh_copy
PASS_START=$(date +%s%N)
serve "$WORK/run.db" --max-bytes "$LIMIT"
measure "--max-bytes 90%"
# serve prints "retention: pruned N old requests" when the pass that started with it is over.
for _ in $(seq 1200); do
    grep -q '^retention: pruned' "$WORK/hookscope.out" && break
    sleep 0.25
done
PASS_END=$(date +%s%N)
stop_server
if grep -q '^retention: pruned' "$WORK/hookscope.out"; then
    echo "$(grep -m1 '^retention: pruned' "$WORK/hookscope.out"); the store was over its limit for at most" \
        "$(awk -v ns=$((PASS_END - PASS_START)) 'BEGIN { printf "%.1f s", ns / 1e9 }') after serve started"
else
    echo "the pruning pass did not finish within 5 minutes of the load's end"
fi
