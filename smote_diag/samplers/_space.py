"""imbalanced-learn's samplers, choosing their neighbours in smote_diag's distance space.

imbalanced-learn's samplers take a neighbours estimator (``k_neighbors=``, ``m_neighbors=``,
``n_neighbors=``). ``SpaceSampler`` fits the space on the rows it is given and hands each
neighbour search of the sampler (SMOTE's, Borderline-SMOTE's danger test, ADASYN's,
edited nearest neighbours', Tomek links') a ``SpaceNeighbors`` that measures there. The
samplers' own code makes the new rows, in the caller's units: interpolation commutes with
the per-column affine map of the space.
"""

from __future__ import annotations

from numbers import Integral

import numpy as np
from imblearn.base import BaseSampler
from imblearn.combine import SMOTEENN, SMOTETomek
from imblearn.over_sampling import ADASYN, SMOTE, SMOTEN, SMOTENC
from imblearn.under_sampling import EditedNearestNeighbours, TomekLinks
from sklearn.base import BaseEstimator, clone
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder
from sklearn.utils import get_tags

from .._format import listed
from .._neighbours import fitted_index, thread_limit
from .._space import (
    CATEGORY_WEIGHT,
    SCALINGS,
    ArraySpace,
    ColumnScaling,
    finish_rows,
    fit_array_space,
    onehot_map,
)
from .._validation import minority_too_small
from ..exceptions import InputError
from ._constraints import HasMethods, Interval, StrOptions, _safe_indexing

# Parameters of imbalanced-learn's samplers that name a neighbour search; each search takes
# one neighbour more than asked (the row itself comes first), as imbalanced-learn's own.
NEIGHBOUR_PARAMETERS = ("k_neighbors", "m_neighbors", "n_neighbors")

# The fitted steps that drop rows after SMOTE: SMOTE-ENN's and SMOTE-Tomek's cleaners, and
# SMOTEUnderSampler's undersampling. Their ``sample_indices_`` are the rows of SMOTE's output
# (the originals first, then the new rows) that were kept, in the order they come out.
DROPPING_STEPS = ("enn_", "tomek_", "under_")


def kept_after_smote(sampler) -> np.ndarray | None:
    """The rows of SMOTE's output that the fitted (unwrapped) ``sampler`` kept, in its
    output's order; None when it drops none."""
    for name in DROPPING_STEPS:
        step = getattr(sampler, name, None)
        if step is not None:
            return np.asarray(step.sample_indices_)
    return None


class SpaceNeighbors(BaseEstimator):
    """Exact nearest neighbours measured in smote_diag's distance space (an ``ArraySpace``),
    for imbalanced-learn's ``k_neighbors=``, ``m_neighbors=`` and ``n_neighbors=``.

    One-hot columns (``space.onehot_from`` on) count by which entries are set, whatever value
    they hold: SMOTE-NC writes its class's median standard deviation over sqrt(2) there, and
    explicit zeros when that median is 0; each set entry is CATEGORY_WEIGHT in the space.

    Parameters
    ----------
    n_neighbors : int, default=6
    space : ArraySpace
    n_jobs : int, default=None
    """

    def __init__(self, n_neighbors=6, *, space=None, n_jobs=None):
        self.n_neighbors = n_neighbors
        self.space = space
        self.n_jobs = n_jobs

    def fit(self, X, y=None):
        self.index_ = fitted_index(
            self._placed(X), n_jobs=self.n_jobs, n_neighbors=self.n_neighbors
        )
        return self

    def _placed(self, X):
        start = self.space.onehot_from
        if start is not None:
            if hasattr(X, "tocsr"):  # the stored entries, explicit zeros included, are set
                X = X.tocsr(copy=True)
                X.data[X.indices >= start] = 1.0
            else:
                X = np.array(X, dtype=float, copy=True)
                X[:, start:] = X[:, start:] != 0
        return self.space.place(X)

    def kneighbors(self, X=None, n_neighbors=None, return_distance=True):
        with thread_limit(self.n_jobs):
            return self.index_.kneighbors(
                None if X is None else self._placed(X), n_neighbors, return_distance
            )

    def kneighbors_graph(self, X=None, n_neighbors=None, mode="connectivity"):
        with thread_limit(self.n_jobs):
            return self.index_.kneighbors_graph(
                None if X is None else self._placed(X), n_neighbors, mode
            )


