"""One month of wage withholding under the cumulative method (累计预扣法).

国家税务总局公告2018年第61号 《个人所得税扣缴申报管理办法（试行）》 第六条:

    累计预扣预缴应纳税所得额 = 累计收入 − 累计免税收入 − 累计减除费用 − 累计专项扣除
                               − 累计专项附加扣除 − 累计依法确定的其他扣除
    本期应预扣预缴税额 = (累计预扣预缴应纳税所得额 × 预扣率 − 速算扣除数) − 累计减免税额
                         − 累计已预扣预缴税额
    余额为负值时，暂不退税。

累计减除费用 is 5,000 a month for each month the worker has been employed by this withholding
agent in the tax year, counting the current month. 累计减免税额 (tax reliefs) are not modelled.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Final

from paycalc.errors import InputError, Problem
from paycalc.limits import shown
from paycalc.money import quantize, to_decimal
from paycalc.ops import SCALAR, fen_of, places, scaled
from paycalc.tax.bonus import BonusTax
from paycalc.tax.brackets import ANNUAL_COMPREHENSIVE_2019, BracketTable
from paycalc.tax.cumulative import Month as CumulativeMonth
from paycalc.tax.cumulative import Running, cumulative_month

__all__ = [
    "BASIC_DEDUCTION_PER_MONTH",
    "WITHHOLDING_SOURCE",
    "MonthTax",
    "YearToDate",
    "month_tax_of",
    "withhold_month",
]

#: 减除费用 (个人所得税法 第六条: 每一纳税年度收入额减除费用六万元 = 5,000 a month).
BASIC_DEDUCTION_PER_MONTH: Final = Decimal(5000)

#: ``Problem.source`` for errors about in-memory withholding input.
WITHHOLDING_SOURCE: Final = "<withholding>"

Amount = Decimal | int | str


@dataclass(frozen=True, slots=True)
class YearToDate:
    """Cumulative figures for the tax year so far with this withholding agent.

    A system taking over mid-year builds one from the previous system's figures instead of
    starting from :meth:`zero`.
    """

    months_counted: int
    income: Decimal
    tax_free_income: Decimal
    basic_deduction: Decimal
    social_insurance: Decimal
    special_deductions: Decimal
    other_deductions: Decimal
    tax_withheld: Decimal

    @classmethod
    def zero(cls) -> YearToDate:
        """The start of a tax year (or of employment within it): nothing counted yet."""
        nothing = Decimal("0.00")
        return cls(0, nothing, nothing, nothing, nothing, nothing, nothing, nothing)

    def __post_init__(self) -> None:
        problems: list[Problem] = []
        counted = self.months_counted
        if isinstance(counted, bool) or not isinstance(counted, int) or not 0 <= counted <= 12:
            problems.append(
                Problem(
                    WITHHOLDING_SOURCE,
                    "ytd.months_counted",
                    f"must be a whole number 0..12, got {shown(counted)}",
                )
            )
        for f in fields(self):
            if f.name == "months_counted":
                continue
            value = getattr(self, f.name)
            if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
                problems.append(
                    Problem(
                        WITHHOLDING_SOURCE,
                        f"ytd.{f.name}",
                        f"must be a Decimal ≥ 0, got {shown(value)}",
                    )
                )
                continue
            try:  # 1E+30 is finite, and quantizing it to the fen raised InvalidOperation
                to_decimal(value, what=f.name)
            except ValueError as error:
                problems.append(Problem(WITHHOLDING_SOURCE, f"ytd.{f.name}", str(error)))
        if problems:
            raise InputError(problems)


@dataclass(frozen=True, slots=True)
class MonthTax:
    """The withholding worked out for one month, with every figure a reviewer needs.

    ``month`` is the 1-based count of months with this withholding agent in the tax year
    (= ``ytd_after.months_counted``), which is the calendar month for a worker employed
    since January.
    """

    month: int
    income: Decimal
    cumulative_income: Decimal
    cumulative_tax_free_income: Decimal
    cumulative_basic_deduction: Decimal
    cumulative_social_insurance: Decimal
    cumulative_special_deductions: Decimal
    cumulative_other_deductions: Decimal
    cumulative_taxable: Decimal
    rate: Decimal
    quick_deduction: Decimal
    cumulative_tax: Decimal
    tax_withheld_before: Decimal
    tax: Decimal
    ytd_after: YearToDate
    #: A bonus taxed separately in this month (set by ``withhold_year``), else ``None``.
    bonus: BonusTax | None = None

    @property
    def total_tax(self) -> Decimal:
        """This month's wage withholding plus any separately taxed bonus."""
        return self.tax + (self.bonus.tax if self.bonus is not None else Decimal("0.00"))


