"""One way to show a measured figure to people."""

from __future__ import annotations

PERCENT = "{:.1%}"


def format_figure(value, pattern: str = "{:.2f}") -> str:
    """``value`` through ``pattern``; "n/a" when it could not be measured (None)."""
    return "n/a" if value is None else pattern.format(value)
