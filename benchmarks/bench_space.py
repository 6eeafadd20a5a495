"""Does the report's figure about SMOTE match the SMOTE that runs?

For each dataset and seed: the report's estimate of the share of plain SMOTE's points in
majority territory (``overlap`` evidence ``smote_majority_share``, with its standard error),
the share ``resample(method="smote").check()`` (SMOTE-NC with categories) measures on the
real SMOTE smote_diag runs (its neighbours in the diagnosis's space), and, side by side, the
share of the points of imbalanced-learn's ``SMOTE`` run on the raw columns (what a user
calling ``SMOTE().fit_resample(X, y)``, or SMOTENC, gets), measured by the same territory
test in the same space.

Data: the bundled demo (``rpm`` in the thousands), make_unit_mismatch (x1 in thousandths),
make_bridged_groups with x0 in thousandths, and the two KEEL files in tests/data/keel.

Run:  python benchmarks/bench_space.py            (about a minute; --seeds N)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).parent))
from keel import parse_keel  # noqa: E402

import smote_diag  # noqa: E402
from smote_diag.diagnose import run_diagnosis  # noqa: E402
from smote_diag.diagnostics.minority_clustering import territory_of  # noqa: E402
from smote_diag.resample import resample_diagnosed  # noqa: E402


def datasets():
    from smote_diag import datasets as planted

    yield "demo", smote_diag.load_demo(), "status"
    data = planted.make_unit_mismatch(random_state=0)
    yield "unit mismatch (x1 / 1000)", data.frame, data.target
    data = planted.make_bridged_groups(random_state=0)
    frame = data.frame.assign(x0=data.frame["x0"] * 0.001)
    yield "bridged groups (x0 / 1000)", frame, data.target
    for path in sorted((ROOT / "tests" / "data" / "keel").glob("*.dat")):
        keel = parse_keel(path)
        yield f"KEEL {keel.name}", keel.frame, keel.target


def raw_smote_share(ctx, frame, target, seed) -> float:
    """imbalanced-learn's SMOTE on the raw columns (missing values at the median), its points
    measured in the diagnosis's space."""
    from imblearn.over_sampling import SMOTE, SMOTENC

    checked = ctx.checked
    X = frame[list(checked.X.columns)]
    categorical = list(checked.kinds.categorical)
    numeric = [c for c in X.columns if c not in categorical]
    X = X.fillna({c: X[c].median() for c in numeric})
    y = frame[target].to_numpy()
    sampler = SMOTENC(categorical, random_state=seed) if categorical else SMOTE(random_state=seed)
    X_res, y_res = sampler.fit_resample(X, y)
    new = X_res.iloc[len(X) :]
    code = checked.minority_codes[0]
    points = ctx.space.transform(new[y_res[len(X) :] == checked.classes[code]])
    return float(territory_of(ctx.graph.class_counts_near(points, code)).mean())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=8)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    rows = []
    for name, frame, target in datasets():
        for seed in range(args.seeds):
            report, ctx = run_diagnosis(
                frame,
                target,
                objective="balanced_accuracy",
                k_neighbors=5,
                random_state=seed,
                n_jobs=None,
                verbose=0,
            )
            e = report.finding("overlap").evidence
            result = resample_diagnosed(
                frame,
                report,
                ctx,
                method="smote_nc" if ctx.checked.kinds.categorical else "smote",
                k_neighbors=5,
                random_state=seed,
                sampler_params={},
            )
            measured = result.check().classes[0]
            se_check = np.sqrt(measured.majority_share * (1 - measured.majority_share))
            se_check /= np.sqrt(measured.n_measured)
            gap = abs(e["smote_majority_share"] - measured.majority_share)
            rows.append(
                dict(
                    dataset=name,
                    seed=seed,
                    report=e["smote_majority_share"],
                    report_se=e["smote_majority_share_se"],
                    check=measured.majority_share,
                    gap_in_se=gap / max(np.hypot(e["smote_majority_share_se"], se_check), 1e-12),
                    raw_smote=raw_smote_share(ctx, frame, target, seed),
                )
            )
    table = pd.DataFrame(rows)
    summary = table.groupby("dataset", sort=False).agg(
        report=("report", "mean"),
        report_se=("report_se", "mean"),
        check=("check", "mean"),
        largest_gap_in_se=("gap_in_se", "max"),
        imblearn_raw_smote=("raw_smote", "mean"),
    )
    print(
        f"Share of plain SMOTE's points in majority territory, mean over {args.seeds} seeds: the "
        "report's estimate (and its standard error), resample(method='smote').check(), and "
        "imbalanced-learn's SMOTE on the raw columns; largest_gap_in_se is the largest "
        "|report - check| over seeds in standard errors of the difference.\n"
    )
    print(summary.round(3).to_string())
    seed0 = table[(table.dataset == "demo") & (table.seed == 0)].iloc[0]
    print(
        f"\ndemo, seed 0: report {seed0.report:.1%} (standard error {seed0.report_se:.1%}), "
        f"check {seed0.check:.1%}"
    )
    print(f"\n{time.perf_counter() - start:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
