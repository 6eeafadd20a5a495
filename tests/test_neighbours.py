"""The shared neighbour computation: self-exclusion, and queries from the minority side."""

import numpy as np
import pytest

from smote_diag import datasets, diagnose
from smote_diag._neighbours import TYPOLOGY_K, NeighbourGraph


def test_a_row_is_never_its_own_neighbour_even_with_exact_copies():
    Z = np.array([[0.0], [0.0], [0.0], [1.0], [2.0], [3.0], [4.0], [5.0], [6.0]])
    codes = np.array([1, 1, 1, 0, 0, 0, 0, 0, 0])
    graph = NeighbourGraph(Z, codes)
    dist, idx = graph.row_neighbours(1)
    assert idx.shape == (3, TYPOLOGY_K)
    for row, neighbours in zip(graph.rows_of(1), idx):
        assert row not in neighbours
    assert (dist[:, :2] == 0).all()  # the two copies come first
    within_dist, within_idx = graph.within_class(1, 5)
    assert within_idx.shape == (3, 2)  # capped at class size - 1
    for row, neighbours in enumerate(within_idx):
        assert row not in neighbours


def test_territory_counts_class_rows_among_the_nearest_five():
    Z = np.r_[np.zeros((5, 2)), np.ones((5, 2)) * 10]
    codes = np.r_[np.ones(5, int), np.zeros(5, int)]
    graph = NeighbourGraph(Z, codes)
    counts = graph.class_counts_near(np.array([[0.1, 0.1], [9.9, 9.9]]), 1)
    assert counts.tolist() == [5, 0]


def _query_rows(monkeypatch, frame):
    seen = []
    original = NeighbourGraph.class_counts_near

    def spy(self, points, code, k=TYPOLOGY_K):
        seen.append((len(points), self.n_rows))
        return original(self, points, code, k)

    monkeypatch.setattr(NeighbourGraph, "class_counts_near", spy)
    graph_queries = []
    original_init = NeighbourGraph.__init__

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        graph_queries.append(self)

    monkeypatch.setattr(NeighbourGraph, "__init__", init)
    diagnose(frame, target="label", random_state=0, verbose=0)
    return sum(g.n_queries_ for g in graph_queries), graph_queries


@pytest.mark.parametrize("n_majority", [2000, 8000])
def test_queries_grow_with_the_minority_not_the_majority(monkeypatch, n_majority):
    """Cost is (query points) x n: the query points depend on the minority only."""
    data = datasets.make_compact_minority(n_majority=n_majority, n_minority=100, random_state=0)
    n_queries, graphs = _query_rows(monkeypatch, data.frame)
    assert len(graphs) == 1  # one index per diagnosis
    # the minority rows, one SMOTE probe per row (at least 200), the forest edges,
    # the cross-group probes (at least 200): a bound that does not involve n_majority
    assert n_queries <= 100 + 200 + 99 + 200
