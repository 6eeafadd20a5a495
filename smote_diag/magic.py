"""%smote_check: diagnose a DataFrame from a notebook cell.

    %load_ext smote_diag
    %smote_check df target
    r = %smote_check df target --resample -o df_res

Thin: parse the line, look the name up in the notebook, call the public API, display and
return the result. Our input errors become one-line UsageErrors (IPython hides the
traceback only for that class).
"""

from __future__ import annotations

import pandas as pd
from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring

from .exceptions import InputError
from .recommend import METHODS, OBJECTIVES


@magics_class
class SmoteCheckMagics(Magics):
    @line_magic
    @magic_arguments()
    @argument("frame", help="Name of a DataFrame in the notebook.")
    @argument("target", help="Its target column.")
    @argument("-k", "--neighbors", type=int, default=5, help="SMOTE's k (default 5).")
    @argument(
        "--objective",
        default="balanced_accuracy",
        choices=OBJECTIVES,
        help="What the model will be judged on (default balanced_accuracy).",
    )
    @argument(
        "--method",
        default="auto",
        choices=("auto",) + METHODS,
        help="Method for --resample (default: the advice).",
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
        help="With --resample: put the resampled DataFrame in the notebook under OUT.",
    )
    @argument(
        "--evaluate",
        action="store_true",
        help="Also cross-validate the advice against the usual strategies.",
    )
    @argument(
        "--projection",
        default="pca",
        choices=("pca", "umap", "none"),
        help="Projection of the plots; none draws no figure (default pca).",
    )
    @argument("--html", default=None, metavar="PATH", help="Write the standalone HTML report.")
    @argument("--json", default=None, metavar="PATH", help="Write the JSON report.")
    @argument("--seed", type=int, default=0, help="Random seed (default 0).")
    @argument(
        "--sample",
        type=int,
        default=None,
        metavar="N",
        help="Diagnose a stratified sample of N rows (large data); the report says so.",
    )
    def smote_check(self, line):
        """Diagnose a DataFrame before SMOTE: ``%smote_check df target [options]``.

        Displays the report and returns it (``r = %smote_check df target``).
        """
        from IPython.display import display

        from . import diagnose, evaluate, resample

        args = parse_argstring(self.smote_check, line)
        frame = self._frame(args.frame)
        if args.out and not args.resample:
            raise UsageError("-o/--out needs --resample (it names the resampled DataFrame).")
        if args.out and not args.out.isidentifier():
            raise UsageError(f"-o/--out must be a Python name, got {args.out!r}.")
        try:
            report = diagnose(
                frame,
                target=args.target,
                objective=args.objective,
                k_neighbors=args.neighbors,
                random_state=args.seed,
                sample=args.sample,
                verbose=1,
            )
            if args.html:
                report.to_html(args.html)
            if args.json:
                report.to_json(args.json)
            display(_Shown(report, figure=args.projection != "none"))
            if args.resample:
                result = resample(
                    frame,
                    target=args.target,
                    method=args.method,
                    objective=args.objective,
                    k_neighbors=args.neighbors,
                    random_state=args.seed,
                    verbose=1,
                )
                if args.out:
                    self.shell.user_ns[args.out] = result.frame
                display(
                    _Shown(result, figure=args.projection != "none", projection=args.projection)
                )
            if args.evaluate:
                display(
                    evaluate(
                        frame,
                        target=args.target,
                        objective=args.objective,
                        k_neighbors=args.neighbors,
                        random_state=args.seed,
                    )
                )
        except InputError as exc:
            raise UsageError(str(exc)) from None
        except OSError as exc:
            raise UsageError(f"Could not write the report: {exc}") from None
        return report

    def _frame(self, name: str) -> pd.DataFrame:
        if name not in self.shell.user_ns:
            raise UsageError(f"No variable named {name!r} in this notebook.")
        frame = self.shell.user_ns[name]
        if not isinstance(frame, pd.DataFrame):
            raise UsageError(
                f"{name!r} is a {type(frame).__name__}, not a DataFrame. "
                "Pass the name of a DataFrame."
            )
        return frame


class _Shown:
    """What the magic displays: the result's faces, with or without its figure."""

    def __init__(self, result, *, figure: bool, projection: str = "pca"):
        self.result, self.figure, self.projection = result, figure, projection

    def _repr_mimebundle_(self, include=None, exclude=None):
        from .report import render_html, render_resample_html, render_text

        result = self.result
        if hasattr(result, "recommendation"):
            return {
                "text/plain": render_text(result),
                "text/html": render_html(result, figure=self.figure),
            }
        return {
            "text/plain": repr(result),
            "text/html": render_resample_html(
                result, figure=self.figure, projection=self.projection
            ),
        }
