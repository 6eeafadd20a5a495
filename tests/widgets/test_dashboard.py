"""The dashboard driven from Python: set control values, click buttons, and check that the
views, the caches and the exported files follow."""

import base64
import html
import json
from html.parser import HTMLParser
from io import StringIO

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from smote_diag import InputError, dashboard, datasets, load_demo
from smote_diag.widgets import VIEWS, Dashboard


@pytest.fixture(scope="module")
def bridged():
    return datasets.make_bridged_groups(random_state=0)


@pytest.fixture(scope="module")
def flipped():
    return datasets.make_flipped_labels(random_state=0)


def _text(app, view):
    app.select(view)
    return " ".join(v.value for v in app.views[view].values() if isinstance(v.value, str))


def _tiny_minority():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(200, 3)), columns=["a", "b", "c"])
    frame["y"] = 0
    frame.loc[:5, "y"] = 1  # 6 minority rows
    return frame


def test_every_view_renders_and_the_verdict_names_the_advice(bridged):
    app = dashboard(bridged.frame, "label", random_state=0)
    assert isinstance(app, Dashboard) and app.message.value == ""
    assert "Recommendation: <code>cluster_smote</code>" in _text(app, "Verdict")
    for view in VIEWS:
        app.select(view)
        assert app.message.value == "", (view, app.message.value)
        if "image" in app.views[view]:
            assert app.views[view]["image"].value[:4] == b"\x89PNG", view
    assert "minority clustering" in _text(app, "Clusters")
    assert "plain SMOTE would have put" in _text(app, "Resample preview")
    bundle = app._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_controls_change_the_outputs(bridged):
    app = dashboard(bridged.frame, "label", random_state=0)
    assert "(objective: balanced accuracy)" in _text(app, "Verdict")
    app.select("Resample preview")
    assert app.result.method == "cluster_smote"
    advised = app.result.check().classes[0].majority_share
    app.objective.value = "f1"
    assert "(objective: f1)" in _text(app, "Verdict")
    app.select("Resample preview")
    assert app.result.method == app.report.recommendation.method  # the advice for f1
    app.objective.value = "balanced_accuracy"
    app.method.value = "smote"
    assert app.result.method == "smote"
    # plain SMOTE bridges the planted groups: far more points in majority territory
    assert app.result.check().classes[0].majority_share > advised + 0.2
    n_majority, n_minority = bridged.frame["label"].value_counts().sort_values().iloc[::-1]
    app.ratio.value = 0.5
    assert app.result.is_synthetic.sum() == int(0.5 * n_majority) - n_minority
    assert "sampling_strategy=0.5" in app.code()


def test_an_identical_request_hits_the_cache(bridged):
    app = dashboard(bridged.frame, "label", random_state=0)
    first = app.report
    assert (app.session.n_index_builds, app.session.n_diagnoses) == (1, 1)
    app.k_neighbors.value = 7
    assert (app.session.n_index_builds, app.session.n_diagnoses) == (1, 2)
    app.k_neighbors.value = 5  # the same request as the first
    assert app.report is first
    assert (app.session.n_index_builds, app.session.n_diagnoses) == (1, 2)
    app.objective.value = "average_precision"  # only the advice is re-derived
    assert app.session.n_diagnoses == 2 and app.report.findings is first.findings
    app.select("Clusters")
    projections = dict(first.plot_sample.projections)
    app.random_state.value = 1
    app.random_state.value = 0
    app.select("Clusters")
    assert first.plot_sample.projections[("pca", 0)] is projections[("pca", 0)]
    # seed 1 was diagnosed once; seed 0 came back from the cache with its plot sample
    assert app.session.n_diagnoses == 3
    assert app.report.plot_sample is first.plot_sample


def test_a_k_change_reuses_the_neighbour_index(bridged):
    from smote_diag import DiagnosisSession

    session = DiagnosisSession(bridged.frame, "label")
    session.diagnose(k_neighbors=5, random_state=0)
    index = session._rows[()].indexed
    queries, fits = index.graph.n_queries_, index.graph.n_within_fits_
    session.diagnose(k_neighbors=5, random_state=1)  # another seed: no new within-class fit
    assert index.graph.n_within_fits_ == fits
    session.diagnose(k_neighbors=7, random_state=0)
    assert index.graph.n_within_fits_ == fits + 1  # SMOTE's neighbourhoods for k=7
    assert session._rows[()].indexed is index and session.n_index_builds == 1
    assert index.graph.n_queries_ > queries  # only the probes of the new diagnosis


