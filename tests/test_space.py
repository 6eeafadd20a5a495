"""One space, everywhere: the samplers choose their neighbours where the diagnosis looked.

Planted truth: make_unit_mismatch (four groups; x1 in thousandths) and make_separated_groups
(three groups) with columns rescaled; the answer is known by construction.
"""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from imblearn.combine import SMOTEENN, SMOTETomek
from imblearn.over_sampling import ADASYN, SMOTE, SMOTENC, BorderlineSMOTE
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.neighbors import NearestNeighbors

import smote_diag
from smote_diag import ClusterSMOTE, InputError, SpaceSampler, datasets, diagnose, resample
from smote_diag._space import IQR_OF_NORMAL, ColumnScaling

SCALED = ("standard", "robust")


class Recorder(ClassifierMixin, BaseEstimator):
    """A classifier that keeps the rows it was fitted on (the pipeline's resampled rows)."""

    def fit(self, X, y):
        self.X_, self.y_ = np.asarray(X, dtype=float), np.asarray(y)
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


def _territory_share(points, X, y, unit, label=1):
    """Share of ``points`` in majority territory (at most 1 of their 5 nearest real rows of
    class ``label``), distances measured in ``X / unit``."""
    index = NearestNeighbors(n_neighbors=5).fit(np.asarray(X, float) / unit)
    _, idx = index.kneighbors(np.asarray(points, float) / unit)
    return float(np.mean((np.asarray(y)[idx] == label).sum(axis=1) <= 1))


def _agree(report, check_share, n_check):
    """The report's plain-SMOTE share and a measured one agree within three standard errors
    of their difference (the report states its own)."""
    e = report.finding("overlap").evidence
    se_check = np.sqrt(check_share * (1 - check_share) / n_check)
    gap = abs(e["smote_majority_share"] - check_share)
    return gap <= 3 * np.hypot(e["smote_majority_share_se"], se_check) + 1e-12


def _rescaled(frame, factors):
    out = frame.copy()
    for column, factor in factors.items():
        out[column] = out[column] * factor
    return out


def _summary(report):
    """What a report says: each finding's severity, rows and figures; the advice."""
    findings = []
    for f in report.findings:
        numbers = {
            k: v
            for k, v in f.evidence.items()
            if isinstance(v, (int, float)) and not isinstance(v, bool) and "column" not in k
        }
        findings.append((f.kind, f.minority_class, f.severity, tuple(f.rows), numbers))
    rec = report.recommendation
    return findings, rec.method, rec.rule


@pytest.fixture(scope="module")
def groups():
    return datasets.make_separated_groups(random_state=0)


@pytest.fixture(scope="module")
def mismatch():
    return datasets.make_unit_mismatch(random_state=0)


@pytest.mark.parametrize("scaling", SCALED)
@pytest.mark.parametrize("factor", [1000.0, 0.001])
def test_a_column_in_other_units_changes_nothing(groups, scaling, factor):
    base = _summary(diagnose(groups.frame, "label", scaling=scaling, random_state=0, verbose=0))
    moved = diagnose(
        _rescaled(groups.frame, {"x0": factor}), "label", scaling=scaling, random_state=0, verbose=0
    )
    other = _summary(moved)
    assert base[1:] == other[1:]  # the advice
    for (kind, label, severity, rows, numbers), found in zip(base[0], other[0]):
        assert found[:4] == (kind, label, severity, rows), kind
        for key, value in numbers.items():
            assert found[4][key] == pytest.approx(value, rel=1e-6, abs=1e-9), (kind, key)


def test_without_scaling_the_report_follows_the_raw_units(mismatch):
    scaled = diagnose(mismatch.frame, "label", random_state=0, verbose=0)
    raw = diagnose(mismatch.frame, "label", scaling="none", random_state=0, verbose=0)
    assert scaled.finding("minority_clustering").evidence["n_groups"] == 4  # as planted
    assert scaled.finding("minority_clustering").evidence["bridging_share"] == 0.0
    assert scaled.recommendation.rule == "default"  # nothing bridged: the family default
    # in raw units x1 is invisible: the groups that differ in x1 only are bridged
    assert raw.finding("minority_clustering").evidence["bridging_share"] >= 0.05
    assert raw.finding("overlap").evidence["smote_majority_share"] > 0.1
    assert raw.scaling == "none" and "own units" in raw.scaling_description


