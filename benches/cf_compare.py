#!/usr/bin/env python3
"""Taste-model benchmark: Sonare's CF models against the PyPI `implicit` library's ALS and EASE in
numpy, on the same data in the same run; ALS training speed at 64 and 128 factors; and the agreement
between text similarity and co-listening similarity of artists (Sonare's NLP profiles).

Protocol: hyper-parameters of every model are chosen on a validation split carved out of the train
set (benches/cf_data.py), then each model is trained once on the full train set and scored on the
held-out test set. Every model's top-10 lists are scored by the same function (Recall@10, NDCG@10,
HR@10, as `sonare cf eval` defines them); `sonare cf eval` is run too and must agree.

Usage: OPENBLAS_NUM_THREADS=1 cf_compare.py [--data DIR] [--sonare BIN] [--quick] [--no-speed]
(implicit asks for single-threaded BLAS: it parallelises over users itself.)
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import scipy.sparse as sp

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
K = 10
THREADS = 2


def read(path):
    rows = []
    with open(path) as f:
        for line in f:
            u, i, w = line.rstrip("\n").split("\t")
            rows.append((u, i, float(w)))
    return rows


class Split:
    def __init__(self, train_path, test_path):
        self.train_path, self.test_path = train_path, test_path
        train = read(train_path)
        self.users = {u: n for n, u in enumerate(dict.fromkeys(u for u, _, _ in train))}
        self.items = {i: n for n, i in enumerate(dict.fromkeys(i for _, i, _ in train))}
        self.item_names = list(self.items)
        r = [self.users[u] for u, _, _ in train]
        c = [self.items[i] for _, i, _ in train]
        self.X = sp.csr_matrix((np.array([w for _, _, w in train], dtype=np.float32), (r, c)),
                               shape=(len(self.users), len(self.items)))
        self.X.sum_duplicates()
        self.test = {}
        for u, i, _ in read(test_path):
            self.test.setdefault(u, []).append(i)
        self.eval_users = [u for u in self.test if u in self.users]


def score(recs, test, k=K):
    """recs: user -> list of items best first. Same definitions as `sonare cf eval`."""
    recall = ndcg = hits = 0.0
    n = 0
    for user, held in test.items():
        if user not in recs:
            continue
        n += 1
        held_set = set(held)
        found, dcg = 0, 0.0
        for rank, item in enumerate(recs[user][:k]):
            if item in held_set:
                found += 1
                dcg += 1.0 / np.log2(rank + 2)
        ideal = sum(1.0 / np.log2(r + 2) for r in range(min(len(held), k)))
        recall += found / len(held)
        ndcg += dcg / ideal
        hits += found > 0
    return {"recall": recall / n, "ndcg": ndcg / n, "hit_rate": hits / n, "users": n}


def top_k_from_scores(split, scores):
    recs = {}
    X = split.X
    for u in split.eval_users:
        row = split.users[u]
        s = np.array(scores(row), dtype=np.float64)
        s[X.indices[X.indptr[row]:X.indptr[row + 1]]] = -np.inf
        top = np.argpartition(-s, K)[:K]
        top = top[np.argsort(-s[top], kind="stable")]
        recs[u] = [split.item_names[i] for i in top]
    return recs


# --- numpy EASE -------------------------------------------------------------------------------
def ease_numpy(split, lam):
    B = (split.X > 0).astype(np.float64)
    G = (B.T @ B).toarray()
    G[np.diag_indices_from(G)] += lam
    P = np.linalg.inv(G)
    W = -P / np.diag(P)
    W[np.diag_indices_from(W)] = 0.0
    scores = np.asarray(B.tocsr() @ W)  # every listener at once: one sparse × dense product
    return top_k_from_scores(split, lambda row: scores[row])


# --- implicit ALS -----------------------------------------------------------------------------
def single_threaded_blas():
    """implicit parallelises over users itself and asks for single-threaded BLAS."""
    from threadpoolctl import threadpool_limits
    return threadpool_limits(1, "blas")


def implicit_als(split, factors, reg, alpha, iterations=15, seed=42):
    with single_threaded_blas():
        return _implicit_als(split, factors, reg, alpha, iterations, seed)


def _implicit_als(split, factors, reg, alpha, iterations, seed):
    from implicit.cpu.als import AlternatingLeastSquares
    from implicit.nearest_neighbours import bm25_weight
    weighted = bm25_weight(split.X, K1=100, B=0.8).tocsr().astype(np.float32)
    model = AlternatingLeastSquares(factors=factors, regularization=reg, alpha=alpha,
                                    iterations=iterations, num_threads=THREADS, random_state=seed)
    model.fit(weighted, show_progress=False)
    ids = np.array([split.users[u] for u in split.eval_users])
    items, _ = model.recommend(ids, weighted[ids], N=K, filter_already_liked_items=True)
    return {u: [split.item_names[i] for i in row] for u, row in zip(split.eval_users, items)}


def implicit_als_seconds_per_iteration(split, factors, iterations):
    from implicit.cpu.als import AlternatingLeastSquares
    from implicit.nearest_neighbours import bm25_weight
    weighted = bm25_weight(split.X, K1=100, B=0.8).tocsr().astype(np.float32)
    with single_threaded_blas():
        model = AlternatingLeastSquares(factors=factors, iterations=iterations, num_threads=THREADS,
                                        random_state=1, calculate_training_loss=False)
        t = time.perf_counter()
        model.fit(weighted, show_progress=False)
        return (time.perf_counter() - t) / iterations


# --- Sonare -----------------------------------------------------------------------------------
def sonare_flags(model, params):
    flags = ["--model", model, "--threads", str(THREADS)]
    for k, v in params.items():
        flags += [f"--{k}", str(v)]
    return flags


def sonare_recs(bin_, split, model, params):
    with tempfile.TemporaryDirectory() as tmp:
        users = os.path.join(tmp, "users.txt")
        out = os.path.join(tmp, "recs.tsv")
        with open(users, "w") as f:
            f.write("\n".join(split.eval_users) + "\n")
        subprocess.run([bin_, "cf", "recommend", "--train", split.train_path, "--users", users,
                        "--k", str(K), "--out", out] + sonare_flags(model, params), check=True)
        recs = {}
        with open(out) as f:
            for line in f:
                u, i, _ = line.rstrip("\n").split("\t")
                recs.setdefault(u, []).append(i)
        return recs


def sonare_eval(bin_, split, model, params):
    out = subprocess.run([bin_, "cf", "eval", "--train", split.train_path, "--test", split.test_path,
                          "--k", str(K), "--json"] + sonare_flags(model, params),
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def sonare_seconds_per_iteration(bin_, train_path, factors, iterations):
    out = subprocess.run([bin_, "cf", "fit", "--train", train_path, "--model", "als", "--factors",
                          str(factors), "--iterations", str(iterations), "--threads", str(THREADS)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["seconds_per_iteration"]


def text_agreement(bin_, data):
    """NLP: text similarity of artists (their user tags as BM25 vectors) against co-listening
    similarity, through the app's own import of the same data in the HetRec layout."""
    if not os.path.isdir(os.path.join(data, "hetrec")):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([bin_, "--data-dir", tmp, "import", "shared", os.path.join(data, "hetrec"),
                        "--format", "hetrec", "--json"], check=True, capture_output=True)
        out = subprocess.run([bin_, "--data-dir", tmp, "taste", "text-agreement", "--k", "10"],
                             check=True, capture_output=True, text=True).stdout
    return json.loads(out)