def test_bad_combinations_show_a_message_not_an_exception():
    app = dashboard(_tiny_minority(), "y", k_neighbors=3, random_state=0)
    app.select("Resample preview")
    app.method.value = "smote"
    app.k_neighbors.value = 10
    assert "needs at least 11" in app.message.value
    assert "k_neighbors=5 or method=&#x27;random_oversample&#x27;" in app.message.value
    assert app.k_neighbors.value == 10  # the control keeps the user's value
    app.k_neighbors.value = 3
    app.select("Resample preview")
    assert app.message.value == ""
    app.ratio.value = 0.5
    assert app.message.value == ""


def test_a_ratio_below_the_current_one_shows_a_message(flipped):
    app = dashboard(flipped.frame, "label", random_state=0)  # 227 minority, 2,000 majority
    app.select("Resample preview")
    app.method.value = "smote"
    app.ratio.value = 0.1
    assert "choose a sampling ratio above 0.11" in app.message.value
    app.ratio.value = 0.5
    assert app.message.value == "" and app.result.is_synthetic.sum() == 1000 - 227


def test_bad_initial_values_are_refused():
    frame = load_demo()
    with pytest.raises(InputError, match="k_neighbors must be an integer >= 1"):
        dashboard(frame, "status", k_neighbors=0)
    with pytest.raises(InputError, match="Did you mean 'smote'"):
        dashboard(frame, "status", method="smoet")
    with pytest.raises(InputError, match="Did you mean 'status'"):
        dashboard(frame, "stauts")


def test_noise_rows_can_be_excluded_and_restored(flipped):
    frame = flipped.frame
    before = frame.copy()
    app = dashboard(frame, "label", random_state=0)
    full = app.report
    app.select("Noise")
    offered = [value for _, value in app.noise_rows.options]
    planted = set(flipped.truth.noise_rows)
    assert len(planted & set(offered)) >= 0.8 * len(planted)  # the planted flips are offered
    app.exclude_button.click()  # nothing selected yet
    assert "Select suspect rows" in app.message.value and app.excluded == ()
    app.noise_rows.value = tuple(offered)
    app.exclude_button.click()
    assert app.excluded == tuple(offered)
    assert app.report.n_rows == len(frame) - len(offered)
    assert f"{len(offered):,} rows excluded" in app.excluded_label.value
    assert not app.restore_button.disabled
    remaining = app.report.finding("noise").evidence["n_noise"]
    assert remaining < full.finding("noise").evidence["n_noise"]
    assert "rows were left out on request" in app.report.notes[-1]
    assert "exclude=excluded" in app.code()
    app.restore_button.click()
    assert app.excluded == () and app.report is full and app.restore_button.disabled
    assert_frame_equal(frame, before)


def test_exports_write_what_the_dashboard_shows(bridged, tmp_path):
    frame = bridged.frame
    app = dashboard(frame, "label", random_state=0, k_neighbors=6)
    app.export_prefix.value = str(tmp_path / "out")
    paths = [app.export(kind) for kind in ("json", "html", "csv")]
    assert app.message.value == ""
    assert paths == [tmp_path / "out.json", tmp_path / "out.html", tmp_path / "out_resampled.csv"]
    written = json.loads((tmp_path / "out.json").read_text())
    assert written["parameters"]["k_neighbors"] == 6
    assert written["recommendation"]["method"] == app.report.recommendation.method
    assert "Recommendation:" in (tmp_path / "out.html").read_text()
    table = pd.read_csv(tmp_path / "out_resampled.csv", index_col=0)
    assert len(table) == len(app.result.frame)
    assert table["is_synthetic"].sum() == app.result.is_synthetic.sum()
    assert list(table.columns[:-1]) == list(frame.columns)
    assert "out_resampled.csv" in app.views["Export"]["written"].value
    assert "Reproduce these settings" in _text(app, "Export")


