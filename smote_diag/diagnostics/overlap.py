"""Class overlap around the minority: chance-corrected neighbourhood purity, the
typology's mixed shares, a minority-only N3, and where plain SMOTE's points would land."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._neighbours import NeighbourGraph
from . import Finding, grade, register
from . import thresholds as T

# Probes per class at least, so a small class's shares have a standard error of at most
# sqrt(0.25 / 200) = 3.5 points.
MIN_PROBES = T.MIN_BRIDGE_PROBES


@dataclass(frozen=True, eq=False)
class SmoteSimulation:
    """Plain SMOTE's candidates for one class: row, neighbour, gap, and the territory found."""

    seeds: np.ndarray  # class-local position of each candidate's seed row
    in_majority: np.ndarray  # bool per candidate

    @property
    def majority_share(self) -> float | None:
        return float(self.in_majority.mean()) if len(self.in_majority) else None


def simulate_smote(
    graph: NeighbourGraph, code: int, k_neighbors: int, rng: np.random.Generator
) -> SmoteSimulation:
    """Draw candidates exactly as plain SMOTE does (a seed row, one of its k nearest class
    rows, a uniform gap) and look up each candidate's 5 nearest real rows."""
    _, idx = graph.within_class(code, k_neighbors)
    rows = graph.rows_of(code)
    if idx.size == 0:
        return SmoteSimulation(np.zeros(0, dtype=int), np.zeros(0, dtype=bool))
    n_probes = max(len(rows), MIN_PROBES)
    seeds = rng.integers(len(rows), size=n_probes)
    partners = idx[seeds, rng.integers(idx.shape[1], size=n_probes)]
    gaps = rng.random((n_probes, 1))
    start = graph.Z[rows[seeds]]
    points = start + gaps * (graph.Z[rows[partners]] - start)
    counts = graph.class_counts_near(points, code)
    return SmoteSimulation(seeds, counts <= T.TERRITORY_MAX_MINORITY)


def chance_corrected_purity(purity: float, n_class: int, n_rows: int) -> float:
    """kappa = (p - p0) / (1 - p0), with p0 the purity expected under random labels."""
    chance = (n_class - 1) / (n_rows - 1) if n_rows > 1 else 0.0
    return (purity - chance) / (1.0 - chance) if chance < 1 else 0.0


@register("overlap")
def diagnose_overlap(ctx, code: int) -> Finding:
    """How mixed the classes are around the minority."""
    typology = ctx.typology(code)
    _, idx = ctx.graph.row_neighbours(code)
    n_class = ctx.n_rows_of(code)
    kappa = chance_corrected_purity(typology.purity, n_class, ctx.graph.n_rows)
    nearest_other = (ctx.graph.y_codes[idx[:, 0]] != code) if idx.size else np.zeros(0, bool)
    simulation = ctx.smote_simulation(code)
    mixed = typology.share("borderline") + typology.share("rare")
    evidence = {
        **typology.shares(),
        "neighbourhood_purity": typology.purity,
        "chance_purity": (n_class - 1) / (ctx.graph.n_rows - 1),
        "chance_corrected_purity": kappa,
        "minority_n3": float(nearest_other.mean()) if len(nearest_other) else None,
        "smote_majority_share": simulation.majority_share,
        "n_smote_probes": len(simulation.in_majority),
        "k_typology": typology.k,
        "rule": (
            "severity from kappa = (purity - chance) / (1 - chance) over each class row's 5 "
            f"nearest rows: severe <= {T.OVERLAP_SEVERE_KAPPA}, warning <= {T.OVERLAP_WARN_KAPPA}"
            " (Landis & Koch bands)"
        ),
    }
    severity = grade(kappa, T.OVERLAP_WARN_KAPPA, T.OVERLAP_SEVERE_KAPPA, higher_is_worse=False)
    landing = (
        f"; plain SMOTE would put {simulation.majority_share:.0%} of its points in majority "
        "territory"
        if simulation.majority_share is not None
        else ""
    )
    summary = (
        f"Class {ctx.label(code)!r}: {typology.purity:.0%} of its rows' neighbours share their "
        f"class ({kappa:.2f} after correcting for chance; {mixed:.0%} borderline or rare, "
        f"{typology.share('outlier'):.0%} outliers){landing}."
    )
    return Finding("overlap", severity, summary, evidence, minority_class=ctx.label(code))
