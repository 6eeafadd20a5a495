"""The recommendation: one method, reasons with figures, and a leakage-safe pipeline."""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from imblearn.pipeline import Pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import TunedThresholdClassifierCV, cross_val_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from smote_diag import METHODS, InputError, datasets, diagnose, make_sampler
from smote_diag.recommend import RULES, pipeline_sentence
from tests.conftest import run


def test_methods_vocabulary_is_exact():
    assert METHODS == (
        "smote",
        "borderline_smote",
        "adasyn",
        "smote_nc",
        "smote_tomek",
        "smote_enn",
        "smote_rus",
        "smote_bagging",
        "cluster_smote",
        "pca_smote",
        "random_oversample",
        "no_resampling",
    )


def test_every_method_has_a_sampler():
    expected = {
        "smote": "SMOTE",
        "borderline_smote": "BorderlineSMOTE",
        "adasyn": "ADASYN",
        "smote_nc": "SMOTENC",
        "smote_tomek": "SMOTETomek",
        "smote_enn": "SMOTEENN",
        "smote_rus": "SMOTEUnderSampler",
        "smote_bagging": "SMOTE",  # the sampler of each bag
        "cluster_smote": "ClusterSMOTE",
        "pca_smote": "PCASMOTE",
        "random_oversample": "RandomOverSampler",
    }
    for method in METHODS:
        sampler = make_sampler(method, random_state=0, categorical_features=["c"], n_features=3)
        if method == "no_resampling":
            assert sampler is None
        else:
            # every SMOTE-family sampler measures in the diagnosis's space inside a
            # SpaceSampler; random oversampling has no neighbours
            wrapped = method != "random_oversample"
            assert (type(sampler).__name__ == "SpaceSampler") == wrapped
            inner = sampler.sampler if wrapped else sampler
            assert type(inner).__name__ == expected[method]
            assert inner.get_params()["random_state"] == 0


def test_all_categorical_data_gets_smoten():
    sampler = make_sampler("smote_nc", categorical_features=["a", "b"], n_features=2)
    assert type(sampler.sampler).__name__ == "SMOTEN"


def test_unknown_method_suggests_the_closest():
    with pytest.raises(InputError, match="Did you mean 'cluster_smote'"):
        make_sampler("cluster_smot")


def test_smote_nc_without_categorical_columns_says_what_to_do():
    with pytest.raises(InputError, match="Use method='smote'"):
        make_sampler("smote_nc")


def test_reasons_cite_the_measured_evidence(planted):
    _, report = planted["bridged"]
    rec = report.recommendation
    assert rec.rule == "bridging"
    bridging = report.finding("minority_clustering").evidence["bridging_share"]
    assert f"{bridging:.1%}" in rec.reasons[0]
    assert "30 groups" in rec.reasons[0]
    # 30 tight groups are separate, not overlapping: the overlap finding stays quiet
    assert report.finding("overlap").severity == "ok"
    assert not any(reason.startswith("Also noted: Class 1:") for reason in rec.reasons)


def test_rules_are_ordered_and_named_once():
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    assert names[-1] == "default"
    assert names.index("concentrated") < names.index("heavy_overlap")


def test_pipeline_resamples_inside_fit_only(planted):
    data, report = planted["bridged"]
    pipe = report.recommendation.pipeline(LogisticRegression())
    assert isinstance(pipe, Pipeline)
    assert [name for name, _ in pipe.steps] == ["sampler", "estimator"]
    assert type(pipe.named_steps["sampler"].sampler).__name__ == "ClusterSMOTE"
    scores = cross_val_score(pipe, data.X, data.y, cv=3, scoring="balanced_accuracy")
    assert np.isfinite(scores).all()


def test_pipeline_never_touches_the_callers_estimator(planted):
    _, report = planted["overlapping"]
    estimator = LogisticRegression(C=0.5)
    pipe = report.recommendation.pipeline(estimator)
    assert estimator.get_params()["class_weight"] is None
    assert pipe.named_steps["estimator"] is not estimator


