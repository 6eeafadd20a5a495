"""Every input smote_diag refuses, with the fragment its message must contain.

``tests/test_refusals.py`` runs each case; ``docs/make_refusals.py`` writes the table of
refusals and their messages (docs/refusals.md) from the same list, and a test checks that
the committed table is what the cases produce, so the documentation cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Refusal:
    what: str  # the bad input, in words
    call: Callable  # makes the call that must be refused
    expect: str  # a fragment the message must contain (what is wrong or what to do)


def frame(n=60, n_minority=10, seed=0, **extra) -> pd.DataFrame:
    rng = np.random.RandomState(seed)
    data = {
        "a": rng.normal(size=n),
        "b": rng.normal(size=n),
        "label": np.r_[np.zeros(n - n_minority, int), np.ones(n_minority, int)],
    }
    return pd.DataFrame({**data, **extra})


def _diagnose(data, target=None, **kwargs):
    from smote_diag import diagnose

    return lambda: diagnose(data, target, verbose=0, **kwargs)


def _resample(data, target, **kwargs):
    from smote_diag import resample

    return lambda: resample(data, target, verbose=0, **kwargs)


def _evaluate(data, target, **kwargs):
    from smote_diag import evaluate

    return lambda: evaluate(data, target, **kwargs)


def _session_exclude(rows):
    from smote_diag import DiagnosisSession

    return lambda: DiagnosisSession(frame(), "label").diagnose(exclude=rows)


def _polars_lazy():
    def call():
        import polars as pl

        from smote_diag import diagnose

        diagnose(pl.from_pandas(frame()).lazy(), "label", verbose=0)

    return call


def _arrow_batch():
    def call():
        import pyarrow as pa

        from smote_diag import diagnose

        diagnose(pa.RecordBatch.from_pandas(frame(), preserve_index=False), "label", verbose=0)

    return call


def _dask_session():
    def call():
        import dask.dataframe as dd

        from smote_diag import DiagnosisSession

        DiagnosisSession(dd.from_pandas(frame(), npartitions=2), "label")

    return call


def _dask_resample(method):
    def call():
        import dask
        import dask.dataframe as dd

        from smote_diag import resample

        with dask.config.set(scheduler="sync"):
            resample(dd.from_pandas(frame(), npartitions=2), "label", method=method, verbose=0)

    return call


def _shifted_labels():
    labels = frame()["label"]
    labels.index = labels.index + 5
    return labels


def _mixed_labels():
    return np.array([1] * 50 + ["1"] * 10, dtype=object)


def _complex():
    return np.array([1 + 1j] * 50 + [2j] * 10)


def _sparse():
    import scipy.sparse

    return scipy.sparse.csr_matrix(frame()[["a", "b"]].to_numpy())


def _records():
    return frame().to_records(index=False)


def _evaluate_class():
    from sklearn.linear_model import LogisticRegression

    return _evaluate(frame(), "label", estimator=LogisticRegression)


def _evaluate_regressor():
    from sklearn.linear_model import LinearRegression

    return _evaluate(frame(), "label", estimator=LinearRegression())


def _write_nowhere():
    from smote_diag import diagnose

    return lambda: diagnose(frame(), "label", verbose=0).to_json("/no/such/folder/report.json")


def _unknown_class():
    from smote_diag import diagnose

    return lambda: diagnose(frame(), "label", verbose=0).finding("noise", minority_class=99)


def _evaluate_all_fail():
    from sklearn.neighbors import KNeighborsClassifier

    return _evaluate(frame(), "label", cv=2, estimator=KNeighborsClassifier(500), verbose=0)


def _one_class():
    f = frame()
    f["label"] = "churn"
    return f


def _missing_labels():
    f = frame().astype({"label": float})
    f.loc[3, "label"] = np.nan
    return f


def _duplicated_columns():
    f = frame()
    return pd.concat([f, f[["a"]]], axis=1)


def _regression_target():
    f = frame()
    f["label"] = np.linspace(0, 1, len(f))
    return f


def _nothing_usable():
    n = 60
    return pd.DataFrame(
        {
            "when": pd.date_range("2024-01-01", periods=n),
            "same": 1.0,
            "label": np.r_[np.zeros(50, int), np.ones(10, int)],
        }
    )


def _id_only():
    return pd.DataFrame(
        {"customer_id": np.arange(1, 61), "label": np.r_[np.zeros(50, int), np.ones(10, int)]}
    )


def _lists():
    return frame(cell=[[1, 2]] * 60)


def _text():
    return frame(city=["a", "b", "c"] * 20)


def _tiny_minority():
    return frame(n_minority=3)


REFUSALS = [
    Refusal("no target", _diagnose(frame()), "No target given"),
    Refusal("misspelt target column", _diagnose(frame(), "lable"), "Did you mean 'label'"),
    Refusal("unknown target column", _diagnose(frame(), "churn"), "Columns:"),
    Refusal("a target with one class", _diagnose(_one_class(), "label"), "one class ('churn')"),
    Refusal("missing labels", _diagnose(_missing_labels(), "label"), "1 missing label"),
    Refusal("a regression target", _diagnose(_regression_target(), "label"), "regression"),
    Refusal("labels of the wrong length", _diagnose(frame(), [0, 1] * 5), "60"),
    Refusal("two-dimensional labels", _diagnose(frame(), np.zeros((60, 2))), "one-dimensional"),
    Refusal("a column name with array data", _diagnose(np.zeros((60, 2)), "label"), "labels"),
    Refusal("an empty frame", _diagnose(pd.DataFrame({"a": [], "label": []}), "label"), "no rows"),
    Refusal("a Series as data", _diagnose(frame()["a"], "label"), "to_frame()"),
    Refusal("a file path as data", _diagnose("data.csv", "label"), "pd.read_csv(path)"),
    Refusal("a dict as data", _diagnose({"a": [1, 2]}, "label"), "pd.DataFrame(data)"),
    Refusal("a one-dimensional array", _diagnose(np.zeros(60), np.zeros(60)), "reshape(-1, 1)"),
    Refusal("a ragged list", _diagnose([[1, 2], [3]], [0, 1]), "rows of different lengths"),
    Refusal("repeated column names", _diagnose(_duplicated_columns(), "label"), "more than once"),
    Refusal("no usable feature column", _diagnose(_nothing_usable(), "label"), "No usable"),
    Refusal(
        "a table whose only feature is an id",
        _diagnose(_id_only(), "label"),
        "'customer_id': it looks like an identifier",
    ),
    Refusal("a column of lists", _diagnose(_lists(), "label"), "one value per cell"),
    Refusal("k_neighbors=0", _diagnose(frame(), "label", k_neighbors=0), "k_neighbors must"),
    Refusal("k_neighbors=2.5", _diagnose(frame(), "label", k_neighbors=2.5), "integer"),
    Refusal("an unknown objective", _diagnose(frame(), "label", objective="f2"), "'f1'"),
    Refusal("a negative seed", _diagnose(frame(), "label", random_state=-1), "random_state"),
    Refusal("an unknown scaling", _diagnose(frame(), "label", scaling="robus"), "'robust'"),
    Refusal("the target column's name in a list", _diagnose(frame(), ["label"]), "target='label'"),
    Refusal(
        "a method name in another spelling",
        _resample(frame(), "label", method="SMOTE"),
        "Did you mean 'smote'?",
    ),
    Refusal("a sample below 10 rows", _diagnose(frame(), "label", sample=5), "sample must"),
    Refusal(
        "a sample that leaves a class below k + 1 rows",
        _diagnose(frame(n=600, n_minority=10), "label", sample=100),
        "k_neighbors",
    ),
    Refusal("an unknown method", _resample(frame(), "label", method="smot"), "'smote'"),
    Refusal(
        "an ensemble method to resample()",
        _resample(frame(), "label", method="smote_bagging"),
        "rec.pipeline(estimator)",
    ),
    Refusal(
        "text columns for a numbers-only method",
        _resample(_text(), "label", method="smote"),
        "method='smote_nc'",
    ),
    Refusal(
        "a column mixing numbers and text, for SMOTE-NC",
        _resample(frame(mixed=[1, "a"] * 30), "label", method="smote_nc"),
        "astype(str)",
    ),
    Refusal(
        "a minority smaller than k + 1 for SMOTE",
        _resample(_tiny_minority(), "label", method="smote"),
        "method='random_oversample'",
    ),
    Refusal(
        "a parameter the sampler does not have",
        _resample(frame(), "label", method="smote", ratio=0.5),
        "no parameter 'ratio'",
    ),
    Refusal(
        "a sampling_strategy that would remove minority rows",
        _resample(frame(), "label", method="smote", sampling_strategy={1: 5}),
        "cannot use sampling_strategy",
    ),
    Refusal(
        "smote_nc without categorical columns",
        _resample(frame(), "label", method="smote_nc"),
        "method='smote'",
    ),
    Refusal("an unknown scoring objective", _evaluate(frame(), "label", objective="auc"), "f1"),
    Refusal("rows to exclude that are not in the data", _session_exclude([999]), "not in the data"),
    Refusal(
        "a numpy Generator as random_state",
        _diagnose(frame(), "label", random_state=np.random.default_rng(0)),
        "Pass an integer",
    ),
    Refusal("n_jobs=0", _diagnose(frame(), "label", n_jobs=0), "-1 for every core"),
    Refusal("n_jobs=2.5", _diagnose(frame(), "label", n_jobs=2.5), "non-zero integer"),
    Refusal(
        "a labels Series whose index does not match the data's",
        _diagnose(frame().drop(columns="label"), _shifted_labels()),
        "y.to_numpy()",
    ),
    Refusal("labels of several types (1 and '1')", _diagnose(frame(), _mixed_labels()), "one type"),
    Refusal("labels that are tuples or complex numbers", _diagnose(frame(), _complex()), "astype"),
    Refusal("labels given as a generator", _diagnose(frame(), (i for i in range(60))), "a list"),
    Refusal(
        "a scipy sparse matrix as data", _diagnose(_sparse(), np.r_[[0] * 50, [1] * 10]), "toarray"
    ),
    Refusal("a structured numpy array as data", _diagnose(_records(), "label"), "pd.DataFrame"),
    Refusal("a polars LazyFrame as data", _polars_lazy(), "data.collect()"),
    Refusal("a pyarrow RecordBatch as data", _arrow_batch(), "pa.Table.from_batches([batch])"),
    Refusal(
        "a sampler parameter smote_diag sets itself",
        _resample(frame(), "label", method="adasyn", n_neighbors=3),
        "k_neighbors=",
    ),
    Refusal(
        "a sampling_strategy with fractional counts",
        _resample(frame(), "label", method="smote", sampling_strategy={1: 20.5}),
        "whole numbers",
    ),
    Refusal(
        "a sampling_strategy asking for a billion rows",
        _resample(frame(), "label", method="smote", sampling_strategy={1: 10**9}),
        "ask for fewer",
    ),
    Refusal("cv=2.5 in evaluate", _evaluate(frame(), "label", cv=2.5), "number of folds"),
    Refusal("methods=None in evaluate", _evaluate(frame(), "label", methods=None), "list of"),
    Refusal("an estimator class, not an instance", _evaluate_class(), "pass an instance"),
    Refusal("a regressor as estimator", _evaluate_regressor(), "not a classifier"),
    Refusal(
        "a report written to a folder that does not exist", _write_nowhere(), "Could not write"
    ),
    Refusal(
        "a sampling_strategy name imbalanced-learn does not have",
        _resample(frame(), "label", method="smote", sampling_strategy="bogus"),
        "not one of",
    ),
    Refusal("a finding asked for a class that is not a minority class", _unknown_class(), "99"),
    Refusal("every strategy failing in evaluate", _evaluate_all_fail(), "Every strategy failed"),
    Refusal("a dask DataFrame where rows must be in memory", _dask_session(), "ddf.compute()"),
    Refusal(
        "a dask DataFrame with a method that needs the majority",
        _dask_resample("borderline_smote"),
        "resample ddf.compute()",
    ),
]


# %smote_check lines refused with a one-line UsageError, in a notebook holding
# df = load_demo() (target "status") and numbers = [1, 2, 3].
MAGIC_REFUSALS = [
    ("dff status", "No variable named 'dff' in this notebook."),
    ("numbers status", "'numbers' is a list, not a DataFrame."),
    ("df statsu", "Target column 'statsu' is not in the DataFrame. Did you mean 'status'?"),
    ("df temperature_c", "looks like a regression target. smote_diag needs class labels"),
    ("df status -o out", "-o/--out goes with --resample"),
    ("df status -k 0", "k_neighbors must be an integer >= 1, got 0."),
    ("df status --method smote", "--method goes with --resample"),
    ("df status --sample 1000 --resample", "--sample is for a quick look"),
    ("df status --seed -1", "random_state must be None, an integer from 0"),
    ("df status --scaling zscore", "invalid choice: 'zscore'"),
    ("df status --resample --method smot", "Did you mean 'smote'?"),
    ("df status --sample 100", "Sample at least 120 rows"),
    ("df status --dashboard --resample", "--resample does not go with --dashboard"),
    ("df status --dashboard --html r.html --sample 500", "--html, --sample do not go with"),
    ("df status --dashboard --seed -1", "random_state must be None, an integer from 0"),
    ("df statsu --dashboard", "Did you mean 'status'?"),
]

# smote-diag command lines refused with exit code 2 and one line on stderr; {csv} is the demo
# data as CSV, {missing} a path with no file, {semicolons} and {latin1} CSVs written wrongly.
CLI_REFUSALS = [
    ("report {missing} --target status", "No file at"),
    ("report {csv} --target statsu", "Did you mean 'status'?"),
    ("report {csv} --target status --seed -1", "random_state must be None"),
    ("report {csv} --target status --fail-on bad", "invalid choice: 'bad'"),
    ("report {csv} --target status --scaling zscore", "invalid choice: 'zscore'"),
    ("report {csv} --target status --objective F1", "Did you mean 'f1'?"),
    ("demo --neighbors 0", "k_neighbors must be an integer >= 1, got 0."),
    ("report {semicolons} --target label", "looks separated by ';'"),
    ("report {latin1} --target label", "not UTF-8 text"),
]


def run_magic_refusal(shell, line) -> str:
    """The UsageError message %smote_check gives for ``line`` (shell from ``magic_shell``)."""
    from IPython.core.error import UsageError

    try:
        shell.run_line_magic("smote_check", line)
    except UsageError as exc:
        return str(exc)
    raise AssertionError(f"not refused: %smote_check {line}")


def magic_shell():
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    from smote_diag import load_demo

    InteractiveShell.clear_instance()
    shell = InteractiveShell.instance(config=Config({"HistoryAccessor": {"enabled": False}}))
    shell.run_line_magic("load_ext", "smote_diag")
    shell.user_ns.update(df=load_demo(), numbers=[1, 2, 3])
    return shell


def run_cli_refusal(args: str, folder) -> tuple:
    """(exit code, stderr lines) of ``smote-diag args`` with {csv}/{missing} in ``folder``."""
    import contextlib
    import io
    import pathlib
    import shlex

    from smote_diag import load_demo
    from smote_diag.cli import main

    folder = pathlib.Path(folder)
    csv = folder / "demo.csv"
    if not csv.exists():
        load_demo().to_csv(csv, index=False)
    semicolons, latin1 = folder / "semicolons.csv", folder / "latin1.csv"
    if not semicolons.exists():
        semicolons.write_text("a;b;label\n1;2;0\n3;4;1\n")
        latin1.write_bytes("a,b,label\n1,caf\xe9,0\n".encode("latin-1"))
    line = args.format(csv=csv, missing=folder / "nope.csv", semicolons=semicolons, latin1=latin1)
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(shlex.split(line))
    return code, err.getvalue().strip().splitlines()
