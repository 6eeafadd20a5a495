"""The four causes of a minority row among other classes, each against data with the answer
planted, with its negative control: label noise, overlap, rare cases and outliers."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from smote_diag import diagnose


def gaussians(error, imbalance, n_minority=150, d=2, n_wrong=0, seed=0):
    """Minority N(mu e1, I), majority N(0, I), mu set by the balanced Bayes error; the last
    ``n_wrong`` minority-labelled rows are majority rows (wrong labels)."""
    rng = np.random.default_rng(seed)
    mu = -2 * norm.ppf(error)
    minority = rng.normal(size=(n_minority - n_wrong, d))
    minority[:, 0] += mu
    majority = rng.normal(size=(imbalance * n_minority, d))
    wrong = rng.normal(size=(n_wrong, d))
    X = pd.DataFrame(np.vstack([majority, minority, wrong]), columns=[f"x{i}" for i in range(d)])
    y = np.r_[np.zeros(len(majority), int), np.ones(n_minority, int)]
    return X, y, set(range(len(y) - n_wrong, len(y)))


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("error", [0.05, 0.10, 0.20])
def test_clean_overlapping_labels_are_not_label_noise(error, seed):
    X, y, _ = gaussians(error, 10, seed=seed)
    report = diagnose(X, y, random_state=0, verbose=0)
    noise = report.finding("noise")
    assert noise.severity == "ok", noise.summary
    assert noise.evidence["noise_rate"] < 0.05
    assert report.recommendation.rule != "noise"  # no cleaning for noise that is not there


@pytest.mark.parametrize("seed", [0, 1])
def test_flipped_labels_in_overlapping_classes_are_found(seed):
    X, y, wrong = gaussians(0.05, 10, n_wrong=15, seed=seed)  # 10% of the minority
    noise = diagnose(X, y, random_state=0, verbose=0).finding("noise")
    found = set(noise.rows)
    assert len(found & wrong) >= 0.6 * len(wrong), "recall"
    assert len(found & wrong) >= 0.6 * len(found), "precision"
    assert noise.severity != "ok"
    assert 0.05 <= noise.evidence["noise_rate"] <= 0.2


def test_rare_pairs_are_rare_not_noise_and_not_bridged():
    """Correctly labelled pairs of the class alone in majority territory, far from its main
    body: rare (Napierala & Stefanowski), never label noise."""
    rng = np.random.default_rng(0)
    majority = rng.uniform(-6, 6, size=(3000, 2))
    body = rng.normal([0, 0], 0.4, size=(120, 2))
    centres = np.array([[-4.5, -4.5], [4.5, -4.5], [-4.5, 4.5], [4.5, 4.5]])
    pairs = np.vstack([c + rng.normal(0, 0.03, size=(2, 2)) for c in centres])
    X = pd.DataFrame(np.vstack([majority, body, pairs]), columns=["a", "b"])
    y = np.r_[np.zeros(3000, int), np.ones(120 + 8, int)]
    report = diagnose(X, y, random_state=0, verbose=0)
    noise = report.finding("noise")
    planted = set(range(3000 + 120, 3000 + 128))
    assert set(noise.evidence["rare_rows"]) == planted
    assert not set(noise.rows) & planted
    assert not set(noise.evidence["outlier_rows"]) & planted


def test_one_overlapping_gaussian_is_one_group():
    for imbalance in (5, 30):
        X, y, _ = gaussians(0.10, imbalance)
        clustering = diagnose(X, y, random_state=0, verbose=0).finding("minority_clustering")
        sizes = clustering.evidence["group_sizes"]
        assert sizes[0] >= 0.9 * 150, sizes  # one group holds the class
        assert clustering.severity == "ok", clustering.summary


@pytest.mark.parametrize("error", [0.10, 0.20, 0.30])
def test_the_overlap_grade_does_not_move_with_the_imbalance(error):
    kappas, severities = [], []
    for imbalance in (5, 30):
        overlap = diagnose(*gaussians(error, imbalance)[:2], random_state=0, verbose=0).finding(
            "overlap"
        )
        kappas.append(overlap.evidence["balanced_chance_corrected_purity"])
        severities.append(overlap.severity)
    assert abs(kappas[0] - kappas[1]) < 0.08, kappas
    assert severities[0] == severities[1]


def test_each_row_has_one_cause():
    X, y, _ = gaussians(0.10, 10, n_wrong=10)
    noise = diagnose(X, y, random_state=0, verbose=0).finding("noise")
    e = noise.evidence
    counted = e["n_noise"] + e["n_outlier"] + e["n_rare"] + e["n_overlap"] + e["n_safe"]
    assert counted == 150
    listed = [set(noise.rows), set(e["outlier_rows"]), set(e["rare_rows"])]
    assert len(listed[0]) == e["n_noise"] > 0
    assert not listed[1] & listed[2]
    assert not listed[0] & (listed[1] | listed[2])


def test_cluster_smote_finds_the_reports_groups_where_the_classes_overlap():
    """The gap rule is the grouping's own, so ClusterSMOTE (which regroups on the rows it is
    given) splits one overlapping Gaussian no more than the report does."""
    from sklearn.metrics import adjusted_rand_score

    from smote_diag.samplers import ClusterSMOTE

    X, y, _ = gaussians(0.10, 30)
    report = diagnose(X, y, random_state=0, verbose=0)
    sampler = ClusterSMOTE(random_state=0)
    sampler.fit_resample(X, y)
    assert adjusted_rand_score(report.profiles[0].groups, sampler.groups_[1]) == 1.0


def test_a_tiny_class_is_not_judged_for_label_noise():
    """Two tails of four rows each look half mislabelled to a linear model: too few rows
    for the model's columns, so nothing is called label noise and the summary says why."""
    rng = np.random.default_rng(0)
    majority = rng.normal(size=(2000, 2))
    tails = np.r_[rng.normal([3.3, 0], 0.3, (4, 2)), rng.normal([-3.3, 0], 0.3, (4, 2))]
    X = pd.DataFrame(np.vstack([majority, tails]), columns=["a", "b"])
    y = np.r_[np.zeros(2000, int), np.ones(8, int)]
    noise = diagnose(X, y, random_state=0, verbose=0).finding("noise")
    assert noise.rows == ()
    assert noise.evidence["label_noise_model_fitted"] is False
    assert "too few rows" in noise.summary
