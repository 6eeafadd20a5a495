"""How the plots look, defined once: the class colours, the markers, and the rules for axis
limits, overplotting notes, legends and titles that fit.

The rules on points (``robust_limits``, ``n_outside``, ``stacks``) are pure numpy and run in
the ``_prepare_*`` steps; the layout helpers take matplotlib objects (never pyplot) and run
in the ``_draw_*`` steps and the public functions.
"""

from __future__ import annotations

import textwrap

import numpy as np

# --- colours --------------------------------------------------------------------------------

# One colour per class, the same in every panel of plot_diagnosis and in plot_resampled: the
# largest (majority) class grey, the other classes in the Okabe-Ito order (Okabe & Ito 2008,
# "Color Universal Design"; distinguishable with every common colour-vision deficiency).
# Blue comes first, the hue farthest from ALARM_COLOUR, for the usual single minority class;
# vermillion is kept for alarms (bridges, rings) and black for group numbers; orange, the hue
# nearest vermillion, comes late and yellow last, as it is faint on white. Beyond six
# minority classes the colours repeat (the legends' labels tell them apart).
MAJORITY_COLOUR = "#9a9a9a"
CLASS_COLOURS = ("#0072B2", "#CC79A7", "#009E73", "#56B4E9", "#E69F00", "#F0E442")
ALARM_COLOUR = "#D55E00"  # Okabe-Ito vermillion
LABEL_COLOUR = "#000000"  # group numbers on the maps

# The neighbourhood types are ordered (safe < borderline < rare < outlier), so they take an
# ordered ramp (viridis, light to dark), readable by lightness alone; the old green-to-red
# ramp was the one pair red-green colour blindness cannot tell apart.
TYPE_COLOURS = {"safe": "#fde725", "borderline": "#35b779", "rare": "#31688e", "outlier": "#440154"}
# In the Noise map the colour is the class's, so the type is the marker's shape.
TYPE_MARKERS = {"safe": "o", "borderline": "s", "rare": "^", "outlier": "D"}


def class_colour(code: int) -> str:
    """The colour of class ``code`` (an index into ``PlotSample.classes``, largest first)."""
    return MAJORITY_COLOUR if code == 0 else CLASS_COLOURS[(code - 1) % len(CLASS_COLOURS)]


# --- axis limits ----------------------------------------------------------------------------

# Rule: each class's central band on an axis runs from its 0.5% to its 99.5% quantile (at
# least one point trimmed at each end, so a single far point never sets it); the bands of all
# classes are joined (a small class off in the majority's tail keeps its place), and widened
# by 1.5 times the joined band's width on each side: the fence. Points beyond it are heavy
# tails. While no point passes the fence, matplotlib's own limits already give the band at
# least a quarter of the axis (1 / (1 + 2 * 1.5)), so they are kept. When some point passes
# it, the limits fit the points inside the fence plus a margin and the plot says how many
# points were left out. Simulated on 200 samples of 5,000 points (the most a class draws),
# the fence was passed by no normal sample, 1% of exponential ones, 10% of Student t(5),
# 69% of lognormal (the "crammed into a corner" case) and every Cauchy sample; 1.0 band
# widths would also catch 12% of exponential samples, 2.0 miss half the lognormal ones.
TAIL_QUANTILES = (0.005, 0.995)
FENCE_WIDTHS = 1.5
LIMIT_MARGIN = 0.05


def _band(values: np.ndarray) -> tuple[float, float]:
    if len(values) < 3:
        return float(values.min()), float(values.max())
    low = np.quantile(values, TAIL_QUANTILES[0], method="higher")
    high = np.quantile(values, TAIL_QUANTILES[1], method="lower")
    return float(low), float(high)