@pytest.mark.parametrize("scaling", ["standard", "robust", "none"])
def test_the_check_measures_the_smote_the_report_describes(mismatch, scaling):
    report = diagnose(mismatch.frame, "label", scaling=scaling, random_state=0, verbose=0)
    result = resample(
        mismatch.frame, "label", method="smote", scaling=scaling, random_state=0, verbose=0
    )
    measured = result.check().classes[0]
    assert result.report.scaling == scaling
    assert _agree(report, measured.majority_share, measured.n_measured)


def test_the_pipeline_resamples_where_the_report_looked(mismatch):
    report = diagnose(mismatch.frame, "label", random_state=0, verbose=0)
    rec = replace(report.recommendation, method="smote")
    X, y = mismatch.X, mismatch.y
    pipe = rec.pipeline(Recorder()).fit(X, y)
    fitted = pipe.named_steps["estimator"]
    new = fitted.X_[len(X) :]
    assert len(new) == (y == 0).sum() - (y == 1).sum()
    # the new rows are in the data's own units (x1 in thousandths) ...
    assert new[:, 1].max() < 0.011
    # ... and inside the planted groups: each within 4 group sd of a group centre
    unit = np.array([1.0, 0.001])
    centres = np.array([[2.0, 2.0], [2.0, 8.0], [8.0, 2.0], [8.0, 8.0]]) * unit
    gap = np.linalg.norm((new[:, None, :] - centres[None]) / unit, axis=2).min(axis=1)
    assert np.mean(gap > 4 * 0.4) <= 0.01
    share = _territory_share(new, X, y, X.std(ddof=0).to_numpy())
    assert _agree(report, share, len(new))


def test_without_scaling_the_pipeline_measures_in_raw_units(mismatch):
    """scaling="none": the report describes SMOTE in raw units (it bridges the groups that
    differ only in x1), and the pipeline's SMOTE does what it says."""
    report = diagnose(mismatch.frame, "label", scaling="none", random_state=0, verbose=0)
    rec = replace_method(report.recommendation, "smote")
    assert rec.scaling == "none"
    X, y = mismatch.X, mismatch.y
    new = rec.pipeline(Recorder()).fit(X, y).named_steps["estimator"].X_[len(X) :]
    share = _territory_share(new, X, y, 1.0)  # raw units: the report's space
    assert share > 0.1  # bridging in raw units
    assert _agree(report, share, len(new))


def test_cluster_smote_finds_the_reports_groups_beside_a_useless_flag(groups):
    frame = groups.frame.copy()
    frame.insert(2, "flag", np.random.default_rng(0).integers(0, 2, len(frame)))
    report = diagnose(frame, "label", random_state=0, verbose=0)
    reported = report.profiles[0].groups
    alone = ClusterSMOTE(random_state=0)
    alone.fit_resample(frame.drop(columns="label"), frame["label"])
    assert np.array_equal(alone.groups_[1], reported)
    via_resample = resample(frame, "label", method="cluster_smote", random_state=0, verbose=0)
    assert np.array_equal(via_resample.sampler.sampler_.groups_[1], reported)


def test_cluster_smote_in_another_space_finds_other_groups(mismatch):
    """Negative control: the equality above can fail. In raw units (scaling="none")
    ClusterSMOTE groups differently from the report's scaled space."""
    reported = diagnose(mismatch.frame, "label", random_state=0, verbose=0).profiles[0].groups
    raw = ClusterSMOTE(random_state=0, scaling="none")
    raw.fit_resample(mismatch.X, mismatch.y)
    assert len(set(reported[reported >= 0])) == 4
    assert not np.array_equal(raw.groups_[1], reported)


@pytest.mark.parametrize(
    "make", [SMOTE, BorderlineSMOTE, ADASYN, SMOTEENN, SMOTETomek], ids=lambda m: m.__name__
)
def test_space_sampler_is_the_sampler_on_the_scaled_rows(make):
    """imbalanced-learn's sampler in the space equals the sampler run on the standardised
    rows, mapped back: same neighbours, same draws, the rows in the caller's units."""
    data = datasets.make_flipped_labels(random_state=0)  # noise: ADASYN has work to do
    X, y = data.X.to_numpy() * np.array([1.0, 0.001]), data.y.to_numpy()
    scaling = ColumnScaling.fit(X, "standard")
    Z = scaling.transform(X)
    wrapped = SpaceSampler(make(random_state=0))
    X_res, y_res = wrapped.fit_resample(X, y)
    Z_res, yz_res = make(random_state=0).fit_resample(Z, y)
    assert np.array_equal(y_res, yz_res)
    np.testing.assert_allclose(scaling.transform(X_res), Z_res, rtol=1e-9, atol=1e-9)
    cleaner = getattr(wrapped.sampler_, "enn_", getattr(wrapped.sampler_, "tomek_", None))
    if cleaner is not None:  # the cleaned rows are those the sampler cleans on scaled rows
        plain = make(random_state=0)
        plain.fit_resample(Z, y)
        plain_cleaner = getattr(plain, "enn_", getattr(plain, "tomek_", None))
        assert np.array_equal(cleaner.sample_indices_, plain_cleaner.sample_indices_)
        assert len(cleaner.sample_indices_) < len(y_res) + 1


