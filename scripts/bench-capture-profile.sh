#!/usr/bin/env bash
# Where each request's CPU goes, in Hookscope and in the durable floor, from one run: both servers
# take the same wrk load (c=64, the benchmark's 2 KiB JSON body) in alternating rounds while
# `perf record --call-graph dwarf` samples every thread; each sample is put in one part of the
# work by the functions on its stack, and each part is printed in µs of CPU per request stored
# while perf sampled. The
# parts Hookscope has and the floor has not (the tail sketch, the verdict, the rules, the row's
# JSON columns, the live summary, serve's printing, ...) add up to what its features cost on the
# capture path (docs/benchmarks.md, eighth round).
#
# Sampling slows both servers alike (about a tenth); compare the rows, not the requests/s with
# scripts/bench-capture.sh. Both are built with the `profiling` profile (release with line tables,
# no LTO), so that their functions have names.
#
# Usage: scripts/bench-capture-profile.sh   (ROUNDS=2, SECONDS_OF_LOAD=5, FREQUENCY=999)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
ROUNDS=${ROUNDS:-2}
SECONDS_OF_LOAD=${SECONDS_OF_LOAD:-5}
FREQUENCY=${FREQUENCY:-999}
for tool in wrk perf python3; do
    command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install -y wrk linux-perf python3" >&2; exit 2; }
done

(cd "$ROOT" && cargo build --profile profiling --quiet --bin hookscope --example durable_floor_listener)
HOOKSCOPE=$TARGET/profiling/hookscope
FLOOR=$TARGET/profiling/examples/durable_floor_listener

WORK=$(mktemp -d)
source "$ROOT/scripts/bench-lib.sh"
trap 'stop_all_servers; rm -rf "$WORK"' EXIT
write_post_lua "$WORK/post.lua" 2048

# stored_rows DB : the highest row number in the server's database (both number rows by `seq`).
stored_rows() {
    python3 -c 'import sqlite3, sys
print(sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True).execute("SELECT coalesce(max(seq), 0) FROM requests").fetchone()[0])' "$1"
}

# profile KEY DB : loads the server started last at c=64 and, a second into the load, samples it
# for SECONDS_OF_LOAD with perf while the load goes on (so that nothing the server does once the
# load ends is counted); leaves the samples' stacks in $WORK/KEY.stacks and the rows stored
# meanwhile in $WORK/KEY.requests.
profile() {
    wrk -t2 -c64 -d2s -s "$WORK/post.lua" "$SERVER_URL/warmup" >/dev/null
    wrk -t2 -c64 -d"$((SECONDS_OF_LOAD + 3))s" -s "$WORK/post.lua" "$SERVER_URL/bench" >/dev/null &
    local load=$!
    sleep 1
    local before
    before=$(stored_rows "$2")
    perf record --quiet -F "$FREQUENCY" --call-graph dwarf,16384 -p "$SERVER_PID" -o "$WORK/$1.perf" \
        -- sleep "$SECONDS_OF_LOAD" 2>/dev/null || true
    echo $(($(stored_rows "$2") - before)) >"$WORK/$1.requests"
    wait "$load"
    perf script -i "$WORK/$1.perf" --no-inline -F comm,period,ip,sym,dso 2>/dev/null >"$WORK/$1.stacks"
    rm -f "$WORK/$1.perf"
}

KEYS=()
for round in $(seq "$ROUNDS"); do
    for server in hookscope floor; do
        key=$server-$round
        echo "== round $round: $server" >&2
        if [[ $server == floor ]]; then
            start_server "$key" "$FLOOR" "$WORK/$key.db" full 127.0.0.1:0
        else
            start_server "$key" "$HOOKSCOPE" serve --listen 127.0.0.1:0 --db "$WORK/$key.db"
        fi
        profile "$key" "$WORK/$key.db"
        stop_server
        rm -f "$WORK/$key".db*
        KEYS+=("$key")
    done
done

python3 - "$WORK" "${KEYS[@]}" <<'PY'
import collections, re, sys

work, keys = sys.argv[1], sys.argv[2:]

