"""``paycalc validate PATH...``: check every file paycalc reads, and list every problem.

Each file is recognised by its content: a scheme version (TOML with ``[scheme]``), a
contribution table (TOML with ``[base]`` and ``[[items]]``), a worker (a JSON object), a pay
slip or a list of slips (JSON with ``worker_id`` and ``lines``: its totals must equal its
lines), or a roster (CSV, XLSX, JSONL). Named files must be one of these; files found in a
folder that are none of them (a README, a manifest, a plot) are skipped and counted.
"""

from __future__ import annotations

import argparse
import json
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from paycalc.cli.core import registry_from
from paycalc.cli.main import EXIT_INVALID, EXIT_OK, schemes_option
from paycalc.contributions import load_table_file
from paycalc.engine import check_worker_against, default_contribution_tables
from paycalc.errors import InputError, Problem, SchemeNotFound, WorkerError
from paycalc.io.roster import read_roster
from paycalc.scheme import SchemeRegistry, SchemeVersion, check_scheme_file, default_registry
from paycalc.scheme.registry import unknown_contribution_tables
from paycalc.slip import Payslip
from paycalc.worker import Worker, load_worker

__all__ = ["register"]

_ROSTER_SUFFIXES = {".csv", ".xlsx", ".jsonl", ".ndjson"}
_KNOWN_SUFFIXES = {".toml", ".json", *_ROSTER_SUFFIXES}


def register(subparsers: Any) -> None:
    validate = subparsers.add_parser(
        "validate",
        help="check scheme, contribution-table, worker, slip and roster files; list every problem",
    )
    validate.add_argument("paths", type=Path, nargs="+", metavar="PATH")
    schemes_option(validate)
    validate.set_defaults(handler=run_validate)


@dataclass
class _Findings:
    problems: list[Problem] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    versions: list[SchemeVersion] = field(default_factory=list)
    workers: list[tuple[str, Worker]] = field(default_factory=list)
    #: ids of the contribution tables found among the files checked
    table_ids: set[str] = field(default_factory=set)


def _files(paths: list[Path], findings: _Findings) -> list[tuple[Path, bool]]:
    """Every file to look at, and whether it was named (True) or found in a folder."""
    files: list[tuple[Path, bool]] = []
    for path in paths:
        if path.is_dir():
            for found in sorted(p for p in path.rglob("*") if p.is_file()):
                if found.suffix in _KNOWN_SUFFIXES:
                    files.append((found, False))
                else:
                    findings.counts["skipped"] += 1
        elif path.exists():
            files.append((path, True))
        else:
            findings.problems.append(Problem(str(path), "", "no such file or folder"))
    return files


def _check_toml(path: Path, named: bool, findings: _Findings) -> None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        data = {"scheme": None}  # let the scheme checker report the problem precisely
    if "scheme" in data:
        version, problems = check_scheme_file(path)
        findings.problems += problems
        findings.counts["scheme"] += 1
        if version is not None:
            findings.versions.append(version)
    elif "items" in data and "base" in data:
        findings.counts["contribution table"] += 1
        try:
            findings.table_ids.add(load_table_file(path).id)
        except InputError as error:
            findings.problems += error.problems
    elif named:
        findings.problems.append(
            Problem(
                str(path),
                "",
                "neither a scheme ([scheme]) nor a contribution table ([base], [[items]])",
            )
        )
    else:
        findings.counts["skipped"] += 1


def _is_slip(data: object) -> bool:
    return isinstance(data, dict) and "worker_id" in data and "lines" in data


def _check_json(path: Path, findings: _Findings) -> None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        findings.problems.append(Problem(str(path), "", f"not valid JSON: {error}"))
        return
    slips = data if isinstance(data, list) and data and all(map(_is_slip, data)) else None
    if _is_slip(data):
        slips = [data]
    if slips is not None:
        findings.counts["slip"] += len(slips)
        for index, slip in enumerate(slips):
            where = f"[{index}]" if isinstance(data, list) else ""
            try:
                Payslip.from_dict(slip)
            except (KeyError, TypeError, ValueError) as error:
                findings.problems.append(
                    Problem(str(path), where, f"not a consistent pay slip: {error}")
                )
        return
    findings.counts["worker"] += 1
    try:
        findings.workers.append((str(path), load_worker(path)))
    except WorkerError as error:
        findings.problems += error.problems


def _check_roster(path: Path, registry: SchemeRegistry, findings: _Findings) -> None:
    findings.counts["roster"] += 1
    roster = read_roster(path, schemes=registry)
    findings.problems += roster.file_problems
    findings.problems += [error.problem() for error in roster.errors]
    for record in roster.records:
        if record.worker is not None:
            findings.workers.append((f"{path}: row {record.row}", record.worker))


def _check_against_schemes(findings: _Findings, registry: SchemeRegistry) -> None:
    """Each worker against the latest version of its scheme (posts, grade band, inputs)."""
    for source, worker in findings.workers:
        if worker.scheme is None:
            continue
        try:
            latest = registry.versions(worker.scheme)[-1]
        except SchemeNotFound as error:
            findings.problems.append(Problem(source, "scheme", str(error)))
            continue
        found, _ = check_worker_against(latest, worker)
        findings.problems += [Problem(source, p.location, p.message) for p in found]


def _registry(args: argparse.Namespace, findings: _Findings) -> SchemeRegistry:
    """Workers are checked against --schemes, or the schemes being validated, or the bundle."""
    try:
        validated = SchemeRegistry(findings.versions)
    except InputError as error:
        findings.problems += error.problems
        validated = SchemeRegistry()
    if getattr(args, "schemes", None):
        return registry_from(args)
    return validated if len(validated) else default_registry()


def run_validate(args: argparse.Namespace) -> int:
    findings = _Findings()
    files = _files(args.paths, findings)
    for path, named in files:
        if path.suffix == ".toml":
            _check_toml(path, named, findings)
    registry = _registry(args, findings)
    for path, named in files:
        if path.suffix == ".json":
            _check_json(path, findings)
        elif path.suffix in _ROSTER_SUFFIXES:
            _check_roster(path, registry, findings)
        elif path.suffix != ".toml" and named:
            findings.problems.append(
                Problem(
                    str(path),
                    "",
                    "expected a scheme or table (.toml), a worker or slip (.json) or a roster (.csv, .xlsx, .jsonl)",
                )
            )
    _check_against_schemes(findings, registry)
    known_tables = findings.table_ids | set(default_contribution_tables().ids())
    findings.problems += unknown_contribution_tables(findings.versions, known_tables)
    counts = ", ".join(
        f"{count} {kind} file(s)" if kind != "slip" else f"{count} slip(s)"
        for kind, count in sorted(findings.counts.items())
    )
    for problem in findings.problems:
        print(problem)
    if findings.problems:
        print(f"{len(findings.problems)} problem(s); checked {counts or 'nothing'}")
        return EXIT_INVALID
    print(f"ok: {counts or 'nothing to check'}")
    return EXIT_OK
