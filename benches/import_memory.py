#!/usr/bin/env python3
"""Import speed and memory on large files: a Spotify extended-history JSON array and a Last.fm-1K
style listening log, each at two sizes (the larger ten times the smaller). Peak memory that does not
grow with the file shows the importers stream.

Usage: import_memory.py [--sonare BIN] [--mb 50] [--dir DIR]
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def write_spotify(path, target_bytes, songs, rng):
    with open(path, "w") as f:
        f.write("[\n")
        n, size = 0, 2
        while size < target_bytes:
            s = rng.randrange(songs)
            entry = {"ts": f"2023-{1 + n % 12:02d}-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}:{(n // 60) % 60:02d}Z",
                     "platform": "linux", "ms_played": rng.randrange(1000, 400000), "conn_country": "DE",
                     "master_metadata_track_name": f"Song {s}", "master_metadata_album_artist_name": f"Artist {s // 10}",
                     "master_metadata_album_album_name": f"Album {s // 40}", "spotify_track_uri": f"spotify:track:{s}",
                     "episode_name": None, "episode_show_name": None, "reason_start": "clickrow",
                     "reason_end": "trackdone", "shuffle": False, "skipped": rng.random() < 0.2,
                     "offline": False, "incognito_mode": False}
            line = ("," if n else "") + json.dumps(entry) + "\n"
            f.write(line)
            size += len(line)
            n += 1
        f.write("]\n")
    return n


def write_log(path, target_bytes, songs, users, rng):
    with open(path, "w") as f:
        n, size = 0, 0
        while size < target_bytes:
            s = rng.randrange(songs)
            line = (f"user_{rng.randrange(users):06d}\t2009-05-04T23:{n % 60:02d}:{(n // 60) % 60:02d}Z\t"
                    f"mbid-a{s // 10}\tArtist {s // 10}\t\tSong {s}\n")
            f.write(line)
            size += len(line)
            n += 1
    return n


def measure(bin_, data, kind, fmt, path):
    out = subprocess.run(["/usr/bin/time", "-f", "MAXRSS %M", bin_, "--data-dir", data, "import", kind, path,
                          "--format", fmt, "--json"], capture_output=True, text=True, check=True)
    report = json.loads(out.stdout.strip().splitlines()[-1])
    rss_kb = int(re.search(r"MAXRSS (\d+)", out.stderr).group(1))
    return report, rss_kb


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sonare", default=os.path.join(ROOT, "target", "release", "sonare"))
    ap.add_argument("--mb", type=int, default=50, help="size of the smaller files; the larger is 10x")
    ap.add_argument("--dir", default=None)
    a = ap.parse_args()
    work = a.dir or tempfile.mkdtemp(prefix="sonare-import-bench-")
    rng = random.Random(5)
    print("| file | size | entries | imported | seconds | entries/s | peak memory |")
    print("|---|---|---|---|---|---|---|")
    for kind, fmt, writer in (("history", "spotify", "spotify"), ("shared", "lastfm-log", "log")):
        for scale in (1, 10):
            path = os.path.join(work, f"{fmt}-{scale}.data")
            target = a.mb * scale * 1_000_000
            if writer == "spotify":
                n = write_spotify(path, target, 50_000, rng)
            else:
                n = write_log(path, target, 50_000, 1000, rng)
            data = os.path.join(work, f"data-{fmt}-{scale}")
            shutil.rmtree(data, ignore_errors=True)
            report, rss = measure(a.sonare, data, kind, fmt, path)
            mb = os.path.getsize(path) / 1e6
            print(f"| {fmt} | {mb:.0f} MB | {n} | {report['imported']} | {report['seconds']:.1f} | "
                  f"{report['read'] / report['seconds']:.0f} | {rss / 1024:.0f} MiB |", flush=True)
            os.remove(path)
            shutil.rmtree(data, ignore_errors=True)
    if not a.dir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
