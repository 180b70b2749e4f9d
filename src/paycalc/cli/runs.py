"""``paycalc run`` (a month's payroll over a roster) and ``paycalc forecast``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from paycalc.cli.core import registry_from
from paycalc.cli.main import EXIT_INVALID, EXIT_OK, EXIT_USAGE, date_arg, month_arg, schemes_option
from paycalc.cli.progress import ProgressBar
from paycalc.io.roster import read_roster
from paycalc.io.writers import (
    SLIP_SUFFIXES,
    errors_path_for,
    write_errors,
    write_table,
)

__all__ = ["register"]


def register(subparsers: Any) -> None:
    run = subparsers.add_parser(
        "run",
        help="pay every worker of a roster for a month; slips and an errors file out",
        description="Pay a roster (.csv, .xlsx, .jsonl) for one month. Writes the register "
        "(工资表: one row per worker, every line, totals) to --out and the rows that failed to "
        "OUT.errors.csv; optionally printable slips, the bank file and the income-tax file. "
        "Ends with 'N rows in = S slips + E errors'. Exit code 1 when any row failed or a paid "
        "worker is missing from the bank or tax file.",
    )
    run.add_argument("roster", type=Path, metavar="ROSTER")
    run.add_argument("--month", type=month_arg, required=True, metavar="YYYY-MM")
    run.add_argument("--scheme", metavar="ID", help="scheme family for rows that name none")
    run.add_argument(
        "--as-of", type=date_arg, metavar="DATE", help="only versions published by DATE"
    )
    run.add_argument("--out", type=Path, required=True, metavar="REGISTER.{xlsx,csv,jsonl}")
    run.add_argument(
        "--headers",
        choices=("labels", "codes"),
        default="labels",
        help="register column headers: Chinese labels (default) or codes",
    )
    run.add_argument("--slips", type=Path, metavar="DIR", help="write printable slips to DIR")
    run.add_argument("--slips-format", choices=("html", "pdf"), default="html")
    run.add_argument("--slips-paper", choices=("A4", "A5"), default="A4")
    run.add_argument("--unit", default="", metavar="NAME", help="单位名称 printed on the slips")
    run.add_argument("--bank", type=Path, metavar="FILE.{csv,xlsx}", help="bank transfer file")
    run.add_argument(
        "--bank-layout", type=Path, metavar="LAYOUT.toml", help="the bank's columns (TOML)"
    )
    run.add_argument("--iit", type=Path, metavar="FILE.xlsx", help="income-tax import file")
    run.add_argument(
        "--ytd",
        type=Path,
        metavar="FILE",
        help="the previous month's register or a year-to-date file: tax continues from it",
    )
    run.add_argument(
        "--declarations",
        type=Path,
        metavar="FILE",
        help="income tax declarations (专项附加扣除) keyed by 工号",
    )
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


def _usage(text: str) -> int:
    print(f"paycalc run: {text}", file=sys.stderr)
    return EXIT_USAGE


def _check_outputs(args: argparse.Namespace) -> str:
    """What is wrong with the output options, before any work ('' when nothing)."""
    if args.out.suffix.lower() not in SLIP_SUFFIXES:
        return f"--out must end in {', '.join(SLIP_SUFFIXES)}"
    if args.bank is not None and args.bank.suffix.lower() not in (".csv", ".txt", ".xlsx"):
        return "--bank must end in .csv, .txt or .xlsx"
    if args.iit is not None and args.iit.suffix.lower() != ".xlsx":
        return "--iit must end in .xlsx (the withholding client imports Excel files)"
    if args.bank_layout is not None and args.bank is None:
        return "--bank-layout needs --bank"
    if args.slips_format == "pdf" and args.slips is None:
        return "--slips-format pdf needs --slips DIR"
    return ""


def run_run(args: argparse.Namespace) -> int:
    from paycalc.close.bank import DEFAULT_LAYOUT, bank_file, load_bank_layout
    from paycalc.close.iit import tax_file
    from paycalc.close.month import close_month
    from paycalc.close.pdf import find_chromium
    from paycalc.close.printable import write_slips
    from paycalc.close.strips import write_strips

    problem = _check_outputs(args)
    if problem:
        return _usage(problem)
    if args.slips_format == "pdf" and find_chromium() is None:
        return _usage(
            "--slips-format pdf prints with headless Chromium, which was not found: "
            "apt-get install chromium fonts-wqy-microhei (or set PAYCALC_CHROMIUM)"
        )
    layout = load_bank_layout(args.bank_layout) if args.bank_layout else DEFAULT_LAYOUT
    registry = registry_from(args)
    roster = read_roster(args.roster, schemes=registry)
    bar = ProgressBar(len(roster), enabled=not args.quiet)
    try:
        closed = close_month(
            roster,
            args.month,
            schemes=registry,
            scheme=args.scheme,
            as_of=args.as_of,
            ytd=args.ytd,
            declarations=args.declarations,
            headers=args.headers,
            fast=not args.itemised,
            progress=bar.update,
        )
    finally:
        bar.close()
    register, result = closed.register, closed.result
    register.sources.insert(0, ("花名册 Roster", str(args.roster), _sha256(args.roster)))
    suffix = args.out.suffix.lower().lstrip(".")
    register.write(args.out, suffix)
    errors_path = errors_path_for(args.out)
    header_errors = [_FileError(p.location, p.message) for p in result.file_problems]
    write_errors(errors_path, [*header_errors, *register.errors])
    said = [f"register: {args.out}; errors: {errors_path}"]
    if suffix != "xlsx":
        notes_path = args.out.with_name(f"{args.out.stem}.notes.txt")
        register.write_notes(notes_path)
        said[0] += f"; notes: {notes_path}"
    incomplete = False
    if args.slips is not None:
        written = write_slips(register, args.slips, paper=args.slips_paper, unit=args.unit)
        write_strips(register, args.slips / "strips.xlsx")
        if args.slips_format == "pdf":
            from paycalc.close.pdf import htmls_to_pdf

            htmls_to_pdf(written)
        said.append(
            f"slips: {args.slips} ({len(register.rows)} {args.slips_format} slips, "
            f"all-slips, strips.xlsx)"
        )
    if args.bank is not None:
        bank = bank_file(register, layout)
        bank.write(args.bank, "xlsx" if args.bank.suffix.lower() == ".xlsx" else "csv")
        said.append(f"bank: {args.bank} ({bank.summary()})")
        if bank.missing:
            missing_path = args.bank.with_name(f"{args.bank.stem}.missing.csv")
            bank.write_missing(missing_path)
            said[-1] += f"; not in it: {missing_path}"
            incomplete = incomplete or any(m.net > 0 for m in bank.missing)
    if args.iit is not None:
        taxes = tax_file(register)
        taxes.write(args.iit)
        said.append(f"tax file: {args.iit} ({taxes.summary()})")
        if taxes.missing:
            missing_path = args.iit.with_name(f"{args.iit.stem}.missing.csv")
            _write_gaps(missing_path, taxes.missing)
            said[-1] += f"; not in it: {missing_path}"
            incomplete = True
    for problem_ in result.file_problems:
        _say(args, str(problem_))
    for note in register.notes:
        _say(args, f"note: {note}")
    shown = register.errors[:20]
    for error in shown:
        _say(args, str(error))
    if len(register.errors) > len(shown):
        _say(args, f"... and {len(register.errors) - len(shown)} more in {errors_path}")
    print("\n".join(said))
    print(result.summary())
    bad = result.failed_rows or result.file_problems or incomplete
    return EXIT_INVALID if bad else EXIT_OK


def _sha256(path: Path) -> str:
    import hashlib

    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def _write_gaps(path: Path, gaps: Any) -> None:
    write_table(path, ("工号", "姓名", "原因"), ([g.worker_id, g.name, g.reason] for g in gaps))


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
