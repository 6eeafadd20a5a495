"""evaluate(): cross-validate the advice next to the usual strategies, leakage-free.

Every resampling and every diagnosis happens inside the training folds: the advice is an
estimator (``AdvisedClassifier``) that diagnoses the rows it is fitted on and fits the
recommended pipeline there; the other strategies are imbalanced-learn pipelines.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.validation import check_is_fitted

from ._format import listed
from ._jsonable import to_jsonable
from ._progress import progress
from ._space import check_scaling
from ._tables import read_tables
from ._validation import check_classifier, check_inputs, check_positive_int, check_seed
from .diagnose import _seed_value, check_objective, diagnose
from .exceptions import InputError, InputTypeError
from .recommend import (
    METHODS,
    Recommendation,
    _final_estimator,
    fit_or_untuned,
    objective_metric,
    threshold_scorer,
    tuned_threshold,
)

METRICS = (
    "average_precision",
    "roc_auc",
    "f1",
    "balanced_accuracy",
    "g_mean",
    "minority_recall",
    "minority_precision",
    "neg_brier_score",
    "neg_log_loss",
)
# The strategies every evaluation compares; user methods are added after them.
BASELINES = ("advice", "no_resampling", "class_weight", "threshold", "smote")


def default_estimator():
    """LogisticRegression in a scaling pipeline: evaluate()'s default model."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))


class AdvisedClassifier(ClassifierMixin, BaseEstimator):
    """A classifier that diagnoses the rows it is fitted on and fits the advice there.

    Inside cross-validation this keeps every diagnosis and every resampling in the training
    folds: ``cross_val_score(AdvisedClassifier(LogisticRegression()), X, y)``.

    Parameters
    ----------
    estimator : scikit-learn classifier, default=None
        The model the advice is applied to (default: ``default_estimator()``).
    objective : str, default="balanced_accuracy"
        One of "f1", "average_precision", "balanced_accuracy", "probability".
    k_neighbors : int, default=5
    random_state : None or int, default=None
    scaling : {"standard", "robust", "none"}, default="standard"
        How numeric columns count in the distances of the diagnosis and its samplers (see
        ``diagnose``).
    impute : bool or None, default=None
        None imputes when the training rows have missing values; True always (use it when
        rows to predict may have missing values that the training rows lack).
    verify : bool, default=False
        Verify the advice on the training rows with the estimator (``diagnose(verify=)``):
        its shortlist cross-validated on 3 folds inside them, the simplest within one
        standard error of the best fitted.

    Attributes
    ----------
    report_ : DiagnosisReport
        The diagnosis of the training rows.
    pipeline_ : imblearn Pipeline
        The fitted advice.
    strategy_ : str
        What the fitted pipeline applies (``Recommendation.strategy``).
    fallback_ : str or None
        Set when threshold tuning was impossible (the model's cross-validated scores were
        constant) and the estimator was fitted untuned.
    classes_ : ndarray

    Examples
    --------
    >>> from sklearn.model_selection import cross_val_score
    >>> from smote_diag.datasets import make_bridged_groups
    >>> data = make_bridged_groups(random_state=0)
    >>> model = AdvisedClassifier(random_state=0)
    >>> scores = cross_val_score(model, data.X, data.y, cv=3, scoring="f1")
    >>> model.fit(data.X, data.y).report_.recommendation.method
    'cluster_smote'
    """

    def __init__(
        self,
        estimator=None,
        *,
        objective="balanced_accuracy",
        k_neighbors=5,
        random_state=None,
        scaling="standard",
        impute=None,
        verify=False,
    ):
        self.estimator = estimator
        self.objective = objective
        self.k_neighbors = k_neighbors
        self.random_state = random_state
        self.scaling = scaling
        self.impute = impute
        self.verify = verify

    def fit(self, X, y):
        X, y, _ = read_tables(X, y)  # polars or pyarrow: read once, as pandas
        estimator = default_estimator() if self.estimator is None else self.estimator
        self.report_ = diagnose(
            X,
            np.asarray(y),
            objective=self.objective,
            k_neighbors=self.k_neighbors,
            random_state=self.random_state,
            scaling=self.scaling,
            verify=estimator if self.verify else None,
            verbose=0,
        )
        rec = self.report_.recommendation
        if self.impute:
            rec = replace(rec, impute=True)
        self.strategy_ = rec.strategy(estimator)
        # Threshold tuning needs varying scores; else the same pipeline, untuned.
        self.pipeline_, untuned = fit_or_untuned(rec.pipeline(estimator), X, y)
        self.fallback_ = "untuned: the cross-validated scores were constant" if untuned else None
        self.classes_ = self.pipeline_.classes_
        return self

    def predict(self, X):
        check_is_fitted(self, "pipeline_")
        return self.pipeline_.predict(read_tables(X, None)[0])

    def predict_proba(self, X):
        check_is_fitted(self, "pipeline_")
        return self.pipeline_.predict_proba(read_tables(X, None)[0])


