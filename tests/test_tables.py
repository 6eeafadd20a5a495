"""polars DataFrames and pyarrow Tables: read once at the entry, the same report as the pandas
frame, and frames given back in the caller's kind with the caller's schema."""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

pl = pytest.importorskip("polars")
pa = pytest.importorskip("pyarrow")

from smote_diag import (  # noqa: E402
    AdvisedClassifier,
    DiagnosisReport,
    DiagnosisSession,
    InputTypeError,
    dashboard,
    datasets,
    diagnose,
    evaluate,
    load_demo,
    resample,
)
from smote_diag._tables import TableInput, give_back  # noqa: E402

from .refusal_cases import magic_shell  # noqa: E402

KINDS = ("polars", "pyarrow")


def _mixed() -> pd.DataFrame:
    """make_mixed_types (floats, text, a category) with a whole-number column that has
    missing values: float64 in pandas, Int64 in polars and int64 in pyarrow."""
    frame = datasets.make_mixed_types(random_state=0).frame.copy()
    rng = np.random.default_rng(0)
    visits = rng.integers(0, 20, len(frame)).astype(float)
    visits[rng.random(len(frame)) < 0.1] = np.nan
    frame.insert(2, "visits", visits)
    return frame


def _as(kind: str, frame: pd.DataFrame, integer=("visits",)):
    """The pandas frame as a polars DataFrame or pyarrow Table, whole-number columns with
    missing values typed as integers (as those libraries hold them)."""
    table = pl.from_pandas(frame).with_columns(pl.col(c).cast(pl.Int64) for c in integer)
    return table if kind == "polars" else table.to_arrow()


def _pandas(obj) -> pd.DataFrame:
    return obj.to_pandas() if hasattr(obj, "to_pandas") else obj


def _schema_equal(kind, a, b) -> bool:
    return a.schema == b.schema if kind == "polars" else a.schema.equals(b.schema)


def _columns(table) -> list:
    return list(table.column_names if isinstance(table, pa.Table) else table.columns)


def _head_equal(kind, table, head, n) -> bool:
    return table[:n].equals(head) if kind == "polars" else table.slice(0, n).equals(head)


@pytest.fixture(scope="module")
def mixed():
    return _mixed()


@pytest.fixture(scope="module")
def flipped():
    return datasets.make_flipped_labels(random_state=0).frame


# --- the report ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", ["mixed", "flipped"])
def test_the_report_is_the_pandas_frames(kind, name, mixed, flipped):
    frame = {"mixed": mixed, "flipped": flipped}[name]
    table = _as(kind, frame, integer=("visits",) if name == "mixed" else ())
    expected = diagnose(frame, "label", random_state=0, verbose=0)
    report = diagnose(table, "label", random_state=0, verbose=0)
    assert report.to_dict() == expected.to_dict()  # findings, rows, advice, notes
    assert report.finding("noise").rows == expected.finding("noise").rows
    if name == "flipped":
        assert len(report.finding("noise").rows) > 0  # positions: tables have no index


@pytest.mark.parametrize("kind", KINDS)
def test_labels_from_polars_or_pyarrow_pair_with_the_rows_by_position(kind, flipped):
    X, y = flipped.drop(columns="label"), flipped["label"].to_numpy()
    labels = pl.Series("label", y) if kind == "polars" else pa.chunked_array([y])
    expected = diagnose(X, y, random_state=0, verbose=0)
    report = diagnose(_as(kind, X, integer=()), labels, random_state=0, verbose=0)
    assert report.finding("noise").rows == expected.finding("noise").rows
    assert report.recommendation.method == expected.recommendation.method
    # a pandas frame with its own index: the labels still pair by position
    shifted = X.set_axis(X.index + 1000)
    report = diagnose(shifted, labels, random_state=0, verbose=0)
    assert report.finding("noise").rows == tuple(r + 1000 for r in expected.finding("noise").rows)


def test_other_polars_and_pyarrow_objects_are_refused_with_the_fix(mixed):
    with pytest.raises(InputTypeError, match=r"polars LazyFrame.*data\.collect\(\)"):
        diagnose(pl.from_pandas(mixed).lazy(), "label")
    batch = pa.RecordBatch.from_pandas(mixed, preserve_index=False)
    with pytest.raises(InputTypeError, match=r"pa\.Table\.from_batches\(\[batch\]\)"):
        diagnose(batch, "label")


