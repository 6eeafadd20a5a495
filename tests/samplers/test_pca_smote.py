"""PCASMOTE: SMOTE in the principal subspace; new points lie in that subspace."""

import numpy as np
import pandas as pd
import pytest
from imblearn.pipeline import Pipeline
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.preprocessing import StandardScaler

from smote_diag import PCASMOTE, InputError
from smote_diag.datasets import make_high_dimensional


@pytest.fixture(scope="module")
def high_dim():
    return make_high_dimensional(random_state=0)  # 1,000 + 100 rows, 300 features


@pytest.fixture(scope="module")
def small():
    return make_high_dimensional(n_majority=200, n_minority=30, n_features=20, random_state=1)


def _relative_residual(sampler, X):
    """Distance of each row from the fitted principal subspace, relative to the row's norm,
    measured where the PCA was fitted (the distance space, centred)."""
    Z = sampler.space_.place(np.asarray(X)) - sampler.pca_.mean_
    V = sampler.pca_.components_
    residual = Z - (Z @ V.T) @ V
    return np.linalg.norm(residual, axis=1) / np.linalg.norm(Z, axis=1)


@pytest.mark.parametrize("n_components", [0.95, 0.5, 10])
def test_synthetic_rows_lie_in_the_principal_subspace(high_dim, n_components):
    sampler = PCASMOTE(random_state=0, n_components=n_components)
    X_res, _ = sampler.fit_resample(high_dim.X, high_dim.y)
    n = len(high_dim.X)
    new = X_res.to_numpy()[n:]
    assert len(new) == 900
    assert sampler.n_components_ < high_dim.X.shape[1]  # a proper subspace
    assert _relative_residual(sampler, new).max() < 1e-8
    # Negative control: the original rows are not in the subspace (the check can fail).
    original = _relative_residual(sampler, high_dim.X)
    assert original.min() > 0.01
    assert np.median(original) > 0.1


@pytest.mark.parametrize("share", [0.3, 0.5, 0.8, 0.95])
def test_float_n_components_keeps_at_least_that_variance_share(small, share):
    sampler = PCASMOTE(random_state=0, n_components=share)
    sampler.fit_resample(small.X, small.y)
    kept = sampler.pca_.explained_variance_ratio_.sum()
    assert kept >= share
    # ... and no more components than needed for it.
    full = PCA(svd_solver="full").fit(StandardScaler().fit_transform(small.X))
    cumulative = np.cumsum(full.explained_variance_ratio_)
    n = sampler.n_components_
    assert n == 1 or cumulative[n - 2] < share
    assert sampler.n_components_ == sampler.pca_.components_.shape[0]


@pytest.mark.parametrize("n", [1, 3, 7, 20])
def test_int_n_components_keeps_exactly_that_many(small, n):
    sampler = PCASMOTE(random_state=0, n_components=n)
    sampler.fit_resample(small.X, small.y)
    assert sampler.n_components_ == n
    assert sampler.pca_.components_.shape == (n, small.X.shape[1])


def test_same_random_state_same_output(small):
    a_X, a_y = PCASMOTE(random_state=5).fit_resample(small.X, small.y)
    b_X, b_y = PCASMOTE(random_state=5).fit_resample(small.X, small.y)
    pd.testing.assert_frame_equal(a_X, b_X)
    pd.testing.assert_series_equal(a_y, b_y)


def test_different_random_state_different_points(small):
    a_X, _ = PCASMOTE(random_state=0).fit_resample(small.X, small.y)
    b_X, _ = PCASMOTE(random_state=1).fit_resample(small.X, small.y)
    n = len(small.X)
    assert not np.array_equal(a_X.to_numpy()[n:], b_X.to_numpy()[n:])


def test_inside_imblearn_pipeline_under_cross_val_score(small):
    pipe = Pipeline([("s", PCASMOTE(random_state=0)), ("m", LogisticRegression())])
    scores = cross_val_score(pipe, small.X, small.y, cv=3, scoring="balanced_accuracy")
    assert scores.shape == (3,)
    assert np.isfinite(scores).all()


def test_originals_first_and_unchanged(small):
    X, y = small.X.to_numpy(), small.y.to_numpy()
    X_res, y_res = PCASMOTE(random_state=0).fit_resample(X, y)
    assert type(X_res) is np.ndarray
    np.testing.assert_array_equal(X_res[: len(X)], X)
    np.testing.assert_array_equal(y_res[: len(y)], y)
    assert (y_res[len(y) :] == 1).all()
    assert (y_res == 0).sum() == (y_res == 1).sum() == 200


