#!/usr/bin/env python3
"""Taste models on real co-listening data (../shared/data/cf-dev): every Sonare model, its tuned
choice (`--model auto`) and the blend, against PyPI `implicit` ALS and numpy EASE / RP3beta / item-kNN,
each tuned with the same budget on the same validation split, in the same run.

Protocol (../shared/data/cf-dev/README.md), cut here from the training files with a fixed seed:
- HetRec Last.fm 2K: every listener with >= 5 artists has 20 % of them hidden at random; NDCG@10
  (binary gains), Recall@10 = hits / min(10, |hidden|), HR@10.
- MPD: 1,000 random playlists with >= 20 tracks keep their first 10 tracks, the rest hidden; the other
  playlists are training data. R-precision (hits in the top |hidden| of a top-100 list / |hidden|),
  NDCG@100, Recall@100.
HetRec's artist tags (hetrec-artist-tags.tsv.gz) are side information: each tag on two or more
training artists becomes a pseudo-listener of its artists ("+ tags" rows; Sonare's
`--item-tags`, the same rows built in numpy for `implicit` and item-kNN).
Each model's grid has the same number of points (BUDGET); the best point on the split is reported with
its standard error over users (s.d. / sqrt(users)). Timing and peak memory come from /usr/bin/time -v
around one process that fits and recommends for every validation user.

Usage: cf_real.py [--data DIR] [--sonare BIN] [--only hetrec|mpd]
       [--models a,b,...] [--out results.json]
Without the data folder it says so and exits 0.
"""
import argparse
import gzip
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
import scipy.sparse as sp

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_DATA = os.path.join(ROOT, "..", "shared", "data", "cf-dev")
SEED = 2026
THREADS = 2


# --- splits -----------------------------------------------------------------------------------
def read_tsv_gz(path, header=False):
    rows = []
    with gzip.open(path, "rt") as f:
        if header:
            next(f)
        for line in f:
            parts = line.rstrip("\n").split("\t")
            rows.append((parts[0], parts[1], float(parts[2])))
    return rows


class Split:
    """Train triples, hidden items per validation user, and the metric's k."""

    def __init__(self, name, train, hidden, k):
        self.name, self.train, self.hidden, self.k = name, train, hidden, k
        self.users = {u: n for n, u in enumerate(dict.fromkeys(u for u, _, _ in train))}
        self.items = {i: n for n, i in enumerate(dict.fromkeys(i for _, i, _ in train))}
        self.item_names = list(self.items)
        r = [self.users[u] for u, _, _ in train]
        c = [self.items[i] for _, i, _ in train]
        X = sp.csr_matrix((np.array([w for _, _, w in train], dtype=np.float64), (r, c)),
                          shape=(len(self.users), len(self.items)))
        X.sum_duplicates()
        self.X = X
        # Items nobody has in training cannot be ranked by any model: they leave the hidden sets.
        self.hidden = {u: [i for i in h if i in self.items] for u, h in hidden.items()}
        self.eval_users = [u for u, h in self.hidden.items() if u in self.users and h]
        self.rows = np.array([self.users[u] for u in self.eval_users])

    tag_pairs = None

    def tag_rows(self):
        """Tags on two or more training items as rows of a binary tag × item matrix (as Sonare's
        `cf::tags::tag_rows`)."""
        ids, r, c = {}, [], []
        for item, tag in dict.fromkeys((i, t) for i, t in self.tag_pairs if i in self.items):
            r.append(ids.setdefault(tag, len(ids)))
            c.append(self.items[item])
        T = sp.csr_matrix((np.ones(len(r)), (r, c)), shape=(len(ids), len(self.items)))
        return T[np.asarray((T > 0).sum(axis=1)).ravel() >= 2]

    def write(self, folder):
        os.makedirs(folder, exist_ok=True)
        self.train_path = os.path.join(folder, "train.tsv")
        self.users_path = os.path.join(folder, "users.txt")
        self.tags_path = None
        if self.tag_pairs is not None:
            self.tags_path = os.path.join(folder, "tags.tsv")
            with open(self.tags_path, "w") as f:
                for item, tag in self.tag_pairs:
                    f.write(f"{item}\t{tag}\n")
        with open(self.train_path, "w") as f:
            for u, i, w in self.train:
                f.write(f"{u}\t{i}\t{w:g}\n")
        with open(self.users_path, "w") as f:
            f.write("\n".join(self.eval_users) + "\n")


