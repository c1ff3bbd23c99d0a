#!/usr/bin/env python3
"""Derives the small real-data samples the CF tests use (tests/fixtures/cf/) from the cf-dev
training files: a few hundred rows each, never the datasets themselves (their licences forbid
redistribution; see ../shared/data/cf-dev/README.md).

- hetrec-sample.tsv: 45 listeners (fixed seed) and their plays of the 100 most widely played
  artists, user<TAB>artist id<TAB>plays.
- hetrec-sample-tags.tsv: the five most given tags of each of those artists,
  artist id<TAB>tag<TAB>listeners who gave it.
- mpd-sample.tsv: 30 playlists with the 100 most common tracks among them, playlist<TAB>track<TAB>1.

Usage: cf_sample.py [--data DIR] [--out DIR]
"""
import argparse
import collections
import gzip
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def rows(path):
    with gzip.open(path, "rt") as f:
        for line in f:
            yield line.rstrip("\n").split("\t")


def sample(path, users, items, seed, out, min_items):
    data = list(rows(path))
    reach = collections.Counter(i for _, i, _ in data)
    top = {i for i, _ in reach.most_common(items)}
    by_user = collections.defaultdict(list)
    for u, i, w in data:
        if i in top:
            by_user[u].append((i, w))
    eligible = sorted(u for u, its in by_user.items() if len(its) >= min_items)
    chosen = random.Random(seed).sample(eligible, users)
    with open(out, "w") as f:
        for n, u in enumerate(chosen):
            for i, w in by_user[u]:
                f.write(f"u{n}\t{i}\t{w}\n")
    return sum(len(by_user[u]) for u in chosen)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "cf-dev"))
    ap.add_argument("--out", default=os.path.join(ROOT, "tests", "fixtures", "cf"))
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    n = sample(os.path.join(a.data, "hetrec-train.tsv.gz"), 45, 100, 7,
               os.path.join(a.out, "hetrec-sample.tsv"), 5)
    m = sample(os.path.join(a.data, "mpd-train.tsv.gz"), 30, 100, 7,
               os.path.join(a.out, "mpd-sample.tsv"), 8)
    t = sample_tags(os.path.join(a.data, "hetrec-artist-tags.tsv.gz"),
                    os.path.join(a.out, "hetrec-sample.tsv"),
                    os.path.join(a.out, "hetrec-sample-tags.tsv"), 5)
    print(f"hetrec-sample.tsv: {n} rows, hetrec-sample-tags.tsv: {t} rows, mpd-sample.tsv: {m} rows")


def sample_tags(path, sample_path, out, per_artist):
    """The `per_artist` most given tags of the artists in the sample."""
    with open(sample_path) as f:
        artists = {line.split("\t")[1] for line in f}
    tags = collections.defaultdict(list)
    rows_ = rows(path)
    next(rows_)  # header
    for a, tag, count in rows_:
        if a in artists:
            tags[a].append((-int(count), tag))
    n = 0
    with open(out, "w") as f:
        for a in sorted(tags, key=int):
            for count, tag in sorted(tags[a])[:per_artist]:
                f.write(f"{a}\t{tag}\t{-count}\n")
                n += 1
    return n


if __name__ == "__main__":
    main()
