"""Wall time and peak memory of diagnose() next to what it is compared with, on one machine.

For each case (rows x features, 1% minority) and each method, a fresh Python process warms
the method up on small data (imports, first-call set-up), makes the data, resets its
peak-memory mark, runs the method once and reports its wall time and peak resident memory.
Methods alternate within each repeat, so a busy machine slows all of
them alike; the best time and the largest peak are kept. Compared, in the same run:

- ``smote``: imbalanced-learn's ``SMOTE().fit_resample`` (minority-to-minority search only);
- ``borderline_smote``: imbalanced-learn's ``BorderlineSMOTE().fit_resample``, which makes the
  diagnosis's own costly query (every minority row against all rows, m_neighbors=10): what a
  user who cares about the boundary already runs;
- ``floor``: the bare minority-side exact 6-NN query against all rows (scikit-learn: each
  row and its 5 nearest), the least any diagnosis of territory must do;
- ``diagnose``: ``smote_diag.diagnose(X, y)``, with faiss's exact flat search when faiss is
  installed (``_faiss``); ``diagnose_sklearn``: the same with scikit-learn's search forced
  (``_neighbours.ENGINE = "sklearn"``), run when faiss is installed; ``diagnose_sample``:
  with ``sample=100_000`` on cases larger than that;
- ``problexity``: its 22 classification-complexity measures (``ComplexityCalculator().fit``),
  on cases of at most --problexity-max-rows rows, killed after --timeout seconds;
- ``diagnose_baseline`` (with ``--baseline REV``): ``diagnose()`` of the package as it was at
  git revision REV (extracted with ``git archive`` and put first on the worker's path), to
  measure what a change costs against the diagnosis it replaces.

Data (``--data``): ``classification``, the default, is scikit-learn's
``make_classification(n, d, n_informative=10, weights=[0.99], flip_y=0.005)`` (clusters on
a hypercube's corners, redundant and noise columns, a few flipped labels); ``gaussian`` is
a Gaussian majority with a minority shifted by one standard deviation per feature.

Run:  python benchmarks/bench_diagnose.py            (all cases, about 15 minutes on 2 cores)
      python benchmarks/bench_diagnose.py --cases 100k --repeats 3
      python benchmarks/bench_diagnose.py --cases 100k --repeats 8 --baseline b332036
Needs the benchmark extra for problexity (pip install ".[benchmark]"); without it, that
column says "not installed".
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

CASES = {
    "5k": (5_000, 30),
    "10k": (10_000, 30),
    "100k": (100_000, 30),
    "1M": (1_000_000, 30),
    "wide": (20_000, 1_000),
}
METHODS = (
    "smote",
    "borderline_smote",
    "floor",
    "diagnose",
    "diagnose_sklearn",
    "diagnose_baseline",
    "diagnose_sample",
    "problexity",
)
SAMPLE_ROWS = 100_000
MINORITY_SHARE = 0.01


def make_data(n_rows: int, n_features: int, minority_share: float, seed: int, kind: str):
    """``kind`` "classification": make_classification's clusters with 10 informative columns
    and 0.5% flipped labels; "gaussian": a Gaussian majority and a shifted Gaussian minority
    (the shape of fraud or fault data)."""
    if kind == "classification":
        from sklearn.datasets import make_classification

        return make_classification(
            n_rows,
            n_features,
            n_informative=min(10, n_features),
            n_redundant=min(2, max(n_features - 10, 0)),
            weights=[1 - minority_share],
            flip_y=0.005,
            random_state=seed,
        )
    rng = np.random.default_rng(seed)
    n_min = int(round(minority_share * n_rows))
    X = rng.standard_normal((n_rows, n_features))
    X[:n_min] += 1.0
    y = np.zeros(n_rows, dtype=int)
    y[:n_min] = 1
    return X, y


# --- one measurement, in its own process ------------------------------------------------------


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> None:
    """Linux: writing 5 to clear_refs resets the peak resident set (VmHWM) to the current."""
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")


def _run_method(method: str, X, y) -> None:
    if method == "smote":
        from imblearn.over_sampling import SMOTE

        SMOTE(random_state=0).fit_resample(X, y)
    elif method == "borderline_smote":
        from imblearn.over_sampling import BorderlineSMOTE

        BorderlineSMOTE(random_state=0).fit_resample(X, y)
    elif method == "floor":
        from sklearn.neighbors import NearestNeighbors

        NearestNeighbors(n_neighbors=6).fit(X).kneighbors(X[y == 1])
    elif method in ("diagnose", "diagnose_baseline"):
        from smote_diag import diagnose  # the baseline's, when its tree is first on the path

        diagnose(X, y, random_state=0, verbose=0)
    elif method == "diagnose_sklearn":
        from smote_diag import _neighbours, diagnose

        _neighbours.ENGINE = "sklearn"
        diagnose(X, y, random_state=0, verbose=0)
    elif method == "diagnose_sample":
        from smote_diag import diagnose

        diagnose(X, y, random_state=0, verbose=0, sample=SAMPLE_ROWS)
    elif method == "problexity":
        import problexity

        problexity.ComplexityCalculator().fit(X, y)
    else:
        raise ValueError(method)


def worker(method: str, n_rows: int, n_features: int, kind: str) -> dict:
    # Imports and first-call set-up are not the method's cost: a warm-up run on small data
    # loads them (for every method alike) before the data is made and the clock starts.
    warm_rows = 500 if method == "problexity" else 2_000
    warm = method.replace("_sample", "")
    _run_method(warm, *make_data(warm_rows, 5, 0.05, seed=1, kind=kind))
    if method.startswith("diagnose"):  # faiss loads on first use, above the warm-up's size
        try:
            import faiss  # noqa: F401
        except ImportError:
            pass
    X, y = make_data(n_rows, n_features, MINORITY_SHARE, seed=0, kind=kind)
    baseline = _status_mb("VmRSS")
    _reset_peak()
    start = time.perf_counter()
    _run_method(method, X, y)
    seconds = time.perf_counter() - start
    peak = _status_mb("VmHWM")
    return {"seconds": seconds, "peak_mb": peak, "extra_mb": peak - baseline}


# --- the driver -------------------------------------------------------------------------------


def applies(method: str, n_rows: int, args) -> bool:
    if method == "diagnose_sample":
        return n_rows > SAMPLE_ROWS
    if method == "problexity":
        return n_rows <= args.problexity_max_rows
    if method == "diagnose_baseline":
        return args.baseline_tree is not None
    if method == "diagnose_sklearn":
        import importlib.util

        return importlib.util.find_spec("faiss") is not None
    return True


def baseline_tree(revision: str, into: str) -> str:
    """The package's source at git ``revision``, extracted under ``into``; returns the
    directory to put first on the worker's path."""
    repository = Path(__file__).resolve().parent.parent
    archive = subprocess.run(
        ["git", "-C", str(repository), "archive", revision, "smote_diag"],
        capture_output=True,
        check=True,
    )
    subprocess.run(["tar", "-x", "-C", into], input=archive.stdout, check=True)
    return into


