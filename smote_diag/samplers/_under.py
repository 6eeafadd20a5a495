"""SMOTEUnderSampler: SMOTE part of the way, then random undersampling of the majority."""

from __future__ import annotations

from collections import Counter
from numbers import Integral, Real

from imblearn.base import BaseSampler
from imblearn.utils import check_target_type
from sklearn.utils import check_X_y

from ._constraints import HasMethods, Interval


class SMOTEUnderSampler(BaseSampler):
    """SMOTE to a share of the majority's size, then the majority randomly undersampled.

    Chawla et al. (JAIR 16:321-357, 2002) found SMOTE combined with undersampling of the
    majority better than undersampling alone. Fewer synthetic rows are made than by plain
    SMOTE (by default ``0.5 n_majority - n_minority`` instead of ``n_majority - n_minority``),
    and the majority loses rows at random instead of the minority being grown all the way;
    a minority already at half the majority is not grown at all (only undersampled to).

    - Each smaller class is grown by SMOTE to ``oversample_to`` times the largest class's
      size (a class already larger is left as it is).
    - The largest class is then undersampled at random to the size of the largest other
      class over ``undersample_to`` (1.0: as many rows as it; never more rows than it had).

    Parameters
    ----------
    oversample_to : float in (0, 1], default=0.5
    undersample_to : float in (0, 1], default=1.0
    k_neighbors : int or neighbours estimator, default=5
        SMOTE's (passed on as it is).
    random_state : None, int or RandomState, default=None

    Attributes
    ----------
    smote_ : imblearn SMOTE, fitted
    under_ : imblearn RandomUnderSampler, fitted; ``under_.sample_indices_`` are the rows of
        SMOTE's output (the original rows first, then the synthetic ones) that were kept.

    Examples
    --------
    >>> import numpy as np
    >>> from smote_diag import SMOTEUnderSampler
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.normal(size=(220, 2)), np.r_[np.zeros(200), np.ones(20)]
    >>> X_res, y_res = SMOTEUnderSampler(random_state=0).fit_resample(X, y)
    >>> int((y_res == 1).sum()), int((y_res == 0).sum())
    (100, 100)
    """

    # neither an over- nor an under-sampler alone: the two ratios set every class's size
    _sampling_type = "bypass"

    _parameter_constraints: dict = {
        "random_state": ["random_state"],
        "oversample_to": [Interval(Real, 0, 1, closed="right")],
        "undersample_to": [Interval(Real, 0, 1, closed="right")],
        # an int, or a neighbours estimator as SMOTE takes (SpaceSampler gives its own)
        "k_neighbors": [
            Interval(Integral, 1, None, closed="left"),
            HasMethods(["kneighbors", "kneighbors_graph"]),
        ],
    }

    def __init__(
        self,
        *,
        random_state=None,
        oversample_to=0.5,
        undersample_to=1.0,
        k_neighbors=5,
    ):
        super().__init__()
        self.random_state = random_state
        self.oversample_to = oversample_to
        self.undersample_to = undersample_to
        self.k_neighbors = k_neighbors

    def _fit_resample(self, X, y):
        from imblearn.over_sampling import SMOTE
        from imblearn.under_sampling import RandomUnderSampler

        y = check_target_type(y)
        X, y = check_X_y(X, y, accept_sparse=["csr", "csc"])
        counts = Counter(y.tolist())
        largest, n_largest = max(counts.items(), key=lambda item: item[1])
        grown = {
            label: max(n, int(round(self.oversample_to * n_largest)))
            for label, n in counts.items()
            if label != largest
        }
        self.smote_ = SMOTE(
            sampling_strategy=grown, k_neighbors=self.k_neighbors, random_state=self.random_state
        )
        X_over, y_over = self.smote_.fit_resample(X, y)
        kept = min(n_largest, int(round(max(grown.values()) / self.undersample_to)))
        self.under_ = RandomUnderSampler(
            sampling_strategy={largest: kept}, random_state=self.random_state
        )
        self.sampling_strategy_ = self.smote_.sampling_strategy_
        return self.under_.fit_resample(X_over, y_over)
