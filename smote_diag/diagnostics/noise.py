"""Noise: minority rows that are outliers among other classes, isolated from their own
class, or exact copies of rows that carry another label."""

from __future__ import annotations

import numpy as np

from . import Finding, grade, plural, register
from . import thresholds as T

REASONS = ("outlier", "isolated_pair", "isolated", "label_conflict")


def noise_reasons(ctx, code: int) -> dict[str, np.ndarray]:
    """Boolean mask per reason over the class's rows (position order)."""
    rows = ctx.rows_of(code)
    typology = ctx.typology(code)
    outlier = typology.types == "outlier"
    pair = _isolated_pairs(ctx, code, typology)
    isolated = np.zeros(len(rows), dtype=bool)
    dist, _ = ctx.within(code)
    if len(rows) >= T.ISOLATION_MIN_ROWS and dist.size:
        nearest = dist[:, 0]
        positive = nearest > 0  # exact copies are never isolated
        if positive.sum() >= T.ISOLATION_MIN_ROWS:
            log_nearest = np.log(nearest[positive])
            q1, q3 = np.percentile(log_nearest, [25, 75])
            isolated[positive] = log_nearest > q3 + T.ISOLATION_IQR_FACTOR * (q3 - q1)
    conflict = ctx.label_conflicts()[rows]
    return {
        "outlier": outlier,
        "isolated_pair": pair,
        "isolated": isolated,
        "label_conflict": conflict,
    }


def _isolated_pairs(ctx, code: int, typology) -> np.ndarray:
    """Rare rows whose one neighbour of their class is itself rare or an outlier: two rows of
    the class alone together among other classes (two mislabelled rows that happen to be
    neighbours look exactly like this)."""
    rare = np.flatnonzero(typology.types == "rare")
    pair = np.zeros(len(typology.types), dtype=bool)
    _, nearest = ctx.graph.within_class(code, 1)  # each row's nearest classmate
    if not len(rare) or not nearest.size:
        return pair
    mate_type = typology.types[nearest[rare, 0]]
    pair[rare] = np.isin(mate_type, ("rare", "outlier"))
    return pair


@register("noise")
def diagnose_noise(ctx, code: int) -> Finding:
    """Suspect rows of one minority class, and why each was flagged."""
    rows = ctx.rows_of(code)
    reasons = ctx.noise(code)
    flagged = np.logical_or.reduce(list(reasons.values()))
    n_class = len(rows)
    share = float(flagged.mean()) if n_class else 0.0
    evidence = {
        "n_noise": int(flagged.sum()),
        "noise_share": share,
        **{f"n_{reason}": int(mask.sum()) for reason, mask in reasons.items()},
        "rule": (
            "outlier: none of its 5 nearest rows share its class (Napierala & Stefanowski); "
            "isolated_pair: one does, and that row is itself rare or an outlier; "
            "isolated: log distance to its nearest class row beyond Q3 + "
            f"{T.ISOLATION_IQR_FACTOR:g} IQR of those log distances (Tukey's far-out fence, "
            "classes "
            f"of {T.ISOLATION_MIN_ROWS}+ rows); label_conflict: an exact copy of its features "
            "carries another label"
        ),
    }
    label = ctx.label(code)
    severity = grade(share, T.NOISE_WARN_SHARE, T.NOISE_SEVERE_SHARE)
    counts = ", ".join(
        f"{int(mask.sum())} {reason.replace('_', ' ')}"
        for reason, mask in reasons.items()
        if mask.any()
    )
    if not flagged.any():
        summary = f"No row of class {label!r} looks like noise."
    elif share >= T.NOISE_IS_OVERLAP_SHARE:
        summary = (
            f"{share:.0%} of class {label!r} ({counts}) sits among other classes: this is "
            "overlap more than isolated noise (see overlap)."
        )
    else:
        summary = (
            f"{plural(int(flagged.sum()), 'row')} of class {label!r} ({share:.1%}) look like noise "
            f"({counts}); plain SMOTE would seed synthetic points from them."
        )
    # why each suspect row was flagged, aligned with ``rows``
    evidence["row_reasons"] = [
        ", ".join(reason for reason, mask in reasons.items() if mask[i])
        for i in np.flatnonzero(flagged)
    ]
    return Finding(
        "noise",
        severity,
        summary,
        evidence,
        rows=ctx.row_labels(rows[flagged]),
        minority_class=label,
    )
