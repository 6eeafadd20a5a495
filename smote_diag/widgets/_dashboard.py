"""The dashboard: ipywidgets controls over a DiagnosisSession, and views that only read its
results. A control change marks the views that depend on it stale; the view on screen is
redrawn at once, the others when their tab is opened."""

from __future__ import annotations

import base64
import html
import io
import logging
from contextlib import contextmanager
from numbers import Integral
from pathlib import Path

import ipywidgets as w
import numpy as np
import pandas as pd

from .._tables import table_as_frame
from .._validation import check_k_neighbors, check_seed, plain_value
from .._vocabulary import CAUSE_WORDS
from ..diagnose import check_objective
from ..exceptions import InputError
from ..plot._projection import PROJECTIONS, check_projection
from ..recommend import ENSEMBLES, METHODS, OBJECTIVES
from ..report._html import COPY_SCRIPT
from ..resample import check_method, sampling_strategy_for_ratio
from ..session import DiagnosisSession

VIEWS = (
    "Verdict",
    "Neighbourhoods",
    "Clusters",
    "Dimensionality",
    "Noise",
    "Resample preview",
    "Export",
)
# What the resample preview's result depends on (it is kept until one of these changes).
RESAMPLE_READS = {"diagnosis", "objective", "method", "ratio"}
# What each view reads; a control change makes stale the views that read its topic.
READS = {
    "Verdict": {"diagnosis", "objective"},
    "Neighbourhoods": {"diagnosis", "class"},
    "Clusters": {"diagnosis", "class", "projection"},
    "Dimensionality": {"diagnosis", "class"},
    "Noise": {"diagnosis", "class", "projection"},
    "Resample preview": RESAMPLE_READS | {"projection"},
    "Export": RESAMPLE_READS,
}
# The diagnostic panel (plot_diagnosis) and finding kinds each diagnostic view shows.
PANEL_VIEWS = {
    "Neighbourhoods": ("typology", ("overlap",)),
    "Clusters": ("groups", ("minority_clustering",)),
    "Dimensionality": ("hubness", ("high_dimensionality",)),
    "Noise": ("noise", ("noise",)),
}
# Suspect rows offered for exclusion in the Noise view (the finding keeps them all).
NOISE_ROWS_LISTED = 500
ERROR_STYLE = "color:#cf222e"
FIGURE_DPI = 96
# The Export view offers its files as data: URIs in the page (no server round trip, so the
# same in Jupyter, JupyterLab and Voila). Such a file travels base64-encoded (a third larger)
# through the kernel's websocket and stays in the page, and in the notebook when widget
# state is saved; past this size it is not offered, and the view says how to write it.
DOWNLOAD_MAX_BYTES = 10_000_000
# What the Export view offers: kind -> (what it is, MIME type).
DOWNLOADS = {
    "html": ("HTML report", "text/html;charset=utf-8"),
    "json": ("JSON report", "application/json;charset=utf-8"),
    "csv": ("resampled data (CSV)", "text/csv;charset=utf-8"),
}
# How to get each file when it is too large for the page.
TOO_LARGE_HINT = {
    "html": "dashboard.report.to_html(path)",
    "json": "dashboard.report.to_json(path)",
    "csv": "dashboard.export('csv') (it writes the file next to the notebook)",
}
LINK_STYLE = (
    "display:inline-block;margin:0 8px 4px 0;padding:0 10px;border:1px solid #8c959f;"
    "border-radius:3px;text-decoration:none;color:inherit;line-height:26px"
)
# Code blocks: monospace and single-spaced whatever the notebook's CSS (a widget's HTML
# inherits the widget line height, 28px). width:0 with min-width:100% keeps a long line from
# widening the widget (its content box is a flex item that grows to its widest line, then
# is cut off): the block fills the width and scrolls sideways instead.
PRE_STYLE = (
    "font-family:var(--jp-code-font-family,SFMono-Regular,Menlo,Consolas,monospace);"
    "font-size:var(--jp-code-font-size,13px);line-height:1.4;white-space:pre;"
    "width:0;min-width:100%;box-sizing:border-box;overflow-x:auto;margin:2px 0 12px;"
    "padding:8px 10px;background:#f6f8fa;border:1px solid #d0d7de;border-radius:4px"
)
CODE_STYLE = "font:inherit;background:none;padding:0;border:0;white-space:inherit"


