"""Input validation through diagnose(): every bad input says what is wrong and what to do,
and every odd but usable input is accepted and reported."""

import numpy as np
import pandas as pd
import pytest

from smote_diag import METHODS, InputError, InputTypeError, datasets, diagnose
from smote_diag.datasets import make_mixed_types


def run(data, target=None, **kwargs):
    kwargs.setdefault("random_state", 0)
    kwargs.setdefault("verbose", 0)
    return diagnose(data, target, **kwargs)


def frame(n=60, n_minority=10, seed=0):
    rng = np.random.RandomState(seed)
    return pd.DataFrame(
        {
            "a": rng.normal(size=n),
            "b": rng.normal(size=n),
            "label": np.r_[np.zeros(n - n_minority, int), np.ones(n_minority, int)],
        }
    )


# --- bad input ----------------------------------------------------------------------------


def test_misspelt_target_suggests_the_close_match():
    match = r"Target column 'lable' is not in the DataFrame\. Did you mean 'label'\?"
    with pytest.raises(InputError, match=match):
        run(frame(), "lable")


def test_unknown_target_without_close_match_lists_the_columns():
    match = r"Target column 'zzz' is not in .* Columns: \['a', 'b', 'label'\]"
    with pytest.raises(InputError, match=match):
        run(frame(), "zzz")


def test_no_target():
    with pytest.raises(
        InputError,
        match=r"No target given\. Pass the target column's name, "
        r"e\.g\. diagnose\(df, target='label'\)",
    ):
        run(frame(), None)


def test_one_class_text_label():
    df = frame().assign(label="fraud")
    match = r"The target 'label' has one class \('fraud'\); diagnosis needs at least two\."
    with pytest.raises(InputError, match=match):
        run(df, "label")


@pytest.mark.parametrize(("label", "shown"), [(0, "0"), (True, "True")])
def test_one_class_number_or_bool_label_is_shown_as_written(label, shown):
    df = frame().assign(label=label)
    match = rf"The target 'label' has one class \({shown}\); diagnosis needs at least two\."
    with pytest.raises(InputError, match=match):
        run(df, "label")


def test_one_class_with_labels_passed():
    X = frame().drop(columns="label")
    match = r"The labels have one class .*; diagnosis needs at least two"
    with pytest.raises(InputError, match=match):
        run(X, ["x"] * len(X))


def test_missing_labels():
    df = frame()
    df["label"] = df["label"].astype(float)
    df.loc[[3, 7], "label"] = np.nan
    with pytest.raises(
        InputError,
        match=r"The target 'label' has 2 missing labels\. "
        r"Drop those rows or fill them before diagnosing\.",
    ):
        run(df, "label")


def test_missing_labels_none_in_text_labels():
    X = frame().drop(columns="label")
    y = ["a"] * 50 + ["b"] * 9 + [None]
    match = r"The labels have 1 missing label\. Drop those rows or fill"
    with pytest.raises(InputError, match=match):
        run(X, y)


def test_continuous_target_is_called_a_regression_target():
    df = frame().assign(label=np.linspace(0.1, 5.3, 60))
    with pytest.raises(
        InputError,
        match=r"holds 60 distinct non-integer numbers: it looks like a "
        r"regression target\. smote_diag needs class labels;",
    ):
        run(df, "label")


def test_series_as_data():
    with pytest.raises(
        InputTypeError,
        match=r"Got a Series \('a'\).* Pass a DataFrame, "
        r"e\.g\. series\.to_frame\(\)\.",
    ):
        run(frame()["a"], "label")


@pytest.mark.parametrize(
    ("data", "kind"), [("data.csv", "str"), ({"a": [1, 2], "label": [0, 1]}, "dict")]
)
def test_string_or_dict_as_data(data, kind):
    with pytest.raises(
        InputTypeError, match=rf"Expected a DataFrame or a 2-D array of features, got {kind}\."
    ):
        run(data, "label")


def test_input_type_error_is_also_a_type_error():
    with pytest.raises(TypeError):
        run("data.csv", "label")
    assert issubclass(InputTypeError, InputError)
    assert issubclass(InputError, ValueError)


def test_one_dimensional_array():
    match = r"got an array of shape \(10,\)\. Reshape a single feature with X\.reshape\(-1, 1\)\."
    with pytest.raises(InputTypeError, match=match):
        run(np.arange(10.0), np.r_[np.zeros(5, int), np.ones(5, int)])


def test_empty_frame():
    empty = pd.DataFrame({"a": pd.Series([], dtype=float), "label": pd.Series([], dtype=int)})
    with pytest.raises(
        InputError,
        match=r"The data has no rows; diagnosis needs at least two "
        r"classes of rows\.",
    ):
        run(empty, "label")


def test_duplicated_column_names():
    df = pd.DataFrame(np.c_[np.ones((4, 2)), [0, 1, 0, 1]], columns=["a", "a", "label"])
    with pytest.raises(
        InputError,
        match=r"Columns \['a'\] appear more than once\. "
        r"Rename or drop the copies\.",
    ):
        run(df, "label")


