"""Where the rows live: the small protocol the core reads them through.

Validation, the scaling, the neighbour pass, the tables and ``resample()`` never ask where
the rows are; they ask the input's ``Rows`` (``CheckedInput.rows``):

- ``map(func, *args)``: ``func(block, *args)`` on every block of rows (pandas frames of the
  feature columns), in order; whole-data facts are merged from what it returns;
- ``take(rows, func=None)``: the rows at global positions ``rows`` (``func`` applied where
  they are), in the order asked;
- ``feature_values(columns, rows=None)``: raw values as floats, of every row or of ``rows``;
- ``row_facts(kinds)``: ``RowFacts`` over every row (exactly merged from the blocks);
- ``scaled(transform, n_dims)``: the rows in the distance space: an array, or an object
  with ``kneighbors(points, n_neighbors)`` that searches its blocks and merges their k
  nearest into the exact k nearest of all rows (``NeighbourGraph`` takes either);
- ``resample(data, report, ctx, method, reason, k_neighbors, random_state, params, notes)``:
  the resampled data made where the rows are (``resample()`` decides the method and hands
  the work over);
- ``in_memory``: reading every row at once is cheap (else whole-data figures come from
  samples or merged block facts, as the evidence says).

``FrameRows`` is the in-memory implementation. Input whose rows live elsewhere is
recognised by the first part of its type's module (``BACKENDS``), and its backend module
(imported only then) provides ``recognises(data)``, ``check_inputs(data, target, *,
k_neighbors)``, ``DESCRIPTION`` ("a dask DataFrame") and ``TO_MEMORY`` (how to bring it
into memory). A faster exact neighbour engine is another ``scaled`` of the same protocol.
"""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
from sklearn.neighbors import NearestNeighbors

# The first part of a frame type's module -> the backend module that keeps its rows where
# they are (the only place the package names one).
BACKENDS = {"dask": "smote_diag._dask", "dask_expr": "smote_diag._dask"}


def backend_of(data):
    """The backend module of input whose rows live outside this process, or None."""
    name = BACKENDS.get((type(data).__module__ or "").split(".")[0])
    if name is None:
        return None
    module = importlib.import_module(name)
    return module if module.recognises(data) else None


class FrameRows:
    """Rows in memory: one block, the caller's frame of feature columns (never written to).

    Parameters
    ----------
    frame : DataFrame
    """

    in_memory = True

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame

    @property
    def n_rows(self) -> int:
        return len(self.frame)

    def map(self, func, *args) -> list:
        return [func(self.frame, *args)]

    def take(self, rows, func=None):
        taken = self.frame.iloc[np.asarray(rows, dtype=np.int64)]
        return taken if func is None else func(taken)

    def feature_values(self, columns, rows=None) -> np.ndarray:
        frame = self.frame[list(columns)]
        frame = frame if rows is None else frame.iloc[np.asarray(rows, dtype=np.int64)]
        return frame.to_numpy(dtype=float, na_value=np.nan)

    def row_facts(self, kinds):
        from ._rowfacts import row_facts

        return row_facts(self.frame, kinds)

    def scaled(self, transform, n_dims: int) -> np.ndarray:
        return transform(self.frame)

    def resample(
        self, data, report, ctx, method, reason, k_neighbors, random_state, params, notes=()
    ):
        from .resample import resample_in_memory

        return resample_in_memory(
            data, report, ctx, method, reason, k_neighbors, random_state, params, notes
        )


class ScaledRows:
    """Rows kept in blocks elsewhere, in the scaled space: fetched when indexed (and kept),
    searched block by block when queried (each block's k nearest, merged into the exact k
    nearest of all rows). Stands in for the in-memory ``Z`` array.

    Parameters
    ----------
    rows : Rows
        With ``take``, ``map`` over its blocks, ``starts`` (each block's first position)
        and ``n_rows`` (``_dask.DaskRows``).
    transform : callable
        pandas rows -> scaled rows (``DistanceSpace.transform``, maybe followed by a
        projection).
    n_dims : int
    """

    dtype = np.dtype(np.float64)

    def __init__(self, rows, transform, n_dims: int):
        self.rows = rows
        self.transform = transform
        self.shape = (rows.n_rows, n_dims)
        self._known = np.zeros(0, dtype=np.int64)  # positions fetched so far, sorted
        self._values = np.zeros((0, n_dims))

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, key):
        if isinstance(key, tuple):  # Z[np.ix_(rows, columns)]
            rows, columns = key
            return self[np.asarray(rows).ravel()][:, np.asarray(columns).ravel()]
        rows = np.asarray(key)
        if rows.dtype == bool:
            rows = np.flatnonzero(rows)
        self._fetch(rows)
        return self._values[np.searchsorted(self._known, rows)]

    def _fetch(self, rows: np.ndarray) -> None:
        todo = np.setdiff1d(rows, self._known)
        if not len(todo):
            return
        fetched = self.rows.take(todo, self.transform)
        known = np.concatenate([self._known, todo])
        order = np.argsort(known, kind="stable")
        self._known = known[order]
        self._values = np.concatenate([self._values, fetched])[order]

    def map(self, func, n_dims: int) -> ScaledRows:
        """These rows followed by ``func`` (a projection) on every row."""
        transform = self.transform
        return ScaledRows(self.rows, lambda part: func(transform(part)), n_dims)

    def kneighbors(self, points, n_neighbors, return_distance=True):
        """The exact ``n_neighbors`` nearest rows of each point: each block's nearest,
        merged (ties broken by position)."""
        found = self.rows.map(_block_nearest, self.transform, points, n_neighbors)
        dist = np.concatenate([d for d, _ in found], axis=1)
        idx = np.concatenate([i + start for (_, i), start in zip(found, self.rows.starts)], axis=1)
        order = np.lexsort((idx, dist), axis=1)[:, :n_neighbors]
        dist = np.take_along_axis(dist, order, axis=1)
        idx = np.take_along_axis(idx, order, axis=1)
        return (dist, idx) if return_distance else idx


def _block_nearest(block, transform, points, k):
    """The ``k`` nearest rows of ``block`` (block positions) to each point, where it is."""
    k = min(k, len(block))
    if k == 0:
        return np.zeros((len(points), 0)), np.zeros((len(points), 0), dtype=np.intp)
    return NearestNeighbors(n_neighbors=k).fit(transform(block)).kneighbors(points)


__all__ = ["BACKENDS", "FrameRows", "ScaledRows", "backend_of"]
