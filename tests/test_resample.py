"""resample(): every original row first and unchanged, dtypes kept, synthetic rows marked,
and the check of where the new points went."""

import numpy as np
import pandas as pd
import pytest

from smote_diag import InputError, datasets, resample

N_MAJORITY, N_MINORITY = 400, 60


@pytest.fixture
def mixed():
    """Integer, float, bool and category columns, a text column, a string index."""
    rng = np.random.default_rng(0)
    n = N_MAJORITY + N_MINORITY
    label = np.r_[np.zeros(N_MAJORITY, int), np.ones(N_MINORITY, int)]
    frame = pd.DataFrame(
        {
            "age": rng.integers(20, 70, n) + 30 * label,
            "income": rng.normal(50.0, 10.0, n) + 40 * label,
            "member": rng.random(n) < 0.3 + 0.5 * label,
            "plan": pd.Categorical(rng.choice(["basic", "pro"], n)),
            "city": rng.choice(["Lyon", "Porto"], n).astype(object),
            "label": label,
        },
        index=[f"row{i}" for i in range(n)],
    )
    return frame


def test_originals_first_and_unchanged_with_dtypes_kept(mixed):
    before = mixed.copy(deep=True)
    result = resample(mixed, "label", random_state=0, verbose=0)
    assert result.method == "smote_nc"
    n = len(mixed)
    pd.testing.assert_frame_equal(result.frame.iloc[:n], mixed)
    pd.testing.assert_frame_equal(mixed, before)  # not mutated
    assert list(result.frame.columns) == list(mixed.columns)
    assert result.frame.dtypes.equals(mixed.dtypes)
    synthetic = result.frame[result.is_synthetic]
    assert len(synthetic) == result.is_synthetic.sum() == N_MAJORITY - N_MINORITY
    assert not result.is_synthetic[:n].any() and result.is_synthetic[n:].all()
    assert (synthetic["label"] == 1).all()
    assert set(synthetic["plan"].unique()) <= {"basic", "pro"}
    assert set(synthetic["city"]) <= {"Lyon", "Porto"}
    assert synthetic["member"].dtype == bool
    ages = synthetic["age"]
    assert ages.between(mixed["age"].min(), mixed["age"].max()).all()
    assert not set(synthetic.index) & set(mixed.index)  # no label collides
    pd.testing.assert_frame_equal(result.X, result.frame.drop(columns="label"))
    pd.testing.assert_series_equal(result.y, result.frame["label"])


def test_identical_random_state_identical_frame(mixed):
    first = resample(mixed, "label", random_state=3, verbose=0)
    second = resample(mixed, "label", random_state=3, verbose=0)
    pd.testing.assert_frame_equal(first.frame, second.frame)
    other = resample(mixed, "label", random_state=4, verbose=0)
    assert not first.frame.equals(other.frame)


def test_whole_numbers_are_rounded_not_truncated():
    from smote_diag._validation import check_inputs
    from smote_diag.resample import _restore

    frame = pd.DataFrame({"n": [1, 2, 3, 9], "x": [0.1, 0.2, 0.3, 0.4], "y": [0, 0, 1, 1]})
    checked = check_inputs(frame, "y")
    new = pd.DataFrame({"n": [2.6, 2.4, 7.5], "x": [0.15, 0.25, 0.35]})
    restored = _restore(new, checked, frame.drop(columns="y"), [])
    assert restored["n"].tolist() == [3, 2, 8] and restored["n"].dtype == frame["n"].dtype


def test_array_input_gives_arrays_and_the_mask():
    data = datasets.make_bridged_groups(random_state=0)
    X, y = data.X.to_numpy(), data.y.to_numpy()
    result = resample(X, y, random_state=0, verbose=0)
    assert result.frame is None
    assert isinstance(result.X, np.ndarray) and isinstance(result.y, np.ndarray)
    np.testing.assert_array_equal(result.X[: len(X)], X)
    np.testing.assert_array_equal(result.y[: len(y)], y)
    assert len(result.X) == len(result.is_synthetic) == len(X) + result.is_synthetic.sum()


def test_no_resampling_returns_the_data_and_says_why():
    data = datasets.make_overlapping(random_state=0)
    result = resample(data.frame, "label", random_state=0, verbose=0)
    assert result.method == "no_resampling" and result.sampler is None
    pd.testing.assert_frame_equal(result.frame, data.frame)
    assert not result.is_synthetic.any()
    assert result.reason.startswith("Nothing was resampled") and "overlaps" in result.reason


def test_a_cleaning_step_marks_the_rows_it_dropped():
    data = datasets.make_flipped_labels(random_state=0)
    result = resample(data.frame, "label", method="smote_enn", random_state=0, verbose=0)
    n = len(data.frame)
    pd.testing.assert_frame_equal(result.frame.iloc[:n], data.frame)
    assert result.is_removed[:n].any() and not result.is_removed[n:].any()
    X_train, y_train = result.sampler.fit_resample(data.X, data.y)
    assert len(result.frame) - result.is_removed.sum() == len(X_train)


