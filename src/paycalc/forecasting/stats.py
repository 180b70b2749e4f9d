"""Statistics over replications, exact: the mean and percentiles of integer fen.

A percentile is the linear interpolation between order statistics (numpy's default
``method="linear"``, Hyndman and Fan's type 7) computed with fractions, then rounded half
up to the fen like every other figure; the mean likewise. Nothing goes through a float.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

__all__ = ["mean_fen", "percentile_fen", "round_half_up"]


def round_half_up(value: Fraction) -> int:
    """The nearest integer, halves away from zero (as ``Decimal`` ``ROUND_HALF_UP``)."""
    floor = value.numerator // value.denominator
    rest = value - floor
    if rest > Fraction(1, 2) or (rest == Fraction(1, 2) and value >= 0):
        return floor + 1
    return floor


def mean_fen(values: Sequence[int]) -> int:
    """The mean of integer fen, rounded half up to the fen."""
    return round_half_up(Fraction(sum(values), len(values)))


def percentile_fen(values: Sequence[int], percent: Decimal) -> int:
    """The ``percent`` percentile (0–100) of integer fen, type 7, rounded half up."""
    ordered = sorted(values)
    position = Fraction(len(ordered) - 1) * Fraction(percent) / 100
    low = position.numerator // position.denominator
    if low + 1 >= len(ordered):
        return ordered[-1]
    part = position - low
    return round_half_up(ordered[low] + part * (ordered[low + 1] - ordered[low]))
