"""The command line: data-quality reports in pipelines.

    smote-diag report DATA.csv --target COL -o report.html [--json out.json] [--fail-on severe]
    smote-diag demo [-o report.html]

(also ``python -m smote_diag ...``). Exit codes: 0 ok, 1 a finding reached ``--fail-on``,
2 bad input, 3 an internal error. Errors are one line on stderr; progress goes to stderr too.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from ._format import listed
from ._space import SCALINGS
from ._validation import choice_type
from .diagnostics import SEVERITIES
from .exceptions import InputError
from .recommend import OBJECTIVES

EXIT_OK, EXIT_FAIL_ON, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


def read_table(path: str):
    """A CSV or Parquet file as a DataFrame, refused in one sentence when it cannot be read."""
    import pandas as pd

    file = Path(path)
    if not file.is_file():
        raise InputError(f"No file at {path!r}. Give the path of a CSV or Parquet file.")
    if file.suffix.lower() in (".parquet", ".pq"):
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise InputError(
                "Reading Parquet needs pyarrow, which is not installed. Run "
                "`pip install pyarrow`, or give a CSV file."
            ) from None
        try:
            return pd.read_parquet(file)
        except (ValueError, OSError) as exc:
            raise InputError(f"Could not read {path!r} as Parquet ({exc}).") from None
    try:
        frame = pd.read_csv(file)
    except UnicodeDecodeError:
        raise InputError(
            f"Could not read {path!r} as CSV: it is not UTF-8 text. Save it as UTF-8 "
            "(e.g. pd.read_csv(path, encoding='latin-1').to_csv(new_path, index=False))."
        ) from None
    except (ValueError, OSError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"Could not read {path!r} as CSV ({first}).") from None
    if frame.shape[1] == 1 and ";" in str(frame.columns[0]):
        raise InputError(
            f"{path!r} looks separated by ';', not ','. Save it with commas (e.g. "
            "pd.read_csv(path, sep=';').to_csv(new_path, index=False))."
        )
    return frame


def _report(args) -> int:

    frame = read_table(args.data)
    return _diagnose_and_write(frame, args.target, args, f"{args.data}")


def _demo(args) -> int:
    from . import load_demo

    frame = load_demo()
    return _diagnose_and_write(frame, "status", args, "the bundled demo data (demo.csv)")


def _diagnose_and_write(frame, target, args, source: str) -> int:
    from . import diagnose
    from .evaluate import default_estimator

    rows = "row" if len(frame) == 1 else "rows"
    print(f"Diagnosing {source}: {len(frame):,} {rows} ...", file=sys.stderr)
    report = diagnose(
        frame,
        target=target,
        objective=args.objective,
        k_neighbors=args.neighbors,
        random_state=args.seed,
        scaling=args.scaling,
        sample=args.sample,
        verify=default_estimator() if args.verify else None,
        verbose=1,
    )
    report = replace(report, source=source)
    for path, write in ((args.out, report.to_html), (args.json, report.to_json)):
        if path:
            write(path)  # a path that cannot be written is an InputError
            print(f"Wrote {path}", file=sys.stderr)
    print(report)
    tripped = [
        f.kind
        + (f" [{f.minority_class!r}]" if f.minority_class is not None else "")
        + f" ({f.severity})"
        for f in (report.findings_at(args.fail_on) if args.fail_on else ())
    ]
    if tripped:
        print(
            f"smote-diag: --fail-on {args.fail_on} reached by {listed(tripped, words=True)}.",
            file=sys.stderr,
        )
        return EXIT_FAIL_ON
    return EXIT_OK


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--out", metavar="HTML", help="Write the HTML report here.")
    parser.add_argument("--json", metavar="JSON", help="Write the JSON report here.")
    parser.add_argument(
        "--fail-on",
        choices=SEVERITIES[1:],
        type=choice_type(SEVERITIES[1:]),
        help="Exit with 1 when a finding (imbalance aside) reaches this severity.",
    )
    parser.add_argument("-k", "--neighbors", type=int, default=5, help="SMOTE's k (default 5).")
    parser.add_argument(
        "--objective",
        choices=OBJECTIVES,
        type=choice_type(OBJECTIVES),
        default="balanced_accuracy",
        help="What the model will be judged on (default balanced_accuracy).",
    )
    parser.add_argument("--seed", type=int, default=0, help="Random seed (default 0).")
    parser.add_argument(
        "--scaling",
        choices=SCALINGS,
        type=choice_type(SCALINGS),
        default="standard",
        help="How numeric columns count in the distances: standard (z-score, default), "
        "robust (median and interquartile range, for heavy-tailed columns) or none (as given).",
    )
    parser.add_argument(
        "--sample",
        type=int,
        metavar="N",
        help="Diagnose a stratified sample of N rows (the report says so).",
    )
    parser.add_argument(
        "--verify",
        action="store_true",
        help="Verify the advice by a quick cross-validation of its shortlist with a scaled "
        "LogisticRegression (the report shows the scores).",
    )


class _OneLineParser(argparse.ArgumentParser):
    """argparse's usage errors as one line, like every other refusal of the command line."""

    def error(self, message):
        print(f"smote-diag: {message} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog="smote-diag", description="Diagnose an imbalanced dataset before SMOTE."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser("report", help="Diagnose a CSV or Parquet file.")
    report.add_argument("data", help="A CSV or Parquet file.")
    report.add_argument("--target", required=True, help="The target column.")
    _common(report)
    report.set_defaults(run=_report)
    demo = commands.add_parser("demo", help="Diagnose the bundled demo dataset.")
    _common(demo)
    demo.set_defaults(run=_demo)
    return parser


def main(argv=None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 --fail-on reached, 2 bad input,
    3 internal error)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error already printed in one line
        return EXIT_OK if exc.code == 0 else EXIT_BAD_INPUT
    try:
        return args.run(args)
    except InputError as exc:
        print(f"smote-diag: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # a bug of ours: not a data-quality verdict, so not exit 1
        print(
            f"smote-diag: internal error, please report it: {type(exc).__name__}: {exc}",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
