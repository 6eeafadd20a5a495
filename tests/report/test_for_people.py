"""Reports written for people: one vocabulary with a glossary, the suspect rows with their
values, a per-class look at the columns, navigation, and sentences that are true on the data
that once made them false."""

import json
import re

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from smote_diag import datasets, diagnose
from smote_diag._format import listed
from smote_diag._vocabulary import FIGURES, GLOSSARY, UNITS, describe_figure
from smote_diag.cli import main
from smote_diag.diagnostics.tables import SUSPECT_COLUMNS_SHOWN
from smote_diag.exceptions import InputError

from .test_html import Page


@pytest.fixture(scope="module")
def flipped():
    """Planted label noise, rows named by text labels (a non-default index)."""
    data = datasets.make_flipped_labels(random_state=0)
    frame = data.frame.set_axis([f"r{i}" for i in data.frame.index])
    truth = {f"r{i}" for i in data.truth.noise_rows}
    return frame, truth, diagnose(frame, target="label", random_state=0, verbose=0)


@pytest.fixture(scope="module")
def planted_reports():
    cases = [
        datasets.make_bridged_groups(random_state=0),
        datasets.make_flipped_labels(random_state=0),
        datasets.make_mixed_types(random_state=0),
        datasets.make_high_dimensional(random_state=0),
        datasets.make_three_classes(random_state=0),
        datasets.make_noisy_subspace(random_state=0),
    ]
    return [diagnose(c.frame, target=c.target, random_state=0, verbose=0) for c in cases] + [
        diagnose(datasets.load_demo(), target="status", random_state=0, verbose=0)
    ]


# --- one vocabulary ----------------------------------------------------------------------


def test_every_figure_a_diagnostic_emits_has_a_label_and_a_unit(planted_reports):
    seen = set()
    for report in planted_reports:
        for f in report.findings:
            for figure in f.figures():
                seen.add(figure["key"])
                assert figure["key"] in FIGURES, f"{f.kind}.{figure['key']} has no label"
                assert figure["unit"] in UNITS
                assert figure["term"] is None or figure["term"] in GLOSSARY
    assert len(seen) > 60  # the check saw the diagnostics' figures, not a handful


def test_figures_are_written_in_their_units():
    assert describe_figure("smote_majority_share_from_noise", 0.475)["value"] == "47.5%"
    kappa = describe_figure("balanced_chance_corrected_purity", 0.17)
    assert kappa["value"] == "0.17" and "kappa; 0 = chance, 1 = perfect" in kappa["label"]
    assert describe_figure("n_missing_cells", 3)["label"] == "missing or infinite values"
    assert describe_figure("n_groups", 3)["value"] == "3"
    assert describe_figure("neighbours_wrong_lens", False)["value"] == "no"


def test_the_html_links_each_term_to_its_glossary_entry(flipped, tmp_path):
    _, _, report = flipped
    path = tmp_path / "report.html"
    report.to_html(path)
    page = Page(path.read_text())
    ids = set(page.attrs("id"))
    terms = [a for tag, a in page.tags if tag == "a" and "sd-term" in a.get("class", "")]
    assert terms and all(a["href"][1:] in ids for a in terms)
    assert all(a["title"] in GLOSSARY.values() for a in terms)  # the tooltip is the definition
    # the raw key names of the old report are gone: "smote majority share from noise 0.475"
    assert "smote majority share" not in path.read_text()
    assert set(report.glossary) <= set(json.loads(json.dumps(report.to_dict()))["glossary"])


def test_the_text_report_defines_the_terms_it_uses(flipped):
    _, _, report = flipped
    text = str(report)
    terms = text.split("\nTerms:\n")[1]
    assert "label noise: " in terms and GLOSSARY["label noise"][:40] in terms.replace("\n    ", " ")


# --- suspect rows with their values ------------------------------------------------------


