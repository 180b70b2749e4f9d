"""Exact money: ``Decimal`` yuan, quantized to the fen.

Floats are refused wherever money is expected: ``0.1 + 0.2`` is not a payroll amount.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Final

__all__ = [
    "FEN",
    "ROUNDING_MODES",
    "ZERO",
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


def to_decimal(value: object, *, what: str = "amount") -> Decimal:
    """Convert an int, ``Decimal`` or numeric string to ``Decimal``; refuse floats.

    Raises ``TypeError`` for floats and other types and ``ValueError`` for text that is not
    a finite number; the message names ``what`` was being converted.
    """
    if isinstance(value, bool):
        raise TypeError(f"{what}: expected a number, got a boolean {value!r}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip().replace(",", ""))
        except decimal.InvalidOperation:
            raise ValueError(f"{what}: expected a number, got {value!r}") from None
    elif isinstance(value, float):
        raise TypeError(
            f"{what}: floats are not accepted for money, got {value!r}; "
            'write it as a string such as "2800.00" or as a Decimal'
        )
    else:
        raise TypeError(f"{what}: expected a number, got {type(value).__name__} {value!r}")
    if not result.is_finite():
        raise ValueError(f"{what}: expected a finite number, got {value!r}")
    return result


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