def test_labels_of_the_wrong_length():
    with pytest.raises(
        InputError,
        match=r"The labels have 3 rows but the features have 4\. "
        r"Pass labels aligned with the rows",
    ):
        run(np.zeros((4, 2)), [0, 1, 0])


def test_two_dimensional_labels():
    with pytest.raises(InputError, match=r"The labels must be one-dimensional, got shape \(4, 1\)"):
        run(np.zeros((4, 2)), np.zeros((4, 1)))


def test_column_name_with_array_data():
    with pytest.raises(
        InputError,
        match=r"target='label' looks like a column name, but the data "
        r"is an array without names\. Pass the labels instead, "
        r"e\.g\. diagnose\(X, y\)\.",
    ):
        run(np.zeros((4, 2)), "label")


@pytest.mark.parametrize("k", [0, -1, 2.5, True, "5", None])
def test_bad_k_neighbors(k):
    with pytest.raises(InputError, match=rf"k_neighbors must be an integer >= 1, got {k!r}\."):
        run(frame(), "label", k_neighbors=k)


def test_k_neighbors_is_checked_before_the_data():
    with pytest.raises(InputError, match="k_neighbors must be an integer >= 1"):
        run("not even data", "label", k_neighbors=0)


def test_only_unusable_feature_columns():
    df = pd.DataFrame(
        {
            "when": pd.date_range("2024-01-01", periods=20),
            "site": 3.0,
            "label": [0] * 15 + [1] * 5,
        }
    )
    match = (
        r"No usable feature column is left \('when': dates and times are not used in "
        r"distances; 'site': it is constant\)\. Add numeric or categorical features\."
    )
    with pytest.raises(InputError, match=match):
        run(df, "label")


def test_tuple_column_name_as_target():
    rng = np.random.RandomState(0)
    columns = pd.MultiIndex.from_tuples([("f", "a"), ("f", "b")])
    df = pd.DataFrame(rng.normal(size=(60, 2)), columns=columns)
    df[("t", "y")] = [0] * 50 + [1] * 10
    report = run(df, ("t", "y"))
    assert report.class_counts == {0: 50, 1: 10}


def test_only_the_target_column():
    match = (
        r"No usable feature column is left \(the data has no feature columns\)\. "
        r"Add numeric or categorical features"
    )
    with pytest.raises(InputError, match=match):
        run(frame()[["label"]], "label")


# --- accepted input -----------------------------------------------------------------------


def test_text_and_category_columns_give_a_categorical_warning():
    data = make_mixed_types(n_majority=300, n_minority=40, random_state=0)
    assert data.frame["city"].dtype == object
    assert isinstance(data.frame["plan"].dtype, pd.CategoricalDtype)
    report = run(data.frame, data.target)
    finding = report.finding("categorical_features")
    assert finding.severity == "warning"
    assert finding.evidence["categorical_columns"] == ["city", "plan"]
    assert {"city", "plan"} <= set(report.feature_columns)


def test_all_numeric_columns_give_no_categorical_warning():
    assert run(frame(), "label").finding("categorical_features").severity == "ok"


def test_datetime_and_constant_columns_are_excluded_with_a_note():
    df = frame().assign(when=pd.date_range("2024-01-01", periods=60), site="Lyon", zero=0.0)
    report = run(df, "label")
    assert report.feature_columns == ("a", "b")
    assert report.excluded_columns == {
        "when": "dates and times are not used in distances",
        "site": "it is constant",
        "zero": "it is constant",
    }
    assert "Column 'when' left out: dates and times are not used in distances." in report.notes
    assert "Column 'site' left out: it is constant." in report.notes
    assert "Column 'zero' left out: it is constant." in report.notes
    assert report.finding("categorical_features").severity == "ok"  # 'site' is not counted


def test_nan_and_inf_in_features_are_diagnosed():
    df = frame()
    df.loc[[1, 2], "a"] = np.nan
    df.loc[5, "b"] = np.inf
    df.loc[9, "b"] = -np.inf
    before = df.copy(deep=True)
    report = run(df, "label")
    finding = report.finding("missing_values")
    assert finding.severity == "warning"
    assert finding.evidence["n_missing_cells"] == 4
    assert finding.evidence["missing_by_column"] == {"a": 2, "b": 2}
    assert finding.evidence["missing_row_share"] == pytest.approx(4 / 60)
    pd.testing.assert_frame_equal(df, before)  # nothing imputed in the caller's frame


def test_no_missing_values_is_ok():
    finding = run(frame(), "label").finding("missing_values")
    assert finding.severity == "ok"
    assert finding.evidence["n_missing_cells"] == 0


