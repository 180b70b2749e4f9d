"""Exact scaled-integer arithmetic: decimals as ``int64`` multiples of ``10**-scale``.

:func:`round_to_fen` reproduces ``Decimal.quantize(Decimal("0.01"), rounding=mode)`` for
every rounding mode a scheme may name, on integers that hold amounts at a finer scale.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from decimal import Decimal

import numpy as np
import numpy.typing as npt

__all__ = ["Int64s", "decimal_places", "round_scaled", "round_to_fen", "scaled_int"]

Int64s = npt.NDArray[np.int64]


def decimal_places(values: Iterable[Decimal]) -> int:
    """The fewest decimal places that write every value exactly (at least 0)."""
    places = 0
    for value in values:
        exponent = value.normalize().as_tuple().exponent
        assert isinstance(exponent, int)
        places = max(places, -exponent)
    return places


def scaled_int(value: Decimal, scale: int) -> int:
    """``value × 10**scale`` as an exact int (raises if that is not an integer)."""
    scaled = value.scaleb(scale)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value} has more than {scale} decimal places")
    return int(scaled)


def round_scaled(values: Int64s, digits: int, mode: str) -> Int64s:
    """Divide by ``10**digits`` and round as ``Decimal`` does with ``mode``."""
    if digits <= 0:
        return values * np.int64(10 ** (-digits))
    divisor = np.int64(10**digits)
    quotient, remainder = np.divmod(values, divisor)  # floor division, remainder in [0, d)
    if mode == decimal.ROUND_FLOOR:
        return quotient
    inexact = remainder != 0
    negative = values < 0
    twice = remainder * 2
    above = twice > divisor
    tie = twice == divisor
    adds = {
        decimal.ROUND_CEILING: inexact,
        decimal.ROUND_DOWN: inexact & negative,  # toward zero
        decimal.ROUND_UP: inexact & ~negative,  # away from zero
        decimal.ROUND_HALF_UP: above | (tie & ~negative),  # ties away from zero
        decimal.ROUND_HALF_DOWN: above | (tie & negative),  # ties toward zero
        decimal.ROUND_HALF_EVEN: above | (tie & (quotient % 2 == 1)),
    }
    if mode in adds:
        return np.asarray(quotient + adds[mode], dtype=np.int64)
    raise ValueError(f"unsupported rounding mode {mode}")


def round_to_fen(values: Int64s, scale: int, mode: str) -> Int64s:
    """Amounts held at ``10**-scale`` yuan, rounded to the fen (``scale`` ≥ 2 or less)."""
    return round_scaled(values, scale - 2, mode)
