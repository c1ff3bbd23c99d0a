#!/usr/bin/env python3
"""Generates a world for the Discover Daily offline evaluation (`sonare discover-eval WORLD`).

No real multi-month listening log of a library whose audio we hold ships in a package of the
registries this project may use, so the evaluation runs on a world made here, with planted structure
that each model can see only part of:

* scenes (genres): each has a sound (an embedding centre, a tempo and loudness range) and a name;
* artists belong to one scene and have their own sound within it; albums and tracks belong to artists;
  popularity is long-tailed;
* track metadata names the scene's genre, but noisily (a quarter of tracks carry another genre's name);
* other listeners (the shared co-listening data) play artists from one to three scenes, popular
  ones more;
* the listener has three scenes at first (a fourth arrives after three months, one fades), favourite
  artists, and a personal taste inside each scene (a direction in sound); each day they replay known
  tracks and discover new ones, mostly from favourite artists and tracks that suit their taste,
  sometimes skipping what does not.

Writes OUT/tracks.tsv, embeddings.tsv, shared.tsv, log.tsv in the layout `discover::replay` reads.

Usage: discover_data.py OUT [--days 180] [--seed 11] [--artists 600] [--users 3000]
"""
import argparse
import os

import numpy as np

GENRES = [
    "ambient", "techno", "house", "drum and bass", "dubstep", "trip hop", "hip hop", "jazz",
    "bossa nova", "blues", "soul", "funk", "reggae", "punk", "metal", "indie rock", "shoegaze",
    "folk", "country", "classical", "baroque", "k-pop", "j-pop", "synthwave",
]
WORDS = ["night", "river", "gold", "echo", "glass", "paper", "neon", "summer", "ghost", "stone",
         "velvet", "signal", "garden", "mirror", "static", "harbour", "ember", "orbit", "salt", "wire"]
