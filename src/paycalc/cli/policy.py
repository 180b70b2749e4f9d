"""``paycalc diff``, ``explain``, ``impact`` and ``arrears``: guarding policy changes."""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from paycalc.cli.core import contributions_from, data_files, registry_from, with_worker_file
from paycalc.cli.main import (
    EXIT_INVALID,
    EXIT_OK,
    contributions_option,
    date_arg,
    month_arg,
    schemes_option,
)
from paycalc.cli.outputs import Output, plan_outputs
from paycalc.cli.runs import check_roster
from paycalc.cli.terminal import escape_line
from paycalc.errors import Problem, SchemeError, UsageError
from paycalc.explanation import explain
from paycalc.io.output import OutputSet
from paycalc.io.roster import read_roster
from paycalc.io.writers import format_of, open_staged, write_table
from paycalc.money import format_money
from paycalc.period import Month
from paycalc.policy import arrears, diff_schemes, impact
from paycalc.reforms import load_reform, versions_touched
from paycalc.scheme import SchemeRegistry, SchemeVersion, load_scheme_file
from paycalc.worker import Worker, load_worker

__all__ = ["register", "resolve_version"]

#: Per-worker tables of impact and arrears: CSV, XLSX, or one JSON document.
_ROWS_SUFFIXES = (".csv", ".xlsx", ".json")


def register(subparsers: Any) -> None:
    diff = subparsers.add_parser("diff", help="what changed between two scheme versions")
    diff.add_argument("old", metavar="OLD", nargs="?", help="a scheme file, or FAMILY@VERSION")
    diff.add_argument("new", metavar="NEW", nargs="?", help="a scheme file, or FAMILY@VERSION")
    reform_option(diff, "show what the reform changes (in OLD, or in every version it touches)")
    diff.add_argument("--format", choices=("text", "json"), default="text")
    schemes_option(diff)
    diff.set_defaults(handler=run_diff)

    why = subparsers.add_parser("explain", help="print the whole derivation of a slip")
    why.add_argument("worker", type=Path, metavar="WORKER.json")
    why.add_argument("--month", type=month_arg, required=True, metavar="YYYY-MM")
    why.add_argument("--as-of", type=date_arg, metavar="DATE")
    why.add_argument("--scheme", metavar="ID")
    schemes_option(why)
    contributions_option(why)
    why.set_defaults(handler=run_explain)

    _register_roster_commands(subparsers)


def _register_roster_commands(subparsers: Any) -> None:
    hit = subparsers.add_parser(
        "impact", help="who gains and who loses from OLD to NEW, on a roster"
    )
    hit.add_argument("old", metavar="OLD", nargs="?", help="a scheme file, or FAMILY@VERSION")
    hit.add_argument("new", metavar="NEW", nargs="?", help="a scheme file, or FAMILY@VERSION")
    reform_option(hit, "NEW is OLD with the reform (OLD: the version in force in --month)")
    hit.add_argument("--roster", type=Path, required=True, metavar="ROSTER")
    hit.add_argument("--month", type=month_arg, required=True, metavar="YYYY-MM")
    hit.add_argument(
        "--out", type=Path, metavar="FILE", help="per-worker table (.csv, .xlsx, .json)"
    )
    hit.add_argument("--fail-on-loss", action="store_true", help="exit 1 when anyone is paid less")
    hit.add_argument("--format", choices=("text", "json"), default="text")
    schemes_option(hit)
    hit.set_defaults(handler=run_impact)

    back = subparsers.add_parser(
        "arrears", help="back pay: due (known now) minus paid (known then)"
    )
    back.add_argument("roster", type=Path, metavar="ROSTER")
    back.add_argument("--from", dest="first", type=month_arg, required=True, metavar="YYYY-MM")
    back.add_argument("--to", dest="last", type=month_arg, required=True, metavar="YYYY-MM")
    back.add_argument("--paid-as-of", type=date_arg, required=True, metavar="DATE")
    back.add_argument("--due-as-of", type=date_arg, required=True, metavar="DATE")
    back.add_argument("--scheme", metavar="ID", help="scheme family for rows that name none")
    back.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="per worker, month and component (.csv, .xlsx, .json)",
    )
    back.add_argument("--format", choices=("text", "json"), default="text")
    schemes_option(back)
    contributions_option(back)
    back.set_defaults(handler=run_arrears)


