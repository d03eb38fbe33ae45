# Shared by the benchmark scripts (source it after creating $WORK): starting the servers under
# test, the webhook-like request body, and CPU time per thread.

BENCH_PIDS=()

# start_server NAME CMD... : runs CMD in the background (output in $WORK/NAME.out and .err) and
# waits up to 60 s for its first line to name its URL; sets SERVER_PID and SERVER_URL.
start_server() {
    local name=$1
    shift
    "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
    SERVER_PID=$!
    BENCH_PIDS+=("$SERVER_PID")
    SERVER_URL=
    for _ in $(seq 600); do
        SERVER_URL=$(head -n1 "$WORK/$name.out" | grep -o 'http://[0-9.:]*' || true)
        [[ -n "$SERVER_URL" ]] && return 0
        sleep 0.1
    done
    echo "$name did not start:" >&2
    cat "$WORK/$name.err" >&2
    exit 1
}

# stop_server : stops the server started last and waits for it.
stop_server() {
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
}

# stop_all_servers : for an EXIT trap.
stop_all_servers() {
    for pid in "${BENCH_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
}

# write_post_lua FILE BYTES : a wrk script that POSTs a webhook-like JSON body of exactly BYTES
# bytes: many short words, as real events have, so that the full-text index does realistic work,
# and a padding field that fills the last bytes.
write_post_lua() {
    cat >"$1" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local items, i = {}, 1
repeat
  items[#items + 1] = string.format('{"n":%d,"sku":"sku_%04d","desc":"line item number %d of the order"}', i, i, i)
  i = i + 1
until #table.concat(items, ",") > $2 - 200
local head = '{"id":"evt_bench","type":"invoice.paid","data":{"items":[' .. table.concat(items, ",") .. '],"note":"'
local tail = '"}}'
wrk.body = head .. string.rep("x", $2 - #head - #tail) .. tail
LUA
}

# thread_cpu_ticks PID : one line per thread name: name, user clock ticks, system clock ticks.
thread_cpu_ticks() {
    for task in /proc/"$1"/task/*; do
        awk '{ sub(/^[0-9]+ \(/, ""); split($0, f, /\) /); split(f[2], s, " "); print f[1], s[12], s[13] }' "$task/stat"
    done | awk '{ u[$1] += $2; s[$1] += $3 } END { for (n in u) print n, u[n], s[n] }' | sort
}