class SpaceTomekLinks(TomekLinks):
    """Tomek links (a row and its nearest row of another class, each the other's nearest)
    measured in smote_diag's distance space (an ``ArraySpace``)."""

    _parameter_constraints: dict = {
        **TomekLinks._parameter_constraints,
        "space": [ArraySpace, None],
    }

    def __init__(self, *, sampling_strategy="auto", n_jobs=None, space=None):
        super().__init__(sampling_strategy=sampling_strategy, n_jobs=n_jobs)
        self.space = space

    def _fit_resample(self, X, y):
        super()._fit_resample(self.space.place(X), y)
        return _safe_indexing(X, self.sample_indices_), _safe_indexing(y, self.sample_indices_)


class SpaceSMOTEN(SMOTEN):
    """SMOTEN with its neighbours by category mismatches: smote_diag's space for data whose
    every column is categorical (one-hot at weight 1/sqrt(2), so the squared distance
    counts the columns that differ), instead of the value difference metric. The new rows
    are SMOTEN's: each column takes the most frequent category among the seed's neighbours."""

    def _fit_resample(self, X, y):
        self._validate_estimator()
        encoder = (
            OrdinalEncoder(dtype=np.int32)
            if self.categorical_encoder is None
            else clone(self.categorical_encoder)
        )
        self.categorical_encoder_ = encoder
        codes = encoder.fit_transform(X)
        k = self.nn_k_.n_neighbors  # k_neighbors + 1: the row itself first, as in SMOTEN
        onehot = OneHotEncoder(sparse_output=False).fit(codes)
        levels = onehot_map([codes[:, j] for j in range(codes.shape[1])])  # rare ones shared
        X_parts, y_parts = [X.copy()], [y.copy()]
        for label, n_new in self.sampling_strategy_.items():
            if not n_new:
                continue
            X_class = codes[y == label]
            placed = onehot.transform(X_class)
            placed = (placed if levels is None else placed @ levels) * CATEGORY_WEIGHT
            neighbours = fitted_index(placed).kneighbors(placed, min(k, len(X_class)), False)
            X_new, y_new = self._make_samples(X_class, label, y.dtype, neighbours, n_new)
            X_parts.append(encoder.inverse_transform(X_new))
            y_parts.append(y_new)
        return np.vstack(X_parts), np.hstack(y_parts)