def test_the_code_snippet_reproduces_the_settings(flipped):
    frame = flipped.frame
    app = dashboard(frame, "label", random_state=0)
    app.k_neighbors.value = 4
    app.method.value = "smote"
    app.ratio.value = 0.6
    app.select("Noise")
    app.noise_rows.value = tuple(v for _, v in app.noise_rows.options[:3])
    app.exclude_button.click()
    app.select("Resample preview")
    namespace = {"df": frame.copy()}
    exec(app.code(), namespace)
    assert namespace["report"].recommendation.method == app.report.recommendation.method
    assert namespace["report"].n_rows == app.report.n_rows
    assert_frame_equal(namespace["result"].frame, app.result.frame)


def test_multi_class_shows_the_chosen_class():
    data = datasets.make_three_classes(random_state=0)
    app = dashboard(data.frame, data.target, random_state=0)
    labels = [value for _, value in app.minority_class.options]
    assert len(labels) == 2 and not app.minority_class.disabled
    shown = {}
    for label in labels:
        app.minority_class.value = label
        shown[label] = _text(app, "Clusters")
        assert f"<code>{label}</code>" in shown[label]
    assert shown[labels[0]] != shown[labels[1]]
    app.ratio.value = 0.5
    app.select("Resample preview")
    assert app.message.value == ""
    assert isinstance(app._sampler_params()["sampling_strategy"], dict)


def test_arrays_work_and_the_code_uses_x_and_y(bridged):
    X = bridged.frame.drop(columns="label").to_numpy()
    y = bridged.frame["label"].to_numpy()
    app = dashboard(X, y, random_state=0)
    app.select("Resample preview")
    assert app.message.value == "" and app.result.frame is None
    namespace = {"X": X.copy(), "y": y.copy()}
    exec(app.code(), namespace)
    assert np.array_equal(namespace["result"].X, app.result.X)


def _far_minority():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (300, 2)), rng.normal(20, 1, (30, 2))])
    frame = pd.DataFrame(X, columns=["a", "b"])
    frame["y"] = [0] * 300 + [1] * 30
    return frame


def test_a_sampler_refusing_the_data_is_a_message():
    app = dashboard(_far_minority(), "y", random_state=0)
    app.select("Resample preview")
    app.method.value = "adasyn"  # no minority row has a majority neighbour
    assert "method=&#x27;adasyn&#x27; cannot run on this data" in app.message.value


def test_an_exclusion_the_resample_refuses_still_shows_its_diagnosis():
    app = dashboard(_far_minority(), "y", random_state=0)
    app.select("Resample preview")
    app.method.value = "smote"
    app._set_excluded(tuple(range(300, 327)))  # 3 minority rows left: SMOTE's k=5 refuses
    assert app.excluded == tuple(range(300, 327)) and app.report.n_rows == 303
    assert "27 rows excluded" in app.excluded_label.value
    assert "has 3 rows but k_neighbors=5 needs at least 6" in app.message.value
    assert "exclude=excluded" in app.code()


def test_a_refused_exclusion_keeps_the_last_good_one():
    frame = _far_minority()
    app = dashboard(frame, "y", random_state=0)
    app._set_excluded(tuple(range(300, 330)))  # every minority row
    assert "Without the 30 excluded rows" in app.message.value
    assert app.excluded == () and app.report.n_rows == len(frame)
    assert "All 330 rows diagnosed" in app.excluded_label.value


def test_the_class_choice_offers_minority_classes_only():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(220, 2)), columns=["a", "b"])
    frame["y"] = ["a"] * 100 + ["b"] * 100 + ["c"] * 20  # 'b' ties the largest class
    app = dashboard(frame, "y", random_state=0)
    assert [v for _, v in app.minority_class.options] == ["c"]
    balanced = frame.iloc[:200]
    app = dashboard(balanced, "y", random_state=0)
    assert app.minority_class.options == () and app.minority_class.value is None
    for view in VIEWS:
        app.select(view)
        assert app.message.value == "", view


