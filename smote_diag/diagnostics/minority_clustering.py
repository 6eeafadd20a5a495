"""Minority clustering: the groups the minority forms, small disjuncts, and bridging risk.

A *group* is a set of minority rows joined through minority territory. We take SMOTE's own
neighbour graph (each row and its k nearest rows of the class), keep its minimum spanning
forest, and cut every forest edge whose midpoint lies in majority territory (at most one of
its 5 nearest real rows is of the class) across a gap: longer than GROUP_GAP_FACTOR times
the spacing of the rows at either end (each one's distance to its nearest other classmate).
Where the classes overlap, the class's sparse rows have majority rows between them at their
own spacing; such a midpoint is overlap, not a gap between two groups. The number of groups
therefore comes from the data, not from a fixed k; rows left alone are *isolated*, and so are
rows strung together of which none has a classmate among its 5 nearest rows.

Bridging risk is what plain SMOTE would do with those groups: the share of its (row,
neighbour) pairs that join two different groups through majority territory.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components, minimum_spanning_tree

from .._neighbours import NeighbourGraph
from . import thresholds as T
from ._registry import Finding, grade, register


@dataclass(frozen=True, eq=False)
class MinorityGroups:
    """Grouping of one class's rows (class-local positions, as ``graph.rows_of(code)``).

    Attributes
    ----------
    labels : ndarray of int
        Group of each row, 0 for the largest group, 1 for the next ...; -1 for isolated rows.
    sizes : tuple of int
        Rows per group, largest first.
    n_edges_tested, n_edges_cut : int
        Forest edges probed, and those cut for crossing majority territory.
    """

    labels: np.ndarray
    sizes: tuple
    n_edges_tested: int
    n_edges_cut: int

    @property
    def n_isolated(self) -> int:
        return int(np.sum(self.labels < 0))


@dataclass(frozen=True, eq=False)
class Bridging:
    n_pairs: int  # plain SMOTE's directed (row, neighbour) pairs
    n_cross_pairs: int  # pairs joining two different groups
    n_probed: int  # cross pairs whose midpoint was probed
    n_probed_crossing: int  # ... of which lay in majority territory
    n_isolated_pairs: int  # pairs with an isolated row at either end
    crossing_pairs: np.ndarray = None  # probed pairs (class-local rows) found crossing

    @property
    def cross_share(self) -> float:
        return self.n_cross_pairs / self.n_pairs if self.n_pairs else 0.0

    @property
    def share(self) -> float:
        """Estimated share of all pairs that bridge groups through majority territory."""
        if not self.n_probed:
            return 0.0
        return self.cross_share * self.n_probed_crossing / self.n_probed


def spanning_forest(graph: NeighbourGraph, code: int, k_neighbors: int):
    """Edges of the minimum spanning forest of SMOTE's k-NN graph within class ``code``, as
    two arrays of class-local endpoints (``a``, ``b``)."""
    n = len(graph.rows_of(code))
    dist, idx = graph.within_class(code, k_neighbors)
    if n < 2 or idx.shape[1] == 0:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty
    # Exact duplicates sit at distance 0, which a sparse graph would read as "no edge".
    tiny = np.finfo(float).tiny
    sources = np.repeat(np.arange(n), idx.shape[1])
    weights = coo_matrix((dist.ravel() + tiny, (sources, idx.ravel())), shape=(n, n)).tocsr()
    forest = minimum_spanning_tree(weights.maximum(weights.T)).tocoo()
    return forest.row.astype(np.intp), forest.col.astype(np.intp)


def midpoints(graph: NeighbourGraph, code: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Midpoints of the segments between class-local rows ``a`` and ``b`` of class ``code``."""
    rows = graph.rows_of(code)
    return (graph.Z[rows[a]] + graph.Z[rows[b]]) / 2.0


