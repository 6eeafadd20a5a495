"""Odd but valid data gives correct results: extreme shapes, several classes, every column
kind, any index. (Refused input: test_refusals.py; generated frames: test_properties.py.)"""

import numpy as np
import pandas as pd
import pytest
from imblearn.utils import check_sampling_strategy

from smote_diag import datasets, diagnose, resample
from smote_diag.diagnostics import thresholds as T


def run(frame, **kwargs):
    kwargs.setdefault("random_state", 0)
    kwargs.setdefault("verbose", 0)
    return diagnose(frame, "label", **kwargs)


def gaussian(n_majority, n_minority, n_features=2, seed=0, shift=3.0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_majority + n_minority, n_features))
    X[n_majority:] += shift
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(n_features)])
    frame["label"] = np.r_[np.zeros(n_majority, int), np.ones(n_minority, int)]
    return frame


# --- extreme shapes ---------------------------------------------------------------------------


def test_an_imbalance_of_one_to_ten_thousand():
    frame = gaussian(100_000, 10)
    report = run(frame)
    imbalance = report.finding("imbalance")
    assert imbalance.evidence["imbalance_ratio"] == pytest.approx(10_000)
    assert imbalance.severity == "severe"
    result = resample(frame, "label", random_state=0, verbose=0)
    assert result.frame.iloc[: len(frame)].equals(frame)
    assert int(result.is_synthetic.sum()) == len(result.frame) - len(frame)


def test_a_single_feature():
    frame = gaussian(300, 40, n_features=1)
    report = run(frame)
    assert report.n_features == 1
    assert report.finding("minority_clustering").evidence["n_groups"] >= 1
    result = resample(frame, "label", method="smote", random_state=0, verbose=0)
    new = result.frame[result.is_synthetic]
    # one feature: SMOTE's points lie between two minority values
    minority = frame.loc[frame["label"] == 1, "x0"]
    assert new["x0"].between(minority.min(), minority.max()).all()


def test_more_features_than_rows():
    frame = gaussian(40, 12, n_features=100, shift=0.5)
    report = run(frame)
    high = report.finding("high_dimensionality")
    assert high.evidence["n_dimensions"] == 100
    assert high.severity in ("warning", "severe")  # 12 rows for 100 dimensions
    assert report.recommendation.method  # advice is still given
    resample(frame, "label", random_state=0, verbose=0)


def test_exact_duplicate_rows_are_counted_and_do_not_break_neighbours():
    frame = gaussian(200, 30)
    copies = pd.concat([frame, frame.iloc[:20], frame[frame["label"] == 1].iloc[:10]])
    report = run(copies.reset_index(drop=True))
    duplicates = report.finding("duplicates")
    assert duplicates.evidence["n_duplicate_rows"] == 30
    assert duplicates.evidence["minority_duplicate_share"] == pytest.approx(10 / 40)
    relative = report.finding("high_dimensionality").evidence["relative_contrast"]
    assert relative is not None and np.isfinite(relative)


def test_two_minority_rows():
    frame = gaussian(300, 2)
    report = run(frame)
    assert report.finding("small_minority").severity == "severe"
    assert report.recommendation.method == "random_oversample"
    result = resample(frame, "label", random_state=0, verbose=0)
    assert result.method == "random_oversample"
    assert (result.frame["label"] == 1).sum() == 300


def test_k_larger_than_the_minority_is_diagnosed_and_said():
    frame = gaussian(300, 6)
    report = run(frame, k_neighbors=10)
    small = report.finding("small_minority")
    assert small.severity == "severe" and small.evidence["n_needed"] == 11
    assert "k_neighbors=5" in small.summary  # the fix names the largest k that works
    assert resample(frame, "label", k_neighbors=10, random_state=0, verbose=0).method in (
        "random_oversample",
        "no_resampling",
    )


# --- several classes ------------------------------------------------------------------------


def test_every_class_smaller_than_the_largest_is_diagnosed_everywhere():
    data = datasets.make_three_classes(random_state=0)
    report = run(data.frame)
    minority = {"groups", "blob"}
    for kind in ("imbalance", "minority_clustering", "noise", "overlap"):
        assert {f.minority_class for f in report.findings if f.kind == kind} == minority
    html = report._repr_html_()
    assert "groups" in html and "blob" in html
    assert {p.label for p in report.profiles} == minority


@pytest.mark.parametrize("strategy", ["auto", "not majority", "minority", {"groups": 500}])
def test_resample_follows_imbalanced_learns_sampling_strategy(strategy):
    frame = datasets.make_three_classes(random_state=0).frame
    result = resample(
        frame, "label", method="smote", sampling_strategy=strategy, random_state=0, verbose=0
    )
    wanted = check_sampling_strategy(strategy, frame["label"].to_numpy(), "over-sampling")
    made = result.frame["label"][result.is_synthetic].value_counts().to_dict()
    assert made == {label: n for label, n in wanted.items() if n}


def test_a_float_sampling_strategy_for_two_classes():
    frame = gaussian(400, 40)
    result = resample(
        frame, "label", method="smote", sampling_strategy=0.5, random_state=0, verbose=0
    )
    assert (result.frame["label"] == 1).sum() == 200


# --- column kinds and indexes ---------------------------------------------------------------


def test_left_out_columns_are_named_with_the_reason():
    frame = gaussian(200, 30)
    frame["when"] = pd.date_range("2024-01-01", periods=len(frame), freq="h")
    frame["empty"] = np.nan
    frame["same"] = "x"
    report = run(frame)
    assert report.excluded_columns == {
        "when": "dates and times are not used in distances",
        "empty": "every value is missing",
        "same": "it is constant",
    }
    assert any("'empty' left out" in note for note in report.notes)
    result = resample(frame, "label", method="smote", random_state=0, verbose=0)
    new = result.frame[result.is_synthetic]
    assert new["empty"].isna().all() and (new["same"] == "x").all()
    assert new["when"].isna().all()  # no date is invented


