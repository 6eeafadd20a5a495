"""Diagnosing a dask DataFrame: the rows stay on the workers (the dask backend of ``_rows``).

What comes back to the client: per partition, the figures of ``ColumnFacts`` and
``RowFacts`` (merged exactly), the labels and one 8-byte hash per row, the minority rows and
fixed-size samples (plots, the relative-contrast reference, the PCA fit, decimal grids),
and per batch of minority-side query points each partition's k nearest rows, merged into
the exact k nearest of all rows. Everything else runs the in-memory code on those, so the
report equals the one of the same data in pandas.

dask is imported only here, and only for dask input.
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
import pandas as pd

from ._rowfacts import merge_row_facts, row_facts
from ._rows import ScaledRows
from ._validation import (
    CheckedInput,
    _check_labels,
    _check_target_column,
    _column_kinds,
    _encode_labels,
    check_has_rows,
    check_unique_columns,
    check_used_columns,
    column_facts,
    kinds_order,
    merge_column_facts,
    merge_onehot_facts,
    onehot_facts,
    plain_value,
)
from .exceptions import InputError, InputTypeError

DASK_ROWS_NOTE = (
    "The data is a dask DataFrame: rows are reported by position (0-based, in partition "
    "order), not by index label."
)


DESCRIPTION = "a dask DataFrame"
TO_MEMORY = "ddf.compute()"


def recognises(data) -> bool:
    """A dask DataFrame (classic or dask-expr), recognised without importing dask."""
    module = type(data).__module__ or ""
    return module.split(".")[0] in ("dask", "dask_expr") and hasattr(data, "npartitions")


class DaskRows:
    """The used feature columns of a dask DataFrame, partition by partition: the ``_rows``
    protocol with the rows on the workers.

    Parameters
    ----------
    frame : dask.dataframe.DataFrame
        Only the used feature columns, in the caller's order.
    lengths : sequence of int
        Rows per partition.
    """

    def __init__(self, frame, lengths):
        self.parts = frame.to_delayed()
        self.lengths = np.asarray(lengths, dtype=np.int64)
        self.starts = np.r_[0, np.cumsum(self.lengths)[:-1]]
        self.n_rows = int(self.lengths.sum())

    in_memory = False

    def map(self, func, *args) -> list:
        """``func(partition, *args)`` on every partition, on the workers, in order."""
        import dask

        return list(dask.compute(*[dask.delayed(func)(part, *args) for part in self.parts]))

    def row_facts(self, kinds):
        return merge_row_facts(self.map(row_facts, kinds))

    def take(self, rows, func=None):
        """``func`` (default: none) on the rows at global positions ``rows``, on the workers
        that hold them; the results (frames or arrays) joined in the order of ``rows``."""
        import dask

        rows = np.asarray(rows, dtype=np.int64)
        order = np.argsort(rows, kind="stable")
        ordered = rows[order]
        part_of = np.searchsorted(self.starts, ordered, side="right") - 1
        tasks = [
            dask.delayed(_take)(self.parts[p], ordered[part_of == p] - self.starts[p], func)
            for p in np.unique(part_of)
        ]
        pieces = dask.compute(*tasks)
        inverse = np.empty_like(order)
        inverse[order] = np.arange(len(order))
        if isinstance(pieces[0], pd.DataFrame):
            return pd.concat(pieces).iloc[inverse]
        return np.concatenate(pieces)[inverse]

    def feature_values(self, columns, rows=None) -> np.ndarray:
        def values(part):
            return part[columns].to_numpy(dtype=float, na_value=np.nan)

        return np.concatenate(self.map(values)) if rows is None else self.take(rows, values)

    def scaled(self, transform, n_dims: int) -> ScaledRows:
        return ScaledRows(self, transform, n_dims)

    def resample(
        self, data, report, ctx, method, reason, k_neighbors, random_state, params, notes=()
    ):
        return resample_dask(
            data, report, ctx, method, reason, k_neighbors, random_state, params, notes
        )


def _take(part, local, func):
    rows = part.iloc[local]
    return rows if func is None else func(rows)


# --- validation ---------------------------------------------------------------------------


def _screen(part, target):
    """Per partition: the labels, the features' ColumnFacts, and the text/object columns
    that hold only numbers here."""
    features = part.drop(columns=[target])
    numbers = {
        name
        for name in features.columns
        if features[name].dtype == object
        and pd.api.types.infer_dtype(features[name], skipna=True)
        in ("integer", "floating", "mixed-integer-float", "decimal")
    }
    return part[target].to_numpy(dtype=object), column_facts(features), numbers


def check_inputs(frame, target, *, k_neighbors) -> CheckedInput:
    """check_inputs() for a dask DataFrame: the same checks and the same CheckedInput, whose
    rows stay on the workers (``CheckedInput.source``)."""
    check_unique_columns(frame.columns)
    if target is None or not isinstance(target, Hashable) or isinstance(target, tuple):
        raise InputTypeError(
            "For a dask DataFrame, name the target column, e.g. diagnose(ddf, target='label')."
        )
    _check_target_column(frame._meta, target)
    import dask

    screened = dask.compute(*[dask.delayed(_screen)(p, target) for p in frame.to_delayed()])
    lengths = [len(labels) for labels, _, _ in screened]
    check_has_rows(sum(lengths))
    labels = np.concatenate([labels for labels, _, _ in screened])
    # in memory, object columns holding only numbers become numbers (infer_objects); here
    # partitions cannot agree on a dtype, so the column stays text, and the report says so
    text_numbers = set.intersection(*[numbers for _, _, numbers in screened])
    y = _check_labels(pd.Series(labels).infer_objects().to_numpy(), target)
    codes, classes, counts = _encode_labels(y, target)
    features = frame.drop(columns=[target])
    meta = features._meta
    facts = merge_column_facts([f for _, f, _ in screened])
    rows = DaskRows(features, lengths)

    def onehot(candidates):
        return merge_onehot_facts(rows.map(onehot_facts, candidates)) if candidates else {}

    kinds, notes = _column_kinds(meta, facts=facts, onehot=onehot)
    notes += [
        f"Column {name!r} holds numbers stored as text or objects; on a dask DataFrame it is "
        f"{'read as text (and left out)' if name in kinds.excluded else 'treated as a category'}"
        f". Convert it first, e.g. ddf[{name!r}].astype(float)."
        for name in sorted(text_numbers, key=str)
    ]
    check_used_columns(kinds)
    used = list(kinds_order(meta, kinds))
    n = sum(lengths)
    return CheckedInput(
        X=meta[used],
        y=y,
        y_codes=codes,
        classes=classes,
        counts=counts,
        is_frame=True,
        index=pd.RangeIndex(n),
        target=target,
        kinds=kinds,
        feature_columns=tuple(meta.columns),
        notes=tuple(notes) + (DASK_ROWS_NOTE,),
        positions=np.arange(n),
        target_is_column=True,
        source=DaskRows(features[used], lengths),
    )


# --- resampling -----------------------------------------------------------------------------

# Methods whose synthetic rows depend on the minority rows alone, so that the workers can
# make them from the gathered minority rows; the others look at the majority around every
# minority row (Borderline, ADASYN, the cleaners) or fit on every row (cluster, PCA).
DASK_METHODS = ("smote", "smote_nc", "random_oversample")


def resample_dask(ddf, report, ctx, method, reason, k_neighbors, random_state, params, notes=()):
    """resample() for a dask DataFrame, given its diagnosis (``DaskRows.resample``): the
    result's ``frame`` is a dask DataFrame, the caller's partitions unchanged and then one
    partition of synthetic rows per caller partition, made on the workers from the minority
    rows (each its own seed); ``notes`` come first in the result's."""
    import dask
    import dask.dataframe as dd
    from imblearn.utils import check_sampling_strategy
    from sklearn.utils import check_random_state

    from .resample import (
        MAX_CHECK_POINTS,
        ResampleResult,
        _check,
        unchanged,
        widened_columns,
        widening_note,
    )

    checked = ctx.checked
    n = checked.n_rows
    if method == "no_resampling":
        X, y = ddf.drop(columns=[checked.target]), ddf[checked.target]
        return unchanged(method, report, reason, n, ddf.copy(), X, y)
    if method not in DASK_METHODS:
        raise InputError(
            f"method={method!r} needs every row in memory (it looks at the majority around "
            f"each minority row or fits on all rows); on a dask DataFrame use one of "
            f"{list(DASK_METHODS)}, or resample ddf.compute() or a sample of it."
        )
    try:
        strategy = check_sampling_strategy(
            params.get("sampling_strategy", "auto"),
            pd.Series(checked.y).infer_objects().to_numpy(),
            "over-sampling",
        )
    except ValueError as exc:
        raise InputError(f"method={method!r} cannot run on this data: {exc}") from None
    strategy = {label: int(count) for label, count in strategy.items() if count}
    majority = checked.classes[0]
    if majority in strategy:
        raise InputError(
            f"On a dask DataFrame only classes smaller than the largest can grow, and this "
            f"sampling_strategy grows {majority!r}. Leave it out, or resample ddf.compute()."
        )
    # The rows of the classes that grow, and one majority row (samplers need two classes);
    # the left-out columns' constants and the fill values come from every row.
    growing = [checked.classes.index(label) for label in strategy]
    gathered = np.r_[
        np.flatnonzero(np.isin(checked.y_codes, growing)), np.flatnonzero(checked.y_codes == 0)[:1]
    ]
    local = DaskRows(ddf, checked.source.lengths).take(gathered).reset_index(drop=True)
    local, fills = _with_whole_data_values(ddf, local, checked)
    local_checked = _local_input(local, checked, gathered)
    seed = int(check_random_state(random_state).randint(np.iinfo(np.int32).max))
    parts = ddf.npartitions
    shares = {label: _split(count, parts) for label, count in strategy.items()}
    starts = np.r_[0, np.cumsum([sum(s[i] for s in shares.values()) for i in range(parts)])]
    n_new = int(starts[-1])
    labels = _synthetic_labels(ddf, n_new)
    tasks = [
        dask.delayed(_synthetic_rows)(
            local,
            local_checked,
            method,
            k_neighbors,
            int(np.random.SeedSequence([seed, i]).generate_state(1)[0]),
            {label: s[i] for label, s in shares.items()},
            params,
            labels[starts[i] : starts[i + 1]],
            list(ddf.columns),
            fills,
            ctx.space.columns,
        )
        for i in range(parts)
    ]
    # left-out whole-number or boolean columns are missing in synthetic rows: nullable dtypes
    widened = widened_columns(checked, ddf._meta)
    meta = ddf._meta.astype(widened) if widened else ddf._meta
    synthetic = dd.from_delayed(tasks, meta=meta, verify_meta=False)
    where = f"labelled from {plain_value(labels[0])!r} on" if n_new else "none needed"
    notes = list(notes)
    if fills:
        notes.append(
            "Missing or infinite values were filled (median, most frequent value, over every "
            "row) for interpolation only; the original rows keep them."
        )
    notes = notes + [
        f"The data is a dask DataFrame: its {n:,} rows are unchanged and {n_new:,} synthetic "
        f"rows follow in {parts} new partitions ({where}), made on the workers from the "
        "rows of the classes that grow."
    ]
    # The check measures a sample made the same way (as resample() measures at most
    # MAX_CHECK_POINTS per class).
    few = {label: min(count, MAX_CHECK_POINTS) for label, count in strategy.items()}
    sample = _synthetic_rows(
        local,
        local_checked,
        method,
        k_neighbors,
        seed,
        few,
        params,
        pd.RangeIndex(10**6),
        None,
        fills,
        ctx.space.columns,
    )
    sample_y = sample.pop(checked.target).to_numpy()
    features = local.drop(columns=[checked.target])
    check, synthetic_Z = _check(
        ctx,
        report,
        method,
        sample[list(checked.feature_columns)],
        sample_y,
        k_neighbors,
        seed,
        {"sampling_strategy": _grown(local_checked, few)},
        features,
        notes,
        synthesis_input=local_checked,
        fills=fills,
    )
    if widened:
        notes.append(widening_note(widened))
    frame = dd.concat([ddf.astype(widened) if widened else ddf, synthetic])
    return ResampleResult(
        method=method,
        frame=frame,
        X=frame.drop(columns=[checked.target]),
        y=frame[checked.target],
        is_synthetic=np.r_[np.zeros(n, dtype=bool), np.ones(n_new, dtype=bool)],
        is_removed=np.zeros(n + n_new, dtype=bool),
        sampler=None,
        report=report,
        reason=reason,
        notes=tuple(dict.fromkeys(notes + list(check.notes))),
        checked=check,
        synthetic_Z=synthetic_Z,
    )


