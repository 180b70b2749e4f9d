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
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ValidationError
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

import paycalc
from paycalc._validation import _describe as describe_validation_error
from paycalc._validation import key_path
from paycalc.close import close_month
from paycalc.close.register import HEADER_MODES, Headers
from paycalc.contracts import inline_refs, json_schema
from paycalc.engine import payslip
from paycalc.errors import InputError, PaycalcError, Problem, SchemeNotFound, UsageError
from paycalc.explanation import explain
from paycalc.io.roster import Roster, RowError, parse_table, read_roster
from paycalc.io.tables import ROSTER_SUFFIXES, table_from_objects
from paycalc.jsontext import loads_strict
from paycalc.period import Month
from paycalc.policy import impact
from paycalc.scheme import SchemeRegistry, SchemeVersion
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
    """Validation errors as problems located in the request (``month``, ``rows[2]``)."""
    return [
        Problem(
            "request",
            key_path([part for part in error.get("loc", ()) if part != "body"]),
            describe_validation_error(dict(error)),
        )
        for error in errors
    ]


_NOT_JSON = "expected a JSON object, sent with Content-Type: application/json"
Body = TypeVar("Body", bound=BaseModel)


def _is_json(content_type: str) -> bool:
    """No content type, ``application/json`` or ``application/…+json`` (as FastAPI reads)."""
    kind = content_type.partition(";")[0].strip().lower()
    return kind in ("", "application/json") or (
        kind.startswith("application/") and kind.endswith("+json")
    )


def _parsed_body(raw: bytes, content_type: str, model: type[Body]) -> Body:
    """A request body read as worker files and JSONL lines are (exact decimals), then checked.

    FastAPI's own parsing would turn ``5320.50`` into a binary float, which the worker
    parser refuses: a body must mean what the same JSON means in a file.
    """
    if not _is_json(content_type):
        raise InputError([Problem("request", "", _NOT_JSON)])
    try:
        text = raw.decode("utf-8-sig")  # with or without a BOM, as a worker file
    except UnicodeDecodeError:
        raise InputError([Problem("request", "", "the body is not UTF-8 text")]) from None
    try:
        data = loads_strict(text)
    except ValueError as error:
        raise InputError([Problem("request", "", str(error))]) from None
    if not isinstance(data, dict):
        raise InputError([Problem("request", "", _NOT_JSON)])
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InputError(_request_problems(error.errors(include_url=False))) from None


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


def _registry(state: ServiceState, include_drafts: bool) -> SchemeRegistry:
    """The loaded schemes, with drafts in force when the request asks (``--include-drafts``)."""
    return state.registry.with_drafts(include_drafts)


def _slip_for(state: ServiceState, raw: bytes, content_type: str) -> Payslip:
    body = _parsed_body(raw, content_type, SlipRequest)
    worker, month, as_of, ytd = _slip_arguments(body)
    return payslip(
        worker,
        month,
        schemes=_registry(state, body.include_drafts),
        scheme=body.scheme,
        as_of=as_of,
        ytd=ytd,
        contributions=state.contributions,
    )


def _explanation_for(state: ServiceState, raw: bytes, content_type: str) -> Explanation:
    body = _parsed_body(raw, content_type, SlipRequest)
    if body.ytd is not None:
        raise UsageError("ytd", "explain works out the whole year itself; leave ytd out", "request")
    worker, month, as_of, _ = _slip_arguments(body)
    found = explain(
        worker,
        month,
        schemes=_registry(state, body.include_drafts),
        scheme=body.scheme,
        as_of=as_of,
        contributions=state.contributions,
    )
    return Explanation(slip=found.slip, steps=list(found.steps), text=found.render())


def _check_size(count: int, limit: int) -> None:
    if count > limit:
        raise _TooManyRows(count, limit)


class _TooManyRows(Exception):
    def __init__(self, count: int, limit: int) -> None:
        super().__init__(f"{count} roster rows; the service takes at most {limit} in one request")


def _row_errors(errors: Iterable[RowError]) -> list[dict[str, Any]]:
    return [
        {"row": e.row, "worker_id": e.worker_id, "field": e.field, "reason": e.reason}
        for e in errors
    ]


def _payroll_of(
    state: ServiceState,
    roster: Roster,
    registry: SchemeRegistry,
    month_text: str,
    scheme: str | None,
    as_of_text: str | None,
    headers: Headers,
) -> PayrollAnswer:
    """What ``paycalc run ROSTER --month M --out REGISTER`` computes and writes."""
    _check_size(len(roster), state.config.max_rows)
    month, as_of = parse_month(month_text), parse_as_of(as_of_text)
    if roster.file_problems and not roster.records:
        raise UsageError(
            "file", "; ".join(p.message for p in roster.file_problems), source=roster.source
        )
    closed = close_month(
        roster,
        month,
        schemes=registry,
        scheme=scheme,
        as_of=as_of,
        contributions=state.contributions,
        headers=headers,
    )
    register, result = closed.register, closed.result
    *rows, totals = register.json_rows()
    return PayrollAnswer.model_validate(
        {
            "month": str(result.month),
            "rows_in": result.rows_in,
            "slips_out": len(result.slips),
            "not_employed": _row_errors(result.not_employed),
            "failed_rows": result.failed_rows,
            "balanced": result.balanced,
            "summary": result.summary(),
            "headers": headers,
            "columns": [column.header for column in register.columns],
            "register": rows,
            "totals": totals,
            "notes": register.notes,
            "slips": [item.slip for item in result.slips],
            "errors": _row_errors(register.errors),
            "file_problems": [p.to_dict() for p in result.file_problems],
        }
    )


