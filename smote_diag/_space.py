"""The one distance space: how much each column counts in every neighbour question.

The diagnosis measures neighbourhoods here, and every sampler chooses its neighbours here
(``samplers/_space.py``), so a figure the report gives about SMOTE is a figure of the SMOTE
that runs. Numeric columns are placed by a per-column affine map (``ColumnScaling``: the
``scaling`` the caller chose), 0/1 and boolean columns count as they are, and each category
is one-hot encoded at weight 1/sqrt(2), so that one category mismatch counts like one unit
of a scaled numeric column. Interpolation commutes with a per-column affine map, so a
sampler can choose neighbours here and still build its rows in the caller's units.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._rowfacts import MISSING_LEVEL, ColumnMoments, category_labels, column_moments
from ._validation import did_you_mean
from .exceptions import InputError

SCALINGS = ("standard", "robust", "none")

# A robust unit is the interquartile range over 1.349, the interquartile range of the
# standard normal distribution (2 x 0.6745), so that it equals the standard deviation on
# normal data and a category mismatch still counts like one unit.
IQR_OF_NORMAL = 1.3489795003921634

# One category mismatch puts 1/sqrt(2) in two one-hot coordinates: a distance of exactly 1.
CATEGORY_WEIGHT = 1.0 / np.sqrt(2.0)

# A category counts its most frequent levels, up to this many, as one dimension each, and
# its rarer levels together as one more ("<other>"), so a column with thousands of levels
# cannot swamp the distances or the memory. The line is skrub's TableVectorizer
# cardinality_threshold=40, where it stops one-hot encoding a column. The pipeline's
# one-hot encoder groups the same way for the estimator (max_categories=41).
MAX_CATEGORY_LEVELS = 40
OTHER_LEVEL = "<other>"

_NUMERIC_WORDS = {
    "standard": "numeric columns standardised (z-score)",
    "robust": (
        "numeric columns centred on their median and divided by their interquartile range "
        "over 1.349 (the standard deviation on normal data, unmoved by heavy tails)"
    ),
    "none": "numeric columns in their own units (scaling='none')",
}
_UNIT_WORDS = {
    "standard": "one standard deviation",
    "robust": "one robust unit",
    "none": "one unit of the numeric columns",
}


def scaling_description(scaling: str) -> str:
    """The sentence that says how the columns were put in one distance space."""
    return (
        f"{_NUMERIC_WORDS[scaling]}, missing values at the median; 0/1, boolean and one-hot "
        "columns kept as 0/1; text and category columns one-hot encoded with weight "
        f"1/sqrt(2), so one category mismatch counts like {_UNIT_WORDS[scaling]}"
    )


def check_scaling(scaling) -> None:
    """Refuse an unknown scaling name, with the closest one."""
    if isinstance(scaling, ColumnScaling):
        return
    if not isinstance(scaling, str) or scaling not in SCALINGS:
        raise InputError(f"Unknown scaling {scaling!r}.{did_you_mean(scaling, SCALINGS)}")


@dataclass(frozen=True, eq=False)
class ColumnScaling:
    """How numeric columns are placed in the space: z = (x / magnitude - centre) / spread.

    ``magnitude`` (each column's largest finite absolute value) is divided out first, so
    sentinels like 1e308 cannot overflow; ``centre`` and ``spread`` are in its units.

    Attributes
    ----------
    scaling : str
        One of SCALINGS.
    magnitude, centre, spread : ndarray of shape (n_columns,)
    """

    scaling: str
    magnitude: np.ndarray
    centre: np.ndarray
    spread: np.ndarray

    @classmethod
    def from_moments(cls, moments: ColumnMoments, scaling: str, quartiles=None) -> ColumnScaling:
        """The scaling from the columns' moments (and, for "robust", their quartiles in
        units of the magnitude: an array of shape (3, n_columns))."""
        n = len(moments.magnitude)
        if scaling == "none":  # centred (distances are the same) so that they round less
            return cls(scaling, np.ones(n), moments.mean * moments.magnitude, np.ones(n))
        std = np.sqrt(moments.m2 / np.maximum(moments.count, 1))
        std[~(std > 0)] = 1.0
        if scaling == "standard":
            return cls(scaling, moments.magnitude, moments.mean, std)
        q1, median, q3 = np.asarray(quartiles, dtype=float)
        spread = (q3 - q1) / IQR_OF_NORMAL
        flat = ~(spread > 0)  # more than half the values tied: the standard deviation
        spread[flat] = std[flat]
        centre = np.where(np.isfinite(median), median, moments.mean)
        return cls(scaling, moments.magnitude, centre, spread)

    @classmethod
    def fit(cls, values: np.ndarray, scaling: str) -> ColumnScaling:
        """The scaling of the columns of a float array (missing or infinite values as NaN
        or inf are left out), as the diagnosis computes it."""
        moments = column_moments(np.asarray(values, dtype=float))
        quartiles = None
        if scaling == "robust":
            quartiles = column_quartiles(np.asarray(values, dtype=float) / moments.magnitude)
        return cls.from_moments(moments, scaling, quartiles)

    @property
    def unit(self) -> np.ndarray:
        """One unit of the space, per column, in the column's own units."""
        return self.spread * self.magnitude

    def transform(self, values: np.ndarray) -> np.ndarray:
        """Columns in the space (missing and infinite values come out as NaN)."""
        values = np.asarray(values, dtype=float)
        finite = np.where(np.isfinite(values), values, np.nan)
        return (finite / self.magnitude - self.centre) / self.spread

    def inverse_transform(self, Z: np.ndarray) -> np.ndarray:
        """Points of the space back in the columns' own units."""
        return (np.asarray(Z, dtype=float) * self.spread + self.centre) * self.magnitude


