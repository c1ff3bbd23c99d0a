#!/usr/bin/env bash
# Puts ONNX Runtime's shared library (from the PyPI onnxruntime wheel: the only registry that ships it)
# into DEST, unless it is there already. Usage: scripts/fetch_onnxruntime.sh DEST
# Prints the library's path.
set -euo pipefail
version=1.32.0
dest=${1:?usage: fetch_onnxruntime.sh DEST}
lib="$dest/libonnxruntime.so.$version"
if [ ! -f "$lib" ]; then
  mkdir -p "$dest"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  python3 -m pip download --quiet --no-deps --only-binary=:all: "onnxruntime==$version" -d "$tmp" >&2
  python3 - "$tmp" "$lib" "$version" <<'PY'
import glob, shutil, sys, zipfile
tmp, lib, version = sys.argv[1:]
wheel = glob.glob(f"{tmp}/onnxruntime-{version}-*.whl")[0]
with zipfile.ZipFile(wheel) as z, z.open(f"onnxruntime/capi/libonnxruntime.so.{version}") as src, open(lib + ".part", "wb") as out:
    shutil.copyfileobj(src, out)
shutil.move(lib + ".part", lib)
PY
fi
echo "$lib"
