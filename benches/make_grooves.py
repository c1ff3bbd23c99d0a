#!/usr/bin/env python3
"""Writes the "MIDI with drums and bass" check set: General MIDI arrangements in ten popular styles
(pop, rock, electronic, funk, waltz, jazz waltz, 6/8 ballad, 6/8 shuffle, march, polka), three pieces each,
with drums, bass, chords and a melody, in seeded keys and tempos. The labels are exact because the
pieces are made from them: key (tonic chord first and last, diatonic harmony, the minor's dominant with
its raised seventh), tempo of the felt beat (a dotted quarter in 6/8) and beats per bar.

Output: tests/fixtures/midi/grooves/*.mid and labels.midi-meta.csv (columns as the other MIDI sets, plus
`beat_bpm` and `beats_per_bar`). Standard library only; the same seed writes the same bytes.
Usage: benches/make_grooves.py
"""
import csv
import random
import struct
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "tests/fixtures/midi/grooves"
PPQ = 480
PITCHES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
MAJOR = [0, 2, 4, 5, 7, 9, 11]
MINOR = [0, 2, 3, 5, 7, 8, 10]
# Chord progressions as scale degrees (0 = tonic); every one starts and ends on the tonic. In minor the
# dominant (degree 4) is played major, as in practice.
PROGRESSIONS = {
    False: [[0, 4, 5, 3], [0, 3, 4, 0], [0, 5, 3, 4], [0, 3, 0, 4]],
    True: [[0, 5, 2, 6], [0, 3, 4, 0], [0, 6, 5, 4], [0, 3, 6, 4]],
}
KICK, SNARE, HAT, OPEN_HAT, RIDE, CLAP = 36, 38, 42, 46, 51, 39

# style: (numerator, denominator, beats per bar as felt, eighths per felt beat, BPM range of the felt
# beat, GM programs (chords, bass, melody), drum pattern)
STYLES = {
    "pop": (4, 4, 4, 2, (88, 120), (0, 33, 73)),
    "rock": (4, 4, 4, 2, (110, 150), (30, 34, 29)),
    "electronic": (4, 4, 4, 2, (120, 132), (89, 38, 81)),
    "funk": (4, 4, 4, 2, (92, 112), (4, 36, 61)),
    "waltz": (3, 4, 3, 2, (140, 180), (48, 43, 40)),
    "jazzwaltz": (3, 4, 3, 2, (120, 160), (0, 32, 65)),
    "ballad68": (6, 8, 2, 3, (50, 66), (0, 33, 71)),
    "shuffle68": (6, 8, 2, 3, (90, 115), (25, 33, 22)),
    "march": (2, 4, 2, 2, (104, 124), (61, 58, 56)),
    "polka": (2, 4, 2, 2, (110, 130), (21, 58, 71)),
}


def var_len(n):
    out = [n & 0x7F]
    n >>= 7
    while n:
        out.append(0x80 | (n & 0x7F))
        n >>= 7
    return bytes(reversed(out))


def track_chunk(events):
    """events: (tick, order, bytes); written as delta times."""
    data, last = b"", 0
    for tick, _, raw in sorted(events, key=lambda e: (e[0], e[1])):
        data += var_len(tick - last) + raw
        last = tick
    data += var_len(0) + b"\xff\x2f\x00"
    return b"MTrk" + struct.pack(">I", len(data)) + data


def note(events, channel, pitch, start, length, velocity):
    events.append((start, 1, bytes([0x90 | channel, pitch, velocity])))
    events.append((start + max(length - 10, 1), 0, bytes([0x80 | channel, pitch, 0])))


def name_event(text):
    raw = text.encode()
    return (0, 0, b"\xff\x03" + var_len(len(raw)) + raw)


