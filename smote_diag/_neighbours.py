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

# Two squared distances, computed by subtraction, tie when they differ by less than this
# share of them: equidistant lattice rows differ by a few units in the last place after the
# scaling, real differences by far more; exact copies are exactly 0 apart.
TIE_TOLERANCE = 1e-9
# Distinct tied points looked past together (one radius query).
TIE_BLOCK = 256
# Rows that search themselves (dask) look at most this many rows past a tie.
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
        # an array, or rows that search themselves where they live (``_rows``)
        self.Z = checked.rows.scaled(self.space.transform, self.space.n_dims)
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
        # Rows kept elsewhere (a dask DataFrame's ScaledRows) search themselves, block by
        # block, and answer a whole batch in one pass over the data; in memory, one fitted index
        # answers blocks of QUERY_BLOCK points (a progress tick each).
        searches_itself = hasattr(Z, "kneighbors")
        self._index = Z if searches_itself else search_index(Z, n_jobs=self.n_jobs)
        self._block_size = None if searches_itself else QUERY_BLOCK
        self._row_cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._row_counts: dict = {}
        self._row_full: dict[int, tuple[np.ndarray, np.ndarray]] = {}
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

    def query_batch(self, codes=(), probes=(), *, counted=(), verbose=0) -> list[np.ndarray]:
        """One batched query from the minority side.

        Parameters
        ----------
        codes : iterable of int
            Classes whose rows get their TYPOLOGY_K nearest other rows (cached for
            ``row_neighbours``; classes already cached are skipped).
        probes : sequence of (points, code)
            Probe point sets, each with the class whose territory it tests.
        counted : sequence of (positions, code)
            Row sets (of any class), each with a class to count among each row's
            TYPOLOGY_K nearest other rows (the row itself aside).
        verbose : int, default=0
            A progress bar when the batch lasts longer than a second.

        Returns
        -------
        list of ndarray
            Per probe set, how many of each point's TYPOLOGY_K nearest rows are of its class;
            then per row set, the same count over each row's nearest other rows.
        """
        todo = [c for c in dict.fromkeys(codes) if c not in self._row_cache]
        rows = [self.rows_of(c) for c in todo]
        own = np.concatenate(rows) if rows else np.zeros(0, dtype=np.intp)
        row_sets = [(np.asarray(positions, dtype=np.intp), code) for positions, code in counted]
        blocks = [self.Z[own]] + [self.Z[positions] for positions, _ in row_sets]
        blocks += [np.asarray(points, dtype=self.Z.dtype) for points, _ in probes]
        points = np.concatenate(blocks) if len(blocks) > 1 else blocks[0]
        # one neighbour more than counted (the row itself aside): it tells a tie at the edge
        dist, idx = self._nearest(points, min(TYPOLOGY_K + 2, self.n_rows), verbose)
        k = min(TYPOLOGY_K, self.n_rows - 1) if len(own) else min(TYPOLOGY_K, self.n_rows)
        start = 0
        for c, members in zip(todo, rows):
            stop = start + len(members)
            d, i = drop_self(dist[start:stop], idx[start:stop], members, idx.shape[1] - 1)
            self._row_cache[c] = (d[:, :k], i[:, :k])
            self._row_full[c] = (d, i)
            codes_here = np.full(len(members), c)
            self._row_counts[c] = self._counts(
                points[start:stop], d, i, k, codes_here, members, verbose
            )
            start = stop
        row_counts = []
        for positions, code in row_sets:
            stop = start + len(positions)
            d, i = drop_self(dist[start:stop], idx[start:stop], positions, idx.shape[1] - 1)
            k_rows = min(TYPOLOGY_K, self.n_rows - 1)
            codes_here = np.full(len(positions), code)
            row_counts.append(
                self._counts(points[start:stop], d, i, k_rows, codes_here, positions, verbose)
            )
            start = stop
        counts = []
        k = min(TYPOLOGY_K, self.n_rows)
        for probe_points, code in probes:
            stop = start + len(probe_points)
            codes_here = np.full(len(probe_points), code)
            counts.append(
                self._counts(
                    points[start:stop],
                    dist[start:stop],
                    idx[start:stop],
                    k,
                    codes_here,
                    None,
                    verbose,
                )
            )
            start = stop
        return counts + row_counts

    def _counts(self, points, dist, idx, k, codes, own=None, verbose=0) -> np.ndarray:
        """How many of each point's ``k`` nearest rows (the point's own row, ``own``, aside)
        are of class ``codes`` (one per point). Rows as near as the k-th count in equal shares
        of the places left, so the count does not depend on the rows' order when distances
        tie (exact copies, lattice data); a count can then be fractional.

        The brute-force search rounds (exact copies come out about 1e-7 apart), so the k-th
        and the next distance are computed again by subtraction, and a tie is a difference
        within TIE_TOLERANCE of the squared distance (copies: exactly 0)."""
        counts = (self.y_codes[idx[:, :k]] == codes[:, None]).sum(axis=1).astype(float)
        if not k or idx.shape[1] <= k or not len(points):
            return counts
        edge2 = squared(points, self.Z, idx[:, k - 1])
        tied = np.flatnonzero(squared(points, self.Z, idx[:, k]) <= edge2 * (1 + TIE_TOLERANCE))
        if not len(tied):
            return counts
        # copies share their neighbourhood: one look past the tie per distinct point
        unique, first, inverse = np.unique(
            points[tied], axis=0, return_index=True, return_inverse=True
        )
        inverse = inverse.ravel()
        around = self._rows_within(unique, edge2[tied][first], verbose)
        for at, u in zip(tied, inverse):
            rows, d2 = around[u]
            if own is not None:
                keep = rows != own[at]
                rows, d2 = rows[keep], d2[keep]
            counts[at] = _shared(d2, self.y_codes[rows] == codes[at], k, edge2[at])
        return counts

    def _rows_within(self, points, edge2, verbose=0) -> list:
        """For each point, the rows at most as far as its ``edge2`` (a squared distance) and
        more, with their squared distances computed by subtraction: every row tied with
        the edge is among them (up to MAX_TIED rows where the rows search themselves, as a
        dask DataFrame's do)."""
        out = [None] * len(points)
        # the search's rounding, in squared units: about machine precision times the
        # squared lengths (the space is centred)
        slack = 1e-10 * (1.0 + np.sum(points**2, axis=1))
        reach = np.sqrt(edge2 * (1 + 1e-6) + slack)
        order = np.argsort(reach, kind="stable")
        with thread_limit(self.n_jobs), progress(len(points), "neighbour ties", verbose) as bar:
            for start in range(0, len(order), TIE_BLOCK):
                block = order[start : start + TIE_BLOCK]
                found = self._near(points[block], float(reach[block].max()), edge2[block])
                for at, rows in zip(block, found):
                    out[at] = (rows, squared(points[at][None, :], self.Z, rows[None, :])[0])
                bar.update(len(block))
        self.n_tie_queries_ += len(points)
        return out

    def _near(self, points, reach, edge2) -> list:
        """Rows within ``reach`` of each point (a radius query), or, for rows that search
        themselves (dask), the nearest rows by doubling counts until past ``edge2``."""
        if hasattr(self._index, "radius_neighbors"):
            found = self._index.radius_neighbors(points, radius=reach, return_distance=False)
            return [np.asarray(rows, dtype=np.intp) for rows in found]
        wanted = min(4 * (TYPOLOGY_K + 2), self.n_rows)
        while True:
            dist, idx = self._index.kneighbors(points, n_neighbors=wanted)
            if wanted >= min(self.n_rows, MAX_TIED) or (dist[:, -1] ** 2 > edge2 * 1.01).all():
                return list(idx)
            wanted = min(2 * wanted, self.n_rows, MAX_TIED)

    def row_neighbours(self, code: int) -> tuple[np.ndarray, np.ndarray]:
        """Distances and positions of the TYPOLOGY_K nearest other rows of each row of
        class ``code`` (its rows in position order), the row itself excluded."""
        self.query_batch([code])
        return self._row_cache[code]

    def row_class_counts(self, code: int, k: int = TYPOLOGY_K) -> np.ndarray:
        """How many of the ``k`` (at most TYPOLOGY_K) nearest other rows of each row of
        class ``code`` share its class, ties at the edge shared (``_counts``)."""
        self.query_batch([code])
        d, i = self._row_full[code]
        if k >= TYPOLOGY_K or k >= d.shape[1]:
            k = TYPOLOGY_K if k >= TYPOLOGY_K else d.shape[1]
        if k == TYPOLOGY_K or (code, k) in self._row_counts:
            return self._row_counts[code if k == TYPOLOGY_K else (code, k)]
        rows = self.rows_of(code)
        counts = self._counts(self.Z[rows], d, i, k, np.full(len(rows), code), rows)
        self._row_counts[(code, k)] = counts
        return counts

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

    def _nearest(self, points: np.ndarray, k: int, verbose: int):
        n = len(points)
        dist = np.empty((n, k))
        idx = np.empty((n, k), dtype=np.intp)
        if n == 0:
            return dist, idx
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


