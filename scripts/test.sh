#!/usr/bin/env bash
# Runs every test: formatting and lints, the Rust tests (core on real files, CLI, storage, app commands),
# the UI tests in headless Chromium, and the end-to-end tests in the real app window under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
export PATH="$HOME/.cargo/bin:$PATH"
# A one-off build gains nothing from incremental state (gigabytes on disk).
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

echo "== cargo fmt / clippy"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings

echo "== Rust tests (audio through a PulseAudio null sink)"
. scripts/null-sound.sh
cargo test --workspace

echo "== UI tests (Chromium)"
(cd ui && npm test)

echo "== end-to-end tests (real window under Xvfb)"
cargo build -p sonare-app
# A private session bus, so the desktop media controls (MPRIS) are tested too.
(cd tests/e2e && dbus-run-session -- npm test)
echo "== all tests passed; screenshots in target/screenshots/"
