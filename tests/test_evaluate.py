"""evaluate(): leakage-free cross-validation of the advice against the usual strategies."""

import json

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.neighbors import KNeighborsClassifier

import smote_diag
from smote_diag import InputError, datasets, evaluate
from smote_diag.evaluate import BASELINES, METRICS

FITTED_ROWS = []


class RecordingClassifier(ClassifierMixin, BaseEstimator):
    """Logistic regression that records every row it is fitted on."""

    def __init__(self, C=1.0, class_weight=None):
        self.C = C
        self.class_weight = class_weight

    def fit(self, X, y):
        FITTED_ROWS.append({tuple(np.round(row, 9)) for row in np.asarray(X, dtype=float)})
        self.model_ = LogisticRegression(C=self.C, class_weight=self.class_weight).fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict(self, X):
        return self.model_.predict(X)

    def predict_proba(self, X):
        return self.model_.predict_proba(X)


@pytest.fixture(scope="module")
def flipped_result():
    data = datasets.make_flipped_labels(random_state=0)
    return data, evaluate(data.frame, "label", cv=4, objective="f1", random_state=0, verbose=0)


def test_nothing_is_fitted_or_diagnosed_on_a_test_fold(monkeypatch):
    data = datasets.make_flipped_labels(n_majority=300, n_minority=60, random_state=1)
    diagnosed = []
    real_diagnose = smote_diag.evaluate.__globals__["diagnose"]

    def recording_diagnose(X, y, **kwargs):
        diagnosed.append({tuple(np.round(row, 9)) for row in np.asarray(X, dtype=float)})
        return real_diagnose(X, y, **kwargs)

    monkeypatch.setitem(smote_diag.evaluate.__globals__, "diagnose", recording_diagnose)
    FITTED_ROWS.clear()
    evaluate(
        data.frame,
        "label",
        estimator=RecordingClassifier(),
        cv=3,
        random_state=0,
        methods=["smote_enn"],
        verbose=0,
    )
    X = data.X.to_numpy()
    rows = [tuple(np.round(r, 9)) for r in X]
    folds = list(StratifiedKFold(3, shuffle=True, random_state=0).split(X, data.y))
    assert diagnosed and FITTED_ROWS
    for seen in diagnosed + FITTED_ROWS:
        real = seen & set(rows)
        # each fit or diagnosis belongs to a fold whose test rows it never saw
        assert any(not real & {rows[i] for i in test} for _, test in folds)
    assert len(diagnosed) == 3  # one diagnosis per training fold


def test_every_strategy_gets_every_metric(flipped_result):
    _, result = flipped_result
    frame = result.to_frame()
    assert list(frame.index) == list(BASELINES)
    assert [m for m, s in frame.columns if s == "mean"] == list(METRICS)
    assert frame.notna().all().all()
    assert len(result.advice_methods) == result.n_folds == 4


def test_the_verdict_compares_with_plain_smote_in_words(flipped_result):
    _, result = flipped_result
    mean, se, n = result.difference("advice", "smote")
    assert n == 4
    assert "plain SMOTE on F1" in result.verdict
    assert f"{abs(mean):.3f}" in result.verdict and "4 folds" in result.verdict
    per_fold = result.scores[result.scores.metric == "f1"].pivot(
        index="fold", columns="strategy", values="value"
    )
    diff = per_fold["advice"] - per_fold["smote"]
    assert mean == pytest.approx(diff.mean())
    assert se == pytest.approx(diff.std(ddof=1) / 2)  # sqrt(4) folds


def test_result_faces(flipped_result):
    _, result = flipped_result
    assert json.loads(json.dumps(result.to_dict(), allow_nan=False))["objective"] == "f1"
    assert "advice" in repr(result) and result.verdict in repr(result).replace("\n", " ")
    html = result._repr_mimebundle_()["text/html"]
    assert "<table>" in html and "advice" in html
    fig = result.plot()
    assert isinstance(fig, Figure) and len(fig.axes[0].patches) == len(BASELINES)


def test_named_methods_are_compared_and_unknown_ones_refused():
    data = datasets.make_compact_minority(random_state=0)
    result = evaluate(
        data.frame, "label", cv=3, methods=["borderline_smote"], verbose=0, random_state=0
    )
    assert "borderline_smote" in result.strategies
    with pytest.raises(InputError, match="Unknown methods \\['smoet'\\]"):
        evaluate(data.frame, "label", methods=["smoet"], verbose=0)


def test_estimator_without_class_weight_is_said():
    data = datasets.make_compact_minority(random_state=0)
    result = evaluate(data.frame, "label", estimator=KNeighborsClassifier(), cv=3, verbose=0)
    assert "class_weight" not in result.strategies
    assert any("KNeighborsClassifier has no class_weight" in n for n in result.notes)


