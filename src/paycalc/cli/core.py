"""``paycalc slip``, ``paycalc schemes`` and ``paycalc validate``."""

from __future__ import annotations

import argparse
import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from paycalc.cli.main import EXIT_OK, date_arg, month_arg, schemes_option
from paycalc.engine import payslip
from paycalc.errors import Problem, WorkerError
from paycalc.scheme import (
    SchemeRegistry,
    default_registry,
    load_schemes,
)
from paycalc.worker import load_worker

__all__ = ["register", "registry_from", "with_worker_file"]


def registry_from(args: argparse.Namespace) -> SchemeRegistry:
    directories: list[Path] | None = getattr(args, "schemes", None)
    registry = load_schemes(*directories) if directories else default_registry()
    return registry.with_drafts(bool(getattr(args, "include_drafts", False)))


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