def _payroll_from_rows(state: ServiceState, raw: bytes, content_type: str) -> PayrollAnswer:
    body = _parsed_body(raw, content_type, PayrollRequest)
    _check_size(len(body.rows), state.config.max_rows)
    registry = _registry(state, body.include_drafts)
    roster = parse_table(table_from_objects(body.rows), schemes=registry)
    return _payroll_of(state, roster, registry, body.month, body.scheme, body.as_of, body.headers)


def _payroll_from_file(state: ServiceState, upload: _Upload) -> PayrollAnswer:
    # Read from memory: the upload is never written to disk.
    registry = _registry(state, upload.include_drafts)
    roster = read_roster(upload.data, name=upload.filename, schemes=registry)
    return _payroll_of(
        state, roster, registry, upload.month, upload.scheme, upload.as_of, upload.headers
    )


def _impact_of(state: ServiceState, raw: bytes, content_type: str) -> ImpactAnswer:
    body = _parsed_body(raw, content_type, ImpactRequest)
    _check_size(len(body.rows), state.config.max_rows)
    old, new = _version(state, body.old, "old"), _version(state, body.new, "new")
    month = parse_month(body.month)
    roster = parse_table(table_from_objects(body.rows), schemes=state.registry)
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


@dataclass(frozen=True)
class _Upload:
    """A roster uploaded as a multipart form, with the form's other fields."""

    data: bytes
    filename: str
    month: str
    scheme: str | None
    as_of: str | None
    include_drafts: bool
    headers: Headers


_YES_NO: dict[str | None, bool] = {None: False, "true": True, "false": False}


async def _upload_arguments(request: Request, limit: int) -> _Upload:
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
    fields: dict[str, str | None] = {}
    for name in ("month", "scheme", "as_of", "include_drafts", "headers"):
        value = form.get(name)
        if value is not None and not isinstance(value, str):
            problems.append(Problem("request", name, "expected a text field, not a file"))
        fields[name] = value.strip() if isinstance(value, str) and value.strip() else None
    if fields["month"] is None:
        problems.append(Problem("request", "month", "required key is missing"))
    if fields["include_drafts"] not in _YES_NO:
        problems.append(
            Problem("request", "include_drafts", "expected true or false (or leave it out)")
        )
    headers = fields["headers"] or "labels"
    if headers not in HEADER_MODES:
        problems.append(Problem("request", "headers", f"expected one of {', '.join(HEADER_MODES)}"))
    if problems:
        raise InputError(problems)
    assert isinstance(upload, UploadFile) and upload.filename and fields["month"] is not None
    return _Upload(
        data=await upload.read(),
        filename=PurePath(upload.filename).name,
        month=fields["month"],
        scheme=fields["scheme"],
        as_of=fields["as_of"],
        include_drafts=_YES_NO[fields["include_drafts"]],
        headers="codes" if headers == "codes" else "labels",
    )


async def _body_of(request: Request) -> tuple[bytes, str]:
    """The raw body and its content type; parsed in the computing thread (time-limited)."""
    return await request.body(), request.headers.get("content-type", "")


def _json_request_body(model: type[BaseModel]) -> dict[str, Any]:
    """The OpenAPI request body of a JSON route whose body is parsed by :func:`_parsed_body`."""
    return {
        "requestBody": {
            "required": True,
            "content": {_JSON: {"schema": inline_refs(model.model_json_schema())}},
        }
    }


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
        openapi_extra=_json_request_body(SlipRequest),
    )
    async def post_slip(request: Request) -> Response:
        slip = await computations.run(_slip_for, state, *await _body_of(request))
        return Response(slip.to_json() + "\n", media_type=_JSON)

    @app.post(
        "/v1/explain",
        tags=["slips"],
        summary="the slip and every step of its derivation, in Chinese labels",
        responses=_REFUSALS,
        openapi_extra=_json_request_body(SlipRequest),
    )
    async def post_explain(request: Request) -> Explanation:
        return await computations.run(_explanation_for, state, *await _body_of(request))

    payroll_body = inline_refs(PayrollRequest.model_json_schema())
    upload_body = {
        "type": "object",
        "required": ["file", "month"],
        "properties": {
            "file": {"type": "string", "format": "binary", "description": ".csv, .xlsx or .jsonl"},
            "month": {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
            "scheme": {"type": "string"},
            "as_of": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
            "include_drafts": {"type": "boolean", "default": False},
            "headers": {"enum": list(HEADER_MODES), "default": "labels"},
        },
    }

    @app.post(
        "/v1/payroll",
        tags=["payroll"],
        summary="a month's payroll: the register `paycalc run` writes, slips and errors",
        description="Send roster rows as JSON, or upload a roster file (multipart form: "
        "`file`, `month`, and optionally `scheme`, `as_of`, `include_drafts`, `headers`). "
        "Rows in = slips + not employed + failed rows.",
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
            upload = await _upload_arguments(request, config.max_body_bytes)
            return await computations.run(_payroll_from_file, state, upload)
        return await computations.run(_payroll_from_rows, state, *await _body_of(request))

    @app.post(
        "/v1/impact",
        tags=["policy"],
        summary="who gains and who loses from one scheme version to another",
        responses=_REFUSALS,
        openapi_extra=_json_request_body(ImpactRequest),
    )
    async def post_impact(request: Request) -> ImpactAnswer:
        return await computations.run(_impact_of, state, *await _body_of(request))

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
