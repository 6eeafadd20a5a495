"""Columns read for what they are: identifiers, dates written as text and free text are left
out of the features in validation, each with a note,
and the verdict is the one of the table without them (planted: the answer is known by
construction)."""

import re
import uuid

import numpy as np
import pandas as pd
import pytest

import smote_diag
from smote_diag import InputError, diagnose, resample
from smote_diag._space import MAX_CATEGORY_LEVELS
from smote_diag._validation import (
    SKETCH_SIZE,
    check_inputs,
    column_facts,
    merge_column_facts,
)


def run(data, target="status", **kwargs):
    return diagnose(data, target, random_state=0, verbose=0, **kwargs)


def with_extra_columns(frame: pd.DataFrame, seed=0) -> pd.DataFrame:
    """``frame`` plus the columns a real table carries: five that are not features (planted
    to be left out) and three that are (negative controls: they must stay; the 60-level
    region repeats its levels, so it is a category, its rare levels sharing one dimension)."""
    rng = np.random.default_rng(seed)
    n = len(frame)
    extra = pd.DataFrame(
        {
            # left out
            "row_id": np.arange(1, n + 1),  # sequential
            "customer_id": rng.permutation(n) * 7 + 100_000,  # shuffled, gaps: by its name
            "order_uuid": [str(uuid.UUID(int=int(v))) for v in rng.integers(0, 2**63, n)],
            "signed_up": pd.date_range("2023-01-01", periods=n, freq="37min").strftime(
                "%Y-%m-%d %H:%M"
            ),
            "comment": [
                f"unit {i} reported {w}"
                for i, w in zip(rng.permutation(n), rng.choice(["noise", "heat", "a leak"], n))
            ],
            # kept
            "region": rng.choice([f"region {i:02d}" for i in range(60)], n),
            "amount_cents": rng.choice(10**8, n, replace=False),  # whole, unique, not an id
            "shift": rng.choice(["day", "night", "late"], n),  # a low-cardinality category
        },
        index=frame.index,
    )
    return pd.concat([frame, extra], axis=1)


LEFT_OUT = {
    "row_id": r"it looks like an identifier \(4,000 distinct whole numbers in 4,000 rows, "
    r"filling the range 1 to 4,000\)",
    "customer_id": r"it looks like an identifier \(4,000 distinct whole numbers in 4,000 rows, "
    r"and its name says so\)",
    "order_uuid": r"it looks like an identifier \(uuid-like text, e\.g\. '[0-9a-f-]{36}'\)",
    "signed_up": r"it holds dates or times as text \(e\.g\. '2023-\d\d-\d\d \d\d:\d\d'\), and "
    r"dates and times are not used in distances",
    "comment": r"it looks like free text with 4,000 distinct values in 4,000 rows: more than "
    r"half of the rows hold a value of their own, which no neighbour shares; encode it "
    r"\(e\.g\. group rare levels, or target-encode\) and pass it as numbers",
}


@pytest.fixture(scope="module")
def tables():
    demo = smote_diag.load_demo()
    full = with_extra_columns(demo)
    kept = full.drop(columns=list(LEFT_OUT))
    return full, kept, run(full), run(kept)


def test_each_non_feature_column_is_left_out_with_its_reason(tables):
    _, _, report, _ = tables
    assert set(report.excluded_columns) == set(LEFT_OUT)
    for name, reason in LEFT_OUT.items():
        why = report.excluded_columns[name]
        assert re.fullmatch(reason + ".*", why), why
        assert f"Column {name!r} left out: {why}." in report.notes


def test_measured_whole_numbers_and_small_categories_stay(tables):
    _, _, report, _ = tables
    assert "amount_cents" in report.feature_columns  # unique per row, but not an id
    assert "shift" in report.feature_columns
    assert report.finding("categorical_features").evidence["categorical_columns"] == [
        "region",
        "shift",
    ]


def test_the_verdict_is_the_one_without_those_columns(tables):
    _, _, report, without = tables
    assert report.recommendation.method == without.recommendation.method
    assert report.to_dict()["findings"] == without.to_dict()["findings"]
    mine, theirs = report.to_dict()["recommendation"], without.to_dict()["recommendation"]
    # the one difference: the pipeline says what it drops
    mine["reasons"].remove(
        f"The pipeline drops the columns the diagnosis left out ({list(LEFT_OUT)})."
    )
    assert mine == theirs


def test_left_out_columns_do_not_change_the_verdict_of_the_demo():
    demo = smote_diag.load_demo()
    rng = np.random.default_rng(1)
    n = len(demo)
    extra = demo.assign(
        ID=rng.permutation(n),
        code=[f"C{i:06d}" for i in rng.permutation(n)],
        when=pd.date_range("2024-03-01", periods=n, freq="h").strftime("%d/%m/%Y %H:%M"),
        note=[f"checked on visit {i}" for i in range(n)],
    )
    report, plain = run(extra), run(demo)
    assert set(report.excluded_columns) == {"ID", "code", "when", "note"}
    assert report.feature_columns == plain.feature_columns
    assert report.to_dict()["findings"] == plain.to_dict()["findings"]
    assert report.recommendation.method == plain.recommendation.method


