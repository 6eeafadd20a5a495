"""The HTML faces: Jinja2 templates (package data) filled from ``to_dict()``; the standalone
file inlines its CSS, script and figure, and asks for nothing over the network."""

from __future__ import annotations

import base64
import io
import secrets
from datetime import datetime, timezone
from importlib import resources

from .._format import PERCENT, format_figure
from ..diagnostics.noise import suspect_rows

# Noise rows listed in the report (all of them stay in the JSON and the finding).
NOISE_ROWS_SHOWN = 20


def _template(name: str) -> str:
    return resources.files("smote_diag.report").joinpath("templates", name).read_text("utf-8")


def _environment():
    from jinja2 import Environment, FunctionLoader

    return Environment(
        loader=FunctionLoader(_template), autoescape=True, trim_blocks=False, lstrip_blocks=False
    )


def figure_bytes(fig, dpi: int = 72) -> tuple[bytes, int, int]:
    """A matplotlib figure as PNG bytes (and its size in pixels), then closed."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    width, height = (int(v * dpi) for v in fig.get_size_inches())
    plt.close(fig)
    return buffer.getvalue(), width, height


def figure_png(fig) -> tuple[str, int, int]:
    """A matplotlib figure as base64 PNG (and its size in pixels), then closed."""
    png, width, height = figure_bytes(fig)
    return base64.b64encode(png).decode("ascii"), width, height


def render_html(report, *, standalone: bool = False, figure: bool = True) -> str:
    """The report as HTML: a notebook fragment, or (``standalone``) one self-contained file
    with the data's shape, the parameters, the package version and the time it was made."""
    from .._version import __version__

    d = report.to_dict()
    d["findings"] = [{**f, "figures": key_figures(f["evidence"])} for f in d["findings"]]
    image, width, height = (None, 0, 0)
    projection = report.display_projection
    if figure and projection != "none" and report.plot_sample is not None and report.profiles:
        image, width, height = figure_png(report.plot(projection=projection, random_state=0))
    return (
        _environment()
        .get_template("report.html")
        .render(
            d=_view(d),
            standalone=standalone,
            uid=secrets.token_hex(4),
            verdict=report.verdict,
            noise_rows=_noise_rows(d)[:NOISE_ROWS_SHOWN],
            noise_more=max(0, len(_noise_rows(d)) - NOISE_ROWS_SHOWN),
            figure=image,
            figure_width=width,
            figure_height=height,
            figure_note=_figure_note(report, projection),
            snippet=advice_snippet(report),
            css=_template("report.css"),
            js=_template("report.js"),
            version=__version__,
            made_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        )
    )


def render_fragment(
    report, *, verdict: bool = False, kinds=(), minority_class=None, noise_rows: bool = False
) -> str:
    """A piece of the report as HTML, for views that show one diagnostic at a time: the
    verdict, the findings of ``kinds`` (of one minority class, or all), the noise rows."""
    d = report.to_dict()
    findings = [
        {**f, "figures": key_figures(f["evidence"])}
        for f in d["findings"]
        if f["kind"] in kinds
        and (minority_class is None or f["minority_class"] in (None, minority_class))
    ]
    rows = [r for r in _noise_rows(d) if minority_class is None or r["label"] == minority_class]
    return (
        _environment()
        .get_template("fragment.html")
        .render(
            d=_view(d),
            show_verdict=verdict,
            verdict=report.verdict,
            findings=_view(findings),
            noise_rows=rows[:NOISE_ROWS_SHOWN] if noise_rows else [],
            noise_more=max(0, len(rows) - NOISE_ROWS_SHOWN),
            notes=d["notes"] if verdict else [],
            uid=secrets.token_hex(4),
            css=_template("report.css"),
        )
    )


class _Attr(dict):
    """A dict readable as attributes in the template (d.recommendation.method)."""

    __getattr__ = dict.get


def _view(value):
    if isinstance(value, dict):
        return _Attr({k: _view(v) for k, v in value.items()})
    if isinstance(value, list):
        return [_view(v) for v in value]
    return value


def key_figures(evidence: dict) -> list[tuple[str, str]]:
    """The scalar figures of a finding, formatted (lists and the rule are left out)."""
    out = []
    for name, value in evidence.items():
        if name == "rule" or isinstance(value, (list, dict)) or value is None:
            continue
        if isinstance(value, bool) or isinstance(value, str):
            out.append((name.replace("_", " "), str(value)))
        elif isinstance(value, int):
            out.append((name.replace("_", " "), f"{value:,}"))
        elif isinstance(value, float):
            text = f"{value:.1%}" if name.endswith("_share") else f"{value:.3g}"
            out.append((name.replace("_", " "), text))
    return out


