"""The facts that decide a SMOTE variant: imbalance, minority size against k, column
kinds, missing values and duplicates."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._format import listed
from .._validation import minority_too_small
from . import thresholds as T
from ._registry import Finding, grade, plural, register, worst


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
        "categorical_columns": list(kinds.categorical),
        "n_categorical": len(kinds.categorical),
        "boolean_columns": list(kinds.boolean),
        "n_boolean": len(kinds.boolean),
        "binary_columns": list(kinds.binary),
        "integer_columns": list(kinds.integer),
        "onehot_groups": [list(g) for g in kinds.onehot_groups],
        "n_numeric": len(kinds.numeric),
    }
    discrete = len(kinds.categorical) + len(kinds.boolean)
    if discrete:
        parts = []
        if kinds.categorical:
            parts.append(
                f"{plural(len(kinds.categorical), 'text/category column')} "
                f"{listed(kinds.categorical)}"
            )
        if kinds.boolean:
            parts.append(f"{plural(len(kinds.boolean), 'boolean column')} {listed(kinds.boolean)}")
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
        "missing_by_column": {str(c): int(v) for c, v in per_column.items()},
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
    within-class neighbourhoods), each against the share that columns with few values give
    by chance; rows whose features repeat with another label."""
    checked = ctx.checked
    exact = ctx.exact_copies()  # same features and label as an earlier row
    conflicts = ctx.label_conflicts()
    chance = chance_combinations(ctx)  # None: not computed (see there)
    minority = np.isin(checked.y_codes, checked.minority_codes)
    n_min = int(minority.sum())
    n_min_dup = int(exact[minority].sum())
    by_class = {}
    for code in checked.minority_codes:
        rows = ctx.rows_of(code)
        distances, partners = ctx.within(code)
        # a pair is a copy when the two rows' used values are the same (their hashes): two
        # rare levels that share the space's "<other>" dimension are close, not copies
        hashes = ctx.row_hashes()[rows]
        zero = hashes[:, None] == hashes[partners]
        pair_share = float(zero.mean()) if distances.size else None
        chance_pairs = None
        if chance is not None and distances.size:
            chance_pairs = chance[code].zero_distance_pair_share(distances.shape[1])
        by_class[ctx.label(code)] = {
            "n_rows": len(rows),
            "n_duplicate_rows": int(exact[rows].sum()),
            "chance_duplicate_share": None if chance is None else chance[code].duplicate_share(),
            "n_pairs": int(distances.size),
            "n_zero_distance_pairs": int(zero.sum()),
            "zero_distance_pair_share": pair_share,
            "chance_zero_distance_pair_share": chance_pairs,
            "excess_zero_distance_pair_share": _excess(pair_share, chance_pairs),
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
    chance_share = chance_minority = None
    if chance is not None:
        expected = {code: c.duplicate_share() * c.n for code, c in chance.items()}
        chance_share = sum(expected.values()) / checked.n_rows
        minority_expected = sum(expected[code] for code in checked.minority_codes)
        chance_minority = minority_expected / n_min if n_min else 0.0
    excess_pairs = [
        e["excess_zero_distance_pair_share"]
        for e in by_class.values()
        if e["excess_zero_distance_pair_share"] is not None
    ]
    evidence = {
        "n_duplicate_rows": int(exact.sum()),
        "duplicate_share": duplicate_share,
        "chance_duplicate_share": chance_share,
        "excess_duplicate_share": _excess(duplicate_share, chance_share),
        "n_minority_duplicate_rows": n_min_dup,
        "minority_duplicate_share": minority_share,
        "chance_minority_duplicate_share": chance_minority,
        "excess_minority_duplicate_share": _excess(minority_share, chance_minority),
        "zero_distance_pair_share": pair_share,
        "excess_zero_distance_pair_share": max(excess_pairs) if excess_pairs else None,
        "by_class": by_class,
        "n_conflicting_rows": int(conflicts.sum()),
        "rule": (
            "the worst of: rows repeating an earlier row, minority rows repeating one, and per "
            "minority class plain SMOTE's (row, neighbour) pairs at distance zero, each in "
            "excess of the share expected by chance (every column independent, distributed "
            "as in its class; none where a column is continuous): warning >= "
            f"{T.DUPLICATE_WARN_SHARE:.0%}, severe >= {T.DUPLICATE_SEVERE_SHARE:.0%}; a pair "
            f"share >= {T.DUPLICATE_WARN_SHARE:.0%} is a warning even when chance gives it "
            "(plain SMOTE copies rows there); rows whose features repeat with another label: "
            "at least a warning"
            + ("" if chance is not None else "; chance not computed here: the observed shares")
        ),
    }
    severity = worst(
        "warning" if conflicts.any() else "ok",
        _grade_copies(duplicate_share, chance_share),
        _grade_copies(minority_share, chance_minority),
        *(_grade_pairs(e) for e in by_class.values()),
    )
    return Finding(
        "duplicates",
        severity,
        _duplicates_summary(
            ctx,
            evidence,
            worst_class if pair_share else None,
            len(checked.minority_codes),
            computed=chance is not None,
        ),
        evidence,
    )


def _excess(observed, chance):
    """The observed share beyond the one expected by chance (None when either is unknown)."""
    if observed is None or chance is None:
        return None
    return max(0.0, observed - chance)


def _grade_copies(observed, chance) -> str:
    """Copies graded on their excess over chance, or as observed where chance is unknown."""
    share = observed if chance is None else _excess(observed, chance)
    return grade(share, T.DUPLICATE_WARN_SHARE, T.DUPLICATE_SEVERE_SHARE)


def _grade_pairs(e: dict) -> str:
    """A class's zero-distance pairs: a warning from DUPLICATE_WARN_SHARE whatever their
    cause (plain SMOTE copies a row on each), severe only for pairs beyond chance."""
    share = e["zero_distance_pair_share"]
    copies = grade(share, T.DUPLICATE_WARN_SHARE, np.inf)  # "ok" or "warning"
    return worst(copies, _grade_copies(share, e["chance_zero_distance_pair_share"]))


class Combinations:
    """The value combinations one class's rows would show if every column were drawn
    independently from its own value frequencies in the class: their probabilities, as
    distinct values with how many combinations have each (see thresholds.py, "Copies by
    chance").

    Parameters
    ----------
    n : int
        The class's rows.
    """

    def __init__(self, n: int):
        self.n = n
        self.p = np.ones(1)  # distinct combination probabilities ...
        self.w = np.ones(1)  # ... and how many combinations have each
        self.rare = 0.0  # sum of p^2 over combinations expected < CHANCE_RARE_COUNT times

    @classmethod
    def none(cls, n: int) -> Combinations:
        """A class with a continuous column: no combination repeats by chance."""
        out = cls(n)
        out.p, out.w = np.zeros(0), np.zeros(0)
        return out

    def add(self, counts: np.ndarray) -> None:
        """One more column, given its value counts among the class's rows."""
        probs, mult = np.unique(np.asarray(counts, dtype=float) / self.n, return_counts=True)
        mult = mult.astype(float)
        self.rare *= float(mult @ probs**2)  # each rare combination splits by the column
        if len(self.p) * len(probs) > T.CHANCE_MAX_COMBINATIONS:
            self.p, self.w = _merge(self.p, self.w, T.CHANCE_MERGE_STEP)
            probs, mult = _merge(probs, mult, T.CHANCE_MERGE_STEP)
        p = np.outer(self.p, probs).ravel()
        w = np.outer(self.w, mult).ravel()
        rare = p * self.n < T.CHANCE_RARE_COUNT
        self.rare += float(w[rare] @ p[rare] ** 2)
        self.p, self.w = _merge(p[~rare], w[~rare], _SAME_PROBABILITY)

    def negligible(self) -> bool:
        """Only rare combinations are left, and they repeat less than _NEGLIGIBLE of rows."""
        return not len(self.p) and (self.n - 1) / 2 * self.rare < _NEGLIGIBLE

    def duplicate_share(self) -> float:
        """Expected share of the class's rows that repeat an earlier row."""
        n, p = self.n, self.p
        with np.errstate(divide="ignore"):  # p = 1: log1p(-1) = -inf, and 1 row distinct
            distinct = -np.expm1(n * np.log1p(-p))  # 1 - (1 - p)^n, accurate for small p
        expected = float(self.w @ (n * p - distinct)) + n * (n - 1) / 2 * self.rare
        return min(max(expected / n, 0.0), 1.0)

    def zero_distance_pair_share(self, k: int) -> float:
        """Expected share of (row, k nearest classmates) pairs on the same combination."""
        from scipy.stats import binom

        shared = sum(binom.sf(j, self.n - 1, self.p) for j in range(k))  # E[min(B, k)]
        expected = float(self.w @ (self.p * shared)) + (self.n - 1) * self.rare
        return min(max(expected / k, 0.0), 1.0)


# Probabilities this close (in log units) are the same one computed in another order.
_SAME_PROBABILITY = 1e-9
# A chance share this small is as good as none: the columns after it are not counted.
_NEGLIGIBLE = 1e-12


def _merge(p: np.ndarray, w: np.ndarray, step: float) -> tuple[np.ndarray, np.ndarray]:
    """Probabilities within ``step`` in log units merged at their mean (total kept)."""
    if not len(p):
        return p, w
    _, inverse = np.unique(np.round(np.log(p) / step).astype(np.int64), return_inverse=True)
    weight = np.bincount(inverse, w)
    return np.bincount(inverse, w * p) / weight, weight


def chance_combinations(ctx) -> dict | None:
    """Per class code, its ``Combinations`` (none where a column is continuous: see
    thresholds.py); None when they cannot be had cheaply (rows not in memory, and a column
    whose per-class counts no whole-data figure gives)."""
    checked = ctx.checked
    sizes = np.bincount(checked.y_codes, minlength=len(checked.classes))
    continuous = {code: Combinations.none(int(n)) for code, n in enumerate(sizes)}
    fractional = [c for c in checked.kinds.numeric if c not in checked.kinds.integer]
    if fractional and (not checked.in_memory or _looks_continuous(checked, fractional)):
        return continuous  # (a few fractional values, half-stars say, are counted below)
    columns = _counts_in_memory(checked) if checked.in_memory else _counts_from_facts(ctx)
    if columns is None:
        return None
    out = {code: Combinations(int(n)) for code, n in enumerate(sizes)}
    for n_values, counts in columns:
        if n_values > T.CONTINUOUS_DISTINCT_SHARE * checked.n_rows:
            return continuous
        for code, combinations in out.items():
            combinations.add(counts[code][counts[code] > 0])
        if all(c.negligible() for c in out.values()):
            break  # more columns only lower the shares (they split combinations further)
    return out


def _looks_continuous(checked, columns) -> bool:
    """Whether a fractional column has more distinct values than CONTINUOUS_DISTINCT_SHARE of
    its rows, judged on up to SAMPLE_ROWS evenly spaced rows (cheap; a column with a few
    values, ratings in half-stars, is then counted exactly)."""
    n = checked.n_rows
    rows = np.unique(np.linspace(0, n - 1, min(n, SAMPLE_ROWS)).astype(int)) if n else []
    values = checked.X[list(columns)].iloc[rows]
    return any(
        values[c].nunique(dropna=False) > T.CONTINUOUS_DISTINCT_SHARE * len(rows) for c in columns
    )


# Rows whose fractional values tell at a glance whether a column is continuous.
SAMPLE_ROWS = 2000


def _counts_in_memory(checked):
    """Per column of the chance model (a one-hot group is one), its number of distinct
    values and its value counts per class code; values compare as the row hashes do
    (a missing value is one value)."""
    y, n_classes = checked.y_codes, len(checked.classes)
    groups = checked.kinds.onehot_groups
    grouped = {c for group in groups for c in group}
    parts = [checked.X[name] for name in checked.kinds.used if name not in grouped]
    for part in parts + [checked.X[list(group)] for group in groups]:
        codes, uniques = pd.factorize(pd.util.hash_pandas_object(part, index=False).to_numpy())
        table = np.bincount(y * len(uniques) + codes, minlength=n_classes * len(uniques))
        yield len(uniques), table.reshape(n_classes, len(uniques))


def _counts_from_facts(ctx):
    """``_counts_in_memory`` for rows that stay on the workers (a dask frame), where every
    used column is categorical, 0/1 or boolean and one class is the largest: the minority
    rows are read in the distance space (fetched for the neighbour search anyway), the
    largest class's counts are the whole data's (``row_facts``) less theirs. None otherwise:
    the counts of other columns need another pass over the rows."""
    checked, space = ctx.checked, ctx.space
    facts, minority = checked.row_facts, checked.minority_codes
    if space.numeric or len(checked.classes) - len(minority) != 1:
        return None
    zero_one = {name: j for j, name in enumerate(space.zero_one)}
    missing = facts.n_rows - facts.zero_one_count
    groups = checked.kinds.onehot_groups
    if any(missing[zero_one[c]] for group in groups for c in group):
        return None
    scaled = {code: ctx.Z[ctx.rows_of(code)] for code in minority}
    largest = next(c for c in range(len(checked.classes)) if c not in minority)
    columns = []  # (whole-data counts, per class code: the level of each minority row)
    grouped = {c for group in groups for c in group}
    for name, j in zero_one.items():
        if name in grouped:
            continue
        ones = facts.zero_one_sum[j]
        pooled = np.array([facts.zero_one_count[j] - ones, ones, missing[j]])
        columns.append((pooled, {c: _zero_one_level(z[:, j]) for c, z in scaled.items()}))
    start = len(space.zero_one)
    for name in space.categorical:
        levels = space.levels[name]
        pooled = facts.level_counts[name].reindex(levels).to_numpy()
        block = slice(start, start + len(levels))
        columns.append((pooled, {c: np.argmax(z[:, block], axis=1) for c, z in scaled.items()}))
        start += len(levels)
    for group in groups:  # the member holding the 1, or none (the last level)
        members = [zero_one[c] for c in group]
        ones = facts.zero_one_sum[members]
        pooled = np.r_[ones, facts.n_rows - ones.sum()]
        level = {}
        for c, z in scaled.items():
            flags = z[:, members] == 1
            level[c] = np.where(flags.any(axis=1), np.argmax(flags, axis=1), len(members))
        columns.append((pooled, level))
    out = []
    for pooled, level in columns:
        counts = {c: np.bincount(level[c], minlength=len(pooled)) for c in minority}
        counts[largest] = np.asarray(pooled, dtype=np.int64) - sum(counts.values())
        out.append((int((pooled > 0).sum()), counts))
    return out


def _zero_one_level(values: np.ndarray) -> np.ndarray:
    """0, 1, or 2 (missing: the distance space puts it at the column's share of 1s)."""
    return np.where(values == 0, 0, np.where(values == 1, 1, 2))


def _share(value: float) -> str:
    """A share as a whole percentage, "<1%" for a small non-zero one."""
    return "<1%" if 0 < value < 0.005 else f"{value:.0%}"


def _duplicates_summary(ctx, e: dict, pair_class, n_minority_classes: int, computed=True) -> str:
    """One sentence: each figure named with what it is a share of, and how much of it the
    columns' few values give by chance."""
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
        chance = e["chance_duplicate_share"]
        if chance is not None and chance >= _SHOWN:
            expected = min(chance / e["duplicate_share"], 1.0)
            part = "all" if expected >= 1 - _SHOWN else f"{_share(expected)}"
            text += f"; columns with few values make {part} of them expected by chance"
    else:
        text = "No row repeats an earlier row of its class exactly"
    clauses = []
    if e["n_minority_duplicate_rows"]:
        clauses.append(
            f"{_share(e['minority_duplicate_share'])} of {minority} are copies"
            + _by_chance(e["chance_minority_duplicate_share"])
        )
    elif n_dup:
        clauses.append(f"none of {minority} is a copy")
    if pair_class is not None:
        of_class = e["by_class"][pair_class]
        clauses.append(
            f"{_share(of_class['zero_distance_pair_share'])} of plain SMOTE's neighbour pairs in "
            f"class {pair_class!r} "
            + (
                "join a row to its copy"
                if of_class["n_duplicate_rows"]
                else "join two rows at distance zero"
            )
            + _by_chance(of_class["chance_zero_distance_pair_share"])
        )
    if clauses:
        text += "; " + ", and ".join(clauses)
    if n_conflicts:
        text += (
            f"; {plural(n_conflicts, 'row shares its', 'rows share their')} features with a row "
            "of another class"
        )
    if not computed and (n_dup or pair_class is not None):
        text += (
            "; the copies expected by chance were not estimated (a dask frame's per-class "
            "value counts need another pass over its rows)"
        )
    return text + "."


# Chance shares below this (shown as "<1%") are left out of the sentence.
_SHOWN = 0.005


def _by_chance(chance) -> str:
    return (
        f" ({_share(chance)} expected by chance)" if chance is not None and chance >= _SHOWN else ""
    )
