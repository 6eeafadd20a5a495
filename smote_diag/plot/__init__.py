"""Plots. Each reads a result object and returns the matplotlib Figure; none calls
``plt.show()``."""

from __future__ import annotations

import numpy as np


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
    data = _prepare_evaluation(result, metric or result.objective)
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(6, 0.45 * len(data["strategies"]) + 1.2))
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
    colours = ["#d95f02" if s == "advice" else "#7570b3" for s in data["strategies"]]
    ax.barh(positions, data["means"], xerr=data["errors"], color=colours, capsize=3)
    ax.set_yticks(positions, data["strategies"])
    ax.invert_yaxis()
    ax.set_xlabel(data["label"])
    ax.figure.tight_layout()
