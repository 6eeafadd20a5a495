"""Replay choice rules for the verified advice on the KEEL folds of the advice benchmark.

In each training fold of ``bench_advice.py`` (same datasets, classifiers and folds), the
diagnosis's shortlist is verified as ``diagnose(verify=)`` does it (``verify_advice``): every
candidate's inner cross-validated scores and seconds are kept, and every candidate is also
fitted on the whole training fold and scored on the held-out fold. Any rule that picks a
candidate from the inner scores can then be judged on the held-out scores without refitting:

- ``simplest``: the simplest candidate within one standard error of the best (``SIMPLER_FIRST``);
- ``lead``: the diagnosis's method unless it is more than one standard error below the best,
  else the simplest within reach (what ``verify_advice`` does);
- each with shortlists of 4 (as collected) and cut to 3 (the diagnosis's method, one
  alternative, no resampling: ``SHORTLIST_SIZE``); and the diagnosis's method alone.

Printed first: mean regret per dataset x classifier to the best of these policies (needs
nothing else; the README's table). Then, when ``benchmarks/results/advice_scores.csv`` is
there, regret and hit rate against the best mean of the cell over every strategy and policy in
it (the fixed strategies, brute force, the advice). Seconds per fold are the inner
cross-validation's.

Run:  python benchmarks/bench_advice.py          (once, for the saved scores)
      python benchmarks/replay_verification.py   (about 100 minutes on 2 cores; --summary
                                                  reprints from results/verification_scores.csv)
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from dataclasses import replace
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
    scores_of,
    user_model,
)
from keel import POSITIVE, keel_files, parse_keel  # noqa: E402

from smote_diag import diagnose  # noqa: E402
from smote_diag.recommend import SIMPLER_FIRST, fit_or_untuned  # noqa: E402
from smote_diag.verify import _se, shortlisted, verify_advice  # noqa: E402

SAVED = RESULTS / "verification_scores.csv"
COLLECTED = 4  # candidates verified per fold: the rules are replayed on 4 and on 3


def run_cell(path: Path, classifier: str) -> list[dict]:
    """Per training fold and objective: each candidate's inner scores and held-out scores."""
    data = parse_keel(path)
    frame, y = data.X, data.y
    n_splits = min(5, int((y == POSITIVE).sum()))
    folds = StratifiedKFold(n_splits, shuffle=True, random_state=SEED).split(frame, y)
    rows = []
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for fold, (train, test) in enumerate(folds):
            X_train, X_test = frame.iloc[train], frame.iloc[test]
            report = diagnose(X_train, y[train], random_state=SEED, verbose=0)
            for objective in dict.fromkeys(o for o in ADVISED_FOR.values() if o):
                rec = report.with_objective(objective).recommendation
                model = user_model(classifier)
                _, seen = verify_advice(
                    rec,
                    report.advice_inputs,
                    X_train,
                    y[train],
                    model,
                    random_state=SEED,
                    size=COLLECTED,
                )
                if not seen.n_folds:
                    continue
                lead = rec.for_estimator(model)
                candidates, _ = shortlisted(
                    lead, report.advice_inputs, model, rec.n_minority, COLLECTED
                )
                inner = seen.scores.groupby("candidate", sort=False)
                for position, method in enumerate(seen.candidates):
                    scores = inner.get_group(method)
                    fitted = replace(candidates[method], n_minority=rec.n_minority)
                    try:
                        pipe, _ = fit_or_untuned(fitted.pipeline(model), X_train, y[train])
                        outer = scores_of(pipe, X_test, y[test])
                    except Exception:
                        outer = {}
                    for metric in (m for m, o in ADVISED_FOR.items() if o == objective):
                        rows.append(
                            dict(
                                dataset=data.name,
                                classifier=classifier,
                                fold=fold,
                                objective=metric,
                                candidate=method,
                                position=position,
                                inner_mean=scores["score"].mean(),
                                inner_se=_se(scores["score"]),
                                inner_failed=bool(scores["score"].isna().any()),
                                inner_seconds=scores["seconds"].sum(),
                                score=outer.get(metric, np.nan),
                            )
                        )
    return rows


def choose(group: pd.DataFrame, rule: str, size: int) -> pd.Series:
    """The candidate row a rule picks from one fold's shortlist (cut to ``size``)."""
    listed = group.sort_values("position")
    if size < len(listed):  # the first size - 1, then no resampling, as shortlist() cuts
        listed = pd.concat(
            [listed.iloc[: size - 1], listed[listed.candidate == "no_resampling"]]
        ).drop_duplicates("candidate")
    complete = listed[~listed.inner_failed]
    if complete.empty:
        return listed.iloc[0]
    best = complete.loc[complete.inner_mean.idxmax()]
    within = complete[complete.inner_mean >= best.inner_mean - best.inner_se - 1e-12]
    lead = listed.iloc[0]
    if rule == "lead" and lead.candidate in set(within.candidate):
        return lead
    order = within.candidate.map(SIMPLER_FIRST.index)
    return within.loc[order.idxmin()]


