"""Benchmark the noise finding against cleanlab on planted label flips.

Planted truth: a share (0%, 5%, 10%, 20%) of the minority's labels is wrong, made by giving
randomly drawn majority rows the minority label (the class keeps its size; the flipped rows
are the truth). Two sources:

- overlapping Gaussians: the minority N(mu e1, I), the majority N(0, I) in d = 2 or 5
  dimensions, mu set by the balanced Bayes error (1%, 5%, 10%, 20%: mu = -2 Phi^-1(error)),
  imbalance 5:1 to 50:1, 100 minority rows;
- the DEV KEEL datasets (ecoli*, glass*, yeast*) with 20 or more minority rows that stay
  the minority with their flips, their majority rows flipped the same way.

Compared in the same run on the same rows: smote_diag's noise rows (``diagnose()``), and
cleanlab's ``find_label_issues`` on out-of-fold probabilities (stratified 5-fold) of a
logistic regression and of a 10-nearest-neighbour classifier on standardised features (one
hot for categories), restricted to the minority-labelled rows as smote_diag's are.

Printed: precision, recall and F1 of each at the flipped rows per source and flip rate; on
0% flips the share of minority rows flagged and the share of cases graded "ok", cleanlab's
flags graded by the noise finding's own rule (the one-sided 95% Wilson lower bound of the
flagged share below NOISE_WARN_SHARE) beside smote_diag's finding; and the time per dataset.

Run:  pip install ".[benchmark]"
      python benchmarks/bench_noise.py            (about 2 minutes on 2 cores; --quick: about 30 s)
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from scipy.stats import norm
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).parent))
from keel import POSITIVE, keel_files, parse_keel  # noqa: E402

from smote_diag import diagnose  # noqa: E402
from smote_diag.diagnostics import grade  # noqa: E402
from smote_diag.diagnostics import thresholds as T  # noqa: E402
from smote_diag.diagnostics.noise import wilson_lower  # noqa: E402

RATES = (0.0, 0.05, 0.10, 0.20)
BAYES_ERRORS = (0.01, 0.05, 0.10, 0.20)
IMBALANCES = (5, 10, 30, 50)
DIMENSIONS = (2, 5)
FAMILIES = ("ecoli", "glass", "yeast")
MIN_MINORITY = 20
SEEDS = (0, 1)


def flip(y: np.ndarray, rate: float, rng) -> tuple[np.ndarray, np.ndarray]:
    """Give ``rate`` x n_minority majority rows the minority label (1): the wrong labels."""
    y = y.copy()
    wrong = np.zeros(len(y), dtype=bool)
    n_flip = int(round(rate * (y == 1).sum()))
    if n_flip:
        chosen = rng.choice(np.flatnonzero(y == 0), n_flip, replace=False)
        y[chosen] = 1
        wrong[chosen] = True
    return y, wrong


def gaussians(error: float, imbalance: int, d: int, rate: float, seed: int):
    """100 minority-labelled rows of which ``rate`` are majority rows; ``imbalance`` x 100
    majority rows."""
    rng = np.random.default_rng(seed)
    mu = -2 * norm.ppf(error)
    n_min = 100
    n_wrong = int(round(rate * n_min))
    X_min = rng.normal(size=(n_min - n_wrong, d))
    X_min[:, 0] += mu
    X_maj = rng.normal(size=(imbalance * n_min + n_wrong, d))
    X = np.vstack([X_min, X_maj])
    y = np.r_[np.ones(len(X_min), int), np.zeros(len(X_maj), int)]
    wrong = np.zeros(len(y), dtype=bool)
    chosen = rng.choice(np.arange(len(X_min), len(y)), n_wrong, replace=False)
    y[chosen] = 1
    wrong[chosen] = True
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(d)])
    return frame, y, wrong


def keel_case(path: Path, rate: float, seed: int):
    data = parse_keel(path)
    y = (data.y == POSITIVE).astype(int)
    y, wrong = flip(y, rate, np.random.default_rng(seed))
    return data.X.reset_index(drop=True), y, wrong


def cleanlab_issues(X: pd.DataFrame, y: np.ndarray, model) -> np.ndarray:
    from cleanlab.filter import find_label_issues

    Z = pd.get_dummies(X, dummy_na=False).astype(float)
    Z = StandardScaler().fit_transform(Z.fillna(Z.median()))
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    proba = cross_val_predict(model, Z, y, cv=cv, method="predict_proba")
    return find_label_issues(y, proba, n_jobs=1) & (y == 1)


def smote_diag_issues(X: pd.DataFrame, y: np.ndarray) -> tuple[np.ndarray, str]:
    report = diagnose(X, y, random_state=0)
    finding = next(f for f in report.findings if f.kind == "noise")
    flagged = np.zeros(len(y), dtype=bool)
    flagged[list(finding.rows)] = True
    return flagged, finding.severity


def graded(flagged: np.ndarray, minority: np.ndarray) -> tuple[np.ndarray, str]:
    """The flags with the grade the noise finding would give their share."""
    lower = wilson_lower(int(flagged.sum()), int(minority.sum()))
    return flagged, grade(lower, T.NOISE_WARN_SHARE, T.NOISE_SEVERE_SHARE)


def scores(flagged: np.ndarray, wrong: np.ndarray, minority: np.ndarray) -> dict:
    tp = int((flagged & wrong).sum())
    n_flagged, n_wrong = int(flagged.sum()), int(wrong.sum())
    precision = tp / n_flagged if n_flagged else (1.0 if not n_wrong else 0.0)
    recall = tp / n_wrong if n_wrong else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "flagged_share": n_flagged / max(int(minority.sum()), 1),
    }


def run_case(source: str, case: str, rate: float, make) -> list[dict]:
    warnings.filterwarnings("ignore")
    with threadpool_limits(1):
        X, y, wrong = make()
        minority = y == 1
        methods = {
            "cleanlab_logistic": lambda: graded(
                cleanlab_issues(X, y, LogisticRegression(max_iter=2000)), minority
            ),
            "cleanlab_knn": lambda: graded(
                cleanlab_issues(X, y, KNeighborsClassifier(10)), minority
            ),
            "smote_diag": lambda: smote_diag_issues(X, y),
        }
        out = []
        for method, find in methods.items():
            start = time.perf_counter()
            flagged, severity = find()
            seconds = time.perf_counter() - start
            out.append(
                {
                    "source": source,
                    "case": case,
                    "rate": rate,
                    "method": method,
                    "severity": severity,
                    "seconds": seconds,
                    **scores(flagged, wrong, minority),
                }
            )
        return out


def tasks(quick: bool, sources=("gaussians", "keel")):
    seeds = SEEDS[:1] if quick else SEEDS
    for error in BAYES_ERRORS if "gaussians" in sources else ():
        for imbalance in IMBALANCES:
            for d in DIMENSIONS[:1] if quick else DIMENSIONS:
                for rate in RATES:
                    for seed in seeds:
                        name = f"err{error:g}-ir{imbalance}-d{d}-s{seed}"
                        s = seed * 7919 + int(error * 1000) * 31 + imbalance * 3 + d
                        yield (
                            "gaussians",
                            name,
                            rate,
                            (
                                lambda e=error, i=imbalance, dd=d, r=rate, ss=s: gaussians(
                                    e, i, dd, r, ss
                                )
                            ),
                        )
    for path in keel_files(FAMILIES) if "keel" in sources else ():
        y = parse_keel(path).y
        n_positive = int((y == POSITIVE).sum())
        # the positive class must stay the minority with its flips (in ecoli-0_vs_1 it is
        # the larger class: the finding is then about the other one)
        if n_positive < MIN_MINORITY or n_positive * (1 + max(RATES)) >= len(y) - n_positive:
            continue
        for rate in RATES:
            for seed in seeds:
                yield (
                    "keel",
                    f"{path.stem}-s{seed}",
                    rate,
                    (lambda p=path, r=rate, ss=seed: keel_case(p, r, ss)),
                )


def summarise(results: pd.DataFrame) -> None:
    pd.set_option("display.width", 200)
    flipped = results[results.rate > 0]
    table = flipped.pivot_table(
        index=["source", "rate"], columns="method", values="f1", aggfunc="mean"
    )
    print("\nF1 of the flagged rows at the flipped rows (mean over cases):")
    print(table.round(3).to_string())
    detail = flipped.groupby(["source", "method"])[["precision", "recall", "f1"]].mean()
    print("\nPrecision / recall / F1 over all flip rates:")
    print(detail.round(3).to_string())
    clean = results[results.rate == 0]
    print("\nNo flips: share of the minority flagged (mean):")
    print(
        clean.pivot_table(index="source", columns="method", values="flagged_share", aggfunc="mean")
        .round(3)
        .to_string()
    )
    ok = clean.pivot_table(
        index="source",
        columns="method",
        values="severity",
        aggfunc=lambda s: float((s == "ok").mean()),
    )
    print("\nNo flips: share of cases graded ok (cleanlab's flags by the same rule):")
    print(ok.round(3).to_string())
    seconds = results.groupby("method")["seconds"].mean()
    print("\nMean seconds per case:", seconds.round(3).to_dict())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="one seed, d = 2 only")
    parser.add_argument(
        "--source", choices=("gaussians", "keel"), default=None, help="only one source"
    )
    args = parser.parse_args(argv)
    todo = list(tasks(args.quick, (args.source,) if args.source else ("gaussians", "keel")))
    print(f"{len(todo)} cases, {args.jobs} jobs", file=sys.stderr)
    start = time.perf_counter()
    records = Parallel(n_jobs=args.jobs)(
        delayed(run_case)(source, case, rate, make) for source, case, rate, make in todo
    )
    results = pd.DataFrame([r for case in records for r in case])
    summarise(results)
    print(f"\n{time.perf_counter() - start:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
