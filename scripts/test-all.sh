#!/usr/bin/env bash
# Runs every check and test of the project: formatting, lints, engine and desktop-shell tests,
# UI type checks and unit tests, and the end-to-end test of the real window.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

install_debian_packages
install_rust_components

echo "==> UI: install, type-check, unit tests, build"
(
  cd ui
  npm ci --no-audit --no-fund
  npm run check
  npm test
  npm run build
)

echo "==> cargo fmt --check"
cargo fmt --all --check

echo "==> cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings

echo "==> Rust tests (engine, CLI, desktop shell)"
cargo test --workspace
