"""Plots. Each reads a result object and returns the matplotlib Figure; none calls
``plt.show()``. A pure ``_prepare_*`` step (projection fitted on real rows only, samples for
drawing, labels, colours, limits, notes) feeds a ``_draw_*`` step. Colours, markers and the
rules for limits, overplotting, legends and titles live in ``_style``."""

from __future__ import annotations

import numpy as np

from .._format import format_figure
from .._validation import check_seed
from ..exceptions import InputError
from ._projection import axis_labels, fit_projection, project
from ._style import (
    ALARM_COLOUR,
    LABEL_COLOUR,
    MAJORITY_COLOUR,
    TYPE_COLOURS,
    TYPE_MARKERS,
    class_colour,
    draw_count_labels,
    finish_layout,
    legend_outside,
    n_outside,
    overplotting,
    robust_limits,
    set_limits,
    spans,
)

SYNTHETIC_COLOUR = "#d95f02"  # plot_evaluation's highlight of the advice

# Figure sizes (inches) when no ax is given: wide enough for the legend beside the data.
RESAMPLED_SIZE = (8.5, 5.5)
PANEL_SIZE = (7.5, 4.8)  # one panel of plot_diagnosis (the dashboard's views draw these)
ALL_PANELS_SIZE = (14, 9.5)


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


def _map_notes(point_sets, layers) -> tuple:
    """Limits, and the notes and count labels of a 2-D map: ``point_sets`` are every drawn
    point once (no rings); ``layers`` are (what, xy, tag) checked for overplotting (``tag``
    follows a count label: "×288 synthetic"). Returns (limits, notes, count labels per
    layer)."""
    limits = robust_limits(point_sets)
    notes = []
    outside = n_outside(point_sets, limits)
    if outside:
        word = "point lies" if outside == 1 else "points lie"
        notes.append(f"{outside:,} {word} beyond the drawn limits (heavy tails)")
    extent = spans(point_sets, limits)
    counts, slot = [], 0
    for what, xy, tag in layers:
        note, labels = overplotting(xy, extent, what, limits)
        if note:
            notes.append(note)
        text = " " + tag if tag else ""
        counts.append([(x, y, f"×{n:,}{text}", slot) for x, y, n in labels])
        slot += bool(labels)
    return limits, notes, counts


def _finish_map(data: dict, ax, notes=()) -> None:
    """What every 2-D map ends with: axis names, no ticks (projected coordinates have no
    units worth reading), the limits, and the legend outside with the notes."""
    ax.set_xlabel(data["axis_labels"][0])
    ax.set_ylabel(data["axis_labels"][1])
    ax.set_xticks([])
    ax.set_yticks([])
    set_limits(ax, data["limits"])
    legend_outside(ax, notes)


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
    synthetic points. Each class has its colour (as in ``plot_diagnosis``); its synthetic
    points are triangles of that colour, its real rows circles edged in black. Synthetic
    points in majority territory are ringed in vermillion. Classes and synthetic points
    beyond ``max_points`` are sampled for drawing only; the legend says so, and says how
    many points heavy tails left beyond the drawn limits and how many points share a drawn
    position. When nothing synthetic was made (``no_resampling``), the real rows are drawn
    and the legend says why.

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
    ax = _figure_axes(ax, RESAMPLED_SIZE)
    _draw_resampled(data, ax)
    finish_layout(ax.figure, [ax])
    return ax.figure


