"""One way to show a measured figure, or a list of names, to people."""

from __future__ import annotations

PERCENT = "{:.1%}"
# Names shown in one sentence before "and N more".
LIST_SHOWN = 10


def format_figure(value, pattern: str = "{:.2f}") -> str:
    """``value`` through ``pattern``; "n/a" when it could not be measured (None)."""
    return "n/a" if value is None else pattern.format(value)


def listed(items, limit: int = LIST_SHOWN, *, words: bool = False) -> str:
    """Items as a list in a sentence (Python's repr, or ``words`` joined by commas), cut at
    ``limit`` with the rest counted, never silently.

    >>> listed(["a", "b"])
    "['a', 'b']"
    >>> listed(range(12), limit=3)
    '[0, 1, 2] and 9 more'
    >>> listed(["noise (severe)", "overlap (severe)"], words=True)
    'noise (severe), overlap (severe)'
    """
    items = list(items)
    shown = ", ".join(map(str, items[:limit])) if words else repr(items[:limit])
    return shown if len(items) <= limit else f"{shown} and {len(items) - limit:,} more"
