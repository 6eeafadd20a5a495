"""Properties over generated frames (Hypothesis): mixed column kinds, any index, any label
type, random class sizes. Whatever the frame, the caller's object is unchanged, a resampled
frame starts with the input rows as they were, the synthetic rows are counted right, the
same seed gives the same result, and the report survives json.dumps.

Bounded (a few dozen frames per property) so the suite stays fast; every example is small.
"""

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smote_diag import InputError, diagnose, resample

COLUMN_KINDS = (
    "float",
    "float_gaps",
    "int",
    "bool",
    "category",
    "text",
    "datetime",
    "constant",
    "all_missing",
    "onehot",
)
LABEL_KINDS = ("int", "str", "bool", "category")
INDEX_KINDS = ("range", "shuffled", "text", "datetime", "repeated", "multi")
BOUNDED = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,  # the same frames on every run and machine: a failure reproduces
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@st.composite
def frames(draw):
    """A small imbalanced frame with a "label" column and a random mix of everything."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    sizes = [draw(st.integers(25, 60)), draw(st.integers(7, 15))]
    if draw(st.booleans()):
        sizes.append(draw(st.integers(7, 12)))  # a second minority class
    n = sum(sizes)
    kinds = draw(st.lists(st.sampled_from(COLUMN_KINDS), min_size=0, max_size=4))
    columns = {"x": rng.normal(size=n)}  # one usable number, always
    for i, kind in enumerate(kinds):
        name = f"c{i}"
        if kind == "float":
            columns[name] = rng.normal(size=n) * 10.0 ** rng.integers(-2, 4)
        elif kind == "float_gaps":
            values = rng.normal(size=n)
            values[rng.random(n) < 0.2] = np.nan
            columns[name] = values
        elif kind == "int":
            columns[name] = rng.integers(0, 20, size=n)
        elif kind == "bool":
            columns[name] = rng.random(n) < 0.4
        elif kind == "category":
            columns[name] = pd.Categorical(rng.choice(["a", "b", "c"], size=n))
        elif kind == "text":
            columns[name] = rng.choice(["red", "green", "blue", None], size=n)
        elif kind == "datetime":
            columns[name] = pd.Timestamp("2024-01-01") + pd.to_timedelta(
                rng.integers(0, 1000, size=n), unit="h"
            )
        elif kind == "constant":
            columns[name] = np.full(n, 3.5)
        elif kind == "all_missing":
            columns[name] = np.full(n, np.nan)
        elif kind == "onehot":
            chosen = rng.integers(0, 3, size=n)
            for level in range(3):
                columns[f"g{i}_{level}"] = (chosen == level).astype(int)
    codes = rng.permutation(np.repeat(np.arange(len(sizes)), sizes))
    label_kind = draw(st.sampled_from(LABEL_KINDS if len(sizes) == 2 else LABEL_KINDS[:2]))
    labels = {
        "int": codes,
        "str": np.array(["normal", "fraud", "fault"])[codes],
        "bool": codes == 1,
        "category": pd.Categorical(np.array(["no", "yes", "maybe"])[codes]),
    }[label_kind]
    frame = pd.DataFrame({**columns, "label": labels})
    index_kind = draw(st.sampled_from(INDEX_KINDS))
    if index_kind == "shuffled":
        frame.index = rng.permutation(n) + 1000
    elif index_kind == "text":
        frame.index = [f"row-{i}" for i in rng.permutation(n)]
    elif index_kind == "datetime":
        frame.index = pd.date_range("2020-01-01", periods=n, freq="D")
    elif index_kind == "repeated":
        frame.index = np.arange(n) // 2
    elif index_kind == "multi":
        frame.index = pd.MultiIndex.from_arrays([np.arange(n) % 3, np.arange(n)])
    return frame


def _assert_unchanged(frame, before):
    pd.testing.assert_frame_equal(frame, before, check_exact=True)
    pd.testing.assert_index_equal(frame.index, before.index, exact=True)


@BOUNDED
@given(frame=frames())
def test_diagnose_leaves_the_frame_alone_repeats_itself_and_serialises(frame):
    before = frame.copy(deep=True)
    report = diagnose(frame, "label", random_state=7, verbose=0)
    _assert_unchanged(frame, before)
    as_dict = report.to_dict()
    json.dumps(as_dict)  # plain JSON types only
    again = diagnose(frame, "label", random_state=7, verbose=0).to_dict()
    assert again["findings"] == as_dict["findings"]
    assert again["recommendation"] == as_dict["recommendation"]
    # every minority class is diagnosed, labels as the user wrote them
    labels = set(frame["label"].tolist())
    assert {
        f["minority_class"] for f in as_dict["findings"] if f["minority_class"] is not None
    } <= (labels)
    noise = [f for f in report.findings if f.kind == "noise"]
    for finding in noise:  # rows are index labels (unique index) or positions
        if frame.index.is_unique:
            assert set(finding.rows) <= set(frame.index.tolist())
        else:
            assert all(0 <= r < len(frame) for r in finding.rows)


@BOUNDED
@given(frame=frames(), method=st.sampled_from(["auto", "random_oversample", "smote_nc", "smote"]))
def test_resample_keeps_every_row_and_counts_the_new_ones(frame, method):
    before = frame.copy(deep=True)
    try:
        result = resample(frame, "label", method=method, random_state=3, verbose=0)
    except InputError as exc:  # a clear refusal (text columns for smote, ...) is fine
        assert "\n" not in str(exc)
        _assert_unchanged(frame, before)
        return
    _assert_unchanged(frame, before)
    n = len(frame)
    out = result.frame
    assert out is not frame
    # (a regular DatetimeIndex loses its freq once rows are appended: documented)
    pd.testing.assert_frame_equal(out.iloc[:n], before, check_exact=True, check_freq=False)
    assert list(out.columns) == list(frame.columns)
    assert (out.dtypes == frame.dtypes).all()
    assert len(out) == len(result.is_synthetic) == len(result.is_removed)
    assert int(result.is_synthetic.sum()) == len(out) - n
    assert not result.is_synthetic[:n].any()
    json.dumps(result.to_dict())
    again = resample(frame, "label", method=method, random_state=3, verbose=0)
    pd.testing.assert_frame_equal(again.frame, out, check_exact=True)


@pytest.fixture(scope="module")
def shell():
    from IPython.core.interactiveshell import InteractiveShell

    from .refusal_cases import magic_shell

    yield magic_shell()
    InteractiveShell.clear_instance()


@settings(BOUNDED, max_examples=10)
@given(frame=frames())
def test_the_magic_leaves_the_frame_alone(shell, frame):
    before = frame.copy(deep=True)
    shell.user_ns["df"] = frame
    report = shell.run_line_magic("smote_check", "df label --seed 0 --projection none")
    assert report is not None
    _assert_unchanged(shell.user_ns["df"], before)


@settings(BOUNDED, max_examples=8)
@given(frame=frames())
def test_the_dashboard_leaves_the_frame_alone(frame):
    from smote_diag.widgets import Dashboard

    before = frame.copy(deep=True)
    app = Dashboard(frame, "label", random_state=0)
    for step in ("Noise", "Resample preview", 3, "Verdict"):
        if step == 3:
            app.k_neighbors.value = 3
        else:
            app.select(step)
        # every error becomes a message; one of ours ("Unexpected ...") would be a bug
        assert "Unexpected" not in app.message.value, app.message.value
    _assert_unchanged(frame, before)
