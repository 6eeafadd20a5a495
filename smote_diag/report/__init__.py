"""The report's faces. They read a DiagnosisReport (through ``to_dict()``) and compute
nothing."""

from __future__ import annotations

import textwrap

from .._format import LIST_SHOWN, PERCENT, format_figure
from .._vocabulary import CAUSE_WORDS
from ._html import (  # noqa: F401  (the HTML faces)
    advice_snippet,
    figure_bytes,
    render_fragment,
    render_html,
    render_resample_html,
)

_MARK = {"ok": "ok", "warning": "WARNING", "severe": "SEVERE"}


def render_text(report) -> str:
    """A plain-text summary for terminals and ``repr()``."""
    d = report.to_dict()
    classes = ", ".join(f"{c['label']!r}: {c['n_rows']:,}" for c in d["class_counts"])
    target = f", target {d['target']!r}" if d["target"] is not None else ""
    source = f" of {d['source']}" if d["source"] else ""
    lines = [
        f"smote_diag diagnosis{source}: {d['n_rows']:,} rows, {d['n_features']} features{target}",
        f"Classes: {classes}",
        _wrap(
            f"scaling {d['parameters']['scaling']}: {d['scaling_description']}", "Distances: ", "  "
        ),
        "",
        f"Recommendation: {d['recommendation']['method']} "
        f"(objective: {d['recommendation']['objective'].replace('_', ' ')})",
    ]
    for reason in d["recommendation"]["reasons"]:
        lines.append(_wrap(reason, "  - ", "    "))
    lines += _verification_lines(d["verification"])
    lines += ["", "Findings:"]
    for f in d["findings"]:
        about = f" [{f['minority_class']!r}]" if f["minority_class"] is not None else ""
        lines.append(
            _wrap(f["summary"], f"  {_MARK[f['severity']]:<7} {f['kind']}{about}: ", "    ")
        )
    suspects = d["suspect_rows"]
    if suspects:
        lines += ["", f"Suspect rows ({len(suspects):,}; report.suspect_rows has their values):"]
        lines += [
            _wrap(
                f"row {r['row']!r} ({r['class']!r}, {CAUSE_WORDS[r['cause']]}): {r['reason']}",
                "  ",
                "    ",
            )
            for r in suspects[:LIST_SHOWN]
        ]
        if len(suspects) > LIST_SHOWN:
            lines.append(f"  ... and {len(suspects) - LIST_SHOWN:,} more")
    if d["notes"]:
        lines += ["", "Notes:"] + [_wrap(n, "  - ", "    ") for n in d["notes"]]
    if d["glossary"]:
        lines += ["", "Terms:"] + [_wrap(w, f"  {t}: ", "    ") for t, w in d["glossary"].items()]
    return "\n".join(lines)


def _verification_lines(v) -> list[str]:
    """The verification's scores as a small table (the chosen row marked)."""
    if not v:
        return []
    if not v["n_folds"]:
        return ["", _wrap(v["sentence"], "", "  ")]
    width = max(len(c["method"]) for c in v["candidates"])
    lines = [
        "",
        _wrap(
            f"Verified with {v['estimator']} ({v['n_folds']}-fold cross-validation, "
            f"{v['metric_name']}; > chosen, * within one standard error of the "
            "best):",
            "",
            "  ",
        ),
    ]
    for c in v["candidates"]:
        score = "failed" if c["failed"] else f"{c['mean']:.3f} ± {c['se']:.3f}"
        mark = (">" if c["method"] == v["chosen"] else " ") + ("*" if c["within_one_se"] else " ")
        lines.append(f"  {mark} {c['method']:<{width}}  {score:<15}  {c['applies']}")
    return lines


def _wrap(text: str, first: str, rest: str) -> str:
    return textwrap.fill(text, width=100, initial_indent=first, subsequent_indent=rest)