def _noise_rows(d: dict) -> list[dict]:
    rows = []
    for f in d["findings"]:
        if f["kind"] == "noise":
            for row, why in suspect_rows(f["rows"], f["evidence"]):
                rows.append({"label": f["minority_class"], "row": row, "why": why})
    return rows


def _figure_note(report, projection: str) -> str:
    sample = report.plot_sample
    if sample is None:
        return ""
    drawn = [
        f"{label!r}: {int((sample.y_codes == code).sum()):,} of {total:,}"
        for code, (label, total) in enumerate(zip(sample.classes, sample.n_rows_by_class))
        if (sample.y_codes == code).sum() < total
    ]
    base = f"{projection.upper()} of the diagnosis's scaled space, fitted on real rows."
    return base + (" Rows sampled for drawing only: " + "; ".join(drawn) + "." if drawn else "")


def advice_snippet(report) -> str:
    """Python that applies the advice with an imbalanced-learn Pipeline (runs as printed,
    given ``df``, or ``X`` and ``y`` when labels were passed separately)."""
    rec = report.recommendation
    seed = rec.random_state if rec.random_state is not None else 0
    sampler = (
        " ".join(repr(rec.sampler).split())
        if rec.method != "no_resampling"
        else "none (no_resampling)"
    )
    scaling = f", scaling={rec.scaling!r}" if rec.scaling != "standard" else ""
    if report.target_is_column:
        data = [
            f"X, y = df.drop(columns={report.target!r}), df[{report.target!r}]",
            f"report = smote_diag.diagnose(df, target={report.target!r},",
        ]
    else:
        data = [
            "# X, y: the features and the labels you diagnosed",
            "report = smote_diag.diagnose(X, y,",
        ]
    scoring, imports = _scoring(rec)
    verified = report.verification is not None and report.verification.n_folds
    verify = (
        [
            "                             verify=LogisticRegression(max_iter=1000),"
            f"  # your estimator: the report verified with {report.verification.estimator}"
        ]
        if verified
        else []
    )
    return "\n".join(
        [
            "import smote_diag",
            "from sklearn.linear_model import LogisticRegression",
            "from sklearn.model_selection import cross_val_score",
            *imports,
            "",
            data[0],
            data[1] + f" objective={rec.objective!r},",
            *verify,
            f"                             k_neighbors={rec.k_neighbors}, random_state={seed}"
            f"{scaling})",
            "model = report.recommendation.pipeline(LogisticRegression(max_iter=1000))",
            f"# sampler: {sampler}; it runs inside fit, on training folds only",
            f"scores = cross_val_score(model, X, y, scoring={scoring})",
        ]
    )


def _scoring(rec) -> tuple[str, list]:
    """The scoring argument for the objective, and the imports it needs: F1 and average
    precision score the minority as the positive class (labels may be text)."""
    if not rec.binary:
        words = {
            "f1": "'f1_macro'",
            "average_precision": "'roc_auc_ovr'",
            "probability": "'neg_log_loss'",
        }
        return words.get(rec.objective, "'balanced_accuracy'"), []
    if rec.objective == "balanced_accuracy":
        return "'balanced_accuracy'", []
    if rec.objective == "probability":
        return (
            f"make_scorer(brier_score_loss, greater_is_better=False, "
            f"response_method='predict_proba', pos_label={rec.positive_label!r})",
            ["from sklearn.metrics import brier_score_loss, make_scorer"],
        )
    if rec.objective == "f1":
        return (
            f"make_scorer(f1_score, pos_label={rec.positive_label!r})",
            ["from sklearn.metrics import f1_score, make_scorer"],
        )
    return (
        f"make_scorer(average_precision_score, response_method='predict_proba', "
        f"pos_label={rec.positive_label!r})",
        ["from sklearn.metrics import average_precision_score, make_scorer"],
    )


def render_resample_html(result, *, figure: bool = True, projection: str | None = None) -> str:
    """A ResampleResult as an HTML fragment: what was done, the check table, the plot."""
    check = result.checked
    rows = []
    if check is not None:
        for method, classes in check.runs():
            for c in classes:
                rows.append(
                    {
                        "method": method,
                        "label": c.label,
                        "n": f"{c.n_synthetic:,}",
                        "share": format_figure(c.majority_share, PERCENT),
                        "ratio": format_figure(c.distance_ratio),
                        "far": format_figure(c.far_share, PERCENT),
                        "shift": format_figure(c.group_shift),
                    }
                )
    image, width, height = (None, 0, 0)
    projection = projection or result.display_projection
    if figure and projection != "none" and result.synthetic_Z:
        image, width, height = figure_png(result.plot(projection=projection, random_state=0))
    return (
        _environment()
        .get_template("resample.html")
        .render(
            r=_view(result.to_dict()),
            check=check,
            rows=rows,
            figure=image,
            width=width,
            height=height,
            uid=secrets.token_hex(4),
            css=_template("report.css"),
        )
    )
