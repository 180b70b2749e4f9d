"""Turn pydantic's validation errors into paycalc :class:`~paycalc.errors.Problem` values,
and the field types whose JSON Schema says exactly what their parsers accept."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Final

from pydantic import BeforeValidator, ValidationError, WithJsonSchema

from paycalc.codes import (
    LABELS,
    Appraisal,
    AwardLevel,
    Education,
    Level,
    QualificationKind,
    parse_code,
)
from paycalc.errors import Problem

__all__ = [
    "DATE_JSON_SCHEMA",
    "MONEY_TEXT_PATTERN",
    "NON_NEGATIVE_TEXT_PATTERN",
    "AppraisalCode",
    "AwardCode",
    "EducationCode",
    "IsoDate",
    "KindCode",
    "LevelCode",
    "WholeNumber",
    "code_json_schema",
    "coded_keys",
    "key_path",
    "money_json_schema",
    "problems_from_validation_error",
    "unique_codes",
    "whole_number",
]


def key_path(location: Iterable[int | str], *, skip: frozenset[str] = frozenset()) -> str:
    """``("components", 2, "amounts", "chief")`` → ``components[2].amounts.chief``.

    ``skip`` names location parts that pydantic inserts but a user never wrote (the tag of a
    discriminated union, for instance).
    """
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part in skip or "[" in part or part.startswith("function-"):
            continue
        elif part.isdigit():
            text += f"[{part}]" if not text else f".{part}"
        else:
            text += f".{part}" if text else part
    return text


def _describe(error: dict[str, object]) -> str:
    kind = error.get("type")
    message = str(error.get("msg", "invalid value"))
    if kind == "extra_forbidden":
        return "unknown key (not part of the format; check the spelling)"
    if kind == "missing":
        return "required key is missing"
    message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if "input" in error and "got " not in message:
        given = error["input"]
        if not isinstance(given, dict | list):
            return f"{message} (given: {given!r})"
    return message


def problems_from_validation_error(
    error: ValidationError, source: str, *, skip: frozenset[str] = frozenset()
) -> list[Problem]:
    """One :class:`Problem` per pydantic error, located by key path in ``source``."""
    errors = error.errors(include_url=False)
    # A list whose items all failed is also "too short"; that echo would only confuse.
    item_locations = {tuple(item["loc"][:-1]) for item in errors if len(item["loc"]) > 1}
    return [
        Problem(source, key_path(item["loc"], skip=skip), _describe(dict(item)))
        for item in errors
        if not (
            item["type"] == "too_short"
            and any(loc[: len(item["loc"])] == tuple(item["loc"]) for loc in item_locations)
        )
    ]


# --- what the parsers accept, as JSON Schema (the published contracts use these) --------

_SEPARATORS = "[,_]*"
_DIGIT = f"[0-9]{_SEPARATORS}"


def _money_text(sign: str) -> str:
    number = (
        f"{sign}{_SEPARATORS}(?:(?:{_DIGIT})+(?:\\.{_SEPARATORS}(?:{_DIGIT})*)?"
        f"|\\.{_SEPARATORS}(?:{_DIGIT})+)"
        f"(?:[eE]{_SEPARATORS}[+-]?{_SEPARATORS}(?:{_DIGIT})+)?"
    )
    return f"^[\\s,]*{_SEPARATORS}{number}[\\s,]*$"


#: Exactly the ASCII text :func:`paycalc.money.to_decimal` reads as a number: a decimal
#: with an optional exponent; commas and underscores anywhere are ignored (``"5,320.00"``),
#: and so is white space around the figure. Checked string by string against the parser in
#: tests/contracts (every string of 1-7 characters over ``1.,_-e +``).
MONEY_TEXT_PATTERN: Final = _money_text("[+-]?")
#: The same without a minus sign, for amounts that must not be negative.
NON_NEGATIVE_TEXT_PATTERN: Final = _money_text("\\+?")
#: A date written as ``YYYY-MM-DD`` (JSON has no date type); ``format`` asks validators
#: that check formats to refuse impossible days such as 2024-02-30.
DATE_JSON_SCHEMA: Final[dict[str, object]] = {
    "type": "string",
    "format": "date",
    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
}


def money_json_schema(
    *, json_numbers: str = "integer", minimum: int | None = None
) -> dict[str, Any]:
    """Money as JSON Schema: text the money parser reads, or a JSON number.

    ``json_numbers`` is ``"integer"`` where floats are refused (worker files: a JSON
    ``5320.5`` would be a binary float) and ``"number"`` where numbers arrive exact (TOML
    files, read with ``parse_float=Decimal``).
    """
    number: dict[str, object] = {"type": json_numbers}
    pattern = MONEY_TEXT_PATTERN
    if minimum is not None:
        number["minimum"] = minimum
        pattern = NON_NEGATIVE_TEXT_PATTERN
    return {
        "anyOf": [number, {"type": "string", "pattern": pattern}],
        "description": 'yuan: a number, or text such as "5320.00" or "5,320.00"',
    }


def code_json_schema(kind: type[StrEnum]) -> dict[str, Any]:
    """A vocabulary code, written as its code or any of its Chinese labels."""
    names = [name for member in kind for name in (member.value, *LABELS.get(member, ()))]
    described = "; ".join(f"{m.value} ({' / '.join(LABELS.get(m, ()))})" for m in kind)
    return {"type": "string", "enum": names, "description": described}


def _iso_date(value: object) -> object:
    """Dates as real dates or ``YYYY-MM-DD`` text; never a number (read as a Unix time)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError as error:
            raise ValueError(f"not a real date ({error}), got {value!r}") from None
    raise ValueError(f"expected a date as YYYY-MM-DD, got {value!r}")


