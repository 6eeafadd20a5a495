"""DiagnosisSession: the same answers as diagnose() and resample(), computed once."""

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from smote_diag import DiagnosisSession, InputError, datasets, diagnose, resample
from smote_diag.session import MAX_INDEXED


@pytest.fixture(scope="module")
def flipped():
    return datasets.make_flipped_labels(random_state=0)


def _same(a, b):
    return a.to_dict() == b.to_dict()


def test_the_same_report_as_diagnose(flipped):
    session = DiagnosisSession(flipped.frame, "label")
    for k, objective in ((5, "balanced_accuracy"), (3, "f1"), (5, "average_precision")):
        direct = diagnose(
            flipped.frame, "label", k_neighbors=k, objective=objective, random_state=0, verbose=0
        )
        cached = session.diagnose(k_neighbors=k, objective=objective, random_state=0)
        assert _same(direct, cached)
    assert session.n_index_builds == 1 and session.n_diagnoses == 2


def test_excluding_rows_is_diagnosing_the_data_without_them(flipped):
    frame = flipped.frame
    before = frame.copy()
    session = DiagnosisSession(frame, "label")
    rows = session.diagnose(random_state=0).finding("noise").rows
    without = session.diagnose(random_state=0, exclude=rows)
    direct = diagnose(frame.drop(index=list(rows)), "label", random_state=0, verbose=0)
    assert without.n_rows == len(frame) - len(rows)
    assert without.finding("noise").rows == direct.finding("noise").rows
    assert [f.severity for f in without.findings] == [f.severity for f in direct.findings]
    assert "left out on request" in without.notes[-1]
    result = session.resample(random_state=0, exclude=rows)
    n = len(frame) - len(rows)
    assert_frame_equal(result.frame.iloc[:n], frame.drop(index=list(rows)))
    assert result.is_synthetic[n:].all() and not result.is_synthetic[:n].any()
    assert_frame_equal(frame, before)


def test_rows_are_positions_for_arrays_and_repeated_index_labels(flipped):
    X = flipped.frame.drop(columns="label").to_numpy()
    y = flipped.frame["label"].to_numpy()
    session = DiagnosisSession(X, y)
    rows = session.diagnose(random_state=0).finding("noise").rows
    kept = np.setdiff1d(np.arange(len(y)), rows[:5])
    report = session.diagnose(random_state=0, exclude=rows[:5])
    # still named by position in the full data
    assert set(report.finding("noise").rows) <= set(range(len(y))) - set(rows[:5])
    direct = diagnose(X[kept], y[kept], random_state=0, verbose=0)
    assert [kept[p] for p in direct.finding("noise").rows] == list(report.finding("noise").rows)
    repeated = flipped.frame.set_axis([0] * len(flipped.frame), axis=0)
    session = DiagnosisSession(repeated, "label")
    assert session.diagnose(random_state=0, exclude=[3, 4]).n_rows == len(repeated) - 2


@pytest.mark.parametrize(
    ("exclude", "message"),
    [
        (["nope"], r"Rows \['nope'\] are not in the data. Name rows to exclude by index labels"),
        ("abc", "Rows to exclude must be a list, got str."),
    ],
)
def test_unknown_rows_are_refused(flipped, exclude, message):
    with pytest.raises(InputError, match=message):
        DiagnosisSession(flipped.frame, "label").diagnose(exclude=exclude)


def test_excluding_a_whole_class_is_refused(flipped):
    frame = flipped.frame
    minority = list(frame.index[frame["label"] == 1])
    with pytest.raises(InputError, match="Without the 227 excluded rows: .*one class"):
        DiagnosisSession(frame, "label").diagnose(exclude=minority)


def test_the_caches_stay_bounded(flipped):
    session = DiagnosisSession(flipped.frame, "label")
    for i in range(MAX_INDEXED + 2):
        session.diagnose(random_state=0, exclude=[int(flipped.frame.index[i])])
    assert len(session._rows) == MAX_INDEXED
    assert session.n_index_builds == MAX_INDEXED + 2
    # nothing built on evicted rows stays behind (it would hold their copies)
    assert {key[0] for key in session._reports} == set(session._rows)


def test_plot_samples_stay_bounded_whatever_the_seeds(flipped):
    from smote_diag.session import MAX_REPORTS

    session = DiagnosisSession(flipped.frame, "label")
    for seed in range(MAX_REPORTS + 5):
        session.diagnose(random_state=seed)
    assert len(session._plot_samples) <= MAX_REPORTS
    assert len(session._reports) <= MAX_REPORTS


def test_resample_matches_the_function(flipped):
    session = DiagnosisSession(flipped.frame, "label")
    direct = resample(flipped.frame, "label", method="smote", random_state=0, verbose=0)
    cached = session.resample("smote", random_state=0)
    assert_frame_equal(direct.frame, cached.frame)
    assert session.resample("smote", random_state=0) is cached
    with pytest.raises(InputError, match="Did you mean 'smote'"):
        session.resample("smoet")


def test_a_labels_series_is_cut_with_the_rows(flipped):
    X = flipped.frame.drop(columns="label")
    y = pd.Series(flipped.frame["label"].map({0: "ok", 1: "bad"}), name="status")
    report = DiagnosisSession(X, y).diagnose(random_state=0, exclude=[0, 1])
    assert report.n_rows == len(X) - 2 and report.minority_classes == ("bad",)
