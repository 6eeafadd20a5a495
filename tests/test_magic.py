"""%smote_check in a real InteractiveShell: return values, the displayed report, -o, and
one-line errors without a traceback."""

import json

import pandas as pd
import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from smote_diag import DiagnosisReport, load_demo

from .refusal_cases import magic_shell


@pytest.fixture
def ip():
    yield magic_shell()  # df = load_demo(), numbers = [1, 2, 3]
    InteractiveShell.clear_instance()


def test_the_magic_returns_the_report_with_its_faces(ip):
    report = ip.run_line_magic("smote_check", "df status --seed 0")
    assert isinstance(report, DiagnosisReport)
    bundle = report._repr_mimebundle_()
    assert "Recommendation:" in bundle["text/html"] and "minority clustering" in bundle["text/html"]
    assert bundle["text/plain"].startswith("smote_diag diagnosis")


def test_assignment_from_the_magic(ip):
    ip.run_cell("r = %smote_check df status --projection none")
    assert isinstance(ip.user_ns["r"], DiagnosisReport)


def test_resample_puts_the_frame_in_the_notebook(ip):
    with capture_output() as shown:
        ip.run_line_magic("smote_check", "df status --resample -o df_res --projection none")
    out = ip.user_ns["df_res"]
    assert isinstance(out, pd.DataFrame) and list(out.columns) == list(load_demo().columns)
    assert len(out) == 2 * 3800  # balanced
    assert any("plain SMOTE would have put" in o.data.get("text/html", "") for o in shown.outputs)


def test_reports_are_written(ip, tmp_path):
    html, js = tmp_path / "r.html", tmp_path / "r.json"
    report = ip.run_line_magic(
        "smote_check", f"df status --projection none --html {html} --json {js}"
    )
    assert html.read_text().startswith("<!DOCTYPE html>") and js.read_text().startswith("{")
    assert report.source == "df"  # the report names the variable it diagnosed
    assert "smote_diag diagnosis of <code>df</code>" in html.read_text()
    assert json.loads(js.read_text())["source"] == "df"


def test_a_sampled_diagnosis(ip):
    report = ip.run_line_magic("smote_check", "df status --sample 1000 --projection none")
    assert report.n_rows == 1000


def test_users_see_the_error_and_no_traceback(ip):
    with capture_output() as shown:
        ip.run_cell("%smote_check df statsu")
    seen = shown.stdout + shown.stderr
    assert "UsageError: Target column 'statsu' is not in the DataFrame" in seen
    assert "Traceback" not in seen


def test_one_class_is_refused(ip):
    ip.user_ns["one"] = load_demo().query("status == 'normal'")
    with pytest.raises(UsageError, match="has one class \\('normal'\\)"):
        ip.run_line_magic("smote_check", "one status")


def test_help_comes_from_the_argument_parser():
    from smote_diag.magic import SmoteCheckMagics

    doc = SmoteCheckMagics.smote_check.__doc__
    assert "--resample" in doc and "-o OUT, --out OUT" in doc and "--sample N" in doc


def test_the_report_is_the_cells_value_and_shown_once(ip):
    with capture_output() as shown:
        ip.run_cell("%smote_check df status --projection none")
    assert shown.outputs == []  # not displayed by the magic itself...
    assert shown.stdout.count("smote_diag diagnosis") == 1  # ...but once, as Out[]


def test_the_projection_option_reaches_the_report_figure(ip):
    report = ip.run_line_magic("smote_check", "df status --projection none")
    assert "<img" not in report._repr_html_()
    shown = ip.run_line_magic("smote_check", "df status")
    assert "<img" in shown._repr_html_() and "PCA of the diagnosis" in shown._repr_html_()


def test_quoted_and_numbered_targets(ip, tmp_path):
    frame = load_demo().rename(columns={"status": "my label"})
    ip.user_ns["spaced"] = frame
    path = tmp_path / "my report.html"
    report = ip.run_line_magic("smote_check", f'spaced "my label" --html "{path}"')
    assert report.target == "my label" and path.exists()
    ip.user_ns["numbered"] = load_demo().set_axis([0, 1, 2, 3, 4], axis=1)
    assert ip.run_line_magic("smote_check", "numbered 4").target == 4