def column_quartiles(values: np.ndarray) -> np.ndarray:
    """First quartile, median and third quartile of each column (NaN and infinite values
    left out; NaN for a column with none), shape (3, n_columns)."""
    values = np.where(np.isfinite(values), values, np.nan)
    if not len(values):
        return np.full((3, values.shape[1]), np.nan)
    with warnings.catch_warnings():  # an all-missing column has no quartiles
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanquantile(values, [0.25, 0.5, 0.75], axis=0)


@dataclass(frozen=True, eq=False)
class ArraySpace:
    """The space over the columns of an array, as a sampler receives them.

    Attributes
    ----------
    numeric : ndarray of int
        Positions of the numeric columns, placed by ``scaling``.
    scaling : ColumnScaling
        Over the numeric columns, in this order.
    zero_one : ndarray of int
        Positions of the 0/1 columns, which count as they are.
    onehot_from : int or None
        The columns from this position on are one-hot encoded categories (weight
        CATEGORY_WEIGHT); None when there are none.
    """

    numeric: np.ndarray
    scaling: ColumnScaling
    zero_one: np.ndarray
    onehot_from: int | None = None
    onehot_map: np.ndarray | None = None

    def place(self, X) -> np.ndarray:
        """Rows of ``X`` in the space: numeric columns, then 0/1 columns, then one-hot
        columns at CATEGORY_WEIGHT (the same layout as DistanceSpace.transform), mapped by
        ``onehot_map`` (input one-hot column -> dimension of the space: rare levels share
        one) when given."""
        if hasattr(X, "toarray"):  # SMOTE-NC hands its neighbour search a sparse matrix
            X = X.toarray()
        X = np.asarray(X)
        blocks = []
        if len(self.numeric):
            blocks.append(self.scaling.transform(X[:, self.numeric].astype(float)))
        if len(self.zero_one):
            blocks.append(X[:, self.zero_one].astype(float))
        if self.onehot_from is not None:
            onehot = X[:, self.onehot_from :].astype(float)
            if self.onehot_map is not None:
                onehot = onehot @ self.onehot_map
            blocks.append(onehot * CATEGORY_WEIGHT)
        if not blocks:
            return np.zeros((len(X), 0))
        return np.ascontiguousarray(np.hstack(blocks), dtype=np.float64)

    def unplace(self, Z: np.ndarray, n_columns: int) -> np.ndarray:
        """Points of the space back in the array's columns (the inverse of ``place``)."""
        X = np.empty((len(Z), n_columns))
        n, m = len(self.numeric), len(self.zero_one)
        X[:, self.numeric] = self.scaling.inverse_transform(Z[:, :n])
        X[:, self.zero_one] = Z[:, n : n + m]
        if self.onehot_from is not None and self.onehot_map is None:
            X[:, self.onehot_from :] = Z[:, n + m :] / CATEGORY_WEIGHT
        return X


