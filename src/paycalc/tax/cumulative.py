"""The withholding arithmetic, written once on :mod:`paycalc.ops` values.

:func:`cumulative_month` is one month of 累计预扣法 (公告2018年第61号 第六条) for one worker
or a roster's columns: amounts are integers at a given ``scale`` (2 = fen), the tax is in
fen, rounded half-up once on the cumulative figure. :func:`separate_bonus` taxes an annual
one-off bonus on its own (财税〔2018〕164号). :mod:`paycalc.tax.withholding` and
:mod:`paycalc.tax.bonus` give the Decimal API over them; the pay engine calls them on slips.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass, replace
from typing import Any

from paycalc.ops import Ops, places, scaled
from paycalc.tax.brackets import ANNUAL_COMPREHENSIVE_2019, MONTHLY_BONUS_2019, BracketTable

__all__ = ["Month", "Running", "cumulative_month", "separate_bonus"]

#: 减除费用: 5,000 a month (个人所得税法 第六条: 六万元 a year), scaled at call time.
BASIC_DEDUCTION_YUAN = 5000


@dataclass(frozen=True, slots=True)
class Running:
    """The tax year so far with this withholding agent, at ``scale`` (``withheld``: fen)."""

    months: Any
    income: Any
    tax_free: Any
    social: Any
    special: Any
    other: Any
    withheld: Any

    @classmethod
    def zero(cls) -> Running:
        return cls(0, 0, 0, 0, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class Month:
    """One month's withholding: the year after it and every figure a reviewer needs."""

    after: Running
    income: Any  # this month's income, at scale
    basic: Any  # 累计减除费用, at scale
    taxable: Any  # 累计应纳税所得额, at scale (≥ 0)
    bracket: Any  # index into the table's brackets
    cumulative_tax: Any  # fen
    tax: Any  # fen, this month (never negative: 暂不退税)


def _bracket(ops: Ops, amount: Any, table: BracketTable, scale: int) -> Any:
    """Index of the bracket ``amount`` (scaled) falls in: amounts up to an upper bound."""
    index: Any = 0
    for position, bracket in enumerate(table.brackets[:-1]):
        assert bracket.upper is not None  # only the last is open-ended (checked)
        index = ops.where(amount > scaled(bracket.upper, scale), position + 1, index)
    return index


def _rate_scale(table: BracketTable) -> int:
    return places(*(b.rate for b in table.brackets), *(b.quick_deduction for b in table.brackets))


def cumulative_month(
    ops: Ops,
    scale: int,
    before: Running,
    *,
    income: Any,
    social: Any,
    special: Any,
    other: Any = 0,
    tax_free: Any = 0,
    table: BracketTable = ANNUAL_COMPREHENSIVE_2019,
) -> Month:
    """The next month after ``before``; every amount given at ``scale``.

    累计预扣预缴应纳税所得额 = 累计收入 − 累计免税收入 − 累计减除费用 − 累计专项扣除
    − 累计专项附加扣除 − 累计依法确定的其他扣除; the cumulative tax at the bracket's rate less
    its quick deduction, rounded half-up to the fen; this month's tax is what it adds to the
    tax withheld before, never negative (余额为负值时，暂不退税).
    """
    months = before.months + 1
    after = replace(
        before,
        months=months,
        income=before.income + income,
        tax_free=before.tax_free + tax_free,
        social=before.social + social,
        special=before.special + special,
        other=before.other + other,
    )
    basic = ops.mul(months, BASIC_DEDUCTION_YUAN * 10**scale)
    taxable = ops.maximum(
        after.income - after.tax_free - basic - after.social - after.special - after.other, 0
    )
    bracket = _bracket(ops, taxable, table, scale)
    rate_scale = _rate_scale(table)
    rates = ops.table([scaled(b.rate, rate_scale) for b in table.brackets])
    quick = ops.table([scaled(b.quick_deduction, rate_scale + scale) for b in table.brackets])
    gross_tax = ops.mul(taxable, ops.take(rates, bracket)) - ops.take(quick, bracket)
    cumulative_tax = ops.maximum(
        ops.round_div(gross_tax, 10 ** (rate_scale + scale - 2), decimal.ROUND_HALF_UP), 0
    )
    tax = ops.maximum(cumulative_tax - before.withheld, 0)
    after = replace(after, withheld=before.withheld + tax)
    return Month(after, income, basic, taxable, bracket, cumulative_tax, tax)


def separate_bonus(
    ops: Ops, bonus: Any, scale: int, table: BracketTable = MONTHLY_BONUS_2019
) -> tuple[Any, Any]:
    """(tax in fen, bracket index) of an annual one-off bonus taxed on its own.

    The bracket is found on bonus / 12 (here: bonus compared with 12 × each upper bound,
    exactly), and the whole bonus is taxed at its rate less one quick deduction.
    """
    index: Any = 0
    for position, bracket in enumerate(table.brackets[:-1]):
        assert bracket.upper is not None
        index = ops.where(bonus > scaled(bracket.upper * 12, scale), position + 1, index)
    rate_scale = _rate_scale(table)
    rates = ops.table([scaled(b.rate, rate_scale) for b in table.brackets])
    quick = ops.table([scaled(b.quick_deduction, rate_scale + scale) for b in table.brackets])
    gross_tax = ops.mul(bonus, ops.take(rates, index)) - ops.take(quick, index)
    tax = ops.maximum(
        ops.round_div(gross_tax, 10 ** (rate_scale + scale - 2), decimal.ROUND_HALF_UP), 0
    )
    return tax, index