def test_the_method_menu_offers_what_can_be_previewed(bridged):
    """An ensemble method has no one resampled frame: the menu leaves it out, and asking
    for it says why."""
    from smote_diag import METHODS
    from smote_diag.recommend import ENSEMBLES

    app = Dashboard(bridged.frame, bridged.target)
    assert set(app.method.options) == {"auto"} | (set(METHODS) - set(ENSEMBLES))
    with pytest.raises(InputError, match="no one resampled frame"):
        Dashboard(bridged.frame, bridged.target, method="smote_bagging")


def test_the_ratio_reaches_smote_rus_as_its_own_two_ratios(flipped):
    """smote_rus has no sampling_strategy: the slider's minority : majority ratio is what its
    SMOTE and its undersampling leave, in the preview and in the exported code."""
    app = dashboard(flipped.frame, "label", random_state=0)  # 227 minority, 2,000 majority
    app.select("Resample preview")
    app.method.value = "smote_rus"
    app.ratio.value = 0.8
    assert app.message.value == ""
    kept = app.result.frame[~app.result.is_removed]["label"].value_counts()
    assert kept[1] == 1000 and kept[0] == 1250  # SMOTE to half the majority, then 1000 / 0.8
    assert "undersample_to=0.8" in app.code() and "sampling_strategy" not in app.code()


class _Page(HTMLParser):
    """The download links (download name -> href), the <pre> blocks' text and the buttons'
    attributes of a widget's HTML."""

    def __init__(self, text):
        super().__init__()
        self.links, self.pre, self.buttons, self._in = {}, [], [], None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "download" in attrs:
            self.links[attrs["download"]] = attrs["href"]
        elif tag == "pre":
            self.pre.append("")
            self._in = "pre"
        elif tag == "button":
            self.buttons.append(attrs)

    def handle_endtag(self, tag):
        if tag == "pre":
            self._in = None

    def handle_data(self, data):
        if self._in == "pre":
            self.pre[-1] += data


def _downloaded(href: str, mime: str) -> str:
    head, _, payload = href.partition(",")
    assert head == f"data:{mime};charset=utf-8;base64"
    return base64.b64decode(payload).decode("utf-8")


def test_the_export_view_offers_the_files_as_downloads(bridged):
    app = dashboard(bridged.frame, "label", random_state=0, k_neighbors=6)
    app.select("Export")
    assert app.message.value == ""
    links = _Page(app.views["Export"]["downloads"].value).links
    assert set(links) == {"smote_diag.html", "smote_diag.json"}  # no resample result yet
    page = _downloaded(links["smote_diag.html"], "text/html")
    assert page.startswith("<!DOCTYPE html>") and "Recommendation:" in page
    written = json.loads(_downloaded(links["smote_diag.json"], "application/json"))
    assert written["parameters"]["k_neighbors"] == 6
    assert written["recommendation"]["method"] == app.report.recommendation.method
    assert app.csv_button.layout.display is None  # offered instead of the CSV
    app.csv_button.click()
    assert app.message.value == "" and app.result is not None
    assert app.csv_button.layout.display == "none"
    links = _Page(app.views["Export"]["downloads"].value).links
    table = pd.read_csv(
        StringIO(_downloaded(links["smote_diag_resampled.csv"], "text/csv")), index_col=0
    )
    assert len(table) == len(app.result.frame)
    assert table["is_synthetic"].sum() == app.result.is_synthetic.sum()
    assert list(table.columns[:-1]) == list(bridged.frame.columns)
    assert app.views["Export"]["written"].value == ""  # nothing written on the server


def test_a_previewed_result_is_offered_and_the_prefix_names_the_downloads(bridged):
    app = dashboard(bridged.frame, "label", random_state=0)
    app.select("Resample preview")
    app.select("Export")
    reports = app._report_files
    assert "smote_diag_resampled.csv" in _Page(app.views["Export"]["downloads"].value).links
    app.export_prefix.value = "folder/churn "  # a download has no folder
    links = _Page(app.views["Export"]["downloads"].value).links
    assert set(links) == {"churn.html", "churn.json", "churn_resampled.csv"}
    app.method.value = "smote"  # a new result; the same report: its files are not remade
    app.select("Export")
    assert app._report_files is reports
    assert app.csv_button.layout.display is None and "churn.html" in (
        app.views["Export"]["downloads"].value
    )


