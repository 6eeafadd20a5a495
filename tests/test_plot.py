"""Plots: the artists drawn, the legends, the sampling note, and PNG rendering."""

import io
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure

from smote_diag import datasets, diagnose, plot_diagnosis, plot_resampled, resample
from smote_diag.exceptions import SmoteDiagWarning
from smote_diag.plot import _projection


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
    assert drawn[f"1 label noise ({n_noise})"] == n_noise
    assert any(label.startswith("1 safe-type (") for label in drawn)  # the typology, named so


def test_umap_projection_runs_when_asked_and_its_first_fit_is_announced_once(monkeypatch):
    data = datasets.make_compact_minority(n_majority=300, n_minority=40, random_state=0)
    result = resample(data.frame, "label", method="smote", random_state=0, verbose=0)
    monkeypatch.setattr(_projection, "_umap_compiled", False)  # as in a fresh process
    with pytest.warns(SmoteDiagWarning, match="first UMAP projection in a Python") as caught:
        fig = result.plot(projection="umap", random_state=0)
    assert sum(issubclass(w.category, SmoteDiagWarning) for w in caught) == 1
    assert "seconds" in str(caught[0].message) and "projection='pca'" in str(caught[0].message)
    ax = fig.axes[0]
    assert ax.get_title().endswith("(UMAP)")
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("UMAP 1", "UMAP 2")
    assert np.isfinite(ax.collections[0].get_offsets()).all()
    with warnings.catch_warnings():
        warnings.simplefilter("error", SmoteDiagWarning)  # the second fit says nothing
        result.plot(projection="umap", random_state=1)


# --- plots written for people (issue 15) ----------------------------------------------------


def _rgb(collection) -> tuple:
    return tuple(np.round(collection.get_facecolor()[0][:3], 3))


def _legend_text(ax) -> str:
    """The legend's title (where the notes are), its lines joined by spaces."""
    return " ".join(ax.get_legend().get_title().get_text().split())


def _collections(ax) -> dict:
    return {c.get_label(): c for c in ax.collections if isinstance(c, PathCollection)}


@pytest.fixture(scope="module")
def three():
    """make_three_classes, its diagnosis, its figure and a SMOTE result, computed once."""
    data = datasets.make_three_classes(random_state=0)
    report = diagnose(data.frame, data.target, random_state=0, verbose=0)
    result = resample(data.frame, data.target, method="smote", random_state=0, verbose=0)
    return data, report, result


def test_each_class_has_one_colour_in_every_panel_and_in_the_resampled_plot(three):
    from matplotlib.colors import to_rgb

    _, report, result = three
    fig = report.plot(random_state=0)
    typology, groups, hubness, noise = fig.axes
    colours = {}
    for label in ("groups", "blob"):
        name = repr(label)
        in_groups = [c for k, c in _collections(groups).items() if k.startswith(f"minority {name}")]
        in_noise = [c for k, c in _collections(noise).items() if k.startswith(f"{name} ")]
        in_noise = [c for c in in_noise if "noise" not in c.get_label()]  # rings have no face
        bars = [p for p in hubness.patches if p.get_label().startswith(name)]
        seen = {_rgb(c) for c in in_groups + in_noise}
        seen |= {tuple(np.round(p.get_facecolor()[:3], 3)) for p in bars[:1]}
        tick = next(t for t in typology.get_yticklabels() if t.get_text() == name)
        seen.add(tuple(np.round(to_rgb(tick.get_color()), 3)))
        assert in_groups and in_noise and bars
        assert len(seen) == 1, (label, seen)  # the same colour in every panel
        colours[label] = seen.pop()
    majority = _rgb(_collections(groups)["majority 'background' (3,000)"])
    assert len({colours["groups"], colours["blob"], majority}) == 3  # one colour per class
    # the resampled plot: the class's colour for its real and its synthetic points
    drawn = _collections(result.plot(random_state=0).axes[0])
    for label, colour in colours.items():
        real = next(c for k, c in drawn.items() if k.startswith(f"minority {label!r}"))
        synthetic = next(c for k, c in drawn.items() if k.startswith(f"synthetic {label!r}"))
        assert _rgb(real) == _rgb(synthetic) == colour
        assert real.get_paths()[0] != synthetic.get_paths()[0]  # another marker


def test_pca_axes_say_the_share_of_variance_each_component_keeps(three):
    _, report, result = three
    fig = report.plot(random_state=0)
    ratios = report.plot_sample.projections[("pca", 0)].explained_variance_ratio_
    axes = [fig.axes[1], fig.axes[3], result.plot(random_state=0).axes[0]]
    for ax in axes:
        for i, label in enumerate((ax.get_xlabel(), ax.get_ylabel())):
            match = re.fullmatch(rf"PC{i + 1} \((\d+)% of variance\)", label)
            assert match, label
            assert int(match.group(1)) == round(100 * ratios[i])


def _heavy_tailed(n_far=4):
    data = datasets.make_compact_minority(random_state=0)
    frame = data.frame.copy()
    far = frame.index[frame["label"] == 0][:n_far]
    frame.loc[far, ["x0", "x1"]] *= 1000  # a few points 1000x farther out
    return frame, far


