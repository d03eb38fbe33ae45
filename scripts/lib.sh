# Shared by the project's scripts: installs what the build needs, idempotently.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hookscope/target}"

# Debian/Ubuntu packages for the Tauri build, the headless window and the end-to-end tests.
DEBIAN_PACKAGES=(
  build-essential pkg-config libssl-dev curl
  libwebkit2gtk-4.1-dev librsvg2-dev
  xvfb xauth webkit2gtk-driver imagemagick
  sqlite3
  libayatana-appindicator3-dev dbus dunst python3-xlib
  rpm file man-db bsdutils  # package tests (rpm -qip/-qlp, file, man -l); script(1) for the colour tests
  golang-go  # runs the `show --as go` snippet in its test
  python3-venv  # the venvs of the SDK cross-check and of HTTPie
)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_debian_packages() {
  local missing=()
  for package in "${DEBIAN_PACKAGES[@]}" "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "==> installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# HTTPie from PyPI, in a venv of its own, for the `show --as httpie` snippet test; puts `http`
# on PATH.
install_httpie() {
  local venv="$HOME/.cache/hookscope/httpie"
  if [ ! -x "$venv/bin/http" ]; then
    echo "==> installing HTTPie (PyPI)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check httpie >/dev/null
  fi
  export PATH="$venv/bin:$PATH"
}

install_rust_components() {
  rustup component add clippy rustfmt >/dev/null 2>&1 || true
}
