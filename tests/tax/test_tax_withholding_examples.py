"""累计预扣法 against worked examples.

Sources. The State Taxation Administration (国家税务总局) explains 累计预扣法 with
worked examples in its interpretation of 公告2018年第61号
(《〈个人所得税扣缴申报管理办法（试行）〉的解读》, chinatax.gov.cn, 2018-12)
and in its 2019 Q&A material on withholding. The search corpus available while
writing these tests did not return those pages (only title-only aggregator hits),
so each example below also shows its full hand computation; the expected numbers
come from that arithmetic. The "quoted" STA example is quoted from memory, not
from a retrieved copy; its numbers stand on the arithmetic shown.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest

from paycalc.errors import InputError
from paycalc.tax import (
    ANNUAL_COMPREHENSIVE_2019,
    MonthIncome,
    YearToDate,
    bracket_for,
    withhold_month,
    withhold_year,
)

D = Decimal


def run_months(income: str, social: str, special: str, count: int) -> list[Decimal]:
    results = withhold_year([MonthIncome(D(income), D(social), D(special))] * count)
    return [r.tax for r in results]


def test_sta_example_10000_salary_with_child_education() -> None:
    # 某职员2019年入职，每月工资10000元，个人缴纳“三险一金”2000元，享受子女教育专项附加扣除1000元。
    # 1月: (10000 − 5000 − 2000 − 1000) × 3% = 2000 × 3% = 60
    # 2月: 累计 (20000 − 10000 − 4000 − 2000) = 4000 × 3% − 60 = 120 − 60 = 60
    # Every later month: 累计应纳税所得额 = 2000 × n ≤ 24000 ≤ 36000, so 3% all year and 60 a month;
    # year total 12 × 60 = 720.
    taxes = run_months("10000", "2000", "1000", 12)
    assert taxes[:2] == [D("60.00"), D("60.00")]
    assert taxes == [D("60.00")] * 12
    assert sum(taxes) == D("720.00")


def test_sta_example_30000_salary_quoted_in_the_61_interpretation() -> None:
    # 国家税务总局《关于〈个人所得税扣缴申报管理办法（试行）〉的解读》(公告2018年第61号):
    # 某职员2015年入职，2019年每月应发工资均为30000元，每月减除费用5000元，“三险一金”等专项扣除为
    # 4500元，享受子女教育、赡养老人两项专项附加扣除共计2000元:
    # 1月: (30000 − 5000 − 4500 − 2000) × 3% = 18500 × 3% = 555
    # 2月: (60000 − 10000 − 9000 − 4000) = 37000 × 10% − 2520 − 555 = 3700 − 2520 − 555 = 625
    # 3月: (90000 − 15000 − 13500 − 6000) = 55500 × 10% − 2520 − 555 − 625 = 5550 − 3700 = 1850
    assert run_months("30000", "4500", "2000", 3) == [D("555.00"), D("625.00"), D("1850.00")]


def test_sta_style_example_30000_with_3000_special_deductions() -> None:
    # 月工资30000元，三险一金4500元，子女教育1000 + 赡养老人2000 = 3000 (2019 amounts):
    # 1月: (30000 − 5000 − 4500 − 3000) = 17500 × 3% = 525
    # 2月: 累计 35000 × 3% − 525 = 1050 − 525 = 525          (35000 ≤ 36000: still 3%)
    # 3月: 累计 52500 × 10% − 2520 − 1050 = 5250 − 2520 − 1050 = 1680
    # 4月: 累计 70000 × 10% − 2520 − 2730 = 7000 − 2520 − 2730 = 1750
    results = withhold_year([MonthIncome(D(30000), D(4500), D(3000))] * 4)
    assert [r.tax for r in results] == [D("525.00"), D("525.00"), D("1680.00"), D("1750.00")]
    third = results[2]
    assert third.month == 3
    assert third.cumulative_income == D(90000)
    assert third.cumulative_taxable == D("52500.00")
    assert (third.rate, third.quick_deduction) == (D("0.10"), D(2520))
    assert third.cumulative_tax == D("2730.00")  # 52500 × 10% − 2520
    assert third.ytd_after.tax_withheld == D("2730.00")  # 525 + 525 + 1680
    assert third.ytd_after.basic_deduction == D(15000)  # 5000 × 3 months


def test_mid_year_adoption_continues_from_supplied_year_to_date() -> None:
    # Same worker as above, taken over after two months by a new system: the previous system's
    # cumulative figures after February are income 60000, basic deduction 10000, 三险一金 9000,
    # special deductions 6000, tax withheld 525 + 525 = 1050. March must still be 1680.
    ytd = YearToDate(
        months_counted=2,
        income=D(60000),
        tax_free_income=D(0),
        basic_deduction=D(10000),
        social_insurance=D(9000),
        special_deductions=D(6000),
        other_deductions=D(0),
        tax_withheld=D(1050),
    )
    march = withhold_month(D(30000), D(4500), D(3000), ytd=ytd)
    assert march.month == 3
    assert march.tax == D("1680.00")


def test_over_withholding_is_not_refunded_within_the_year() -> None:
    # 1月 income 30000, no other deductions: 30000 − 5000 = 25000 × 3% = 750.
    # 2月 income 0: 累计 30000 − 10000 = 20000 × 3% = 600 < 750 withheld → withhold 0, no refund.
    # 3月 income 10000: 累计 40000 − 15000 = 25000 × 3% = 750; 750 − 750 = 0.
    # 4月 income 10000: 累计 50000 − 20000 = 30000 × 3% = 900; 900 − 750 = 150.
    results = withhold_year([MonthIncome(D(i)) for i in (30000, 0, 10000, 10000)])
    assert [r.tax for r in results] == [D("750.00"), D("0.00"), D("0.00"), D("150.00")]
    assert results[1].cumulative_tax == D("600.00")


def test_tax_free_income_and_other_deductions_reduce_taxable_income() -> None:
    # 20000 − 3000 tax-free − 5000 basic − 1000 other = 11000 × 3% = 330.
    month = withhold_month(
        D(20000),
        D(0),
        D(0),
        other_deductions=D(1000),
        tax_free_income=D(3000),
        ytd=YearToDate.zero(),
    )
    assert month.cumulative_taxable == D("11000.00")
    assert month.tax == D("330.00")


def test_income_below_deductions_gives_zero_taxable_and_zero_tax() -> None:
    # 4000 − 5000 < 0 → taxable floored at 0, tax 0.
    month = withhold_month(D(4000), D(0), D(0), ytd=YearToDate.zero())
    assert month.cumulative_taxable == D("0.00")
    assert month.tax == D("0.00")


@pytest.mark.parametrize(
    ("amount", "rate", "quick"),
    [
        # Each row of the annual table: "不超过" is inclusive, so the bound itself stays below.
        (D(0), "0.03", 0),
        (D(36000), "0.03", 0),
        (D("36000.01"), "0.10", 2520),
        (D(144000), "0.10", 2520),
        (D("144000.01"), "0.20", 16920),
        (D(300000), "0.20", 16920),
        (D(420000), "0.25", 31920),
        (D(660000), "0.30", 52920),
        (D(960000), "0.35", 85920),
        (D("960000.01"), "0.45", 181920),
    ],
)
def test_annual_table_brackets(amount: Decimal, rate: str, quick: int) -> None:
    bracket = bracket_for(amount, ANNUAL_COMPREHENSIVE_2019)
    assert (bracket.rate, bracket.quick_deduction) == (D(rate), D(quick))


def test_quick_deductions_make_the_tax_continuous_at_each_bound() -> None:
    # At a bound u both neighbouring rows must give the same tax, e.g. at 36000:
    # 36000 × 3% − 0 = 1080 = 36000 × 10% − 2520. This checks the typed-in table.
    brackets = ANNUAL_COMPREHENSIVE_2019.brackets
    for lower, upper in itertools.pairwise(brackets):
        assert lower.upper is not None
        u = lower.upper
        assert u * lower.rate - lower.quick_deduction == u * upper.rate - upper.quick_deduction


def test_bad_inputs_are_all_reported_by_name() -> None:
    with pytest.raises(InputError) as caught:
        withhold_month(
            30000.0,  # type: ignore[arg-type]
            D(-1),
            "abc",
            ytd=YearToDate.zero(),
        )
    locations = [p.location for p in caught.value.problems]
    assert locations == ["income", "social_insurance", "special_deductions"]
    assert "floats are not accepted" in caught.value.problems[0].message


def test_a_thirteenth_month_is_refused() -> None:
    with pytest.raises(InputError, match="tax year is full"):
        withhold_year([MonthIncome(D(10000))] * 13)


def test_tax_on_is_rate_less_quick_deduction_and_zero_at_or_below_zero() -> None:
    from paycalc.tax import tax_on

    # 52,500 is in the 10% row (36,000 < 52,500 ≤ 144,000): 5,250 − 2,520 = 2,730
    assert tax_on(D(52500), ANNUAL_COMPREHENSIVE_2019) == D("2730.00")
    # 36,000 is the top of the 3% row: 1,080
    assert tax_on(D(36000), ANNUAL_COMPREHENSIVE_2019) == D("1080.00")
    assert tax_on(D("0.01"), ANNUAL_COMPREHENSIVE_2019) == D("0.0003")  # unrounded
    assert tax_on(D(0), ANNUAL_COMPREHENSIVE_2019) == 0
    assert tax_on(D(-100), ANNUAL_COMPREHENSIVE_2019) == 0


@pytest.mark.parametrize(
    ("uppers", "problem"),
    [
        ([], "only the last bracket may (and must) be open-ended"),
        ([100, 200], "only the last bracket may (and must) be open-ended"),
        ([100, None, None], "only the last bracket may (and must) be open-ended"),
        ([None, 100, None], "only the last bracket may (and must) be open-ended"),
        ([200, 100, None], "bracket upper bounds must strictly increase"),
        ([100, 100, None], "bracket upper bounds must strictly increase"),
    ],
)
def test_a_table_typed_in_wrongly_is_refused(uppers: list[int | None], problem: str) -> None:
    from datetime import date

    from paycalc.tax.brackets import BracketTable, TaxBracket

    rows = tuple(
        TaxBracket(None if u is None else D(u), D("0.1"), D(0)) for u in uppers
    )
    with pytest.raises(ValueError) as refused:
        BracketTable("表", date(2019, 1, 1), rows, "test")
    assert str(refused.value) == f"表: {problem}"


def test_a_table_in_good_shape_is_kept() -> None:
    from datetime import date

    from paycalc.tax.brackets import BracketTable, TaxBracket

    rows = (TaxBracket(D(100), D("0.1"), D(0)), TaxBracket(None, D("0.2"), D(10)))
    assert BracketTable("表", date(2019, 1, 1), rows, "test").brackets == rows
