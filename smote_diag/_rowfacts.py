"""Whole-data figures that need every row once: the scaling statistics of the distance space,
category levels, missing values and row hashes.

Each is computed per block of rows (``row_facts``) and blocks merge exactly
(``merge_row_facts``), so the same code serves a pandas frame (one block) and a dask frame
(one block per partition, computed on the workers).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._validation import ColumnKinds


@dataclass(frozen=True, eq=False)
class RowFacts:
    """Figures over all rows of the used feature columns.

    Numeric columns are described in units of ``magnitude`` (their largest finite absolute
    value), which keeps sentinels like 1e308 from overflowing.
    """

    n_rows: int
    largest: np.ndarray  # numeric columns: largest finite |value| (0 when none)
    magnitude: np.ndarray  # ... the unit of mean and m2: ``largest``, or 1 when that is 0
    count: np.ndarray  # numeric columns: finite values
    mean: np.ndarray  # ... their mean, in units of magnitude
    m2: np.ndarray  # ... their sum of squared deviations from the mean, same units
    zero_one_count: np.ndarray  # 0/1 and boolean columns: present values
    zero_one_sum: np.ndarray  # ... and how many are 1
    level_counts: dict  # categorical column -> counts per level (missing as "<missing>")
    missing_by_column: pd.Series  # used column -> missing (or infinite) cells
    n_infinite: int
    n_rows_missing: int  # rows with at least one missing or infinite cell
    hashes: np.ndarray  # one uint64 per row of the used values (exact duplicates)


MISSING_LEVEL = "<missing>"


def category_labels(column: pd.Series) -> pd.Series:
    """A categorical column's values as text, missing ones as the level MISSING_LEVEL."""
    return column.astype(object).where(column.notna(), MISSING_LEVEL).astype(str)


@dataclass(frozen=True, eq=False)
class ColumnMoments:
    """Count, mean and squared deviations of numeric columns, in units of ``magnitude``
    (each column's largest finite absolute value, or 1 when that is 0), which keeps
    sentinels like 1e308 from overflowing. Infinite and missing values are left out."""

    largest: np.ndarray
    magnitude: np.ndarray
    count: np.ndarray
    mean: np.ndarray
    m2: np.ndarray


def column_moments(numeric: np.ndarray) -> ColumnMoments:
    """ColumnMoments of the columns of a float array (missing values as NaN)."""
    finite = np.isfinite(numeric)
    values = np.where(finite, numeric, np.nan)
    with np.errstate(invalid="ignore"):
        largest = np.where(finite, np.abs(numeric), 0.0).max(axis=0, initial=0.0)
    magnitude = np.where(largest > 0, largest, 1.0)
    values /= magnitude
    count = finite.sum(axis=0)
    complete = bool(finite.all())  # numpy's nan-aware reductions copy: only when needed
    if complete:
        mean = values.mean(axis=0) if len(values) else np.zeros(values.shape[1])
        m2 = ((values - mean) ** 2).sum(axis=0)
    else:
        total = np.where(finite, values, 0.0).sum(axis=0)
        mean = np.divide(total, count, out=np.zeros_like(total), where=count > 0)
        m2 = np.where(finite, (values - mean) ** 2, 0.0).sum(axis=0)
    return ColumnMoments(largest, magnitude, count, mean, m2)


def row_facts(X: pd.DataFrame, kinds: ColumnKinds) -> RowFacts:
    """RowFacts of one block of rows (``X`` holds the used columns)."""
    numeric = X[list(kinds.numeric)].to_numpy(dtype=float, na_value=np.nan)
    moments = column_moments(numeric)
    zero_one = list(kinds.binary) + list(kinds.boolean)
    flags = X[zero_one].astype(float).to_numpy(dtype=float, na_value=np.nan)
    present = ~np.isnan(flags)
    missing = X.isna()
    is_number = [c for c in X.columns if pd.api.types.is_numeric_dtype(X[c].dtype)]
    is_number = [c for c in is_number if not pd.api.types.is_bool_dtype(X[c].dtype)]
    n_infinite = 0
    if is_number:
        block = X[is_number].to_numpy(dtype=float, na_value=np.nan)
        infinite = pd.DataFrame(np.isinf(block), columns=is_number, index=X.index)
        n_infinite = int(infinite.to_numpy().sum())
        missing = missing | infinite.reindex(columns=X.columns, fill_value=False)
    return RowFacts(
        n_rows=len(X),
        largest=moments.largest,
        magnitude=moments.magnitude,
        count=moments.count,
        mean=moments.mean,
        m2=moments.m2,
        zero_one_count=present.sum(axis=0),
        zero_one_sum=np.where(present, flags, 0.0).sum(axis=0),
        level_counts={
            name: category_labels(X[name]).value_counts(sort=False) for name in kinds.categorical
        },
        missing_by_column=missing.sum(),
        n_infinite=n_infinite,
        n_rows_missing=int(missing.any(axis=1).sum()),
        hashes=pd.util.hash_pandas_object(X, index=False).to_numpy(),
    )


def merge_row_facts(blocks: list) -> RowFacts:
    """The RowFacts of consecutive row blocks together (Chan et al.'s pairwise update for
    the means and squared deviations, after bringing every block to the same magnitude)."""
    if len(blocks) == 1:
        return blocks[0]
    largest = np.max([b.largest for b in blocks], axis=0)
    magnitude = np.where(largest > 0, largest, 1.0)
    count = np.zeros_like(magnitude)
    mean = np.zeros_like(magnitude)
    m2 = np.zeros_like(magnitude)
    for b in blocks:
        ratio = b.magnitude / magnitude
        n = count + b.count
        delta = b.mean * ratio - mean
        share = np.divide(b.count, n, out=np.zeros_like(n, dtype=float), where=n > 0)
        mean = mean + delta * share
        m2 = m2 + b.m2 * ratio**2 + delta**2 * count * share
        count = n
    levels = {}
    for name in blocks[0].level_counts:
        merged = pd.concat([b.level_counts[name] for b in blocks])
        levels[name] = merged.groupby(level=0, sort=False).sum()
    return RowFacts(
        n_rows=sum(b.n_rows for b in blocks),
        largest=largest,
        magnitude=magnitude,
        count=count,
        mean=mean,
        m2=m2,
        zero_one_count=sum(b.zero_one_count for b in blocks),
        zero_one_sum=sum(b.zero_one_sum for b in blocks),
        level_counts=levels,
        missing_by_column=sum(b.missing_by_column for b in blocks),
        n_infinite=sum(b.n_infinite for b in blocks),
        n_rows_missing=sum(b.n_rows_missing for b in blocks),
        hashes=np.concatenate([b.hashes for b in blocks]),
    )