def render_evaluation_text(result) -> str:
    """An EvaluationResult as a text table with its verdict."""
    from ..evaluate import METRIC_NAMES

    frame = result.to_frame()
    metrics = [m for m in METRIC_NAMES if (m, "mean") in frame.columns]
    width = max(len(s) for s in frame.index)
    # each cell is "0.000 ± 0.000" and a mark ("*" on the best, else a space): 15 wide
    header = " " * (width + 2) + "  ".join(f"{_short(m):>15}" for m in metrics)
    lines = [
        f"smote_diag evaluation: objective {result.objective}, {result.n_folds} folds, "
        f"{result.estimator}",
        "",
        header,
    ]
    best = result.best(decimals=3)
    for strategy in frame.index:
        cells = "  ".join(
            f"{frame.loc[strategy, (m, 'mean')]:6.3f} ± {frame.loc[strategy, (m, 'se')]:.3f}"
            + ("*" if strategy in best.get(m, ()) else " ")
            for m in metrics
        )
        lines.append(f"{strategy:<{width}}  {cells}")
    lines += ["(* the best mean of each metric; ± its standard error over folds)"]
    lines += ["", _wrap(result.verdict, "", "")]
    lines += [_wrap(note, "note: ", "      ") for note in result.notes]
    return "\n".join(lines)


def render_evaluation_html(result, *, figure: bool = True) -> str:
    """An EvaluationResult as a small HTML table (notebook display), with its figure (the
    objective's mean and standard error per strategy) unless ``figure=False``."""
    from html import escape

    from ..evaluate import METRIC_NAMES
    from ._html import figure_png

    frame = result.to_frame()
    metrics = [m for m in METRIC_NAMES if (m, "mean") in frame.columns]
    head = "".join(f"<th>{escape(METRIC_NAMES[m])}</th>" for m in metrics)
    body = []
    best = result.best(decimals=3)
    for strategy in frame.index:
        style = ' style="font-style:italic"' if strategy == "advice" else ""
        cells = "".join(
            ('<td style="font-weight:bold">' if strategy in best.get(m, ()) else "<td>")
            + f"{frame.loc[strategy, (m, 'mean')]:.3f} ± {frame.loc[strategy, (m, 'se')]:.3f}"
            + ("*" if strategy in best.get(m, ()) else "")
            + "</td>"
            for m in metrics
        )
        body.append(f"<tr{style}><th>{escape(str(strategy))}</th>{cells}</tr>")
    notes = "".join(f"<li>{escape(n)}</li>" for n in result.notes)
    plot = ""
    if figure:
        image, width, height = figure_png(result.plot())
        plot = (
            f'<figure><img src="data:image/png;base64,{image}" width="{width}" '
            f'height="{height}" alt="{escape(METRIC_NAMES[result.metric])} per strategy">'
            "</figure>"
        )
    return (
        f"<div><p><b>smote_diag evaluation</b>: objective {escape(result.objective)}, "
        f"{result.n_folds} folds</p><p>{escape(result.verdict)}</p>"
        f"<table><thead><tr><th>strategy</th>{head}</tr></thead><tbody>{''.join(body)}"
        "</tbody></table><p><small>In bold with *: the best mean of each metric (± its "
        "standard error over folds); in italics: the advice.</small></p>"
        f"{f'<ul>{notes}</ul>' if notes else ''}{plot}</div>"
    )


def _short(metric: str) -> str:
    return {
        "average_precision": "avg precision",
        "balanced_accuracy": "balanced acc",
        "minority_recall": "min. recall",
        "minority_precision": "min. precision",
        "neg_brier_score": "-Brier",
        "neg_log_loss": "-log loss",
    }.get(metric, metric)


def render_check_text(check) -> str:
    """A ResampleCheck as text: the summary, then the figures per class."""
    lines = [_wrap(check.summary, "", "")]
    for name, classes in check.runs():
        for c in classes:
            lines.append(
                f"  {name:<22} class {c.label!r}: {c.n_synthetic:,} new, "
                f"{format_figure(c.majority_share, PERCENT)} in {check.territory}, "
                f"distance ratio {format_figure(c.distance_ratio)}, "
                f"{format_figure(c.far_share, PERCENT)} far, "
                f"group shift {format_figure(c.group_shift)}"
            )
    return "\n".join(lines)


def render_resample_text(result) -> str:
    """A ResampleResult as text: what was done, why, and the check."""
    n_new = int(result.is_synthetic.sum())
    n_removed = int(result.is_removed.sum())
    lines = [
        f"smote_diag resample: {result.method}, {len(result.is_synthetic) - n_new:,} original "
        f"rows + {n_new:,} synthetic"
        + (
            f" ({n_removed:,} original rows dropped by {result.removed_by}: see is_removed)"
            if n_removed
            else ""
        ),
        _wrap(result.reason, "  why: ", "       "),
    ]
    if result.checked is not None:
        lines += ["", render_check_text(result.checked)]
    lines += [_wrap(note, "note: ", "      ") for note in result.notes]
    return "\n".join(lines)
