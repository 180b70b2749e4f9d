"""Progressive rate tables (税率表) as data, each with the date it came into force.

Two tables matter for wages:

* the annual comprehensive-income table (综合所得税率表, 个人所得税法 2018 修正, 附表一),
  applied to *cumulative* taxable income under 累计预扣法;
* the monthly-converted table (按月换算后的综合所得税率表, 财税〔2018〕164号 附件), applied
  to one twelfth of an annual one-off bonus taxed separately.

A bracket is written as its *upper* bound (inclusive: "不超过 36,000 元的部分") with the rate and
the quick deduction (速算扣除数) that turns "amount × rate − quick deduction" into the
bracket-by-bracket sum.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Final

__all__ = [
    "ANNUAL_COMPREHENSIVE_2019",
    "MONTHLY_BONUS_2019",
    "BracketTable",
    "TaxBracket",
    "bracket_for",
    "tax_on",
]


@dataclass(frozen=True, slots=True)
class TaxBracket:
    """One row: amounts up to ``upper`` (inclusive; ``None`` = no limit) pay ``rate``."""

    upper: Decimal | None
    rate: Decimal
    quick_deduction: Decimal


@dataclass(frozen=True, slots=True)
class BracketTable:
    """A whole rate table, in force from ``effective_from``, brackets in ascending order."""

    name: str
    effective_from: date
    brackets: tuple[TaxBracket, ...]
    source: str

    def __post_init__(self) -> None:
        # A table is data typed in by hand; check its shape once, where it is built.
        uppers = [b.upper for b in self.brackets]
        if not uppers or uppers[-1] is not None or None in uppers[:-1]:
            raise ValueError(f"{self.name}: only the last bracket may (and must) be open-ended")
        bounded = [u for u in uppers if u is not None]
        if bounded != sorted(bounded) or len(set(bounded)) != len(bounded):
            raise ValueError(f"{self.name}: bracket upper bounds must strictly increase")


def _table(
    name: str, effective_from: date, source: str, rows: list[tuple[int | None, str, int]]
) -> BracketTable:
    return BracketTable(
        name=name,
        effective_from=effective_from,
        source=source,
        brackets=tuple(
            TaxBracket(
                upper=None if upper is None else Decimal(upper),
                rate=Decimal(rate),
                quick_deduction=Decimal(quick),
            )
            for upper, rate, quick in rows
        ),
    )


ANNUAL_COMPREHENSIVE_2019: Final = _table(
    "综合所得税率表（年度，用于累计预扣法）",
    date(2019, 1, 1),
    "《中华人民共和国个人所得税法》(2018年第七次修正) 附表一；"
    "国家税务总局公告2018年第61号 附件《个人所得税预扣率表一》",
    [
        (36_000, "0.03", 0),
        (144_000, "0.10", 2_520),
        (300_000, "0.20", 16_920),
        (420_000, "0.25", 31_920),
        (660_000, "0.30", 52_920),
        (960_000, "0.35", 85_920),
        (None, "0.45", 181_920),
    ],
)

MONTHLY_BONUS_2019: Final = _table(
    "按月换算后的综合所得税率表（全年一次性奖金单独计税）",
    date(2019, 1, 1),
    "财政部 税务总局《关于个人所得税法修改后有关优惠政策衔接问题的通知》(财税〔2018〕164号) 附件",
    [
        (3_000, "0.03", 0),
        (12_000, "0.10", 210),
        (25_000, "0.20", 1_410),
        (35_000, "0.25", 2_660),
        (55_000, "0.30", 4_410),
        (80_000, "0.35", 7_160),
        (None, "0.45", 15_160),
    ],
)


def bracket_for(amount: Decimal, table: BracketTable) -> TaxBracket:
    """The bracket ``amount`` falls in (amounts at or below zero fall in the first)."""
    for bracket in table.brackets:
        if bracket.upper is None or amount <= bracket.upper:
            return bracket
    raise AssertionError("unreachable: the last bracket is open-ended")  # pragma: no cover


def tax_on(amount: Decimal, table: BracketTable) -> Decimal:
    """Unrounded ``amount × rate − quick deduction``; zero for amounts at or below zero."""
    if amount <= 0:
        return Decimal(0)
    bracket = bracket_for(amount, table)
    return amount * bracket.rate - bracket.quick_deduction
