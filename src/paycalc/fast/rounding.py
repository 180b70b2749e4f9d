"""Exact scaled-integer arithmetic: decimals as ``int64`` multiples of ``10**-scale``.

:func:`round_to_fen` reproduces ``Decimal.quantize(Decimal("0.01"), rounding=mode)`` for
every rounding mode a scheme may name, on integers that hold amounts at a finer scale.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "Int64s",
    "decimal_places",
    "exact_product",
    "round_scaled",
    "round_to_fen",
    "scaled_int",
]

Int64s = npt.NDArray[np.int64]

#: Products up to this magnitude stay in int64 (2**62: room for the rounding's doubling).
_SAFE: int = 2**62


def exact_product(values: npt.NDArray[np.int64] | npt.NDArray[np.object_], factor: int) -> Any:
    """``values × factor`` without overflow: int64 when the product fits, else Python ints.

    A scheme may hold a share such as ``0.083333333333333`` (15 decimal places): scaled to
    an integer it is ~8·10^13, and times an amount in fen it leaves int64 behind. Such
    products are computed on Python ints (an ``object`` array) instead, exactly; the result
    is rounded back to fen by :func:`round_scaled`, which returns int64.
    """
    if values.dtype == object:
        return values * factor
    largest = int(np.abs(values).max()) if values.size else 0
    if largest * abs(factor) < _SAFE:
        return values * np.int64(factor)
    return values.astype(object) * factor


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


def round_scaled(values: Any, digits: int, mode: str) -> Int64s:
    """Divide by ``10**digits`` and round as ``Decimal`` does with ``mode``.

    ``values`` may be int64 or, for products too large for int64, Python ints (``object``);
    the result is int64 and must fit (amounts are bounded, see :mod:`paycalc.money`).
    """
    if digits <= 0:
        return _int64(exact_product(values, 10 ** (-digits)))
    divisor = 10**digits
    if values.dtype != object and divisor >= _SAFE:
        values = values.astype(object)
    quotient = values // divisor  # floor division, remainder in [0, d)
    remainder = values % divisor
    if mode == decimal.ROUND_FLOOR:
        return _int64(quotient)
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
        return _int64(quotient + adds[mode])
    raise ValueError(f"unsupported rounding mode {mode}")


def _int64(values: Any) -> Int64s:
    """Back to int64, refusing (never wrapping) a value that does not fit."""
    if values.dtype == object:
        if values.size and max(abs(int(v)) for v in values) >= 2**63:
            raise OverflowError("an amount does not fit in 64 bits")
        return np.asarray(values.astype(np.int64), dtype=np.int64)
    return np.asarray(values, dtype=np.int64)


def round_to_fen(values: Any, scale: int, mode: str) -> Int64s:
    """Amounts held at ``10**-scale`` yuan, rounded to the fen (``scale`` ≥ 2 or less)."""
    return round_scaled(values, scale - 2, mode)