def test_multi_class_is_macro_averaged():
    data = datasets.make_three_classes(random_state=0)
    result = evaluate(data.frame, "label", cv=3, verbose=0, random_state=0)
    assert "threshold" not in result.strategies
    assert result.minority_class is None
    assert result.to_frame().loc["advice", ("f1", "mean")] > 0


def test_fewer_folds_when_the_minority_is_small():
    data = datasets.make_compact_minority(n_minority=3, random_state=0)
    result = evaluate(data.frame, "label", cv=5, verbose=0, random_state=0)
    assert result.n_folds == 3
    assert any("3 folds instead of 5" in n for n in result.notes)


def test_a_baseline_keeps_its_sampler_whatever_the_estimator():
    data = datasets.make_tail_minority(random_state=0)
    result = evaluate(
        data.frame,
        "label",
        estimator=KNeighborsClassifier(),
        cv=3,
        verbose=0,
        random_state=0,
        objective="average_precision",
    )
    frame = result.to_frame()
    # plain SMOTE changes KNN's decisions; an unsampled pipeline would equal no_resampling
    assert (
        frame.loc["smote", ("minority_recall", "mean")]
        > frame.loc["no_resampling", ("minority_recall", "mean")]
    )


def test_the_advice_says_what_it_applied():
    data = datasets.make_flipped_labels(n_minority=16, random_state=0)
    result = evaluate(
        data.frame,
        "label",
        estimator=LogisticRegression(),
        objective="f1",
        cv=3,
        verbose=0,
        random_state=0,
    )
    assert all(s.startswith("tuned threshold") for s in result.advice_methods)


def test_estimators_without_probabilities_are_scored_by_their_decision_function():
    from sklearn.svm import LinearSVC

    data = datasets.make_flipped_labels(random_state=0)
    result = evaluate(data.frame, "label", estimator=LinearSVC(), cv=3, verbose=0, random_state=0)
    assert result.to_frame().loc["no_resampling", ("roc_auc", "mean")] > 0.8


def test_a_missing_value_in_a_test_fold_only_is_imputed():
    data = datasets.make_flipped_labels(random_state=0)
    frame = data.frame.copy()
    frame.loc[5, "x0"] = np.nan
    result = evaluate(frame, "label", cv=3, verbose=0, random_state=0)
    assert not any("failed" in note for note in result.notes)
    assert result.scores["value"].notna().all()


def test_a_categorical_target_of_integers():
    data = datasets.make_flipped_labels(random_state=0)
    frame = data.frame.assign(label=pd.Categorical(data.frame["label"]))
    result = evaluate(frame, "label", cv=3, verbose=0, random_state=0)
    assert result.minority_class == 1


def test_an_estimator_that_never_fits_is_one_sentence_not_a_table_of_nans():
    class Broken(RecordingClassifier):
        def fit(self, X, y):
            raise RuntimeError("no fit today")

    data = datasets.make_flipped_labels(random_state=0)
    with pytest.raises(InputError, match="Every strategy failed .*RuntimeError: no fit today"):
        evaluate(data.frame, "label", estimator=Broken(), cv=3, verbose=0)


def test_a_strategy_that_fails_is_a_note_and_the_others_are_compared():
    data = datasets.make_flipped_labels(random_state=0)
    limit = int(0.7 * len(data.frame))  # more rows than this only after oversampling

    class FailsOnBigData(RecordingClassifier):
        def fit(self, X, y):
            if len(X) > limit:
                raise RuntimeError("too many rows")
            return super().fit(X, y)

    result = evaluate(
        data.frame, "label", estimator=FailsOnBigData(), cv=3, methods=["smote"], verbose=0
    )
    assert any(
        "smote failed in 3 of 3 folds: RuntimeError: too many rows" in n for n in result.notes
    )
    table = result.to_frame()
    assert table.loc["no_resampling"].notna().all()
    assert table.loc["smote"].isna().all()


def test_an_untuned_fallback_keeps_the_advice_without_its_threshold():
    """Threshold tuning is impossible when the scores are constant: the same pipeline is
    fitted without the tuning, so the sampler the advice left out stays out."""
    from smote_diag.evaluate import AdvisedClassifier

    data = datasets.make_flipped_labels(n_minority=16, random_state=0)
    X, y = data.frame.drop(columns="label"), data.frame["label"]
    clf = AdvisedClassifier(LogisticRegression(C=1e-12), objective="f1", random_state=0)
    clf.fit(X, y)
    assert clf.strategy_.startswith("tuned threshold")
    assert clf.fallback_ is not None
    steps = [name for name, _ in clf.pipeline_.steps] if hasattr(clf.pipeline_, "steps") else []
    assert "sampler" not in steps


