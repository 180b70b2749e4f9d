"""Individual income tax (个人所得税) on wages: cumulative withholding (累计预扣法).

* :mod:`~paycalc.tax.brackets` — the rate tables, as data with effective dates;
* :mod:`~paycalc.tax.special_deductions` — 专项附加扣除 amounts by date and a worker's claims;
* :mod:`~paycalc.tax.withholding` — one month of cumulative withholding;
* :mod:`~paycalc.tax.year` — a year of months, with the annual one-off bonus rules;
* :mod:`~paycalc.tax.bonus` — the annual one-off bonus taxed separately;
* :mod:`~paycalc.tax.command` — the ``paycalc tax MONTHS.json`` command.
"""

from paycalc.tax.bonus import (
    SEPARATE_BONUS_FIRST_DAY,
    SEPARATE_BONUS_LAST_DAY,
    BonusMethod,
    BonusTax,
    bonus_tax_separately,
    check_bonus_method,
    separate_bonus_available,
)
from paycalc.tax.brackets import (
    ANNUAL_COMPREHENSIVE_2019,
    MONTHLY_BONUS_2019,
    BracketTable,
    TaxBracket,
    bracket_for,
    tax_on,
)
from paycalc.tax.special_deductions import (
    DEDUCTION_LABELS,
    DeductionPart,
    SpecialDeductionClaims,
    itemised_special_deductions,
    monthly_special_deductions,
)
from paycalc.tax.withholding import BASIC_DEDUCTION_PER_MONTH, MonthTax, YearToDate, withhold_month
from paycalc.tax.year import MonthIncome, withhold_year

__all__ = [
    "ANNUAL_COMPREHENSIVE_2019",
    "BASIC_DEDUCTION_PER_MONTH",
    "DEDUCTION_LABELS",
    "MONTHLY_BONUS_2019",
    "SEPARATE_BONUS_FIRST_DAY",
    "SEPARATE_BONUS_LAST_DAY",
    "BonusMethod",
    "BonusTax",
    "BracketTable",
    "DeductionPart",
    "MonthIncome",
    "MonthTax",
    "SpecialDeductionClaims",
    "TaxBracket",
    "YearToDate",
    "bonus_tax_separately",
    "bracket_for",
    "check_bonus_method",
    "itemised_special_deductions",
    "monthly_special_deductions",
    "separate_bonus_available",
    "tax_on",
    "withhold_month",
    "withhold_year",
]
