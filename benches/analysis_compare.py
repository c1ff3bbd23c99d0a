#!/usr/bin/env python3
"""Analysis benchmark behind BENCHMARKS.md: accuracy and speed of Sonare's analysis against librosa and
Essentia on the same files, in one run.

Accuracy (labelled audio): the MIDI fixtures (tests/fixtures/midi, labels in their CSVs) rendered with
fluidsynth and FluidR3_GM at 44.1 kHz. Tempo Accuracy1 (±4 %) and Accuracy2 (also ×2, ×½, ×3, ×⅓) on
constant-tempo pieces; MIREX weighted key score (1 same, 0.5 fifth, 0.3 relative, 0.2 parallel).
  - Sonare: `sonare analyze --threads 1` (release build) on a library of the rendered files, the values
    read back with `sonare tracks --json`.
  - librosa 0.11: `beat.beat_track` for tempo; key from the mean `chroma_cqt` against the
    Krumhansl-Kessler profiles (librosa has no key estimator; this is the usual recipe).
  - Essentia 2.1b6: `RhythmExtractor2013(method="multifeature")` and `KeyExtractor()` (defaults).

Speed: audio seconds per wall-clock second on one core (each tool single-threaded) over the same files.
Sonare's figure is its whole pipeline (decode, loudness, tempo, metre, key, resampling, mel spectrogram
and the CNN); librosa's and Essentia's only tempo and key.

With --demo, also the demo library (real recordings, 60 tracks): Sonare's speed with the default spread
of 16 CNN patches per track and with every patch, and how close the spread comes to every patch (cosine
of the tag and embedding vectors, and agreement of each track's 5 nearest neighbours).

Usage: benches/analysis_compare.py [--demo] [--limit N]
Creates .cache/compare-venv (essentia, librosa) on first use.
"""
import argparse
import csv
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV = REPO / ".cache/compare-venv"
SOUNDFONT = "/usr/share/sounds/sf2/FluidR3_GM.sf2"
RENDER = REPO / "target/test-cache/midi-render"
RUNTIME = REPO / "target/test-cache/onnxruntime/libonnxruntime.so.1.32.0"
SONARE = REPO / "target/release/sonare"
PITCHES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
ALIASES = {"Db": "C#", "D#": "Eb", "Gb": "F#", "G#": "Ab", "A#": "Bb"}
MAJOR = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88]
MINOR = [6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17]


