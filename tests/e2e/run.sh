#!/usr/bin/env bash
# Builds the desktop app and runs every end-to-end suite (tests/e2e/*.e2e.mjs) in the real window: Xvfb, tauri-driver and
# WebKitWebDriver, a temp database and a free listener port. Assumes the Debian packages
# (libwebkit2gtk-4.1-dev, xvfb, xauth, webkit2gtk-driver, sqlite3) are installed; installs tauri-driver
# and the UI's npm packages when missing. Screenshots go to docs/screenshots/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hookscope/target}"
cd "$ROOT"

echo "==> building the UI"
if [ ! -d ui/node_modules ]; then (cd ui && npm ci --no-audit --no-fund); fi
(cd ui && npm run build)

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "==> building hookscope-desktop"
cargo build -p hookscope-desktop
# The target dir may be shared with other checkouts whose builds write the same output path:
# test a private copy of the binary built just now.
APP="$WORK/hookscope-desktop"
cp "$CARGO_TARGET_DIR/debug/hookscope-desktop" "$APP"
# The CLI configures an endpoint (provider and secret) before the window starts.
cargo build -p hookscope-cli --bin hookscope
export HOOKSCOPE_CLI="$WORK/hookscope"
cp "$CARGO_TARGET_DIR/debug/hookscope" "$HOOKSCOPE_CLI"

if ! command -v tauri-driver >/dev/null 2>&1; then
  echo "==> installing tauri-driver"
  cargo install tauri-driver --version '^2' --locked
fi
export PATH="$HOME/.cargo/bin:$PATH"

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# A display number nobody uses.
DISPLAY_NUM=99
while [ -e "/tmp/.X11-unix/X$DISPLAY_NUM" ] || [ -e "/tmp/.X$DISPLAY_NUM-lock" ]; do DISPLAY_NUM=$((DISPLAY_NUM + 1)); done
Xvfb ":$DISPLAY_NUM" -screen 0 1280x800x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
PIDS+=($!)
export DISPLAY=":$DISPLAY_NUM"
for _ in $(seq 1 100); do [ -e "/tmp/.X11-unix/X$DISPLAY_NUM" ] && break; sleep 0.1; done

# One suite = one WebDriver session with its own database, config and listener port.
run_suite() {
  local suite="$1" attempt="$2"
  local name driver_port native_port listen_port run
  name="$(basename "$suite" .e2e.mjs)"
  run="$WORK/$name-$attempt"
  driver_port="$(free_port)"
  native_port="$(free_port)"
  listen_port="$(free_port)"
  # The app is started by WebKitWebDriver and inherits this environment.
  export HOOKSCOPE_DB="$run/hookscope.db"
  export HOOKSCOPE_LISTEN="127.0.0.1:$listen_port"
  export XDG_CONFIG_HOME="$run/config" XDG_DATA_HOME="$run/data" XDG_CACHE_HOME="$run/cache"
  mkdir -p "$run"
  # A suite may need services of its own (tests/e2e/NAME.setup.sh; it may define suite_teardown).
  if [ -f "tests/e2e/$name.setup.sh" ]; then source "tests/e2e/$name.setup.sh"; fi
  tauri-driver --port "$driver_port" --native-port "$native_port" >"$run/driver.log" 2>&1 &
  local driver_pid=$!
  PIDS+=("$driver_pid")
  local status=0
  DRIVER_URL="http://127.0.0.1:$driver_port" APP="$APP" LISTEN="$HOOKSCOPE_LISTEN" \
    SCREENSHOTS="$ROOT/docs/screenshots" node "$suite" || status=$?
  kill "$driver_pid" 2>/dev/null || true
  wait "$driver_pid" 2>/dev/null || true
  if declare -F suite_teardown >/dev/null; then suite_teardown; unset -f suite_teardown; fi
  if [ "$status" -eq 2 ]; then tail -n 20 "$run/driver.log" || true; fi
  return "$status"
}

# E2E_SUITES picks suites (space-separated paths); by default every tests/e2e/*.e2e.mjs.
SUITES=(${E2E_SUITES:-tests/e2e/*.e2e.mjs})
overall=0
for suite in "${SUITES[@]}"; do
  echo "==> $(basename "$suite") in the real window (display $DISPLAY)"
  status=0
  run_suite "$suite" 1 || status=$?
  if [ "$status" -eq 2 ]; then
    # The session itself broke (a known, rare tauri-driver start-up race): try once more.
    echo "==> the WebDriver session failed to start; retrying once"
    status=0
    run_suite "$suite" 2 || status=$?
  fi
  if [ "$status" -ne 0 ]; then overall="$status"; fi
done
exit "$overall"
