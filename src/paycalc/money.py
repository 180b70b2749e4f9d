"""Exact money: ``Decimal`` yuan, quantized to the fen.

Floats are refused wherever money is expected: ``0.1 + 0.2`` is not a payroll amount.
Text is read by one grammar (:func:`to_decimal`): ``5320``, ``5320.00``, ``5,320.00``,
``¥5,320.00``, ``￥5320``, ``5320元``, full-width digits, one sign; anything ambiguous
(``5.320,00``, ``5,32``, ``1,2,3``, ``5 320``, two signs) is refused, never guessed. Every
number must lie in :data:`AMOUNT_RANGE` (magnitude below 10^12, at most 20 decimal places),
so ``1e30``, ``1e400``, ``NaN`` and ``Infinity`` are refused where they are read and never
reach arithmetic.
"""

from __future__ import annotations

import decimal
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from paycalc.limits import shown

__all__ = [
    "ACCEPTED_FORMS",
    "AMOUNT_RANGE",
    "FEN",
    "ROUNDING_MODES",
    "ZERO",
    "AmountRange",
    "format_money",
    "format_number",
    "format_percent",
    "quantize",
    "to_decimal",
]

FEN: Final = Decimal("0.01")
ZERO: Final = Decimal("0.00")

#: The rounding modes a scheme may name (``rounding = "ROUND_HALF_UP"``).
ROUNDING_MODES: Final = frozenset(
    {
        decimal.ROUND_HALF_UP,
        decimal.ROUND_HALF_EVEN,
        decimal.ROUND_HALF_DOWN,
        decimal.ROUND_UP,
        decimal.ROUND_DOWN,
        decimal.ROUND_CEILING,
        decimal.ROUND_FLOOR,
    }
)


@dataclass(frozen=True, slots=True)
class AmountRange:
    """The numbers paycalc accepts anywhere (amounts, rates, factors, points, tax inputs).

    ``below``: the magnitude must be strictly less (10^12 yuan is a thousand times any
    city's yearly payroll, and keeps every fen count far inside 64-bit integers);
    ``places``: at most this many decimal places after trailing zeros are dropped (a factor
    such as ``0.083333333333333`` has 15).
    """

    below: Decimal
    places: int

    def describe(self) -> str:
        return (
            f"a number of magnitude below 10^{self.below.adjusted()} "
            f"with at most {self.places} decimal places"
        )


#: The one range every number read by paycalc must lie in (see :class:`AmountRange`).
AMOUNT_RANGE: Final = AmountRange(below=Decimal(10) ** 12, places=20)

#: What :func:`to_decimal` accepts as text, for messages and docs.
ACCEPTED_FORMS: Final = "5320, 5320.00, 5,320.00, ¥5,320.00, ￥5320 or 5320元"

#: Full-width digits and signs (typed with a Chinese input method) read as their ASCII twins.
_FULL_WIDTH: Final = str.maketrans("０１２３４５６７８９．，＋－", "0123456789.,+-")
#: digits, with thousands grouped by commas in threes or not grouped at all, and a fraction
_NUMBER: Final = re.compile(r"(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]+)?", re.ASCII)
#: longer text cannot be a number in range (12 digits, 3 commas, a point and 20 places, …)
_LONGEST: Final = 64


def _check_range(number: Decimal, what: str, given: object) -> Decimal:
    if not number.is_finite():
        raise ValueError(f"{what}: expected a finite number, got {shown(given)}")
    out_of_range = number.copy_abs() >= AMOUNT_RANGE.below
    if not out_of_range:
        _, digits, exponent = number.as_tuple()
        assert isinstance(exponent, int)  # finite
        places = -exponent if any(digits) else 0  # zero has no decimal places, 0.000 too
        for digit in reversed(digits):
            if places <= 0 or digit != 0:
                break
            places -= 1
        out_of_range = places > AMOUNT_RANGE.places
    if out_of_range:
        raise ValueError(
            f"{what}: out of range, got {shown(given)}; expected {AMOUNT_RANGE.describe()}"
        )
    return number