def test_smote_nc_in_the_space_ignores_units_and_weighs_categories():
    data = datasets.make_mixed_types(random_state=0)
    X, y = data.X, data.y
    categorical = [list(X.columns).index(c) for c in ("city", "plan")]
    one = SpaceSampler(SMOTENC(categorical, random_state=0)).fit_resample(X, y)[0]
    moved = _rescaled(X, {"x0": 1000.0})
    other = SpaceSampler(SMOTENC(categorical, random_state=0)).fit_resample(moved, y)[0]
    np.testing.assert_allclose(other["x0"].to_numpy() / 1000.0, one["x0"].to_numpy(), rtol=1e-9)
    assert (other["city"].to_numpy() == one["city"].to_numpy()).all()


@pytest.mark.parametrize("value", [0.37, 0.0])  # SMOTE-NC's median sd / sqrt(2), or 0 for 0
def test_a_category_mismatch_counts_one_unit_whatever_smote_nc_writes(value):
    """SMOTE-NC fills its one-hot entries with its class's median sd over sqrt(2), and with
    explicit zeros when that median is 0: the space counts the entries that are set."""
    from scipy import sparse

    from smote_diag import SpaceNeighbors
    from smote_diag._space import ArraySpace

    onehot = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]], dtype=float)
    X = sparse.csr_matrix(np.c_[np.zeros(4), onehot])
    X.data[X.indices >= 1] = value  # explicit zeros stay stored
    space = ArraySpace(
        np.array([0]), ColumnScaling.fit(np.zeros((4, 1)), "standard"), np.zeros(0, int), 1
    )
    nn = SpaceNeighbors(2, space=space).fit(X)
    dist, idx = nn.kneighbors(X)
    assert set(idx[0]) == {0, 3} and dist[0, 1] == 0.0  # the same category
    assert dist[1, 1] == pytest.approx(1.0)  # a mismatch: one unit


def test_robust_scaling_keeps_a_heavy_tailed_column_informative():
    """A column whose few huge values swamp its standard deviation: standardised, its
    ordinary differences vanish and the planted groups merge; robust scaling keeps them."""
    rng = np.random.default_rng(0)
    data = datasets.make_unit_mismatch(scale=1.0, random_state=0)
    frame = data.frame.copy()
    majority = frame.index[frame["label"] == 0]
    tail = rng.choice(majority, 20, replace=False)
    frame.loc[tail, "x1"] = rng.uniform(1e4, 1e5, 20)  # a few sentinel-like amounts
    standard = diagnose(frame, "label", random_state=0, verbose=0)
    robust = diagnose(frame, "label", scaling="robust", random_state=0, verbose=0)
    assert robust.finding("minority_clustering").evidence["bridging_share"] == 0.0
    assert robust.finding("minority_clustering").evidence["n_groups"] == 4
    assert standard.finding("minority_clustering").evidence["bridging_share"] >= 0.05


def test_robust_unit_is_the_standard_deviation_on_normal_data():
    values = np.random.default_rng(0).normal(3.0, 2.0, size=(200_000, 1))
    robust = ColumnScaling.fit(values, "robust")
    assert robust.unit[0] == pytest.approx(2.0, rel=0.01)
    assert IQR_OF_NORMAL == pytest.approx(1.349, abs=1e-3)
    # more than half the values tied: the interquartile range is 0, the sd takes over
    tied = np.r_[np.zeros(900), np.arange(100.0)][:, None]
    assert ColumnScaling.fit(tied, "robust").unit[0] == pytest.approx(tied.std())


def test_a_fitted_scaling_must_cover_the_numeric_columns():
    X = np.random.default_rng(0).normal(size=(50, 3))
    y = np.r_[np.zeros(40), np.ones(10)]
    wrong = ColumnScaling.fit(X[:, :2], "standard")
    with pytest.raises(InputError, match="covers 2 numeric columns, but the data has 3"):
        SpaceSampler(SMOTE(), scaling=wrong).fit_resample(X, y)


