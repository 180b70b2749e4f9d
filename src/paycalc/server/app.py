"""The HTTP routes: slips, payroll, explanations, impact, schemes, health.

Each route checks its input with the parsers the command line uses and answers with the
documents the command line prints; the computation runs in a bounded thread pool with a
time limit (:mod:`paycalc.server.limits`). Refusals are JSON ``{"problems": [...]}``:
422 for input that was checked and found wrong, 404 for an unknown scheme version, 413 for
a body or roster over the limits, 503 past the time limit, and 500 "internal error" — with
no traceback — for anything else (a bug, logged on the server).
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path, PurePath
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

import paycalc
from paycalc._validation import _describe as describe_validation_error
from paycalc._validation import key_path
from paycalc.batch import RunResult, run_roster
from paycalc.contracts import inline_refs, json_schema
from paycalc.engine import payslip
from paycalc.errors import InputError, PaycalcError, Problem, SchemeNotFound, UsageError
from paycalc.explain import explain
from paycalc.io.roster import Roster, parse_table, read_roster
from paycalc.io.tables import ROSTER_SUFFIXES, Table
from paycalc.money import format_money
from paycalc.period import Month
from paycalc.policy import impact
from paycalc.scheme import SchemeVersion
from paycalc.server.answers import (
    Explanation,
    ImpactAnswer,
    PayrollAnswer,
    Problems,
    SchemeEntry,
    SchemeText,
)
from paycalc.server.config import ServiceConfig, ServiceState
from paycalc.server.limits import BodySizeLimit, Computations, TimeLimitExceeded
from paycalc.server.requests import (
    ImpactRequest,
    PayrollRequest,
    SlipRequest,
    parse_as_of,
    parse_month,
)
from paycalc.slip import Payslip
from paycalc.tax import YearToDate
from paycalc.worker import Worker, parse_worker

__all__ = ["create_app"]

log = logging.getLogger("paycalc.server")

_JSON = "application/json"


def _refusal(description: str) -> dict[str, Any]:
    return {"description": description, "model": Problems}


_REFUSALS: dict[int | str, dict[str, Any]] = {
    413: _refusal("the body or the roster is larger than the service's limits"),
    422: _refusal("the input was checked and found wrong; every problem is listed"),
    503: _refusal("the request took longer than the service's time limit"),
}


def _problems_response(status: int, problems: Iterable[Problem]) -> JSONResponse:
    return JSONResponse(
        {"problems": [problem.to_dict() for problem in problems]}, status_code=status
    )


def _request_problems(errors: Sequence[Any]) -> list[Problem]:
    """FastAPI's validation errors as problems located in the request (``month``, ``rows[2]``)."""
    return [
        Problem(
            "request",
            key_path([part for part in error.get("loc", ()) if part != "body"]),
            _NOT_JSON
            if isinstance(error.get("input"), bytes)
            else describe_validation_error(dict(error)),
        )
        for error in errors
    ]


# FastAPI hands over the raw bytes when the body was not declared as JSON.
_NOT_JSON = "expected a JSON object, sent with Content-Type: application/json"


def create_app(config: ServiceConfig | None = None) -> FastAPI:
    """The ASGI application; loads the schemes once (they are never read again)."""
    config = config or ServiceConfig()
    state = ServiceState.load(config)
    computations = Computations(config.workers, config.timeout_seconds)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        computations.close()

    app = FastAPI(
        title="paycalc",
        version=paycalc.__version__,
        summary="Itemised monthly pay slips for community workers and village cadres.",
        description="Every slip names its scheme version and the SHA-256 of the scheme file; "
        "every refused input lists its problems as `paycalc` prints them. See docs/http-api.md.",
        lifespan=lifespan,
    )
    app.add_middleware(BodySizeLimit, limit=config.max_body_bytes)
    _add_error_handlers(app)
    _add_routes(app, state, computations)
    return app


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(PaycalcError)
    async def input_error(_: Request, error: PaycalcError) -> JSONResponse:
        return _problems_response(422, error.problems)

    @app.exception_handler(RequestValidationError)
    async def shape_error(_: Request, error: RequestValidationError) -> JSONResponse:
        return _problems_response(422, _request_problems(error.errors()))

    @app.exception_handler(TimeLimitExceeded)
    async def too_slow(_: Request, error: TimeLimitExceeded) -> JSONResponse:
        return _problems_response(503, [Problem("request", "", str(error))])

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        answer = _problems_response(error.status_code, [Problem("request", "", str(error.detail))])
        answer.headers.update(error.headers or {})  # Allow, on a 405
        return answer

    @app.exception_handler(Exception)
    async def internal_error(request: Request, error: Exception) -> JSONResponse:
        log.exception("internal error answering %s %s", request.method, request.url.path)
        return _problems_response(500, [Problem("paycalc", "", "internal error")])


