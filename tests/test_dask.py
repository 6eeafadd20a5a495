"""Dask: diagnose() and resample() on a dask DataFrame, on a LocalCluster of 2 worker
processes, against the pandas path on the same data."""

import numpy as np
import pandas as pd
import pytest

from smote_diag import (
    DiagnosisSession,
    InputError,
    datasets,
    diagnose,
    evaluate,
    load_demo,
    resample,
)
from smote_diag.exceptions import InputTypeError

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("dask.distributed")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with distributed.Client(cluster) as client:
        yield client
    cluster.close()


def _mixed_with_gaps():
    frame = datasets.make_mixed_types(random_state=0).frame.copy()
    frame.iloc[::17, 0] = np.nan  # a numeric column with missing values: median filling
    frame.iloc[::23, 2] = None  # a text column with missing values
    return frame


def _with_columns_left_out():
    """The demo data with an integer id, a text id, dates written as text and free text (left
    out), a 60-level category, a unique measured integer and a small category (kept)."""
    from tests.test_columns import with_extra_columns

    frame = with_extra_columns(load_demo())
    return frame.rename(columns={"status": "label"})


CASES = {
    "columns left out": _with_columns_left_out,
    "bridged groups": lambda: datasets.make_bridged_groups(random_state=0).frame,
    "mixed types with gaps": _mixed_with_gaps,
    "three classes": lambda: datasets.make_three_classes(random_state=0).frame,
    "300 features": lambda: datasets.make_high_dimensional(random_state=0).frame,
    "flipped labels": lambda: datasets.make_flipped_labels(random_state=0).frame,
}


# figures fitted by an iterative optimiser (the label-noise EM): equal to its tolerance
FITTED = {"noise_rate": 1e-4}


