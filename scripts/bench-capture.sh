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
#   and, when asked, more servers in the same run:
#   floor-8k   FLOOR8K=1: the floor with 8 KiB pages, as Hookscope makes new databases (the
#              ratios to the floor stay those to the floor above, with SQLite's default pages);
#   hookscope-lto  LTO=1: the same code built like the floor (profile release-lto);
#   before            BEFORE=BINARY: any other `hookscope` binary, e.g. one built from an older commit.
# Prints req/s, p50 and p99 and the ratios to bare and to the floor, checks that every 2xx answer
# each server gave is a stored row, and reports Hookscope's RSS and PSS idle and after the load.
#
# Usage: scripts/bench-capture.sh   (DURATION=10s by default; BENCH_DIR to place the databases;
#                                    FLOOR_SYNC=full|normal|off for the floor's synchronous pragma;
#                                    LTO=1; FLOOR8K=1; BEFORE=path/to/hookscope; ROUNDS=N to measure every
#                                    server N times, in a rotating order, with the medians and, from
#                                    six rounds on, a 95% confidence interval of each median ratio;
#                                    CONNS="64" to load only at those connection counts)
set -euo pipefail

DURATION=${DURATION:-10s}
FLOOR_SYNC=${FLOOR_SYNC:-full}
ROUNDS=${ROUNDS:-1}
read -r -a CONNS <<<"${CONNS:-1 16 64}"
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

# load_phases KEY : the warm-up, then each of CONNS (c=1, c=16 and c=64) for DURATION.
load_phases() {
    load "$1-warmup" 8 "$WARMUP"
    local c
    for c in "${CONNS[@]}"; do load "$1-c$c" "$c" "$DURATION"; done
}

# measure_bare KEY, measure_floor KEY, measure_hookscope KEY BINARY: the same loads against one
# server, with its numbers in $WORK/KEY-*.result (KEY is the server's name and the round).
measure_bare() {
    echo "== $1: bare axum listener"
    start_server "$1" "$BARE" 127.0.0.1:0
    load_phases "$1"
    stop_server
}

# measure_floor KEY [PAGE_SIZE]
measure_floor() {
    echo "== $1: one writer thread, one table, group commit, synchronous=$FLOOR_SYNC${2:+, $2-byte pages}"
    start_server "$1" "$FLOOR" "$WORK/$1.db" "$FLOOR_SYNC" 127.0.0.1:0 ${2:+"$2"}
    load_phases "$1"
    stop_server
    "$COUNT_ROWS" "$WORK/$1.db" >"$WORK/$1.rows"
    rm -f "$WORK/$1".db*
}

# Also keeps the build's memory, CPU and stored rows in $WORK/KEY.*.
measure_hookscope() {
    local key=$1 bin=$2 db="$WORK/$1.db"
    echo "== $key: $bin serve (database on $(stat -f -c %T "$WORK"))"
    start_server "$key" "$bin" serve --listen 127.0.0.1:0 --db "$db"
    local pid=$SERVER_PID
    sleep 1
    memory "$pid" >"$WORK/$key.idle-memory"
    load_phases "$key"
    # Searches do not wait for the index (the tail is searched directly): a word in every row.
    local start
    start=$(date +%s%N)
    "$bin" list --db "$db" --search invoice --limit 1 >/dev/null
    echo $((($(date +%s%N) - start) / 1000000)) >"$WORK/$key.search-ms"
    sleep 1
    memory "$pid" >"$WORK/$key.loaded-memory"
    # CPU seconds per thread name (user and system): shows whether the writer or the listener is busy.
    thread_cpu_ticks "$pid" | awk -v hz="$(getconf CLK_TCK)" '
        { printf "%s %.1fs user + %.1fs sys; ", $1, $2 / hz, $3 / hz }' >"$WORK/$key.cpu"
    echo $(($(stat -c %s "$db") / 1048576)) >"$WORK/$key.db-mib"
    echo $(($(stat -c %s "$db-wal" 2>/dev/null || echo 0) / 1048576)) >"$WORK/$key.wal-mib"
    kill -INT "$pid"
    wait "$pid" 2>/dev/null || true
    "$COUNT_ROWS" "$db" >"$WORK/$key.rows"
    rm -f "$db" "$db-wal" "$db-shm"
}

