"""Our samplers (true imbalanced-learn samplers) and make_sampler() over the METHODS."""

from ._cluster import ClusterSMOTE
from ._make import make_sampler
from ._pca import PCASMOTE

__all__ = ["ClusterSMOTE", "PCASMOTE", "make_sampler"]