def test_a_file_too_large_for_the_page_is_not_offered(bridged, monkeypatch):
    from smote_diag.widgets import _dashboard

    monkeypatch.setattr(_dashboard, "DOWNLOAD_MAX_BYTES", 50_000)  # the report is larger
    app = dashboard(bridged.frame, "label", random_state=0)
    app.select("Resample preview")
    app.select("Export")
    shown = app.views["Export"]["downloads"].value
    assert set(_Page(shown).links) == {"smote_diag.json"}
    assert "The HTML report is about" in shown and "too large to offer in the browser" in shown
    assert "use dashboard.report.to_html(path)" in shown
    assert "The resampled data (CSV) is about" in shown and "dashboard.export(&#x27;csv&#x27;)" in (
        shown
    )


def test_the_code_is_a_monospace_block_with_a_copy_button():
    frame = _tiny_minority().rename(columns={"y": "<b>y</b>"})
    app = dashboard(frame, "<b>y</b>", k_neighbors=3, random_state=0)
    app.select("Export")
    shown = app.views["Export"]["html"].value
    page = _Page(shown)
    from smote_diag.report import advice_snippet

    assert page.pre == [app.code(), advice_snippet(app.report)]  # whole, unescaped once
    assert "target=&#x27;&lt;b&gt;y&lt;/b&gt;&#x27;" in shown and "<b>y</b>" not in shown
    assert "<pre style=" in shown and "monospace" in shown and "line-height:1.4" in shown
    copy = [b for b in page.buttons if b.get("class") == "sd-copy"]
    assert len(copy) == 2 and all(b["type"] == "button" for b in copy)
    assert "navigator.clipboard.writeText" in copy[0]["onclick"]
    assert "execCommand('copy')" in copy[0]["onclick"]  # the fallback


def test_no_resampling_previews_the_real_points_and_why():
    app = dashboard(load_demo(), "status", random_state=0, method="no_resampling")
    app.select("Resample preview")
    assert app.message.value == ""
    preview = app.views["Resample preview"]
    assert preview["image"].value[:4] == b"\x89PNG" and preview["image"].layout.display is None
    assert "<table" not in preview["html"].value  # no empty check table
    assert "4,000 original rows, no synthetic rows." in preview["html"].value  # (the resample face)
    assert "Nothing was resampled: method='no_resampling' was asked for." in html.unescape(
        preview["html"].value
    )
    app.objective.value = "probability"
    app.method.value = "auto"  # the advice for calibrated probabilities: no resampling
    app.select("Resample preview")
    assert app.result.method == "no_resampling"
    assert app.result.reason.startswith("Nothing was resampled: ")
    assert app.result.reason in html.unescape(preview["html"].value)
    assert preview["image"].value[:4] == b"\x89PNG"


def test_a_cut_suspect_list_says_how_many_more(flipped, monkeypatch):
    from smote_diag.widgets import _dashboard

    monkeypatch.setattr(_dashboard, "NOISE_ROWS_LISTED", 5)
    app = dashboard(flipped.frame, "label", random_state=0)
    app.select("Noise")
    table = app.report.suspect_rows
    offered = int((table["cause"] != "rare").sum())
    assert len(app.noise_rows.options) == 5
    assert f"and {offered - 5:,} more" in app.noise_more.value


def test_the_export_view_writes_the_csv_once_per_result(bridged, monkeypatch):
    from smote_diag.widgets import _dashboard

    app = dashboard(bridged.frame, "label", random_state=0)
    app.select("Resample preview")
    written = []
    real = _dashboard._csv_file
    monkeypatch.setattr(_dashboard, "_csv_file", lambda r: written.append(r) or real(r))
    app.select("Export")
    app._render_export("Export")  # a redraw of the view (a control change does this)
    assert len(written) == 1 and written[0] is app.result
    assert "smote_diag_resampled.csv" in app.views["Export"]["downloads"].value