def hetrec_split(data, rows=None, seed=SEED):
    """The README's protocol on the HetRec training file (or on `rows`, e.g. a split's own
    training rows, to cut a split one level deeper)."""
    rng = np.random.default_rng(seed)
    by_user = {}
    for u, i, w in rows if rows is not None else read_tsv_gz(os.path.join(data, "hetrec-train.tsv.gz")):
        by_user.setdefault(u, []).append((i, w))
    train, hidden = [], {}
    for u, items in by_user.items():
        if len(items) >= 5:
            order = rng.permutation(len(items))
            cut = max(1, round(0.2 * len(items)))
            hidden[u] = [items[j][0] for j in order[:cut]]
            keep = [items[j] for j in sorted(order[cut:])]
        else:
            keep = items
        train += [(u, i, w) for i, w in keep]
    split = Split("hetrec", train, hidden, 10)
    split.tag_pairs = [(a, t) for a, t, _ in read_tsv_gz(os.path.join(data, "hetrec-artist-tags.tsv.gz"), header=True)]
    return split


def mpd_split(data, playlists=1000):
    rng = np.random.default_rng(SEED)
    by_list = {}
    for p, t, w in read_tsv_gz(os.path.join(data, "mpd-train.tsv.gz")):
        by_list.setdefault(p, []).append(t)
    long_enough = [p for p, ts in by_list.items() if len(ts) >= 20]
    chosen = set(rng.choice(long_enough, size=min(playlists, len(long_enough)), replace=False))
    train, hidden = [], {}
    for p, tracks in by_list.items():
        given = tracks[:10] if p in chosen else tracks
        if p in chosen:
            hidden[p] = list(dict.fromkeys(tracks[10:]))
        train += [(p, t, 1.0) for t in given]
    return Split("mpd", train, hidden, 100)


# --- metrics ----------------------------------------------------------------------------------
def per_user_metrics(split, recs):
    """recs: user -> items best first. Returns per-user arrays of the dataset's metrics."""
    out = {"ndcg": [], "recall": [], "hr": [], "rprec": []}
    for u in split.eval_users:
        held_all = set(split.hidden[u])
        lst = recs.get(u, [])[: split.k]
        flags = [i in held_all for i in lst]
        dcg = sum(1.0 / math.log2(r + 2) for r, f in enumerate(flags) if f)
        ideal = sum(1.0 / math.log2(r + 2) for r in range(min(len(held_all), split.k)))
        hits = sum(flags)
        out["ndcg"].append(dcg / ideal)
        out["recall"].append(hits / min(split.k, len(held_all)))
        out["hr"].append(1.0 if hits else 0.0)
        out["rprec"].append(sum(flags[: len(held_all)]) / len(held_all))
    return {k: np.array(v) for k, v in out.items()}


def main_metric(split):
    return "ndcg" if split.name == "hetrec" else "rprec"


def summary(split, recs):
    m = per_user_metrics(split, recs)
    return {k: (float(v.mean()), float(v.std(ddof=1) / math.sqrt(len(v)))) for k, v in m.items()}


def top_k(split, S, rows):
    """Top-k columns of each row of dense scores S (for users `rows`), train items excluded."""
    X = split.X
    S = np.array(S, dtype=np.float64)
    for n, r in enumerate(rows):
        S[n, X.indices[X.indptr[r]:X.indptr[r + 1]]] = -np.inf
    k = split.k
    top = np.argpartition(-S, k, axis=1)[:, :k]
    order = np.take_along_axis(S, top, axis=1).argsort(axis=1, kind="stable")[:, ::-1]
    return np.take_along_axis(top, order, axis=1)


def batched_recs(split, score_rows, batch=250):
    recs = {}
    for s in range(0, len(split.rows), batch):
        rows = split.rows[s:s + batch]
        top = top_k(split, score_rows(rows), rows)
        for r, t in zip(rows, top):
            recs[split_user(split, r)] = [split.item_names[i] for i in t]
    return recs


