"""Duplicates graded: copies planted in clean continuous tables, with the shares known by
construction, and the clean tables themselves as negative controls; discrete tables, whose
rows repeat by chance, graded on the copies beyond chance."""

import numpy as np
import pandas as pd
import pytest

from smote_diag import datasets, diagnose
from smote_diag.diagnose import run_diagnosis
from smote_diag.diagnostics import thresholds as T
from smote_diag.diagnostics.facts import diagnose_duplicates


def _run(frame, target="label", **kwargs):
    return diagnose(frame, target, random_state=0, verbose=0, **kwargs)


@pytest.fixture(scope="module")
def clean():
    """1,000 + 100 rows of continuous Gaussian features: no two rows alike."""
    return datasets.make_compact_minority(random_state=0).frame


def test_a_clean_continuous_table_is_ok(clean):
    finding = _run(clean).finding("duplicates")
    assert finding.severity == "ok"
    assert finding.summary == "No row is an exact copy of another."
    e = finding.evidence
    assert e["n_duplicate_rows"] == e["n_minority_duplicate_rows"] == 0
    assert e["duplicate_share"] == e["minority_duplicate_share"] == 0.0
    assert e["zero_distance_pair_share"] == 0.0
    # continuous columns: no copy by chance
    assert e["chance_duplicate_share"] == e["chance_minority_duplicate_share"] == 0.0
    assert e["by_class"][1]["chance_zero_distance_pair_share"] == 0.0


def test_a_table_with_40_percent_duplicated_rows_is_severe(clean):
    # 1,100 rows and copies of 733 of them: 733 / 1,833 = 40% of the rows repeat one.
    copies = clean.iloc[:733]
    frame = pd.concat([clean, copies], ignore_index=True)
    finding = _run(frame).finding("duplicates")
    assert finding.severity == "severe"
    assert finding.evidence["n_duplicate_rows"] == 733
    assert finding.evidence["duplicate_share"] == pytest.approx(733 / 1833)
    assert finding.evidence["chance_duplicate_share"] == 0.0  # copies of continuous rows
    assert finding.evidence["excess_duplicate_share"] == pytest.approx(733 / 1833)
    n_minority_copies = int((copies["label"] == 1).sum())
    assert finding.evidence["n_minority_duplicate_rows"] == n_minority_copies
    assert finding.summary.startswith("733 rows (40% of all rows) repeat an earlier row exactly; ")


@pytest.mark.parametrize("k", [4, 5])
def test_every_minority_row_copied_once_pairs_one_neighbour_in_k_at_distance_zero(clean, k):
    # Each minority row's copy is its nearest classmate, at distance zero: 1 pair in k.
    minority = clean[clean["label"] == 1]
    frame = pd.concat([clean, minority], ignore_index=True)
    finding = _run(frame, k_neighbors=k).finding("duplicates")
    e = finding.evidence
    assert e["zero_distance_pair_share"] == pytest.approx(1 / k)
    # the chance figures are new keys: none of these copies is by chance (continuous columns)
    assert e["by_class"][1] == {
        "n_rows": 200,
        "n_duplicate_rows": 100,
        "chance_duplicate_share": 0.0,
        "n_pairs": 200 * k,
        "n_zero_distance_pairs": 200,
        "zero_distance_pair_share": pytest.approx(1 / k),
        "chance_zero_distance_pair_share": 0.0,
        "excess_zero_distance_pair_share": pytest.approx(1 / k),
    }
    assert e["minority_duplicate_share"] == pytest.approx(0.5)
    assert e["duplicate_share"] == pytest.approx(100 / 1200)
    assert finding.severity == "severe"  # half the minority are copies
    assert finding.summary == (
        "100 rows (8% of all rows) repeat an earlier row exactly; 50% of the minority's rows "
        f"are copies, and {1 / k:.0%} of plain SMOTE's neighbour pairs in class 1 join a row "
        "to its copy."
    )


def test_a_few_minority_copies_are_a_warning(clean):
    # 10 minority rows copied: 10 / 110 = 9% of the minority, 20 / 550 = 3.6% of the pairs,
    # 10 / 1,110 = 0.9% of all rows: the minority's share alone crosses the warning bar.
    minority = clean[clean["label"] == 1]
    frame = pd.concat([clean, minority.iloc[:10]], ignore_index=True)
    finding = _run(frame).finding("duplicates")
    e = finding.evidence
    assert e["minority_duplicate_share"] == pytest.approx(10 / 110)
    assert e["zero_distance_pair_share"] == pytest.approx(20 / 550)
    assert e["duplicate_share"] == pytest.approx(10 / 1110)
    assert T.DUPLICATE_WARN_SHARE <= 10 / 110 < T.DUPLICATE_SEVERE_SHARE
    assert finding.severity == "warning"


