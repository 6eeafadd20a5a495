"""The rows protocol (``_rows``): the core reads rows only through it, so a backend that
hands its rows out block by block gives the report of the same rows in memory, and the
core's modules never name a backend."""

import ast
import pathlib
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from smote_diag import datasets, load_demo
from smote_diag._rowfacts import merge_row_facts, row_facts
from smote_diag._rows import FrameRows, ScaledRows, backend_of
from smote_diag._validation import check_inputs
from smote_diag.diagnose import diagnose_checked
from smote_diag.exceptions import InputTypeError
from tests.same_report import assert_same_report

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "smote_diag"


class BlockRows:
    """A third backend for the test: the rows are here, but the core may read them only
    block by block, as it reads rows kept elsewhere (every whole-data figure merged from
    the blocks, every neighbour query merged from each block's nearest)."""

    in_memory = False

    def __init__(self, frame: pd.DataFrame, n_blocks: int):
        edges = np.linspace(0, len(frame), n_blocks + 1).astype(int)
        self.blocks = [frame.iloc[a:b] for a, b in zip(edges[:-1], edges[1:])]
        self.starts = edges[:-1]
        self.n_rows = len(frame)
        self.n_maps = 0

    def map(self, func, *args):
        self.n_maps += 1
        return [func(block, *args) for block in self.blocks]

    def take(self, rows, func=None):
        rows = np.asarray(rows, dtype=np.int64)
        block = np.searchsorted(self.starts, rows, side="right") - 1
        pieces = [self.blocks[b].iloc[[r - self.starts[b]]] for r, b in zip(rows, block)]
        taken = pd.concat(pieces) if pieces else self.blocks[0].iloc[:0]
        return taken if func is None else func(taken)

    def feature_values(self, columns, rows=None):
        def values(part):
            return part[list(columns)].to_numpy(dtype=float, na_value=np.nan)

        return np.concatenate(self.map(values)) if rows is None else self.take(rows, values)

    def row_facts(self, kinds):
        return merge_row_facts(self.map(row_facts, kinds))

    def scaled(self, transform, n_dims):
        return ScaledRows(self, transform, n_dims)


def _diagnosis(checked):
    report, _ = diagnose_checked(
        checked, objective="balanced_accuracy", k_neighbors=5, random_state=0, verbose=0
    )
    return report.to_dict()


@pytest.mark.parametrize(
    "make",
    [
        lambda: datasets.make_bridged_groups(random_state=0).frame,
        lambda: datasets.make_flipped_labels(random_state=0).frame,
        lambda: datasets.make_three_classes(random_state=0).frame,
    ],
    ids=["bridged groups", "flipped labels", "three classes"],
)
def test_rows_read_block_by_block_give_the_report_of_the_rows_in_memory(make):
    checked = check_inputs(make(), "label")
    blocks = BlockRows(checked.X, 4)
    elsewhere = replace(checked, X=checked.X.iloc[:0], source=blocks)
    assert isinstance(checked.rows, FrameRows) and elsewhere.rows is blocks
    here, there = _diagnosis(checked), _diagnosis(elsewhere)
    assert blocks.n_maps > 0  # the core did read the blocks
    assert_same_report(there, here, rel=1e-9, abs=1e-12)


def test_block_queries_merge_into_the_exact_nearest_rows():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(300, 4)))
    frame.iloc[150] = frame.iloc[20]  # a tie across blocks: broken by position
    points = rng.normal(size=(25, 4))
    points[0] = frame.iloc[20]
    scaled = BlockRows(frame, 5).scaled(lambda part: part.to_numpy(float), 4)
    dist, idx = scaled.kneighbors(points, 6)
    full = np.linalg.norm(frame.to_numpy()[None, :, :] - points[:, None, :], axis=2)
    expected = np.lexsort((np.broadcast_to(np.arange(300), full.shape), full), axis=1)[:, :6]
    np.testing.assert_array_equal(idx, expected)
    np.testing.assert_allclose(dist, np.take_along_axis(full, expected, axis=1), atol=1e-12)
    assert idx[0, 0] == 20 and idx[0, 1] == 150
    np.testing.assert_allclose(scaled[[150, 3]], frame.iloc[[150, 3]].to_numpy())


def test_only_backends_recognise_their_frames():
    frame = load_demo()
    assert backend_of(frame) is None and backend_of(frame.to_numpy()) is None
    dd = pytest.importorskip("dask.dataframe")
    ddf = dd.from_pandas(frame, npartitions=2)
    backend = backend_of(ddf)
    assert backend is not None and backend.DESCRIPTION == "a dask DataFrame"
    with pytest.raises(InputTypeError, match=r"in memory, and a dask DataFrame is not: pass "):
        check_inputs(ddf, "status")
    assert not check_inputs(ddf, "status", anywhere=True).in_memory


# The modules that read rows: they go through CheckedInput.rows and never name a backend.
READERS = ["_validation.py", "_neighbours.py", "_space.py", "resample.py", "diagnose.py"] + [
    str(p.relative_to(PACKAGE)) for p in (PACKAGE / "diagnostics").glob("*.py")
]


@pytest.mark.parametrize("name", READERS)
def test_the_core_never_tests_for_a_backend(name):
    tree = ast.parse((PACKAGE / name).read_text())
    named = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            named.add(node.module or "")
            named.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            named.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Name):
            named.add(node.id)
        elif isinstance(node, ast.Attribute):
            named.add(node.attr)
    assert not [n for n in named if "dask" in n.lower()], name
