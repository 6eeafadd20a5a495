"""Our samplers (true imbalanced-learn samplers) and make_sampler() over the METHODS."""

from ._cluster import ClusterSMOTE
from ._make import make_sampler
from ._pca import PCASMOTE
from ._space import SpaceNeighbors, SpaceSampler
from ._under import SMOTEUnderSampler

__all__ = [
    "ClusterSMOTE",
    "PCASMOTE",
    "SMOTEUnderSampler",
    "SpaceNeighbors",
    "SpaceSampler",
    "make_sampler",
]