@dataclass(frozen=True, eq=False)
class EvaluationResult:
    """Cross-validated scores of the advice and the strategies it is compared with.

    Attributes
    ----------
    objective : str
    scores : DataFrame
        One row per strategy x fold x metric (columns strategy, fold, metric, value).
    advice_methods : tuple of str
        The method the advice chose in each fold.
    n_folds : int
    minority_class : object
        The positive class of F1, average precision, recall and precision (binary targets);
        None for multi-class, where average precision, ROC AUC and F1 are macro-averaged
        over all classes, minority recall and precision over the classes smaller than the
        largest.
    estimator : str
    notes : tuple of str
        Strategies that could not run, and folds that failed, with the reason.
    """

    objective: str
    scores: pd.DataFrame
    advice_methods: tuple
    n_folds: int
    minority_class: object
    estimator: str
    notes: tuple = ()

    @property
    def strategies(self) -> tuple:
        return tuple(dict.fromkeys(self.scores["strategy"]))

    @property
    def metric(self) -> str:
        """The metric the objective is judged by (``recommend.objective_metric``)."""
        return objective_metric(self.objective, self.minority_class is not None)

    def to_frame(self) -> pd.DataFrame:
        """Mean and standard error over folds: one row per strategy, columns (metric, stat)."""
        grouped = self.scores.groupby(["strategy", "metric"], sort=False)["value"]
        table = pd.DataFrame({"mean": grouped.mean(), "se": grouped.apply(_standard_error)})
        table = table.unstack("metric").swaplevel(axis=1)
        columns = [(m, s) for m in METRICS for s in ("mean", "se") if (m, s) in table.columns]
        return table.reindex(
            index=list(self.strategies), columns=pd.MultiIndex.from_tuples(columns)
        )

    def best(self, decimals: int | None = None) -> dict:
        """Per metric, the strategies with the highest mean over folds (more than one when
        they tie), for the faces to mark; with ``decimals``, those whose mean rounds to the
        best one's at that many places (the ties a table printed so shows)."""
        frame = self.to_frame()
        out = {}
        for metric in dict.fromkeys(m for m, _ in frame.columns):
            means = frame[(metric, "mean")].dropna()
            if decimals is not None:
                means = means.round(decimals)
            if len(means):
                out[metric] = tuple(means.index[np.isclose(means, means.max(), rtol=0, atol=1e-12)])
        return out

    def difference(self, strategy: str, against: str, metric: str | None = None):
        """Mean and standard error of the per-fold difference ``strategy - against``, over
        the folds where both ran, and how many folds that is. The folds share training rows,
        so this standard error understates the uncertainty (Nadeau & Bengio 2003): read it as
        a floor."""
        metric = metric or self.metric
        values = self.scores[self.scores.metric == metric].pivot(
            index="fold", columns="strategy", values="value"
        )
        diff = (values[strategy] - values[against]).dropna()
        return float(diff.mean()), _standard_error(diff), len(diff)

    @property
    def advice_is(self) -> str | None:
        """The compared strategy the advice was in every fold (e.g. "threshold" when it
        tuned a threshold each time), or None when it was none of them or varied."""
        same = {_compared_strategy(m) for m in self.advice_methods}
        one = same.pop() if len(same) == 1 else None
        return one if one in self.strategies else None

    @property
    def verdict(self) -> str:
        """The advice against plain SMOTE and against the best other strategy, in words,
        each over the folds where both ran; never against the strategy it was itself."""
        metric = self.metric
        name = METRIC_NAMES[metric]
        chosen = pd.Series(self.advice_methods).value_counts()
        methods = ", ".join(f"{m} in {n} of {self.n_folds} folds" for m, n in chosen.items())
        itself = self.advice_is
        if itself is not None:
            methods += f": the {itself} strategy below"
        values = self.scores[self.scores.metric == metric].pivot(
            index="fold", columns="strategy", values="value"
        )
        complete = values.dropna()  # the best other strategy is judged on common folds
        others = [s for s in self.strategies if s not in ("advice", itself)]
        if len(complete) and "advice" in complete:
            # e.g. the threshold under average precision, which does not read a threshold
            same = [s for s in others if np.allclose(complete[s], complete["advice"], 0, 1e-12)]
            if same:
                methods += f"; {', '.join(same)} scored the same on {name} in every fold"
            others = [s for s in others if s not in same]
        best_other = complete[others].mean().idxmax() if others and len(complete) else None
        parts = []
        for against in dict.fromkeys(s for s in ("smote", best_other) if s in others):
            mean, se, n = self.difference("advice", against, metric)
            label = "plain SMOTE" if against == "smote" else f"the best other strategy ({against})"
            if n < 2 or not np.isfinite(se):
                parts.append(f"could not be compared with {label} ({n} fold where both ran)")
            elif abs(mean) <= se:
                parts.append(f"matched {label} on {name} ({mean:+.3f} ± {se:.3f}, {n} folds)")
            else:
                word = "beat" if mean > 0 else "trailed"
                parts.append(f"{word} {label} on {name} by {abs(mean):.3f} ± {se:.3f} ({n} folds)")
        if not parts:
            return f"The advice ({methods}) had no other strategy to be compared with."
        return f"The advice ({methods}) {' and '.join(parts)}."

    def to_dict(self) -> dict:
        frame = self.to_frame()
        return to_jsonable(
            {
                "objective": self.objective,
                "n_folds": self.n_folds,
                "minority_class": self.minority_class,
                "estimator": self.estimator,
                "advice_methods": list(self.advice_methods),
                "advice_is": self.advice_is,
                "verdict": self.verdict,
                "summary": {
                    strategy: {f"{m}_{s}": frame.loc[strategy, (m, s)] for m, s in frame.columns}
                    for strategy in frame.index
                },
                "notes": list(self.notes),
            }
        )

    def plot(self, metric: str | None = None, ax=None):
        """Mean ± standard error of ``metric`` (default: the objective) per strategy."""
        from .plot import plot_evaluation

        return plot_evaluation(self, metric=metric, ax=ax)

    def __repr__(self) -> str:
        from .report import render_evaluation_text

        return render_evaluation_text(self)

    def _repr_mimebundle_(self, include=None, exclude=None):
        from .report import render_evaluation_html, render_evaluation_text

        return {
            "text/plain": render_evaluation_text(self),
            "text/html": render_evaluation_html(self),
        }


