#!/usr/bin/env bash
# Memory of the running app while it plays, with a 10,000-track library: the Rust process and its
# WebKit helper processes (resident set, and proportional set so shared pages count once).
# Needs: release builds (`cargo build --release -p sonare -p sonare-app`), the synthetic library made by
# benches/scan_bench.py (--keep .cache/bench-library), Xvfb, dbus-run-session, a PulseAudio null sink.
# Usage: benches/app_memory.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/null-sound.sh
library=.cache/bench-library
[ -d "$library" ] || { echo "make the library first: benches/scan_bench.py --keep $library" >&2; exit 1; }
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
sonare=target/release/sonare
"$sonare" --data-dir "$data" scan "$library" --json | python3 -c 'import json,sys; r=json.load(sys.stdin); print("library:", r["added"], "tracks")'
# Queue 200 tracks (the app restores the queue and resumes it on "Play").
mapfile -t ids < <("$sonare" --data-dir "$data" tracks --json | head -200 | python3 -c 'import json,sys; [print(json.loads(l)["id"]) for l in sys.stdin]')
"$sonare" --data-dir "$data" play "${ids[@]}" --seconds 0.3 2>/dev/null

display=":$((100 + RANDOM % 300))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null; rm -rf "$data"' EXIT
sleep 1
DISPLAY=$display SONARE_DATA_DIR=$data dbus-run-session -- bash -c '
  target/release/sonare-app >/dev/null 2>&1 &
  app=$!
  sleep 6
  dbus-send --session --type=method_call --dest=org.mpris.MediaPlayer2.sonare /org/mpris/MediaPlayer2 org.mpris.MediaPlayer2.Player.Play
  sleep 10
  status=$(dbus-send --session --print-reply --dest=org.mpris.MediaPlayer2.sonare /org/mpris/MediaPlayer2 org.freedesktop.DBus.Properties.Get string:org.mpris.MediaPlayer2.Player string:PlaybackStatus | grep -o "\"[A-Za-z]*\"" | tail -1)
  pids="$app $(pgrep -P $app | tr "\n" " ")"
  for child in $(pgrep -P $app); do pids="$pids $(pgrep -P $child | tr "\n" " ")"; done
  total_rss=0; total_pss=0
  printf "%-24s %10s %10s\n" process rss_mb pss_mb
  for pid in $pids; do
    [ -r /proc/$pid/status ] || continue
    name=$(cat /proc/$pid/comm)
    rss=$(awk "/^VmRSS/ {print \$2}" /proc/$pid/status)
    pss=$(awk "/^Pss:/ {print \$2}" /proc/$pid/smaps_rollup)
    total_rss=$((total_rss + rss)); total_pss=$((total_pss + pss))
    awk -v n="$name" -v r="$rss" -v p="$pss" "BEGIN { printf \"%-24s %10.1f %10.1f\\n\", n, r/1024, p/1024 }"
  done
  awk -v r="$total_rss" -v p="$total_pss" "BEGIN { printf \"%-24s %10.1f %10.1f\\n\", \"total\", r/1024, p/1024 }"
  echo "playback status while measured: $status"
  kill $app
  wait $app 2>/dev/null || true
'
