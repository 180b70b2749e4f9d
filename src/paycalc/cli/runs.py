"""``paycalc run`` (a month's payroll over a roster) and ``paycalc forecast``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from paycalc.batch import run_roster
from paycalc.cli.core import registry_from
from paycalc.cli.main import EXIT_INVALID, EXIT_OK, EXIT_USAGE, date_arg, month_arg, schemes_option
from paycalc.cli.progress import ProgressBar
from paycalc.io.roster import read_roster
from paycalc.io.writers import (
    SLIP_SUFFIXES,
    errors_path_for,
    write_errors,
    write_slips,
    write_table,
)

__all__ = ["register"]


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
    run.add_argument("--out", type=Path, required=True, metavar="SLIPS.{csv,xlsx,jsonl}")
    run.add_argument("--quiet", action="store_true", help="no progress bar, no error listing")
    run.add_argument(
        "--itemised",
        action="store_true",
        help="compute every row with the itemised engine (no fast path; same figures)",
    )
    schemes_option(run)
    run.set_defaults(handler=run_run)

    fc = subparsers.add_parser(
        "forecast",
        help="monthly cost of a roster over a horizon, by component, post and a column",
    )
    fc.add_argument("roster", type=Path, metavar="ROSTER")
    fc.add_argument("--from", dest="start", type=month_arg, required=True, metavar="YYYY-MM")
    fc.add_argument("--months", type=int, required=True, metavar="N")
    fc.add_argument("--scheme", metavar="ID", help="scheme family for rows that name none")
    fc.add_argument("--assumptions", type=Path, metavar="FILE", help="assumptions (TOML)")
    fc.add_argument("--by", metavar="COLUMN", help="also total by this roster column (e.g. 街道)")
    fc.add_argument("--out", type=Path, required=True, metavar="FORECAST.csv")
    fc.add_argument("--plot", type=Path, metavar="FORECAST.png", help="stacked monthly cost chart")
    fc.add_argument("--quiet", action="store_true")
    schemes_option(fc)
    fc.set_defaults(handler=run_forecast)


def _say(args: argparse.Namespace, text: str) -> None:
    if not args.quiet:
        print(text, file=sys.stderr)


def run_run(args: argparse.Namespace) -> int:
    if args.out.suffix.lower() not in SLIP_SUFFIXES:
        print(f"paycalc run: --out must end in {', '.join(SLIP_SUFFIXES)}", file=sys.stderr)
        return EXIT_USAGE
    registry = registry_from(args)
    roster = read_roster(args.roster, schemes=registry)
    bar = ProgressBar(len(roster), enabled=not args.quiet)
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
        )
    finally:
        bar.close()
    write_slips(args.out, result.slips, result.codes)
    errors_path = errors_path_for(args.out)
    header_errors = [_FileError(p.location, p.message) for p in result.file_problems]
    write_errors(errors_path, [*header_errors, *result.errors])
    for problem in result.file_problems:
        _say(args, str(problem))
    shown = result.errors[:20]
    for error in shown:
        _say(args, str(error))
    if len(result.errors) > len(shown):
        _say(args, f"... and {len(result.errors) - len(shown)} more in {errors_path}")
    print(f"slips: {args.out}; errors: {errors_path}")
    print(result.summary())
    return EXIT_INVALID if result.failed_rows or result.file_problems else EXIT_OK


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

    if args.months < 1:
        print("paycalc forecast: --months must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    assumptions = load_assumptions(args.assumptions) if args.assumptions else Assumptions()
    result = forecast(
        args.roster,
        args.start,
        args.months,
        assumptions,
        schemes=registry_from(args),
        scheme=args.scheme,
        by=args.by,
    )
    columns = ("month", "dimension", "key", "label", "category", "workers", "amount")
    write_table(
        args.out,
        columns,
        (
            [r.month, r.dimension, r.key, r.label, r.category, r.workers, r.amount]
            for r in result.rows
        ),
    )
    errors_path = errors_path_for(args.out)
    write_table(
        errors_path,
        ("month", "row", "worker_id", "workers", "field", "reason"),
        [
            *(["", e.row, e.worker_id, 1, e.field, e.reason] for e in result.roster_errors),
            *([e.month, "", e.worker_id, e.workers, e.location, e.reason] for e in result.errors),
        ],
    )
    if args.plot is not None:
        from paycalc.forecasting.plot import plot_forecast

        plot_forecast(result, args.plot)
    for problem in result.file_problems:
        _say(args, str(problem))
    for error in result.roster_errors[:20]:
        _say(args, str(error))
    failed = len(result.roster_errors)
    paid = result.rows_in - failed
    print(
        f"forecast: {args.out}; errors: {errors_path}"
        + (f"; chart: {args.plot}" if args.plot else "")
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
