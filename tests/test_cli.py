"""The command line's demo: the README's main job."""

import subprocess
import sys

from smote_diag import diagnose, load_demo
from smote_diag.cli import main


def test_demo_prints_the_report(capsys):
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "Recommendation: cluster_smote" in out
    assert "minority_clustering" in out and "noise" in out


def test_demo_reports_bad_input_in_one_line(capsys):
    assert main(["demo", "--neighbors", "0"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == "smote-diag: k_neighbors must be an integer >= 1, got 0."


def test_python_dash_m_runs_the_demo():
    out = subprocess.run(
        [sys.executable, "-m", "smote_diag", "demo"], capture_output=True, text=True, check=True
    )
    assert "Recommendation:" in out.stdout


def test_demo_data_shows_at_least_two_of_the_four_problems():
    report = diagnose(load_demo(), target="status", random_state=0, verbose=0)
    flagged = {f.kind for f in report.findings if f.severity != "ok"}
    four = {"minority_clustering", "noise", "overlap", "high_dimensionality"}
    assert len(flagged & four) >= 2, flagged
    assert report.finding("minority_clustering").severity != "ok"
    assert report.finding("noise").severity != "ok"
