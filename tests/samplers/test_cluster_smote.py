"""ClusterSMOTE: SMOTE inside each minority group, never across groups or classes."""

import numpy as np
import pandas as pd
import pytest
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import Pipeline
from sklearn.base import BaseEstimator
from sklearn.cluster import KMeans
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import adjusted_rand_score
from sklearn.model_selection import cross_val_score
from sklearn.neighbors import NearestNeighbors

from smote_diag import ClusterSMOTE
from smote_diag.datasets import make_bridged_groups, make_separated_groups


@pytest.fixture(scope="module")
def separated():
    return make_separated_groups(random_state=0)


@pytest.fixture(scope="module")
def bridged():
    return make_bridged_groups(random_state=0)


@pytest.fixture(scope="module")
def small():
    """A quick data set for the API tests: three groups of 40 minority rows."""
    return make_separated_groups(group_size=40, n_majority=400, random_state=1)


class Geometry:
    """Bounding box, centre and row positions of each planted minority group."""

    def __init__(self, data, groups=None):
        groups = data.truth.groups if groups is None else groups
        self.X = data.X.to_numpy()
        positions = data.frame.index.get_indexer(groups.index)
        ids = groups.to_numpy()
        self.ids = np.unique(ids)
        members = [self.X[positions[ids == g]] for g in self.ids]
        self.low = np.array([m.min(axis=0) for m in members])
        self.high = np.array([m.max(axis=0) for m in members])
        self.centre = np.array([m.mean(axis=0) for m in members])
        self.group_of_row = np.full(len(self.X), -1)
        self.group_of_row[positions] = ids

    def boxes_disjoint(self) -> bool:
        overlap = (self.low[:, None] <= self.high[None]) & (self.low[None] <= self.high[:, None])
        overlap = overlap.all(axis=-1)
        return not overlap[~np.eye(len(self.ids), dtype=bool)].any()

    def nearest_group(self, points):
        d2 = ((points[:, None, :] - self.centre[None]) ** 2).sum(axis=-1)
        return self.ids[np.argmin(d2, axis=1)]

    def inside_box(self, points, groups):
        slot = np.searchsorted(self.ids, groups)
        return ((points >= self.low[slot]) & (points <= self.high[slot])).all(axis=1)

    def n_boxes_containing(self, points):
        inside = (points[:, None] >= self.low[None]) & (points[:, None] <= self.high[None])
        return inside.all(axis=-1).sum(axis=1)


def _synthetic(X_res, n_original):
    return np.asarray(X_res)[n_original:]


# --- points stay in their planted group ---------------------------------------------------

CONTAINMENT_CASES = [
    pytest.param("separated", 5, id="separated-k5"),
    pytest.param("separated", 200, id="separated-k200"),  # k larger than a group
    pytest.param("bridged", 5, id="bridged-k5"),  # groups of 3 < k + 1
]


@pytest.mark.parametrize(("planted", "k"), CONTAINMENT_CASES)
def test_synthetic_points_stay_inside_their_planted_group(planted, k, request):
    data = request.getfixturevalue(planted)
    geo = Geometry(data)
    assert geo.boxes_disjoint()  # precondition of the assertions below

    X_res, y_res = ClusterSMOTE(random_state=0, k_neighbors=k).fit_resample(data.X, data.y)
    new = _synthetic(X_res, len(data.X))
    assert len(new) > 0
    assert (np.asarray(y_res)[len(data.X) :] == 1).all()

    own = geo.nearest_group(new)
    inside = geo.inside_box(new, own)
    assert inside.all(), f"{(~inside).sum()} of {len(new)} synthetic rows left their group"
    # Never between two groups: each point is in exactly one group's box, and its nearest
    # real row (of any class) is a minority row of that same group, not majority.
    assert (geo.n_boxes_containing(new) == 1).all()
    nearest = NearestNeighbors(n_neighbors=1).fit(geo.X).kneighbors(new, return_distance=False)
    assert (geo.group_of_row[nearest[:, 0]] == own).all()


@pytest.mark.parametrize(("planted", "k"), [CONTAINMENT_CASES[1], CONTAINMENT_CASES[2]])
def test_negative_control_plain_smote_leaves_the_groups(planted, k, request):
    """The containment check can fail: plain SMOTE on the same data bridges groups."""
    data = request.getfixturevalue(planted)
    geo = Geometry(data)
    X_res, _ = SMOTE(random_state=0, k_neighbors=k).fit_resample(data.X, data.y)
    new = _synthetic(X_res, len(data.X))
    outside = ~geo.inside_box(new, geo.nearest_group(new))
    assert outside.mean() > 0.1
    assert (geo.n_boxes_containing(new) == 0).mean() > 0.1


@pytest.mark.parametrize("planted", ["separated", "bridged"])
def test_default_groups_recover_the_planted_groups(planted, request):
    data = request.getfixturevalue(planted)
    sampler = ClusterSMOTE(random_state=0)
    sampler.fit_resample(data.X, data.y)
    found = sampler.groups_[1]
    assert len(found) == len(data.truth.groups)
    assert adjusted_rand_score(data.truth.groups.to_numpy(), found) >= 0.8
    assert sampler.fallback_ == {}


