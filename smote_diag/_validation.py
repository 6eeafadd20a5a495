"""check_inputs(): the only code that inspects raw user input.

Everything downstream trusts what this returns: a feature frame that is never written to,
labels without missing values, at least two classes, and every column sorted into a kind.
"""

from __future__ import annotations

import difflib
import re
import warnings
from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from numbers import Integral

import numpy as np
import pandas as pd
from pandas.api import types as ptypes
from sklearn.utils.multiclass import type_of_target

from ._format import LIST_SHOWN, listed
from ._rows import backend_of
from ._tables import labels_as_series, table_as_frame
from .exceptions import InputError, InputTypeError

# A one-hot group is at least this many 0/1 columns sharing a name prefix ("colour_red",
# "colour_blue") whose row sums never exceed one.
MIN_ONEHOT_GROUP_COLUMNS = 2

# --- columns that are not features: identifiers, dates written as text, free text -----------

# Distinct values are counted with a "k minimum values" sketch (Bar-Yossef et al. 2002, Beyer
# et al. 2007): the SKETCH_SIZE smallest 64-bit hashes of a column's distinct values. The
# sketch of all rows is the sketch of the union of any row blocks, so the in-memory and the
# dask paths (per-partition facts, merged) read the same figure. Up to SKETCH_SIZE distinct
# values the count is exact; beyond, it is estimated as (k - 1) / (k-th smallest hash / 2**64),
# with a relative standard error of 1 / sqrt(k - 2), about 1.1% (the notes then say
# "about"). It costs 64 KB per column and row block, whatever the row count.
SKETCH_SIZE = 8192

# The text checks (dates, uuids, single words) read the values with the TEXT_SAMPLE_SIZE
# smallest hashes: a uniform random sample of the distinct values, the same however the rows
# are split, and cheap at any row count.
TEXT_SAMPLE_SIZE = 100

# "Nearly all" of the sampled values: a placeholder or two ("unknown", "n/a") do not hide a
# column of dates or uuids, but a column where one sampled value in twenty is not a date is
# not a column of dates.
SAMPLE_MIN_SHARE = 0.95

# An identifier has (nearly) one value per row: at least this share of its present values
# distinct (a few repeats, such as duplicated records, allowed). A unique column's estimated
# share (beyond SKETCH_SIZE values) is about 4.5 standard errors above this bar.
ID_MIN_DISTINCT_SHARE = 0.95

# An integer identifier fills its range: max - min + 1 is at most this many times its
# distinct values (deleted rows or a train/test split leave gaps: a third of the range may
# be missing). Measured whole numbers (amounts in cents, durations in seconds) almost never
# do while being distinct: n values drawn from a range of 1.5 n are only about 73% distinct
# (1.5 (1 - e^(-1/1.5)), the birthday problem), so they fail ID_MIN_DISTINCT_SHARE.
ID_MAX_SPAN_RATIO = 1.5

# With fewer present values, a small count can be distinct and fill its range by chance
# (1, 2, ..., 12): the range rule needs at least this many values.
ID_MIN_VALUES = 20

# An integer column whose name's last word (split at "_", "-", spaces, digits and camelCase:
# "customer_id", "CustomerID", "ID", "order-key") is one of these is an identifier when its
# values are distinct, whatever their range (shuffled or random ids).
ID_NAME_WORDS = ("id", "uuid", "guid", "uid", "key")

# A text or category column with more distinct values than this share of its present rows is
# left out of the distances: free text, or labels of single rows, which a neighbour search
# cannot use (most values match no other row). Categories with many levels that do repeat
# stay, their rare levels sharing one dimension (``_space.MAX_CATEGORY_LEVELS``).
MAX_DISTINCT_SHARE = 0.5

# Text read as dates or times: a date (2024-03-01, 03/01/2024, 1.3.2024, 03/01/24,
# 1 Mar 2024, March 1, 2024), optionally followed by a time, or a time alone (10:22,
# 10:22:05.120, 10:22 pm), optionally with a time zone; and it must parse (pd.to_datetime).
# Numbers stored as text (20240301, 3.5), words, codes ("A-12", "1.2.3") do not match.
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATE = (
    r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
    r"|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}"
    r"|\d{1,2}/\d{1,2}/\d{2}"
    rf"|\d{{1,2}}[ -]{_MONTH}[ -]\d{{2,4}}"
    rf"|{_MONTH} \d{{1,2}},? \d{{4}})"
)
_TIME = r"\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?: ?[ap]\.?m\.?)?"
_ZONE = r"(?: ?(?:z|utc|gmt|[+-]\d{2}:?\d{2}))?"
DATE_TEXT = re.compile(rf"\s*(?:{_DATE}(?:(?:t| +){_TIME})?|{_TIME}){_ZONE}\s*", re.IGNORECASE)
# Numbers with a fractional part written as text ("3.25", "-0.5e-3"): like floats, never ids.
DECIMAL_TEXT = re.compile(r"\s*[+-]?\d*\.\d+(?:e[+-]?\d+)?\s*", re.I)
# a number written as text: "12", "-0.5", "3e-4", " 7.25 "
NUMBER_TEXT = re.compile(r"\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?\s*", re.I)
# 8-4-4-4-12 hexadecimal digits, dashes and braces optional (uuid.UUID's own text forms).
UUID_TEXT = re.compile(r"\s*\{?[0-9a-f]{8}(?:-?[0-9a-f]{4}){3}-?[0-9a-f]{12}\}?\s*", re.I)