def robust_limits(point_sets) -> tuple:
    """(xlim, ylim) for the point sets (one (n, 2) array per class or layer): None on an
    axis without heavy tails (matplotlib's limits), else limits that leave them out."""
    point_sets = [p for p in point_sets if len(p)]
    if not point_sets:
        return None, None
    every = np.concatenate(point_sets)
    limits = []
    for axis in (0, 1):
        bands = [_band(p[:, axis]) for p in point_sets]
        low, high = min(b[0] for b in bands), max(b[1] for b in bands)
        width = high - low
        values = every[:, axis]
        inside = values[
            (values >= low - FENCE_WIDTHS * width) & (values <= high + FENCE_WIDTHS * width)
        ]
        if width <= 0 or len(inside) == len(values):
            limits.append(None)
            continue
        span = inside.max() - inside.min()
        margin = LIMIT_MARGIN * span if span > 0 else 1.0
        limits.append((float(inside.min() - margin), float(inside.max() + margin)))
    return tuple(limits)


def _inside(xy: np.ndarray, limits) -> np.ndarray:
    keep = np.ones(len(xy), dtype=bool)
    for axis, lim in enumerate(limits):
        if lim is not None:
            keep &= (xy[:, axis] >= lim[0]) & (xy[:, axis] <= lim[1])
    return keep


def n_outside(point_sets, limits) -> int:
    """Points of the point sets beyond the drawn limits (on either axis)."""
    return int(sum((~_inside(p, limits)).sum() for p in point_sets if len(p)))


# --- overplotting ---------------------------------------------------------------------------

# Points closer than this share of the drawn axis are drawn at the same place (a thousandth is
# under half a pixel at the sizes we draw, so what counts is ties, as categorical and integer
# columns or copied rows make, and near-ties, not an ordinary cloud of points).
SAME_POSITION_SHARE = 1e-3
# A layer is overplotted when its points sit at no more than half as many distinct positions:
# at least half of them are hidden under others. The plot then says "N points at M distinct
# positions" (each point is still drawn, so legends keep their counts).
OVERPLOTTED_RATIO = 2
# With this many distinct positions or fewer, each one is labelled with its count ("×412").
MAX_COUNT_LABELS = 10


def spans(point_sets, limits) -> tuple:
    """The drawn extent on each axis: the limits, or the points' range."""
    point_sets = [p for p in point_sets if len(p)]
    every = np.concatenate(point_sets) if point_sets else np.zeros((1, 2))
    out = []
    for axis, lim in enumerate(limits):
        extent = (lim[1] - lim[0]) if lim is not None else np.ptp(every[:, axis])
        out.append(float(extent) if extent > 0 else 1.0)
    return tuple(out)


def stacks(xy: np.ndarray, extent) -> tuple[np.ndarray, np.ndarray]:
    """The distinct drawn positions of ``xy`` (points closer than SAME_POSITION_SHARE of the
    axis extent are one) and how many points each holds: (positions (m, 2), counts (m,))."""
    if not len(xy):
        return np.zeros((0, 2)), np.zeros(0, dtype=int)
    cells = np.floor(xy / (SAME_POSITION_SHARE * np.asarray(extent))).astype(np.int64)
    _, which, counts = np.unique(cells, axis=0, return_inverse=True, return_counts=True)
    which = which.ravel()
    positions = np.zeros((len(counts), 2))
    np.add.at(positions, which, xy)
    return positions / counts[:, None], counts


def overplotting(xy: np.ndarray, extent, what: str, limits):
    """(note, labels) for one layer: the note "N <what> at M distinct positions" when the
    layer is overplotted, else None; labels are (x, y, count) for each position inside the
    limits when there are at most MAX_COUNT_LABELS of them."""
    positions, counts = stacks(xy, extent)
    if len(xy) < OVERPLOTTED_RATIO * len(counts) or len(counts) == len(xy):
        return None, []
    word = "position" if len(counts) == 1 else "distinct positions"
    note = f"{len(xy):,} {what} at {len(counts):,} {word}"
    labels = []
    if len(counts) <= MAX_COUNT_LABELS:
        keep = _inside(positions, limits)
        labels = [(x, y, int(n)) for (x, y), n, k in zip(positions, counts, keep) if k]
    return note, labels