def split_user(split, row):
    if not hasattr(split, "_user_of_row"):
        split._user_of_row = {r: u for u, r in zip(split.eval_users, split.rows)}
    return split._user_of_row[row]


# --- references (numpy / implicit) ------------------------------------------------------------
def binary(X):
    B = X.copy()
    B.data[:] = 1.0
    return B


def ref_popular(split):
    pop = np.asarray(binary(split.X).sum(axis=0)).ravel()
    return batched_recs(split, lambda rows: np.tile(pop, (len(rows), 1)))


def ref_ease(split, lam, tags=0.0):
    """EASE in whichever space is smaller: items (primal) or users (Woodbury). With `tags`, the tag
    rows on three or more items join the training rows (as Sonare's EASE takes them)."""
    B = binary(split.X)
    M = B
    if tags:
        T = split.tag_rows()
        M = sp.vstack([B, tags * T[np.asarray(T.sum(axis=1)).ravel() >= 3]]).tocsr()
    m, n = M.shape
    if n <= m:
        G = (M.T @ M).toarray()
        G[np.diag_indices_from(G)] += lam
        P = np.linalg.inv(G)
        W = -P / np.diag(P)
        W[np.diag_indices_from(W)] = 0.0
        return batched_recs(split, lambda rows: B[rows] @ W)
    # P = (λI + MᵀM)⁻¹ = (I - Mᵀ K⁻¹ M) / λ with K = λI + MMᵀ (rows × rows).
    K = (M @ M.T).toarray()
    K[np.diag_indices_from(K)] += lam
    Kinv = np.linalg.inv(K)
    # diag(P)_j = (1 - m_jᵀ K⁻¹ m_j) / λ, a block of item columns at a time.
    Mc = M.tocsc()
    diag = np.empty(n)
    for s0 in range(0, n, 4000):
        block = Mc[:, s0:s0 + 4000]
        quad = np.asarray(block.T.multiply(block.T @ Kinv).sum(axis=1)).ravel()
        diag[s0:s0 + 4000] = (1.0 - quad) / lam

    def scores(rows):
        x = B[rows].toarray()
        xp = (x - (M.T @ (Kinv @ (M @ B[rows].T).toarray())).T) / lam
        return x - xp / diag
    return batched_recs(split, scores)


def ref_rp3(split, alpha, beta, neighbours=200):
    B = binary(split.X)
    pop = np.asarray(B.sum(axis=0)).ravel()
    Pui = sp.diags(1.0 / np.maximum(np.asarray(B.sum(axis=1)).ravel(), 1)) @ B
    Piu = sp.diags(1.0 / np.maximum(pop, 1)) @ B.T.tocsr()
    Pui.data **= alpha
    Piu.data **= alpha
    W = (Piu @ Pui).tocsr()
    W = W @ sp.diags(1.0 / np.maximum(pop, 1) ** beta)
    W = prune(W.tocsr(), neighbours)
    return batched_recs(split, lambda rows: (B[rows] @ W).toarray())


def ref_knn(split, neighbours, shrink, tags=0.0):
    B = binary(split.X)
    M = sp.vstack([B, tags * split.tag_rows()]).tocsr() if tags else B
    G = (M.T @ M).tocsr()
    norm = np.sqrt(G.diagonal())
    G = G.tocoo()
    vals = G.data / (norm[G.row] * norm[G.col] + shrink)
    vals[G.row == G.col] = 0.0
    W = prune(sp.csr_matrix((vals, (G.row, G.col)), shape=G.shape), neighbours)
    return batched_recs(split, lambda rows: (B[rows] @ W).toarray())


def prune(W, k):
    """Keep each row's k largest entries."""
    W = W.tocsr()
    W.eliminate_zeros()
    indptr, indices, data = [0], [], []
    for r in range(W.shape[0]):
        s, e = W.indptr[r], W.indptr[r + 1]
        d, c = W.data[s:e], W.indices[s:e]
        if len(d) > k:
            keep = np.argpartition(-d, k)[:k]
            d, c = d[keep], c[keep]
        indices.append(c)
        data.append(d)
        indptr.append(indptr[-1] + len(d))
    return sp.csr_matrix((np.concatenate(data), np.concatenate(indices), np.array(indptr)),
                         shape=W.shape)