def test_suspect_rows_are_the_planted_noise_with_their_values(flipped):
    frame, truth, report = flipped
    table = report.suspect_rows
    noise = table[table["cause"] == "label_noise"]
    found = set(noise["row"])
    precision, recall = len(found & truth) / len(found), len(found & truth) / len(truth)
    assert precision >= 0.8 and recall >= 0.8
    values = table.set_index("row")[["x0", "x1"]]
    assert_frame_equal(values, frame.loc[values.index, ["x0", "x1"]], check_names=False)
    assert (noise["p_label_wrong"] > 0.5).all()
    # planted deep inside the majority: their nearest rows are all of class 0
    assert (noise["nearest_classes"] == "0 ×5").mean() > 0.8
    assert not table["reason"].str.startswith("label_noise:").any()  # the cause is its column


def test_the_json_and_the_html_carry_the_suspect_rows(flipped, tmp_path):
    _, _, report = flipped
    path = tmp_path / "report.json"
    report.to_json(path)
    rows = json.loads(path.read_text())["suspect_rows"]
    assert [r["row"] for r in rows] == list(report.suspect_rows["row"])
    assert {"x0", "x1", "reason", "cause", "nearest_classes"} <= set(rows[0])
    html = report._repr_html_()
    table = html.split('class="sd-data sd-suspects"')[1].split("</table>")[0]
    first = report.suspect_rows.iloc[0]
    assert f"<td>{first['row']}</td>" in table and f"<td>{first['x0']:.4g}</td>" in table
    assert "<td>label noise (suspect)</td>" in table  # the cause in words


def test_wide_data_shows_the_columns_that_tell_the_classes_apart():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(600, 30)), columns=[f"c{i}" for i in range(30)])
    y = np.r_[np.zeros(540, int), np.ones(60, int)]
    frame["c7"] += 3 * y  # the one column that separates the classes
    frame["label"] = y
    report = diagnose(frame, target="label", random_state=0, verbose=0)
    assert report.column_profile["column"].iloc[0] == "c7"
    assert report.column_profile["difference"].iloc[0] > 0.8
    values = list(report.suspect_rows.columns[6:])  # after row ... nearest_classes
    assert len(values) == SUSPECT_COLUMNS_SHOWN and values[0] == "c7"


# --- a per-class look at the columns ------------------------------------------------------


def test_the_column_profile_reads_each_class(tmp_path):
    data = datasets.make_mixed_types(random_state=0)
    frame = data.frame.copy()
    frame.loc[frame.index[:7], "x0"] = np.nan  # majority rows
    frame.loc[frame.index[-3:], "x0"] = np.nan  # minority rows
    report = diagnose(frame, target="label", random_state=0, verbose=0)
    profile = report.column_profile.set_index(["column", "class"])
    assert profile.loc[("x0", 0), "n_missing"] == 7 and profile.loc[("x0", 1), "n_missing"] == 3
    minority = frame[frame["label"] == 1]["x0"].dropna()
    assert profile.loc[("x0", 1), "median"] == pytest.approx(minority.median())
    assert profile.loc[("city", 1), "top"] in ("Lyon", "Porto")
    assert profile.loc[("city", 1), "n_levels"] == 2
    assert profile.loc[("plan", 0), "kind"] == "category"
    overview = report.class_overview.set_index("class")
    assert overview.loc[1, "n_rows_missing"] == 3 and overview.loc[0, "n_rows_missing"] == 7
    html = report._repr_html_()
    assert "Columns by class" in html and "Kolmogorov-Smirnov" in html
    assert not any("sample" in n for n in report.notes)  # every row read


def test_a_large_class_is_profiled_on_a_sample_and_counted_whole():
    rng = np.random.default_rng(0)
    n = 12_000
    frame = pd.DataFrame({"a": rng.normal(size=n + 300), "b": rng.normal(size=n + 300)})
    frame["label"] = np.r_[np.zeros(n, int), np.ones(300, int)]
    frame.loc[frame.index[:1200], "a"] = np.nan  # majority rows
    frame.loc[frame.index[-1], "b"] = np.inf  # a minority row
    report = diagnose(frame, target="label", random_state=0, verbose=0)
    profile = report.column_profile.set_index(["column", "class"])
    assert profile.loc[("a", 0), "n_missing"] == 1200  # every row, not the sample's
    assert profile.loc[("a", 0), "n_rows_read"] == 5000
    assert profile.loc[("b", 1), "n_missing"] == 1  # infinite counts as missing
    assert report.class_overview.set_index("class").loc[1, "n_rows_missing"] == 1
    assert any("random sample of 5,000 of their rows" in n for n in report.notes)


