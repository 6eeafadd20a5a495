"""The report's tables of rows and columns: the suspect rows with their values, and a
per-class look at every feature column, as a data-quality report gives them.

They read what the diagnosis already computed (the causes per row, the shared neighbour
pass, the row hashes). Counts (rows, missing values, copies) are of every row; the
quantiles and most frequent values of a class larger than PROFILE_ROWS_PER_CLASS are read
from a random sample of it, and the report's notes say so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._validation import plain_value

# Rows of each class read for the quantiles: a quantile of 5,000 rows sits within about
# 1.4% of the class's rows (two binomial standard errors, 2 * sqrt(0.25 / 5000)) of the
# whole class's, finer than the table's rounding.
PROFILE_ROWS_PER_CLASS = 5000
# Feature values shown per suspect row: every column up to this many, else the columns
# that tell the classes apart most (the profile's "difference").
SUSPECT_COLUMNS_SHOWN = 12
# The causes a suspect table lists, in this order (``noise.CAUSES``; rows of the other
# causes, overlap and safe, are not suspects).
SUSPECT_CAUSES = ("label_noise", "outlier", "rare")
# The suspect table's own fields; a feature of the same name is shown as "NAME (value)".
SUSPECT_FIELDS = ("row", "class", "cause", "reason", "p_label_wrong", "nearest_classes")
PROFILE_COLUMNS = [
    "column", "kind", "difference", "class", "n_missing", "n_rows_read",
    "q25", "median", "q75", "top", "top_share", "n_levels",
]  # fmt: skip


def profile_note(ctx) -> str | None:
    """The note for the report when a class's quantiles were read from a sample."""
    large = [
        ctx.label(c)
        for c in range(len(ctx.checked.classes))
        if ctx.n_rows_of(c) > PROFILE_ROWS_PER_CLASS
    ]
    if not large:
        return None
    return (
        f"The columns-by-class quantiles and most frequent values of classes with more than "
        f"{PROFILE_ROWS_PER_CLASS:,} rows ({', '.join(map(repr, large))}) were read from a "
        f"random sample of {PROFILE_ROWS_PER_CLASS:,} of their rows; the counts are of every row."
    )


def column_profile(ctx) -> pd.DataFrame:
    """One row per used feature column and class: the column's kind; how much it tells a
    minority class from the majority (0-1: the Kolmogorov-Smirnov statistic for numbers,
    the total variation distance for categories, the largest over minority classes); the
    class's missing (or infinite) values, of every row; and its distribution (numbers:
    quartiles and median; categories: the most frequent value, its share and the number of
    values) in the rows read. Columns by difference, largest first."""
    checked = ctx.checked
    kinds = checked.kinds
    used = list(kinds.used)
    missing = checked.missing_cells
    rows = ctx.capped_rows("profile", PROFILE_ROWS_PER_CLASS)
    frame = checked.feature_rows(used, rows)
    codes = checked.y_codes[rows]
    n_classes = len(checked.classes)
    missing_by_class = np.stack(
        [missing[checked.y_codes == code].sum(axis=0) for code in range(n_classes)]
    )
    records = []
    for j, column in enumerate(used):
        values = frame[column]
        numeric = column not in kinds.categorical and column not in kinds.boolean
        difference = max(
            (
                _difference(values[codes == 0], values[codes == code], numeric)
                for code in checked.minority_codes
            ),
            default=0.0,
        )
        for code, label in enumerate(checked.classes):
            part = values[codes == code]
            records.append(
                {
                    "column": column,
                    "kind": _kind(column, kinds),
                    "difference": difference,
                    "class": plain_value(label),
                    "n_missing": int(missing_by_class[code, j]),
                    "n_rows_read": int(len(part)),
                    **_describe(part, numeric),
                }
            )
    table = pd.DataFrame(records, columns=PROFILE_COLUMNS)
    order = table.groupby("column", sort=False)["difference"].first()
    order = order.sort_values(ascending=False, kind="stable").index
    table["column"] = pd.Categorical(table["column"], categories=list(order), ordered=True)
    table = table.sort_values("column", kind="stable").reset_index(drop=True)
    table["column"] = table["column"].astype(object)
    return table


def _kind(column, kinds) -> str:
    if column in kinds.categorical:
        return "category"
    if column in kinds.boolean:
        return "boolean"
    if column in kinds.binary:
        return "0/1"
    if column in kinds.integer:
        return "integer"
    return "number"


def _describe(part: pd.Series, numeric: bool) -> dict:
    present = part.dropna()
    if numeric:
        values = pd.to_numeric(present, errors="coerce").astype(float).to_numpy()
        values = values[np.isfinite(values)]
        if len(values):
            q25, median, q75 = np.quantile(values, [0.25, 0.5, 0.75])
            return {"q25": q25, "median": median, "q75": q75}
    elif len(present):
        counts = present.astype(str).value_counts()
        return {
            "top": counts.index[0],
            "top_share": float(counts.iloc[0] / len(present)),
            "n_levels": int(len(counts)),
        }
    return {}


