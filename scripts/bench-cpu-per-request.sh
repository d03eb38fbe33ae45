#!/usr/bin/env bash
# CPU time per request of each `hookscope serve` thread under one wrk load, with req/s and p99.
# Used to compare two builds of the same code in alternating runs (docs/benchmarks.md, second
# round): per-request CPU moves less with a shared machine's load than requests/s do.
#
# Usage: scripts/bench-cpu-per-request.sh [HOOKSCOPE_BINARY] [CONNECTIONS=64] [SECONDS=8]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BIN=${1:-$TARGET/release/hookscope}
CONNS=${2:-64}
SECONDS_OF_LOAD=${3:-8}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
[[ -x "$BIN" ]] || { echo "no binary at $BIN: cargo build --release --bin hookscope" >&2; exit 2; }

WORK=$(mktemp -d)
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT

# The same 2 KiB webhook-like JSON body as scripts/bench-capture.sh.
cat >"$WORK/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local items, i = {}, 1
repeat
  items[#items + 1] = string.format('{"n":%d,"sku":"sku_%04d","desc":"line item number %d of the order"}', i, i, i)
  i = i + 1
until #table.concat(items, ",") > 2048 - 200
local head = '{"id":"evt_bench","type":"invoice.paid","data":{"items":[' .. table.concat(items, ",") .. '],"note":"'
local tail = '"}}'
wrk.body = head .. string.rep("x", 2048 - #head - #tail) .. tail
LUA

"$BIN" serve --listen 127.0.0.1:0 --db "$WORK/bench.db" >"$WORK/out" 2>"$WORK/err" &
PID=$!
for _ in $(seq 100); do
    URL=$(head -n1 "$WORK/out" | grep -o 'http://[0-9.:]*' || true)
    [[ -n "$URL" ]] && break
    sleep 0.1
done
[[ -n "${URL:-}" ]] || { cat "$WORK/err" >&2; exit 1; }

# Clock ticks of user and system time per thread name.
cpu_ticks() {
    for task in /proc/"$PID"/task/*; do
        awk '{ sub(/^[0-9]+ \(/, ""); split($0, f, /\) /); split(f[2], s, " "); print f[1], s[12], s[13] }' "$task/stat"
    done | awk '{ u[$1] += $2; s[$1] += $3 } END { for (n in u) print n, u[n], s[n] }' | sort
}

wrk -t2 -c"$CONNS" -d2s -s "$WORK/post.lua" "$URL/warmup" >/dev/null
cpu_ticks >"$WORK/before"
wrk --latency -t2 -c"$CONNS" -d"${SECONDS_OF_LOAD}s" -s "$WORK/post.lua" "$URL/bench" >"$WORK/wrk"
cpu_ticks >"$WORK/after"

REQUESTS=$(grep -o '[0-9]* requests in' "$WORK/wrk" | cut -d' ' -f1)
RPS=$(awk '/Requests\/sec/ { print $2 }' "$WORK/wrk")
P99=$(awk '$1 == "99%" { print $2 }' "$WORK/wrk")
join "$WORK/before" "$WORK/after" | awk -v n="$REQUESTS" -v rps="$RPS" -v p99="$P99" -v hz="$(getconf CLK_TCK)" -v c="$CONNS" '
    BEGIN { printf "c=%s req/s %s p99 %s; CPU per request (user+system):", c, rps, p99 }
    { printf " %s %.1f+%.1f us;", $1, ($4 - $2) * 1e6 / hz / n, ($5 - $3) * 1e6 / hz / n }
    END { print "" }'
