"""``paycalc slip``, ``paycalc schemes`` and ``paycalc validate``."""

from __future__ import annotations

import argparse
import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from paycalc.cli.main import EXIT_INVALID, EXIT_OK, date_arg, month_arg, schemes_option
from paycalc.engine import check_worker_against, payslip
from paycalc.errors import InputError, Problem, SchemeNotFound, WorkerError
from paycalc.scheme import (
    SchemeRegistry,
    SchemeVersion,
    check_scheme_file,
    default_registry,
    load_schemes,
)
from paycalc.worker import load_worker

__all__ = ["register", "registry_from", "with_worker_file"]


def registry_from(args: argparse.Namespace) -> SchemeRegistry:
    directories: list[Path] | None = getattr(args, "schemes", None)
    return load_schemes(*directories) if directories else default_registry()


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
    slip.set_defaults(handler=run_slip)

    listing = subparsers.add_parser("schemes", help="list scheme families and versions")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    schemes_option(listing)
    listing.set_defaults(handler=run_schemes)

    validate = subparsers.add_parser(
        "validate", help="check scheme files (*.toml) and worker files (*.json); list every problem"
    )
    validate.add_argument("paths", type=Path, nargs="+", metavar="PATH")
    schemes_option(validate)
    validate.set_defaults(handler=run_validate)


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
            worker, args.month, schemes=registry_from(args), scheme=args.scheme, as_of=args.as_of
        )
    if args.format == "json":
        print(slip.to_json())
    else:
        print(slip.render_text(worker_name=worker.name), end="")
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


def _files(paths: list[Path]) -> tuple[list[Path], list[Path], list[Problem]]:
    schemes: list[Path] = []
    workers: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in {".toml", ".json"})
        elif path.exists():
            found = [path]
        else:
            problems.append(Problem(str(path), "", "no such file or folder"))
            continue
        for file in found:
            (schemes if file.suffix == ".toml" else workers).append(file)
            if file.suffix not in {".toml", ".json"}:
                problems.append(
                    Problem(str(file), "", "expected a scheme (.toml) or worker (.json) file")
                )
    return schemes, workers, problems


def run_validate(args: argparse.Namespace) -> int:
    scheme_files, worker_files, problems = _files(args.paths)
    versions: list[SchemeVersion] = []
    for path in scheme_files:
        version, file_problems = check_scheme_file(path)
        problems += file_problems
        if version is not None:
            versions.append(version)
    registry: SchemeRegistry | None = None
    try:
        registry = SchemeRegistry(versions)
    except InputError as error:
        problems += error.problems
    if worker_files:
        problems += _check_workers(worker_files, _worker_registry(args, registry))
    for problem in problems:
        print(problem)
    if problems:
        print(
            f"{len(problems)} problem(s) in {len(scheme_files)} scheme and {len(worker_files)} worker file(s)"
        )
        return EXIT_INVALID
    print(f"ok: {len(scheme_files)} scheme file(s), {len(worker_files)} worker file(s)")
    return EXIT_OK


def _worker_registry(args: argparse.Namespace, given: SchemeRegistry | None) -> SchemeRegistry:
    """Workers are checked against --schemes, or the schemes being validated, or the bundle."""
    if getattr(args, "schemes", None) is not None:
        return registry_from(args)
    if given is not None and len(given):
        return given
    return default_registry()


def _check_workers(paths: list[Path], registry: SchemeRegistry) -> list[Problem]:
    problems: list[Problem] = []
    for path in paths:
        try:
            worker = load_worker(path)
        except WorkerError as error:
            problems += error.problems
            continue
        if worker.scheme is None:
            continue
        try:
            latest = registry.versions(worker.scheme)[-1]
        except SchemeNotFound as error:
            problems.append(Problem(str(path), "scheme", str(error)))
            continue
        found, _ = check_worker_against(latest, worker)
        problems += [Problem(str(path), p.location, p.message) for p in found]
    return problems
