"""``paycalc tax`` (cumulative withholding for finance staff) and ``paycalc year``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from paycalc.cli.core import contributions_from, data_files, registry_from, with_worker_file
from paycalc.cli.main import (
    EXIT_INVALID,
    EXIT_OK,
    contributions_option,
    date_arg,
    schemes_option,
    year_arg,
)
from paycalc.cli.outputs import Output, check_inputs, plan_outputs
from paycalc.cli.runs import check_roster
from paycalc.cli.terminal import escape_line
from paycalc.engine import payroll_year
from paycalc.errors import UsageError
from paycalc.io.roster import read_roster
from paycalc.io.tables import ROSTER_SUFFIXES
from paycalc.io.writers import errors_path_for, open_staged, write_errors
from paycalc.tax.command import run_tax_file
from paycalc.worker import load_worker

__all__ = ["register"]


def register(subparsers: Any) -> None:
    tax = subparsers.add_parser(
        "tax", help="withhold a year of wages (累计预扣法) from a MONTHS.json file"
    )
    tax.add_argument("months", type=Path, metavar="MONTHS.json")
    tax.add_argument("--format", choices=("text", "json"), default="text")
    tax.set_defaults(handler=run_tax)

    year = subparsers.add_parser(
        "year",
        help="a worker's slips for every month of a year, or a roster's year-end summary",
        description="WORKER.json: print the year's slips. A roster (.csv, .xlsx, .jsonl) with "
        "--out SUMMARY.xlsx: the year-end summary per worker and month, and the year's income "
        "tax breakdown per worker.",
    )
    year.add_argument("worker", type=Path, metavar="WORKER.json|ROSTER")
    year.add_argument("--year", type=year_arg, required=True, metavar="YYYY")
    year.add_argument("--as-of", type=date_arg, metavar="DATE")
    year.add_argument("--scheme", metavar="ID", help="scheme family, when the worker names none")
    year.add_argument("--format", choices=("text", "json"), default="text")
    year.add_argument("--out", type=Path, metavar="SUMMARY.xlsx", help="with a roster")
    year.add_argument(
        "--declarations", type=Path, metavar="FILE", help="with a roster: declarations by 工号"
    )
    schemes_option(year)
    contributions_option(year)
    year.set_defaults(handler=run_year)


def run_tax(args: argparse.Namespace) -> int:
    check_inputs([args.months])
    code, output = run_tax_file(args.months, args.format)
    print(output, file=sys.stdout if code == EXIT_OK else sys.stderr)
    return code


def run_year(args: argparse.Namespace) -> int:
    if args.worker.suffix.lower() in ROSTER_SUFFIXES:
        return _roster_year(args)
    if args.out is not None:
        raise UsageError("--out", "is for a roster's year-end summary", source="paycalc year")
    check_inputs([args.worker])
    worker = load_worker(args.worker)
    with with_worker_file(args.worker):
        slips = payroll_year(
            worker,
            args.year,
            schemes=registry_from(args),
            scheme=args.scheme,
            as_of=args.as_of,
            contributions=contributions_from(args),
        )
    if args.format == "json":
        print(json.dumps([slip.to_dict() for slip in slips], ensure_ascii=False, indent=2))
    else:
        name = escape_line(worker.name)
        print("\n".join(slip.render_text(worker_name=name) for slip in slips), end="")
    return EXIT_OK


def _roster_year(args: argparse.Namespace) -> int:
    from paycalc.close.declarations import apply_declarations
    from paycalc.close.year_end import year_summary

    if args.out is None:
        raise UsageError("--out", "a roster's summary needs --out SUMMARY.xlsx", source="paycalc year")
    errors_path = errors_path_for(args.out)
    inputs = [args.worker, *([args.declarations] if args.declarations else [])]
    outputs = plan_outputs(
        [
            Output("--out", args.out, (".xlsx",)),
            Output("--out (its errors file)", errors_path, (".csv",)),
        ],
        [*inputs, *data_files(args)],
    )
    check_roster(args.worker)
    check_inputs(inputs)
    registry = registry_from(args)
    with outputs:
        roster = read_roster(args.worker, schemes=registry)
        if args.declarations is not None:
            roster, _ = apply_declarations(roster, args.declarations)
        summary = year_summary(
            roster,
            args.year,
            schemes=registry,
            scheme=args.scheme,
            as_of=args.as_of,
            contributions=contributions_from(args),
        )
        summary.write_xlsx(outputs.open(args.out, binary=True))
        write_errors(open_staged(outputs, errors_path), summary.errors)
    for problem in roster.file_problems:
        print(escape_line(problem), file=sys.stderr)
    for error in summary.errors[:20]:
        print(escape_line(error), file=sys.stderr)
    print(escape_line(f"summary: {args.out}; errors: {errors_path}"))
    print(summary.summary())
    return EXIT_INVALID if summary.errors or roster.file_problems else EXIT_OK