def _compared_strategy(advice: str) -> str:
    """The compared strategy an advised strategy (``AdvisedClassifier.strategy_``) is: its
    method, or the way the estimator met the objective without resampling."""
    for words, strategy in (
        ("tuned threshold", "threshold"),
        ("class weights", "class_weight"),
        ("estimator as is", "no_resampling"),
    ):
        if advice.startswith(words):
            return strategy
    return advice


METRIC_NAMES = {
    "average_precision": "average precision",
    "roc_auc": "ROC AUC",
    "f1": "F1",
    "balanced_accuracy": "balanced accuracy",
    "g_mean": "G-mean",
    "minority_recall": "minority recall",
    "minority_precision": "minority precision",
    "neg_brier_score": "Brier score (negated)",
    "neg_log_loss": "log loss (negated)",
}


def evaluate(
    data,
    target=None,
    *,
    estimator=None,
    cv=5,
    objective="balanced_accuracy",
    methods=(),
    k_neighbors=5,
    random_state=None,
    scaling="standard",
    verbose=1,
) -> EvaluationResult:
    """Cross-validate the advice next to no resampling, class weights, a tuned threshold,
    plain SMOTE and any ``methods`` you name, with every diagnosis and every resampling done
    inside the training folds.

    Parameters
    ----------
    data, target
        As for ``diagnose``: a DataFrame (pandas or polars, or a pyarrow Table) and its
        target column's name, or X and y.
    estimator : scikit-learn classifier, default=None
        Default: LogisticRegression in a scaling pipeline (``default_estimator()``).
    cv : int or cross-validation splitter, default=5
        An int means stratified folds, shuffled with ``random_state``; fewer folds when the
        smallest class has fewer rows (said in ``notes``).
    objective : str, default="balanced_accuracy"
        One of "f1", "average_precision", "balanced_accuracy", "probability".
        What the advice optimises, and the metric of the verdict.
    methods : sequence of str, default=()
        Further methods from ``METHODS`` to compare (e.g. ``["borderline_smote", "smote_enn"]``).
    k_neighbors : int, default=5
    random_state : None or int, default=None
    scaling : {"standard", "robust", "none"}, default="standard"
        How numeric columns count in the distances of every diagnosis and every SMOTE-family
        sampler compared (see ``diagnose``).
    verbose : int, default=1

    Returns
    -------
    EvaluationResult

    Examples
    --------
    >>> from smote_diag.datasets import make_flipped_labels
    >>> data = make_flipped_labels(random_state=0)
    >>> result = evaluate(data.frame, "label", cv=3, random_state=0, verbose=0)
    >>> bool(result.to_frame().loc["advice", ("balanced_accuracy", "mean")] > 0.8)
    True
    """
    from sklearn.model_selection import StratifiedKFold

    check_objective(objective)
    check_seed(random_state)
    check_scaling(scaling)
    k_neighbors = check_positive_int(k_neighbors, "k_neighbors")
    data, target, _ = read_tables(data, target)  # polars or pyarrow: read once, as pandas
    checked = check_inputs(data, target, k_neighbors=k_neighbors)
    if isinstance(methods, str):
        methods = (methods,)
    if methods is None or not isinstance(methods, (list, tuple)):
        raise InputTypeError(
            f"methods must be a list of method names, e.g. methods=['smote'], got {methods!r}."
        )
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise InputError(f"Unknown methods {listed(unknown)}. Choose from {list(METHODS)}.")
    X = _features(data, checked)
    # Labels as estimators expect them (a Categorical of ints arrives as objects).
    y = pd.Series(checked.y).infer_objects().to_numpy()
    binary = len(checked.classes) == 2
    positive = checked.classes[-1] if binary else None
    notes = []
    if isinstance(cv, (int, np.integer)) and not isinstance(cv, bool):
        folds = min(check_positive_int(cv, "cv", minimum=2), min(checked.counts))
        if folds < 2:
            raise InputError(
                f"The smallest class has {min(checked.counts)} row; cross-validation needs at "
                "least two rows in every class."
            )
        if folds < cv:
            notes.append(f"{folds} folds instead of {cv}: the smallest class has {folds} rows.")
        splitter = StratifiedKFold(folds, shuffle=True, random_state=random_state)
    elif hasattr(cv, "split") and not isinstance(cv, str):
        splitter = cv
    elif isinstance(cv, (list, tuple)):  # (train, test) index pairs, as scikit-learn takes
        splitter = _GivenSplits(cv)
    else:
        raise InputTypeError(
            "cv must be a number of folds (at least 2), a scikit-learn splitter or a list of "
            f"(train, test) index pairs, got {cv!r}."
        )
    estimator = default_estimator() if estimator is None else estimator
    check_classifier(estimator)
    try:
        splits = list(splitter.split(X, checked.y_codes))
    except (TypeError, ValueError, IndexError) as exc:
        raise InputError(f"cv cannot split this data: {exc}") from None
    training_minority = min(np.bincount(checked.y_codes[train]).min() for train, _ in splits)
    schema = _schema(
        checked, k_neighbors, random_state, binary, positive, training_minority, scaling
    )
    models = _strategies(estimator, schema, objective, methods, k_neighbors, random_state, notes)
    records, advice_methods, failures, warned = [], [], {}, {}
    with progress(len(splits) * len(models), "evaluate", verbose) as bar:
        for fold, (train, test) in enumerate(splits):
            X_train, X_test = _rows(X, train), _rows(X, test)
            for name, model in models.items():
                fitted = clone(model)
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    try:
                        fitted.fit(X_train, y[train])
                        values = _scores(fitted, X_test, y[test], positive, checked.classes)
                    except Exception as exc:  # the user's estimator may fail its own way
                        message = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
                        failures.setdefault(name, []).append(message)
                        values = dict.fromkeys(METRICS, np.nan)
                for w in caught:  # one note per strategy and message, not a warning per fit
                    warned.setdefault((name, str(w.message).splitlines()[0]), set()).add(fold)
                if name == "advice" and hasattr(fitted, "strategy_"):
                    advice_methods.append(fitted.strategy_)
                records += [
                    dict(strategy=name, fold=fold, metric=m, value=v) for m, v in values.items()
                ]
                bar.update()
    if failures and all(len(failures.get(name, ())) == len(splits) for name in models):
        first = next(iter(failures.values()))[0]
        raise InputError(
            f"Every strategy failed in every fold, so there is nothing to compare: {first}. "
            "Fix the data or the estimator for that error."
        )
    for name, messages in failures.items():
        notes.append(f"{name} failed in {len(messages)} of {len(splits)} folds: {messages[0]}")
    for (name, message), in_folds in warned.items():
        notes.append(f"{name} warned in {len(in_folds)} of {len(splits)} folds: {message}")
    return EvaluationResult(
        objective=objective,
        scores=pd.DataFrame(records),
        advice_methods=tuple(advice_methods),
        n_folds=len(splits),
        minority_class=positive,
        estimator=repr(estimator),
        notes=tuple(notes),
    )