def ensure_venv():
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    if not (VENV / "bin/python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(VENV / "bin/pip"), "install", "-q", "essentia", "librosa"], check=True)
    os.execv(str(VENV / "bin/python"), [str(VENV / "bin/python"), *sys.argv])


def pitch_class(name):
    name = ALIASES.get(name, name)
    return PITCHES.index(name) if name in PITCHES else None


def parse_key(text):
    """'G major' / 'G minor' / 'G' / 'Cm' -> (tonic, minor)."""
    text = (text or "").split("|")[0].strip()
    if " " in text:
        tonic, mode = text.split(" ", 1)
        pc = pitch_class(tonic)
        return None if pc is None else (pc, mode.strip() == "minor")
    if text.endswith("m") and len(text) > 1:
        pc = pitch_class(text[:-1])
        return None if pc is None else (pc, True)
    pc = pitch_class(text)
    return None if pc is None else (pc, False)


def mirex(ref, est):
    up = (est[0] - ref[0]) % 12
    if up == 0 and ref[1] == est[1]:
        return 1.0
    if up == 7 and ref[1] == est[1]:
        return 0.5
    if ref[1] != est[1] and ((not ref[1] and up == 9) or (ref[1] and up == 3)):
        return 0.3
    if up == 0:
        return 0.2
    return 0.0


def render_fixtures(limit):
    """(wav, label) for every MIDI fixture, rendered once into target/test-cache/midi-render."""
    RENDER.mkdir(parents=True, exist_ok=True)
    items = []
    for labels in sorted((REPO / "tests/fixtures/midi").glob("*/labels.midi-meta.csv")):
        with open(labels) as f:
            for row in csv.DictReader(f):
                midi = next(labels.parent.rglob(row["file"]))
                wav = RENDER / (Path(row["file"]).stem + ".wav")
                if not wav.exists():
                    part = wav.with_suffix(".wav.part")
                    subprocess.run(["fluidsynth", "-ni", "-g", "0.6", "-r", "44100", "-F", str(part),
                                    SOUNDFONT, str(midi)], check=True, capture_output=True)
                    part.rename(wav)
                items.append((wav, row))
    return items[:limit] if limit else items


def sonare(data, *args, env=None):
    out = subprocess.run([str(SONARE), "--data-dir", str(data), *args], check=True,
                         capture_output=True, text=True, env=env)
    return out.stdout


def sonare_env():
    return {**os.environ, "ORT_DYLIB_PATH": str(RUNTIME)}


def run_sonare(files, extra=()):
    """Analyses `files` (a library of symlinks) single-threaded; returns ({path: row}, summary, data dir)."""
    tmp = Path(tempfile.mkdtemp(prefix="sonare-analysis-bench-"))
    music = tmp / "music"
    music.mkdir()
    for i, f in enumerate(files):
        (music / f"{i:03d}-{f.name}").symlink_to(f)
    data = tmp / "data"
    sonare(data, "scan", str(music), "--json")
    summary = json.loads(sonare(data, "analyze", "--json", "--threads", "1", *extra, env=sonare_env()))
    rows = [json.loads(line) for line in sonare(data, "tracks", "--json").splitlines()]
    by_source = {}
    for row in rows:
        name = Path(row["path"]).name.split("-", 1)[1]
        by_source[name] = row
    return by_source, summary, data


def krumhansl(chroma_mean):
    import numpy as np
    best = None
    for tonic in range(12):
        for minor, profile in ((False, MAJOR), (True, MINOR)):
            rotated = np.roll(profile, tonic)
            r = np.corrcoef(chroma_mean, rotated)[0, 1]
            if best is None or r > best[0]:
                best = (r, tonic, minor)
    return best[1], best[2]


def run_librosa(files):
    import librosa
    import numpy as np
    out, audio = {}, 0.0
    start = time.perf_counter()
    for f in files:
        y, sr = librosa.load(str(f), sr=22050, mono=True)
        audio += len(y) / sr
        tempo, _ = librosa.beat.beat_track(y=y, sr=sr)
        chroma = librosa.feature.chroma_cqt(y=y, sr=sr)
        tonic, minor = krumhansl(chroma.mean(axis=1))
        out[f.name] = (float(np.atleast_1d(tempo)[0]), (tonic, minor))
    return out, audio, time.perf_counter() - start


def run_essentia(files):
    import essentia
    import essentia.standard as es
    essentia.log.infoActive = False
    out, audio = {}, 0.0
    rhythm = es.RhythmExtractor2013(method="multifeature")
    key = es.KeyExtractor()
    start = time.perf_counter()
    for f in files:
        y = es.MonoLoader(filename=str(f), sampleRate=44100)()
        audio += len(y) / 44100
        bpm = rhythm(y)[0]
        k, scale, _ = key(y)
        out[f.name] = (float(bpm), (pitch_class(k), scale == "minor"))
    return out, audio, time.perf_counter() - start


def score(items, estimates):
    """Accuracy1, Accuracy2 over constant-tempo pieces; MIREX key over labelled pieces."""
    n = a1 = a2 = 0
    kn, ks = 0, 0.0
    for wav, row in items:
        est = estimates.get(wav.name)
        if est is None:
            continue
        bpm, key = est
        # Pieces without a tempo event (label "120 (MIDI default…)") are left out, as in dsp_accuracy.rs.
        if row["tempo_constant"] == "True" and bpm and row["bpm_first"].replace(".", "", 1).isdigit():
            label = float(row["bpm_first"])
            within = lambda t: abs(bpm - t) <= 0.04 * t
            n += 1
            a1 += within(label)
            a2 += any(within(label * f) for f in (1, 2, 0.5, 3, 1 / 3))
        ref = parse_key(row.get("key_true") or row.get("midi_key_signatures"))
        if ref and key and key[0] is not None:
            kn += 1
            ks += mirex(ref, key)
    return n, 100 * a1 / max(n, 1), 100 * a2 / max(n, 1), kn, ks / max(kn, 1)


def demo_comparison():
    """Speed on real recordings, and the spread of 16 patches against every patch."""
    import numpy as np
    demo = REPO / "target/test-cache/demo-music"
    files = sorted(p for p in demo.rglob("*") if p.suffix in (".ogg", ".mp3", ".flac") and p.is_file())
    if not files:
        sys.exit(f"--demo: no demo library in {demo}: the Rust tests fetch it (scripts/test.sh, or "
                 f"`cargo test --test analysis_track` once)")
    results = {}
    for label, extra in (("16-patch spread", ()), ("every patch", ("--all-patches",))):
        start = time.perf_counter()
        _, summary, data = run_sonare(files, extra)
        wall = time.perf_counter() - start
        db = sqlite3.connect(data / "library.sqlite3")
        rows = db.execute("SELECT t.path, a.tags, a.embedding, a.patches FROM track_analysis a JOIN tracks t ON t.id = a.track_id WHERE a.error IS NULL").fetchall()
        vectors = {Path(p).name: (np.frombuffer(t, "<f4"), np.frombuffer(e, "<f4"), n) for p, t, e, n in rows if t and e}
        results[label] = (summary, wall, vectors)
        print(f"  {label}: {summary['analysed']} tracks, {summary['audio_seconds']:.0f} s of audio in "
              f"{summary['seconds']:.1f} s = {summary['audio_seconds'] / summary['seconds']:.0f}x real time on one core "
              f"({sum(v[2] for v in vectors.values())} CNN patches)")
    spread, full = results["16-patch spread"][2], results["every patch"][2]
    names = sorted(set(spread) & set(full))
    if not names:
        sys.exit("--demo: no track has CNN tags and an embedding: ONNX Runtime did not load "
                 "(scripts/fetch_onnxruntime.sh target/test-cache/onnxruntime, or set ORT_DYLIB_PATH)")
    cos = lambda a, b: float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))
    tags = [cos(spread[n][0], full[n][0]) for n in names]
    emb = [cos(spread[n][1], full[n][1]) for n in names]

    def neighbours(vectors):
        m = np.stack([vectors[n][1] for n in names])
        m = m - m.mean(axis=0)
        m /= np.linalg.norm(m, axis=1, keepdims=True)
        sim = m @ m.T
        np.fill_diagonal(sim, -np.inf)
        return [set(np.argsort(-row)[:5]) for row in sim]

    agree = np.mean([len(a & b) / 5 for a, b in zip(neighbours(spread), neighbours(full))])
    print(f"  spread vs every patch over {len(names)} tracks: tags cosine mean {np.mean(tags):.4f} "
          f"(min {np.min(tags):.4f}); embedding cosine mean {np.mean(emb):.4f} (min {np.min(emb):.4f}); "
          f"5 nearest neighbours shared {100 * agree:.0f} %")