def test_a_non_default_integer_index_continues():
    data = datasets.make_compact_minority(random_state=0)
    frame = data.frame.set_axis(np.arange(len(data.frame)) * 10 + 7, axis=0)
    result = resample(frame, "label", method="smote", random_state=0, verbose=0)
    new = result.frame.index[result.is_synthetic]
    assert new[0] == frame.index.max() + 1 and new.is_unique


def test_missing_values_stay_in_the_originals():
    data = datasets.make_compact_minority(random_state=0)
    frame = data.frame.copy()
    frame.loc[[3, 1050], "x0"] = np.nan
    result = resample(frame, "label", method="smote", random_state=0, verbose=0)
    assert result.frame.loc[[3, 1050], "x0"].isna().all()
    assert result.frame.loc[result.is_synthetic, "x0"].notna().all()
    assert any("interpolation only" in note for note in result.notes)


def test_left_out_columns_are_filled_in_synthetic_rows():
    data = datasets.make_compact_minority(random_state=0)
    frame = data.frame.assign(site="plant 4", when=pd.Timestamp("2024-05-01"))
    result = resample(frame, "label", method="smote", random_state=0, verbose=0)
    synthetic = result.frame[result.is_synthetic]
    assert (synthetic["site"] == "plant 4").all()
    assert synthetic["when"].isna().all() and result.frame.dtypes.equals(frame.dtypes)


def test_every_minority_class_is_resampled():
    data = datasets.make_three_classes(random_state=0)
    result = resample(data.frame, "label", random_state=0, verbose=0)
    counts = result.frame["label"].value_counts()
    assert counts.nunique() == 1  # balanced
    assert {c.label for c in result.check().classes} == {"blob", "groups"}


def test_bad_requests_name_the_fix(mixed):
    with pytest.raises(InputError, match="Did you mean 'cluster_smote'"):
        resample(mixed, "label", method="clustersmote", verbose=0)
    expected = r"Columns \['city'\] hold text or other non-numeric values\. .*method='smote_nc'"
    with pytest.raises(InputError, match=expected):
        resample(mixed.drop(columns="plan"), "label", method="smote", verbose=0)
    few = mixed.iloc[list(range(N_MAJORITY)) + [N_MAJORITY, N_MAJORITY + 1, N_MAJORITY + 2]]
    with pytest.raises(InputError, match="needs at least 6. Use k_neighbors=2"):
        resample(few, "label", method="smote_nc", verbose=0)


def test_the_check_sees_what_cluster_smote_avoided():
    data = datasets.make_bridged_groups(random_state=0)
    check = resample(data.frame, "label", random_state=0, verbose=0).check()
    assert check.method == "cluster_smote" and check.baseline_method == "smote"
    mine, plain = check.classes[0], check.baseline[0]
    assert mine.majority_share < 0.02 and plain.majority_share > 0.2
    assert plain.majority_share - mine.majority_share > 0.15
    assert mine.distance_ratio < plain.distance_ratio
    assert "plain SMOTE would have put" in check.summary
    # cluster_smote's points follow the groups' sizes; plain SMOTE's drift between groups
    assert mine.group_shift < 0.02 < plain.group_shift


def test_the_check_on_a_compact_minority_finds_nothing_wrong():
    data = datasets.make_compact_minority(random_state=0)
    check = resample(data.frame, "label", method="cluster_smote", random_state=0, verbose=0).check()
    assert check.classes[0].majority_share < 0.02
    assert check.baseline[0].majority_share < 0.02
    assert check.classes[0].group_shift < 0.1


def _frame(n_majority=300, n_minority=40, seed=0):
    data = datasets.make_compact_minority(n_majority, n_minority, random_state=seed)
    return data.frame


def test_whole_numbers_are_rounded_end_to_end():
    frame = _frame()
    counts = frame.assign(x0=(frame["x0"] * 10).round().astype("int64"))
    # shifted by a half: not whole numbers, so not rounded; the same neighbours (z-scores)
    as_float = counts.assign(x0=counts["x0"] + 0.5)
    rounded = resample(counts, "label", method="smote", random_state=5, verbose=0)
    exact = resample(as_float, "label", method="smote", random_state=5, verbose=0)
    new_int = rounded.frame.loc[rounded.is_synthetic, "x0"].to_numpy()
    new_float = exact.frame.loc[exact.is_synthetic, "x0"].to_numpy() - 0.5
    np.testing.assert_array_equal(new_int, np.rint(new_float))
    assert (new_int != np.trunc(new_float)).any()  # rounding, not truncation


