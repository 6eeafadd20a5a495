"""Class overlap around the minority: chance-corrected neighbourhood purity, the
typology's mixed shares, a minority-only N3, and where plain SMOTE's points would land."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._neighbours import NeighbourGraph, sample_nearest
from . import thresholds as T
from ._registry import Finding, register


@dataclass(frozen=True, eq=False)
class SmoteCandidates:
    """Points drawn exactly as plain SMOTE draws them, for one class."""

    seeds: np.ndarray  # class-local position of each candidate's seed row
    partners: np.ndarray  # class-local position of the neighbour it moved towards
    points: np.ndarray  # the candidates, in the scaled space


@dataclass(frozen=True, eq=False)
class SmoteSimulation:
    """Plain SMOTE's candidates for one class: seed row, neighbour, and the territory found."""

    seeds: np.ndarray
    partners: np.ndarray
    in_majority: np.ndarray  # bool per candidate

    @property
    def majority_share(self) -> float | None:
        return float(self.in_majority.mean()) if len(self.in_majority) else None

    @property
    def majority_share_se(self) -> float | None:
        """Standard error of ``majority_share`` (a binomial share of the simulated points),
        Agresti & Coull's (Am. Stat. 52:119-126, 1998): two successes and two failures
        added, so that a share of 0 or 1 still has an error (the plain p(1 - p)/n says 0).
        The real SMOTE's share, measured by ``resample(...).check()``, usually lies within
        two of these of it (``benchmarks/bench_space.py`` prints the largest gap seen)."""
        n = len(self.in_majority)
        if not n:
            return None
        p = (float(self.in_majority.sum()) + 2.0) / (n + 4.0)
        return float(np.sqrt(p * (1 - p) / (n + 4.0)))


def draw_smote_candidates(
    graph: NeighbourGraph, code: int, k_neighbors: int, rng: np.random.Generator, finish=None
) -> SmoteCandidates:
    """Candidates drawn as plain SMOTE does (a seed row, one of its k nearest class rows, a
    uniform gap): as many as the class has rows, between MIN_SMOTE_PROBES and MAX_PROBES.

    ``finish(points, neighbours, rng)`` (``DistanceSpace.finish_smote``) makes them what
    resample() hands back: rounded whole numbers, one category per one-hot group, and, for
    SMOTE-NC, categories voted by the seed's ``neighbours`` (their points)."""
    _, idx = graph.within_class(code, k_neighbors)
    rows = graph.rows_of(code)
    if idx.size == 0:
        empty = np.zeros(0, dtype=int)
        return SmoteCandidates(empty, empty, np.zeros((0, graph.Z.shape[1])))
    n_probes = int(np.clip(len(rows), T.MIN_SMOTE_PROBES, T.MAX_PROBES))
    seeds = rng.integers(len(rows), size=n_probes)
    partners = idx[seeds, rng.integers(idx.shape[1], size=n_probes)]
    gaps = rng.random((n_probes, 1))
    start = graph.Z[rows[seeds]]
    points = start + gaps * (graph.Z[rows[partners]] - start)
    if finish is not None:
        around = graph.Z[rows[idx[seeds]].ravel()].reshape(n_probes, idx.shape[1], -1)
        points = finish(points, around, rng)
    return SmoteCandidates(seeds, partners, points)


def landing_sources(simulation: SmoteSimulation, noise: np.ndarray, groups: np.ndarray) -> dict:
    """Split the share of plain SMOTE's points in majority territory by cause: a noise row at
    either end, a pair that joins two groups (or an isolated row), or neither (local overlap).
    The three shares add up to ``smote_majority_share``."""
    s, p, landed = simulation.seeds, simulation.partners, simulation.in_majority
    if not len(landed):
        return {"from_noise": None, "across_groups": None, "local": None}
    from_noise = noise[s] | noise[p]
    across = ~from_noise & ((groups[s] < 0) | (groups[p] < 0) | (groups[s] != groups[p]))
    local = ~from_noise & ~across
    return {
        "from_noise": float(np.mean(landed & from_noise)),
        "across_groups": float(np.mean(landed & across)),
        "local": float(np.mean(landed & local)),
    }


def chance_purity(n_class: int, n_rows: int) -> float:
    """The share of a row's neighbours in its own class expected under random labels."""
    return (n_class - 1) / (n_rows - 1) if n_rows > 1 else 0.0


def chance_corrected_purity(purity: float, n_class: int, n_rows: int) -> float:
    """kappa = (p - p0) / (1 - p0), with p0 the purity expected under random labels."""
    return beyond_chance(purity, chance_purity(n_class, n_rows))


def beyond_chance(share: float, chance: float) -> float:
    """(share - chance) / (1 - chance): 1 when perfect, 0 at chance."""
    return (share - chance) / (1.0 - chance) if chance < 1 else 0.0


