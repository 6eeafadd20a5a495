"""High-dimensional neighbour concentration: relative contrast, hubness, intrinsic
dimension, and the minority's size against its number of dimensions."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import skew
from sklearn.metrics.pairwise import euclidean_distances

from .._neighbours import NeighbourGraph, sample_nearest
from . import thresholds as T
from ._registry import Finding, grade, plural, register, worst
from .label_noise import sample_rows
from .locality import tree_against_neighbours

# Query rows per block when measuring mean distances (bounds memory to block x reference).
_BLOCK_ROWS = 2048


def relative_contrast(graph: NeighbourGraph, code: int, rng: np.random.Generator) -> float | None:
    """He, Kumar & Chang's C_r = E[mean distance] / E[nearest-neighbour distance], queried
    from the rows of class ``code``; the mean distance is taken to a random reference sample
    of CONTRAST_REFERENCE_ROWS rows. Rows with an exact duplicate (distance 0) are skipped."""
    dist, _ = graph.row_neighbours(code)
    if dist.size == 0:
        return None
    nearest = dist[:, 0]
    usable = nearest > 0
    if not usable.any():
        return None
    n = graph.n_rows
    reference = graph.Z[rng.choice(n, min(n, T.CONTRAST_REFERENCE_ROWS), replace=False)]
    queries = graph.Z[graph.rows_of(code)[usable]]
    means = np.concatenate(
        [
            euclidean_distances(queries[i : i + _BLOCK_ROWS], reference).mean(axis=1)
            for i in range(0, len(queries), _BLOCK_ROWS)
        ]
    )
    return float(means.mean() / nearest[usable].mean())


def contrast_against_null(Z, class_rows: np.ndarray, rng: np.random.Generator):
    """The class's relative contrast and that of structureless rows of the same size and
    dimension, both measured on one sample of at most CONTRAST_NULL_ROWS rows (the class's
    rows up to half of it, the rest drawn from the other rows): the class's rows are queried
    in the sample as it is, and every row in the sample with each column permuted on its own
    (the columns' values kept, their dependence, which is all the structure, destroyed),
    each side averaged over at most CONTRAST_QUERY_ROWS of its rows. Returns (class
    contrast, structureless contrast), None when not measurable."""
    n = len(Z)
    class_rows = np.asarray(class_rows)
    if n <= T.CONTRAST_NULL_ROWS:
        rows = np.arange(n)
    else:
        mine = class_rows
        if len(mine) > T.CONTRAST_NULL_ROWS // 2:
            mine = rng.choice(mine, T.CONTRAST_NULL_ROWS // 2, replace=False)
        outside = np.ones(n, dtype=bool)
        outside[class_rows] = False
        rest = np.flatnonzero(outside)
        filler = rng.choice(rest, min(len(rest), T.CONTRAST_NULL_ROWS - len(mine)), replace=False)
        rows = np.sort(np.concatenate([mine, filler]))
    sample = np.asarray(Z[rows], dtype=float)
    queries = np.flatnonzero(np.isin(rows, class_rows))
    if len(queries) < 2 or len(sample) < 3:
        return None, None
    null = np.column_stack([rng.permutation(sample[:, j]) for j in range(sample.shape[1])])
    # each side averaged over at most CONTRAST_QUERY_ROWS of its rows (their nearest rows
    # still sought among the whole sample)
    return (
        _sample_contrast(sample, sample_rows(queries, T.CONTRAST_QUERY_ROWS, rng), rng),
        _sample_contrast(null, sample_rows(np.arange(len(null)), T.CONTRAST_QUERY_ROWS, rng), rng),
    )


def _sample_contrast(sample: np.ndarray, queries: np.ndarray, rng) -> float | None:
    """C_r of the ``queries`` rows of a small sample: their mean distance to (up to)
    CONTRAST_REFERENCE_ROWS rows of it over their mean distance to their nearest other row."""
    nearest, _ = sample_nearest(sample, queries)
    usable = nearest > 0
    if not usable.any():
        return None
    size = min(len(sample), T.CONTRAST_REFERENCE_ROWS)
    reference = sample[rng.choice(len(sample), size, replace=False)]
    means = euclidean_distances(sample[queries][usable], reference).mean(axis=1)
    return float(means.mean() / nearest[usable].mean())


def _over(value, null) -> float | None:
    return value / null if value is not None and null else None


def twonn_dimension(dist: np.ndarray) -> float | None:
    """TwoNN intrinsic dimension (Facco et al. 2017) from each row's two nearest distances,
    fitted through the origin after discarding the largest TWONN_DISCARD_FRACTION ratios."""
    if dist.shape[1] < 2:
        return None
    r1, r2 = dist[:, 0], dist[:, 1]
    keep = r1 > 0
    mu = np.sort(r2[keep] / r1[keep])
    n = len(mu)
    n_fit = int(np.floor(n * (1 - T.TWONN_DISCARD_FRACTION)))
    if n_fit < 3:
        return None
    x = np.log(mu[:n_fit])
    y = -np.log(1.0 - np.arange(1, n_fit + 1) / n)
    denominator = float(np.dot(x, x))
    return float(np.dot(x, y) / denominator) if denominator > 0 else None


def hubness(idx: np.ndarray) -> tuple[float | None, float | None]:
    """Skewness of the k-occurrence within the class (Radovanovic et al. 2010), and the
    share of hubs (in more than HUB_SIZE_FACTOR * k lists)."""
    if idx.size == 0:
        return None, None
    k = idx.shape[1]
    occurrence = np.bincount(idx.ravel(), minlength=len(idx))
    spread = float(occurrence.std())
    skewness = float(skew(occurrence)) if spread > 0 else 0.0
    return skewness, float(np.mean(occurrence > T.HUB_SIZE_FACTOR * k))


@dataclass(frozen=True, eq=False)
class SignalSubspace:
    """Principal directions of the standardised rows above the Marchenko-Pastur edge."""

    mean: np.ndarray
    scale: np.ndarray
    components: np.ndarray  # (n_signal, n_dims)
    noise_edge: float
    variance_share: float  # share of the (standardised) variance the components keep

    @property
    def n_components(self) -> int:
        return len(self.components)

    def project(self, Z: np.ndarray) -> np.ndarray:
        return ((Z - self.mean) / self.scale) @ self.components.T


def noise_edge(n: int, d: int) -> float:
    """The eigenvalue pure unit-variance noise of ``n`` rows and ``d`` columns stays below
    with 95% probability: Johnstone's (Ann. Statist. 29:295-327, 2001) centring and scaling
    of the largest eigenvalue, at the Tracy-Widom 95% quantile; it tends to the
    Marchenko-Pastur edge (1 + sqrt(d / n))^2 for large n."""
    root_n, root_d = np.sqrt(max(n - 1, 1)), np.sqrt(d)
    centre = (root_n + root_d) ** 2
    scale = (root_n + root_d) * (1 / root_n + 1 / root_d) ** (1 / 3)
    return float((centre + T.TRACY_WIDOM_Q95 * scale) / max(n - 1, 1))


def signal_subspace(Z: np.ndarray, rng: np.random.Generator) -> SignalSubspace:
    """Fit PCA on at most PCA_FIT_ROWS rows of ``Z`` (each column standardised, so the
    eigenvalues are those of the correlation matrix) and keep the components above the
    Marchenko-Pastur edge for that many rows and columns."""
    n, d = Z.shape
    rows = np.arange(n) if n <= T.PCA_FIT_ROWS else rng.choice(n, T.PCA_FIT_ROWS, replace=False)
    sample = Z[rows]
    mean, scale = sample.mean(axis=0), sample.std(axis=0)
    scale[~(scale > 0)] = 1.0
    standardised = (sample - mean) / scale
    edge = noise_edge(len(sample), d)
    dof = max(len(sample) - 1, 1)
    if d <= len(sample):  # eigenvectors of the d x d correlation matrix
        eigenvalues, vectors = np.linalg.eigh(standardised.T @ standardised / dof)
    else:  # wide data: the smaller n x n Gram matrix has the same nonzero eigenvalues
        eigenvalues, left = np.linalg.eigh(standardised @ standardised.T / dof)
        positive = np.sqrt(np.clip(eigenvalues, 0, None) * dof)
        vectors = (standardised.T @ left) / np.where(positive > 0, positive, 1.0)
    keep = np.flatnonzero(eigenvalues > edge)[::-1]  # largest first
    share = float(eigenvalues[keep].sum() / max(eigenvalues.clip(0).sum(), 1e-12))
    return SignalSubspace(mean, scale, vectors[:, keep].T, float(edge), share)


PCA_KEYS = (
    "pca_components",
    "pca_variance_share",
    "pca_noise_edge",
    "pca_relative_contrast",
    "pca_contrast_over_null",
    "pca_chance_corrected_purity",
)


def pca_space_measures(ctx, code: int) -> dict:
    """Relative contrast and chance-corrected purity again, in the signal subspace."""
    from .overlap import chance_corrected_purity

    subspace = ctx.signal_subspace()
    measures = {
        "pca_components": subspace.n_components,
        "pca_variance_share": subspace.variance_share,
        "pca_noise_edge": subspace.noise_edge,
        "pca_relative_contrast": None,
        "pca_contrast_over_null": None,
        "pca_chance_corrected_purity": None,
    }
    if subspace.n_components == 0:
        return measures
    Z = ctx.Z  # a dask DataFrame's rows (ScaledRows) project on the workers
    projected = (
        Z.map(subspace.project, subspace.n_components) if hasattr(Z, "map") else subspace.project(Z)
    )
    projected = NeighbourGraph(projected, ctx.graph.y_codes, n_jobs=ctx.n_jobs)
    _, idx = projected.row_neighbours(code)
    counts = projected.row_class_counts(code)
    purity = float(np.mean(counts / idx.shape[1])) if idx.size else 0.0
    measures["pca_relative_contrast"] = relative_contrast(
        projected, code, ctx.rng("pca_contrast", code)
    )
    # against structureless rows of the subspace's own dimension (a one-component subspace
    # has a contrast in the hundreds whatever its structure)
    mine, null = contrast_against_null(
        projected.Z, ctx.rows_of(code), ctx.rng("pca_contrast_null", code)
    )
    measures["pca_contrast_over_null"] = _over(mine, null)
    measures["pca_chance_corrected_purity"] = chance_corrected_purity(
        purity, ctx.n_rows_of(code), ctx.graph.n_rows
    )
    return measures


@register("high_dimensionality")
def diagnose_high_dimensionality(ctx, code: int) -> Finding:
    """Whether nearest neighbours still mean something for this class."""
    n_class = ctx.n_rows_of(code)
    n_dims = ctx.n_dimensions
    contrast = relative_contrast(ctx.graph, code, ctx.rng("contrast", code))
    sample_contrast, null_contrast = contrast_against_null(
        ctx.Z, ctx.rows_of(code), ctx.rng("contrast_null", code)
    )
    over_null = _over(sample_contrast, null_contrast)
    dist, _ = ctx.graph.row_neighbours(code)
    skewness, hub_share = hubness(ctx.within(code)[1])
    absolute = grade(contrast, T.CONTRAST_WARN, T.CONTRAST_SEVERE, higher_is_worse=False)
    # a low contrast is the dimension's, not a loss of meaning, when the class's
    # neighbourhoods are clearly more local than structureless data of the same size give
    structured = over_null is not None and over_null >= T.CONTRAST_NULL_RATIO
    severity = "ok" if structured else absolute
    too_few_rows = n_class <= T.ROWS_PER_DIMENSION_WARN * n_dims
    if too_few_rows:
        severity = worst(severity, "warning")
    locality = ctx.locality(code)
    if locality.wrong_lens:
        severity = worst(severity, "warning")
    # The signal subspace is only worth its eigendecomposition when neighbours are in doubt.
    pca = pca_space_measures(ctx, code) if severity != "ok" else dict.fromkeys(PCA_KEYS)
    evidence = {
        "relative_contrast": contrast,
        "null_relative_contrast": null_contrast,
        "contrast_over_null": over_null,
        **pca,
        "intrinsic_dimension": twonn_dimension(dist),
        "n_dimensions": n_dims,
        "n_features": len(ctx.checked.kinds.used),
        "n_minority": n_class,
        "minority_to_dimension_ratio": n_class / n_dims,
        "hubness_skewness": skewness,
        "hub_share": hub_share,
        "neighbour_auc": locality.neighbour_auc,
        "tree_auc": locality.tree_auc,
        "neighbours_wrong_lens": locality.wrong_lens,
        "rule": (
            "relative contrast C_r = mean distance / nearest distance (He et al. 2012): "
            f"severe < {T.CONTRAST_SEVERE}, warning < {T.CONTRAST_WARN}, unless the class's C_r "
            f"is at least {T.CONTRAST_NULL_RATIO:g} x that of structureless rows of the same "
            "size and dimension (each column permuted on its own, one sample of "
            f"{T.CONTRAST_NULL_ROWS:,} rows); warning also when the "
            "class has no more rows than dimensions (Blagus & Lusa 2013); pca_*: measured again "
            "on the principal components above the Marchenko-Pastur noise edge; "
            "neighbours_wrong_lens: an out-of-fold decision tree (depth "
            f"{T.LOCALITY_TREE_DEPTH}) ranks the class at ROC AUC >= {T.LOCALITY_TREE_AUC:g} "
            f"and at least {T.LOCALITY_AUC_GAP:g} above the share of the class among each "
            "row's 5 nearest rows (warning)"
        ),
    }
    label = ctx.label(code)
    if contrast is None:
        summary = (
            f"Class {label!r}: neighbour contrast cannot be measured (every row has an exact copy)."
        )
    else:
        meaning = {
            "ok": "nearest neighbours are meaningful",
            "warning": "nearest neighbours are losing meaning",
            "severe": "nearest neighbours are barely nearer than average",
        }[absolute]
        if structured and absolute != "ok":
            meaning = (
                f"low for {n_dims} dimensions, but {over_null:.2f} times that of structureless "
                "data of the same size: the neighbourhoods still carry structure"
            )
        summary = (
            f"Class {label!r}: relative contrast {contrast:.2f} (mean distance over nearest-row "
            f"distance) in {plural(n_dims, 'dimension')}: {meaning}"
        )
        if too_few_rows:
            summary += f"; the class has only {plural(n_class, 'row')} for {n_dims} dimensions"
        if pca["pca_relative_contrast"] is not None:
            summary += (
                f"; in the {plural(pca['pca_components'], 'principal component')} above the "
                f"noise floor it is {pca['pca_relative_contrast']:.2f}"
            )
        elif pca["pca_components"] == 0:
            summary += "; no principal component rises above the noise floor"
        summary += "."
    if locality.wrong_lens:
        summary += (
            f" Neighbours are the wrong lens for class {label!r}: "
            f"{tree_against_neighbours(locality.tree_auc, locality.neighbour_auc)}: tests on "
            "single columns "
            "tell the class, nearness over all columns does not (rules on a few columns, or "
            "columns that carry nothing about the class but count in every distance), so the "
            "neighbour-based figures (typology, overlap, noise, groups) are unreliable here."
        )
    return Finding("high_dimensionality", severity, summary, evidence, minority_class=label)
