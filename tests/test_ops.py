"""paycalc.ops on one worker (SCALAR): the arithmetic the rule book is written in.

The numpy side (paycalc._vector) is checked against these in tests/columnar/test_parity.py;
here the scalar ops are checked against a calendar and hand counts.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paycalc.money import ROUNDING_MODES
from paycalc.ops import NEVER, NEVER_MONTH, SCALAR, round_quotient, to_fen


def _weekdays_by_calendar(first: date, last: date) -> int:
    """Monday to Friday between two days inclusive, counted one day at a time."""
    days = (last - first).days + 1
    return sum(1 for n in range(max(days, 0)) if (first + timedelta(n)).weekday() < 5)


@pytest.mark.parametrize(
    ("first", "last", "weekdays"),
    [
        # Wed 2024-03-20 .. Sun 03-31: Wed–Fri 20–22, Mon–Fri 25–29 → 8 (two weekends out)
        (date(2024, 3, 20), date(2024, 3, 31), 8),
        (date(2024, 5, 31), date(2024, 5, 31), 1),  # one Friday
        (date(2024, 6, 1), date(2024, 6, 1), 0),  # one Saturday
        (date(2024, 6, 1), date(2024, 6, 7), 5),  # Saturday to Friday: one whole week
        (date(2024, 6, 7), date(2024, 6, 3), 0),  # the end before the start
    ],
)
def test_weekdays_count_monday_to_friday(first: date, last: date, weekdays: int) -> None:
    assert SCALAR.weekdays(first.toordinal(), last.toordinal()) == weekdays
    assert _weekdays_by_calendar(first, last) == weekdays  # the hand count, day by day


def test_weekdays_of_every_span_starting_on_every_weekday() -> None:
    start = date(2024, 1, 1)  # a Monday
    for offset in range(7):
        first = start + timedelta(offset)
        for length in range(0, 40):
            last = first + timedelta(length - 1)
            expected = _weekdays_by_calendar(first, last)
            assert SCALAR.weekdays(first.toordinal(), last.toordinal()) == expected


def test_month_index_of_a_day_and_of_never() -> None:
    # 2024-03-15: 2024 × 12 + 3 − 1 months since year 0
    assert SCALAR.month_index(date(2024, 3, 15).toordinal()) == 24290
    assert SCALAR.month_index(NEVER) == NEVER_MONTH


def test_full_is_the_value_as_an_integer() -> None:
    assert SCALAR.full(7) == 7 and isinstance(SCALAR.full(True), int)


_MODES = sorted(ROUNDING_MODES)


@settings(max_examples=300)
@given(
    numerator=st.integers(-(10**12), 10**12),
    denominator=st.integers(1, 10**6),
    mode=st.sampled_from(_MODES),
)
def test_round_quotient_rounds_as_decimal_quantize(numerator: int, denominator: int, mode: str) -> None:
    # The oracle: the exact quotient (28 digits are plenty for these sizes) quantized by
    # the standard library in the same mode.
    exact = Decimal(numerator) / Decimal(denominator)
    assert round_quotient(numerator, denominator, mode) == int(exact.quantize(Decimal(1), rounding=mode))


@pytest.mark.parametrize("mode", _MODES)
@pytest.mark.parametrize("numerator", [5, -5, 15, -15, 7, -7, 0])
def test_round_quotient_on_ties_and_near_ties(numerator: int, mode: str) -> None:
    # ±0.5 and ±1.5 (the ties each half-mode breaks its own way), ±0.7, and 0, by 10
    exact = Decimal(numerator) / Decimal(10)
    assert round_quotient(numerator, 10, mode) == int(exact.quantize(Decimal(1), rounding=mode))


def test_an_unknown_rounding_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported rounding mode ROUND_05UP"):
        round_quotient(7, 10, "ROUND_05UP")


def test_minimum_and_maximum_of_equal_values() -> None:
    assert SCALAR.minimum(3, 3) == 3 == SCALAR.maximum(3, 3)
    assert (SCALAR.minimum(2, 5), SCALAR.maximum(2, 5)) == (2, 5)


@pytest.mark.parametrize(
    ("value", "scale", "mode", "fen"),
    [
        (12345, 2, "ROUND_HALF_UP", 12345),  # already fen
        (123455, 3, "ROUND_HALF_UP", 12346),  # 123.455 yuan → 123.46
        (123455, 3, "ROUND_DOWN", 12345),
        (12, 1, "ROUND_HALF_UP", 120),  # 1.2 yuan = 120 fen
        (7, 0, "ROUND_HALF_UP", 700),  # 7 yuan
    ],
)
def test_to_fen(value: int, scale: int, mode: str, fen: int) -> None:
    assert to_fen(SCALAR, value, scale, mode) == fen
