#!/usr/bin/env bash
# Capture throughput and latency of `hookscope serve` against a bare axum baseline, in one run.
#
# The servers run one after the other on 127.0.0.1 with an ephemeral port and receive POSTs of a
# 2 KiB JSON body from wrk, at 1, 16 and 64 connections, for DURATION each:
#   bare       axum reading the body and answering 200 (examples/bare_listener.rs), the baseline;
#   floor      bare plus the least that answers only after a commit to SQLite: one writer thread,
#              one table (head text, body blob), group commit, WAL with synchronous=FULL, answered
#              after commit (examples/durable_floor_listener.rs), the ceiling of the design that
#              the capture engine follows; built as small and fast as it can be (fat LTO, one
#              codegen unit: profile release-lto);
#   hookscope  `hookscope serve` (release build, as the packages hold it);
#   and, when asked, more Hookscope builds in the same run:
#   hookscope-lto  LTO=1: the same code built like the floor (profile release-lto);
#   before            BEFORE=BINARY: any other `hookscope` binary, e.g. one built from an older commit.
# Prints req/s, p50 and p99 and the ratios to bare and to the floor, checks that every 2xx answer
# each server gave is a stored row, and reports Hookscope's RSS and PSS idle and after the load.
#
# Usage: scripts/bench-capture.sh   (DURATION=10s by default; BENCH_DIR to place the databases;
#                                    FLOOR_SYNC=full|normal|off for the floor's synchronous pragma;
#                                    LTO=1; BEFORE=path/to/hookscope)
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
(cd "$ROOT" && cargo build --release --quiet --bin hookscope --example bare_listener --example count_rows)
(cd "$ROOT" && cargo build --profile release-lto --quiet --example durable_floor_listener)
HOOKSCOPE=$TARGET/release/hookscope
VARIANTS=("hookscope=$HOOKSCOPE")
if [[ -n "${LTO:-}" ]]; then
    (cd "$ROOT" && cargo build --profile release-lto --quiet --bin hookscope)
    VARIANTS+=("hookscope-lto=$TARGET/release-lto/hookscope")
fi
[[ -z "${BEFORE:-}" ]] || VARIANTS+=("before=$BEFORE")
BARE=$TARGET/release/examples/bare_listener
FLOOR=$TARGET/release-lto/examples/durable_floor_listener
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

# measure_hookscope NAME BINARY : the same loads against one Hookscope build, with its numbers
# in $WORK/NAME-*.result and its memory, CPU and stored rows in $WORK/NAME.*.
measure_hookscope() {
    local name=$1 bin=$2 db="$WORK/$1.db"
    echo "== $name: $bin serve (database on $(stat -f -c %T "$WORK"))"
    start_server "$name" "$bin" serve --listen 127.0.0.1:0 --db "$db"
    local pid=$SERVER_PID
    sleep 1
    memory "$pid" >"$WORK/$name.idle-memory"
    load "$name-warmup" 8 "$WARMUP"
    load "$name-c1" 1 "$DURATION"
    load "$name-c16" 16 "$DURATION"
    load "$name-c64" 64 "$DURATION"
    # Searches do not wait for the index (the tail is searched directly): a word in every row.
    local start
    start=$(date +%s%N)
    "$bin" list --db "$db" --search invoice --limit 1 >/dev/null
    echo $((($(date +%s%N) - start) / 1000000)) >"$WORK/$name.search-ms"
    sleep 1
    memory "$pid" >"$WORK/$name.loaded-memory"
    # CPU seconds per thread name (user and system): shows whether the writer or the listener is busy.
    thread_cpu_ticks "$pid" | awk -v hz="$(getconf CLK_TCK)" '
        { printf "%s %.1fs user + %.1fs sys; ", $1, $2 / hz, $3 / hz }' >"$WORK/$name.cpu"
    echo $(($(stat -c %s "$db") / 1048576)) >"$WORK/$name.db-mib"
    echo $(($(stat -c %s "$db-wal" 2>/dev/null || echo 0) / 1048576)) >"$WORK/$name.wal-mib"
    kill -INT "$pid"
    wait "$pid" 2>/dev/null || true
    "$COUNT_ROWS" "$db" >"$WORK/$name.rows"
    rm -f "$db" "$db-wal" "$db-shm"
}
for variant in "${VARIANTS[@]}"; do
    measure_hookscope "${variant%%=*}" "${variant#*=}"
done

echo
echo "== results ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-18s %-6s %10s %10s %9s %10s %9s %9s %9s\n' server conns "req/s" "/bare" "/floor" \
    p50 p99 "p99-bare" "(floor synchronous=$FLOOR_SYNC)"
for name in bare floor "${VARIANTS[@]%%=*}"; do
    for c in 1 16 64; do
        awk -v n="$name" -v c="$c" -v r="$(rps "$name-c$c")" -v br="$(rps "bare-c$c")" -v fr="$(rps "floor-c$c")" \
            -v p50="$(field "$name-c$c" p50_us)" -v p99="$(field "$name-c$c" p99_us)" \
            -v b99="$(field "bare-c$c" p99_us)" 'BEGIN {
            printf "%-18s c=%-4s %10d %10.2f %9.2f %8dus %7dus %+8.2fms\n", n, c, r, r / br, r / fr, p50, p99, (p99 - b99) / 1000 }'
    done
done
failed=0
for name in bare floor "${VARIANTS[@]%%=*}"; do
    for c in 1 16 64; do
        errors=$(($(field "$name-c$c" status_errors) + $(field "$name-c$c" socket_errors)))
        [[ "$errors" == 0 ]] || echo "warning: $name-c$c had $errors failed requests" >&2
    done
done

FLOOR_ANSWERED=$(($(ok_count floor-warmup) + $(ok_count floor-c1) + $(ok_count floor-c16) + $(ok_count floor-c64)))
echo
echo "floor: 2xx answered $FLOOR_ANSWERED, rows stored $FLOOR_ROWS"
if ((FLOOR_ROWS < FLOOR_ANSWERED)); then
    echo "FAIL the floor lost $((FLOOR_ANSWERED - FLOOR_ROWS)) answered requests: its numbers mean nothing"
    failed=1
fi
for name in "${VARIANTS[@]%%=*}"; do
    answered=$(($(ok_count "$name-warmup") + $(ok_count "$name-c1") + $(ok_count "$name-c16") + $(ok_count "$name-c64")))
    rows=$(cat "$WORK/$name.rows")
    echo "$name: 2xx answered $answered, rows stored $rows (database $(cat "$WORK/$name.db-mib") MiB, WAL $(cat "$WORK/$name.wal-mib") MiB)"
    echo "$name memory: idle $(cat "$WORK/$name.idle-memory"); after load $(cat "$WORK/$name.loaded-memory")"
    echo "$name CPU by thread over the whole run: $(cat "$WORK/$name.cpu")"
    echo "$name: a search right after the load answered in $(cat "$WORK/$name.search-ms") ms"
    if ((rows >= answered)); then
        # wrk stops counting at the deadline; answers still in flight then are stored but not counted.
        echo "PASS $name: every 2xx answer is a stored row ($((rows - answered)) rows more: requests in flight when wrk stopped)"
    else
        echo "FAIL $name: $((answered - rows)) requests answered 2xx are missing from the database"
        failed=1
    fi
done
exit "$failed"
