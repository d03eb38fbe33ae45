#!/usr/bin/env bash
# What the full-text index costs per captured row: inserts ROWS rows of a 2 KiB webhook-like JSON
# body into Hookscope's schema, in transactions of 50 (a typical group commit under load), once
# with the requests_fts insert that the store does for every row and once without; prints the
# times and the ratio with/without measured in the same run. Needs the sqlite3 CLI.
#
# Usage: scripts/bench-fts-cost.sh     (ROWS=40000 by default)
set -euo pipefail

ROWS=${ROWS:-40000}
BATCH=50
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/hookscope-fts.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
command -v sqlite3 >/dev/null || { echo "the sqlite3 CLI is missing: apt-get install -y sqlite3" >&2; exit 2; }

BODY='{"id":"evt_bench","type":"invoice.paid","data":{"items":['
for i in $(seq 1 28); do BODY+=$(printf '{"n":%d,"sku":"sku_%04d","desc":"line item number %d of the order"},' "$i" "$i" "$i"); done
BODY+='{}]}}'

# sqlite3 CLIs older than 3.43 lack `contentless_delete`; it does not change the cost of inserts.
schema() { cat "$ROOT"/src/store/migrations/*.sql | sed 's/, contentless_delete = 1//'; }

# run MODE: loads ROWS rows with (fts) or without (plain) the index insert; prints "wall user".
run() {
    rm -f "$WORK"/t.db*
    schema | sqlite3 "$WORK/t.db" >/dev/null
    {
        echo "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
        for ((n = 1; n <= ROWS; n++)); do
            ((n % BATCH == 1)) && echo "BEGIN;"
            echo "INSERT INTO requests (id, received_at_ns, source, method, target, http_version, headers, body,
                  body_size, truncated, response_status, response_headers, response_body)
                  VALUES ('id$n', $n, 'local', 'POST', '/bench', 'HTTP/1.1', '[[\"Content-Type\",\"application/json\"]]',
                  CAST('$BODY' AS BLOB), ${#BODY}, 0, 200, '[]', X'7b7d');"
            [[ $1 == fts ]] && echo "INSERT INTO requests_fts (rowid, target, headers, body)
                  VALUES (last_insert_rowid(), '/bench', 'Content-Type: application/json', '$BODY');"
            ((n % BATCH == 0)) && echo "COMMIT;"
        done
        ((ROWS % BATCH == 0)) || echo "COMMIT;"
    } >"$WORK/load.sql"
    /usr/bin/time -f "%e %U" -o "$WORK/time" sqlite3 "$WORK/t.db" <"$WORK/load.sql" >/dev/null
    local rows
    rows=$(sqlite3 "$WORK/t.db" "SELECT count(*) FROM requests")
    [[ $rows == "$ROWS" ]] || { echo "expected $ROWS rows, found $rows" >&2; exit 1; }
    echo "$(cat "$WORK/time") $(stat -c %s "$WORK/t.db")"
}

echo "inserting $ROWS rows of ${#BODY} bytes, $BATCH per transaction, synchronous=FULL ($(date -u +%Y-%m-%dT%H:%MZ))"
read -r plain_wall plain_user plain_size <<<"$(run plain)"
read -r fts_wall fts_user fts_size <<<"$(run fts)"
awk -v pw="$plain_wall" -v pu="$plain_user" -v ps="$plain_size" -v fw="$fts_wall" -v fu="$fts_user" -v fs="$fts_size" \
    -v rows="$ROWS" 'BEGIN {
    printf "%-22s %8s %8s %10s\n", "", "wall s", "user s", "db MiB"
    printf "%-22s %8.2f %8.2f %10.0f\n", "without the FTS insert", pw, pu, ps / 1048576
    printf "%-22s %8.2f %8.2f %10.0f\n", "with the FTS insert", fw, fu, fs / 1048576
    printf "ratio with/without: wall %.2f, user CPU %.2f, size %.2f; FTS adds %.0f us of CPU per row\n",
        fw / pw, fu / pu, fs / ps, (fu - pu) / rows * 1e6 }'
