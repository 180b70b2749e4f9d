"""service_time counts completed years and months exactly as dateutil's relativedelta does."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from paycalc.period import ServiceTime, service_time

dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31))


@given(dates, dates)
def test_matches_relativedelta(hired_on: date, on: date) -> None:
    got = service_time(hired_on, on)
    if on <= hired_on:
        assert got == ServiceTime(0, 0)
    else:
        delta = relativedelta(on, hired_on)
        assert (got.years, got.months) == (delta.years, delta.months)


def test_end_of_month_anniversaries() -> None:
    # Hired 31 Jan: one month is complete on 29 Feb 2024 (the last day of February).
    assert service_time(date(2024, 1, 31), date(2024, 2, 29)) == ServiceTime(0, 1)
    # ... but not on 28 Feb 2024, a day before the clipped anniversary.
    assert service_time(date(2024, 1, 31), date(2024, 2, 28)) == ServiceTime(0, 0)
    # Hired 15 Mar 2012, on 1 Mar 2024: 11 years and 11 months (the 12th year ends on 15 Mar).
    assert service_time(date(2012, 3, 15), date(2024, 3, 1)) == ServiceTime(11, 11)
    # Hired on the 1st: the month is complete on the 1st of the next.
    assert service_time(date(2012, 3, 1), date(2024, 3, 1)) == ServiceTime(12, 0)
