"""Make the README's figure: plain SMOTE next to the advice on planted bridged groups.

Run:  python docs/make_figures.py      (writes docs/resample.png)
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from smote_diag import datasets, plot_resampled, resample  # noqa: E402

OUT = Path(__file__).parent / "resample.png"


def main():
    data = datasets.make_bridged_groups(random_state=0)
    fig, axes = plt.subplots(1, 2, figsize=(11, 5))
    for ax, method in zip(axes, ("smote", "auto")):
        result = resample(data.frame, data.target, method=method, random_state=0, verbose=0)
        plot_resampled(result, ax=ax, max_points=1500, random_state=0)
    fig.tight_layout()
    fig.savefig(OUT, dpi=72)
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