class Dashboard:
    """An ipywidgets app over one dataset: turn the knobs, see the consequences.

    Build it with ``dashboard(df, target)`` (or ``%smote_check df target --dashboard``) and
    show it as a cell's value. Controls: neighbours k, method, sampling ratio, objective,
    projection, seed and (multi-class) the minority class shown. Views: Verdict,
    Neighbourhoods, Clusters, Dimensionality, Noise (exclude suspect rows, reversibly),
    Resample preview (the plot and the synthetic-point check next to plain SMOTE; with
    nothing added, the real points and why), Export (the HTML and JSON reports and the
    resampled data as CSV offered as downloads, up to DOWNLOAD_MAX_BYTES each, and the code
    that reproduces the settings, with Copy buttons; ``export()`` writes the files instead).

    The work is cached by the DiagnosisSession (``self.session``): the neighbour index once
    per set of excluded rows, a report per (k, seed), projections per (projection, seed). The
    caller's data is never modified. Bad combinations (k larger than a class, a ratio below
    the current one) show one sentence in the dashboard, never an exception.

    Attributes
    ----------
    report : DiagnosisReport
        The diagnosis for the current settings.
    result : ResampleResult or None
        The resample preview for the current settings, once computed.
    excluded : tuple
        Rows left out (as ``Finding.rows`` names them); empty when every row is diagnosed.
    """

    def __init__(
        self,
        data,
        target=None,
        *,
        k_neighbors=5,
        objective="balanced_accuracy",
        method="auto",
        projection="pca",
        random_state=0,
        scaling="standard",
        n_jobs=None,
    ):
        check_k_neighbors(k_neighbors)
        check_objective(objective)
        check_method(method)
        if random_state is None:
            random_state = 0  # the seed box always shows the seed in use
        if not isinstance(random_state, Integral) or isinstance(random_state, bool):
            raise InputError(
                "The dashboard's random_state is the number in its seed box: pass an integer "
                f"from 0 to 2**32 - 1, got {type(random_state).__name__}."
            )
        check_seed(random_state)
        check_projection(projection)
        self.session = DiagnosisSession(data, target, scaling=scaling, n_jobs=n_jobs)
        self.report = None
        self.result = None
        self.excluded: tuple = ()
        self._stale = set(VIEWS)
        self._target = target
        self._build_controls(k_neighbors, objective, method, projection, random_state)
        self._build_views()
        self.root = w.VBox(
            [
                w.HTML(
                    f"<b>smote_diag</b> · {self.session.n_rows:,} rows, "
                    f"classes {html.escape(', '.join(map(repr, self.session.classes[:6])))}"
                ),
                self.controls,
                w.HBox([self.progress, self.status]),
                self.message,
                w.HBox([self.excluded_label, self.restore_button]),
                self.tabs,
            ]
        )
        self._update(set(), rediagnose=True)

    # --- building ---------------------------------------------------------------------------

    def _build_controls(self, k_neighbors, objective, method, projection, random_state):
        style = {"description_width": "initial"}
        self.k_neighbors = w.IntSlider(
            value=k_neighbors,
            min=1,
            max=max(30, k_neighbors),
            description="k neighbours",
            continuous_update=False,
            style=style,
        )
        # the methods with one resampled frame to preview (an ensemble has none)
        previewed = tuple(m for m in METHODS if m not in ENSEMBLES)
        self.method = w.Dropdown(
            options=("auto",) + previewed, value=method, description="method", style=style
        )
        self.ratio = w.FloatSlider(
            value=1.0,
            min=0.05,
            max=1.0,
            step=0.05,
            description="sampling ratio",
            continuous_update=False,
            tooltip="minority rows after resampling / majority rows (1 = balanced)",
            style=style,
        )
        self.objective = w.Dropdown(
            options=OBJECTIVES, value=objective, description="objective", style=style
        )
        self.projection = w.ToggleButtons(
            options=PROJECTIONS, value=projection, description="projection", style=style
        )
        self.random_state = w.BoundedIntText(
            value=random_state, min=0, max=2**32 - 1, description="seed", style=style
        )
        self.minority_class = w.Dropdown(
            options=[], description="minority class", disabled=True, style=style
        )
        self._syncing = False  # set while the code, not the user, changes a control
        self.controls = w.VBox(
            [
                w.HBox([self.k_neighbors, self.ratio, self.random_state]),
                w.HBox([self.method, self.objective, self.minority_class]),
                self.projection,
            ]
        )
        self.progress = w.IntProgress(
            value=0, min=0, max=3, layout=w.Layout(visibility="hidden", width="160px")
        )
        self.status = w.HTML("")
        self.message = w.HTML("")
        self.excluded_label = w.HTML("")
        self.restore_button = w.Button(description="Restore all rows", disabled=True)
        self.restore_button.on_click(lambda _: self._set_excluded(()))
        topics = {
            self.k_neighbors: "diagnosis",
            self.random_state: "diagnosis",
            self.objective: "objective",
            self.method: "method",
            self.ratio: "ratio",
            self.projection: "projection",
            self.minority_class: "class",
        }
        for control, topic in topics.items():
            control.observe(lambda change, topic=topic: self._changed(topic), "value")

    def _build_views(self):
        wide = w.Layout(max_width="100%", height="auto")
        self.views = {}
        for name in PANEL_VIEWS:
            self.views[name] = {"html": w.HTML(), "image": w.Image(format="png", layout=wide)}
        self.views["Verdict"] = {"html": w.HTML()}
        self.noise_rows = w.SelectMultiple(
            options=[], description="suspect rows", rows=8, layout=w.Layout(width="60%")
        )
        self.exclude_button = w.Button(
            description="Exclude selected rows and re-diagnose", layout=w.Layout(width="auto")
        )
        self.exclude_button.on_click(lambda _: self._exclude_selected())
        self.noise_more = w.HTML()  # "... and N more" when the list is cut
        self.views["Resample preview"] = {
            "image": w.Image(format="png", layout=w.Layout(max_width="55%", height="auto")),
            "html": w.HTML(layout=w.Layout(flex="1 1 0%", min_width="320px", overflow="auto")),
        }
        self.export_prefix = w.Text(
            value="smote_diag",
            description="file names",
            continuous_update=False,
            tooltip="The downloads are named PREFIX.html, PREFIX.json, PREFIX_resampled.csv",
        )
        self.export_prefix.observe(lambda _: self._show_downloads(), "value")
        self.csv_button = w.Button(
            description="Resample to offer the CSV",
            tooltip="Runs the resample preview for the current settings",
            layout=w.Layout(width="auto"),
        )
        self.csv_button.on_click(lambda _: self._prepare_csv())
        self._files: dict = {}  # kind -> (bytes, or None when too large; size in bytes)
        self._report_files: tuple = (None, {})  # (the report, its files): made once each
        self._csv_file: tuple = (None, None)  # (the result, its CSV): made once each
        self.views["Export"] = {
            "downloads": w.HTML(),
            "written": w.HTML(),
            "html": w.HTML(layout=w.Layout(width="100%")),
        }
        noise = self.views["Noise"]
        preview = self.views["Resample preview"]
        export = self.views["Export"]
        pages = {
            "Verdict": self.views["Verdict"]["html"],
            "Noise": w.VBox(
                [
                    noise["html"],
                    w.HBox([self.noise_rows, self.exclude_button]),
                    self.noise_more,
                    noise["image"],
                ]
            ),
            "Resample preview": w.HBox([preview["image"], preview["html"]]),
            "Export": w.VBox(
                [
                    w.HBox([export["downloads"], self.csv_button]),
                    self.export_prefix,
                    export["written"],
                    export["html"],
                ]
            ),
        }
        for name in ("Neighbourhoods", "Clusters", "Dimensionality"):
            pages[name] = w.VBox([self.views[name]["html"], self.views[name]["image"]])
        self.tabs = w.Tab(children=[pages[name] for name in VIEWS], titles=VIEWS)
        self.tabs.observe(lambda _: self._on_tab(), "selected_index")

    # --- notebooks --------------------------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs):
        return self.root._repr_mimebundle_(**kwargs)

    # --- settings ---------------------------------------------------------------------------

    @property
    def settings(self) -> dict:
        """The current control values (what the Export view's code reproduces)."""
        return {
            "k_neighbors": self.k_neighbors.value,
            "objective": self.objective.value,
            "method": self.method.value,
            "sampling_ratio": self.ratio.value,
            "projection": self.projection.value,
            "random_state": self.random_state.value,
            "minority_class": self.minority_class.value,
            "excluded": self.excluded,
        }

    def select(self, view: str) -> None:
        """Show ``view`` (one of VIEWS), computing it if stale."""
        if self.tabs.selected_index != VIEWS.index(view):
            self.tabs.selected_index = VIEWS.index(view)  # _on_tab draws it
        else:
            self._render_current()

    def _on_tab(self) -> None:
        self.message.value = ""  # a message speaks of the last thing done
        self._render_current()

    # --- recomputing ------------------------------------------------------------------------

    def _changed(self, topic: str) -> None:
        if not self._syncing:
            self._update({topic}, rediagnose=topic == "diagnosis")

    def _update(self, topics: set, *, rediagnose: bool = False) -> bool:
        """A control changed: recompute what depends on it, redraw the view on screen.
        Returns False when the diagnosis was refused (the last good one stays)."""
        if rediagnose:
            topics = topics | {"diagnosis"}
        self.message.value = ""
        self._stale |= {view for view in VIEWS if READS[view] & topics}
        if topics & RESAMPLE_READS:
            self.result = None  # the session keeps the results; this is the one on screen
        diagnosed = True
        if topics & {"diagnosis", "objective"}:
            diagnosed = False
            with self._guard():
                with self._busy("Diagnosing"):
                    self.report = self.session.diagnose(**self._diagnosis_settings())
                diagnosed = True
            self._after_diagnosis()
        self._render_current()
        return diagnosed

    def _diagnosis_settings(self) -> dict:
        return {
            "k_neighbors": self.k_neighbors.value,
            "objective": self.objective.value,
            "random_state": self.random_state.value,
            "exclude": self.excluded,
        }

    def _after_diagnosis(self) -> None:
        """Bring the row and class controls in line with the report on screen."""
        n = self.session.n_rows - (self.report.n_rows if self.report else self.session.n_rows)
        self.excluded_label.value = (
            f"<b>{n:,} rows excluded</b> (suspect rows left out of this diagnosis)."
            if n
            else f"All {self.session.n_rows:,} rows diagnosed."
        )
        self.restore_button.disabled = n == 0
        labels = self.report.minority_classes if self.report else ()
        options = [(repr(label), label) for label in labels]
        if list(self.minority_class.options) != options:
            keep = self.minority_class.value
            self._syncing = True
            try:
                self.minority_class.options = options
                self.minority_class.value = keep if keep in labels else (labels or (None,))[-1]
            finally:
                self._syncing = False
        self.minority_class.disabled = len(labels) <= 1

    def _set_excluded(self, rows: tuple) -> None:
        before, self.excluded = self.excluded, tuple(rows)
        if not self._update(set(), rediagnose=True):  # refused: keep the last good set
            self.excluded = before
            self._after_diagnosis()

    def _exclude_selected(self) -> None:
        chosen = tuple(self.noise_rows.value)
        if not chosen:
            self._say("Select suspect rows in the list first (Ctrl/Shift-click for several).")
            return
        self._set_excluded(tuple(dict.fromkeys(self.excluded + chosen)))

    def _resample(self):
        """The resample preview for the current settings (cached by the session)."""
        if self.result is None:
            with self._busy(f"Resampling ({self.method.value})"):
                self.result = self.session.resample(
                    self.method.value, **self._diagnosis_settings(), **self._sampler_params()
                )
            self._stale.add("Export")  # it offers this result as CSV
        return self.result

    def _sampler_params(self) -> dict:
        """The sampling ratio as imbalanced-learn's sampling_strategy (none for 1: balance);
        for smote_rus, which sets the sizes by its own two ratios, as the minority : majority
        ratio it leaves (SMOTE up to the ratio or to half the majority, whichever is less,
        then the majority undersampled to the ratio)."""
        if self.ratio.value >= 1.0 or self.method.value == "no_resampling":
            return {}
        if self.method.value == "smote_rus":
            ratio = float(self.ratio.value)
            return {"oversample_to": min(0.5, ratio), "undersample_to": ratio}
        strategy = sampling_strategy_for_ratio(self.report.class_counts, self.ratio.value)
        return {"sampling_strategy": strategy}

    # --- views ------------------------------------------------------------------------------

    def _render_current(self) -> None:
        view = VIEWS[self.tabs.selected_index or 0]
        if view not in self._stale or self.report is None:
            return
        with self._guard():
            with self._busy(f"Drawing {view}"):
                self._renderers[view](view)
            self._stale.discard(view)

    def _render_verdict(self, view):
        from ..report import render_fragment

        kinds = tuple(f.kind for f in self.report.findings)
        self.views[view]["html"].value = render_fragment(self.report, verdict=True, kinds=kinds)

    @property
    def _renderers(self) -> dict:
        """View -> the method that draws it (the diagnostic panels share one)."""
        return {
            "Verdict": self._render_verdict,
            **dict.fromkeys(PANEL_VIEWS, self._render_panel),
            "Noise": self._render_noise,
            "Resample preview": self._render_resample,
            "Export": self._render_export,
        }

    def _render_noise(self, view):
        self._render_panel(view)
        table = self.report.suspect_rows
        # rows to exclude: label noise and outliers (rare cases are kept, not suspects)
        picked = table[(table["class"] == self.minority_class.value) & (table["cause"] != "rare")]
        options = [
            (f"{row!r} ({CAUSE_WORDS[cause]}): {why}", row)
            for row, cause, why in zip(picked["row"], picked["cause"], picked["reason"])
        ]
        self.noise_rows.options = options[:NOISE_ROWS_LISTED]
        cut = len(options) - NOISE_ROWS_LISTED
        self.noise_more.value = (
            f"<small>... and {cut:,} more (report.suspect_rows has them all; "
            "exclude them from Python with DiagnosisSession.diagnose(exclude=...))</small>"
            if cut > 0
            else ""
        )
        self.exclude_button.disabled = not options

    def _render_panel(self, view):
        from ..plot import plot_diagnosis
        from ..report import render_fragment

        panel, kinds = PANEL_VIEWS[view]
        label = self.minority_class.value
        image = self.views[view]["image"]
        image.layout.display = None if self.report.minority_classes else "none"
        if not self.report.minority_classes:
            self.views[view][
                "html"
            ].value = "<p>No class is smaller than the largest one: nothing to diagnose here.</p>"
            return
        self.views[view]["html"].value = render_fragment(
            self.report, kinds=kinds, minority_class=label, noise_rows=view == "Noise"
        )
        fig = plot_diagnosis(
            self.report,
            panels=(panel,),
            minority_class=label,
            projection=self.projection.value,
            random_state=self.random_state.value,
        )
        _show(image, fig)

    def _render_resample(self, view):
        from ..report import render_resample_html

        result = self._resample()
        added = bool(result.is_synthetic.any())
        # nothing added (no_resampling, or the advice): the face says why, with no check table
        self.views[view]["html"].value = render_resample_html(result, figure=False)
        image = self.views[view]["image"]
        # with nothing added, plot_resampled draws the real points and says why
        if result.report.plot_sample is not None and (result.synthetic_Z or not added):
            fig = result.plot(
                projection=self.projection.value, random_state=self.random_state.value
            )
            _show(image, fig)
            image.layout.display = None
        else:
            image.layout.display = "none"  # synthetic rows the check did not place

    def _render_export(self, view):
        from ..report import advice_snippet

        self._files = self._export_files()
        self._show_downloads()
        self.views[view]["html"].value = _code_block(
            "Reproduce these settings:", self.code()
        ) + _code_block("Apply the advice in a pipeline:", advice_snippet(self.report))

    # --- export -----------------------------------------------------------------------------

    def _export_files(self) -> dict:
        """kind -> (the file's bytes, or None past DOWNLOAD_MAX_BYTES; its size): the two
        reports of the report on screen (made once per report), and the resampled data when
        there is a preview result."""
        report, files = self._report_files
        if report is not self.report:
            files = {
                "html": _sized(_written(self.report.to_html)),
                "json": _sized(_written(self.report.to_json)),
            }
            self._report_files = (self.report, files)
        files = dict(files)
        if self.result is not None:
            result, csv = self._csv_file
            if result is not self.result:  # written once per result
                csv = _csv_file(self.result)
                self._csv_file = (self.result, csv)
            files["csv"] = csv
        return files

    def _show_downloads(self) -> None:
        """The Export view's download links (named from the file prefix), and for a file
        too large to offer, how to write it."""
        links, refused = [], []
        for kind, (data, size) in self._files.items():
            what, mime = DOWNLOADS[kind]
            if data is None:
                refused.append(
                    f"The {what} is about {_megabytes(size)}, too large to offer in the browser "
                    f"(the limit is {_megabytes(DOWNLOAD_MAX_BYTES)}): use {TOO_LARGE_HINT[kind]}."
                )
            else:
                name = Path(self._file_name(kind)).name  # a download has no folder
                links.append(_download_link(data, mime, name, what))
        self.csv_button.layout.display = "none" if "csv" in self._files else None
        value = f"<div>Download: {''.join(links)}</div>" if links else ""
        value += "".join(f"<div>{html.escape(text)}</div>" for text in refused)
        self.views["Export"]["downloads"].value = value

    def _prepare_csv(self) -> None:
        """The CSV button: resample for the current settings; the view then offers it."""
        self.message.value = ""
        with self._guard():
            self._resample()
        self._render_current()

    def _file_name(self, kind: str) -> str:
        prefix = self.export_prefix.value.strip() or "smote_diag"
        return prefix + {"html": ".html", "json": ".json", "csv": "_resampled.csv"}[kind]

    def export(self, kind: str) -> Path | None:
        """Write the HTML or JSON report, or the resampled data as CSV (with an
        ``is_synthetic`` column), on the machine running Python, named from the file prefix.
        Returns the path (None when refused: the message says why).

        The Export view offers the same files as downloads to the browser; this writes them
        for Python callers, and files too large for the page."""
        path = None
        self.message.value = ""
        with self._guard():
            if kind not in DOWNLOADS:
                raise InputError(f"kind must be 'html', 'json' or 'csv', got {kind!r}.")
            path = Path(self._file_name(kind))
            with self._busy(f"Writing {kind.upper()}"):
                if kind == "html":
                    self.report.to_html(path)
                elif kind == "json":
                    self.report.to_json(path)
                else:
                    result = self._resample()
                    resampled_table(result).to_csv(path, index=_csv_index(result))
            written = self.views["Export"]["written"]
            written.value += f"<div>Wrote <code>{html.escape(str(path.resolve()))}</code></div>"
        self._render_current()  # a new resample result: the view offers its CSV
        return path

    def code(self) -> str:
        """Python that reproduces the current settings with the public API, given the data
        under the name the dashboard was built from (``df``, or ``X`` and ``y``)."""
        s = self.settings
        if self.session.target_is_column:
            where, out = f"df, target={self._target!r}", "resampled = result.frame"
        else:
            where, out = "X, y", "X_res, y_res = result.X, result.y"
        common = (
            f"objective={s['objective']!r}, k_neighbors={s['k_neighbors']}, "
            f"random_state={s['random_state']}"
        )
        scaling = self.session.scaling
        if scaling != "standard":
            where += f", scaling={scaling!r}"
        params = "".join(f", {k}={v!r}" for k, v in self._sampler_params_or_empty().items())
        lines = ["import smote_diag", ""]
        if s["excluded"]:
            # The session names rows as the dashboard did (labels, or positions in the
            # full data), so its report lists the same rows.
            rows = [plain_value(r) for r in s["excluded"]]
            lines += [
                f"session = smote_diag.DiagnosisSession({where})",
                f"excluded = {rows!r}  # the rows left out in the dashboard",
                f"report = session.diagnose({common}, exclude=excluded)",
                f"result = session.resample({s['method']!r}, {common}, exclude=excluded{params})",
            ]
        else:
            lines += [
                f"report = smote_diag.diagnose({where}, {common})",
                f"result = smote_diag.resample({where}, method={s['method']!r}, {common}{params})",
            ]
        lines.append(f"{out}  # result.is_synthetic marks the new rows")
        return "\n".join(lines)

    def _sampler_params_or_empty(self) -> dict:
        try:
            return self._sampler_params()
        except InputError:
            return {}

    # --- feedback ---------------------------------------------------------------------------

    @contextmanager
    def _busy(self, what: str):
        """Show what is being computed, with a progress bar, while it runs."""
        self.status.value = f"<i>{html.escape(what)}…</i>"
        self.progress.layout.visibility = "visible"
        self.progress.value = (self.progress.value + 1) % (self.progress.max + 1)
        try:
            yield
        finally:
            self.status.value = ""
            self.progress.layout.visibility = "hidden"

    @contextmanager
    def _guard(self):
        """Bad input becomes one sentence in the dashboard; the controls keep their values.
        Anything else is a bug: said in one sentence too, with the traceback in the log."""
        try:
            yield
        except InputError as exc:
            self._say(str(exc))
        except Exception as exc:  # a widget callback must not die silently
            logging.getLogger(__name__).exception("smote_diag dashboard")
            self._say(f"Unexpected {type(exc).__name__}: {exc} (a bug: please report it).")

    def _say(self, text: str) -> None:
        self.message.value = f'<span style="{ERROR_STYLE}">{html.escape(text)}</span>'


