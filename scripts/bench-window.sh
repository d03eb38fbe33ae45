#!/usr/bin/env bash
# The real window under bursts: builds the UI and the release desktop app, starts it under Xvfb
# through tauri-driver with a fresh database and a free listener port on 127.0.0.1, and runs
# tests/e2e/bench-window.mjs, which measures frame gaps in the page (requestAnimationFrame), the
# time until the newest request is listed, and PSS of the app and its WebKit processes, idle and
# under load (a paced rate from keep-alive senders, wrk at full speed, a long wrk run).
# Needs the Debian packages xvfb, webkit2gtk-driver, libwebkit2gtk-4.1-dev and wrk, and
# tauri-driver (`cargo install tauri-driver --version '^2' --locked`).
#
# Usage: scripts/bench-window.sh   (BUILD=0 skips the builds; APP_BINARY runs another build; RATE, SENDERS, IDLE_SECONDS,
#        PHASE_SECONDS, LONG_REQUESTS, SETTLE_SECONDS, SKIP_LONG=1, SKIP_PHASES=1, LONG_CHUNK_SECONDS,
#        LONG_HIDE_LIST=1, LONG_PAGE_SCRIPT: see bench-window.mjs)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
export PATH="$HOME/.cargo/bin:$PATH"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/hookscope-window.XXXXXX")
source "$ROOT/scripts/bench-lib.sh"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

for tool in wrk Xvfb WebKitWebDriver tauri-driver node; do
    command -v "$tool" >/dev/null || { echo "$tool is missing (see the comment at the top of $0)" >&2; exit 2; }
done

if [[ "${BUILD:-1}" != 0 ]]; then
    echo "== building the UI and the release app"
    (cd "$ROOT/ui" && { [[ -d node_modules ]] || npm ci --no-audit --no-fund; } && npm run build >/dev/null)
    (cd "$ROOT" && cargo build --release --quiet -p hookscope-desktop)
fi
# The target dir may be shared with other checkouts: run a private copy of the binary.
APP="$WORK/hookscope-desktop"
cp "${APP_BINARY:-$CARGO_TARGET_DIR/release/hookscope-desktop}" "$APP"
write_post_lua "$WORK/post.lua" 2048

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
DISPLAY_NUM=99
while [ -e "/tmp/.X11-unix/X$DISPLAY_NUM" ] || [ -e "/tmp/.X$DISPLAY_NUM-lock" ]; do DISPLAY_NUM=$((DISPLAY_NUM + 1)); done
Xvfb ":$DISPLAY_NUM" -screen 0 1280x800x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
PIDS+=($!)
export DISPLAY=":$DISPLAY_NUM"
for _ in $(seq 1 100); do [ -e "/tmp/.X11-unix/X$DISPLAY_NUM" ] && break; sleep 0.1; done

# The app is started by WebKitWebDriver and inherits this environment.
export HOOKSCOPE_DB="$WORK/hookscope.db"
export HOOKSCOPE_LISTEN="127.0.0.1:$(free_port)"
export XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/data" XDG_CACHE_HOME="$WORK/cache"
DRIVER_PORT=$(free_port)
tauri-driver --port "$DRIVER_PORT" --native-port "$(free_port)" >"$WORK/driver.log" 2>&1 &
PIDS+=($!)

echo "== running (load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores)"
DRIVER_URL="http://127.0.0.1:$DRIVER_PORT" APP="$APP" LISTEN="$HOOKSCOPE_LISTEN" POST_LUA="$WORK/post.lua" \
    node "$ROOT/tests/e2e/bench-window.mjs"
