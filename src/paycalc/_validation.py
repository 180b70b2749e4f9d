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
from paycalc.money import AMOUNT_RANGE
from paycalc.period import EARLIEST_DATE, LATEST_DATE

__all__ = [
    "DATE_JSON_SCHEMA",
    "MONEY_TEXT_PATTERN",
    "NON_NEGATIVE_TEXT_PATTERN",
    "SHARE_TEXT_PATTERN",
    "SPACES",
    "SPACE_CLASS",
    "YEARS_PATTERN",
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
    "money_number_json_schema",
    "problems_from_validation_error",
    "share_json_schema",
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

#: Every character ``str.strip`` removes (``str.isspace``), spelt out so that a pattern means
#: the same in every regex dialect (ECMA-262's ``\s`` differs from Python's).
SPACES: Final = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
    "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


#: A regex class of :data:`SPACES` (as ``\\uXXXX`` escapes, the same in every dialect).
SPACE_CLASS: Final = "[" + "".join(f"\\u{ord(c):04x}" for c in SPACES) + "]"


def _money_text(signs: str, *, percent: bool = False) -> str:
    """The text :func:`paycalc.money.to_decimal` reads, as one regex.

    Trimmed of white space, it is a sign, ``¥``/``￥`` (then white space, then a sign if none
    came before), the number, then white space and ``元``. Full-width digits, point, comma and
    signs count as ASCII. The number: digits, or digits grouped by commas in threes, then a
    point and digits. The range is in the pattern too: at most 12 significant integer
    digits (below 10^12), at most 20 decimal places before trailing zeros. ``percent``
    allows a ``%`` last (a share: ``"50%"``).
    """
    s = f"{SPACE_CLASS}*"
    digit, zero, point, comma = "[0-9０-９]", "[0０]", "[.．]", "[,，]"
    integer = (
        f"(?:{zero}*{digit}{{1,12}}"
        f"|{digit}{{1,3}}(?:{comma}{digit}{{3}}){{1,3}}"
        f"|{zero}{{1,3}}(?:{comma}{zero}{{3}})*(?:{comma}{digit}{{3}}){{4}})"
    )
    number = f"{integer}(?:{point}{digit}{{1,20}}{zero}*)?"
    sign = f"[{signs}]"
    yen = "[¥￥]"
    body = f"(?:{sign}?{number}|{sign}{yen}{s}{number}|{yen}{s}{sign}?{number})(?:{s}元)?"
    return f"^{s}{body}" + (f"(?:{s}%)?" if percent else "") + f"{s}$"


#: Exactly the text :func:`paycalc.money.to_decimal` reads as an amount (``5320``,
#: ``5,320.00``, ``¥5,320.00``, ``5320元``, full-width digits, one sign), but for its length
#: limit: text over 64 characters once trimmed is refused by the parser alone (a gap named
#: in docs/contracts.md). Checked against the parser in tests/contracts, string by string.
MONEY_TEXT_PATTERN: Final = _money_text("+\\-＋－")
#: The same without a minus sign, for amounts that must not be negative.
NON_NEGATIVE_TEXT_PATTERN: Final = _money_text("+＋")


#: A share as text: an amount (``0.5``) or a percentage (``"50%"``).
SHARE_TEXT_PATTERN: Final = _money_text("+\\-＋－", percent=True)


def _years(first: int, last: int) -> str:
    """A regex for the four-digit years ``first`` .. ``last``, decade by decade."""
    parts = []
    for decade in range(first // 10, last // 10 + 1):
        low, high = max(first, decade * 10) % 10, min(last, decade * 10 + 9) % 10
        parts.append(f"{decade:03d}" + (f"{low}" if low == high else f"[{low}-{high}]"))
    return "(?:" + "|".join(parts) + ")"


#: The years of :data:`~paycalc.period.EARLIEST_DATE` .. :data:`~paycalc.period.LATEST_DATE`
#: (whole years: the range starts on 1 January and ends on 31 December).
YEARS_PATTERN: Final = _years(EARLIEST_DATE.year, LATEST_DATE.year)
#: A date written as ``YYYY-MM-DD`` (JSON has no date type) in the years paycalc accepts;
#: ``format`` asks validators that check formats to refuse impossible days (2024-02-30).
DATE_JSON_SCHEMA: Final[dict[str, object]] = {
    "type": "string",
    "format": "date",
    "pattern": f"^{YEARS_PATTERN}-[0-9]{{2}}-[0-9]{{2}}$",
}


def money_number_json_schema(
    *, minimum: int | None = None, maximum: int | None = None
) -> dict[str, Any]:
    """A JSON number in :data:`paycalc.money.AMOUNT_RANGE` (its size; the places are a gap)
    and within ``minimum`` .. ``maximum`` when given."""
    bound = int(AMOUNT_RANGE.below)
    number: dict[str, Any] = {"type": "number"}
    if minimum is not None:
        number["minimum"] = minimum
    else:
        number["exclusiveMinimum"] = -bound
    if maximum is not None:
        number["maximum"] = maximum
    else:
        number["exclusiveMaximum"] = bound
    return number


def money_json_schema(*, minimum: int | None = None, maximum: int | None = None) -> dict[str, Any]:
    """Money as JSON Schema: a number, or text the money parser reads.

    A JSON number is read exactly (worker files, rosters and request bodies through
    :func:`paycalc.jsontext.loads_strict`, TOML with ``parse_float=Decimal``), so ``5320.50``
    is as good as ``"5320.50"``; both lie in :data:`paycalc.money.AMOUNT_RANGE`. ``minimum``
    0 refuses a minus sign in text too; ``maximum`` bounds numbers only (text above it is
    refused by the parser alone: a gap named in docs/contracts.md).
    """
    pattern = MONEY_TEXT_PATTERN if minimum is None else NON_NEGATIVE_TEXT_PATTERN
    return {
        "anyOf": [
            money_number_json_schema(minimum=minimum, maximum=maximum),
            {"type": "string", "pattern": pattern},
        ],
        "description": 'yuan: a number such as 5320.50, or text such as "5,320.00", '
        '"¥5,320.00" or "5320元"',
    }


def share_json_schema() -> dict[str, Any]:
    """A share (a parent's part of a child deduction): a number, or text as money or ``50%``."""
    return {
        "anyOf": [money_number_json_schema(), {"type": "string", "pattern": SHARE_TEXT_PATTERN}],
        "description": 'a share: 1 or 0.5, or "100%" / "50%"',
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