# --- originals and counts -----------------------------------------------------------------


def test_originals_first_and_unchanged(small):
    X, y = small.X.to_numpy(), small.y.to_numpy()
    X_res, y_res = ClusterSMOTE(random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(X_res[: len(X)], X)
    np.testing.assert_array_equal(y_res[: len(y)], y)


def test_originals_first_and_unchanged_frame(small):
    X_res, y_res = ClusterSMOTE(random_state=0).fit_resample(small.X, small.y)
    np.testing.assert_array_equal(X_res.iloc[: len(small.X)].to_numpy(), small.X.to_numpy())
    np.testing.assert_array_equal(y_res.iloc[: len(small.y)].to_numpy(), small.y.to_numpy())


def test_auto_strategy_balances_exactly(small):
    _, y_res = ClusterSMOTE(random_state=0).fit_resample(small.X, small.y)
    counts = pd.Series(y_res).value_counts()
    assert counts[0] == counts[1] == (small.y == 0).sum()


@pytest.mark.parametrize(
    ("strategy", "expected_minority"),
    [({1: 333}, 333), (0.5, 200), (0.31, 124)],  # 400 majority rows, 120 minority rows
    ids=["dict", "float-half", "float-odd"],
)
def test_dict_and_float_strategies_are_exact(small, strategy, expected_minority):
    _, y_res = ClusterSMOTE(random_state=0, sampling_strategy=strategy).fit_resample(
        small.X, small.y
    )
    counts = pd.Series(y_res).value_counts()
    assert counts[1] == expected_minority
    assert counts[0] == 400


# --- types in, types out ------------------------------------------------------------------


def test_frame_in_frame_out_keeps_column_names_and_order(small):
    X = small.X[["x1", "x0"]].rename(columns={"x1": "zeta", "x0": "alpha"})
    X.index = pd.Index([f"r{i}" for i in range(len(X))])  # non-default index
    y = pd.Series(small.y.to_numpy(), index=X.index, name="outcome")
    X_res, y_res = ClusterSMOTE(random_state=0).fit_resample(X, y)
    assert isinstance(X_res, pd.DataFrame)
    assert list(X_res.columns) == ["zeta", "alpha"]
    assert isinstance(y_res, pd.Series)
    assert y_res.name == "outcome"
    np.testing.assert_array_equal(X_res.to_numpy()[: len(X)], X.to_numpy())


def test_array_in_array_out(small):
    X_res, y_res = ClusterSMOTE(random_state=0).fit_resample(small.X.to_numpy(), small.y.to_numpy())
    assert type(X_res) is np.ndarray
    assert type(y_res) is np.ndarray
    assert X_res.shape == (800, 2)


def test_frame_and_array_input_give_the_same_points(small):
    X_frame, _ = ClusterSMOTE(random_state=0).fit_resample(small.X, small.y)
    X_array, _ = ClusterSMOTE(random_state=0).fit_resample(small.X.to_numpy(), small.y.to_numpy())
    np.testing.assert_array_equal(X_frame.to_numpy(), X_array)


# --- randomness ---------------------------------------------------------------------------


def test_same_random_state_same_output(bridged):
    a_X, a_y = ClusterSMOTE(random_state=3).fit_resample(bridged.X, bridged.y)
    b_X, b_y = ClusterSMOTE(random_state=3).fit_resample(bridged.X, bridged.y)
    pd.testing.assert_frame_equal(a_X, b_X)
    pd.testing.assert_series_equal(a_y, b_y)


def test_different_random_state_different_points(bridged):
    a_X, _ = ClusterSMOTE(random_state=0).fit_resample(bridged.X, bridged.y)
    b_X, _ = ClusterSMOTE(random_state=1).fit_resample(bridged.X, bridged.y)
    n = len(bridged.X)
    assert not np.array_equal(a_X.to_numpy()[n:], b_X.to_numpy()[n:])


# --- pipeline -----------------------------------------------------------------------------


def test_inside_imblearn_pipeline_under_cross_val_score(small):
    pipe = Pipeline([("s", ClusterSMOTE(random_state=0)), ("m", LogisticRegression())])
    scores = cross_val_score(pipe, small.X, small.y, cv=3, scoring="balanced_accuracy")
    assert scores.shape == (3,)
    assert np.isfinite(scores).all()


# --- clusterer ----------------------------------------------------------------------------


def test_clusterer_is_used(separated):
    sampler = ClusterSMOTE(
        random_state=0, clusterer=KMeans(n_clusters=3, n_init=10, random_state=0)
    )
    sampler.fit_resample(separated.X, separated.y)
    groups = sampler.groups_[1]
    assert sorted(np.unique(groups)) == [0, 1, 2]
    assert adjusted_rand_score(separated.truth.groups.to_numpy(), groups) == 1.0

    # A different clusterer gives different groups: groups_ reflects the clusterer.
    two = ClusterSMOTE(random_state=0, clusterer=KMeans(n_clusters=2, n_init=10, random_state=0))
    two.fit_resample(separated.X, separated.y)
    assert len(np.unique(two.groups_[1])) == 2


def test_clusterer_is_cloned_not_fitted(small):
    clusterer = KMeans(n_clusters=3, n_init=10, random_state=0)
    ClusterSMOTE(random_state=0, clusterer=clusterer).fit_resample(small.X, small.y)
    assert not hasattr(clusterer, "labels_")


class _AllNoise(BaseEstimator):
    """A clusterer that calls every row noise."""

    def fit_predict(self, X, y=None):
        return np.full(len(X), -1)


# --- fallback -----------------------------------------------------------------------------


def _scattered_minority():
    """Seven minority rows far apart, each alone inside a dense uniform majority."""
    rng = np.random.RandomState(0)
    majority = rng.uniform(0, 10, size=(2000, 2))
    minority = np.array([[1, 1], [1, 9], [9, 1], [9, 9], [5, 5], [3, 7], [7, 3]], dtype=float)
    X = pd.DataFrame(np.vstack([majority, minority]), columns=["a", "b"])
    y = pd.Series(np.r_[np.zeros(2000, int), np.ones(7, int)], name="y")
    return X, y


def _assert_duplicates_of_minority(X, y, X_res, y_res):
    minority = X.to_numpy()[y.to_numpy() == 1]
    new = np.asarray(X_res)[len(X) :]
    assert len(new) == (y == 0).sum() - (y == 1).sum()
    assert (np.asarray(y_res)[len(X) :] == 1).all()
    is_copy = (new[:, None, :] == minority[None]).all(axis=-1).any(axis=1)
    assert is_copy.all()


def test_fallback_when_every_minority_row_is_isolated():
    X, y = _scattered_minority()
    sampler = ClusterSMOTE(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert (sampler.groups_[1] == -1).all()
    assert sampler.fallback_ == {1: "duplication"}
    _assert_duplicates_of_minority(X, y, X_res, y_res)


def test_fallback_when_the_clusterer_calls_every_row_noise(small):
    sampler = ClusterSMOTE(random_state=0, clusterer=_AllNoise())
    X_res, y_res = sampler.fit_resample(small.X, small.y)
    assert sampler.fallback_[1] == "duplication"
    _assert_duplicates_of_minority(small.X, small.y, X_res, y_res)


def test_no_fallback_when_groups_exist(small):
    sampler = ClusterSMOTE(random_state=0)
    X_res, _ = sampler.fit_resample(small.X, small.y)
    assert sampler.fallback_ == {}
    minority = small.X.to_numpy()[small.y.to_numpy() == 1]
    new = X_res.to_numpy()[len(small.X) :]
    is_copy = (new[:, None, :] == minority[None]).all(axis=-1).any(axis=1)
    assert is_copy.mean() < 0.05  # interpolated, not copied


# --- no mutation --------------------------------------------------------------------------


def test_caller_data_unchanged(small):
    X = small.X.copy()
    X.index = pd.RangeIndex(1000, 1000 + len(X))[::-1]  # non-default index
    y = pd.Series(small.y.to_numpy(), index=X.index, name="label")
    X_before, y_before = X.copy(deep=True), y.copy(deep=True)
    ClusterSMOTE(random_state=0).fit_resample(X, y)
    pd.testing.assert_frame_equal(X, X_before)
    pd.testing.assert_series_equal(y, y_before)


def test_caller_array_unchanged(small):
    X, y = small.X.to_numpy().copy(), small.y.to_numpy().copy()
    X_before, y_before = X.copy(), y.copy()
    ClusterSMOTE(random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)


# --- several classes ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def three_classes():
    """Planted group 2 becomes its own class: 'common' (majority), 'rare' (two groups),
    'rarest' (one group)."""
    data = make_separated_groups(group_size=60, n_majority=600, random_state=2)
    groups = data.truth.groups
    y = pd.Series("common", index=data.frame.index, name="kind", dtype=object)
    y[groups.index[groups.to_numpy() < 2]] = "rare"
    y[groups.index[groups.to_numpy() == 2]] = "rarest"
    return data, y


def test_three_classes_balance_and_never_interpolate_across_classes(three_classes):
    data, y = three_classes
    geo = Geometry(data)
    assert geo.boxes_disjoint()
    class_of_group = {0: "rare", 1: "rare", 2: "rarest"}

    sampler = ClusterSMOTE(random_state=0)
    X_res, y_res = sampler.fit_resample(data.X, y)
    assert y_res.value_counts().to_dict() == {"common": 600, "rare": 600, "rarest": 600}
    assert set(sampler.groups_) == {"rare", "rarest"}

    n = len(data.X)
    new, new_y = X_res.to_numpy()[n:], y_res.to_numpy()[n:]
    own = geo.nearest_group(new)
    assert geo.inside_box(new, own).all()
    assert (geo.n_boxes_containing(new) == 1).all()
    assert all(class_of_group[g] == label for g, label in zip(own, new_y))
    # Both groups of 'rare' receive points, in proportion to their sizes (60 and 60).
    rare_groups = own[new_y == "rare"]
    assert abs((rare_groups == 0).sum() - (rare_groups == 1).sum()) <= 1