def ref_implicit_als(split, factors, reg, alpha, iterations=15, tags=0.0):
    from threadpoolctl import threadpool_limits
    from implicit.cpu.als import AlternatingLeastSquares
    conf = split.X.copy()
    conf.data = np.log1p(conf.data)
    conf = conf.astype(np.float32).tocsr()
    # Tag pseudo-listeners under the listeners, at confidence 1 + alpha · tags (as Sonare's).
    fit_on = sp.vstack([conf, tags * split.tag_rows()]).astype(np.float32).tocsr() if tags else conf
    with threadpool_limits(1, "blas"):
        model = AlternatingLeastSquares(factors=factors, regularization=reg, alpha=alpha,
                                        iterations=iterations, num_threads=THREADS,
                                        random_state=42, calculate_training_loss=False)
        model.fit(fit_on, show_progress=False)
        items, _ = model.recommend(split.rows, conf[split.rows], N=split.k,
                                   filter_already_liked_items=True)
    return {split_user(split, r): [split.item_names[i] for i in row]
            for r, row in zip(split.rows, items)}


# Equal budget: every model gets BUDGET grid points per dataset, the same points for Sonare and the
# reference of each family. The ranges come from a first, coarser pass (6 points each) whose optima
# sat at these ranges' centres or edges (play counts want a weak EASE λ and a strong ALS L2; binary
# playlists the reverse).
BUDGET = 6
GRIDS = {
    "hetrec": {
        "als": [dict(factors=128, reg=r, alpha=a) for r, a in
                ((20, 4), (50, 2), (50, 4), (50, 8), (100, 4), (100, 8))],
        "ease": [dict(lam=l) for l in (50, 75, 100, 150, 200, 300)],
        "rp3beta": [dict(alpha=a, beta=b) for a in (0.8, 1.0) for b in (0.1, 0.2, 0.3)],
        "item-knn": [dict(neighbours=n, shrink=s) for n in (100, 200, 400) for s in (5, 15)],
        # The same families with the artists' tags as pseudo-listeners: the tag weight around the
        # best untagged point (a first pass in numpy put it near 6 for ALS, 1.5 for EASE, 0.5 for
        # item-kNN; ALS with the tag rows gained from 256 factors, 0.2186 against 0.2148).
        "als + tags": [dict(factors=f, reg=r, alpha=a, tags=t) for f, r, a, t in
                       ((128, 100, 4, 3), (128, 100, 4, 6), (128, 100, 4, 10), (128, 100, 8, 6),
                        (256, 100, 4, 6), (256, 100, 4, 10))],
        "ease + tags": [dict(lam=l, tags=t) for l, t in
                        ((100, 1.0), (100, 1.5), (100, 2.0), (50, 1.5), (200, 1.5), (200, 2.0))],
        "item-knn + tags": [dict(neighbours=n, shrink=s, tags=t) for n, s, t in
                            ((200, 5, 0.25), (200, 5, 0.5), (200, 5, 0.75), (100, 5, 0.5),
                             (400, 5, 0.5), (200, 15, 0.5))],
    },
    "mpd": {
        "als": [dict(factors=128, reg=r, alpha=a) for r, a in
                ((5, 10), (5, 20), (5, 40), (1, 20), (15, 20), (15, 40))],
        "ease": [dict(lam=l) for l in (800, 1200, 1600, 2400, 3200, 5000)],
        "rp3beta": [dict(alpha=a, beta=b) for a in (0.6, 0.8) for b in (0.05, 0.15, 0.25)],
        "item-knn": [dict(neighbours=n, shrink=s) for n in (100, 200, 400) for s in (10, 30)],
    },
}
REF_GRIDS = {name: {f"{lib} {family}": grid for family, grid in families.items()
                    for lib in [("implicit" if family.startswith("als") else "numpy")]}
             for name, families in GRIDS.items()}


def family_model(family):
    """The `sonare cf recommend --model` of a grid family."""
    return family.removesuffix(" + tags")


def sonare_params(family, p):
    """The reference grid point as `sonare cf recommend` flags."""
    if family == "als + tags":
        return dict(sonare_params("als", p), tags=p["tags"])
    if family == "als":
        return dict(factors=p["factors"], regularization=p["reg"], alpha=p["alpha"], weighting="log")
    if family == "ease + tags":
        return dict(sonare_params("ease", p), tags=p["tags"])
    if family == "ease":
        return {"lambda": p["lam"], "dropout": 0}
    if family == "rp3beta":
        return {"rp3-alpha": p["alpha"], "beta": p["beta"], "neighbours": 200}
    return dict(p)