def _show(image: w.Image, fig) -> None:
    """Put a figure in an Image widget at its own size (shrunk to fit, never stretched)."""
    from ..report import figure_bytes

    image.value, width, _ = figure_bytes(fig, dpi=FIGURE_DPI)
    image.width = str(width)


def _written(write) -> bytes:
    """What a report's ``to_html`` / ``to_json`` writes, as UTF-8 bytes (they write to an
    open text file as to a path: one way to make each file)."""
    buffer = io.StringIO()
    write(buffer)
    return buffer.getvalue().encode("utf-8")


def _sized(data: bytes) -> tuple:
    return (data if len(data) <= DOWNLOAD_MAX_BYTES else None), len(data)


def _csv_index(result) -> bool:
    return isinstance(result.frame, pd.DataFrame)  # arrays and polars/pyarrow tables have none


# Rows written to estimate a CSV's size before writing all of it.
CSV_SIZE_PROBE_ROWS = 1000


def _csv_file(result) -> tuple:
    """The resampled data as CSV bytes and their size; (None, estimated size) when clearly
    past DOWNLOAD_MAX_BYTES (judged from the first rows, so a huge table is not written out
    only to be refused)."""
    table = resampled_table(result)
    index = _csv_index(result)
    probe = min(len(table), CSV_SIZE_PROBE_ROWS)
    if probe < len(table):
        head = len(table.iloc[:probe].to_csv(index=index).encode("utf-8"))
        estimate = int(head * len(table) / probe)
        if estimate > 2 * DOWNLOAD_MAX_BYTES:
            return None, estimate
    return _sized(table.to_csv(index=index).encode("utf-8"))


