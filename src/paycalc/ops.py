"""One set of arithmetic for one worker or for a million: the rules are written once, on ops.

A pay rule is written against an :class:`Ops` object and the values it is given: Python
``int``/``bool`` for one worker (:data:`SCALAR`), numpy arrays for many (:func:`vector_ops`).
The explained slip and the columnar month therefore run the same code, and cannot drift.

Money is integer fen; a figure with more decimals is a *scaled* integer (``value × 10**k``)
and is brought to the fen once, by :meth:`Ops.round_div`, which rounds a ratio of integers
exactly as ``Decimal.quantize`` rounds the exact quotient, in every rounding mode a scheme
may name. Products never overflow: the vector ops widen to Python integers where int64
could not hold a product, and refuse (never wrap) a result that does not fit in 64 bits.
numpy is imported only when :func:`vector_ops` is first called.
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Final, Protocol

__all__ = [
    "NEVER",
    "NEVER_MONTH",
    "SCALAR",
    "Ops",
    "ScalarOps",
    "fen_of",
    "places",
    "round_quotient",
    "scaled",
    "to_fen",
    "vector_ops",
]

#: A day ordinal later than any real day ("never happened", "never leaves").
NEVER: Final = date.max.toordinal() + 1
#: The month index of :data:`NEVER`: later than any real month.
NEVER_MONTH: Final = 10**9


def places(*values: Decimal) -> int:
    """The fewest decimal places that write every value exactly (at least 0)."""
    found = 0
    for value in values:
        exponent = value.normalize().as_tuple().exponent
        assert isinstance(exponent, int)  # finite values only (checked when read)
        found = max(found, -exponent)
    return found


def scaled(value: Decimal, scale: int) -> int:
    """``value × 10**scale`` as an exact integer (``ValueError`` if it is not one)."""
    result = value.scaleb(scale)
    if result != result.to_integral_value():
        raise ValueError(f"{value} has more than {scale} decimal places")
    return int(result)


def fen_of(amount: Decimal) -> int:
    """A two-decimal amount in fen."""
    return scaled(amount, 2)


def round_quotient(numerator: int, denominator: int, mode: str) -> int:
    """``numerator / denominator`` (denominator > 0) rounded to an integer as Decimal does."""
    quotient, remainder = divmod(numerator, denominator)  # floor; 0 <= remainder < denominator
    if not remainder or mode == decimal.ROUND_FLOOR:
        return quotient
    twice = 2 * remainder
    if mode == decimal.ROUND_HALF_UP:  # ties away from zero
        up = twice > denominator or (twice == denominator and numerator >= 0)
    elif mode == decimal.ROUND_HALF_EVEN:
        up = twice > denominator or (twice == denominator and quotient % 2 == 1)
    elif mode == decimal.ROUND_HALF_DOWN:  # ties toward zero
        up = twice > denominator or (twice == denominator and numerator < 0)
    elif mode == decimal.ROUND_CEILING:
        up = True
    elif mode == decimal.ROUND_UP:  # away from zero
        up = numerator > 0
    elif mode == decimal.ROUND_DOWN:  # toward zero
        up = numerator < 0
    else:
        raise ValueError(f"unsupported rounding mode {mode}")
    return quotient + 1 if up else quotient


class Ops(Protocol):
    """What a rule may do with its values (ints and bools, or arrays of them)."""

    size: int

    def table(self, values: Sequence[int]) -> Any: ...
    def flags(self, values: Sequence[bool]) -> Any: ...
    def take(self, table: Any, index: Any) -> Any: ...
    def where(self, condition: Any, yes: Any, no: Any) -> Any: ...
    def minimum(self, a: Any, b: Any) -> Any: ...
    def maximum(self, a: Any, b: Any) -> Any: ...
    def both(self, a: Any, b: Any) -> Any: ...
    def either(self, a: Any, b: Any) -> Any: ...
    def negate(self, a: Any) -> Any: ...
    def isin(self, a: Any, values: Sequence[int]) -> Any: ...
    def mul(self, a: Any, b: Any) -> Any: ...
    def round_div(self, numerator: Any, denominator: Any, mode: str) -> Any: ...
    def month_index(self, day: Any) -> Any: ...
    def weekdays(self, first: Any, last: Any) -> Any: ...
    def any(self, a: Any) -> bool: ...
    def full(self, value: int) -> Any: ...


class ScalarOps:
    """The ops on plain Python values: one worker, one month."""

    size = 1

    def table(self, values: Sequence[int]) -> Sequence[int]:
        return values

    def flags(self, values: Sequence[bool]) -> Sequence[bool]:
        return values

    def take(self, table: Any, index: Any) -> Any:
        return table[index]

    def where(self, condition: Any, yes: Any, no: Any) -> Any:
        return yes if condition else no

    def minimum(self, a: Any, b: Any) -> Any:
        return a if a <= b else b

    def maximum(self, a: Any, b: Any) -> Any:
        return a if a >= b else b

    def both(self, a: Any, b: Any) -> bool:
        return bool(a) and bool(b)

    def either(self, a: Any, b: Any) -> bool:
        return bool(a) or bool(b)

    def negate(self, a: Any) -> bool:
        return not a

    def isin(self, a: Any, values: Sequence[int]) -> bool:
        return a in values

    def mul(self, a: Any, b: Any) -> int:
        return int(a) * int(b)

    def round_div(self, numerator: Any, denominator: Any, mode: str) -> int:
        return round_quotient(int(numerator), int(denominator), mode)

    def month_index(self, day: Any) -> int:
        if day >= NEVER:
            return NEVER_MONTH
        when = date.fromordinal(int(day))
        return when.year * 12 + when.month - 1

    def weekdays(self, first: Any, last: Any) -> int:
        if last < first:
            return 0
        total = int(last) - int(first) + 1
        weeks, rest = divmod(total, 7)
        start = date.fromordinal(int(first)).weekday()  # 7 days later: the same weekday
        return weeks * 5 + sum(1 for offset in range(rest) if (start + offset) % 7 < 5)

    def any(self, a: Any) -> bool:
        return bool(a)

    def full(self, value: int) -> int:
        return int(value)


def to_fen(ops: Ops, value: Any, scale: int, mode: str) -> Any:
    """A value scaled by ``10**scale``, in fen: rounded with ``mode`` (or widened, ``scale < 2``)."""
    if scale >= 2:
        return ops.round_div(value, 10 ** (scale - 2), mode)
    return ops.mul(value, 10 ** (2 - scale))


#: The ops of one worker.
SCALAR: Final = ScalarOps()


def vector_ops(size: int) -> Ops:
    """The ops on numpy arrays of ``size`` rows (numpy imported here, not with paycalc)."""
    from paycalc._vector import VectorOps

    return VectorOps(size)