def find_minority_groups(
    graph: NeighbourGraph,
    code: int,
    k_neighbors: int,
    *,
    forest=None,
    crossing=None,
    isolated=None,
) -> MinorityGroups:
    """Group the rows of class ``code`` by connection through minority territory.

    Parameters
    ----------
    graph : NeighbourGraph
    code : int
        The class to group.
    k_neighbors : int
        SMOTE's neighbour count: the graph whose spanning forest is cut.
    forest : (ndarray, ndarray), default=None
        ``spanning_forest(graph, code, k_neighbors)`` when already computed.
    crossing : ndarray of bool, default=None
        Whether each forest edge's midpoint lies in majority territory, when already
        probed (DiagnosisContext probes them in its one batched query); else probed here.
    isolated : ndarray of bool, default=None
        Rows (class-local) that belong to no group whatever their edges (the diagnosis's
        label-noise rows).

    Returns
    -------
    MinorityGroups
    """
    n = len(graph.rows_of(code))
    a, b = forest if forest is not None else spanning_forest(graph, code, k_neighbors)
    if not len(a):
        return MinorityGroups(np.full(n, -1), (), 0, 0)
    if crossing is None:
        crossing = territory_of(graph.class_counts_near(midpoints(graph, code, a, b), code))
    cut = supported_cuts(graph, code, a, b, crossing)
    if isolated is not None:
        cut = cut | isolated[a] | isolated[b]
    keep = ~cut
    joined = coo_matrix((np.ones(int(keep.sum())), (a[keep], b[keep])), shape=(n, n))
    _, component = connected_components(joined, directed=False)
    # a component none of whose rows has a classmate among its 5 nearest rows is lone rows
    # strung together across majority territory at their own spacing, not a group
    alone = np.floor(graph.row_class_counts(code) + 0.5) == 0
    lone = np.bincount(component, weights=~alone) == 0
    component = np.where(lone[component], -1 - np.arange(n), component)
    component = np.unique(component, return_inverse=True)[1].ravel()
    sizes = np.bincount(component)
    order = np.argsort(-sizes, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    labels = np.where(sizes[component] >= 2, rank[component], -1)
    group_sizes = tuple(int(s) for s in sizes[order] if s >= 2)
    return MinorityGroups(labels, group_sizes, len(a), int(cut.sum()))


def supported_cuts(
    graph: NeighbourGraph, code: int, a: np.ndarray, b: np.ndarray, crossing: np.ndarray
) -> np.ndarray:
    """Which forest edges (class-local ends ``a``, ``b``, midpoints in majority territory
    where ``crossing``) split two groups: those also longer than GROUP_GAP_FACTOR times the
    larger spacing of their two ends (a row's spacing: its distance to its nearest classmate
    other than the edge's other end)."""
    cut = np.flatnonzero(crossing)
    if not len(cut):
        return crossing
    dist, idx = graph.within_class(code, 2)
    if idx.shape[1] < 2:
        return crossing
    rows = graph.rows_of(code)
    ends_a, ends_b = a[cut], b[cut]
    length = np.linalg.norm(graph.Z[rows[ends_a]] - graph.Z[rows[ends_b]], axis=1)

    def spacing(end, other):
        return np.where(idx[end, 0] == other, dist[end, 1], dist[end, 0])

    wide = length > T.GROUP_GAP_FACTOR * np.maximum(
        spacing(ends_a, ends_b), spacing(ends_b, ends_a)
    )
    supported = crossing.copy()
    supported[cut] = wide
    return supported


def territory_of(class_counts: np.ndarray) -> np.ndarray:
    """Whether each point is in majority territory, from the class's count among its 5
    nearest rows: at most TERRITORY_MAX_MINORITY of them (a fractional count, from ties,
    by the nearest whole count, halves up)."""
    return np.floor(class_counts + 0.5) <= T.TERRITORY_MAX_MINORITY


@dataclass(frozen=True, eq=False)
class CrossGroupPairs:
    """Plain SMOTE's (row, neighbour) pairs of one class, and the cross-group ones to probe."""

    n_pairs: int  # plain SMOTE's directed (row, neighbour) pairs
    n_cross_pairs: int  # pairs joining two different groups
    n_isolated_pairs: int  # pairs with an isolated row at either end
    probed: np.ndarray  # shape (m, 2): class-local (row, neighbour) of the probed cross pairs


def cross_group_pairs(
    graph: NeighbourGraph, code: int, k_neighbors: int, groups: MinorityGroups, rng
) -> CrossGroupPairs:
    """Plain SMOTE's pairs that join two different groups, and a sample of them to probe
    (as many as the class has rows, between MIN_PROBES and MAX_PROBES)."""
    _, idx = graph.within_class(code, k_neighbors)
    if idx.size == 0:
        return CrossGroupPairs(0, 0, 0, np.zeros((0, 2), dtype=np.intp))
    n = len(graph.rows_of(code))
    g = groups.labels
    src = np.repeat(np.arange(n), idx.shape[1])
    dst = idx.ravel()
    isolated = (g[src] < 0) | (g[dst] < 0)
    cross = np.flatnonzero(~isolated & (g[src] != g[dst]))
    budget = int(np.clip(n, T.MIN_PROBES, T.MAX_PROBES))
    probed = cross if len(cross) <= budget else rng.choice(cross, budget, replace=False)
    return CrossGroupPairs(
        len(src), len(cross), int(isolated.sum()), np.c_[src[probed], dst[probed]]
    )


def measure_bridging(pairs: CrossGroupPairs, crossing: np.ndarray) -> Bridging:
    """Bridging from the probed cross-group pairs and whether each midpoint is in majority
    territory."""
    return Bridging(
        pairs.n_pairs,
        pairs.n_cross_pairs,
        len(pairs.probed),
        int(crossing.sum()),
        pairs.n_isolated_pairs,
        pairs.probed[crossing],
    )


@register("minority_clustering")
def diagnose_minority_clustering(ctx, code: int) -> Finding:
    """Groups separated by majority territory, small disjuncts, and SMOTE's bridging risk."""
    groups = ctx.groups(code)
    bridging = ctx.bridging(code)
    k = ctx.k_neighbors
    small = [s for s in groups.sizes if s < k + 1]
    n_class = ctx.n_rows_of(code)
    evidence = {
        "n_groups": len(groups.sizes),
        "group_sizes": list(groups.sizes[:20]),
        "n_small_groups": len(small),
        "small_group_rows_share": sum(small) / n_class,
        "n_isolated": groups.n_isolated,
        "n_forest_edges": groups.n_edges_tested,
        "n_forest_edges_cut": groups.n_edges_cut,
        "bridging_share": bridging.share,
        "cross_group_pair_share": bridging.cross_share,
        "n_pairs": bridging.n_pairs,
        "n_cross_pairs_probed": bridging.n_probed,
        "n_cross_pairs_in_majority": bridging.n_probed_crossing,
        "isolated_pair_share": bridging.n_isolated_pairs / bridging.n_pairs
        if bridging.n_pairs
        else 0.0,
        "k_neighbors": k,
        "rule": (
            "groups: SMOTE's k-NN graph within the class, minimum spanning forest, edges cut "
            f"when longer than {T.GROUP_GAP_FACTOR:g} x the spacing of their ends and the "
            "midpoint has at most "
            f"{T.TERRITORY_MAX_MINORITY} class rows among its 5 nearest rows; small group: "
            f"fewer than k+1 = {k + 1} rows; bridging: share of SMOTE pairs joining two groups "
            "with the midpoint in majority territory"
        ),
    }
    severity = grade(bridging.share, T.BRIDGING_WARN_SHARE, T.BRIDGING_SEVERE_SHARE)
    if not groups.sizes:
        summary = (
            f"No two rows of class {ctx.label(code)!r} are joined through minority territory: "
            "every row stands alone among other classes."
        )
    else:
        n_groups = len(groups.sizes)
        shape = (
            "one group"
            if n_groups == 1
            else f"{n_groups} separate groups"
            + (f", {len(small)} of them smaller than k+1 = {k + 1} rows" if small else "")
        )
        summary = (
            f"Class {ctx.label(code)!r} forms {shape}; "
            f"{bridging.share:.1%} of plain SMOTE's neighbour pairs would bridge groups "
            "through majority territory."
        )
    return Finding(
        "minority_clustering", severity, summary, evidence, minority_class=ctx.label(code)
    )
