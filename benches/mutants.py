#!/usr/bin/env python3
"""Hostile-input benchmark: seeded mutants of real files of every container, through the real
`sonare` binary's scan, analysis and playback decoder. Counts processes that died of a signal
(an abort is the failure this guards against) and checks that every file that could not be read or
analysed is stored with a reason.

    python3 benches/mutants.py --sonare target/release/sonare --count 1200 --seed 7 [--json] [--no-decode]

Mutations (one per mutant, chosen by the seed): flip 1-32 random bytes; overwrite a random
big-endian 32-bit field with a huge count; aim at a size or count field of a known MP4/CAF/RIFF/Ogg
/FLAC structure; cut the file short; repeat a random slice. Sources: the container fixtures in
tests/fixtures/broken-tags/lofty-rs/lofty/tests/files/assets/minimal (AAC, ADTS, AIFF, APE, FLAC,
MP1-3, Ogg Vorbis/Opus/Speex, WavPack, M4A AAC/ALAC, MP4 ALS/FLAC, Musepack, WAV).
Every mutant goes through `sonare scan` (tags + probe), `sonare analyze` (worker processes) and
`sonare decode` (the player's decoder, one process per file, so each abort is counted on its own).
"""
import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCES = REPO / "tests/fixtures/broken-tags/lofty-rs/lofty/tests/files/assets/minimal"
HUGE = [0x7FFFFFFF, 0xFFFFFFFF, 0x10000000, 0x80000000, 0xFFFFFF00, 0x40000000]
# Structures whose size or count fields decoders trust: (marker, offsets after it of 32-bit fields).
TARGETS = {
    b"stsc": [4, 8], b"stsz": [8, 12, 16], b"stco": [8], b"co64": [8], b"stts": [8], b"ctts": [8],
    b"stss": [8], b"elst": [8], b"esds": [-4], b"hdlr": [-4], b"mdat": [-4], b"moov": [-4],
    b"trak": [-4], b"ilst": [-4], b"meta": [-4], b"pakt": [4, 8, 12], b"kuki": [4, 8],
    b"data": [0, 4, 8], b"fmt ": [0], b"RIFF": [0], b"FORM": [0], b"COMM": [0, 6],
    b"SSND": [0], b"OggS": [18, 22], b"fLaC": [4], b"ID3": [2],
}


def mutate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    b = bytearray(data)
    kind = rng.choice(["flip", "field", "target", "target", "cut", "repeat"])
    if kind == "flip":
        for _ in range(rng.randint(1, 32)):
            b[rng.randrange(len(b))] = rng.randrange(256)
    elif kind == "field":
        at = rng.randrange(0, max(1, len(b) - 4)) & ~3
        b[at:at + 4] = rng.choice(HUGE).to_bytes(4, "big")
    elif kind == "target":
        found = [(m, i) for m in TARGETS for i in _find_all(b, m)]
        if not found:
            return mutate(data, rng)
        marker, i = rng.choice(found)
        off = i + len(marker) + rng.choice(TARGETS[marker])
        if 0 <= off <= len(b) - 4:
            value = rng.choice(HUGE)
            b[off:off + 4] = value.to_bytes(4, rng.choice(["big", "little"]))
        kind = f"target {marker.decode('latin1').strip()}"
    elif kind == "cut":
        b = b[: rng.randrange(1, len(b))]
    else:
        start = rng.randrange(len(b))
        piece = b[start:start + rng.randint(1, 4096)]
        at = rng.randrange(len(b))
        b[at:at] = piece * rng.randint(1, 4)
    return bytes(b), kind


def _find_all(b: bytes, marker: bytes):
    i = b.find(marker)
    while i >= 0:
        yield i
        i = b.find(marker, i + 1)


def died(proc: subprocess.CompletedProcess) -> str | None:
    if proc.returncode < 0:
        return signal.Signals(-proc.returncode).name
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sonare", default=str(REPO / "target/release/sonare"))
    parser.add_argument("--count", type=int, default=1200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    # Builds from before `sonare decode` existed (the reference run) take scan and analyze only.
    parser.add_argument("--no-decode", dest="decode", action="store_false")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    sources = sorted(p for p in SOURCES.iterdir() if p.is_file())
    started = time.time()
    report = {"mutants": 0, "containers": len(sources), "seed": args.seed, "kinds": {},
              "scan_deaths": [], "analyze_deaths": [], "decode_deaths": [],
              "scan_failures_with_reason": 0, "analysis_failures_with_reason": 0,
              "analysis_failures_without_reason": 0, "decoded_ok": 0, "decode_errors": 0,
              "worker_deaths_stored": 0, "worker_death_reasons": {}}
    work = Path(tempfile.mkdtemp(prefix="sonare-mutants-"))
    try:
        done = 0
        while done < args.count:
            n = min(args.batch, args.count - done)
            music, data = work / f"music{done}", work / f"data{done}"
            music.mkdir()
            for i in range(n):
                src = sources[(done + i) % len(sources)]
                mutant, kind = mutate(src.read_bytes(), rng)
                report["kinds"][kind.split()[0]] = report["kinds"].get(kind.split()[0], 0) + 1
                (music / f"{done + i:05d}-{src.stem}{src.suffix}").write_bytes(mutant)
            base = [args.sonare, "--data-dir", str(data)]
            scan = subprocess.run(base + ["scan", str(music), "--json"], capture_output=True)
            if died(scan):
                report["scan_deaths"].append({"batch": done, "signal": died(scan),
                                              "stderr": scan.stderr.decode()[-400:]})
            else:
                scanned = json.loads(scan.stdout)
                report["scan_failures_with_reason"] += sum(1 for f in scanned["failed"] if f["error"])
            analyze = subprocess.run(base + ["analyze", "--json"], capture_output=True)
            if died(analyze):
                report["analyze_deaths"].append({"batch": done, "signal": died(analyze),
                                                 "stderr": analyze.stderr.decode()[-400:]})
            elif analyze.returncode == 0:
                summary = json.loads(analyze.stdout)
                for f in summary["failed"]:
                    key = "analysis_failures_with_reason" if f["reason"] else "analysis_failures_without_reason"
                    report[key] += 1
                    deaths = ("the decoder aborted", "ran out of memory", "the decoder crashed",
                              "analysis worker", "timed out after")
                    if any(d in f["reason"] for d in deaths):
                        report["worker_deaths_stored"] += 1
                        why = f["reason"].rsplit(": ", 1)[-1]
                        report["worker_death_reasons"][why] = report["worker_death_reasons"].get(why, 0) + 1
            for path in sorted(music.iterdir()) if args.decode else []:
                dec = subprocess.run([args.sonare, "decode", str(path)], capture_output=True, timeout=120)
                if died(dec):
                    report["decode_deaths"].append({"file": path.name, "signal": died(dec),
                                                    "stderr": dec.stderr.decode()[-300:]})
                else:
                    line = json.loads(dec.stdout)
                    report["decoded_ok" if line["error"] is None else "decode_errors"] += 1
            done += n
            report["mutants"] = done
            print(f"{done}/{args.count} mutants, deaths: scan {len(report['scan_deaths'])}, "
                  f"analyze {len(report['analyze_deaths'])}, decode {len(report['decode_deaths'])}",
                  file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report["seconds"] = round(time.time() - started, 1)
    if args.json:
        print(json.dumps(report))
    else:
        print(json.dumps(report, indent=2))
    deaths = len(report["scan_deaths"]) + len(report["analyze_deaths"]) + len(report["decode_deaths"])
    return 1 if deaths else 0


if __name__ == "__main__":
    sys.exit(main())
