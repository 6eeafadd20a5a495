"""The diagnostics: one module per kind, each a function that reads the shared context.

``DIAGNOSTICS`` maps a kind to its function and scope ("class": run once per minority
class against the rest; "data": run once). ``diagnose()`` runs them in ``KINDS`` order.
"""

from __future__ import annotations

from . import (  # noqa: F401  (importing registers the diagnostics)
    facts,
    high_dimensionality,
    minority_clustering,
    noise,
    overlap,
    preresampled,
)
from ._registry import (
    DIAGNOSTICS,
    KINDS,
    SEVERITIES,
    Finding,
    grade,
    plural,
    register,
    worst,
)

__all__ = ["DIAGNOSTICS", "KINDS", "SEVERITIES", "Finding", "grade", "plural", "register", "worst"]
