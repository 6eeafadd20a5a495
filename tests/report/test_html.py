"""The HTML and JSON faces of the report: content, escaping, self-containment."""

import json
from html.parser import HTMLParser

import pandas as pd
import pytest

from smote_diag import datasets, diagnose, resample
from smote_diag.diagnostics import KINDS


class Page(HTMLParser):
    """Tags with their attributes, and the text, of an HTML document."""

    def __init__(self, html: str):
        super().__init__()
        self.tags, self.text = [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def attrs(self, name):
        return [a[name] for _, a in self.tags if name in a]


@pytest.fixture(scope="module")
def report():
    return diagnose(datasets.load_demo(), target="status", random_state=0, verbose=0)


def test_standalone_html_has_the_verdict_every_finding_and_the_figure(report, tmp_path):
    path = tmp_path / "report.html"
    report.to_html(path)
    html = path.read_text()
    page = Page(html)
    text = " ".join(page.text)
    assert "Recommendation:" in text and report.recommendation.method in text
    for reason in report.recommendation.reasons:
        assert reason.replace("'", "&#39;") in html or reason in text
    kinds = [a["data-kind"] for tag, a in page.tags if tag == "tr" and "data-kind" in a]
    assert sorted(set(kinds)) == sorted(KINDS)
    images = [a["src"] for tag, a in page.tags if tag == "img"]
    assert len(images) == 1 and images[0].startswith("data:image/png;base64,")
    assert "smote_diag 0.1.0" in text and "4,000 rows" in text
    suspects = report.finding("noise").evidence["outlier_rows"]
    assert str(suspects[0]) in text  # the suspect rows table


def test_nothing_is_fetched_from_outside(report, tmp_path):
    path = tmp_path / "report.html"
    report.to_html(path)
    page = Page(path.read_text())
    for value in page.attrs("src") + page.attrs("href"):
        assert not value.startswith(("http", "//")), value
    assert not [tag for tag, _ in page.tags if tag == "link"]


def test_user_strings_are_escaped():
    data = datasets.make_compact_minority(random_state=0)
    frame = data.frame.assign(**{"<script>alert(1)</script>": ["a", "b"] * 550})
    frame["label"] = frame["label"].map({0: "<b>no</b>", 1: "<i>yes</i>"})
    html = diagnose(frame, target="label", random_state=0, verbose=0)._repr_mimebundle_()[
        "text/html"
    ]
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # named in a finding, escaped
    assert "<b>no</b>" not in html and "&lt;b&gt;no&lt;/b&gt;" in html
    scripts = [tag for tag, _ in Page(html).tags if tag == "script"]
    assert scripts == []  # the notebook fragment carries no script at all


def test_ids_differ_between_renders(report):
    first = Page(report._repr_mimebundle_()["text/html"]).attrs("id")
    second = Page(report._repr_mimebundle_()["text/html"]).attrs("id")
    assert first and not set(first) & set(second)


def test_json_round_trips_with_its_documented_keys(report, tmp_path):
    path = tmp_path / "report.json"
    report.to_json(path)
    data = json.loads(path.read_text())
    assert {
        "schema_version",
        "smote_diag_version",
        "generated_at",
        "target",
        "n_rows",
        "n_features",
        "class_counts",
        "majority_class",
        "minority_classes",
        "findings",
        "recommendation",
        "verification",
        "parameters",
        "scaling_description",
        "feature_columns",
        "excluded_columns",
        "notes",
        "source",
        "suspect_rows",
        "column_profile",
        "class_overview",
        "glossary",
    } == set(data)
    assert {"kind", "severity", "summary", "evidence", "rows", "minority_class", "figures"} == set(
        data["findings"][0]
    )
    assert data["recommendation"]["method"] == report.recommendation.method
    noise = next(f for f in data["findings"] if f["kind"] == "noise")
    assert len(noise["evidence"]["row_reasons"]) == len(noise["rows"])


def test_the_resample_result_shows_its_check_as_html():
    data = datasets.make_bridged_groups(random_state=0)
    result = resample(data.frame, "label", random_state=0, verbose=0)
    html = result._repr_mimebundle_()["text/html"]
    page = Page(html)
    assert "plain SMOTE would have put" in " ".join(page.text)
    assert any(a["src"].startswith("data:image/png") for t, a in page.tags if t == "img")


def test_a_sampled_diagnosis_says_so():
    data = datasets.make_flipped_labels(random_state=0)
    report = diagnose(data.frame, "label", sample=800, random_state=0, verbose=0)
    assert report.n_rows == 800
    note = next(n for n in report.notes if n.startswith("Diagnosed a stratified sample"))
    assert "800 of 2,227 rows" in note and "standard error" in note
    assert set(report.finding("noise").rows) <= set(data.frame.index)
    assert isinstance(report.to_dict()["notes"], list) and pd.notna(report.n_rows)


def test_a_dollar_in_a_label_is_drawn_as_typed():
    data = datasets.make_flipped_labels(random_state=0)
    frame = data.frame.assign(label=data.frame["label"].map({0: "ok", 1: "$\\fault$"}))
    html = diagnose(frame, target="label", random_state=0, verbose=0)._repr_html_()
    assert "<img" in html


@pytest.mark.parametrize("shape", ["frame", "arrays", "three_classes", "probability", "verified"])
def test_the_snippet_runs_as_printed(shape):
    from smote_diag.report import advice_snippet

    if shape == "frame":
        df = datasets.load_demo()
        report = diagnose(df, target="status", objective="f1", random_state=0, verbose=0)
        namespace = {"df": df}
    elif shape == "arrays":
        data = datasets.make_flipped_labels(random_state=0)
        X, y = data.X.to_numpy(), data.y.to_numpy()
        report = diagnose(X, y, objective="average_precision", random_state=0, verbose=0)
        namespace = {"X": X, "y": y}
    elif shape == "three_classes":
        df = datasets.make_three_classes(random_state=0).frame
        report = diagnose(df, target="label", objective="f1", random_state=0, verbose=0)
        namespace = {"df": df}
    else:
        from sklearn.linear_model import LogisticRegression

        df = datasets.load_demo()
        objective, verify = (
            ("probability", None) if shape == "probability" else ("f1", LogisticRegression())
        )
        report = diagnose(
            df, "status", objective=objective, verify=verify, random_state=0, verbose=0
        )
        namespace = {"df": df}
    snippet = advice_snippet(report)
    assert ("verify=" in snippet) == (shape == "verified")
    exec(snippet, namespace)
    scores = namespace["scores"]
    if shape == "probability":  # the negated Brier score
        assert len(scores) == 5 and all(-1 <= s < 0 for s in scores)
    else:
        assert len(scores) == 5 and all(0 <= s <= 1 for s in scores)
