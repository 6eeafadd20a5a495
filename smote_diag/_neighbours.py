"""The one neighbour computation every diagnostic shares.

Rows are put in the one distance space (``_space.DistanceSpace``) and indexed once
(``NeighbourGraph``). Queries always come from the minority side: the minority's own rows,
and probe points on SMOTE's would-be segments. The cost grows with n_minority x n, never
n x n.
"""

from __future__ import annotations

import os
from contextlib import contextmanager

import numpy as np
from sklearn.neighbors import NearestNeighbors

from ._progress import progress
from ._space import DistanceSpace
from ._validation import CheckedInput

# Napierala & Stefanowski (2012, 2016) type a minority example by the classes of its
# k = 5 nearest neighbours; the same k decides whether a probe point is in majority
# territory, so "territory" and "typology" speak the same language.
TYPOLOGY_K = 5

# Two distances tie when their squares differ by less than this share of (1 + the square +
# the rows' mean squared length): brute-force distances are exact to about machine precision
# times that scale, so exact copies and equidistant lattice rows are told apart from real
# differences, which this is far below.
TIE_TOLERANCE = 1e-9
# Rows tied at the edge of a neighbourhood looked at, at most (ties beyond share nothing).
MAX_TIED = 4096

# Query points per call to the index: a progress tick each.
QUERY_BLOCK = 4096

# Below this many rows an index is a k-d tree: scikit-learn's brute-force engine spends tens
# of milliseconds starting its threads on every query, which dominates on small sets (a
# minority group of a few rows, searched once per group).
SMALL_INDEX_ROWS = 200


class IndexedRows:
    """Rows in the scaled space with their neighbour index: the part of a diagnosis that
    costs, built once and shared by every diagnosis of the same rows (whatever k, seed or
    objective).

    Parameters
    ----------
    checked : CheckedInput
    scaling : {"standard", "robust", "none"}, default="standard"
    n_jobs : int, default=None
    """

    def __init__(self, checked: CheckedInput, *, scaling="standard", n_jobs=None):
        self.space = DistanceSpace(checked, scaling)
        if checked.source is not None:  # a dask DataFrame: the rows stay on the workers
            from ._dask import ScaledRows

            self.Z = ScaledRows(checked.source, self.space.transform, self.space.n_dims)
        else:
            self.Z = self.space.transform(checked.X)
        self.graph = NeighbourGraph(self.Z, checked.y_codes, n_jobs=n_jobs)