REF_FN = {"implicit als": ref_implicit_als, "numpy ease": ref_ease, "numpy rp3beta": ref_rp3,
          "numpy item-knn": ref_knn, "implicit als + tags": ref_implicit_als, "numpy ease + tags": ref_ease,
          "numpy item-knn + tags": ref_knn}


# --- Sonare -----------------------------------------------------------------------------------
def timed(cmd):
    """Runs cmd under /usr/bin/time -v: (stdout, seconds, peak RSS MB)."""
    t = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
    secs = time.perf_counter() - t
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{p.stderr[-3000:]}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1)) / 1024
    return p.stdout, secs, rss


def sonare_recs(bin_, split, model, params, tmp):
    out = os.path.join(tmp, "recs.tsv")
    cmd = [bin_, "cf", "recommend", "--train", split.train_path, "--users", split.users_path,
           "--k", str(split.k), "--out", out, "--model", model, "--threads", str(THREADS)]
    if split.tags_path:
        cmd += ["--item-tags", split.tags_path]
    for k, v in params.items():
        cmd += [f"--{k}"] + ([str(v)] if v != "" else [])
    stdout, secs, rss = timed(cmd)
    recs = {}
    with open(out) as f:
        for line in f:
            u, i, _ = line.rstrip("\n").split("\t")
            recs.setdefault(u, []).append(i)
    return recs, secs, rss, stdout


REF_CHILD = "--reference-child"


def reference_in_child(split_name, data, tmp, name, params):
    """Runs one reference fit+recommend in a child process (for time and peak memory)."""
    out = os.path.join(tmp, "ref.json")
    stdout, secs, rss = timed([sys.executable, os.path.abspath(__file__), REF_CHILD, split_name,
                               data, name, json.dumps(params), out])
    with open(out) as f:
        return json.load(f), secs, rss


def child_main(argv):
    split_name, data, name, params, out = argv
    split = hetrec_split(data) if split_name == "hetrec" else mpd_split(data)
    recs = REF_FN[name](split, **json.loads(params))
    with open(out, "w") as f:
        json.dump(recs, f)


def run_grid(split, label, points, evaluate):
    """Evaluates every point; returns (best point, its summary, all results)."""
    results = []
    for p in points:
        recs, secs, rss = evaluate(p)
        s = summary(split, recs)
        results.append({"params": p, "summary": s, "seconds": secs, "rss_mb": rss,
                        "per_user": per_user_metrics(split, recs)[main_metric(split)].tolist()})
        metric = main_metric(split)
        print(f"  {label:16} {json.dumps(p):70} {metric} {s[metric][0]:.4f} ± {s[metric][1]:.4f}"
              f"  {secs:6.1f} s  {rss:7.0f} MB", flush=True)
    best = max(results, key=lambda r: r["summary"][main_metric(split)][0])
    return best, results


