"""What our samplers share: dense numeric input only, and SMOTE's interpolation step."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from imblearn.over_sampling.base import BaseOverSampler

from .._neighbours import drop_self, fitted_index
from .._space import SCALINGS, ArraySpace, ColumnScaling, fit_array_space
from .._validation import minority_too_small
from ..exceptions import InputError
from ._constraints import Interval, StrOptions


class DenseOverSampler(BaseOverSampler):
    """An imbalanced-learn over-sampler that takes dense numeric arrays or DataFrames; its
    subclasses share SMOTE's ``k_neighbors`` and smote_diag's distance space (``scaling``,
    ``binary_features``: see ``SpaceSampler``)."""

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "k_neighbors": [Interval(Integral, 1, None, closed="left")],
        "scaling": [StrOptions(set(SCALINGS)), ColumnScaling],
        "binary_features": [StrOptions({"auto"}), "array-like"],
        "onehot_from": [Interval(Integral, 0, None, closed="left"), None],
    }

    def _fit_space(self, X: np.ndarray) -> ArraySpace:
        """The distance space of ``X`` (the diagnosis's: numeric columns scaled by
        ``scaling``, 0/1 columns as they are, one-hot columns from ``onehot_from`` on at
        weight 1/sqrt(2))."""
        return fit_array_space(X, self.scaling, self.binary_features, self.onehot_from)

    def _check_X_y(self, X, y, accept_sparse=None):
        return super()._check_X_y(X, y, accept_sparse=False)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        return tags


def interpolate(
    X: np.ndarray,
    Z: np.ndarray,
    members: np.ndarray,
    n_new: int,
    k_neighbors: int,
    rng: np.random.RandomState,
) -> np.ndarray:
    """SMOTE inside ``members``: a random seed row, one of its ``k`` nearest members (found
    in the scaled space ``Z``), a uniform gap; the point is built in ``X``'s own units.

    Interpolation commutes with the affine scaling, so building the point in ``X`` equals
    building it in ``Z`` and mapping back.
    """
    k = min(k_neighbors, len(members) - 1)
    dist, idx = fitted_index(Z[members]).kneighbors(Z[members], k + 1)
    _, neighbours = drop_self(dist, idx, np.arange(len(members)), k)
    seeds = rng.randint(len(members), size=n_new)
    partners = neighbours[seeds, rng.randint(k, size=n_new)]
    gaps = rng.uniform(size=(n_new, 1))
    start = X[members[seeds]]
    return start + gaps * (X[members[partners]] - start)


def apportion(total: int, weights) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder, ties to
    the earlier weight), so the parts always add up to ``total`` exactly."""
    weights = np.asarray(weights, dtype=float)
    quotas = total * weights / weights.sum()
    parts = np.floor(quotas).astype(int)
    remainder = total - parts.sum()
    order = np.argsort(-(quotas - parts), kind="stable")
    parts[order[:remainder]] += 1
    return parts


def check_class_size(label, n_rows: int, k_neighbors: int) -> None:
    if n_rows < k_neighbors + 1:
        raise InputError(minority_too_small(label, n_rows, k_neighbors))