def _local_input(local: pd.DataFrame, checked: CheckedInput, rows) -> CheckedInput:
    """The gathered rows (at positions ``rows``) as in-memory input, with the whole data's
    column kinds, classes and class counts (the samplers' checks read those). Not screened
    again: a few gathered rows are not the data (ten levels in fifteen rows look like free
    text)."""
    rows = np.asarray(rows)
    return CheckedInput(
        X=local[list(checked.X.columns)],
        y=np.asarray(checked.y)[rows],
        y_codes=checked.y_codes[rows],
        classes=checked.classes,
        counts=checked.counts,
        is_frame=True,
        index=pd.RangeIndex(len(local)),
        target=checked.target,
        kinds=checked.kinds,
        feature_columns=checked.feature_columns,
        positions=rows,
        target_is_column=True,
    )


def _split(count: int, parts: int) -> list:
    """``count`` new rows spread over ``parts`` partitions as evenly as whole rows allow."""
    return [count // parts + (1 if i < count % parts else 0) for i in range(parts)]


def _grown(local_checked: CheckedInput, new: dict) -> dict:
    """imbalanced-learn's sampling_strategy dict that adds ``new[label]`` rows to each class
    of the gathered rows."""
    have = pd.Series(local_checked.y).value_counts()
    return {label: int(have[label]) + count for label, count in new.items() if count}


def _synthetic_rows(
    local, local_checked, method, k_neighbors, seed, new, params, labels, columns, fills, scaling
):
    """``new[label]`` synthetic rows per class from the gathered rows, in the caller's
    columns and dtypes, with the first of the index ``labels``; the sampler's neighbours in
    the diagnosis's space (``scaling``, fitted on every row)."""
    from .resample import _restore, _synthesise

    target = local_checked.target
    if not sum(new.values()):
        return local.iloc[:0][columns] if columns else local.iloc[:0]
    grown = {**params, "sampling_strategy": _grown(local_checked, new)}
    _, new_X, new_y, _ = _synthesise(
        local_checked, method, k_neighbors, seed, grown, [], fills, scaling=scaling
    )
    rows = _restore(new_X, local_checked, local.drop(columns=[target]), [])
    rows[target] = pd.Series(new_y).astype(local[target].dtype).to_numpy()
    rows.index = labels[: len(rows)]
    return rows[columns] if columns else rows


def _with_whole_data_values(ddf, local: pd.DataFrame, checked: CheckedInput):
    """What must come from every row, not the gathered ones: a left-out constant column's
    constant (the gathered rows may all miss it; set in the gathered copy only), and the
    values that fill missing ones for interpolation, as resample() computes them in memory
    (median over the finite values, most frequent value). Returns (rows, fills)."""
    local = local.copy()
    kinds = checked.kinds
    for name, why in kinds.excluded.items():
        if why == "it is constant" and local[name].isna().all():
            local[name] = ddf[name].dropna().max().compute()
    numbers = set(kinds.numeric + kinds.binary)
    fills = {}
    for name in kinds.used:
        column = local[name]
        if name in numbers:
            missing = ~np.isfinite(column.astype("float64"))
        else:
            missing = column.isna()
        if not missing.any():
            continue
        if name in numbers:
            values = checked.feature_values([name])[:, 0]
            fills[name] = float(np.median(values[np.isfinite(values)]))
        else:
            counts = ddf[name].value_counts().compute()
            fills[name] = sorted(counts[counts == counts.max()].index)[0]  # pandas' mode()
    return local, fills


def _synthetic_labels(ddf, n: int) -> pd.Index:
    """Index labels for ``n`` synthetic rows that no row of ``ddf`` has, as resample() makes
    them in memory (after the largest number or time, else "synthetic-0", ...)."""
    from pandas.api import types as ptypes

    from .resample import synthetic_index

    index = ddf.index
    dtype = index.dtype
    if (
        ptypes.is_numeric_dtype(dtype)
        or ptypes.is_datetime64_any_dtype(dtype)
        or ptypes.is_timedelta64_dtype(dtype)
        or isinstance(dtype, pd.PeriodDtype)
    ):
        existing = pd.Index([index.max().compute()], dtype=dtype, name=index.name)
    else:
        # the labels that could clash, and one label to show the index's kind
        text = index.to_series().astype(str)
        taken = text[text.str.startswith("synthetic")].compute().tolist()
        first = ddf.head(1, npartitions=-1).index.tolist()
        existing = pd.Index(first + taken, dtype=object, name=index.name)
    return synthetic_index(existing, n)
