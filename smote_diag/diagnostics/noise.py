"""Noise: minority rows whose label is unlikely where they sit (label noise), told apart from
the other reasons a row sits among other classes.

Every row of a minority class has one cause, in this order:

- ``label_noise``: its label is likely wrong under the label-noise mixture
  (``label_noise.py``: the set of rows of highest expected F1 at the wrong labels): the
  class's own density does not reach where it sits; or an exact
  copy of its features carries another label where the other classes are denser;
- ``outlier``: far from every other row of its class (its log distance to the nearest one
  beyond Tukey's far-out fence of those distances in the class), or alone among other
  classes (no classmate among its 5 nearest rows: Napierala & Stefanowski's outlier) in a
  class that does not overlap the others (where it does, such rows are overlap);
- ``rare``: one of a pair or triple of the class alone among other classes (Napierala &
  Stefanowski's rare type: one of its 5 nearest rows shares its class, and that row is not
  safe or borderline itself; their second-level rule makes a rare row whose classmate is
  safe or borderline a borderline one), forming a group of its own (a small disjunct cut
  off by majority territory): correctly labelled, to keep;
- ``overlap``: among other classes where the class genuinely lives (borderline, or rows
  with no classmate among their 5 nearest that are not label noise): overlap's finding;
- ``safe``: the rest.

The finding lists the label-noise rows and is graded on their share, by its one-sided 95%
lower confidence bound (Wilson), so that one row of a 20-row class is not "5% noise"; the
outliers and rare rows are reported beside them, never as noise.
"""

from __future__ import annotations

import numpy as np

from . import thresholds as T
from ._registry import Finding, grade, plural, register

CAUSES = ("label_noise", "outlier", "rare", "overlap", "safe")


def row_causes(ctx, code: int) -> np.ndarray:
    """One cause per row of the class (position order), from ``CAUSES``."""
    types = ctx.typology(code).types
    label_noise = ctx.label_noise_mask(code)
    # Napierala & Stefanowski's outliers (no classmate among the 5 nearest rows) are overlap
    # where the class overlaps the others (their share of such rows is what mixing makes)
    # Where neighbours are the wrong lens, distances to other rows say nothing of a row.
    local = not ctx.locality(code).wrong_lens
    alone = (types == "outlier") & (ctx.overlap_severity(code) == "ok")
    outlier = (_far_from_class(ctx, code) | alone) & ~label_noise & local
    rare = _rare(ctx, code, types) & ~label_noise & ~outlier & local
    overlap = np.isin(types, ("borderline", "rare", "outlier")) & ~(label_noise | outlier | rare)
    return np.select(
        [label_noise, outlier, rare, overlap],
        ["label_noise", "outlier", "rare", "overlap"],
        default="safe",
    )


def label_noise_rows(ctx, code: int) -> np.ndarray:
    """The class's rows whose label is likely wrong (``label_noise.LabelNoise.flagged``),
    and those an exact copy of which carries another label where the other classes are
    denser than the row's own (the copy's label is the likely one)."""
    noise = ctx.label_noise(code)
    conflict = ctx.label_conflicts()[ctx.rows_of(code)] & (noise.density_ratio < 1)
    if not_judged_because(ctx, code):
        return conflict
    return noise.flagged | conflict


def not_judged_because(ctx, code: int) -> str | None:
    """Why wrong labels cannot be told from genuine rows here (a clause), or None.

    - Neighbours are the wrong lens (``locality.py``): where the class sits is decided by
      rules on the columns, not by nearness, and a row alone among other classes says
      nothing about its label.
    - The estimated noise rate reaches LABEL_NOISE_MAX_RATE: the model would take most of
      the class's labels for wrong, which says it found no region of the class's own.
    - Severe overlap, still severe without the rows suspected of a wrong label: a
      mislabelled row is distributed as the other classes are; where the class's own rows
      are distributed nearly so too, any noise rate explains the labels about as well
      (the mixture proportion is identified only when the class's distribution is not
      itself a mixture containing the others': irreducibility, Scott, AISTATS 2015). The
      rows among other classes are overlap there.

    (Checked in this order; the first reason that holds is the one the summary gives.)"""
    if ctx.locality(code).wrong_lens:
        return (
            "its nearest rows do not tell its class where tests on single columns do "
            "(neighbours are the wrong lens here)"
        )
    if ctx.label_noise(code).noise_rate >= T.LABEL_NOISE_MAX_RATE:
        return (
            "the label-noise model finds no region of its own for it (it would take most of "
            "its labels for wrong, and a class whose labels are mostly wrong is not defined "
            "by them)"
        )
    if ctx.overlap_severity(code) == "severe" and _overlaps_without_suspects(ctx, code):
        return (
            "it overlaps the other classes severely even without its likeliest wrong labels, "
            "so that a wrong label and a genuine row look alike (the noise rate is not "
            "identified)"
        )
    return None


