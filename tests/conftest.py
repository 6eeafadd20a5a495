import matplotlib
import pytest

matplotlib.use("Agg")

from smote_diag import datasets, diagnose  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    """Every test leaves no open matplotlib figure behind."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def run(data, **kwargs):
    """diagnose() on a PlantedData, silent and seeded."""
    kwargs.setdefault("random_state", 0)
    kwargs.setdefault("verbose", 0)
    return diagnose(data.frame, target=data.target, **kwargs)


@pytest.fixture(scope="session")
def planted():
    """Every planted-truth dataset with its report, computed once per session."""
    makers = {
        "compact": datasets.make_compact_minority,
        "bridged": datasets.make_bridged_groups,
        "separated": datasets.make_separated_groups,
        "tails": datasets.make_tail_minority,
        "flipped": datasets.make_flipped_labels,
        "overlapping": datasets.make_overlapping,
        "high_dim": datasets.make_high_dimensional,
        "noisy_subspace": datasets.make_noisy_subspace,
        "mixed": datasets.make_mixed_types,
    }
    out = {}
    for name, make in makers.items():
        data = make(random_state=0)
        out[name] = (data, run(data))
    return out
