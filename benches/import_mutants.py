#!/usr/bin/env python3
"""Hostile-input benchmark for the importers: seeded mutants of every import format's fixture through
the real `sonare import`, one process per file. Counts processes killed by a signal, and checks that
every refused file gets an error naming it (exit status 1 with the path on stderr).

    python3 benches/import_mutants.py --sonare target/debug/sonare --count 1200 --seed 7 [--json]

Formats: spotify, listenbrainz, lastfm (TSV and CSV), xspf, m3u (history); hetrec (a folder),
lastfm-log, mpd, factors (shared). Mutations: byte flips, cuts, repeated slices, a field replaced by a
huge or negative number, a string replaced by a 100 KB one, deep nesting, invalid UTF-8.
"""
import argparse
import json
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TASTE = REPO / "tests/fixtures/taste"

XSPF = b"""<?xml version="1.0" encoding="UTF-8"?>
<playlist version="1" xmlns="http://xspf.org/ns/0/"><trackList>
<track><location>file:///music/a.flac</location><creator>Bjork</creator><title>Joga</title></track>
<track><creator>Simon &amp; Garfunkel</creator><title>The Boxer</title><identifier>mbid:1</identifier></track>
</trackList></playlist>
"""
M3U = b"#EXTM3U\n#EXTINF:240,Bjork - Joga\n/music/a.flac\n#EXTINF:-1,The Beatles - Let It Be\nb.mp3\n"
FACTORS = (json.dumps({"format": "sonare-factors", "version": 1, "model": "m", "rank": 3,
                       "regularization": 0.1, "alpha": 1.0}) + "\n"
           + json.dumps({"artist": "Bjork", "title": "Joga", "factors": [0.1, 0.2, 0.3]}) + "\n"
           + json.dumps({"artist": "Daft Punk", "factors": [0.3, -0.2, 0.1]}) + "\n").encode()

# (kind, format, seed content or folder)
SOURCES = [
    ("history", "spotify", (TASTE / "spotify_extended.json").read_bytes()),
    ("history", "listenbrainz", (TASTE / "listenbrainz.jsonl").read_bytes()),
    ("history", "lastfm", (TASTE / "scrobbles.tsv").read_bytes()),
    ("history", "lastfm", (TASTE / "scrobbles.csv").read_bytes()),
    ("history", "xspf", XSPF),
    ("history", "m3u", M3U),
    ("shared", "lastfm-log", (TASTE / "lastfm_1k.tsv").read_bytes()),
    ("shared", "mpd", (TASTE / "mpd_slice.json").read_bytes()),
    ("shared", "factors", FACTORS),
    ("shared", "hetrec", TASTE / "hetrec"),
]


def mutate(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    kind = rng.choice(["flip", "cut", "repeat", "number", "long", "nest", "utf8"])
    if not b:
        return bytes(b)
    if kind == "flip":
        for _ in range(rng.randint(1, 16)):
            b[rng.randrange(len(b))] = rng.randrange(256)
    elif kind == "cut":
        b = b[: rng.randrange(0, len(b))]
    elif kind == "repeat":
        start = rng.randrange(len(b))
        piece = b[start:start + rng.randint(1, 400)]
        b[rng.randrange(len(b)):0] = piece * rng.randint(1, 50)
    elif kind == "number":
        digits = [i for i, c in enumerate(b) if chr(c).isdigit()]
        if digits:
            i = rng.choice(digits)
            b[i:i + 1] = rng.choice([b"99999999999999999999", b"-9223372036854775808", b"1e308", b"-5000000"])
    elif kind == "long":
        quotes = [i for i, c in enumerate(b) if c in b'"\t,']
        if quotes:
            i = rng.choice(quotes)
            b[i + 1:i + 1] = b"x" * 100_000
    elif kind == "nest":
        b[rng.randrange(len(b)):0] = b"[" * 10_000
    else:
        b[rng.randrange(len(b)):0] = bytes([0xff, 0xfe, 0xc3, 0x28])
    return bytes(b)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sonare", default=str(REPO / "target/release/sonare"))
    parser.add_argument("--count", type=int, default=1200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="sonare-import-mutants-"))
    started = time.time()
    report = {"mutants": 0, "seed": args.seed, "per_format": {}, "deaths": [],
              "imported": 0, "refused_naming_the_file": 0, "refused_without_the_file": []}
    try:
        data = work / "data"
        subprocess.run([args.sonare, "--data-dir", str(data), "folders"], check=True, capture_output=True)
        for n in range(args.count):
            kind, fmt, seed = SOURCES[n % len(SOURCES)]
            if isinstance(seed, Path):
                target = work / f"m{n:05d}-{fmt}"
                target.mkdir()
                files = sorted(seed.iterdir())
                victim = rng.choice(files)
                for f in files:
                    content = f.read_bytes()
                    (target / f.name).write_bytes(mutate(content, rng) if f == victim else content)
            else:
                target = work / f"m{n:05d}-{fmt}.in"
                target.write_bytes(mutate(seed, rng))
            proc = subprocess.run([args.sonare, "--data-dir", str(data), "import", kind, str(target),
                                   "--format", fmt, "--json"], capture_output=True, timeout=120)
            stats = report["per_format"].setdefault(fmt, {"mutants": 0, "imported": 0, "refused": 0})
            stats["mutants"] += 1
            if proc.returncode < 0:
                report["deaths"].append({"file": target.name, "signal": signal.Signals(-proc.returncode).name,
                                         "stderr": proc.stderr.decode(errors="replace")[-300:]})
            elif proc.returncode == 0:
                stats["imported"] += 1
                report["imported"] += 1
            else:
                stats["refused"] += 1
                if target.name in proc.stderr.decode(errors="replace"):
                    report["refused_naming_the_file"] += 1
                else:
                    report["refused_without_the_file"].append(proc.stderr.decode(errors="replace")[-200:])
            if target.is_dir():
                shutil.rmtree(target)
            else:
                target.unlink()
            report["mutants"] = n + 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report["seconds"] = round(time.time() - started, 1)
    print(json.dumps(report) if args.json else json.dumps(report, indent=2))
    return 1 if report["deaths"] or report["refused_without_the_file"] else 0


if __name__ == "__main__":
    sys.exit(main())
