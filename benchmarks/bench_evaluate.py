"""Time evaluate() as a user runs it, with the tuned thresholds' counted metrics and, in the
same run, with scikit-learn's metric functions in their place (the scorer they replaced).

Each objective, one KEEL dataset (default yeast-0-2-5-6_vs_3-7-8-9: 1,004 rows, 8 columns),
LogisticRegression in a scaling pipeline (evaluate's default), 5 folds, random_state 0. The
two runs alternate; printed: seconds of each, their ratio, and whether the verdicts match.

Run:  pip install ".[benchmark]"
      python benchmarks/bench_evaluate.py             (about a minute on 2 cores)
      python benchmarks/bench_evaluate.py --dataset glass1 --objectives f1
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from keel import POSITIVE, keel_files, parse_keel  # noqa: E402

from smote_diag import evaluate  # noqa: E402
from smote_diag.recommend import objective_scorer, threshold_scorer  # noqa: E402

# the modules whose tuned thresholds take their scorer from threshold_scorer: the compared
# "threshold" strategy (evaluate) and the advice's own (recommend, via AdvisedClassifier)
USERS = [importlib.import_module(f"smote_diag.{name}") for name in ("evaluate", "recommend")]

OBJECTIVES = ("f1", "balanced_accuracy")


def timed(X, y, objective: str, counted: bool) -> tuple[float, str]:
    """evaluate()'s seconds and verdict, the tuned threshold scored by counts or by
    scikit-learn's metric functions (``objective_scorer``)."""
    for module in USERS:
        module.threshold_scorer = threshold_scorer if counted else objective_scorer
    try:
        start = time.perf_counter()
        result = evaluate(X, y, objective=objective, random_state=0, verbose=0)
        return time.perf_counter() - start, result.verdict
    finally:
        for module in USERS:
            module.threshold_scorer = threshold_scorer


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="yeast-0-2-5-6_vs_3-7-8-9")
    parser.add_argument("--objectives", nargs="+", choices=OBJECTIVES, default=list(OBJECTIVES))
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    path = next(p for p in keel_files() if p.stem == args.dataset)
    data = parse_keel(path)
    X, y = data.X, (data.y == POSITIVE).astype(int)
    print(f"{args.dataset}: {len(y):,} rows x {X.shape[1]} columns, {int(y.sum())} minority\n")
    print("| objective | scikit-learn's metrics | counted | ratio | same verdict |")
    print("|---|---|---|---|---|")
    for objective in args.objectives:
        slow, slow_verdict = timed(X, y, objective, counted=False)
        fast, fast_verdict = timed(X, y, objective, counted=True)
        print(
            f"| {objective} | {slow:.1f} s | {fast:.1f} s | {slow / fast:.1f}x "
            f"| {'yes' if slow_verdict == fast_verdict else 'no'} |"
        )


if __name__ == "__main__":
    main()
