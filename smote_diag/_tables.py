"""Tables from the ecosystem: polars DataFrames and pyarrow Tables.

Each public entry reads such a table once, as a pandas DataFrame (``read_tables``): its rows
are then named by position, as a table has no index (a pyarrow Table that stores a pandas
index, as ``pa.Table.from_pandas`` makes it, has that index again). What goes back to the
caller as a frame goes back in the caller's kind (``give_back``): the caller's own rows
first, unchanged, then the synthetic rows cast to the caller's schema; or pandas, with a
note, when the schema cannot hold them.

polars and pyarrow are never imported here at module level: an object of theirs can only
exist once its library is loaded, so the checks read ``sys.modules`` and import nothing.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .exceptions import InputTypeError

# The words of resample()'s note on dtypes pandas widens (an integer id missing in synthetic
# rows): said of pandas output only, as polars and pyarrow columns hold missing values.
PANDAS_WIDENING = "pandas' nullable"


def _module(name: str):
    """The library ``name`` if it is loaded (it is, when an object of it exists)."""
    return sys.modules.get(name)


def _library(obj) -> str | None:
    """The library ("polars" or "pyarrow") of ``obj`` when it is one of theirs, else None."""
    root = type(obj).__module__.split(".")[0]
    return root if root in ("polars", "pyarrow") and _module(root) is not None else None


def table_kind(obj) -> str | None:
    """The kind of a table: "polars" (a DataFrame), "pyarrow" (a Table), else None."""
    library = _library(obj)
    if library == "polars" and isinstance(obj, _module("polars").DataFrame):
        return "polars"
    if library == "pyarrow" and isinstance(obj, _module("pyarrow").Table):
        return "pyarrow"
    return None


def _label_kind(obj) -> str | None:
    """The kind of labels: "polars" (a Series), "pyarrow" (an Array or ChunkedArray)."""
    library = _library(obj)
    if library == "polars" and isinstance(obj, _module("polars").Series):
        return "polars"
    if library == "pyarrow":
        pa = _module("pyarrow")
        if isinstance(obj, (pa.Array, pa.ChunkedArray)):
            return "pyarrow"
    return None


def column_names(obj) -> list:
    """The column names of a pandas, polars or pyarrow table."""
    if table_kind(obj) == "pyarrow":
        return list(obj.column_names)
    return list(obj.columns)


def table_as_frame(data) -> pd.DataFrame | None:
    """A polars DataFrame or pyarrow Table as a pandas DataFrame (positions as its index);
    None for anything else. Other polars and pyarrow objects are refused with the fix."""
    kind = table_kind(data)
    if kind == "polars":
        return data.to_pandas()
    if kind == "pyarrow":
        # Every column is a column, in the arrow schema's types, except the columns that hold
        # a pandas index (pa.Table.from_pandas stores it as "__index_level_0__"): they are
        # that index again, not features.
        frame = data.to_pandas(ignore_metadata=True)
        stored = index_columns(data)
        if stored:
            frame = frame.set_index(stored)
            frame.index.names = [None if n.startswith("__index_level_") else n for n in stored]
        return frame
    library = _library(data)
    if library is None:
        return None
    name = type(data).__name__
    fixes = {
        "LazyFrame": "collect it first: data.collect()",
        "Series": "make it a table first, e.g. series.to_frame()",
        "RecordBatch": "make it a Table first: pa.Table.from_batches([batch])",
        "Array": "pass a Table",
        "ChunkedArray": "pass a Table",
    }
    fix = fixes.get(name, "pass a polars DataFrame, a pyarrow Table or a pandas DataFrame")
    raise InputTypeError(f"Got a {library} {name}, not a table of features; {fix}.")


def index_columns(table) -> list:
    """The columns of a pyarrow Table that hold a pandas index (its pandas metadata names
    them; a RangeIndex is stored as metadata only)."""
    meta = table.schema.pandas_metadata or {}
    names = set(table.column_names)
    return [c for c in meta.get("index_columns", []) if isinstance(c, str) and c in names]


def labels_as_series(target, index: pd.Index):
    """Labels given as a polars Series or a pyarrow Array / ChunkedArray, as a pandas Series
    paired with the rows by position (they have no index); anything else unchanged."""
    if _label_kind(target) is None:
        return target
    labels = target.to_pandas()  # a new Series, ours to name
    if len(labels) != len(index):
        return labels.to_numpy()  # check_inputs says the lengths differ
    labels.index = index
    labels.name = getattr(target, "name", None) or None  # polars names a Series "" by default
    return labels


@dataclass(frozen=True, eq=False)
class TableInput:
    """The caller's polars or pyarrow objects, kept to give frames back in their kind."""

    kind: str  # "polars" or "pyarrow"
    data: object  # the caller's table (read, never written)
    labels: object = None  # the caller's labels when they were not a column name


