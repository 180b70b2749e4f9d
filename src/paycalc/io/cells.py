"""Turning one roster cell into a value: dates, yes/no, whole numbers, JSON.

Each function raises ``ValueError`` with a message fit to show a person; the reader adds
the row and column.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Final

__all__ = ["Cell", "is_blank", "parse_bool", "parse_date", "parse_int", "parse_json", "text_of"]

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
                raise ValueError(f"{text!r} is not a real date ({error})") from None
    raise ValueError(f"expected a date as {DATE_FORMATS}; got {text!r}")


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
    raise ValueError(f"expected 是/否 (yes/no, true/false, 1/0); got {text_of(value)!r}")


def parse_int(value: Cell) -> int:
    if isinstance(value, bool):
        raise ValueError(f"expected a whole number, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = text_of(value)
    if re.fullmatch(r"\d+", text):
        return int(text)
    raise ValueError(f"expected a whole number; got {text!r}")


def parse_money_text(value: Cell) -> str | int | Decimal:
    """Money stays exact: text and integers pass; an XLSX number is read as its shortest text."""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return value
    return text_of(value)


def parse_json(value: Cell) -> object:
    if isinstance(value, list | dict):
        return value
    text = text_of(value)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"not valid JSON ({error.msg} at character {error.pos})") from None
