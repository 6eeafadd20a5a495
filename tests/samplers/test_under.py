"""SMOTEUnderSampler (method "smote_rus"): SMOTE part of the way, then the majority
undersampled; through resample() nothing of the caller's is lost, and the dropped rows are
marked."""

import numpy as np
import pandas as pd
import pytest
from imblearn.pipeline import Pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score

from smote_diag import SMOTEUnderSampler, datasets, diagnose, make_sampler, resample


def _data(n_major=200, n_minor=20, seed=0):
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal(size=(n_major, 2)), rng.normal(2.0, 1.0, size=(n_minor, 2))])
    return X, np.r_[np.zeros(n_major, dtype=int), np.ones(n_minor, dtype=int)]


@pytest.mark.parametrize(
    ("oversample_to", "undersample_to", "minority", "majority"),
    [(0.5, 1.0, 100, 100), (0.25, 1.0, 50, 50), (0.5, 0.5, 100, 200), (1.0, 1.0, 200, 200)],
)
def test_the_counts_follow_the_two_ratios(oversample_to, undersample_to, minority, majority):
    X, y = _data()
    sampler = SMOTEUnderSampler(
        oversample_to=oversample_to, undersample_to=undersample_to, random_state=0
    )
    X_res, y_res = sampler.fit_resample(X, y)
    assert (int((y_res == 1).sum()), int((y_res == 0).sum())) == (minority, majority)
    # every minority row kept, the synthetic ones on segments between minority rows
    kept = sampler.under_.sample_indices_
    assert set(range(200, 220)) <= set(kept)
    assert len(X_res) == len(kept)


def test_multi_class_every_smaller_class_grown_and_the_largest_cut():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(330, 3))
    y = np.r_[np.zeros(300, dtype=int), np.ones(20, dtype=int), np.full(10, 2)]
    _, y_res = SMOTEUnderSampler(random_state=0).fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [150, 150, 150]


def test_it_is_seeded_and_validated():
    X, y = _data()
    a = SMOTEUnderSampler(random_state=3).fit_resample(X, y)[0]
    b = SMOTEUnderSampler(random_state=3).fit_resample(X, y)[0]
    np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="oversample_to"):
        SMOTEUnderSampler(oversample_to=1.5).fit_resample(X, y)


def test_resample_keeps_every_row_and_marks_the_dropped_majority():
    data = datasets.make_flipped_labels(random_state=0)
    frame = data.frame.copy()
    result = resample(frame, "label", method="smote_rus", random_state=0, verbose=0)
    pd.testing.assert_frame_equal(frame, data.frame)  # the caller's frame untouched
    n = len(frame)
    pd.testing.assert_frame_equal(result.frame.iloc[:n], frame)  # originals first, unchanged
    counts = frame["label"].value_counts()
    minority, majority = counts.idxmin(), counts.idxmax()
    removed = result.is_removed[:n]
    assert set(frame["label"][removed]) == {majority}  # only majority rows are dropped
    training = result.frame[~result.is_removed]["label"].value_counts()
    assert training[minority] == training[majority] == round(0.5 * counts[majority])
    assert result.is_synthetic.sum() == round(0.5 * counts[majority]) - counts[minority]
    assert result.removed_by == "undersampling" and "dropped by undersampling" in repr(result)
    assert result.to_dict()["removed_by"] == "undersampling"
    # the check compares it with plain SMOTE, which makes more synthetic rows
    assert result.checked.baseline_method == "smote"


def test_the_advised_pipeline_runs_it_inside_fit():
    data = datasets.make_flipped_labels(random_state=0)
    rec = diagnose(data.frame, "label", verbose=0).recommendation
    sampler = make_sampler("smote_rus", random_state=0)
    pipe = Pipeline([("sampler", sampler), ("estimator", LogisticRegression())])
    X, y = data.frame.drop(columns="label"), data.frame["label"]
    scores = cross_val_score(pipe, X, y, cv=3, scoring=rec.scorer())
    assert np.all((scores > 0) & (scores <= 1))


@pytest.mark.parametrize(
    "method", ["smote", "borderline_smote", "smote_tomek", "smote_enn", "smote_rus"]
)
def test_whole_number_columns_stay_whole_outside_resample(method):
    """make_sampler's samplers finish their new rows as resample() does, also when a step
    after SMOTE drops and reorders rows (the undersampling of smote_rus): a whole-number
    column of a float array comes back whole, rounded to the nearest (not truncated)."""
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.integers(0, 10, 220).astype(float), rng.normal(size=220)])
    y = np.r_[np.zeros(200, dtype=int), np.ones(20, dtype=int)]
    X_res, _ = make_sampler(method, random_state=0).fit_resample(X, y)
    assert np.all(X_res[:, 0] == np.round(X_res[:, 0]))
    # the originals kept are unchanged rows of X
    originals = {tuple(row) for row in X}
    assert sum(tuple(row) in originals for row in X_res) >= 1
