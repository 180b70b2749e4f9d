from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paycalc.period import Month, employed_fraction, service_time


def test_month_parsing_and_arithmetic() -> None:
    month = Month.parse("2024-02")
    assert (month.first_day, month.last_day, month.days) == (
        date(2024, 2, 1),
        date(2024, 2, 29),
        29,
    )
    assert str(month.plus(11)) == "2025-01"
    assert str(month.plus(-2)) == "2023-12"
    assert Month(2025, 1).months_since(Month(2024, 2)) == 11


@pytest.mark.parametrize("text", ["2024-13", "2024-3", "24-03", "2024/03", ""])
def test_bad_months_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        Month.parse(text)


def test_service_counts_completed_years_and_months() -> None:
    # Hired 2012-03-15; on 2024-03-01 that is 11 years 11 months (the 12th year ends 03-15).
    assert (
        service_time(date(2012, 3, 15), date(2024, 3, 1)).years,
        service_time(date(2012, 3, 15), date(2024, 3, 1)).months,
    ) == (11, 11)
    # relativedelta counts 31 January → 29 February as one month.
    assert service_time(date(2024, 1, 31), date(2024, 2, 29)).months == 1
    assert service_time(date(2024, 5, 1), date(2024, 1, 1)).total_months == 0


def test_calendar_proration_of_a_mid_month_hire() -> None:
    # Hired 2024-03-17: employed 17..31 March = 15 of 31 days.
    assert employed_fraction(Month(2024, 3), date(2024, 3, 17), None, "calendar") == Decimal(
        15
    ) / Decimal(31)


def test_21_75_proration_counts_weekdays() -> None:
    # Left on Friday 2024-03-08: Fri 1, Mon 4 – Fri 8 → 6 weekdays; 6 / 21.75.
    fraction = employed_fraction(Month(2024, 3), date(2020, 1, 1), date(2024, 3, 8), "21.75")
    assert fraction == Decimal(6) / Decimal("21.75")
    # A full month is always 1, although March 2024 has 21 weekdays.
    assert employed_fraction(Month(2024, 3), date(2020, 1, 1), None, "21.75") == 1


@given(
    year=st.integers(2000, 2030),
    month=st.integers(1, 12),
    hire_offset=st.integers(-400, 40),
    stay=st.one_of(st.none(), st.integers(0, 400)),
    method=st.sampled_from(["calendar", "21.75"]),
)
def test_proration_is_within_zero_and_a_full_month(
    year: int, month: int, hire_offset: int, stay: int | None, method: str
) -> None:
    pay_month = Month(year, month)
    hired_on = pay_month.first_day + timedelta(days=hire_offset)
    left_on = None if stay is None else hired_on + timedelta(days=stay)
    fraction = employed_fraction(pay_month, hired_on, left_on, method)  # type: ignore[arg-type]
    assert 0 <= fraction <= 1
    employed_all_month = hired_on <= pay_month.first_day and (
        left_on is None or left_on >= pay_month.last_day
    )
    assert (fraction == 1) == employed_all_month or (method == "21.75" and fraction == 1)


def test_month_index_counts_months_since_year_zero() -> None:
    from paycalc.period import month_index

    # 2024 × 12 + 3 − 1 = 24290; the last day of a month is still that month
    assert month_index(date(2024, 3, 15)) == 24290 == Month(2024, 3).index
    assert month_index(date(2024, 12, 31)) == 24299
    assert month_index(date(2025, 1, 1)) == 24300


def test_21_75_proration_leaves_out_weekends() -> None:
    # Hired Wednesday 2024-03-20: Wed–Fri 20–22 and Mon–Fri 25–29 → 8 weekdays; the
    # weekends 23–24 and 30–31 do not count.
    fraction = employed_fraction(Month(2024, 3), date(2024, 3, 20), None, "21.75")
    assert fraction == Decimal(8) / Decimal("21.75")


def test_one_day_of_employment_is_one_day() -> None:
    # Hired on the last day of May 2024, a Friday: one calendar day of 31, one weekday.
    assert employed_fraction(Month(2024, 5), date(2024, 5, 31), None, "calendar") == Decimal(
        1
    ) / Decimal(31)
    assert employed_fraction(Month(2024, 5), date(2024, 5, 31), None, "21.75") == Decimal(
        1
    ) / Decimal("21.75")


def test_proration_basis_says_the_days_counted() -> None:
    from paycalc.period import proration_basis

    march = Month(2024, 3)
    # hired 17 March: 17..31 = 15 of 31 calendar days; Wed 20 March: 8 weekdays (see above)
    assert proration_basis(march, date(2024, 3, 17), None, "calendar") == "15/31天"
    assert proration_basis(march, date(2024, 3, 20), None, "21.75") == "8/21.75天"
    # left Friday 8 March: 1..8 = 8 calendar days, 6 weekdays (Fri 1, Mon 4 – Fri 8)
    assert proration_basis(march, date(2020, 1, 1), date(2024, 3, 8), "calendar") == "8/31天"
    assert proration_basis(march, date(2020, 1, 1), date(2024, 3, 8), "21.75") == "6/21.75天"
    # left before the month: nothing counted
    assert proration_basis(march, date(2020, 1, 1), date(2024, 2, 20), "calendar") == "0/31天"
    assert proration_basis(march, date(2020, 1, 1), date(2024, 2, 20), "21.75") == "0/21.75天"


def test_21_75_proration_counts_the_weekdays_after_the_first_day() -> None:
    # Hired Friday 2024-03-29: Fri 29, Sat 30, Sun 31 → one weekday; 1 / 21.75.
    assert employed_fraction(Month(2024, 3), date(2024, 3, 29), None, "21.75") == Decimal(
        1
    ) / Decimal("21.75")
    # Left Saturday 2024-03-09: Fri 1, Mon 4 – Fri 8 → 6 weekdays (a full week and Fri 8,
    # Sat 9 after it); counting the days before the first (Thu 22, Fri 23 Feb) gives 7.
    assert employed_fraction(Month(2024, 3), date(2020, 1, 1), date(2024, 3, 9), "21.75") == (
        Decimal(6) / Decimal("21.75")
    )


def test_month_and_date_bounds_are_inclusive() -> None:
    from paycalc.period import EARLIEST_DATE, LATEST_DATE, plausible_date

    assert str(Month(1900, 1)) == "1900-01" and str(Month(9999, 12)) == "9999-12"
    for year, month, message in [
        (2024, 13, "month must be 1..12, got 13"),
        (2024, 0, "month must be 1..12, got 0"),
        (1899, 12, "year must be 1900..9999, got 1899"),
        (10000, 1, "year must be 1900..9999, got 10000"),
    ]:
        with pytest.raises(ValueError) as refused:
            Month(year, month)
        assert str(refused.value) == f"arguments: month: {message}"  # a UsageError, located
    with pytest.raises(ValueError) as refused:
        Month.parse("2024-1")
    assert str(refused.value) == "arguments: month: expected a month as YYYY-MM, got '2024-1'"
    # the documented range, 1950-01-01 .. 2100-12-31, includes both ends
    assert plausible_date(date(1950, 1, 1)) == EARLIEST_DATE == date(1950, 1, 1)
    assert plausible_date(date(2100, 12, 31)) == LATEST_DATE == date(2100, 12, 31)
    with pytest.raises(ValueError) as refused:
        plausible_date(date(1949, 12, 31))
    assert str(refused.value) == (
        "1949-12-31 is outside the dates paycalc accepts (1950-01-01 .. 2100-12-31); check the year"
    )
