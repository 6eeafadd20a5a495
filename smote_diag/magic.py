"""%smote_check: diagnose a DataFrame from a notebook cell.

    %load_ext smote_diag
    %smote_check df target
    r = %smote_check df target --resample -o df_res
    %smote_check df target --dashboard

Thin: parse the line, look the name up in the notebook, call the public API, display and
return the result. Our input errors become one-line UsageErrors (IPython hides the
traceback only for that class).
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring

from ._space import SCALINGS
from ._tables import column_names, table_kind
from ._validation import choice_type
from .exceptions import InputError
from .plot._projection import PROJECTIONS
from .recommend import METHODS, OBJECTIVES

DISPLAY_PROJECTIONS = PROJECTIONS + ("none",)  # none: the report without its figure


@magics_class
class SmoteCheckMagics(Magics):
    @line_magic
    @magic_arguments()
    @argument("frame", help="Name of a DataFrame (pandas, polars) or pyarrow Table.")
    @argument("target", help="Its target column.")
    @argument("-k", "--neighbors", type=int, default=5, help="SMOTE's k (default 5).")
    @argument(
        "--objective",
        default="balanced_accuracy",
        choices=OBJECTIVES,
        type=choice_type(OBJECTIVES),
        help="What the model will be judged on (default balanced_accuracy).",
    )
    @argument(
        "--method",
        default="auto",
        choices=("auto",) + METHODS,
        type=choice_type(("auto",) + METHODS),
        help="Method for --resample or --dashboard (default: the advice).",
    )
    @argument(
        "--resample",
        action="store_true",
        help="Also resample; show the check of the synthetic points and their plot.",
    )
    @argument(
        "-o",
        "--out",
        default=None,
        help="With --resample: put the resampled data (of the input's kind) under OUT.",
    )
    @argument(
        "--verify",
        action="store_true",
        help="Verify the advice by a quick cross-validation of its shortlist with a scaled "
        "LogisticRegression; the report shows the scores.",
    )
    @argument(
        "--evaluate",
        action="store_true",
        help="Also cross-validate the advice against the usual strategies.",
    )
    @argument(
        "--projection",
        default="pca",
        choices=DISPLAY_PROJECTIONS,
        type=choice_type(DISPLAY_PROJECTIONS),
        help="Projection of the plots; none draws no figure (default pca).",
    )
    @argument(
        "--dashboard",
        action="store_true",
        help="Return the interactive dashboard (ipywidgets) instead of the report.",
    )
    @argument("--html", default=None, metavar="PATH", help="Write the standalone HTML report.")
    @argument("--json", default=None, metavar="PATH", help="Write the JSON report.")
    @argument("--seed", type=int, default=0, help="Random seed (default 0).")
    @argument(
        "--scaling",
        default="standard",
        choices=SCALINGS,
        type=choice_type(SCALINGS),
        help="How numeric columns count in the distances: standard (z-score, default), "
        "robust (median and interquartile range, for heavy-tailed columns) or none (as given).",
    )
    @argument(
        "--sample",
        type=int,
        default=None,
        metavar="N",
        help="Diagnose a stratified sample of N rows (large data); the report says so.",
    )
    def smote_check(self, line):
        """Diagnose a DataFrame before SMOTE: ``%smote_check df target [options]``.

        Returns the report, which the notebook shows as the cell's value; ``r = %smote_check
        df target`` keeps it in ``r``. With --resample and --evaluate their results are shown
        too. With --dashboard it returns the interactive dashboard instead. A target or path
        with spaces can be quoted.
        """
        from IPython.display import display

        from . import diagnose, evaluate, resample
        from .evaluate import default_estimator

        args = parse_argstring(self.smote_check, line)
        frame = self._frame(args.frame)
        target = _target(frame, args.target)
        if args.dashboard:
            return self._dashboard(frame, target, args)
        if args.verify and args.resample:
            raise UsageError(
                "--verify goes without --resample: resample() applies a method; verify the "
                "advice first, then --resample --method <the verified method>."
            )
        for flag, value in (("-o/--out", args.out), ("--method", args.method != "auto")):
            if value and not args.resample:
                raise UsageError(f"{flag} goes with --resample (it is about the resampled data).")
        if args.sample is not None and (args.resample or args.evaluate):
            raise UsageError(
                "--sample is for a quick look at large data; drop it to --resample or "
                "--evaluate, which use the full data."
            )
        if args.out and not args.out.isidentifier():
            raise UsageError(f"-o/--out must be a Python name, got {args.out!r}.")
        common = dict(
            target=target,
            objective=args.objective,
            k_neighbors=args.neighbors,
            random_state=args.seed,
            scaling=args.scaling,
        )
        try:
            if args.resample:  # resample() diagnoses: its report is the one shown
                result = resample(frame, method=args.method, verbose=1, **common)
                result = replace(result, report=replace(result.report, source=args.frame))
                report = result.report
            else:
                verify = default_estimator() if args.verify else None
                report = diagnose(frame, sample=args.sample, verify=verify, verbose=1, **common)
                report = replace(report, source=args.frame)  # the variable's name, for the faces
            if args.html:
                report.to_html(_unquote(args.html))
            if args.json:
                report.to_json(_unquote(args.json))
            if args.resample:
                if args.out:
                    self.shell.user_ns[args.out] = result.frame
                display(replace(result, display_projection=args.projection))
            if args.evaluate:
                display(evaluate(frame, **common))
        except InputError as exc:
            raise UsageError(str(exc)) from None
        return replace(report, display_projection=args.projection)

    def _dashboard(self, frame, target, args):
        from .widgets import dashboard

        clashes = [
            flag
            for flag, value in (
                ("--resample", args.resample),
                ("-o/--out", args.out),
                ("--evaluate", args.evaluate),
                ("--verify", args.verify),
                ("--html", args.html),
                ("--json", args.json),
                ("--sample", args.sample is not None),
                ("--projection none", args.projection == "none"),
            )
            if value
        ]
        if clashes:
            verb = "does" if len(clashes) == 1 else "do"
            raise UsageError(
                f"{', '.join(clashes)} {verb} not go with --dashboard: its views and its Export "
                "tab do that work."
            )
        try:
            return dashboard(
                frame,
                target,
                k_neighbors=args.neighbors,
                objective=args.objective,
                method=args.method,
                projection=args.projection,
                random_state=args.seed,
                scaling=args.scaling,
            )
        except InputError as exc:
            raise UsageError(str(exc)) from None

    def _frame(self, name: str) -> pd.DataFrame:
        if name not in self.shell.user_ns:
            raise UsageError(f"No variable named {name!r} in this notebook.")
        frame = self.shell.user_ns[name]
        if not isinstance(frame, pd.DataFrame) and table_kind(frame) is None:
            raise UsageError(
                f"{name!r} is a {type(frame).__name__}, not a DataFrame. "
                "Pass the name of a DataFrame (pandas or polars) or a pyarrow Table."
            )
        return frame


def _unquote(text: str) -> str:
    """A shell-quoted word without its quotes ("my label" -> my label)."""
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def _target(frame, name: str):
    """The column the user meant: as typed, unquoted, or the number it spells."""
    columns = column_names(frame)
    for candidate in (name, _unquote(name)):
        if candidate in columns:
            return candidate
        for number in (int, float):
            try:
                if number(candidate) in columns:
                    return number(candidate)
            except ValueError:
                pass
    return _unquote(name)  # diagnose() says it is missing and suggests close names