_ISO_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def whole_number(value: object) -> object:
    """A JSON integer (``7``, or ``7.0``, which JSON Schema calls an integer too); never text."""
    if isinstance(value, str | bool):
        raise ValueError(f"expected a whole number, got {value!r}")
    return value


#: A whole-number field of a contract: a JSON integer, never ``"7"`` or ``true``.
WholeNumber = Annotated[int, BeforeValidator(whole_number)]

#: A date field of a contract: a ``date``, or ``YYYY-MM-DD`` text.
IsoDate = Annotated[date, BeforeValidator(_iso_date), WithJsonSchema(DATE_JSON_SCHEMA)]


# --- coded values: a code or any of its Chinese labels, in every file -------------------


def _code_type(kind: type[StrEnum]) -> Any:
    return Annotated[
        kind,
        BeforeValidator(functools.partial(parse_code, kind)),
        WithJsonSchema(code_json_schema(kind)),
    ]


#: Fields (and keys) holding a code, written as the code or a Chinese label (``"本科"``).
EducationCode = _code_type(Education)
AppraisalCode = _code_type(Appraisal)
LevelCode = _code_type(Level)
KindCode = _code_type(QualificationKind)
AwardCode = _code_type(AwardLevel)


def coded_keys(kind: type[StrEnum], value: object) -> object:
    """A table keyed by codes, each key read as code or label; two keys naming the same
    code (``本科`` and ``bachelor``) are refused, as keeping one would be silent."""
    if not isinstance(value, Mapping):
        return value
    found: dict[object, object] = {}
    written: dict[object, object] = {}
    for key, item in value.items():
        try:
            code: object = parse_code(kind, key)
        except ValueError:
            code = key  # the key's own validation says what is wrong
        if code in found:
            raise ValueError(f"{written[code]!r} and {key!r} name the same {code}; keep one")
        found[code], written[code] = item, key
    return found


def unique_codes(kind: type[StrEnum]) -> BeforeValidator:
    """The validator of a table keyed by codes (see :func:`coded_keys`)."""
    return BeforeValidator(functools.partial(coded_keys, kind))