def _features(data, checked):
    """The caller's feature columns (the target dropped), as given."""
    if checked.is_frame:
        return data[list(checked.feature_columns)]
    return pd.DataFrame(np.asarray(data))


def _rows(X, positions):
    return X.iloc[positions]


def _schema(checked, k_neighbors, random_state, binary, positive, training_minority, scaling):
    """A recommendation from the data's column kinds and class sizes alone: it builds the
    fixed baselines' pipelines (the preparation, encoding and distance space the advice
    uses, untailored)."""
    kinds = checked.kinds
    return Recommendation(
        method="no_resampling",
        reasons=(),
        rule="baseline",
        k_neighbors=k_neighbors,
        random_state=_seed_value(random_state),
        feature_columns=checked.feature_columns,
        numeric_features=kinds.numeric + kinds.binary,
        categorical_features=kinds.categorical + kinds.boolean,
        binary_features=kinds.binary,
        integer_features=kinds.integer,
        onehot_groups=kinds.onehot_groups,
        scaling=scaling,
        impute=checked.row_facts.n_rows_missing > 0,  # missing or infinite values
        binary=binary,
        n_minority=int(training_minority),
        positive_label=positive,
        objective="average_precision",  # leaves the estimator untouched
        tailor=False,
    )


def _strategies(estimator, schema, objective, methods, k_neighbors, random_state, notes) -> dict:
    models = {
        "advice": AdvisedClassifier(
            estimator,
            objective=objective,
            k_neighbors=k_neighbors,
            random_state=random_state,
            scaling=schema.scaling,
            impute=schema.impute or None,  # rows to predict may miss what training rows have
        ),
        "no_resampling": schema.pipeline(estimator),
    }
    final = _final_estimator(estimator)
    if "class_weight" in final.get_params(deep=False):
        weighted = clone(estimator)
        _final_estimator(weighted).set_params(class_weight="balanced")
        models["class_weight"] = schema.pipeline(weighted)
    else:
        notes.append(f"class_weight left out: {type(final).__name__} has no class_weight.")
    if schema.binary:
        # Average precision does not depend on a threshold: then the threshold serves F1.
        target = objective if objective in ("f1", "balanced_accuracy") else "f1"
        scorer = threshold_scorer(target, schema.positive_label)
        tuned = tuned_threshold(estimator, scorer, schema.n_minority, schema.random_state)
        models["threshold"] = schema.pipeline(tuned)
    else:
        notes.append("threshold left out: threshold tuning needs a binary target.")
    for method in ("smote", *methods):
        if method == "no_resampling" or method in models:
            continue
        models[method] = replace(schema, method=method).pipeline(estimator)
    return models


