"""Plots. Each reads a result object and returns the matplotlib Figure; none calls
``plt.show()``. A pure ``_prepare_*`` step (projection fitted on real rows only, samples for
drawing, labels) feeds a ``_draw_*`` step."""

from __future__ import annotations

import numpy as np

from .._format import format_figure
from .._validation import check_seed
from ..exceptions import InputError
from ._projection import fit_projection, project

MAJORITY_COLOUR = "#b0b0b0"
CLASS_COLOURS = ("#1b9e77", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d")
SYNTHETIC_COLOUR = "#d95f02"
ALARM_COLOUR = "#d7191c"
TYPE_COLOURS = {"safe": "#1a9641", "borderline": "#fdae61", "rare": "#d7191c", "outlier": "#2b2b2b"}


def _figure_axes(ax, figsize):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize)
    return ax


def _showing(shown: int, total: int) -> str:
    return f"{total:,}" if shown == total else f"showing {shown:,} of {total:,}"


def _thin(rows: np.ndarray, max_points: int, rng) -> np.ndarray:
    return rows if len(rows) <= max_points else np.sort(rng.choice(rows, max_points, replace=False))


# --- evaluation -----------------------------------------------------------------------------


def plot_evaluation(result, *, metric=None, ax=None):
    """Mean ± standard error of ``metric`` (default: the objective) per strategy, the advice
    highlighted.

    Parameters
    ----------
    result : EvaluationResult
    metric : str, default=None
        One of ``METRICS``.
    ax : matplotlib Axes, default=None

    Returns
    -------
    matplotlib.figure.Figure
    """
    data = _prepare_evaluation(result, metric or result.metric)
    ax = _figure_axes(ax, (6, 0.45 * len(data["strategies"]) + 1.2))
    _draw_evaluation(data, ax)
    return ax.figure


def _prepare_evaluation(result, metric: str) -> dict:
    from ..evaluate import METRIC_NAMES

    frame = result.to_frame()
    return {
        "strategies": list(frame.index),
        "means": frame[(metric, "mean")].to_numpy(),
        "errors": np.nan_to_num(frame[(metric, "se")].to_numpy()),
        "label": f"{METRIC_NAMES[metric]} (mean ± standard error over {result.n_folds} folds)",
    }


def _draw_evaluation(data: dict, ax) -> None:
    positions = np.arange(len(data["strategies"]))
    colours = [SYNTHETIC_COLOUR if s == "advice" else "#7570b3" for s in data["strategies"]]
    ax.barh(positions, data["means"], xerr=data["errors"], color=colours, capsize=3)
    ax.set_yticks(positions, data["strategies"])
    ax.invert_yaxis()
    ax.set_xlabel(data["label"])
    ax.figure.tight_layout()


# --- resampled data -------------------------------------------------------------------------


def plot_resampled(result, *, projection="pca", ax=None, max_points=5000, random_state=None):
    """Majority, real minority and synthetic points in two dimensions.

    The projection is fitted on real rows only (the diagnosis's plot sample), then places the
    synthetic points. Synthetic points in majority territory are ringed in red. Classes and
    synthetic points beyond ``max_points`` are sampled for drawing only; the legend says so.

    Parameters
    ----------
    result : ResampleResult
    projection : {"pca", "umap"}, default="pca"
        UMAP is imported only here, seeded by ``random_state``.
    ax : matplotlib Axes, default=None
    max_points : int, default=5000
        Points drawn per class (and per class of synthetic points).
    random_state : None or int, default=None

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from smote_diag import resample
    >>> from smote_diag.datasets import make_bridged_groups
    >>> data = make_bridged_groups(random_state=0)
    >>> fig = resample(data.frame, "label", random_state=0, verbose=0).plot()
    >>> fig.axes[0].get_title()
    'cluster_smote: real and synthetic points (PCA)'
    """
    check_seed(random_state)
    data = _prepare_resampled(result, projection, max_points, random_state)
    ax = _figure_axes(ax, (6.5, 5.5))
    _draw_resampled(data, ax)
    return ax.figure


