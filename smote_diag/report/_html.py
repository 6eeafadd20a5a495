"""The HTML faces: Jinja2 templates (package data) filled from ``to_dict()``; the standalone
file inlines its CSS, script and figure, and asks for nothing over the network."""

from __future__ import annotations

import base64
import io
import secrets
from datetime import datetime, timezone
from importlib import resources

from .._format import PERCENT, format_figure, listed
from .._vocabulary import CAUSE_WORDS
from ..diagnostics.tables import SUSPECT_FIELDS

# The HTML faces' scripts are event attributes (onclick), never <script>: a notebook's or a
# widget's HTML is set as innerHTML, where <script> does not run but event attributes do
# (Jupyter, JupyterLab, Voila), and the standalone file then needs no script of its own.
# Copy: the code of the button's .sd-code block to the clipboard; the clipboard API needs a
# secure context (https or localhost), else (or if it refuses) the code is selected and
# execCommand('copy') tried, the selection staying for Ctrl+C.
COPY_SCRIPT = (
    "var b=this,c=b.closest('.sd-code').querySelector('code'),t=c.textContent;"
    "function said(m){b.textContent=m;setTimeout(function(){b.textContent='Copy';},2000);}"
    "function pick(){var r=document.createRange(),s=window.getSelection();"
    "r.selectNodeContents(c);s.removeAllRanges();s.addRange(r);var ok=false;"
    "try{ok=document.execCommand('copy');}catch(e){}said(ok?'Copied':'Press Ctrl+C');}"
    "if(navigator.clipboard&&window.isSecureContext){"
    "navigator.clipboard.writeText(t).then(function(){said('Copied');},pick);}else{pick();}"
)
# Sort: a table by the clicked header's column (numbers as numbers), again to reverse.
SORT_SCRIPT = (
    "var h=this,t=h.closest('table'),i=[].indexOf.call(h.parentNode.children,h),"
    "b=t.tBodies[0],up=h.dataset.sorted!=='ascending';"
    "t.querySelectorAll('th').forEach(function(x){delete x.dataset.sorted;});"
    "h.dataset.sorted=up?'ascending':'descending';"
    "function key(r){var s=r.cells[i].textContent.trim(),n=parseFloat(s.replace(/,/g,''));"
    "return /^[-+]?[0-9.,]+(e[-+]?[0-9]+)?%?$/i.test(s)&&!isNaN(n)?n:s;}"
    "[].slice.call(b.rows).sort(function(x,y){var p=key(x),q=key(y),"
    "o=(typeof p==='number'&&typeof q==='number')?p-q:String(p).localeCompare(String(q));"
    "return up?o:-o;}).forEach(function(r){b.appendChild(r);});"
)
# Term: a glossary link opens the glossary when it is folded (<details>).
TERM_SCRIPT = (
    "var e=document.getElementById(this.hash.slice(1)),d=e&&e.closest('details');"
    "if(d){d.open=true;}"
)
SCRIPTS = {"copy_js": COPY_SCRIPT, "sort_js": SORT_SCRIPT, "term_js": TERM_SCRIPT}