class NeighbourGraph:
    """Nearest neighbours of minority rows and of probe points, over one fitted index.

    Every query goes through ``query_batch``: query points in blocks of QUERY_BLOCK (a
    progress tick each; scikit-learn's exact search chunks the distance blocks inside, so
    memory stays bounded whatever the number of rows), on ``n_jobs`` threads.

    Parameters
    ----------
    Z : ndarray of shape (n_samples, n_dims)
        Rows in the scaled distance space.
    y_codes : ndarray of shape (n_samples,)
        Integer class code per row.
    n_jobs : int, default=None
        Threads for the neighbour search; None uses every core (scikit-learn's default for
        its exact search), a positive number caps them.

    Attributes
    ----------
    n_queries_ : int
        Query points sent to the index so far (for tests and benchmarks).
    n_batches_ : int
        Batched queries run so far.
    n_within_fits_ : int
        Within-class neighbourhoods computed so far (one per class and k; then cached).
    n_tie_queries_ : int
        Points queried again because rows tied at the edge of their neighbourhood.
    """

    def __init__(self, Z: np.ndarray, y_codes: np.ndarray, *, n_jobs=None):
        self.Z = Z
        self.y_codes = np.asarray(y_codes)
        # more jobs than cores only costs (and joblib refuses absurd counts)
        self.n_jobs = min(n_jobs, os.cpu_count() or 1) if n_jobs and n_jobs > 0 else n_jobs
        # Rows of a dask DataFrame (ScaledRows) search themselves, partition by partition,
        # and answer a whole batch in one pass over the data; in memory, one fitted index
        # answers blocks of QUERY_BLOCK points (a progress tick each).
        searches_itself = hasattr(Z, "kneighbors")
        self._index = Z if searches_itself else fitted_index(Z, n_jobs=self.n_jobs)
        self._block_size = None if searches_itself else QUERY_BLOCK
        self._row_cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._row_counts: dict[int, np.ndarray] = {}
        self._scale: float | None = None
        self._within_cache: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
        self._class_indexes: dict[int, NearestNeighbors] = {}
        self.n_queries_ = 0
        self.n_batches_ = 0
        self.n_within_fits_ = 0
        self.n_tie_queries_ = 0

    @property
    def n_rows(self) -> int:
        return len(self.Z)

    def rows_of(self, code: int) -> np.ndarray:
        """Positions of the rows of class ``code``."""
        return np.flatnonzero(self.y_codes == code)

    def query_batch(self, codes=(), probes=(), *, verbose=0) -> list[np.ndarray]:
        """One batched query from the minority side.

        Parameters
        ----------
        codes : iterable of int
            Classes whose rows get their TYPOLOGY_K nearest other rows (cached for
            ``row_neighbours``; classes already cached are skipped).
        probes : sequence of (points, code)
            Probe point sets, each with the class whose territory it tests.
        verbose : int, default=0
            A progress bar when the batch lasts longer than a second.

        Returns
        -------
        list of ndarray
            Per probe set, how many of each point's TYPOLOGY_K nearest rows are of its class.
        """
        todo = [c for c in dict.fromkeys(codes) if c not in self._row_cache]
        rows = [self.rows_of(c) for c in todo]
        own = np.concatenate(rows) if rows else np.zeros(0, dtype=np.intp)
        blocks = [self.Z[own]] + [np.asarray(points, dtype=self.Z.dtype) for points, _ in probes]
        points = np.concatenate(blocks) if len(blocks) > 1 else blocks[0]
        # one neighbour more than counted (the row itself aside): it tells a tie at the edge
        dist, idx = self._nearest(points, min(TYPOLOGY_K + 2, self.n_rows), verbose)
        k = min(TYPOLOGY_K, self.n_rows - 1) if len(own) else min(TYPOLOGY_K, self.n_rows)
        start = 0
        for c, members in zip(todo, rows):
            stop = start + len(members)
            d, i = drop_self(dist[start:stop], idx[start:stop], members, idx.shape[1] - 1)
            self._row_cache[c] = (d[:, :k], i[:, :k])
            codes_here = np.full(len(members), c)
            self._row_counts[c] = self._counts(points[start:stop], d, i, k, codes_here, members)
            start = stop
        counts = []
        k = min(TYPOLOGY_K, self.n_rows)
        for probe_points, code in probes:
            stop = start + len(probe_points)
            codes_here = np.full(len(probe_points), code)
            counts.append(
                self._counts(points[start:stop], dist[start:stop], idx[start:stop], k, codes_here)
            )
            start = stop
        return counts

    def _counts(self, points, dist, idx, k, codes, own=None) -> np.ndarray:
        """How many of each point's ``k`` nearest rows (the point's own row, ``own``, aside)
        are of class ``codes`` (one per point). Rows as near as the k-th count in equal shares
        of the places left, so the count does not depend on the rows' order when distances
        tie (exact copies, lattice data); a count can then be fractional."""
        counts = (self.y_codes[idx[:, :k]] == codes[:, None]).sum(axis=1).astype(float)
        if not k or idx.shape[1] <= k:
            return counts
        scale = self._tie_scale()
        edge2 = dist[:, k - 1] ** 2
        tolerance = TIE_TOLERANCE * (1.0 + edge2 + scale)
        todo = np.flatnonzero(dist[:, k] ** 2 <= edge2 + tolerance)
        wanted = min(4 * (k + 2), self.n_rows)
        while len(todo):  # the tied points, with more neighbours until the tie is passed
            d, i = self._nearest(points[todo], wanted, 0, ties=True)
            if own is not None:  # the point's own row is no neighbour: at infinity
                d = np.where(i == own[todo][:, None], np.inf, d)
            last = np.sort(d, axis=1)[:, -2 if own is not None else -1]
            passed = last**2 > edge2[todo] + tolerance[todo]
            passed |= wanted >= min(self.n_rows, MAX_TIED)
            for row in np.flatnonzero(passed):
                at = todo[row]
                counts[at] = _shared(
                    d[row], self.y_codes[i[row]] == codes[at], k, edge2[at], tolerance[at]
                )
            todo = todo[~passed]
            wanted = min(2 * wanted, self.n_rows, MAX_TIED)
        return counts

    def _tie_scale(self) -> float:
        """The mean squared length of the rows: brute-force distances carry a rounding error
        of about machine precision times it, in squared units (distances of exact copies
        come out near 1e-7, not 0)."""
        if self._scale is None:
            sample = np.asarray(self.Z[np.arange(min(self.n_rows, 1000))])
            self._scale = float(np.mean(np.sum(sample**2, axis=1))) if len(sample) else 0.0
        return self._scale

    def row_neighbours(self, code: int) -> tuple[np.ndarray, np.ndarray]:
        """Distances and positions of the TYPOLOGY_K nearest other rows of each row of
        class ``code`` (its rows in position order), the row itself excluded."""
        self.query_batch([code])
        return self._row_cache[code]

    def row_class_counts(self, code: int) -> np.ndarray:
        """How many of the TYPOLOGY_K nearest other rows of each row of class ``code`` share
        its class, ties at the edge shared (``_counts``)."""
        self.query_batch([code])
        return self._row_counts[code]

    def class_counts_near(self, points: np.ndarray, code: int) -> np.ndarray:
        """How many of the TYPOLOGY_K nearest real rows of each point belong to class
        ``code``, ties at the edge shared (``_counts``)."""
        return self.query_batch(probes=[(points, code)])[0]

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
                with thread_limit(self.n_jobs):
                    dist, idx = self._class_index(code).kneighbors(self.Z[rows], k + 1)
                self._within_cache[key] = drop_self(dist, idx, np.arange(len(rows)), k)
        return self._within_cache[key]

    def nearest_in_class(self, points: np.ndarray, code: int) -> tuple[np.ndarray, np.ndarray]:
        """Distance to, and class-local position of, the nearest row of class ``code`` for
        each point (new points, not rows of the data: nothing is excluded)."""
        with thread_limit(self.n_jobs):
            dist, idx = self._class_index(code).kneighbors(points, 1)
        return dist[:, 0], idx[:, 0]

    def _class_index(self, code: int) -> NearestNeighbors:
        """The index of one class's rows (fitted once, for SMOTE's neighbourhoods and for
        the nearest real row of new points)."""
        if code not in self._class_indexes:
            rows = self.rows_of(code)
            self._class_indexes[code] = fitted_index(self.Z[rows], n_jobs=self.n_jobs)
        return self._class_indexes[code]

    def _nearest(self, points: np.ndarray, k: int, verbose: int, *, ties=False):
        n = len(points)
        dist = np.empty((n, k))
        idx = np.empty((n, k), dtype=np.intp)
        if n == 0:
            return dist, idx
        if ties:  # looking past a tie at the edge of a neighbourhood
            self.n_tie_queries_ += n
        else:
            self.n_queries_ += n
            self.n_batches_ += 1
        block_size = self._block_size or n
        with thread_limit(self.n_jobs), progress(n, "neighbours", verbose) as bar:
            for start in range(0, n, block_size):
                block = points[start : start + block_size]
                dist[start : start + len(block)], idx[start : start + len(block)] = (
                    self._index.kneighbors(block, n_neighbors=k)
                )
                bar.update(len(block))
        return dist, idx


def _shared(dist, same, k, edge2, tolerance) -> float:
    """The count of ``same`` among the ``k`` nearest of these neighbours (``dist``; the
    point's own row at infinity), rows tied with the k-th sharing its places equally."""
    d2 = dist**2
    nearer = d2 < edge2 - tolerance
    level = ~nearer & (d2 <= edge2 + tolerance)
    places = k - int(nearer.sum())
    share = places / max(int(level.sum()), 1)
    return float(same[nearer].sum() + share * same[level].sum())


def fitted_index(points: np.ndarray, *, n_jobs=None, **params) -> NearestNeighbors:
    """An exact neighbour index over ``points`` (a k-d tree for small sets, else
    scikit-learn's choice)."""
    algorithm = "kd_tree" if len(points) < SMALL_INDEX_ROWS else "auto"
    return NearestNeighbors(algorithm=algorithm, n_jobs=n_jobs, **params).fit(points)


@contextmanager
def thread_limit(n_jobs):
    """Cap the threads of scikit-learn's exact search (OpenMP and BLAS) at ``n_jobs``, which
    its brute-force path does not read itself."""
    if n_jobs is None or n_jobs < 0:
        yield
        return
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=max(int(n_jobs), 1)):
        yield


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
