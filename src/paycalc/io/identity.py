"""Identity and payment cells of a roster: ID numbers, ID types, bank accounts, phones.

Each ``check_*`` function returns the value normalised (``x`` → ``X``, spaces dropped) or
raises ``ValueError`` with a message fit to show a person; the roster reader adds row and
column. Only what a rule exists for is checked: the 居民身份证 number by GB 11643-1999
(birth date and check digit); other document types are kept as written, after a sanity
check, because their numbering is not one national rule.

A spreadsheet that holds an ID or account number as a *number* has already lost digits
(Excel keeps 15 significant digits), so such cells are refused with the remedy.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Final

from paycalc.io.cells import Cell, text_of
from paycalc.limits import shown

__all__ = [
    "ID_TYPES",
    "RESIDENT_ID",
    "check_bank_account",
    "check_id_number",
    "check_id_type",
    "check_phone",
    "gb11643_check_digit",
    "mask_account",
    "mask_id_number",
]

#: 居民身份证: the only type whose number is checked by GB 11643.
RESIDENT_ID: Final = "居民身份证"

#: The document types the withholding client (自然人电子税务局 扣缴端) lists, as it names them.
ID_TYPES: Final = (
    RESIDENT_ID,
    "中国护照",
    "港澳居民来往内地通行证",
    "港澳居民居住证",
    "台湾居民来往大陆通行证",
    "台湾居民居住证",
    "外国护照",
    "外国人永久居留身份证",
    "外国人工作许可证（A类）",
    "外国人工作许可证（B类）",
    "外国人工作许可证（C类）",
    "其他个人证件",
)

_ID_TYPE_ALIASES: Final = {"身份证": RESIDENT_ID, "居民身份证号": RESIDENT_ID, "护照": "中国护照"}

#: GB 11643-1999 weights of the first 17 digits, and the check character by remainder.
_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK: Final = "10X98765432"
_ID18: Final = re.compile(r"^\d{17}[\dX]$")
_OTHER_ID: Final = re.compile(r"^[0-9A-Za-z()（）\-]{4,40}$")
_EXCEL_DIGITS: Final = 15


def _digits_of_number_cell(value: Cell, what: str) -> str | None:
    """The text of a number cell when no digit can have been lost; else refuse it."""
    if isinstance(value, bool):
        raise ValueError(f"{what}: expected text, got {shown(value)}")
    if isinstance(value, float):
        if not value.is_integer() or abs(value) >= 10**_EXCEL_DIGITS:
            raise ValueError(
                f"{what} is stored as a number ({shown(value)}), so digits are lost; "
                "format the column as text and enter the number again"
            )
        return str(int(value))
    if isinstance(value, int | Decimal):
        text = str(value)
        if len(text.lstrip("-")) > _EXCEL_DIGITS:
            raise ValueError(
                f"{what} is stored as a number ({text}); a spreadsheet keeps only 15 digits, "
                "so format the column as text and enter the number again"
            )
        return text
    return None


def _cell_text(value: Cell, what: str) -> str:
    number = _digits_of_number_cell(value, what)
    return number if number is not None else text_of(value)


def gb11643_check_digit(first17: str) -> str:
    """The check character of a 18-character ID number from its first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def check_id_type(value: Cell) -> str:
    """A document type as the withholding client names it (``身份证`` → ``居民身份证``)."""
    text = text_of(value).replace(" ", "")
    text = _ID_TYPE_ALIASES.get(text, text).replace("(", "（").replace(")", "）")
    if text not in ID_TYPES:
        raise ValueError(f"unknown document type {shown(text)}; expected one of {', '.join(ID_TYPES)}")
    return text


def check_id_number(value: Cell, id_type: str = RESIDENT_ID) -> str:
    """An ID number, normalised; a 居民身份证 number must pass GB 11643-1999."""
    text = _cell_text(value, "the ID number").replace(" ", "").upper()
    if id_type != RESIDENT_ID:
        if not _OTHER_ID.match(text):
            raise ValueError(
                f"{shown(text)} does not look like a {id_type} number "
                "(4–40 letters, digits, brackets or hyphens)"
            )
        return text
    if len(text) == 15 and text.isdigit():
        raise ValueError(
            f"{shown(text)} is an old 15-digit ID number; the tax system needs the 18-digit number"
        )
    if not _ID18.match(text):
        raise ValueError(
            f"{shown(text)} is not an 18-character 居民身份证 number (17 digits and a digit or X)"
        )
    try:
        born = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise ValueError(f"{shown(text)}: the birth date {text[6:14]} in it is not a real date") from None
    if born.year < 1900:
        raise ValueError(f"{shown(text)}: the birth date {born} in it is not plausible")
    expected = gb11643_check_digit(text[:17])
    if text[17] != expected:
        raise ValueError(
            f"{shown(text)}: the check digit is {text[17]}, but GB 11643 gives {expected} for the "
            "first 17 digits; a digit is mistyped"
        )
    return text


def check_bank_account(value: Cell) -> str:
    """A bank account or card number: digits only once spaces and hyphens are dropped."""
    text = re.sub(r"[\s\-]", "", _cell_text(value, "the bank account"))
    if not re.fullmatch(r"\d{8,32}", text):
        raise ValueError(f"{shown(text)} is not a bank account number (8–32 digits)")
    return text


def check_phone(value: Cell) -> str:
    """A phone number: digits (7–15), with an optional leading + and spaces or hyphens."""
    text = _cell_text(value, "the phone number").strip()
    digits = re.sub(r"[\s\-]", "", text)
    if not re.fullmatch(r"\+?\d{7,15}", digits):
        raise ValueError(f"{shown(text)} is not a phone number")
    return digits


def mask_id_number(text: str) -> str:
    """For printing: the first 3 and last 4 characters, the rest as ``*``."""
    if len(text) <= 7:
        return "*" * len(text)
    return text[:3] + "*" * (len(text) - 7) + text[-4:]


def mask_account(text: str) -> str:
    """For printing: the last 4 digits only."""
    return "**** " + text[-4:] if len(text) > 4 else "*" * len(text)
