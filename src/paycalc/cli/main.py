"""Argument parsing and the error-to-exit-code policy shared by every command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from paycalc.errors import InputError, PaycalcError
from paycalc.period import Month

__all__ = ["EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "date_arg", "main", "month_arg"]

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2

Handler = Callable[[argparse.Namespace], int]


def month_arg(text: str) -> Month:
    try:
        return Month.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def date_arg(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def schemes_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--schemes",
        type=Path,
        action="append",
        metavar="DIR",
        help="load scheme files from DIR instead of the bundled schemes (repeatable)",
    )


def build_parser() -> argparse.ArgumentParser:
    from paycalc.cli import core, payroll, policy, runs, schema, serve, validate

    parser = argparse.ArgumentParser(
        prog="paycalc",
        description="Itemised monthly pay slips for community workers and village cadres.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (core, payroll, policy, runs, schema, serve, validate):
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except InputError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return EXIT_INVALID
    except PaycalcError as error:
        print(f"paycalc: {error}", file=sys.stderr)
        return EXIT_INVALID
    except BrokenPipeError:  # `paycalc ... | head` is not an error
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
