"""One check that two diagnoses of the same rows agree: the advice, every finding's kind,
severity and rows, and its evidence (floats to a tolerance)."""

import pytest

# the label-noise EM stops at its tolerance
FITTED_TOLERANCE = {"noise_rate": 1e-4}


def assert_same_report(there: dict, here: dict, *, rel: float, abs: float) -> None:
    """``there`` and ``here`` are ``DiagnosisReport.to_dict()``s; floats agree to ``rel`` /
    ``abs`` (FITTED_TOLERANCE for the EM's figures)."""
    assert there["recommendation"] == here["recommendation"]
    for mine, theirs in zip(there["findings"], here["findings"], strict=True):
        assert (mine["kind"], mine["severity"], mine["rows"]) == (
            theirs["kind"],
            theirs["severity"],
            theirs["rows"],
        )
        for key, value in theirs["evidence"].items():
            if isinstance(value, float):
                tolerance = FITTED_TOLERANCE.get(key, rel)
                assert mine["evidence"][key] == pytest.approx(value, rel=tolerance, abs=abs), (
                    mine["kind"],
                    key,
                )
            else:
                assert mine["evidence"][key] == value, (mine["kind"], key)