@dataclass(frozen=True)
class ColumnKinds:
    """How each feature column is treated; every used column is in exactly one of the first
    four tuples, ``integer`` and ``onehot_groups`` describe subsets of them."""

    numeric: tuple = ()  # continuous numbers: standardised for distances
    binary: tuple = ()  # numeric columns holding only 0 and 1
    boolean: tuple = ()  # bool dtype
    categorical: tuple = ()  # text, object or category dtype
    integer: tuple = ()  # numeric columns whose values are all whole numbers
    onehot_groups: tuple = ()  # tuples of binary/boolean columns that encode one category
    excluded: Mapping = None  # column -> why it was left out of the distances

    @property
    def used(self) -> tuple:
        return self.numeric + self.binary + self.boolean + self.categorical


@dataclass(frozen=True, eq=False)
class CheckedInput:
    """Validated input: the caller's feature columns (never written to) and clean labels."""

    X: pd.DataFrame  # feature columns, caller's order; a view, never mutated
    y: np.ndarray  # labels as the caller wrote them (object or native dtype)
    y_codes: np.ndarray  # int code per row into ``classes``
    classes: tuple  # labels ordered by count, largest first
    counts: tuple  # rows per class, same order
    is_frame: bool  # the caller passed a DataFrame
    index: pd.Index  # the caller's index (a RangeIndex for arrays)
    target: Hashable | None  # target column name (or the labels Series' name), else None
    kinds: ColumnKinds
    feature_columns: tuple = ()  # every feature column of the caller, used or not, in order
    notes: tuple = ()
    positions: np.ndarray = None  # each row's position in the caller's data (a sample's too)
    target_is_column: bool = False  # the target was named as a column of the data
    # Rows kept outside this process (``_rows``: a dask DataFrame's stay on its workers): X
    # is then an empty frame with the used columns' names and dtypes, and this ``Rows``
    # fetches values and whole-data figures; None for rows in memory.
    source: object = None

    @cached_property
    def rows(self):
        """Where the rows are read from (``_rows``): the dask backend's rows (``source``),
        else the caller's frame in memory."""
        from ._rows import FrameRows

        return self.source if self.source is not None else FrameRows(self.X)

    @property
    def in_memory(self) -> bool:
        """Every row is here, and reading them all at once is cheap."""
        return self.rows.in_memory

    @cached_property
    def row_facts(self):
        """RowFacts of the used columns over every row (computed once)."""
        return self.rows.row_facts(self.kinds)

    def feature_values(self, columns, rows=None) -> np.ndarray:
        """Raw values of ``columns`` as floats (missing as NaN), of every row or of the rows
        at positions ``rows``."""
        return self.rows.feature_values(list(columns), rows)

    @cached_property
    def missing_cells(self) -> np.ndarray:
        """(rows, used columns) mask of missing or infinite values, every row (computed
        once; the per-class tables read it)."""
        columns = list(self.kinds.used)

        def mask(frame):
            values = frame[columns]
            out = values.isna().to_numpy().copy()  # pandas may hand a read-only view
            numbers = [
                i for i, c in enumerate(values.columns) if ptypes.is_numeric_dtype(values[c])
            ]
            if numbers:
                part = values.iloc[:, numbers].to_numpy(dtype=float, na_value=np.nan)
                out[:, numbers] |= np.isinf(part)
            return out

        return np.concatenate(self.rows.map(mask))

    def feature_rows(self, columns, rows) -> pd.DataFrame:
        """The caller's values of ``columns`` (dtypes kept) at positions ``rows``, with a
        fresh RangeIndex."""
        if not len(rows):
            frame = self.X[list(columns)].iloc[:0]
        else:
            frame = self.rows.take(np.asarray(rows), lambda part: part[list(columns)])
        return frame.reset_index(drop=True)

    @property
    def n_rows(self) -> int:
        return len(self.y)

    @property
    def rows_as_labels(self) -> bool:
        """Rows are reported by index label for frames with a unique index, else by position."""
        return self.is_frame and self.index.is_unique

    @property
    def majority_class(self):
        return self.classes[0]

    @property
    def minority_codes(self) -> tuple:
        """Codes of every class smaller than the largest one (diagnosed against the rest)."""
        return tuple(c for c in range(1, len(self.classes)) if self.counts[c] < self.counts[0])


def check_inputs(data, target=None, *, k_neighbors=5, anywhere=False) -> CheckedInput:
    """Validate ``data`` and ``target`` once, before any numerical work.

    Parameters
    ----------
    data : DataFrame or 2-D array-like
        Features, and the target column when ``target`` is a column name.
    target : hashable or array-like
        The target column's name in ``data``, or the labels themselves.
    k_neighbors : int, default=5
        SMOTE's neighbour count, checked for type and range here.
    anywhere : bool, default=False
        Accept input whose rows live outside this process (a dask DataFrame: its rows stay
        on the workers; see ``_rows``); callers that need the rows in memory leave it False
        and the user gets a clear refusal.

    Notes
    -----
    Columns that are not features are left out of the distances, each with a note saying
    why (``ColumnKinds.excluded``): dates and times (also written as text), constant and
    empty columns, identifiers, and free text or categories with more than half of the rows
    distinct (see ``_column_kinds`` and the constants above it).

    Raises
    ------
    InputTypeError
        ``data`` is not tabular, or ``target`` is neither a column name nor labels.
    InputError
        Missing target column (with close matches), one class, missing labels, an empty
        table, no usable feature column, a bad ``k_neighbors``.
    """
    check_k_neighbors(k_neighbors)
    backend = backend_of(data)
    if backend is not None:
        if not anywhere:
            raise InputTypeError(
                f"This needs the data in memory, and {backend.DESCRIPTION} is not: pass "
                f"{backend.TO_MEMORY} (or a sample of it). diagnose() and resample() take "
                f"{backend.DESCRIPTION.removeprefix('a ')}s as they are."
            )
        return backend.check_inputs(data, target, k_neighbors=k_neighbors)
    frame, is_frame = _as_frame(data)
    target = labels_as_series(target, frame.index)  # polars or pyarrow labels
    X, y, target_name, notes = _split_target(frame, target, is_frame)
    check_has_rows(len(X))
    y = _check_labels(y, target_name)
    codes, classes, counts = _encode_labels(y, target_name)
    X = X.infer_objects()  # object columns holding only numbers become numbers
    decimals = [
        c
        for c in X.columns
        if X[c].dtype == object and ptypes.infer_dtype(X[c], skipna=True) == "decimal"
    ]
    if decimals:  # decimal.Decimal values (polars Decimal, pyarrow decimal128) are numbers
        X = X.astype({c: "float64" for c in decimals})
        notes.append(f"Columns {listed(decimals)} hold decimal numbers: they are used as floats.")
    sparse = [c for c in X.columns if isinstance(X[c].dtype, pd.SparseDtype)]
    if sparse:
        X = X.astype({c: X[c].dtype.subtype for c in sparse})
        notes.append(f"Sparse columns {listed(sparse)} were made dense for the diagnosis.")
    kinds, column_notes = _column_kinds(X)
    notes += column_notes
    if is_frame and not frame.index.is_unique:
        notes.append(
            "The index has repeated labels, so rows are reported by position (0-based), not label."
        )
    check_used_columns(kinds)
    index = frame.index if is_frame else pd.RangeIndex(len(X))
    return CheckedInput(
        X=X[list(kinds_order(X, kinds))],
        y=y,
        y_codes=codes,
        classes=classes,
        counts=counts,
        is_frame=is_frame,
        index=index,
        target=target_name,
        kinds=kinds,
        feature_columns=tuple(X.columns),
        notes=tuple(notes),
        positions=np.arange(len(X)),
        target_is_column=is_frame and target_name is not None and target_name in frame.columns,
    )