def test_feature_names_that_are_table_fields_keep_their_values(flipped):
    frame, _, _ = flipped
    renamed = frame.rename(columns={"x0": "reason", "x1": "class"})
    report = diagnose(renamed, target="label", random_state=0, verbose=0)
    table = report.suspect_rows
    assert {"reason (value)", "class (value)"} <= set(table.columns)
    assert table["reason"].str.contains("nearest rows").all()
    first = table.iloc[0]
    assert first["reason (value)"] == renamed.loc[first["row"], "reason"]


def test_columns_left_out_are_listed_with_the_reason():
    data = datasets.make_compact_minority(random_state=0)
    frame = data.frame.assign(constant=1.0)
    report = diagnose(frame, target="label", random_state=0, verbose=0)
    html = report._repr_html_()
    assert "Columns left out of the diagnosis" in html and "<code>constant</code>" in html


# --- navigation ---------------------------------------------------------------------------


def test_the_standalone_report_has_contents_and_names_its_source(tmp_path):
    path = tmp_path / "demo.csv"
    datasets.load_demo().to_csv(path, index=False)
    html_path = tmp_path / "report.html"
    assert main(["report", str(path), "--target", "status", "-o", str(html_path)]) == 0
    page = Page(html_path.read_text())
    ids = set(page.attrs("id"))
    links = [a["href"] for tag, a in page.tags if tag == "a" and a.get("href", "").startswith("#")]
    contents = html_path.read_text().split('<nav class="sd-toc"')[1].split("</nav>")[0]
    assert contents.count("<li>") >= 6
    assert all(link[1:] in ids for link in links)
    assert f"of <code>{path}</code>" in html_path.read_text()
    assert "4,000 rows × 4 feature columns" in html_path.read_text()


# --- sentences that are true ----------------------------------------------------------------


def eleven_categorical_columns():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {f"cat{i}": rng.choice(["a", "b", "c"], 400).astype(object) for i in range(11)}
    )
    frame["x"] = rng.normal(size=400)
    frame["label"] = np.r_[np.zeros(360, int), np.ones(40, int)]
    frame.loc[frame["label"] == 1, "x"] += 3
    return frame


def test_a_cut_list_says_how_many_more():
    report = diagnose(eleven_categorical_columns(), target="label", random_state=0, verbose=0)
    summary = report.finding("categorical_features").summary
    assert "11 text/category columns" in summary and "'cat9'] and 1 more" in summary
    assert report.finding("categorical_features").evidence["categorical_columns"][-1] == "cat10"
    assert any("and 1 more" in r for r in report.recommendation.reasons)
    assert listed(range(3)) == "[0, 1, 2]"


def test_a_misspelt_target_on_a_wide_frame_names_the_last_column():
    frame = pd.DataFrame(np.zeros((4, 42)), columns=[f"Atr-{i}" for i in range(41)] + ["Class"])
    with pytest.raises(InputError, match=r"and 32 more \(the last is 'Class'\)"):
        diagnose(frame, target="target")
    with pytest.raises(InputError, match="Did you mean 'Class'"):
        diagnose(frame, target="CLASS")


def test_no_resampling_with_categories_does_not_say_after_resampling():
    data = datasets.make_mixed_types(random_state=0)
    report = diagnose(
        data.frame, target="label", objective="probability", random_state=0, verbose=0
    )
    rec = report.recommendation
    assert rec.method == "no_resampling"
    text = " ".join(rec.reasons)
    assert (
        "after resampling" not in text and "one-hot encodes the categorical columns before" in text
    )
    html = report._repr_html_()
    assert "# no sampler (no_resampling)" in html and "it runs inside fit" not in html


