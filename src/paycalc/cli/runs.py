"""``paycalc run`` (a month's payroll over a roster) and ``paycalc forecast``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from paycalc.batch import run_roster
from paycalc.cli.core import contributions_from, data_files, registry_from
from paycalc.cli.main import (
    EXIT_INVALID,
    EXIT_OK,
    LAST_YEAR,
    contributions_option,
    date_arg,
    horizon_arg,
    month_arg,
    schemes_option,
)
from paycalc.cli.outputs import Output, check_inputs, plan_outputs, require_extra
from paycalc.cli.progress import ProgressBar
from paycalc.cli.terminal import escape_line
from paycalc.errors import UsageError
from paycalc.io.roster import read_roster
from paycalc.io.writers import (
    SLIP_SUFFIXES,
    TABLE_SUFFIXES,
    errors_path_for,
    format_of,
    open_staged,
    write_errors,
    write_slips,
    write_table,
)
from paycalc.period import Month

__all__ = ["check_roster", "register"]

#: The errors file beside an output is always CSV.
_ERRORS_SUFFIXES = (".csv",)


def register(subparsers: Any) -> None:
    run = subparsers.add_parser(
        "run",
        help="pay every worker of a roster for a month; slips and an errors file out",
        description="Pay a roster (.csv, .xlsx, .jsonl) for one month. Writes one row per "
        "worker to --out and the rows that failed to OUT.errors.csv; ends with "
        "'N rows in = S slips + E errors'. Exit code 1 when any row failed.",
    )
    run.add_argument("roster", type=Path, metavar="ROSTER")
    run.add_argument("--month", type=month_arg, required=True, metavar="YYYY-MM")
    run.add_argument("--scheme", metavar="ID", help="scheme family for rows that name none")
    run.add_argument(
        "--as-of", type=date_arg, metavar="DATE", help="only versions published by DATE"
    )
    run.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="SLIPS.{csv,xlsx,jsonl}",
        help="the slips; the rows that failed go to SLIPS.errors.csv beside it",
    )
    run.add_argument("--quiet", action="store_true", help="no progress bar, no error listing")
    run.add_argument(
        "--itemised",
        action="store_true",
        help="compute every row with the itemised engine (no fast path; same figures)",
    )
    schemes_option(run)
    contributions_option(run)
    run.set_defaults(handler=run_run)

    fc = subparsers.add_parser(
        "forecast",
        help="monthly cost of a roster over a horizon, by component, post and a column",
    )
    fc.add_argument("roster", type=Path, metavar="ROSTER")
    fc.add_argument("--from", dest="start", type=month_arg, required=True, metavar="YYYY-MM")
    fc.add_argument(
        "--months", type=horizon_arg, required=True, metavar="N", help="1 to 600 months"
    )
    fc.add_argument("--scheme", metavar="ID", help="scheme family for rows that name none")
    fc.add_argument("--assumptions", type=Path, metavar="FILE", help="assumptions (TOML)")
    fc.add_argument("--by", metavar="COLUMN", help="also total by this roster column (e.g. 街道)")
    fc.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="FORECAST.{csv,xlsx,jsonl}",
        help="the forecast rows; rows that failed go to FORECAST.errors.csv beside it",
    )
    fc.add_argument(
        "--plot", type=Path, metavar="FORECAST.{png,svg,pdf}", help="stacked monthly cost chart"
    )
    fc.add_argument("--quiet", action="store_true")
    schemes_option(fc)
    fc.set_defaults(handler=run_forecast)


def _say(args: argparse.Namespace, text: object) -> None:
    if not args.quiet:
        print(escape_line(text), file=sys.stderr)


def check_roster(path: Path) -> None:
    """The roster exists, and reading it needs no missing extra (before any work)."""
    if path.suffix.lower() == ".xlsx":
        require_extra("openpyxl", "xlsx", f"reading {path}")
    check_inputs([path])


def run_run(args: argparse.Namespace) -> int:
    errors_path = errors_path_for(args.out)
    outputs = plan_outputs(
        [
            Output("--out", args.out, SLIP_SUFFIXES),
            Output("--out (its errors file)", errors_path, _ERRORS_SUFFIXES),
        ],
        [args.roster, *data_files(args)],
    )
    check_roster(args.roster)
    registry = registry_from(args)
    contributions = contributions_from(args)
    with outputs:
        roster = read_roster(args.roster, schemes=registry)
        bar = ProgressBar(len(roster), enabled=not args.quiet, stream=_raw_stderr())
        try:
            result = run_roster(
                roster,
                args.month,
                schemes=registry,
                scheme=args.scheme,
                as_of=args.as_of,
                fast=not args.itemised,
                progress=bar.update,
                file_problems=roster.file_problems,
                contributions=contributions,
            )
        finally:
            bar.close()
        write_slips(
            open_staged(outputs, args.out),
            result.slips,
            result.codes,
            table_format=format_of(args.out),
        )
        header_errors = [_FileError(p.location, p.message) for p in result.file_problems]
        write_errors(open_staged(outputs, errors_path), [*header_errors, *result.errors])
    for problem in result.file_problems:
        _say(args, problem)
    shown = result.errors[:20]
    for error in shown:
        _say(args, error)
    if len(result.errors) > len(shown):
        _say(args, f"... and {len(result.errors) - len(shown)} more in {errors_path}")
    print(escape_line(f"slips: {args.out}; errors: {errors_path}"))
    print(result.summary())
    return EXIT_INVALID if result.failed_rows or result.file_problems else EXIT_OK


def _raw_stderr() -> Any:
    """The terminal under the escaping stream: the progress bar draws with carriage returns."""
    return getattr(sys.stderr, "raw", sys.stderr)


class _FileError:
    """A problem with the file as a whole, as a row of the errors file (row 1: the header)."""

    def __init__(self, location: str, reason: str) -> None:
        # location is "row 1, column X" for header problems, "" for the whole file
        row, _, column = location.partition(", column ")
        self.row = int(row.removeprefix("row ")) if row.startswith("row ") else 0
        self.worker_id = ""
        self.field = column
        self.reason = reason


def run_forecast(args: argparse.Namespace) -> int:
    from paycalc.forecasting import Assumptions, forecast, load_assumptions
    from paycalc.forecasting.plot import PLOT_SUFFIXES

    last = args.start.plus(args.months - 1)
    if last > Month(LAST_YEAR, 12):
        raise UsageError(
            "--months", f"{args.months} months from {args.start} end after {LAST_YEAR}-12"
        )
    errors_path = errors_path_for(args.out)
    planned = [
        Output("--out", args.out, TABLE_SUFFIXES),
        Output("--out (its errors file)", errors_path, _ERRORS_SUFFIXES),
    ]
    if args.plot is not None:
        planned.append(Output("--plot", args.plot, PLOT_SUFFIXES))
    inputs = [args.roster, *([args.assumptions] if args.assumptions else []), *data_files(args)]
    outputs = plan_outputs(planned, inputs)
    if args.plot is not None:
        _require_plot(args.plot)
    check_roster(args.roster)
    if args.assumptions:
        check_inputs([args.assumptions])
    assumptions = load_assumptions(args.assumptions) if args.assumptions else Assumptions()
    registry = registry_from(args)
    with outputs:
        result = forecast(
            args.roster,
            args.start,
            args.months,
            assumptions,
            schemes=registry,
            scheme=args.scheme,
            by=args.by,
        )
        columns = ("month", "dimension", "key", "label", "category", "workers", "amount")
        write_table(
            open_staged(outputs, args.out),
            columns,
            (
                [r.month, r.dimension, r.key, r.label, r.category, r.workers, r.amount]
                for r in result.rows
            ),
            table_format=format_of(args.out),
        )
        write_table(
            open_staged(outputs, errors_path),
            ("month", "row", "worker_id", "workers", "field", "reason"),
            [
                *(["", e.row, e.worker_id, 1, e.field, e.reason] for e in result.roster_errors),
                *(
                    [e.month, "", e.worker_id, e.workers, e.location, e.reason]
                    for e in result.errors
                ),
            ],
        )
        if args.plot is not None:
            from paycalc.forecasting.plot import plot_forecast

            plot_forecast(
                result,
                outputs.open(args.plot, binary=True),
                image_format=args.plot.suffix.lower().lstrip("."),
            )
    for problem in result.file_problems:
        _say(args, problem)
    for error in result.roster_errors[:20]:
        _say(args, error)
    failed = len({error.row for error in result.roster_errors})  # a row may fail twice
    paid = result.rows_in - failed
    print(
        escape_line(
            f"forecast: {args.out}; errors: {errors_path}"
            + (f"; chart: {args.plot}" if args.plot else "")
        )
    )
    print(
        f"{result.rows_in} rows in = {paid} workers forecast + {failed} errors; "
        f"{result.months} months from {result.start}; "
        f"total employer cost {result.total():,.2f}"
    )
    if result.errors:
        print(f"{len(result.errors)} cohort-month(s) could not be paid; see {errors_path}")
    bad = failed or result.errors or result.file_problems
    return EXIT_INVALID if bad else EXIT_OK


def _require_plot(path: Path) -> None:
    from paycalc.forecasting.plot import require_matplotlib

    try:
        require_matplotlib()
    except ImportError as error:
        raise UsageError(str(path), str(error), source="--plot") from None