DIM = 200


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--days", type=int, default=180)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--artists", type=int, default=600)
    ap.add_argument("--users", type=int, default=3000)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    os.makedirs(args.out, exist_ok=True)

    n_scenes = len(GENRES)
    scene_sound = rng.normal(size=(n_scenes, DIM))
    scene_tempo = rng.uniform(70, 170, n_scenes)
    scene_loud = rng.uniform(-20, -6, n_scenes)
    common = rng.normal(size=DIM) * 3.0  # the large shared part every musicnn embedding has

    # Artists, albums, tracks.
    artist_scene = rng.integers(0, n_scenes, args.artists)
    artist_sound = rng.normal(size=(args.artists, DIM))
    artist_pop = rng.pareto(1.2, args.artists) + 0.05
    tracks = []  # (id, artist, album, scene, pop)
    emb = []
    tid = 1
    for a in range(args.artists):
        for album in range(rng.integers(1, 4)):
            for _ in range(rng.integers(3, 8)):
                s = artist_scene[a]
                vec = common + scene_sound[s] * 1.0 + artist_sound[a] * 0.7 + rng.normal(size=DIM) * 0.9
                tracks.append((tid, a, album, s, artist_pop[a] * rng.lognormal(0, 0.5)))
                emb.append(vec)
                tid += 1
    emb = np.array(emb, dtype=np.float32)
    n_tracks = len(tracks)
    t_artist = np.array([t[1] for t in tracks])
    t_scene = np.array([t[3] for t in tracks])
    t_pop = np.array([t[4] for t in tracks])
    unit = emb - emb.mean(axis=0)
    unit /= np.linalg.norm(unit, axis=1, keepdims=True)

    with open(os.path.join(args.out, "tracks.tsv"), "w") as f:
        for i, (t, a, album, s, _) in enumerate(tracks):
            genre = GENRES[s] if rng.random() < 0.75 else GENRES[rng.integers(0, n_scenes)]
            title = " ".join(rng.choice(WORDS, 2))
            tempo = scene_tempo[s] * rng.lognormal(0, 0.08)
            loud = scene_loud[s] + rng.normal(0, 2)
            camelot = 2 * rng.integers(1, 13) + rng.integers(0, 2)
            f.write(f"{t}\tArtist {a}\tAlbum {a}-{album}\t{title}\t{genre}\t{tempo:.1f}\t{camelot}\t{loud:.1f}\n")
    with open(os.path.join(args.out, "embeddings.tsv"), "w") as f:
        for (t, *_), v in zip(tracks, emb):
            f.write(f"{t}\t" + " ".join(f"{x:.3f}" for x in v) + "\n")

    by_scene = [np.flatnonzero(t_scene == s) for s in range(n_scenes)]
    by_artist = [np.flatnonzero(t_artist == a) for a in range(args.artists)]
    scene_artists = [np.flatnonzero(artist_scene == s) for s in range(n_scenes)]

    # Shared co-listening data: other listeners' play counts.
    with open(os.path.join(args.out, "shared.tsv"), "w") as f:
        for u in range(args.users):
            scenes = rng.choice(n_scenes, rng.integers(1, 4), replace=False)
            taste = rng.normal(size=DIM)
            items = {}
            for s in scenes:
                arts = scene_artists[s]
                if len(arts) == 0:
                    continue
                p = artist_pop[arts] / artist_pop[arts].sum()
                for a in rng.choice(arts, min(len(arts), rng.integers(3, 10)), replace=False, p=p):
                    ts = by_artist[a]
                    w = t_pop[ts] * np.exp(0.5 * unit[ts] @ taste / np.sqrt(DIM) * 10)
                    k = min(len(ts), rng.integers(1, 6))
                    for t in rng.choice(ts, k, replace=False, p=w / w.sum()):
                        items[t] = items.get(t, 0) + int(rng.pareto(1.0) * 3) + 1
            for _ in range(rng.integers(0, 6)):  # stray plays outside their scenes
                t = rng.integers(0, n_tracks)
                items[t] = items.get(t, 0) + 1
            for t, c in items.items():
                f.write(f"u{u}\t{tracks[t][0]}\t{c}\n")

    # The listener.
    scenes = list(rng.choice(n_scenes, 4, replace=False))
    active = {scenes[0]: 1.0, scenes[1]: 0.8, scenes[2]: 0.6}
    personal = {s: rng.normal(size=DIM) for s in scenes}
    favourites = set()
    for s in scenes:
        arts = scene_artists[s]
        p = artist_pop[arts] / artist_pop[arts].sum()
        favourites.update(rng.choice(arts, min(3, len(arts)), replace=False, p=p).tolist())
    known = {}  # track index -> plays
    start = 1772323200  # 2026-03-01 00:00 UTC
    rows = []

    def affinity(ts, s):
        d = personal[s] / np.linalg.norm(personal[s])
        return np.exp(4.0 * unit[ts] @ d)

    def discover_one(s):
        if rng.random() < 0.45:
            favs = [a for a in favourites if artist_scene[a] == s]
            if favs:
                a = favs[rng.integers(0, len(favs))]
                ts = np.array([t for t in by_artist[a] if t not in known])
                if len(ts):
                    return ts[rng.integers(0, len(ts))]
        ts = by_scene[s]
        w = t_pop[ts] ** 0.6 * affinity(ts, s)
        w = np.where(np.isin(ts, list(known)), 0, w)
        if w.sum() == 0:
            return None
        return rng.choice(ts, p=w / w.sum())

    for day in range(args.days):
        if day == 90:
            active[scenes[3]] = 0.9
            active[scenes[2]] = 0.15
        for _ in range(rng.poisson(1.3)):
            at = start + day * 86400 + int(rng.uniform(8, 22) * 3600)
            names = list(active)
            p = np.array([active[s] for s in names])
            s = names[rng.choice(len(names), p=p / p.sum())]
            last = None
            for _ in range(rng.integers(6, 18)):
                r = rng.random()
                if last is not None and r < 0.25:
                    # Next on the same album or by the same artist (sessions have structure).
                    ts = by_artist[t_artist[last]]
                    t = ts[rng.integers(0, len(ts))]
                elif known and r < 0.75:
                    ks = [k for k in known if t_scene[k] in active]
                    if not ks:
                        continue
                    w = np.array([known[k] for k in ks], dtype=float) ** 1.2
                    t = ks[rng.choice(len(ks), p=w / w.sum())]
                else:
                    t = discover_one(s)
                    if t is None:
                        continue
                fit = affinity(np.array([t]), t_scene[t])[0] if t_scene[t] in personal else 0.2
                skipped = t not in known and rng.random() < 0.5 / (1 + fit)
                rows.append((at, tracks[t][0], "skipped" if skipped else "completed"))
                at += 30 if skipped else int(rng.uniform(150, 300))
                if not skipped:
                    known[t] = known.get(t, 0) + 1
                    last = t
    with open(os.path.join(args.out, "log.tsv"), "w") as f:
        for at, t, end in rows:
            f.write(f"{at}\t{t}\t{end}\n")
    print(f"{n_tracks} tracks, {args.users} shared listeners, {len(rows)} plays over {args.days} days "
          f"({len(known)} distinct tracks) -> {args.out}")


if __name__ == "__main__":
    main()
