"""``paycalc tax`` (cumulative withholding for finance staff) and ``paycalc year``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from paycalc.cli.core import contributions_from, registry_from, with_worker_file
from paycalc.cli.main import EXIT_OK, contributions_option, date_arg, schemes_option, year_arg
from paycalc.cli.outputs import check_inputs
from paycalc.cli.terminal import escape_line
from paycalc.engine import payroll_year
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

    year = subparsers.add_parser("year", help="print a worker's slips for every month of a year")
    year.add_argument("worker", type=Path, metavar="WORKER.json")
    year.add_argument("--year", type=year_arg, required=True, metavar="YYYY")
    year.add_argument("--as-of", type=date_arg, metavar="DATE")
    year.add_argument("--scheme", metavar="ID", help="scheme family, when the worker names none")
    year.add_argument("--format", choices=("text", "json"), default="text")
    schemes_option(year)
    contributions_option(year)
    year.set_defaults(handler=run_year)


def run_tax(args: argparse.Namespace) -> int:
    check_inputs([args.months])
    code, output = run_tax_file(args.months, args.format)
    print(output, file=sys.stdout if code == EXIT_OK else sys.stderr)
    return code


def run_year(args: argparse.Namespace) -> int:
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
