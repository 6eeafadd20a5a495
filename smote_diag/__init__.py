"""smote_diag: diagnose an imbalanced dataset before SMOTE, and say what to do.

>>> import smote_diag
>>> report = smote_diag.diagnose(smote_diag.load_demo(), target="status", random_state=0, verbose=0)
>>> report.recommendation.method
'cluster_smote'
"""

from __future__ import annotations

import importlib
import sys
import types

from ._version import __version__  # noqa: F401  (public)
from .datasets import load_demo
from .diagnose import ClassProfile, DiagnosisReport, diagnose
from .diagnostics import KINDS, SEVERITIES, Finding
from .exceptions import InputError, InputTypeError, SmoteDiagWarning
from .recommend import METHODS, Recommendation
from .session import DiagnosisSession

# Public names whose modules import imbalanced-learn (or heavier): loaded on first use.
_LAZY = {
    "resample": ".resample",
    "ResampleResult": ".resample",
    "plot_resampled": ".plot",
    "plot_diagnosis": ".plot",
    "AdvisedClassifier": ".evaluate",
    "EvaluationResult": ".evaluate",
    "evaluate": ".evaluate",
    "ClusterSMOTE": ".samplers",
    "PCASMOTE": ".samplers",
    "SMOTEUnderSampler": ".samplers",
    "SpaceNeighbors": ".samplers",
    "SpaceSampler": ".samplers",
    "make_sampler": ".samplers",
    "Dashboard": ".widgets",
    "dashboard": ".widgets",
}

__all__ = [
    "Dashboard",
    "DiagnosisSession",
    "dashboard",
    "resample",
    "ResampleResult",
    "plot_resampled",
    "plot_diagnosis",
    "AdvisedClassifier",
    "EvaluationResult",
    "evaluate",
    "KINDS",
    "METHODS",
    "SEVERITIES",
    "ClassProfile",
    "ClusterSMOTE",
    "DiagnosisReport",
    "Finding",
    "InputError",
    "InputTypeError",
    "PCASMOTE",
    "Recommendation",
    "SMOTEUnderSampler",
    "SmoteDiagWarning",
    "SpaceNeighbors",
    "SpaceSampler",
    "diagnose",
    "load_demo",
    "make_sampler",
]


def __getattr__(name):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value  # loaded once
        return value
    raise AttributeError(f"module 'smote_diag' has no attribute {name!r}")


class _Package(types.ModuleType):
    """Importing the submodule ``smote_diag.resample`` (or ``.evaluate``) sets the package's
    attribute of that name to the module, which would hide the function of the same name:
    the function stays (``from smote_diag.resample import ...`` still reaches the module)."""

    def __setattr__(self, name, value):
        if name in _LAZY and getattr(value, "__name__", None) == f"{__name__}.{name}":
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def load_ipython_extension(ipython):
    """``%load_ext smote_diag`` registers ``%smote_check``."""
    from .magic import SmoteCheckMagics

    ipython.register_magics(SmoteCheckMagics)


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