def _prepare_resampled(result, projection, max_points, random_state) -> dict:
    sample = result.report.plot_sample
    model = fit_projection(sample, projection, random_state)
    rng = np.random.default_rng(random_state)
    layers = []
    for code, label in enumerate(sample.classes):
        rows = _thin(np.flatnonzero(sample.y_codes == code), max_points, rng)
        shown, total = len(rows), sample.n_rows_by_class[code]
        kind = "majority" if code == 0 else "minority"
        layers.append(
            {
                "kind": kind,
                "xy": project(model, sample.Z[rows]),
                "label": f"{kind} {_name(label)} ({_showing(shown, total)})",
                "colour": MAJORITY_COLOUR if code == 0 else CLASS_COLOURS[(code - 1) % 6],
            }
        )
    n_new = {c.label: c.n_synthetic for c in result.checked.classes} if result.checked else {}
    several = len(result.synthetic_Z) > 1
    territory = result.checked.territory if result.checked else "majority territory"
    for code, (Z, alarm) in sorted(result.synthetic_Z.items()):
        label = sample.classes[code]
        keep = _thin(np.arange(len(Z)), max_points, rng)
        total = n_new.get(label, len(Z))
        xy = project(model, Z[keep])
        # one class: the synthetic colour; several: each class's own colour
        colour = CLASS_COLOURS[(code - 1) % 6] if several else SYNTHETIC_COLOUR
        layers.append(
            {
                "kind": "synthetic",
                "xy": xy,
                "colour": colour,
                "label": f"synthetic {_name(label)} ({_showing(len(keep), total)})",
            }
        )
        if alarm[keep].any():
            layers.append(
                {
                    "kind": "alarm",
                    "xy": xy[alarm[keep]],
                    "colour": ALARM_COLOUR,
                    "label": f"{_name(label)} in {territory} ({alarm.mean():.1%} of them)",
                }
            )
    # real minority rows on top of the synthetic points made from them
    layers.sort(
        key=lambda layer: ["majority", "synthetic", "alarm", "minority"].index(layer["kind"])
    )
    sampled = any("showing" in layer["label"] for layer in layers)
    title = f"{result.method}: real and synthetic points ({projection.upper()})"
    return {
        "layers": layers,
        "title": title,
        "note": "sampled for drawing only" if sampled else None,
    }


def _draw_resampled(data: dict, ax) -> None:
    styles = {
        "majority": {"s": 6, "marker": "o", "alpha": 0.35, "linewidths": 0},
        "minority": {
            "s": 16,
            "marker": "o",
            "alpha": 0.9,
            "linewidths": 0.4,
            "edgecolors": "black",
        },
        "synthetic": {"s": 16, "marker": "^", "alpha": 0.6, "linewidths": 0},
        "alarm": {"s": 60, "marker": "o", "facecolors": "none", "linewidths": 1.2},
    }
    for layer in data["layers"]:
        x, y = layer["xy"][:, 0], layer["xy"][:, 1]
        style = dict(styles[layer["kind"]])
        if layer["kind"] == "alarm":
            ax.scatter(x, y, edgecolors=layer["colour"], label=layer["label"], **style)
        else:
            ax.scatter(x, y, c=layer["colour"], label=layer["label"], **style)
    ax.set_title(data["title"])
    legend = ax.legend(loc="best", fontsize="small", markerscale=1.5)
    if data["note"]:
        legend.set_title(data["note"], prop={"size": "small"})
    ax.set_xticks([])
    ax.set_yticks([])
    ax.figure.tight_layout()


# --- the diagnosis --------------------------------------------------------------------------


# The panels of plot_diagnosis, in their order in the full figure.
PANELS = ("typology", "groups", "hubness", "noise")


