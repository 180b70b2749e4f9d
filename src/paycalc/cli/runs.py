"""``paycalc run`` (a month's payroll over a roster) and ``paycalc forecast``."""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

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
    write_table,
)
from paycalc.period import Month

__all__ = ["check_roster", "register"]

#: The errors file beside an output is always CSV.
_ERRORS_SUFFIXES = (".csv",)


def register(subparsers: Any) -> None:
    run = subparsers.add_parser(
        "run",
        help="pay every worker of a roster for a month; the register and an errors file out",
        description="Pay a roster (.csv, .xlsx, .jsonl) for one month. Writes the register "
        "(工资表: one row per worker, every line, totals) to --out and the rows that failed to "
        "OUT.errors.csv; optionally printable slips, the bank file and the income-tax file. "
        "Ends with 'N rows in = S slips + U not employed + E errors'. Exit code 1 when any "
        "row failed or a paid worker is missing from the bank or tax file.",
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
        metavar="REGISTER.{xlsx,csv,jsonl}",
        help="the register; the rows that failed go to REGISTER.errors.csv beside it",
    )
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
    fc.add_argument(
        "--by",
        metavar="COLUMN[,COLUMN]",
        help="also total by these roster columns (e.g. 街道 or 街道,岗位)",
    )
    fc.add_argument(
        "--reform",
        type=Path,
        action="append",
        metavar="REFORM.toml",
        help="a scenario priced beside the baseline on the same path (repeatable)",
    )
    fc.add_argument(
        "--replications", type=_replications_arg, metavar="N", help="N simulated paths: bands"
    )
    fc.add_argument("--seed", type=int, metavar="S", help="the seed (default: the assumptions')")
    fc.add_argument(
        "--percentiles",
        type=_percentiles_arg,
        default=(5, 50, 95),
        metavar="P,P,…",
        help="percentile columns with --replications (default 5,50,95)",
    )
    fc.add_argument(
        "--dask",
        metavar="local|tcp://HOST:PORT",
        help="compute blocks × replications on a Dask cluster (pip install 'paycalc[dask]')",
    )
    fc.add_argument(
        "--block-size",
        type=int,
        default=None,
        metavar="ROWS",
        help="cohort rows per block (part of what the seed reproduces; default 50000)",
    )
    fc.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="FORECAST.{csv,xlsx,jsonl}",
        help="the forecast rows; rows that failed go to FORECAST.errors.csv beside it",
    )
    fc.add_argument(
        "--plot",
        type=Path,
        metavar="FORECAST.{png,svg,pdf}",
        help="stacked monthly cost chart, one panel per scenario",
    )
    fc.add_argument(
        "--fan", type=Path, metavar="FAN.{png,svg,pdf}", help="fan chart (with --replications)"
    )
    fc.add_argument(
        "--waterfall",
        type=Path,
        metavar="WATERFALL.{png,svg,pdf}",
        help="the first reform's difference by component (with --reform)",
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


def _usage(option: str, text: str) -> UsageError:
    return UsageError(option, text, source="paycalc run")


def _close_options(args: argparse.Namespace) -> None:
    """Options that only make sense together, refused before any work."""
    if args.bank_layout is not None and args.bank is None:
        raise _usage("--bank-layout", "needs --bank")
    if args.slips_format == "pdf" and args.slips is None:
        raise _usage("--slips-format", "pdf needs --slips DIR")
    if args.slips is not None and args.slips.exists() and not args.slips.is_dir():
        raise _usage("--slips", f"{args.slips} is not a folder")
    if args.slips_format == "pdf":
        from paycalc.close.pdf import find_chromium

        if find_chromium() is None:
            raise _usage(
                "--slips-format",
                "pdf prints with headless Chromium, which was not found: "
                "apt-get install chromium fonts-wqy-microhei (or set PAYCALC_CHROMIUM)",
            )


def _missing_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}.missing.csv")


