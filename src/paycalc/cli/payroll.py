"""``paycalc tax`` (cumulative withholding for finance staff) and ``paycalc year``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from paycalc.cli.core import registry_from, with_worker_file
from paycalc.cli.main import EXIT_INVALID, EXIT_OK, EXIT_USAGE, date_arg, schemes_option
from paycalc.engine import payroll_year
from paycalc.io.roster import read_roster
from paycalc.io.tables import ROSTER_SUFFIXES
from paycalc.io.writers import errors_path_for, write_errors
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
    year.add_argument("--year", type=int, required=True, metavar="YYYY")
    year.add_argument("--as-of", type=date_arg, metavar="DATE")
    year.add_argument("--scheme", metavar="ID", help="scheme family, when the worker names none")
    year.add_argument("--format", choices=("text", "json"), default="text")
    year.add_argument("--out", type=Path, metavar="SUMMARY.xlsx", help="with a roster")
    year.add_argument(
        "--declarations", type=Path, metavar="FILE", help="with a roster: declarations by 工号"
    )
    schemes_option(year)
    year.set_defaults(handler=run_year)


def run_tax(args: argparse.Namespace) -> int:
    code, output = run_tax_file(args.months, args.format)
    print(output, file=sys.stdout if code == EXIT_OK else sys.stderr)
    return code


def run_year(args: argparse.Namespace) -> int:
    if args.worker.suffix.lower() in ROSTER_SUFFIXES:
        return _roster_year(args)
    if args.out is not None:
        print("paycalc year: --out is for a roster's summary", file=sys.stderr)
        return EXIT_USAGE
    worker = load_worker(args.worker)
    with with_worker_file(args.worker):
        slips = payroll_year(
            worker, args.year, schemes=registry_from(args), scheme=args.scheme, as_of=args.as_of
        )
    if args.format == "json":
        print(json.dumps([slip.to_dict() for slip in slips], ensure_ascii=False, indent=2))
    else:
        print("\n".join(slip.render_text(worker_name=worker.name) for slip in slips), end="")
    return EXIT_OK


def _roster_year(args: argparse.Namespace) -> int:
    from paycalc.close.declarations import apply_declarations
    from paycalc.close.year_end import year_summary

    if args.out is None or args.out.suffix.lower() != ".xlsx":
        print("paycalc year: a roster's summary needs --out SUMMARY.xlsx", file=sys.stderr)
        return EXIT_USAGE
    if not 1 <= args.year <= 9998:
        print(f"paycalc year: --year {args.year} is not a year", file=sys.stderr)
        return EXIT_USAGE
    registry = registry_from(args)
    roster = read_roster(args.worker, schemes=registry)
    if args.declarations is not None:
        roster, _ = apply_declarations(roster, args.declarations)
    summary = year_summary(roster, args.year, schemes=registry, scheme=args.scheme, as_of=args.as_of)
    summary.write_xlsx(args.out)
    errors_path = errors_path_for(args.out)
    write_errors(errors_path, summary.errors)
    for problem in roster.file_problems:
        print(problem, file=sys.stderr)
    for error in summary.errors[:20]:
        print(error, file=sys.stderr)
    print(f"summary: {args.out}; errors: {errors_path}")
    print(summary.summary())
    return EXIT_INVALID if summary.errors or roster.file_problems else EXIT_OK