@pytest.mark.parametrize(
    "index",
    [
        pd.Index(np.arange(340, dtype="int32") * 3),
        pd.Index(np.arange(340) + 0.5),
        pd.date_range("2024-01-01", periods=340, freq="h"),
        pd.period_range("2000-01", periods=340, freq="M"),
        pd.Index([f"r{i}" for i in range(340)], dtype="string"),
        pd.MultiIndex.from_arrays([np.arange(340) // 10, [f"k{i}" for i in range(340)]]),
        pd.Index(np.arange(340, dtype="uint64") + 2**63),
    ],
    ids=["int32", "float", "datetime", "period", "string", "multi", "uint64"],
)
def test_any_index_keeps_its_labels_and_dtype(index):
    frame = _frame().set_axis(index, axis=0)
    result = resample(frame, "label", method="smote", random_state=0, verbose=0)
    # freq is derived metadata of a regular DatetimeIndex, lost once rows are appended
    pd.testing.assert_frame_equal(result.frame.iloc[: len(frame)], frame, check_freq=False)
    assert result.frame.index.is_unique


def test_nullable_dtypes_are_kept():
    frame = _frame()
    frame = frame.assign(
        count=pd.array((frame["x0"] * 10).round(), dtype="Int64"),
        ratio=pd.array(frame["x1"], dtype="Float64"),
        flag=pd.array(frame["x0"] > 0, dtype="boolean"),
    )
    frame.loc[5, "count"] = pd.NA
    result = resample(frame, "label", method="smote", random_state=0, verbose=0)
    pd.testing.assert_frame_equal(result.frame.iloc[: len(frame)], frame)
    assert result.frame.dtypes.equals(frame.dtypes)


def test_one_hot_groups_keep_one_category_per_row():
    frame = _frame()
    rng = np.random.default_rng(0)
    colour = rng.choice(["red", "green", "blue"], len(frame))
    for c in ("red", "green", "blue"):
        frame[f"colour_{c}"] = (colour == c).astype(int)
    result = resample(frame, "label", method="smote", random_state=0, verbose=0)
    groups = result.frame.loc[result.is_synthetic, ["colour_red", "colour_green", "colour_blue"]]
    assert (groups.sum(axis=1) == 1).all()


def test_no_resampling_never_returns_the_callers_objects():
    data = datasets.make_overlapping(random_state=0)
    result = resample(data.frame, "label", verbose=0, random_state=0)
    assert result.frame is not data.frame and result.X is not data.frame
    result.frame.iloc[0, 0] = 999.0
    assert data.frame.iloc[0, 0] != 999.0
    assert result.check().summary == "No synthetic points were made."


def test_the_baseline_uses_the_same_strategy_and_is_matched_by_class():
    data = datasets.make_three_classes(random_state=0)
    result = resample(
        data.frame,
        "label",
        method="cluster_smote",
        sampling_strategy={"groups": 600},
        random_state=0,
        verbose=0,
    )
    check = result.check()
    assert [c.label for c in check.classes] == ["groups"]
    plain = check.baseline_of("groups")
    assert plain.n_synthetic == check.classes[0].n_synthetic == 510
    assert plain.majority_share > 0.2 > check.classes[0].majority_share
    assert "other classes' territory" in check.summary


def test_a_boolean_column_does_not_turn_the_baseline_into_smote_nc():
    frame = _frame().assign(flag=lambda f: f["x0"] > 0)
    check = resample(frame, "label", method="cluster_smote", random_state=0, verbose=0).check()
    assert check.baseline_method == "smote"


def test_hybrids_honour_the_sampling_strategy():
    data = datasets.make_flipped_labels(random_state=0)
    full = resample(data.frame, "label", method="smote_tomek", random_state=0, verbose=0)
    half = resample(
        data.frame, "label", method="smote_tomek", sampling_strategy=0.5, random_state=0, verbose=0
    )
    assert half.is_synthetic.sum() < 0.6 * full.is_synthetic.sum()


def test_a_sampler_refusing_the_data_is_one_input_error():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (300, 2)), rng.normal(20, 1, (30, 2))])
    y = np.r_[np.zeros(300, dtype=int), np.ones(30, dtype=int)]
    with pytest.raises(InputError, match="method='adasyn' cannot run on this data: Not any"):
        resample(X, y, method="adasyn", random_state=0, verbose=0)


@pytest.mark.parametrize(
    ("counts", "ratio", "message"),
    [
        ({0: 100, 1: 30}, 0.2, "The minority class already has 0.30 times"),
        (
            {0: 100, 1: 30, 2: 50},
            0.3,
            "Every minority class already has 0.30 times the majority's rows or more",
        ),
        ({0: 100, 1: 30}, 1.5, r"must be in \(0, 1\]"),
    ],
)
def test_a_sampling_ratio_that_grows_nothing_is_refused(counts, ratio, message):
    from smote_diag.resample import sampling_strategy_for_ratio

    with pytest.raises(InputError, match=message):
        sampling_strategy_for_ratio(counts, ratio)


def test_copies_need_no_rounding_note():
    data = datasets.make_mixed_types(random_state=0)
    frame = data.frame.assign(count=np.arange(len(data.frame)) % 7)
    copied = resample(frame, "label", method="random_oversample", random_state=0, verbose=0)
    assert not any("were rounded" in note for note in copied.notes)
    made = resample(frame, "label", method="smote_nc", random_state=0, verbose=0)
    assert any("were rounded" in note for note in made.notes)
