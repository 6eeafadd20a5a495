"""2-D projections of the plot sample: PCA by default, UMAP on request (imported only then).
Fitted on real rows only; kept on the sample per (projection, seed), so they live and die
with the result they belong to."""

from __future__ import annotations

PROJECTIONS = ("pca", "umap")


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
    else:
        import umap  # seconds to import, numba compiles on first fit: only when asked

        # A seed makes UMAP single-threaded; say so, rather than let it warn.
        jobs = {"n_jobs": 1} if random_state is not None else {}
        model = umap.UMAP(n_components=2, random_state=random_state, **jobs)
    model.fit(sample.Z)
    sample.projections[key] = model
    return model


def project(model, Z):
    """Coordinates in two columns (a single-feature PCA gets a zero second column)."""
    import numpy as np

    out = model.transform(Z)
    return out if out.shape[1] == 2 else np.c_[out, np.zeros(len(out))]
