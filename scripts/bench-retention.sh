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
stop_server
# A first open indexes what the load left unindexed, so that both runs start from the same state.
"$BIN" list --db "$WORK/seed.db" --search invoice --limit 1 >/dev/null
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
serve "$WORK/run.db" --max-bytes "$LIMIT"
measure "--max-bytes 90%"
stop_server
