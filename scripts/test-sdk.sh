#!/usr/bin/env bash
# Cross-checks Hookscope's webhook signatures against the providers' official SDKs.
#
# Installs the SDKs pinned in tests/sdk/requirements.txt (PyPI, into a venv) and
# tests/sdk/package.json + package-lock.json (npm ci) in a cache outside the clone
# (${HOOKSCOPE_CACHE:-$HOME/.cache/hookscope}/sdk), builds the CLI, and runs
# tests/sdk/check_python.py and tests/sdk/check_node.mjs: per provider, a request signed
# by `hookscope sign` passes the SDK's verifier, a request the SDK signs passes
# `hookscope verify`, and a tampered request fails both.
# Prints one line per provider and closes with `sdk: N passed, M failed`; exits non-zero
# on any failure.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sdk_dir="$root/tests/sdk"
cache="${HOOKSCOPE_CACHE:-$HOME/.cache/hookscope}/sdk"
target="${CARGO_TARGET_DIR:-$root/target}"
mkdir -p "$cache/node"

fail_setup() {
    echo "sdk: setup failed: $1" >&2
    echo "sdk: 0 passed, 1 failed"
    exit 1
}

# Python SDKs, reinstalled only when the pinned list changes.
if [ ! -x "$cache/venv/bin/python" ]; then
    python3 -m venv "$cache/venv" || fail_setup "python3 -m venv"
fi
wanted="$(sha256sum "$sdk_dir/requirements.txt" | cut -d' ' -f1)"
if [ "$(cat "$cache/venv/.installed" 2>/dev/null)" != "$wanted" ]; then
    "$cache/venv/bin/pip" install --quiet --disable-pip-version-check -r "$sdk_dir/requirements.txt" \
        >"$cache/pip.log" 2>&1 || fail_setup "pip install -r tests/sdk/requirements.txt (see $cache/pip.log)"
    echo "$wanted" >"$cache/venv/.installed"
fi

# npm packages, from the lock file.
cp "$sdk_dir/package.json" "$sdk_dir/package-lock.json" "$cache/node/"
wanted="$(sha256sum "$sdk_dir/package-lock.json" | cut -d' ' -f1)"
if [ "$(cat "$cache/node/.installed" 2>/dev/null)" != "$wanted" ] || [ ! -d "$cache/node/node_modules" ]; then
    (cd "$cache/node" && npm ci --no-audit --no-fund --loglevel=error >"$cache/npm.log" 2>&1) \
        || fail_setup "npm ci (see $cache/npm.log)"
    echo "$wanted" >"$cache/node/.installed"
fi

# The CLI. The target directory may be shared with other checkouts: take a copy at once, so
# that every check runs the binary built here.
(cd "$root" && cargo build --quiet --bin hookscope) || fail_setup "cargo build --bin hookscope"
cp "$target/debug/hookscope" "$cache/hookscope" || fail_setup "no binary at $target/debug/hookscope"
export HOOKSCOPE_BIN="$cache/hookscope"
export PYTHONDONTWRITEBYTECODE=1

results=""
"$cache/venv/bin/python" "$sdk_dir/check_python.py" >"$cache/python.out" 2>"$cache/python.log"
python_status=$?
results+="$(grep -E '^(PASS|FAIL) ' "$cache/python.out")"$'\n'
cp "$sdk_dir/check_node.mjs" "$cache/node/"
(cd "$cache/node" && node check_node.mjs >"$cache/node.out" 2>"$cache/node.log")
node_status=$?
results+="$(grep -E '^(PASS|FAIL) ' "$cache/node.out")"$'\n'

passed=$(grep -c '^PASS ' <<<"$results")
failed=$(grep -c '^FAIL ' <<<"$results")
# A runner that died without a FAIL line still counts as a failure.
if [ "$python_status" -ne 0 ] && ! grep -q '^FAIL ' "$cache/python.out"; then
    results+="FAIL python runner: exit $python_status (see $cache/python.log)"$'\n'
    failed=$((failed + 1))
fi
if [ "$node_status" -ne 0 ] && ! grep -q '^FAIL ' "$cache/node.out"; then
    results+="FAIL node runner: exit $node_status (see $cache/node.log)"$'\n'
    failed=$((failed + 1))
fi

while IFS= read -r line; do
    [ -n "$line" ] && echo "sdk ${line}"
done <<<"$results"
echo "sdk: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
