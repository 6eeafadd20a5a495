"""SMOTE's fingerprint: already-oversampled data is found, raw data is not."""

import numpy as np
import pandas as pd
import pytest
from imblearn.over_sampling import SMOTE, BorderlineSMOTE, RandomOverSampler

from smote_diag import datasets, diagnose

NUMERIC = [
    datasets.make_compact_minority,
    datasets.make_bridged_groups,
    datasets.make_separated_groups,
    datasets.make_tail_minority,
    datasets.make_flipped_labels,
    datasets.make_overlapping,
    datasets.make_high_dimensional,
    datasets.make_noisy_subspace,
]


def _diagnose(X, y):
    return diagnose(X, y, random_state=0, verbose=0)


@pytest.mark.parametrize("make", NUMERIC + [datasets.make_mixed_types], ids=lambda m: m.__name__)
def test_raw_data_is_not_called_oversampled(make):
    data = make(random_state=0)
    f = _diagnose(data.X, data.y).finding("preresampled")
    assert f.severity == "ok", f.summary


@pytest.mark.parametrize("make", NUMERIC, ids=lambda m: m.__name__)
@pytest.mark.parametrize(
    "sampler",
    [
        SMOTE(random_state=0),
        SMOTE(sampling_strategy=0.3, random_state=0),
        RandomOverSampler(random_state=0),
    ],
    ids=["smote", "smote_partial", "random"],
)
def test_oversampled_data_is_found(make, sampler):
    data = make(random_state=0)
    X, y = sampler.fit_resample(data.X, data.y)
    report = _diagnose(X, y)
    f = report.finding("preresampled")
    assert f.severity == "severe", f.summary
    figures = f.evidence["by_class"][1]
    if isinstance(sampler, SMOTE):
        assert figures["on_segment_share"] >= 0.2
    else:
        assert figures["excess_copy_share"] >= 0.3
    assert report.recommendation.method == "no_resampling"
    assert report.recommendation.rule == "preresampled"


def test_borderline_smote_output_is_found():
    data = datasets.make_flipped_labels(random_state=0)
    X, y = BorderlineSMOTE(random_state=0).fit_resample(data.X, data.y)
    assert _diagnose(X, y).finding("preresampled").severity == "severe"


def test_integer_lattice_data_is_not_called_oversampled():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.integers(0, 6, size=(1200, 3)), columns=["a", "b", "c"])
    y = (rng.random(1200) < 0.1).astype(int)
    f = _diagnose(X, y).finding("preresampled")
    assert f.severity == "ok"
    assert f.evidence["n_continuous_columns"] == 0  # whole numbers: no segment test
    assert "segments were not tested, as that needs 2 continuous columns" in f.summary


def test_discrete_data_repeating_rows_in_every_class_is_not_called_oversampled():
    rng = np.random.default_rng(1)
    X = pd.DataFrame({"a": rng.choice([0.5, 1.5], 2000), "b": rng.choice([2.5, 3.5], 2000)})
    y = (rng.random(2000) < 0.1).astype(int)
    assert _diagnose(X, y).finding("preresampled").severity == "ok"


def _imbalanced(X, seed=0):
    rng = np.random.default_rng(seed)
    return X, (rng.random(len(X)) < 0.1).astype(int)


@pytest.mark.parametrize("case", ["same_measure", "zero_inflated", "blends", "zero_records"])
def test_legitimate_structure_is_not_called_oversampled(case):
    rng = np.random.default_rng(3)
    n = 2000
    if case == "same_measure":  # one weight in kg (1 decimal) and the same weight in lb
        kg = np.round(rng.normal(70, 12, n), 1)
        X = pd.DataFrame({"kg": kg, "lb": kg * 2.20462, "age": rng.integers(18, 90, n)})
    elif case == "zero_inflated":
        X = pd.DataFrame(
            {
                "a": rng.normal(size=n),
                "b": np.where(rng.random(n) < 0.7, 0.0, rng.exponential(size=n)),
            }
        )
    elif case == "blends":  # every row a blend w*A + (1-w)*B of two recipes
        w = rng.random(n)[:, None]
        X = pd.DataFrame(
            w * np.array([1.0, 5.0, 2.0]) + (1 - w) * np.array([3.0, 1.0, 4.0]),
            columns=["p", "q", "r"],
        )
    else:  # a third of the minority are identical all-zero usage records
        X = pd.DataFrame(rng.normal(size=(n, 3)), columns=["u", "v", "w"])
    X, y = _imbalanced(X)
    if case == "zero_records":
        X.loc[np.flatnonzero(y == 1)[::3], :] = 0.0
    f = _diagnose(X, y).finding("preresampled")
    assert f.severity == "ok", f.summary


def test_smote_output_stored_as_float32_is_found():
    data = datasets.make_flipped_labels(random_state=0)
    X, y = SMOTE(random_state=0).fit_resample(data.X + 1000.0, data.y)
    f = _diagnose(X.astype("float32"), y).finding("preresampled")
    assert f.severity == "severe", f.summary


def test_the_largest_class_of_imbalanced_data_is_not_tested():
    data = datasets.make_flipped_labels(random_state=0)
    f = _diagnose(data.X, data.y).finding("preresampled")
    assert set(f.evidence["by_class"]) == {1}