def _scores(model, X, y, positive, classes) -> dict:
    """The metrics of one fold. Binary: the minority is the positive class. Multi-class:
    average precision, ROC AUC and F1 are macro-averaged over all classes, minority recall
    and precision over the classes smaller than the largest."""
    from imblearn.metrics import geometric_mean_score
    from sklearn.metrics import (
        average_precision_score,
        balanced_accuracy_score,
        f1_score,
        precision_score,
        recall_score,
        roc_auc_score,
    )
    from sklearn.preprocessing import label_binarize

    predicted = model.predict(X)
    order = list(model.classes_)
    scores = _class_scores(model, X, len(order))
    if positive is not None:
        score = scores[:, order.index(positive)]
        truth = y == positive
        labels = {"pos_label": positive, "zero_division": 0}
        values = {
            "average_precision": average_precision_score(truth, score),
            "roc_auc": roc_auc_score(truth, score),
            "f1": f1_score(y, predicted, **labels),
            "minority_recall": recall_score(y, predicted, **labels),
            "minority_precision": precision_score(y, predicted, **labels),
        }
    else:
        minority = {"labels": list(classes[1:]), "average": "macro", "zero_division": 0}
        values = {
            "average_precision": average_precision_score(
                label_binarize(y, classes=order), scores, average="macro"
            ),
            "roc_auc": roc_auc_score(
                label_binarize(y, classes=order), scores, average="macro", multi_class="ovr"
            ),
            "f1": f1_score(y, predicted, average="macro", zero_division=0),
            "minority_recall": recall_score(y, predicted, **minority),
            "minority_precision": precision_score(y, predicted, **minority),
        }
    return {
        **values,
        "balanced_accuracy": balanced_accuracy_score(y, predicted),
        "g_mean": geometric_mean_score(y, predicted),
        **_probability_scores(
            scores if hasattr(model, "predict_proba") else None, order, y, positive
        ),
    }


