"""The facts that decide a SMOTE variant: imbalance, minority size against k, column
kinds, missing values and duplicates."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._validation import minority_too_small
from . import Finding, grade, plural, register, worst
from . import thresholds as T

_LIST_MAX = 10


def _names(columns) -> list:
    return list(columns)[:_LIST_MAX]


@register("imbalance")
def diagnose_imbalance(ctx, code: int) -> Finding:
    counts = ctx.checked.counts
    ratio = counts[0] / counts[code]
    label = ctx.label(code)
    evidence = {
        "imbalance_ratio": ratio,
        "n_minority": counts[code],
        "n_majority": counts[0],
        "minority_share": counts[code] / sum(counts),
        "majority_class": ctx.label(0),
    }
    summary = (
        f"Class {label!r} has {plural(counts[code], 'row')} against {counts[0]:,} of class "
        f"{ctx.label(0)!r} "
        f"(imbalance ratio {ratio:.1f}:1)."
    )
    # Up to IMBALANCE_WARN_RATIO inclusive is "balanced" in evalml's rule, hence ">".
    severity = (
        "severe"
        if ratio >= T.IMBALANCE_SEVERE_RATIO
        else "warning"
        if ratio > T.IMBALANCE_WARN_RATIO
        else "ok"
    )
    return Finding("imbalance", severity, summary, evidence, minority_class=label)


@register("small_minority")
def diagnose_small_minority(ctx, code: int) -> Finding:
    n = ctx.n_rows_of(code)
    k = ctx.k_neighbors
    label = ctx.label(code)
    evidence = {"n_minority": n, "k_neighbors": k, "n_needed": k + 1}
    if n >= k + 1:
        summary = f"Class {label!r} has {plural(n, 'row')}, enough for SMOTE with k_neighbors={k}."
        return Finding("small_minority", "ok", summary, evidence, minority_class=label)
    summary = minority_too_small(label, n, k) + " SMOTE cannot interpolate."
    return Finding("small_minority", "severe", summary, evidence, minority_class=label)


@register("categorical_features", scope="data")
def diagnose_categorical_features(ctx) -> Finding:
    kinds = ctx.checked.kinds
    evidence = {
        "categorical_columns": _names(kinds.categorical),
        "n_categorical": len(kinds.categorical),
        "boolean_columns": _names(kinds.boolean),
        "n_boolean": len(kinds.boolean),
        "binary_columns": _names(kinds.binary),
        "integer_columns": _names(kinds.integer),
        "onehot_groups": [list(g) for g in kinds.onehot_groups[:_LIST_MAX]],
        "n_numeric": len(kinds.numeric),
    }
    discrete = len(kinds.categorical) + len(kinds.boolean)
    if discrete:
        parts = []
        if kinds.categorical:
            parts.append(
                f"{plural(len(kinds.categorical), 'text/category column')} "
                f"{_names(kinds.categorical)}"
            )
        if kinds.boolean:
            parts.append(f"{plural(len(kinds.boolean), 'boolean column')} {_names(kinds.boolean)}")
        summary = (
            f"The data has {' and '.join(parts)}: plain SMOTE would invent values between "
            "categories; SMOTE-NC keeps them whole."
        )
        return Finding("categorical_features", "warning", summary, evidence)
    extras = []
    if kinds.integer:
        extras.append(
            f"{plural(len(kinds.integer), 'integer-valued column')} "
            "(SMOTE would make fractional values)"
        )
    if kinds.onehot_groups:
        extras.append(
            f"{plural(len(kinds.onehot_groups), 'one-hot group')} "
            "(SMOTE makes fractional category codes)"
        )
    summary = "Every feature is numeric" + (": " + "; ".join(extras) if extras else "") + "."
    return Finding("categorical_features", "ok", summary, evidence)


@register("missing_values", scope="data")
def diagnose_missing_values(ctx) -> Finding:
    facts = ctx.checked.row_facts
    per_column = facts.missing_by_column
    per_column = per_column[per_column > 0].sort_values(ascending=False, kind="stable")
    n_cells = int(per_column.sum())
    n_infinite = facts.n_infinite
    size = facts.n_rows * len(facts.missing_by_column)
    rows_share = facts.n_rows_missing / facts.n_rows if facts.n_rows else 0.0
    evidence = {
        "n_missing_cells": n_cells,
        "n_infinite_cells": n_infinite,
        "missing_cell_share": n_cells / size if size else 0.0,
        "missing_row_share": rows_share,
        "missing_by_column": {str(c): int(v) for c, v in per_column.head(_LIST_MAX).items()},
        "treatment": (
            "the distances and the pipeline put a missing value at the column's median "
            "(numbers) or most frequent value (0/1 flags, booleans, categories)"
        ),
    }
    if not n_cells:
        return Finding("missing_values", "ok", "No value is missing.", evidence)
    summary = (
        f"{plural(n_cells, 'value is', 'values are')} missing or infinite in "
        f"{plural(len(per_column), 'column')} "
        f"({rows_share:.0%} of rows): SMOTE cannot take them, so impute inside the pipeline."
    )
    return Finding("missing_values", "warning", summary, evidence)


@register("duplicates", scope="data")
def diagnose_duplicates(ctx) -> Finding:
    """Exact copies: of rows in the whole table, of minority rows, and of plain SMOTE's
    (row, neighbour) pairs at distance zero per minority class (read from the shared
    within-class neighbourhoods); rows whose features repeat with another label."""
    checked = ctx.checked
    frame = pd.DataFrame({"h": ctx.row_hashes(), "y": checked.y_codes})
    exact = frame.duplicated(keep="first").to_numpy()  # same features and label as before
    conflicts = ctx.label_conflicts()
    minority = np.isin(checked.y_codes, checked.minority_codes)
    n_min = int(minority.sum())
    n_min_dup = int(exact[minority].sum())
    by_class = {}
    for code in checked.minority_codes:
        rows = ctx.rows_of(code)
        distances, _ = ctx.within(code)
        size = np.linalg.norm(ctx.Z[rows], axis=1)[:, None]
        zero = distances <= T.ZERO_DISTANCE_TOLERANCE * (1.0 + size)
        by_class[ctx.label(code)] = {
            "n_rows": len(rows),
            "n_duplicate_rows": int(exact[rows].sum()),
            "n_pairs": int(distances.size),
            "n_zero_distance_pairs": int(zero.sum()),
            "zero_distance_pair_share": float(zero.mean()) if distances.size else None,
        }
    pair_shares = {
        label: e["zero_distance_pair_share"]
        for label, e in by_class.items()
        if e["zero_distance_pair_share"] is not None
    }
    worst_class = max(pair_shares, key=pair_shares.get) if pair_shares else None
    pair_share = pair_shares[worst_class] if pair_shares else None
    duplicate_share = float(exact.mean())
    minority_share = n_min_dup / n_min if n_min else 0.0
    evidence = {
        "n_duplicate_rows": int(exact.sum()),
        "duplicate_share": duplicate_share,
        "n_minority_duplicate_rows": n_min_dup,
        "minority_duplicate_share": minority_share,
        "zero_distance_pair_share": pair_share,
        "by_class": by_class,
        "n_conflicting_rows": int(conflicts.sum()),
        "rule": (
            "the worst of: rows repeating an earlier row, minority rows repeating one, and per "
            "minority class plain SMOTE's (row, neighbour) pairs at distance zero: warning >= "
            f"{T.DUPLICATE_WARN_SHARE:.0%}, severe >= {T.DUPLICATE_SEVERE_SHARE:.0%}; rows "
            "whose features repeat with another label: at least a warning"
        ),
    }
    severity = worst(
        "warning" if conflicts.any() else "ok",
        *(
            grade(share, T.DUPLICATE_WARN_SHARE, T.DUPLICATE_SEVERE_SHARE)
            for share in (duplicate_share, minority_share, pair_share)
        ),
    )
    return Finding(
        "duplicates",
        severity,
        _duplicates_summary(
            ctx, evidence, worst_class if pair_share else None, len(checked.minority_codes)
        ),
        evidence,
    )


def _share(value: float) -> str:
    """A share as a whole percentage, "<1%" for a small non-zero one."""
    return "<1%" if 0 < value < 0.005 else f"{value:.0%}"


def _duplicates_summary(ctx, e: dict, pair_class, n_minority_classes: int) -> str:
    """One sentence: each figure named with what it is a share of."""
    n_dup, n_conflicts = e["n_duplicate_rows"], e["n_conflicting_rows"]
    if not n_dup and not n_conflicts and not pair_class:
        return "No row is an exact copy of another."
    minority = "the minority's rows" if n_minority_classes == 1 else "the minority classes' rows"
    if n_dup:
        verb = "repeats" if n_dup == 1 else "repeat"
        text = (
            f"{plural(n_dup, 'row')} ({_share(e['duplicate_share'])} of all rows) {verb} an "
            "earlier row exactly"
        )
    else:
        text = "No row repeats an earlier row of its class exactly"
    clauses = []
    if e["n_minority_duplicate_rows"]:
        clauses.append(f"{_share(e['minority_duplicate_share'])} of {minority} are copies")
    elif n_dup:
        clauses.append(f"none of {minority} is a copy")
    if pair_class is not None:
        copies = e["by_class"][pair_class]["n_duplicate_rows"]
        clauses.append(
            f"{_share(e['zero_distance_pair_share'])} of plain SMOTE's neighbour pairs in class "
            f"{pair_class!r} "
            + ("join a row to its copy" if copies else "join two rows at distance zero")
        )
    if clauses:
        text += "; " + ", and ".join(clauses)
    if n_conflicts:
        text += (
            f"; {plural(n_conflicts, 'row shares its', 'rows share their')} features with a row "
            "of another class"
        )
    return text + "."