def plot_diagnosis(
    report, *, projection="pca", random_state=None, panels=PANELS, minority_class=None, ax=None
):
    """The four diagnostics in one figure: the neighbourhood typology, the minority groups
    with the bridging segments that cross majority territory, the k-occurrence histogram
    (hubness) with the relative contrast, and the noise rows.

    Parameters
    ----------
    report : DiagnosisReport
    projection : {"pca", "umap"}, default="pca"
    random_state : None or int, default=None
    panels : sequence of {"typology", "groups", "hubness", "noise"}, default=all four
        The panels to draw, side by side (two rows for all four).
    minority_class : label, default=None
        Draw only this minority class (multi-class data); None draws every one.
    ax : matplotlib Axes, default=None
        Where to draw a single panel.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from smote_diag import diagnose
    >>> from smote_diag.datasets import make_flipped_labels
    >>> data = make_flipped_labels(random_state=0)
    >>> fig = diagnose(data.frame, "label", random_state=0, verbose=0).plot()
    >>> [ax.get_title().split(":")[0] for ax in fig.axes]
    ['Neighbourhood typology', 'Minority groups', 'High dimensionality', 'Noise']
    """
    check_seed(random_state)
    panels = _check_panels(panels, ax)
    if minority_class is not None and minority_class not in report.minority_classes:
        raise InputError(
            f"{minority_class!r} is not a minority class of this report; its minority classes "
            f"are {list(report.minority_classes)[:10]}."
        )
    data = _prepare_diagnosis(report, projection, random_state, minority_class)
    if ax is not None:
        fig, axes = ax.figure, [ax]
    else:
        import matplotlib.pyplot as plt

        shape = (2, 2) if len(panels) == 4 else (1, len(panels))
        size = (11, 9) if len(panels) == 4 else (5.5 * len(panels), 4.5)
        fig, grid = plt.subplots(*shape, figsize=size, squeeze=False)
        axes = grid.ravel()
    for name, axis in zip(panels, axes):
        DRAW_PANEL[name](data, axis)
    fig.tight_layout()
    return fig


def _check_panels(panels, ax) -> tuple:
    panels = (panels,) if isinstance(panels, str) else tuple(panels)
    unknown = [p for p in panels if p not in PANELS]
    if unknown or not panels:
        raise InputError(f"panels must be some of {list(PANELS)}, got {list(panels)}.")
    if ax is not None and len(panels) != 1:
        raise InputError(f"ax= draws one panel; {len(panels)} were asked for. Pick one.")
    return panels


def _prepare_diagnosis(report, projection, random_state, minority_class=None) -> dict:
    sample = report.plot_sample
    model = fit_projection(sample, projection, random_state)
    xy = project(model, sample.Z)
    where = {p: i for i, p in enumerate(sample.positions)}  # caller row -> sample row
    majority = sample.y_codes == 0
    total = sample.n_rows_by_class[0]
    classes = []
    for profile in report.profiles:
        if minority_class is not None and profile.label != minority_class:
            continue
        in_sample = np.array([p in where for p in profile.positions])
        local = np.flatnonzero(in_sample)
        points = xy[[where[p] for p in profile.positions[local]]]
        segments = [
            (xy[where[profile.positions[a]]], xy[where[profile.positions[b]]])
            for a, b in profile.bridges
            if in_sample[a] and in_sample[b]
        ]
        high_dim = report.finding("high_dimensionality", profile.label)
        classes.append(
            {
                "label": profile.label,
                "xy": points,
                "groups": profile.groups[local],
                "typology": profile.typology[local],
                "noise": profile.noise[local],
                "typology_shares": {t: float(np.mean(profile.typology == t)) for t in TYPE_COLOURS},
                "segments": segments,
                "k_occurrence": profile.k_occurrence,
                "contrast": high_dim.evidence["relative_contrast"] if high_dim else None,
                "skewness": high_dim.evidence["hubness_skewness"] if high_dim else None,
                "showing": _showing(len(local), len(profile.positions)),
            }
        )
    return {
        "projection": projection.upper(),
        "majority_xy": xy[majority],
        "majority_label": (
            f"majority {_name(sample.classes[0])} ({_showing(int(majority.sum()), total)})"
        ),
        "classes": classes,
    }


def _draw_typology(data, ax):
    labels = [_name(c["label"]) for c in data["classes"]]
    left = np.zeros(len(labels))
    for kind, colour in TYPE_COLOURS.items():
        shares = np.array([c["typology_shares"][kind] for c in data["classes"]])
        ax.barh(labels, shares, left=left, color=colour, label=kind)
        left += shares
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the class's rows")
    ax.set_title("Neighbourhood typology: classes of each row's 5 nearest rows")
    ax.legend(fontsize="small", ncol=4, loc="lower center", bbox_to_anchor=(0.5, -0.35))