def top_levels(values) -> list:
    """The levels a category counts as dimensions, most frequent first (ties in order of
    first appearance): all of them up to MAX_CATEGORY_LEVELS, else that many and OTHER_LEVEL
    for the rest."""
    counts = pd.Series(values).value_counts(sort=False, dropna=False)
    ranked = list(counts.index[np.argsort(-counts.to_numpy(), kind="stable")])
    if len(ranked) <= MAX_CATEGORY_LEVELS:
        return ranked
    return ranked[:MAX_CATEGORY_LEVELS] + [OTHER_LEVEL]


def onehot_map(columns) -> np.ndarray | None:
    """How a complete one-hot encoding of ``columns`` (each column's levels sorted, one
    column per level, as scikit-learn's OneHotEncoder and SMOTE-NC make it) maps onto the
    space's dimensions (``top_levels``: rare levels share one); None when nothing is
    shared."""
    blocks, shared = [], False
    for values in columns:
        levels = np.unique(np.asarray(values))
        kept = top_levels(values)
        shared = shared or OTHER_LEVEL in kept and OTHER_LEVEL not in set(levels.tolist())
        where = {level: i for i, level in enumerate(kept)}
        block = np.zeros((len(levels), len(kept)))
        for row, level in enumerate(levels.tolist()):
            block[row, where.get(level, len(kept) - 1)] = 1.0
        blocks.append(block)
    if not shared:
        return None
    out = np.zeros((sum(b.shape[0] for b in blocks), sum(b.shape[1] for b in blocks)))
    r = c = 0
    for block in blocks:
        out[r : r + block.shape[0], c : c + block.shape[1]] = block
        r, c = r + block.shape[0], c + block.shape[1]
    return out


def fit_array_space(X, scaling, binary_features="auto", onehot_from=None, categorical=()):
    """The ArraySpace of the columns of ``X`` as a sampler receives them: the ``categorical``
    columns (a SMOTE-NC's) and those from ``onehot_from`` on aside, the ``binary_features``
    (positions, or "auto": the columns holding only 0 and 1) count as they are, the others
    are numeric, scaled by ``scaling`` (a name, fitted here on ``X``, or a fitted
    ColumnScaling used as it is)."""
    X = X.toarray() if hasattr(X, "toarray") else np.asarray(X)
    stop = X.shape[1] if onehot_from is None else min(onehot_from, X.shape[1])
    plain = np.setdiff1d(np.arange(stop), np.asarray(categorical, dtype=np.intp))
    if isinstance(binary_features, str):  # "auto"
        binary_features = plain[zero_one_columns(X[:, plain])] if len(plain) else []
    allowed = set(plain.tolist())
    zero_one = np.array([p for p in binary_features if p in allowed], dtype=np.intp)
    numeric = np.array([p for p in plain if p not in set(zero_one.tolist())], dtype=np.intp)
    if not isinstance(scaling, ColumnScaling):
        scaling = ColumnScaling.fit(X[:, numeric].astype(float), scaling)
    elif len(scaling.spread) != len(numeric):
        raise InputError(
            f"The fitted scaling covers {len(scaling.spread)} numeric columns, but the data "
            f"has {len(numeric)}. Fit the sampler on the columns the scaling was fitted on."
        )
    return ArraySpace(numeric, scaling, zero_one, onehot_from)