LABELS = {
    "str": (np.array(["neg"] * 50 + ["pos"] * 10, dtype=object), {"neg": 50, "pos": 10}),
    "bool": (np.array([False] * 50 + [True] * 10), {False: 50, True: 10}),
    "categorical": (
        pd.Categorical(["neg"] * 50 + ["pos"] * 10, categories=["pos", "neg"]),
        {"neg": 50, "pos": 10},
    ),
}


@pytest.mark.parametrize("kind", list(LABELS))
@pytest.mark.parametrize("as_column", [True, False], ids=["column", "labels"])
def test_labels_are_shown_as_the_user_wrote_them(kind, as_column):
    labels, expected = LABELS[kind]
    X = frame().drop(columns="label")
    if as_column:
        report = run(X.assign(outcome=labels), "outcome")
        assert report.target == "outcome"
    else:
        report = run(X, labels)
    assert report.class_counts == expected
    assert list(report.class_counts) == list(expected)  # largest first
    assert [type(k) for k in report.class_counts] == [type(k) for k in expected]
    assert report.minority_classes == (list(expected)[1],)


def test_categorical_series_keeps_its_name_as_target():
    labels = pd.Series(pd.Categorical(["neg"] * 50 + ["pos"] * 10), name="outcome")
    report = run(frame().drop(columns="label"), labels)
    assert report.target == "outcome"
    assert report.class_counts == {"neg": 50, "pos": 10}


def test_numpy_arrays_work():
    df = frame()
    X, y = df[["a", "b"]].to_numpy(), df["label"].to_numpy()
    report = run(X, y)
    assert report.target is None
    assert report.n_rows == 60
    assert report.n_features == 2
    assert report.class_counts == {0: 50, 1: 10}
    assert [type(k) for k in report.class_counts] == [int, int]


def test_frame_with_labels_and_a_non_default_index():
    df = frame()
    df.index = pd.Index([f"row{i}" for i in range(60)])[::-1]
    X, y = df[["a", "b"]], df["label"]
    before_X, before_y = X.copy(deep=True), y.copy(deep=True)
    report = run(X, y)
    assert report.class_counts == {0: 50, 1: 10}
    assert report.target == "label"
    pd.testing.assert_frame_equal(X, before_X)
    pd.testing.assert_series_equal(y, before_y)


def test_frame_and_array_give_the_same_class_counts():
    df = frame()
    from_frame = run(df, "label")
    from_arrays = run(df[["a", "b"]].to_numpy(), df["label"].to_numpy())
    assert from_frame.class_counts == from_arrays.class_counts
    assert from_frame.recommendation.method == from_arrays.recommendation.method


# --- inputs that used to be mishandled ---------------------------------------------------


def test_a_labels_series_that_is_also_a_column_is_not_a_feature():
    data = datasets.make_overlapping(random_state=0)
    by_series = diagnose(data.frame, data.frame["label"], random_state=0, verbose=0)
    by_name = diagnose(data.frame, target="label", random_state=0, verbose=0)
    assert "label" not in by_series.feature_columns
    assert by_series.recommendation.method == by_name.recommendation.method
    assert any("holds the labels" in note for note in by_series.notes)


def test_numbers_in_an_object_array_are_numbers():
    data = datasets.make_mixed_types(random_state=0)
    as_objects = data.X.to_numpy()  # dtype object: floats and strings together
    report = diagnose(as_objects, data.y.to_numpy(), random_state=0, verbose=0)
    f = report.finding("categorical_features")
    assert f.evidence["n_numeric"] == 2 and f.evidence["categorical_columns"] == [2, 3]
    assert report.recommendation.method == "smote_nc"


def test_huge_sentinel_values_do_not_overflow():
    data = datasets.make_compact_minority(random_state=0)
    frame = data.frame.copy()
    frame.loc[[0, 1], "x0"] = 1e308
    report = diagnose(frame, target="label", random_state=0, verbose=0)
    assert report.recommendation.method in METHODS


def test_a_column_of_lists_is_refused_with_the_fix():
    frame = datasets.make_compact_minority(random_state=0).frame
    frame = frame.assign(tags=[[1, 2]] * len(frame))
    with pytest.raises(InputError, match=r"Column 'tags' holds list values .* Flatten the column"):
        diagnose(frame, target="label", verbose=0)


def test_a_repeated_index_reports_positions_and_says_so():
    data = datasets.make_flipped_labels(random_state=0)
    frame = data.frame.set_axis([i % 50 for i in range(len(data.frame))], axis=0)
    report = diagnose(frame, target="label", random_state=0, verbose=0)
    rows = report.finding("noise").rows
    assert set(rows) & set(data.truth.noise_rows)  # positions, as planted
    assert max(rows) >= 50
    assert any("reported by position" in note for note in report.notes)


def test_numpy_integer_seeds_are_kept():
    data = datasets.make_compact_minority(random_state=0)
    report = diagnose(data.frame, target="label", random_state=np.int64(7), verbose=0)
    assert report.random_state == 7
    assert report.recommendation.sampler.sampler.get_params()["random_state"] == 7
