"""resample(): from the data to a resampled frame in one call, losing nothing, with a check
of where the synthetic points went.

Samplers round-trip DataFrames through arrays (new index, cast dtypes, rows a cleaning step
removed are gone). ``resample`` keeps the promises instead: every original row first and
unchanged, then the synthetic rows, the caller's column order and dtypes, and masks saying
which rows are synthetic and which a cleaning step dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from numbers import Integral
from typing import Any

import numpy as np
import pandas as pd
from pandas.api import types as ptypes
from sklearn.utils import check_random_state

from ._format import PERCENT, format_figure, listed
from ._jsonable import to_jsonable
from ._space import finish_rows
from ._tables import PANDAS_WIDENING, give_back, read_tables
from ._validation import plain_value
from .diagnose import run_diagnosis
from .diagnostics.minority_clustering import territory_of
from .exceptions import InputError
from .recommend import CATEGORY_AWARE, ENSEMBLES, METHODS, NEEDS_K_PLUS_ONE

# Synthetic points measured by the check, per class (a seeded sample beyond; said in notes).
MAX_CHECK_POINTS = 5000


@dataclass(frozen=True)
class ClassCheck:
    """Where one class's synthetic points went.

    Attributes
    ----------
    label : object
    n_synthetic, n_measured : int
        Synthetic points made, and measured (a sample above MAX_CHECK_POINTS).
    majority_share : float
        Share in majority territory (with several classes, the other classes' territory): at
        most 1 of their 5 nearest real rows is of the class.
    distance_ratio : float
        Median distance from a synthetic point to the nearest real row of the class, over the
        median distance between a real row of the class and its nearest other one.
    far_share : float
        Share of synthetic points farther from the class than 95% of its real rows are from
        each other (their nearest-neighbour distance).
    group_shares : dict
        Group of the nearest real row (as diagnosed; -1 = isolated rows) -> share of points.
    real_group_shares : dict
        The same shares for the real rows of the class.
    group_shift : float
        Total variation distance between the two: 0 when the new points follow the groups'
        sizes, 1 when they all go where no real row is.
    """

    label: Any
    n_synthetic: int
    n_measured: int
    majority_share: float | None
    distance_ratio: float | None
    far_share: float | None
    group_shares: dict = field(default_factory=dict)
    real_group_shares: dict = field(default_factory=dict)
    group_shift: float | None = None


@dataclass(frozen=True)
class ResampleCheck:
    """The synthetic points of a method next to plain SMOTE's on the same data and seed."""

    method: str
    classes: tuple  # ClassCheck per resampled class
    baseline_method: str | None = None  # "smote" (or "smote_nc"); None when the method is it
    baseline: tuple = ()
    notes: tuple = ()
    # "majority territory" for two classes; with more, the territory of the other classes
    territory: str = "majority territory"

    def runs(self) -> list:
        """(name, class checks) for the method, then for plain SMOTE when it ran."""
        runs = [(self.method, self.classes)]
        if self.baseline:
            runs.append((f"plain {self.baseline_method}", self.baseline))
        return runs

    def baseline_of(self, label) -> ClassCheck | None:
        """Plain SMOTE's figures for the class ``label`` (None without a baseline)."""
        return next((b for b in self.baseline if b.label == label), None)

    @property
    def summary(self) -> str:
        parts = []
        for c in self.classes:
            if not c.n_synthetic:
                continue
            line = (
                f"{self.method}: {format_figure(c.majority_share, PERCENT)} of {c.n_synthetic:,} "
                f"synthetic points of class {plain_value(c.label)!r} in {self.territory}"
            )
            b = self.baseline_of(c.label)
            if b is not None:
                name = {"smote": "SMOTE", "smote_nc": "SMOTE-NC"}[self.baseline_method]
                line += (
                    f"; plain {name} would have put {format_figure(b.majority_share, PERCENT)} "
                    f"of its {b.n_synthetic:,} there"
                )
            parts.append(line)
        return ". ".join(parts) + "." if parts else "No synthetic points were made."

    def to_dict(self) -> dict:
        return to_jsonable(
            {
                "method": self.method,
                "summary": self.summary,
                "classes": [c.__dict__ for c in self.classes],
                "baseline_method": self.baseline_method,
                "baseline": [c.__dict__ for c in self.baseline],
                "notes": list(self.notes),
                "territory": self.territory,
            }
        )

    def __repr__(self) -> str:
        from .report import render_check_text

        return render_check_text(self)


@dataclass(frozen=True, eq=False)
class ResampleResult:
    """The resampled data, every original row kept, and the check of the new points.

    Attributes
    ----------
    method : str
        The method applied (``"auto"`` resolved to the recommendation's).
    frame : DataFrame or None
        DataFrame input: every original row first, unchanged (index, values, dtypes), then
        the synthetic rows; the caller's columns in the caller's order. None for arrays.
        A polars DataFrame or a pyarrow Table for such input, with the caller's schema
        (pandas, with a note, when that schema cannot hold the synthetic rows).
    X, y : DataFrame and Series, or arrays
        The same rows as ``frame`` (features, labels); arrays for array input; a polars
        DataFrame and Series, or a pyarrow Table and ChunkedArray (an Array when the labels
        were one), for such input.
    is_synthetic : ndarray of bool
        Aligned with the rows: True for the synthetic ones.
    is_removed : ndarray of bool
        Aligned with the rows: original rows a cleaning step (ENN, Tomek links) or the
        majority's undersampling (smote_rus) dropped (``removed_by`` says which). The
        training set is ``X[~is_removed]``; synthetic rows it dropped are not kept.
    sampler : imbalanced-learn sampler or None
        The fitted sampler.
    report : DiagnosisReport
        The diagnosis the check (and "auto") used.
    reason : str
        Why this method: the recommendation's first reason, or what was asked.
    notes : tuple of str
        What was filled in or left out to resample.
    """

    method: str
    frame: pd.DataFrame | None
    X: Any
    y: Any
    is_synthetic: np.ndarray
    is_removed: np.ndarray
    sampler: Any
    report: Any
    reason: str
    notes: tuple = ()
    checked: ResampleCheck | None = None
    # class code -> (scaled coordinates, in majority territory) of the measured synthetic points
    synthetic_Z: dict = field(default_factory=dict, repr=False)
    # how notebooks draw the plot: "pca", "umap" or "none"
    display_projection: str = field(default="pca", repr=False)

    def check(self) -> ResampleCheck:
        """Where the synthetic points went, next to plain SMOTE (computed by resample())."""
        return self.checked

    @property
    def removed_by(self) -> str:
        """What dropped the ``is_removed`` rows: "undersampling" (smote_rus) or "cleaning"."""
        return "undersampling" if self.method == "smote_rus" else "cleaning"

    def to_dict(self) -> dict:
        return to_jsonable(
            {
                "method": self.method,
                "reason": self.reason,
                "n_rows": len(self.is_synthetic),
                "n_synthetic": int(self.is_synthetic.sum()),
                "n_removed": int(self.is_removed.sum()),
                "removed_by": self.removed_by if self.is_removed.any() else None,
                "check": self.checked.to_dict() if self.checked else None,
                "notes": list(self.notes),
            }
        )

    def plot(self, projection="pca", ax=None, **kwargs):
        """Real and synthetic points in two dimensions (see ``plot_resampled``)."""
        from .plot import plot_resampled

        return plot_resampled(self, projection=projection, ax=ax, **kwargs)

    def __repr__(self) -> str:
        from .report import render_resample_text

        return render_resample_text(self)

    def _repr_mimebundle_(self, include=None, exclude=None):
        from .report import render_resample_html, render_resample_text

        return {"text/plain": render_resample_text(self), "text/html": render_resample_html(self)}

    def _repr_html_(self) -> str:
        from .report import render_resample_html

        return render_resample_html(self)


def resample(
    data,
    target=None,
    *,
    method="auto",
    objective="balanced_accuracy",
    k_neighbors=5,
    random_state=None,
    scaling="standard",
    verbose=1,
    **sampler_params,
) -> ResampleResult:
    """Resample in one call; keep every original row; check where the new points went.

    Parameters
    ----------
    data, target
        As for ``diagnose``: a DataFrame (pandas or polars, or a pyarrow Table) and its
        target column's name, or X and y; the result's frames are of the same kind. A dask
        DataFrame gives a dask ``frame``: its partitions unchanged, then one partition of
        synthetic rows per partition, made on the workers from the gathered minority rows
        (methods in ``_dask.DASK_METHODS``, whose new rows depend on the minority alone);
        the check measures a sample made the same way.
    method : str, default="auto"
        ``"auto"`` applies the recommendation; or any of ``METHODS``. "no_resampling"
        returns the data unchanged and says why.
    objective : str, default="balanced_accuracy"
        For "auto": what the advice optimises.
    k_neighbors : int, default=5
    random_state : None or int, default=None
    scaling : {"standard", "robust", "none"}, default="standard"
        How numeric columns count in the distances (see ``diagnose``). The diagnosis and
        the sampler measure in the same space: the sampler chooses its neighbours there
        (the space fitted on these rows), and builds the new rows in the data's own units.
    verbose : int, default=1
    **sampler_params
        Further parameters of the sampler (e.g. ``sampling_strategy=0.5``).

    Returns
    -------
    ResampleResult

    Notes
    -----
    Integer-valued columns are rounded to the nearest whole number (halves to even), never
    truncated; boolean and category columns keep their dtype (SMOTE-NC keeps categories
    whole). Missing values are filled (median, most frequent value) for interpolation only:
    the original rows keep them. Columns the diagnosis left out get the column's constant
    in synthetic rows, or a missing value.

    Examples
    --------
    >>> from smote_diag.datasets import make_bridged_groups
    >>> data = make_bridged_groups(random_state=0)
    >>> result = resample(data.frame, "label", random_state=0, verbose=0)
    >>> result.method, int(result.is_synthetic.sum())
    ('cluster_smote', 2910)
    >>> result.frame.iloc[: len(data.frame)].equals(data.frame)
    True
    >>> print(result.check().summary)  # doctest: +NORMALIZE_WHITESPACE
    cluster_smote: 0.0% of 2,910 synthetic points of class 1 in majority territory; plain
    SMOTE would have put 37.1% of its 2,910 there.
    """
    check_method(method)
    data, target, table = read_tables(data, target)  # polars or pyarrow: read once, as pandas
    report, ctx = run_diagnosis(
        data,
        target,
        objective=objective,
        k_neighbors=k_neighbors,
        random_state=random_state,
        scaling=scaling,
        n_jobs=None,
        verbose=verbose,
    )
    result = resample_diagnosed(
        data,
        report,
        ctx,
        method=method,
        k_neighbors=k_neighbors,
        random_state=random_state,
        sampler_params=sampler_params,
    )
    return give_back(result, table)  # in the caller's kind


def sampling_strategy_for_ratio(class_counts: dict, ratio: float):
    """imbalanced-learn's ``sampling_strategy`` that grows every minority class to ``ratio``
    times the majority's rows (classes already there keep theirs): the float for two
    classes, a dict for more. Refused when no class would grow.

    Examples
    --------
    >>> sampling_strategy_for_ratio({"a": 1000, "b": 100}, 0.5)
    0.5
    >>> sampling_strategy_for_ratio({"a": 1000, "b": 100, "c": 600}, 0.5)
    {'b': 500, 'c': 600}
    """
    if not 0 < ratio <= 1:
        raise InputError(f"The sampling ratio must be in (0, 1], got {ratio!r}.")
    majority = next(iter(class_counts))
    n_majority = class_counts[majority]
    minority = {label: n for label, n in class_counts.items() if label != majority}
    wanted = {label: max(n, int(ratio * n_majority)) for label, n in minority.items()}
    if all(wanted[label] == n for label, n in minority.items()):
        smallest = min(n / n_majority for n in minority.values())
        which = "The minority class" if len(minority) == 1 else "Every minority class"
        raise InputError(
            f"{which} already has {smallest:.2f} times the majority's rows or more; choose a "
            f"sampling ratio above {smallest:.2f}."
        )
    return ratio if len(minority) == 1 else wanted


def check_method(method) -> None:
    """Refuse an unknown method name before any work, with the closest names, and an
    ensemble method, which has no one resampled frame."""
    if method != "auto" and method not in METHODS:
        from .samplers import make_sampler

        make_sampler(method)  # raises the "Did you mean" error
    if method in ENSEMBLES:
        raise InputError(
            f"method={method!r} resamples inside each of its ensemble's bags, so there is no "
            "one resampled frame to return. Fit rec.pipeline(estimator) with the method "
            "(it builds the ensemble), or use resample(method='smote') to see SMOTE's rows."
        )


def resample_diagnosed(data, report, ctx, *, method, k_neighbors, random_state, sampler_params):
    """resample() given the diagnosis of ``data`` (its report and context): the one path
    from a diagnosis to a ResampleResult (DiagnosisSession reuses its cached diagnoses)."""
    checked = ctx.checked
    rec = report.recommendation
    ensemble_note = []
    if method == "auto":
        method, reason = rec.method, rec.reasons[0]
        sampler_params = {**rec.sampler_params, **sampler_params}
        if method in ENSEMBLES:  # no one resampled frame: show what each bag's SMOTE makes
            ensemble_note.append(
                f"The advice, {method}, runs SMOTE inside each bag of an ensemble, so there "
                "is no one resampled frame: these are SMOTE's rows on the whole data, the "
                "kind each bag gets. Fit rec.pipeline(estimator) for the ensemble itself."
            )
            method = "smote"
    else:
        reason = f"method={method!r} was asked for."
    # made where the rows are (``_rows``): here, by resample_in_memory
    return checked.rows.resample(
        data, report, ctx, method, reason, k_neighbors, random_state, sampler_params, ensemble_note
    )


def resample_in_memory(
    data, report, ctx, method, reason, k_neighbors, random_state, sampler_params, notes=()
):
    """The resampled frame of rows in memory (``FrameRows.resample``): ``method`` decided,
    ``reason`` its sentence, ``notes`` the ones already said."""
    checked = ctx.checked
    original, labels = _originals(data, checked)
    n = len(labels)
    if method == "no_resampling":
        parts = _assemble(data, checked, original, labels)
        return unchanged(method, report, reason, n, *parts)
    notes = list(notes)
    features = _features_frame(data, checked)
    # An integer seed even when none was given: a cleaning step is replayed, and the check
    # runs plain SMOTE with the same seed.
    seed = int(check_random_state(random_state).randint(np.iinfo(np.int32).max))
    sampler, new_X, new_y, kept_original = _synthesise(
        checked, method, k_neighbors, seed, sampler_params, notes, scaling=ctx.space.columns
    )
    synthetic = _restore(
        new_X, checked, features, notes, interpolated=method != "random_oversample"
    )
    frame, X_out, y_out = _assemble(data, checked, original, labels, synthetic, new_y, notes)
    is_synthetic = np.r_[np.zeros(n, dtype=bool), np.ones(len(new_y), dtype=bool)]
    is_removed = np.r_[~kept_original, np.zeros(len(new_y), dtype=bool)]
    check, synthetic_Z = _check(
        ctx, report, method, synthetic, new_y, k_neighbors, seed, sampler_params, features, notes
    )
    return ResampleResult(
        method=method,
        frame=frame,
        X=X_out,
        y=y_out,
        is_synthetic=is_synthetic,
        is_removed=is_removed,
        sampler=sampler,
        report=report,
        reason=reason,
        notes=tuple(dict.fromkeys(notes)),
        checked=check,
        synthetic_Z=synthetic_Z,
    )


# --- the sampler's side ---------------------------------------------------------------------


def _sampler_input(checked, method: str, notes: list, fills=None):
    """What the sampler sees: the used columns, missing values filled (for interpolation
    only), numbers as float64. Samplers that need numbers get a float array: given a
    DataFrame, imbalanced-learn casts its output back to the input dtypes, which would
    truncate interpolated whole numbers instead of letting us round them. SMOTE-NC and
    random oversampling get a DataFrame with their categorical columns as they are."""
    kinds = checked.kinds
    if method not in CATEGORY_AWARE and kinds.categorical:
        names = listed(kinds.categorical)
        raise InputError(
            f"Columns {names} hold text or other non-numeric values. Encode them, or use "
            "method='smote_nc'."
        )
    mixed = [
        name
        for name in kinds.categorical
        if pd.api.types.infer_dtype(checked.X[name], skipna=True).startswith("mixed")
    ]
    if mixed:  # the samplers' encoders sort the values, which fails on "a" < 1
        raise InputError(
            f"Column {mixed[0]!r} mixes values of different types (numbers and text, ...). "
            f"Make it one type, e.g. df[{mixed[0]!r}].astype(str)."
        )
    columns = {}
    for name in checked.X.columns:
        column = checked.X[name]
        number = name in kinds.numeric + kinds.binary
        if number:  # infinite values are missing values for interpolation
            column = column.astype("float64")
            column = column.where(np.isfinite(column))
        if column.isna().any():
            if fills and name in fills:  # given: computed over every row (dask)
                fill = fills[name]
            else:
                fill = column.median() if number else column.mode()[0]
            column = column.fillna(fill)
            notes.append(
                "Missing or infinite values were filled (median, most frequent value) for "
                "interpolation only; the original rows keep them."
            )
        category = name in kinds.categorical or (name in kinds.boolean and method in CATEGORY_AWARE)
        columns[name] = column.astype(object) if category else column.astype("float64")
    frame = pd.DataFrame(columns, index=checked.X.index)
    return frame if method in CATEGORY_AWARE else frame.to_numpy(dtype="float64")


def _synthesise(
    checked, method, k_neighbors, seed, sampler_params, notes, fills=None, scaling="standard"
):
    """Make and fit the sampler for ``method``, its neighbours in the distance space scaled
    by ``scaling`` (the diagnosis's fitted ColumnScaling, so that it measures exactly where
    the report did); return it, the synthetic rows (used columns), their labels, and which
    original rows the training set kept."""
    from .samplers import make_sampler
    from .samplers._base import check_class_size

    if method in NEEDS_K_PLUS_ONE:
        for code in checked.minority_codes:
            check_class_size(checked.classes[code], checked.counts[code], k_neighbors)
    X_in = _sampler_input(checked, method, notes, fills)
    names = list(checked.X.columns)
    discrete = checked.kinds.categorical + checked.kinds.boolean
    categorical = [names.index(c) for c in discrete] if method in CATEGORY_AWARE else []
    kinds = checked.kinds
    zero_one = [names.index(c) for c in kinds.binary + kinds.boolean]
    numeric = [c for c in names if c not in kinds.categorical]
    whole, groups, _ = finishing(kinds, checked.X, numeric)
    sampler = make_sampler(
        method,
        k_neighbors=k_neighbors,
        random_state=seed,
        categorical_features=categorical,
        n_features=len(names),
        scaling=scaling,
        binary_features=zero_one,
        integer_features=[
            names.index(numeric[i]) for i in whole if names.index(numeric[i]) not in categorical
        ],
        onehot_groups=[[names.index(numeric[i]) for i in g] for g in groups],
        **sampler_params,
    )
    y_in = pd.Series(checked.y).infer_objects().to_numpy()
    return (sampler, *_run(sampler, method, X_in, y_in, names, sum(checked.counts)))


# A sampling_strategy that asks for more new rows than this many times the data's rows is
# refused: it is a typo far more often than a wish (and would run for minutes).
MAX_GROWTH = 100


def _check_growth(sampler, method: str, y_in: np.ndarray, n_rows: int) -> None:
    """Refuse a sampling_strategy imbalanced-learn cannot use, or one that would add more
    than MAX_GROWTH times the data's rows, before any work."""
    from imblearn.utils import check_sampling_strategy

    strategy = getattr(sampler, "sampling_strategy", "auto")
    names = ("auto", "minority", "not majority", "not minority", "all")
    if isinstance(strategy, str) and strategy not in names:
        raise InputError(
            f"sampling_strategy={strategy!r} is not one of {list(names)}, a float or a dict "
            "{class: rows}."
        )
    if isinstance(strategy, dict) and not all(
        isinstance(n, Integral) and not isinstance(n, bool) for n in strategy.values()
    ):
        raise InputError(
            f"sampling_strategy={strategy!r} must give whole numbers of rows per class."
        )
    try:
        wanted = check_sampling_strategy(strategy, y_in, "over-sampling")
        total = sum(int(n) for n in wanted.values())
    except (ValueError, TypeError, AttributeError) as exc:
        fix = " (a callable must return a dict {class: rows})" if callable(strategy) else ""
        raise InputError(
            f"method={method!r} cannot use sampling_strategy={strategy!r}{fix}: {exc}"
        ) from None
    if total > MAX_GROWTH * n_rows:
        raise InputError(
            f"sampling_strategy={strategy!r} would add {total:,} rows to {n_rows:,}; ask "
            "for fewer (e.g. a float or 'auto')."
        )


def _run(sampler, method: str, X_in, y_in: np.ndarray, names, n_rows: int):
    """Fit the sampler; return the synthetic rows (columns ``names``), their labels, and
    which original rows the training set kept (a cleaning step can drop some)."""
    _check_growth(sampler, method, y_in, n_rows)
    try:
        X_res, y_res = sampler.fit_resample(X_in, y_in)
    except (ValueError, RuntimeError) as exc:
        if isinstance(exc, InputError):
            raise
        # imbalanced-learn refusing this data (ADASYN with no majority neighbour, a
        # sampling_strategy that would remove rows, ...): one sentence, not a traceback
        raise InputError(f"method={method!r} cannot run on this data: {exc}") from exc
    X_res = pd.DataFrame(
        np.asarray(X_res, dtype=object if method in CATEGORY_AWARE else None), columns=names
    )
    y_res = np.asarray(y_res)
    n = len(X_in)
    from .samplers._space import kept_after_smote

    # a step after SMOTE that drops rows: a cleaner, or the majority's undersampling
    kept = kept_after_smote(getattr(sampler, "sampler_", sampler))
    if kept is None:
        return X_res.iloc[n:].reset_index(drop=True), y_res[n:], np.ones(n, dtype=bool)
    # SMOTE first (originals, then new rows), then the step keeps some of them, aligned with
    # its output: the kept rows past the originals are the synthetic ones that stayed.
    new = kept >= n
    kept_original = np.zeros(n, dtype=bool)
    kept_original[kept[~new]] = True
    return X_res.iloc[np.flatnonzero(new)].reset_index(drop=True), y_res[new], kept_original


# --- back to the caller's shape -------------------------------------------------------------


def _restore(
    new_X: pd.DataFrame, checked, features: pd.DataFrame, notes: list, interpolated=True
) -> pd.DataFrame:
    """Synthetic rows with the caller's dtypes: whole numbers rounded, booleans and
    categories whole, one category per one-hot group, every left-out column filled
    (``interpolated`` False: copies, which need no rounding to say)."""
    kinds = checked.kinds
    out = {}
    missing = [c for c, why in kinds.excluded.items() if why != "it is constant"]
    if missing and len(new_X):
        notes.append(
            f"Columns {listed(missing)} are left out of the distances, so synthetic rows have "
            "them missing (nothing is invented for them)."
        )
    # the numbers (0/1 and booleans included) finished as the data's rows are: one rule
    numeric = [c for c in checked.X.columns if c not in kinds.categorical]
    numbers = np.zeros((len(new_X), len(numeric)))
    for j, name in enumerate(numeric):  # booleans (SMOTE-NC keeps them whole) count as 0/1
        numbers[:, j] = np.asarray(new_X[name], dtype=float)
    whole, groups, exclusive = finishing(kinds, features, numeric)
    numbers = finish_rows(numbers, whole, groups, exclusive)
    for name in checked.feature_columns:
        dtype = features[name].dtype
        if name in kinds.excluded:
            out[name] = _filler(features[name], kinds.excluded[name], len(new_X))
        elif name in kinds.categorical:
            out[name] = pd.Series(new_X[name], dtype=object).astype(dtype)
        elif name in kinds.boolean:
            out[name] = pd.Series(numbers[:, numeric.index(name)] > 0.5).astype(dtype)
        elif _holds_decimals(features[name]):
            out[name] = _as_decimals(numbers[:, numeric.index(name)], features[name])
        else:
            out[name] = pd.Series(numbers[:, numeric.index(name)]).astype(dtype)
    if interpolated and (kinds.integer or kinds.binary):
        notes.append("Whole-number columns of synthetic rows were rounded (halves to even).")
    return pd.DataFrame(out)


def _holds_decimals(column: pd.Series) -> bool:
    return ptypes.is_object_dtype(column.dtype) and ptypes.infer_dtype(column) == "decimal"


def _as_decimals(values: np.ndarray, column: pd.Series) -> pd.Series:
    """Synthetic values of a column of decimal.Decimal numbers (used as floats for the
    distances) as Decimals again, to as many places as the column's values have."""
    from decimal import Decimal

    places = max((-v.as_tuple().exponent for v in column.dropna()), default=0)
    places = int(min(max(places, 0), 18))
    return pd.Series([Decimal(f"{v:.{places}f}") for v in values], dtype=object)


def finishing(kinds, features: pd.DataFrame, columns: list):
    """How synthetic rows over ``columns`` are finished (``finish_rows``): the positions of
    the whole-number, 0/1 and boolean columns, of each one-hot group, and whether each group
    holds exactly one category in every row of ``features`` (the data)."""
    whole = [i for i, c in enumerate(columns) if c in kinds.integer + kinds.binary + kinds.boolean]
    groups = [[columns.index(c) for c in g] for g in kinds.onehot_groups if set(g) <= set(columns)]
    exclusive = [
        bool((features[list(g)].astype(float).sum(axis=1) == 1).all())
        for g in kinds.onehot_groups
        if set(g) <= set(columns)
    ]
    return whole, groups, exclusive


def _filler(column: pd.Series, why: str, n: int) -> pd.Series:
    """A left-out column in synthetic rows: its constant, else missing (in the column's
    nullable dtype when numpy's cannot hold a missing value)."""
    if why == "it is constant":
        return pd.Series([column.dropna().iloc[0]] * n, dtype=column.dtype)
    dtype = nullable_dtype(column.dtype) or column.dtype
    try:
        return pd.Series([None] * n, dtype=dtype)
    except (TypeError, ValueError):
        return pd.Series([None] * n, dtype=object)


def nullable_dtype(dtype):
    """pandas' nullable dtype for a numpy integer or boolean dtype ("Int64", "UInt8",
    "boolean"), which can hold a missing value; None for any other dtype."""
    if isinstance(dtype, np.dtype) and dtype.kind in "iu":
        return pd.api.types.pandas_dtype(dtype.name.capitalize().replace("Uint", "UInt"))
    if isinstance(dtype, np.dtype) and dtype.kind == "b":
        return pd.BooleanDtype()
    return None


def widened_columns(checked, features: pd.DataFrame) -> dict:
    """Left-out columns whose synthetic rows are missing but whose dtype cannot hold a
    missing value (numpy integers, booleans): column -> the nullable dtype they take."""
    return {
        name: nullable_dtype(features[name].dtype)
        for name, why in checked.kinds.excluded.items()
        if why != "it is constant" and nullable_dtype(features[name].dtype) is not None
    }


def widening_note(widened: dict) -> str:
    names = listed(widened)
    return (
        f"Columns {names} are left out of the distances and hold whole numbers or booleans, "
        f"which cannot be missing: the resampled data has them as {PANDAS_WIDENING} "
        f"{sorted({str(d) for d in widened.values()})} (the original rows' values unchanged), "
        "missing in the synthetic rows."
    )


def _features_frame(data, checked) -> pd.DataFrame:
    """Every feature column of the caller, as given (read only)."""
    if checked.is_frame:
        return data[list(checked.feature_columns)]
    return pd.DataFrame(np.asarray(data))


def _originals(data, checked):
    """The caller's rows as given (a DataFrame is not copied, only read) and their labels."""
    if checked.is_frame:
        frame = data
        if checked.target is not None and checked.target in frame.columns:
            labels = frame[checked.target]
        else:
            labels = pd.Series(checked.y, index=frame.index, name=checked.target)
        return frame, labels
    return None, np.asarray(checked.y)


def _features_out(data, checked):
    if checked.is_frame:
        if checked.target is not None and checked.target in data.columns:
            return data.drop(columns=[checked.target])
        return data
    return np.asarray(data)


def unchanged(method, report, reason, n, frame, X, y) -> ResampleResult:
    """The result of not resampling: the caller's ``n`` rows (new objects), and why."""
    return ResampleResult(
        method=method,
        frame=frame,
        X=X,
        y=y,
        is_synthetic=np.zeros(n, dtype=bool),
        is_removed=np.zeros(n, dtype=bool),
        sampler=None,
        report=report,
        reason=f"Nothing was resampled: {reason}",
        checked=ResampleCheck(method, ()),
    )


def _assemble(data, checked, original, labels, synthetic=None, new_y=(), notes=None):
    """Originals first and untouched, then the synthetic rows (if any), in the caller's
    shape; always new objects, never the caller's. A left-out column whose dtype cannot
    hold the synthetic rows' missing value is widened (said in ``notes``)."""
    if not checked.is_frame:
        array = np.asarray(data)
        y_array = np.asarray(checked.y)
        if synthetic is None:
            return None, array.copy(), y_array.copy()
        dtype = array.dtype if array.dtype.kind != "O" else object
        if array.dtype.kind in "iub" and synthetic.isna().to_numpy().any():
            dtype = np.float64
            notes.append(
                "Some columns are left out of the distances, so synthetic rows have them "
                "missing: the resampled array is float64 (NaN there), as an integer array "
                "cannot hold a missing value."
            )
            array = array.astype(np.float64)
        fill = {"na_value": np.nan} if dtype is np.float64 else {}
        new = synthetic.to_numpy(dtype=dtype, **fill)
        return (
            None,
            np.concatenate([array, new]),
            np.concatenate([y_array, new_y.astype(y_array.dtype, copy=False)]),
        )
    target = checked.target
    in_frame = target is not None and target in original.columns
    if synthetic is None:
        frame = original.copy()
        features = frame.drop(columns=[target]) if in_frame else frame
        return frame, features, (frame[target] if in_frame else labels.copy())
    index = synthetic_index(original.index, len(synthetic))
    synthetic = synthetic.set_axis(index, axis=0)
    new_labels = _cast_like(pd.Series(new_y, index=index, name=labels.name), labels)
    if in_frame:
        synthetic[target] = new_labels
    widened = widened_columns(checked, original)
    if widened:
        notes.append(widening_note(widened))
        original = original.astype(widened)  # a new frame: the same values, nullable
    synthetic = synthetic[list(original.columns)].astype(original.dtypes.to_dict())
    frame = pd.concat([original, synthetic], axis=0)
    if frame.index.dtype != original.index.dtype and not isinstance(
        original.index.dtype,
        pd.CategoricalDtype,  # new labels are new categories
    ):
        frame.index = frame.index.astype(original.index.dtype)  # pandas infers str for object
    if in_frame:
        return frame, frame.drop(columns=[target]), frame[target]
    y = pd.concat([labels, new_labels])
    y.index = frame.index
    return frame, frame, y


def _cast_like(values: pd.Series, like: pd.Series) -> pd.Series:
    try:
        return values.astype(like.dtype)
    except (TypeError, ValueError):
        return values


def synthetic_index(index: pd.Index, n: int) -> pd.Index:
    """Labels for ``n`` synthetic rows, of the index's own dtype, that no caller row has:
    the next numbers after the largest (integer, float), the next ticks after the latest
    (datetime, timedelta, period), else "synthetic-0", "synthetic-1", ... (a MultiIndex gets
    such labels level by level)."""
    if isinstance(index, pd.MultiIndex):
        levels = [synthetic_index(index.get_level_values(i), n) for i in range(index.nlevels)]
        return pd.MultiIndex.from_arrays(levels, names=index.names)
    if not len(index):
        return pd.RangeIndex(n, name=index.name)
    dtype = index.dtype
    if ptypes.is_integer_dtype(dtype) or ptypes.is_float_dtype(dtype):
        top = index.max()
        start = np.floor(top) + 1 if ptypes.is_float_dtype(dtype) else top + 1
        return pd.Index(
            np.arange(n, dtype=np.asarray(index).dtype) + start, name=index.name, dtype=dtype
        )
    if (
        isinstance(dtype, pd.PeriodDtype)
        or ptypes.is_datetime64_any_dtype(dtype)
        or (ptypes.is_timedelta64_dtype(dtype))
    ):
        tick = 1 if isinstance(dtype, pd.PeriodDtype) else pd.Timedelta(1, unit=_unit(dtype))
        return pd.Index(
            [index.max() + (i + 1) * tick for i in range(n)], name=index.name, dtype=dtype
        )
    taken = set(index.astype(str))
    prefix, attempt = "synthetic", 0
    while any(f"{prefix}-{i}" in taken for i in range(n)):
        attempt += 1
        prefix = f"synthetic{attempt}"
    labels = [f"{prefix}-{i}" for i in range(n)]
    if isinstance(dtype, pd.CategoricalDtype):
        return pd.CategoricalIndex(labels, name=index.name)
    try:
        return pd.Index(labels, name=index.name, dtype=dtype)
    except (TypeError, ValueError):
        return pd.Index(labels, name=index.name, dtype=object)


def _unit(dtype) -> str:
    """The resolution of a datetime or timedelta dtype ("ns", "us", ...)."""
    return getattr(dtype, "unit", None) or np.datetime_data(dtype)[0]


# --- the check ------------------------------------------------------------------------------


def _check(
    ctx,
    report,
    method,
    synthetic,
    new_y,
    k_neighbors,
    seed,
    sampler_params,
    features,
    notes,
    synthesis_input=None,
    fills=None,
):
    """Measure the synthetic rows, and plain SMOTE's (SMOTE-NC with text or category
    columns) made from the same data, seed and sampling strategy. ``synthesis_input`` is
    what plain SMOTE runs on, when not the diagnosed rows (the gathered minority rows of a
    dask DataFrame), and ``fills`` its missing values' fills."""
    rng = ctx.rng("check")
    mine, synthetic_Z = _measure(ctx, report, synthetic, new_y, rng, notes)
    baseline_method = "smote_nc" if ctx.checked.kinds.categorical else "smote"
    territory = (
        "majority territory" if len(ctx.checked.classes) == 2 else ("other classes' territory")
    )
    if method == baseline_method:
        return ResampleCheck(method, mine, notes=tuple(notes), territory=territory), synthetic_Z
    same = {k: v for k, v in sampler_params.items() if k == "sampling_strategy"}
    try:
        _, plain_X, plain_y, _ = _synthesise(
            synthesis_input or ctx.checked,
            baseline_method,
            k_neighbors,
            seed,
            same,
            [],
            fills,
            scaling=ctx.space.columns,
        )
    except InputError as exc:
        notes.append(f"Plain {baseline_method} could not run for comparison: {exc}")
        return ResampleCheck(method, mine, notes=tuple(notes), territory=territory), synthetic_Z
    restored = _restore(plain_X, synthesis_input or ctx.checked, features, [])
    baseline, _ = _measure(ctx, report, restored, plain_y, rng, notes)
    check = ResampleCheck(method, mine, baseline_method, baseline, tuple(notes), territory)
    return check, synthetic_Z


def _measure(ctx, report, synthetic: pd.DataFrame, new_y, rng, notes):
    """Per resampled class: territory, distance and group figures of its synthetic rows."""
    checked = ctx.checked
    results, coordinates = [], {}
    y_codes = np.asarray(pd.Series(new_y).map({c: i for i, c in enumerate(checked.classes)}))
    for code in sorted(set(y_codes.tolist())):
        rows = np.flatnonzero(y_codes == code)
        label = checked.classes[code]
        if len(rows) > MAX_CHECK_POINTS:
            notes.append(
                f"The check measured a sample of {MAX_CHECK_POINTS:,} synthetic points per class."
            )
            rows = np.sort(rng.choice(rows, MAX_CHECK_POINTS, replace=False))
        Z = ctx.space.transform(synthetic.iloc[rows][list(checked.X.columns)])
        class_rows = ctx.rows_of(code)
        distance, nearest = ctx.graph.nearest_in_class(Z, code)
        own = ctx.within(code)[0]  # each real row's distance to its nearest classmate
        own = own[:, 0] if own.size else np.zeros(0)
        in_territory = territory_of(ctx.graph.class_counts_near(Z, code))
        coordinates[code] = (Z, in_territory)
        groups = _groups_of(report, label, len(class_rows))
        real = _shares(groups)
        landed = _shares(groups[nearest])
        reference = float(np.median(own)) if len(own) else None
        results.append(
            ClassCheck(
                label=label,
                n_synthetic=int(np.sum(y_codes == code)),
                n_measured=len(rows),
                majority_share=float(np.mean(in_territory)) if len(rows) else None,
                distance_ratio=float(np.median(distance) / reference) if reference else None,
                far_share=float(np.mean(distance > np.percentile(own, 95))) if len(own) else None,
                group_shares=landed,
                real_group_shares=real,
                group_shift=0.5
                * sum(abs(landed.get(g, 0.0) - real.get(g, 0.0)) for g in set(landed) | set(real)),
            )
        )
    return tuple(results), coordinates


def _groups_of(report, label, n_rows: int) -> np.ndarray:
    for profile in report.profiles:
        if profile.label == label:
            return profile.groups
    return np.zeros(n_rows, dtype=int)  # the largest class: one group


def _shares(groups: np.ndarray) -> dict:
    if not len(groups):
        return {}
    ids, counts = np.unique(groups, return_counts=True)
    return {int(g): float(c / len(groups)) for g, c in zip(ids, counts)}
