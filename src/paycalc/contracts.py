"""The published contracts: JSON Schema (2020-12) of every file and document paycalc reads or
writes, generated from the models that parse them.

``paycalc schema NAME`` prints one; docs/contracts.md says what each promises, how it may
change, and where JSON Schema cannot say what a parser does (the gaps). tests/contracts
checks both ways: every bundled and example file validates, files the parser refuses fail,
and hypothesis draws documents from each schema for the parser.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any, Final

from paycalc._validation import (
    YEARS_PATTERN,
    code_json_schema,
    money_json_schema,
    share_json_schema,
)
from paycalc.codes import Appraisal, AwardLevel, Education, Level

__all__ = ["CONTRACTS", "CONTRACT_NAMES", "inline_refs", "json_schema", "roster_row_schema"]

JsonSchema = dict[str, Any]

_DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"

#: Each contract: its versioned name and what it is.
CONTRACTS: Final[dict[str, tuple[str, str]]] = {
    "worker": ("paycalc.worker/1", "one worker record (a worker JSON file)"),
    "slip": ("paycalc.slip/1", "one pay slip, as paycalc writes it"),
    "roster-row": (
        "paycalc.roster-row/1",
        "one roster row (a JSONL line, or a row of /v1/payroll)",
    ),
    "assumptions": ("paycalc.assumptions/1", "a forecast's assumptions file (TOML)"),
    "scheme": ("paycalc.scheme/1", "one version of a pay scheme (TOML)"),
    "contributions": (
        "paycalc.contributions/1",
        "a social insurance and housing fund table (TOML)",
    ),
}

#: The contracts ``paycalc schema`` knows, in the order it lists them.
CONTRACT_NAMES: Final = tuple(CONTRACTS)


def _worker() -> JsonSchema:
    from paycalc.worker import Worker

    return Worker.model_json_schema()


def _slip() -> JsonSchema:
    from pydantic import TypeAdapter

    from paycalc.slip import Payslip

    return TypeAdapter(Payslip).json_schema()


def _assumptions() -> JsonSchema:
    from paycalc.forecasting.assumptions import Assumptions

    return Assumptions.model_json_schema()


def _scheme() -> JsonSchema:
    from paycalc.scheme.model import SchemeFile

    schema: JsonSchema = _tagged_unions(SchemeFile.model_json_schema())
    return schema


def _tagged_unions(node: Any) -> Any:
    """Each ``oneOf`` with a ``discriminator`` as ``if kind = X then X's schema``.

    Same meaning; but an editor can then say which key of a component is wrong (``ammount``
    is not a key of a by_post component) instead of "valid under none of ten schemas".
    """
    if isinstance(node, list):
        return [_tagged_unions(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _tagged_unions(value) for key, value in node.items()}
    discriminator = node.get("discriminator")
    if isinstance(discriminator, dict) and "oneOf" in node:
        tag, mapping = discriminator["propertyName"], discriminator["mapping"]
        rest = {k: v for k, v in node.items() if k not in ("discriminator", "oneOf")}
        return {
            **rest,
            "type": "object",
            "required": [tag],
            "properties": {tag: {"enum": list(mapping)}},
            "allOf": [
                {"if": {"properties": {tag: {"const": value}}}, "then": {"$ref": reference}}
                for value, reference in mapping.items()
            ],
        }
    return node


def _contributions() -> JsonSchema:
    from paycalc.contributions.parsing import table_json_schema

    return table_json_schema()


def _roster_row() -> JsonSchema:
    from paycalc.scheme import default_registry

    return roster_row_schema(
        {
            name: spec.type
            for version in default_registry()
            for code, spec in version.spec.inputs.items()
            for name in (code, spec.label)
        }
    )


_BUILDERS: Final[dict[str, Callable[[], JsonSchema]]] = {
    "worker": _worker,
    "slip": _slip,
    "roster-row": _roster_row,
    "assumptions": _assumptions,
    "scheme": _scheme,
    "contributions": _contributions,
}


def json_schema(name: str) -> JsonSchema:
    """The JSON Schema of contract ``name`` (one of :data:`CONTRACT_NAMES`)."""
    try:
        build = _BUILDERS[name]
    except KeyError:
        known = ", ".join(CONTRACT_NAMES)
        raise ValueError(f"no contract {name!r}; expected one of {known}") from None
    contract, what = CONTRACTS[name]
    schema = build()
    schema.pop("title", None)
    return {"$schema": _DIALECT, "title": f"{contract}: {what}", **schema}


def inline_refs(schema: JsonSchema) -> JsonSchema:
    """The schema with every local ``$ref`` replaced by its definition, and no ``$defs``.

    For embedding in a larger document (an OpenAPI description), where ``#/$defs/...`` would
    point at the wrong root. The contracts have no recursive definitions.
    """
    definitions = schema.get("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            reference = node.get("$ref")
            if isinstance(reference, str) and reference.startswith("#/$defs/"):
                target = resolve(copy.deepcopy(definitions[reference.removeprefix("#/$defs/")]))
                rest = {k: resolve(v) for k, v in node.items() if k != "$ref"}
                return {**target, **rest}
            return {k: resolve(v) for k, v in node.items() if k not in ("$defs", "$schema")}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    inlined: JsonSchema = resolve(schema)
    return inlined


# --- roster rows ----------------------------------------------------------------------
# A roster row's keys are column headers, matched as paycalc.io.columns matches them:
# trimmed, case-folded, with runs of spaces and hyphens read as "_". Its values are cells
# as paycalc.io.cells reads them; a blank cell (null or white space) counts as absent.

_BLANK: Final = {"anyOf": [{"type": "null"}, {"type": "string", "pattern": r"^\s*$"}]}
_TEXT: Final = {
    "type": ["string", "number"],
    "pattern": r"\S",
    "description": "text (a number is read as its digits)",
}
_ANY_CELL: Final = {"description": "any value (kept as text, not used for pay)"}
_DAY_TEXT: Final = (
    rf"^\s*(?:{YEARS_PATTERN}-[0-9]{{2}}-[0-9]{{2}}|{YEARS_PATTERN}/[0-9]{{1,2}}/[0-9]{{1,2}}"
    rf"|{YEARS_PATTERN}年[0-9]{{1,2}}月[0-9]{{1,2}}日)\s*$"
)
_DATE_CELL: Final = {
    "type": "string",
    "pattern": _DAY_TEXT,
    "description": "2024-03-15, 2024/3/15 or 2024年3月15日, in 1950 .. 2100",
}
_YES_NO_WORDS: Final = (
    "是",
    "在编",
    "true",
    "yes",
    "y",
    "1",
    "√",
    "否",
    "非在编",
    "不在编",
    "false",
    "no",
    "n",
    "0",
    "×",
)


def _case_free(text: str) -> str:
    """A regex matching ``text`` in any ASCII case (JSON Schema patterns have no flags)."""
    return "".join(
        f"[{c.lower()}{c.upper()}]" if c.isascii() and c.isalpha() else re.escape(c) for c in text
    )


def _header_pattern(name: str) -> str:
    """The headers paycalc.io.columns reads as ``name``: any case, "_" as spaces or hyphens."""
    parts = [
        "(?:_|[\\s-]+)" if c == "_" else "[\\s-]+" if c in " -" else _case_free(c)
        for c in name.casefold()
    ]
    return "^[\\s\\ufeff]*" + "".join(parts) + "[\\s\\ufeff]*$"


def _cell(schema: JsonSchema) -> JsonSchema:
    return {"anyOf": [_BLANK, schema]}


def roster_row_schema(scheme_inputs: dict[str, str]) -> JsonSchema:
    """The schema of one roster row; ``scheme_inputs`` maps input headers to their types.

    Inputs declared by the loaded schemes may head a column by their code or label
    (``社区星级评定``); they come from the bundled schemes for ``paycalc schema roster-row``.
    """
    from paycalc.io.columns import (
        AWARD_HEADERS,
        FIELD_HEADERS,
        IDENTITY_COLUMNS,
        INFO_COLUMNS,
        JSON_HEADERS,
        QUALIFICATION_HEADERS,
        TAX_HEADERS,
    )
    from paycalc.worker import SERIOUS_ILLNESS_LIMIT

    yes_no = {
        "anyOf": [
            {"type": "boolean"},
            {"enum": [0, 1]},
            {
                "type": "string",
                "pattern": "^\\s*(?:" + "|".join(_case_free(w) for w in _YES_NO_WORDS) + ")\\s*$",
            },
        ],
        "description": "是/否, yes/no, true/false, 1/0",
    }
    whole = {
        "anyOf": [{"type": "integer"}, {"type": "string", "pattern": r"^\s*[0-9]+\s*$"}],
        "description": "a whole number",
    }
    money = money_json_schema()
    values: dict[str, JsonSchema] = {
        "id": _TEXT,
        "name": _TEXT,
        "scheme": _TEXT,
        "post": _TEXT,
        "grade": whole,
        "hired_on": _DATE_CELL,
        "left_on": _DATE_CELL,
        "in_establishment": yes_no,
        "education": code_json_schema(Education),
        "contribution_base": money,
    }
    json_text = {"type": "string", "description": "the same, written as JSON text in the cell"}
    json_values: dict[str, JsonSchema] = {
        "qualifications": {"anyOf": [{"type": "array", "items": {"type": "object"}}, json_text]},
        "awards": {"anyOf": [{"type": "array", "items": {"type": "object"}}, json_text]},
        "appraisals": {"anyOf": [{"type": "object"}, json_text]},
        "inputs": {"anyOf": [{"type": "object"}, json_text]},
        "tax": {"anyOf": [{"type": "object"}, json_text]},
    }
    patterns: dict[str, JsonSchema] = {}

    def add(names: tuple[str, ...], schema: JsonSchema) -> None:
        for name in names:
            patterns[_header_pattern(name)] = _cell(schema)

    for field, names in FIELD_HEADERS.items():
        add(names, values[field])
    for field, names in JSON_HEADERS.items():
        add(names, json_values[field])
    for (_kind, part), names in QUALIFICATION_HEADERS.items():
        add(names, code_json_schema(Level) if part == "level" else _DATE_CELL)
    award_parts = {"level": code_json_schema(AwardLevel), "awarded_on": _DATE_CELL, "title": _TEXT}
    for part, names in AWARD_HEADERS.items():
        add(names, award_parts[part])
    for names in INFO_COLUMNS.values():
        add(names, _ANY_CELL)
    # Identity and payment cells are text; the ID check digit (GB 11643) and the account's
    # digits are checked by the reader, which a pattern cannot say (docs/contracts.md).
    for names in IDENTITY_COLUMNS.values():
        add(names, _TEXT)
    declared: dict[str, JsonSchema] = {
        **dict.fromkeys(("children_in_education", "infants", "housing_rent_tier",
                         "vocational_certificate_year"), whole),
        **dict.fromkeys(("housing_loan", "continuing_education_degree"), yes_no),
        "continuing_education_degree_start": _DATE_CELL,
        "elderly_share": money,
        **dict.fromkeys(("other_deductions", "tax_free_income"), money_json_schema(minimum=0)),
        "serious_illness": money_json_schema(minimum=0, maximum=SERIOUS_ILLNESS_LIMIT),
        "child_share": share_json_schema(),
    }  # fmt: skip
    for field, names in TAX_HEADERS.items():
        add(names, declared.get(field, _TEXT))
    typed_inputs = {"choice": _TEXT, "number": money, "yes_no": yes_no}
    for name, kind in scheme_inputs.items():
        add((name,), typed_inputs[kind])
    # 考核2023 / appraisal_2023 / 2023年度考核: one year's result.
    year = "[0-9]{4}"
    patterns[
        f"^[\\s\\ufeff]*(?:{_case_free('appraisal')}(?:_|[\\s-]+)?{year}|考核{year}"
        f"|{year}年?度?考核(?:结果)?)[\\s\\ufeff]*$"
    ] = _cell(code_json_schema(Appraisal))
    # input:NAME for any declared input; x_NAME and 信息:NAME for descriptive columns.
    patterns[
        f"^[\\s\\ufeff]*(?:{_case_free('input')}[:：_.]|{_case_free('inputs')}\\.|输入[:：]).+$"
    ] = {"description": "a value for a scheme input, by its code"}
    patterns["^\\s*(?:[xX][_-]|信息[:：]).+$"] = _ANY_CELL
    required = ("id", "post", "hired_on")
    return {
        "type": "object",
        "description": "one roster row: keys are column headers as in docs/roster-format.md "
        "(English or Chinese); a blank cell (null or white space) counts as absent",
        "patternProperties": patterns,
        "additionalProperties": False,
        # Some column of each required field holds a value: "not every such column is
        # blank or missing" (JSON Schema has no "required" for keys known by pattern).
        "allOf": [
            {
                "not": {
                    "patternProperties": {
                        _header_pattern(name): _BLANK for name in FIELD_HEADERS[field]
                    }
                },
                "description": f"a {field} is required",
            }
            for field in required
        ],
    }