GRIDS = {
    "sonare als": [{"factors": 64, "regularization": r, "alpha": a} for r in (0.05, 0.5) for a in (1, 4)],
    "sonare ease": [{"lambda": l, "dropout": d} for l in (100, 200, 500) for d in (0.0, 0.5, 0.75, 0.9)],
    "sonare rp3beta": [{"beta": b, "neighbours": n} for b in (0.3, 0.6) for n in (100, 400)],
    "implicit als": [{"factors": 64, "reg": r, "alpha": a} for r in (0.01, 0.1, 1.0) for a in (1, 4)],
    "numpy ease": [{"lam": l} for l in (50, 100, 200, 300, 500, 1000)],
}


def run_model(name, split, params, bin_):
    if name.startswith("sonare "):
        return sonare_recs(bin_, split, name.split()[1], params)
    if name == "implicit als":
        return implicit_als(split, **params)
    if name == "numpy ease":
        return ease_numpy(split, **params)
    raise ValueError(name)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(ROOT, ".cache", "cf-bench"))
    ap.add_argument("--sonare", default=os.path.join(ROOT, "target", "release", "sonare"))
    ap.add_argument("--quick", action="store_true", help="no tuning grid, fewer timing repeats")
    ap.add_argument("--no-speed", action="store_true", help="quality only")
    a = ap.parse_args()
    ap_speed = not a.no_speed
    if not os.path.exists(os.path.join(a.data, "train.tsv")):
        subprocess.run([sys.executable, os.path.join(HERE, "cf_data.py"), a.data], check=True)
    valid = Split(os.path.join(a.data, "valid_train.tsv"), os.path.join(a.data, "valid_test.tsv"))
    full = Split(os.path.join(a.data, "train.tsv"), os.path.join(a.data, "test.tsv"))
    print(f"data: {full.X.shape[0]} users, {full.X.shape[1]} songs, {full.X.nnz} train interactions, "
          f"{sum(map(len, full.test.values()))} test", flush=True)

    results = {}
    for name, grid in GRIDS.items():
        if a.quick:
            grid = grid[:1]
        best, best_ndcg = None, -1.0
        for params in grid:
            m = score(run_model(name, valid, params, a.sonare), valid.test)
            print(f"  valid {name} {params}: NDCG@10 {m['ndcg']:.4f}", flush=True)
            if m["ndcg"] > best_ndcg:
                best, best_ndcg = params, m["ndcg"]
        t = time.perf_counter()
        m = score(run_model(name, full, best, a.sonare), full.test)
        m["seconds"] = time.perf_counter() - t
        m["params"] = best
        results[name] = m
        print(f"test {name} {best}: NDCG@10 {m['ndcg']:.4f} Recall@10 {m['recall']:.4f} "
              f"HR@10 {m['hit_rate']:.4f} ({m['seconds']:.1f} s)", flush=True)
    # The CLI's own scorer must agree with this one.
    app = min((n for n in results if n.startswith("sonare ")), key=lambda n: -results[n]["ndcg"])
    cli = sonare_eval(a.sonare, full, app.split()[1], results[app]["params"])
    assert abs(cli["ndcg"] - results[app]["ndcg"]) < 1e-9, (cli, results[app])
    print(f"`sonare cf eval` agrees for {app}: NDCG@10 {cli['ndcg']:.4f}")

    print("\nALS seconds per iteration (same BM25-weighted train set, 2 threads, 15 iterations):")
    speed = {}
    for factors in (64, 128) if ap_speed else ():
        reps = 1 if a.quick else 3
        ours = statistics.median(sonare_seconds_per_iteration(a.sonare, full.train_path, factors, 15)
                                 for _ in range(reps))
        theirs = statistics.median(implicit_als_seconds_per_iteration(full, factors, 15)
                                   for _ in range(reps))
        speed[factors] = (ours, theirs)
        print(f"  {factors} factors: sonare {ours * 1000:.1f} ms, implicit {theirs * 1000:.1f} ms "
              f"({theirs / ours:.2f}x)", flush=True)

    agreement = text_agreement(a.sonare, a.data)
    if agreement:
        print(f"\ntext vs co-listening, {agreement['artists']} artists: {agreement['precision']:.3f} of the "
              f"10 nearest by text are among the 10 nearest by co-listening (chance "
              f"{agreement['chance']:.3f}); co-listening cosine "
              f"{agreement['colisten_cosine_text_neighbours']:.3f} for text neighbours, "
              f"{agreement['colisten_cosine_random']:.3f} for random artists")

    print("\n| model | params (chosen on validation) | NDCG@10 | Recall@10 | HR@10 |")
    print("|---|---|---|---|---|")
    for name, m in sorted(results.items(), key=lambda kv: -kv[1]["ndcg"]):
        print(f"| {name} | {m['params']} | {m['ndcg']:.4f} | {m['recall']:.4f} | {m['hit_rate']:.4f} |")
    print("\n| factors | sonare ALS ms/iter | implicit ALS ms/iter | speed-up |")
    print("|---|---|---|---|")
    for f, (o, t) in speed.items():
        print(f"| {f} | {o * 1000:.1f} | {t * 1000:.1f} | {t / o:.2f}x |")
    json.dump({"quality": results, "als_seconds_per_iteration": speed, "text_agreement": agreement},
              open(os.path.join(a.data, "results.json"), "w"), indent=1, default=str)


if __name__ == "__main__":
    main()
