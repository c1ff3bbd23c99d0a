#!/usr/bin/env bash
# Installs what Sonare needs on Debian 12, skipping whatever is already there (idempotent, fast when
# nothing changed). Usage: scripts/setup.sh [app|test]   (test = app + browser/e2e/benchmark tools)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-app}

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

app_packages=(libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev
  libayatana-appindicator3-dev libxdo-dev libssl-dev libdbus-1-dev dbus build-essential pkg-config file
  libasound2-dev libopus-dev curl ca-certificates
  # Hangul, kana and Han in the window (the Korean UI, and tags in those scripts).
  fonts-noto-cjk)
test_packages=(xvfb xauth webkit2gtk-driver chromium pulseaudio pulseaudio-utils libasound2-plugins imagemagick fluidsynth fluid-soundfont-gm python3-pip
  python3-venv)
# The Spark job's test runs Spark in local mode, which needs a Java runtime (11 or 17 for Spark 3.5).
command -v java >/dev/null 2>&1 || test_packages+=(openjdk-17-jre-headless)
# Node.js 20 may come from elsewhere; Debian's is only needed when there is none.
command -v node >/dev/null 2>&1 || test_packages+=(nodejs npm)

wanted=("${app_packages[@]}")
if [ "$mode" = test ]; then wanted+=("${test_packages[@]}"); fi

missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# The demo library and the tests fetch music with `apt-get download`, which needs package lists.
if ! ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1 && [ ${#missing[@]} -eq 0 ]; then
  $SUDO apt-get update -qq
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: Rust is missing: install it with rustup (https://rustup.rs) and run this again" >&2
  exit 1
fi

if [ "$mode" = test ]; then
  # UI tests (playwright-core drives Debian's Chromium) and end-to-end tests (webdriverio).
  for dir in ui tests/e2e; do
    if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
      (cd "$dir" && npm ci --no-audit --no-fund)
    fi
  done
  # tauri-driver bridges WebDriver to WebKitWebDriver for the real app window. Pinned to Tauri 2's line.
  if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
    cargo install tauri-driver --version '^2' --locked
  fi
  # Python tools of the tests and benchmarks: mutagen (the scan benchmark's reference), PySpark (the
  # Spark ALS job runs in local mode in the tests), implicit + numpy + scipy (the taste benchmark's
  # references). A stamp file records the set, so a changed list reinstalls.
  py_packages="mutagen==1.47.0 pyspark==3.5.3 implicit==0.7.3 numpy==2.4.6 scipy==1.17.1"
  if [ ! -x .cache/bench-venv/bin/python ] || [ "$(cat .cache/bench-venv/sonare-packages 2>/dev/null)" != "$py_packages" ]; then
    python3 -m venv .cache/bench-venv
    # shellcheck disable=SC2086
    .cache/bench-venv/bin/pip install --quiet $py_packages
    echo "$py_packages" > .cache/bench-venv/sonare-packages
  fi
fi