def finish_rows(values: np.ndarray, whole=(), groups=(), exclusive=()) -> np.ndarray:
    """Synthetic rows finished as the data's rows are: the ``whole`` columns (whole-number and
    0/1 columns) rounded, halves to even; each one-hot group (positions) one category, the
    largest interpolated share, or none when the group allows none (``exclusive`` False: some
    row of the data has none) and every share is below one half. A new array.

    Examples
    --------
    >>> rows = np.array([[2.5, 0.6, 0.4, 3.7]])
    >>> finish_rows(rows, whole=[0, 3], groups=[[1, 2]], exclusive=[True])
    array([[2., 1., 0., 4.]])
    """
    out = np.array(values, dtype=float, copy=True)
    grouped = {p for members in groups for p in members}
    single = [p for p in whole if p not in grouped]
    if single:
        out[:, single] = np.rint(out[:, single])
    for members, always_one in zip(groups, exclusive):
        members = list(members)
        shares = out[:, members]
        chosen = np.zeros_like(shares)
        if len(shares):
            chosen[np.arange(len(shares)), shares.argmax(axis=1)] = 1.0
            if not always_one:
                chosen[shares.max(axis=1) < 0.5] = 0.0
        out[:, members] = chosen
    return out


def zero_one_columns(X) -> np.ndarray:
    """Positions of the numeric columns of ``X`` that hold only 0 and 1 (and are not
    constant): the 0/1 columns the space keeps as they are."""
    values = np.asarray(X, dtype=float)
    zero_one = np.isin(values, (0.0, 1.0)).all(axis=0)
    varies = values.min(axis=0, initial=np.inf) < values.max(axis=0, initial=-np.inf)
    return np.flatnonzero(zero_one & varies)