def test_unknown_scaling_suggests_the_closest(mismatch):
    with pytest.raises(InputError, match="Did you mean 'robust'"):
        diagnose(mismatch.frame, "label", scaling="robus", verbose=0)


@pytest.mark.parametrize("scaling", ["robust", "none"])
def test_the_scaling_reaches_every_entry(mismatch, scaling):
    from smote_diag import DiagnosisSession, dashboard

    session = DiagnosisSession(mismatch.frame, "label", scaling=scaling)
    assert session.diagnose(random_state=0).scaling == scaling
    assert session.resample("smote", random_state=0).report.scaling == scaling
    app = dashboard(mismatch.frame, "label", scaling=scaling)
    assert app.report.scaling == scaling
    assert f"scaling={scaling!r}" in app.code()
    rec = diagnose(mismatch.frame, "label", scaling=scaling, verbose=0).recommendation
    assert rec.sampler.get_params()["scaling"] == scaling
    assert pd.Series(rec.to_dict()).get("scaling") == scaling


def test_a_numeric_sampler_on_encoded_categories_weighs_them_as_the_diagnosis():
    """cluster_smote on text and category columns (after one-hot encoding in the pipeline)
    groups the rows as the report does: a category mismatch counts as one unit."""
    from dataclasses import replace

    data = datasets.make_mixed_types(random_state=0)
    report = diagnose(data.frame, "label", random_state=0, verbose=0)
    rec = replace(report.recommendation, method="cluster_smote")
    pipe = rec.pipeline(Recorder()).fit(data.X, data.y)
    sampler = pipe.named_steps["sampler"].sampler_
    assert sampler.onehot_from == 2  # x0, x1, then the one-hot columns
    assert np.array_equal(sampler.groups_[1], report.profiles[0].groups)


def _class_distances(points):
    return np.linalg.norm(points[:, None, :] - points[None, :, :], axis=2)


def _diagnosed(frame, target="label", **kwargs):
    from smote_diag.diagnose import run_diagnosis

    return run_diagnosis(
        frame,
        target,
        objective="balanced_accuracy",
        k_neighbors=5,
        random_state=0,
        n_jobs=None,
        verbose=0,
        **kwargs,
    )


def _with_gaps_and_levels(seed=0):
    """Mixed data with missing numbers, 0/1 flags, booleans and categories, and a category of
    60 levels whose rare ones share a dimension."""
    data = datasets.make_mixed_types(random_state=seed)
    frame = data.frame.copy()
    rng = np.random.default_rng(seed)
    n = len(frame)
    frame["flag"] = rng.integers(0, 2, n).astype(float)
    frame["ok"] = rng.integers(0, 2, n).astype(bool)
    frame["region"] = rng.choice(
        [f"r{i:02d}" for i in range(60)], n, p=np.r_[[0.5], [0.5 / 59] * 59]
    )
    for column, share in (("x0", 0.1), ("flag", 0.1), ("city", 0.1), ("region", 0.05)):
        frame.loc[frame.sample(frac=share, random_state=seed).index, column] = np.nan
    frame["ok"] = frame["ok"].astype(object).where(rng.random(n) > 0.1, None)
    return frame


@pytest.mark.parametrize("scaling", ["standard", "robust"])
def test_smote_nc_measures_where_the_diagnosis_did_with_gaps_and_many_levels(scaling):
    frame = _with_gaps_and_levels()
    report, ctx = _diagnosed(frame, scaling=scaling)
    assert ctx.space.levels["region"][-1] == "<other>"  # 40 levels and the rest
    from smote_diag.resample import resample_diagnosed

    result = resample_diagnosed(
        frame, report, ctx, method="smote_nc", k_neighbors=5, random_state=0, sampler_params={}
    )
    searched = result.sampler.sampler_.nn_k_.index_._fit_X  # SMOTE-NC's class rows, placed
    code = ctx.checked.minority_codes[0]
    diagnosed = ctx.Z[ctx.rows_of(code)]
    np.testing.assert_allclose(_class_distances(searched), _class_distances(diagnosed), atol=1e-9)


def test_the_pipelines_space_is_the_reports_when_values_are_missing():
    """The pipeline's sampler fits its scaling after the imputer; the diagnosis measures with
    the gaps filled the same way, so on the same rows the two spaces are one."""
    frame = _with_gaps_and_levels()
    report, ctx = _diagnosed(frame)
    rec = replace_method(report.recommendation, "smote")
    X, y = frame.drop(columns="label"), frame["label"]
    pipe = rec.pipeline(Recorder()).fit(X, y)
    fitted = pipe.named_steps["sampler"].space_.scaling
    np.testing.assert_allclose(fitted.unit, ctx.space.columns.unit, rtol=1e-12)


