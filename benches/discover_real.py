#!/usr/bin/env python3
"""Discover Daily on real co-listening data, through the product path (issue 18).

World, cut from ../shared/data/cf-dev/mpd-train.tsv.gz with a fixed seed:
- listeners: MPD playlists with >= 20 tracks; two disjoint sets of LISTENERS each (validation, used for
  every decision, and test, reported once) among those with >= 3 of their later songs in the library;
- the library: the LIBRARY songs most common in the other playlists, as real (tiny, silent) WAV files
  with RIFF INFO tags, scanned by `sonare scan`;
- shared data: every other playlist, imported with `sonare import shared` (MPD JSON; the import tunes
  and keeps the co-listening model, as in the app);
- each listener: a copy of that data folder, their playlist's first 10 songs imported as a Spotify
  extended streaming history (`sonare import history`), whether or not the library holds them; the
  future is the rest of the playlist that the library holds.

Per listener, one `sonare discover --ablation --json` prints the lists of Discover (the app's list),
the blend unshaped, each model alone and the shared-data popularity; `sonare taste for-me` gives
"For you". A plain item-kNN (cosine over the shared playlists, top 30 by summed similarity to the
first 10 songs, library only) is computed here. Reported: hits@30 (mean, standard error over
listeners) and the share of lists with a hit, the lists' largest number of songs of one artist, and
Discover's difference from every other list with its paired standard error.

Usage: discover_real.py [--data DIR] [--sonare BIN] [--split validation|test] [--listeners 100] [--embed]
Without the data folder it says so and exits 0.
"""
import argparse
import gzip
import json
import math
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_DATA = os.path.join(ROOT, "..", "shared", "data", "cf-dev")
SEED = 18
LIBRARY = 3000
K = 30
GIVEN = 10


def read_mpd(data):
    names = {}
    with gzip.open(os.path.join(data, "mpd-items.tsv.gz"), "rt") as f:
        for line in f:
            uri, artist, title = line.rstrip("\n").split("\t")
            names[uri] = (artist, title)
    playlists = defaultdict(list)
    with gzip.open(os.path.join(data, "mpd-train.tsv.gz"), "rt") as f:
        for line in f:
            p, uri, _ = line.rstrip("\n").split("\t")
            if uri in names:
                playlists[p].append(uri)
    return names, dict(playlists)


def cut(playlists, n):
    """Validation and test listeners (disjoint), the shared playlists and the library."""
    rng = random.Random(SEED)
    order = sorted(p for p, ts in playlists.items() if len(ts) >= 20)
    rng.shuffle(order)
    # Twice as many candidates as needed are held out; the library is made from the rest.
    held = order[: 8 * n]
    shared = {p: ts for p, ts in playlists.items() if p not in set(held)}
    counts = Counter(u for ts in shared.values() for u in set(ts))
    library = [u for u, _ in sorted(counts.items(), key=lambda c: (-c[1], c[0]))[:LIBRARY]]
    in_lib = set(library)
    usable = [p for p in held if len(set(playlists[p][GIVEN:]) & in_lib - set(playlists[p][:GIVEN])) >= 3]
    return usable[:n], usable[n: 2 * n], shared, library


def riff_info(fields):
    body = b"INFO"
    for key, value in fields:
        data = value.encode("utf-8") + b"\0"
        if len(data) % 2:
            data += b"\0"
        body += key + struct.pack("<I", len(data)) + data
    return b"LIST" + struct.pack("<I", len(body)) + body


def write_wav(path, artist, title):
    rate, frames = 8000, 800
    pcm = b"\0\0" * frames
    fmt = struct.pack("<HHIIHH", 1, 1, rate, rate * 2, 2, 16)
    chunks = b"fmt " + struct.pack("<I", len(fmt)) + fmt
    chunks += riff_info([(b"IART", artist), (b"INAM", title)])
    chunks += b"data" + struct.pack("<I", len(pcm)) + pcm
    with open(path, "wb") as f:
        f.write(b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + chunks)


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{p.stderr[-3000:]}")
    return p.stdout


