#!/usr/bin/env python3
"""Generates co-listening data with planted structure, in the formats Sonare reads.

No public co-listening dataset ships in a package from the registries this project may use, so the
benchmarks run on data made here: listeners with one to three tastes ("scenes"), artists belonging to a
scene, songs by artists, long-tailed popularity inside each scene and across them, heavy-tailed play
counts, and a share of plays outside the listener's scenes (noise). Artists carry user tags drawn from
their scene's vocabulary plus generic and noisy tags, as Last.fm's do.

Writes to OUT:
  train.tsv / test.tsv / valid_train.tsv / valid_test.tsv   user<TAB>song<TAB>plays (20 % of each
      listener's songs held out for test; 20 % of the rest for validation)
  hetrec/user_artists.dat, artists.dat, tags.dat, user_taggedartists.dat   the same plays summed per
      artist, in the HetRec 2011 Last.fm layout
  scenes.json   the planted scene of every artist (for checks)

Usage: cf_data.py OUT [--users N] [--songs N] [--scenes N] [--seed S]
       cf_data.py OUT --split FILE     (split an existing user<TAB>item<TAB>weight file the same way)
"""
import argparse
import json
import os

import numpy as np


def write_splits(out, rows, rng):
    """Per listener, 20 % of their items held out for test, 20 % of the rest for validation."""
    by_user = {}
    for u, s, c in rows:
        by_user.setdefault(u, []).append((s, c))

    def write(name, triples):
        with open(os.path.join(out, name), "w") as f:
            for u, s, c in triples:
                f.write(f"{u}\t{s}\t{c:g}\n")

    train, test, vtrain, vtest = [], [], [], []
    for u, items in by_user.items():
        items = [items[i] for i in rng.permutation(len(items))]
        n_test = max(1, len(items) // 5)
        held, kept = items[:n_test], items[n_test:]
        test += [(u, s, c) for s, c in held]
        train += [(u, s, c) for s, c in kept]
        n_valid = max(1, len(kept) // 5)
        vtest += [(u, s, c) for s, c in kept[:n_valid]]
        vtrain += [(u, s, c) for s, c in kept[n_valid:]]
    write("train.tsv", train)
    write("test.tsv", test)
    write("valid_train.tsv", vtrain)
    write("valid_test.tsv", vtest)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--users", type=int, default=6000)
    ap.add_argument("--songs", type=int, default=4000)
    ap.add_argument("--scenes", type=int, default=40)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--split", help="split this user<TAB>item<TAB>weight file instead of generating")
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    if a.split:
        os.makedirs(a.out, exist_ok=True)
        rows = []
        with open(a.split) as f:
            for line in f:
                u, i, w = line.rstrip("\n").split("\t")[:3]
                rows.append((u, i, float(w)))
        write_splits(a.out, rows, rng)
        print(f"{len(rows)} interactions split into {a.out}")
        return
    os.makedirs(os.path.join(a.out, "hetrec"), exist_ok=True)

    # Artists: about 4 songs each on average, each artist in one scene; scene sizes vary.
    n_artists = a.songs // 4
    scene_weights = rng.dirichlet(np.full(a.scenes, 2.0))
    artist_scene = rng.choice(a.scenes, size=n_artists, p=scene_weights)
    song_artist = np.concatenate([np.arange(n_artists), rng.integers(0, n_artists, a.songs - n_artists)])
    rng.shuffle(song_artist)
    song_scene = artist_scene[song_artist]
    # Long-tailed popularity (Zipf-like), independent of scene.
    popularity = 1.0 / np.power(rng.permutation(a.songs) + 1.0, 0.8)
    scene_songs = [np.flatnonzero(song_scene == s) for s in range(a.scenes)]
    global_p = popularity / popularity.sum()

    rows = []
    for u in range(a.users):
        k = rng.choice([1, 2, 3], p=[0.5, 0.35, 0.15])
        scenes = rng.choice(a.scenes, size=k, replace=False, p=scene_weights)
        mix = rng.dirichlet(np.ones(k))
        n = int(np.clip(rng.lognormal(3.2, 0.7), 5, 400))
        chosen = set()
        for _ in range(n):
            if rng.random() < 0.15:  # outside the listener's scenes: popularity only
                song = rng.choice(a.songs, p=global_p)
            else:
                s = scenes[rng.choice(k, p=mix)]
                pool = scene_songs[s]
                if len(pool) == 0:
                    continue
                p = popularity[pool] / popularity[pool].sum()
                song = pool[rng.choice(len(pool), p=p)]
            chosen.add(int(song))
        for song in chosen:
            plays = int(rng.zipf(2.0))
            rows.append((u, song, min(plays, 500)))

    write_splits(a.out, [(f"u{u}", f"s{s}", c) for u, s, c in rows], rng)

    # HetRec layout: plays per user and artist; artist names; tags per artist.
    per_artist = {}
    for u, s, c in rows:
        key = (u, int(song_artist[s]))
        per_artist[key] = per_artist.get(key, 0) + c
    h = os.path.join(a.out, "hetrec")
    with open(os.path.join(h, "user_artists.dat"), "w") as f:
        f.write("userID\tartistID\tweight\n")
        for (u, art), c in sorted(per_artist.items()):
            f.write(f"{u}\t{art}\t{c}\n")
    with open(os.path.join(h, "artists.dat"), "w") as f:
        f.write("id\tname\turl\tpictureURL\n")
        for art in range(n_artists):
            f.write(f"{art}\tArtist {art}\thttp://example.invalid/{art}\t\n")
    # Each scene has 6 characteristic tags; artists get 2-5 of them, one generic, and some noise.
    words = [f"style{t}" for t in range(a.scenes * 6)]
    generic = ["seen live", "favorites", "awesome", "love", "good"]
    tag_names = words + generic
    with open(os.path.join(h, "tags.dat"), "w") as f:
        f.write("tagID\ttagValue\n")
        for i, t in enumerate(tag_names):
            f.write(f"{i}\t{t}\n")
    with open(os.path.join(h, "user_taggedartists.dat"), "w") as f:
        f.write("userID\tartistID\ttagID\tday\tmonth\tyear\n")
        for art in range(n_artists):
            s = artist_scene[art]
            own = rng.choice(6, size=rng.integers(2, 6), replace=False) + s * 6
            tags = list(own) + [len(words) + rng.integers(len(generic))]
            if rng.random() < 0.5:
                tags.append(rng.integers(len(words)))  # a tag from another scene
            for t in tags:
                for _ in range(int(rng.integers(1, 4))):
                    f.write(f"{rng.integers(a.users)}\t{art}\t{t}\t1\t1\t2010\n")
    with open(os.path.join(a.out, "scenes.json"), "w") as f:
        json.dump({"artist_scene": artist_scene.tolist()}, f)
    print(f"{a.users} users, {a.songs} songs, {n_artists} artists, {len(rows)} interactions")


if __name__ == "__main__":
    main()
