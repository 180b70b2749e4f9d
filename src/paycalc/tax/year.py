"""A tax year of months, run in order, with the annual one-off bonus rules enforced.

A bonus paid in a month is either added to that month's income (``"combined"``, 并入当年综合
所得) or taxed on its own (``"separate"``, 单独计税); the separate method is available
2019-01-01..2027-12-31 and at most once in a tax year.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Final

from paycalc.errors import InputError, Problem
from paycalc.limits import shown
from paycalc.money import to_decimal
from paycalc.period import EARLIEST_DATE, LATEST_DATE
from paycalc.tax.bonus import BonusMethod, bonus_tax_separately, check_bonus_method
from paycalc.tax.withholding import Amount, MonthTax, YearToDate, withhold_month

__all__ = ["YEAR_SOURCE", "MonthIncome", "withhold_year"]

#: ``Problem.source`` for errors about an in-memory list of months.
YEAR_SOURCE: Final = "<months>"


@dataclass(frozen=True, slots=True)
class MonthIncome:
    """One month's wage figures, as ``withhold_month`` takes them, plus an optional bonus.

    ``bonus`` with ``bonus_method`` (``"separate"`` or ``"combined"``) is the annual one-off
    bonus paid that month; ``paid_on`` dates it (needed for ``"separate"`` unless
    ``withhold_year`` is given the tax year).
    """

    income: Amount
    social_insurance: Amount = 0
    special_deductions: Amount = 0
    other_deductions: Amount = 0
    tax_free_income: Amount = 0
    bonus: Amount = 0
    bonus_method: BonusMethod | None = None
    paid_on: date | None = None


def _relocated(error: InputError, index: int) -> list[Problem]:
    """Problems from one month, re-pointed at ``months[index].field``."""
    return [
        Problem(YEAR_SOURCE, f"months[{index}].{p.location.removeprefix('ytd.')}", p.message)
        for p in error.problems
    ]


def withhold_year(
    months: Sequence[MonthIncome], *, year: int | None = None, ytd: YearToDate | None = None
) -> list[MonthTax]:
    """Withhold each month in order, starting from ``ytd`` (default: nothing counted yet).

    Raises one ``InputError`` listing every problem found (``months[2].income: ...``),
    including a second separately taxed bonus in the year and a separate bonus outside
    the period the method is available.
    """
    problems: list[Problem] = []
    if year is not None and (
        isinstance(year, bool)
        or not isinstance(year, int)
        or not EARLIEST_DATE.year <= year <= LATEST_DATE.year
    ):
        # the bonus is dated in the year: date(0, 1, 1) raised a ValueError before
        raise InputError(
            [
                Problem(
                    YEAR_SOURCE,
                    "year",
                    f"must be a year {EARLIEST_DATE.year}..{LATEST_DATE.year}, got {shown(year)}",
                )
            ]
        )
    results: list[MonthTax] = []
    current = ytd if ytd is not None else YearToDate.zero()
    separate_bonus_at: int | None = None
    for index, month in enumerate(months):
        where = f"months[{index}]"
        try:
            bonus = to_decimal(month.bonus, what="bonus")
        except (TypeError, ValueError) as exc:
            problems.append(Problem(YEAR_SOURCE, f"{where}.bonus", str(exc)))
            bonus = Decimal(0)
        if bonus < 0:
            problems.append(Problem(YEAR_SOURCE, f"{where}.bonus", f"must be ≥ 0, got {bonus}"))
            bonus = Decimal(0)
        method: BonusMethod | None = None
        if bonus and month.bonus_method is None:
            problems.append(
                Problem(
                    YEAR_SOURCE,
                    f"{where}.bonus_method",
                    "a bonus needs bonus_method 'separate' or 'combined'",
                )
            )
        elif month.bonus_method is not None:
            paid_on = month.paid_on or (date(year, 1, 1) if year is not None else None)
            if month.bonus_method == "separate" and paid_on is None:
                problems.append(
                    Problem(
                        YEAR_SOURCE,
                        f"{where}.paid_on",
                        "a separately taxed bonus needs its pay date (or the tax year)",
                    )
                )
            else:
                try:
                    method = check_bonus_method(
                        month.bonus_method,
                        paid_on or date.min,
                        source=YEAR_SOURCE,
                        location=f"{where}.bonus_method",
                    )
                except InputError as exc:
                    problems.extend(exc.problems)
        if method == "separate":
            if separate_bonus_at is not None:
                problems.append(
                    Problem(
                        YEAR_SOURCE,
                        f"{where}.bonus_method",
                        "the separate method for the annual one-off bonus may be used only "
                        f"once per tax year; months[{separate_bonus_at}] already used it",
                    )
                )
            separate_bonus_at = index if separate_bonus_at is None else separate_bonus_at

        income = month.income
        if method == "combined" and bonus:
            # A bad income is left as it is: withhold_month reports it with its location.
            with suppress(TypeError, ValueError):
                income = to_decimal(month.income, what="income") + bonus
        try:
            result = withhold_month(
                income,
                month.social_insurance,
                month.special_deductions,
                other_deductions=month.other_deductions,
                tax_free_income=month.tax_free_income,
                ytd=current,
            )
        except InputError as exc:
            problems.extend(_relocated(exc, index))
            continue
        if method == "separate" and bonus:
            result = replace(result, bonus=bonus_tax_separately(bonus))
        results.append(result)
        current = result.ytd_after
    if problems:
        raise InputError(problems)
    return results