def balanced_purity(ctx, code: int, rows=None) -> tuple[float, float]:
    """How often a row of the class has a row of its class as its nearest row, at one to
    one with the other classes, and that share's chance level: up to BALANCED_ROWS rows of
    the class among as many rows drawn from the other classes, averaged over up to
    BALANCED_DRAWS draws (rows tied for the nearest share it).

    At one to one the share no longer falls as the imbalance grows at a fixed overlap (with
    every other row present, more majority rows crowd every neighbourhood), and the nearest
    row alone is not capped by the size of a small group (a row of a group of three has at
    most two classmates among its five nearest, which at one to one is below chance). The
    sets are small, so their distances are computed directly, not through the index.

    ``rows``: the class's rows to measure (default all of them; e.g. those not suspected of
    a wrong label)."""
    rows = ctx.rows_of(code) if rows is None else rows
    others = np.flatnonzero(ctx.checked.y_codes != code)
    if len(rows) < 2 or not len(others):
        return 1.0, 0.0
    rng = ctx.rng("balanced_purity", code)
    n_side = min(len(rows), T.BALANCED_ROWS)
    exact = len(rows) <= n_side and len(others) <= n_side
    # draws enough for BALANCED_QUERIES class rows in all (one draw of a large class)
    draws = 1 if exact else int(np.clip(np.ceil(T.BALANCED_QUERIES / n_side), 1, T.BALANCED_DRAWS))
    shares = []
    for _ in range(draws):
        mine = rows if len(rows) <= n_side else rng.choice(rows, n_side, replace=False)
        theirs = others if len(others) <= n_side else rng.choice(others, n_side, replace=False)
        shares.append(_nearest_same_share(np.asarray(ctx.Z[mine]), np.asarray(ctx.Z[theirs])))
    return float(np.mean(shares)), chance_purity(n_side, n_side + min(len(others), n_side))


def _nearest_same_share(mine: np.ndarray, theirs: np.ndarray) -> float:
    """Mean share, over the rows of ``mine``, of their nearest other rows (of ``mine`` and
    ``theirs``) that are in ``mine`` (rows tied for the nearest share it)."""
    points = np.vstack([mine, theirs])
    marked = np.arange(len(points)) < len(mine)
    _, shares = sample_nearest(points, np.arange(len(mine)), marked)
    return float(shares.mean())


@register("overlap")
def diagnose_overlap(ctx, code: int) -> Finding:
    """How mixed the classes are around the minority."""
    typology = ctx.typology(code)
    _, idx = ctx.graph.row_neighbours(code)
    n_class = ctx.n_rows_of(code)
    kappa = chance_corrected_purity(typology.purity, n_class, ctx.graph.n_rows)
    overlap_kappa = ctx.overlap_kappa(code)
    # 1-NN error, rows tied for the nearest sharing it
    nearest_other = 1.0 - ctx.graph.row_class_counts(code, 1) if idx.size else np.zeros(0)
    simulation = ctx.smote_simulation(code)
    noise = ctx.label_noise_mask(code)
    sources = landing_sources(simulation, noise, ctx.groups(code).labels)
    mixed = typology.share("borderline") + typology.share("rare")
    evidence = {
        **typology.shares(),
        "neighbourhood_purity": typology.purity,
        "chance_purity": chance_purity(n_class, ctx.graph.n_rows),
        "chance_corrected_purity": kappa,
        "balanced_chance_corrected_purity": overlap_kappa,
        "minority_n3": float(nearest_other.mean()) if len(nearest_other) else None,
        "smote_majority_share": simulation.majority_share,
        "smote_majority_share_se": simulation.majority_share_se,
        "smote_majority_share_from_noise": sources["from_noise"],
        "smote_majority_share_across_groups": sources["across_groups"],
        "smote_majority_share_local": sources["local"],
        "n_smote_probes": len(simulation.in_majority),
        "k_typology": typology.k,
        "rule": (
            "kappa = (share - chance) / (1 - chance), share = how often a class row's "
            "nearest row is of its class, among the class and as many other rows (one to "
            "one, so the grade does not move with the imbalance): severe <= "
            f"{T.OVERLAP_SEVERE_KAPPA}, warning <= {T.OVERLAP_WARN_KAPPA} (Landis & Koch "
            "bands); the simulated SMOTE points in majority territory are split by cause (a "
            "noise row at either end, a pair across groups, or local), the first two being "
            "graded by the noise and minority_clustering findings"
        ),
    }
    severity = ctx.overlap_severity(code)
    landing = ""
    if simulation.majority_share is not None:
        landing = (
            f"; plain SMOTE would put about {simulation.majority_share:.0%} of its points in "
            f"majority territory (standard error {simulation.majority_share_se:.1%}, from "
            f"{len(simulation.in_majority):,} simulated points; "
            f"{sources['from_noise']:.0%} seeded by noise rows, "
            f"{sources['across_groups']:.0%} across groups)"
        )
    summary = (
        f"Class {ctx.label(code)!r}: {typology.purity:.0%} of its rows' neighbours share their "
        f"class; at one to one with the other classes, its rows' nearest rows agree "
        f"on the class {overlap_kappa:.2f} beyond chance (kappa: 0 = chance, 1 = perfect); "
        f"{mixed:.0%} borderline or rare, "
        f"{typology.share('outlier'):.0%} outliers{landing}."
    )
    if ctx.locality(code).wrong_lens:
        summary += (
            " These figures count neighbours, which are the wrong lens for this class (see "
            "the high_dimensionality finding): they are unreliable here."
        )
    return Finding("overlap", severity, summary, evidence, minority_class=ctx.label(code))