def sample_nearest(points: np.ndarray, queries: np.ndarray, marked=None, block: int = 1024):
    """Exact nearest other row within a small sample, by direct distances (no index: the
    diagnostics' one-to-one and null samples of a few thousand rows).

    Returns each query row's (positions in ``points``) distance to its nearest other row and,
    with ``marked`` (bool per row), the share of the rows tied at that distance (within
    TIE_TOLERANCE of the squared distance) that are marked, so that ties do not depend on
    the rows' order."""
    points = np.asarray(points, dtype=float)
    queries = np.asarray(queries, dtype=np.intp)
    norms = np.einsum("ij,ij->i", points, points)
    nearest = np.empty(len(queries))
    shares = np.empty(len(queries)) if marked is not None else None
    for start in range(0, len(queries), block):
        at = queries[start : start + block]
        scale = norms[at, None] + norms[None, :]
        d2 = scale - 2.0 * points[at] @ points.T
        d2[d2 <= 1e-12 * scale] = 0.0  # exact copies: 0, not round-off either side of it
        d2[np.arange(len(at)), at] = np.inf
        low = d2.min(axis=1)
        nearest[start : start + len(at)] = np.sqrt(low)
        if marked is not None:
            tied = d2 <= (low * (1 + TIE_TOLERANCE) + 1e-12 * (1 + low))[:, None]
            shares[start : start + len(at)] = tied[:, marked].sum(axis=1) / tied.sum(axis=1)
    return nearest, shares


