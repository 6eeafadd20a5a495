"""Locality: whether a row's nearest rows tell its class at all, or whether the class is
decided by rules on the columns that distances do not see.

Every neighbour-based figure (typology, overlap, label noise, groups, bridging, SMOTE's
interpolation itself) assumes that rows near each other tend to share a class. On rule-based
data (a class defined by a conjunction of a few categorical values, among other columns that
count as much in the distances) that is false: a depth-limited decision tree separates the
class while a row's nearest rows are of either class. Such a class then looks like "all
overlap" or "all noise" to a neighbourhood count, and neither is true.

The check compares two out-of-sample rankings of the same rows, by ROC AUC (which does not
move with the class prior):

- the neighbours' own: how many of each row's 5 nearest other rows are of the class (from
  the shared neighbour pass, every row of the data counted; leave-one-out by construction);
- a decision tree's (depth LOCALITY_TREE_DEPTH, leaves of at least LOCALITY_TREE_LEAF
  rows, balanced class weights) on the same distance space, out of fold (stratified
  LOCALITY_FOLDS-fold), fitted on at most LOCALITY_ROWS rows of each side.

Neighbours are the wrong lens when the tree separates the class outstandingly (AUC at least
LOCALITY_TREE_AUC) and its AUC exceeds the neighbours' by LOCALITY_AUC_GAP or more: above
what smooth classes (Gaussians from 1% to 20% Bayes error, 5:1 to 50:1, 2 to 10
dimensions, where neighbours are the right lens) give (``thresholds.py`` says what was
measured). The tree sees fewer rows than the neighbours do, so the comparison leans towards
the neighbours; it is fitted only where the neighbours' AUC leaves room for the gap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import thresholds as T
from .label_noise import sample_rows


@dataclass(frozen=True)
class Locality:
    """How well the class's nearest rows, and a shallow tree, rank its rows above the rest.

    Attributes
    ----------
    neighbour_auc : float or None
        ROC AUC of the share of the class among each row's 5 nearest other rows.
    tree_auc : float or None
        Out-of-fold ROC AUC of a depth-limited decision tree on the same rows; None when
        the neighbours' AUC is above 1 - LOCALITY_AUC_GAP (no tree could beat it by the gap,
        so none is fitted).
    n_rows : int
        Rows both were scored on (0 when not measured: too few rows of a side).
    """

    neighbour_auc: float | None
    tree_auc: float | None
    n_rows: int

    @property
    def gap(self) -> float | None:
        if self.neighbour_auc is None or self.tree_auc is None:
            return None
        return self.tree_auc - self.neighbour_auc

    @property
    def wrong_lens(self) -> bool:
        """The tree ranks the class outstandingly, and clearly better than its
        neighbourhoods do."""
        return (
            self.gap is not None
            and self.tree_auc >= T.LOCALITY_TREE_AUC
            and self.gap >= T.LOCALITY_AUC_GAP
        )


NOT_MEASURED = Locality(None, None, 0)


def tree_against_neighbours(tree_auc: float, neighbour_auc: float) -> str:
    """The comparison in words, for every face that says neighbours are the wrong lens."""
    return (
        f"a shallow decision tree ranks it at ROC AUC {tree_auc:.2f}, the share of the class "
        f"among a row's 5 nearest rows only at {neighbour_auc:.2f}"
    )


def measure_locality(
    Z, y_codes: np.ndarray, code: int, counts: np.ndarray, others: np.ndarray, rng
) -> Locality:
    """Compare the neighbours' and a shallow tree's ranking of class ``code``.

    ``counts``: per row of the data (at least at the class's rows and ``others``), how many
    of its 5 nearest other rows are of the class. ``others``: rows of the other classes to
    score against (a random sample of them ranks as all of them would)."""
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.tree import DecisionTreeClassifier

    in_class = np.flatnonzero(y_codes == code)
    chosen = [
        sample_rows(in_class, T.LOCALITY_ROWS, rng),
        sample_rows(others, T.LOCALITY_ROWS, rng),
    ]
    if min(len(c) for c in chosen) < T.LOCALITY_FOLDS:
        return NOT_MEASURED
    rows = np.concatenate(chosen)
    target = np.r_[np.ones(len(chosen[0])), np.zeros(len(chosen[1]))]
    # (ROC AUC does not move with the sides' sizes: the samples need no weights)
    neighbour_auc = float(roc_auc_score(target, counts[rows]))
    if neighbour_auc > 1.0 - T.LOCALITY_AUC_GAP:
        # no tree can beat it by the gap: the tree is not fitted
        return Locality(neighbour_auc, None, len(rows))
    tree = DecisionTreeClassifier(
        max_depth=T.LOCALITY_TREE_DEPTH,
        min_samples_leaf=T.LOCALITY_TREE_LEAF,
        class_weight="balanced",
        random_state=int(rng.integers(2**31 - 1)),
    )
    folds = StratifiedKFold(
        T.LOCALITY_FOLDS, shuffle=True, random_state=int(rng.integers(2**31 - 1))
    )
    score = cross_val_predict(
        tree, np.asarray(Z[rows], dtype=float), target, cv=folds, method="predict_proba"
    )[:, 1]
    tree_auc = float(roc_auc_score(target, score))
    return Locality(neighbour_auc, tree_auc, len(rows))


__all__ = ["Locality", "measure_locality"]
