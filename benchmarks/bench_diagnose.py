"""Time diagnose() next to imbalanced-learn's SMOTE().fit_resample on the same data.

Both run in the same process, alternating, so the ratio is fair on a busy machine.

Run:  python benchmarks/bench_diagnose.py [--rows 100000] [--features 30] [--repeats 3]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from imblearn.over_sampling import SMOTE
from sklearn.neighbors import NearestNeighbors

from smote_diag import diagnose


def make_data(n_rows: int, n_features: int, minority_share: float, seed: int):
    """Gaussian majority, a shifted Gaussian minority: the shape of fraud or fault data."""
    rng = np.random.default_rng(seed)
    n_min = int(round(minority_share * n_rows))
    X = rng.standard_normal((n_rows, n_features))
    X[:n_min] += 1.0
    y = np.zeros(n_rows, dtype=int)
    y[:n_min] = 1
    return X, y


def best_of(func, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--features", type=int, default=30)
    parser.add_argument("--minority-share", type=float, default=0.01)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)

    X, y = make_data(args.rows, args.features, args.minority_share, seed=0)
    minority = X[y == 1]

    def floor():
        """The bare minority-side query every diagnosis needs: 5 neighbours in all rows."""
        NearestNeighbors(n_neighbors=6).fit(X).kneighbors(minority)

    results = {"smote": [], "floor": [], "diagnose": []}
    for _ in range(args.repeats):  # alternate the three
        results["smote"].append(best_of(lambda: SMOTE(random_state=0).fit_resample(X, y), 1))
        results["floor"].append(best_of(floor, 1))
        results["diagnose"].append(best_of(lambda: diagnose(X, y, random_state=0, verbose=0), 1))
    smote, base, diag = (min(results[k]) for k in ("smote", "floor", "diagnose"))
    print(
        f"{args.rows:,} rows x {args.features} features, {args.minority_share:.0%} minority, "
        f"best of {args.repeats}:"
    )
    print(f"  imblearn SMOTE().fit_resample : {smote:7.2f} s")
    print(f"  minority-side 5-NN query      : {base:7.2f} s")
    print(f"  smote_diag.diagnose()         : {diag:7.2f} s")
    print(f"  ratio diagnose / SMOTE        : {diag / smote:7.1f}x")
    print(f"  ratio diagnose / 5-NN query   : {diag / base:7.1f}x")


if __name__ == "__main__":
    main()
