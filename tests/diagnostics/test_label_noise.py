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


def test_the_flagged_set_is_the_one_of_highest_expected_f1():
    from itertools import combinations

    from smote_diag.diagnostics.label_noise import expected_f1_set

    p = np.array([0.9, 0.05, 0.6, 0.3, 0.02, 0.45])

    def expected(chosen):
        return 2 * p[list(chosen)].sum() / (len(chosen) + p.sum())

    best = max(
        (c for k in range(1, len(p) + 1) for c in combinations(range(len(p)), k)), key=expected
    )
    # of the rows likelier wrong than the class's average row
    assert set(np.flatnonzero(expected_f1_set(p))) == set(best) & set(np.flatnonzero(p > p.mean()))
    # the likeliest rows, not those above one half only
    assert expected_f1_set(p).sum() > (p > 0.5).sum()


def test_where_every_row_is_about_as_likely_wrong_none_stands_out():
    """Expected F1 alone would flag all of a class at a flat rate (F1 rewards it)."""
    from smote_diag.diagnostics.label_noise import expected_f1_set

    assert not expected_f1_set(np.full(100, 0.01)).any()
    assert not expected_f1_set(np.full(20, 0.05)).any()
    rng = np.random.default_rng(0)
    flat = rng.uniform(0.01, 0.03, 200)
    flat[:3] = 0.9
    assert set(np.flatnonzero(expected_f1_set(flat))) == {0, 1, 2}


def test_nothing_is_flagged_when_no_label_is_likely_wrong():
    from smote_diag.diagnostics.label_noise import expected_f1_set

    assert not expected_f1_set(np.full(200, 1e-5)).any()
    assert not expected_f1_set(np.zeros(0)).any()
    assert expected_f1_set(np.r_[np.full(199, 1e-5), 0.3]).sum() == 1


def test_the_share_is_graded_by_its_wilson_lower_bound():
    from scipy.stats import binomtest

    from smote_diag.diagnostics.noise import wilson_lower

    for k, n in [(1, 20), (3, 25), (17, 99), (0, 50), (50, 50)]:
        ref = binomtest(k, n).proportion_ci(0.90, "wilson").low
        assert abs(wilson_lower(k, n) - ref) < 1e-9, (k, n)
    assert wilson_lower(1, 20) < 0.05 <= wilson_lower(10, 100)


def test_a_small_class_is_judged_on_its_leading_components():
    """20 rows in 10 columns: more columns than 3 rows per column allow, so the model reads
    the leading principal components; a flipped row far from the class is still found."""
    rng = np.random.default_rng(1)
    Z = np.vstack([rng.normal(size=(1000, 10)), rng.normal(size=(20, 10)) * 0.5 + 4.0])
    y = np.r_[np.zeros(1000, int), np.ones(20, int)]
    wrong = np.arange(6)  # majority rows given the minority label
    y[wrong] = 1
    result = estimate_label_noise(Z, y, 1, *fit_rows(y, 1, rng))
    assert result.n_fit_rows > 0
    in_class = np.flatnonzero(y == 1)
    assert set(in_class[result.flagged]) == set(wrong)


def test_a_small_class_apart_along_a_quiet_direction_keeps_it_in_its_components():
    """45 rows in 40 standardised columns against 20,000 others sampled and weighted: the
    class is apart along one column, which the rest's own principal components (all about
    equal) would as likely drop; weighted half and half, the components keep it, and the
    few flipped rows are found."""
    rng = np.random.default_rng(2)
    Z = rng.normal(size=(20_045, 40))
    Z[20_000:, 0] += 3.0
    y = np.r_[np.zeros(20_000, int), np.ones(45, int)]
    wrong = np.arange(4)
    y[wrong] = 1
    fit_class, fit_other = fit_rows(y, 1, rng)
    assert len(fit_other) < 20_000  # the weighted sample path
    result = estimate_label_noise(Z, y, 1, fit_class, fit_other)
    assert result.noise_rate < 0.3
    in_class = np.flatnonzero(y == 1)
    found = set(in_class[result.flagged])
    assert found >= set(wrong) and len(found) <= 10