# (part, frame pattern): a sample goes to the first part any frame of its stack matches, so a
# part holds what its functions call (allocations, copies, system calls) too.
LISTENER = [
    ("listener: tail sketch", r"store::tail_sketch::"),
    ("listener: the row's JSON columns", r"EncodedColumns|store::header_json::"),
    ("listener: signature verdict", r"signature::|check_signature"),
    ("listener: handshake and response rules", r"respond::|choose_answer|rule_answer"),
    ("listener: event type, delivery id", r"event_meta::"),
    ("listener: summary for the live list", r"RequestSummary|EngineEvent"),
    ("listener: byte-exact head (tap)", r"HeadTap|capture::tap::parse_head"),
    ("listener: rest of the handler", r"capture::handler::|floor_listener::"),
]
WRITER = [
    ("writer: search index (batches under load)", r"store::search::|index_some|tidy_some"),
    ("writer: checkpoint", r"sqlite3WalCheckpoint"),
    ("writer: commit (log write, fsync)", r"sqlite3PagerCommitPhase|sqlite3BtreeCommitPhase|sqlite3WalFrames|pagerWalFrames"),
    ("writer: insert the row", r"sqlite3_step|sqlite3_bind|bind_parameter|insert_encoded"),
]
ORDER = [p for p, _ in LISTENER] + [
    "listener: HTTP and runtime (hyper, axum, tokio)",
    "listener: kernel (sockets, wakeups)",
] + [p for p, _ in WRITER] + ["writer: the rest (channel, freeing)", "serve's printing", "other threads"]
HOOKSCOPE_ONLY = {p for p, _ in LISTENER[:6]} | {"writer: search index (batches under load)", "serve's printing"}

def part_of(comm, frames):
    kernel_leaf = frames and "kernel.kallsyms" in frames[0]
    text = "\n".join(frames)
    if comm.startswith("tokio-rt-worke"):
        for part, pattern in LISTENER:
            if re.search(pattern, text):
                return part
        return "listener: kernel (sockets, wakeups)" if kernel_leaf else "listener: HTTP and runtime (hyper, axum, tokio)"
    if comm.startswith("hookscope-db-wr") or comm.startswith("floor-writer"):
        for part, pattern in WRITER:
            if re.search(pattern, text):
                return part
        return "writer: the rest (channel, freeing)"
    if comm == "hookscope":
        return "serve's printing"
    return "other threads"

def parts(key):
    ns = collections.Counter()
    comm, period, frames = None, 0, []
    def flush():
        if comm is not None:
            ns[part_of(comm, frames)] += period
    for line in open(f"{work}/{key}.stacks", errors="replace"):
        if not line.strip():
            continue
        if not line.startswith("\t"):
            flush()
            fields = line.split()
            comm, period, frames = " ".join(fields[:-1]), int(fields[-1]), []
        else:
            frames.append(line.strip())
    flush()
    requests = int(open(f"{work}/{key}.requests").read())
    return {p: v / 1e3 / requests for p, v in ns.items()}, requests

servers = collections.defaultdict(list)
for key in keys:
    servers[key.rsplit("-", 1)[0]].append(parts(key))
names = list(servers)
rounds = len(servers[names[0]])
print(f"µs of CPU per request at c=64 (perf samples; {rounds} round(s) each, alternating)")
print(f"{'part':<50}" + "".join(f"{n + ' ' + str(r + 1):>14}" for n in names for r in range(rounds)))
for part in ORDER:
    row = [servers[n][r][0].get(part, 0.0) for n in names for r in range(rounds)]
    if any(v >= 0.05 for v in row):
        print(f"{part:<50}" + "".join(f"{v:>14.1f}" for v in row))
def total(n, r, only=None):
    return sum(v for p, v in servers[n][r][0].items() if only is None or p in only)
print(f"{'all parts':<50}" + "".join(f"{total(n, r):>14.1f}" for n in names for r in range(rounds)))
print(f"{'rows stored while sampled':<50}" + "".join(f"{servers[n][r][1]:>14}" for n in names for r in range(rounds)))
if "hookscope" in servers:
    own = [total("hookscope", r, HOOKSCOPE_ONLY) for r in range(rounds)]
    print(f"{'Hookscope: parts the floor has no counterpart for':<50}" + "".join(f"{v:>14.1f}" for v in own))
    print(f"{'Hookscope without them':<50}" + "".join(f"{total('hookscope', r) - own[r]:>14.1f}" for r in range(rounds)))
PY