class SpaceSampler(BaseSampler):
    """An imbalanced-learn sampler whose neighbours are measured in smote_diag's distance
    space, fitted on the rows it resamples.

    The space is the diagnosis's (``diagnose(..., scaling=)``): numeric columns scaled,
    0/1 columns as they are, categories one-hot at weight 1/sqrt(2). Inside a pipeline it is
    fitted on each training fold. The sampler's own code makes the new rows, in the
    caller's units.

    Parameters
    ----------
    sampler : imbalanced-learn sampler
        SMOTE, BorderlineSMOTE, ADASYN, SMOTENC, SMOTEN, SMOTEENN or SMOTETomek (or any
        sampler with integer ``k_neighbors``/``m_neighbors``/``n_neighbors``); cloned, never
        modified. Its neighbour searches, and the cleaning steps of the hybrids (edited
        nearest neighbours, Tomek links), measure in the space.
    scaling : {"standard", "robust", "none"} or ColumnScaling, default="standard"
        How numeric columns are scaled (see ``diagnose``), fitted on the rows given to
        ``fit_resample``; a fitted ColumnScaling (over the numeric columns, in order) is used
        as it is, so the sampler measures exactly where a diagnosis did.
    binary_features : "auto" or sequence of int, default="auto"
        Positions of the 0/1 columns, which count as they are; "auto" takes the numeric
        columns holding only 0 and 1.
    onehot_from : int, default=None
        The columns from this position on are one-hot encoded categories (what a numeric
        sampler sees after one-hot encoding).
    integer_features : "auto" or sequence of int, default="auto"
        Whole-number columns (0/1 ones included), whose synthetic values are rounded, halves
        to even, as ``resample()`` rounds them (imbalanced-learn truncates them when it casts
        a DataFrame back to its dtypes); "auto" takes the numeric columns holding only whole
        numbers.
    onehot_groups : sequence of sequences of int, default=()
        Groups of 0/1 columns that encode one category ("colour_red", "colour_blue"): each
        synthetic row gets one category, the largest interpolated share (none when a row of
        the data has none and every share is below one half), as in ``resample()``.
    feature_names : sequence, default=None
        The columns a DataFrame must have, in this order (a diagnosis's used columns):
        others are refused, since positions would mean other columns.
    n_jobs : int, default=None

    Attributes
    ----------
    sampler_ : imbalanced-learn sampler
        The fitted sampler, with its neighbour searches in the space (its ``sample_indices_``,
        ``enn_``, ``tomek_`` ... are there).
    space_ : ArraySpace
    k_cap_ : int or None
        The most neighbours a search within a class could take here (the smallest growing
        class's rows minus one): SMOTE's k is capped at it.

    Notes
    -----
    SMOTE's k (ADASYN's n_neighbors) is capped at the size of the smallest class to grow,
    minus one, in rows that hold fewer (a training fold of a small minority), as
    ClusterSMOTE caps it in a small group; ``resample()`` refuses such a class instead.
    The wrapped sampler's parameters are its own: ``sampler__sampling_strategy`` in a grid
    search (``sampler__sampler__sampling_strategy`` inside an imblearn Pipeline step named
    "sampler"). A neighbour search given as an estimator object (``k_neighbors=
    NearestNeighbors(...)``) is the caller's choice and is left as it is, in raw units.

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn.over_sampling import SMOTE
    >>> rng = np.random.default_rng(0)
    >>> X = np.c_[rng.normal(size=200), 1000 * rng.normal(size=200)]
    >>> y = np.r_[np.zeros(180), np.ones(20)]
    >>> X_res, y_res = SpaceSampler(SMOTE(random_state=0)).fit_resample(X, y)
    >>> X_res.shape
    (360, 2)
    """

    _sampling_type = "bypass"
    _parameter_constraints: dict = {
        "sampler": [HasMethods(["fit_resample"])],
        "scaling": [StrOptions(set(SCALINGS)), ColumnScaling],
        "binary_features": [StrOptions({"auto"}), "array-like"],
        "onehot_from": [Interval(Integral, 0, None, closed="left"), None],
        "integer_features": [StrOptions({"auto"}), "array-like"],
        "onehot_groups": ["array-like"],
        "feature_names": ["array-like", None],
        "n_jobs": [Integral, None],
    }

    def __init__(
        self,
        sampler,
        *,
        scaling="standard",
        binary_features="auto",
        onehot_from=None,
        integer_features="auto",
        onehot_groups=(),
        feature_names=None,
        n_jobs=None,
    ):
        self.sampler = sampler
        self.scaling = scaling
        self.binary_features = binary_features
        self.onehot_from = onehot_from
        self.integer_features = integer_features
        self.onehot_groups = onehot_groups
        self.feature_names = feature_names
        self.n_jobs = n_jobs

    @property
    def sampling_strategy(self):
        """The wrapped sampler's ``sampling_strategy``."""
        return self.sampler.get_params().get("sampling_strategy", "auto")

    def fit(self, X, y, **params):
        self.fit_resample(X, y, **params)
        return self

    def fit_resample(self, X, y, **params):
        """Resample ``X, y`` with the sampler, its neighbours measured in the space fitted on
        ``X``; whole-number columns of the new rows rounded and one-hot groups kept one-hot.
        Returns what the sampler returns (a DataFrame for a DataFrame, in its dtypes)."""
        self._validate_params()
        columns = list(X.columns) if hasattr(X, "columns") else None
        expected = None if self.feature_names is None else list(self.feature_names)
        if columns is not None and expected is not None and columns != expected:
            other = [c for c in columns if c not in expected]
            left_out = f" ({listed(other)} among them, which it does not use)" if other else ""
            raise InputError(
                f"This sampler was made for the columns {listed(expected)} and got "
                f"{listed(columns)}{left_out}. Pass those columns: "
                "rec.sampler.fit_resample(X[list(rec.used_columns)], y), or resample(df, "
                "target), which keeps every column."
            )
        values = X.to_numpy() if hasattr(X, "to_numpy") else np.asarray(X)
        self.space_, self.sampler_ = in_space(
            self.sampler, values, self, columns, self._smallest(y)
        )
        whole = self._whole(values)
        groups = [list(g) for g in self.onehot_groups]
        # whole numbers reach the sampler as floats, so that nothing truncates them
        X_in, back = _floats_for(X, whole + [p for g in groups for p in g])
        X_res, *rest = self.sampler_.fit_resample(X_in, y, **params)
        if whole or groups:
            exclusive = [bool((_numbers(values, g).sum(axis=1) == 1).all()) for g in groups]
            X_res = _finished(X_res, self._new_rows(len(X), len(X_res)), whole, groups, exclusive)
        if isinstance(back, dict):
            X_res = X_res.astype(back)
        elif back is not None and np.all(np.equal(X_res, np.round(X_res))):
            X_res = np.asarray(X_res).astype(back)
        self.n_features_in_ = self.sampler_.n_features_in_
        # the class counts the estimator is fitted on (PriorCorrectedClassifier reads them)
        labels, counts = np.unique(np.asarray(rest[0]), return_counts=True)
        self.class_counts_ = dict(zip(labels.tolist(), counts.tolist()))
        if hasattr(self.sampler_, "feature_names_in_"):
            self.feature_names_in_ = self.sampler_.feature_names_in_
        return (X_res, *rest)

    def _smallest(self, y) -> int | None:
        """Rows of the smallest class to grow; a class of one row is refused here, with the
        fix (SMOTE has no neighbour to interpolate with)."""
        smallest, label = _smallest_growing(self.sampling_strategy, y)
        self.k_cap_ = None if smallest is None else max(smallest - 1, 1)
        if smallest == 1:
            k = self.sampler.get_params().get("k_neighbors", 5)
            raise InputError(minority_too_small(label, 1, k if isinstance(k, Integral) else 5))
        return smallest

    def _whole(self, values: np.ndarray) -> list:
        """Positions of the whole-number columns to round in synthetic rows."""
        if not isinstance(self.integer_features, str):
            return [int(p) for p in self.integer_features]
        categorical = set(_categorical_positions(self.sampler, values.shape[1], None).tolist())
        stop = values.shape[1] if self.onehot_from is None else self.onehot_from
        whole = []
        for p in range(stop):
            if p in categorical:
                continue
            try:
                column = values[:, p].astype(float)
            except (TypeError, ValueError):
                continue
            finite = column[np.isfinite(column)]
            if len(finite) and np.all(finite == np.round(finite)):
                whole.append(p)
        return whole

    def _new_rows(self, n_original: int, n_out: int) -> np.ndarray:
        """Which rows of the sampler's output are synthetic (a step after SMOTE that drops
        rows keeps a subset of the originals and the new rows: ``kept_after_smote``)."""
        kept = kept_after_smote(self.sampler_)
        return (np.arange(n_out) if kept is None else kept) >= n_original

    def _fit_resample(self, X, y):  # pragma: no cover - fit_resample delegates
        raise NotImplementedError

    @property
    def sampling_strategy_(self):
        return self.sampler_.sampling_strategy_

    @property
    def sample_indices_(self):
        return self.sampler_.sample_indices_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        tags.input_tags.string = get_tags(self.sampler).input_tags.string
        return tags


