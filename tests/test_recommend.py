"""The recommendation: one method, reasons with figures, and a leakage-safe pipeline."""

import numpy as np
import pandas as pd
import pytest
from imblearn.pipeline import Pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import TunedThresholdClassifierCV, cross_val_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from smote_diag import METHODS, InputError, datasets, make_sampler
from smote_diag.recommend import RULES
from tests.conftest import run


def test_methods_vocabulary_is_exact():
    assert METHODS == (
        "smote",
        "borderline_smote",
        "adasyn",
        "smote_nc",
        "smote_tomek",
        "smote_enn",
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
        "cluster_smote": "ClusterSMOTE",
        "pca_smote": "PCASMOTE",
        "random_oversample": "RandomOverSampler",
    }
    for method in METHODS:
        sampler = make_sampler(method, random_state=0, categorical_features=["c"], n_features=3)
        if method == "no_resampling":
            assert sampler is None
        else:
            assert type(sampler).__name__ == expected[method]
            assert sampler.get_params()["random_state"] == 0


def test_all_categorical_data_gets_smoten():
    sampler = make_sampler("smote_nc", categorical_features=["a", "b"], n_features=2)
    assert type(sampler).__name__ == "SMOTEN"


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
    assert f"{bridging:.0%}" in rec.reasons[0]
    assert "30 groups" in rec.reasons[0]
    assert f"Also noted: {report.finding('overlap').summary}" in rec.reasons


def test_rules_are_ordered_and_named_once():
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    assert names[-1] == "safe"
    assert names.index("concentrated") < names.index("heavy_overlap")


def test_pipeline_resamples_inside_fit_only(planted):
    data, report = planted["bridged"]
    pipe = report.recommendation.pipeline(LogisticRegression())
    assert isinstance(pipe, Pipeline)
    assert [name for name, _ in pipe.steps] == ["sampler", "estimator"]
    assert type(pipe.named_steps["sampler"]).__name__ == "ClusterSMOTE"
    scores = cross_val_score(pipe, data.X, data.y, cv=3, scoring="balanced_accuracy")
    assert np.isfinite(scores).all()


def test_pipeline_never_touches_the_callers_estimator(planted):
    _, report = planted["overlapping"]
    estimator = LogisticRegression(C=0.5)
    pipe = report.recommendation.pipeline(estimator)
    assert estimator.get_params()["class_weight"] is None
    assert pipe.named_steps["estimator"] is not estimator


def test_no_resampling_uses_class_weight_when_the_estimator_has_it(planted):
    data, report = planted["overlapping"]
    rec = report.recommendation
    assert rec.method == "no_resampling" and rec.sampler is None
    assert any("class_weight='balanced'" in r for r in rec.reasons)
    pipe = rec.pipeline(LogisticRegression())
    assert [name for name, _ in pipe.steps] == ["estimator"]
    assert pipe.named_steps["estimator"].class_weight == "balanced"
    inner = rec.pipeline(make_pipeline(StandardScaler(), LogisticRegression()))
    assert inner.named_steps["estimator"].steps[-1][1].class_weight == "balanced"


def test_no_resampling_tunes_the_threshold_otherwise(planted):
    data, report = planted["overlapping"]
    rec = report.recommendation
    assert any("TunedThresholdClassifierCV" in r for r in rec.reasons)
    pipe = rec.pipeline(KNeighborsClassifier())
    final = pipe.named_steps["estimator"]
    assert isinstance(final, TunedThresholdClassifierCV)
    pipe.fit(data.X, data.y)
    assert 0.0 < final.best_threshold_ < 1.0


def test_missing_values_are_imputed_in_the_pipeline():
    data = datasets.make_bridged_groups(random_state=0)
    frame = data.frame.copy()
    frame.loc[frame.sample(40, random_state=0).index, "x1"] = np.nan
    report = run(datasets.PlantedData(frame, "label", data.truth))
    rec = report.recommendation
    assert rec.impute
    pipe = rec.pipeline(LogisticRegression())
    assert [name for name, _ in pipe.steps] == ["impute", "sampler", "estimator"]
    X, y = frame.drop(columns="label"), frame["label"]
    assert np.isfinite(cross_val_score(pipe, X, y, cv=3)).all()


def test_smote_nc_pipeline_fits_mixed_data_with_missing_values(planted):
    data, _ = planted["mixed"]
    frame = data.frame.copy()
    frame.loc[frame.sample(30, random_state=1).index, "city"] = np.nan
    frame.loc[frame.sample(30, random_state=2).index, "x0"] = np.nan
    report = run(datasets.PlantedData(frame, "label", data.truth))
    pipe = report.recommendation.pipeline(
        make_pipeline(_OneHot(), LogisticRegression(max_iter=500))
    )
    pipe.fit(frame.drop(columns="label"), frame["label"])
    assert pipe.predict(frame.drop(columns="label")).shape == (len(frame),)


class _OneHot:
    """One-hot encode object/category columns (the estimator side, after resampling)."""

    def __init__(self):
        pass

    def get_params(self, deep=True):
        return {}

    def set_params(self, **params):
        return self

    def fit(self, X, y=None):
        self.columns_ = pd.get_dummies(X).columns
        return self

    def transform(self, X):
        return pd.get_dummies(X).reindex(columns=self.columns_, fill_value=0).astype(float)

    def fit_transform(self, X, y=None):
        return self.fit(X).transform(X)


def test_pipeline_refuses_a_non_estimator(planted):
    _, report = planted["compact"]
    with pytest.raises(TypeError, match="scikit-learn estimator"):
        report.recommendation.pipeline("LogisticRegression")