def replace_method(rec, method):
    from dataclasses import replace

    return replace(rec, method=method)


def test_all_categorical_smote_nc_takes_its_neighbours_by_category_mismatches():
    rng = np.random.default_rng(0)
    n = 600
    frame = pd.DataFrame(
        {c: rng.choice(list("abcd"), n) for c in ("p", "q", "r")}
        | {"label": np.r_[np.zeros(540, int), np.ones(60, int)]}
    )
    report, ctx = _diagnosed(frame)
    from smote_diag.resample import resample_diagnosed

    result = resample_diagnosed(
        frame, report, ctx, method="smote_nc", k_neighbors=5, random_state=0, sampler_params={}
    )
    assert type(result.sampler.sampler_).__name__ == "SpaceSMOTEN"
    code = ctx.checked.minority_codes[0]
    Z = ctx.Z[ctx.rows_of(code)]
    mismatches = (
        frame.loc[frame.label == 1, ["p", "q", "r"]].to_numpy()[:, None]
        != (frame.loc[frame.label == 1, ["p", "q", "r"]].to_numpy()[None])
    ).sum(axis=2)
    np.testing.assert_allclose(_class_distances(Z) ** 2, mismatches, atol=1e-9)


def test_rec_sampler_takes_the_used_columns_and_refuses_others(mismatch):
    frame = mismatch.frame.assign(customer_id=np.arange(len(mismatch.frame)) + 10_000)
    rec = diagnose(frame, "label", random_state=0, verbose=0).recommendation
    assert rec.used_columns == ("x0", "x1")
    X, y = frame.drop(columns="label"), frame["label"]
    with pytest.raises(InputError, match=r"X\[list\(rec.used_columns\)\]"):
        rec.sampler.fit_resample(X, y)
    X_res, _ = rec.sampler.fit_resample(X[list(rec.used_columns)], y)
    assert list(X_res.columns) == ["x0", "x1"]


@pytest.mark.parametrize("seed", [0, 1])
def test_on_the_demo_the_report_and_the_check_agree(seed):
    """The bundled demo (rpm in the thousands): the report's plain-SMOTE share and the real
    SMOTE's, measured by resample(method="smote").check(), within the stated error."""
    demo = smote_diag.load_demo()
    report = diagnose(demo, "status", random_state=seed, verbose=0)
    measured = resample(demo, "status", method="smote", random_state=seed, verbose=0)
    check = measured.check().classes[0]
    assert _agree(report, check.majority_share, check.n_measured)
    assert report.finding("overlap").evidence["smote_majority_share_se"] <= 0.016


@pytest.mark.parametrize(
    "method",
    [
        "smote",
        "borderline_smote",
        "adasyn",
        "smote_tomek",
        "smote_enn",
        "cluster_smote",
        "pca_smote",
    ],
)
def test_the_pipeline_survives_folds_with_fewer_minority_rows_than_k(method):
    """Six minority rows: a training fold of 5-fold cross-validation holds four or five, fewer
    than k + 1 = 6; SMOTE's k is capped there at the class size minus one."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score

    data = datasets.make_flipped_labels(n_minority=5, noise_share=0.2, random_state=0)
    assert (data.y == 1).sum() == 6
    rec = replace_method(
        diagnose(data.frame, "label", random_state=0, verbose=0).recommendation, method
    )
    scores = cross_val_score(
        rec.pipeline(LogisticRegression()), data.X, data.y, cv=5, error_score="raise"
    )
    assert len(scores) == 5


def test_the_smote_shares_standard_error_is_agresti_coulls():
    """Two successes and two failures added: a share of 0 in 1,000 points still has an
    error (the plain binomial formula says 0)."""
    from smote_diag.diagnostics.overlap import SmoteSimulation

    none = SmoteSimulation(np.zeros(1000, int), np.zeros(1000, int), np.zeros(1000, bool))
    assert none.majority_share == 0.0
    p = 2 / 1004
    assert none.majority_share_se == pytest.approx(np.sqrt(p * (1 - p) / 1004))
    half = SmoteSimulation(np.zeros(100, int), np.zeros(100, int), np.arange(100) < 50)
    assert half.majority_share_se == pytest.approx(np.sqrt(0.25 / 104))
