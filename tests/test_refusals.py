"""Every refused input gets one clear sentence (or two: what is wrong, what to do) as
smote_diag's own error, and the documented table of refusals is what the cases produce."""

import pathlib

import pytest

from smote_diag import InputError, InputTypeError

from .refusal_cases import REFUSALS

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("case", REFUSALS, ids=[r.what for r in REFUSALS])
def test_the_input_is_refused_with_a_clear_message(case):
    with pytest.raises((InputError, InputTypeError)) as caught:
        case.call()
    message = str(caught.value)
    assert case.expect in message
    assert "\n" not in message and "Traceback" not in message
    assert message[-1] in ".?)", message
    assert isinstance(caught.value, (ValueError, TypeError))


def test_the_documented_table_is_generated_from_these_cases():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_refusals", ROOT / "docs/make_refusals.py")
    make_refusals = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_refusals)
    committed = (ROOT / "docs/refusals.md").read_text()
    assert committed == make_refusals.render(), "run: python docs/make_refusals.py"
