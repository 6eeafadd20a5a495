"""diagnose() as a public function: results, determinism, no mutation, pandas/arrays."""

import json

import numpy as np
import pandas as pd
import pytest

from smote_diag import KINDS, InputError, datasets, diagnose
from tests.conftest import run


def test_report_to_dict_round_trips_through_json(planted):
    for name, (_, report) in planted.items():
        d = report.to_dict()
        assert json.loads(json.dumps(d, allow_nan=False)) == d, name
        assert d["schema_version"] == 4
        assert d["recommendation"]["method"] == report.recommendation.method


def test_one_finding_per_kind_and_class(planted):
    _, report = planted["compact"]
    assert [f.kind for f in report.findings] == list(KINDS)
    class_level = [f for f in report.findings if f.minority_class is not None]
    assert {f.minority_class for f in class_level} == {1}


def test_finding_lookup_rejects_unknown_kinds(planted):
    _, report = planted["compact"]
    with pytest.raises(InputError, match="Did you mean 'noise'"):
        report.finding("nosie")
    with pytest.raises(InputError, match="not a minority class of this report"):
        report.finding("noise", minority_class="no such class")


def test_text_summary_shows_the_verdict_and_every_finding(planted):
    _, report = planted["bridged"]
    text = repr(report)
    assert "Recommendation: cluster_smote" in text
    for kind in KINDS:
        assert kind in text


def test_identical_random_state_gives_identical_reports():
    data = datasets.make_bridged_groups(random_state=3)
    first, second = run(data, random_state=7), run(data, random_state=7)
    assert first.to_dict() == second.to_dict()
    for a, b in zip(first.profiles, second.profiles):
        assert (a.groups == b.groups).all() and (a.noise == b.noise).all()


def test_callers_data_is_never_mutated(planted):
    data = datasets.make_flipped_labels(random_state=0)
    frame = data.frame.copy()
    frame["city"] = np.where(frame.index % 2, "a", "b")
    frame.loc[3, "x0"] = np.nan
    before = frame.copy(deep=True)
    diagnose(frame, target="label", random_state=0, verbose=0)
    pd.testing.assert_frame_equal(frame, before)
    X, y = data.X.to_numpy(), data.y.to_numpy()
    X_before, y_before = X.copy(), y.copy()
    diagnose(X, y, random_state=0, verbose=0)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)


def test_frames_give_index_labels_and_arrays_give_positions():
    data = datasets.make_flipped_labels(random_state=0)
    frame = data.frame.set_axis([f"r{i}" for i in range(len(data.frame))], axis=0)
    by_label = diagnose(frame, target="label", random_state=0, verbose=0).finding("noise").rows
    by_position = (
        diagnose(data.X.to_numpy(), data.y.to_numpy(), random_state=0, verbose=0)
        .finding("noise")
        .rows
    )
    assert by_label and all(isinstance(r, str) for r in by_label)
    assert by_label == tuple(f"r{p}" for p in by_position)
    assert set(by_position) & set(data.truth.noise_rows)


def test_features_and_labels_can_come_separately():
    data = datasets.make_bridged_groups(random_state=0)
    separate = diagnose(data.X, data.y.to_numpy(), random_state=0, verbose=0)
    together = diagnose(data.frame, target="label", random_state=0, verbose=0)
    assert separate.recommendation.method == together.recommendation.method
    assert separate.target is None and together.target == "label"
    assert diagnose(data.X, data.y, random_state=0, verbose=0).target == "label"  # Series name


def test_scaling_is_stated(planted):
    _, report = planted["compact"]
    assert report.scaling == "standard"
    assert "standardised" in report.scaling_description
    d = report.to_dict()
    assert d["parameters"]["scaling"] == "standard"
    assert d["scaling_description"] == report.scaling_description
    assert d["recommendation"]["scaling"] == "standard"
    assert "Distances: scaling standard" in repr(report)
