#!/usr/bin/env bash
# Tests the Linux packages as a user gets them: installs the .deb for real (dpkg -i), runs both
# installed binaries (the CLI captures a request; the desktop app, under Xvfb, captures one that
# the installed CLI then reads), checks the completions, the man page and that the binaries are
# stripped, inspects the .rpm with rpm -qip/-qlp, prints the sizes, and removes the package.
#
# Builds the packages with scripts/package.sh, unless HOOKSCOPE_DEB (and HOOKSCOPE_RPM) name
# packages already built. Needs root or sudo (like scripts/lib.sh). Ends with the line
# "package: N passed, M failed".
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

install_debian_packages

WORK="$(mktemp -d)"
PIDS=()
INSTALLED=0
cleanup() {
  for pid in "${PIDS[@]}"; do kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; done
  if [ "$INSTALLED" -eq 1 ]; then as_root dpkg -r hookscope >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

passed=0
failed=0
# check NAME COMMAND...: runs the command, counts it, shows its output when it fails.
check() {
  local name="$1"
  shift
  if "$@" >"$WORK/check.log" 2>&1; then
    passed=$((passed + 1))
    echo "ok   $name"
  else
    failed=$((failed + 1))
    echo "FAIL $name"
    sed 's/^/     /' "$WORK/check.log" | tail -n 20
  fi
}

if [ -z "${HOOKSCOPE_DEB:-}" ]; then
  bash scripts/package.sh deb,rpm | tee "$WORK/package.log"
  HOOKSCOPE_DEB="$(grep -E '^/.*\.deb$' "$WORK/package.log" | tail -n 1)"
  HOOKSCOPE_RPM="$(grep -E '^/.*\.rpm$' "$WORK/package.log" | tail -n 1)"
fi
HOOKSCOPE_RPM="${HOOKSCOPE_RPM:-}"
echo "==> testing $HOOKSCOPE_DEB ${HOOKSCOPE_RPM}"

# Everything the package must hold, at the paths Debian tools look in.
DEB_PATHS=(
  /usr/bin/hookscope
  /usr/bin/hookscope-desktop
  /usr/share/bash-completion/completions/hookscope
  /usr/share/zsh/vendor-completions/_hookscope
  /usr/share/fish/vendor_completions.d/hookscope.fish
  /usr/share/man/man1/hookscope.1.gz
)

deb_lists_everything() {
  # Paths as "./usr/..." or "usr/..." depending on the tool that wrote the archive: made absolute.
  dpkg-deb -c "$HOOKSCOPE_DEB" | awk '{print $6}' | sed -E 's#^\.?/?#/#' >"$WORK/deb.list"
  for path in "${DEB_PATHS[@]}"; do grep -qx "$path" "$WORK/deb.list" || { echo "missing $path"; return 1; }; done
  # The CLI is installed executable.
  dpkg-deb -c "$HOOKSCOPE_DEB" | grep -E '^-rwxr-xr-x .* (\./|/)?usr/bin/hookscope$'
}
check "the .deb holds both binaries, the completions and the man page" deb_lists_everything

install_deb() {
  as_root dpkg -i "$HOOKSCOPE_DEB" && INSTALLED=1
}
check "dpkg -i installs it" install_deb
[ "$INSTALLED" -eq 1 ] || INSTALLED=$(dpkg -s hookscope >/dev/null 2>&1 && echo 1 || echo 0)

export XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/data" XDG_CACHE_HOME="$WORK/cache"
unset HOOKSCOPE_LISTEN HOOKSCOPE_DB

cli_version() {
  [ "$(command -v hookscope)" = /usr/bin/hookscope ] || return 1
  local version
  version="$(hookscope --version)"
  echo "$version"
  grep -Eq '^hookscope [0-9]+\.[0-9]+\.[0-9]+ \(([0-9a-f]{7,}|unknown)\)$' <<<"$version"
}
check "the installed hookscope --version names the version and the commit" cli_version

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits until 127.0.0.1:$1 accepts connections (without sending a request, which the listener
# would store), at most about 60 s.
wait_for_listener() {
  for _ in $(seq 1 600); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

stop_started() {
  for pid in "${PIDS[@]}"; do kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
}

# POSTs to 127.0.0.1:$1$2 and prints the status code.
post() {
  curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    --data '{"from":"test-package"}' "http://127.0.0.1:$1$2"
}

cli_serve_captures() {
  local port db="$WORK/cli.db"
  port="$(free_port)"
  setsid env HOOKSCOPE_DB="$db" hookscope serve --listen "127.0.0.1:$port" >"$WORK/serve.log" 2>&1 &
  PIDS+=("$!")
  wait_for_listener "$port" || { cat "$WORK/serve.log"; return 1; }
  [ "$(post "$port" /package/cli)" = 200 ] || return 1
  HOOKSCOPE_DB="$db" hookscope list --json >"$WORK/cli-list.json" || return 1
  grep -q '"target": "/package/cli"' "$WORK/cli-list.json"
}
check "hookscope serve captures a POST that hookscope list --json shows" cli_serve_captures

desktop_captures() {
  local port db="$WORK/desktop.db"
  port="$(free_port)"
  setsid env HOOKSCOPE_LISTEN="127.0.0.1:$port" HOOKSCOPE_DB="$db" \
    xvfb-run -a -s "-screen 0 1280x800x24" hookscope-desktop >"$WORK/desktop.log" 2>&1 &
  PIDS+=("$!")
  wait_for_listener "$port" || { cat "$WORK/desktop.log"; return 1; }
  [ "$(post "$port" /package/desktop)" = 200 ] || return 1
  hookscope list --json --db "$db" >"$WORK/desktop-list.json" || return 1
  grep -q '"target": "/package/desktop"' "$WORK/desktop-list.json"
}
check "hookscope-desktop under Xvfb answers a POST 200 and stores it (read with the CLI)" desktop_captures

bash_completion() {
  bash -c 'source /usr/share/bash-completion/completions/hookscope && complete -p hookscope' \
    | grep -Eq '^complete .*-F _hookscope hookscope$'
}
check "the bash completion registers for hookscope" bash_completion
check "the zsh completion is a #compdef for hookscope" \
  grep -qx '#compdef hookscope' /usr/share/zsh/vendor-completions/_hookscope
check "the fish completion completes hookscope's subcommands" \
  grep -q 'complete -c hookscope .*serve' /usr/share/fish/vendor_completions.d/hookscope.fish

man_page() {
  local page=/usr/share/man/man1/hookscope.1.gz
  zcat "$page" >"$WORK/man.roff" || return 1
  head -n 1 "$WORK/man.roff" | grep -q '^\.TH hookscope 1' || return 1
  if command -v man >/dev/null; then
    MANWIDTH=80 man -l "$page" 2>/dev/null | col -b >"$WORK/man.txt"
    grep -q '^NAME' "$WORK/man.txt" && grep -q 'hookscope - Capture, inspect' "$WORK/man.txt" \
      && grep -q 'HOOKSCOPE SERVE' "$WORK/man.txt"
  fi
}
check "man -l renders the man page" man_page

stripped() {
  file -L /usr/bin/hookscope /usr/bin/hookscope-desktop | tee /dev/stderr >"$WORK/file.txt"
  [ "$(grep -c ', stripped' "$WORK/file.txt")" -eq 2 ]
}
check "both installed binaries are stripped" stripped

if [ -n "$HOOKSCOPE_RPM" ] && command -v rpm >/dev/null; then
  check "rpm -qip reads the .rpm's header" bash -c "rpm -qip '$HOOKSCOPE_RPM' | grep -E '^Name +: hookscope'"
  rpm_lists_everything() {
    rpm -qlp "$HOOKSCOPE_RPM" >"$WORK/rpm.list"
    for path in /usr/bin/hookscope /usr/bin/hookscope-desktop \
      /usr/share/bash-completion/completions/hookscope /usr/share/zsh/site-functions/_hookscope \
      /usr/share/fish/vendor_completions.d/hookscope.fish /usr/share/man/man1/hookscope.1.gz; do
      grep -qx "$path" "$WORK/rpm.list" || { echo "missing $path"; cat "$WORK/rpm.list"; return 1; }
    done
    rpm -qlvp "$HOOKSCOPE_RPM" | grep -E '^-rwxr-xr-x .* /usr/bin/hookscope$'
  }
  check "rpm -qlp: the .rpm holds both binaries, the completions and the man page" rpm_lists_everything
else
  echo "(no .rpm or no rpm tool: the .rpm checks did not run)"
fi

echo "==> sizes"
ls -l "$HOOKSCOPE_DEB" ${HOOKSCOPE_RPM:+"$HOOKSCOPE_RPM"} | awk '{printf "%-12s %s\n", $5, $9}'
ls -l /usr/bin/hookscope /usr/bin/hookscope-desktop 2>/dev/null | awk '{printf "%-12s %s\n", $5, $9}'

stop_started
remove_deb() {
  as_root dpkg -r hookscope && INSTALLED=0 && [ ! -e /usr/bin/hookscope ] && [ ! -e /usr/bin/hookscope-desktop ] \
    && [ ! -e /usr/share/man/man1/hookscope.1.gz ]
}
check "dpkg -r removes both binaries and the man page" remove_deb

echo "package: ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