def _shared(d2, same, k, edge2) -> float:
    """The count of ``same`` among the ``k`` nearest of these rows (squared distances
    ``d2``, exact), the rows tied with the k-th (at ``edge2``) sharing its places equally."""
    nearer = d2 < edge2 * (1 - TIE_TOLERANCE)
    level = ~nearer & (d2 <= edge2 * (1 + TIE_TOLERANCE))
    places = k - int(nearer.sum())
    share = places / max(int(level.sum()), 1)
    return float(same[nearer].sum() + share * same[level].sum())


# Values (points x rows per point x dimensions) of one block of differences in ``squared``:
# 32 MB of float64, whatever the width of the rows.
SQUARED_BLOCK_VALUES = 2**22


def squared(points, Z, rows) -> np.ndarray:
    """Squared distances from each point to the rows at ``rows`` (one or more per point),
    by subtraction (exact for copies, unlike the search's expanded form), in blocks of at
    most SQUARED_BLOCK_VALUES differences."""
    rows = np.asarray(rows)
    flat = rows.reshape(len(points), -1)
    out = np.empty(flat.shape)
    n_dims = points.shape[1] if points.ndim > 1 else 1
    block = max(1, min(QUERY_BLOCK, SQUARED_BLOCK_VALUES // max(flat.shape[1] * n_dims, 1)))
    for start in range(0, len(points), block):
        stop = start + block
        picked = np.asarray(Z[flat[start:stop].ravel()]).reshape(*flat[start:stop].shape, -1)
        out[start:stop] = np.sum((picked - points[start:stop, None, :]) ** 2, axis=2)
    return out.reshape(rows.shape) if rows.ndim > 1 else out[:, 0]


# The exact engine of the index over all rows: "auto" takes faiss's flat search (``_faiss``)
# for FAISS_MIN_ROWS rows or more in FAISS_MIN_DIMS dimensions or more when faiss is
# installed, else scikit-learn's; "sklearn" always scikit-learn's. Both give the same
# neighbours (tests/test_engines.py), except among rows closer together than scikit-learn's
# expanded-form distances resolve (about 1e-8 relative): faiss's engine ranks those exactly,
# scikit-learn's order among them is its rounding.
ENGINE = "auto"


def search_index(points: np.ndarray, *, n_jobs=None):
    """The exact index the neighbour graph queries all rows with (``ENGINE``)."""
    from . import _faiss

    large = len(points) >= _faiss.FAISS_MIN_ROWS and points.shape[1] >= _faiss.FAISS_MIN_DIMS
    if ENGINE == "auto" and large and _faiss.faiss_installed():
        return _faiss.FaissIndex(points, n_jobs=n_jobs)
    return fitted_index(points, n_jobs=n_jobs)


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
