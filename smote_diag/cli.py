"""The command line: ``smote-diag demo`` (also ``python -m smote_diag demo``)."""

from __future__ import annotations

import argparse
import sys

from .exceptions import InputError
from .recommend import OBJECTIVES


def _demo(args) -> int:
    from . import diagnose, load_demo

    frame = load_demo()
    print(
        f"Demo data: {len(frame):,} machine readings, target 'status' (bundled with smote_diag).",
        file=sys.stderr,
    )
    report = diagnose(
        frame,
        target="status",
        objective=args.objective,
        k_neighbors=args.neighbors,
        random_state=args.seed,
        verbose=1,
    )
    print(report)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="smote-diag", description="Diagnose an imbalanced dataset before SMOTE."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser(
        "demo", help="Diagnose the bundled demo dataset and print the report."
    )
    demo.add_argument("-k", "--neighbors", type=int, default=5, help="SMOTE's k (default 5).")
    demo.add_argument("--seed", type=int, default=0, help="Random seed (default 0).")
    demo.add_argument(
        "--objective",
        choices=OBJECTIVES,
        default="balanced_accuracy",
        help="What the model will be judged on (default balanced_accuracy).",
    )
    demo.set_defaults(run=_demo)
    return parser


def main(argv=None) -> int:
    """Run the command line; returns the exit code (0 ok, 2 bad input)."""
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except InputError as exc:
        print(f"smote-diag: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