def read_tables(data, target):
    """``data`` and ``target`` as pandas when they are polars or pyarrow objects, with a
    TableInput (None when ``data`` is not a table) to give the results back.

    Examples
    --------
    >>> import polars as pl
    >>> frame, target, table = read_tables(pl.DataFrame({"x": [1, 2], "y": [0, 1]}), "y")
    >>> type(frame).__name__, target, table.kind
    ('DataFrame', 'y', 'polars')
    """
    frame = table_as_frame(data)
    table = None
    if frame is not None:
        is_name = isinstance(target, str) and target in frame.columns
        table = TableInput(table_kind(data), data, None if is_name else target)
        data = frame
    if _label_kind(target) is not None:
        index = data.index if isinstance(data, pd.DataFrame) else pd.RangeIndex(len(data))
        target = labels_as_series(target, index)
    return data, target, table


def give_back(result, table: TableInput | None, positions=None):
    """A ResampleResult whose ``frame``, ``X`` and ``y`` are of the caller's kind: the
    caller's rows (those at ``positions``, default all) first and unchanged, then the
    synthetic rows cast to the caller's schema. When that schema cannot hold them, the
    pandas result comes back with a note that says so."""
    if table is None or result.frame is None:
        return result
    n_original = int(np.count_nonzero(~np.asarray(result.is_synthetic)))
    synthetic = result.frame.iloc[n_original:]
    stored = index_columns(table.data) if table.kind == "pyarrow" else []
    synthetic = synthetic.reset_index(names=stored) if stored else synthetic.reset_index(drop=True)
    new_labels = pd.Series(result.y).iloc[n_original:].to_numpy()
    target_column = table.labels is None and result.y is not None
    try:
        back = _to_polars if table.kind == "polars" else _to_pyarrow
        frame, X, y = back(table, positions, synthetic, new_labels, result, target_column)
    except _conversion_errors(table.kind) as exc:
        reason = _reason(exc)
        fix = {
            "polars": "pl.from_pandas(result.frame)",
            "pyarrow": "pa.Table.from_pandas(result.frame, preserve_index=False)",
        }[table.kind]
        note = (
            f"The resampled rows are a pandas DataFrame: the data's {table.kind} schema cannot "
            f"hold the synthetic rows ({reason}). Convert the column it names, then {fix}."
        )
        return replace(result, notes=result.notes + (note,))
    # the caller's schema holds missing values itself: pandas' widening is not theirs
    notes = tuple(n for n in result.notes if PANDAS_WIDENING not in n)
    return replace(result, frame=frame, X=X, y=y, notes=notes)


class _NotWhole(ValueError):
    pass


def _reason(exc: Exception) -> str:
    """The first line of each part of an error's message (pyarrow gives several at once)."""
    parts = [p for a in exc.args for p in (a if isinstance(a, tuple) else (a,))]
    lines = [str(p).strip().splitlines()[0] for p in parts if str(p).strip()]
    return "; ".join(lines) or type(exc).__name__


def _conversion_errors(kind: str) -> tuple:
    errors = (TypeError, ValueError)
    if kind == "polars":
        return errors + (_module("polars").exceptions.PolarsError,)
    return errors + (_module("pyarrow").lib.ArrowException,)


def _target_name(result):
    return getattr(result.y, "name", None)


def _to_polars(table, positions, synthetic, new_labels, result, target_column):
    pl = _module("polars")
    original = table.data if positions is None else table.data[np.asarray(positions)]
    schema = original.schema
    for name, dtype in schema.items():
        if dtype.is_integer():
            values = pd.to_numeric(synthetic[name], errors="coerce").to_numpy(dtype=float)
            values = values[~np.isnan(values)]
            if not np.array_equal(values, np.round(values)):
                raise _NotWhole(f"column {name!r} of type {dtype} got fractional values")
    new = pl.from_pandas(synthetic).select(original.columns).cast(dict(schema))
    frame = pl.concat([original, new], how="vertical")
    if target_column:
        name = _target_name(result)
        return frame, frame.drop(name), frame[name]
    labels = table.labels
    if _label_kind(labels) == "polars":
        old = labels if positions is None else labels[np.asarray(positions)]
        y = pl.concat([old, pl.Series(old.name, new_labels).cast(old.dtype)])
    else:
        y = pl.Series(_target_name(result) or "", pd.Series(result.y).to_numpy())
    return frame, frame, y


def _to_pyarrow(table, positions, synthetic, new_labels, result, target_column):
    pa = _module("pyarrow")
    original = table.data if positions is None else table.data.take(np.asarray(positions))
    schema = original.schema
    new = pa.Table.from_pandas(synthetic, schema=schema, preserve_index=False)
    frame = pa.concat_tables([original, new.replace_schema_metadata(schema.metadata)])
    if target_column:
        name = _target_name(result)
        return frame, frame.drop_columns([name]), frame.column(name)
    labels = table.labels
    if _label_kind(labels) == "pyarrow":
        old = labels if positions is None else labels.take(np.asarray(positions))
        added = pa.array(new_labels, type=old.type, from_pandas=True)
        if isinstance(old, pa.ChunkedArray):
            y = pa.chunked_array([*old.chunks, added], type=old.type)
        else:
            y = pa.concat_arrays([old, added])
    else:
        y = pa.chunked_array([pa.array(pd.Series(result.y).to_numpy(), from_pandas=True)])
    return frame, frame, y