@pytest.mark.parametrize("seed", range(5))
def test_counted_metrics_equal_scikit_learns(seed):
    """The tuned threshold's numpy counts give scikit-learn's values, string labels and the
    undefined cases (nothing predicted positive, no positive present) included."""
    import warnings

    from sklearn.metrics import balanced_accuracy_score, f1_score

    from smote_diag.recommend import counted_balanced_accuracy, counted_f1

    rng = np.random.default_rng(seed)
    labels = np.array(["ok", "fault"])
    cases = [
        (labels[rng.integers(0, 2, 60)], labels[rng.integers(0, 2, 60)]),
        (labels[rng.integers(0, 2, 60)], np.full(60, "ok")),
        (np.full(60, "ok"), labels[rng.integers(0, 2, 60)]),
        (np.full(60, "ok"), np.full(60, "ok")),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for truth, said in cases:
            assert counted_f1(truth, said, pos_label="fault") == pytest.approx(
                f1_score(truth, said, pos_label="fault", labels=labels)
            )
            assert counted_balanced_accuracy(truth, said) == pytest.approx(
                balanced_accuracy_score(truth, said)
            )


@pytest.mark.parametrize("objective", ["f1", "balanced_accuracy"])
def test_tuned_threshold_with_counted_scorer_picks_scikit_learns_threshold(objective):
    from sklearn.metrics import f1_score, make_scorer

    from smote_diag.recommend import threshold_scorer, tuned_threshold

    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 3))
    y = np.where(X[:, 0] + rng.normal(size=400) > 2.0, "fault", "ok")
    # what the tuned threshold was given before: scikit-learn's own metric
    reference = (
        "balanced_accuracy"
        if objective == "balanced_accuracy"
        else make_scorer(f1_score, pos_label="fault")
    )
    fast = tuned_threshold(LogisticRegression(), threshold_scorer(objective, "fault"), 40, 0)
    slow = tuned_threshold(LogisticRegression(), reference, 40, 0)
    assert fast.fit(X, y).best_threshold_ == slow.fit(X, y).best_threshold_
    assert fast.best_score_ == pytest.approx(slow.best_score_)


def test_threshold_scorer_refuses_a_threshold_free_objective():
    from smote_diag.recommend import threshold_scorer

    with pytest.raises(ValueError, match="does not depend on one"):
        threshold_scorer("average_precision", 1)


def test_the_advice_is_never_compared_with_itself(flipped_result):
    """A logistic model under F1 gets a tuned threshold: the advice is then the threshold
    strategy, which the verdict names and does not take for the best other strategy."""
    _, result = flipped_result
    assert set(result.advice_methods) == {"tuned threshold"}
    assert result.advice_is == "threshold"
    assert "the threshold strategy below" in result.verdict
    assert "(threshold)" not in result.verdict and "+0.000 ± 0.000" not in result.verdict
    assert result.to_dict()["advice_is"] == "threshold"


def test_a_strategy_scoring_the_same_as_the_advice_is_said_and_not_compared():
    """For probabilities a tuned threshold scores as the estimator does (the Brier score
    reads no threshold): the verdict says so instead of "matched ... (+0.000 ± 0.000)"."""
    data = datasets.make_flipped_labels(random_state=0)
    result = evaluate(data.frame, "label", cv=3, objective="probability", random_state=0, verbose=0)
    assert result.advice_is == "no_resampling"
    assert "threshold scored the same on Brier score (negated) in every fold" in result.verdict
    assert "+0.000 ± 0.000" not in result.verdict


def test_the_best_value_of_each_metric_is_marked(flipped_result):
    _, result = flipped_result
    frame = result.to_frame()
    best = result.best()
    for metric, strategies in best.items():
        means = frame[(metric, "mean")]
        assert set(strategies) == set(means.index[means == means.max()])
    rounded = result.best(decimals=3)
    assert all(set(best[m]) <= set(rounded[m]) for m in best)
    text = repr(result)
    line = next(row for row in text.splitlines() if row.startswith(best["f1"][0] + " "))
    assert line.count("*") >= 1 and "the best mean of each metric" in text
    html = result._repr_mimebundle_()["text/html"]
    assert html.count('<td style="font-weight:bold">') == sum(len(v) for v in rounded.values())


def test_the_html_shows_the_objectives_figure(flipped_result):
    _, result = flipped_result
    html = result._repr_mimebundle_()["text/html"]
    assert html.count('<img src="data:image/png;base64,') == 1 and 'alt="F1 per strategy"' in html
    assert "data:image/png" not in smote_diag.report.render_evaluation_html(result, figure=False)
