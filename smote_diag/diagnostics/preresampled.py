"""SMOTE's fingerprint: data that was already oversampled before it reached us.

A SMOTE row is ``a + g * (b - a)`` for two real minority rows a, b and a gap g in [0, 1): it
lies exactly on the segment between them. Random oversampling leaves exact copies instead.
Either way, cross-validating on such data leaks: copies and interpolants of a test row sit in
the training folds.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

from .._neighbours import fitted_index, thread_limit
from . import thresholds as T
from ._registry import Finding, grade, plural, register, worst

_BLOCK_ROWS = 1024  # rows tested at once (bounds memory to block x pairs x dims)


def on_segment_share(
    points: np.ndarray, round_off: np.ndarray, n_jobs=None
) -> tuple[np.ndarray, int]:
    """Which rows lie strictly between two of their FINGERPRINT_NEIGHBOURS nearest other rows:
    off the segment by at most SEGMENT_TOLERANCE of its length plus the columns' storage
    round-off (``round_off``, per column, in the units of ``points``).

    Collinearity is only evidence where it is unlikely by chance: the segment must move in
    at least two columns (along one axis, rows that agree in every other column are always
    collinear, as in zero-inflated data), and the row's neighbours must span at least two
    directions (where they lie on one line, as when two columns measure the same thing or the
    rows are blends of two recipes, every row is between two others). Exact copies are not
    neighbours here: they are random oversampling's fingerprint. Returns the mask and the
    number of rows tested; the neighbour search runs on ``n_jobs`` threads (as diagnose's)."""
    n = len(points)
    m = min(T.FINGERPRINT_NEIGHBOURS, n - 1)
    if m < 2:
        return np.zeros(n, dtype=bool), 0
    with thread_limit(n_jobs):
        dist, idx = fitted_index(points).kneighbors(points, m + 1)
    dist, idx = dist[:, 1:], idx[:, 1:]
    pairs = np.array(list(combinations(range(m), 2)))
    slack = float(np.sum(round_off**2))
    found = np.zeros(n, dtype=bool)
    for start in range(0, n, _BLOCK_ROWS):
        block = slice(start, start + _BLOCK_ROWS)
        x = points[block][:, None, :]
        neighbours = points[idx[block]]
        spread = np.linalg.svd(neighbours - x, compute_uv=False)
        planar = (
            spread[:, 1] > T.LOCAL_RANK_TOLERANCE * spread[:, 0] if spread.shape[1] > 1 else False
        )
        a = neighbours[:, pairs[:, 0]]
        b = neighbours[:, pairs[:, 1]]
        usable = (dist[block][:, pairs[:, 0]] > 0) & (dist[block][:, pairs[:, 1]] > 0)
        u = b - a
        moving = (np.abs(u) > round_off + 1e-12).sum(axis=2) >= 2
        length2 = np.einsum("ijk,ijk->ij", u, u)
        t = np.einsum("ijk,ijk->ij", x - a, u) / np.where(length2 > 0, length2, np.inf)
        off = x - a - t[..., None] * u
        off2 = np.einsum("ijk,ijk->ij", off, off)
        inside = (t > 0) & (t < 1) & (length2 > 0) & usable & moving
        close = off2 <= (T.SEGMENT_TOLERANCE**2) * length2 + slack
        found[block] = (inside & close).any(axis=1) & planar
    return found, n


@register("preresampled", scope="data")
def diagnose_preresampled(ctx) -> Finding:
    """Share of each class's rows that look synthetic: on a segment between two other rows of
    the class (SMOTE), or exact copies beyond what classes at least as large repeat (random
    oversampling).
    Every class is tested: oversampling to balance leaves no class smaller than the largest."""
    checked = ctx.checked
    continuous = [c for c in checked.kinds.numeric if c not in checked.kinds.integer]
    columns = [checked.kinds.numeric.index(c) for c in continuous]  # Z starts with numeric
    hashes = ctx.row_hashes()
    codes = range(len(checked.classes))
    copies, spreads = {}, {}
    for code in codes:
        copies[code], spreads[code] = _copies(hashes[ctx.rows_of(code)])
    counts = checked.counts
    # The largest class of imbalanced data is not where oversampling adds rows.
    tested = [c for c in codes if counts[c] < max(counts) or counts.count(max(counts)) > 1]
    # Values are read for the tested classes' rows and for a sample of each class's rows
    # (GRID_SAMPLE_ROWS, evenly spaced), which sets the grids and the round-off scale.
    samples = [_evenly_spaced(ctx.rows_of(code), GRID_SAMPLE_ROWS) for code in codes]
    needed = np.unique(np.concatenate(samples + [ctx.rows_of(c) for c in tested]))
    values = checked.feature_values(continuous, needed)
    sampled = np.searchsorted(needed, np.concatenate(samples))
    off_grid = np.zeros(checked.n_rows, dtype=bool)
    off_grid[needed] = off_grid_rows(values, [np.searchsorted(needed, r) for r in samples])
    column_sd = ctx.space.columns.unit[columns] if columns else np.ones(0)
    round_off = _round_off([checked.X[c].dtype for c in continuous], values[sampled], column_sd)
    per_class, levels = {}, {}
    for code in tested:
        segment_share, n_tested = None, 0
        rows = ctx.rows_of(code)
        if len(columns) >= T.FINGERPRINT_MIN_COLUMNS:
            on_segment, n_tested = on_segment_share(
                ctx.Z[np.ix_(rows, columns)], round_off, ctx.graph.n_jobs
            )
            on_segment &= off_grid[rows]
            segment_share = float(on_segment.mean()) if n_tested else None
        # Discrete data repeats rows more in larger classes; random oversampling makes a
        # class repeat more than classes at least as large. Compare with those.
        peers = [copies[d] for d in codes if d != code and counts[d] >= counts[code]]
        baseline = max(peers) if peers else copies[code]
        # Random oversampling copies most rows of a class; natural repeats (an all-zero row)
        # concentrate on a few.
        spread = spreads[code]
        excess = max(0.0, copies[code] - baseline) if spread >= T.COPY_SPREAD_MIN else 0.0
        levels[code] = worst(
            grade(segment_share, T.ON_SEGMENT_WARN_SHARE, T.ON_SEGMENT_SEVERE_SHARE),
            grade(excess, T.EXCESS_COPY_WARN_SHARE, T.EXCESS_COPY_SEVERE_SHARE),
        )
        per_class[ctx.label(code)] = {
            "on_segment_share": segment_share,
            "n_rows_tested": n_tested,
            "copy_share": copies[code],
            "peer_copy_share": baseline if peers else None,
            "copied_distinct_row_share": spread,
            "excess_copy_share": excess,
        }
    evidence = {
        "by_class": per_class,
        "n_continuous_columns": len(columns),
        "rule": (
            "on_segment: a row, with a value finer than its column's decimal grid, strictly "
            "between two of its "
            f"{T.FINGERPRINT_NEIGHBOURS} nearest rows of its class, off the segment by at most "
            f"{T.SEGMENT_TOLERANCE:g} of its length, in the continuous columns (at least "
            f"{T.FINGERPRINT_MIN_COLUMNS}); copies: rows repeating another row of the class, "
            "beyond the share in classes at least as large"
        ),
    }
    severity = worst("ok", *levels.values())
    if severity == "ok":
        shares = [
            v["on_segment_share"] for v in per_class.values() if v["on_segment_share"] is not None
        ]
        excess = max((v["excess_copy_share"] for v in per_class.values()), default=0.0)
        copies_said = (
            f"no class repeats its rows materially more than classes at least as large do "
            f"(at most {excess:.1%} more of its rows, below the {T.EXCESS_COPY_WARN_SHARE:.0%} "
            "warning)"
        )
        if shares:
            summary = (
                f"The data does not look oversampled already: at most {max(shares):.1%} of a "
                f"class's rows lie on a segment between two others, and {copies_said}."
            )
        else:
            summary = (
                f"No sign of random oversampling ({copies_said}); SMOTE's segments were not "
                f"tested, as that needs {T.FINGERPRINT_MIN_COLUMNS} continuous columns and "
                f"the data has {len(columns)}."
            )
        return Finding("preresampled", "ok", summary, evidence)
    label = ctx.label(next(code for code in tested if levels[code] == severity))
    figures = per_class[label]
    signs = []
    if (figures["on_segment_share"] or 0) >= T.ON_SEGMENT_WARN_SHARE:
        n_rows = int(round(figures["on_segment_share"] * figures["n_rows_tested"]))
        signs.append(
            f"{plural(n_rows, 'row')} ({figures['on_segment_share']:.0%}) lie exactly between "
            "two others, as SMOTE's do"
        )
    if figures["excess_copy_share"] >= T.EXCESS_COPY_WARN_SHARE:
        signs.append(
            f"{figures['copy_share']:.0%} are copies (classes at least as large: "
            f"{figures['peer_copy_share']:.0%}), as random oversampling leaves"
        )
    summary = (
        f"Class {label!r} looks already oversampled: {'; '.join(signs)}. Cross-validation on "
        "it leaks; diagnose and resample the original data."
    )
    return Finding("preresampled", severity, summary, evidence, minority_class=label)


# A class's grid is read on at most this many of its rows (evenly spaced): a share of
# GRID_ROW_SHARE is then known within about a point, whatever the class size.
GRID_SAMPLE_ROWS = 5000


def _evenly_spaced(rows: np.ndarray, n: int) -> np.ndarray:
    return rows[:: max(1, len(rows) // n)]


def off_grid_rows(values: np.ndarray, classes: list) -> np.ndarray:
    """Rows with a value finer than its column's decimal grid.

    Recorded data often has a fixed number of decimals (a grid), on which three rows are
    exactly collinear by chance; SMOTE's interpolants fall between the grid points. Each
    class's grid is the fewest decimals (up to GRID_MAX_DECIMALS) that hold GRID_ROW_SHARE
    of its values; the column's grid is the finest of the classes that have one (an
    oversampled class has none: it is finer than any grid). A column where no class has a
    grid puts every row off the grid. ``classes`` holds, per class, the rows of ``values``
    its grid is read on."""
    off = np.zeros(values.shape, dtype=bool)
    for j in range(values.shape[1]):
        grids = [_grid_decimals(values[rows, j]) for rows in classes]
        known = [d for d in grids if d is not None]
        off[:, j] = ~_on_grid(values[:, j], max(known)) if known else True
    return off.any(axis=1)


def _on_grid(values: np.ndarray, decimals: int) -> np.ndarray:
    with np.errstate(over="ignore", invalid="ignore"):  # huge sentinels: off any grid
        scaled = values * 10.0**decimals
        return np.isclose(scaled, np.round(scaled), rtol=0, atol=1e-6) | np.isnan(values)


def _grid_decimals(values: np.ndarray) -> int | None:
    values = values[np.isfinite(values)]
    if not len(values):
        return None
    for decimals in range(T.GRID_MAX_DECIMALS + 1):
        if _on_grid(values, decimals).mean() >= T.GRID_ROW_SHARE:
            return decimals
    return None


def _round_off(dtypes, values: np.ndarray, spread: np.ndarray) -> np.ndarray:
    """Per column, in the standardised units of the distance space: how far storage round-off
    (float32 or float64 precision of the column's large values) can move a value.
    ``values`` is a sample of the columns' rows; ``spread`` their standard deviations."""
    eps = np.array([_eps(d) for d in dtypes])
    finite = np.isfinite(values)
    with np.errstate(over="ignore", invalid="ignore"):  # sentinels like 1e308
        # typical large values, not a sentinel's: the 99th percentile of the magnitudes
        magnitude = np.zeros(values.shape[1])
        some = finite.any(axis=0)  # a column of only infinite values has no typical size
        if some.any():
            magnitudes = np.where(finite[:, some], np.abs(values[:, some]), np.nan)
            magnitude[some] = np.nan_to_num(np.nanpercentile(magnitudes, 99, axis=0))
    scale = np.where(np.isfinite(spread) & (spread > 0), spread, 1.0)
    return np.nan_to_num(T.ROUND_OFF_FACTOR * eps * magnitude / scale)


def _eps(dtype) -> float:
    """Float precision of a column's storage (nullable Float32/Float64 included)."""
    dtype = getattr(dtype, "numpy_dtype", dtype)
    return float(np.finfo(dtype).eps) if np.dtype(dtype).kind == "f" else float(np.finfo(float).eps)


def _copies(hashes: np.ndarray) -> tuple[float, float]:
    """(share of rows that repeat an earlier row, share of distinct rows that appear more
    than once) of one class's row hashes."""
    if not len(hashes):
        return 0.0, 0.0
    _, counts = np.unique(hashes, return_counts=True)
    return 1.0 - len(counts) / len(hashes), float(np.mean(counts > 1))
