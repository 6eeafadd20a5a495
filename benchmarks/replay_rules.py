"""Replay advice rules on the advice benchmark's saved fold scores.

Every rule that chooses among fixed strategies can be judged without refitting: in each
training fold, diagnose() once, let the rule choose, and read the chosen strategy's score in
that fold from ``benchmarks/results/advice_scores.csv`` (written by ``bench_advice.py``).
This is how the family defaults (``recommend.FAMILY_METHODS``) were compared with the rules
they replaced: the defaults alone, then each old rule put back in front of them where its
finding fires. The replay scores the benchmark's fixed pipelines (StandardScaler, then the
sampler), a close stand-in for the advice's own pipelines, so its figures differ slightly
from the benchmark's "advice" row.

Run:  python benchmarks/bench_advice.py     (once, for the saved scores)
      python benchmarks/replay_rules.py     (about a minute on 2 cores)
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.model_selection import StratifiedKFold
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).parent))
from bench_advice import ADVISED_FOR, FAMILIES, RESULTS, SEED, summarise  # noqa: E402
from keel import POSITIVE, keel_files, parse_keel  # noqa: E402

from smote_diag import diagnose  # noqa: E402
from smote_diag.diagnostics import thresholds as T  # noqa: E402
from smote_diag.recommend import (  # noqa: E402
    BAGGED_FOR_PROBABILITY,
    PASSES,
    RuleInput,
    _noise,
    _thin_boundary,
    family_method,
)

FAMILY_OF = {"logistic": "linear", "knn": "neighbours", "hgb": "tree_ensemble"}


def facts(path: Path) -> list[dict]:
    """What the replayed rules read, per training fold and objective."""
    data = parse_keel(path)
    n_splits = min(5, int((data.y == POSITIVE).sum()))
    folds = StratifiedKFold(n_splits, shuffle=True, random_state=SEED).split(data.X, data.y)
    out = []
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for fold, (train, _) in enumerate(folds):
            report = diagnose(data.X.iloc[train], data.y[train], random_state=SEED, verbose=0)
            found = report.advice_inputs
            ratio = report.finding("imbalance").evidence["imbalance_ratio"]
            for objective in dict.fromkeys(o for o in ADVISED_FOR.values() if o):
                rec = report.with_objective(objective).recommendation
                inp = RuleInput(found["class_findings"], found["data_findings"], objective)
                out.append(
                    dict(
                        dataset=data.name,
                        fold=fold,
                        objective=objective,
                        rule=rec.rule,
                        method=rec.method,
                        n_minority=rec.n_minority,
                        mild=ratio <= T.IMBALANCE_WARN_RATIO,
                        noise=_noise(inp, PASSES[-1]),
                        boundary=_thin_boundary(inp, PASSES[-1]),
                    )
                )
    return out


def as_fixed(method: str, metric: str, classifier: str) -> str:
    """The benchmark's fixed strategy that stands for ``method`` with ``classifier``."""
    if method in ("cluster_smote", "pca_smote", "smote_nc"):
        return "smote"  # not among the fixed strategies; rare on these families
    if method != "no_resampling":
        return method
    if metric in ("brier", "log_loss"):
        return "bagging" if FAMILY_OF[classifier] in BAGGED_FOR_PROBABILITY else "none"
    if metric == "f1":
        return "threshold"
    if metric == "balanced_accuracy":
        return "threshold" if classifier == "knn" else "class_weight"
    return "none"


def family_default(row, metric, classifier):
    if row["rule"] != "default":  # a finding decided: the replay keeps it
        return row["method"]
    return family_method(row["objective"], FAMILY_OF[classifier], row["n_minority"])


def with_rule(name):
    """The family defaults with one old rule put back in front of them."""

    def policy(row, metric, classifier):
        if row["rule"] == "default":
            if name == "mild imbalance" and row["mild"]:
                return "no_resampling"
            # (a finding that names nothing reads back from the frame as NaN, not None)
            if name == "noise" and isinstance(row["noise"], str):
                return row["noise"]
            if name == "thin boundary" and isinstance(row["boundary"], str):
                return row["boundary"]
        return family_default(row, metric, classifier)

    return policy


POLICIES = {
    "family defaults": family_default,
    "+ mild imbalance -> no resampling": with_rule("mild imbalance"),
    "+ noise -> cleaning": with_rule("noise"),
    "+ thin boundary -> borderline / adasyn": with_rule("thin boundary"),
}


def replay(scores: pd.DataFrame, diagnosed: pd.DataFrame) -> pd.DataFrame:
    fixed = scores[~scores.strategy.isin(["advice", "verified", "brute_force"])]
    lookup = fixed.set_index(["dataset", "classifier", "fold", "objective", "strategy"])["score"]
    rows = []
    for row in diagnosed.to_dict("records"):
        for metric, objective in ADVISED_FOR.items():
            if objective != row["objective"]:
                continue
            for classifier in FAMILY_OF:
                for name, policy in POLICIES.items():
                    strategy = as_fixed(policy(row, metric, classifier), metric, classifier)
                    key = (row["dataset"], classifier, row["fold"], metric)
                    # a strategy that failed in the fold scores as no resampling did
                    value = lookup.get((*key, strategy), lookup.get((*key, "none"), np.nan))
                    rows.append(
                        dict(
                            dataset=row["dataset"],
                            classifier=classifier,
                            fold=row["fold"],
                            strategy=name,
                            objective=metric,
                            score=value,
                        )
                    )
    return pd.DataFrame(rows)


def main():
    scores = pd.read_csv(RESULTS / "advice_scores.csv")
    found = Parallel(n_jobs=2)(delayed(facts)(p) for p in keel_files(FAMILIES))
    diagnosed = pd.DataFrame([r for rs in found for r in rs])
    replayed = replay(scores, diagnosed)
    fixed = scores[~scores.strategy.isin(["advice", "verified"])]
    _, summary = summarise(pd.concat([fixed, replayed]))
    table = summary.pivot(index="strategy", columns="objective", values="mean_regret")
    hits = summary.pivot(index="strategy", columns="objective", values="hit_rate")
    order = list(POLICIES) + ["smote_bagging", "smote_rus", "smote_enn", "bagging", "brute_force"]
    print("Mean regret (replayed on the saved fold scores):")
    print(table.loc[order].round(4).to_string())
    print("\nWithin-1-SE hit rate:")
    print(hits.loc[order].round(3).to_string())


if __name__ == "__main__":
    main()