def test_frame_in_frame_out_keeps_column_names_and_order(small):
    X = small.X.iloc[:, ::-1].add_prefix("col ")  # reversed, renamed
    X.index = pd.Index([f"r{i}" for i in range(len(X))])  # non-default index
    y = pd.Series(small.y.to_numpy(), index=X.index, name="outcome")
    X_res, y_res = PCASMOTE(random_state=0).fit_resample(X, y)
    assert isinstance(X_res, pd.DataFrame)
    assert list(X_res.columns) == list(X.columns)
    assert y_res.name == "outcome"
    np.testing.assert_array_equal(X_res.to_numpy()[: len(X)], X.to_numpy())


def test_frame_and_array_input_give_the_same_points(small):
    X_frame, _ = PCASMOTE(random_state=0).fit_resample(small.X, small.y)
    X_array, _ = PCASMOTE(random_state=0).fit_resample(small.X.to_numpy(), small.y.to_numpy())
    np.testing.assert_array_equal(X_frame.to_numpy(), X_array)


def test_class_smaller_than_k_plus_one_says_what_to_do():
    rng = np.random.RandomState(0)
    X = pd.DataFrame(rng.normal(size=(54, 4)), columns=list("abcd"))
    y = pd.Series(np.r_[np.zeros(50, int), np.ones(4, int)])
    with pytest.raises(
        InputError,
        match=r"has 4 rows but k_neighbors=5 needs at least 6\. "
        r"Use k_neighbors=3 or method='random_oversample'\.",
    ):
        PCASMOTE(random_state=0).fit_resample(X, y)


def test_class_of_one_row_suggests_random_oversample_only():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(21, 3))
    y = np.r_[np.zeros(20, int), 1]
    with pytest.raises(
        InputError,
        match=r"k_neighbors=5 needs at least 6\. "
        r"Use method='random_oversample'\.",
    ):
        PCASMOTE(random_state=0).fit_resample(X, y)


def test_small_class_is_fine_with_a_smaller_k():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(54, 4))
    y = np.r_[np.zeros(50, int), np.ones(4, int)]
    _, y_res = PCASMOTE(random_state=0, k_neighbors=3).fit_resample(X, y)
    assert (y_res == 1).sum() == 50


def test_caller_data_unchanged(small):
    X = small.X.copy()
    X.index = pd.RangeIndex(5000, 5000 + len(X))[::-1]  # non-default index
    y = pd.Series(small.y.to_numpy(), index=X.index, name="label")
    X_before, y_before = X.copy(deep=True), y.copy(deep=True)
    PCASMOTE(random_state=0).fit_resample(X, y)
    pd.testing.assert_frame_equal(X, X_before)
    pd.testing.assert_series_equal(y, y_before)


def test_caller_array_unchanged(small):
    X, y = small.X.to_numpy().copy(), small.y.to_numpy().copy()
    X_before, y_before = X.copy(), y.copy()
    PCASMOTE(random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)


def test_keep_residual_interpolates_in_the_features_between_subspace_neighbours():
    from smote_diag.datasets import make_noisy_subspace

    data = make_noisy_subspace(n_majority=300, n_minority=60, random_state=0)
    X, y = data.X.to_numpy(), data.y.to_numpy()
    sampler = PCASMOTE(n_components=3, keep_residual=True, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    new = X_res[len(X) :]
    minority = X[y == 1]
    # each new row lies on a segment between two minority rows (in the original features)
    for row in new[:20]:
        gaps = []
        for a in minority:
            for b in minority:
                u = b - a
                t = np.dot(row - a, u) / np.dot(u, u) if np.dot(u, u) else -1
                if 0 <= t <= 1 and np.allclose(a + t * u, row, atol=1e-8):
                    gaps.append(t)
        assert gaps
    # and it keeps the parents' variation outside the subspace (not denoised)
    scaled = sampler.space_.place(np.asarray(new))
    centred = scaled - sampler.pca_.mean_
    residual = centred - centred @ sampler.pca_.components_.T @ sampler.pca_.components_
    assert np.median(np.linalg.norm(residual, axis=1)) > 1.0


def test_the_advice_keeps_the_residual():
    from smote_diag import diagnose
    from smote_diag.datasets import make_noisy_subspace

    data = make_noisy_subspace(random_state=0)
    rec = diagnose(data.frame, "label", random_state=0, verbose=0).recommendation
    assert rec.method == "pca_smote"
    assert rec.sampler.sampler.get_params()["keep_residual"] is True
