#!/usr/bin/env bash
# Capture throughput and latency of `hookscope serve` against a bare axum baseline, in one run.
#
# Three servers run one after the other on 127.0.0.1 with an ephemeral port and receive POSTs of a
# 2 KiB JSON body from wrk, at 1, 16 and 64 connections, for DURATION each:
#   bare       axum reading the body and answering 200 (examples/bare_listener.rs), the baseline;
#   floor      bare plus the least that answers only after a commit to SQLite: one writer thread,
#              one table, group commit (examples/durable_floor_listener.rs), the ceiling of the
#              design that the capture engine follows;
#   hookscope  `hookscope serve`.
# Prints req/s, p50 and p99 and the ratios hookscope/bare, floor/bare and hookscope/floor, checks
# that every 2xx answer Hookscope and the floor gave is a stored row, and reports Hookscope's RSS
# and PSS idle and after the load.
#
# Usage: scripts/bench-capture.sh   (DURATION=10s by default; BENCH_DIR to place the databases;
#                                    FLOOR_SYNC=full|normal|off for the floor's synchronous pragma)
set -euo pipefail

DURATION=${DURATION:-10s}
FLOOR_SYNC=${FLOOR_SYNC:-full}
WARMUP=${WARMUP:-2s}
BODY_BYTES=2048
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
WORK=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/hookscope-bench.XXXXXX")
source "$ROOT/scripts/bench-lib.sh"
cleanup() {
    stop_all_servers
    [[ -n "${KEEP:-}" ]] || rm -rf "$WORK"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }

echo "== building (release)"
(cd "$ROOT" && cargo build --release --quiet --bin hookscope --example bare_listener \
    --example durable_floor_listener --example count_rows)
HOOKSCOPE=$TARGET/release/hookscope
BARE=$TARGET/release/examples/bare_listener
FLOOR=$TARGET/release/examples/durable_floor_listener
COUNT_ROWS=$TARGET/release/examples/count_rows

write_post_lua "$WORK/post.lua" "$BODY_BYTES"
cat >>"$WORK/post.lua" <<'LUA'
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d status_errors=%d socket_errors=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
LUA

# load NAME CONNECTIONS DURATION : runs wrk and keeps its RESULT line in $WORK/NAME.result.
load() {
    local threads=$(($2 < 2 ? 1 : 2))
    wrk -t"$threads" -c"$2" -d"$3" -s "$WORK/post.lua" "$SERVER_URL/bench" | grep '^RESULT' >"$WORK/$1.result"
}

field() { grep -o "$2=[0-9]*" "$WORK/$1.result" | cut -d= -f2; }
ok_count() { echo $(($(field "$1" requests) - $(field "$1" status_errors))); }
rps() { awk -v r="$(field "$1" requests)" -v d="$(field "$1" duration_us)" 'BEGIN { printf "%.0f", r / (d / 1e6) }'; }
memory() { awk '/^Rss:/ { rss = $2 } /^Pss:/ { pss = $2 } END { printf "RSS %.1f MiB, PSS %.1f MiB", rss / 1024, pss / 1024 }' "/proc/$1/smaps_rollup"; }

echo "== baseline: bare axum listener"
start_server bare "$BARE" 127.0.0.1:0
load bare-warmup 8 "$WARMUP"
load bare-c1 1 "$DURATION"
load bare-c16 16 "$DURATION"
load bare-c64 64 "$DURATION"
stop_server

echo "== floor: one writer thread, one table, group commit, synchronous=$FLOOR_SYNC"
start_server floor "$FLOOR" "$WORK/floor.db" "$FLOOR_SYNC" 127.0.0.1:0
load floor-warmup 8 "$WARMUP"
load floor-c1 1 "$DURATION"
load floor-c16 16 "$DURATION"
load floor-c64 64 "$DURATION"
stop_server
FLOOR_ROWS=$("$COUNT_ROWS" "$WORK/floor.db")
rm -f "$WORK"/floor.db*

