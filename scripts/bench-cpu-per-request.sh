#!/usr/bin/env bash
# CPU time per request of each `hookscope serve` thread under one wrk load, with req/s, p99 and
# the sum over the threads. Used to compare two builds of the same code in alternating runs
# (docs/benchmarks.md, second round): per-request CPU moves less with a shared machine's load
# than requests/s do. Given the durable floor (examples/durable_floor_listener.rs) instead, it
# measures the floor's threads the same way (sixth round), with SQLite's default page size or
# FLOOR_PAGE_SIZE (seventh round).
#
# Usage: scripts/bench-cpu-per-request.sh [HOOKSCOPE_OR_FLOOR_BINARY] [CONNECTIONS=64] [SECONDS=8]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BIN=${1:-$TARGET/release/hookscope}
CONNS=${2:-64}
SECONDS_OF_LOAD=${3:-8}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
[[ -x "$BIN" ]] || { echo "no binary at $BIN: cargo build --release --bin hookscope" >&2; exit 2; }

WORK=$(mktemp -d)
source "$ROOT/scripts/bench-lib.sh"
trap 'stop_all_servers; rm -rf "$WORK"' EXIT

# The same 2 KiB webhook-like JSON body as scripts/bench-capture.sh.
write_post_lua "$WORK/post.lua" 2048
if [[ "$(basename "$BIN")" == durable_floor_listener ]]; then
    start_server floor "$BIN" "$WORK/bench.db" full 127.0.0.1:0 ${FLOOR_PAGE_SIZE:+"$FLOOR_PAGE_SIZE"}
else
    start_server hookscope "$BIN" serve --listen 127.0.0.1:0 --db "$WORK/bench.db"
fi

wrk -t2 -c"$CONNS" -d2s -s "$WORK/post.lua" "$SERVER_URL/warmup" >/dev/null
thread_cpu_ticks "$SERVER_PID" >"$WORK/before"
wrk --latency -t2 -c"$CONNS" -d"${SECONDS_OF_LOAD}s" -s "$WORK/post.lua" "$SERVER_URL/bench" >"$WORK/wrk"
thread_cpu_ticks "$SERVER_PID" >"$WORK/after"

REQUESTS=$(grep -o '[0-9]* requests in' "$WORK/wrk" | cut -d' ' -f1)
RPS=$(awk '/Requests\/sec/ { print $2 }' "$WORK/wrk")
P99=$(awk '$1 == "99%" { print $2 }' "$WORK/wrk")
join "$WORK/before" "$WORK/after" | awk -v n="$REQUESTS" -v rps="$RPS" -v p99="$P99" -v hz="$(getconf CLK_TCK)" -v c="$CONNS" '
    BEGIN { printf "c=%s req/s %s p99 %s; CPU per request (user+system):", c, rps, p99 }
    { u = ($4 - $2) * 1e6 / hz / n; s = ($5 - $3) * 1e6 / hz / n; tu += u; ts += s; printf " %s %.1f+%.1f us;", $1, u, s }
    END { printf " all threads %.1f+%.1f us\n", tu, ts }'
