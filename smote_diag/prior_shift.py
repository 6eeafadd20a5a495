"""Probabilities corrected for the class prior a sampler changed.

A model fitted on resampled rows estimates p'(c | x) under the resampled class shares
pi'(c), not the data's pi(c): a logistic model trained on SMOTE-balanced rows over-predicts
the minority everywhere (van den Goorbergh et al., JAMIA 29:1525-1534, 2022). When the
sampler leaves p(x | c) alone, Bayes' rule gives the analytic correction (Saerens, Latinne &
Decaestecker, Neural Computation 14:21-41, 2002; Elkan 2001):

    p(c | x) = p'(c | x) w(c) / sum_k p'(k | x) w(k),  w(c) = pi(c) / pi'(c).

SMOTE's synthetic rows only approximate p(x | c), so the correction is the first-order fix,
not a calibration; it needs no rows beyond the training rows.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.validation import check_is_fitted


class PriorCorrectedClassifier(ClassifierMixin, BaseEstimator):
    """A resampling pipeline whose probabilities are corrected back to the training prior.

    Parameters
    ----------
    pipeline : imblearn Pipeline
        Its sampler step (named "sampler", a smote_diag sampler, which records the class
        counts it returned in ``class_counts_``) or its final BalancedBaggingClassifier
        (every bag balanced) tells the resampled prior. Cloned, never modified.

    Attributes
    ----------
    pipeline_ : the fitted pipeline
    classes_ : ndarray
    prior_, resampled_prior_ : ndarray
        The class shares of the training rows and of the rows the estimator was fitted on,
        in ``classes_`` order.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from smote_diag import diagnose
    >>> from smote_diag.datasets import make_compact_minority
    >>> df = make_compact_minority(random_state=0).frame
    >>> rec = diagnose(df, "label", objective="probability", verbose=0).recommendation
    >>> from dataclasses import replace
    >>> model = replace(rec, method="smote").pipeline(LogisticRegression())
    >>> model = model.fit(df.drop(columns="label"), df["label"])
    >>> model.resampled_prior_.round(3).tolist(), model.prior_.round(3).tolist()
    ([0.5, 0.5], [0.909, 0.091])
    """

    def __init__(self, pipeline):
        self.pipeline = pipeline

    def fit(self, X, y, **params):
        self.pipeline_ = clone(self.pipeline).fit(X, y, **params)
        self.classes_ = self.pipeline_.classes_
        labels, counts = np.unique(np.asarray(y), return_counts=True)
        shares = dict(zip(labels.tolist(), (counts / counts.sum()).tolist()))
        self.prior_ = np.array([shares[c] for c in self.classes_.tolist()])
        self.resampled_prior_ = _resampled_prior(self.pipeline_, self.classes_)
        return self

    def predict_proba(self, X):
        check_is_fitted(self, "pipeline_")
        p = np.asarray(self.pipeline_.predict_proba(X)) * (self.prior_ / self.resampled_prior_)
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


def _resampled_prior(pipeline, classes) -> np.ndarray:
    """The class shares the final estimator was fitted on: the sampler's, or for an ensemble
    of resampled bags (BalancedBaggingClassifier) the bags' together."""
    samplers = [dict(pipeline.steps).get("sampler")]
    keys = classes.tolist()
    final = pipeline.steps[-1][1]
    if samplers[0] is None and hasattr(final, "estimators_"):
        samplers = [dict(bag.steps).get("sampler") for bag in final.estimators_]
        keys = list(range(len(classes)))  # bagging fits its bags on the classes' codes
    if not samplers or not all(hasattr(s, "class_counts_") for s in samplers):
        raise ValueError(
            "PriorCorrectedClassifier needs a smote_diag sampler (make_sampler) in the "
            "pipeline's 'sampler' step or in every bag of its ensemble: it reads the class "
            "counts the sampler returned."
        )
    counts = np.array([sum(s.class_counts_.get(c, 0) for s in samplers) for c in keys], dtype=float)
    return counts / counts.sum()
