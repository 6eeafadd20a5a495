"""The objective decides the advice: planted cases where the right answer differs."""

import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import TunedThresholdClassifierCV
from sklearn.neighbors import KNeighborsClassifier

from smote_diag import InputError, datasets, diagnose
from smote_diag.recommend import OBJECTIVES
from tests.conftest import run

# the objectives judged by decisions or rankings (probability's advice is one: below)
DECIDING = [o for o in OBJECTIVES if o != "probability"]


def advice(report):
    return {o: report.with_objective(o).recommendation.method for o in DECIDING}


def test_calibrated_probabilities_are_never_resampled(planted):
    for _, report in planted.values():
        rec = report.with_objective("probability").recommendation
        assert rec.method == "no_resampling"
        assert rec.rule in ("preresampled", "probability")


def test_the_report_shows_its_objective(planted):
    _, report = planted["compact"]
    assert report.objective == report.recommendation.objective == "balanced_accuracy"
    assert report.to_dict()["parameters"]["objective"] == "balanced_accuracy"
    assert "objective: balanced accuracy" in repr(report)
    f1 = report.with_objective("f1")
    assert f1.objective == "f1" and f1.findings == report.findings  # nothing re-measured
    assert f1.findings is report.findings and f1.profiles is report.profiles
    assert "objective: f1" in repr(f1)


def test_unknown_objective_suggests_the_closest():
    data = datasets.make_compact_minority(random_state=0)
    with pytest.raises(InputError, match="Did you mean 'average_precision'"):
        diagnose(data.frame, target="label", objective="average_precison", verbose=0)


def test_heavy_overlap_gets_no_synthetic_rows_for_decisions_and_a_bagged_ranking(planted):
    _, report = planted["overlapping"]
    chosen = advice(report)
    assert chosen.pop("average_precision") == "smote_bagging"
    assert set(chosen.values()) == {"no_resampling"}
    assert report.with_objective("average_precision").recommendation.rule == "enough_minority"


def test_average_precision_keeps_the_ensemble_for_every_estimator(planted):
    _, report = planted["flipped"]
    rec = report.with_objective("average_precision").recommendation
    assert rec.method == "smote_bagging"
    for estimator in (KNeighborsClassifier(), LogisticRegression()):
        assert rec.strategy(estimator) == "smote_bagging"
        final = rec.pipeline(estimator).named_steps["estimator"]
        assert type(final).__name__ == "BalancedBaggingClassifier"
    assert not any("nearest-neighbour estimator it leaves" in r for r in rec.reasons)


def test_noise_gets_cleaning_for_balanced_accuracy_and_a_threshold_for_f1(planted):
    _, report = planted["flipped"]  # 227 minority rows: enough to tune a threshold on
    assert advice(report) == {
        "balanced_accuracy": "smote_enn",
        "f1": "no_resampling",
        "average_precision": "smote_bagging",
    }
    pipe = report.with_objective("f1").recommendation.pipeline(LogisticRegression())
    assert isinstance(pipe.named_steps["estimator"], TunedThresholdClassifierCV)


def test_a_small_noisy_minority_is_resampled_without_costing_precision():
    data = datasets.make_flipped_labels(n_minority=16, noise_share=0.25, random_state=0)  # 21 rows
    report = run(data)
    assert advice(report) == {
        "balanced_accuracy": "smote_enn",
        "f1": "smote_tomek",
        "average_precision": "smote_tomek",
    }
    reason = report.with_objective("f1").recommendation.reasons[0]
    assert "trade precision for recall" in reason


def test_a_thin_boundary_with_f1_gets_a_threshold_and_with_balanced_accuracy_resampling():
    report = run(datasets.make_boundary_band(random_state=0))
    assert report.finding("overlap").evidence["borderline_share"] > 0.33
    f1 = report.with_objective("f1").recommendation
    assert f1.method == "no_resampling"
    assert isinstance(
        f1.pipeline(KNeighborsClassifier()).named_steps["estimator"], TunedThresholdClassifierCV
    )
    balanced = report.with_objective("balanced_accuracy").recommendation
    assert balanced.method in ("smote_enn", "smote_tomek", "borderline_smote")
    small = run(datasets.make_boundary_band(n_majority=300, n_minority=20, random_state=0))
    assert small.with_objective("f1").recommendation.method != "no_resampling"


def test_nearest_neighbours_keep_their_ranking_unsampled():
    data = datasets.make_flipped_labels(n_minority=16, noise_share=0.25, random_state=0)
    rec = run(data).with_objective("average_precision").recommendation
    assert rec.method == "smote_tomek"
    assert [n for n, _ in rec.pipeline(KNeighborsClassifier()).steps] == ["estimator"]
    assert [n for n, _ in rec.pipeline(LogisticRegression()).steps] == ["sampler", "estimator"]
    assert any("nearest-neighbour estimator" in r for r in rec.reasons)


def test_linear_models_tune_the_threshold_for_f1_instead_of_resampling():
    data = datasets.make_flipped_labels(n_minority=16, noise_share=0.25, random_state=0)
    rec = run(data).with_objective("f1").recommendation
    assert rec.method == "smote_tomek"
    linear = rec.pipeline(LogisticRegression())
    assert [n for n, _ in linear.steps] == ["estimator"]
    assert isinstance(linear.named_steps["estimator"], TunedThresholdClassifierCV)
    assert [n for n, _ in rec.pipeline(KNeighborsClassifier()).steps] == ["sampler", "estimator"]
    assert any("King & Zeng" in r for r in rec.reasons)
