"""Replaying a slip's tax (paycalc.withholding.withholding_for, withhold, state_of): every
figure behind a month's withholding, from lines before tax and the year to date before it.

Hand computations on the scheme of tests/test_payroll.py: a chief earns 10,000 a month;
yunnan.kunming 2024 contributions on a 10,000 base take 2,230 (pension 800 + medical 200 +
unemployment 30 + housing fund 1,200); the basic deduction is 5,000 a month; 子女教育 is
2,000 a month per child since 2023 (国发〔2023〕13号); the 2019 annual table is 3% to
36,000, the monthly bonus table 3% to 3,000 (财税〔2018〕164号).
"""

from decimal import Decimal

import pytest

from paycalc.errors import InputError
from paycalc.period import Month
from paycalc.slip import PayLine
from paycalc.tax import YearToDate
from paycalc.withholding import TaxState, running_of, state_of, withhold, withholding_for
from paycalc.worker import Worker
from tests.helpers import worker
from tests.tax.test_slip_withholding import TWO_BONUSES

D = Decimal
INSURANCE = frozenset(
    {"pension_employee", "medical_employee", "unemployment_employee", "housing_fund_employee"}
)
VERSION = TWO_BONUSES.version_for("test.scheme", Month(2024, 3))


def _lines(*extra: PayLine) -> list[PayLine]:
    return [
        PayLine("post_pay", "岗位工资", "earning", D("10000.00"), ""),
        *extra,
        PayLine("pension_employee", "养老保险（个人）", "deduction", D("800.00"), ""),
        PayLine("medical_employee", "医疗保险（个人）", "deduction", D("200.00"), ""),
        PayLine("unemployment_employee", "失业保险（个人）", "deduction", D("30.00"), ""),
        PayLine("housing_fund_employee", "住房公积金（个人）", "deduction", D("1200.00"), ""),
    ]


def _chief(**tax: object) -> Worker:
    return worker(scheme="test.scheme", contribution_base="10000", hired_on="2015-01-01",
                  appraisals={"2023": "优秀"}, tax=tax)  # fmt: skip


def test_march_with_a_child_continues_the_year_to_date() -> None:
    # Taxable a month: 10,000 − 5,000 − 2,230 − 2,000 = 770. January and February (paid
    # before): 2 × 770 × 3% = 46.20 withheld. March: 3 × 770 = 2,310 × 3% = 69.30 − 46.20 = 23.10.
    before = TaxState(YearToDate(2, D("20000.00"), D(0), D(10000), D("4460.00"), D("4000.00"),
                                 D(0), D("46.20")))  # fmt: skip
    found = withholding_for(_lines(), _chief(children_in_education=1), Month(2024, 3), VERSION,
                            before, INSURANCE)  # fmt: skip
    assert found.lines == (
        PayLine("income_tax", "个人所得税", "deduction", D("23.10"),
                "累计应纳税所得额 2,310.00 × 3% − 速算扣除 0 − 已预扣 46.20"),
    )  # fmt: skip
    tax = found.month_tax
    assert (tax.month, tax.income, tax.cumulative_income) == (3, D("10000.00"), D("30000.00"))
    assert tax.cumulative_basic_deduction == D("15000.00")
    assert tax.cumulative_social_insurance == D("6690.00")  # 3 × 2,230
    assert tax.cumulative_special_deductions == D("6000.00")  # 3 × 2,000
    assert (tax.cumulative_taxable, tax.rate, tax.quick_deduction) == (D("2310.00"), D("0.03"), 0)
    assert (tax.cumulative_tax, tax.tax_withheld_before, tax.tax) == (
        D("69.30"), D("46.20"), D("23.10"),
    )  # fmt: skip
    assert found.after == TaxState(
        YearToDate(3, D("30000.00"), D("0.00"), D(15000), D("6690.00"), D("6000.00"),
                   D("0.00"), D("69.30")),
        False,
    )  # fmt: skip
    assert [(part.label, part.amount) for part in found.special] == [("子女教育", D("2000.00"))]
    assert found.social_insurance == D("2230.00")
    assert (found.bonus, found.bonus_tax, found.warnings) == (D("0.00"), None, ())
    # withhold is the same step, as lists.
    lines, after, warnings = withhold(_lines(), _chief(children_in_education=1), Month(2024, 3),
                                      VERSION, before, INSURANCE)  # fmt: skip
    assert (lines, after, warnings) == (list(found.lines), found.after, [])