# --- computations (run in the thread pool) -------------------------------------------


T = TypeVar("T")


def _checked(problems: list[Problem], parse: Callable[[], T]) -> T | None:
    """The parsed value, or None with its problems added: a request's problems all at once."""
    try:
        return parse()
    except InputError as error:
        problems += error.problems
        return None


def _slip_arguments(body: SlipRequest) -> tuple[Worker, Month, date | None, YearToDate | None]:
    problems: list[Problem] = []
    month = _checked(problems, lambda: parse_month(body.month))
    as_of = _checked(problems, lambda: parse_as_of(body.as_of))
    ytd = _checked(problems, lambda: body.ytd.to_year_to_date() if body.ytd else None)
    worker = _checked(problems, lambda: parse_worker(body.worker, source="worker"))
    if problems:
        raise InputError(problems)
    assert worker is not None and month is not None
    return worker, month, as_of, ytd


def _slip_for(state: ServiceState, body: SlipRequest) -> Payslip:
    worker, month, as_of, ytd = _slip_arguments(body)
    return payslip(worker, month, schemes=state.registry, scheme=body.scheme, as_of=as_of, ytd=ytd)


def _explanation_for(state: ServiceState, body: SlipRequest) -> Explanation:
    if body.ytd is not None:
        raise UsageError("ytd", "explain works out the whole year itself; leave ytd out", "request")
    worker, month, as_of, _ = _slip_arguments(body)
    found = explain(worker, month, schemes=state.registry, scheme=body.scheme, as_of=as_of)
    return Explanation(slip=found.slip, steps=list(found.steps), text=found.render())


def _rows_table(rows: list[dict[str, Any]]) -> Table:
    """JSON rows as a read table: each object one row, numbered from 1, as JSONL lines are."""
    headers = dict.fromkeys(str(key) for row in rows for key in row)
    return Table(
        "rows",
        list(headers),
        [(number, {str(k): v for k, v in row.items()}) for number, row in enumerate(rows, 1)],
    )


def _check_size(count: int, limit: int) -> None:
    if count > limit:
        raise _TooManyRows(count, limit)


class _TooManyRows(Exception):
    def __init__(self, count: int, limit: int) -> None:
        super().__init__(f"{count} roster rows; the service takes at most {limit} in one request")


def _money_cell(value: object) -> object:
    return format_money(value) if isinstance(value, Decimal) else value


def _payroll_document(result: RunResult, source_names: dict[str, str]) -> PayrollAnswer:
    def named(source: str) -> str:
        return source_names.get(source, source)

    return PayrollAnswer.model_validate(
        {
            "month": str(result.month),
            "rows_in": result.rows_in,
            "slips_out": len(result.slips),
            "failed_rows": result.failed_rows,
            "balanced": result.balanced,
            "summary": result.summary(),
            "columns": result.columns,
            "register": [
                {column: _money_cell(value) for column, value in row.items()}
                for row in result.register()
            ],
            "slips": [item.slip for item in result.slips],
            "errors": [
                {"row": e.row, "worker_id": e.worker_id, "field": e.field, "reason": e.reason}
                for e in result.errors
            ],
            "file_problems": [
                Problem(named(p.source), p.location, p.message).to_dict()
                for p in result.file_problems
            ],
        }
    )