def test_the_caller_frame_is_not_changed(tables):
    full, _, _, _ = tables
    before = full.copy(deep=True)
    run(full)
    pd.testing.assert_frame_equal(full, before)


# --- identifiers ----------------------------------------------------------------------------


def _labelled(n=200, seed=0, **columns) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n)})
    for name, values in columns.items():
        frame[name] = values
    frame["label"] = np.r_[np.zeros(n - n // 5, int), np.ones(n // 5, int)]
    return frame


def _kinds(frame):
    return check_inputs(frame, "label").kinds


@pytest.mark.parametrize("name", ["customer_id", "CustomerID", "ID", "user-key", "uuid", "id"])
def test_a_unique_integer_column_named_like_an_id_is_an_id(name):
    shuffled = np.random.default_rng(0).choice(10**9, 200, replace=False)  # no range rule
    kinds = _kinds(_labelled(**{name: shuffled}))
    assert kinds.excluded[name].endswith("and its name says so)")


@pytest.mark.parametrize("name", ["amount", "paid", "kid", "valid", "grid_x", "duration_s"])
def test_a_unique_integer_column_with_another_name_stays_a_feature(name):
    shuffled = np.random.default_rng(0).choice(10**9, 200, replace=False)
    kinds = _kinds(_labelled(**{name: shuffled}))
    assert name in kinds.numeric and name in kinds.integer and name not in kinds.excluded


def test_sequential_integers_are_an_id_whatever_their_name_and_order():
    rng = np.random.default_rng(0)
    kept_80_percent = np.sort(rng.choice(np.arange(1000, 1250), 200, replace=False))
    kinds = _kinds(
        _labelled(
            counter=np.arange(200),
            shuffled=rng.permutation(200) + 5_000,
            after_a_split=kept_80_percent,  # a training split of sequential ids: gaps
        )
    )
    assert {"counter", "shuffled", "after_a_split"} <= set(kinds.excluded)
    assert "filling the range 0 to 199" in kinds.excluded["counter"]


def test_integers_that_are_not_ids_stay_features():
    rng = np.random.default_rng(0)
    kinds = _kinds(
        _labelled(
            seconds=rng.integers(0, 86_400, 200),  # measured, mostly distinct, wide range
            count=rng.integers(0, 30, 200),  # repeats
            customer_id=rng.integers(0, 40, 200),  # named like an id, but repeats
            flag=rng.integers(0, 2, 200),  # 0/1: never an id
            fractions=rng.permutation(200) + 0.5,  # floats with a fraction are never ids
            flag_bool=rng.integers(0, 2, 200).astype(bool),  # booleans neither
        )
    )
    assert not kinds.excluded
    assert {"seconds", "count", "customer_id", "fractions"} <= set(kinds.numeric)


def test_an_id_read_as_floats_because_of_a_gap_is_an_id():
    """An id column with one missing value is float64 after read_csv: whole floats follow
    the integer rules."""
    ids = np.arange(1.0, 201.0)
    ids[17] = np.nan
    kinds = _kinds(_labelled(row_id=ids, client_id=np.random.default_rng(0).permutation(200) * 3.0))
    assert "filling the range 1 to 200" in kinds.excluded["row_id"]
    assert "its name says so" in kinds.excluded["client_id"]


def test_few_distinct_integers_are_not_an_id_by_their_range():
    kinds = check_inputs(
        pd.DataFrame({"visits": np.arange(12), "label": [0] * 8 + [1] * 4}), "label"
    ).kinds
    assert kinds.numeric == ("visits",)


def test_text_ids_and_uuids_are_ids():
    rng = np.random.default_rng(0)
    kinds = _kinds(
        _labelled(
            code=[f"K-{i:05d}" for i in rng.permutation(200)],
            ticket=[str(uuid.UUID(int=int(v))) for v in rng.integers(0, 2**63, 200)],
            repeated=[str(uuid.UUID(int=int(v))) for v in rng.integers(0, 2**63, 20)] * 10,
        )
    )
    assert kinds.excluded["code"] == "it looks like an identifier (200 distinct values in 200 rows)"
    assert kinds.excluded["ticket"].startswith("it looks like an identifier (uuid-like text")
    assert kinds.excluded["repeated"].startswith("it looks like an identifier (uuid-like")


def test_numbers_with_a_fraction_written_as_text_are_not_ids():
    prices = [f"{v:.6f}" for v in np.random.default_rng(0).uniform(1, 2, 200)]
    kinds = _kinds(_labelled(price=pd.Series(prices, dtype="str")))
    assert kinds.excluded["price"].startswith("it holds numbers written as text (200 distinct")
    assert kinds.excluded["price"].endswith("df['price'] = pd.to_numeric(df['price'])")


# --- dates written as text ----------------------------------------------------------------


@pytest.mark.parametrize(
    "fmt", ["%Y-%m-%d", "%m/%d/%Y %H:%M", "%H:%M:%S", "%d %b %Y", "%Y-%m-%dT%H:%M:%SZ", "%d.%m.%Y"]
)
def test_text_that_reads_as_dates_or_times_is_a_datetime_column(fmt):
    when = pd.date_range("2024-03-01 08:00", periods=200, freq="7h17min13s").strftime(fmt)
    kinds = _kinds(_labelled(when=list(when)))
    assert kinds.excluded["when"].startswith("it holds dates or times as text (e.g. ")
    assert kinds.excluded["when"].endswith("dates and times are not used in distances")


def test_a_few_dates_repeated_are_dates_and_a_placeholder_does_not_hide_them():
    days = [f"2024-03-{d:02d}" for d in range(1, 29)] + ["unknown"]
    kinds = _kinds(_labelled(day=(days * 7)[:200]))
    assert kinds.excluded["day"].startswith("it holds dates or times as text")


@pytest.mark.parametrize(
    "values",
    [
        ["red", "green", "blue", "May", "March"],  # words, month names among them
        ["20240301", "20240302", "20240303", "20240304"],  # numbers stored as text
        ["A-12", "B-07", "C-33", "A-13"],  # codes
        ["1.2.3", "1.2.4", "2.0.1", "2.1.0"],  # versions
        ["555-123-4567", "555-987-6543", "555-000-1111"],  # phone numbers
        ["13/25/2024", "14/26/2024", "15/27/2024"],  # date-shaped, but no such dates
    ],
    ids=["words", "numbers", "codes", "versions", "phones", "impossible"],
)
def test_text_that_is_not_dates_stays_a_category(values):
    kinds = _kinds(_labelled(code=(values * 70)[:200]))
    assert kinds.categorical == ("code",)


# --- free text and high cardinality --------------------------------------------------------


def test_categories_with_many_levels_stay_and_their_rare_levels_share_a_dimension():
    rng = np.random.default_rng(0)
    n = 2000
    frame = _labelled(
        n=n,
        at_limit=rng.choice([f"L{i}" for i in range(MAX_CATEGORY_LEVELS)], n),
        above=pd.Categorical(rng.choice([f"L{i}" for i in range(MAX_CATEGORY_LEVELS + 20)], n)),
    )
    assert _kinds(frame).categorical == ("at_limit", "above")
    report = run(frame, "label")
    # one dimension per level up to the limit; beyond it the rare levels share "<other>"
    dims = report.finding("high_dimensionality").evidence["n_dimensions"]
    assert dims == 2 + MAX_CATEGORY_LEVELS + (MAX_CATEGORY_LEVELS + 1)


def test_more_than_half_the_rows_distinct_is_too_many_levels_on_a_small_table():
    names = [f"name {i}" for i in range(31)] + ["name 0"] * 29  # 31 levels in 60 rows
    kinds = _kinds(_labelled(n=60, who=names))
    assert kinds.excluded["who"].startswith("it looks like free text with 31 distinct values")


# --- nothing left -----------------------------------------------------------------------------


def test_an_id_only_table_is_refused_naming_the_column_and_why():
    frame = pd.DataFrame({"customer_id": np.arange(1, 61), "label": [0] * 50 + [1] * 10})
    match = (
        r"^No usable feature column is left \('customer_id': it looks like an identifier \(60 "
        r"distinct whole numbers in 60 rows, filling the range 1 to 60\)\)\. Add numeric or "
        r"categorical features\.$"
    )
    with pytest.raises(InputError, match=match):
        run(frame, "label")


# --- resample: synthetic rows get no real id --------------------------------------------------


def test_synthetic_rows_get_a_missing_value_for_text_ids_dates_and_free_text(tables):
    full, _, _, _ = tables
    text = full.drop(columns=["row_id", "customer_id"])  # integer ids: see the next test
    result = resample(text, "status", method="smote_nc", random_state=0, verbose=0)
    synthetic = result.frame[result.is_synthetic]
    assert len(synthetic) > 0
    pd.testing.assert_frame_equal(result.frame[~result.is_synthetic], text)
    for name in ("order_uuid", "signed_up", "comment"):
        assert synthetic[name].isna().all(), name
    for name in ("shift", "region"):  # kept categories take their neighbours' levels
        assert not synthetic[name].isna().any(), name
        assert set(synthetic[name]) <= set(text[name])


@pytest.mark.parametrize("dtype", ["Int64", "int64"])
def test_synthetic_rows_get_no_real_integer_id(tables, dtype):
    full, _, _, _ = tables
    frame = full.astype({"row_id": dtype, "customer_id": dtype})
    result = resample(frame, "status", method="smote_nc", random_state=0, verbose=0)
    synthetic = result.frame[result.is_synthetic]
    assert len(synthetic) > 0
    for name in ("row_id", "customer_id"):
        assert synthetic[name].isna().all()
        assert not synthetic[name].isin(frame[name]).any()
        # numpy's int64 cannot be missing: the column is pandas' Int64, values unchanged
        assert str(result.frame[name].dtype) == "Int64"
        assert (result.frame.loc[~result.is_synthetic, name].to_numpy() == frame[name]).all()
    if dtype == "int64":
        assert any("nullable ['Int64']" in note for note in result.notes)
    others = [c for c in frame.columns if c not in ("row_id", "customer_id")]
    pd.testing.assert_frame_equal(result.frame.iloc[: len(frame)][others], frame[others])


def test_an_integer_array_with_a_column_left_out_comes_back_as_floats():
    rng = np.random.default_rng(0)
    n = 300
    X = np.c_[np.arange(n), rng.integers(0, 50, size=(n, 2))]  # an id, two counts
    y = np.r_[np.zeros(270, int), np.ones(30, int)]
    result = resample(X, y, method="smote", random_state=0, verbose=0)
    assert result.X.dtype == np.float64
    assert np.isnan(result.X[result.is_synthetic, 0]).all()
    assert (result.X[:n] == X).all()
    assert any("float64 (NaN there)" in note for note in result.notes)


# --- the facts merge exactly (dask partitions) ------------------------------------------------


def test_facts_of_row_blocks_merge_into_the_facts_of_the_whole_column():
    rng = np.random.default_rng(0)
    n = 3 * SKETCH_SIZE  # beyond the sketch: the count is an estimate, the same either way
    X = pd.DataFrame(
        {
            "id": rng.permutation(n),
            "code": pd.Series([f"C{i}" for i in rng.permutation(n)], dtype="str"),
            "city": rng.choice(["Lyon", "Oslo", "Quito"], n),
            "when": pd.date_range("2024-01-01", periods=n, freq="min").strftime("%Y-%m-%d %H:%M"),
            "x": rng.normal(size=n),
        }
    )
    whole = column_facts(X)
    for parts in (2, 7):
        bounds = np.linspace(0, n, parts + 1).astype(int)
        merged = merge_column_facts(
            [column_facts(X.iloc[lo:hi]) for lo, hi in zip(bounds[:-1], bounds[1:])]
        )
        for name in X.columns:
            a, b = whole[name], merged[name]
            assert a == b, name
            if a.hashes is None:
                assert b.hashes is None
            else:
                np.testing.assert_array_equal(a.hashes, b.hashes)
    assert whole["id"].distinct_estimated and not whole["city"].distinct_estimated
    assert abs(whole["id"].n_distinct / n - 1) < 0.05
    assert whole["city"].n_distinct == 3


def test_an_estimated_count_says_about():
    n = 2 * SKETCH_SIZE
    frame = pd.DataFrame({"a": np.random.default_rng(0).normal(size=n), "k": np.arange(n)})
    frame["label"] = np.r_[np.zeros(n - 100, int), np.ones(100, int)]
    assert (
        check_inputs(frame, "label")
        .kinds.excluded["k"]
        .startswith("it looks like an identifier (about ")
    )


# --- numbers in other clothes -----------------------------------------------------------------


def test_decimal_numbers_are_numbers_and_come_back_as_decimals():
    from decimal import Decimal

    rng = np.random.default_rng(0)
    frame = _labelled(n=300, price=[Decimal(f"{v:.2f}") for v in rng.normal(size=300)])
    report = run(frame, "label")
    assert "price" in report.feature_columns
    assert any("hold decimal numbers: they are used as floats" in n for n in report.notes)
    result = resample(frame, "label", method="smote", random_state=0, verbose=0)
    new = result.frame.loc[result.is_synthetic, "price"]
    assert all(isinstance(v, Decimal) and v.as_tuple().exponent == -2 for v in new)
    assert result.frame["price"].sum() is not None  # Decimals throughout: no Decimal + float


def test_interval_columns_are_left_out_with_the_fix():
    low = np.random.default_rng(0).integers(0, 50, 200).astype(float)
    frame = _labelled(n=200, band=pd.arrays.IntervalArray.from_arrays(low, low + 10))
    report = run(frame, "label")
    assert report.excluded_columns["band"].startswith("intervals are not used in distances")
    result = resample(frame, "label", method="smote", random_state=0, verbose=0)
    assert result.frame.loc[result.is_synthetic, "band"].isna().all()
