#!/usr/bin/env python3
"""The product path on real co-listening data: import the cf-dev HetRec (with its artist tags) and
MPD training files into an empty data folder with the release CLI (the import tunes the model and
keeps it in the data folder), then time what views and CLI calls cost afterwards, against the same
call with the kept model file removed (what every call cost before the model was kept: a training
each time).

Every step is one process under /usr/bin/time -v (wall seconds, peak RSS).

Usage: cf_app.py [--data DIR] [--sonare BIN]
"""
import argparse
import gzip
import json
import os
import sys
import tempfile

from cf_real import timed

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def write_hetrec(data, out):
    os.makedirs(out, exist_ok=True)
    with gzip.open(os.path.join(data, "hetrec-artists.tsv.gz"), "rt") as f, \
            open(os.path.join(out, "artists.dat"), "w") as w:
        next(f)
        w.write("id\tname\n")
        for line in f:
            w.write(line)
    with gzip.open(os.path.join(data, "hetrec-train.tsv.gz"), "rt") as f, \
            open(os.path.join(out, "user_artists.dat"), "w") as w:
        w.write("userID\tartistID\tweight\n")
        for line in f:
            w.write(line)
    # The tags, as HetRec ships them: one line per listener who gave an artist a tag (cf-dev has
    # the counts per artist and tag; the importer sums the lines back into those counts).
    tag_ids = {}
    with gzip.open(os.path.join(data, "hetrec-artist-tags.tsv.gz"), "rt") as f, \
            open(os.path.join(out, "user_taggedartists.dat"), "w") as w:
        next(f)
        w.write("userID\tartistID\ttagID\tday\tmonth\tyear\n")
        for line in f:
            artist, tag, count = line.rstrip("\n").split("\t")
            t = tag_ids.setdefault(tag, len(tag_ids) + 1)
            for user in range(int(count)):
                w.write(f"{user + 1}\t{artist}\t{t}\t1\t1\t2010\n")
    with open(os.path.join(out, "tags.dat"), "w") as w:
        w.write("tagID\ttagValue\n")
        for tag, t in tag_ids.items():
            w.write(f"{t}\t{tag}\n")
    return out


def write_mpd(data, out):
    names = {}
    with gzip.open(os.path.join(data, "mpd-items.tsv.gz"), "rt") as f:
        for line in f:
            uri, artist, title = line.rstrip("\n").split("\t")
            names[uri] = (artist, title)
    playlists = {}
    with gzip.open(os.path.join(data, "mpd-train.tsv.gz"), "rt") as f:
        for line in f:
            p, uri, _ = line.rstrip("\n").split("\t")
            playlists.setdefault(p, []).append(uri)
    doc = {"info": {"slice": "cf-dev"}, "playlists": [
        {"pid": int(p), "name": f"playlist {p}", "tracks": [
            {"pos": i, "track_uri": u, "artist_name": names[u][0], "track_name": names[u][1]}
            for i, u in enumerate(ts) if u in names]}
        for p, ts in playlists.items()]}
    with open(out, "w") as w:
        json.dump(doc, w)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "cf-dev"))
    ap.add_argument("--sonare", default=os.path.join(ROOT, "target", "release", "sonare"))
    a = ap.parse_args()
    if not os.path.exists(os.path.join(a.data, "hetrec-train.tsv.gz")):
        print(f"cf-dev data not found in {a.data}: skipping")
        return 0
    print("| data | step | seconds | peak RSS MB | note |\n|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, source, fmt in [("HetRec", write_hetrec(a.data, os.path.join(tmp, "hetrec")), "hetrec"),
                                  ("MPD", write_mpd(a.data, os.path.join(tmp, "mpd.json")), "mpd")]:
            folder = os.path.join(tmp, f"data-{fmt}")
            cli = [a.sonare, "--data-dir", folder]
            out, secs, rss = timed(cli + ["import", "shared", source, "--format", fmt, "--json"])
            tuning = json.loads(out.strip().splitlines()[-1])
            chose = tuning.get("winner", {}).get("params", tuning.get("model"))
            print(f"| {name} | import + tune + train | {secs:.1f} | {rss:.0f} | chose {chose} |", flush=True)
            model = os.path.join(folder, "models", "shared-cf.bin")
            size = os.path.getsize(model) / 2**20
            for step in (["taste", "for-me", "--json"], ["discover", "--json", "--refresh"]):
                _, secs, rss = timed(cli + step)
                print(f"| {name} | `{' '.join(step[:2])}` (model kept, {size:.0f} MB file) | {secs:.2f} | {rss:.0f} | |",
                      flush=True)
                kept = model + ".kept"
                os.rename(model, kept)
                _, secs, rss = timed(cli + step)
                print(f"| {name} | `{' '.join(step[:2])}` without the kept file (trains) | {secs:.2f} | {rss:.0f} | reference |",
                      flush=True)
                os.replace(kept, model)
    return 0


if __name__ == "__main__":
    sys.exit(main())