def run_run(args: argparse.Namespace) -> int:
    from paycalc.close.bank import DEFAULT_LAYOUT, bank_file, load_bank_layout
    from paycalc.close.iit import tax_file
    from paycalc.close.month import close_month
    from paycalc.close.printable import write_slips
    from paycalc.close.strips import write_strips

    _close_options(args)
    errors_path = errors_path_for(args.out)
    notes_path = args.out.with_name(f"{args.out.stem}.notes.txt")
    planned = [
        Output("--out", args.out, SLIP_SUFFIXES),
        Output("--out (its errors file)", errors_path, _ERRORS_SUFFIXES),
    ]
    if args.out.suffix.lower() != ".xlsx":  # an XLSX register holds its notes in a sheet
        planned.append(Output("--out (its notes)", notes_path, (".txt",)))
    if args.bank is not None:
        planned.append(Output("--bank", args.bank, (".csv", ".txt", ".xlsx")))
        planned.append(Output("--bank (who is not in it)", _missing_path(args.bank), (".csv",)))
    if args.iit is not None:
        planned.append(Output("--iit", args.iit, (".xlsx",)))
        planned.append(Output("--iit (who is not in it)", _missing_path(args.iit), (".csv",)))
    inputs = [
        args.roster,
        *(path for path in (args.ytd, args.declarations, args.bank_layout) if path is not None),
    ]
    outputs = plan_outputs(planned, [*inputs, *data_files(args)])
    check_roster(args.roster)
    check_inputs(inputs)
    layout = load_bank_layout(args.bank_layout) if args.bank_layout else DEFAULT_LAYOUT
    registry = registry_from(args)
    contributions = contributions_from(args)
    said: list[str] = []
    incomplete = False
    with outputs:
        roster = read_roster(args.roster, schemes=registry)
        bar = ProgressBar(len(roster), enabled=not args.quiet, stream=_raw_stderr())
        try:
            closed = close_month(
                roster,
                args.month,
                schemes=registry,
                scheme=args.scheme,
                as_of=args.as_of,
                ytd=args.ytd,
                declarations=args.declarations,
                contributions=contributions,
                headers=args.headers,
                fast=not args.itemised,
                progress=bar.update,
            )
        finally:
            bar.close()
        register, result = closed.register, closed.result
        register.sources.insert(0, ("花名册 Roster", str(args.roster), _sha256(args.roster)))
        suffix = args.out.suffix.lower().lstrip(".")
        register.write(outputs.open(args.out, binary=True), suffix)
        header_errors = [_FileError(p.location, p.message) for p in result.file_problems]
        write_errors(open_staged(outputs, errors_path), [*header_errors, *register.errors])
        said.append(f"register: {args.out}; errors: {errors_path}")
        if suffix != "xlsx":
            register.write_notes(outputs.open(notes_path, binary=True))
            said[0] += f"; notes: {notes_path}"
        if args.slips is not None:
            # One file per worker, each written whole (temporary + rename) by the writers.
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
            bank_format = "xlsx" if args.bank.suffix.lower() == ".xlsx" else "csv"
            bank.write(outputs.open(args.bank, binary=True), bank_format)
            said.append(f"bank: {args.bank} ({bank.summary()})")
            if bank.missing:
                bank.write_missing(outputs.open(_missing_path(args.bank), binary=True))
                said[-1] += f"; not in it: {_missing_path(args.bank)}"
                incomplete = incomplete or any(m.net > 0 for m in bank.missing)
        if args.iit is not None:
            taxes = tax_file(register)
            taxes.write(outputs.open(args.iit, binary=True))
            said.append(f"tax file: {args.iit} ({taxes.summary()})")
            if taxes.missing:
                write_table(
                    open_staged(outputs, _missing_path(args.iit)),
                    ("工号", "姓名", "原因"),
                    ([g.worker_id, g.name, g.reason] for g in taxes.missing),
                )
                said[-1] += f"; not in it: {_missing_path(args.iit)}"
                incomplete = True
    for problem in result.file_problems:
        _say(args, problem)
    for note in register.notes:
        _say(args, f"note: {note}")
    for absent in result.not_employed:
        _say(args, f"not employed: {absent}")
    shown = register.errors[:20]
    for error in shown:
        _say(args, error)
    if len(register.errors) > len(shown):
        _say(args, f"... and {len(register.errors) - len(shown)} more in {errors_path}")
    for line in said:
        print(escape_line(line))
    print(result.summary())
    bad = result.failed_rows or result.file_problems or incomplete
    return EXIT_INVALID if bad else EXIT_OK


def _sha256(path: Path) -> str:
    import hashlib

    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


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