echo "== hookscope serve (database on $(stat -f -c %T "$WORK"))"
start_server hookscope "$HOOKSCOPE" serve --listen 127.0.0.1:0 --db "$WORK/bench.db"
HOOKSCOPE_PID=$SERVER_PID
sleep 1
IDLE_MEMORY=$(memory "$HOOKSCOPE_PID")
load hookscope-warmup 8 "$WARMUP"
load hookscope-c1 1 "$DURATION"
load hookscope-c16 16 "$DURATION"
load hookscope-c64 64 "$DURATION"
# Under sustained load the search index falls behind; the first search afterwards catches it up.
SEARCH_START=$(date +%s%N)
"$HOOKSCOPE" list --db "$WORK/bench.db" --search invoice --limit 1 >/dev/null
SEARCH_MS=$((($(date +%s%N) - SEARCH_START) / 1000000))
sleep 1
LOADED_MEMORY=$(memory "$HOOKSCOPE_PID")
# CPU seconds per thread name (user and system): shows whether the writer or the listener is busy.
THREAD_CPU=$(thread_cpu_ticks "$HOOKSCOPE_PID" | awk -v hz="$(getconf CLK_TCK)" '
    { printf "%s %.1fs user + %.1fs sys; ", $1, $2 / hz, $3 / hz }')
DB_BYTES=$(stat -c %s "$WORK/bench.db")
WAL_BYTES=$(stat -c %s "$WORK/bench.db-wal" 2>/dev/null || echo 0)
kill -INT "$HOOKSCOPE_PID"
wait "$HOOKSCOPE_PID" 2>/dev/null || true
ROWS=$("$COUNT_ROWS" "$WORK/bench.db")

echo
echo "== results ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-6s %12s %12s %8s %10s %10s %8s %10s %10s %8s\n' conns "base req/s" "hook req/s" ratio \
    "base p50" "hook p50" ratio "base p99" "hook p99" ratio
for c in 1 16 64; do
    awk -v c="$c" -v br="$(rps "bare-c$c")" -v hr="$(rps "hookscope-c$c")" \
        -v b50="$(field "bare-c$c" p50_us)" -v h50="$(field "hookscope-c$c" p50_us)" \
        -v b99="$(field "bare-c$c" p99_us)" -v h99="$(field "hookscope-c$c" p99_us)" 'BEGIN {
        printf "c=%-4s %12d %12d %8.2f %8dus %8dus %8.1f %8dus %8dus %8.1f\n",
            c, br, hr, hr / br, b50, h50, h50 / b50, b99, h99, h99 / b99 }'
done
echo
printf '%-6s %12s %12s %12s %8s %8s %10s\n' conns "floor req/s" "floor/bare" "hook/floor" \
    "floor p50" "floor p99" "(synchronous=$FLOOR_SYNC)"
for c in 1 16 64; do
    awk -v c="$c" -v br="$(rps "bare-c$c")" -v fr="$(rps "floor-c$c")" -v hr="$(rps "hookscope-c$c")" \
        -v f50="$(field "floor-c$c" p50_us)" -v f99="$(field "floor-c$c" p99_us)" 'BEGIN {
        printf "c=%-4s %12d %12.2f %12.2f %6dus %6dus\n", c, fr, fr / br, hr / fr, f50, f99 }'
done
for run in bare-c1 bare-c16 bare-c64 floor-c1 floor-c16 floor-c64 hookscope-c1 hookscope-c16 hookscope-c64; do
    errors=$(($(field "$run" status_errors) + $(field "$run" socket_errors)))
    [[ "$errors" == 0 ]] || echo "warning: $run had $errors failed requests" >&2
done

FLOOR_ANSWERED=$(($(ok_count floor-warmup) + $(ok_count floor-c1) + $(ok_count floor-c16) + $(ok_count floor-c64)))
ANSWERED=$(($(ok_count hookscope-warmup) + $(ok_count hookscope-c1) + $(ok_count hookscope-c16) + $(ok_count hookscope-c64)))
echo
echo "hookscope: 2xx answered $ANSWERED, rows stored $ROWS (database $((DB_BYTES / 1048576)) MiB, WAL $((WAL_BYTES / 1048576)) MiB)"
echo "hookscope memory: idle $IDLE_MEMORY; after load $LOADED_MEMORY"
echo "hookscope CPU by thread over the whole run: $THREAD_CPU"
echo "first search right after the load (catches the index up): $SEARCH_MS ms"
echo "floor: 2xx answered $FLOOR_ANSWERED, rows stored $FLOOR_ROWS"
if ((FLOOR_ROWS < FLOOR_ANSWERED)); then
    echo "FAIL the floor lost $((FLOOR_ANSWERED - FLOOR_ROWS)) answered requests: its numbers mean nothing"
    exit 1
fi
if ((ROWS >= ANSWERED)); then
    # wrk stops counting at the deadline; answers still in flight then are stored but not counted.
    echo "PASS every 2xx answer is a stored row ($((ROWS - ANSWERED)) rows more: requests in flight when wrk stopped)"
else
    echo "FAIL $((ANSWERED - ROWS)) requests answered 2xx are missing from the database"
    exit 1
fi
