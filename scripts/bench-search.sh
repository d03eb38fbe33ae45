#!/usr/bin/env bash
# Time until a search answers right after an overload, against the same searches once the
# full-text index has caught up (the baseline, measured in the same run).
#
# `hookscope serve` (release) takes DURATION of wrk at 64 connections (2 KiB JSON bodies), which
# leaves the full-text index far behind the table. Right after the load, with the index still
# behind, each search runs as `hookscope list --search ...` (a new process, as a user would):
#   newest  a word only in one request sent right after the load (the request a user looks for);
#   common  a word in every request (`invoice`), a page of 50;
#   absent  a word in no request: the worst case, every not-yet-indexed row is looked at.
# Then it waits until the index has caught up and runs the same searches again. Prints each time,
# the not-yet-indexed rows at that moment, and the ratio to the caught-up time, and checks that
# the newest request was found both times.
#
# Usage: scripts/bench-search.sh [BINARY]   (DURATION=20s by default; BENCH_DIR to place the database)
set -euo pipefail

DURATION=${DURATION:-20s}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
WORK=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/hookscope-search.XXXXXX")
source "$ROOT/scripts/bench-lib.sh"
cleanup() {
    stop_all_servers
    [[ -n "${KEEP:-}" ]] || rm -rf "$WORK"
}
trap cleanup EXIT
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }

if [[ -z "${1:-}" ]]; then
    echo "== building (release)"
    (cd "$ROOT" && cargo build --release --quiet --bin hookscope)
fi
HOOKSCOPE=${1:-$TARGET/release/hookscope}
DB=$WORK/search.db
write_post_lua "$WORK/post.lua" 2048

start_server hookscope "$HOOKSCOPE" serve --listen 127.0.0.1:0 --db "$DB"
echo "== overload: wrk -c64 for $DURATION"
wrk -t2 -c64 -d"$DURATION" -s "$WORK/post.lua" "$SERVER_URL/bench" | grep -E 'Requests/sec|requests in'

# Rows stored but not yet in the full-text index.
behind() {
    python3 -c 'import sqlite3,sys
c = sqlite3.connect(sys.argv[1], timeout=30)
print(c.execute("SELECT coalesce(max(seq),0) - (SELECT indexed_seq FROM search_index_progress) FROM requests").fetchone()[0])' "$DB"
}
# timed NAME ARGS... : runs `hookscope list` and records its wall time in ms as $WORK/NAME.ms.
timed() {
    local name=$1
    shift
    local start end
    start=$(date +%s%N)
    "$HOOKSCOPE" list --db "$DB" "$@" >"$WORK/$name.out"
    end=$(date +%s%N)
    echo $(((end - start) / 1000000)) >"$WORK/$name.ms"
}
run_searches() {
    local phase=$1 word=$2
    timed "$phase-nosearch" --limit 1
    timed "$phase-newest" --search "$word" --limit 1 --json
    timed "$phase-common" --search invoice --limit 50
    behind >"$WORK/$phase-absent.behind"
    timed "$phase-absent" --search nosuchwordanywhere --limit 50
}

WORD_AFTER=zebra$RANDOM$RANDOM
NEW_ID=$(curl -s -X POST "$SERVER_URL/after" -H 'Content-Type: application/json' -d "{\"note\":\"$WORD_AFTER\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
BEHIND_AFTER=$(behind)
run_searches overload "$WORD_AFTER"

echo "== waiting for the index to catch up ($BEHIND_AFTER rows behind right after the load)"
CATCHUP_START=$(date +%s%N)
for _ in $(seq 1200); do
    [[ "$(behind)" == 0 ]] && break
    sleep 0.25
done
CATCHUP_S=$(awk -v ns=$(($(date +%s%N) - CATCHUP_START)) 'BEGIN { printf "%.1f", ns / 1e9 }')
run_searches caught "$WORD_AFTER"
ROWS=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM requests").fetchone()[0])' "$DB")

echo
echo "== results ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo "$ROWS rows stored; $BEHIND_AFTER not yet indexed right after the load; the index caught up in ${CATCHUP_S} s"
printf '%-28s %14s %14s %8s\n' search "after load ms" "caught up ms" ratio
for s in nosearch newest common absent; do
    awk -v s="$s" -v a="$(cat "$WORK/overload-$s.ms")" -v b="$(cat "$WORK/caught-$s.ms")" \
        'BEGIN { printf "%-28s %14d %14d %8.2f\n", s, a, b, a / (b > 0 ? b : 1) }'
done
echo "rows not yet indexed when the absent-word search started: $(cat "$WORK/overload-absent.behind")"
for phase in overload caught; do
    if grep -q "\"id\": *\"$NEW_ID\"" "$WORK/$phase-newest.out"; then
        echo "PASS $phase: the request sent right after the load was found"
    else
        echo "FAIL $phase: the request sent right after the load ($NEW_ID) was not found"
        exit 1
    fi
done
