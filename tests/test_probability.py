"""objective="probability": no resampling advised, and a sampler applied all the same has its
probabilities corrected for the class prior it changed."""

from dataclasses import replace

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss
from sklearn.model_selection import cross_val_predict, cross_val_score

from smote_diag import diagnose, evaluate
from smote_diag.datasets import make_bridged_groups, make_overlapping, make_three_classes
from smote_diag.prior_shift import PriorCorrectedClassifier
from smote_diag.recommend import pipeline_sentence


@pytest.fixture(scope="module")
def overlapping():
    return make_overlapping(random_state=0)


@pytest.fixture(scope="module")
def rec(overlapping):
    report = diagnose(
        overlapping.frame, "label", objective="probability", random_state=0, verbose=0
    )
    return report.recommendation


def test_the_advice_for_probabilities_is_the_estimator_as_it_is(rec):
    assert (rec.method, rec.rule) == ("no_resampling", "probability")
    assert rec.strategy(LogisticRegression()) == "estimator as is"
    final = rec.pipeline(LogisticRegression()).named_steps["estimator"]
    assert final.get_params()["class_weight"] is None  # no weights: they move probabilities
    assert "van den Goorbergh" in rec.reasons[0]


def test_the_same_data_gets_other_advice_for_other_objectives():
    frame = make_bridged_groups(random_state=0).frame
    report = diagnose(frame, "label", random_state=0, verbose=0)
    assert report.recommendation.method == "cluster_smote"
    assert report.with_objective("probability").recommendation.method == "no_resampling"


def test_a_sampler_applied_anyway_is_prior_corrected(overlapping, rec):
    X, y = overlapping.X, overlapping.y
    smote = replace(rec, method="smote")
    corrected = smote.pipeline(LogisticRegression())
    assert isinstance(corrected, PriorCorrectedClassifier)
    assert smote.strategy(LogisticRegression()) == "smote, prior-corrected"
    assert "PriorCorrectedClassifier" in pipeline_sentence("smote", True, "probability")
    uncorrected = replace(smote, objective="average_precision").pipeline(LogisticRegression())
    minority = y.value_counts().idxmin()

    def mean_and_brier(model):
        p = cross_val_predict(model, X, y, method="predict_proba", cv=5)
        column = list(np.unique(y)).index(minority)
        return p[:, column].mean(), brier_score_loss(y == minority, p[:, column])

    share = float((y == minority).mean())
    raw_mean, raw_brier = mean_and_brier(uncorrected)
    fixed_mean, fixed_brier = mean_and_brier(corrected)
    # planted: balanced training rows make the model predict ~half minority everywhere; the
    # correction brings the mean probability back to the real share
    assert raw_mean > 3 * share
    assert abs(fixed_mean - share) < 0.25 * share
    assert fixed_brier < 0.5 * raw_brier
    # the sampler's shares are what was corrected for
    fitted = corrected.fit(X, y)
    assert fitted.resampled_prior_ == pytest.approx([0.5, 0.5])
    assert sorted(fitted.prior_) == pytest.approx(sorted(y.value_counts(normalize=True)))
    assert np.allclose(fitted.predict_proba(X).sum(axis=1), 1)


def test_the_scorer_is_the_negated_brier_score_of_the_minority(overlapping, rec):
    X, y = overlapping.X, overlapping.y
    scores = cross_val_score(rec.pipeline(LogisticRegression()), X, y, scoring=rec.scorer())
    minority = y.value_counts().idxmin()
    p = cross_val_predict(rec.pipeline(LogisticRegression()), X, y, method="predict_proba")
    assert -scores.mean() == pytest.approx(
        brier_score_loss(y == minority, p[:, list(np.unique(y)).index(minority)]), rel=0.05
    )
    assert (scores < 0).all()


def test_multi_class_probabilities_are_corrected_and_scored_by_log_loss():
    data = make_three_classes(random_state=0)
    rec = diagnose(data.frame, "label", objective="probability", verbose=0).recommendation
    assert rec.scorer() == "neg_log_loss"
    model = replace(rec, method="smote").pipeline(LogisticRegression()).fit(data.X, data.y)
    assert model.resampled_prior_ == pytest.approx(np.full(3, 1 / 3))
    assert np.allclose(model.predict_proba(data.X).sum(axis=1), 1)


def test_evaluate_judges_probabilities_by_the_brier_score(overlapping):
    result = evaluate(
        overlapping.frame, "label", objective="probability", random_state=0, verbose=0
    )
    assert result.metric == "neg_brier_score"
    assert "Brier score (negated)" in result.verdict
    table = result.to_frame()
    # plain SMOTE's probabilities are worse than the advice's (uncorrected, as users run it)
    assert (
        table.loc["advice", ("neg_brier_score", "mean")]
        > table.loc["smote", ("neg_brier_score", "mean")]
    )
    assert {"neg_brier_score", "neg_log_loss"} <= set(result.scores["metric"])


def test_the_correction_follows_the_classes_order_and_the_samplers_shares(overlapping):
    # text labels with the minority sorting first, and SMOTE to half the majority: the
    # shares corrected for are the sampler's, in the classes_ order
    frame = overlapping.frame.assign(
        label=overlapping.frame["label"].map({0: "z_majority", 1: "a_minority"})
    )
    X, y = frame.drop(columns="label"), frame["label"]
    rec = diagnose(frame, "label", objective="probability", verbose=0).recommendation
    for params, resampled in (
        ({"sampling_strategy": 0.5}, [1 / 3, 2 / 3]),
        ({}, [0.5, 0.5]),
    ):
        for method in ("smote", "smote_bagging"):
            model = replace(rec, method=method, sampler_params=params)
            fitted = model.pipeline(LogisticRegression()).fit(X, y)
            assert list(fitted.classes_) == ["a_minority", "z_majority"]
            assert fitted.resampled_prior_ == pytest.approx(resampled, abs=0.01)
            assert fitted.prior_ == pytest.approx([1 / 11, 10 / 11])
            mean = fitted.predict_proba(X)[:, 0].mean()
            assert abs(mean - 1 / 11) < 0.2 / 11
            assert set(fitted.predict(X)) <= {"a_minority", "z_majority"}


def test_a_pipeline_without_a_recording_sampler_is_refused(overlapping):
    from imblearn.over_sampling import SMOTE
    from imblearn.pipeline import make_pipeline

    model = PriorCorrectedClassifier(make_pipeline(SMOTE(), LogisticRegression()))
    with pytest.raises(ValueError, match="needs a smote_diag sampler"):
        model.fit(overlapping.X, overlapping.y)
