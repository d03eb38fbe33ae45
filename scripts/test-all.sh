#!/usr/bin/env bash
# Runs every check and test of the project: formatting, lints, engine tests,
# UI type checks and unit tests, and the end-to-end test of the real window.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

install_debian_packages
install_rust_components

echo "==> cargo fmt --check"
cargo fmt --all --check

echo "==> cargo clippy (engine)"
cargo clippy -p hookscope --all-targets -- -D warnings

echo "==> engine tests"
cargo test -p hookscope
