"""Pay months, partial-month proration and service time.

Service time is counted as :func:`dateutil.relativedelta.relativedelta` counts it (and tested
against it), so a worker hired on 31 January has completed one month on 28 (or 29) February,
as a person would count it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Final, Literal

from paycalc.errors import UsageError
from paycalc.limits import shown

__all__ = [
    "EARLIEST_DATE",
    "LATEST_DATE",
    "PAID_DAYS_PER_MONTH",
    "Month",
    "MonthError",
    "ProrationMethod",
    "ServiceTime",
    "employed_fraction",
    "month_index",
    "plausible_date",
    "proration_basis",
    "service_time",
]

#: 计薪天数: the statutory number of paid days in a month (劳社部发〔2008〕3号).
PAID_DAYS_PER_MONTH: Final = Decimal("21.75")

ProrationMethod = Literal["calendar", "21.75"]

#: Dates a worker record or a scheme file may hold. Anything outside is a typo (a hire year
#: of 1012, an award in 2924), refused rather than counted as a thousand years of service.
EARLIEST_DATE: Final = date(1950, 1, 1)
LATEST_DATE: Final = date(2100, 12, 31)


def plausible_date(day: date) -> date:
    """``day`` if within :data:`EARLIEST_DATE` .. :data:`LATEST_DATE`, else ``ValueError``."""
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValueError(
            f"{day} is outside the dates paycalc accepts ({EARLIEST_DATE} .. {LATEST_DATE}); "
            "check the year"
        )
    return day

_MONTH_PATTERN: Final = re.compile(r"^(\d{4})-(\d{2})$")


class MonthError(UsageError, ValueError):
    """A month that is no month (``2024-13``, ``March``) or out of range: a usage error.

    Also a ``ValueError``, as it always was, so callers that catch that keep working.
    """

    def __init__(self, message: str) -> None:
        super().__init__("month", message)


@dataclass(frozen=True, slots=True, order=True)
class Month:
    """A calendar month, the unit of pay (``2024-03``)."""

    year: int
    month: int
    # Worked out once: every slip asks for them several times.
    first_day: date = field(init=False, repr=False, compare=False)
    last_day: date = field(init=False, repr=False, compare=False)
    days: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise MonthError(f"month must be 1..12, got {self.month}")
        if not 1900 <= self.year <= 9999:
            raise MonthError(f"year must be 1900..9999, got {self.year}")
        days = calendar.monthrange(self.year, self.month)[1]
        object.__setattr__(self, "first_day", date(self.year, self.month, 1))
        object.__setattr__(self, "last_day", date(self.year, self.month, days))
        object.__setattr__(self, "days", days)

    @classmethod
    def parse(cls, text: str) -> Month:
        """Parse ``YYYY-MM``; raise :class:`MonthError` (a ``ValueError``) otherwise."""
        match = _MONTH_PATTERN.match(text.strip())
        if match is None:
            raise MonthError(f"expected a month as YYYY-MM, got {shown(text)}")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @property
    def index(self) -> int:
        """Months since year 0: ``Month.of(day).index + n == month.index`` without new objects."""
        return self.year * 12 + self.month - 1

    def plus(self, months: int) -> Month:
        index = self.year * 12 + (self.month - 1) + months
        return Month(index // 12, index % 12 + 1)

    def months_since(self, earlier: Month) -> int:
        """Whole months from ``earlier`` to this month (negative if ``earlier`` is later)."""
        return (self.year - earlier.year) * 12 + (self.month - earlier.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def month_index(day: date) -> int:
    """The :attr:`Month.index` of the month holding ``day``."""
    return day.year * 12 + day.month - 1


def _weekdays_between(first: date, last: date) -> int:
    """Monday-to-Friday days from ``first`` to ``last`` inclusive."""
    if last < first:
        return 0
    total_days = (last - first).days + 1
    full_weeks, remainder = divmod(total_days, 7)
    weekdays = full_weeks * 5
    for offset in range(remainder):
        if (first + timedelta(days=full_weeks * 7 + offset)).weekday() < 5:
            weekdays += 1
    return weekdays


def employed_fraction(
    month: Month, hired_on: date, left_on: date | None, method: ProrationMethod
) -> Decimal:
    """The share of a full month's pay earned in ``month``, in [0, 1].

    ``calendar``: employed calendar days / days in the month.
    ``21.75``: employed working days (Monday–Friday) / 21.75, capped at 1; a whole month of
    employment is always 1, since the 21.75 basis exists to make full months equal. Public
    holidays are not modelled: a scheme that needs them should pay by calendar days.
    """
    first = max(month.first_day, hired_on)
    last = month.last_day if left_on is None else min(month.last_day, left_on)
    if last < first:
        return Decimal(0)
    if first == month.first_day and last == month.last_day:
        return Decimal(1)
    if method == "calendar":
        return Decimal((last - first).days + 1) / Decimal(month.days)
    worked_days = Decimal(_weekdays_between(first, last))
    return min(Decimal(1), worked_days / PAID_DAYS_PER_MONTH)


@dataclass(frozen=True, slots=True)
class ServiceTime:
    """Completed service, in whole years and the months beyond them."""

    years: int
    months: int

    @property
    def total_months(self) -> int:
        return self.years * 12 + self.months

    def __str__(self) -> str:
        return f"{self.years}年{self.months}个月"


def service_time(hired_on: date, on: date) -> ServiceTime:
    """Completed years and months of service from ``hired_on`` to ``on`` (zero if before)."""
    if on <= hired_on:
        return ServiceTime(0, 0)
    # The same count as ``relativedelta(on, hired_on)`` (years and months), in integer
    # arithmetic: the anniversary day in ``on``'s month is clipped to that month's length
    # (31 Jan + 1 month = 28/29 Feb), and the month counts once that day is reached.
    months = (on.year - hired_on.year) * 12 + (on.month - hired_on.month)
    if on.day < hired_on.day and on.day < calendar.monthrange(on.year, on.month)[1]:
        months -= 1
    years, months = divmod(months, 12)
    return ServiceTime(years, months)


def proration_basis(
    month: Month, hired_on: date, left_on: date | None, method: ProrationMethod
) -> str:
    """How :func:`employed_fraction` was reached, for a slip's basis (``15/31天``)."""
    first = max(month.first_day, hired_on)
    last = month.last_day if left_on is None else min(month.last_day, left_on)
    if method == "calendar":
        return f"{max(0, (last - first).days + 1)}/{month.days}天"
    return f"{_weekdays_between(first, last)}/21.75天"
