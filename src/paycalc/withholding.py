"""Income tax on a slip: the month's earnings through cumulative withholding (累计预扣法).

The arithmetic lives in :mod:`paycalc.tax`; this module decides what on a slip is wages,
what is the annual one-off bonus and what is deductible social insurance, and turns the
result into slip lines. A worker's tax year is stateful: :class:`TaxState` carries the
year-to-date figures from one month to the next.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from paycalc.errors import InputError, Problem
from paycalc.ops import scaled
from paycalc.period import Month
from paycalc.scheme.version import SchemeVersion
from paycalc.slip import PayLine
from paycalc.tax import (
    MONTHLY_BONUS_2019,
    BonusTax,
    DeductionPart,
    MonthTax,
    SpecialDeductionClaims,
    YearToDate,
    itemised_special_deductions,
)
from paycalc.tax.cumulative import Running
from paycalc.tax.withholding import month_tax_of
from paycalc.worker import Worker

__all__ = ["TaxState", "Withholding", "running_of", "state_of", "withhold", "withholding_for"]


@dataclass(frozen=True, slots=True)
class TaxState:
    """Where a worker's tax year stands before a month: year-to-date figures, bonus used."""

    ytd: YearToDate
    separate_bonus_used: bool = False

    @classmethod
    def start(cls) -> TaxState:
        return cls(YearToDate.zero())


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
    """The month's withholding from a slip's lines before tax (see :func:`withhold`).

    The same withholding step the pay engine runs (:func:`paycalc.evaluate.withhold_lines`),
    on the slip's lines: for replaying a slip's tax and showing every figure behind it.
    """
    from paycalc.evaluate import Line, compiled, month_facts, withhold_lines
    from paycalc.facts import WorkerFacts
    from paycalc.ops import SCALAR, fen_of

    m = month_facts(compiled(scheme), WorkerFacts.of(worker), month, SCALAR, explain=True)
    before = [
        Line(line.code, line.label, line.category, fen_of(line.amount), True) for line in lines
    ]
    taxed: list[Line] = list(before)
    warnings: list[str] = []
    found = withhold_lines(
        m,
        compiled(scheme),
        taxed,
        social_insurance_codes,
        running_of(state),
        state.separate_bonus_used,
        warnings,
    )
    tax_lines = tuple(
        PayLine(line.code, line.label, line.category, Decimal(int(line.amount)).scaleb(-2),
                line.basis)
        for line in taxed[len(before):]
    )  # fmt: skip
    bonus = Decimal(int(found.bonus)).scaleb(-2)
    bonus_tax = None
    if found.separate:
        bracket = MONTHLY_BONUS_2019.brackets[int(found.bonus_bracket)]
        bonus_tax = BonusTax(
            bonus, bracket.rate, bracket.quick_deduction, Decimal(int(found.bonus_tax)).scaleb(-2)
        )
    profile = worker.tax
    claims = SpecialDeductionClaims(**profile.model_dump(exclude=set(profile.NOT_CLAIMS)))
    return Withholding(
        lines=tax_lines,
        after=state_of(found.after, bool(found.separate_used_after)),
        warnings=tuple(warnings),
        month_tax=month_tax_of(found.month, 2, state.ytd.tax_withheld),
        bonus=bonus,
        bonus_tax=bonus_tax,
        special=tuple(itemised_special_deductions(claims, month.first_day)),
        social_insurance=Decimal(int(found.social)).scaleb(-2),
    )


def running_of(state: TaxState) -> Running:
    """A year to date (Decimal yuan) as the withholding's running figures (fen)."""
    ytd = state.ytd

    def fen(name: str, value: Decimal) -> int:
        try:
            return scaled(value, 2)
        except ValueError:
            raise InputError(
                [Problem("<ytd>", f"ytd.{name}", f"must be in yuan and fen (two decimals), got {value}")]
            ) from None

    return Running(
        ytd.months_counted,
        fen("income", ytd.income),
        fen("tax_free_income", ytd.tax_free_income),
        fen("social_insurance", ytd.social_insurance),
        fen("special_deductions", ytd.special_deductions),
        fen("other_deductions", ytd.other_deductions),
        fen("tax_withheld", ytd.tax_withheld),
    )


def state_of(running: Running, separate_used: bool) -> TaxState:
    """The running figures (fen) as a year to date (Decimal yuan)."""

    def yuan(value: int) -> Decimal:
        return Decimal(int(value)).scaleb(-2)

    return TaxState(
        YearToDate(
            months_counted=int(running.months),
            income=yuan(running.income),
            tax_free_income=yuan(running.tax_free),
            basic_deduction=Decimal(5000 * int(running.months)),
            social_insurance=yuan(running.social),
            special_deductions=yuan(running.special),
            other_deductions=yuan(running.other),
            tax_withheld=yuan(running.withheld),
        ),
        separate_used,
    )
