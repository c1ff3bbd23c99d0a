#!/usr/bin/env bash
# Builds Sonare in release mode and launches it. With no music in the library yet, the demo library
# (freely licensed music from Debian's archive) is fetched and scanned first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh app
cargo build --release -p sonare -p sonare-app
sonare=target/release/sonare
if [ -z "$("$sonare" folders)" ]; then
  echo "run: no music folders yet: fetching the demo library"
  "$sonare" demo
  "$sonare" scan
fi
exec target/release/sonare-app "$@"