def _draw_majority(data, ax):
    xy = data["majority_xy"]
    ax.scatter(
        xy[:, 0],
        xy[:, 1],
        s=5,
        c=MAJORITY_COLOUR,
        alpha=0.35,
        linewidths=0,
        label=data["majority_label"],
    )


def _draw_groups(data, ax):
    from matplotlib.collections import LineCollection

    _draw_majority(data, ax)
    n_segments = 0
    for c in data["classes"]:
        groups = c["groups"]
        grouped = groups >= 0
        colours = [CLASS_COLOURS[g % 6] for g in groups[grouped]]
        ax.scatter(
            c["xy"][grouped, 0],
            c["xy"][grouped, 1],
            s=14,
            c=colours,
            linewidths=0,
            label=(
                f"minority {_name(c['label'])}: {len(set(groups[grouped]))} groups ({c['showing']})"
            ),
        )
        if (~grouped).any():
            ax.scatter(
                c["xy"][~grouped, 0],
                c["xy"][~grouped, 1],
                s=20,
                marker="x",
                c="#2b2b2b",
                label="isolated rows",
            )
        if c["segments"]:
            ax.add_collection(
                LineCollection(c["segments"], colors=ALARM_COLOUR, linewidths=0.8, alpha=0.7)
            )
            n_segments += len(c["segments"])
    if n_segments:
        ax.plot([], [], color=ALARM_COLOUR, label=f"SMOTE pairs across majority ({n_segments})")
    ax.set_title(f"Minority groups: bridging segments in red ({data['projection']})")
    _finish_map(ax)


def _draw_hubness(data, ax):
    for i, c in enumerate(data["classes"]):
        counts = c["k_occurrence"]
        if len(counts):
            bins = np.arange(counts.max() + 2) - 0.5
            ax.hist(
                counts,
                bins=bins,
                alpha=0.6,
                color=CLASS_COLOURS[i % 6],
                label=f"{_name(c['label'])}: skewness {format_figure(c['skewness'])}, "
                f"relative contrast {format_figure(c['contrast'])}",
            )
    ax.set_xlabel("k-occurrence: in how many of the class's k-NN lists a row appears")
    ax.set_ylabel("rows")
    ax.set_title("High dimensionality: hubs are the long right tail")
    ax.legend(fontsize="small")


def _draw_noise(data, ax):
    _draw_majority(data, ax)
    for c in data["classes"]:
        for kind, colour in TYPE_COLOURS.items():
            mask = c["typology"] == kind
            if mask.any():
                ax.scatter(
                    c["xy"][mask, 0],
                    c["xy"][mask, 1],
                    s=14,
                    c=colour,
                    linewidths=0,
                    label=f"{_name(c['label'])} {kind}",
                )
        if c["noise"].any():
            ax.scatter(
                c["xy"][c["noise"], 0],
                c["xy"][c["noise"], 1],
                s=70,
                facecolors="none",
                edgecolors=ALARM_COLOUR,
                linewidths=1.2,
                label=f"{_name(c['label'])} noise ({int(c['noise'].sum())})",
            )
    ax.set_title(f"Noise: suspect rows ringed ({data['projection']})")
    _finish_map(ax)


DRAW_PANEL = {
    "typology": _draw_typology,
    "groups": _draw_groups,
    "hubness": _draw_hubness,
    "noise": _draw_noise,
}


def _finish_map(ax):
    ax.set_xticks([])
    ax.set_yticks([])
    ax.legend(fontsize="x-small", loc="best")


# Longer class labels are cut in legends and titles (with "…"), which keeps the layout.
MAX_LABEL_CHARS = 40


def _name(label) -> str:
    """A class label as text matplotlib shows as typed ("$" would start mathtext)."""
    text = repr(label)
    if len(text) > MAX_LABEL_CHARS:
        text = text[: MAX_LABEL_CHARS - 1] + "…"
    return text.replace("$", r"\$")
