"""``paycalc diff`` and ``paycalc explain``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from paycalc.cli.core import registry_from, with_worker_file
from paycalc.cli.main import EXIT_OK, date_arg, month_arg, schemes_option
from paycalc.errors import Problem, SchemeError
from paycalc.explain import explain
from paycalc.policy import diff_schemes
from paycalc.scheme import SchemeRegistry, SchemeVersion, load_scheme_file
from paycalc.worker import load_worker

__all__ = ["register", "resolve_version"]


def register(subparsers: Any) -> None:
    diff = subparsers.add_parser("diff", help="what changed between two scheme versions")
    diff.add_argument("old", metavar="OLD", help="a scheme file, or FAMILY@VERSION")
    diff.add_argument("new", metavar="NEW", help="a scheme file, or FAMILY@VERSION")
    diff.add_argument("--format", choices=("text", "json"), default="text")
    schemes_option(diff)
    diff.set_defaults(handler=run_diff)

    why = subparsers.add_parser("explain", help="print the whole derivation of a slip")
    why.add_argument("worker", type=Path, metavar="WORKER.json")
    why.add_argument("--month", type=month_arg, required=True, metavar="YYYY-MM")
    why.add_argument("--as-of", type=date_arg, metavar="DATE")
    why.add_argument("--scheme", metavar="ID")
    schemes_option(why)
    why.set_defaults(handler=run_explain)


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


def run_diff(args: argparse.Namespace) -> int:
    old, new = resolve_version(args.old, args), resolve_version(args.new, args)
    changes = diff_schemes(old, new)
    if args.format == "json":
        document = {
            "old": {"id": old.family, "version": old.version, "sha256": old.sha256},
            "new": {"id": new.family, "version": new.version, "sha256": new.sha256},
            "changes": [change.to_dict() for change in changes],
        }
        print(json.dumps(document, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"{old.family} {old.version} → {new.family} {new.version}: {len(changes)} change(s)")
    for change in changes:
        print(f"  {change}")
    return EXIT_OK


def run_explain(args: argparse.Namespace) -> int:
    worker = load_worker(args.worker)
    with with_worker_file(args.worker):
        explanation = explain(
            worker, args.month, schemes=registry_from(args), scheme=args.scheme, as_of=args.as_of
        )
    print(explanation.render(), end="")
    return EXIT_OK
