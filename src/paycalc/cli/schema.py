"""``paycalc schema NAME``: print the JSON Schema of a published contract (docs/contracts.md)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from paycalc.cli.main import EXIT_OK
from paycalc.contracts import CONTRACT_NAMES, CONTRACTS, json_schema

__all__ = ["register"]


def register(subparsers: Any) -> None:
    schema = subparsers.add_parser(
        "schema",
        help="print the JSON Schema (2020-12) of a file or document paycalc reads or writes",
        description="Contracts: "
        + "; ".join(
            f"{name} ({CONTRACTS[name][0]}: {CONTRACTS[name][1]})" for name in CONTRACT_NAMES
        ),
    )
    schema.add_argument("name", choices=CONTRACT_NAMES, metavar="|".join(CONTRACT_NAMES))
    schema.set_defaults(handler=run_schema)


def run_schema(args: argparse.Namespace) -> int:
    print(json.dumps(json_schema(args.name), ensure_ascii=False, indent=2))
    return EXIT_OK