def test_a_separately_taxed_bonus_is_reported_apart_and_used_up() -> None:
    # June, after five months of wages (5 × 2,770 = 13,850 taxable, 415.50 withheld): wages
    # 6 × 2,770 = 16,620 × 3% = 498.60 − 415.50 = 83.10; the 12,000 mid-year bonus on its own:
    # 12,000 ÷ 12 = 1,000 → 3%, quick deduction 0 → 360.00. The bonus is not wage income.
    before = TaxState(YearToDate(5, D("50000.00"), D(0), D(25000), D("11150.00"), D(0), D(0),
                                 D("415.50")))  # fmt: skip
    bonus = PayLine("mid_year", "半年奖励性绩效", "earning", D("12000.00"), "")
    found = withholding_for(_lines(bonus), _chief(bonus_method="separate"), Month(2024, 6),
                            VERSION, before, INSURANCE)  # fmt: skip
    assert {line.code: line.amount for line in found.lines} == {
        "income_tax": D("83.10"),
        "bonus_income_tax": D("360.00"),
    }
    assert found.bonus == D("12000.00")
    assert found.bonus_tax is not None
    assert (found.bonus_tax.bonus, found.bonus_tax.rate, found.bonus_tax.quick_deduction,
            found.bonus_tax.tax) == (D("12000.00"), D("0.03"), 0, D("360.00"))  # fmt: skip
    assert found.after.separate_bonus_used is True
    assert found.after.ytd.income == D("60000.00") and found.after.ytd.tax_withheld == D("498.60")
    assert found.month_tax.tax == D("83.10")


def test_a_second_bonus_in_the_year_joins_the_wages() -> None:
    # The separate method already used this year: December's 12,000 is wage income.
    # 11 months before: 11 × 2,770 = 30,470 taxable, 914.10 withheld. December:
    # 12 × 2,770 + 12,000 = 45,240 → 10% − 2,520 = 2,004.00 − 914.10 = 1,089.90.
    before = TaxState(YearToDate(11, D("110000.00"), D(0), D(55000), D("24530.00"), D(0), D(0),
                                 D("914.10")), separate_bonus_used=True)  # fmt: skip
    bonus = PayLine("year_end", "年终奖励性绩效", "earning", D("12000.00"), "")
    found = withholding_for(_lines(bonus), _chief(bonus_method="separate"), Month(2024, 12),
                            VERSION, before, INSURANCE)  # fmt: skip
    assert [(line.code, line.amount) for line in found.lines] == [("income_tax", D("1089.90"))]
    assert (found.bonus, found.bonus_tax) == (D("0.00"), None)
    assert found.after.separate_bonus_used is True
    assert found.after.ytd.income == D("132000.00")  # 110,000 + 10,000 + 12,000
    assert any("每年只能使用一次" in warning for warning in found.warnings)


def test_running_figures_and_the_year_to_date_convert_both_ways() -> None:
    ytd = YearToDate(4, D("40000.01"), D("100.02"), D(20000), D("8920.03"), D("8000.04"),
                     D("300.05"), D("92.46"))  # fmt: skip
    running = running_of(TaxState(ytd))
    # Fen: every figure × 100.
    assert (running.months, running.income, running.tax_free, running.social, running.special,
            running.other, running.withheld) == (4, 4000001, 10002, 892003, 800004, 30005, 9246)  # fmt: skip
    back = state_of(running, True)
    assert back == TaxState(ytd, True)
    assert back.ytd.basic_deduction == D(20000)  # 4 months × 5,000


@pytest.mark.parametrize(
    "name",
    ["income", "tax_free_income", "social_insurance", "special_deductions", "other_deductions",
     "tax_withheld"],
)  # fmt: skip
def test_a_year_to_date_figure_finer_than_a_fen_is_refused_by_name(name: str) -> None:
    figures = dict(income=D(0), tax_free_income=D(0), social_insurance=D(0),
                   special_deductions=D(0), other_deductions=D(0), tax_withheld=D(0))  # fmt: skip
    figures[name] = D("0.001")
    ytd = YearToDate(months_counted=1, basic_deduction=D(5000), **figures)
    with pytest.raises(InputError) as refused:
        running_of(TaxState(ytd))
    assert [(p.source, p.location) for p in refused.value.problems] == [("<ytd>", f"ytd.{name}")]
