"""The withholding arithmetic, written once on :mod:`paycalc.ops` values.

:func:`cumulative_month` is one month of 累计预扣法 (公告2018年第61号 第六条) for one worker
or a roster's columns: amounts are integers at a given ``scale`` (2 = fen), the tax is in
fen, rounded half-up once on the cumulative figure. :func:`separate_bonus` taxes an annual
one-off bonus on its own (财税〔2018〕164号). :mod:`paycalc.tax.withholding` and
:mod:`paycalc.tax.bonus` give the Decimal API over them; the pay engine calls them on slips.
"""

from __future__ import annotations

import decimal
import functools
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


@dataclass(frozen=True, slots=True)
class _Scaled:
    """A bracket table as integers, worked out once per table and scale."""

    uppers: tuple[int, ...]  # every bound but the open-ended last's, at scale (× per)
    rates: tuple[int, ...]  # at rate_scale
    quick: tuple[int, ...]  # quick deductions at rate_scale + scale
    rate_scale: int


@functools.lru_cache(maxsize=32)
def _scaled(table: BracketTable, scale: int, per: int = 1) -> _Scaled:
    rate_scale = places(
        *(b.rate for b in table.brackets), *(b.quick_deduction for b in table.brackets)
    )
    uppers = []
    for bracket in table.brackets[:-1]:
        assert bracket.upper is not None  # only the last is open-ended (checked)
        uppers.append(scaled(bracket.upper * per, scale))
    return _Scaled(
        tuple(uppers),
        tuple(scaled(b.rate, rate_scale) for b in table.brackets),
        tuple(scaled(b.quick_deduction, rate_scale + scale) for b in table.brackets),
        rate_scale,
    )


def _tax_at(ops: Ops, amount: Any, table: _Scaled, scale: int) -> tuple[Any, Any]:
    """(tax in fen, bracket index) of ``amount`` (at scale) on a scaled table.

    The bracket is the first whose upper bound ``amount`` does not exceed; the tax is the
    amount at its rate less its quick deduction, rounded half-up to the fen, never negative.
    """
    index: Any = 0
    for position, upper in enumerate(table.uppers):
        index = ops.where(amount > upper, position + 1, index)
    rates, quick = ops.table(table.rates), ops.table(table.quick)
    gross_tax = ops.mul(amount, ops.take(rates, index)) - ops.take(quick, index)
    tax = ops.round_div(gross_tax, 10 ** (table.rate_scale + scale - 2), decimal.ROUND_HALF_UP)
    return ops.maximum(tax, 0), index


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
    cumulative_tax, bracket = _tax_at(ops, taxable, _scaled(table, scale), scale)
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
    return _tax_at(ops, bonus, _scaled(table, scale, per=12), scale)