def build_base(sonare, base, names, shared, library):
    music = os.path.join(base, "music")
    os.makedirs(music)
    for n, uri in enumerate(library):
        artist, title = names[uri]
        write_wav(os.path.join(music, f"{n:05d}.wav"), artist, title)
    data = os.path.join(base, "data")
    run([sonare, "--data-dir", data, "scan", music])
    doc = {"info": {"slice": "cf-dev shared"}, "playlists": [
        {"pid": int(p), "name": f"playlist {p}", "tracks": [
            {"pos": i, "track_uri": u, "artist_name": names[u][0], "track_name": names[u][1]}
            for i, u in enumerate(ts)]}
        for p, ts in sorted(shared.items())]}
    mpd = os.path.join(base, "shared.json")
    with open(mpd, "w") as w:
        json.dump(doc, w)
    run([sonare, "--data-dir", data, "import", "shared", "--format", "mpd", mpd])
    ids = {}
    for line in run([sonare, "--data-dir", data, "tracks", "--json"]).splitlines():
        t = json.loads(line)
        ids[t["id"]] = (t["artist"], t["title"])
    return data, ids


def history_json(names, uris, path):
    # Ten plays on ten days, a month and more before today: nothing is "fresh".
    entries = []
    for n, u in enumerate(uris):
        artist, title = names[u]
        entries.append({
            "ts": f"2026-0{1 + n // 9}-{1 + n % 9:02d}T12:00:00Z", "ms_played": 200000,
            "master_metadata_track_name": title, "master_metadata_album_artist_name": artist,
            "spotify_track_uri": u, "reason_end": "trackdone", "skipped": False,
        })
    with open(path, "w") as w:
        json.dump(entries, w)


def item_knn(shared, library, given, k):
    """Cosine item-kNN over the shared playlists: library songs by summed similarity to `given`."""
    members = defaultdict(set)
    for p, ts in shared.items():
        for u in set(ts):
            members[u].add(p)
    scores = {}
    for cand in library:
        if cand in given:
            continue
        a = members[cand]
        s = sum(len(a & members[g]) / math.sqrt(len(a) * len(members[g]))
                for g in given if members[g] and a)
        if s > 0:
            scores[cand] = s
    return [u for u, _ in sorted(scores.items(), key=lambda x: (-x[1], x[0]))[:k]]


