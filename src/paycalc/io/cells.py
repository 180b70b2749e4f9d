"""Turning one roster cell into a value: dates, yes/no, whole numbers, JSON.

Each function raises ``ValueError`` with a message fit to show a person; the reader adds
the row and column.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Final

from paycalc.jsontext import loads_strict
from paycalc.limits import shown

__all__ = [
    "Cell",
    "is_blank",
    "parse_bool",
    "parse_date",
    "parse_int",
    "parse_json",
    "parse_money_text",
    "text_of",
]

#: What a reader hands over: text (CSV, JSONL), or typed values (XLSX, JSONL).
Cell = (
    str | int | float | Decimal | bool | date | datetime | list[object] | dict[str, object] | None
)

_ISO: Final = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_SLASH: Final = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_CHINESE: Final = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")

DATE_FORMATS: Final = "2024-03-15, 2024/3/15 or 2024年3月15日"

_TRUE: Final = frozenset({"是", "在编", "true", "yes", "y", "1", "√"})
_FALSE: Final = frozenset({"否", "非在编", "不在编", "false", "no", "n", "0", "×"})


def is_blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text_of(value: Cell) -> str:
    """A cell as text; whole-number floats (XLSX) lose their ``.0``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return "" if value is None else str(value).strip()


def parse_date(value: Cell) -> date:
    """ISO ``2024-03-15``, ``2024/3/15`` or ``2024年3月15日``; XLSX date cells too."""
    if isinstance(value, datetime):
        if value.time() != datetime.min.time():
            raise ValueError(f"expected a date without a time of day, got {value}")
        return value.date()
    if isinstance(value, date):
        return value
    text = text_of(value)
    for pattern in (_ISO, _SLASH, _CHINESE):
        match = pattern.match(text)
        if match:
            year, month, day = (int(group) for group in match.groups())
            try:
                return date(year, month, day)
            except ValueError as error:
                raise ValueError(f"{shown(text)} is not a real date ({error})") from None
    raise ValueError(f"expected a date as {DATE_FORMATS}; got {shown(text)}")


def parse_bool(value: Cell) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = text_of(value).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"expected 是/否 (yes/no, true/false, 1/0); got {shown(text_of(value))}")


def parse_int(value: Cell) -> int:
    if isinstance(value, bool):
        raise ValueError(f"expected a whole number, got {shown(value)}")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return int(value)
    text = text_of(value)
    if re.fullmatch(r"\d{1,9}", text):
        return int(text)
    raise ValueError(f"expected a whole number; got {shown(text)}")


def parse_money_text(value: Cell) -> str | int | Decimal:
    """Money stays exact: text and integers pass (checked by ``to_decimal``); an XLSX number
    is read as the decimal of its shortest text (``5320.1``, never ``5320.1000000000004``)."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return value
    return text_of(value)


def parse_json(value: Cell) -> object:
    """A JSON cell, read strictly (keys given twice, NaN, deep nesting are errors; exact
    decimals); a JSONL value that is already a list or object passes."""
    if isinstance(value, list | dict):
        return value
    return loads_strict(text_of(value))