def check_unique_columns(columns: pd.Index) -> None:
    if columns.has_duplicates:
        dup = listed(columns[columns.duplicated()].unique())
        raise InputError(f"Columns {dup} appear more than once. Rename or drop the copies.")


def check_has_rows(n_rows: int) -> None:
    if not n_rows:
        raise InputError("The data has no rows; diagnosis needs at least two classes of rows.")


def check_used_columns(kinds: ColumnKinds) -> None:
    """At least one column left for the distances, or say why each was left out."""
    if not kinds.used:
        reasons = "; ".join(f"{c!r}: {why}" for c, why in list(kinds.excluded.items())[:10])
        raise InputError(
            f"No usable feature column is left ({reasons or 'the data has no feature columns'})."
            " Add numeric or categorical features."
        )


def stratified_sample(checked: CheckedInput, size, random_state, k_neighbors) -> CheckedInput:
    """The same input restricted to a stratified random sample of ``size`` rows (every
    class keeps its share), with a note that says so and how precise a share measured on
    the smallest class is. Refused when it would leave a class that has k + 1 rows with
    fewer: the sample would describe itself, not the data."""
    n = len(checked.y)
    size = check_positive_int(size, "sample", minimum=10)
    if size >= n:
        return checked
    from sklearn.utils import check_random_state

    rng = check_random_state(random_state)
    takes = [min(count, max(2, int(round(size * count / n)))) for count in checked.counts]
    for code, (count, take) in enumerate(zip(checked.counts, takes)):
        if count >= k_neighbors + 1 > take:
            needed = int(np.ceil((k_neighbors + 1) * n / count))
            raise InputError(
                f"A sample of {size:,} rows leaves class {checked.classes[code]!r} with {take} "
                f"rows, fewer than k_neighbors + 1 = {k_neighbors + 1}. Sample at least "
                f"{needed:,} rows."
            )
    keep = []
    for code, take in enumerate(takes):
        rows = np.flatnonzero(checked.y_codes == code)
        keep.append(rng.choice(rows, take, replace=False))
    rows = np.sort(np.concatenate(keep))
    codes = checked.y_codes[rows]
    counts = tuple(int(c) for c in np.bincount(codes, minlength=len(checked.classes)))
    smallest = min(counts)
    note = (
        f"Diagnosed a stratified sample of {len(rows):,} of {n:,} rows (the report's counts "
        f"are the sample's); a share measured on the smallest class ({smallest:,} rows) has a "
        f"standard error of at most {0.5 / np.sqrt(smallest):.1%}."
    )
    return replace(
        checked,
        X=checked.rows.take(rows),
        source=None,
        y=checked.y[rows],
        y_codes=codes,
        counts=counts,
        notes=checked.notes + (note,),
        positions=checked.positions[rows],
    )


def kinds_order(X: pd.DataFrame, kinds: ColumnKinds):
    """The used columns in the caller's order."""
    used = set(kinds.used)
    return [c for c in X.columns if c in used]


def check_positive_int(value, name: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < minimum:
        raise InputError(f"{name} must be an integer >= {minimum}, got {value!r}.")
    return int(value)


def check_seed(random_state) -> None:
    """None, an integer from 0 to 2**32 - 1, or a RandomState (scikit-learn's convention)."""
    if random_state is None or isinstance(random_state, np.random.RandomState):
        return
    if isinstance(random_state, np.random.Generator):
        raise InputError(
            "random_state is a numpy Generator, which scikit-learn and imbalanced-learn "
            "cannot use. Pass an integer, e.g. random_state=0."
        )
    if (
        isinstance(random_state, bool)
        or not isinstance(random_state, Integral)
        or not (0 <= random_state < 2**32)
    ):
        raise InputError(
            f"random_state must be None, an integer from 0 to 2**32 - 1 or a RandomState, "
            f"got {random_state!r}."
        )


def check_classifier(estimator, name: str = "estimator") -> None:
    """An instance of a scikit-learn classifier, or an error naming what was given."""
    from sklearn.base import is_regressor

    if isinstance(estimator, type):
        raise InputTypeError(
            f"{name} is the class {estimator.__name__}; pass an instance, e.g. "
            f"{estimator.__name__}()."
        )
    if not (hasattr(estimator, "fit") and hasattr(estimator, "get_params")):
        raise InputTypeError(
            f"{name} must be a scikit-learn classifier, got {type(estimator).__name__}."
        )
    if is_regressor(estimator):
        raise InputTypeError(
            f"{name} {type(estimator).__name__} is not a classifier; pass a classifier, "
            "e.g. LogisticRegression()."
        )


def check_n_jobs(n_jobs) -> None:
    """None or a non-zero integer (negative counts from the number of cores, as in
    scikit-learn)."""
    if n_jobs is None:
        return
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, Integral) or n_jobs == 0:
        raise InputError(
            f"n_jobs must be None or a non-zero integer (-1 for every core), got {n_jobs!r}."
        )


