#!/usr/bin/env bash
# Instructions per captured request, counted by valgrind's callgrind: whatever else the machine
# is doing, two runs of one binary agree within a few percent, so it resolves changes of a few
# hundred instructions that requests/s on a shared machine cannot (docs/benchmarks.md, seventh
# round). Each binary runs
# `hookscope serve` under callgrind on a fresh database, receives N POSTs of the 2 KiB body of
# scripts/bench-capture.sh over one keep-alive connection, and the instructions of the capture
# path's parts are printed per request, with their ratio to the first binary's.
#
# The binaries need their symbols: the default builds this tree with the `profiling` profile
# (release with line tables). One request at a time leaves the writer idle between requests, so
# it indexes each row for search at once: the writer's count holds that too.
#
# Usage: scripts/bench-instructions.sh [BINARY...]   (N=2000 requests by default; KEEP=1 keeps
#        the callgrind files and every function's count)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
N=${N:-2000}
for tool in valgrind callgrind_annotate python3; do
    command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install -y valgrind python3" >&2; exit 2; }
done
if (($# == 0)); then
    (cd "$ROOT" && cargo build --profile profiling --quiet --bin hookscope)
    set -- "$TARGET/profiling/hookscope"
fi

WORK=$(mktemp -d)
[[ -z "${KEEP:-}" ]] || echo "keeping $WORK"
source "$ROOT/scripts/bench-lib.sh"
trap 'stop_all_servers; [[ -n "${KEEP:-}" ]] || rm -rf "$WORK"' EXIT

# send URL N : N POSTs of the benchmark's body (as write_post_lua builds it) on one connection.
send() {
    python3 - "$1" "$2" <<'PY'
import http.client, sys, urllib.parse
url, count = urllib.parse.urlsplit(sys.argv[1]), int(sys.argv[2])
items, i = [], 1
while True:
    items.append('{"n":%d,"sku":"sku_%04d","desc":"line item number %d of the order"}' % (i, i, i))
    i += 1
    if len(",".join(items)) > 2048 - 200:
        break
head = '{"id":"evt_bench","type":"invoice.paid","data":{"items":[' + ",".join(items) + '],"note":"'
tail = '"}}'
body = (head + "x" * (2048 - len(head) - len(tail)) + tail).encode()
connection = http.client.HTTPConnection(url.hostname, url.port)
for _ in range(count):
    connection.request("POST", "/bench", body, {"Content-Type": "application/json"})
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        sys.exit(f"answered {response.status}")
PY
}

# The parts of the capture path, by the function names callgrind reports.
PARTS=(
    "capture::handler::handle::{{closure}}|listener: the handler, in all"
    "capture::tap::HeadTap::feed|head tap"
    "capture::handler::check_signature::{{closure}}::verdict|signature verdict"
    "signature::providers::detection_headers_present|  of it: detection headers"
    "respond::handshake::answer|handshake detection"
    "store::requests::EncodedColumns::of|row's columns, with the sketch"
    "store::tail_sketch::sketch|  of it: tail sketch"
    "model::event::RequestSummary::of|summary for the list"
    "store::requests::insert_encoded|writer: insert a row"
    "store::writer::commit_batch|writer: insert and commit"
    "store::writer::index_some|writer: index for search"
)

index=0
for bin in "$@"; do
    out="$WORK/callgrind.$index"
    start_server "run$index" valgrind --tool=callgrind --callgrind-out-file="$out" \
        "$bin" serve --listen 127.0.0.1:0 --db "$WORK/run$index.db"
    send "$SERVER_URL" "$N"
    kill -INT "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
    # callgrind writes its counts as the process ends: annotate only a whole file.
    grep -q '^totals:' "$out" || { echo "callgrind wrote no totals to $out" >&2; exit 1; }
    # callgrind_annotate lists a function once for its own source file, with its whole
    # inclusive count, and again for each file its inlined code came from, with that part
    # alone: the largest entry is the function's. It runs in $WORK, where no source file is,
    # so that it does not split a file's entries between absolute and relative paths.
    (cd "$WORK" && callgrind_annotate --inclusive=yes --threshold=100 "$out" 2>/dev/null) |
        sed -nE 's/^ *([0-9,]+) \( *[0-9.]+%\) +[^ ]*:(hookscope::[^ ]+)( \[.*\])?$/\2 \1/p' | tr -d , |
        awk -v n="$N" '$2 > max[$1] { max[$1] = $2 } END { for (s in max) print s, max[s] / n }' >"$WORK/counts.$index"
    index=$((index + 1))
done

printf '%-38s' "instructions per request"
for ((i = 0; i < $#; i++)); do printf ' %12s' "binary $((i + 1))"; done
(($# > 1)) && printf ' %8s' "last/1st"
echo
for part in "${PARTS[@]}"; do
    symbol="hookscope::${part%%|*}"
    printf '%-38s' "${part#*|}"
    first= last=
    for ((i = 0; i < $#; i++)); do
        count=$(awk -v s="$symbol" '$1 == s { count = $2 } END { printf "%.0f", count }' "$WORK/counts.$i")
        printf ' %12s' "$count"
        first=${first:-$count}
        last=$count
    done
    (($# > 1)) && awk -v a="$first" -v b="$last" 'BEGIN { if (a > 0) printf " %8.3f", b / a; else printf " %8s", "-" }'
    echo
done
for ((i = 1; i <= $#; i++)); do echo "binary $i: ${!i}"; done
