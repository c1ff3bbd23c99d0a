#!/usr/bin/env python3
"""How much the HetRec figures depend on how much of the data a split trains on.

The cf-dev README's reference figures train on the whole training file and test on a hidden fifth
that is not in it; a validation split cut from the training file trains on 80 % of it. This script
cuts the validation split (cf_real.py's, seed 2026) and then the same protocol once more inside its
training rows (64 % of the file), and scores the same models on both, in one run: the ratio between
the two levels is the size of the step from the validation split to the README's test split.

Usage: cf_depth.py [--data DIR]
"""
import argparse
import os
import sys

import cf_real as C


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=C.DEFAULT_DATA)
    a = ap.parse_args()
    if not os.path.exists(os.path.join(a.data, "hetrec-train.tsv.gz")):
        print(f"cf-dev data not found in {a.data}: skipping")
        return 0
    validation = C.hetrec_split(a.data)
    deeper = C.hetrec_split(a.data, rows=validation.train, seed=C.SEED + 1)
    models = [("implicit ALS (128, reg 100, α 4)", dict(factors=128, reg=100, alpha=4)),
              ("implicit ALS + tags (weight 6)", dict(factors=128, reg=100, alpha=4, tags=6))]
    print("| model | trains on 64 % (deeper split) | trains on 80 % (validation split) | ratio |")
    print("|---|---|---|---|")
    for label, params in models:
        out = []
        for split in (deeper, validation):
            s = C.summary(split, C.ref_implicit_als(split, **params))["ndcg"]
            out.append(s)
        print(f"| {label} | {out[0][0]:.4f} ± {out[0][1]:.4f} | {out[1][0]:.4f} ± {out[1][1]:.4f} | "
              f"{out[1][0] / out[0][0]:.3f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