def _same(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return a == pytest.approx(b, rel=1e-9, abs=1e-12)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(
            a[k] == pytest.approx(b[k], abs=FITTED[k]) if k in FITTED else _same(a[k], b[k])
            for k in a
        )
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


@pytest.mark.parametrize("case", list(CASES))
def test_the_report_equals_the_pandas_report(client, case):
    frame = CASES[case]()
    before = frame.copy()
    ddf = dd.from_pandas(frame, npartitions=3)
    in_memory = diagnose(frame, target="label", random_state=0, verbose=0).to_dict()
    spread = diagnose(ddf, target="label", random_state=0, verbose=0).to_dict()
    assert spread["recommendation"] == in_memory["recommendation"]
    assert len(spread["findings"]) == len(in_memory["findings"])
    for mine, theirs in zip(spread["findings"], in_memory["findings"]):
        assert (mine["kind"], mine["minority_class"]) == (theirs["kind"], theirs["minority_class"])
        assert mine["severity"] == theirs["severity"]
        assert mine["rows"] == theirs["rows"]
        assert _same(mine["evidence"], theirs["evidence"]), mine["kind"]
    pd.testing.assert_frame_equal(frame, before)


def test_columns_are_left_out_as_in_pandas_whatever_the_partitions(client):
    frame = _with_columns_left_out()
    in_memory = diagnose(frame, target="label", random_state=0, verbose=0)
    assert len(in_memory.excluded_columns) == 5
    for parts in (1, 4):
        ddf = dd.from_pandas(frame, npartitions=parts)
        spread = diagnose(ddf, target="label", random_state=0, verbose=0)
        assert spread.excluded_columns == in_memory.excluded_columns
        assert spread.feature_columns == in_memory.feature_columns
        left_out = [n for n in in_memory.notes if " left out: " in n]
        assert [n for n in spread.notes if " left out: " in n] == left_out


def test_synthetic_rows_of_a_dask_frame_get_no_real_id(client):
    frame = _with_columns_left_out()
    ddf = dd.from_pandas(frame, npartitions=3)
    result = resample(ddf, "label", method="smote_nc", random_state=0, verbose=0)
    computed = result.frame.compute()
    synthetic = computed[result.is_synthetic]
    assert len(synthetic) > 0
    for name in ("row_id", "customer_id", "order_uuid", "signed_up", "comment"):
        assert synthetic[name].isna().all(), name
    assert not synthetic[["shift", "region"]].isna().any().any()
    for name in ("row_id", "customer_id"):  # whole numbers that cannot be missing: nullable
        if frame[name].dtype.kind in "iu":
            assert str(computed[name].dtype) == str(result.frame.dtypes[name]) == "Int64"
            assert (computed[name].iloc[: len(frame)].to_numpy() == frame[name]).all()


def test_partition_sizes_do_not_change_the_report(client):
    frame = datasets.make_bridged_groups(random_state=0).frame
    reports = [
        diagnose(dd.from_pandas(frame, npartitions=p), target="label", random_state=0, verbose=0)
        for p in (1, 7)
    ]
    assert _same(reports[0].to_dict()["findings"], reports[1].to_dict()["findings"])


def test_a_sample_of_a_dask_frame_is_the_same_sample_as_in_pandas(client):
    frame = datasets.make_compact_minority(n_majority=3000, random_state=0).frame
    ddf = dd.from_pandas(frame, npartitions=4)
    a = diagnose(frame, target="label", random_state=0, verbose=0, sample=1000)
    b = diagnose(ddf, target="label", random_state=0, verbose=0, sample=1000)
    assert a.n_rows == b.n_rows == 1000
    assert _same(a.to_dict()["findings"], b.to_dict()["findings"])


def test_resample_returns_a_dask_frame_with_every_row_kept(client):
    frame = datasets.make_mixed_types(random_state=0).frame
    ddf = dd.from_pandas(frame, npartitions=3)
    result = resample(ddf, "label", method="smote_nc", random_state=0, verbose=0)
    in_memory = resample(frame, "label", method="smote_nc", random_state=0, verbose=0)
    assert isinstance(result.frame, dd.DataFrame)
    out = result.frame.compute()
    original = ddf.compute()  # dask may store text as its string dtype: compare with that
    pd.testing.assert_frame_equal(out.iloc[: len(frame)], original)
    assert list(out.columns) == list(original.columns)
    assert (out.dtypes == original.dtypes).all()
    assert int(result.is_synthetic.sum()) == int(in_memory.is_synthetic.sum())
    assert len(out) == len(result.is_synthetic)
    synthetic = out.iloc[len(frame) :]
    assert (synthetic["label"] == 1).all()
    assert synthetic.index.is_unique and synthetic.index.min() == len(frame)
    assert set(synthetic["city"]) <= set(frame["city"])  # categories kept whole
    # the check measures the same kind of points as the pandas path: similar figures
    mine = result.check().classes[0].majority_share
    theirs = in_memory.check().classes[0].majority_share
    assert abs(mine - theirs) < 0.05
    assert "labelled from 1100 on" in " ".join(result.notes)
    result.plot()  # the plot reads the check's sample, not the dask frame
    assert result.to_dict()["n_synthetic"] == int(result.is_synthetic.sum())


def test_no_resampling_returns_the_rows_as_they_are(client):
    frame = datasets.make_compact_minority(random_state=0).frame
    ddf = dd.from_pandas(frame, npartitions=2)
    result = resample(ddf, "label", method="no_resampling", verbose=0)
    assert isinstance(result.frame, dd.DataFrame) and result.frame is not ddf
    pd.testing.assert_frame_equal(result.frame.compute(), frame)
    assert not result.is_synthetic.any() and len(result.is_synthetic) == len(frame)


def test_methods_that_need_every_row_are_refused_with_the_fix(client):
    frame = datasets.make_compact_minority(random_state=0).frame
    ddf = dd.from_pandas(frame, npartitions=2)
    with pytest.raises(InputError, match="resample ddf.compute"):
        resample(ddf, "label", method="borderline_smote", verbose=0)


def test_what_needs_rows_in_memory_refuses_a_dask_frame(client):
    frame = datasets.make_compact_minority(random_state=0).frame
    ddf = dd.from_pandas(frame, npartitions=2)
    with pytest.raises(InputTypeError, match="ddf.compute"):
        DiagnosisSession(ddf, "label")
    with pytest.raises(InputTypeError, match="ddf.compute"):
        evaluate(ddf, "label")
    with pytest.raises(InputTypeError, match="name the target column"):
        diagnose(ddf, target=frame["label"])
    with pytest.raises(InputError, match="Did you mean 'label'"):
        diagnose(ddf, target="labels")


def test_the_majority_cannot_grow_and_a_bad_strategy_is_one_sentence(client):
    frame = datasets.make_compact_minority(random_state=0).frame
    ddf = dd.from_pandas(frame, npartitions=2)
    with pytest.raises(InputError, match="only classes smaller than the largest can grow"):
        resample(ddf, "label", method="random_oversample", sampling_strategy={0: 1200, 1: 1200})
    with pytest.raises(InputError, match="cannot run on this data"):
        resample(ddf, "label", method="smote", sampling_strategy={1: 5}, verbose=0)


@pytest.mark.parametrize("index", ["shifted", "text"])
def test_synthetic_rows_get_labels_no_row_has(client, index):
    frame = datasets.make_compact_minority(random_state=0).frame
    frame.index = frame.index + 10 if index == "shifted" else [f"r{i}" for i in range(len(frame))]
    ddf = dd.from_pandas(frame, npartitions=3)
    out = resample(ddf, "label", method="smote", random_state=0, verbose=0).frame.compute()
    assert out.index.is_unique
    new = out.index[len(frame) :]
    if index == "shifted":
        assert new[0] == frame.index.max() + 1
    else:
        assert new[0] == "synthetic-0"


def test_fills_and_constants_come_from_every_row(client):
    frame = datasets.make_compact_minority(random_state=0).frame
    minority = frame.index[frame["label"] == 1]
    frame.loc[minority[::2], "x0"] = np.nan  # half the minority misses x0
    frame["c"] = 5.0
    frame.loc[minority, "c"] = np.nan  # a constant column, missing on every minority row
    frame.loc[frame.index[frame["label"] == 0][:1], "c"] = np.nan
    ddf = dd.from_pandas(frame, npartitions=3)
    spread = resample(ddf, "label", method="smote", random_state=0, verbose=0)
    in_memory = resample(frame, "label", method="smote", random_state=0, verbose=0)
    mine = spread.frame.compute()[spread.is_synthetic]
    theirs = in_memory.frame[in_memory.is_synthetic]
    assert (mine["c"] == 5.0).all() and (theirs["c"] == 5.0).all()
    assert abs(mine["x0"].mean() - theirs["x0"].mean()) < 0.1 * theirs["x0"].std()
    assert any("over every row" in note for note in spread.notes)


def test_numbers_stored_as_objects_are_named(client):
    import dask

    frame = datasets.make_compact_minority(random_state=0).frame
    frame["as_text"] = frame["x0"].astype(object)
    with dask.config.set({"dataframe.convert-string": False}):
        ddf = dd.from_pandas(frame, npartitions=2)
        report = diagnose(ddf, target="label", random_state=0, verbose=0)
    assert any("'as_text' holds numbers" in note for note in report.notes)


def test_a_partition_of_small_values_does_not_change_the_scaling(client):
    frame = datasets.make_bridged_groups(random_state=0).frame.copy()
    frame["small"] = np.where(np.arange(len(frame)) < len(frame) // 2, 0.0, 1e-3)
    frame["small"] += np.random.default_rng(0).normal(0, 1e-4, len(frame)) * (
        np.arange(len(frame)) >= len(frame) // 2
    )
    in_memory = diagnose(frame, target="label", random_state=0, verbose=0).to_dict()
    spread = diagnose(
        dd.from_pandas(frame, npartitions=2), target="label", random_state=0, verbose=0
    ).to_dict()
    assert _same(spread["findings"], in_memory["findings"])


def test_a_few_gathered_minority_rows_are_not_screened_again(client):
    """resample() on dask gathers the minority rows: ten levels in fifteen of them are not
    free text (they were screened on every row)."""
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "c1": rng.choice([f"l{i}" for i in range(10)], 2014),
            "c2": rng.choice([f"m{i}" for i in range(10)], 2014),
            "label": np.r_[np.zeros(2000, int), np.ones(14, int)],
        }
    )
    in_memory = resample(frame, "label", method="smote_nc", random_state=0, verbose=0)
    spread = resample(
        dd.from_pandas(frame, npartitions=2), "label", method="smote_nc", random_state=0, verbose=0
    )
    assert spread.is_synthetic.sum() == in_memory.is_synthetic.sum() == 1986
