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
from bench_advice import (  # noqa: E402
    ADVISED_FOR,
    CLASSIFIERS,
    FAMILIES,
    RESULTS,
    SEED,
    summarise,
)
from keel import POSITIVE, keel_files, parse_keel  # noqa: E402

from smote_diag import diagnose  # noqa: E402
from smote_diag.diagnostics import thresholds as T  # noqa: E402
from smote_diag.recommend import (  # noqa: E402
    BAGGED_FOR_PROBABILITY,
    FAMILY_METHODS,
    METHODS,
    SIMPLER_FIRST,
    RuleInput,
    _noise,
    _thin_boundary,
    estimator_family,
    family_method,
)

FAMILY_OF = {name: estimator_family(make()) for name, make in CLASSIFIERS.items()}
# the methods a fixed strategy of the benchmark stands for (``as_fixed``)
MEASURED = [m for m in METHODS if m not in ("cluster_smote", "pca_smote", "smote_nc")]
# the metric each objective's family default is chosen on
CHOSEN_ON = {"f1": "f1", "average_precision": "average_precision"}
CHOSEN_ON.update(balanced_accuracy="balanced_accuracy", probability="brier")


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
                        noise=_noise(inp),
                        boundary=_thin_boundary(inp),
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
        # as _balance_estimator: class weights where the estimator has them, else a threshold
        has_weights = "class_weight" in CLASSIFIERS[classifier]().get_params()
        return "class_weight" if has_weights else "threshold"
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


# Methods whose mean regret is within this of the lowest count as tied (the README prints
# three decimals): the simplest of them (SIMPLER_FIRST) is chosen.
TIE = 0.001


def family_defaults(cells: pd.DataFrame, diagnosed: pd.DataFrame) -> pd.DataFrame:
    """How FAMILY_METHODS is chosen. Per objective and family: the method whose fixed
    strategy has the lowest mean regret over the family's cells (the simpler one on a tie),
    with its runner-up. F1 alone is split by minority size (fewer than / at least
    MINORITY_FOR_TUNING rows in every training fold): its no-resampling answer is a tuned
    threshold, which needs the rows. "Other estimators" take the method most of the three
    families take, else the same rule over all three families' cells."""
    large = diagnosed.groupby("dataset")["n_minority"].min() >= T.MINORITY_FOR_TUNING
    regret = cells.set_index(["dataset", "classifier", "objective", "strategy"])["regret"]

    def lowest(per_method: dict) -> tuple:
        means = {m: np.mean(v) for m, v in per_method.items()}
        best = min(means.values())
        method = next(m for m in SIMPLER_FIRST if m in means and means[m] < best + TIE)
        second = min((v, m) for m, v in means.items() if m != method)
        return method, means[method], f"{second[1]} {second[0]:.4f}"

    rows = []
    for objective, metric in CHOSEN_ON.items():
        bands = {"any": large.index}
        if objective == "f1":
            bands = {"small": large.index[~large], "large": large.index[large]}
        for band, datasets in bands.items():
            chosen, pooled = {}, {}
            for classifier, family in FAMILY_OF.items():
                per_method = {}
                for method in MEASURED:
                    keys = [
                        (d, classifier, metric, as_fixed(method, metric, classifier))
                        for d in datasets
                    ]
                    values = regret.reindex(keys)
                    if values.notna().all():
                        per_method[method] = list(values)
                        pooled.setdefault(method, []).extend(values)
                chosen[family] = lowest(per_method)
            picks = [m for m, *_ in chosen.values()]
            majority = max(set(picks), key=picks.count)
            pooled = {m: v for m, v in pooled.items() if len(v) == len(FAMILY_OF) * len(datasets)}
            other = (majority, np.nan, "") if picks.count(majority) > 1 else lowest(pooled)
            chosen[None] = other
            for family, (method, value, runner_up) in chosen.items():
                small, large_method = FAMILY_METHODS[objective][family]
                in_table = {"small": small, "large": large_method}.get(
                    band, small if small == large_method else f"{small} / {large_method}"
                )
                rows.append(
                    dict(
                        objective=objective,
                        minority=f"{band} ({len(datasets)} datasets)",
                        family=family or "other",
                        chosen=method,
                        regret=round(value, 4),
                        runner_up=runner_up,
                        in_table=in_table,
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
    fixed_cells, _ = summarise(scores[~scores.strategy.isin(["advice", "verified", "brute_force"])])
    defaults = family_defaults(fixed_cells, diagnosed)
    print("Family defaults (python benchmarks/replay_rules.py; FAMILY_METHODS in_table):")
    print(defaults.to_string(index=False))
    differ = defaults[defaults.chosen != defaults.in_table]
    print(f"{len(differ)} entries differ from FAMILY_METHODS.\n")
    table = summary.pivot(index="strategy", columns="objective", values="mean_regret")
    hits = summary.pivot(index="strategy", columns="objective", values="hit_rate")
    order = list(POLICIES) + ["smote_bagging", "smote_rus", "smote_enn", "bagging", "brute_force"]
    print("Mean regret (replayed on the saved fold scores):")
    print(table.loc[order].round(4).to_string())
    print("\nWithin-1-SE hit rate:")
    print(hits.loc[order].round(3).to_string())


if __name__ == "__main__":
    main()