def _payroll_of(
    state: ServiceState,
    roster: Roster,
    month_text: str,
    scheme: str | None,
    as_of_text: str | None,
    source_names: dict[str, str],
) -> PayrollAnswer:
    _check_size(len(roster), state.config.max_rows)
    month, as_of = parse_month(month_text), parse_as_of(as_of_text)
    if roster.file_problems and not roster.records:
        raise UsageError(
            "file",
            "; ".join(p.message for p in roster.file_problems),
            source=source_names.get(roster.source, roster.source),
        )
    result = run_roster(
        roster,
        month,
        schemes=state.registry,
        scheme=scheme,
        as_of=as_of,
        file_problems=roster.file_problems,
    )
    return _payroll_document(result, source_names)


def _payroll_from_rows(state: ServiceState, body: PayrollRequest) -> PayrollAnswer:
    _check_size(len(body.rows), state.config.max_rows)
    roster = parse_table(_rows_table(body.rows), schemes=state.registry)
    return _payroll_of(state, roster, body.month, body.scheme, body.as_of, {})


def _payroll_from_file(
    state: ServiceState,
    data: bytes,
    filename: str,
    month: str,
    scheme: str | None,
    as_of: str | None,
) -> PayrollAnswer:
    # The roster reader takes a path: the upload goes to a private folder (mode 0700),
    # is read, and is deleted with the folder before the answer is sent.
    with tempfile.TemporaryDirectory(prefix="paycalc-upload-") as folder:
        path = Path(folder) / f"roster{PurePath(filename).suffix.lower()}"
        path.write_bytes(data)
        roster = read_roster(path, schemes=state.registry)
        return _payroll_of(state, roster, month, scheme, as_of, {str(path): filename})


def _impact_of(state: ServiceState, body: ImpactRequest) -> ImpactAnswer:
    _check_size(len(body.rows), state.config.max_rows)
    old, new = _version(state, body.old, "old"), _version(state, body.new, "new")
    month = parse_month(body.month)
    roster = parse_table(_rows_table(body.rows), schemes=state.registry)
    report = impact(old, new, roster.workers, month)
    problems = [
        *roster.file_problems,
        *(error.problem() for error in roster.errors),
        *report.problems,
    ]
    return ImpactAnswer.model_validate(
        {
            "summary": report.summary(len(roster)),
            "workers": report.worker_rows(),
            "problems": [problem.to_dict() for problem in problems],
        }
    )


def _version(state: ServiceState, name: str, location: str) -> SchemeVersion:
    family, _, version = name.partition("@")
    try:
        return state.registry.find(family, version)
    except SchemeNotFound as error:
        raise UsageError(location, str(error), source="request") from None


def _scheme_entry(version: SchemeVersion) -> dict[str, Any]:
    header = version.spec.scheme
    return {
        "id": version.family,
        "version": version.version,
        "title": header.title,
        "status": version.status,
        "effective_from": version.effective_from.isoformat(),
        "effective_until": None
        if header.effective_until is None
        else header.effective_until.isoformat(),
        "published_on": version.published_on.isoformat(),
        "sha256": version.sha256,
        "href": f"/v1/schemes/{version.family}/{version.version}",
    }


# --- routes ---------------------------------------------------------------------------


async def _upload_arguments(
    request: Request, limit: int
) -> tuple[bytes, str, str, str | None, str | None]:
    form = await request.form(max_files=1, max_fields=8, max_part_size=limit)
    upload = form.get("file")
    problems = []
    if not isinstance(upload, UploadFile) or not upload.filename:
        problems.append(
            Problem("request", "file", "upload the roster file as the form field 'file'")
        )
    elif PurePath(upload.filename).suffix.lower() not in ROSTER_SUFFIXES:
        problems.append(
            Problem(
                "request",
                "file",
                f"unknown roster format {PurePath(upload.filename).suffix!r}; expected {', '.join(ROSTER_SUFFIXES)}",
            )
        )
    fields = {}
    for name in ("month", "scheme", "as_of"):
        value = form.get(name)
        if value is not None and not isinstance(value, str):
            problems.append(Problem("request", name, "expected a text field, not a file"))
        fields[name] = value if isinstance(value, str) and value.strip() else None
    if fields["month"] is None:
        problems.append(Problem("request", "month", "required key is missing"))
    if problems:
        raise PaycalcError("invalid upload", problems)
    assert isinstance(upload, UploadFile) and upload.filename and fields["month"] is not None
    data = await upload.read()
    return data, PurePath(upload.filename).name, fields["month"], fields["scheme"], fields["as_of"]


