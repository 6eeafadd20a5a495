"""The shared neighbour computation: self-exclusion, and queries from the minority side."""

import numpy as np
import pandas as pd
import pytest

from smote_diag import datasets, diagnose
from smote_diag._neighbours import TYPOLOGY_K, NeighbourGraph
from smote_diag.diagnostics import thresholds as T
from smote_diag.diagnostics.label_noise import other_rows_fitted


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


def _diagnosed_graphs(monkeypatch, frame, **options):
    graphs = []
    original_init = NeighbourGraph.__init__

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        graphs.append(self)

    monkeypatch.setattr(NeighbourGraph, "__init__", init)
    diagnose(frame, target="label", random_state=0, verbose=0, **options)
    return graphs


@pytest.mark.parametrize("n_majority", [2000, 8000])
def test_queries_grow_with_the_minority_not_the_majority(monkeypatch, n_majority):
    """Cost is (query points) x n: the query points depend on the minority only."""
    data = datasets.make_compact_minority(n_majority=n_majority, n_minority=100, random_state=0)
    graphs = _diagnosed_graphs(monkeypatch, data.frame)
    assert len(graphs) == 1  # one index per diagnosis
    # the minority rows, the forest edges, plain SMOTE's candidates (at least
    # MIN_SMOTE_PROBES), the cross-group probes (at least MIN_PROBES), the label-noise model's
    # sample of other rows (set by the minority's size): a bound that does not involve
    # n_majority
    budget = 100 + 99 + T.MIN_SMOTE_PROBES + T.MIN_PROBES + other_rows_fitted(100)
    assert graphs[0].n_queries_ <= budget


def test_every_minority_class_is_queried_in_two_batches(monkeypatch):
    """One batch for the rows, forest midpoints, SMOTE candidates and the label-noise
    sample of every class; one for the cross-group pairs, which need the groups the first
    found."""
    data = datasets.make_bridged_groups(random_state=0)
    frame = data.frame.copy()
    third = frame.index[frame["label"] == 0][:150]
    frame.loc[third, "label"] = 2  # a second minority class
    graphs = _diagnosed_graphs(monkeypatch, frame)
    assert len(graphs) == 1
    assert graphs[0].n_batches_ == 2


def test_probes_are_capped_per_class_whatever_its_size():
    data = datasets.make_compact_minority(n_majority=6000, n_minority=3000, random_state=0)
    report = diagnose(data.frame, target="label", random_state=0, verbose=0)
    overlap = report.finding("overlap")
    clustering = report.finding("minority_clustering")
    assert overlap.evidence["n_smote_probes"] == T.MAX_PROBES
    assert clustering.evidence["n_cross_pairs_probed"] <= T.MAX_PROBES


def test_n_jobs_caps_threads_without_changing_the_result(monkeypatch):
    import threadpoolctl

    limits = []
    original = threadpoolctl.threadpool_limits

    def spy(**kwargs):
        limits.append(kwargs["limits"])
        return original(**kwargs)

    monkeypatch.setattr(threadpoolctl, "threadpool_limits", spy)
    data = datasets.make_bridged_groups(random_state=0)
    one = diagnose(data.frame, target="label", random_state=0, verbose=0, n_jobs=1)
    assert limits and set(limits) == {1}  # every search ran under the cap
    limits.clear()
    every = diagnose(data.frame, target="label", random_state=0, verbose=0)
    assert not limits  # None: scikit-learn's own default, every core
    assert one.to_dict()["findings"] == every.to_dict()["findings"]


def _discrete_table(seed=0):
    """Four 3-level columns and a rule with noise: many rows tie (81 combinations)."""
    rng = np.random.default_rng(seed)
    n = 1500
    frame = pd.DataFrame({c: rng.integers(0, 3, n) for c in ("a", "b", "c", "d")})
    rule = (frame.a == 2) & (frame.b >= 1)
    frame["label"] = np.where(rule, rng.random(n) < 0.6, rng.random(n) < 0.03).astype(int)
    return frame


def test_neighbourhood_counts_do_not_depend_on_the_order_of_tied_rows():
    """With exact copies and equidistant rows, the nearest five are not one set: rows tied
    with the fifth share its place, so the typology and the purity are the same for any
    order of rows or columns (before, a shuffle moved kappa from 0.13 to 0.56 on KEEL car)."""
    frame = _discrete_table()
    reports = [
        diagnose(frame, "label", random_state=0, verbose=0),
        diagnose(frame.sample(frac=1, random_state=1), "label", random_state=0, verbose=0),
        diagnose(frame[["d", "c", "b", "a", "label"]], "label", random_state=0, verbose=0),
    ]
    keys = ("chance_corrected_purity", "safe_share", "borderline_share", "rare_share")
    first = reports[0].finding("overlap").evidence
    for other in reports[1:]:
        e = other.finding("overlap").evidence
        for key in keys:
            assert e[key] == pytest.approx(first[key], abs=1e-12), key
        assert set(other.finding("noise").rows) == set(reports[0].finding("noise").rows)
    graph_ties = first["safe_share"] + first["borderline_share"]
    assert 0 < graph_ties < 1  # a table with real mixing, not a trivial one


def test_noise_reasons_and_n3_do_not_depend_on_the_order_of_tied_rows():
    """Rows whose count is fractional (ties) may have no classmate among their first five
    listed neighbours: the rows' causes (rare rows read each row's nearest classmate),
    their rows and the minority's 1-NN error are the same for any order of rows."""
    rng = np.random.default_rng(3)
    n = 400
    frame = pd.DataFrame({c: rng.integers(0, 3, n) for c in ("a", "b", "c")})
    frame["label"] = (rng.random(n) < np.where(frame.a == 2, 0.3, 0.05)).astype(int)
    frame.index = [f"r{i}" for i in range(n)]
    reports = [
        diagnose(
            frame if s == 0 else frame.sample(frac=1, random_state=s),
            "label",
            random_state=0,
            verbose=0,
        )
        for s in range(6)
    ]
    first = reports[0]
    e = first.finding("noise").evidence
    assert e["n_rare"] + e["n_outlier"] + e["n_overlap"] > 0  # something to compare
    for other in reports[1:]:
        for key in ("n_outlier", "n_rare", "n_overlap", "n_noise"):
            assert other.finding("noise").evidence[key] == first.finding("noise").evidence[key]
        assert set(other.finding("noise").rows) == set(first.finding("noise").rows)
        n3 = other.finding("overlap").evidence["minority_n3"]
        assert n3 == pytest.approx(first.finding("overlap").evidence["minority_n3"], abs=1e-12)
