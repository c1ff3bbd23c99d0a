#!/usr/bin/env python3
"""Scan benchmark behind BENCHMARKS.md.

Builds a synthetic library of N files (copies of short real files, MP3/FLAC/Ogg/M4A, each with its own
tags written by mutagen), then measures with the release `sonare` binary:
  - cold scan: empty database, OS page cache dropped first (when the kernel allows it);
  - warm scan: empty database, files already in the page cache;
  - unchanged rescan: the database is up to date;
and peak resident memory of each (GNU time). In the same run, mutagen reads the same tags and stream
info of the same files (warm cache) for the files/s ratio.

Usage: benches/scan_bench.py [--files 10000] [--keep DIR]
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import mutagen

REPO = Path(__file__).resolve().parent.parent
MINIMAL = REPO / "tests/fixtures/broken-tags/lofty-rs/lofty/tests/files/assets/minimal"
SOURCES = ["full_test.mp3", "full_test.flac", "full_test.ogg", "m4a_codec_aac.m4a"]
GENRES = ["Jazz", "Rock", "Electronic", "Classical", "Hip-Hop", "Folk", "Ambient", "Metal"]


def build_library(root: Path, count: int) -> None:
    rng = random.Random(42)
    for i in range(count):
        source = MINIMAL / SOURCES[i % len(SOURCES)]
        artist = f"Artist {i // 200:03d}"
        album = f"Album {i // 20:04d}"
        folder = root / artist / album
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{i % 20 + 1:02d} Song {i:05d}{source.suffix}"
        shutil.copyfile(source, target)
        audio = mutagen.File(target, easy=True)
        if audio.tags is None:
            audio.add_tags()
        audio["title"] = f"Song {i:05d} {rng.choice(['Blue', 'Night', 'Río', 'Ω', '夜'])}"
        audio["artist"] = artist
        audio["album"] = album
        audio["tracknumber"] = str(i % 20 + 1)
        audio["date"] = str(1960 + i % 60)
        audio["genre"] = GENRES[i % len(GENRES)]
        audio.save()


def drop_caches() -> bool:
    try:
        subprocess.run(["sync"], check=True)
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def run_scan(sonare: Path, data: Path, library: Path | None, threads: int | None = None) -> dict:
    env = dict(os.environ, RAYON_NUM_THREADS=str(threads)) if threads else None
    args = ["/usr/bin/time", "-f", "%M", str(sonare), "--data-dir", str(data), "scan", "--json"]
    if library:
        args.insert(-1, str(library))
    started = time.perf_counter()
    out = subprocess.run(args, check=True, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - started
    report = json.loads(out.stdout)
    report["wall_seconds"] = wall
    report["peak_rss_mb"] = int(out.stderr.strip().splitlines()[-1]) / 1024
    return report


def mutagen_read(files: list[Path]) -> float:
    started = time.perf_counter()
    for path in files:
        audio = mutagen.File(path, easy=True)
        tags = audio.tags or {}
        for key in ("title", "artist", "album", "albumartist", "tracknumber", "discnumber", "date",
                    "genre", "composer", "musicbrainz_trackid"):
            tags.get(key)
        _ = (audio.info.length, getattr(audio.info, "sample_rate", None),
             getattr(audio.info, "channels", None), getattr(audio.info, "bitrate", None))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()
    sonare = REPO / "target/release/sonare"
    if not sonare.exists():
        sys.exit("build first: cargo build --release -p sonare")
    work = Path(tempfile.mkdtemp(prefix="sonare-bench-"))
    library = args.keep or work / "library"
    if not (library / ".complete").exists():
        shutil.rmtree(library, ignore_errors=True)
        print(f"building {args.files} files in {library} …", file=sys.stderr)
        build_library(library, args.files)
        (library / ".complete").write_text("")
    files = sorted(p for p in library.rglob("*") if p.is_file() and p.name != ".complete")

    dropped = drop_caches()
    cold = run_scan(sonare, work / "data-cold", library)
    drop_caches()
    mutagen_cold = mutagen_read(files)
    warm = run_scan(sonare, work / "data-warm", library)
    warm_1 = run_scan(sonare, work / "data-warm-1thread", library, threads=1)
    rescan = run_scan(sonare, work / "data-warm", None)
    mutagen_seconds = min(mutagen_read(files) for _ in range(2))

    n = len(files)
    rows = {
        "files": n,
        "page_cache_dropped_for_cold": dropped,
        "cold": {"seconds": cold["seconds"], "files_per_s": n / cold["seconds"], "peak_rss_mb": cold["peak_rss_mb"], "added": cold["added"]},
        "warm_one_thread": {"seconds": warm_1["seconds"], "files_per_s": n / warm_1["seconds"]},
        "warm": {"seconds": warm["seconds"], "files_per_s": n / warm["seconds"], "peak_rss_mb": warm["peak_rss_mb"], "added": warm["added"]},
        "unchanged_rescan": {"seconds": rescan["seconds"], "wall_seconds": rescan["wall_seconds"], "unchanged": rescan["unchanged"], "peak_rss_mb": rescan["peak_rss_mb"]},
        "mutagen": {"seconds": mutagen_seconds, "files_per_s": n / mutagen_seconds,
                    "cold_files_per_s": n / mutagen_cold, "version": mutagen.version_string},
        "ratio_warm_vs_mutagen": mutagen_seconds / warm["seconds"],
        "ratio_warm_one_thread_vs_mutagen": mutagen_seconds / warm_1["seconds"],
        "ratio_cold_vs_mutagen_cold": mutagen_cold / cold["seconds"],
        "failed": len(warm["failed"]),
    }
    print(json.dumps(rows, indent=2))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
