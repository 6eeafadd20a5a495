"""The exact neighbour engines: faiss's flat search (``_faiss``) gives scikit-learn's
neighbours, on continuous data and on data full of ties, and the same reports."""

import numpy as np
import pytest
from sklearn.neighbors import NearestNeighbors

from smote_diag import _faiss, _neighbours, datasets, diagnose
from tests.same_report import assert_same_report

faiss = pytest.importorskip("faiss")


def _sklearn(points, queries, k):
    return NearestNeighbors(n_neighbors=k, algorithm="brute").fit(points).kneighbors(queries)


def test_faiss_settings_are_left_as_they_were():
    before = faiss.cvar.distance_compute_blas_threshold, faiss.omp_get_max_threads()
    points = np.random.default_rng(0).normal(size=(500, 20))
    _faiss.FaissIndex(points, n_jobs=1).kneighbors(np.zeros((3, 20)), 4)
    assert (faiss.cvar.distance_compute_blas_threshold, faiss.omp_get_max_threads()) == before


def test_queries_must_be_finite():
    points = np.random.default_rng(0).normal(size=(10, 20))
    query = points[:2].copy()
    query[0, 0] = np.nan
    with pytest.raises(ValueError, match="finite"):
        _faiss.FaissIndex(points).kneighbors(query, 5)


def test_near_copies_are_ranked_exactly():
    # clusters of 8 rows 1e-9 apart: below the rounding of scikit-learn's expanded-form
    # distances (about 1e-8), whose order among them is noise; faiss's candidates are
    # ranked by subtraction, the exact order
    rng = np.random.default_rng(0)
    base = rng.normal(size=(300, 20))
    points = np.repeat(base, 8, axis=0) + rng.normal(scale=1e-9, size=(2400, 20))
    queries = points[::8][:100]
    _, idx = _faiss.FaissIndex(points).kneighbors(queries, 6)
    full = np.sum((points[None, :, :] - queries[:, None, :]) ** 2, axis=2)
    order = np.broadcast_to(np.arange(len(points)), full.shape)
    np.testing.assert_array_equal(idx, np.lexsort((order, full), axis=1)[:, :6])


def test_the_float32_error_bound_holds():
    rng = np.random.default_rng(0)
    for n_dims in (2, 30, 1000):
        x = rng.normal(size=(400, n_dims)) * rng.uniform(0.1, 10, size=n_dims)
        q = x[:50] + rng.normal(scale=1e-3, size=(50, n_dims))  # near rows: cancellation
        index = faiss.IndexFlatL2(n_dims)
        index.add(x.astype(np.float32))
        found32, rows = index.search(q.astype(np.float32), 20)
        exact = np.sum((x[rows] - q[:, None, :]) ** 2, axis=2)
        bound = _faiss.float32_error(
            np.sum(q**2, axis=1), float(np.sum(x**2, axis=1).max()), n_dims
        )
        assert (np.abs(found32 - exact) <= bound[:, None]).all(), n_dims


@pytest.mark.parametrize("n_dims", [3, 30, 300])
def test_continuous_rows_get_the_same_nearest_rows(n_dims):
    rng = np.random.default_rng(n_dims)
    points = rng.normal(size=(3000, n_dims))
    queries = np.vstack([points[:200], rng.normal(size=(100, n_dims))])
    index = _faiss.FaissIndex(points)
    dist, idx = index.kneighbors(queries, 7)
    expected_dist, expected_idx = _sklearn(points, queries, 7)
    np.testing.assert_array_equal(idx, expected_idx)
    np.testing.assert_allclose(dist, expected_dist, rtol=1e-6, atol=1e-6)
    assert index.n_fallback_queries_ == 0  # continuous data: proved from the candidates


def test_tied_rows_fall_back_to_the_exact_search_and_keep_the_tied_distances():
    rng = np.random.default_rng(1)
    points = rng.integers(0, 3, size=(4000, 4)).astype(float)  # 81 distinct rows, copies
    queries = points[:300]
    index = _faiss.FaissIndex(points)
    dist, idx = index.kneighbors(queries, 6)
    expected_dist, _ = _sklearn(points, queries, 6)
    np.testing.assert_allclose(dist, expected_dist, atol=1e-6)  # tied rows may swap places
    exact = np.sqrt(np.sum((points[idx] - queries[:, None, :]) ** 2, axis=2))
    np.testing.assert_allclose(dist, exact, atol=1e-6)
    assert index.n_fallback_queries_ > 0


CASES = {
    "bridged groups": lambda: datasets.make_bridged_groups(random_state=0).frame,
    "flipped labels": lambda: datasets.make_flipped_labels(random_state=0).frame,
    "three classes": lambda: datasets.make_three_classes(random_state=0).frame,
    "mixed types": lambda: datasets.make_mixed_types(random_state=0).frame,
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_report_is_the_same_with_either_engine(monkeypatch, case):
    frame = CASES[case]()
    reports = {}
    for engine in ("sklearn", "auto"):
        monkeypatch.setattr(_neighbours, "ENGINE", engine)
        monkeypatch.setattr(_faiss, "FAISS_MIN_ROWS", 0)
        monkeypatch.setattr(_faiss, "FAISS_MIN_DIMS", 0)
        reports[engine] = diagnose(frame, "label", random_state=0, verbose=0).to_dict()
    here, there = reports["sklearn"], reports["auto"]
    # scikit-learn's distances come from the expanded form (about 1e-8 off), faiss's from
    # subtraction
    assert_same_report(there, here, rel=1e-6, abs=1e-9)


def test_faiss_is_used_for_many_rows_only(monkeypatch):
    many = np.random.default_rng(0).normal(size=(_faiss.FAISS_MIN_ROWS, _faiss.FAISS_MIN_DIMS))
    assert isinstance(_neighbours.search_index(many), _faiss.FaissIndex)
    assert isinstance(_neighbours.search_index(many[:100]), NearestNeighbors)
    assert isinstance(_neighbours.search_index(many[:, :3]), NearestNeighbors)
    monkeypatch.setattr(_neighbours, "ENGINE", "sklearn")
    assert isinstance(_neighbours.search_index(many), NearestNeighbors)
