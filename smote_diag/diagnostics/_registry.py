"""The diagnostics' shared types: the ``Finding`` every diagnostic returns, the registry
``DIAGNOSTICS`` it registers into, and the grading helpers. A module of its own, so that the
diagnostics import it and not their package (no import cycle at module level).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from .._jsonable import to_jsonable

KINDS = (
    "preresampled",
    "minority_clustering",
    "noise",
    "overlap",
    "high_dimensionality",
    "imbalance",
    "small_minority",
    "categorical_features",
    "missing_values",
    "duplicates",
)
SEVERITIES = ("ok", "warning", "severe")


@dataclass(frozen=True)
class Finding:
    """One diagnostic's verdict.

    Attributes
    ----------
    kind : str
        One of ``KINDS``.
    severity : str
        ``"ok"``, ``"warning"`` or ``"severe"``.
    summary : str
        One sentence, shown by every face.
    evidence : dict
        The measured figures behind it; keys carry units (``n_*``, ``*_share``, ``*_ratio``).
    rows : tuple
        For ``"noise"``: the suspect minority rows, as index labels (DataFrame input) or
        positions (array input).
    minority_class : object
        The class this finding is about, or None for findings about the whole dataset.
    """

    kind: str
    severity: str
    summary: str
    evidence: Mapping[str, Any] = field(default_factory=dict)
    rows: tuple = ()
    minority_class: Any = None

    def figures(self) -> list[dict]:
        """The scalar evidence as a reader sees it: label, value in its unit, glossary term
        (``_vocabulary.describe_figure``); lists, tables and the rule's text left out."""
        from .._vocabulary import describe_figure

        return [
            describe_figure(key, value)
            for key, value in self.evidence.items()
            if key not in ("rule", "treatment")
            and not isinstance(value, (list, tuple, dict))
            and value is not None
        ]

    def to_dict(self) -> dict:
        return to_jsonable({**asdict(self), "figures": self.figures()})


@dataclass(frozen=True)
class Diagnostic:
    kind: str
    scope: str  # "class" or "data"
    run: Callable


DIAGNOSTICS: dict[str, Diagnostic] = {}


def register(kind: str, scope: str = "class"):
    """Register ``func(ctx, code)`` (scope "class") or ``func(ctx)`` (scope "data")."""

    def add(func):
        if kind not in KINDS or kind in DIAGNOSTICS or scope not in ("class", "data"):
            raise RuntimeError(f"unknown or duplicate diagnostic kind {kind!r}")
        DIAGNOSTICS[kind] = Diagnostic(kind, scope, func)
        return func

    return add


def grade(value, warn, severe, *, higher_is_worse: bool = True) -> str:
    """Severity of ``value`` against two thresholds; None (not measurable) is "ok"."""
    if value is None:
        return "ok"
    if higher_is_worse:
        return "severe" if value >= severe else "warning" if value >= warn else "ok"
    return "severe" if value <= severe else "warning" if value <= warn else "ok"


def worst(*severities: str) -> str:
    return max(severities, key=SEVERITIES.index)


def plural(n: int, word: str, words: str | None = None) -> str:
    """'1 row', '3 rows' (with thousands separators)."""
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


__all__ = [
    "DIAGNOSTICS",
    "KINDS",
    "SEVERITIES",
    "Diagnostic",
    "Finding",
    "grade",
    "plural",
    "register",
    "worst",
]