def _megabytes(size: int) -> str:
    return f"{size / 1e6:,.1f} MB" if size >= 100_000 else f"{size / 1e3:,.0f} kB"


def _download_link(data: bytes, mime: str, name: str, what: str) -> str:
    """A link the browser saves as ``name``: the file inlined as a base64 data: URI."""
    href = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return (
        f'<a download="{html.escape(name)}" href="{href}" style="{LINK_STYLE}" '
        f'title="Save {html.escape(name)}">{html.escape(what)} '
        f"<small>({_megabytes(len(data))})</small></a>"
    )


def _code_block(title: str, code: str) -> str:
    """Code in a single-spaced monospace block (escaped) under its title, with a Copy
    button (see report.COPY_SCRIPT)."""
    return (
        '<div class="sd-code">'
        f"<div>{html.escape(title)} "
        f'<button type="button" class="sd-copy" title="Copy the code to the clipboard" '
        f'style="font:inherit;font-size:12px;line-height:20px;padding:0 10px;cursor:pointer" '
        f'onclick="{html.escape(COPY_SCRIPT)}">Copy</button></div>'
        f'<pre style="{PRE_STYLE}"><code style="{CODE_STYLE}">{html.escape(code)}</code></pre>'
        "</div>"
    )


def resampled_table(result) -> pd.DataFrame:
    """The resampled rows as one pandas table with an ``is_synthetic`` column (for CSV
    export; a polars or pyarrow ``frame`` is converted)."""
    if result.frame is not None:
        converted = table_as_frame(result.frame)
        table = result.frame.copy() if converted is None else converted
    else:
        table = pd.DataFrame(result.X)
        table["target"] = result.y
    name = "is_synthetic" if "is_synthetic" not in table.columns else "smote_diag_is_synthetic"
    table[name] = np.asarray(result.is_synthetic)
    return table


def dashboard(data, target=None, **kwargs) -> Dashboard:
    """An interactive dashboard over ``data`` (see ``Dashboard``); show it as a cell's value.

    Parameters
    ----------
    data, target
        As for ``diagnose``.
    **kwargs
        Initial control values: ``k_neighbors``, ``objective``, ``method``, ``projection``,
        ``random_state`` (an integer: the seed box always shows the seed in use, so None
        starts it at 0); and ``scaling`` (see ``diagnose``) and ``n_jobs``.

    Returns
    -------
    Dashboard

    Examples
    --------
    >>> from smote_diag import dashboard, load_demo
    >>> app = dashboard(load_demo(), "status")
    >>> app.report.recommendation.method
    'cluster_smote'
    >>> app.k_neighbors.value = 7  # recomputes; the neighbour index is reused
    >>> app.session.n_index_builds
    1
    """
    return Dashboard(data, target, **kwargs)