# Layers are drawn in this order: real minority rows on top of the synthetic points made
# from them (and of the rings around those).
LAYER_ORDER = ("majority", "synthetic", "alarm", "minority")
# What a count label says after the count, where one class has real and synthetic points.
TAGS = {"majority": "", "minority": "real", "synthetic": "synthetic"}


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
                "what": f"{kind} points of class {_name(label)}",
                "colour": class_colour(code),
            }
        )
    n_new = {c.label: c.n_synthetic for c in result.checked.classes} if result.checked else {}
    territory = result.checked.territory if result.checked else "majority territory"
    for code, (Z, alarm) in sorted(result.synthetic_Z.items()):
        label = sample.classes[code]
        keep = _thin(np.arange(len(Z)), max_points, rng)
        total = n_new.get(label, len(Z))
        xy = project(model, Z[keep])
        layers.append(
            {
                "kind": "synthetic",
                "xy": xy,
                "colour": class_colour(code),  # the class's colour, another marker
                "label": f"synthetic {_name(label)} ({_showing(len(keep), total)})",
                "what": f"synthetic points of class {_name(label)}",
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
    layers.sort(key=lambda layer: LAYER_ORDER.index(layer["kind"]))
    points = [layer for layer in layers if layer["kind"] != "alarm"]  # rings repeat points
    limits, map_notes, counts = _map_notes(
        [layer["xy"] for layer in points],
        [(layer["what"], layer["xy"], TAGS[layer["kind"]]) for layer in points],
    )
    for layer, labels in zip(points, counts):
        layer["counts"] = labels
    notes = []
    if not result.is_synthetic.any():
        title = f"{result.method}: real points, nothing synthetic ({projection.upper()})"
        notes.append(result.reason)  # why nothing was added, in the core's words
    elif not result.synthetic_Z:
        title = f"{result.method}: real points ({projection.upper()})"
        notes.append("The synthetic rows are not drawn: the check could not place them.")
    else:
        title = f"{result.method}: real and synthetic points ({projection.upper()})"
    if any("showing" in layer["label"] for layer in layers):
        notes.append("sampled for drawing only")
    return {
        "layers": layers,
        "title": title,
        "notes": notes + map_notes,
        "limits": limits,
        "axis_labels": axis_labels(model, projection),
    }


RESAMPLED_STYLES = {
    "majority": {"s": 6, "marker": "o", "alpha": 0.35, "linewidths": 0},
    "minority": {"s": 18, "marker": "o", "alpha": 0.9, "linewidths": 0.5, "edgecolors": "black"},
    "synthetic": {"s": 18, "marker": "^", "alpha": 0.55, "linewidths": 0},
    "alarm": {"s": 60, "marker": "o", "facecolors": "none", "linewidths": 1.0},
}


def _draw_resampled(data: dict, ax) -> None:
    for layer in data["layers"]:
        x, y = layer["xy"][:, 0], layer["xy"][:, 1]
        style = dict(RESAMPLED_STYLES[layer["kind"]])
        if layer["kind"] == "alarm":
            ax.scatter(x, y, edgecolors=layer["colour"], label=layer["label"], **style)
        else:
            ax.scatter(x, y, c=layer["colour"], label=layer["label"], **style)
            draw_count_labels(ax, layer["counts"], _text_colour(layer["colour"]))
    ax.set_title(data["title"])
    _finish_map(data, ax, data["notes"])


def _text_colour(colour: str) -> str:
    """Count labels in the layer's colour, but the grey majority's in a readable dark grey."""
    return "#4d4d4d" if colour == MAJORITY_COLOUR else colour


# --- the diagnosis --------------------------------------------------------------------------


# The panels of plot_diagnosis, in their order in the full figure.
PANELS = ("typology", "groups", "hubness", "noise")
# Classes with at most this many groups have them numbered on the Groups map.
MAX_GROUP_LABELS = 12


def plot_diagnosis(
    report, *, projection="pca", random_state=None, panels=PANELS, minority_class=None, ax=None
):
    """The four diagnostics in one figure: the neighbourhood typology, the minority groups
    with the bridging segments that cross majority territory, the k-occurrence histogram
    (hubness) with the relative contrast, and the noise rows.

    Each class has one colour in every panel (as in ``plot_resampled``); the maps name their
    axes (the share of variance of each principal component), keep legends beside the data,
    and say how many points heavy tails left beyond the drawn limits and how many points
    share a drawn position. Titles are wrapped to fit their panel.

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
        width, height = PANEL_SIZE
        size = ALL_PANELS_SIZE if len(panels) == 4 else (width * len(panels), height)
        fig, grid = plt.subplots(*shape, figsize=size, squeeze=False)
        axes = grid.ravel()
    for name, axis in zip(panels, axes):
        DRAW_PANEL[name](data, axis)
    finish_layout(fig, axes[: len(panels)])
    return fig


def _check_panels(panels, ax) -> tuple:
    panels = (panels,) if isinstance(panels, str) else tuple(panels)
    unknown = [p for p in panels if p not in PANELS]
    if unknown or not panels:
        raise InputError(f"panels must be some of {list(PANELS)}, got {list(panels)}.")
    if ax is not None and len(panels) != 1:
        raise InputError(f"ax= draws one panel; {len(panels)} were asked for. Pick one.")
    return panels


def _groups(groups: np.ndarray) -> str:
    n = len(set(groups[groups >= 0].tolist()))
    return "1 group" if n == 1 else f"{n} groups"


def _group_labels(xy: np.ndarray, groups: np.ndarray) -> list:
    """(x, y, number) at the median of each group, numbered from 1; none for a class that
    is one group, or more than MAX_GROUP_LABELS (numbers would hide the points)."""
    ids = np.unique(groups[groups >= 0])
    if not 2 <= len(ids) <= MAX_GROUP_LABELS:
        return []
    return [(*np.median(xy[groups == g], axis=0), str(int(g) + 1)) for g in ids]


def _prepare_diagnosis(report, projection, random_state, minority_class=None) -> dict:
    sample = report.plot_sample
    model = fit_projection(sample, projection, random_state)
    xy = project(model, sample.Z)
    where = {p: i for i, p in enumerate(sample.positions)}  # caller row -> sample row
    code_of = {label: code for code, label in enumerate(sample.classes)}
    majority = sample.y_codes == 0
    total = sample.n_rows_by_class[0]
    classes = []
    for profile in report.profiles:
        if minority_class is not None and profile.label != minority_class:
            continue
        in_sample = np.array([p in where for p in profile.positions], dtype=bool)
        local = np.flatnonzero(in_sample)
        points = xy[[where[p] for p in profile.positions[local]]].reshape(-1, 2)
        segments = [
            (xy[where[profile.positions[a]]], xy[where[profile.positions[b]]])
            for a, b in profile.bridges
            if in_sample[a] and in_sample[b]
        ]
        high_dim = report.finding("high_dimensionality", profile.label)
        groups = profile.groups[local]
        classes.append(
            {
                "label": profile.label,
                "colour": class_colour(code_of[profile.label]),
                "xy": points,
                "groups": groups,
                "group_labels": _group_labels(points, groups),
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
    majority_name = _name(sample.classes[0])
    layers = [(f"majority points of class {majority_name}", xy[majority], "")]
    layers += [(f"points of class {_name(c['label'])}", c["xy"], "") for c in classes]
    limits, notes, counts = _map_notes([layer[1] for layer in layers], layers)
    for c, labels in zip(classes, counts[1:]):
        c["counts"] = labels
    return {
        "projection": projection.upper(),
        "axis_labels": axis_labels(model, projection),
        "majority_xy": xy[majority],
        "majority_counts": counts[0],
        "majority_label": f"majority {majority_name} ({_showing(int(majority.sum()), total)})",
        "classes": classes,
        "limits": limits,
        "notes": notes,
    }


def _draw_typology(data, ax):
    classes = data["classes"]
    positions = np.arange(len(classes))
    left = np.zeros(len(classes))
    for kind, colour in TYPE_COLOURS.items():
        shares = np.array([c["typology_shares"][kind] for c in classes])
        ax.barh(positions, shares, left=left, color=colour, label=kind)
        left += shares
    ax.set_yticks(positions, [_name(c["label"]) for c in classes])
    for tick, c in zip(ax.get_yticklabels(), classes):
        tick.set_color(_text_colour(c["colour"]))  # the class's colour, as on the maps
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the class's rows")
    ax.set_title("Neighbourhood typology: classes of each row's 5 nearest rows")
    legend_outside(ax)


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
    draw_count_labels(ax, data["majority_counts"], _text_colour(MAJORITY_COLOUR))


def _draw_groups(data, ax):
    import matplotlib.patheffects as effects
    from matplotlib.collections import LineCollection

    _draw_majority(data, ax)
    n_segments = 0
    for c in data["classes"]:
        groups = c["groups"]
        grouped = groups >= 0
        ax.scatter(
            c["xy"][grouped, 0],
            c["xy"][grouped, 1],
            s=14,
            c=c["colour"],
            linewidths=0,
            label=f"minority {_name(c['label'])}: {_groups(groups)} ({c['showing']})",
        )
        for x, y, number in c["group_labels"]:
            ax.annotate(
                number,
                (x, y),
                ha="center",
                va="center",
                fontsize="small",
                fontweight="bold",
                color=LABEL_COLOUR,
                path_effects=[effects.withStroke(linewidth=2.5, foreground="white")],
            )
        if (~grouped).any():
            ax.scatter(
                c["xy"][~grouped, 0],
                c["xy"][~grouped, 1],
                s=20,
                marker="x",
                c=c["colour"],
                linewidths=1,
                label=f"{_name(c['label'])} isolated rows ({int((~grouped).sum())})",
            )
        draw_count_labels(ax, c["counts"], c["colour"])
        if c["segments"]:
            ax.add_collection(
                LineCollection(c["segments"], colors=ALARM_COLOUR, linewidths=0.8, alpha=0.7)
            )
            n_segments += len(c["segments"])
    if n_segments:
        ax.plot([], [], color=ALARM_COLOUR, label=f"SMOTE pairs across majority ({n_segments})")
    ax.set_title(f"Minority groups: bridging segments in red ({data['projection']})")
    _finish_map(data, ax, data["notes"])


def _draw_hubness(data, ax):
    for c in data["classes"]:
        counts = c["k_occurrence"]
        if len(counts):
            bins = np.arange(counts.max() + 2) - 0.5
            ax.hist(
                counts,
                bins=bins,
                alpha=0.6,
                color=c["colour"],
                label=f"{_name(c['label'])}: skewness {format_figure(c['skewness'])},\n"
                f"relative contrast {format_figure(c['contrast'])}",
            )
    ax.set_xlabel("k-occurrence: in how many of the class's k-NN lists a row appears")
    ax.set_ylabel("rows")
    ax.set_title("High dimensionality: hubs are the long right tail")
    legend_outside(ax)


def _draw_noise(data, ax):
    _draw_majority(data, ax)
    for c in data["classes"]:
        for kind, marker in TYPE_MARKERS.items():
            mask = c["typology"] == kind
            if mask.any():
                ax.scatter(
                    c["xy"][mask, 0],
                    c["xy"][mask, 1],
                    s=16,
                    marker=marker,
                    c=c["colour"],
                    linewidths=0,
                    label=f"{_name(c['label'])} {kind}-type ({int(mask.sum())})",
                )
        draw_count_labels(ax, c["counts"], c["colour"])
        if c["noise"].any():
            ax.scatter(
                c["xy"][c["noise"], 0],
                c["xy"][c["noise"], 1],
                s=70,
                facecolors="none",
                edgecolors=ALARM_COLOUR,
                linewidths=1.2,
                label=f"{_name(c['label'])} label noise ({int(c['noise'].sum())})",
            )
    ax.set_title(f"Noise: label-noise rows ringed, marker by typology ({data['projection']})")
    _finish_map(data, ax, data["notes"])


DRAW_PANEL = {
    "typology": _draw_typology,
    "groups": _draw_groups,
    "hubness": _draw_hubness,
    "noise": _draw_noise,
}


# Longer class labels are cut in legends and titles (with "…"), which keeps the layout.
MAX_LABEL_CHARS = 40


def _name(label) -> str:
    """A class label as text matplotlib shows as typed ("$" would start mathtext)."""
    text = repr(label)
    if len(text) > MAX_LABEL_CHARS:
        text = text[: MAX_LABEL_CHARS - 1] + "…"
    return text.replace("$", r"\$")
