"""Shared helpers: files as JSON Schema validators see them, and a validator per contract."""

from __future__ import annotations

import functools
import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

jsonschema = pytest.importorskip("jsonschema")

from paycalc.contracts import json_schema  # noqa: E402


def as_json(value: Any) -> Any:
    """TOML data as a TOML tool hands it to JSON Schema: dates as ISO text, numbers as numbers."""
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def toml_json(path: Path) -> Any:
    return as_json(tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal))


@functools.cache
def validator(name: str) -> Any:
    schema = json_schema(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def errors(name: str, document: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator(name).iter_errors(document)
    ]


@functools.cache
def drawn(name: str) -> Any:
    """A hypothesis strategy for documents the schema of contract ``name`` accepts.

    hypothesis-jsonschema does not run with this hypothesis (it calls a private API that
    hypothesis removed), so the documents are drawn by schemathesis's JSON Schema
    generator, through its public API: the schema as the body of one OpenAPI operation.
    """
    schemathesis = pytest.importorskip("schemathesis")
    from paycalc.contracts import inline_refs

    api = schemathesis.openapi.from_dict(
        {
            "openapi": "3.1.0",
            "info": {"title": name, "version": "1"},
            "paths": {
                "/document": {
                    "post": {
                        "requestBody": {
                            "required": True,
                            "content": {
                                "application/json": {"schema": inline_refs(json_schema(name))}
                            },
                        },
                        "responses": {"200": {"description": "ok"}},
                    }
                }
            },
        }
    )
    return api.find_operation_by_label("POST /document").as_strategy().map(lambda case: case.body)