def test_no_resampling_for_balanced_accuracy_uses_class_weight(planted):
    data, report = planted["overlapping"]
    rec = report.with_objective("balanced_accuracy").recommendation
    assert rec.method == "no_resampling" and rec.sampler is None
    assert any("class_weight='balanced'" in r for r in rec.reasons)
    pipe = rec.pipeline(LogisticRegression())
    assert [name for name, _ in pipe.steps] == ["estimator"]
    assert pipe.named_steps["estimator"].class_weight == "balanced"
    inner = rec.pipeline(make_pipeline(StandardScaler(), LogisticRegression()))
    assert inner.named_steps["estimator"].steps[-1][1].class_weight == "balanced"
    # without class_weight: the threshold is tuned for balanced accuracy
    tuned = rec.pipeline(KNeighborsClassifier()).named_steps["estimator"]
    assert isinstance(tuned, TunedThresholdClassifierCV)
    assert tuned.scoring._score_func.__name__ == "counted_balanced_accuracy"


def test_no_resampling_for_f1_tunes_the_threshold_for_f1(planted):
    data, report = planted["overlapping"]
    rec = report.with_objective("f1").recommendation
    assert any("maximises F1" in r for r in rec.reasons)
    final = rec.pipeline(LogisticRegression()).named_steps["estimator"]
    assert isinstance(final, TunedThresholdClassifierCV)
    final.fit(data.X, data.y)
    assert 0.0 <= final.best_threshold_ <= 1.0
    assert final.scoring._kwargs["pos_label"] == rec.positive_label  # F1 of the minority
    assert final.best_threshold_ != pytest.approx(0.5)  # tuned, not the default cut


def test_no_resampling_for_average_precision_leaves_the_estimator_alone(planted):
    data, report = planted["overlapping"]
    rec = replace(report.with_objective("average_precision").recommendation, method="no_resampling")
    # what the reasons say of it: average precision judges a ranking
    assert "ranking" in pipeline_sentence("no_resampling", True, rec.objective)
    final = rec.pipeline(LogisticRegression()).named_steps["estimator"]
    assert isinstance(final, LogisticRegression) and final.class_weight is None


def test_missing_values_are_imputed_in_the_pipeline():
    data = datasets.make_bridged_groups(random_state=0)
    frame = data.frame.copy()
    frame.loc[frame.sample(40, random_state=0).index, "x1"] = np.nan
    report = run(datasets.PlantedData(frame, "label", data.truth))
    rec = report.recommendation
    assert rec.impute
    pipe = rec.pipeline(LogisticRegression())
    assert [name for name, _ in pipe.steps] == ["prepare", "sampler", "estimator"]
    X, y = frame.drop(columns="label"), frame["label"]
    assert np.isfinite(cross_val_score(pipe, X, y, cv=3)).all()


def test_smote_nc_pipeline_fits_mixed_data_with_missing_values(planted):
    data, _ = planted["mixed"]
    frame = data.frame.copy()
    frame.loc[frame.sample(30, random_state=1).index, "city"] = np.nan
    frame.loc[frame.sample(30, random_state=2).index, "x0"] = np.nan
    report = run(datasets.PlantedData(frame, "label", data.truth))
    pipe = report.recommendation.pipeline(LogisticRegression(max_iter=500))
    assert [name for name, _ in pipe.steps] == ["prepare", "sampler", "encode", "estimator"]
    assert list(pipe.named_steps["sampler"].sampler.categorical_features) == [2, 3]  # prepared
    X, y = frame.drop(columns="label"), frame["label"]
    scores = cross_val_score(pipe, X, y, cv=3, scoring="balanced_accuracy")
    assert (scores > 0.9).all()  # the minority is easy here


def test_categorical_columns_are_encoded_for_any_estimator(planted):
    data, report = planted["mixed"]
    pipe = report.recommendation.pipeline(LogisticRegression(max_iter=500))
    assert [name for name, _ in pipe.steps] == ["sampler", "encode", "estimator"]
    assert list(pipe.named_steps["sampler"].sampler.categorical_features) == [2, 3]
    pipe.fit(data.X, data.y)
    assert set(pipe.predict(data.X)) == {0, 1}


def test_integer_column_labels_are_handled_by_position():
    data = datasets.make_mixed_types(random_state=0)
    X = data.X.set_axis([10, 11, 12, 13], axis=1)  # labels that are not positions
    X.loc[X.sample(20, random_state=0).index, 10] = np.nan
    report = diagnose(X, data.y, random_state=0, verbose=0)
    pipe = report.recommendation.pipeline(LogisticRegression(max_iter=500))
    pipe.fit(X, data.y)
    assert pipe.score(X, data.y) > 0.9