def chord_tones(tonic, minor, degree):
    scale = MINOR if minor else MAJOR
    tones = [scale[(degree + i) % 7] + 12 * ((degree + i) // 7) for i in (0, 2, 4)]
    if minor and degree == 4:
        tones[1] += 1  # the raised leading tone: V, not v
    return [tonic + t for t in tones]


def piece(style, tonic, minor, bpm, rng, bars=16):
    num, den, felt, eighths_per_beat, _, (chords_prog, bass_prog, melody_prog) = STYLES[style]
    eighth = PPQ // 2
    bar_len = num * PPQ * 4 // den
    beat = eighths_per_beat * eighth
    # The MIDI tempo is in quarter notes: a felt dotted quarter at `bpm` is a quarter at 1.5 × bpm.
    quarter_bpm = bpm * eighths_per_beat / 2
    tempo = round(60_000_000 / quarter_bpm)
    sig = {4: 2, 8: 3}[den]
    meta = [(0, 0, b"\xff\x51\x03" + tempo.to_bytes(3, "big")),
            (0, 0, bytes([0xFF, 0x58, 0x04, num, sig, 24, 8])),
            name_event(f"{style} in {PITCHES[tonic]} {'minor' if minor else 'major'}")]
    progression = rng.choice(PROGRESSIONS[minor])
    chords, bass, melody, drums = [], [], [], []
    for ch, prog in ((0, chords_prog), (1, bass_prog), (2, melody_prog)):
        chords.append((0, 0, bytes([0xC0 | ch, prog])))
    root = 48 + tonic if tonic < 7 else 36 + tonic
    scale = MINOR if minor else MAJOR
    for bar in range(bars):
        start = bar * bar_len
        degree = 0 if bar == bars - 1 else progression[bar % len(progression)]
        tones = chord_tones(root, minor, degree)
        # Chords: on every felt beat but the first in waltzes (oom-pah-pah), else held or pulsed.
        for b in range(felt):
            if style in ("waltz", "jazzwaltz", "march", "polka") and b == 0:
                continue
            length = beat if style not in ("pop", "ballad68") else beat * felt
            if style in ("pop", "ballad68") and b > 0:
                continue
            for t in tones:
                note(chords, 0, t + 12, start + b * beat, length, 70)
        # Bass: the root on the downbeat, the fifth or the root on other beats.
        for b in range(felt):
            pitch = tones[0] - 12 if b % 2 == 0 else tones[2] - 12
            if style in ("electronic", "rock", "funk"):
                for e in range(eighths_per_beat):
                    note(bass, 1, tones[0] - 12 + (12 if style == "funk" and e == 1 else 0),
                         start + b * beat + e * eighth, eighth, 95)
            else:
                note(bass, 1, pitch, start + b * beat, beat, 100)
        # Melody: chord tones and scale steps, one or two per felt beat, ending on the tonic.
        for b in range(felt):
            step = beat if rng.random() < 0.6 else beat // 2
            t = start + b * beat
            while t < start + (b + 1) * beat:
                if bar == bars - 1:
                    pitch = root + 12 + 12
                elif rng.random() < 0.6:
                    pitch = rng.choice(tones) + 24
                else:
                    pitch = root + 24 + rng.choice(scale)
                note(melody, 2, pitch, t, step, 85)
                t += step
        # Drums (channel 10).
        for e in range(num * 8 // den):  # eighths in the bar
            t = start + e * eighth
            on_beat = e % eighths_per_beat == 0
            beat_index = e // eighths_per_beat
            hat = RIDE if style in ("jazzwaltz",) else HAT
            note(drums, 9, hat, t, eighth, 60 if on_beat else 45)
            if style in ("electronic",) and on_beat:
                note(drums, 9, KICK, t, eighth, 110)
                if beat_index % 2 == 1:
                    note(drums, 9, CLAP, t, eighth, 100)
            elif style in ("pop", "rock", "funk") and on_beat:
                note(drums, 9, KICK if beat_index % 2 == 0 else SNARE, t, eighth, 105)
                if style == "funk" and beat_index == 2:
                    note(drums, 9, KICK, t + eighth, eighth // 2, 90)
            elif style in ("waltz", "jazzwaltz") and on_beat:
                note(drums, 9, KICK if beat_index == 0 else SNARE, t, eighth, 100 if beat_index == 0 else 60)
            elif style in ("ballad68", "shuffle68") and on_beat:
                note(drums, 9, KICK if beat_index == 0 else SNARE, t, eighth, 105)
            elif style in ("march", "polka") and on_beat:
                note(drums, 9, KICK if beat_index == 0 else SNARE, t, eighth, 105)
                if style == "polka":
                    note(drums, 9, SNARE, t + eighth, eighth, 70)
    # A final bar with the tonic held, so the piece ends on its key.
    end = bars * bar_len
    for t in chord_tones(root, minor, 0):
        note(chords, 0, t + 12, end, bar_len, 70)
    note(bass, 1, root - 12, end, bar_len, 100)
    note(drums, 9, KICK, end, eighth, 100)
    tracks = [meta, [name_event("Chords")] + chords, [name_event("Bass")] + bass,
              [name_event("Melody")] + melody, [name_event("Drum Kit")] + drums]
    data = b"MThd" + struct.pack(">IHHH", 6, 1, len(tracks), PPQ)
    data += b"".join(track_chunk(t) for t in tracks)
    seconds = (bars + 1) * bar_len / PPQ * 60 / quarter_bpm
    return data, quarter_bpm, seconds


def main():
    rng = random.Random(20)
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for style, spec in STYLES.items():
        num, den, felt, _, (lo, hi), _ = spec
        for i in range(3):
            tonic, minor = rng.randrange(12), rng.random() < 0.45
            bpm = rng.randrange(lo, hi + 1)
            bars = max(12, round(45 * bpm / 60 / felt))  # about 45 s of music
            data, quarter_bpm, seconds = piece(style, tonic, minor, bpm, rng, bars)
            name = f"{style}-{i + 1}.mid"
            (OUT / name).write_bytes(data)
            key = f"{PITCHES[tonic]} {'minor' if minor else 'major'}"
            rows.append({"file": name, "length_s": f"{seconds:.1f}", "ticks_per_beat": PPQ,
                         "n_tempo_events": 1, "bpm_first": f"{quarter_bpm:g}",
                         "bpm_min": f"{quarter_bpm:g}", "bpm_max": f"{quarter_bpm:g}",
                         "tempo_constant": "True", "midi_key_signatures": "",
                         "time_signatures": f"{num}/{den}", "track_names": "Chords | Bass | Melody | Drum Kit",
                         "key_true": key, "beat_bpm": bpm,
                         "beats_per_bar": 6 if (num, den) == (6, 8) else num})
    with open(OUT / "labels.midi-meta.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} pieces to {OUT}")


if __name__ == "__main__":
    main()