# --- resample --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_resample_gives_back_the_callers_kind_and_schema(kind, mixed):
    table = _as(kind, mixed)
    before = table.clone() if kind == "polars" else table
    result = resample(table, "label", method="smote_nc", random_state=0, verbose=0)
    expected = resample(mixed, "label", method="smote_nc", random_state=0, verbose=0)
    frame_type = pl.DataFrame if kind == "polars" else pa.Table
    assert isinstance(result.frame, frame_type) and isinstance(result.X, frame_type)
    assert isinstance(result.y, pl.Series if kind == "polars" else pa.ChunkedArray)
    assert _schema_equal(kind, result.frame, table)  # column order and types
    assert _columns(result.X) == [c for c in _columns(table) if c != "label"]
    n = len(mixed)
    assert _head_equal(kind, result.frame, table, n)  # originals first, unchanged
    assert isinstance(result.is_synthetic, np.ndarray) and result.is_synthetic.dtype == bool
    assert not result.is_synthetic[:n].any() and result.is_synthetic[n:].all()
    assert len(result.is_synthetic) == len(expected.frame) > n
    # the same rows as the pandas result (integers back as integers)
    got = _pandas(result.frame)
    want = expected.frame.reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want, check_dtype=False, check_categorical=False)
    assert list(_pandas(result.y)) == list(expected.y)
    assert result.notes == expected.notes
    if kind == "polars":
        assert table.equals(before)  # never mutated


@pytest.mark.parametrize("kind", KINDS)
def test_a_column_with_missing_values_keeps_its_integer_type(kind, mixed):
    table = _as(kind, mixed)
    result = resample(table, "label", method="smote_nc", random_state=0, verbose=0)
    n = len(mixed)
    if kind == "polars":
        visits = result.frame["visits"]
        assert visits.dtype == pl.Int64
        assert visits[:n].null_count() == table["visits"].null_count() > 0
        assert visits[n:].null_count() == 0  # synthetic rows: interpolated, then rounded
    else:
        visits = result.frame.column("visits")
        assert visits.type == pa.int64()
        assert visits.slice(0, n).null_count == table.column("visits").null_count > 0
        assert visits.slice(n).null_count == 0


@pytest.mark.parametrize("kind", ["polars", "pyarrow-array", "pyarrow-chunked"])
def test_labels_come_back_as_the_labels_given(kind, flipped):
    X, y = flipped.drop(columns="label"), flipped["label"].to_numpy()
    if kind == "polars":
        labels, X = pl.Series("label", y, dtype=pl.Int32), pl.from_pandas(X)
    elif kind == "pyarrow-array":
        labels, X = pa.array(y, type=pa.int32()), pa.Table.from_pandas(X, preserve_index=False)
    else:
        labels, X = pa.chunked_array([y]), pa.Table.from_pandas(X, preserve_index=False)
    result = resample(X, labels, method="smote", random_state=0, verbose=0)
    assert type(result.y) is type(labels) and result.frame is result.X
    assert (result.y.dtype if kind == "polars" else result.y.type) == (
        labels.dtype if kind == "polars" else labels.type
    )
    values = np.asarray(result.y.to_numpy() if kind == "polars" else result.y.to_pandas())
    assert np.array_equal(values[: len(y)], y)
    assert len(values) == len(result.is_synthetic)
    assert set(values[result.is_synthetic]) == {1}


@pytest.mark.parametrize("kind", KINDS)
def test_pandas_with_a_note_when_the_schema_cannot_hold_the_rows(kind, mixed):
    # Planted: a fractional value in the integer column of a synthetic row.
    expected = resample(mixed, "label", method="smote_nc", random_state=0, verbose=0)
    frame = expected.frame.copy()
    frame.loc[frame.index[-1], "visits"] = 2.5
    broken = replace(expected, frame=frame)
    result = give_back(broken, TableInput(kind, _as(kind, mixed)))
    assert result.frame is frame
    assert result.notes[-1].startswith("The resampled rows are a pandas DataFrame")
    assert "visits" in result.notes[-1]  # the column at fault
    fix = "pl.from_pandas(" if kind == "polars" else "pa.Table.from_pandas("
    assert f"Convert the column it names, then {fix}" in result.notes[-1]


def test_the_session_gives_back_the_kind_without_the_excluded_rows(mixed):
    table = _as("polars", mixed)
    session = DiagnosisSession(table, "label")
    result = session.resample("smote_nc", random_state=0, exclude=[0, 5])
    keep = [i for i in range(len(mixed)) if i not in (0, 5)]
    assert isinstance(result.frame, pl.DataFrame) and result.frame.schema == table.schema
    assert result.frame[: len(keep)].equals(table[keep])
    assert session.resample("smote_nc", random_state=0, exclude=[0, 5]) is result  # cached


# --- evaluate, the estimator, the magic, the dashboard, the CLI -------------------------------


@pytest.fixture(scope="module")
def small():
    """400 rows of make_compact_minority (360 + 40): quick to cross-validate."""
    frame = datasets.make_compact_minority(random_state=0).frame
    parts = [frame[frame.label == 0].iloc[:360], frame[frame.label == 1].iloc[:40]]
    return pd.concat(parts, ignore_index=True)


def test_evaluate_runs_on_polars_input(small):
    got = evaluate(pl.from_pandas(small), "label", cv=2, random_state=0, verbose=0)
    want = evaluate(small, "label", cv=2, random_state=0, verbose=0)
    pd.testing.assert_frame_equal(got.scores, want.scores)
    assert got.advice_methods == want.advice_methods