def _probability_scores(proba, order, y, positive) -> dict:
    """Negated Brier score (of the minority's probability on a binary target; summed over
    the classes on more) and negated log loss of ``proba`` (columns in ``order``); NaN for
    a model without predict_proba (``proba`` None)."""
    from sklearn.metrics import brier_score_loss, log_loss

    if proba is None:
        return {"neg_brier_score": np.nan, "neg_log_loss": np.nan}
    proba = np.asarray(proba, dtype=float)
    if positive is not None:
        brier = brier_score_loss(y == positive, proba[:, order.index(positive)])
    else:
        truth = np.asarray(y)[:, None] == np.asarray(order)[None, :]
        brier = float(((proba - truth) ** 2).sum(axis=1).mean())
    clipped = np.clip(proba, 1e-15, 1 - 1e-15)
    return {"neg_brier_score": -brier, "neg_log_loss": -log_loss(y, clipped, labels=order)}


def _class_scores(model, X, n_classes: int) -> np.ndarray:
    """One score column per class: probabilities, or the decision function for models
    without them (the ranking metrics only need an order)."""
    if hasattr(model, "predict_proba"):
        return model.predict_proba(X)
    decision = np.asarray(model.decision_function(X))
    return np.c_[-decision, decision] if decision.ndim == 1 else decision


def _standard_error(values) -> float:
    values = pd.Series(values).dropna()
    return float(values.std(ddof=1) / np.sqrt(len(values))) if len(values) > 1 else float("nan")


class _GivenSplits:
    """(train, test) index pairs given as cv."""

    def __init__(self, splits):
        self.splits = [(np.asarray(train), np.asarray(test)) for train, test in splits]

    def split(self, X, y=None):
        return iter(self.splits)