def check_k_neighbors(k_neighbors) -> None:
    check_positive_int(k_neighbors, "k_neighbors")


def _as_frame(data) -> tuple[pd.DataFrame, bool]:
    if isinstance(data, pd.DataFrame):
        check_unique_columns(data.columns)
        return data, True
    table = table_as_frame(data)  # a polars DataFrame or a pyarrow Table, read once
    if table is not None:
        check_unique_columns(table.columns)
        return table, True
    if isinstance(data, pd.Series):
        raise InputTypeError(
            f"Got a Series ({data.name!r}); smote_diag needs a table of features. "
            "Pass a DataFrame, e.g. series.to_frame()."
        )
    if hasattr(data, "toarray") and hasattr(data, "nnz"):
        raise InputTypeError(
            "Got a scipy sparse matrix; pass a dense table: X.toarray() or a DataFrame."
        )
    if hasattr(data, "to_pandas") and not hasattr(data, "npartitions"):  # pyarrow, polars
        raise InputTypeError(
            f"Got a {type(data).__name__}; pass a pandas DataFrame, e.g. data.to_pandas()."
        )
    if getattr(getattr(data, "dtype", None), "names", None):
        raise InputTypeError(
            "Got a structured numpy array; pass a DataFrame, e.g. pd.DataFrame(data)."
        )
    if isinstance(data, (str, bytes, Mapping)) or not hasattr(data, "__len__"):
        fix = {
            str: " If it is a file, read it first, e.g. pd.read_csv(path).",
            dict: " Make it a table first, e.g. pd.DataFrame(data).",
        }.get(type(data), "")
        raise InputTypeError(
            f"Expected a DataFrame or a 2-D array of features, got {type(data).__name__}.{fix}"
        )
    try:
        array = np.asarray(data)
    except Exception:  # ragged lists and the like
        raise InputTypeError(
            f"Could not read {type(data).__name__} as a table (rows of different lengths?). "
            "Pass a DataFrame or a 2-D array."
        ) from None
    if array.ndim != 2:
        raise InputTypeError(
            f"Expected a 2-D table of features, got an array of shape {array.shape}. "
            "Reshape a single feature with X.reshape(-1, 1)."
        )
    return pd.DataFrame(array), False


def _is_labels(target) -> bool:
    return isinstance(target, (pd.Series, pd.Index, np.ndarray, list, tuple, pd.Categorical))


def _split_target(frame: pd.DataFrame, target, is_frame: bool):
    if target is None:
        raise InputError(
            "No target given. Pass the target column's name, e.g. diagnose(df, target='label'), "
            "or the labels, e.g. diagnose(X, y)."
        )
    if isinstance(target, Iterator) or hasattr(target, "npartitions"):
        what = (
            "a dask Series: compute it first (y.compute())"
            if hasattr(target, "npartitions")
            else f"a {type(target).__name__}: make it a list or an array first"
        )
        raise InputTypeError(f"The labels are {what}, or name the target column.")
    if _is_labels(target) and not (
        is_frame and isinstance(target, tuple) and target in frame.columns
    ):
        notes = []
        if is_frame and isinstance(target, pd.Series) and not target.index.equals(frame.index):
            target = _aligned(target, frame)
            notes.append("The labels were paired with the rows by index label.")
        y = np.asarray(target.to_numpy() if hasattr(target, "to_numpy") else target, dtype=object)
        if (
            is_frame
            and isinstance(target, (list, tuple))
            and len(target) == 1
            and len(frame) != 1
            and isinstance(target[0], Hashable)
            and target[0] in frame.columns
        ):
            raise InputError(
                f"target={target!r} is a list; name the target column itself: target={target[0]!r}."
            )
        if y.ndim != 1:
            raise InputError(
                f"The labels must be one-dimensional, got shape {y.shape}. Pass one label per "
                "row, e.g. y.ravel() or df['label']."
            )
        if len(y) != len(frame):
            raise InputError(
                f"The labels have {len(y)} rows but the features have {len(frame)}. "
                "Pass labels aligned with the rows of the features."
            )
        name = getattr(target, "name", None)
        labels = _native_labels(target, y)
        if is_frame:
            # a column that holds the labels would leak them into the distances
            copies = _columns_equal_to(frame, y)
            notes += [
                f"Column {c!r} holds the labels, so it was left out of the features."
                for c in copies
            ]
            frame = frame.drop(columns=copies) if copies else frame
        return frame, labels, name, notes
    if not isinstance(target, Hashable):
        raise InputTypeError(
            f"target must be a column name or the labels, got {type(target).__name__}."
        )
    if not is_frame:
        raise InputError(
            f"target={target!r} looks like a column name, but the data is an array without "
            "names. Pass the labels instead, e.g. diagnose(X, y)."
        )
    _check_target_column(frame, target)
    column = frame[target]
    labels = _native_labels(column, column.to_numpy(dtype=object))
    return frame.drop(columns=[target]), labels, target, []