def test_one_hot_groups_stay_one_hot():
    rng = np.random.default_rng(0)
    frame = gaussian(300, 40)
    colour = rng.integers(0, 3, size=len(frame))
    for level, name in enumerate(("red", "green", "blue")):
        frame[f"colour_{name}"] = (colour == level).astype(int)
    report = run(frame)
    assert report.finding("categorical_features").evidence["onehot_groups"] == [
        ["colour_red", "colour_green", "colour_blue"]
    ]
    result = resample(frame, "label", method="smote", random_state=0, verbose=0)
    groups = result.frame[result.is_synthetic][["colour_red", "colour_green", "colour_blue"]]
    assert (groups.sum(axis=1) == 1).all()


@pytest.mark.parametrize("index", ["text", "datetime", "repeated", "multi"])
def test_noise_rows_are_named_in_the_callers_index(index):
    data = datasets.make_flipped_labels(random_state=0)
    frame = data.frame.copy()
    n = len(frame)
    frame.index = {
        "text": pd.Index([f"id-{i}" for i in range(n)]),
        "datetime": pd.date_range("2020-01-01", periods=n, freq="min"),
        "repeated": pd.Index(np.arange(n) // 2),
        "multi": pd.MultiIndex.from_arrays([np.arange(n) % 4, np.arange(n)]),
    }[index]
    rows = run(frame).finding("noise").rows
    flipped = set(data.truth.noise_rows)  # positions of the planted flips
    if frame.index.is_unique:
        found = {frame.index.get_loc(r) for r in rows}
    else:
        found = set(rows)  # positions, as the report says for a repeated index
    assert len(found & flipped) >= 0.8 * len(flipped)
    assert len(found - flipped) <= 0.2 * len(found)


def test_missing_values_are_filled_for_interpolation_only():
    frame = gaussian(200, 30)
    frame.loc[frame.index[::7], "x0"] = np.nan
    frame.loc[frame.index[::11], "x1"] = np.inf
    report = run(frame)
    assert report.finding("missing_values").severity == "warning"
    result = resample(frame, "label", method="smote", random_state=0, verbose=0)
    pd.testing.assert_frame_equal(result.frame.iloc[: len(frame)], frame)
    assert result.frame[result.is_synthetic][["x0", "x1"]].notna().all().all()
    assert any("filled" in note for note in result.notes)
    assert T.TERRITORY_MAX_MINORITY == 1  # the territory rule the checks above rely on


def test_a_column_of_only_infinite_values_is_not_an_integer_column():
    frame = gaussian(200, 30)
    frame["inf"] = np.where(np.arange(len(frame)) % 2, np.inf, -np.inf)
    report = run(frame)
    assert "inf" not in report.finding("categorical_features").evidence["integer_columns"]


# --- found by trying bad inputs: handled now ----------------------------------------------


def test_a_labels_series_in_another_order_is_paired_by_index_label():
    frame = gaussian(300, 40)
    X, y = frame.drop(columns="label"), frame["label"]
    shuffled = run_pair(X, y.sample(frac=1, random_state=0))
    aligned = run_pair(X, y)
    assert shuffled.to_dict()["findings"] == aligned.to_dict()["findings"]
    assert "paired with the rows by index label" in " ".join(shuffled.notes)


def run_pair(X, y):
    return diagnose(X, y, random_state=0, verbose=0)


def test_labels_that_are_also_a_column_do_not_leak_into_the_features():
    frame = gaussian(300, 40)
    report = diagnose(frame, frame["label"].to_numpy(), random_state=0, verbose=0)
    assert "label" not in report.feature_columns
    assert any("'label' holds the labels" in note for note in report.notes)


def test_sparse_columns_are_made_dense():
    frame = gaussian(300, 40)
    frame["x1"] = frame["x1"].where(frame["x1"].abs() > 1, 0.0).astype(pd.SparseDtype(float, 0))
    report = run(frame)
    assert any("Sparse columns ['x1']" in note for note in report.notes)
    result = resample(frame, "label", method="smote", random_state=0, verbose=0)
    assert isinstance(result.frame["x1"].dtype, pd.SparseDtype)
    assert result.frame.iloc[: len(frame)].equals(frame)


def test_reports_go_to_open_files_too(tmp_path):
    import io
    import json

    report = run(gaussian(300, 40))
    buffer = io.StringIO()
    report.to_json(buffer)
    assert json.loads(buffer.getvalue())["schema_version"] >= 1
    report.to_html(tmp_path / "r.html")
    assert (tmp_path / "r.html").read_text().startswith("<!DOCTYPE html>")


def test_a_boolean_mask_excludes_rows_in_a_session():
    from smote_diag import DiagnosisSession

    frame = gaussian(300, 40)
    mask = np.zeros(len(frame), dtype=bool)
    mask[-5:] = True
    report = DiagnosisSession(frame, "label").diagnose(exclude=mask)
    assert report.n_rows == len(frame) - 5


def test_very_long_class_labels_are_cut_in_plots():
    import matplotlib

    matplotlib.use("Agg")
    frame = gaussian(300, 40)
    frame["label"] = frame["label"].map({0: "normal", 1: "x" * 5000})
    fig = run(frame).plot()
    texts = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
    assert any("xxxx…" in t for t in texts)  # the label is shown, cut
    assert max(len(t) for t in texts) < 200