# --- layout ---------------------------------------------------------------------------------

# Notes (sampling, points left out, overplotting, why nothing was added) go in the legend's
# title, outside the data; wrapped to this many characters.
NOTE_CHARS = 48


def notes_text(notes) -> str:
    # continuation lines indented, so that each note is seen to start
    return "\n".join(textwrap.fill(n, NOTE_CHARS, subsequent_indent="  ") for n in notes if n)


def legend_outside(ax, notes=(), fontsize="small"):
    """A legend beside the axes' data area, never over it (upper left corner just right of
    the axes), with the notes as its title. ``finish_layout`` makes room for it."""
    # notes read as text: flush left, like the entries
    legend = ax.legend(
        loc="upper left",
        bbox_to_anchor=(1.02, 1),
        borderaxespad=0,
        fontsize=fontsize,
        markerscale=1.5,
        alignment="left",
    )
    text = notes_text(notes)
    if text:
        legend.set_title(text, prop={"size": fontsize})
    return legend


# Count labels of different layers at one position are stacked this many points apart.
COUNT_LABEL_STEP = 11


def draw_count_labels(ax, labels, colour) -> None:
    """'×412' next to each of a few overplotted positions: labels are (x, y, text, slot),
    the slot lifting one layer's labels above another's at the same position."""
    import matplotlib.patheffects as effects

    for x, y, text, slot in labels:
        ax.annotate(
            text,
            (x, y),
            xytext=(5, 4 + COUNT_LABEL_STEP * slot),
            textcoords="offset points",
            fontsize="small",
            color=colour,
            fontweight="bold",
            path_effects=[effects.withStroke(linewidth=2.5, foreground="white")],
        )


def set_limits(ax, limits) -> None:
    if limits[0] is not None:
        ax.set_xlim(*limits[0])
    if limits[1] is not None:
        ax.set_ylim(*limits[1])


def _wrap_titles(axes) -> None:
    for ax in axes:
        width = ax.get_window_extent().width
        for text in (ax.title, ax.xaxis.label):
            _wrap_to(text, width)


def _wrap_to(text_artist, width_px: float) -> None:
    """Re-wrap a text artist's words so that it is at most ``width_px`` wide."""
    words = " ".join(text_artist.get_text().split())
    if not words:
        return
    text_artist.set_text(words)
    full = text_artist.get_window_extent().width
    if full <= width_px:
        return
    chars = max(10, int(len(words) * width_px / full))
    while True:
        text_artist.set_text(_fill(words, chars))
        if text_artist.get_window_extent().width <= width_px or chars <= 10:
            return
        chars -= 2


def _fill(words: str, chars: int) -> str:
    """Lines of at most ``chars`` characters; a title's "Head: rest" breaks after the head
    first (the head reads as the panel's name)."""
    head, colon, rest = words.partition(": ")
    parts = [head + ":", rest] if colon else [words]
    return "\n".join(textwrap.fill(p, chars, break_on_hyphens=False) for p in parts)


def finish_layout(fig, axes) -> None:
    """Lay the figure out so that the titles and x labels of ``axes`` (ours; a caller's other
    axes keep theirs) fit whole (titles are centred on
    their axes, so "whole" means no wider than the axes): wrapped to the axes' width, tight
    layout (which also makes room for outside legends and narrows the axes), wrapped again to
    the narrower axes, tight layout again for the taller text. Wrapping first keeps a title
    wider than the figure from defeating the first tight layout. A figure the caller gave a
    layout engine of its own (constrained layout) keeps it: it lays the figure out, then the
    titles are wrapped to the axes it made."""
    from matplotlib.layout_engine import TightLayoutEngine

    _wrap_titles(axes)
    engine = fig.get_layout_engine()
    if engine is not None and not isinstance(engine, TightLayoutEngine):
        fig.draw_without_rendering()
        _wrap_titles(axes)
        return
    fig.tight_layout()
    _wrap_titles(axes)
    fig.tight_layout()
