"""The report's faces. They read a DiagnosisReport (through ``to_dict()``) and compute
nothing."""

from __future__ import annotations

import textwrap

_MARK = {"ok": "ok", "warning": "WARNING", "severe": "SEVERE"}


def render_text(report) -> str:
    """A plain-text summary for terminals and ``repr()``."""
    d = report.to_dict()
    classes = ", ".join(f"{c['label']!r}: {c['n_rows']:,}" for c in d["class_counts"])
    target = f", target {d['target']!r}" if d["target"] is not None else ""
    lines = [
        f"smote_diag diagnosis: {d['n_rows']:,} rows, {d['n_features']} features{target}",
        f"Classes: {classes}",
        "",
        f"Recommendation: {d['recommendation']['method']}",
    ]
    for reason in d["recommendation"]["reasons"]:
        lines.append(_wrap(reason, "  - ", "    "))
    lines += ["", "Findings:"]
    for f in d["findings"]:
        about = f" [{f['minority_class']!r}]" if f["minority_class"] is not None else ""
        lines.append(
            _wrap(f["summary"], f"  {_MARK[f['severity']]:<7} {f['kind']}{about}: ", "    ")
        )
        if f["kind"] == "noise" and f["rows"]:
            shown = ", ".join(repr(r) for r in f["rows"][:10])
            more = f" ... (+{len(f['rows']) - 10})" if len(f["rows"]) > 10 else ""
            lines.append(_wrap(f"rows: {shown}{more}", "    ", "      "))
    if d["notes"]:
        lines += ["", "Notes:"] + [_wrap(n, "  - ", "    ") for n in d["notes"]]
    return "\n".join(lines)


def _wrap(text: str, first: str, rest: str) -> str:
    return textwrap.fill(text, width=100, initial_indent=first, subsequent_indent=rest)