def test_the_dashboard_from_the_magic(ip):
    from smote_diag import Dashboard

    ip.run_cell("app = %smote_check df status --dashboard -k 6 --method smote --objective f1")
    app = ip.user_ns["app"]
    assert isinstance(app, Dashboard)
    assert app.settings["k_neighbors"] == 6 and app.settings["method"] == "smote"
    assert app.report.objective == "f1" and app.message.value == ""


def test_scaling_reaches_the_report_and_the_resampling(ip):
    report = ip.run_line_magic("smote_check", "df status --scaling robust --projection none")
    assert report.scaling == "robust" and report.recommendation.scaling == "robust"
    with capture_output():
        ip.run_line_magic(
            "smote_check", "df status --scaling none --resample -o res --projection none"
        )
    assert ip.user_ns["res"].shape[1] == load_demo().shape[1]


def test_evaluate_shows_the_table_and_its_figure(ip):
    with capture_output() as shown:
        ip.run_cell("%smote_check df status --evaluate --projection none --seed 0")
    evaluation = [
        o for o in shown.outputs if "smote_diag evaluation" in o.data.get("text/html", "")
    ]
    assert len(evaluation) == 1
    assert "data:image/png;base64," in evaluation[0].data["text/html"]


# A typo for each option of the magic that has choices, and the choice it should suggest.
CHOICE_TYPOS = {
    "--method": ("smot", "smote"),
    "--objective": ("balanced_acc", "balanced_accuracy"),
    "--projection": ("umpa", "umap"),
    "--scaling": ("robst", "robust"),
}


def _choice_options():
    from smote_diag.magic import SmoteCheckMagics

    parser = SmoteCheckMagics.smote_check.parser
    return {a.option_strings[-1]: a.choices for a in parser._actions if a.choices}


def test_every_option_with_choices_has_a_typo_case():
    assert set(_choice_options()) == set(CHOICE_TYPOS)


@pytest.mark.parametrize("option", sorted(CHOICE_TYPOS))
def test_a_mistyped_choice_says_did_you_mean(ip, option):
    typo, meant = CHOICE_TYPOS[option]
    with pytest.raises(UsageError) as refused:
        ip.run_line_magic("smote_check", f"df status {option} {typo}")
    message = str(refused.value)
    assert f"{option}: invalid choice: {typo!r}. Did you mean {meant!r}?" in message
    assert f"Choose one of {list(_choice_options()[option])}." in message


@pytest.mark.parametrize("option", sorted(CHOICE_TYPOS))
def test_each_choice_mistyped_anyhow_names_that_choice(ip, option):
    """The last letter wrong, or the case, in any choice: that choice is the suggestion
    (difflib's cutoff, as in the Python API, needs 3 letters for one to be wrong: 'fx' is
    not offered 'f1', only the choices)."""
    for choice in _choice_options()[option]:
        typos = [choice.upper()]
        if len(choice) >= 3:
            typos.append(choice[:-1] + ("x" if choice[-1] != "x" else "y"))
        for typo in typos:
            with pytest.raises(UsageError, match=f"Did you mean {choice!r}"):
                ip.run_line_magic("smote_check", f"df status {option} {typo}")


def test_a_choice_with_no_close_match_lists_the_choices(ip):
    with pytest.raises(UsageError) as refused:
        ip.run_line_magic("smote_check", "df status --scaling zscore")
    assert "Did you mean" not in str(refused.value)
    assert "invalid choice: 'zscore'. Choose one of ['standard', 'robust', 'none']." in str(
        refused.value
    )


def test_users_see_the_suggestion_in_one_line(ip):
    with capture_output() as shown:
        ip.run_cell("%smote_check df status --method smot")
    seen = shown.stdout + shown.stderr
    assert "UsageError: argument --method: invalid choice: 'smot'. Did you mean 'smote'?" in seen
    assert "Traceback" not in seen
