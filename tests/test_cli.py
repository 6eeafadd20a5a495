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


def test_demo_data_shows_its_pockets_and_its_lone_faults():
    report = diagnose(load_demo(), target="status", random_state=0, verbose=0)
    assert report.finding("minority_clustering").severity != "ok"  # sixty small pockets
    # the normal readings logged as faults stand alone among normal ones: outliers, which
    # the data cannot tell from one-reading pockets, so not graded as label noise
    noise = report.finding("noise")
    assert 15 <= noise.evidence["n_outlier"] <= 25
    assert "outlier" in noise.summary


def _csv(tmp_path, frame=None):
    path = tmp_path / "data.csv"
    (load_demo() if frame is None else frame).to_csv(path, index=False)
    return path


def test_report_writes_html_and_json_and_prints_the_verdict(tmp_path, capsys):
    import json

    html, out = tmp_path / "r.html", tmp_path / "r.json"
    assert (
        main(
            [
                "report",
                str(_csv(tmp_path)),
                "--target",
                "status",
                "-o",
                str(html),
                "--json",
                str(out),
            ]
        )
        == 0
    )
    assert "Recommendation: cluster_smote" in capsys.readouterr().out
    assert html.read_text().startswith("<!DOCTYPE html>")
    data = json.loads(out.read_text())
    assert data["recommendation"]["method"] == "cluster_smote"
    assert {"schema_version", "findings", "recommendation"} <= set(data)


def test_fail_on_sets_the_exit_code(tmp_path):
    path = str(_csv(tmp_path))
    # the demo has warnings (clustering, noise, overlap) but nothing severe besides imbalance
    assert main(["report", path, "--target", "status", "--fail-on", "severe"]) == 0
    assert main(["report", path, "--target", "status", "--fail-on", "warning"]) == 1
    assert main(["report", path, "--target", "status"]) == 0


def test_bad_paths_and_columns_are_one_line_errors(tmp_path, capsys):
    assert main(["report", str(tmp_path / "nope.csv"), "--target", "status"]) == 2
    assert main(["report", str(_csv(tmp_path)), "--target", "statsu"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert "smote-diag: No file at" in err[0]
    assert err[-1] == (
        "smote-diag: Target column 'statsu' is not in the DataFrame. Did you mean 'status'?"
    )
    assert main(["report", str(_csv(tmp_path)), "--target", "status", "--fail-on", "bad"]) == 2


def test_parquet_needs_pyarrow(tmp_path, capsys):
    import importlib.util

    path = tmp_path / "data.parquet"
    if importlib.util.find_spec("pyarrow") is None:
        path.write_bytes(b"PAR1")
        assert main(["report", str(path), "--target", "status"]) == 2
        assert "needs pyarrow" in capsys.readouterr().err
    else:
        load_demo().to_parquet(path)
        assert main(["report", str(path), "--target", "status"]) == 0


def test_a_negative_seed_is_bad_input(tmp_path, capsys):
    assert main(["report", str(_csv(tmp_path)), "--target", "status", "--seed", "-1"]) == 2
    assert "random_state must be None" in capsys.readouterr().err


def test_an_unreadable_path_is_bad_input(tmp_path, capsys):
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    assert main(["report", str(folder), "--target", "status"]) == 2


def test_an_internal_error_is_not_a_data_quality_verdict(tmp_path, capsys, monkeypatch):
    import smote_diag

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(smote_diag, "diagnose", broken)
    assert main(["report", str(_csv(tmp_path)), "--target", "status"]) == 3
    assert "internal error, please report it: RuntimeError: a bug" in capsys.readouterr().err


def test_scaling_is_a_flag_and_stated_in_the_report(capsys):
    assert main(["demo", "--scaling", "robust"]) == 0
    out = capsys.readouterr().out
    assert "Distances: scaling robust" in out and "interquartile range" in out
