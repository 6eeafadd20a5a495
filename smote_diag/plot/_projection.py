"""2-D projections of the plot sample: PCA by default, UMAP on request (imported only then).
Fitted on real rows only; kept on the sample per (projection, seed), so they live and die
with the result they belong to."""

from __future__ import annotations

from .._progress import progress

PROJECTIONS = ("pca", "umap")

# umap-learn's first fit and first transform in a Python process compile its numba code;
# later ones reuse it (numba's on-disk cache does not carry it to the next process: a second
# process took as long). Measured on the 2-core test machine, busy with a benchmark (load
# 4 to 6), umap-learn 0.5.12, numba 0.68.1, in fresh processes, with
#   python -c "import time, numpy as np; t = time.perf_counter(); import umap; \
#     i = time.perf_counter(); g = np.random.default_rng(0); \
#     m = umap.UMAP(random_state=0, n_jobs=1).fit(g.normal(size=(340, 2))); \
#     f = time.perf_counter(); m.transform(g.normal(size=(260, 2))); \
#     print(i - t, f - i, time.perf_counter() - f)"
# import 4.7 to 6.7 s, first fit 21.2 to 26.9 s, first transform 8.1 s: 39 s in all; the
# first plot_resampled(projection="umap") of a small result took 43 s, the next ones 2 to
# 2.6 s (a second fit alone: 0.7 s).
UMAP_FIRST_FIT_MESSAGE = (
    "The first UMAP projection in a Python process compiles numba code: it took about 40 "
    "seconds on a 2-core machine (later ones take a second or two). projection='pca', the "
    "default, draws at once."
)
# Whether this process has fitted UMAP yet (the warning comes once, before the first fit).
_umap_compiled = False


def check_projection(projection) -> None:
    if projection not in PROJECTIONS:
        from ..exceptions import InputError

        raise InputError(f"projection must be 'pca' or 'umap', got {projection!r}.")


def fit_projection(sample, projection: str = "pca", random_state=None):
    """A fitted 2-D projection of ``sample.Z`` (a PlotSample): an object with ``transform``.
    The same sample, projection and seed give the same object."""
    check_projection(projection)
    key = (projection, random_state)
    if key in sample.projections:
        return sample.projections[key]
    if projection == "pca":
        from sklearn.decomposition import PCA

        model = PCA(n_components=min(2, sample.Z.shape[1]), random_state=random_state)
        model.fit(sample.Z)
    else:
        first = not _umap_compiled
        _warn_first_umap_fit()
        what = "UMAP projection" + (" (the first compiles numba code)" if first else "")
        with progress(2, what, verbose=1) as bar:  # a bar past a second: UMAP takes seconds
            import umap  # seconds to import, numba compiles on first fit: only when asked

            bar.update()
            # A seed makes UMAP single-threaded; say so, rather than let it warn.
            jobs = {"n_jobs": 1} if random_state is not None else {}
            model = umap.UMAP(n_components=2, random_state=random_state, **jobs)
            model.fit(sample.Z)
            bar.update()
    sample.projections[key] = model
    return model


def _warn_first_umap_fit() -> None:
    """Say, once per process and before it starts, that the first UMAP fit is slow."""
    global _umap_compiled
    if _umap_compiled:
        return
    _umap_compiled = True
    import warnings

    from ..exceptions import SmoteDiagWarning

    warnings.warn(UMAP_FIRST_FIT_MESSAGE, SmoteDiagWarning, stacklevel=5)


def axis_labels(model, projection: str) -> tuple[str, str]:
    """The axes' names: "PC1 (42% of variance)" (the share of the scaled rows' variance each
    component keeps, from the fitted PCA), or "UMAP 1" (UMAP's axes have no units)."""
    if projection == "umap":
        return "UMAP 1", "UMAP 2"
    ratios = list(model.explained_variance_ratio_)
    labels = [f"PC{i + 1} ({_share(r)} of variance)" for i, r in enumerate(ratios)]
    if len(labels) == 1:
        labels.append("PC2 (none: a single feature)")
    return labels[0], labels[1]


def _share(ratio: float) -> str:
    return "<1%" if 0 < ratio < 0.005 else f"{ratio:.0%}"


def project(model, Z):
    """Coordinates in two columns (a single-feature PCA gets a zero second column)."""
    import numpy as np

    out = model.transform(Z)
    return out if out.shape[1] == 2 else np.c_[out, np.zeros(len(out))]
