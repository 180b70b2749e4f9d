"""paycalc.ops on one worker (SCALAR): the arithmetic the rule book is written in.

The numpy side (paycalc._vector) is checked against these in tests/columnar/test_parity.py;
here the scalar ops are checked against a calendar and hand counts.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from paycalc.ops import NEVER, NEVER_MONTH, SCALAR


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
