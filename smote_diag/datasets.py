"""Datasets with a planted truth, for tests, notebooks and benchmarks, and the demo data.

Every ``make_*`` returns a ``PlantedData``: the frame, the target column's name, and the
answer the diagnosis should find (``truth``). Each is seeded by ``random_state``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources

import numpy as np
import pandas as pd
from sklearn.utils import check_random_state

TARGET = "label"


@dataclass(frozen=True, eq=False)
class Truth:
    """What was planted.

    Attributes
    ----------
    description : str
    noise_rows : tuple
        Index labels of rows planted as noise.
    groups : Series
        Planted group of each minority row (index labels -> group id), when groups were planted.
    """

    description: str
    noise_rows: tuple = ()
    groups: pd.Series = field(default_factory=lambda: pd.Series(dtype=int))


@dataclass(frozen=True, eq=False)
class PlantedData:
    frame: pd.DataFrame
    target: str
    truth: Truth

    @property
    def X(self) -> pd.DataFrame:
        return self.frame.drop(columns=self.target)

    @property
    def y(self) -> pd.Series:
        return self.frame[self.target]


def _frame(majority: np.ndarray, minority: np.ndarray, prefix="x") -> pd.DataFrame:
    X = np.vstack([majority, minority])
    frame = pd.DataFrame(X, columns=[f"{prefix}{i}" for i in range(X.shape[1])])
    frame[TARGET] = np.r_[np.zeros(len(majority), int), np.ones(len(minority), int)]
    return frame


def _uniform_outside(rng, n, low, high, centres, radius, dim=2):
    """``n`` points uniform in the square [low, high]^dim, none within ``radius`` of a centre."""
    points = np.empty((0, dim))
    while len(points) < n:
        batch = rng.uniform(low, high, size=(2 * n, dim))
        gap = np.min(np.linalg.norm(batch[:, None, :] - centres[None], axis=2), axis=1)
        points = np.vstack([points, batch[gap > radius]])
    return points[:n]


def make_compact_minority(n_majority=1000, n_minority=100, *, random_state=None) -> PlantedData:
    """A compact Gaussian minority far from the majority: the case plain SMOTE handles.

    Examples
    --------
    >>> make_compact_minority(random_state=0).frame.shape
    (1100, 3)
    """
    rng = check_random_state(random_state)
    majority = rng.normal(0.0, 1.0, size=(n_majority, 2))
    minority = rng.normal(6.0, 0.5, size=(n_minority, 2))
    return PlantedData(
        _frame(majority, minority),
        TARGET,
        Truth("one compact minority 8.5 standard deviations from the majority"),
    )


def make_bridged_groups(
    n_groups=30, group_size=3, n_majority=3000, *, spread=0.05, random_state=None
) -> PlantedData:
    """Many tiny minority groups (fewer than k+1 rows each) with majority filling the gaps,
    so plain SMOTE's neighbour pairs cross from group to group through the majority.

    Examples
    --------
    >>> data = make_bridged_groups(random_state=0)
    >>> data.truth.groups.nunique()
    30
    """
    rng = check_random_state(random_state)
    centres = np.empty((0, 2))
    while len(centres) < n_groups:  # centres at least 1.0 apart
        c = rng.uniform(0.5, 9.5, size=2)
        if not len(centres) or np.min(np.linalg.norm(centres - c, axis=1)) >= 1.0:
            centres = np.vstack([centres, c])
    minority = np.vstack([rng.normal(c, spread, size=(group_size, 2)) for c in centres])
    majority = _uniform_outside(rng, n_majority, 0.0, 10.0, centres, 4 * spread)
    frame = _frame(majority, minority)
    rows = frame.index[n_majority:]
    groups = pd.Series(np.repeat(np.arange(n_groups), group_size), index=rows)
    return PlantedData(
        frame,
        TARGET,
        Truth(
            f"{n_groups} minority groups of {group_size} rows inside a uniform majority",
            groups=groups,
        ),
    )


def make_separated_groups(
    n_groups=3, group_size=150, n_majority=3000, *, spread=0.7, random_state=None
) -> PlantedData:
    """A few large minority groups (far bigger than k), separated by majority territory.

    Examples
    --------
    >>> make_separated_groups(random_state=0).truth.groups.value_counts().tolist()
    [150, 150, 150]
    """
    rng = check_random_state(random_state)
    angles = 2 * np.pi * np.arange(n_groups) / n_groups
    centres = 6.0 * np.c_[np.cos(angles), np.sin(angles)]
    minority = np.vstack([rng.normal(c, spread, size=(group_size, 2)) for c in centres])
    majority = _uniform_outside(rng, n_majority, -10.0, 10.0, centres, 3.5 * spread)
    frame = _frame(majority, minority)
    groups = pd.Series(np.repeat(np.arange(n_groups), group_size), index=frame.index[n_majority:])
    return PlantedData(
        frame,
        TARGET,
        Truth(
            f"{n_groups} minority groups of {group_size} rows, majority between them", groups=groups
        ),
    )


def make_unit_mismatch(
    group_size=30, n_majority=2000, *, spread=0.4, scale=0.001, random_state=None
) -> PlantedData:
    """Four minority groups at the corners of a square inside a uniform majority, the
    second feature recorded in other units (times ``scale``: thousandths by default). In raw
    units every distance is the first feature's, so the groups that differ only in ``x1``
    look like one and SMOTE bridges them; once the columns are scaled they are four.

    Examples
    --------
    >>> data = make_unit_mismatch(random_state=0)
    >>> data.truth.groups.value_counts().tolist(), float(data.X["x1"].max()) < 0.011
    ([30, 30, 30, 30], True)
    """
    rng = check_random_state(random_state)
    centres = np.array([[2.0, 2.0], [2.0, 8.0], [8.0, 2.0], [8.0, 8.0]])
    minority = np.vstack([rng.normal(c, spread, size=(group_size, 2)) for c in centres])
    majority = _uniform_outside(rng, n_majority, 0.0, 10.0, centres, 5 * spread)
    frame = _frame(majority, minority)
    frame["x1"] *= scale
    groups = pd.Series(np.repeat(np.arange(4), group_size), index=frame.index[n_majority:])
    return PlantedData(
        frame,
        TARGET,
        Truth(
            f"four minority groups of {group_size} rows; x1 recorded in units {scale:g} times "
            "those of x0",
            groups=groups,
        ),
    )


def make_tail_minority(n_majority=2000, n_per_tail=4, *, random_state=None) -> PlantedData:
    """Minority only in both tails (|x0| > 3) of a wide normal, fewer than k rows per tail;
    a second feature is noise for both classes.

    Examples
    --------
    >>> data = make_tail_minority(random_state=0)
    >>> bool((data.X.loc[data.y == 1, "x0"].abs() > 3).all())
    True
    """
    rng = check_random_state(random_state)
    majority = rng.normal(0.0, 1.0, size=(n_majority, 2))
    side = np.r_[np.ones(n_per_tail), -np.ones(n_per_tail)]
    x0 = side * (3.0 + np.abs(rng.normal(0.0, 0.4, size=2 * n_per_tail)))
    minority = np.c_[x0, rng.normal(0.0, 1.0, size=2 * n_per_tail)]
    frame = _frame(majority, minority)
    groups = pd.Series((side < 0).astype(int), index=frame.index[n_majority:])
    return PlantedData(
        frame, TARGET, Truth(f"{n_per_tail} minority rows in each tail of x0", groups=groups)
    )


def make_flipped_labels(
    n_majority=2000, n_minority=200, noise_share=0.12, *, random_state=None
) -> PlantedData:
    """A compact minority plus ``noise_share`` of extra minority rows planted deep inside the
    majority (mislabelled majority rows); ``truth.noise_rows`` lists them.

    Examples
    --------
    >>> len(make_flipped_labels(random_state=0).truth.noise_rows)
    27
    """
    rng = check_random_state(random_state)
    n_noise = int(round(noise_share * n_minority / (1 - noise_share)))
    majority = rng.normal(0.0, 1.0, size=(n_majority, 2))
    clean = rng.normal([4.5, 0.0], 0.6, size=(n_minority, 2))
    radius = np.sqrt(rng.uniform(0, 1, n_noise)) * 1.0  # within one sd of the majority centre
    angle = rng.uniform(0, 2 * np.pi, n_noise)
    noise = np.c_[radius * np.cos(angle), radius * np.sin(angle)]
    frame = _frame(majority, np.vstack([clean, noise]))
    noise_rows = tuple(frame.index[n_majority + n_minority :])
    return PlantedData(
        frame,
        TARGET,
        Truth(f"{n_noise} minority rows planted inside the majority core", noise_rows=noise_rows),
    )


def make_overlapping(
    n_majority=2000, n_minority=200, n_features=5, *, shift=0.1, random_state=None
) -> PlantedData:
    """Minority and majority from nearly the same distribution (means ``shift`` apart).

    Examples
    --------
    >>> make_overlapping(random_state=0).frame.shape
    (2200, 6)
    """
    rng = check_random_state(random_state)
    majority = rng.normal(0.0, 1.0, size=(n_majority, n_features))
    minority = rng.normal(shift, 1.0, size=(n_minority, n_features))
    return PlantedData(
        _frame(majority, minority),
        TARGET,
        Truth(f"both classes N(0, I) in {n_features} dimensions, means {shift} apart"),
    )


def make_high_dimensional(
    n_majority=1000,
    n_minority=100,
    n_features=300,
    n_informative=5,
    *,
    shift=1.5,
    random_state=None,
) -> PlantedData:
    """Hundreds of features, a few informative ones, about a hundred minority rows.

    Examples
    --------
    >>> make_high_dimensional(random_state=0).frame.shape
    (1100, 301)
    """
    rng = check_random_state(random_state)
    majority = rng.normal(0.0, 1.0, size=(n_majority, n_features))
    minority = rng.normal(0.0, 1.0, size=(n_minority, n_features))
    minority[:, :n_informative] += shift
    return PlantedData(
        _frame(majority, minority, prefix="f"),
        TARGET,
        Truth(
            f"{n_features} features, the first {n_informative} shifted by {shift} for the minority"
        ),
    )


def make_mixed_types(n_majority=1000, n_minority=100, *, random_state=None) -> PlantedData:
    """A compact numeric minority plus a text column and a category column.

    Examples
    --------
    >>> make_mixed_types(random_state=0).frame["plan"].cat.categories.tolist()
    ['basic', 'plus', 'pro']
    """
    rng = check_random_state(random_state)
    data = make_compact_minority(n_majority, n_minority, random_state=rng)
    frame = data.frame.copy()
    is_min = frame[TARGET].to_numpy() == 1
    cities = np.array(["Lyon", "Porto", "Turin", "Graz"], dtype=object)
    frame.insert(
        2,
        "city",
        np.where(is_min, rng.choice(cities[:2], len(frame)), rng.choice(cities, len(frame))),
    )
    plans = np.where(
        is_min,
        rng.choice(["pro", "plus"], len(frame)),
        rng.choice(["basic", "plus", "pro"], len(frame)),
    )
    frame.insert(3, "plan", pd.Categorical(plans, categories=["basic", "plus", "pro"]))
    frame["city"] = frame["city"].astype(object)
    return PlantedData(
        frame, TARGET, Truth("compact numeric minority with a text and a category column")
    )


# --- the demo -------------------------------------------------------------------------------

DEMO_FILE = "demo.csv"
DEMO_TARGET = "status"


def load_demo() -> pd.DataFrame:
    """The bundled demo: 4,000 machine readings, target ``"status"`` ("normal" / "fault").

    Faults occur in sixty small operating pockets scattered through normal operation
    (plain SMOTE would bridge them), and some normal readings were logged as faults (noise).
    It was written by ``make_demo(random_state=7)``.

    Examples
    --------
    >>> load_demo()["status"].value_counts().to_dict()
    {'normal': 3800, 'fault': 200}
    """
    with resources.files("smote_diag").joinpath("data", DEMO_FILE).open("r") as handle:
        return pd.read_csv(handle)


def make_demo(random_state=None) -> pd.DataFrame:
    """Generate the demo readings (see ``load_demo``)."""
    rng = check_random_state(random_state)
    n_normal, n_pockets, pocket_size, n_mislabelled = 3800, 60, 3, 20
    centres = rng.uniform([40, 1.0, 2.0], [90, 6.0, 8.0], size=(n_pockets, 3))
    normal = np.c_[
        rng.uniform(35, 95, n_normal),
        rng.uniform(0.5, 6.5, n_normal),
        rng.uniform(1.5, 8.5, n_normal),
    ]
    scale = np.array([0.6, 0.06, 0.06])
    pockets = np.vstack([rng.normal(c, scale, size=(pocket_size, 3)) for c in centres])
    mislabelled = normal[rng.choice(n_normal, n_mislabelled, replace=False)] + rng.normal(
        0, scale, size=(n_mislabelled, 3)
    )
    readings = np.vstack([normal, pockets, mislabelled])
    n = len(readings)
    status = np.r_[np.full(n_normal, "normal"), np.full(n - n_normal, "fault")].astype(object)
    frame = pd.DataFrame(
        {
            "temperature_c": readings[:, 0].round(2),
            "vibration_mm_s": readings[:, 1].round(3),
            "pressure_bar": readings[:, 2].round(3),
            "rpm": (1500 + 10 * readings[:, 0] + rng.normal(0, 10, n)).round().astype(int),
            "status": status,
        }
    )
    frame.loc[rng.choice(n, 25, replace=False), "pressure_bar"] = np.nan
    return frame.sample(frac=1.0, random_state=rng).reset_index(drop=True)


def make_noisy_subspace(
    n_majority=1000, n_minority=100, n_features=300, n_latent=3, *, noise=3.0, random_state=None
) -> PlantedData:
    """Classes separated in a few latent directions, spread over many noisy features: in the
    full space nearest neighbours are nearly random, in the principal subspace they are not.

    Examples
    --------
    >>> make_noisy_subspace(random_state=0).frame.shape
    (1100, 301)
    """
    rng = check_random_state(random_state)
    latent_majority = rng.normal(0.0, 1.0, size=(n_majority, n_latent))
    latent_minority = rng.normal(3.0, 0.5, size=(n_minority, n_latent))
    loadings = rng.normal(0.0, 1.0, size=(n_latent, n_features)) / np.sqrt(n_latent)
    latent = np.vstack([latent_majority, latent_minority])
    X = latent @ loadings + rng.normal(0.0, noise, size=(len(latent), n_features))
    frame = _frame(X[:n_majority], X[n_majority:], prefix="f")
    return PlantedData(
        frame,
        TARGET,
        Truth(
            f"classes apart in {n_latent} latent directions, "
            f"{n_features} features with noise sd {noise}"
        ),
    )


def make_boundary_band(n_majority=2000, n_minority=300, *, random_state=None) -> PlantedData:
    """A minority living only in a thin band at the edge of the majority, mixed with it: the
    boundary is all there is of the minority.

    Examples
    --------
    >>> bool((make_boundary_band(random_state=0).X.loc[lambda X: X.index >= 2000, "x0"] >= 0).all())
    True
    """
    rng = check_random_state(random_state)
    majority = np.c_[rng.uniform(-5, 1, n_majority), rng.uniform(-5, 5, n_majority)]
    minority = np.c_[rng.uniform(0, 1, n_minority), rng.uniform(-5, 5, n_minority)]
    return PlantedData(
        _frame(majority, minority),
        TARGET,
        Truth("minority in the band 0 <= x0 <= 1, where the majority also lives"),
    )


def make_three_classes(*, random_state=None) -> PlantedData:
    """Three classes: a uniform "background" majority, "groups" (make_bridged_groups' tiny
    groups inside it) and a compact "blob" far away.

    Examples
    --------
    >>> make_three_classes(random_state=0).y.value_counts().to_dict()
    {'background': 3000, 'blob': 200, 'groups': 90}
    """
    rng = check_random_state(random_state)
    bridged = make_bridged_groups(random_state=rng)
    blob = pd.DataFrame({"x0": rng.normal(20, 0.5, 200), "x1": rng.normal(20, 0.5, 200), TARGET: 2})
    frame = pd.concat([bridged.frame, blob], ignore_index=True)
    frame[TARGET] = frame[TARGET].map({0: "background", 1: "groups", 2: "blob"})
    return PlantedData(
        frame,
        TARGET,
        Truth("background, tiny groups inside it, a far blob", groups=bridged.truth.groups),
    )
