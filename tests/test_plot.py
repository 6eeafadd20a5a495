"""Plots: the artists drawn, the legends, the sampling note, and PNG rendering."""

import io

import numpy as np
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure

from smote_diag import datasets, diagnose, plot_resampled, resample


def _points(ax) -> dict:
    return {
        c.get_label(): len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection)
    }


def test_resampled_plot_draws_every_point_with_counts():
    data = datasets.make_bridged_groups(random_state=0)
    result = resample(data.frame, "label", method="smote", random_state=0, verbose=0)
    fig = plot_resampled(result)
    assert isinstance(fig, Figure)
    drawn = _points(fig.axes[0])
    assert drawn["majority 0 (3,000)"] == 3000
    assert drawn["minority 1 (90)"] == 90
    assert drawn["synthetic 1 (2,910)"] == 2910
    alarm = [label for label in drawn if "in majority territory" in label]
    share = result.check().classes[0].majority_share
    assert alarm == [f"1 in majority territory ({share:.1%} of them)"]
    in_majority = result.synthetic_Z[1][1]
    assert drawn[alarm[0]] == in_majority.sum()
    assert fig.axes[0].get_legend().get_title().get_text() == ""
    fig.savefig(io.BytesIO(), format="png")


def test_large_classes_are_sampled_for_drawing_and_the_legend_says_so():
    data = datasets.make_bridged_groups(random_state=0)
    result = resample(data.frame, "label", random_state=0, verbose=0)
    fig = result.plot(max_points=500, random_state=0)
    drawn = _points(fig.axes[0])
    assert drawn["majority 0 (showing 500 of 3,000)"] == 500
    assert drawn["synthetic 1 (showing 500 of 2,910)"] == 500
    assert fig.axes[0].get_legend().get_title().get_text() == "sampled for drawing only"


def test_a_given_axes_is_used():
    import matplotlib.pyplot as plt

    data = datasets.make_compact_minority(random_state=0)
    result = resample(data.frame, "label", method="smote", random_state=0, verbose=0)
    fig, ax = plt.subplots()
    assert plot_resampled(result, ax=ax) is fig and ax.collections


def test_diagnosis_plot_has_the_four_panels_and_the_bridges():
    data = datasets.make_bridged_groups(random_state=0)
    report = diagnose(data.frame, "label", random_state=0, verbose=0)
    fig = report.plot()
    titles = [ax.get_title().split(":")[0] for ax in fig.axes]
    assert titles == ["Neighbourhood typology", "Minority groups", "High dimensionality", "Noise"]
    segments = [c for c in fig.axes[1].collections if isinstance(c, LineCollection)]
    assert len(segments) == 1
    assert len(segments[0].get_segments()) == len(report.profiles[0].bridges) > 0
    bars = sum(len(c.patches) for c in fig.axes[0].containers)
    assert bars == 4  # one class, four types
    fig.savefig(io.BytesIO(), format="png")


def test_noise_rows_are_ringed():
    data = datasets.make_flipped_labels(random_state=0)
    report = diagnose(data.frame, "label", random_state=0, verbose=0)
    drawn = _points(report.plot().axes[3])
    n_noise = report.finding("noise").evidence["n_noise"]
    assert n_noise >= 0.8 * len(data.truth.noise_rows)
    assert drawn[f"1 noise ({n_noise})"] == n_noise


def test_umap_projection_runs_when_asked():
    data = datasets.make_compact_minority(n_majority=300, n_minority=40, random_state=0)
    result = resample(data.frame, "label", method="smote", random_state=0, verbose=0)
    fig = result.plot(projection="umap", random_state=0)
    assert fig.axes[0].get_title().endswith("(UMAP)")
    assert np.isfinite(fig.axes[0].collections[0].get_offsets()).all()
