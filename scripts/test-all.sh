#!/usr/bin/env bash
# Runs every check and test of the project: formatting, lints, engine and desktop-shell tests,
# UI type checks and unit tests, and the end-to-end test of the real window.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

install_debian_packages
install_rust_components
install_httpie

LOGS="$(mktemp -d)"
trap 'rm -rf "$LOGS"' EXIT

echo "==> UI: install, type-check, unit tests, build"
(
  cd ui
  npm ci --no-audit --no-fund
  npm run check
  npx vitest run --reporter=json --outputFile="$LOGS/vitest.json" --reporter=default
  npm run build
)

echo "==> cargo fmt --check"
cargo fmt --all --check

echo "==> cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings

echo "==> Rust tests (engine, CLI, desktop shell)"
cargo test --workspace 2>&1 | tee "$LOGS/cargo.log"

echo "==> end-to-end test of the desktop window"
bash tests/e2e/run.sh 2>&1 | tee "$LOGS/e2e.log"

echo "==> signatures cross-checked against the providers' official SDKs (PyPI and npm)"
bash scripts/test-sdk.sh 2>&1 | tee "$LOGS/sdk.log"

echo "==> Linux packages: build, install, run both binaries, remove"
bash scripts/test-package.sh 2>&1 | tee "$LOGS/package.log"

# One closing line over every runner.
rust_passed=$(grep -Eo 'test result: ok\. [0-9]+ passed' "$LOGS/cargo.log" | awk '{s += $4} END {print s + 0}')
ui_passed=$(node -e 'const r=require(process.argv[1]);console.log(r.numPassedTests)' "$LOGS/vitest.json")
e2e_passed=$(grep -Eo '^e2e: [0-9]+ passed' "$LOGS/e2e.log" | awk '{s += $2} END {print s + 0}')
sdk_passed=$(grep -Eo '^sdk: [0-9]+ passed' "$LOGS/sdk.log" | awk '{print $2}')
echo "rust: ${rust_passed} passed, 0 failed"
echo "ui: ${ui_passed} passed, 0 failed"
echo "e2e: ${e2e_passed:-0} passed, 0 failed"
echo "sdk: ${sdk_passed:-0} passed, 0 failed"
package_passed=$(grep -Eo '^package: [0-9]+ passed' "$LOGS/package.log" | awk '{print $2}')
echo "package: ${package_passed:-0} passed, 0 failed"
echo "total: $((rust_passed + ui_passed + ${e2e_passed:-0} + ${sdk_passed:-0} + ${package_passed:-0})) passed, 0 failed"