def _add_routes(app: FastAPI, state: ServiceState, computations: Computations) -> None:
    registry = state.registry
    config = state.config
    slip_schema = inline_refs(json_schema("slip"))

    @app.exception_handler(_TooManyRows)
    async def too_many_rows(_: Request, error: _TooManyRows) -> JSONResponse:
        return _problems_response(413, [Problem("request", "rows", str(error))])

    @app.get("/healthz", tags=["service"], summary="the service is up")
    async def healthz() -> dict[str, Any]:
        return {
            "status": "ok",
            "paycalc": paycalc.__version__,
            "schemes": len(registry),
            "read_only": config.read_only,
        }

    @app.post(
        "/v1/slip",
        tags=["slips"],
        summary="one worker's itemised slip for a month",
        response_class=Response,
        responses={
            200: {
                "description": "the slip, byte for byte as `paycalc slip --format json` prints it",
                "content": {_JSON: {"schema": slip_schema}},
            },
            **_REFUSALS,
        },
    )
    async def post_slip(body: SlipRequest) -> Response:
        slip = await computations.run(_slip_for, state, body)
        return Response(slip.to_json() + "\n", media_type=_JSON)

    @app.post(
        "/v1/explain",
        tags=["slips"],
        summary="the slip and every step of its derivation, in Chinese labels",
        responses=_REFUSALS,
    )
    async def post_explain(body: SlipRequest) -> Explanation:
        return await computations.run(_explanation_for, state, body)

    payroll_body = inline_refs(PayrollRequest.model_json_schema())
    upload_body = {
        "type": "object",
        "required": ["file", "month"],
        "properties": {
            "file": {"type": "string", "format": "binary", "description": ".csv, .xlsx or .jsonl"},
            "month": {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
            "scheme": {"type": "string"},
            "as_of": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        },
    }

    @app.post(
        "/v1/payroll",
        tags=["payroll"],
        summary="a month's payroll: register rows, slips and errors",
        description="Send roster rows as JSON, or upload a roster file (multipart form: "
        "`file`, `month`, and optionally `scheme` and `as_of`). Rows in = slips + failed rows.",
        responses=_REFUSALS,
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    _JSON: {"schema": payroll_body},
                    "multipart/form-data": {"schema": upload_body},
                },
            }
        },
    )
    async def post_payroll(request: Request) -> PayrollAnswer:
        if request.headers.get("content-type", "").startswith("multipart/form-data"):
            data, filename, month, scheme, as_of = await _upload_arguments(
                request, config.max_body_bytes
            )
            return await computations.run(
                _payroll_from_file, state, data, filename, month, scheme, as_of
            )
        try:
            body = PayrollRequest.model_validate_json(await request.body())
        except ValidationError as error:
            raise RequestValidationError(error.errors(include_url=False)) from None
        return await computations.run(_payroll_from_rows, state, body)

    @app.post(
        "/v1/impact",
        tags=["policy"],
        summary="who gains and who loses from one scheme version to another",
        responses=_REFUSALS,
    )
    async def post_impact(body: ImpactRequest) -> ImpactAnswer:
        return await computations.run(_impact_of, state, body)

    @app.get("/v1/schemes", tags=["schemes"], summary="every loaded scheme version")
    async def list_schemes() -> list[SchemeEntry]:
        return [SchemeEntry.model_validate(_scheme_entry(version)) for version in registry]

    @app.get(
        "/v1/schemes/{family}/{version}",
        tags=["schemes"],
        summary="one scheme version: its SHA-256 and the exact file text",
        responses={200: {"model": SchemeText}, 404: _refusal("no such family or version")},
        response_model=None,
    )
    async def get_scheme(family: str, version: str) -> SchemeText | JSONResponse:
        try:
            found = registry.find(family, version)
        except SchemeNotFound as error:
            return _problems_response(404, error.problems)
        return SchemeText.model_validate(
            {**_scheme_entry(found), "text": state.texts[(found.family, found.version)]}
        )