def main():
    ensure_venv()
    parser = argparse.ArgumentParser()
    parser.add_argument("--demo", action="store_true")
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--bin", "sonare"], cwd=REPO, check=True)
    if not RUNTIME.exists():
        subprocess.run([str(REPO / "scripts/fetch_onnxruntime.sh"), str(RUNTIME.parent)], check=True)
    items = render_fixtures(args.limit)
    files = [wav for wav, _ in items]
    print(f"{len(files)} rendered MIDI pieces")

    rows, summary, _ = run_sonare(files)
    estimates = {}
    for name, row in rows.items():
        key = None
        if row.get("key"):
            tonic, mode = row["key"].split(" ")
            key = (pitch_class(tonic), mode == "minor")
        estimates[name] = (row.get("bpm"), key)
    table = [("Sonare", score(items, estimates), summary["audio_seconds"], summary["seconds"])]
    lib_est, lib_audio, lib_time = run_librosa(files)
    table.append(("librosa 0.11", score(items, lib_est), lib_audio, lib_time))
    ess_est, ess_audio, ess_time = run_essentia(files)
    table.append(("Essentia 2.1b6", score(items, ess_est), ess_audio, ess_time))

    print("\n| tool | tempo Acc1 | tempo Acc2 | key MIREX | speed (× real time, one core) |")
    print("|---|---|---|---|---|")
    for name, (n, a1, a2, kn, key), audio, seconds in table:
        print(f"| {name} | {a1:.1f} % | {a2:.1f} % | {key:.3f} | {audio / seconds:.0f}× |")
    n, kn = table[0][1][0], table[0][1][3]
    print(f"\n(tempo over {n} constant-tempo pieces, key over {kn} labelled pieces)")
    if args.demo:
        print("\nDemo library (real recordings):")
        demo_comparison()


if __name__ == "__main__":
    main()
