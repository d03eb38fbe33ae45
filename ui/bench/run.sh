#!/usr/bin/env bash
# The list burst bench: builds the UI with a synthetic engine (listBurst.ts), serves it on
# 127.0.0.1, opens it in WebKit (MiniBrowser through WebKitWebDriver under Xvfb) and runs
# list-burst.mjs. Needs the Debian packages webkit2gtk-driver, libwebkit2gtk-4.1-0 (MiniBrowser),
# xvfb and python3. LONG=N sets the long run's request count.
set -euo pipefail

UI="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MINIBROWSER="${MINIBROWSER:-$(ls /usr/lib/*/webkit2gtk-4.1/MiniBrowser 2>/dev/null | head -1)}"
[ -x "$MINIBROWSER" ] || { echo "MiniBrowser not found (libwebkit2gtk-4.1-0); set MINIBROWSER" >&2; exit 1; }
if [ ! -d "$UI/node_modules" ]; then (cd "$UI" && npm ci --no-audit --no-fund); fi

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

echo "==> building the bench page"
(cd "$UI" && BENCH_OUT="$WORK/dist" npx vite build --config bench/vite.config.ts)

HTTP_PORT="$(free_port)"
python3 -m http.server "$HTTP_PORT" --bind 127.0.0.1 --directory "$WORK/dist" >"$WORK/http.log" 2>&1 &
PIDS+=($!)
# Xvfb picks a free display and writes its number to fd 3.
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$WORK/display" >"$WORK/xvfb.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do
  [ -s "$WORK/display" ] && break
  sleep 0.2
done
DRIVER_PORT="$(free_port)"
DISPLAY=":$(cat "$WORK/display")" WebKitWebDriver --port="$DRIVER_PORT" >"$WORK/driver.log" 2>&1 &
DRIVER_PID=$!
PIDS+=("$DRIVER_PID")
for _ in $(seq 50); do
  curl -fs "http://127.0.0.1:$DRIVER_PORT/status" >/dev/null 2>&1 && break
  sleep 0.2
done

echo "==> running"
DRIVER_URL="http://127.0.0.1:$DRIVER_PORT" PAGE_URL="http://127.0.0.1:$HTTP_PORT/list-burst.html" \
  DRIVER_PID="$DRIVER_PID" MINIBROWSER="$MINIBROWSER" node "$UI/bench/list-burst.mjs"