def test_the_oversampling_check_says_when_its_segment_test_did_not_run():
    report = diagnose(eleven_categorical_columns(), target="label", random_state=0, verbose=0)
    summary = report.finding("preresampled").summary
    assert "does not look oversampled" not in summary
    assert "SMOTE's segments were not tested" in summary and "the data has 1" in summary


def test_heavy_overlap_does_not_say_smote_fills_it_when_its_points_stay_home():
    from smote_diag.diagnostics import Finding
    from smote_diag.recommend import RuleInput, _heavy_overlap

    def advice(local, total=None):
        evidence = {
            "smote_majority_share": local if total is None else total,
            "smote_majority_share_local": local,
            "balanced_chance_corrected_purity": 0.1,
        }
        finding = Finding("overlap", "severe", "", evidence, minority_class=1)
        size = Finding("imbalance", "severe", "", {"n_minority": 100}, minority_class=1)
        inp = RuleInput({1: {"overlap": finding, "imbalance": size}}, {}, "balanced_accuracy")
        return _heavy_overlap(inp, ("severe",))[1]

    assert "filling the overlap" in advice(0.4)
    home = advice(0.0)
    assert "only 0% of its points" in home and "fill" not in home
    assert "kappa: 0 = chance, 1 = perfect, below 0 worse than chance" in home
    # landing from noise rows and cross-group pairs is not the overlap's doing
    assert "only 1% of its points" in advice(0.01, total=0.5)


def test_fail_on_names_the_findings_that_tripped_it(tmp_path, capsys):
    path = tmp_path / "demo.csv"
    datasets.load_demo().to_csv(path, index=False)
    assert main(["report", str(path), "--target", "status", "--fail-on", "warning"]) == 1
    err = capsys.readouterr().err
    line = next(line for line in err.splitlines() if "--fail-on" in line)
    assert "minority_clustering ['fault'] (warning)" in line
    assert "imbalance" not in line  # the premise, not a finding that trips the gate


def test_a_class_forming_one_group_is_not_one_groups():
    from smote_diag import plot_diagnosis

    data = datasets.make_compact_minority(random_state=0)
    report = diagnose(data.frame, target=data.target, random_state=0, verbose=0)
    assert report.finding("minority_clustering").evidence["n_groups"] == 1
    fig = plot_diagnosis(report, panels=["groups"], random_state=0)
    texts = [
        t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()
    ]
    assert any(re.search(r"\b1 group\b", t) for t in texts)
    assert not any(re.search(r"\b1 groups\b", t) for t in texts)


def test_a_no_resampling_preview_shows_the_real_points_and_why():
    from smote_diag import resample

    data = datasets.make_compact_minority(random_state=0)
    result = resample(data.frame, data.target, method="no_resampling", random_state=0)
    html = result._repr_html_()
    assert "<img" in html and "data:image/png;base64," in html
    fig = result.plot(random_state=0)
    legend = fig.axes[0].get_legend()
    words = legend.get_title().get_text() + " ".join(t.get_text() for t in legend.get_texts())
    assert result.reason.split(":")[0][:30] in " ".join(words.split())


def test_the_overlap_sentence_names_its_kappa(flipped):
    _, _, report = flipped
    summary = report.finding("overlap").summary
    assert re.search(r"agree on the class \d\.\d\d beyond chance \(kappa: 0 = chance", summary)


def test_the_notebook_html_sorts_and_copies_without_a_script(flipped):
    _, _, report = flipped
    page = Page(report._repr_html_())
    assert not [tag for tag, _ in page.tags if tag == "script"]  # innerHTML never runs them
    headers = [a for tag, a in page.tags if tag == "th" and "onclick" in a]
    copy = [a for tag, a in page.tags if tag == "button" and "sd-copy" in a.get("class", "")]
    assert headers and copy and "navigator.clipboard" in copy[0]["onclick"]


def test_one_suspect_row_is_one_row():
    data = datasets.make_flipped_labels(noise_share=0.005, random_state=0)
    summary = diagnose(data.frame, "label", random_state=0, verbose=0).finding("noise").summary
    assert summary.startswith("1 row of class 1 (")
    assert "is the likeliest" in summary and "seed synthetic points from it." in summary
