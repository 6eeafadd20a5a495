"""The label-noise model's pieces against their definitions."""

import numpy as np

from smote_diag.diagnostics.label_noise import (
    _fit_logistic,
    _leave_one_out_logit,
    estimate_label_noise,
    fit_rows,
)


def _data(n=300, d=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    target = (rng.random(n) < 1 / (1 + np.exp(-(X[:, 0] - 1.5)))).astype(float)
    return X, target, np.ones(n)


def test_the_fit_matches_scikit_learns_penalised_logistic_regression():
    from sklearn.linear_model import LogisticRegression

    X, target, weights = _data()
    beta = _fit_logistic(X, target, weights, np.zeros(X.shape[1] + 1))
    ref = LogisticRegression(C=1.0, tol=1e-10, max_iter=10_000).fit(X, target)
    np.testing.assert_allclose(beta[:-1], ref.coef_[0], atol=1e-4)
    np.testing.assert_allclose(beta[-1], ref.intercept_[0], atol=1e-4)


def test_approximate_leave_one_out_is_close_to_refitting_without_the_row():
    X, target, weights = _data()
    beta = _fit_logistic(X, target, weights, np.zeros(X.shape[1] + 1))
    approx = _leave_one_out_logit(X, target, weights, beta)
    for i in range(0, 300, 37):
        keep = np.arange(300) != i
        b = _fit_logistic(X[keep], target[keep], weights[keep], beta)
        exact = X[i] @ b[:-1] + b[-1]
        assert abs(approx[i] - exact) < 0.02, (i, approx[i], exact)


def test_a_clean_linear_class_has_no_label_noise_and_flips_are_found():
    rng = np.random.default_rng(1)
    Z = np.vstack([rng.normal(size=(1000, 2)), rng.normal(size=(100, 2)) + [3.3, 0]])
    y = np.r_[np.zeros(1000, int), np.ones(100, int)]
    clean = estimate_label_noise(Z, y, 1, *fit_rows(y, 1, rng))
    assert clean.noise_rate < 0.02 and not clean.flagged.any()
    y[rng.choice(1000, 10, replace=False)] = 1  # ten majority rows given the minority label
    wrong = np.flatnonzero(y == 1) < 1000  # class-local: which of its rows are the flips
    noisy = estimate_label_noise(Z, y, 1, *fit_rows(y, 1, rng))
    assert 0.04 <= noisy.noise_rate <= 0.15
    assert (noisy.flagged & wrong).sum() >= 7
    assert (noisy.flagged & ~wrong).sum() <= 3