def _replications_arg(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not 1 <= count <= 100_000:
        raise argparse.ArgumentTypeError(f"{count} is out of range: 1 to 100000")
    return count


def _percentiles_arg(text: str) -> tuple[Decimal, ...]:
    try:
        found = tuple(Decimal(part.strip()) for part in text.split(","))
    except ArithmeticError:
        raise argparse.ArgumentTypeError(f"expected numbers like 5,50,95, got {text!r}") from None
    if not found or any(not 0 <= p <= 100 for p in found) or list(found) != sorted(set(found)):
        raise argparse.ArgumentTypeError(f"expected rising percentiles from 0 to 100, got {text!r}")
    return found


def _forecast_outputs(args: argparse.Namespace) -> list[Output]:
    from paycalc.forecasting.plot import PLOT_SUFFIXES

    planned = [
        Output("--out", args.out, TABLE_SUFFIXES),
        Output("--out (its errors file)", errors_path_for(args.out), _ERRORS_SUFFIXES),
    ]
    for option in ("plot", "fan", "waterfall"):
        path = getattr(args, option)
        if path is not None:
            planned.append(Output(f"--{option}", path, PLOT_SUFFIXES))
    if args.fan is not None and args.replications is None:
        raise UsageError("--fan", "a fan chart needs --replications")
    if args.waterfall is not None and not args.reform:
        raise UsageError("--waterfall", "a waterfall needs --reform")
    return planned


def _reforms(args: argparse.Namespace) -> dict[str, Any]:
    from paycalc.reforms import load_reform

    found: dict[str, Any] = {}
    for path in args.reform or []:
        reform = load_reform(path)
        if reform.id in found or reform.id == "baseline":
            raise UsageError("--reform", f"two scenarios named {reform.id!r}: give each reform its own id")
        found[reform.id] = reform
    return found


def run_forecast(args: argparse.Namespace) -> int:
    from paycalc.forecasting import Assumptions, forecast, load_assumptions
    from paycalc.forecasting.core import DEFAULT_BLOCK_SIZE

    last = args.start.plus(args.months - 1)
    if last > Month(LAST_YEAR, 12):
        raise UsageError(
            "--months", f"{args.months} months from {args.start} end after {LAST_YEAR}-12"
        )
    if args.block_size is not None and args.block_size < 1:
        raise UsageError("--block-size", "at least 1 row")
    errors_path = errors_path_for(args.out)
    inputs = [args.roster, *([args.assumptions] if args.assumptions else []), *(args.reform or []),
              *data_files(args)]  # fmt: skip
    outputs = plan_outputs(_forecast_outputs(args), inputs)
    for option in ("plot", "fan", "waterfall"):
        if getattr(args, option) is not None:
            _require_plot(getattr(args, option))
    if args.dask is not None:
        from paycalc.forecasting.distributed import require_dask

        require_dask()
    check_roster(args.roster)
    check_inputs([*([args.assumptions] if args.assumptions else []), *(args.reform or [])])
    assumptions = load_assumptions(args.assumptions) if args.assumptions else Assumptions()
    reforms = _reforms(args)
    registry = registry_from(args)
    bars: list[ProgressBar] = []

    def progress(done: int, total: int) -> None:
        if not bars:
            bars.append(ProgressBar(total, label="blocks", stream=_raw_stderr(), enabled=not args.quiet))
        bars[0].update(done)

    with outputs:
        result = forecast(
            args.roster,
            args.start,
            args.months,
            assumptions,
            schemes=registry,
            scheme=args.scheme,
            by=args.by,
            reforms=reforms,
            replications=args.replications,
            seed=args.seed,
            percentiles=args.percentiles,
            dask=args.dask,
            block_size=args.block_size or DEFAULT_BLOCK_SIZE,
            progress=progress,
        )
        for bar in bars:
            bar.close()
        _write_forecast(outputs, args, result, errors_path)
    _report_forecast(args, result, errors_path)
    failed = len({error.row for error in result.roster_errors})
    bad = failed or result.errors or result.file_problems
    return EXIT_INVALID if bad else EXIT_OK


def _write_forecast(outputs: Any, args: argparse.Namespace, result: Any, errors_path: Path) -> None:
    from paycalc.forecasting.frames import percentile_names, row_dicts

    columns = ("month", "dimension", "key", "label", "category", "workers", "amount", "scenario",
               *percentile_names(result))  # fmt: skip
    write_table(
        open_staged(outputs, args.out),
        columns,
        ([row[c] for c in columns] for row in row_dicts(result)),
        table_format=format_of(args.out),
    )
    write_table(
        open_staged(outputs, errors_path),
        ("month", "row", "worker_id", "workers", "field", "reason", "scenario", "replication"),
        [
            *(["", e.row, e.worker_id, 1, e.field, e.reason, "", ""] for e in result.roster_errors),
            *(
                [e.month, "", e.worker_id, e.workers, e.location, e.reason, e.scenario,
                 "" if e.replication is None else e.replication]
                for e in result.errors
            ),
        ],
    )
    import warnings

    from paycalc.forecasting.plot import NoCJKFont, plot_fan, plot_forecast, plot_waterfall

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", NoCJKFont)
        for option, draw in (("plot", plot_forecast), ("fan", plot_fan), ("waterfall", plot_waterfall)):
            path = getattr(args, option)
            if path is not None:
                draw(result, outputs.open(path, binary=True),
                     image_format=path.suffix.lower().lstrip("."))  # fmt: skip
    for warning in {str(w.message) for w in caught if issubclass(w.category, NoCJKFont)}:
        print(escape_line(f"warning: {warning}"), file=sys.stderr)


def _report_forecast(args: argparse.Namespace, result: Any, errors_path: Path) -> None:
    for problem in result.file_problems:
        _say(args, problem)
    for error in result.roster_errors[:20]:
        _say(args, error)
    failed = len({error.row for error in result.roster_errors})  # a row may fail twice
    paid = result.rows_in - failed
    charts = [f"{option}: {getattr(args, option)}" for option in ("plot", "fan", "waterfall")
              if getattr(args, option) is not None]  # fmt: skip
    print(escape_line("; ".join([f"forecast: {args.out}", f"errors: {errors_path}", *charts])))
    print(
        f"{result.rows_in} rows in = {paid} workers forecast + {failed} errors; "
        f"{result.months} months from {result.start}; "
        f"total employer cost {result.total():,.2f}"
    )
    if len(result.scenarios) > 1 or result.replications:
        for line in _summary(result):
            print(escape_line(line))
    for note in result.notes:
        print(escape_line(f"note: {note}"))
    if result.errors:
        print(f"{len(result.errors)} cohort-month(s) could not be paid; see {errors_path}")


def _summary(result: Any) -> list[str]:
    """Employer cost by year and scenario (with the percentiles), the differences and what
    damped them over the horizon."""
    from paycalc.forecasting.core import difference_name
    from paycalc.forecasting.frames import percentile_names

    names = [*result.scenarios, *(difference_name(s) for s in result.scenarios[1:])]
    width = max(len(n) for n in names)
    head = ["mean" if result.replications else "employer cost", *percentile_names(result)]
    lines = [f"{'employer cost':<{width}}  year  " + "  ".join(f"{h:>16}" for h in head)]
    for name in names:
        for row in result.yearly("employer_cost", name):
            cells = "  ".join(f"{value:>16,.2f}" for value in (row.amount, *row.stats))
            lines.append(f"{name:<{width}}  {row.month}  {cells}")
    for reform in result.scenarios[1:]:
        scenario = difference_name(reform)
        held: dict[tuple[str, str], list[Any]] = {}
        for row in result.rows:
            if row.scenario == scenario and row.dimension in ("cap", "damping") and len(row.month) == 7:
                entry = held.setdefault((row.dimension, row.key), [row.label, 0, Decimal(0)])
                entry[1] = max(entry[1], row.workers)
                entry[2] += row.amount
        for (dimension, key), (label, workers, amount) in held.items():
            what = (
                "what the cap cuts changes by" if dimension == "cap"
                else "gross moved with no change in contributions by"
            )  # fmt: skip
            lines.append(
                f"{scenario}: {label} ({key}): {what} {amount:+,.2f} over the horizon "
                f"(up to {workers:,} workers a month)"
            )
    return lines


def _require_plot(path: Path) -> None:
    from paycalc.forecasting.plot import require_matplotlib

    try:
        require_matplotlib()
    except ImportError as error:
        raise UsageError(str(path), str(error), source="--plot") from None
