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
    assert "needs two continuous columns" in f.summary


def test_discrete_data_repeating_rows_in_every_class_is_not_called_oversampled():
    rng = np.random.default_rng(1)
    X = pd.DataFrame({"a": rng.choice([0.5, 1.5], 2000), "b": rng.choice([2.5, 3.5], 2000)})
    y = (rng.random(2000) < 0.1).astype(int)
    assert _diagnose(X, y).finding("preresampled").severity == "ok"
