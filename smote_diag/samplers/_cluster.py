"""ClusterSMOTE: SMOTE that interpolates only inside one minority group."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from sklearn.base import clone
from sklearn.utils import check_random_state

from .._neighbours import NeighbourGraph
from ..diagnostics.minority_clustering import find_minority_groups
from ._base import DenseOverSampler, apportion, interpolate
from ._constraints import HasMethods


class ClusterSMOTE(DenseOverSampler):
    """SMOTE that interpolates only between rows of the same minority group.

    Plain SMOTE pairs a row with any of its k nearest minority rows, so a minority made of
    separate groups gets synthetic points in the majority territory between them. ClusterSMOTE
    first groups each minority class, then runs SMOTE inside each group; it never creates a
    point between two groups.

    Grouping, by default, is the one ``diagnose()`` reports: rows joined through minority
    territory along SMOTE's own neighbour graph, in the diagnosis's distance space (numeric
    columns scaled by ``scaling``, 0/1 columns as they are), so with the same ``scaling`` the
    groups are the report's. A ``clusterer`` (anything with ``fit_predict``, e.g.
    ``KMeans(3)``) can replace it; it sees the class's rows in that space, and the label -1
    means "no group".

    Rules, per class:

    - New points are shared among groups in proportion to their sizes (largest remainder,
      so the counts are exact), as plain SMOTE shares them among seed rows.
    - A group of m rows uses k = min(k_neighbors, m - 1) neighbours; groups of one row and
      rows labelled -1 are not used as seeds (they are the isolated rows that plain SMOTE
      would bridge from, and likely noise).
    - When no group of two or more rows exists, the class is randomly oversampled
      (duplicated), recorded in ``fallback_``.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        imbalanced-learn's meaning.
    random_state : None, int or RandomState, default=None
    k_neighbors : int, default=5
    clusterer : estimator with ``fit_predict``, default=None
    n_jobs : int, default=None
    scaling : {"standard", "robust", "none"} or ColumnScaling, default="standard"
        How numeric columns count in the distances (see ``diagnose``); fitted on the rows
        given, or a fitted ColumnScaling used as it is.
    binary_features : "auto" or sequence of int, default="auto"
        Positions of the 0/1 columns, which count as they are ("auto": the columns holding
        only 0 and 1).
    onehot_from : int, default=None
        The columns from this position on are one-hot encoded categories (weight
        1/sqrt(2), so a category mismatch counts as one unit).

    Attributes
    ----------
    groups_ : dict
        Class label -> group label of each of its rows (in row order).
    fallback_ : dict
        Class label -> "duplication" for classes that had no group to interpolate in.

    Examples
    --------
    >>> from smote_diag import ClusterSMOTE
    >>> from smote_diag.datasets import make_bridged_groups
    >>> data = make_bridged_groups(random_state=0)
    >>> X, y = data.frame.drop(columns=data.target), data.frame[data.target]
    >>> X_res, y_res = ClusterSMOTE(random_state=0).fit_resample(X, y)
    >>> int((y_res == 1).sum()) == int((y_res == 0).sum())
    True
    """

    _parameter_constraints: dict = {
        **DenseOverSampler._parameter_constraints,
        "clusterer": [HasMethods(["fit_predict"]), None],
        "n_jobs": [Integral, None],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        k_neighbors=5,
        clusterer=None,
        n_jobs=None,
        scaling="standard",
        binary_features="auto",
        onehot_from=None,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.clusterer = clusterer
        self.n_jobs = n_jobs
        self.scaling = scaling
        self.binary_features = binary_features
        self.onehot_from = onehot_from

    def _fit_resample(self, X, y):
        rng = check_random_state(self.random_state)
        Z = self._fit_space(X).place(X)
        classes, codes = np.unique(y, return_inverse=True)
        graph = None if self.clusterer is not None else NeighbourGraph(Z, codes, n_jobs=self.n_jobs)
        X_parts, y_parts = [X], [y]  # originals first, untouched
        self.groups_, self.fallback_ = {}, {}
        for label, n_new in self.sampling_strategy_.items():
            rows = np.flatnonzero(y == label)
            if self.clusterer is not None:
                group_of = np.asarray(clone(self.clusterer).fit_predict(Z[rows]))
            else:
                code = int(np.searchsorted(classes, label))
                group_of = find_minority_groups(graph, code, self.k_neighbors).labels
            self.groups_[label] = group_of
            if n_new == 0:
                continue
            ids, sizes = np.unique(group_of[group_of >= 0], return_counts=True)
            usable = ids[sizes >= 2]
            if len(usable) == 0:
                self.fallback_[label] = "duplication"
                X_parts.append(X[rng.choice(rows, n_new)])
            else:
                members = [rows[group_of == g] for g in usable]
                shares = apportion(n_new, [len(m) for m in members])
                for group_rows, n_group in zip(members, shares):
                    if n_group:
                        X_parts.append(
                            interpolate(X, Z, group_rows, n_group, self.k_neighbors, rng)
                        )
            y_parts.append(np.full(n_new, label, dtype=y.dtype))
        return np.vstack(X_parts).astype(X.dtype, copy=False), np.concatenate(y_parts)
