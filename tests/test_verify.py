"""Verified advice: the shortlist cross-validated with the user's estimator inside the
training rows, the diagnosis kept within one standard error of the best (else the simplest
within it), and every face showing it."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from smote_diag import AdvisedClassifier, diagnose, resample
from smote_diag.cli import main
from smote_diag.datasets import make_bridged_groups, make_flipped_labels
from smote_diag.exceptions import InputError, InputTypeError
from smote_diag.recommend import SHORTLIST_SIZE, SIMPLER_FIRST, STRONG_FIXED, shortlist
from smote_diag.samplers._space import SpaceSampler
from smote_diag.verify import VERIFY_FOLDS, _choose


def knn():
    return make_pipeline(StandardScaler(), KNeighborsClassifier())


@pytest.fixture(scope="module")
def flipped():
    return make_flipped_labels(random_state=0).frame


def test_the_estimator_changes_the_verified_advice(flipped):
    # planted label noise, balanced accuracy: ENN's cleaning pays a linear model (its
    # boundary is pulled by the flipped rows), while a 5-NN with a tuned threshold is
    # already robust to lone mislabelled rows and cleaning only costs it minority rows
    linear = diagnose(
        flipped, "label", verify=LogisticRegression(max_iter=1000), random_state=0, verbose=0
    )
    neighbours = diagnose(flipped, "label", verify=knn(), random_state=0, verbose=0)
    # the diagnosis's default for both families is plain SMOTE; noise adds ENN's cleaning
    assert linear.verification.diagnosed == neighbours.verification.diagnosed == "smote"
    assert "smote_enn" in linear.verification.candidates
    assert linear.recommendation.method == "smote_enn"
    assert neighbours.recommendation.method == "no_resampling"
    assert neighbours.recommendation.rule == "verified"
    reasons = neighbours.recommendation.reasons
    assert reasons[0].startswith("Verified with StandardScaler + KNeighborsClassifier")
    assert reasons[1].startswith("The diagnosis alone advised smote")


def test_groups_pay_a_local_model_and_not_a_linear_one():
    # two minority groups across majority territory: no line separates them, so for a
    # logistic model every strategy ties and the diagnosis stands; 5-NN gains from
    # oversampling inside the groups
    frame = make_bridged_groups(random_state=0).frame
    ap = dict(objective="average_precision", random_state=0, verbose=0)
    linear = diagnose(frame, "label", verify=LogisticRegression(max_iter=1000), **ap)
    neighbours = diagnose(frame, "label", verify=knn(), **ap)
    assert linear.verification.summary()["within_one_se"].all()
    assert linear.recommendation.method == linear.verification.diagnosed
    assert "so the diagnosis stands" in linear.verification.sentence or (
        linear.verification.chosen == linear.verification.summary()["mean"].idxmax()
    )
    assert neighbours.recommendation.method == "cluster_smote"


def test_the_shortlist_leads_with_the_diagnosis_and_ends_with_no_resampling(flipped):
    report = diagnose(flipped, "label", random_state=0, verbose=0)
    found = report.advice_inputs
    for objective in STRONG_FIXED:
        listed = [
            m for m, _ in shortlist(found["class_findings"], found["data_findings"], objective)
        ]
        advised = report.with_objective(objective).recommendation.method
        assert len(listed) == SHORTLIST_SIZE == len(set(listed))
        assert listed[-1] == "no_resampling"
        assert advised in listed


def scores(by_candidate):
    """Fold scores per candidate, as a verification records them."""
    return pd.DataFrame(
        [
            dict(candidate=c, fold=f, score=value)
            for c, values in by_candidate.items()
            for f, value in enumerate(values)
        ]
    )


def test_the_diagnosis_stands_within_reach_and_ties_else_go_to_the_simpler():
    # smote_enn has the best mean (0.80, standard error 0.012); no_resampling trails it by
    # less than that error, smote by far more
    table = scores(
        {
            "smote_enn": [0.80, 0.82, 0.78],
            "smote": [0.70, 0.71, 0.69],
            "no_resampling": [0.81, 0.79, 0.785],
        }
    )
    listed = ["smote", "smote_enn", "no_resampling"]
    # the diagnosis (smote) is beyond reach: the simplest within it
    assert _choose(table, listed, "smote") == "no_resampling"
    # the diagnosis within reach stands, though a simpler one is within reach too
    assert _choose(table, listed, "smote_enn") == "smote_enn"
    table = scores({"smote_enn": [0.80, 0.82, 0.78], "no_resampling": [0.795, 0.80, 0.79]})
    assert _choose(table, ["smote_enn", "no_resampling"], "smote_enn") == "smote_enn"
    # beyond one standard error, the best wins
    table = scores({"smote_enn": [0.80, 0.82, 0.78], "no_resampling": [0.76, 0.77, 0.75]})
    assert _choose(table, ["no_resampling", "smote_enn"], "no_resampling") == "smote_enn"
    # among several within reach, the diagnosis beyond it: the simplest by SIMPLER_FIRST
    table = scores(
        {
            "adasyn": [0.60, 0.61, 0.62],
            "cluster_smote": [0.80, 0.82, 0.78],
            "smote_tomek": [0.81, 0.80, 0.78],
            "smote": [0.79, 0.83, 0.77],
        }
    )
    assert SIMPLER_FIRST.index("smote") < SIMPLER_FIRST.index("smote_tomek")
    assert _choose(table, list(table["candidate"].unique()), "adasyn") == "smote"


def test_a_failing_candidate_is_never_chosen():
    table = scores({"smote_enn": [0.80, 0.82, 0.78], "no_resampling": [0.9, np.nan, 0.9]})
    assert _choose(table, ["smote_enn", "no_resampling"], "smote_enn") == "smote_enn"


def test_separable_classes_keep_the_diagnosis_and_say_it_tied():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        np.vstack([rng.normal(0, 1, (600, 2)), rng.normal(8, 1, (60, 2))]), columns=["a", "b"]
    )
    frame["label"] = [0] * 600 + [1] * 60
    report = diagnose(
        frame, "label", verify=LogisticRegression(max_iter=1000), random_state=0, verbose=0
    )
    # every strategy scores 1.0: nothing tells them apart, so the diagnosis stands
    assert report.verification.summary()["mean"].min() > 0.99
    assert report.recommendation.method == report.verification.diagnosed
    assert "it tied for the best" in report.verification.sentence


class Recording(ClassifierMixin, BaseEstimator):
    """A 5-NN that records every row it was fitted on (in a list shared by its clones)."""

    seen: list = []

    def fit(self, X, y):
        Recording.seen.append(np.asarray(X, dtype=float).copy())
        self.model_ = KNeighborsClassifier().fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X):
        return self.model_.predict_proba(X)

    def predict(self, X):
        return self.model_.predict(X)


def row_positions(rows, X):
    """Positions in X of the rows of ``rows`` that are real rows of X (synthetic rows are
    interpolations, found nowhere in X)."""
    where = {row.tobytes(): i for i, row in enumerate(np.asarray(X, dtype=float))}
    return {where[row.tobytes()] for row in rows if row.tobytes() in where}


@pytest.fixture
def recorded(monkeypatch):
    """What every fit saw: the final estimator's rows and the outer sampler's rows."""
    Recording.seen = []
    sampled = []
    fit_resample = SpaceSampler.fit_resample

    def recording_fit_resample(self, X, y, **params):
        sampled.append(np.asarray(X, dtype=float).copy())
        return fit_resample(self, X, y, **params)

    monkeypatch.setattr(SpaceSampler, "fit_resample", recording_fit_resample)
    return Recording.seen, sampled


def test_verification_never_fits_on_a_test_fold(flipped, recorded):
    seen, sampled = recorded
    X, y = flipped.drop(columns="label"), flipped["label"].to_numpy()
    report = diagnose(flipped, "label", verify=Recording(), random_state=3, verbose=0)
    splits = StratifiedKFold(VERIFY_FOLDS, shuffle=True, random_state=3).split(X, y)
    trains = [set(train) for train, _ in splits]
    assert len(report.verification.candidates) == SHORTLIST_SIZE
    assert sampled and seen  # the samplers and the tuned threshold's inner fits ran
    for rows in sampled + seen:
        positions = row_positions(rows, X)
        assert positions and any(positions <= train for train in trains)
    # each sampler saw a whole training fold, and every fold was seen
    assert {frozenset(row_positions(rows, X)) for rows in sampled} == set(map(frozenset, trains))


def test_the_advised_classifier_verifies_inside_its_training_rows(flipped, recorded):
    seen, sampled = recorded
    X, y = flipped.drop(columns="label"), flipped["label"]
    outer_train, outer_test = next(StratifiedKFold(3, shuffle=True, random_state=0).split(X, y))
    model = AdvisedClassifier(Recording(), verify=True, random_state=0)
    model.fit(X.iloc[outer_train], y.iloc[outer_train])
    assert model.report_.verification.n_folds == VERIFY_FOLDS
    assert model.report_.recommendation.method == model.report_.verification.chosen
    held_out = set(outer_test)
    for rows in sampled + seen:
        assert not row_positions(rows, X) & held_out
    assert model.predict(X.iloc[outer_test]).shape == (len(outer_test),)


@pytest.fixture(scope="module")
def verified(flipped):
    return diagnose(flipped, "label", verify=knn(), random_state=0, verbose=0)


def test_every_face_shows_the_scores(verified, tmp_path):
    v = verified.verification
    as_json = verified.to_dict()["verification"]
    assert as_json["chosen"] == v.chosen == verified.recommendation.method
    assert [c["method"] for c in as_json["candidates"]] == list(v.candidates)
    means = v.summary()["mean"]
    assert [c["mean"] for c in as_json["candidates"]] == pytest.approx(list(means))
    assert len(v.scores) == VERIFY_FOLDS * len(v.candidates)
    assert (v.scores["seconds"] > 0).all()  # what each fit cost
    text = str(verified)
    assert "Verified with StandardScaler + KNeighborsClassifier (3-fold" in text
    assert f"> {v.chosen}" in text or f">* {v.chosen}" in text
    html_path = tmp_path / "r.html"
    verified.to_html(html_path)
    html = html_path.read_text()
    assert 'class="sd-verification"' in html
    for method in v.candidates:
        assert f"<code>{method}</code>" in html
    assert f"{means[v.chosen]:.3f}" in html


def test_another_objective_drops_the_verification(verified):
    other = verified.with_objective("f1")
    assert other.verification is None
    assert other.to_dict()["verification"] is None
    assert other.recommendation.rule != "verified"


def test_the_verified_pipeline_is_what_was_cross_validated(verified, flipped):
    rec = verified.recommendation
    assert (
        rec.strategy(knn())
        == dict(zip(verified.verification.candidates, verified.verification.applied))[rec.method]
    )
    # refitted on the first fold as the verification split it, the advised pipeline scores
    # what the verification recorded for it
    from sklearn.metrics import get_scorer

    X, y = flipped.drop(columns="label"), flipped["label"].to_numpy()
    train, test = next(StratifiedKFold(VERIFY_FOLDS, shuffle=True, random_state=0).split(X, y))
    model = rec.pipeline(knn()).fit(X.iloc[train], y[train])
    scorer = rec.scorer()
    scorer = get_scorer(scorer) if isinstance(scorer, str) else scorer
    scores = verified.verification.scores
    recorded = scores[(scores.candidate == rec.method) & (scores.fold == 0)]["score"].item()
    assert scorer(model, X.iloc[test], y[test]) == pytest.approx(recorded)


def test_resampled_data_is_not_verified(flipped):
    resampled = resample(flipped, "label", method="smote", random_state=0, verbose=0).frame
    report = diagnose(resampled, "label", verify=knn(), random_state=0, verbose=0)
    assert report.recommendation.rule == "preresampled"
    assert report.verification.n_folds == 0
    assert "synthetic rows already" in report.verification.sentence


@pytest.mark.parametrize(
    "verify, message",
    [
        (LogisticRegression, "verify is the class LogisticRegression; pass an instance"),
        (LinearRegression(), "verify LinearRegression is not a classifier"),
        ("logistic", "verify must be a scikit-learn classifier, got str"),
    ],
)
def test_verify_takes_a_classifier_instance(flipped, verify, message):
    with pytest.raises(InputTypeError, match=message):
        diagnose(flipped, "label", verify=verify, verbose=0)


def test_verify_is_refused_on_dask(flipped):
    dd = pytest.importorskip("dask.dataframe")
    ddf = dd.from_pandas(flipped, npartitions=2)
    with pytest.raises(InputError, match="verify on a sample in memory"):
        diagnose(ddf, "label", verify=knn(), verbose=0)


def test_the_estimator_is_not_fitted_in_place(flipped):
    estimator = knn()
    diagnose(flipped, "label", verify=estimator, random_state=0, verbose=0)
    assert not hasattr(estimator[-1], "classes_")
    clone(estimator)  # still a plain estimator


def test_the_magic_and_the_command_line_verify(flipped, tmp_path, capsys):
    from IPython.core.error import UsageError
    from IPython.core.interactiveshell import InteractiveShell

    from .refusal_cases import magic_shell

    ip = magic_shell()
    try:
        ip.user_ns["flipped"] = flipped
        report = ip.run_line_magic("smote_check", "flipped label --verify --seed 0")
        assert report.verification.n_folds == VERIFY_FOLDS
        assert report.verification.estimator.endswith("LogisticRegression")
        with pytest.raises(UsageError, match="--verify goes without --resample"):
            ip.run_line_magic("smote_check", "flipped label --verify --resample")
    finally:
        InteractiveShell.clear_instance()
    path, out = tmp_path / "flipped.csv", tmp_path / "r.json"
    flipped.to_csv(path, index=False)
    assert (
        main(
            [
                "report",
                str(path),
                "--target",
                "label",
                "--verify",
                "--seed",
                "0",
                "--json",
                str(out),
            ]
        )
        == 0
    )
    assert json.loads(out.read_text())["verification"]["n_folds"] == VERIFY_FOLDS


def test_an_untestable_diagnosis_stands_unverified():
    from sklearn.svm import LinearSVC

    from smote_diag.datasets import make_compact_minority, make_overlapping

    # 8 minority rows: the training folds hold 5, fewer than SMOTE's k + 1 = 6, though the
    # whole data allows it: SMOTE is kept, not replaced by what the folds could run
    small = make_compact_minority(n_minority=8, random_state=0).frame
    report = diagnose(small, "label", verify=LogisticRegression(), random_state=0, verbose=0)
    assert report.recommendation.method == "smote" and report.verification.n_folds == 0
    assert "too small for smote" in report.verification.sentence
    assert "Not verified" in str(report)
    # probabilities cannot be scored without predict_proba
    frame = make_overlapping(random_state=0).frame
    report = diagnose(
        frame, "label", objective="probability", verify=LinearSVC(), random_state=0, verbose=0
    )
    assert report.recommendation.method == "no_resampling"
    assert "has no predict_proba" in report.verification.sentence


class Failing(ClassifierMixin, BaseEstimator):
    def fit(self, X, y):
        raise RuntimeError("this estimator never fits")


def test_a_diagnosis_whose_method_fails_is_kept(flipped):
    report = diagnose(flipped, "label", verify=Failing(), random_state=0, verbose=0)
    # the default for other estimators
    assert report.recommendation.method == report.verification.diagnosed == "smote"
    assert report.verification.n_folds == 0
    assert "failed in a fold" in report.verification.sentence
    assert "never fits" in report.verification.sentence
