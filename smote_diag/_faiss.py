"""An exact neighbour index on faiss's flat (brute-force) search, for many rows.

faiss finds each query's candidates in float32; the k nearest are then decided among them
on float64 squared distances computed by subtraction, with ties broken by position. A
query is answered so only when its candidates provably hold its k nearest: every row faiss
did not return is, by faiss's own float32 figure, at least as far as the last candidate,
and that figure is within ``float32_error`` of the truth, so if the last candidate's figure
minus the error still lies beyond the k-th exact distance, no other row can be nearer or
tied. The other queries (many exact copies, say) are answered by scikit-learn's exact
search, as are radius queries. No approximation reaches a figure.

Used for the neighbour graph's index over all rows when faiss is installed (the ``faiss``
extra) and there are at least FAISS_MIN_ROWS rows in at least FAISS_MIN_DIMS dimensions
(``_neighbours.search_index``); faiss is imported only then.
"""

from __future__ import annotations

import importlib.util

import numpy as np
from sklearn.neighbors import NearestNeighbors

from ._neighbours import squared

# Below this many rows scikit-learn's search is as fast (faiss's gain is in the distance
# blocks of large sets; python benchmarks/bench_diagnose.py compares both engines).
FAISS_MIN_ROWS = 20_000
# Below this many dimensions scikit-learn searches a k-d tree (its "auto" choice), which
# beats any flat search.
FAISS_MIN_DIMS = 16
# faiss computes distances with BLAS (one matrix product per block) only for query sets
# above its threshold, else with a loop that was 5x slower here on a few thousand queries
# (measured once, faiss 1.15, 100k x 30: 4,096 queries 5.8 s against 1.2 s through BLAS,
# one thread).
BLAS_THRESHOLD = 20
# Candidates asked beyond the k wanted: room for the float32 order to differ from the exact.
EXTRA_CANDIDATES = 8
# Query points per faiss call (bounds the candidates' float64 distance block).
SEARCH_BLOCK = 8192
_UNIT = 2.0**-24  # float32's unit roundoff


def faiss_installed() -> bool:
    return importlib.util.find_spec("faiss") is not None


def float32_error(query_norm2: np.ndarray, row_norm2: float, n_dims: int) -> np.ndarray:
    """A bound on how far faiss's float32 squared distance ``|q|^2 + |x|^2 - 2 q.x`` can be
    from the exact one: each of the three terms is a sum of ``n_dims`` products, whose
    rounding in any order is within gamma_(d+2) = (d+2)u / (1 - (d+2)u) of the sum of the
    products' magnitudes (Higham, Accuracy and Stability of Numerical Algorithms, 2002,
    section 3.1), and ``2|q.x| <= |q|^2 + |x|^2``; the float32 rounding of the inputs
    themselves adds (1 + u)^2 - 1 on each term."""
    m = (n_dims + 4) * _UNIT
    gamma = m / (1.0 - m)
    return 2.0 * gamma * (query_norm2 + row_norm2)


class FaissIndex:
    """Exact k nearest rows of ``points`` (float64), found with faiss's flat L2 index.

    Parameters
    ----------
    points : ndarray of shape (n_rows, n_dims)
    n_jobs : int, default=None
        faiss's OpenMP threads (None: faiss's default, every core).

    Attributes
    ----------
    n_fallback_queries_ : int
        Query points answered by scikit-learn because their candidates could not be
        proved to hold their k nearest (for tests and benchmarks).
    """

    def __init__(self, points: np.ndarray, n_jobs=None):
        import faiss

        self._faiss = faiss
        self.points = np.ascontiguousarray(points, dtype=np.float64)
        self.n_jobs = n_jobs
        n_dims = self.points.shape[1]
        self._max_norm2 = float(np.einsum("ij,ij->i", self.points, self.points).max())
        self._index = faiss.IndexFlatL2(n_dims)
        self._index.add(np.ascontiguousarray(self.points, dtype=np.float32))
        self._exact = None
        self.n_fallback_queries_ = 0

    def _sklearn(self) -> NearestNeighbors:
        """scikit-learn's exact index over the same rows (fitted when first needed)."""
        if self._exact is None:
            self._exact = NearestNeighbors(algorithm="brute", n_jobs=self.n_jobs).fit(self.points)
        return self._exact

    def kneighbors(self, points, n_neighbors: int, return_distance: bool = True):
        points = np.ascontiguousarray(points, dtype=np.float64)
        n_rows = len(self.points)
        k = min(int(n_neighbors), n_rows)
        if not np.isfinite(points).all():
            raise ValueError("query points must be finite (no NaN or infinity)")
        dist = np.empty((len(points), k))
        idx = np.empty((len(points), k), dtype=np.intp)
        threads = self._faiss.omp_get_max_threads()
        if self.n_jobs is not None and self.n_jobs > 0:
            self._faiss.omp_set_num_threads(int(self.n_jobs))
        try:
            for start in range(0, len(points), SEARCH_BLOCK):
                block = points[start : start + SEARCH_BLOCK]
                d, i = self._block(block, k)
                dist[start : start + len(block)], idx[start : start + len(block)] = d, i
        finally:
            self._faiss.omp_set_num_threads(threads)  # the process's setting, as it was
        return (dist, idx) if return_distance else idx

    def _block(self, points: np.ndarray, k: int):
        n_rows = len(self.points)
        wanted = min(k + EXTRA_CANDIDATES, n_rows)
        settings = self._faiss.cvar
        threshold = settings.distance_compute_blas_threshold
        settings.distance_compute_blas_threshold = BLAS_THRESHOLD
        try:
            found32, candidates = self._index.search(
                np.ascontiguousarray(points, dtype=np.float32), wanted
            )
        finally:
            settings.distance_compute_blas_threshold = threshold
        missing = (candidates < 0).any(axis=1)  # faiss returned fewer rows than asked
        candidates = np.maximum(candidates, 0).astype(np.intp)
        d2 = squared(points, self.points, candidates)
        order = np.lexsort((candidates, d2), axis=1)[:, :k]
        d2_k = np.take_along_axis(d2, order, axis=1)
        idx = np.take_along_axis(candidates, order, axis=1)
        if wanted == n_rows:
            proven = np.ones(len(points), dtype=bool)
        else:
            error = float32_error(
                np.einsum("ij,ij->i", points, points), self._max_norm2, points.shape[1]
            )
            # every row left out is, exactly, at least this far (squared)
            floor = found32[:, -1].astype(np.float64) - error
            proven = floor > d2_k[:, -1] * (1 + 1e-9) + 1e-300
        proven &= ~missing
        unproven = np.flatnonzero(~proven)
        dist = np.sqrt(d2_k)
        if len(unproven):
            self.n_fallback_queries_ += len(unproven)
            dist[unproven], idx[unproven] = self._sklearn().kneighbors(points[unproven], k)
        return dist, idx

    def radius_neighbors(self, points, radius, return_distance: bool = False):
        return self._sklearn().radius_neighbors(
            points, radius=radius, return_distance=return_distance
        )


__all__ = ["FAISS_MIN_DIMS", "FAISS_MIN_ROWS", "FaissIndex", "faiss_installed", "float32_error"]
