"""Every refused input gets one clear sentence (or two: what is wrong, what to do) as
smote_diag's own error, and the documented table of refusals is what the cases produce."""

import pathlib

import pytest

from smote_diag import InputError, InputTypeError

from .refusal_cases import (
    CLI_REFUSALS,
    MAGIC_REFUSALS,
    REFUSALS,
    magic_shell,
    run_cli_refusal,
    run_magic_refusal,
)

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


@pytest.fixture(scope="module")
def shell():
    from IPython.core.interactiveshell import InteractiveShell

    yield magic_shell()
    InteractiveShell.clear_instance()


@pytest.mark.parametrize(("line", "expect"), MAGIC_REFUSALS)
def test_the_magic_refuses_in_one_line(shell, line, expect):
    message = run_magic_refusal(shell, line)
    assert expect in message and "\n" not in message


@pytest.mark.parametrize(("args", "expect"), CLI_REFUSALS)
def test_the_command_line_refuses_in_one_line_with_exit_code_2(tmp_path, args, expect):
    code, lines = run_cli_refusal(args, tmp_path)
    assert code == 2
    errors = [line for line in lines if line.startswith("smote-diag")]  # not the progress line
    assert len(errors) == 1 and errors[0] == lines[-1] and expect in errors[0]
    assert not any("Traceback" in line for line in lines)


def test_the_documented_table_is_generated_from_these_cases():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_refusals", ROOT / "docs/make_refusals.py")
    make_refusals = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_refusals)
    committed = (ROOT / "docs/refusals.md").read_text()
    assert committed == make_refusals.render(), "run: python docs/make_refusals.py"


def test_the_readme_counts_the_refusals_there_are():
    readme = (ROOT / "README.md").read_text()
    counts = (
        f"({len(REFUSALS)} calls, {len(MAGIC_REFUSALS)} `%smote_check` lines, "
        f"{len(CLI_REFUSALS)} command lines)"
    )
    assert counts in " ".join(readme.split()), counts
