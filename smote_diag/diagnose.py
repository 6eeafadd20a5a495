"""diagnose(): validate once, build the shared neighbour graph, run every diagnostic,
recommend, and return a frozen DiagnosisReport."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from numbers import Integral
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._format import listed
from ._jsonable import to_jsonable
from ._progress import progress
from ._space import check_scaling, scaling_description
from ._validation import (
    check_classifier,
    check_inputs,
    check_n_jobs,
    check_seed,
    did_you_mean,
    stratified_sample,
)
from ._version import __version__
from ._vocabulary import CAUSE_WORDS, GLOSSARY, terms_in
from .diagnostics import DIAGNOSTICS, KINDS, SEVERITIES, Finding, worst
from .diagnostics._context import DiagnosisContext
from .diagnostics.tables import class_overview, column_profile, profile_note, suspect_table
from .exceptions import InputError, InputTypeError
from .recommend import OBJECTIVES, Recommendation, recommend

# Version of the to_dict() layout; bump it when a key changes meaning or disappears.
SCHEMA_VERSION = 4


@dataclass(frozen=True, eq=False)
class ClassProfile:
    """Per-row results for one minority class, for plots and dashboards.

    Attributes
    ----------
    label : object
        The class label as the caller wrote it.
    positions : ndarray of int
        Positions of the class's rows in the caller's data.
    typology : ndarray of str
        "safe", "borderline", "rare" or "outlier" per row.
    groups : ndarray of int
        Minority group per row (0 = largest), -1 for isolated rows.
    noise : ndarray of bool
        Rows the noise diagnostic finds mislabelled (label noise).
    k_occurrence : ndarray of int
        In how many of the class's k-NN lists each row appears (hubness).
    bridges : ndarray of shape (n, 2)
        Pairs of rows (class-local, as ``positions``) of plain SMOTE's neighbour pairs that
        join two groups through majority territory (those probed).
    """

    label: Any
    positions: np.ndarray
    typology: np.ndarray
    groups: np.ndarray
    noise: np.ndarray
    k_occurrence: np.ndarray
    bridges: np.ndarray


# Rows per class kept for drawing; larger classes are sampled (plots say so).
PLOT_ROWS_PER_CLASS = 5000


@dataclass(frozen=True, eq=False)
class PlotSample:
    """The rows plots draw, in the diagnosis's scaled space: all rows of each class up to
    PLOT_ROWS_PER_CLASS, a random sample of larger classes.

    Attributes
    ----------
    positions : ndarray of int
        Rows of the caller's data.
    Z : ndarray
        Their coordinates in the scaled space.
    y_codes : ndarray of int
        Class code per row (index into ``classes``).
    classes : tuple
        Class labels, largest class first.
    n_rows_by_class : tuple
        All rows per class (to say "showing 5,000 of 48,210").
    """

    positions: np.ndarray
    Z: np.ndarray
    y_codes: np.ndarray
    classes: tuple
    n_rows_by_class: tuple
    # fitted 2-D projections, per (projection, seed): a cache that lives with the sample
    projections: dict = field(default_factory=dict, repr=False)


@dataclass(frozen=True, eq=False)
class DiagnosisReport:
    """Everything ``diagnose()`` measured and advised.

    Attributes
    ----------
    findings : tuple of Finding
        One per diagnostic that ran; class-level diagnostics run once per minority class.
    recommendation : Recommendation
    profiles : tuple of ClassProfile
        Per-row results for each minority class.
    class_counts : dict
        Rows per class, largest first.
    target : object
        The target column's name (or the name of a labels Series); None for unnamed labels.
    n_rows, n_features : int
        Rows, and feature columns used in the distances.
    feature_columns : tuple
        The columns used.
    excluded_columns : dict
        Columns left out, with the reason.
    k_neighbors : int
    random_state : None or int
    scaling : str
        How numeric columns were scaled in the distance space ("standard", "robust" or
        "none"); ``scaling_description`` says it in words.
    objective : str
        What the advice optimises (see ``diagnose``).
    notes : tuple of str
        What the diagnosis dropped or changed.
    verification : Verification or None
        With ``diagnose(..., verify=estimator)``: the strategies the cross-validation
        compared, their scores and its choice (the recommendation then applies it).
    suspect_rows : DataFrame
        Every label-noise, outlier and rare row of the minority classes: its row (index
        label, or position for arrays), class, cause, reason, probability that its label is
        wrong, its nearest rows' classes, and its values in the columns that matter.
    column_profile : DataFrame
        One row per used feature column and class: the column's kind, how much it tells a
        minority class from the majority (0-1; columns largest first), the class's missing
        values and its quartiles or most frequent value (of a sample of large classes, as
        the notes say).
    class_overview : DataFrame
        Per class: rows, exact duplicates, rows whose features repeat with another label,
        rows with a missing value.
    source : str or None
        Where the data came from (a file or variable name), shown by the faces; the CLI and
        ``%smote_check`` set it, ``dataclasses.replace(report, source="churn.csv")`` too.
    """

    findings: tuple
    recommendation: Recommendation
    profiles: tuple
    class_counts: dict
    target: Any
    n_rows: int
    n_features: int
    feature_columns: tuple
    excluded_columns: dict
    k_neighbors: int
    random_state: Any
    scaling: str
    objective: str = "balanced_accuracy"
    notes: tuple = ()
    advice_inputs: dict = field(default_factory=dict, repr=False)  # what recommend() read
    plot_sample: PlotSample = field(default=None, repr=False)
    # how notebooks draw the figure: "pca", "umap" or "none" (%smote_check --projection)
    display_projection: str = field(default="pca", repr=False)
    target_is_column: bool = False  # the target was a column of the data diagnosed
    verification: Any = None  # Verification, with diagnose(..., verify=estimator)
    suspect_rows: pd.DataFrame = field(default=None, repr=False)
    column_profile: pd.DataFrame = field(default=None, repr=False)
    class_overview: pd.DataFrame = field(default=None, repr=False)
    source: str | None = None

    @property
    def majority_class(self):
        return next(iter(self.class_counts))

    @property
    def minority_classes(self) -> tuple:
        return tuple(p.label for p in self.profiles)

    @property
    def scaling_description(self) -> str:
        """How the columns were put in one distance space, in words."""
        return scaling_description(self.scaling)

    @property
    def verdict(self) -> str:
        """The worst severity among the findings, imbalance aside (it is the premise)."""
        return worst("ok", *(f.severity for f in self.findings_at("ok")))

    def findings_at(self, severity: str) -> tuple:
        """The findings at ``severity`` or worse, imbalance aside (it is the premise): what
        ``verdict`` and the CLI's ``--fail-on`` read."""
        bar = SEVERITIES.index(severity)
        return tuple(
            f
            for f in self.findings
            if f.kind != "imbalance" and SEVERITIES.index(f.severity) >= bar
        )

    def finding(self, kind: str, minority_class=None) -> Finding | None:
        """The finding of ``kind``; with several minority classes and no ``minority_class``,
        the most severe of them (the first class on ties). None when it did not run.

        Examples
        --------
        >>> from smote_diag.datasets import make_compact_minority
        >>> data = make_compact_minority(random_state=0)
        >>> report = diagnose(data.frame, target=data.target, random_state=0, verbose=0)
        >>> report.finding("noise").severity
        'ok'
        """
        if kind not in KINDS:
            raise InputError(f"No finding kind {kind!r}.{did_you_mean(kind, KINDS)}")
        matches = [
            f
            for f in self.findings
            if f.kind == kind and (minority_class is None or f.minority_class == minority_class)
        ]
        if not matches and minority_class is not None:
            shown = [f.minority_class for f in self.findings if f.minority_class is not None]
            classes = list(dict.fromkeys(shown))
            if minority_class not in classes:
                raise InputError(
                    f"{minority_class!r} is not a minority class of this report; its minority "
                    f"classes are {listed(classes)}."
                )
        if not matches:
            return None
        return max(matches, key=lambda f: SEVERITIES.index(f.severity))

    def with_objective(self, objective: str) -> DiagnosisReport:
        """The same measurements, advised for another objective (nothing is recomputed but
        the recommendation). A verification (``diagnose(..., verify=)``) was for the
        report's own objective: the report returned has none, and the diagnosis's advice.

        Examples
        --------
        >>> from smote_diag.datasets import make_overlapping
        >>> data = make_overlapping(random_state=0)
        >>> report = diagnose(data.frame, target=data.target, random_state=0, verbose=0)
        >>> report.with_objective("average_precision").objective
        'average_precision'
        """
        check_objective(objective)
        advice = recommend(**self.advice_inputs, objective=objective)
        return replace(self, objective=objective, recommendation=advice, verification=None)

    def to_html(self, path) -> None:
        """Write the report as one self-contained HTML file (figure, CSS and script inlined;
        nothing is fetched over the network)."""
        from .report import render_html

        write_text(path, render_html(self, standalone=True))

    def to_json(self, path) -> None:
        """Write ``to_dict()`` as JSON (keys documented in the README), with the time it was
        made."""
        made = {"generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        write_text(path, json.dumps({**self.to_dict(), **made}, indent=2))

    def _repr_mimebundle_(self, include=None, exclude=None):
        from .report import render_html, render_text

        return {"text/plain": render_text(self), "text/html": render_html(self)}

    def _repr_html_(self) -> str:
        from .report import render_html

        return render_html(self)

    def plot(self, *, projection="pca", random_state=None):
        """The four diagnostics in one figure (see ``plot_diagnosis``)."""
        from .plot import plot_diagnosis

        return plot_diagnosis(self, projection=projection, random_state=random_state)

    def to_dict(self) -> dict:
        """Everything in the report as JSON types (survives ``json.dumps``)."""
        return to_jsonable(
            {
                "schema_version": SCHEMA_VERSION,
                "smote_diag_version": __version__,
                "target": self.target,
                "n_rows": self.n_rows,
                "n_features": self.n_features,
                "class_counts": [{"label": k, "n_rows": v} for k, v in self.class_counts.items()],
                "majority_class": self.majority_class,
                "minority_classes": list(self.minority_classes),
                "findings": [f.to_dict() for f in self.findings],
                "recommendation": self.recommendation.to_dict(),
                "verification": (
                    self.verification.to_dict() if self.verification is not None else None
                ),
                "parameters": {
                    "objective": self.objective,
                    "k_neighbors": self.k_neighbors,
                    "random_state": self.random_state,
                    "scaling": self.scaling,
                },
                "scaling_description": self.scaling_description,
                "feature_columns": list(self.feature_columns),
                "excluded_columns": {str(k): v for k, v in self.excluded_columns.items()},
                "notes": list(self.notes),
                "source": self.source,
                "suspect_rows": _records(self.suspect_rows),
                "column_profile": _records(self.column_profile),
                "class_overview": _records(self.class_overview),
                "glossary": self.glossary,
            }
        )

    @property
    def glossary(self) -> dict:
        """The glossary entries (``_vocabulary.GLOSSARY``) of the terms the report uses: in
        its sentences, or as the term of a figure it shows."""
        sentences = [f.summary for f in self.findings] + list(self.recommendation.reasons)
        if self.suspect_rows is not None and len(self.suspect_rows):
            sentences += [CAUSE_WORDS[c] for c in self.suspect_rows["cause"].unique()]
        used = set(terms_in(" ".join(sentences)))
        for f in self.findings:
            used.update(d["term"] for d in f.figures() if d["term"])
        return {term: words for term, words in GLOSSARY.items() if term in used}

    def __repr__(self) -> str:
        from .report import render_text

        return render_text(self)


def diagnose(
    data,
    target=None,
    *,
    objective="balanced_accuracy",
    k_neighbors=5,
    random_state=None,
    scaling="standard",
    sample=None,
    verify=None,
    n_jobs=None,
    verbose=1,
) -> DiagnosisReport:
    """Measure what would make SMOTE fail on this data, and recommend what to do.

    One neighbour computation in a scaled space, queried from the minority side, feeds every
    diagnostic: minority clustering (groups, small disjuncts, bridging risk), noise, class
    overlap and high-dimensional concentration, plus the facts that decide a variant.

    Parameters
    ----------
    data : DataFrame (pandas or polars), pyarrow Table, 2-D array-like or dask DataFrame
        Features, and the target column when ``target`` is a column name. A polars or
        pyarrow table is read once as pandas; its rows are reported by position. A dask
        DataFrame (the ``dask`` extra) stays on its workers: each partition answers the
        minority-side neighbour queries and its figures are merged, to the same report as in
        memory; rows are then reported by position.
    target : hashable or array-like
        The target column's name in ``data`` (``diagnose(df, target="label")``), or the
        labels themselves (``diagnose(X, y)``; a polars Series or a pyarrow array pairs with
        the rows by position; a dask DataFrame needs the column's name).
    objective : str, default="balanced_accuracy"
        One of "f1", "average_precision", "balanced_accuracy", "probability".
        What the model will be judged on; it decides the advice (see ``OBJECTIVES``):
        "f1" judges decisions at a threshold on the minority class, "average_precision" the
        ranking of scores, "balanced_accuracy" decisions by the mean recall of the classes,
        "probability" calibrated probabilities (Brier score; log loss on more than two
        classes), which resampling distorts: the advice is then no resampling, and a sampler
        applied all the same is corrected for the class prior it changed.
    k_neighbors : int, default=5
        SMOTE's neighbour count (imbalanced-learn's default): the neighbourhoods simulated.
    random_state : None, int or RandomState, default=None
        Seeds the simulated SMOTE candidates and the sampled probes; an int makes the report
        reproducible.
    scaling : {"standard", "robust", "none"}, default="standard"
        How numeric columns count in the distances, here and in every sampler the advice
        builds: "standard" divides each by its standard deviation; "robust" centres it on
        its median and divides by its interquartile range over 1.349 (prefer it for
        heavy-tailed columns such as amounts or counts, where a few huge values would
        shrink every other difference); "none" takes the columns as they are (their units
        are already comparable). 0/1 columns count as they are and a category mismatch as
        one unit, whatever the scaling.
    sample : int, default=None
        Diagnose a stratified random sample of this many rows (exploring large data); the
        notes say so, and how precise a share measured on the smallest class then is.
    verify : scikit-learn classifier, default=None
        Verify the advice with this estimator: the recommended method, the alternatives the
        findings allow and no resampling (with the objective's decision layer) are
        cross-validated on 3 stratified folds of the rows diagnosed, every resampling inside
        the training rows, and the simplest within one standard error of the best is
        recommended (``report.verification`` has the scores). 12 fits, against 39 for
        choosing among the advice benchmark's 13 strategies by the same cross-validation
        (measured there at 22-55% of its time).
    n_jobs : int, default=None
        Threads for the neighbour search; None uses every core.
    verbose : int, default=1
        0 is silent; otherwise a progress bar appears for runs longer than a second.

    Returns
    -------
    DiagnosisReport

    Raises
    ------
    InputError, InputTypeError
        Bad input, with what is wrong and what to do.

    Examples
    --------
    >>> from smote_diag import diagnose
    >>> from smote_diag.datasets import make_bridged_groups
    >>> data = make_bridged_groups(random_state=0)
    >>> report = diagnose(data.frame, target=data.target, random_state=0, verbose=0)
    >>> report.finding("minority_clustering").severity
    'severe'
    >>> report.recommendation.method
    'cluster_smote'
    """
    return run_diagnosis(
        data,
        target,
        objective=objective,
        k_neighbors=k_neighbors,
        random_state=random_state,
        scaling=scaling,
        n_jobs=n_jobs,
        verbose=verbose,
        sample=sample,
        verify=verify,
    )[0]


def run_diagnosis(
    data,
    target,
    *,
    objective,
    k_neighbors,
    random_state,
    n_jobs,
    verbose,
    scaling="standard",
    sample=None,
    verify=None,
):
    """diagnose(), also returning its DiagnosisContext (the fitted distance space and
    neighbour index) for resample()'s check of the synthetic points."""
    check_objective(objective)
    check_seed(random_state)
    check_n_jobs(n_jobs)
    check_scaling(scaling)
    if verify is not None:
        check_classifier(verify, "verify")
    checked = check_inputs(data, target, k_neighbors=k_neighbors, anywhere=True)
    if verify is not None and not checked.in_memory:
        raise InputError(
            "verify= fits the estimator on the rows, which a dask DataFrame keeps on its "
            "workers: diagnose without verify, or verify on a sample in memory "
            "(diagnose(ddf.sample(frac=...).compute(), target, verify=...))."
        )
    if sample is not None:
        checked = stratified_sample(checked, sample, random_state, k_neighbors)
    report, ctx = diagnose_checked(
        checked,
        objective=objective,
        k_neighbors=k_neighbors,
        random_state=random_state,
        scaling=scaling,
        n_jobs=n_jobs,
        verbose=verbose,
    )
    if verify is not None:
        report = verified(report, checked, verify, random_state, verbose)
    return report, ctx


def verified(report: DiagnosisReport, checked, estimator, random_state, verbose):
    """The report with its advice verified by cross-validation with ``estimator`` on the
    rows diagnosed (see ``diagnose(verify=)``)."""
    from .verify import verify_advice

    y = pd.Series(checked.y).infer_objects().to_numpy()  # labels as estimators expect them
    rec, verification = verify_advice(
        report.recommendation,
        report.advice_inputs,
        checked.X,
        y,
        estimator,
        random_state=random_state,
        verbose=verbose,
    )
    return replace(report, recommendation=rec, verification=verification)


def diagnose_checked(
    checked,
    *,
    objective,
    k_neighbors,
    random_state,
    scaling="standard",
    n_jobs=None,
    verbose=1,
    indexed=None,
    plot_sample=None,
):
    """The diagnosis of validated input: (DiagnosisReport, DiagnosisContext).

    ``indexed`` (the scaled rows and their neighbour index) and ``plot_sample`` may come
    from an earlier diagnosis of the same rows (and, for the plot sample, the same seed):
    DiagnosisSession passes them so that a change of k or seed does not rebuild them."""
    class_steps = [d for d in DIAGNOSTICS.values() if d.scope == "class"]
    data_steps = [d for d in DIAGNOSTICS.values() if d.scope == "data"]
    codes = checked.minority_codes
    with progress(2 + len(codes) * len(class_steps) + len(data_steps), "diagnose", verbose) as bar:
        ctx = DiagnosisContext(
            checked,
            k_neighbors=k_neighbors,
            random_state=random_state,
            scaling=scaling,
            n_jobs=n_jobs,
            indexed=indexed,
            verbose=verbose,
        )
        bar.update()
        ctx.minority_pass()  # the one batched query from the minority side
        bar.update()
        class_findings = {}
        for code in codes:
            by_kind = {}
            for step in class_steps:
                by_kind[step.kind] = step.run(ctx, code)
                bar.update()
            class_findings[ctx.label(code)] = by_kind
        data_findings = {}
        for step in data_steps:
            data_findings[step.kind] = step.run(ctx)
            bar.update()
    kinds = checked.kinds
    advice_inputs = {
        "class_findings": class_findings,
        "data_findings": data_findings,
        "k_neighbors": k_neighbors,
        "random_state": _seed_value(random_state),
        "feature_columns": checked.feature_columns,
        "numeric_features": kinds.numeric + kinds.binary,
        "categorical_features": kinds.categorical + kinds.boolean,
        "n_classes": len(checked.classes),
        "positive_label": checked.classes[-1],
        "excluded": kinds.excluded,
        "binary_features": kinds.binary,
        "integer_features": kinds.integer,
        "onehot_groups": kinds.onehot_groups,
        "scaling": ctx.space.scaling,
    }
    recommendation = recommend(**advice_inputs, objective=objective)
    findings = tuple(
        f
        for kind in KINDS
        for f in (
            [by_kind[kind] for by_kind in class_findings.values() if kind in by_kind]
            + ([data_findings[kind]] if kind in data_findings else [])
        )
    )
    profile = column_profile(ctx)
    sampled = profile_note(ctx)
    report = DiagnosisReport(
        suspect_rows=suspect_table(ctx, class_findings, profile),
        column_profile=profile,
        class_overview=class_overview(ctx),
        findings=findings,
        recommendation=recommendation,
        profiles=tuple(_profile(ctx, code) for code in codes),
        class_counts=dict(zip(checked.classes, checked.counts)),
        target=checked.target,
        n_rows=len(checked.y),
        n_features=len(kinds.used),
        feature_columns=tuple(kinds.used),
        excluded_columns=dict(kinds.excluded),
        k_neighbors=k_neighbors,
        random_state=_seed_value(random_state),
        scaling=ctx.space.scaling,
        objective=objective,
        notes=checked.notes + tuple(n for n in (ctx.space.quartile_note, sampled) if n),
        advice_inputs=advice_inputs,
        plot_sample=plot_sample if plot_sample is not None else _plot_sample(ctx),
        target_is_column=checked.target_is_column,
    )
    return report, ctx


def write_text(path, text: str) -> None:
    """Write ``text`` to a file path (str or Path) or an open text file; a path that cannot
    be written is one sentence, not an OSError traceback."""
    if hasattr(path, "write"):
        path.write(text)
        return
    if not isinstance(path, (str, Path)):
        raise InputTypeError(
            f"Give a file path (or an open text file) to write to, got {type(path).__name__}."
        )
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(
            f"Could not write {str(path)!r}: {exc.strerror or exc}. Give a file path in a "
            "folder that exists and that you can write to."
        ) from None


def check_objective(objective) -> None:
    if objective not in OBJECTIVES:
        raise InputError(f"Unknown objective {objective!r}.{did_you_mean(objective, OBJECTIVES)}")


def _records(table) -> list:
    """A table as a list of row dicts (an empty list for none)."""
    return [] if table is None else table.to_dict(orient="records")


def _seed_value(random_state):
    """An integer seed as a plain int (kept in the report and the sampler); None otherwise,
    since a RandomState object cannot be reproduced from the report."""
    if isinstance(random_state, Integral) and not isinstance(random_state, bool):
        return int(random_state)
    return None


def _profile(ctx: DiagnosisContext, code: int) -> ClassProfile:
    _, within = ctx.within(code)
    return ClassProfile(
        label=ctx.label(code),
        positions=ctx.checked.positions[ctx.rows_of(code)],
        typology=ctx.typology(code).types,
        groups=ctx.groups(code).labels,
        noise=ctx.label_noise_mask(code),
        k_occurrence=np.bincount(within.ravel(), minlength=len(within)),
        bridges=ctx.bridging(code).crossing_pairs,
    )


def _plot_sample(ctx: DiagnosisContext) -> PlotSample:
    """Every row of classes up to PLOT_ROWS_PER_CLASS, a random sample of larger ones."""
    rows = ctx.capped_rows("plot", PLOT_ROWS_PER_CLASS)
    return PlotSample(
        positions=ctx.checked.positions[rows],
        Z=ctx.Z[rows],
        y_codes=ctx.checked.y_codes[rows],
        classes=ctx.checked.classes,
        n_rows_by_class=ctx.checked.counts,
    )
