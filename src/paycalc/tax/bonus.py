"""Annual one-off bonus (全年一次性奖金) taxed separately from wages.

财税〔2018〕164号 第一条: a resident may have the annual one-off bonus taxed on its own, not
added to the year's comprehensive income: divide by 12, look the quotient up in the
monthly-converted table, and tax the whole bonus at that rate less that one quick deduction.
Originally allowed until 2021-12-31; extended to 2023-12-31 (财政部 税务总局公告2021年第42号)
and then to 2027-12-31 (财政部 税务总局公告2023年第30号). The method may be used at most once
per tax year per taxpayer (国税发〔2005〕9号 第三条, kept by 财税〔2018〕164号).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Final, Literal

from paycalc.errors import InputError, Problem
from paycalc.money import to_decimal
from paycalc.tax.brackets import MONTHLY_BONUS_2019, BracketTable

__all__ = [
    "SEPARATE_BONUS_FIRST_DAY",
    "SEPARATE_BONUS_LAST_DAY",
    "BonusMethod",
    "BonusTax",
    "bonus_tax_separately",
    "check_bonus_method",
    "separate_bonus_available",
]

BonusMethod = Literal["separate", "combined"]

SEPARATE_BONUS_FIRST_DAY: Final = date(2019, 1, 1)
#: 财政部 税务总局公告2023年第30号 extended the separate method to this date.
SEPARATE_BONUS_LAST_DAY: Final = date(2027, 12, 31)


@dataclass(frozen=True, slots=True)
class BonusTax:
    """Tax on a separately taxed bonus: the rate and quick deduction looked up on bonus/12."""

    bonus: Decimal
    rate: Decimal
    quick_deduction: Decimal
    tax: Decimal


def separate_bonus_available(on: date) -> bool:
    """Whether the separate method may be used for a bonus paid on ``on``."""
    return SEPARATE_BONUS_FIRST_DAY <= on <= SEPARATE_BONUS_LAST_DAY


def bonus_tax_separately(bonus: Decimal, table: BracketTable = MONTHLY_BONUS_2019) -> BonusTax:
    """Tax on ``bonus`` alone: ``bonus × rate − quick deduction``, bracket found on bonus / 12.

    The quick deduction is subtracted once, not twelve times: that is what the rule says
    (and what makes the well-known "blind zones" just above each threshold).
    """
    try:  # in range: quantizing 1E+30 to the fen raised InvalidOperation
        to_decimal(bonus, what="bonus")
    except (TypeError, ValueError) as error:
        raise InputError([Problem("<bonus>", "bonus", str(error))]) from None
    if bonus < 0:
        raise InputError([Problem("<bonus>", "bonus", f"must be ≥ 0, got {bonus}")])
    from paycalc.ops import SCALAR, places, scaled
    from paycalc.tax.cumulative import separate_bonus

    scale = max(2, places(bonus))
    tax, index = separate_bonus(SCALAR, scaled(bonus, scale), scale, table)
    bracket = table.brackets[index]
    return BonusTax(
        bonus=bonus,
        rate=bracket.rate,
        quick_deduction=bracket.quick_deduction,
        tax=Decimal(tax).scaleb(-2),
    )


def check_bonus_method(
    method: str, paid_on: date, *, source: str = "<bonus>", location: str = "bonus_method"
) -> BonusMethod:
    """Return ``method`` if it may be used for a bonus paid on ``paid_on``; else raise.

    ``"combined"`` (并入当年综合所得) is always allowed; ``"separate"`` only within
    2019-01-01..2027-12-31.
    """
    if method == "combined":
        return "combined"
    if method == "separate":
        if not separate_bonus_available(paid_on):
            raise InputError(
                [
                    Problem(
                        source,
                        location,
                        f"separate taxation of the annual one-off bonus (单独计税) is only "
                        f"available for bonuses paid {SEPARATE_BONUS_FIRST_DAY.isoformat()}.."
                        f"{SEPARATE_BONUS_LAST_DAY.isoformat()} (财政部 税务总局公告2023年第30号); "
                        f"paid on {paid_on.isoformat()}: use 'combined'",
                    )
                ]
            )
        return "separate"
    raise InputError(
        [Problem(source, location, f"must be 'separate' or 'combined', got {method!r}")]
    )
