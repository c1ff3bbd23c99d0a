#!/usr/bin/env python3
"""Analysis benchmark behind BENCHMARKS.md: accuracy and speed of Sonare's analysis against librosa and
Essentia on the same files, in one run.

Accuracy, per check set:
  - classical: Bach's Goldberg Variations (tests/fixtures/midi/goldberg-mutopia), rendered MIDI;
  - openmsx: OpenTTD's OpenMSX set (General MIDI, most with drums and bass), rendered MIDI;
  - grooves: ten popular styles with drums and bass (benches/make_grooves.py), rendered MIDI;
  - real: the demo library's 52 recordings (Debian packages), labels in tests/fixtures/real/labels.csv
    (benches/label_real.py: the Frets on Fire note charts' tempo maps; madmom's models for the rest),
    key also scored on the labels madmom is sure of (probability >= 0.5).
MIDI is rendered with fluidsynth and FluidR3_GM at 44.1 kHz. Tempo Accuracy1 (±4 %) and Accuracy2 (also
×2, ×½, ×3, ×⅓) of the felt beat on constant-tempo pieces; MIREX weighted key score (1 same, 0.5 fifth,
0.3 relative, 0.2 parallel); beats per bar (Sonare only: neither reference estimates it) when answered
and when forced.
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
# SONARE_BIN compares another build (e.g. the commit before) on the same files, with --sonare-only.
SONARE = Path(os.environ.get("SONARE_BIN", REPO / "target/release/sonare"))
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


def metre_min_confidence():
    """The confidence from which Sonare shows a metre as known, read from its source."""
    import re
    source = (REPO / "src/analysis/dsp/rhythm/mod.rs").read_text()
    return float(re.search(r"pub const METRE_MIN_CONFIDENCE: f32 = ([0-9.]+);", source).group(1))


METRE_MIN_CONFIDENCE = metre_min_confidence()


def beats_per_bar(signature):
    """2/4 2/2 -> 2, 3/4 3/8 9/8 -> 3, 4/4 12/8 -> 4, 6/8 6/4 -> 6; others (5/4, 7/8) None."""
    n, _, d = (signature or "").strip().partition("/")
    return {"2": 2, "3": 3, "4": 4, "6": 6}.get(n) or {("9", "8"): 3, ("12", "8"): 4}.get((n, d))


def render_set(folder, limit):
    """Items of one MIDI set, rendered once into target/test-cache/midi-render."""
    RENDER.mkdir(parents=True, exist_ok=True)
    items = []
    labels = REPO / "tests/fixtures/midi" / folder / "labels.midi-meta.csv"
    with open(labels) as f:
        for row in csv.DictReader(f):
            midi = next(labels.parent.rglob(row["file"]))
            wav = RENDER / (Path(row["file"]).stem + ".wav")
            if not wav.exists():
                part = wav.with_suffix(".wav.part")
                subprocess.run(["fluidsynth", "-ni", "-g", "0.6", "-r", "44100", "-F", str(part),
                                SOUNDFONT, str(midi)], check=True, capture_output=True)
                part.rename(wav)
            constant = row["tempo_constant"] == "True" and row["bpm_first"].replace(".", "", 1).isdigit()
            items.append((wav, {
                # Pieces without a tempo event (label "120 (MIDI default…)") are left out of tempo.
                "bpm": float(row.get("beat_bpm") or row["bpm_first"]) if constant else None,
                "key": parse_key(row.get("key_true") or row.get("midi_key_signatures")),
                "key_sure": True,
                "beats_per_bar": beats_per_bar(row["time_signatures"].split("|")[0]),
            }))
    return items[:limit] if limit else items


def real_set(limit):
    demo = REPO / "target/test-cache/demo-music"
    items = []
    with open(REPO / "tests/fixtures/real/labels.csv") as f:
        for row in csv.DictReader(f):
            path = demo / row["file"]
            if not path.exists():
                sys.exit(f"{path} is missing: the Rust tests fetch the demo library (cargo test --test analysis_dsp)")
            items.append((path, {
                "bpm": float(row["bpm"]),
                "key": parse_key(row["key"]),
                "key_sure": float(row["key_probability"]) >= 0.5,
                "beats_per_bar": int(row["beats_per_bar"]) or None,
            }))
    return items[:limit] if limit else items


def sonare(data, *args, env=None):
    out = subprocess.run([str(SONARE), "--data-dir", str(data), *args], check=True,
                         capture_output=True, text=True, env=env)
    return out.stdout


def sonare_env():
    return {**os.environ, "ORT_DYLIB_PATH": str(RUNTIME)}


def run_sonare(files, extra=()):
    """Analyses `files` (a library of symlinks) single-threaded; returns ({path: row}, summary, data dir)
    where a row holds tempo_bpm, key, metre, metre_confidence."""
    tmp = Path(tempfile.mkdtemp(prefix="sonare-analysis-bench-"))
    music = tmp / "music"
    music.mkdir()
    links = {}
    for i, f in enumerate(files):
        link = music / f"{i:03d}-{f.name}"
        link.symlink_to(f)
        links[str(link)] = f
    data = tmp / "data"
    sonare(data, "scan", str(music), "--json")
    summary = json.loads(sonare(data, "analyze", "--json", "--threads", "1", *extra, env=sonare_env()))
    db = sqlite3.connect(data / "library.sqlite3")
    rows = db.execute("SELECT t.path, a.tempo_bpm, a.key, a.metre, a.metre_confidence FROM track_analysis a "
                      "JOIN tracks t ON t.id = a.track_id WHERE a.error IS NULL").fetchall()
    by_source = {}
    for path, bpm, key, metre, confidence in rows:
        source = links.get(path)
        if source is not None:
            by_source[source] = {"tempo_bpm": bpm, "key": key, "metre": metre,
                                 "metre_confidence": confidence}
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


def cached(tool, run, files):
    """`run(files)` for the files not yet in .cache/compare-<tool>.json (keyed by path, size and mtime),
    so a rerun after a change to Sonare does not run the references again. The speed is measured over
    the files it ran, or read back."""
    cache_file = REPO / f".cache/compare-{tool}.json"
    cache = json.loads(cache_file.read_text()) if cache_file.exists() else {}
    key = lambda f: f"{f}|{f.stat().st_size}|{f.stat().st_mtime_ns}"
    todo = [f for f in files if key(f) not in cache]
    if todo:
        out, audio, seconds = run(todo)
        for f in todo:
            bpm, k = out[f]
            cache[key(f)] = {"bpm": bpm, "key": list(k), "audio": audio / len(todo), "seconds": seconds / len(todo)}
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        cache_file.write_text(json.dumps(cache))
    rows = [cache[key(f)] for f in files]
    estimates = {f: (r["bpm"], tuple(r["key"])) for f, r in zip(files, rows)}
    return estimates, sum(r["audio"] for r in rows), sum(r["seconds"] for r in rows)


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
        out[f] = (float(np.atleast_1d(tempo)[0]), (tonic, minor))
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
        out[f] = (float(bpm), (pitch_class(k), scale == "minor"))
    return out, audio, time.perf_counter() - start


def score(items, estimates, metres=None):
    """Tempo Accuracy1/2, MIREX key (all labels and the sure ones), beats per bar (answered, forced)."""
    t = {"n": 0, "a1": 0, "a2": 0, "kn": 0, "ks": 0.0, "sn": 0, "ss": 0.0, "mn": 0, "told": 0, "right": 0,
         "forced": 0}
    for path, label in items:
        est = estimates.get(path)
        if est is None:
            continue
        bpm, key = est
        if label["bpm"] and bpm:
            within = lambda target: abs(bpm - target) <= 0.04 * target
            t["n"] += 1
            t["a1"] += within(label["bpm"])
            t["a2"] += any(within(label["bpm"] * f) for f in (1, 2, 0.5, 3, 1 / 3))
        if label["key"] and key and key[0] is not None:
            points = mirex(label["key"], key)
            t["kn"] += 1
            t["ks"] += points
            if label["key_sure"]:
                t["sn"] += 1
                t["ss"] += points
        if metres is not None and label["beats_per_bar"]:
            metre, confidence = metres.get(path, (None, None))
            t["mn"] += 1
            answer = int(metre.split("/")[0]) if metre else None
            t["forced"] += answer == label["beats_per_bar"]
            if confidence is not None and confidence >= METRE_MIN_CONFIDENCE:
                t["told"] += 1
                t["right"] += answer == label["beats_per_bar"]
    return t


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
    parser.add_argument("--sets", default="classical,openmsx,grooves,real")
    parser.add_argument("--sonare-only", action="store_true", help="skip librosa and Essentia")
    args = parser.parse_args()
    if "SONARE_BIN" not in os.environ:
        subprocess.run(["cargo", "build", "--release", "--bin", "sonare"], cwd=REPO, check=True)
    if not RUNTIME.exists():
        subprocess.run([str(REPO / "scripts/fetch_onnxruntime.sh"), str(RUNTIME.parent)], check=True)
    folders = {"classical": "goldberg-mutopia", "openmsx": "openttd-openmsx", "grooves": "grooves"}
    pct = lambda a, n: f"{100 * a / max(n, 1):.1f} %"
    lines = []
    for name in args.sets.split(","):
        items = real_set(args.limit) if name == "real" else render_set(folders[name], args.limit)
        files = [path for path, _ in items]
        rows, summary, _ = run_sonare(files)
        estimates, metres = {}, {}
        for path, row in rows.items():
            key = None
            if row.get("key"):
                tonic, mode = row["key"].split(" ")
                key = (pitch_class(tonic), mode == "minor")
            estimates[path] = (row.get("tempo_bpm"), key)
            metres[path] = (row.get("metre"), row.get("metre_confidence"))
        table = [("Sonare", score(items, estimates, metres), summary["audio_seconds"], summary["seconds"])]
        if not args.sonare_only:
            lib_est, lib_audio, lib_time = cached("librosa", run_librosa, files)
            table.append(("librosa 0.11", score(items, lib_est), lib_audio, lib_time))
            ess_est, ess_audio, ess_time = cached("essentia", run_essentia, files)
            table.append(("Essentia 2.1b6", score(items, ess_est), ess_audio, ess_time))
        for tool, t, audio, seconds in table:
            sure = f"{t['ss'] / max(t['sn'], 1):.3f} ({t['sn']})" if name == "real" else "–"
            metre = (f"{pct(t['told'], t['mn'])} / {pct(t['right'], t['told'])} / {pct(t['forced'], t['mn'])} ({t['mn']})"
                     if tool == "Sonare" else "–")
            lines.append(f"| {name} ({len(items)}) | {tool} | {t['ks'] / max(t['kn'], 1):.3f} ({t['kn']}) | {sure} | "
                         f"{pct(t['a1'], t['n'])} | {pct(t['a2'], t['n'])} ({t['n']}) | {metre} | {audio / seconds:.0f}× |")
        print("\n".join(lines[-len(table):]), flush=True)
    print("\n| set (files) | tool | key MIREX (n) | key MIREX, sure labels (n) | tempo Acc1 | tempo Acc2 (n) | "
          "beats per bar: answered / right when answered / forced (n) | speed (× real time, one core) |")
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(lines))
    print("\nSonare's speed is its whole pipeline (decode, loudness, tempo, beats, metre, key, resampling, mel and "
          "the CNN); librosa's and Essentia's tempo and key only.")
    if args.demo:
        print("\nDemo library (real recordings):")
        demo_comparison()


if __name__ == "__main__":
    main()