def _aligned(labels: pd.Series, frame: pd.DataFrame) -> pd.Series:
    """A labels Series whose index differs from the data's: paired by index label when both
    indexes hold the same unique labels, else refused (pairing by position could scramble
    the labels silently)."""
    same = (
        labels.index.is_unique
        and frame.index.is_unique
        and len(labels) == len(frame)
        and frame.index.isin(labels.index).all()
    )
    if not same:
        raise InputError(
            "The labels' index does not match the data's index. Align them first (e.g. "
            "y.loc[df.index]), or pass y.to_numpy() to pair them by position."
        )
    return labels.reindex(frame.index)


def _columns_equal_to(frame: pd.DataFrame, y: np.ndarray) -> list:
    """Columns whose values are the labels (checked on a few rows first, which is cheap)."""
    head = min(len(y), 100)
    found = []
    for name in frame.columns:
        column = frame[name]
        if not np.array_equal(column.iloc[:head].to_numpy(dtype=object), y[:head]):
            continue
        if np.array_equal(column.to_numpy(dtype=object), y):
            found.append(name)
    return found


def _native_labels(source, as_object: np.ndarray) -> np.ndarray:
    """Keep the caller's label type (int, str, bool, category values) in a 1-D array."""
    if isinstance(source, (pd.Series, pd.Index)) and isinstance(source.dtype, pd.CategoricalDtype):
        return as_object
    native = np.asarray(source.to_numpy() if hasattr(source, "to_numpy") else source)
    return native if native.dtype.kind in "biuUS" else as_object


def _check_target_column(frame: pd.DataFrame, target) -> None:
    if target in frame.columns:
        return
    names = [str(c) for c in frame.columns]
    close = difflib.get_close_matches(str(target), names, n=3)
    close += [c for c in names if c.lower() == str(target).lower() and c not in close]
    # a label column is often the last one: named even when the list is cut
    last = f" (the last is {names[-1]!r})" if len(names) > LIST_SHOWN else ""
    hint = (
        " Did you mean " + " or ".join(repr(c) for c in close) + "?"
        if close
        else f" Columns: {listed(names)}{last}."
    )
    raise InputError(f"Target column {target!r} is not in the DataFrame.{hint}")