def test_majority_copies_alone_are_graded_on_the_whole_table(clean):
    # 100 majority rows copied: 100 / 1,200 = 8% of rows, no minority copy.
    frame = pd.concat([clean, clean[clean["label"] == 0].iloc[:100]], ignore_index=True)
    finding = _run(frame).finding("duplicates")
    assert finding.severity == "warning"
    assert finding.evidence["zero_distance_pair_share"] == 0.0
    assert finding.summary == (
        "100 rows (8% of all rows) repeat an earlier row exactly; none of the minority's rows "
        "is a copy."
    )


def test_duplicates_are_noted_under_the_advice_when_not_ok(clean):
    frame = pd.concat([clean, clean[clean["label"] == 0].iloc[:100]], ignore_index=True)
    report = _run(frame)
    summary = report.finding("duplicates").summary
    assert f"Also noted: {summary}" in report.recommendation.reasons
    assert not any("Also noted: No row" in r for r in _run(clean).recommendation.reasons)


def test_the_pair_share_names_the_worst_minority_class_and_reads_no_new_neighbours():
    data = datasets.make_three_classes(random_state=0)
    frame = data.frame
    frame = pd.concat([frame, frame[frame["label"] == "blob"]], ignore_index=True)
    report, ctx = run_diagnosis(
        frame,
        "label",
        objective="balanced_accuracy",
        k_neighbors=5,
        random_state=0,
        n_jobs=None,
        verbose=0,
    )
    finding = report.finding("duplicates")
    assert finding.evidence["by_class"]["blob"]["zero_distance_pair_share"] == pytest.approx(0.2)
    assert finding.evidence["by_class"]["groups"]["zero_distance_pair_share"] == 0.0
    assert "of the minority classes' rows are copies" in finding.summary
    assert "neighbour pairs in class 'blob' join a row to its copy" in finding.summary
    # the shared within-class neighbourhoods are read, not searched again
    fits, queries = ctx.graph.n_within_fits_, ctx.graph.n_queries_
    assert diagnose_duplicates(ctx) == finding
    assert (ctx.graph.n_within_fits_, ctx.graph.n_queries_) == (fits, queries)


def test_the_evidence_survives_json(clean):
    import json

    frame = pd.concat([clean, clean[clean["label"] == 1]], ignore_index=True)
    out = json.loads(json.dumps(_run(frame).finding("duplicates").to_dict()))
    assert out["evidence"]["by_class"]["1"]["n_zero_distance_pairs"] == 200
    assert "severe >= 20%" in out["evidence"]["rule"]


# --- discrete columns: copies by chance ---------------------------------------------------


def _categories(n=3000, levels=3, columns=4, random_state=0):
    """``columns`` uniform categories of ``levels`` levels; label 1 for about 10% of rows, at
    random (so rows of both classes share their features: label conflicts)."""
    rng = np.random.default_rng(random_state)
    letters = list("abcdefghij"[:levels])
    frame = pd.DataFrame({f"c{j}": rng.choice(letters, n) for j in range(columns)})
    frame["label"] = (rng.random(n) < 0.1).astype(int)
    return frame


def _survey(n=3000, random_state=0):
    """Three questions answered 1-5 (125 combinations) by 3,000 people."""
    rng = np.random.default_rng(random_state)
    frame = pd.DataFrame({f"q{j}": rng.integers(1, 6, n) for j in (1, 2, 3)})
    frame["label"] = (rng.random(n) < 0.1).astype(int)
    return frame


@pytest.mark.parametrize(
    "make, observed", [(_categories, 0.947), (_survey, 0.920)], ids=["categories", "survey"]
)
def test_rows_that_columns_with_few_values_repeat_by_chance_are_not_severe(make, observed):
    # four 3-level categories allow 81 rows, three 1-5 answers 125: nearly every row
    # repeats one by chance, and the copies are graded on what chance leaves over (none)
    finding = _run(make()).finding("duplicates")
    e = finding.evidence
    assert e["duplicate_share"] == pytest.approx(observed, abs=0.001)
    assert e["chance_duplicate_share"] == pytest.approx(observed, abs=0.01)
    assert e["excess_duplicate_share"] < T.DUPLICATE_WARN_SHARE
    assert e["excess_minority_duplicate_share"] < T.DUPLICATE_WARN_SHARE
    assert e["excess_zero_distance_pair_share"] < T.DUPLICATE_WARN_SHARE
    # a warning: random labels give label conflicts, and plain SMOTE would copy rows
    assert finding.severity == "warning"
    assert "; columns with few values make all of them expected by chance; " in finding.summary
    assert "expected by chance)" in finding.summary