class DistanceSpace:
    """The space of the diagnosed rows, fitted on them and able to place new rows
    (synthetic ones) in it.

    Parameters
    ----------
    checked : CheckedInput
        The validated data whose used columns define the space.
    scaling : {"standard", "robust", "none"}, default="standard"
        How numeric columns are scaled (see SCALINGS). "robust" needs each column's
        quartiles: over every row in memory, over a sample of ROBUST_SAMPLE_ROWS rows of a
        dask DataFrame (``quartile_note`` says so).
    """

    def __init__(self, checked, scaling: str = "standard"):
        kinds, facts = checked.kinds, checked.row_facts
        self.scaling = scaling
        self.numeric = list(kinds.numeric)
        self.zero_one = list(kinds.binary) + list(kinds.boolean)
        self.categorical = list(kinds.categorical)
        self.quartile_note = None
        moments = ColumnMoments(facts.largest, facts.magnitude, facts.count, facts.mean, facts.m2)
        # Missing (and infinite) values sit where every imputer of this package puts them,
        # the median of a number, the most frequent value of a 0/1 flag, boolean or category,
        # and the scaling is measured with them there, as the pipeline's sampler measures it
        # after its imputer: one space, whoever fills the gaps.
        median = np.zeros(len(self.numeric))  # raw units; unused in a column with no gap
        gaps = np.flatnonzero(facts.count < facts.n_rows)
        if gaps.size:
            values = checked.feature_values([self.numeric[j] for j in gaps])
            values = np.where(np.isfinite(values), values, np.nan)
            with warnings.catch_warnings():  # all-infinite columns: no median, 0 stays
                warnings.simplefilter("ignore", RuntimeWarning)
                median[gaps] = np.nan_to_num(np.nanmedian(values, axis=0))
            moments = _filled_moments(moments, facts.n_rows, gaps, median[gaps])
        quartiles = np.zeros((3, len(self.numeric)))
        if self.numeric and scaling == "robust":
            sample = self._robust_sample(checked)
            sample = np.where(np.isfinite(sample), sample, np.nan)
            sample = np.where(np.isnan(sample), median, sample)
            quartiles = column_quartiles(sample / moments.magnitude)
        self.columns = ColumnScaling.from_moments(moments, scaling, quartiles)
        self.median = self.columns.transform(median) if self.numeric else median
        if self.zero_one:
            share = facts.zero_one_sum / np.maximum(facts.zero_one_count, 1)
            # a 0/1 number's median (0.5 on a tie, as a median imputer gives), a boolean's
            # most frequent value (False on a tie, as a most-frequent imputer gives)
            binary = np.where(share > 0.5, 1.0, np.where(share < 0.5, 0.0, 0.5))
            boolean = (share > 0.5).astype(float)
            self.share = np.where(
                np.arange(len(self.zero_one)) < len(kinds.binary), binary, boolean
            )
        # One dimension per level (the most frequent first), the rare levels of a column
        # with more than MAX_CATEGORY_LEVELS together in one; a missing value at the most
        # frequent level.
        self.levels, self.fill = {}, {}
        for name in self.categorical:
            counts = facts.level_counts[name]
            present = counts.drop(MISSING_LEVEL, errors="ignore")
            self.levels[name] = _levels(present if len(present) else counts)
            self.fill[name] = _most_frequent(present) if len(present) else MISSING_LEVEL
        # What resample() rounds in synthetic rows (``finish_smote``): whole-number numeric
        # columns, 0/1 and boolean columns, one category per one-hot group.
        self.integer = [self.numeric.index(c) for c in kinds.integer if c in self.numeric]
        self.boolean = [len(self.numeric) + self.zero_one.index(c) for c in kinds.boolean]
        self.groups = [
            [len(self.numeric) + self.zero_one.index(c) for c in group]
            for group in kinds.onehot_groups
        ]

    def _robust_sample(self, checked) -> np.ndarray:
        if checked.in_memory:
            return checked.feature_values(self.numeric)
        n = checked.n_rows
        if n <= ROBUST_SAMPLE_ROWS:
            return checked.feature_values(self.numeric)
        rng = np.random.default_rng(0)
        rows = np.sort(rng.choice(n, ROBUST_SAMPLE_ROWS, replace=False))
        self.quartile_note = (
            f"The robust scaling's quartiles were estimated from {ROBUST_SAMPLE_ROWS:,} "
            f"randomly chosen rows of the {n:,} (a dask DataFrame)."
        )
        return checked.feature_values(self.numeric, rows)

    @property
    def description(self) -> str:
        return scaling_description(self.scaling)

    @property
    def n_dims(self) -> int:
        """Dimensions of the space: numeric and 0/1 columns, one per category level."""
        levels = sum(len(v) for v in self.levels.values())
        return len(self.numeric) + len(self.zero_one) + levels

    def finish_smote(self, points, neighbours, rng, *, by_vote: bool) -> np.ndarray:
        """Plain SMOTE's candidates (points of this space) as resample() hands its synthetic
        rows back: whole-number, 0/1 and boolean columns rounded in the data's units, one
        category per one-hot group; with ``by_vote`` (SMOTE-NC, the plain SMOTE of data with
        categories) each category and each boolean is the most frequent among the seed's
        ``neighbours`` (their points, shape (n, k, n_dims)), ties drawn at random.

        Parameters
        ----------
        points : ndarray of shape (n, n_dims)
        neighbours : ndarray of shape (n, k, n_dims)
        rng : numpy Generator
        by_vote : bool
        """
        n_numeric = len(self.numeric)
        raw = points[:, : n_numeric + len(self.zero_one)].copy()
        raw[:, :n_numeric] = self.columns.inverse_transform(raw[:, :n_numeric])
        voted = self.boolean if by_vote else []
        whole = self.integer + [
            n_numeric + j for j in range(len(self.zero_one)) if n_numeric + j not in voted
        ]
        # Between two rows that each hold one category the largest share is at least one
        # half, so "none when every share is below one half" only ever applies next to a row
        # with none, that is in data that allows none: resample()'s rule, whatever the data.
        raw = finish_rows(raw, whole, self.groups, [False] * len(self.groups))
        out = points.copy()
        out[:, :n_numeric] = self.columns.transform(raw[:, :n_numeric])
        out[:, n_numeric : raw.shape[1]] = raw[:, n_numeric:]
        if by_vote:
            blocks = [[p] for p in self.boolean]
            start = n_numeric + len(self.zero_one)
            for name in self.categorical:
                blocks.append(list(range(start, start + len(self.levels[name]))))
                start += len(self.levels[name])
            for block in blocks:
                out[:, block] = _vote(neighbours[:, :, block], rng, onehot=len(block) > 1)
        return out

    def transform(self, X: pd.DataFrame) -> np.ndarray:
        """Rows (with the diagnosed columns) in the scaled space."""
        blocks = []
        if self.numeric:
            scaled = self.columns.transform(X[self.numeric].to_numpy(dtype=float, na_value=np.nan))
            blocks.append(np.where(np.isnan(scaled), self.median, scaled))
        if self.zero_one:
            values = X[self.zero_one].astype(float).to_numpy(dtype=float, na_value=np.nan)
            blocks.append(np.where(np.isnan(values), self.share, values))
        for name in self.categorical:
            labels = category_labels(X[name]).replace(MISSING_LEVEL, self.fill[name])
            blocks.append(_one_hot(labels, self.levels[name]) * CATEGORY_WEIGHT)
        if not blocks:
            return np.zeros((len(X), 0))
        if len(blocks) == 1:
            return np.ascontiguousarray(blocks[0], dtype=np.float64)
        return np.ascontiguousarray(np.hstack(blocks), dtype=np.float64)