def _difference(majority: pd.Series, minority: pd.Series, numeric: bool) -> float:
    """0 (same distribution) to 1 (apart): KS statistic, or total variation distance."""
    a, b = majority.dropna(), minority.dropna()
    if not len(a) or not len(b):
        return 0.0
    if numeric:
        a = np.sort(pd.to_numeric(a, errors="coerce").astype(float).to_numpy())
        b = np.sort(pd.to_numeric(b, errors="coerce").astype(float).to_numpy())
        grid = np.concatenate([a, b])
        cdf_a = np.searchsorted(a, grid, side="right") / len(a)
        cdf_b = np.searchsorted(b, grid, side="right") / len(b)
        return float(np.max(np.abs(cdf_a - cdf_b)))
    pa = a.astype(str).value_counts(normalize=True)
    pb = b.astype(str).value_counts(normalize=True)
    return float(0.5 * pa.sub(pb, fill_value=0.0).abs().sum())


def class_overview(ctx) -> pd.DataFrame:
    """Per class, of every row: rows, rows repeating an earlier row of the class exactly,
    rows whose features repeat with another label, rows with a missing (or infinite)
    value."""
    checked = ctx.checked
    copies, conflicts = ctx.exact_copies(), ctx.label_conflicts()
    missing = checked.missing_cells.any(axis=1)
    records = []
    for code, label in enumerate(checked.classes):
        mine = checked.y_codes == code
        records.append(
            {
                "class": plain_value(label),
                "n_rows": int(mine.sum()),
                "n_duplicate_rows": int(copies[mine].sum()),
                "n_conflicting_rows": int(conflicts[mine].sum()),
                "n_rows_missing": int(missing[mine].sum()),
            }
        )
    return pd.DataFrame(records)


def suspect_table(ctx, class_findings: dict, profile: pd.DataFrame) -> pd.DataFrame:
    """Every label-noise, outlier and rare row of each minority class, one row each: its
    row (index label or position), class, cause (``SUSPECT_CAUSES``), the reason, the
    probability that its label is wrong (None where label noise is not judged), its nearest
    rows' classes, then its values in the columns that matter (every column up to
    SUSPECT_COLUMNS_SHOWN, else those that tell the classes apart most)."""
    checked = ctx.checked
    used = list(checked.kinds.used)
    ranked = list(dict.fromkeys(profile["column"]))
    shown = used if len(used) <= SUSPECT_COLUMNS_SHOWN else ranked[:SUSPECT_COLUMNS_SHOWN]
    n_classes = len(checked.classes)
    parts = []
    for code in checked.minority_codes:
        rows = ctx.rows_of(code)
        causes = ctx.causes(code)
        finding = class_findings[ctx.label(code)].get("noise")
        reasons = _reasons(ctx, code, causes, finding)
        _, idx = ctx.graph.row_neighbours(code)
        judged = finding is None or finding.evidence.get("label_noise_judged", True)
        wrong = ctx.label_noise(code).wrong_probability
        for cause in SUSPECT_CAUSES:
            local = np.flatnonzero(causes == cause)
            if not len(local):
                continue
            # each row's nearest rows counted per class, in one pass
            near = checked.y_codes[idx[local]]
            counts = np.zeros((len(local), n_classes), dtype=int)
            np.add.at(counts, (np.repeat(np.arange(len(local)), near.shape[1]), near.ravel()), 1)
            parts.append(
                pd.DataFrame(
                    {
                        "position": rows[local],
                        "class": [plain_value(ctx.label(code))] * len(local),
                        "cause": cause,
                        "reason": [reasons[i] for i in local],
                        "p_label_wrong": (
                            wrong[local].astype(float)
                            if judged and len(wrong) == len(rows)
                            else [None] * len(local)
                        ),
                        "nearest_classes": [_nearest(c, checked.classes) for c in counts],
                    }
                )
            )
    if not parts:
        return pd.DataFrame(columns=[*SUSPECT_FIELDS, *map(_value_name, shown)])
    table = pd.concat(parts, ignore_index=True)
    positions = table.pop("position").to_numpy()
    table.insert(0, "row", list(ctx.row_labels(positions)))
    values = checked.feature_rows(shown, positions)
    values.columns = [_value_name(c) for c in shown]
    return pd.concat([table, values], axis=1)


def _value_name(column):
    """A feature's column in the suspect table: its name, unless a field has it."""
    return f"{column} (value)" if column in SUSPECT_FIELDS else column


def _nearest(counts: np.ndarray, classes) -> str:
    """'normal ×4, fault ×1': a row's nearest rows per class, most first."""
    order = np.argsort(-counts, kind="stable")
    return ", ".join(f"{classes[c]} ×{counts[c]}" for c in order if counts[c])


def _reasons(ctx, code, causes, finding) -> list:
    """A reason per row of the class: the noise finding's for its label-noise rows and
    outliers (the same words, the cause's name dropped: the table has it), the typology's
    for rare rows."""
    reasons = [""] * len(causes)
    evidence = finding.evidence if finding is not None else {}
    for cause, key in (("label_noise", "row_reasons"), ("outlier", "outlier_reasons")):
        for i, why in zip(np.flatnonzero(causes == cause), evidence.get(key, [])):
            reasons[i] = why.removeprefix(f"{cause}: ")
    typology = ctx.typology(code)
    whole = np.floor(typology.same_class + 0.5).astype(int)  # the typology's own count
    for i in np.flatnonzero(causes == "rare"):
        n = whole[i]
        reasons[i] = (
            f"{n} of its {typology.k} nearest rows {'shares' if n == 1 else 'share'} its "
            "class, and that row is rare or an outlier too: a small sub-concept, kept and "
            "oversampled inside its group"
        )
    return reasons