def test_the_chance_share_is_what_drawing_the_rows_gives():
    # four uniform 3-level columns: 81 equally likely rows, 1 - 81 (1 - (80/81)^n) / n repeat
    # one; a row's k classmates share its combination E[min(Binomial(n - 1, 1/81), k)] times
    from scipy.stats import binom

    from smote_diag.diagnostics.facts import Combinations

    combinations = Combinations(3000)
    for _ in range(4):
        combinations.add(np.full(3, 1000))
    assert combinations.duplicate_share() == pytest.approx(
        1 - 81 * (1 - (80 / 81) ** 3000) / 3000, rel=1e-12
    )
    shared = sum(binom.sf(j, 2999, 1 / 81) for j in range(5))
    assert combinations.zero_distance_pair_share(5) == pytest.approx(shared / 5, rel=1e-12)
    # unequal frequencies, against a brute-force sum over the 3 x 4 x 5 combinations
    rng = np.random.default_rng(1)
    counts = [rng.integers(1, 40, m) for m in (3, 4, 5)]
    n = 60
    probabilities = [c / c.sum() for c in counts]
    p = np.einsum("i,j,k->ijk", *probabilities).ravel()
    combinations = Combinations(n)
    for q in probabilities:
        combinations.add(q * n)  # counts among n rows (fractional here: the formula is the same)
    assert combinations.duplicate_share() == pytest.approx(
        1 - (1 - (1 - p) ** n).sum() / n, rel=1e-9
    )


def test_merging_many_combinations_moves_the_share_by_less_than_its_bound(monkeypatch):
    from smote_diag.diagnostics.facts import Combinations

    rng = np.random.default_rng(3)
    columns = [rng.dirichlet(np.full(6, 0.7)) * 2000 for _ in range(10)]

    def share():
        combinations = Combinations(2000)
        for counts in columns:
            combinations.add(counts)
        return combinations.duplicate_share()

    exact = share()
    monkeypatch.setattr(T, "CHANCE_MAX_COMBINATIONS", 100)  # merge at every column
    assert share() == pytest.approx(exact, abs=10 * 2e-5)


def test_planted_copies_on_top_of_chance_are_still_graded():
    # six 5-level categories (15,625 combinations): 3,000 rows repeat one 7% of the time by
    # chance. Copies of 1,286 rows make 30% of the 4,286 rows planted copies on top.
    frame = _categories(levels=5, columns=6)
    clean = _run(frame).finding("duplicates")
    assert clean.evidence["chance_duplicate_share"] == pytest.approx(0.07, abs=0.01)
    assert clean.evidence["excess_duplicate_share"] < T.DUPLICATE_WARN_SHARE  # negative control
    copies = frame.sample(n=1286, random_state=1)
    planted = pd.concat([frame, copies], ignore_index=True)
    finding = _run(planted).finding("duplicates")
    e = finding.evidence
    assert e["excess_duplicate_share"] >= T.DUPLICATE_SEVERE_SHARE
    assert e["excess_minority_duplicate_share"] >= T.DUPLICATE_SEVERE_SHARE
    assert finding.severity == "severe"
    # fewer copies, 10% of the rows: a warning
    fewer = pd.concat([frame, frame.sample(n=333, random_state=1)], ignore_index=True)
    e = _run(fewer).finding("duplicates").evidence
    assert T.DUPLICATE_WARN_SHARE <= e["excess_duplicate_share"] < T.DUPLICATE_SEVERE_SHARE


def _separable_categories():
    """Four 3-level categories, label 1 exactly where c0 and c1 are "a" (1 row in 9): no
    label conflict, so only plain SMOTE's copies are left to grade."""
    frame = _categories()
    frame["label"] = ((frame["c0"] == "a") & (frame["c1"] == "a")).astype(int)
    return frame