def test_left_out_columns_are_dropped_by_the_pipeline(planted):
    data, report = planted["bridged"]
    X = data.X.assign(when=pd.Timestamp("2024-01-01"), site="plant 4")
    report = diagnose(X, data.y, random_state=0, verbose=0)
    assert set(report.excluded_columns) == {"when", "site"}
    pipe = report.recommendation.pipeline(LogisticRegression())
    assert pipe.steps[0][0] == "prepare"
    assert np.isfinite(cross_val_score(pipe, X, data.y, cv=3)).all()


def test_pipeline_refuses_a_non_estimator(planted):
    _, report = planted["compact"]
    with pytest.raises(TypeError, match="scikit-learn estimator"):
        report.recommendation.pipeline("LogisticRegression")


def _finding(kind, severity, **evidence):
    from smote_diag import Finding

    return Finding(kind, severity, f"{kind} is {severity}", evidence, minority_class=1)


def test_bridging_decides_and_noise_only_names_an_alternative():
    from smote_diag.recommend import decide, shortlist

    findings = {
        1: {
            "imbalance": _finding("imbalance", "severe", imbalance_ratio=19.0, n_minority=200),
            "minority_clustering": _finding(
                "minority_clustering", "warning", n_groups=9, bridging_share=0.08
            ),
            "noise": _finding(
                "noise", "severe", n_noise=40, noise_share=0.2, noise_share_lower=0.16
            ),
        }
    }
    rule, method, reason, _ = decide(findings, {})
    assert (rule.name, method) == ("bridging", "cluster_smote")  # pass 2: a warning
    assert "warning at 5%" in reason
    findings[1]["minority_clustering"] = _finding(
        "minority_clustering", "severe", n_groups=9, bridging_share=0.3
    )
    assert "severe at 20%" in decide(findings, {})[2]  # pass 1
    del findings[1]["minority_clustering"]
    assert decide(findings, {})[0].name == "default"  # severe noise decides nothing
    # F1's default here is no resampling (listed last): the noise names SMOTE + Tomek links
    assert [m for m, _ in shortlist(findings, {}, "f1")][0] == "smote_tomek"


def test_imbalance_ratio_of_exactly_four_is_mild_everywhere():
    data = datasets.make_compact_minority(n_majority=400, n_minority=100, random_state=0)
    report = run(data)
    assert report.finding("imbalance").severity == "ok"
    assert report.recommendation.rule == "default"


def test_safe_reason_does_not_deny_a_warning():
    data = datasets.make_compact_minority(random_state=0)
    frame = data.frame.copy()
    rng = np.random.default_rng(0)
    for i in range(20):  # 20 noise features: neighbours lose some contrast, not all
        frame[f"n{i}"] = rng.normal(size=len(frame))
    report = run(datasets.PlantedData(frame, "label", data.truth))
    rec = report.recommendation
    assert rec.rule == "default" and rec.strategy(LogisticRegression()) == "smote"
    assert report.finding("high_dimensionality").severity == "warning"
    assert "concentration" not in rec.reasons[0]
    assert any(r.startswith("Also noted") and "relative contrast" in r for r in rec.reasons)


@pytest.mark.parametrize(
    "name, meant",
    [
        ("SMOTE", "smote"),
        ("BorderlineSMOTE", "borderline_smote"),
        ("smote-enn", "smote_enn"),
        ("RandomOverSampler", "random_oversample"),
    ],
)
def test_a_method_in_another_spelling_is_named(name, meant):
    with pytest.raises(InputError, match=f"Did you mean '{meant}'"):
        make_sampler(name)


def test_make_sampler_checks_the_scaling():
    with pytest.raises(InputError, match="Did you mean 'robust'"):
        make_sampler("smote", scaling="rbust")