def _overlaps_without_suspects(ctx, code: int) -> bool:
    """Whether the class still overlaps severely once its rows suspected of a wrong label
    are set aside: wrong labels make a class overlap (they are rows of the others), but
    setting them aside separates it again; a class whose own rows are mixed with the others
    stays mixed. Where the EM did not settle on a noise rate (the likelihood is flat in it,
    as for a class distributed as the others are), the rate is not identified either."""
    from .overlap import balanced_purity, beyond_chance

    noise = ctx.label_noise(code)
    rows = ctx.rows_of(code)[~noise.flagged]
    # an EM that never settled found no one noise rate: the likelihood is flat in it
    if len(rows) < 2 or noise.n_iterations >= T.LABEL_NOISE_MAX_ITERATIONS:
        return True
    kappa = beyond_chance(*balanced_purity(ctx, code, rows=rows))
    return kappa <= T.OVERLAP_SEVERE_KAPPA


def _far_from_class(ctx, code: int) -> np.ndarray:
    """Rows whose log distance to the nearest other row of the class lies beyond Q3 +
    ISOLATION_IQR_FACTOR x IQR of those log distances (exact copies are never far)."""
    dist, _ = ctx.within(code)
    far = np.zeros(ctx.n_rows_of(code), dtype=bool)
    if ctx.n_rows_of(code) < T.ISOLATION_MIN_ROWS or not dist.size:
        return far
    nearest = dist[:, 0]
    positive = nearest > 0
    if positive.sum() >= T.ISOLATION_MIN_ROWS:
        log_nearest = np.log(nearest[positive])
        q1, q3 = np.percentile(log_nearest, [25, 75])
        far[positive] = log_nearest > q3 + T.ISOLATION_IQR_FACTOR * (q3 - q1)
    return far


def _rare(ctx, code: int, types: np.ndarray) -> np.ndarray:
    """Rare rows after Napierala & Stefanowski's second level (the rare rows whose nearest
    classmate is rare or an outlier too, so that the two or three stand alone together),
    kept only where they form a small disjunct: a group of at most RARE_MAX_ROWS rows of
    their own, cut off from the rest of the class by majority territory. Where the classes
    overlap, such pairs occur by chance inside one group; they are overlap there."""
    rare = types == "rare"
    _, nearest = ctx.graph.within_class(code, 1)
    if not rare.any() or not nearest.size:
        return rare
    mate = types[nearest[:, 0]]
    groups = ctx.groups(code)
    sizes = np.bincount(groups.labels[groups.labels >= 0], minlength=1)
    size = np.where(groups.labels >= 0, sizes[np.maximum(groups.labels, 0)], 1)
    return rare & np.isin(mate, ("rare", "outlier")) & (size <= T.RARE_MAX_ROWS)


def noise_severity(ctx, code: int) -> str:
    """The grade of the class's label-noise share, by its one-sided 95% lower bound."""
    flagged = ctx.label_noise_mask(code)
    return grade(
        wilson_lower(int(flagged.sum()), len(flagged)), T.NOISE_WARN_SHARE, T.NOISE_SEVERE_SHARE
    )


def wilson_lower(successes: int, n: int, z: float = T.NOISE_SHARE_Z) -> float:
    """One-sided lower confidence bound of a binomial share (Wilson, JASA 22:209-212, 1927);
    0 for an empty class."""
    if not n:
        return 0.0
    p = successes / n
    centre = p + z * z / (2 * n)
    spread = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return float(max(0.0, (centre - spread) / (1 + z * z / n)))