def test_smote_copying_rows_by_chance_is_a_warning_not_severe():
    finding = _run(_separable_categories()).finding("duplicates")
    e = finding.evidence
    assert e["n_conflicting_rows"] == 0
    assert e["zero_distance_pair_share"] >= T.DUPLICATE_SEVERE_SHARE  # SMOTE would copy ...
    assert e["excess_zero_distance_pair_share"] < T.DUPLICATE_WARN_SHARE  # ... by chance
    assert e["excess_duplicate_share"] < T.DUPLICATE_WARN_SHARE
    assert finding.severity == "warning"


def test_the_cli_passes_such_a_table_at_fail_on_severe(tmp_path):
    from smote_diag.cli import main

    path = tmp_path / "categories.csv"
    _separable_categories().to_csv(path, index=False)
    assert main(["report", str(path), "--target", "label", "--fail-on", "severe"]) == 0


def test_a_one_hot_group_counts_as_one_column():
    frame = _separable_categories()
    onehot = pd.get_dummies(frame.drop(columns="label"), columns=["c0"]).astype(
        {"c0_a": int, "c0_b": int, "c0_c": int}
    )
    onehot["label"] = frame["label"]
    categories = _run(frame).finding("duplicates").evidence
    encoded = _run(onehot).finding("duplicates").evidence
    assert encoded["chance_duplicate_share"] == pytest.approx(categories["chance_duplicate_share"])


def test_a_mostly_distinct_whole_number_column_makes_copies_count_in_full():
    # an amount in cents (distinct per row) next to a category: no chance copies
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {"cents": rng.permutation(100_000)[:1000], "kind": rng.choice(list("ab"), 1000)}
    )
    frame["label"] = (rng.random(1000) < 0.1).astype(int)
    frame = pd.concat([frame, frame.iloc[:100]], ignore_index=True)
    e = _run(frame).finding("duplicates").evidence
    assert e["chance_duplicate_share"] == 0.0
    assert e["excess_duplicate_share"] == pytest.approx(100 / 1100)


def test_a_dask_frame_gets_the_same_chance_figures_where_its_facts_give_them():
    dd = pytest.importorskip("dask.dataframe")
    frame = _categories(n=2000)
    frame["flag"] = np.random.default_rng(1).random(2000) < 0.3  # a boolean column too
    in_memory = _run(frame).finding("duplicates")
    spread = _run(dd.from_pandas(frame, npartitions=3)).finding("duplicates")
    assert spread.severity == in_memory.severity == "warning"
    assert spread.summary == in_memory.summary
    for key, value in in_memory.evidence.items():
        if isinstance(value, float):
            assert spread.evidence[key] == pytest.approx(value, rel=1e-9, abs=1e-12), key
    # whole-number columns' per-class counts would need another pass over the rows
    survey = dd.from_pandas(_survey(n=2000), npartitions=3)
    finding = _run(survey).finding("duplicates")
    assert finding.evidence["chance_duplicate_share"] is None
    assert finding.evidence["excess_duplicate_share"] is None
    assert "the copies expected by chance were not estimated" in finding.summary


def test_rows_that_share_the_spaces_other_level_are_not_copies():
    """A 300-level category counts its rare levels together in the distance space, so such
    rows are close there; they are not copies, and SMOTE-NC does not copy them."""
    rng = np.random.default_rng(0)
    n = 3000
    frame = pd.DataFrame(
        {
            "city": rng.choice([f"c{i}" for i in range(300)], n),
            "f1": rng.integers(0, 2, n),
            "f2": rng.integers(0, 2, n),
            "label": (rng.random(n) < 0.1).astype(int),
        }
    )
    e = diagnose(frame, "label", random_state=0, verbose=0).finding("duplicates").evidence
    hashes = pd.util.hash_pandas_object(frame.drop(columns="label"), index=False)
    copies = hashes.duplicated(keep=False)[frame.label == 1].mean()
    assert e["zero_distance_pair_share"] <= copies  # only real copies pair at zero


def test_a_few_fractional_values_are_counted_like_categories():
    """A half-star rating (nine fractional values) next to three 1-5 answers: copies that the
    columns' values give by chance are expected, not graded."""
    rng = np.random.default_rng(0)
    n = 3000
    frame = pd.DataFrame({f"q{i}": rng.integers(1, 6, n) for i in range(3)})
    frame["stars"] = rng.choice(np.arange(1.0, 5.5, 0.5), n)
    frame["label"] = (rng.random(n) < 0.1).astype(int)
    f = diagnose(frame, "label", random_state=0, verbose=0).finding("duplicates")
    assert f.evidence["chance_duplicate_share"] > 0.3
    assert f.evidence["excess_duplicate_share"] < 0.05
    assert f.severity != "severe"