def _why_not(body: str) -> str:
    """What is wrong with text that is not a number in an accepted form (for the message)."""
    lowered = body.casefold()
    if any(word in lowered for word in ("nan", "inf")):
        return "not a finite number"
    if re.search(r"[0-9]\s+[0-9]", body):
        return "spaces inside a number are not accepted"
    if re.fullmatch(r"[+-]?[0-9.,]*[eE][+-]?[0-9]+", body):
        return "exponent form (1e3) is not accepted; write the digits"
    if "," in body and "." in body and body.rfind(",") > body.rfind("."):
        return "a decimal comma (5.320,00) is not accepted; write 5320.00"
    if "," in body:
        return "commas may only group digits in threes (5,320.00)"
    if body.count("+") + body.count("-") > 1:
        return "more than one sign"
    return "not a number"


def _parse_text(text: str, what: str) -> Decimal:
    body = text.strip().translate(_FULL_WIDTH)
    expected = f"expected an amount such as {ACCEPTED_FORMS}"
    if not body:
        raise ValueError(f"{what}: the text is empty; {expected}")
    if len(body) > _LONGEST:
        raise ValueError(f"{what}: too long to be a number, got {shown(text)}; {expected}")
    sign = ""
    if body[0] in "+-":
        sign, body = body[0], body[1:]
    if body[:1] in ("¥", "￥"):
        body = body[1:].lstrip()
        if not sign and body[:1] in ("+", "-"):
            sign, body = body[0], body[1:]
    if body.endswith("元"):
        body = body[:-1].rstrip()
    if not _NUMBER.fullmatch(body):
        raise ValueError(f"{what}: {_why_not(sign + body)}, got {shown(text)}; {expected}")
    return Decimal(sign + body.replace(",", ""))


def to_decimal(value: object, *, what: str = "amount") -> Decimal:
    """Convert an int, ``Decimal`` or amount text to ``Decimal``; refuse floats.

    Text may be ``5320``, ``5320.00``, ``5,320.00``, ``¥5,320.00``, ``￥5320`` or
    ``5320元`` (full-width digits too, one leading sign); ambiguous text (``5.320,00``,
    ``5,32``, ``1,2,3``, ``5 320``, ``--5``, ``1e3``) is refused. Every value must lie in
    :data:`AMOUNT_RANGE`. Raises ``TypeError`` for floats and other types and ``ValueError``
    for text that is not an accepted number and for values out of range (``NaN``,
    ``Infinity``, ``1e30``); the message names ``what`` was being converted.
    """
    if isinstance(value, bool):
        raise TypeError(f"{what}: expected a number, got a boolean {value!r}")
    if isinstance(value, Decimal):
        return _check_range(value, what, value)
    if isinstance(value, int):
        if abs(value) >= AMOUNT_RANGE.below:  # before Decimal(): ints can be enormous
            raise ValueError(
                f"{what}: out of range, got {shown(value)}; expected {AMOUNT_RANGE.describe()}"
            )
        return Decimal(value)
    if isinstance(value, str):
        return _check_range(_parse_text(value, what), what, value)
    if isinstance(value, float):
        raise TypeError(
            f"{what}: floats are not accepted for money, got {value!r}; "
            'write it as a string such as "2800.00" or as a Decimal'
        )
    raise TypeError(f"{what}: expected a number, got {type(value).__name__} {shown(value)}")


def quantize(amount: Decimal, rounding: str = decimal.ROUND_HALF_UP) -> Decimal:
    """Round to the fen (0.01) with the given rounding mode."""
    return amount.quantize(FEN, rounding=rounding)


def format_money(amount: Decimal) -> str:
    """Two-decimal string, as in the JSON slip contract (``"3120.00"``)."""
    return str(amount.quantize(FEN))


def format_number(value: Decimal) -> str:
    """A plain number without exponent or trailing zeros (``1.30`` → ``1.3``, ``100`` stays)."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_percent(share: Decimal) -> str:
    """``0.8`` → ``80%``, ``0.075`` → ``7.5%``."""
    return f"{format_number(share * 100)}%"
