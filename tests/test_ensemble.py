"""smote_bagging: SMOTE inside an ensemble, each base learner on its own bag with its own
synthetic rows (imbalanced-learn's BalancedBaggingClassifier with SMOTE as its sampler)."""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from imblearn.ensemble import BalancedBaggingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score

from smote_diag import InputError, datasets, diagnose, resample
from smote_diag.recommend import ENSEMBLE_SIZE


@pytest.fixture(scope="module")
def flipped():
    data = datasets.make_flipped_labels(random_state=0)
    report = diagnose(data.frame, "label", verbose=0, random_state=0)
    return data, replace(report.recommendation, method="smote_bagging")


def test_the_pipeline_puts_the_ensemble_around_the_estimator(flipped):
    data, rec = flipped
    pipe = rec.pipeline(LogisticRegression())
    assert [name for name, _ in pipe.steps] == ["estimator"]
    ensemble = pipe.named_steps["estimator"]
    assert isinstance(ensemble, BalancedBaggingClassifier)
    assert ensemble.n_estimators == ENSEMBLE_SIZE and ensemble.random_state == 0
    assert type(ensemble.sampler.sampler).__name__ == "SMOTE"  # in the diagnosis's space
    assert rec.strategy(LogisticRegression()) == "smote_bagging"
    X, y = data.frame.drop(columns="label"), data.frame["label"]
    pipe.fit(X, y)
    # each base learner saw its own bag and its own synthetic rows: their models differ
    coefficients = np.array([m[-1].coef_.ravel() for m in pipe[-1].estimators_])
    assert len(coefficients) == ENSEMBLE_SIZE
    assert np.unique(coefficients.round(9), axis=0).shape[0] == ENSEMBLE_SIZE
    scores = cross_val_score(rec.pipeline(LogisticRegression()), X, y, cv=3, scoring=rec.scorer())
    assert np.all((scores > 0.5) & (scores <= 1))


def test_categorical_columns_are_encoded_before_the_bags():
    rng = np.random.default_rng(0)
    n = 300
    y = np.r_[np.zeros(270, dtype=int), np.ones(30, dtype=int)]
    frame = pd.DataFrame(
        {
            "x": rng.normal(size=n) + 2.0 * y,
            "colour": rng.choice(["red", "green", "blue"], n),
            "label": y,
        }
    )
    rec = replace(diagnose(frame, "label", verbose=0).recommendation, method="smote_bagging")
    pipe = rec.pipeline(LogisticRegression())
    assert [name for name, _ in pipe.steps] == ["encode", "estimator"]
    scores = cross_val_score(pipe, frame[["x", "colour"]], y, cv=3, scoring=rec.scorer())
    assert np.all(np.isfinite(scores))


def test_resample_refuses_an_ensemble_with_the_fix(flipped):
    data, _ = flipped
    with pytest.raises(InputError, match="no one resampled frame.*rec.pipeline"):
        resample(data.frame, "label", method="smote_bagging", verbose=0)


def test_the_pipeline_sentence_says_what_the_ensemble_does():
    from smote_diag.recommend import pipeline_sentence

    sentence = pipeline_sentence("smote_bagging", True, "balanced_accuracy")
    assert "BalancedBaggingClassifier of 10" in sentence and "sampler before" not in sentence
