"""Neighbourhood typology of minority rows (Napierala & Stefanowski 2012, 2016).

Not a finding of its own: its shares feed noise, overlap and the recommendation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._neighbours import TYPOLOGY_K, NeighbourGraph
from . import thresholds as T

TYPES = ("safe", "borderline", "rare", "outlier")


@dataclass(frozen=True, eq=False)
class Typology:
    """Type of every row of one class, from its nearest other rows.

    Attributes
    ----------
    same_class : ndarray of float
        How many of each row's ``k`` nearest other rows share its class (rows tied at the
        edge of the neighbourhood share its places, so a count can be fractional).
    types : ndarray of str
        "safe", "borderline", "rare" or "outlier" per row (rows in position order).
    k : int
        Neighbours looked at (5, fewer only when the whole dataset is smaller).
    """

    same_class: np.ndarray
    types: np.ndarray
    k: int

    def share(self, kind: str) -> float:
        return float(np.mean(self.types == kind)) if len(self.types) else 0.0

    def shares(self) -> dict:
        return {f"{kind}_share": self.share(kind) for kind in TYPES}

    @property
    def purity(self) -> float:
        """Mean share of a row's neighbours in its own class."""
        return float(np.mean(self.same_class / self.k)) if len(self.types) else 0.0


def compute_typology(graph: NeighbourGraph, code: int) -> Typology:
    _, idx = graph.row_neighbours(code)
    k = idx.shape[1]
    same = graph.row_class_counts(code)
    # A fractional count (rows tied at the edge) takes the type of the nearest whole count,
    # halves up; counts are read on the 5-neighbour scale of the paper, a smaller k (tiny
    # data) rescaled to it.
    whole = np.floor(same + 0.5)
    on_five = whole * (TYPOLOGY_K / k) if k else np.zeros(len(same))
    types = np.select(
        [
            on_five >= T.TYPOLOGY_SAFE_MIN,
            on_five >= T.TYPOLOGY_BORDERLINE_MIN,
            on_five >= T.TYPOLOGY_RARE_MIN,
        ],
        ["safe", "borderline", "rare"],
        default="outlier",
    )
    return Typology(same_class=same, types=types, k=k)
