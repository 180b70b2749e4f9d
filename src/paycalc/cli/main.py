"""Argument parsing and the error-to-exit-code policy shared by every command.

Exit codes (every command):

====  =================================================================================
0     ok
1     invalid input: every problem listed on stderr, one per line
      (``source: location: message``); for ``run`` and ``forecast`` also any row that
      failed; for ``impact --fail-on-loss`` anyone paid less; an output that could not be
      written (disk full, ...)
2     usage: a bad or out-of-range argument, or an output refused before any work (it is
      an input, two outputs collide, its folder is missing or read-only, its suffix or
      optional extra is wrong, another run is writing it)
70    internal error: a bug, reported in one line (``PAYCALC_DEBUG=1`` prints the traceback)
130   interrupted by Ctrl-C (SIGINT); 143 by SIGTERM — no output left half-written
====  =================================================================================

Everything printed that came from input is escaped (:mod:`paycalc.cli.terminal`).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Final, TextIO

from paycalc.cli.interrupts import Interrupted, interrupts_unwind
from paycalc.cli.terminal import EscapingStream, escape_line
from paycalc.errors import PaycalcError, UsageError
from paycalc.io.output import OutputBusy
from paycalc.period import Month

__all__ = [
    "EXIT_INTERNAL",
    "EXIT_INVALID",
    "EXIT_OK",
    "EXIT_USAGE",
    "FIRST_YEAR",
    "LAST_YEAR",
    "MAX_FORECAST_MONTHS",
    "date_arg",
    "horizon_arg",
    "main",
    "month_arg",
    "year_arg",
]

EXIT_OK: Final = 0
EXIT_INVALID: Final = 1
EXIT_USAGE: Final = 2
EXIT_INTERNAL: Final = 70  # EX_SOFTWARE (sysexits.h): paycalc itself failed

#: Months, years and dates given on the command line lie in these years.
FIRST_YEAR: Final = 1900
LAST_YEAR: Final = 2200
#: The longest forecast, in months (50 years).
MAX_FORECAST_MONTHS: Final = 600

#: Set to 1 to print the traceback of an internal error.
DEBUG_VARIABLE: Final = "PAYCALC_DEBUG"

Handler = Callable[[argparse.Namespace], int]


def _in_range(year: int, text: str) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise argparse.ArgumentTypeError(
            f"{text!r} is out of range: years {FIRST_YEAR}–{LAST_YEAR} only"
        )


def month_arg(text: str) -> Month:
    try:
        month = Month.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    _in_range(month.year, text)
    return month


def date_arg(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None
    _in_range(day.year, text)
    return day


def year_arg(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a year as YYYY, got {text!r}") from None
    _in_range(year, text)
    return year


def horizon_arg(text: str) -> int:
    try:
        months = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of months, got {text!r}") from None
    if not 1 <= months <= MAX_FORECAST_MONTHS:
        raise argparse.ArgumentTypeError(
            f"{months} months is out of range: 1 to {MAX_FORECAST_MONTHS} (50 years)"
        )
    return months


def schemes_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--schemes",
        type=Path,
        action="append",
        metavar="DIR",
        help="load scheme files from DIR instead of the bundled schemes (repeatable)",
    )
    parser.add_argument(
        "--include-drafts",
        action="store_true",
        help="let draft versions (proposals not adopted) be in force; slips then say so",
    )


def contributions_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--contributions",
        type=Path,
        action="append",
        metavar="DIR",
        help="load contribution tables (五险一金, DIR/<id>/<version>.toml) from DIR instead "
        "of the bundled tables (repeatable)",
    )


class _Parser(argparse.ArgumentParser):
    """argparse, with the message escaped (an argument may carry control characters)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {escape_line(message)}\n")


def build_parser() -> argparse.ArgumentParser:
    from paycalc.cli import core, payroll, policy, runs, schema, serve, validate

    parser = _Parser(
        prog="paycalc",
        description="Itemised monthly pay slips for community workers and village cadres.",
        epilog="exit codes: 0 ok, 1 invalid input, 2 usage, 70 internal error, 130/143 interrupted",
    )
    subparsers = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )
    for module in (core, payroll, policy, runs, schema, serve, validate):
        module.register(subparsers)
    return parser


@contextmanager
def _escaped_streams() -> Iterator[TextIO]:
    """stdout and stderr escaped for the command; yields the raw stderr (progress bars)."""
    raw_out, raw_err = sys.stdout, sys.stderr
    handlers: list[tuple[TextIO, str]] = []
    for stream in (raw_out, raw_err):
        reconfigure = getattr(stream, "reconfigure", None)
        errors = getattr(stream, "errors", None)
        if reconfigure is not None and errors is not None:
            handlers.append((stream, errors))  # a terminal that cannot show a character
            reconfigure(errors="backslashreplace")  # gets its \\uXXXX escape
    sys.stdout, sys.stderr = EscapingStream(raw_out), EscapingStream(raw_err)
    try:
        yield raw_err
    finally:
        sys.stdout, sys.stderr = raw_out, raw_err
        for stream, errors in handlers:
            stream.reconfigure(errors=errors)  # type: ignore[attr-defined]


def _say(*lines: object) -> None:
    for line in lines:
        print(f"paycalc: {escape_line(line)}", file=sys.stderr)


def _notes(error: BaseException) -> None:
    for note in getattr(error, "__notes__", ()):
        _say(note)


def _problems(error: PaycalcError) -> None:
    for problem in error.problems:
        print(escape_line(problem), file=sys.stderr)
    _notes(error)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code (see the module docstring)."""
    with _escaped_streams():
        try:
            with interrupts_unwind():
                return _run(argv)
        except Interrupted as error:
            _say(f"interrupted by {error.name}")
            _notes(error)
            return error.exit_code
        except KeyboardInterrupt as error:  # a signal handler other than ours (a thread)
            _say("interrupted")
            _notes(error)
            return 128 + 2


def _run(argv: Sequence[str] | None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as stop:  # argparse: --help (0) or a usage error (2)
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    handler: Handler = args.handler
    try:
        return handler(args)
    except UsageError as error:
        _problems(error)
        return EXIT_USAGE
    except PaycalcError as error:
        _problems(error)
        return EXIT_INVALID
    except OutputBusy as error:
        _say(error)
        return EXIT_USAGE
    except BrokenPipeError:  # `paycalc ... | head` is not an error
        _silence_stdout()
        return EXIT_OK
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        _say(f"{where}{error.strerror or error}")
        _notes(error)
        return EXIT_INVALID
    except (Interrupted, KeyboardInterrupt):
        raise
    except Exception as error:
        _internal_error(error)
        return EXIT_INTERNAL


def _internal_error(error: Exception) -> None:
    if os.environ.get(DEBUG_VARIABLE) == "1":
        traceback.print_exception(error, file=sys.stderr)
    _say(
        f"internal error — please report: {type(error).__name__}: {error}",
    )
    _notes(error)
    if os.environ.get(DEBUG_VARIABLE) != "1":
        _say(f"(set {DEBUG_VARIABLE}=1 to print the traceback)")


def _silence_stdout() -> None:
    """After a closed pipe, send stdout to /dev/null so the exit flush does not fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno() if sys.__stdout__ else 1)
    except (OSError, ValueError):  # pragma: no cover - stdout is not a real file
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
