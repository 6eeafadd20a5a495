"""PCASMOTE: SMOTE in the principal subspace, mapped back to the original features."""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from sklearn.decomposition import PCA
from sklearn.utils import check_random_state

from ._base import DenseOverSampler, check_class_size, interpolate
from ._constraints import Interval


class PCASMOTE(DenseOverSampler):
    """SMOTE run in the space of the leading principal components.

    In many dimensions most distances are alike and SMOTE's "nearest" neighbours are close
    to random rows. When the data's variance lives in fewer directions, searching and
    interpolating there restores locality. Rows are placed in the diagnosis's distance space
    (numeric columns scaled by ``scaling``, 0/1 columns as they are), PCA is fitted on all
    rows (the majority helps estimate the subspace), SMOTE runs on the projected rows, and the
    new points are mapped back; they lie in the fitted principal subspace.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        imbalanced-learn's meaning.
    random_state : None, int or RandomState, default=None
    k_neighbors : int, default=5
    n_components : float or int, default=0.95
        A float in (0, 1) keeps that share of the variance; an int keeps that many components.
    keep_residual : bool, default=False
        False: the new rows are interpolated in the principal subspace and mapped back, so
        they lie in it (denoised). True: only the neighbours are chosen in the subspace; the
        rows are interpolated in the original features, keeping their parents' variation
        outside it. Denoised rows sit closer to every row than real rows do, so a model that
        works on full-space distances (nearest neighbours) finds them everywhere; keep the
        residual for such models.
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
    space_ : ArraySpace
        The distance space fitted on the rows (``space_.place(X)`` puts rows in it).
    pca_ : PCA
        Fitted on the rows in that space.
    n_components_ : int
        Components kept.

    Examples
    --------
    >>> from smote_diag import PCASMOTE
    >>> from smote_diag.datasets import make_high_dimensional
    >>> data = make_high_dimensional(random_state=0)
    >>> X, y = data.frame.drop(columns=data.target), data.frame[data.target]
    >>> X_res, y_res = PCASMOTE(random_state=0).fit_resample(X, y)
    >>> list(X_res.columns) == list(X.columns)
    True
    """

    _parameter_constraints: dict = {
        **DenseOverSampler._parameter_constraints,
        "n_components": [
            Interval(Real, 0, 1, closed="neither"),
            Interval(Integral, 1, None, closed="left"),
        ],
        "keep_residual": ["boolean"],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        k_neighbors=5,
        n_components=0.95,
        keep_residual=False,
        scaling="standard",
        binary_features="auto",
        onehot_from=None,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.n_components = n_components
        self.keep_residual = keep_residual
        self.scaling = scaling
        self.binary_features = binary_features
        self.onehot_from = onehot_from

    def _fit_resample(self, X, y):
        rng = check_random_state(self.random_state)
        self.space_ = self._fit_space(X)
        scaled = self.space_.place(X)
        n_components = self.n_components
        if isinstance(n_components, Integral):
            n_components = min(n_components, *scaled.shape)
        self.pca_ = PCA(n_components=n_components, svd_solver="full").fit(scaled)
        self.n_components_ = int(self.pca_.n_components_)
        projected = self.pca_.transform(scaled)
        X_parts, y_parts = [X], [y]  # originals first, untouched
        for label, n_new in self.sampling_strategy_.items():
            if not n_new:
                continue
            rows = np.flatnonzero(y == label)
            check_class_size(label, len(rows), self.k_neighbors)
            if self.keep_residual:  # neighbours from the subspace, rows in the features
                new = interpolate(X, projected, rows, n_new, self.k_neighbors, rng)
            else:  # rows in the subspace, mapped back
                new_projected = interpolate(
                    projected, projected, rows, n_new, self.k_neighbors, rng
                )
                new = self.space_.unplace(self.pca_.inverse_transform(new_projected), X.shape[1])
            X_parts.append(new.astype(X.dtype, copy=False))
            y_parts.append(np.full(n_new, label, dtype=y.dtype))
        return np.vstack(X_parts), np.concatenate(y_parts)
