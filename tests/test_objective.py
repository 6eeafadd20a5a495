"""The objective decides the advice: planted cases where the right answer differs."""

import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import TunedThresholdClassifierCV
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import SVC

from smote_diag import InputError, datasets, diagnose
from smote_diag.recommend import OBJECTIVES, shortlist
from tests.conftest import run

# the objectives judged by decisions or rankings (probability's advice is one: below)
DECIDING = [o for o in OBJECTIVES if o != "probability"]
LINEAR, NEIGHBOURS, TREES = (
    LogisticRegression(),
    KNeighborsClassifier(),
    HistGradientBoostingClassifier(),
)


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
    assert report.recommendation.rule == "heavy_overlap"
    # weights and thresholds leave a ranking as it is: average precision takes its default
    assert report.with_objective("average_precision").recommendation.rule == "default"


def test_average_precision_keeps_the_ensemble_for_every_estimator(planted):
    _, report = planted["flipped"]
    rec = report.with_objective("average_precision").recommendation
    assert rec.method == "smote_bagging"
    for estimator in (KNeighborsClassifier(), LogisticRegression()):
        assert rec.strategy(estimator) == "smote_bagging"
        final = rec.pipeline(estimator).named_steps["estimator"]
        assert type(final).__name__ == "BalancedBaggingClassifier"
    assert not any("nearest-neighbour estimator it leaves" in r for r in rec.reasons)


def test_the_estimator_family_decides_where_no_finding_does(planted):
    _, report = planted["flipped"]  # 227 minority rows: at least MINORITY_FOR_TUNING
    assert advice(report) == {
        "balanced_accuracy": "smote",
        "f1": "no_resampling",
        "average_precision": "smote_bagging",
    }
    balanced = report.recommendation
    assert balanced.rule == "default"
    assert [balanced.strategy(e) for e in (LINEAR, NEIGHBOURS, TREES, SVC())] == [
        "smote",
        "smote",
        "smote_rus",
        "smote",
    ]
    assert [n for n, _ in balanced.pipeline(TREES).steps] == ["sampler", "estimator"]
    f1 = report.with_objective("f1").recommendation
    assert isinstance(f1.pipeline(LINEAR).named_steps["estimator"], TunedThresholdClassifierCV)
    assert f1.strategy(TREES) == "smote_bagging"
    assert "tree ensembles smote_bagging" in f1.reasons[0]


def test_noise_names_a_cleaning_hybrid_for_verification_but_does_not_decide(planted):
    _, report = planted["flipped"]
    assert report.finding("noise").severity != "ok"
    found = report.advice_inputs
    for objective, cleaning in (("balanced_accuracy", "smote_enn"), ("f1", "smote_tomek")):
        listed = [
            m for m, _ in shortlist(found["class_findings"], found["data_findings"], objective)
        ]
        assert cleaning in listed, listed
    assert any(
        r.startswith("Also noted") and "noise" in r.lower() for r in report.recommendation.reasons
    )


def test_a_small_minority_is_resampled_by_every_family_but_linear_models_under_f1():
    data = datasets.make_flipped_labels(n_minority=16, noise_share=0.25, random_state=0)  # 21 rows
    report = run(data)
    assert advice(report) == {
        "balanced_accuracy": "smote",
        "f1": "smote_bagging",
        "average_precision": "smote_bagging",
    }
    f1 = report.with_objective("f1").recommendation
    linear = f1.pipeline(LINEAR)
    assert [n for n, _ in linear.steps] == ["estimator"]
    assert isinstance(linear.named_steps["estimator"], TunedThresholdClassifierCV)
    assert f1.strategy(NEIGHBOURS) == "smote_bagging"
    assert f1.strategy(TREES) == "random_oversample"
    ranking = report.with_objective("average_precision").recommendation
    assert [ranking.strategy(e) for e in (LINEAR, NEIGHBOURS, TREES)] == [
        "smote_bagging",
        "smote_bagging",
        "smote",
    ]


def test_a_thin_boundary_with_f1_gets_a_threshold_and_with_balanced_accuracy_resampling():
    report = run(datasets.make_boundary_band(random_state=0))
    assert report.finding("overlap").evidence["borderline_share"] > 0.33
    f1 = report.with_objective("f1").recommendation
    assert f1.method == "no_resampling"
    assert isinstance(f1.pipeline(NEIGHBOURS).named_steps["estimator"], TunedThresholdClassifierCV)
    balanced = report.with_objective("balanced_accuracy").recommendation
    assert balanced.method != "no_resampling"
    found = report.advice_inputs
    listed = [m for m, _ in shortlist(found["class_findings"], found["data_findings"])]
    assert "borderline_smote" in listed  # the boundary's variant, for a verification
    small = run(datasets.make_boundary_band(n_majority=300, n_minority=20, random_state=0))
    assert small.with_objective("f1").recommendation.method != "no_resampling"


def test_other_rules_keep_the_single_estimator_tailoring(planted):
    # a finding that decides (here bridged groups) is applied whatever the family, except
    # where the estimator makes its sampler pointless
    _, report = planted["bridged"]
    rec = report.with_objective("average_precision").recommendation
    assert rec.method == "cluster_smote" and rec.rule == "bridging"
    assert [n for n, _ in rec.pipeline(NEIGHBOURS).steps] == ["estimator"]
    assert [n for n, _ in rec.pipeline(LINEAR).steps] == ["sampler", "estimator"]
    f1 = report.with_objective("f1").recommendation
    assert f1.strategy(LINEAR) == "tuned threshold (instead of cluster_smote)"
    assert any("King & Zeng" in r for r in f1.reasons)
