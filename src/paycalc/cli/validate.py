"""``paycalc validate PATH...``: check every file paycalc reads, and list every problem.

Each file is recognised by its content: a scheme version (TOML with ``[scheme]``), a
contribution table (TOML with ``[base]`` and ``[[items]]``), a worker (a JSON object), a pay
slip or a list of slips (JSON with ``worker_id`` and ``lines``: its totals must equal its
lines), or a roster (CSV, XLSX, JSONL). Named files must be one of these; files found in a
folder that are none of them (a README, a manifest, a plot) are skipped and counted;
a named folder holding none of these kinds is a problem. Folders are walked following
symbolic links. A contribution table is also checked as ``--contributions`` would load it
(``DIR/<id>/<version>.toml``), and a folder holding both schemes and tables is pointed out
(``--schemes`` loads only schemes; pass the tables with ``--contributions``).
"""

from __future__ import annotations

import argparse
import json
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from paycalc._folders import files_under
from paycalc.cli.core import contributions_from, registry_from, toml_kind
from paycalc.cli.main import EXIT_INVALID, EXIT_OK, schemes_option
from paycalc.cli.terminal import escape_line
from paycalc.contributions import load_table_file
from paycalc.contributions.registry import load_table_files
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
    #: contribution tables checked, and the folders holding scheme files or tables
    tables: list[Path] = field(default_factory=list)
    kinds_in: defaultdict[Path, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: the files found under each named folder
    under: dict[Path, list[Path]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _files(paths: list[Path], findings: _Findings) -> list[tuple[Path, bool]]:
    """Every file to look at, and whether it was named (True) or found in a folder."""
    files: list[tuple[Path, bool]] = []
    for path in paths:
        if path.is_dir():
            findings.under[path] = []
            for found in files_under(path):
                if found.suffix in _KNOWN_SUFFIXES:
                    files.append((found, False))
                    findings.under[path].append(found)
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
    kind = toml_kind(data)
    if kind == "scheme":
        version, problems = check_scheme_file(path)
        findings.problems += problems
        findings.counts["scheme"] += 1
        findings.kinds_in[path.parent].add("scheme")
        if version is not None:
            findings.versions.append(version)
    elif kind == "contribution table":
        findings.counts["contribution table"] += 1
        findings.kinds_in[path.parent].add("contribution table")
        try:
            findings.table_ids.add(load_table_file(path).id)
        except InputError as error:
            findings.problems += error.problems
        else:
            findings.tables.append(path)
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


def _check_table_layout(findings: _Findings) -> None:
    """The valid tables as ``--contributions DIR`` loads them: ``DIR/<id>/<version>.toml``,
    each version of an id with its own ``effective_from``."""
    by_root: defaultdict[Path, list[Path]] = defaultdict(list)
    for path in findings.tables:
        by_root[path.parent.parent].append(path)
    for files in by_root.values():
        try:
            load_table_files(files)
        except InputError as error:
            findings.problems += error.problems


def _check_folders(findings: _Findings) -> None:
    """A named folder with nothing to check is a problem; schemes beside tables, a note."""
    for folder, found in findings.under.items():
        if not found:
            findings.problems.append(
                Problem(
                    str(folder),
                    "",
                    "no scheme, contribution table, worker, slip or roster file in this folder",
                )
            )
    tops = {folder for folder in findings.under}
    for top in sorted(tops):
        kinds = set().union(
            *(k for f, k in findings.kinds_in.items() if f == top or top in f.parents)
        )
        if kinds == {"scheme", "contribution table"}:
            findings.notes.append(
                f"note: {top} holds scheme files and contribution tables: pass the schemes "
                "with --schemes and the tables with --contributions (each loads one kind)"
            )


def run_validate(args: argparse.Namespace) -> int:
    findings = _Findings()
    files = _files(args.paths, findings)
    for path, named in files:
        if path.suffix == ".toml":
            _check_toml(path, named, findings)
    _check_table_layout(findings)
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
    given = contributions_from(args) if getattr(args, "contributions", None) else None
    known_tables = findings.table_ids | set((given or default_contribution_tables()).ids())
    findings.problems += unknown_contribution_tables(findings.versions, known_tables)
    _check_folders(findings)
    counts = ", ".join(
        f"{count} {kind} file(s)" if kind != "slip" else f"{count} slip(s)"
        for kind, count in sorted(findings.counts.items())
    )
    for problem in findings.problems:
        print(escape_line(problem))
    for note in findings.notes:
        print(escape_line(note))
    if findings.problems:
        print(f"{len(findings.problems)} problem(s); checked {counts or 'nothing'}")
        return EXIT_INVALID
    print(f"ok: {counts or 'nothing to check'}")
    return EXIT_OK