def measure(
    method: str, n_rows: int, n_features: int, kind: str, timeout: float, path=None
) -> dict:
    command = [sys.executable, __file__, "--worker", method, str(n_rows), str(n_features), kind]
    env = None
    if path is not None:
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([path, os.environ.get("PYTHONPATH", "")]),
        }
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"error": f"> {timeout:.0f} s"}
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["failed"])[-1]
        if "No module named 'problexity'" in last:
            return {"error": "not installed"}
        return {"error": last[:60]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_case(name: str, args) -> dict:
    n_rows, n_features = CASES[name]
    methods = [m for m in METHODS if applies(m, n_rows, args)]
    results: dict = {m: [] for m in methods}
    repeats = 1 if n_rows >= 1_000_000 else args.repeats
    for _ in range(repeats):
        for method in methods:
            if results[method] and "error" in results[method][-1]:
                continue  # a timeout or failure is not retried
            timeout = args.timeout if method == "problexity" else args.timeout * 10
            path = args.baseline_tree if method == "diagnose_baseline" else None
            results[method].append(measure(method, n_rows, n_features, args.data, timeout, path))
    best = {}
    for method, runs in results.items():
        good = [r for r in runs if "error" not in r]
        if good:
            best[method] = {
                "seconds": min(r["seconds"] for r in good),
                "peak_mb": max(r["peak_mb"] for r in good),
                "extra_mb": max(r["extra_mb"] for r in good),
            }
        else:
            best[method] = runs[-1]
    return {"case": name, "rows": n_rows, "features": n_features, "repeats": repeats, **best}


def _cell(result: dict | None) -> str:
    if result is None:
        return "—"
    if "error" in result:
        return result["error"]
    return f"{result['seconds']:.2f} s / {result['peak_mb']:,.0f} MB"


def _ratio(case: dict, a: str, b: str) -> str:
    if "seconds" in case.get(a, {}) and "seconds" in case.get(b, {}):
        return f"{case[a]['seconds'] / case[b]['seconds']:.1f}x"
    return "—"


def print_table(cases: list) -> None:
    print(
        "| case | SMOTE | BorderlineSMOTE | 6-NN floor | diagnose() | diagnose(), scikit-learn "
        "search | diagnose(sample=100k) "
        "| problexity | diagnose / BorderlineSMOTE | diagnose / floor | diagnose / SMOTE "
        "| problexity / diagnose |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for c in cases:
        print(
            f"| {c['case']} ({c['rows']:,} x {c['features']:,}) | {_cell(c.get('smote'))} "
            f"| {_cell(c.get('borderline_smote'))} | {_cell(c.get('floor'))} "
            f"| {_cell(c.get('diagnose'))} | {_cell(c.get('diagnose_sklearn'))} "
            f"| {_cell(c.get('diagnose_sample'))} | {_cell(c.get('problexity'))} "
            f"| {_ratio(c, 'diagnose', 'borderline_smote')} "
            f"| {_ratio(c, 'diagnose', 'floor')} | {_ratio(c, 'diagnose', 'smote')} "
            f"| {_ratio(c, 'problexity', 'diagnose')} |"
        )
    print(
        "\nTimes: best of the repeats (1 for a million rows); memory: peak resident set of the "
        "process, data included."
    )
    if any("diagnose_baseline" in c for c in cases):
        print("\n| case | diagnose() | diagnose() at the baseline | ratio |\n|---|---|---|---|")
        for c in cases:
            print(
                f"| {c['case']} | {_cell(c.get('diagnose'))} "
                f"| {_cell(c.get('diagnose_baseline'))} "
                f"| {_ratio(c, 'diagnose', 'diagnose_baseline')} |"
            )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="+", choices=list(CASES), default=list(CASES))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds for problexity")
    parser.add_argument("--problexity-max-rows", type=int, default=20_000)
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument(
        "--baseline", metavar="REV", help="also time diagnose() as it was at this git revision"
    )
    parser.add_argument("--data", choices=("classification", "gaussian"), default="classification")
    parser.add_argument("--worker", nargs=4, metavar=("METHOD", "ROWS", "FEATURES", "DATA"))
    args = parser.parse_args(argv)
    if args.worker:
        method, rows, features, kind = args.worker
        print(json.dumps(worker(method, int(rows), int(features), kind)))
        return
    cases = []
    with tempfile.TemporaryDirectory() as scratch:
        args.baseline_tree = baseline_tree(args.baseline, scratch) if args.baseline else None
        for name in args.cases:
            cases.append(run_case(name, args))
            print(f"done: {name}", file=sys.stderr)
    print(f"Data: {args.data}.")
    print_table(cases)
    if args.json:
        with open(args.json, "w") as out:
            json.dump(cases, out, indent=1)


if __name__ == "__main__":
    main()