def _check_labels(y: np.ndarray, target_name) -> np.ndarray:
    missing = pd.isna(pd.Series(y, dtype=object)).to_numpy()
    named = target_name is not None
    what = f"The target {target_name!r} has" if named else "The labels have"
    if missing.any():
        n = int(missing.sum())
        raise InputError(
            f"{what} {n} missing {'label' if n == 1 else 'labels'}. "
            "Drop those rows or fill them before diagnosing."
        )
    families = {_label_family(v) for v in pd.unique(pd.Series(y, dtype=object))[:10_000]}
    if len(families) > 1:  # True == 1 and "1" != 1: classes would merge or split silently
        raise InputError(
            f"{what} values of several types ({', '.join(sorted(families))}). Use one type "
            "for every label, e.g. y.astype(str)."
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            kind = type_of_target(pd.Series(y).infer_objects().to_numpy())
    except (TypeError, ValueError):  # tuples, complex or infinite values, ...
        kind = "unknown"
    if kind == "continuous":
        n_distinct = len(pd.unique(y))
        raise InputError(
            f"{f'The target {target_name!r} holds' if named else 'The labels hold'} {n_distinct} "
            "distinct non-integer numbers: it looks like a regression "
            "target. smote_diag needs class labels; if these are classes, pass them as text, "
            "e.g. y.astype(str)."
        )
    if kind not in ("binary", "multiclass"):
        kinds = sorted({type(v).__name__ for v in y[:1000]})
        raise InputError(
            f"{what} values that scikit-learn cannot read as class labels ({', '.join(kinds)}). "
            "Use one simple type for every label, e.g. y.astype(str)."
        )
    return y


def _label_family(value) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    if isinstance(value, (int, float, np.integer, np.floating)):
        return "number"
    if isinstance(value, (str, np.str_)):
        return "text"
    return type(value).__name__


def _encode_labels(y: np.ndarray, target_name):
    codes, uniques = pd.factorize(y, sort=False)
    counts = np.bincount(codes, minlength=len(uniques))
    if len(uniques) < 2:
        what = f"The target {target_name!r} has" if target_name is not None else "The labels have"
        raise InputError(
            f"{what} one class ({plain_value(uniques[0])!r}); diagnosis needs at least two."
        )
    order = np.argsort(-counts, kind="stable")  # largest class first
    remap = np.empty_like(order)
    remap[order] = np.arange(len(order))
    classes = tuple(plain_value(uniques[i]) for i in order)
    return remap[codes], classes, tuple(int(counts[i]) for i in order)


def row_positions(checked: CheckedInput, rows) -> np.ndarray:
    """Positions of ``rows`` named as ``Finding.rows`` names them: index labels for a
    DataFrame with a unique index, else positions."""
    if isinstance(rows, (str, bytes)) or not hasattr(rows, "__iter__"):
        raise InputTypeError(f"Rows to exclude must be a list, got {type(rows).__name__}.")
    rows = list(rows)
    if not rows:
        return np.zeros(0, dtype=np.intp)
    n = len(checked.y)
    if len(rows) == n and all(isinstance(r, (bool, np.bool_)) for r in rows):  # a mask
        return np.flatnonzero(np.asarray(rows, dtype=bool)).astype(np.intp)
    if checked.rows_as_labels:
        found = checked.index.get_indexer(rows)
        missing = [r for r, p in zip(rows, found) if p < 0]
        what = "index labels"
    else:
        found = np.array(
            [r if isinstance(r, Integral) and not isinstance(r, bool) else -1 for r in rows]
        )
        missing = [r for r, p in zip(rows, found) if not 0 <= p < n]
        what = f"positions from 0 to {n - 1}"
    if missing:
        raise InputError(
            f"Rows {listed(missing)} are not in the data. Name rows to exclude by {what}, as "
            "Finding.rows does."
        )
    return np.asarray(found, dtype=np.intp)


def take_rows(data, target, checked: CheckedInput, positions: np.ndarray):
    """``data`` and ``target`` cut to the rows at ``positions``, in the caller's shapes
    (new objects; a target given as a column name stays a name)."""
    if checked.is_frame:
        data_out = data.iloc[positions]
    else:
        data_out = np.asarray(data)[positions]
    if _is_labels(target) and not checked.target_is_column:
        if checked.is_frame and isinstance(target, pd.Series):
            if not target.index.equals(data.index):
                target = _aligned(target, data)
        target = (
            target.iloc[positions] if hasattr(target, "iloc") else np.asarray(target)[positions]
        )
    return data_out, target


def plain_value(value):
    """A numpy scalar as the Python value it holds (np.int64(3) -> 3); others unchanged."""
    return value.item() if isinstance(value, np.generic) else value


def closest_choice(value, choices):
    """The choice ``value`` most likely meant: the same letters and digits case aside
    ("SMOTE-NC" -> "smote_nc"), else difflib's closest match; None when nothing is close."""

    def key(text):
        return "".join(ch for ch in str(text).lower() if ch.isalnum())

    same = [c for c in choices if key(c) == key(value)]
    if same:
        return same[0]
    close = difflib.get_close_matches(str(value).lower(), list(choices), n=1)
    return close[0] if close else None


def did_you_mean(value, choices, *, list_choices: bool = False) -> str:
    """The hint after an unknown ``value``: " Did you mean 'x'?", and (when nothing is close,
    or ``list_choices``) " Choose one of [...]."."""
    close = closest_choice(value, choices)
    hint = f" Did you mean {close!r}?" if close is not None else ""
    if close is None or list_choices:
        hint += f" Choose one of {list(choices)}."
    return hint


def choice_type(choices: tuple):
    """An argparse ``type`` for an option with ``choices`` (the magic's and the CLI's): a
    wrong value is refused with a "Did you mean" and every choice (argparse alone lists the
    choices and names no close one); argparse prefixes the option ("argument --method: ...")."""
    import argparse

    def check(value: str) -> str:
        if value in choices:
            return value
        hint = did_you_mean(value, choices, list_choices=True)
        raise argparse.ArgumentTypeError(f"invalid choice: {value!r}.{hint}")

    return check


def minority_too_small(label, n_rows: int, k_neighbors: int) -> str:
    """The one sentence for a class too small for SMOTE's k neighbours."""
    fix = f"k_neighbors={n_rows - 1} or " if n_rows >= 2 else ""
    rows = "row" if n_rows == 1 else "rows"
    return (
        f"Minority class {plain_value(label)!r} has {n_rows} {rows} but k_neighbors={k_neighbors} "
        f"needs at least {k_neighbors + 1}. Use {fix}method='random_oversample'."
    )


@dataclass(frozen=True)
class ColumnFacts:
    """What column screening needs to know about one column, from some of its rows;
    ``merge_column_facts`` combines the facts of row blocks exactly (dask partitions)."""

    kind: str  # "time", "complex", "interval", "bool", "number" or "other", from the dtype
    n_present: int = 0
    low: float = np.inf  # numbers: smallest and largest present value
    high: float = -np.inf
    zero_one: bool = True  # numbers: every present value is 0 or 1
    whole: bool = True  # numbers: every finite value is a whole number
    n_finite: int = 0  # numbers: finite values (no finite value: not an integer column)
    distinct: tuple = ()  # others: up to two distinct present values (is it constant?)
    nested: object = None  # others: the first list/dict/... value found, if any
    # integer dtypes and others: the SKETCH_SIZE smallest 64-bit hashes of the distinct
    # present values, sorted (None for floats, booleans, times: they are never ids)
    hashes: np.ndarray = field(default=None, compare=False, repr=False)
    # others: the values (as text) of the first TEXT_SAMPLE_SIZE of ``hashes``, in order
    sample: tuple = field(default=(), repr=False)

    @property
    def distinct_estimated(self) -> bool:
        """The distinct count is an estimate (the sketch is full), not exact."""
        return self.hashes is not None and len(self.hashes) >= SKETCH_SIZE

    @property
    def n_distinct(self) -> int:
        """Distinct present values: exact up to SKETCH_SIZE, else the sketch's estimate."""
        if self.hashes is None:
            raise ValueError("distinct values are counted for integer and text columns only")
        k = len(self.hashes)
        if k < SKETCH_SIZE:
            return k
        estimate = (k - 1) / ((float(self.hashes[-1]) + 1.0) / 2.0**64)
        return int(min(self.n_present, round(estimate)))


def _sketch(uniques: np.ndarray) -> tuple:
    """(the SKETCH_SIZE smallest hashes of these distinct values, sorted; their positions)."""
    hashes = pd.util.hash_array(uniques, categorize=False)
    if len(hashes) > SKETCH_SIZE:
        keep = np.argpartition(hashes, SKETCH_SIZE - 1)[:SKETCH_SIZE]
    else:
        keep = np.arange(len(hashes))
    keep = keep[np.argsort(hashes[keep], kind="stable")]
    return hashes[keep], keep


def column_facts(X: pd.DataFrame) -> dict:
    """ColumnFacts for every column of ``X`` (a whole frame or one block of its rows)."""
    facts = {}
    for name in X.columns:
        column = X[name]
        dtype = column.dtype
        if (
            ptypes.is_datetime64_any_dtype(dtype)
            or ptypes.is_timedelta64_dtype(dtype)
            or isinstance(dtype, pd.PeriodDtype)
        ):
            facts[name] = ColumnFacts("time")
            continue
        if ptypes.is_complex_dtype(dtype):
            facts[name] = ColumnFacts("complex")
            continue
        if isinstance(dtype, pd.IntervalDtype):
            facts[name] = ColumnFacts("interval")
            continue
        present = column.dropna()
        if ptypes.is_bool_dtype(dtype):
            facts[name] = ColumnFacts(
                "bool", len(present), distinct=tuple(pd.unique(present.to_numpy())[:2])
            )
        elif ptypes.is_numeric_dtype(dtype):
            values = present.to_numpy(dtype=float)
            finite = values[np.isfinite(values)]
            hashes = None
            whole = bool(np.all(finite == np.round(finite)))
            if ptypes.is_integer_dtype(dtype):
                hashes, _ = _sketch(pd.unique(present.to_numpy()))
            elif whole and len(finite) == len(values) and np.abs(finite).max(initial=0) < 2**53:
                # whole floats (an id column read from a CSV with a gap is float64): hashed
                # as the integers they hold; other floats skip the hashing, never ids
                hashes, _ = _sketch(pd.unique(finite.astype(np.int64)))
            facts[name] = ColumnFacts(
                "number",
                len(values),
                low=float(values.min()) if len(values) else np.inf,
                high=float(values.max()) if len(values) else -np.inf,
                zero_one=bool(np.isin(values, (0.0, 1.0)).all()),
                whole=whole,
                n_finite=len(finite),
                hashes=hashes,
            )
        else:
            nested = None
            if ptypes.is_object_dtype(dtype):
                found = present[present.map(_is_container)]
                nested = found.iloc[0] if len(found) else None
            if nested is not None:
                facts[name] = ColumnFacts("other", len(present), nested=nested)
                continue
            uniques = np.asarray(present.unique(), dtype=object)
            hashes, order = _sketch(uniques)
            facts[name] = ColumnFacts(
                "other",
                len(present),
                distinct=tuple(uniques[:2]),
                hashes=hashes,
                sample=tuple(str(v) for v in uniques[order[:TEXT_SAMPLE_SIZE]]),
            )
    return facts


def merge_column_facts(blocks: list) -> dict:
    """One ColumnFacts per column from the facts of several row blocks: every figure as the
    whole column's would be (the sketches' union keeps the smallest hashes of all rows)."""
    merged = dict(blocks[0])
    for block in blocks[1:]:
        for name, b in block.items():
            a = merged[name]
            distinct = a.distinct + tuple(v for v in b.distinct if v not in a.distinct)
            hashes, sample = a.hashes, a.sample
            if a.hashes is not None and b.hashes is not None:
                hashes = np.union1d(a.hashes, b.hashes)[:SKETCH_SIZE]
                # each of the first TEXT_SAMPLE_SIZE hashes of the union is among the first
                # TEXT_SAMPLE_SIZE of its own block, so its value is at hand
                text = dict(zip(a.hashes[: len(a.sample)].tolist(), a.sample))
                text.update(zip(b.hashes[: len(b.sample)].tolist(), b.sample))
                sample = tuple(text[h] for h in hashes[:TEXT_SAMPLE_SIZE].tolist() if h in text)
            elif b.hashes is not None:
                hashes, sample = b.hashes, b.sample
            merged[name] = ColumnFacts(
                kind=a.kind,
                n_present=a.n_present + b.n_present,
                low=min(a.low, b.low),
                high=max(a.high, b.high),
                zero_one=a.zero_one and b.zero_one,
                whole=a.whole and b.whole,
                n_finite=a.n_finite + b.n_finite,
                distinct=distinct[:2],
                nested=a.nested if a.nested is not None else b.nested,
                hashes=hashes,
                sample=sample,
            )
    return merged


def _column_kinds(X: pd.DataFrame, facts: dict | None = None, onehot=None):
    """Sort every column into a kind (ColumnKinds) from its facts (``column_facts(X)``
    unless given), with a note per column left out. ``onehot(candidates)`` checks candidate
    one-hot groups (``onehot_facts`` on X unless given)."""
    facts = column_facts(X) if facts is None else facts
    numeric, binary, boolean, categorical, integer = [], [], [], [], []
    excluded: dict = {}
    for name, fact in facts.items():
        if fact.kind == "time":
            excluded[name] = "dates and times are not used in distances"
            continue
        if fact.kind == "complex":
            excluded[name] = "complex numbers are not used in distances"
            continue
        if fact.kind == "interval":
            excluded[name] = (
                "intervals are not used in distances (pass their bounds or midpoints as numbers)"
            )
            continue
        if fact.n_present == 0:
            excluded[name] = "every value is missing"
            continue
        if fact.nested is not None:
            raise InputError(
                f"Column {name!r} holds {type(fact.nested).__name__} values (e.g. "
                f"{fact.nested!r:.40}); smote_diag needs one value per cell. Flatten the "
                "column into several, or drop it."
            )
        constant = fact.low == fact.high if fact.kind == "number" else len(fact.distinct) == 1
        if constant:
            excluded[name] = "it is constant"
            continue
        if fact.kind == "bool":
            boolean.append(name)
        elif fact.kind == "number":
            if fact.zero_one:
                binary.append(name)
                continue
            why = _integer_id(name, fact)
            if why:
                excluded[name] = why
                continue
            numeric.append(name)
            if fact.whole and fact.n_finite:
                integer.append(name)
        else:
            why = _not_a_category(name, fact)
            if why:
                excluded[name] = why
                continue
            categorical.append(name)
    notes = [f"Column {c!r} left out: {why}." for c, why in excluded.items()]
    candidates = onehot_candidates(binary + boolean)
    checks = onehot(candidates) if onehot is not None else onehot_facts(X, candidates)
    kinds = ColumnKinds(
        numeric=tuple(numeric),
        binary=tuple(binary),
        boolean=tuple(boolean),
        categorical=tuple(categorical),
        integer=tuple(integer),
        onehot_groups=tuple(g for g in candidates if checks[g] == (True, True)),
        excluded=excluded,
    )
    return kinds, notes


def _integer_id(name, fact: ColumnFacts) -> str | None:
    """Why a whole-number column is an identifier, or None: (nearly) distinct per row, and
    filling its range or named like an id. Other floats, booleans and 0/1 columns never are
    (a float column is hashed in the partitions whose values are whole: merged with one that
    is not, the column is not whole, hence no id)."""
    if fact.hashes is None or not fact.whole or fact.n_present < 2:
        return None
    n, rows = fact.n_distinct, fact.n_present
    if n < ID_MIN_DISTINCT_SHARE * rows:
        return None
    count = _distinct_count(fact, "distinct whole numbers")
    if rows >= ID_MIN_VALUES and fact.high - fact.low + 1 <= ID_MAX_SPAN_RATIO * n:
        return (
            f"it looks like an identifier ({count}, filling the range {fact.low:,.0f} to "
            f"{fact.high:,.0f})"
        )
    if _named_like_id(name):
        return f"it looks like an identifier ({count}, and its name says so)"
    return None


def _not_a_category(name, fact: ColumnFacts) -> str | None:
    """Why a text or category column is left out of the distances, or None: dates or times
    written as text, an identifier (uuid-like, or single words distinct per row), or more
    levels than distances can use (free text, high cardinality)."""
    sample = fact.sample
    dates = _dates_in(sample)
    if sample and len(dates) >= SAMPLE_MIN_SHARE * len(sample):
        return (
            f"it holds dates or times as text (e.g. {dates[0]!r}), and dates and times are "
            "not used in distances"
        )
    uuids = [v for v in sample if UUID_TEXT.fullmatch(v)]
    if sample and len(uuids) >= SAMPLE_MIN_SHARE * len(sample):
        return f"it looks like an identifier (uuid-like text, e.g. {uuids[0]!r})"
    n, rows = fact.n_distinct, fact.n_present
    if n <= MAX_DISTINCT_SHARE * rows:
        return None
    count = _distinct_count(fact, "distinct values")
    words = sum(1 for v in sample if len(v.split()) == 1)
    fractions = sum(1 for v in sample if DECIMAL_TEXT.fullmatch(v))  # never ids, as floats
    if (
        n >= ID_MIN_DISTINCT_SHARE * rows
        and words >= SAMPLE_MIN_SHARE * len(sample)
        and fractions < (1 - SAMPLE_MIN_SHARE) * len(sample)
    ):
        return f"it looks like an identifier ({count})"
    numbers = sum(1 for v in sample if NUMBER_TEXT.fullmatch(v))
    if sample and numbers >= SAMPLE_MIN_SHARE * len(sample):
        return (
            f"it holds numbers written as text ({count}, e.g. {sample[0]!r}): convert it, "
            f"e.g. df[{name!r}] = pd.to_numeric(df[{name!r}])"
        )
    # most rows distinct and several words per value: free text, else a category
    what = "free text" if words < len(sample) / 2 else "a category"
    return (
        f"it looks like {what} with {count}: more than half of the rows hold a value of "
        "their own, which no neighbour shares; encode it (e.g. group rare levels, or "
        "target-encode) and pass it as numbers"
    )


def _distinct_count(fact: ColumnFacts, what: str) -> str:
    """ "700 distinct values in 700 rows", "about" when the count is the sketch's estimate."""
    about = "about " if fact.distinct_estimated else ""
    return f"{about}{fact.n_distinct:,} {what} in {fact.n_present:,} rows"


def _dates_in(sample: tuple) -> list:
    """The sampled values that read as dates or times (DATE_TEXT) and parse as such."""
    shaped = [v for v in sample if DATE_TEXT.fullmatch(v)]
    if not shaped:
        return []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dateutil's guesses, mixed time zones
        parsed = pd.to_datetime(pd.Series(shaped), format="mixed", errors="coerce", utc=True)
    return [v for v, ok in zip(shaped, parsed.notna()) if ok]


def _named_like_id(name) -> bool:
    """The name's last word is one of ID_NAME_WORDS ("customer_id", "CustomerID", "ID")."""
    name = name[-1] if isinstance(name, tuple) and name else name
    if not isinstance(name, str):
        return False
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+", name)
    return bool(words) and words[-1].lower() in ID_NAME_WORDS


def _is_container(value) -> bool:
    return isinstance(value, (list, tuple, dict, set, frozenset, np.ndarray, pd.Series))


def onehot_candidates(zero_one: list) -> tuple:
    """0/1 columns sharing a name prefix ("colour_red", "colour_blue"), at least
    MIN_ONEHOT_GROUP_COLUMNS of them: one-hot groups if their row sums never exceed one
    and some row sums to one."""
    by_prefix: dict[str, list] = {}
    for name in zero_one:
        if isinstance(name, str) and "_" in name.strip("_"):
            by_prefix.setdefault(name.rsplit("_", 1)[0], []).append(name)
    return tuple(tuple(m) for m in by_prefix.values() if len(m) >= MIN_ONEHOT_GROUP_COLUMNS)


def onehot_facts(X: pd.DataFrame, candidates: tuple) -> dict:
    """Per candidate group, over these rows: (every row sum <= 1, some row sum == 1)."""
    facts = {}
    for members in candidates:
        row_sums = X[list(members)].astype(float).fillna(0.0).sum(axis=1)
        facts[members] = (bool((row_sums <= 1).all()), bool((row_sums == 1).any()))
    return facts


def merge_onehot_facts(blocks: list) -> dict:
    """Combine ``onehot_facts`` of several row blocks."""
    return {
        group: (all(b[group][0] for b in blocks), any(b[group][1] for b in blocks))
        for group in blocks[0]
    }