# Rows whose values estimate the robust scaling's quartiles on a dask DataFrame (in memory,
# every row): the quartiles of 100,000 rows are within about 0.4% of a standard deviation of
# the exact ones for normal data (standard error of a quartile: 1.36 sd / sqrt(n)).
ROBUST_SAMPLE_ROWS = 100_000


def _vote(values: np.ndarray, rng, *, onehot: bool) -> np.ndarray:
    """The most frequent level among each point's neighbours (``values``: shape (n, k,
    width), one-hot rows or one 0/1 column), as one-hot rows at the input's weight; ties drawn
    at random, as SMOTE-NC draws them."""
    if onehot:
        weight = values.max(initial=0.0) or 1.0
        counts = (values > 0).sum(axis=1).astype(float)
    else:
        weight = 1.0
        ones = (values[:, :, 0] > 0.5).sum(axis=1)
        counts = np.c_[values.shape[1] - ones, ones].astype(float)
    tied = counts == counts.max(axis=1, keepdims=True)
    pick = np.argmax(tied * rng.random(counts.shape), axis=1)
    if not onehot:
        return pick[:, None].astype(float)
    out = np.zeros(counts.shape)
    out[np.arange(len(out)), pick] = weight
    return out


def _levels(counts: pd.Series) -> list:
    """``top_levels`` of a column from its level counts."""
    ranked = list(counts.index[np.argsort(-counts.to_numpy(), kind="stable")])
    if len(ranked) <= MAX_CATEGORY_LEVELS:
        return ranked
    return ranked[:MAX_CATEGORY_LEVELS] + [OTHER_LEVEL]


def _filled_moments(moments: ColumnMoments, n_rows: int, gaps, median) -> ColumnMoments:
    """The moments of the columns ``gaps`` once their missing values are the column's
    ``median`` (raw units): Chan's update with a block of identical values."""
    count, mean, m2 = moments.count.astype(float), moments.mean.copy(), moments.m2.copy()
    n_filled = n_rows - count[gaps]
    at = median / moments.magnitude[gaps]
    total = count[gaps] + n_filled
    delta = at - mean[gaps]
    mean[gaps] = mean[gaps] + delta * n_filled / total
    m2[gaps] = m2[gaps] + delta**2 * count[gaps] * n_filled / total
    count[gaps] = total
    return ColumnMoments(moments.largest, moments.magnitude, count, mean, m2)


def _most_frequent(counts: pd.Series):
    """The most frequent level, the first in sorted order on ties (as scikit-learn's and
    pandas' most-frequent fills choose)."""
    best = counts[counts == counts.max()]
    return sorted(best.index)[0]


def _one_hot(text: pd.Series, levels: list) -> np.ndarray:
    """One-hot rows of the levels ``text`` (labels as category_labels makes them)."""
    if levels and levels[-1] == OTHER_LEVEL:
        text = text.where(text.isin(levels), OTHER_LEVEL)
    text = text.to_numpy()
    return (text[:, None] == np.array(levels, dtype=object)[None, :]).astype(float)