def _amount(value: object, name: str, problems: list[Problem]) -> Decimal:
    try:
        amount = to_decimal(value, what=name)
    except (TypeError, ValueError) as exc:
        problems.append(Problem(WITHHOLDING_SOURCE, name, str(exc)))
        return Decimal(0)
    if amount < 0:
        problems.append(Problem(WITHHOLDING_SOURCE, name, f"must be ≥ 0, got {amount}"))
    return amount


def withhold_month(
    income: Amount,
    social_insurance: Amount,
    special_deductions: Amount,
    *,
    other_deductions: Amount = 0,
    tax_free_income: Amount = 0,
    ytd: YearToDate,
    table: BracketTable = ANNUAL_COMPREHENSIVE_2019,
) -> MonthTax:
    """Withholding for the next month after ``ytd``.

    ``social_insurance`` is the employee's own 三险一金 (专项扣除) for the month;
    ``special_deductions`` the month's 专项附加扣除 (see ``monthly_special_deductions``).
    The result's ``tax`` is this month's withholding, never negative: when the cumulative tax
    falls below what was already withheld, the difference is not refunded during the year
    (暂不退税) but settled in the annual reconciliation.
    """
    problems: list[Problem] = []
    amounts = {
        name: _amount(value, name, problems)
        for name, value in (
            ("income", income),
            ("social_insurance", social_insurance),
            ("special_deductions", special_deductions),
            ("other_deductions", other_deductions),
            ("tax_free_income", tax_free_income),
        )
    }
    if ytd.months_counted >= 12:
        problems.append(
            Problem(WITHHOLDING_SOURCE, "ytd.months_counted", "already 12: the tax year is full")
        )
    if problems:
        raise InputError(problems)

    # The arithmetic is paycalc.tax.cumulative's, the same the pay engine runs on slips:
    # every figure at one scale (at least the fen), the tax rounded once.
    figures = [*amounts.values(), ytd.income, ytd.tax_free_income, ytd.social_insurance,
               ytd.special_deductions, ytd.other_deductions]  # fmt: skip
    scale = max(2, places(*figures))

    def s(value: Decimal) -> int:
        return scaled(value, scale)

    month = cumulative_month(
        SCALAR,
        scale,
        Running(
            ytd.months_counted,
            s(ytd.income),
            s(ytd.tax_free_income),
            s(ytd.social_insurance),
            s(ytd.special_deductions),
            s(ytd.other_deductions),
            fen_of(quantize(ytd.tax_withheld)),
        ),
        income=s(amounts["income"]),
        social=s(amounts["social_insurance"]),
        special=s(amounts["special_deductions"]),
        other=s(amounts["other_deductions"]),
        tax_free=s(amounts["tax_free_income"]),
        table=table,
    )

    return month_tax_of(month, scale, ytd.tax_withheld, table)


def month_tax_of(
    month: CumulativeMonth,
    scale: int,
    withheld_before: Decimal,
    table: BracketTable = ANNUAL_COMPREHENSIVE_2019,
) -> MonthTax:
    """One month of :func:`paycalc.tax.cumulative.cumulative_month` (amounts at ``scale``,
    tax in fen) as a :class:`MonthTax` in yuan."""

    def d(value: int, at: int = scale) -> Decimal:
        return Decimal(int(value)).scaleb(-at)

    after = month.after
    ytd_after = YearToDate(
        months_counted=int(after.months),
        income=d(after.income),
        tax_free_income=d(after.tax_free),
        basic_deduction=d(month.basic),
        social_insurance=d(after.social),
        special_deductions=d(after.special),
        other_deductions=d(after.other),
        tax_withheld=withheld_before + d(month.tax, 2),
    )
    bracket = table.brackets[int(month.bracket)]
    return MonthTax(
        month=int(after.months),
        income=d(month.income),
        cumulative_income=ytd_after.income,
        cumulative_tax_free_income=ytd_after.tax_free_income,
        cumulative_basic_deduction=ytd_after.basic_deduction,
        cumulative_social_insurance=ytd_after.social_insurance,
        cumulative_special_deductions=ytd_after.special_deductions,
        cumulative_other_deductions=ytd_after.other_deductions,
        cumulative_taxable=quantize(d(month.taxable)),
        rate=bracket.rate,
        quick_deduction=bracket.quick_deduction,
        cumulative_tax=d(month.cumulative_tax, 2),
        tax_withheld_before=withheld_before,
        tax=d(month.tax, 2),
        ytd_after=ytd_after,
    )