def _floats_for(X, positions):
    """``X`` with its integer- or boolean-typed columns at ``positions`` as floats (and the
    dtypes to cast them back to), so that a sampler builds fractions there and nothing
    truncates them; (X, None) when there are none."""
    if hasattr(X, "dtypes"):
        names = [X.columns[p] for p in positions if X.dtypes.iloc[p].kind in "iub"]
        if not names:
            return X, None
        return X.astype({name: "float64" for name in names}), {n: X[n].dtype for n in names}
    array = np.asarray(X)
    if array.dtype.kind in "iub":  # back in its dtype when the new rows are whole numbers
        return array.astype(np.float64), array.dtype
    return X, None


def _numbers(values, positions) -> np.ndarray:
    return np.asarray(values[:, list(positions)], dtype=float)


def _finished(X_res, new: np.ndarray, whole, groups, exclusive):
    """The sampler's output with its new rows finished (``finish_rows``)."""
    positions = sorted(set(whole) | {p for g in groups for p in g})
    local = {p: i for i, p in enumerate(positions)}
    frame = hasattr(X_res, "iloc")
    values = X_res.to_numpy() if frame else np.array(X_res, copy=True)
    block = finish_rows(
        _numbers(values[new], positions),
        [local[p] for p in whole],
        [[local[p] for p in g] for g in groups],
        exclusive,
    )
    if frame:
        X_res = X_res.copy()
        rows = np.flatnonzero(new)
        for i, p in enumerate(positions):
            X_res.iloc[rows, p] = block[:, i]
        return X_res
    if values.dtype.kind != "O":
        values = values.astype(np.float64)
    values[np.ix_(np.flatnonzero(new), positions)] = block
    return values.tolist() if isinstance(X_res, list) else values


def _smallest_growing(strategy, y) -> tuple:
    """(rows, label) of the smallest class the sampling strategy grows; (None, None) when
    it cannot say (the sampler then refuses the strategy itself)."""
    from imblearn.utils import check_sampling_strategy

    labels = np.asarray(y)
    try:
        wanted = check_sampling_strategy(strategy, labels, "over-sampling")
    except (ValueError, TypeError, AttributeError):
        return None, None
    sizes = {c: int(np.sum(labels == c)) for c, n in wanted.items() if n > 0}
    if not sizes:
        return None, None
    label = min(sizes, key=sizes.get)
    return sizes[label], label


