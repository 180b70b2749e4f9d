"""The ops of :mod:`paycalc.ops` on numpy arrays: the columnar side of every rule."""

from __future__ import annotations

import decimal
import functools
from collections.abc import Sequence
from typing import Any

import numpy as np

from paycalc.ops import NEVER, NEVER_MONTH

__all__ = ["VectorOps"]

#: Products up to this magnitude stay in int64 (2**62 leaves room for a rounding's doubling).
_SAFE = 2**62
_EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal()


def _largest(values: Any) -> int:
    if isinstance(values, np.ndarray):
        if not values.size:
            return 0
        if values.dtype == object:
            return max(abs(int(v)) for v in values.ravel())
        return int(np.abs(values).max())
    return abs(int(values))


def _int64(values: Any) -> Any:
    """Back to int64, refusing (never wrapping) a value that does not fit."""
    if isinstance(values, np.ndarray) and values.dtype == object:
        if values.size and _largest(values) >= 2**63:
            raise OverflowError("an amount does not fit in 64 bits")
        return values.astype(np.int64)
    return values


@functools.lru_cache(maxsize=8192)
def _table(values: tuple[int, ...]) -> Any:
    """A rule's table as an array, made once (tables live in compiled schemes)."""
    if any(abs(v) >= 2**63 for v in values):
        return np.array(values, dtype=object)
    table = np.array(values, dtype=np.int64)
    table.flags.writeable = False
    return table


@functools.lru_cache(maxsize=8192)
def _flags(values: tuple[bool, ...]) -> Any:
    flags = np.array(values, dtype=np.bool_)
    flags.flags.writeable = False
    return flags


class VectorOps:
    """The ops on arrays of ``size`` rows (scalars broadcast)."""

    def __init__(self, size: int) -> None:
        self.size = size

    def table(self, values: Sequence[int]) -> Any:
        return _table(tuple(values))

    def flags(self, values: Sequence[bool]) -> Any:
        return _flags(tuple(values))

    def take(self, table: Any, index: Any) -> Any:
        return table[index]

    def where(self, condition: Any, yes: Any, no: Any) -> Any:
        return np.where(condition, yes, no)

    def minimum(self, a: Any, b: Any) -> Any:
        return np.minimum(a, b)

    def maximum(self, a: Any, b: Any) -> Any:
        return np.maximum(a, b)

    def both(self, a: Any, b: Any) -> Any:
        return np.logical_and(a, b)

    def either(self, a: Any, b: Any) -> Any:
        return np.logical_or(a, b)

    def negate(self, a: Any) -> Any:
        return np.logical_not(a)

    def isin(self, a: Any, values: Sequence[int]) -> Any:
        return np.isin(a, list(values))

    def mul(self, a: Any, b: Any) -> Any:
        """``a × b`` exactly: int64 while it fits, Python integers beyond."""
        widened = any(isinstance(x, np.ndarray) and x.dtype == object for x in (a, b))
        if not widened and _largest(a) * _largest(b) < _SAFE:
            return np.multiply(a, b, dtype=np.int64)
        wide_a = a.astype(object) if isinstance(a, np.ndarray) else int(a)
        wide_b = b.astype(object) if isinstance(b, np.ndarray) else int(b)
        return np.multiply(wide_a, wide_b, dtype=object)

    def round_div(self, numerator: Any, denominator: Any, mode: str) -> Any:
        """``numerator / denominator`` (> 0) rounded to integers as Decimal does."""
        wide = (
            (isinstance(numerator, np.ndarray) and numerator.dtype == object)
            or (isinstance(denominator, np.ndarray) and denominator.dtype == object)
            or 2 * _largest(denominator) >= _SAFE
        )
        if wide:
            numerator = np.asarray(numerator).astype(object)
            denominator = np.asarray(denominator).astype(object)
        quotient = numerator // denominator  # floor; 0 <= remainder < denominator
        remainder = numerator % denominator
        if mode == decimal.ROUND_FLOOR:
            return _int64(quotient)
        inexact = remainder != 0
        twice = remainder * 2
        above = twice > denominator
        tie = twice == denominator
        if mode == decimal.ROUND_HALF_UP:
            up = above | (tie & (numerator >= 0))
        elif mode == decimal.ROUND_HALF_EVEN:
            up = above | (tie & (quotient % 2 == 1))
        elif mode == decimal.ROUND_HALF_DOWN:
            up = above | (tie & (numerator < 0))
        elif mode == decimal.ROUND_CEILING:
            up = inexact
        elif mode == decimal.ROUND_UP:
            up = inexact & (numerator > 0)
        elif mode == decimal.ROUND_DOWN:
            up = inexact & (numerator < 0)
        else:
            raise ValueError(f"unsupported rounding mode {mode}")
        return _int64(quotient + np.asarray(up, dtype=np.int64))

    def month_index(self, day: Any) -> Any:
        day = np.asarray(day, dtype=np.int64)
        real = np.minimum(day, NEVER - 1) - _EPOCH_ORDINAL
        months = real.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
        return np.where(day >= NEVER, NEVER_MONTH, months + 1970 * 12)

    def weekdays(self, first: Any, last: Any) -> Any:
        first = np.asarray(first, dtype=np.int64)
        last = np.asarray(last, dtype=np.int64)
        start = (np.minimum(first, NEVER - 1) - _EPOCH_ORDINAL).astype("datetime64[D]")
        end = (np.minimum(last, NEVER - 2) + 1 - _EPOCH_ORDINAL).astype("datetime64[D]")
        counted = np.busday_count(start, end)
        return np.where(last < first, 0, counted).astype(np.int64)

    def any(self, a: Any) -> bool:
        return bool(np.any(a))

    def full(self, value: int) -> Any:
        return np.full(self.size, value, dtype=np.int64)