# Every server, ROUNDS times; each round starts one server later than the one before, so that no
# server always comes first or last (on this shared machine, the same binary measured in two
# places of one run differed by 20%).
FLOORS=(floor)
[[ -z "${FLOOR8K:-}" ]] || FLOORS+=(floor-8k)
SERVERS=(bare "${FLOORS[@]}" "${VARIANTS[@]%%=*}")
binary_of() {
    local variant
    for variant in "${VARIANTS[@]}"; do [[ "${variant%%=*}" == "$1" ]] && echo "${variant#*=}"; done
}
for round in $(seq 1 "$ROUNDS"); do
    for ((i = 0; i < ${#SERVERS[@]}; i++)); do
        name=${SERVERS[(i + round - 1) % ${#SERVERS[@]}]}
        case $name in
        bare) measure_bare "bare.r$round" ;;
        floor) measure_floor "floor.r$round" ;;
        floor-8k) measure_floor "floor-8k.r$round" 8192 ;;
        *) measure_hookscope "$name.r$round" "$(binary_of "$name")" ;;
        esac
    done
done

echo
echo "== results ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
for round in $(seq 1 "$ROUNDS"); do
    start=$(((round - 1) % ${#SERVERS[@]}))
    ((ROUNDS == 1)) || echo "round $round (servers in the order ${SERVERS[*]:start} ${SERVERS[*]:0:start}):"
    printf '%-18s %-6s %10s %10s %9s %10s %9s %9s %9s\n' server conns "req/s" "/bare" "/floor" \
        p50 p99 "p99-bare" "(floor synchronous=$FLOOR_SYNC)"
    for name in "${SERVERS[@]}"; do
        for c in "${CONNS[@]}"; do
            key=$name.r$round
            awk -v n="$name" -v c="$c" -v r="$(rps "$key-c$c")" -v br="$(rps "bare.r$round-c$c")" \
                -v fr="$(rps "floor.r$round-c$c")" -v p50="$(field "$key-c$c" p50_us)" \
                -v p99="$(field "$key-c$c" p99_us)" -v b99="$(field "bare.r$round-c$c" p99_us)" 'BEGIN {
                printf "%-18s c=%-4s %10d %10.2f %9.2f %8dus %7dus %+8.2fms\n", n, c, r, r / br, r / fr, p50, p99, (p99 - b99) / 1000 }'
        done
    done
done
if ((ROUNDS > 1)); then
    # The median over the rounds of each server's req/s, and of its ratio to the floor of the same round.
    median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
    # median_interval : the median of the numbers on stdin and, from six of them on, the sign
    # test's 95% confidence interval of that median (the k-th smallest and the k-th largest, for the
    # largest k with P(Binomial(n, 1/2) < k) <= 2.5%): it assumes nothing of the spread's shape.
    median_interval() {
        sort -g | awk '{ v[NR] = $1 } END {
            n = NR; m = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
            k = 0; p = 0; term = 0.5 ^ n
            for (i = 0; i < n; i++) { p += term; if (p > 0.025) break; k = i + 1; term = term * (n - i) / (i + 1) }
            if (k == 0) printf "%9.2f %13s", m, "-"; else printf "%9.2f  [%.2f, %.2f]", m, v[k], v[n + 1 - k]
        }'
    }
    echo "median of $ROUNDS rounds (for each floor: the median of the rounds' ratios to it, and its 95% interval):"
    printf '%-18s %-6s %10s' server conns "req/s"
    for floor in "${FLOORS[@]}"; do printf ' %9s %13s' "/$floor" "interval"; done
    echo
    for name in "${SERVERS[@]}"; do
        for c in "${CONNS[@]}"; do
            r=$(for round in $(seq 1 "$ROUNDS"); do rps "$name.r$round-c$c"; echo; done | median)
            printf '%-18s c=%-4s %10.0f' "$name" "$c" "$r"
            for floor in "${FLOORS[@]}"; do
                printf ' %s' "$(for round in $(seq 1 "$ROUNDS"); do
                    awk -v r="$(rps "$name.r$round-c$c")" -v fr="$(rps "$floor.r$round-c$c")" 'BEGIN { printf "%.4f\n", r / fr }'
                done | median_interval)"
            done
            echo
        done
    done
fi
failed=0
for name in "${SERVERS[@]}"; do
    for round in $(seq 1 "$ROUNDS"); do
        for c in "${CONNS[@]}"; do
            errors=$(($(field "$name.r$round-c$c" status_errors) + $(field "$name.r$round-c$c" socket_errors)))
            [[ "$errors" == 0 ]] || echo "warning: $name.r$round-c$c had $errors failed requests" >&2
        done
    done
done

echo
answered_by() {
    local c total
    total=$(ok_count "$1-warmup")
    for c in "${CONNS[@]}"; do total=$((total + $(ok_count "$1-c$c"))); done
    echo "$total"
}
for floor in "${FLOORS[@]}"; do
    for round in $(seq 1 "$ROUNDS"); do
        key=$floor.r$round
        answered=$(answered_by "$key")
        rows=$(cat "$WORK/$key.rows")
        echo "$key: 2xx answered $answered, rows stored $rows"
        if ((rows < answered)); then
            echo "FAIL $floor lost $((answered - rows)) answered requests: its numbers mean nothing"
            failed=1
        fi
    done
done
for name in "${VARIANTS[@]%%=*}"; do
    for round in $(seq 1 "$ROUNDS"); do
        key=$name.r$round
        answered=$(answered_by "$key")
        rows=$(cat "$WORK/$key.rows")
        echo "$key: 2xx answered $answered, rows stored $rows (database $(cat "$WORK/$key.db-mib") MiB, WAL $(cat "$WORK/$key.wal-mib") MiB)"
        echo "$key memory: idle $(cat "$WORK/$key.idle-memory"); after load $(cat "$WORK/$key.loaded-memory")"
        echo "$key CPU by thread over the whole run: $(cat "$WORK/$key.cpu")"
        echo "$key: a search right after the load answered in $(cat "$WORK/$key.search-ms") ms"
        if ((rows >= answered)); then
            # wrk stops counting at the deadline; answers still in flight then are stored but not counted.
            echo "PASS $key: every 2xx answer is a stored row ($((rows - answered)) rows more: requests in flight when wrk stopped)"
        else
            echo "FAIL $key: $((answered - rows)) requests answered 2xx are missing from the database"
            failed=1
        fi
    done
done
exit "$failed"
