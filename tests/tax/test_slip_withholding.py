"""The tax step of a pay slip (evaluate.withhold_lines, engine.payroll_year): the paths the
mutation run found untested — a year started from supplied year-to-date figures, the second
annual bonus of a year, 其他扣除 and 免税收入.

Figures are hand computations on the scheme of tests/test_payroll.py: a chief earns 10,000 a
month; contributions on a 10,000 base take 2,230 from the employee (pension 800 + medical
200 + unemployment 30 + housing fund 1,200; yunnan.kunming 2024); the basic deduction is
5,000 a month and the 2019 annual table is 3% to 36,000, then 10% less 2,520.
"""

from decimal import Decimal

import pytest

from paycalc.engine import payroll_year, payslip
from paycalc.errors import PayError
from paycalc.period import Month
from paycalc.scheme import SchemeRegistry
from paycalc.tax import YearToDate
from paycalc.worker import Worker
from tests.helpers import scheme, worker
from tests.test_payroll import COMPONENTS, REGISTRY, TAXED_HEADER

MID_YEAR_BONUS = """
[[components]]
code = "mid_year"
label = "半年奖励性绩效"
kind = "yearly"
month = 6
amount = 12000
factors = { excellent = 1, competent = 1, basic = 0.5, incompetent = 0 }
annual_bonus = true
"""
TWO_BONUSES = SchemeRegistry([scheme(COMPONENTS + MID_YEAR_BONUS, header=TAXED_HEADER)])


def _chief(**tax: object) -> Worker:
    return worker(
        scheme="test.scheme",
        contribution_base="10000",
        hired_on="2015-01-01",
        appraisals={"2023": "优秀"},
        tax=tax,
    )


def test_a_year_from_january_has_twelve_slips_and_until_stops_it() -> None:
    slips = payroll_year(_chief(), 2024, schemes=REGISTRY)
    assert [str(s.month) for s in slips] == [f"2024-{m:02}" for m in range(1, 13)]
    # January: (10,000 − 5,000 − 2,230) × 3% = 83.10
    assert slips[0].amount("income_tax") == Decimal("83.10")
    short = payroll_year(_chief(), 2024, schemes=REGISTRY, until=Month(2024, 3))
    assert [str(s.month) for s in short] == ["2024-01", "2024-02", "2024-03"]


def test_a_year_started_from_year_to_date_figures_continues_them() -> None:
    # Two months already paid elsewhere: income 20,000, 社保 4,460, withheld 166.20.
    # March: cumulative taxable 3 × 2,770 = 8,310 × 3% = 249.30 − 166.20 = 83.10.
    ytd = YearToDate(2, Decimal(20000), Decimal(0), Decimal(10000), Decimal(4460),
                     Decimal(0), Decimal(0), Decimal("166.20"))  # fmt: skip
    slips = payroll_year(_chief(), 2024, schemes=REGISTRY, ytd=ytd)
    assert [str(s.month) for s in slips][:2] == ["2024-03", "2024-04"] and len(slips) == 10
    assert slips[0].amount("income_tax") == Decimal("83.10")
    # Had 500 more been withheld already, March owes 249.30 − 666.20 < 0: nothing withheld
    # (cumulative withholding never refunds in the year), and April is 4 × 83.10 − 666.20 < 0 too.
    overpaid = YearToDate(2, Decimal(20000), Decimal(0), Decimal(10000), Decimal(4460),
                          Decimal(0), Decimal(0), Decimal("666.20"))  # fmt: skip
    slips = payroll_year(_chief(), 2024, schemes=REGISTRY, ytd=overpaid)
    assert slips[0].amount("income_tax") == 0 and slips[1].amount("income_tax") == 0
    # May: 5 × 2,770 = 13,850 × 3% = 415.50 − 666.20 < 0; September: 9 × 83.10 = 747.90
    # − 666.20 = 81.70.
    assert slips[6].month == "2024-09" and slips[6].amount("income_tax") == Decimal("81.70")


def test_year_to_date_figures_must_be_in_fen() -> None:
    ytd = YearToDate(2, Decimal("20000.001"), Decimal(0), Decimal(10000), Decimal(4460),
                     Decimal(0), Decimal(0), Decimal("166.20"))  # fmt: skip
    with pytest.raises(Exception) as refused:
        payroll_year(_chief(), 2024, schemes=REGISTRY, ytd=ytd)
    problems = refused.value.problems  # type: ignore[attr-defined]
    assert [(p.source, p.location) for p in problems] == [("<ytd>", "ytd.income")]
    assert "two decimals" in problems[0].message and "20000.001" in problems[0].message


def test_the_second_annual_bonus_of_a_year_is_combined_with_wages() -> None:
    slips = payroll_year(_chief(bonus_method="separate"), 2024, schemes=TWO_BONUSES)
    june, december = slips[5], slips[11]
    # June: 12,000 on its own: 12,000 ÷ 12 = 1,000 → 3% → 360.00; wages tax stays 83.10.
    assert june.amount("bonus_income_tax") == Decimal("360.00")
    assert june.amount("income_tax") == Decimal("83.10")
    # December: the separate method is used once a year, so 36,000 joins the wages:
    # 12 × 2,770 + 36,000 = 69,240 → 10% − 2,520 = 4,404.00, less 11 × 83.10 = 914.10.
    assert december.line("bonus_income_tax") is None
    assert december.amount("income_tax") == Decimal("3489.90")
    assert any("每年只能使用一次" in w for w in december.warnings)
    assert not any("每年只能使用一次" in w for w in june.warnings)


def test_other_deductions_lower_the_taxable_income_in_yuan() -> None:
    slip = payslip(_chief(other_deductions="770"), Month(2024, 1), schemes=REGISTRY)
    # (10,000 − 5,000 − 2,230 − 770) × 3% = 2,000 × 3% = 60.00
    assert slip.amount("income_tax") == Decimal("60.00")


def test_tax_free_income_up_to_the_months_income_and_not_beyond() -> None:
    # All 10,000 tax-free: nothing is taxable.
    free = payslip(_chief(tax_free_income="10000"), Month(2024, 1), schemes=REGISTRY)
    assert free.line("income_tax") is None and free.net == Decimal("7770.00")  # 10,000 − 2,230
    with pytest.raises(PayError) as refused:
        payslip(_chief(tax_free_income="10000.01"), Month(2024, 1), schemes=REGISTRY)
    (problem,) = refused.value.problems
    assert problem.location == "2024-01 tax.tax_free_income"  # the month, then the key
    assert "10,000.01 is more than the month's income 10,000.00" in problem.message
