"""Neighbours as the wrong lens: a class decided by rules on columns that distances do not
single out, against classes where nearness is what tells them."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from smote_diag import diagnose
from smote_diag.diagnostics import thresholds as T
from smote_diag.diagnostics.locality import measure_locality


def rule_based(n=2000, n_columns=30, levels=10, seed=0):
    """The class is 'c0 and c1 both below 3' among 30 ten-level categorical columns: a
    two-test rule that a tree finds, while each row's nearest rows share only a few of the
    thirty values, rarely the two that matter."""
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, levels, size=(n, n_columns))
    y = ((codes[:, 0] < 3) & (codes[:, 1] < 3)).astype(int)
    frame = pd.DataFrame(
        {f"c{i}": pd.Categorical([f"v{v}" for v in codes[:, i]]) for i in range(n_columns)}
    )
    return frame, y


def gaussians(error, imbalance, d, seed=0):
    rng = np.random.default_rng(seed)
    minority = rng.normal(size=(100, d))
    minority[:, 0] += -2 * norm.ppf(error)
    X = np.vstack([minority, rng.normal(size=(100 * imbalance, d))])
    return pd.DataFrame(X), np.r_[np.ones(100, int), np.zeros(100 * imbalance, int)]


@pytest.fixture(scope="module")
def rule_report():
    frame, y = rule_based()
    return diagnose(frame, y, random_state=0, verbose=0)


def test_rule_based_categorical_data_flags_neighbours_as_the_wrong_lens(rule_report):
    f = rule_report.finding("high_dimensionality")
    e = f.evidence
    assert e["neighbours_wrong_lens"] is True
    assert e["tree_auc"] >= T.LOCALITY_TREE_AUC
    assert e["tree_auc"] - e["neighbour_auc"] >= T.LOCALITY_AUC_GAP
    assert f.severity != "ok"
    assert "wrong lens" in f.summary


def test_where_neighbours_are_the_wrong_lens_the_minority_is_not_called_noise(rule_report):
    noise = rule_report.finding("noise")
    assert noise.rows == ()
    assert noise.evidence["label_noise_judged"] is False
    assert noise.evidence["n_outlier"] == 0 and noise.evidence["n_rare"] == 0
    assert noise.severity == "ok"
    assert "wrong lens" in noise.summary
    assert "unreliable" in rule_report.finding("overlap").summary


def test_the_advice_says_neighbours_are_the_wrong_lens(rule_report):
    # 300 one-hot dimensions: the contrast is severe too, and that rule comes first
    rec = rule_report.recommendation
    assert rec.rule == "concentrated"
    assert rec.method == "no_resampling"
    assert "wrong lens" in rec.reasons[0]


def test_in_fewer_dimensions_the_wrong_lens_decides_the_advice():
    """Ten numeric columns coded 0-9 (no concentration) where the class is a rule on two."""
    rng = np.random.default_rng(0)
    codes = rng.integers(0, 10, size=(3000, 10)).astype(float)
    y = ((codes[:, 0] % 2 == 0) & (codes[:, 1] % 2 == 0) & (codes[:, 2] < 3)).astype(int)
    report = diagnose(pd.DataFrame(codes), y, random_state=0, verbose=0)
    e = report.finding("high_dimensionality").evidence
    assert e["neighbours_wrong_lens"] is True, e
    rec = report.recommendation
    assert rec.rule == "wrong_lens"
    assert rec.method in ("no_resampling", "random_oversample")
    assert "not by nearness" in rec.reasons[0]


def test_many_columns_that_carry_nothing_make_neighbours_the_wrong_lens():
    """One informative column among 20: nearness is dominated by the 19 others, a tree
    splits on the one (the report says the neighbour figures are unreliable)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(5100, 20))
    X[:100, 0] += -2 * norm.ppf(0.05)
    y = np.r_[np.ones(100, int), np.zeros(5000, int)]
    e = diagnose(X, y, random_state=0, verbose=0).finding("high_dimensionality").evidence
    assert e["neighbours_wrong_lens"] is True, e


@pytest.mark.parametrize(
    "error, imbalance, d",
    [(0.01, 10, 2), (0.05, 30, 5), (0.10, 50, 5), (0.20, 50, 5), (0.20, 5, 2), (0.05, 10, 10)],
)
def test_smooth_overlapping_classes_keep_their_neighbours(error, imbalance, d):
    X, y = gaussians(error, imbalance, d)
    report = diagnose(X, y, random_state=0, verbose=0)
    e = report.finding("high_dimensionality").evidence
    assert e["neighbours_wrong_lens"] is False
    assert report.recommendation.rule != "wrong_lens"


def test_well_separated_classes_in_30_dimensions_keep_their_neighbours():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(size=(3000, 30)), rng.normal(size=(150, 30)) + 1.0])
    y = np.r_[np.zeros(3000, int), np.ones(150, int)]
    e = diagnose(X, y, random_state=0, verbose=0).finding("high_dimensionality").evidence
    assert e["neighbours_wrong_lens"] is False
    assert e["neighbour_auc"] > 0.95


def test_perfect_counts_need_no_tree_and_uninformative_ones_leave_it_chance():
    """Counts that rank the class perfectly give a neighbour AUC of 1 (no tree can beat it:
    none is fitted); uninformative counts leave the tree its chance; too few rows of a side
    give no measurement."""
    rng = np.random.default_rng(0)
    Z = rng.normal(size=(600, 3))
    y = np.r_[np.ones(100, int), np.zeros(500, int)]
    counts = np.where(y == 1, 5.0, 0.0)
    result = measure_locality(Z, y, 1, counts, np.flatnonzero(y == 0), rng)
    assert result.neighbour_auc == 1.0 and result.tree_auc is None
    assert result.wrong_lens is False
    guessed = measure_locality(
        Z, y, 1, rng.integers(0, 6, 600).astype(float), np.flatnonzero(y == 0), rng
    )
    assert abs(guessed.neighbour_auc - 0.5) < 0.1
    assert 0.3 < guessed.tree_auc < 0.75  # the columns carry no class: the tree guesses
    assert guessed.wrong_lens is False
    few = measure_locality(Z, y, 1, counts, np.flatnonzero(y == 0)[:2], rng)
    assert few.n_rows == 0 and few.gap is None
