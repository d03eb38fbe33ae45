#!/usr/bin/env bash
# Measures start-up to first paint and idle PSS of a built app binary under Xvfb.
# Usage: tests/e2e/measure.sh APP_BINARY [HOOKSCOPE_DB]   (RUNS, IDLE_SECONDS optional)
set -euo pipefail
APP="$1"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
DISPLAY_NUM=99
while [ -e "/tmp/.X11-unix/X$DISPLAY_NUM" ] || [ -e "/tmp/.X$DISPLAY_NUM-lock" ]; do DISPLAY_NUM=$((DISPLAY_NUM + 1)); done
Xvfb ":$DISPLAY_NUM" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
PIDS+=($!)
export DISPLAY=":$DISPLAY_NUM"
for _ in $(seq 1 100); do [ -e "/tmp/.X11-unix/X$DISPLAY_NUM" ] && break; sleep 0.1; done
export HOOKSCOPE_DB="${2:-$WORK/hookscope.db}"
export HOOKSCOPE_LISTEN="127.0.0.1:$(free_port)"
export XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/data" XDG_CACHE_HOME="$WORK/cache"
DRIVER_PORT="$(free_port)"
tauri-driver --port "$DRIVER_PORT" --native-port "$(free_port)" >"$WORK/driver.log" 2>&1 &
PIDS+=($!)
DRIVER_URL="http://127.0.0.1:$DRIVER_PORT" APP="$APP" node "$ROOT/tests/e2e/measure.mjs"