def test_the_advised_classifier_fits_and_predicts_polars(small):
    X, y = small.drop(columns="label"), small["label"]
    model = AdvisedClassifier(random_state=0).fit(pl.from_pandas(X), pl.from_pandas(y))
    reference = AdvisedClassifier(random_state=0).fit(X, y)
    assert np.array_equal(model.predict(pl.from_pandas(X)), reference.predict(X))
    proba = model.predict_proba(pa.Table.from_pandas(X, preserve_index=False))
    assert np.allclose(proba, reference.predict_proba(X))


@pytest.fixture
def ip():
    from IPython.core.interactiveshell import InteractiveShell

    shell = magic_shell()
    shell.user_ns.update(pdf=pl.from_pandas(load_demo()), tbl=pa.Table.from_pandas(load_demo()))
    yield shell
    InteractiveShell.clear_instance()


def test_the_magic_accepts_a_polars_frame_and_a_pyarrow_table(ip):
    expected = ip.run_line_magic("smote_check", "df status --projection none")
    for name in ("pdf", "tbl"):
        report = ip.run_line_magic("smote_check", f"{name} status --projection none")
        assert isinstance(report, DiagnosisReport)
        assert report.to_dict()["findings"] == expected.to_dict()["findings"]
        assert report.recommendation.method == expected.recommendation.method


def test_the_magic_puts_the_resampled_polars_frame_in_the_notebook(ip):
    from IPython.utils.capture import capture_output

    with capture_output():
        ip.run_line_magic("smote_check", "pdf status --resample -o out --projection none")
    out, pdf = ip.user_ns["out"], ip.user_ns["pdf"]
    assert isinstance(out, pl.DataFrame) and out.schema == pdf.schema
    assert len(out) == 2 * 3800 and out[: len(pdf)].equals(pdf)


def test_the_dashboard_accepts_a_polars_frame(mixed, tmp_path):
    app = dashboard(_as("polars", mixed), "label", random_state=0)
    reference = diagnose(mixed, "label", random_state=0, verbose=0)
    assert app.message.value == ""
    assert app.report.recommendation.method == reference.recommendation.method
    app.select("Resample preview")
    assert app.message.value == ""
    assert isinstance(app.result.frame, pl.DataFrame)
    app.export_prefix.value = str(tmp_path / "out")
    app.export("csv")
    written = pd.read_csv(tmp_path / "out_resampled.csv")
    assert list(written.columns) == list(mixed.columns) + ["is_synthetic"]
    assert written["is_synthetic"].sum() == app.result.is_synthetic.sum()


def test_the_cli_reads_parquet_written_by_polars(mixed, tmp_path):
    import json

    from smote_diag.cli import main

    path = tmp_path / "data.parquet"
    _as("polars", mixed).write_parquet(path)
    out = tmp_path / "report.json"
    assert main(["report", str(path), "--target", "label", "--json", str(out)]) == 0
    findings = json.loads(out.read_text())["findings"]
    expected = diagnose(mixed, "label", random_state=0, verbose=0).to_dict()["findings"]
    assert findings == expected


def test_a_pyarrow_table_made_from_pandas_has_its_index_again():
    """pa.Table.from_pandas stores the index as a column ("__index_level_0__"): it is the
    rows' labels again, not a feature."""
    data = datasets.make_flipped_labels(random_state=0)
    sub = data.frame.sample(frac=0.5, random_state=0)  # a shuffled index with gaps
    table = pa.Table.from_pandas(sub)
    assert "__index_level_0__" in table.column_names
    report = diagnose(table, "label", random_state=0, verbose=0)
    assert report.feature_columns == ("x0", "x1")
    expected = diagnose(sub, "label", random_state=0, verbose=0)
    assert report.finding("noise").rows == expected.finding("noise").rows  # index labels
    result = resample(table, "label", method="smote", random_state=0, verbose=0)
    assert isinstance(result.frame, pa.Table)
    assert result.frame.column_names == table.column_names
    stored = result.frame.column("__index_level_0__").to_pylist()
    assert stored[: len(sub)] == list(sub.index)
    assert not set(stored[len(sub) :]) & set(sub.index)  # new labels, none of the rows


def test_pandas_widening_is_not_said_of_a_polars_result():
    """A left-out integer id is missing in synthetic rows: pandas needs Int64 for that, a
    polars column holds nulls as it is, so the note about pandas' dtype is not given."""
    frame = datasets.make_flipped_labels(random_state=0).frame
    frame = frame.assign(row_id=np.arange(len(frame)))
    in_pandas = resample(frame, "label", method="smote", random_state=0, verbose=0)
    assert any("pandas' nullable" in note for note in in_pandas.notes)
    in_polars = resample(pl.from_pandas(frame), "label", method="smote", random_state=0, verbose=0)
    assert in_polars.frame.schema["row_id"] == pl.Int64
    assert not any("pandas' nullable" in note for note in in_polars.notes)
