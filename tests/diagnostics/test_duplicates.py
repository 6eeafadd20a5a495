"""Duplicates graded: copies planted in clean continuous tables, with the shares known by
construction, and the clean tables themselves as negative controls."""

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


def test_a_table_with_40_percent_duplicated_rows_is_severe(clean):
    # 1,100 rows and copies of 733 of them: 733 / 1,833 = 40% of the rows repeat one.
    copies = clean.iloc[:733]
    frame = pd.concat([clean, copies], ignore_index=True)
    finding = _run(frame).finding("duplicates")
    assert finding.severity == "severe"
    assert finding.evidence["n_duplicate_rows"] == 733
    assert finding.evidence["duplicate_share"] == pytest.approx(733 / 1833)
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
    assert e["by_class"][1] == {
        "n_rows": 200,
        "n_duplicate_rows": 100,
        "n_pairs": 200 * k,
        "n_zero_distance_pairs": 200,
        "zero_distance_pair_share": pytest.approx(1 / k),
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
