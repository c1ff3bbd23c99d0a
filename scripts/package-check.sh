#!/usr/bin/env bash
# Installs the Debian package into a clean Debian 12 root made here (debootstrap, no container:
# a chroot) and checks it as a new machine would see it: apt resolves its declared dependencies,
# every library the binaries need is found, the files are where they belong, the desktop entry
# validates, `sonare --version` runs from /usr/bin, the CLI uses ~/.local/share/sonare and finds
# the packaged ONNX Runtime, the menu entry's command starts the app on a virtual display, and
# `dpkg -r` removes the package but leaves the listener's data.
# Needs root. Usage: scripts/package-check.sh [PACKAGE.deb]   (default: builds it)
set -euo pipefail
cd "$(dirname "$0")/.."
deb=${1:-$(scripts/package.sh)}
root=${CHECK_ROOT:-target/debian/check-root}
for tool in debootstrap desktop-file-validate; do
  command -v "$tool" >/dev/null || apt-get install -y -q debootstrap desktop-file-utils >/dev/null
done
if [ ! -x "$root/usr/bin/apt-get" ]; then
  rm -rf "$root"
  debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >/dev/null
fi
in_root() { chroot "$root" env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive "$@"; }
# The binaries find themselves through /proc (their worker processes are themselves).
mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
trap 'umount "$root/proc" 2>/dev/null || true' EXIT
fail() { echo "package-check: FAILED: $*" >&2; exit 1; }

# A clean root for each run: remove what an earlier run installed.
in_root dpkg -r sonare >/dev/null 2>&1 || true
rm -rf "$root/root/.local/share/sonare"
cp "$deb" "$root/tmp/sonare.deb"
in_root apt-get update -q >/dev/null
in_root apt-get install -y -q --no-install-recommends /tmp/sonare.deb >/dev/null

for f in /usr/bin/sonare /usr/bin/sonare-app /usr/lib/sonare/libonnxruntime.so.1.32.0 \
  /usr/share/applications/sonare.desktop /usr/share/icons/hicolor/256x256/apps/sonare.png \
  /usr/share/icons/hicolor/32x32/apps/sonare.png /usr/share/doc/sonare/copyright \
  /usr/share/doc/sonare/onnxruntime-LICENSE /usr/lib/sonare/models/use-m3-0.2.1/use_m3.safetensors \
  /usr/lib/sonare/models/use-m3-0.2.1/sp.model; do
  [ -f "$root$f" ] || fail "$f is not installed"
done
desktop-file-validate "$root/usr/share/applications/sonare.desktop" || fail "the desktop entry does not validate"
for bin in /usr/bin/sonare /usr/bin/sonare-app /usr/lib/sonare/libonnxruntime.so.1.32.0; do
  if in_root ldd "$bin" | grep -q "not found"; then
    in_root ldd "$bin" | grep "not found" >&2
    fail "$bin needs a library the package does not declare"
  fi
done
version=$(in_root sonare --version) || fail "sonare --version does not run"
echo "package-check: $version"
[ "$(in_root sonare data-dir)" = /root/.local/share/sonare ] || fail "the data folder is not ~/.local/share/sonare"
# The audio CNN loads the packaged runtime: analyse one generated WAV.
mkdir -p "$root/root/Music"
python3 - "$root/root/Music/tone.wav" <<'PY'
import math, struct, sys, wave
with wave.open(sys.argv[1], "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(22050)
    w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * n / 22050))) for n in range(22050 * 4)))
PY
in_root sonare scan /root/Music >/dev/null || fail "sonare scan failed"
analysis=$(in_root sonare analyze --json) || fail "sonare analyze failed"
echo "$analysis" | grep -q '"cnn_unavailable":null' || fail "the audio CNN did not load the packaged runtime: $analysis"
embedded=$(in_root sonare embed --json) || fail "sonare embed failed"
echo "$embedded" | grep -q '"unavailable":null' || fail "the packaged sentence model did not load: $embedded"
# The app starts as the menu entry starts it (its Exec line), on a virtual display: still running
# after 15 s, with its window's data folder in ~/.local/share/sonare.
in_root apt-get install -y -q --no-install-recommends xvfb xauth >/dev/null
exec_line=$(sed -n 's/^Exec=//p' "$root/usr/share/applications/sonare.desktop")
rm -rf "$root/root/.local/share/sonare"
status=0
in_root timeout 15 xvfb-run -a $exec_line >"$root/tmp/app.log" 2>&1 || status=$?
[ "$status" = 124 ] || { cat "$root/tmp/app.log" >&2; fail "the app ($exec_line) did not keep running (exit $status)"; }
[ -f "$root/root/.local/share/sonare/library.sqlite3" ] || fail "the app made no library in ~/.local/share/sonare"
echo "package-check: the menu entry's command ($exec_line) starts the app"
in_root dpkg -r sonare >/dev/null
[ ! -e "$root/usr/bin/sonare" ] || fail "dpkg -r left /usr/bin/sonare"
[ -f "$root/root/.local/share/sonare/library.sqlite3" ] || fail "dpkg -r removed the listener's data"
echo "package-check: $(du -k "$deb" | cut -f1) KB package installs, runs and removes cleanly"
