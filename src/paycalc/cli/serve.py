"""``paycalc serve``: the HTTP service (optional extra ``serve``: FastAPI + uvicorn)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from paycalc.cli.core import contributions_from, registry_from
from paycalc.cli.main import EXIT_OK, EXIT_USAGE, contributions_option

__all__ = ["register"]


def register(subparsers: Any) -> None:
    serve = subparsers.add_parser(
        "serve",
        help="answer slips, payroll, explanations and impact over HTTP (JSON; see docs/http-api.md)",
        description="Run the read-only HTTP service. Needs the 'serve' extra: "
        "pip install 'paycalc[serve]'. OpenAPI at /openapi.json, docs at /docs.",
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument(
        "--schemes",
        type=Path,
        action="append",
        metavar="DIR",
        help="serve the scheme files under DIR instead of the bundled schemes (repeatable)",
    )
    contributions_option(serve)
    serve.add_argument(
        "--read-only",
        action="store_true",
        help="state the read-only posture (the service never writes; this is its only mode)",
    )
    serve.add_argument("--max-body-bytes", type=int, default=8 * 1024 * 1024, metavar="N")
    serve.add_argument("--max-rows", type=int, default=20_000, metavar="N")
    serve.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS")
    serve.add_argument("--workers", type=int, default=2, metavar="N", help="computing threads")
    serve.set_defaults(handler=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from paycalc.server import ServiceConfig, create_app
    except ImportError as error:
        print(
            f"paycalc serve: needs the 'serve' extra ({error.name} is missing): "
            "pip install 'paycalc[serve]'",
            file=sys.stderr,
        )
        return EXIT_USAGE
    for name in ("max_body_bytes", "max_rows", "workers"):
        if getattr(args, name) < 1:
            print(f"paycalc serve: --{name.replace('_', '-')} must be at least 1", file=sys.stderr)
            return EXIT_USAGE
    if not args.timeout > 0:
        print("paycalc serve: --timeout must be more than 0", file=sys.stderr)
        return EXIT_USAGE
    # The folders checked as every command checks them (a missing folder, a table in a
    # --schemes folder, no table found: the same messages), before the service loads them.
    registry_from(args)
    contributions_from(args)
    config = ServiceConfig(
        schemes=tuple(args.schemes or ()),
        contributions=tuple(args.contributions or ()),
        max_body_bytes=args.max_body_bytes,
        max_rows=args.max_rows,
        timeout_seconds=args.timeout,
        workers=args.workers,
    )
    app = create_app(config)  # loads the schemes: their problems end the command here
    uvicorn.run(app, host=args.host, port=args.port, log_level="info", server_header=False)
    return EXIT_OK
