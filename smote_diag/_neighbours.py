"""The one neighbour computation every diagnostic shares.

Rows are put in one scaled space (``DistanceSpace``) and indexed once
(``NeighbourGraph``). Queries always come from the minority side: the minority's own rows,
and probe points on SMOTE's would-be segments. The cost grows with n_minority x n, never
n x n.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.neighbors import NearestNeighbors

from ._validation import CheckedInput

# Napierala & Stefanowski (2012, 2016) type a minority example by the classes of its
# k = 5 nearest neighbours; the same k decides whether a probe point is in majority
# territory, so "territory" and "typology" speak the same language.
TYPOLOGY_K = 5

# A categorical column contributes at most this many one-hot levels to the distances
# (the rest share an "other" level), so an identifier-like column cannot swamp them.
MAX_CATEGORY_LEVELS = 20

SCALING_DESCRIPTION = (
    "numeric columns standardised (z-score, missing values at the median); 0/1, boolean and "
    "one-hot columns kept as 0/1; text and category columns one-hot encoded with weight "
    "1/sqrt(2), so one category mismatch counts like one standard deviation"
)


class DistanceSpace:
    """The one Euclidean space of SCALING_DESCRIPTION, fitted on the diagnosed rows and able
    to place new rows (synthetic ones) in it.

    Parameters
    ----------
    checked : CheckedInput
        The validated data whose used columns define the space.
    """

    def __init__(self, checked: CheckedInput):
        X, kinds = checked.X, checked.kinds
        self.numeric = list(kinds.numeric)
        self.zero_one = list(kinds.binary) + list(kinds.boolean)
        self.categorical = list(kinds.categorical)
        if self.numeric:
            values = _finite(X[self.numeric])
            # Divide by the largest magnitude first: sentinels like 1e308 would overflow.
            magnitude = np.nanmax(np.abs(values), axis=0)
            self.magnitude = np.where(magnitude > 0, magnitude, 1.0)
            values = values / self.magnitude
            self.mean = np.nanmean(values, axis=0)
            std = np.nanstd(values, axis=0)
            std[~(std > 0)] = 1.0
            self.std = std
            self.median = np.nanmedian((values - self.mean) / self.std, axis=0)
        if self.zero_one:
            self.share = np.nanmean(self._zero_one(X), axis=0)
        self.levels = {name: _top_levels(X[name]) for name in self.categorical}

    def transform(self, X: pd.DataFrame) -> np.ndarray:
        """Rows (with the diagnosed columns) in the scaled space."""
        blocks = []
        if self.numeric:
            scaled = (_finite(X[self.numeric]) / self.magnitude - self.mean) / self.std
            blocks.append(np.where(np.isnan(scaled), self.median, scaled))
        if self.zero_one:
            values = self._zero_one(X)
            blocks.append(np.where(np.isnan(values), self.share, values))
        for name in self.categorical:
            blocks.append(_one_hot(X[name], self.levels[name]) / np.sqrt(2.0))
        return np.ascontiguousarray(np.hstack(blocks), dtype=np.float64)

    def _zero_one(self, X: pd.DataFrame) -> np.ndarray:
        return X[self.zero_one].astype(float).to_numpy(dtype=float, na_value=np.nan)


def _finite(frame: pd.DataFrame) -> np.ndarray:
    values = frame.to_numpy(dtype=float, na_value=np.nan)
    return np.where(np.isfinite(values), values, np.nan)


def _labels(column: pd.Series) -> pd.Series:
    return column.astype(object).where(column.notna(), "<missing>").astype(str)


def _top_levels(column: pd.Series) -> list:
    """The MAX_CATEGORY_LEVELS most frequent levels, then "<other>"."""
    return list(_labels(column).value_counts().index[:MAX_CATEGORY_LEVELS]) + ["<other>"]


def _one_hot(column: pd.Series, levels: list) -> np.ndarray:
    text = _labels(column)
    text = text.where(text.isin(levels), "<other>")
    return (text.to_numpy()[:, None] == np.array(levels, dtype=object)[None, :]).astype(float)


class IndexedRows:
    """Rows in the scaled space with their neighbour index: the part of a diagnosis that
    costs, built once and shared by every diagnosis of the same rows (whatever k, seed or
    objective).

    Parameters
    ----------
    checked : CheckedInput
    n_jobs : int, default=None
    """

    def __init__(self, checked: CheckedInput, *, n_jobs=None):
        self.space = DistanceSpace(checked)
        self.Z = self.space.transform(checked.X)
        self.graph = NeighbourGraph(self.Z, checked.y_codes, n_jobs=n_jobs)


class NeighbourGraph:
    """Nearest neighbours of minority rows and of probe points, over one fitted index.

    Parameters
    ----------
    Z : ndarray of shape (n_samples, n_dims)
        Rows in the scaled distance space.
    y_codes : ndarray of shape (n_samples,)
        Integer class code per row.
    n_jobs : int, default=None
        Parallel jobs for the neighbour queries (scikit-learn semantics).

    Attributes
    ----------
    n_queries_ : int
        Query points sent to the index so far (for tests and benchmarks).
    n_within_fits_ : int
        Within-class neighbourhoods computed so far (one per class and k; then cached).
    """

    def __init__(self, Z: np.ndarray, y_codes: np.ndarray, *, n_jobs=None):
        self.Z = Z
        self.y_codes = np.asarray(y_codes)
        self.n_jobs = n_jobs
        self._index = NearestNeighbors(algorithm="auto", n_jobs=n_jobs).fit(Z)
        self._row_cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._within_cache: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
        self.n_queries_ = 0
        self.n_within_fits_ = 0

    @property
    def n_rows(self) -> int:
        return len(self.Z)

    def rows_of(self, code: int) -> np.ndarray:
        """Positions of the rows of class ``code``."""
        return np.flatnonzero(self.y_codes == code)

    def prefetch_rows(self, codes) -> None:
        """Query the rows of several classes in one batch and cache them per class."""
        todo = [c for c in codes if c not in self._row_cache]
        if not todo:
            return
        rows = np.concatenate([self.rows_of(c) for c in todo])
        dist, idx = self._query_excluding_self(rows)
        start = 0
        for c in todo:
            n = int(np.sum(self.y_codes == c))
            self._row_cache[c] = (dist[start : start + n], idx[start : start + n])
            start += n

    def row_neighbours(self, code: int) -> tuple[np.ndarray, np.ndarray]:
        """Distances and positions of the TYPOLOGY_K nearest other rows of each row of
        class ``code`` (its rows in position order), the row itself excluded."""
        self.prefetch_rows([code])
        return self._row_cache[code]

    def within_class(self, code: int, k: int) -> tuple[np.ndarray, np.ndarray]:
        """SMOTE's neighbourhoods: the ``k`` nearest rows of the same class for each row of
        class ``code``, as distances and positions *within the class* (``rows_of(code)``).
        ``k`` is capped at the class size minus one."""
        rows = self.rows_of(code)
        k = min(k, len(rows) - 1)
        key = (code, k)
        if key not in self._within_cache:
            if k < 1:
                empty = np.empty((len(rows), 0))
                self._within_cache[key] = (empty, empty.astype(np.intp))
            else:
                self.n_within_fits_ += 1
                index = NearestNeighbors(n_neighbors=k + 1, n_jobs=self.n_jobs).fit(self.Z[rows])
                dist, idx = index.kneighbors(self.Z[rows])
                self._within_cache[key] = drop_self(dist, idx, np.arange(len(rows)), k)
        return self._within_cache[key]

    def class_counts_near(self, points: np.ndarray, code: int, k: int = TYPOLOGY_K) -> np.ndarray:
        """How many of the ``k`` nearest real rows of each point belong to class ``code``."""
        if len(points) == 0:
            return np.zeros(0, dtype=int)
        k = min(k, self.n_rows)
        self.n_queries_ += len(points)
        idx = self._index.kneighbors(points, n_neighbors=k, return_distance=False)
        return (self.y_codes[idx] == code).sum(axis=1)

    def _query_excluding_self(self, rows: np.ndarray):
        k = min(TYPOLOGY_K, self.n_rows - 1)
        self.n_queries_ += len(rows)
        dist, idx = self._index.kneighbors(self.Z[rows], n_neighbors=k + 1)
        return drop_self(dist, idx, rows, k)


def drop_self(dist: np.ndarray, idx: np.ndarray, own: np.ndarray, k: int):
    """Remove each query row from its own neighbour list (or the farthest one when exact
    duplicates pushed it out), keeping ``k`` neighbours in distance order."""
    is_self = idx == own[:, None]
    no_self = ~is_self.any(axis=1)
    is_self[no_self, -1] = True  # drop the farthest instead
    first = np.argmax(is_self, axis=1)  # drop only one entry per row
    keep = np.ones_like(is_self)
    keep[np.arange(len(idx)), first] = False
    shape = (len(idx), idx.shape[1] - 1)
    return dist[keep].reshape(shape)[:, :k], idx[keep].reshape(shape)[:, :k]
