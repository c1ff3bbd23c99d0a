#!/usr/bin/env bash
# Starts a PulseAudio server with a null sink (real-time, no sound card needed) unless one answers,
# so ALSA's default device plays into it. Source it: `. scripts/null-sound.sh`.
# norewinds=1 matters: without it playback runs at 20-80 % of real time.
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp/sonare-runtime-$(id -u)}
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
if ! pactl info >/dev/null 2>&1; then
  pulseaudio -n --daemonize=no --exit-idle-time=-1 --disallow-exit --log-target=stderr --log-level=error \
    -L "module-null-sink sink_name=ci_null norewinds=1" \
    -L "module-native-protocol-unix auth-anonymous=1" >/dev/null 2>&1 &
  for _ in $(seq 50); do pactl info >/dev/null 2>&1 && break; sleep 0.1; done
  pactl info >/dev/null 2>&1 || { echo "null-sound: PulseAudio did not start" >&2; return 1 2>/dev/null || exit 1; }
  pactl set-default-sink ci_null
fi
