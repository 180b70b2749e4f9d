"""``paycalc slip`` and ``paycalc schemes``; loading ``--schemes`` and ``--contributions``."""

from __future__ import annotations

import argparse
import contextlib
import json
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from paycalc.cli.main import (
    EXIT_OK,
    contributions_option,
    date_arg,
    month_arg,
    schemes_option,
)
from paycalc.cli.terminal import escape_line
from paycalc.contributions import ContributionTables, load_contribution_tables
from paycalc.contributions.registry import BUNDLED_TABLES_DIR
from paycalc.engine import payslip
from paycalc.errors import InputError, Problem, SchemeError, WorkerError
from paycalc.scheme import (
    SchemeRegistry,
    default_registry,
    load_schemes,
)
from paycalc.scheme.loader import iter_scheme_files
from paycalc.scheme.registry import bundled_schemes_dir
from paycalc.worker import load_worker

__all__ = [
    "contributions_from",
    "data_files",
    "register",
    "registry_from",
    "toml_kind",
    "with_worker_file",
]

TomlKind = Literal["scheme", "contribution table"]


def toml_kind(data: dict[str, Any]) -> TomlKind | None:
    """What a parsed TOML file is, by its content: a scheme version or a contribution table."""
    if "scheme" in data:
        return "scheme"
    if "items" in data and "base" in data:
        return "contribution table"
    return None


def _kind_of_file(path: Path) -> TomlKind | None:
    try:
        return toml_kind(tomllib.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None


_PASS_IT_WITH: dict[TomlKind, str] = {
    "contribution table": "this is a contribution table: pass it with --contributions, not --schemes",
    "scheme": "this is a scheme file: pass it with --schemes, not --contributions",
}


def _misplaced(problems: tuple[Problem, ...], expected: TomlKind) -> list[Problem]:
    """The problems, with each file of the other kind reported once, saying where it goes."""
    result: list[Problem] = []
    said: set[str] = set()
    kinds: dict[str, TomlKind | None] = {}
    for problem in problems:
        if problem.source not in kinds:
            kinds[problem.source] = _kind_of_file(Path(problem.source))
        kind = kinds[problem.source]
        if kind is None or kind == expected:
            result.append(problem)
        elif problem.source not in said:
            said.add(problem.source)
            result.append(Problem(problem.source, "", _PASS_IT_WITH[kind]))
    return result


def _folders(option: str, folders: list[Path]) -> None:
    missing = [
        Problem(option, str(folder), "no such folder" if not folder.exists() else "not a folder")
        for folder in folders
        if not folder.is_dir() and not (option == "--schemes" and folder.is_file())
    ]
    if missing:
        raise InputError(missing)


def registry_from(args: argparse.Namespace) -> SchemeRegistry:
    """The bundled schemes, or those under ``--schemes`` (every problem reported at once)."""
    folders: list[Path] | None = getattr(args, "schemes", None)
    drafts = bool(getattr(args, "include_drafts", False))
    if not folders:
        return default_registry().with_drafts(drafts)
    _folders("--schemes", folders)
    try:
        registry = load_schemes(*folders)
    except SchemeError as error:
        raise SchemeError(_misplaced(error.problems, "scheme")) from None
    if not len(registry):
        raise SchemeError(
            [Problem("--schemes", ", ".join(map(str, folders)), "no scheme file (*.toml) found")]
        )
    return registry.with_drafts(drafts)


def contributions_from(args: argparse.Namespace) -> ContributionTables | None:
    """The tables under ``--contributions``, or None: the bundled tables."""
    folders: list[Path] | None = getattr(args, "contributions", None)
    if not folders:
        return None
    _folders("--contributions", folders)
    try:
        tables = load_contribution_tables(*folders)
    except InputError as error:
        raise InputError(_misplaced(error.problems, "contribution table")) from None
    if not tables.ids():
        raise InputError(
            [
                Problem(
                    "--contributions",
                    ", ".join(map(str, folders)),
                    "no contribution table found: expected DIR/<id>/<version>.toml",
                )
            ]
        )
    return tables


def data_files(args: argparse.Namespace) -> list[Path]:
    """The scheme and table files a command reads (no output may be one of them)."""
    schemes: list[Path] = getattr(args, "schemes", None) or [bundled_schemes_dir()]
    tables: list[Path] = getattr(args, "contributions", None) or [BUNDLED_TABLES_DIR]
    files = list(iter_scheme_files(p for p in schemes if p.exists()))
    files += list(iter_scheme_files(p for p in tables if p.exists()))
    return files


def register(subparsers: Any) -> None:
    slip = subparsers.add_parser("slip", help="print one worker's pay slip for a month")
    slip.add_argument("worker", type=Path, metavar="WORKER.json")
    slip.add_argument("--month", type=month_arg, required=True, metavar="YYYY-MM")
    slip.add_argument(
        "--as-of", type=date_arg, metavar="DATE", help="only versions published by DATE"
    )
    slip.add_argument("--scheme", metavar="ID", help="scheme family, when the worker names none")
    slip.add_argument("--format", choices=("text", "json"), default="text")
    schemes_option(slip)
    contributions_option(slip)
    slip.set_defaults(handler=run_slip)

    listing = subparsers.add_parser("schemes", help="list scheme families and versions")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    schemes_option(listing)
    listing.set_defaults(handler=run_schemes)


@contextlib.contextmanager
def with_worker_file(path: Path) -> Iterator[None]:
    """Re-raise worker errors naming the file the worker came from, not just its id."""
    try:
        yield
    except WorkerError as error:
        raise WorkerError(
            Problem(str(path), p.location, p.message) for p in error.problems
        ) from None


def run_slip(args: argparse.Namespace) -> int:
    worker = load_worker(args.worker)
    with with_worker_file(args.worker):
        slip = payslip(
            worker,
            args.month,
            schemes=registry_from(args),
            scheme=args.scheme,
            as_of=args.as_of,
            contributions=contributions_from(args),
        )
    if args.format == "json":
        print(slip.to_json())
    else:
        print(slip.render_text(worker_name=escape_line(worker.name)), end="")
    return EXIT_OK


def run_schemes(args: argparse.Namespace) -> int:
    registry = registry_from(args)
    if args.format == "json":
        listing = [
            {
                "id": v.family,
                "version": v.version,
                "effective_from": v.effective_from.isoformat(),
                "published_on": v.published_on.isoformat(),
                "status": v.status,
                "title": v.spec.scheme.title,
                "path": v.path,
            }
            for v in registry
        ]
        print(json.dumps(listing, ensure_ascii=False, indent=2))
        return EXIT_OK
    for family in registry.families:
        print(family)
        for version in registry.versions(family):
            print(
                f"  {version.version:<12} from {version.effective_from}  published {version.published_on}  "
                f"{version.status:<12} {version.spec.scheme.title}"
            )
    return EXIT_OK