def _outside(ax) -> int:
    """Points (not rings) drawn beyond the axes' limits."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    n = 0
    for c in ax.collections:
        if isinstance(c, PathCollection) and len(c.get_facecolor()):
            xy = c.get_offsets()
            n += int(((xy[:, 0] < x0) | (xy[:, 0] > x1) | (xy[:, 1] < y0) | (xy[:, 1] > y1)).sum())
    return n


def test_heavy_tails_get_robust_limits_and_the_plot_says_how_many_points_are_left_out():
    frame, far = _heavy_tailed()
    report = diagnose(frame, "label", random_state=0, verbose=0)
    fig = report.plot(random_state=0)
    for ax in (fig.axes[1], fig.axes[3]):
        assert _outside(ax) == len(far) == 4
        assert f"{len(far)} points lie beyond the drawn limits" in _legend_text(ax)
        majority = _collections(ax)["majority 0 (1,000)"].get_offsets()
        spread = np.ptp(majority[:, 0])
        assert np.ptp(ax.get_xlim()) < spread / 100  # the far points would crush the rest
    result = resample(frame, "label", method="smote", random_state=0, verbose=0)
    ax = result.plot(random_state=0).axes[0]
    assert _outside(ax) == 4 and "4 points lie beyond the drawn limits" in _legend_text(ax)
    # negative control: the same data without the far points keep every point in view
    clean = diagnose(datasets.make_compact_minority(random_state=0).frame, "label", verbose=0)
    ax = clean.plot(random_state=0).axes[1]
    assert _outside(ax) == 0 and "beyond the drawn limits" not in _legend_text(ax)


def test_legends_sit_beside_the_data_and_inside_the_figure(three):
    _, report, result = three
    axes = list(report.plot(random_state=0).axes) + [result.plot(random_state=0).axes[0]]
    for ax in axes:
        fig = ax.figure
        fig.canvas.draw()
        legend = ax.get_legend().get_window_extent()
        data_area = ax.get_window_extent()
        assert legend.x0 >= data_area.x1, ax.get_title()  # not over the points
        assert legend.x1 <= fig.bbox.x1 and legend.y0 >= 0  # not cut off


@pytest.fixture(scope="module")
def on_a_grid():
    """Integer features: the majority on a 6x6 grid, the 20 minority rows on 3 points of it,
    random oversampling copies them (980 synthetic rows at the same 3 positions)."""
    rng = np.random.default_rng(0)
    majority = pd.DataFrame({"a": rng.integers(0, 6, 1000), "b": rng.integers(0, 6, 1000)})
    spots = np.array([[1, 1], [4, 2], [2, 5]])
    minority = pd.DataFrame(spots[rng.integers(0, 3, 20)], columns=["a", "b"])
    frame = pd.concat([majority.assign(label=0), minority.assign(label=1)], ignore_index=True)
    return resample(frame, "label", method="random_oversample", random_state=0, verbose=0)


def test_overplotted_points_are_said_and_counted(on_a_grid):
    result = on_a_grid
    assert result.is_synthetic.sum() == 980
    ax = result.plot(random_state=0).axes[0]
    notes = _legend_text(ax)
    assert "980 synthetic points of class 1 at 3 distinct positions" in notes
    assert "20 minority points of class 1 at 3 distinct positions" in notes
    assert "1,000 majority points of class 0 at 36 distinct positions" in notes
    # each of the 3 positions carries its counts, summing to the points drawn there
    texts = [t.get_text() for t in ax.texts]
    synthetic = [int(re.fullmatch(r"×([\d,]+) synthetic", t)[1]) for t in texts if "synth" in t]
    real = [int(re.fullmatch(r"×(\d+) real", t)[1]) for t in texts if "real" in t]
    assert len(synthetic) == len(real) == 3
    assert sum(synthetic) == 980 and sum(real) == 20
    assert _points(ax)["synthetic 1 (980)"] == 980  # every point is still drawn


def test_continuous_data_get_no_overplotting_note():
    data = datasets.make_bridged_groups(random_state=0)
    result = resample(data.frame, "label", method="smote", random_state=0, verbose=0)
    ax = result.plot(random_state=0).axes[0]
    assert "distinct position" not in _legend_text(ax) and not ax.texts


def test_no_resampling_draws_the_real_points_and_says_why():
    data = datasets.make_compact_minority(random_state=0)
    result = resample(data.frame, "label", method="no_resampling", random_state=0, verbose=0)
    assert not result.synthetic_Z
    ax = plot_resampled(result).axes[0]
    drawn = _points(ax)
    assert drawn == {"majority 0 (1,000)": 1000, "minority 1 (100)": 100}
    assert " ".join(result.reason.split()) in _legend_text(ax)
    assert result.reason.startswith("Nothing was resampled")
    assert ax.get_title() == "no_resampling: real points, nothing synthetic (PCA)"


def _fits(ax) -> bool:
    ax.figure.canvas.draw()
    title, box = ax.title.get_window_extent(), ax.get_window_extent()
    fig = ax.figure.bbox
    return (
        title.x0 >= box.x0 - 1
        and title.x1 <= box.x1 + 1
        and title.x0 >= 0
        and title.x1 <= fig.x1
        and title.y1 <= fig.y1
    )


def test_titles_fit_whole_at_the_dashboards_sizes(three):
    from smote_diag.widgets._dashboard import PANEL_VIEWS

    _, report, result = three
    for panel, _ in PANEL_VIEWS.values():  # as the dashboard draws them
        fig = plot_diagnosis(
            report, panels=(panel,), minority_class="groups", projection="pca", random_state=0
        )
        assert _fits(fig.axes[0]), fig.axes[0].get_title()
    assert _fits(result.plot(projection="pca", random_state=0).axes[0])


def test_a_long_title_is_wrapped_to_a_small_axes(three):
    import matplotlib.pyplot as plt

    _, report, _ = three
    _, ax = plt.subplots(figsize=(5, 3.5))
    plot_diagnosis(report, panels="typology", ax=ax)
    title = ax.get_title()
    assert title.startswith("Neighbourhood typology:\n")  # the panel's name, then the rest
    assert " ".join(title.split()) == (
        "Neighbourhood typology: classes of each row's 5 nearest rows"
    )
    assert _fits(ax)