def stats(hits):
    n = len(hits)
    mean = sum(hits) / n
    sd = math.sqrt(sum((h - mean) ** 2 for h in hits) / max(n - 1, 1))
    return mean, sd / math.sqrt(n), sum(1 for h in hits if h > 0) / n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--sonare", default=os.path.join(ROOT, "target", "release", "sonare"))
    ap.add_argument("--split", choices=["validation", "test"], default="validation")
    ap.add_argument("--listeners", type=int, default=100)
    ap.add_argument("--keep", help="keep the base data folder here (reused when it exists)")
    ap.add_argument("--out", help="write per-listener results as JSON")
    ap.add_argument("--embed", action="store_true",
                    help="embed the library's texts with the sentence model first ($SONARE_TEXT_MODEL, "
                         "or fetched into target/test-cache/models), as the app does after a scan")
    args = ap.parse_args()
    if not os.path.exists(os.path.join(args.data, "mpd-train.tsv.gz")):
        print(f"no cf-dev data in {args.data}: skipped")
        return 0
    names, playlists = read_mpd(args.data)
    validation, test, shared, library = cut(playlists, args.listeners)
    listeners = validation if args.split == "validation" else test
    key_of = {u: (names[u][0].casefold(), names[u][1].casefold()) for u in library}
    tmp = tempfile.mkdtemp(prefix="sonare-discover-real-")
    base = args.keep or os.path.join(tmp, "base")
    if not os.path.exists(os.path.join(base, "data")):
        if os.path.exists(base):
            shutil.rmtree(base)
        os.makedirs(base)
        print(f"building the library ({LIBRARY} songs) and importing {len(shared)} shared playlists …",
              file=sys.stderr)
        build_base(args.sonare, base, names, shared, library)
    data_base = os.path.join(base, "data")
    if args.embed:
        env = dict(os.environ)
        if not env.get("SONARE_TEXT_MODEL"):
            env["SONARE_TEXT_MODEL"] = run([os.path.join(ROOT, "scripts", "fetch_text_model.sh"),
                                            os.path.join(ROOT, "target", "test-cache", "models")]).strip()
        print(run([args.sonare, "--data-dir", data_base, "embed"], env=env).strip(), file=sys.stderr)
    ids = {}
    for line in run([args.sonare, "--data-dir", data_base, "tracks", "--json"]).splitlines():
        t = json.loads(line)
        ids[t["id"]] = (t["artist"].casefold(), t["title"].casefold())
    in_lib = set(library)
    results = defaultdict(list)
    cold = Counter()
    worst = Counter()
    per_listener = []
    for n, p in enumerate(listeners):
        songs = playlists[p]
        given = songs[:GIVEN]
        future_keys = {key_of[u] for u in set(songs[GIVEN:]) - set(given) if u in in_lib}
        folder = os.path.join(tmp, "listener")
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(data_base, folder)
        hist = os.path.join(tmp, "history.json")
        history_json(names, given, hist)
        run([args.sonare, "--data-dir", folder, "import", "history", "--format", "spotify", hist])
        lists = json.loads(run([args.sonare, "--data-dir", folder, "discover", "--ablation",
                                "--json", "--size", str(K)]))
        for_you = [json.loads(l)["track_id"] for l in
                   run([args.sonare, "--data-dir", folder, "taste", "for-me", "--json", "--k",
                        str(K)]).splitlines()]
        lists["for you (co-listening, top 30)"] = {"tracks": for_you}
        knn = item_knn(shared, library, set(given), K)
        row = {"listener": p, "future": len(future_keys)}
        for name, l in lists.items():
            keys = [ids.get(t) for t in l["tracks"][:K]]
            row[name] = sum(1 for k in keys if k in future_keys)
            results[name].append(row[name])
            cold[name] += bool(l.get("cold_start"))
            per_artist = Counter(k[0] for k in keys if k)
            worst[name] = max(worst[name], max(per_artist.values(), default=0))
        row["item-kNN (shared playlists)"] = sum(1 for u in knn if key_of[u] in future_keys)
        results["item-kNN (shared playlists)"].append(row["item-kNN (shared playlists)"])
        per_listener.append(row)
        print(f"{n + 1}/{len(listeners)} " + " ".join(f"{v}" for k, v in row.items()
                                                     if k not in ("listener",)), file=sys.stderr)
    print(f"split {args.split}, {len(listeners)} listeners, library {LIBRARY}, list {K}, "
          f"seed {SEED}")
    print("| list | hits@30 (± s.e.) | lists with a hit | cold-start lists | most songs of one artist |")
    print("|---|---|---|---|---|")
    for name, hits in results.items():
        mean, se, share = stats(hits)
        shape = str(worst[name]) if name in worst else "–"
        print(f"| {name} | {mean:.2f} ± {se:.2f} | {share:.0%} | {cold[name]} | {shape} |")
    ref = "discover (the app)"
    if ref in results:
        print()
        print(f"| {ref} minus | difference in hits@30 (± paired s.e.) |")
        print("|---|---|")
        for name, hits in results.items():
            if name != ref:
                mean, se, _ = stats([a - b for a, b in zip(results[ref], hits)])
                print(f"| {name} | {mean:+.2f} ± {se:.2f} |")
    if args.out:
        with open(args.out, "w") as w:
            json.dump(per_listener, w, indent=1)
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