def picked_by(rows: pd.DataFrame) -> dict:
    """Per policy, the candidate row it picks in each fold (with the inner seconds spent)."""
    keys = ["dataset", "classifier", "fold", "objective"]
    policies = {}
    for rule in ("simplest", "lead"):
        for size in (4, 3):
            picked = pd.DataFrame([choose(g, rule, size) for _, g in rows.groupby(keys)])
            shortened = rows[(rows.position < size - 1) | (rows.candidate == "no_resampling")]
            seconds = shortened.groupby(keys)["inner_seconds"].sum().rename("seconds")
            policies[f"{rule}_{size}"] = picked.merge(seconds.reset_index(), on=keys)
    policies["diagnosis_only"] = rows[rows.position == 0].assign(seconds=0.0)
    return policies


def relative_summary(rows: pd.DataFrame) -> pd.DataFrame:
    """Mean regret per dataset x classifier to the best of the replayed policies, and the
    inner seconds per fold."""
    cells = []
    for name, picked in picked_by(rows).items():
        mean = picked.groupby(["dataset", "classifier", "objective"]).agg(
            score=("score", "mean"), seconds=("seconds", "mean")
        )
        cells.append(mean.assign(policy=name).reset_index())
    cells = pd.concat(cells)
    best = cells.groupby(["dataset", "classifier", "objective"])["score"].transform("max")
    cells["regret"] = (best - cells["score"]).clip(lower=0)
    return (
        cells.groupby(["objective", "policy"])
        .agg(regret=("regret", "mean"), seconds=("seconds", "mean"))
        .round(4)
    )


def summary(rows: pd.DataFrame) -> pd.DataFrame:
    saved = pd.read_csv(RESULTS / "advice_scores.csv")
    saved = saved[(saved.strategy != "verified") & saved.dataset.isin(rows.dataset.unique())]
    keys = ["dataset", "classifier", "fold", "objective"]
    policies = picked_by(rows)
    table = []
    for name, picked in policies.items():
        extra = picked.assign(strategy=name)[keys + ["strategy", "score", "seconds"]]
        table.append(extra)
    scores = pd.concat([saved] + table, ignore_index=True)
    stats = scores.groupby(keys[:2] + ["objective", "strategy"])["score"].agg(
        mean="mean", se=lambda s: s.std(ddof=1) / np.sqrt(len(s))
    )
    out = []
    for (dataset, classifier, objective), cell in stats.groupby(level=[0, 1, 2]):
        cell = cell.droplevel([0, 1, 2])
        fixed_and_ours = cell.drop(index=list(policies), errors="ignore")
        best = fixed_and_ours["mean"].idxmax()
        top, bar = cell.loc[best, "mean"], cell.loc[best, "mean"] - cell.loc[best, "se"]
        for strategy in [*policies, "brute_force", "advice"]:
            if strategy in cell.index:
                out.append(
                    dict(
                        objective=objective,
                        strategy=strategy,
                        regret=max(top - cell.loc[strategy, "mean"], 0.0),
                        hit=cell.loc[strategy, "mean"] >= bar,
                    )
                )
    cells = pd.DataFrame(out)
    result = cells.groupby(["objective", "strategy"]).agg(
        regret=("regret", "mean"), hit=("hit", "mean")
    )
    spent = scores.groupby(["objective", "strategy"])["seconds"].mean()
    result["seconds"] = spent.reindex(result.index)
    return result.round(4)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None, help="only the first N datasets")
    parser.add_argument("--summary", action="store_true", help="reprint from the saved rows")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if not args.summary:
        files = keel_files(FAMILIES)[: args.limit]
        found = Parallel(n_jobs=args.jobs)(
            delayed(run_cell)(f, c) for f in files for c in CLASSIFIERS
        )
        pd.DataFrame([r for cell in found for r in cell]).to_csv(SAVED, index=False)
    rows = pd.read_csv(SAVED)
    with pd.option_context("display.width", 120):
        print(relative_summary(rows).unstack("objective").to_string())
        if (RESULTS / "advice_scores.csv").exists():
            print()
            print(summary(rows).unstack("objective").to_string())
    print(f"\n{time.perf_counter() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
