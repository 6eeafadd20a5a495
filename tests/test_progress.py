"""Progress: tqdm.auto bars for the diagnosis and its neighbour queries; silent at verbose=0."""

import pytest

from smote_diag import _progress, datasets, diagnose


@pytest.fixture
def no_delay(monkeypatch):
    """Bars normally wait a second before they appear; these data take less."""
    monkeypatch.setattr(_progress, "PROGRESS_DELAY_SECONDS", 0.0)


def test_verbose_diagnosis_shows_the_steps_and_the_neighbour_queries(no_delay, capsys):
    data = datasets.make_bridged_groups(random_state=0)
    diagnose(data.frame, target="label", random_state=0, verbose=1)
    err = capsys.readouterr().err
    assert "diagnose" in err
    assert "neighbours" in err


def test_verbose_zero_is_silent(no_delay, capsys):
    data = datasets.make_bridged_groups(random_state=0)
    diagnose(data.frame, target="label", random_state=0, verbose=0)
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""