@register("noise")
def diagnose_noise(ctx, code: int) -> Finding:
    """Label-noise rows of one minority class, with the outliers and rare rows beside them."""
    rows = ctx.rows_of(code)
    causes = ctx.causes(code)
    noise = ctx.label_noise(code)
    flagged = causes == "label_noise"
    n_class = len(rows)
    share = float(flagged.mean()) if n_class else 0.0
    label = ctx.label(code)
    same = ctx.typology(code).same_class
    evidence = {
        "n_noise": int(flagged.sum()),
        "noise_share": share,
        "noise_rate": noise.noise_rate,
        **{f"n_{cause}": int(np.sum(causes == cause)) for cause in CAUSES[1:]},
        "outlier_rows": list(ctx.row_labels(rows[causes == "outlier"])),
        "rare_rows": list(ctx.row_labels(rows[causes == "rare"])),
        "n_label_noise_fit_rows": noise.n_fit_rows,
        "n_label_noise_iterations": noise.n_iterations,
        "label_noise_model_fitted": noise.n_fit_rows > 0,
        "rule": (
            "label noise: the rows of highest expected F1 at the wrong labels, from each "
            "row's probability of a wrong label under a label-flip mixture (genuine rows of "
            "the class, and rows of the other classes given its label), fitted by EM with a "
            "logistic model on the distance space and out-of-sample odds (approximate "
            "leave-one-out), or an exact copy of its features carries another label where "
            "the other classes are denser; outlier: none of its 5 nearest rows shares its "
            "class while the class's overlap is ok, or log distance to its nearest class row "
            f"beyond Q3 + {T.ISOLATION_IQR_FACTOR:g} IQR (Tukey's far-out fence); rare: one of "
            "its 5 nearest rows shares its class and that row is rare or an outlier too "
            f"(Napierala & Stefanowski), in a group of at most {T.RARE_MAX_ROWS} rows; graded "
            "on the label-noise share's one-sided 95% lower bound (Wilson)"
        ),
    }
    unjudged = not_judged_because(ctx, code)
    evidence["label_noise_judged"] = unjudged is None and noise.n_fit_rows > 0
    if not evidence["label_noise_judged"]:
        evidence["noise_rate"] = None  # not identified: no figure to show
    evidence["noise_share_lower"] = wilson_lower(int(flagged.sum()), n_class)
    severity = ctx.noise_severity(code)
    beside = ", ".join(
        plural(evidence[f"n_{cause}"], f"{cause} row")
        for cause in ("outlier", "rare")
        if evidence[f"n_{cause}"]
    )
    beside = (
        f" Not label noise: {beside} (plain SMOTE would seed synthetic points from the "
        "outliers too; inspect them)."
        if evidence["n_outlier"]
        else f" Not label noise: {beside}."
        if beside
        else ""
    )
    if not noise.n_fit_rows:
        summary = (
            f"Class {label!r} has too few rows ({n_class}) to tell mislabelled rows from its "
            f"shape (at least {T.LABEL_NOISE_MIN_ROWS}).{beside}"
        )
    elif unjudged:
        summary = f"Label noise is not judged for class {label!r}: {unjudged}.{beside}"
        if flagged.any():
            summary += (
                f" {plural(int(flagged.sum()), 'row')} of it "
                f"{'has' if flagged.sum() == 1 else 'have'} an exact copy with another "
                "label where the other classes are denser."
            )
    elif not flagged.any():
        summary = f"No row of class {label!r} looks mislabelled.{beside}"
    else:
        summary = (
            f"{plural(int(flagged.sum()), 'row')} of class {label!r} ({share:.1%}; at least "
            f"{evidence['noise_share_lower']:.1%} at 95% confidence) "
            f"{'is' if flagged.sum() == 1 else 'are'} the likeliest to "
            "carry a wrong label (the class's own rows reach there less than the others do; "
            f"estimated label-noise rate {noise.noise_rate:.1%}); plain SMOTE would seed "
            f"synthetic points from {'it' if flagged.sum() == 1 else 'them'}.{beside}"
        )
    types = ctx.typology(code).types
    evidence["outlier_reasons"] = [
        f"outlier: none of its {ctx.typology(code).k} nearest rows shares its class"
        if types[i] == "outlier"
        else "outlier: far from every other row of its class"
        for i in np.flatnonzero(causes == "outlier")
    ]
    conflicts = ctx.label_conflicts()[rows]
    evidence["row_reasons"] = [
        f"label_noise: P(label wrong) {noise.wrong_probability[i]:.2f}"
        + (", an exact copy carries another label" if conflicts[i] else "")
        + f", {same[i]:g} of its {ctx.typology(code).k} nearest rows share its class"
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
