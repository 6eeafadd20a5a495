"""Verified advice: the diagnosis's shortlist checked by a quick cross-validation.

The diagnosis names a method and the alternatives its findings allow (``shortlist``); this
module fits each of them with the user's estimator on stratified training folds of the data
diagnosed, scores the held-out fold on the objective, and keeps the diagnosis's method when
it is within one standard error of the best, else the simplest strategy within it
(``SIMPLER_FIRST``). Every resampling happens inside a
training fold: the candidates are the same pipelines ``rec.pipeline(estimator)`` builds.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ._jsonable import to_jsonable
from ._progress import progress
from .evaluate import METRIC_NAMES, _standard_error
from .recommend import (
    NEEDS_K_PLUS_ONE,
    SHORTLIST_SIZE,
    SIMPLER_FIRST,
    Recommendation,
    _final_estimator,
    estimator_family,
    fit_or_untuned,
    objective_metric,
    pipeline_sentence,
    shortlist,
)

# Folds of the verification: 3, as in the inner loop of the brute-force selection it
# replaces (fewer when the smallest class has fewer rows).
VERIFY_FOLDS = 3
# Verification.scores: one row per candidate x fold
SCORE_COLUMNS = ["candidate", "fold", "score", "seconds"]


@dataclass(frozen=True, eq=False)
class Verification:
    """What a verification compared, the scores it saw and what it chose.

    Attributes
    ----------
    objective : str
    metric : str
        What the folds were scored on (``recommend.objective_metric``, as ``rec.scorer()``).
    estimator : str
        The estimator the strategies were fitted with.
    candidates : tuple of str
        The methods compared, the diagnosis's first ("no_resampling" is the estimator with
        the objective's decision layer: a tuned threshold, class weights or as it is).
    applied : tuple of str
        What each candidate applies with this estimator (``Recommendation.strategy``).
    scores : DataFrame
        One row per candidate x fold (columns candidate, fold, score, and the seconds its
        fit and scoring took); NaN score where it failed.
    diagnosed, chosen : str
        The diagnosis's method, and the verified one.
    n_folds : int
        0 when nothing was verified (``notes`` say why).
    seconds : float
    notes : tuple of str

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from smote_diag import diagnose
    >>> from smote_diag.datasets import make_bridged_groups
    >>> data = make_bridged_groups(random_state=0)
    >>> report = diagnose(data.frame, "label", verify=LogisticRegression(), random_state=0,
    ...                   verbose=0)
    >>> report.verification.candidates
    ('cluster_smote', 'smote', 'no_resampling')
    >>> report.recommendation.method == report.verification.chosen
    True
    """

    objective: str
    metric: str
    estimator: str
    candidates: tuple
    applied: tuple
    scores: pd.DataFrame
    diagnosed: str
    chosen: str
    n_folds: int
    seconds: float
    notes: tuple = ()

    def summary(self) -> pd.DataFrame:
        """Mean and standard error of the score over folds, per candidate (shortlist order);
        ``within_one_se`` marks the candidates the choice was made among."""
        grouped = self.scores.groupby("candidate", sort=False)["score"]
        table = pd.DataFrame(
            {
                "applies": dict(zip(self.candidates, self.applied)),
                "mean": grouped.mean(),
                "se": grouped.apply(_standard_error),
                "failed": grouped.apply(lambda s: bool(s.isna().any())),
            }
        ).reindex(list(self.candidates))
        table["within_one_se"] = _within_reach(self.scores).reindex(table.index).fillna(False)
        return table

    @property
    def sentence(self) -> str:
        """The verification in words, for the reasons: the scores, then the choice."""
        if not self.n_folds:
            return f"Not verified: {' '.join(self.notes)}"
        name = METRIC_NAMES[self.metric]
        table = self.summary()
        seen = "; ".join(
            f"{method} ({applies}) failed"
            if row["failed"]
            else f"{_label(method, applies)} {row['mean']:.3f} ± {row['se']:.3f}"
            for method, (applies, row) in zip(
                table.index, zip(table["applies"], table.to_dict("records"))
            )
        )
        complete = table[~table["failed"].astype(bool)]
        best = complete["mean"].idxmax() if len(complete) else None
        which = (
            "the diagnosis's method"
            if self.chosen == self.diagnosed
            else f"instead of the diagnosis's {self.diagnosed}"
        )
        tied = best is not None and (complete["mean"] == complete.loc[best, "mean"]).sum() > 1
        if self.chosen == best or (
            tied and complete.loc[self.chosen, "mean"] == complete.loc[best, "mean"]
        ):
            why = "it tied for the best" if tied else "it scored best"
        elif self.chosen == self.diagnosed:
            why = f"within one standard error of the best ({best}), so the diagnosis stands"
        else:
            why = (
                f"the diagnosis's method was more than one standard error below the best "
                f"({best}); the simplest within it"
            )
        return (
            f"Verified with {self.estimator} by {self.n_folds}-fold stratified "
            f"cross-validation on {name} (mean ± standard error over folds): {seen}. "
            f"Chosen: {self.chosen} ({which}), {why}."
        )

    def to_dict(self) -> dict:
        table = self.summary()
        return to_jsonable(
            {
                "objective": self.objective,
                "metric": self.metric,
                "metric_name": METRIC_NAMES[self.metric],
                "estimator": self.estimator,
                "diagnosed": self.diagnosed,
                "chosen": self.chosen,
                "n_folds": self.n_folds,
                "seconds": self.seconds,
                "candidates": [
                    {
                        "method": method,
                        "applies": row["applies"],
                        "mean": row["mean"],
                        "se": row["se"],
                        "failed": row["failed"],
                        "within_one_se": row["within_one_se"],
                    }
                    for method, row in zip(table.index, table.to_dict("records"))
                ],
                "sentence": self.sentence,
                "notes": list(self.notes),
            }
        )

    def __repr__(self) -> str:
        return self.sentence


def verify_advice(
    rec: Recommendation,
    advice_inputs: dict,
    X,
    y,
    estimator,
    *,
    random_state=None,
    verbose=0,
    size: int = SHORTLIST_SIZE,
) -> tuple[Recommendation, Verification]:
    """Check the shortlist of ``rec``'s diagnosis (``size`` candidates) by cross-validation
    with ``estimator`` on ``X``, ``y`` (the rows diagnosed); return the verified
    recommendation and what was seen.

    The verified recommendation applies the chosen method with the sampler whatever the
    estimator (``tailor=False``: the cross-validation measured it with this estimator), and
    its first reason is the verification's sentence.
    """
    from sklearn.base import clone
    from sklearn.metrics import get_scorer
    from sklearn.model_selection import StratifiedKFold

    started = time.perf_counter()
    name = _estimator_name(estimator)
    y = np.asarray(y)
    classes, counts = np.unique(y, return_counts=True)
    if rec.rule == "preresampled":
        why = (
            "the data holds synthetic rows already, so cross-validation on it would leak (a "
            "synthetic row and its parents in different folds)."
        )
        return rec, _unverified(rec, name, why, started)
    if counts.min() == counts.max():
        why = "no class is smaller than the largest, so there is nothing to compare."
        return rec, _unverified(rec, name, why, started)
    if rec.objective == "probability" and not hasattr(clone(estimator), "predict_proba"):
        why = (
            f"{name} has no predict_proba, and the objective scores predicted probabilities: "
            "pass a classifier that predicts them (e.g. LogisticRegression())."
        )
        return rec, _unverified(rec, name, why, started)
    n_folds = int(min(VERIFY_FOLDS, counts.min()))
    if n_folds < 2:
        return rec, _unverified(
            rec, name, "the smallest class has one row; cross-validation needs two.", started
        )
    splits = list(StratifiedKFold(n_folds, shuffle=True, random_state=random_state).split(X, y))
    training_minority = min(
        int(np.unique(y[train], return_counts=True)[1].min()) for train, _ in splits
    )
    rec = rec.for_estimator(estimator)
    candidates, notes = shortlisted(rec, advice_inputs, estimator, training_minority, size)
    if rec.method not in candidates or len(candidates) < 2:
        # what the folds cannot test is kept as the diagnosis said, not replaced unseen
        why = (
            f"the training folds are too small for {rec.method}, which the whole data allows "
            if rec.method not in candidates
            else "only one strategy fits the training folds "
        )
        return rec, _unverified(rec, name, why + "(" + " ".join(notes) + ").", started)
    scorer = get_scorer(rec.scorer()) if isinstance(rec.scorer(), str) else rec.scorer()
    records = []
    with progress(len(splits) * len(candidates), "verify", verbose) as bar:
        for fold, (train, test) in enumerate(splits):
            X_train, X_test = X.iloc[train], X.iloc[test]
            for method, candidate in candidates.items():
                fit_started = time.perf_counter()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    try:
                        model = candidate.pipeline(clone(estimator))
                        model, _ = fit_or_untuned(model, X_train, y[train])
                        value = float(scorer(model, X_test, y[test]))
                    except Exception as exc:  # the user's estimator may fail its own way
                        notes.append(
                            f"{method} failed in fold {fold + 1}: {type(exc).__name__}: "
                            f"{str(exc).splitlines()[0] if str(exc) else ''}"
                        )
                        value = np.nan
                seconds = time.perf_counter() - fit_started
                records.append(dict(candidate=method, fold=fold, score=value, seconds=seconds))
                bar.update()
    scores = pd.DataFrame(records, columns=SCORE_COLUMNS)
    if scores.loc[scores["candidate"] == rec.method, "score"].isna().any():
        why = (
            f"the diagnosis's method {rec.method} failed in a fold, so the others were not "
            f"compared with it ({' '.join(notes)})."
        )
        return rec, _unverified(rec, name, why, started, scores)
    chosen = _choose(scores, list(candidates), rec.method)
    verification = Verification(
        objective=rec.objective,
        metric=objective_metric(rec.objective, rec.binary),
        estimator=name,
        candidates=tuple(candidates),
        applied=tuple(c.strategy(estimator) for c in candidates.values()),
        scores=scores,
        diagnosed=rec.method,
        chosen=chosen,
        n_folds=n_folds,
        seconds=time.perf_counter() - started,
        notes=tuple(notes),
    )
    verified = candidates[chosen]
    reasons = [verification.sentence]
    if chosen != rec.method:
        reasons.append(f"The diagnosis alone advised {rec.method}: {rec.reasons[0]}")
    else:
        reasons.append(rec.reasons[0])
    reasons.append(pipeline_sentence(chosen, rec.binary, rec.objective, tailor=False))
    reasons += list(rec.reasons[2:])
    verified = replace(
        verified,
        n_minority=rec.n_minority,
        reasons=tuple(reasons),
        rule="verified" if chosen != rec.method else rec.rule,
    )
    return verified, verification


def shortlisted(
    rec: Recommendation,
    advice_inputs: dict,
    estimator,
    training_minority: int,
    size: int = SHORTLIST_SIZE,
) -> tuple[dict, list]:
    """The candidates a verification of ``rec`` (already ``for_estimator(estimator)``)
    compares, as {method: Recommendation}: its method first (with its rule's sampler
    parameters), then the rest of the diagnosis's ``shortlist`` for the estimator's family,
    leaving out what needs k + 1 rows of the smallest class where a training fold
    (``training_minority`` rows) has fewer; and notes saying what was left out."""
    listed = shortlist(
        advice_inputs["class_findings"],
        advice_inputs["data_findings"],
        rec.objective,
        rec.binary,
        family=estimator_family(estimator),
        size=size,
    )
    listed = ((rec.method, rec.sampler_params),) + tuple(
        (m, p) for m, p in listed if m != rec.method
    )
    candidates, notes = {}, []
    for method, params in listed:
        if method in NEEDS_K_PLUS_ONE and training_minority < rec.k_neighbors + 1:
            notes.append(
                f"{method} left out: a training fold's smallest class has {training_minority} "
                f"rows, fewer than k_neighbors + 1 = {rec.k_neighbors + 1}."
            )
            continue
        candidates[method] = replace(
            rec,
            method=method,
            sampler_params=dict(params),
            tailor=False,
            n_minority=training_minority,
        )
    return candidates, notes


def _choose(scores: pd.DataFrame, candidates: list, diagnosed: str) -> str:
    """The diagnosis's method when it is within one standard error of the best
    (``_within_reach``); else the simplest candidate within it, among those that ran in every
    fold (the diagnosis's method when none did).

    Why the diagnosis stands within reach: three folds of a few dozen minority rows rarely
    tell the candidates apart, and there the diagnosis (its findings and the measured family
    defaults) is the better prior than simplicity. Replayed on the advice benchmark's KEEL
    folds (``python benchmarks/replay_verification.py``; regret to the best of the policies
    replayed, per dataset x classifier), keeping the diagnosis within reach lowered average
    precision's mean regret from 0.023 to 0.012 and balanced accuracy's from 0.015 to 0.008,
    cost 0.003 on F1, and left Brier score and log loss as they were."""
    within = _within_reach(scores)
    eligible = list(within.index[within])
    if not eligible or diagnosed in eligible:
        return diagnosed
    means = scores.groupby("candidate", sort=False)["score"].mean()
    return min(
        eligible,
        key=lambda c: (SIMPLER_FIRST.index(c), -means[c], candidates.index(c)),
    )


def _within_reach(scores: pd.DataFrame) -> pd.Series:
    """Per candidate, whether its mean is within one standard error (over folds) of the
    best mean, the best's own error as in Breiman et al.'s rule. A candidate that failed in
    a fold is not. (The error of the paired fold-by-fold difference was tried too: on three
    folds it is often tiny, and made differences of 1e-4 in average precision decide.)"""
    table = scores.pivot(index="fold", columns="candidate", values="score")
    table = table[list(scores["candidate"].unique())]
    complete = table.loc[:, table.notna().all()]
    within = pd.Series(False, index=table.columns)
    if not complete.shape[1]:
        return within
    best = complete.mean().idxmax()
    reach = complete[best].mean() - _se(complete[best])
    for candidate in complete:
        within[candidate] = complete[candidate].mean() >= reach - 1e-12
    return within


def _se(values: pd.Series) -> float:
    se = _standard_error(values)
    return float(se) if np.isfinite(se) else 0.0


def _unverified(rec, name, why, started, scores=None) -> Verification:
    """Nothing verified (``n_folds`` 0): the diagnosis's advice stands, and ``why`` says so."""
    if scores is None:
        scores = pd.DataFrame(columns=SCORE_COLUMNS)
    candidates = tuple(dict.fromkeys([rec.method, *scores["candidate"]]))
    return Verification(
        objective=rec.objective,
        metric=objective_metric(rec.objective, rec.binary),
        estimator=name,
        candidates=candidates,
        applied=candidates,
        scores=scores,
        diagnosed=rec.method,
        chosen=rec.method,
        n_folds=0,
        seconds=time.perf_counter() - started,
        notes=(why[0].upper() + why[1:],),
    )


def _label(method: str, applies: str) -> str:
    return method if applies == method else f"{method} ({applies})"


def _estimator_name(estimator) -> str:
    """The estimator in a few words: its class, or a pipeline's steps' classes."""
    if hasattr(estimator, "steps"):
        return " + ".join(type(step).__name__ for _, step in estimator.steps)
    return type(_final_estimator(estimator)).__name__
