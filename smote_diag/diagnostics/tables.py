"""The report's tables of rows and columns: the suspect rows with their values, and a
per-class look at every feature column, as a data-quality report gives them.

Both read what the diagnosis already computed (the causes per row, the shared neighbour
pass, the row hashes); the per-class quantiles read a fixed random sample of each large
class (PROFILE_ROWS_PER_CLASS), which the table's note states.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._validation import plain_value

# Rows of each class read for the column profile: quantiles of 5,000 rows are within about
# 1.4% of the class's rows' ranks of the whole class's quantiles (a binomial standard
# error sqrt(p(1-p)/n) at p = 0.5), finer than the table's rounding.
PROFILE_ROWS_PER_CLASS = 5000
# Feature values shown per suspect row: every column up to this many, else the columns
# that tell the classes apart most (the profile's "difference" column).
SUSPECT_COLUMNS_SHOWN = 12
# The causes a suspect table lists, in this order (rows of other causes are not suspects).
SUSPECT_CAUSES = ("label_noise", "outlier", "rare")
CAUSE_WORDS = {
    "label_noise": "label noise (suspect)",
    "outlier": "outlier (inspect)",
    "rare": "rare case (kept)",
}


def profile_rows(ctx) -> tuple[np.ndarray, bool]:
    """Positions read for the column profile (every row of classes up to
    PROFILE_ROWS_PER_CLASS, a random sample of larger ones), and whether any was sampled."""
    rng = ctx.rng("profile")
    keep, sampled = [], False
    for code in range(len(ctx.checked.classes)):
        rows = ctx.rows_of(code)
        if len(rows) > PROFILE_ROWS_PER_CLASS:
            rows = np.sort(rng.choice(rows, PROFILE_ROWS_PER_CLASS, replace=False))
            sampled = True
        keep.append(rows)
    return np.sort(np.concatenate(keep)), sampled


def column_profile(ctx) -> tuple[pd.DataFrame, str]:
    """Per used feature column and class: the distribution (numbers: median and quartiles;
    categories: the most frequent level and its share), missing values, and how much the
    column tells each minority class from the majority (0-1: the Kolmogorov-Smirnov
    statistic for numbers, the total variation distance for categories), largest first.
    Also a note saying which rows were read."""
    checked = ctx.checked
    kinds = checked.kinds
    rows, sampled = profile_rows(ctx)
    frame = checked.feature_rows(list(kinds.used), rows)
    codes = checked.y_codes[rows]
    records = []
    for column in kinds.used:
        values = frame[column]
        numeric = column not in kinds.categorical and column not in kinds.boolean
        per_class = [
            {"class": plain_value(label), **_describe(values[codes == code], numeric)}
            for code, label in enumerate(checked.classes)
        ]
        difference = max(
            (
                _difference(values[codes == 0], values[codes == code], numeric)
                for code in checked.minority_codes
            ),
            default=0.0,
        )
        records.append(
            {
                "column": column,
                "kind": _kind(column, kinds),
                "difference": difference,
                "by_class": per_class,
            }
        )
    table = pd.DataFrame(records, columns=["column", "kind", "difference", "by_class"])
    table = table.sort_values("difference", ascending=False, kind="stable").reset_index(drop=True)
    note = (
        f"Read from a random sample of at most {PROFILE_ROWS_PER_CLASS:,} rows per class."
        if sampled
        else "Read from every row."
    )
    return table, note


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
    n_missing = int(part.isna().sum())
    present = part.dropna()
    out = {"n_rows": len(part), "n_missing": n_missing}
    if numeric:
        values = pd.to_numeric(present, errors="coerce").astype(float)
        values = values[np.isfinite(values)]
        if len(values):
            q = np.quantile(values, [0.0, 0.25, 0.5, 0.75, 1.0])
            out.update({"min": q[0], "q25": q[1], "median": q[2], "q75": q[3], "max": q[4]})
    elif len(present):
        counts = present.astype(str).value_counts()
        out.update(
            {
                "top": counts.index[0],
                "top_share": float(counts.iloc[0] / len(present)),
                "n_levels": int(len(counts)),
            }
        )
    return out


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
    """Per class: rows, rows repeating an earlier row of the class exactly, rows whose
    features repeat with another label, and rows with a missing value (in the profile's
    rows)."""
    checked = ctx.checked
    hashes = pd.DataFrame({"h": ctx.row_hashes(), "y": checked.y_codes})
    exact = hashes.duplicated(keep="first").to_numpy()
    conflicts = ctx.label_conflicts()
    rows, _ = profile_rows(ctx)
    missing = checked.feature_rows(list(checked.kinds.used), rows).isna().any(axis=1).to_numpy()
    read = checked.y_codes[rows]
    records = []
    for code, label in enumerate(checked.classes):
        mine = checked.y_codes == code
        records.append(
            {
                "class": plain_value(label),
                "n_rows": int(mine.sum()),
                "n_duplicate_rows": int(exact[mine].sum()),
                "n_conflicting_rows": int(conflicts[mine].sum()),
                "missing_row_share": float(missing[read == code].mean()) if mine.any() else 0.0,
            }
        )
    return pd.DataFrame(records)


def suspect_table(ctx, class_findings: dict, profile: pd.DataFrame) -> pd.DataFrame:
    """Every label-noise, outlier and rare row of each minority class, one row each: its
    row (index label or position), class, cause, the reason, the probability that its
    label is wrong, its nearest rows' classes, then its values in the columns that matter
    (all up to SUSPECT_COLUMNS_SHOWN, else those that tell the classes apart most)."""
    checked = ctx.checked
    used = list(checked.kinds.used)
    shown = (
        used
        if len(used) <= SUSPECT_COLUMNS_SHOWN
        else list(profile["column"])[:SUSPECT_COLUMNS_SHOWN]
    )
    parts = []
    for code in checked.minority_codes:
        label = ctx.label(code)
        rows = ctx.rows_of(code)
        causes = ctx.causes(code)
        finding = class_findings[label].get("noise")
        reasons = _reasons(ctx, code, causes, finding)
        _, idx = ctx.graph.row_neighbours(code)
        wrong = ctx.label_noise(code).wrong_probability
        for cause in SUSPECT_CAUSES:
            local = np.flatnonzero(causes == cause)
            for i in local:
                near = pd.Series(checked.y_codes[idx[i]]).value_counts(sort=False)
                parts.append(
                    {
                        "position": rows[i],
                        "class": plain_value(label),
                        "cause": CAUSE_WORDS[cause],
                        "reason": reasons[i],
                        "p_label_wrong": float(wrong[i]) if len(wrong) == len(rows) else None,
                        "nearest_classes": ", ".join(
                            f"{checked.classes[c]} ×{n}" for c, n in near.items()
                        ),
                    }
                )
    columns = ["row", "class", "cause", "reason", "p_label_wrong", "nearest_classes"]
    if not parts:
        return pd.DataFrame(columns=columns + shown)
    table = pd.DataFrame(parts)
    positions = table.pop("position").to_numpy()
    table.insert(0, "row", list(ctx.row_labels(positions)))
    values = checked.feature_rows(shown, positions).reset_index(drop=True)
    return pd.concat([table, values], axis=1)


def _reasons(ctx, code, causes, finding) -> list:
    """A reason per row of the class: the noise finding's for its label-noise rows and
    outliers (the same words), the typology's for rare rows."""
    reasons = [""] * len(causes)
    evidence = finding.evidence if finding is not None else {}
    for cause, key in (("label_noise", "row_reasons"), ("outlier", "outlier_reasons")):
        for i, why in zip(np.flatnonzero(causes == cause), evidence.get(key, [])):
            reasons[i] = why.removeprefix(f"{cause}: ")  # the table names the cause
    typology = ctx.typology(code)
    for i in np.flatnonzero(causes == "rare"):
        n = int(round(typology.same_class[i]))
        reasons[i] = (
            f"{n} of its {typology.k} nearest rows {'shares' if n == 1 else 'share'} its "
            "class, and that row is rare or an outlier too: a small sub-concept, kept and "
            "oversampled inside its group"
        )
    return reasons