# Suspect rows listed in the HTML (all of them stay in the JSON and report.suspect_rows).
SUSPECT_ROWS_SHOWN = 50


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
    with a table of contents, the data's source and shape, the parameters, the package
    version and the time it was made."""
    from .._version import __version__

    d = report.to_dict()
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
            suspects=suspect_view(d),
            columns=column_view(d),
            figure=image,
            figure_width=width,
            figure_height=height,
            figure_note=_figure_note(report, projection),
            snippet=advice_snippet(report),
            css=_template("report.css"),
            **SCRIPTS,
            version=__version__,
            made_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        )
    )


def render_fragment(
    report, *, verdict: bool = False, kinds=(), minority_class=None, noise_rows: bool = False
) -> str:
    """A piece of the report as HTML, for views that show one diagnostic at a time: the
    verdict, the findings of ``kinds`` (of one minority class, or all), the suspect rows."""
    d = report.to_dict()
    findings = [
        f
        for f in d["findings"]
        if f["kind"] in kinds
        and (minority_class is None or f["minority_class"] in (None, minority_class))
    ]
    suspects = suspect_view(d, minority_class) if noise_rows else None
    return (
        _environment()
        .get_template("fragment.html")
        .render(
            d=_view(d),
            show_verdict=verdict,
            verdict=report.verdict,
            findings=_view(findings),
            suspects=suspects,
            notes=d["notes"] if verdict else [],
            uid=secrets.token_hex(4),
            css=_template("report.css"),
            **SCRIPTS,
        )
    )


def suspect_view(d: dict, minority_class=None) -> dict:
    """The suspect rows as the HTML shows them: the header, the first SUSPECT_ROWS_SHOWN
    rows (cells formatted, causes in words), and how many more the JSON holds."""
    rows = [r for r in d["suspect_rows"] if minority_class is None or r["class"] == minority_class]
    values = [c for c in (rows[0] if rows else {}) if c not in SUSPECT_FIELDS]
    header = ["row", "class", "cause", "why", "P(label wrong)", "nearest rows' classes", *values]
    body = [
        [
            _cell(r["row"]),
            _cell(r["class"]),
            CAUSE_WORDS[r["cause"]],
            r["reason"],
            format_figure(r["p_label_wrong"]),
            r["nearest_classes"],
            *(_cell(r[c]) for c in values),
        ]
        for r in rows[:SUSPECT_ROWS_SHOWN]
    ]
    shown = {c.removesuffix(" (value)") for c in values}
    hidden = [c for c in d["feature_columns"] if str(c) not in shown and c not in shown]
    return {
        "header": header,
        "body": body,
        "more": max(0, len(rows) - SUSPECT_ROWS_SHOWN),
        "hidden": listed(hidden) if rows and hidden else "",
        "n_values": len(values),
    }


def column_view(d: dict) -> dict:
    """The per-class column profile as table cells: per column its kind, its difference
    between the classes, and per class "median [q25, q75]" (numbers) or "top (share of N
    values)" (categories), with its missing values."""
    classes = [c["label"] for c in d["class_counts"]]
    by_column: dict = {}
    for part in d["column_profile"]:
        by_column.setdefault(part["column"], []).append(part)
    body = []
    for column, parts in by_column.items():
        cells = []
        for part in parts:
            if part["median"] is not None:
                text = f"{_number(part['median'])} [{_number(part['q25'])}, {_number(part['q75'])}]"
            elif part["top"] is not None and part["n_levels"] == 1:
                text = f"{part['top']} (its only value)"
            elif part["top"] is not None:
                text = f"{part['top']} ({part['top_share']:.0%}; {int(part['n_levels'])} values)"
            else:
                text = "no values"
            if part["n_missing"]:
                text += f"; {part['n_missing']:,} missing"
            cells.append(text)
        first = parts[0]
        body.append([_cell(column), first["kind"], f"{first['difference']:.2f}", *cells])
    return {"header": ["column", "kind", "difference (0-1)", *map(_cell, classes)], "body": body}


def _cell(value) -> str:
    """A table cell: a float to 4 significant digits, a missing value as "missing"."""
    if value is None:
        return "missing"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _number(value) -> str:
    return f"{value:.4g}"


class _Attr(dict):
    """A dict readable as attributes in the template (d.recommendation.method)."""

    __getattr__ = dict.get


def _view(value):
    if isinstance(value, dict):
        return _Attr({k: _view(v) for k, v in value.items()})
    if isinstance(value, list):
        return [_view(v) for v in value]
    return value


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
    step = (
        f"# sampler: {' '.join(repr(rec.sampler).split())}; it runs inside fit, on training "
        "folds only"
        if rec.method != "no_resampling"
        else "# no sampler (no_resampling): the pipeline prepares the columns for the estimator"
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
            step,
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
    # nothing added (no_resampling): the plot shows the real points and why
    drawable = result.synthetic_Z or not result.is_synthetic.any()
    if figure and projection != "none" and drawable and result.report.plot_sample is not None:
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