def in_space(sampler, X: np.ndarray, options: SpaceSampler, columns=None, smallest=None):
    """(the ArraySpace of ``X``, a clone of ``sampler`` whose neighbour searches measure in
    it), for SpaceSampler's options; ``columns`` names X's columns (a DataFrame's). With
    ``smallest`` (rows of the smallest class to grow), SMOTE's k is capped at that minus one:
    a training fold can hold fewer rows of a small class than the data did."""
    sampler = clone(sampler)
    categorical = _categorical_positions(sampler, X.shape[1], columns)
    space = fit_array_space(
        X, options.scaling, options.binary_features, options.onehot_from, categorical
    )
    levels = onehot_map([X[:, p] for p in categorical]) if len(categorical) else None
    cap = None if smallest is None else max(smallest - 1, 1)
    return space, _configured(sampler, space, categorical, X.shape[1], options.n_jobs, levels, cap)


def _categorical_positions(sampler, n_columns: int, columns=None) -> np.ndarray:
    """The columns a sampler takes as categories: SMOTE-NC's (positions, names or a mask),
    every column for SMOTEN."""
    if isinstance(sampler, SMOTEN):
        return np.arange(n_columns)
    if isinstance(sampler, SMOTENC):
        given = list(sampler.categorical_features)
        if given and all(isinstance(g, (bool, np.bool_)) for g in given):
            return np.flatnonzero(given)
        if columns is not None and any(isinstance(g, str) for g in given):
            given = [columns.index(g) if isinstance(g, str) else g for g in given]
        return np.asarray(given, dtype=np.intp)
    return np.zeros(0, dtype=np.intp)


def _configured(
    sampler, space: ArraySpace, categorical, n_columns: int, n_jobs, levels=None, cap=None
):
    """``sampler`` (a clone, set here) with every neighbour search in ``space``; ``levels``
    maps SMOTE-NC's one-hot columns onto the space's (``onehot_map``); ``cap`` bounds the
    searches within the class (SMOTE's k, ADASYN's n_neighbors)."""
    if isinstance(sampler, (SMOTEENN, SMOTETomek)):
        smote = sampler.smote or SMOTE(
            sampling_strategy=sampler.sampling_strategy, random_state=sampler.random_state
        )
        smote = _configured(clone(smote), space, categorical, n_columns, n_jobs, levels, cap)
        params = {"smote": smote}
        if isinstance(sampler, SMOTEENN):
            enn = sampler.enn or EditedNearestNeighbours(sampling_strategy="all")
            enn = clone(enn)
            params["enn"] = _configured(enn, space, categorical, n_columns, n_jobs, levels)
        else:
            tomek = sampler.tomek or TomekLinks(sampling_strategy="all")
            params["tomek"] = SpaceTomekLinks(
                sampling_strategy=tomek.sampling_strategy, n_jobs=tomek.n_jobs, space=space
            )
        return sampler.set_params(**params)
    if isinstance(sampler, SMOTEN):
        return SpaceSMOTEN(**sampler.get_params(deep=False))
    if hasattr(sampler, "binary_features") and hasattr(sampler, "scaling"):  # ours
        k = sampler.k_neighbors if cap is None else min(sampler.k_neighbors, cap)
        return sampler.set_params(
            scaling=space.scaling,
            binary_features=list(space.zero_one),
            onehot_from=space.onehot_from,
            k_neighbors=k,
        )
    if isinstance(sampler, SMOTENC):
        # SMOTE-NC searches [continuous columns in order, then one-hot categories]
        continuous = list(np.setdiff1d(np.arange(n_columns), categorical))
        space = ArraySpace(
            np.array([continuous.index(p) for p in space.numeric], dtype=np.intp),
            space.scaling,
            np.array([continuous.index(p) for p in space.zero_one], dtype=np.intp),
            len(continuous),
            levels,
        )
    params = sampler.get_params(deep=False)
    within_class = {"k_neighbors"} | ({"n_neighbors"} if isinstance(sampler, ADASYN) else set())
    for name in NEIGHBOUR_PARAMETERS:
        value = params.get(name)
        if isinstance(value, Integral) and not isinstance(value, bool):
            if cap is not None and name in within_class:
                value = min(value, cap)
            sampler.set_params(**{name: SpaceNeighbors(value + 1, space=space, n_jobs=n_jobs)})
    return sampler
