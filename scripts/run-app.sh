#!/usr/bin/env bash
# Builds and starts the Hookscope desktop app, installing the Debian and npm packages it needs.
# Honours HOOKSCOPE_DB (database file) and HOOKSCOPE_LISTEN (listener address, default 127.0.0.1:8787).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

install_debian_packages

echo "==> building the UI"
(cd ui && npm ci --no-audit --no-fund && npm run build)

echo "==> building the desktop app"
cargo build -p hookscope-desktop

exec "$CARGO_TARGET_DIR/debug/hookscope-desktop" "$@"
