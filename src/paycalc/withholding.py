"""Income tax on a slip: the month's earnings through cumulative withholding (累计预扣法).

The arithmetic lives in :mod:`paycalc.tax`; this module decides what on a slip is wages,
what is the annual one-off bonus and what is deductible social insurance, and turns the
result into slip lines. A worker's tax year is stateful: :class:`TaxState` carries the
year-to-date figures from one month to the next.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from paycalc.errors import InputError, PayError, Problem, WorkerError
from paycalc.money import ZERO, format_percent
from paycalc.period import Month
from paycalc.scheme.model import Yearly
from paycalc.scheme.version import SchemeVersion
from paycalc.slip import PayLine
from paycalc.tax import (
    BonusTax,
    DeductionPart,
    MonthTax,
    SpecialDeductionClaims,
    YearToDate,
    bonus_tax_separately,
    itemised_special_deductions,
    separate_bonus_available,
    withhold_month,
)
from paycalc.worker import TaxProfile, Worker

__all__ = ["TaxState", "Withholding", "withhold", "withholding_for"]


@dataclass(frozen=True, slots=True)
class TaxState:
    """Where a worker's tax year stands before a month: year-to-date figures, bonus used."""

    ytd: YearToDate
    separate_bonus_used: bool = False

    @classmethod
    def start(cls) -> TaxState:
        return cls(YearToDate.zero())


def _claims(worker: Worker) -> SpecialDeductionClaims:
    # The worker's tax record carries the claims' fields, plus how the bonus is taxed.
    claims = worker.tax.model_dump(exclude=set(TaxProfile.NOT_CLAIMS))
    try:
        return SpecialDeductionClaims(**claims)
    except InputError as error:
        raise WorkerError(
            Problem(f"worker {worker.id}", f"tax.{p.location}", p.message) for p in error.problems
        ) from None


def _bonus_codes(scheme: SchemeVersion) -> frozenset[str]:
    return frozenset(
        c.code for c in scheme.spec.components if isinstance(c, Yearly) and c.annual_bonus
    )


@dataclass(frozen=True, slots=True)
class Withholding:
    """A month's withholding with every figure behind it (for registers and tax files).

    ``month_tax`` is the wage withholding (income, cumulative figures, rate); ``bonus`` the
    annual one-off bonus taxed separately this month (zero when none) and ``bonus_tax`` its
    tax; ``special`` the month's special additional deductions item by item;
    ``social_insurance`` the employee's 三险一金 counted as 专项扣除.
    """

    lines: tuple[PayLine, ...]
    after: TaxState
    warnings: tuple[str, ...]
    month_tax: MonthTax
    bonus: Decimal
    bonus_tax: BonusTax | None
    special: tuple[DeductionPart, ...]
    social_insurance: Decimal


def withhold(
    lines: list[PayLine],
    worker: Worker,
    month: Month,
    scheme: SchemeVersion,
    state: TaxState,
    social_insurance_codes: frozenset[str],
) -> tuple[list[PayLine], TaxState, list[str]]:
    """Tax lines for the month, the state after it, and any warnings."""
    found = withholding_for(lines, worker, month, scheme, state, social_insurance_codes)
    return list(found.lines), found.after, list(found.warnings)


def withholding_for(
    lines: list[PayLine] | tuple[PayLine, ...],
    worker: Worker,
    month: Month,
    scheme: SchemeVersion,
    state: TaxState,
    social_insurance_codes: frozenset[str],
) -> Withholding:
    """The month's withholding from the slip's lines before tax (see :func:`withhold`)."""
    bonus_codes = _bonus_codes(scheme)
    wages = bonus = social_insurance = ZERO
    for line in lines:
        if line.category == "earning":
            if line.code in bonus_codes:
                bonus += line.amount
            else:
                wages += line.amount
        elif line.code in social_insurance_codes:
            social_insurance += line.amount
    warnings: list[str] = []
    separate = False
    if bonus and worker.tax.bonus_method == "separate":
        if not separate_bonus_available(month.first_day):
            warnings.append("全年一次性奖金单独计税政策不在有效期内: 并入当月工资计税")
        elif state.separate_bonus_used:
            warnings.append("全年一次性奖金单独计税每年只能使用一次: 并入当月工资计税")
        else:
            separate = True
    try:
        special = tuple(itemised_special_deductions(_claims(worker), month.first_day))
    except InputError as error:
        raise WorkerError(
            Problem(f"worker {worker.id}", f"tax.{p.location}", p.message) for p in error.problems
        ) from None
    income = wages if separate else wages + bonus
    tax_free = worker.tax.tax_free_income
    if tax_free > income:
        raise PayError(
            worker.id,
            str(month),
            f"tax-free income (免税收入) {tax_free:,.2f} is more than the month's income "
            f"{income:,.2f}",
            location="tax.tax_free_income",
        )
    result = withhold_month(
        income,
        social_insurance,
        sum((part.amount for part in special), ZERO),
        other_deductions=worker.tax.other_deductions,
        tax_free_income=tax_free,
        ytd=state.ytd,
    )
    tax_lines = []
    if result.tax or result.cumulative_tax:
        tax_lines.append(
            PayLine(
                "income_tax",
                "个人所得税",
                "deduction",
                result.tax,
                f"累计应纳税所得额 {result.cumulative_taxable:,.2f} × {format_percent(result.rate)}"
                f" − 速算扣除 {result.quick_deduction:,} − 已预扣 {result.tax_withheld_before:,.2f}",
            )
        )
    bonus_tax = bonus_tax_separately(bonus) if separate else None
    if bonus_tax is not None and bonus_tax.tax:
        tax_lines.append(
            PayLine(
                "bonus_income_tax",
                "全年一次性奖金个税",
                "deduction",
                bonus_tax.tax,
                f"单独计税 {bonus:,.2f} × {format_percent(bonus_tax.rate)} − 速算扣除 "
                f"{bonus_tax.quick_deduction:,}",
            )
        )
    after = TaxState(result.ytd_after, state.separate_bonus_used or separate)
    return Withholding(
        lines=tuple(tax_lines),
        after=after,
        warnings=tuple(warnings),
        month_tax=result,
        bonus=bonus if separate else ZERO,
        bonus_tax=bonus_tax,
        special=special,
        social_insurance=social_insurance,
    )