def test_readme_headline_example_runs_as_written(capsys):
    """The README's first Python block, executed verbatim: its cross-validated scores are
    numbers in (0, 1], not the NaN that scoring="average_precision" gives string labels."""
    import re
    import warnings
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text()
    block = re.search(r"```python\n(.*?)```", readme, re.S).group(1)
    *body, last = block.strip().splitlines()
    namespace: dict = {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # as written, it runs without a warning
        exec("\n".join(body), namespace)
        scores = eval(last.split("#")[0], namespace)
    assert np.all((scores > 0) & (scores <= 1)), scores
    nan_scores = cross_val_score(
        namespace["pipe"], namespace["X"], namespace["y"], scoring="average_precision"
    )
    assert np.isnan(nan_scores).all()  # what the README's sentence says the plain name gives


@pytest.mark.parametrize("objective", ["f1", "average_precision", "balanced_accuracy"])
def test_the_scorer_scores_three_classes(objective):
    """No single positive class: F1 and average precision macro-averaged, never NaN."""
    rng = np.random.default_rng(0)
    y = np.r_[np.zeros(200, dtype=int), np.ones(30, dtype=int), np.full(20, 2)]
    X = pd.DataFrame(rng.normal(size=(250, 2)) + 1.5 * y[:, None], columns=["a", "b"])
    rec = diagnose(X.assign(label=y), "label", objective=objective, verbose=0).recommendation
    scores = cross_val_score(rec.pipeline(LogisticRegression()), X, y, cv=3, scoring=rec.scorer())
    assert np.all((scores > 0.5) & (scores <= 1)), scores


def test_an_estimators_scalers_learn_from_the_real_rows_before_the_sampler(planted):
    # a scaler fitted on SMOTE's output would learn from synthetic rows, and it squeezes a
    # column the classes differ on (it spreads more in balanced data): nearest neighbours
    # lost about 0.01 average precision on the benchmark's families that way
    data, report = planted["compact"]
    rec = replace(report.recommendation, method="smote")
    pipe = rec.pipeline(make_pipeline(StandardScaler(), KNeighborsClassifier()))
    assert [name for name, _ in pipe.steps] == ["standardscaler", "sampler", "estimator"]
    assert isinstance(pipe.named_steps["estimator"], KNeighborsClassifier)
    pipe.fit(data.X, data.y)
    scaler = pipe.named_steps["standardscaler"]
    np.testing.assert_allclose(scaler.mean_, data.X.to_numpy().mean(axis=0))
    # the sampler after the scaler makes the rows rec.sampler makes (the same neighbours,
    # measured where the diagnosis measures), in the scaler's units
    X_res, _ = rec.sampler.fit_resample(data.X, data.y)
    X_scaled, _ = make_sampler("smote", random_state=rec.random_state).fit_resample(
        scaler.transform(data.X), data.y
    )
    np.testing.assert_allclose(scaler.inverse_transform(X_scaled), X_res, atol=1e-9)


def test_an_ensemble_takes_the_estimator_after_its_scalers(planted):
    data, report = planted["compact"]
    rec = replace(report.recommendation, method="smote_bagging")
    pipe = rec.pipeline(make_pipeline(StandardScaler(), KNeighborsClassifier()))
    assert [name for name, _ in pipe.steps] == ["standardscaler", "estimator"]
    assert isinstance(pipe.named_steps["estimator"].estimator, KNeighborsClassifier)


def test_scalers_stay_in_the_estimator_when_the_sampler_keeps_units(planted):
    # categories and whole numbers are resampled in the caller's units (SMOTE-NC's
    # categories, rounding), which a scaler before the sampler would take away
    data, report = planted["mixed"]
    rec = replace(report.recommendation, method="smote_nc")
    pipe = rec.pipeline(make_pipeline(StandardScaler(), LogisticRegression()))
    assert [name for name, _ in pipe.steps][-1] == "estimator"
    assert [type(s).__name__ for _, s in pipe.named_steps["estimator"].steps] == [
        "StandardScaler",
        "LogisticRegression",
    ]
    frame = data.X.copy()
    frame["x0"] = frame["x0"].round()
    whole = diagnose(frame.assign(label=data.y).drop(columns=["city", "plan"]), "label", verbose=0)
    rec = replace(whole.recommendation, method="smote")
    assert rec.integer_features
    pipe = rec.pipeline(make_pipeline(StandardScaler(), LogisticRegression()))
    assert [name for name, _ in pipe.steps] == ["sampler", "estimator"]