def _roster_workers(path: Path, registry: SchemeRegistry) -> tuple[list[Worker], list[str], int]:
    """The valid workers, every problem as text, and the number of rows read."""
    roster = read_roster(path, schemes=registry)
    failures = [str(problem) for problem in roster.file_problems]
    failures += [str(error) for error in roster.errors]
    return roster.workers, failures, len(roster)


def _money(value: Decimal) -> str:
    return format_money(value)


def _outputs(args: argparse.Namespace, roster: Path, *schemes: str) -> OutputSet | None:
    """Refuse a bad --out before any work; the roster must be there (and readable)."""
    outputs = None
    if args.out is not None:
        inputs = [roster, *(Path(s) for s in schemes if Path(s).exists()), *data_files(args)]
        outputs = plan_outputs([Output("--out", args.out, _ROWS_SUFFIXES)], inputs)
    check_roster(roster)
    return outputs


def run_impact(args: argparse.Namespace) -> int:
    outputs = _outputs(args, args.roster, *(a for a in (args.old, args.new) if a))
    registry = registry_from(args)
    old, new = _pair(args, args.month)
    workers, failures, rows_in = _roster_workers(args.roster, registry)
    report = impact(old, new, workers, args.month)
    failures += [str(problem) for problem in report.problems]
    rows = report.worker_rows()
    summary = report.summary(rows_in)
    loss = report.largest_loss
    if outputs is not None:
        _write_rows(outputs, args.out, rows)
    if args.format == "json":
        print(
            json.dumps(
                {"summary": summary, "workers": rows, "errors": failures},
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        print(
            f"{summary['old']} → {summary['new']}, {args.month}: {len(report.workers)} workers paid under both"
        )
        if args.out is None:
            for row in rows:
                if row["delta"] != "0.00":
                    print(
                        escape_line(
                            f"  {row['worker_id']} {row['name']}: {row['old_gross']} → {row['new_gross']} ({row['delta']}); {row['moved']}"
                        )
                    )
        else:  # the per-worker table is in the file: the screen gets the summary
            print(escape_line(f"  per worker: {args.out}"))
        print(f"gain {summary['gain']}, lose {summary['lose']}, unchanged {summary['unchanged']}")
        print(
            f"{rows_in} rows in = {len(report.workers)} compared + {rows_in - len(report.workers)} failed"
        )
        if loss is not None:
            print(escape_line(f"largest loss: {loss.worker_id} {_money(loss.delta)}"))
        print(
            f"cost change: {summary['monthly_cost_change']} a month, {summary['annual_cost_change']} over 12 months"
        )
        for failure in failures:
            print(escape_line(f"error: {failure}"), file=sys.stderr)
    if failures:
        return EXIT_INVALID
    if args.fail_on_loss and report.losers:
        return EXIT_INVALID
    return EXIT_OK


def run_arrears(args: argparse.Namespace) -> int:
    if args.first > args.last:
        raise UsageError("--from", f"{args.first} is after --to {args.last}: no month to pay back")
    outputs = _outputs(args, args.roster)
    registry = registry_from(args)
    contributions = contributions_from(args)
    workers, failures, rows_in = _roster_workers(args.roster, registry)
    report = arrears(
        workers,
        args.first,
        args.last,
        paid_as_of=args.paid_as_of,
        due_as_of=args.due_as_of,
        schemes=registry,
        scheme=args.scheme,
        contributions=contributions,
    )
    failures += [str(problem) for problem in report.problems]
    rows = [
        {
            "worker_id": owed.worker_id,
            "month": line.month,
            "code": line.code,
            "label": line.label,
            "paid": _money(line.paid),
            "due": _money(line.due),
            "difference": _money(line.difference),
            "paid_version": line.paid_version,
            "due_version": line.due_version,
        }
        for owed in report.workers
        for line in owed.lines
    ]
    totals = {owed.worker_id: _money(owed.total) for owed in report.workers}
    if outputs is not None:
        _write_rows(outputs, args.out, rows)
    if args.format == "json":
        print(
            json.dumps(
                {
                    "workers": totals,
                    "total": _money(report.total),
                    "lines": rows,
                    "errors": failures,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        print(
            f"back pay {args.first}–{args.last}: paid as known on {args.paid_as_of}, due as known on {args.due_as_of}"
        )
        for owed in report.workers:
            if owed.lines:
                parts = ", ".join(
                    f"{label} {_money(amount)}" for label, amount in owed.by_component().values()
                )
                print(escape_line(f"  {owed.worker_id}: {_money(owed.total)} ({parts})"))
        print(
            f"total to pay: {_money(report.total)} for {sum(1 for o in report.workers if o.total)} of {len(report.workers)} workers"
        )
        print(
            f"{rows_in} rows in = {len(report.workers)} computed + {rows_in - len(report.workers)} failed"
        )
        for failure in failures:
            print(escape_line(f"error: {failure}"), file=sys.stderr)
    return EXIT_INVALID if failures else EXIT_OK


def _write_rows(outputs: OutputSet, path: Path, rows: list[dict[str, Any]]) -> None:
    """The per-worker table, written whole or not at all (``outputs`` holds ``path``)."""
    with outputs:
        if path.suffix.lower() == ".json":
            handle = outputs.open(path, encoding="utf-8")
            handle.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
            return
        columns = list(rows[0]) if rows else ["worker_id"]
        write_table(
            open_staged(outputs, path),
            columns,
            ([row[c] for c in columns] for row in rows),
            table_format=format_of(path),
        )


def resolve_version(text: str, registry_args: argparse.Namespace) -> SchemeVersion:
    """A scheme file path, or ``family@version`` from the registry."""
    path = Path(text)
    if path.suffix == ".toml" or path.exists():
        return load_scheme_file(path)
    if "@" not in text:
        raise SchemeError([Problem(text, "", "expected a scheme file or FAMILY@VERSION")])
    family, version = text.split("@", 1)
    registry: SchemeRegistry = registry_from(registry_args)
    return registry.find(family, version)


def reform_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--reform", type=Path, metavar="REFORM.toml", help=help_text)


def _pair(args: argparse.Namespace, month: Month | None) -> tuple[SchemeVersion, SchemeVersion]:
    """OLD and NEW from the arguments: two versions, or OLD and OLD with ``--reform``."""
    if args.reform is None:
        if args.old is None or args.new is None:
            raise UsageError("NEW", "give OLD and NEW, or OLD (or nothing) with --reform")
        return resolve_version(args.old, args), resolve_version(args.new, args)
    if args.new is not None:
        raise UsageError("NEW", "with --reform, NEW is OLD with the reform: give OLD only")
    reform = load_reform(args.reform)
    if args.old is not None:
        old = resolve_version(args.old, args)
    else:
        registry = registry_from(args)
        old = registry.version_for(reform.family, month or reform.effective_from)
    if old.family != reform.family:
        raise UsageError("--reform", f"the reform patches {reform.family}, not {old.family}")
    return old, reform.apply(old)


def run_diff(args: argparse.Namespace) -> int:
    if args.reform is not None and args.old is None and args.new is None:
        return _diff_reform(args)
    old, new = _pair(args, None)
    _print_diff(args, old, new)
    return EXIT_OK


def _diff_reform(args: argparse.Namespace) -> int:
    """Every version the reform touches, against its reformed copy."""
    reform = load_reform(args.reform)
    registry = registry_from(args)
    pairs = [(old, reform.apply(old)) for old in versions_touched(registry, reform)]
    if not pairs:
        raise UsageError(
            "--reform", f"no version of {reform.family} is in force from {reform.effective_from}"
        )
    if args.format == "json":
        documents = [_diff_document(old, new) for old, new in pairs]
        print(json.dumps(documents if len(documents) > 1 else documents[0], ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"reform {reform.id} ({reform.title}), from {reform.effective_from}:")
    for old, new in pairs:
        _print_diff(args, old, new)
    for note in reform.notes:
        print(f"  note: {note}")
    return EXIT_OK


def _diff_document(old: SchemeVersion, new: SchemeVersion) -> dict[str, Any]:
    return {
        "old": {"id": old.family, "version": old.version, "sha256": old.sha256},
        "new": {"id": new.family, "version": new.version, "sha256": new.sha256},
        "changes": [change.to_dict() for change in diff_schemes(old, new)],
    }


def _print_diff(args: argparse.Namespace, old: SchemeVersion, new: SchemeVersion) -> None:
    changes = diff_schemes(old, new)
    if args.format == "json":
        document = _diff_document(old, new)
        print(json.dumps(document, ensure_ascii=False, indent=2))
        return
    print(f"{old.family} {old.version} → {new.family} {new.version}: {len(changes)} change(s)")
    for change in changes:
        print(escape_line(f"  {change}"))


def run_explain(args: argparse.Namespace) -> int:
    worker = load_worker(args.worker)
    with with_worker_file(args.worker):
        explanation = explain(
            worker,
            args.month,
            schemes=registry_from(args),
            scheme=args.scheme,
            as_of=args.as_of,
            contributions=contributions_from(args),
        )
    print(explanation.render(), end="")
    return EXIT_OK