def main():
    if len(sys.argv) > 1 and sys.argv[1] == REF_CHILD:
        return child_main(sys.argv[2:])
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--sonare", default=os.path.join(ROOT, "target", "release", "sonare"))
    ap.add_argument("--only", choices=["hetrec", "mpd"])
    ap.add_argument("--models", help="comma-separated labels to run (default: all)")
    ap.add_argument("--no-reference", action="store_true")
    ap.add_argument("--out")
    a = ap.parse_args()
    if not os.path.exists(os.path.join(a.data, "hetrec-train.tsv.gz")):
        print(f"cf-dev data not found in {a.data}: skipping (see ../shared/data/cf-dev/README.md)")
        return 0
    wanted = set(a.models.split(",")) if a.models else None
    report = {}
    for name in ["hetrec", "mpd"]:
        if a.only and a.only != name:
            continue
        split = hetrec_split(a.data) if name == "hetrec" else mpd_split(a.data)
        print(f"{name}: {split.X.shape[0]} users × {split.X.shape[1]} items, {split.X.nnz} train "
              f"interactions, {len(split.eval_users)} validation users", flush=True)
        report[name] = {}
        with tempfile.TemporaryDirectory() as tmp:
            split.write(tmp)
            if not a.no_reference:
                for label, points in REF_GRIDS[name].items():
                    if wanted and label not in wanted:
                        continue
                    best, results = run_grid(split, label, points,
                                             lambda p: reference_in_child(name, a.data, tmp, label, p))
                    report[name][label] = {"best": best, "all": results}
            for family, points in GRIDS[name].items():
                label = f"sonare {family}"
                if wanted and label not in wanted:
                    continue
                best, results = run_grid(
                    split, label, [sonare_params(family, p) for p in points],
                    lambda p: sonare_recs(a.sonare, split, family_model(family), p, tmp)[:3])
                report[name][label] = {"best": best, "all": results}
            for label, flags in [("sonare auto, single models", {"no-blend": ""}),
                                 ("sonare auto (the app's choice)", {})]:
                if wanted and label not in wanted:
                    continue
                recs, secs, rss, stdout = sonare_recs(a.sonare, split, "auto", flags, tmp)
                tuned = json.loads(stdout.strip().splitlines()[-1])
                print(f"    chose {tuned['winner']['params']} (inner {tuned['metric']} {tuned['winner']['score']:.4f}); "
                      f"runner-up {tuned['runner_up']['params'] if tuned.get('runner_up') else None}",
                      flush=True)
                s = summary(split, recs)
                metric = main_metric(split)
                per_user = per_user_metrics(split, recs)[metric]
                print(f"  {label:16} {'(tuned by sonare on its own inner split)':70} {metric} "
                      f"{s[metric][0]:.4f} ± {s[metric][1]:.4f}  {secs:6.1f} s  {rss:7.0f} MB", flush=True)
                report[name][label] = {"best": {"params": {"chose": tuned["winner"]["params"]},
                                                "summary": s, "seconds": secs, "rss_mb": rss,
                                                "per_user": per_user.tolist()},
                                       "tuned": tuned}
                print_paired(report[name], label, metric)
                # The chosen model alone (what the app trains after tuning): fit + recommend cost.
                recs, fsecs, frss, _ = sonare_recs(a.sonare, split, "auto",
                                                   {"recipe": json.dumps(tuned["winner"]["recipe"])}, tmp)
                assert summary(split, recs)[metric][0] == s[metric][0], "the recipe reproduces the choice"
                print(f"    the chosen model alone: fit + recommend {fsecs:.1f} s, peak {frss:.0f} MB", flush=True)
                report[name][label]["chosen_alone"] = {"seconds": fsecs, "rss_mb": frss}
    print_table(report)
    if a.out:
        with open(a.out, "w") as f:
            json.dump(report, f, indent=1)
    return 0


def print_paired(models, label, metric):
    """The tuned choice minus the best of every other row, paired over the same validation users."""
    mine = np.array(models[label]["best"]["per_user"])
    for other, r in models.items():
        if other == label or "per_user" not in r["best"]:
            continue
        d = mine - np.array(r["best"]["per_user"])
        print(f"    {label} minus {other}: {metric} {d.mean():+.4f} ± {d.std(ddof=1) / math.sqrt(len(d)):.4f}"
              " (paired)", flush=True)


def print_table(report):
    for name, models in report.items():
        metric = "NDCG@10" if name == "hetrec" else "R-precision"
        key = "ndcg" if name == "hetrec" else "rprec"
        print(f"\n{name}: | model | best params | {metric} ± s.e. | Recall | fit + recommend s | peak RSS MB |")
        for label, r in models.items():
            b = r["best"]
            s = b["summary"]
            cost = f"{b['seconds']:.1f} | {b['rss_mb']:.0f}"
            if "chosen_alone" in r:
                c = r["chosen_alone"]
                cost = (f"{b['seconds']:.1f} with tuning, {c['seconds']:.1f} the chosen model | "
                        f"{b['rss_mb']:.0f} / {c['rss_mb']:.0f}")
            print(f"| {label} | {json.dumps(b['params'])} | {s[key][0]:.4f} ± {s[key][1]:.4f} | "
                  f"{s['recall'][0]:.4f} | {cost} |")


if __name__ == "__main__":
    sys.exit(main())
