"""Annual one-off bonus (全年一次性奖金): separate method and its rules.

Expected numbers are hand computations with the monthly-converted table of 财税〔2018〕164号
(3,000 3%/0; 12,000 10%/210; ...), shown next to each case.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from paycalc.errors import InputError
from paycalc.tax import (
    MonthIncome,
    bonus_tax_separately,
    check_bonus_method,
    separate_bonus_available,
    withhold_year,
)

D = Decimal


@pytest.mark.parametrize(
    ("bonus", "rate", "quick", "tax"),
    [
        # 36000 / 12 = 3000 ≤ 3000 → 3%, 0 → 36000 × 3% = 1080
        (D(36000), "0.03", 0, "1080.00"),
        # 36001 / 12 = 3000.08 > 3000 → 10%, 210 → 3600.10 − 210 = 3390.10 (the "blind zone")
        (D(36001), "0.10", 210, "3390.10"),
        # 60000 / 12 = 5000 → 10%, 210 → 6000 − 210 = 5790
        (D(60000), "0.10", 210, "5790.00"),
        # 1,000,000 / 12 = 83333.33 > 80000 → 45%, 15160 → 450000 − 15160 = 434840
        (D(1_000_000), "0.45", 15160, "434840.00"),
        (D(0), "0.03", 0, "0.00"),
    ],
)
def test_bonus_tax_separately(bonus: Decimal, rate: str, quick: int, tax: str) -> None:
    result = bonus_tax_separately(bonus)
    assert (result.rate, result.quick_deduction, result.tax) == (D(rate), D(quick), D(tax))


@pytest.mark.parametrize(
    ("day", "available"),
    [
        (date(2018, 12, 31), False),
        (date(2019, 1, 1), True),
        (date(2023, 12, 31), True),
        (date(2027, 12, 31), True),  # 财政部 税务总局公告2023年第30号
        (date(2028, 1, 1), False),
    ],
)
def test_separate_bonus_available(day: date, available: bool) -> None:
    assert separate_bonus_available(day) is available


def test_check_bonus_method() -> None:
    assert check_bonus_method("combined", date(2030, 1, 1)) == "combined"
    assert check_bonus_method("separate", date(2024, 1, 31)) == "separate"
    with pytest.raises(InputError, match="2027-12-31"):
        check_bonus_method("separate", date(2028, 1, 31))
    with pytest.raises(InputError, match="'separate' or 'combined'"):
        check_bonus_method("split", date(2024, 1, 31))


def test_combined_bonus_joins_the_months_income() -> None:
    # Salary 10000, 三险一金 2000, special 1000 (1月 tax 60, as in the STA example).
    # 2月 with a 36000 bonus combined: 累计 56000 − 10000 − 4000 − 2000 = 40000
    #   → 40000 × 10% − 2520 = 1480; minus 60 withheld = 1420.
    months = [
        MonthIncome(D(10000), D(2000), D(1000)),
        MonthIncome(D(10000), D(2000), D(1000), bonus=D(36000), bonus_method="combined"),
    ]
    results = withhold_year(months, year=2024)
    assert [r.tax for r in results] == [D("60.00"), D("1420.00")]
    assert results[1].bonus is None


def test_separate_bonus_is_reported_beside_the_wage_tax() -> None:
    # Wages as above (60 a month); bonus 36000 separately → 1080; month total 60 + 1080 = 1140.
    months = [
        MonthIncome(D(10000), D(2000), D(1000)),
        MonthIncome(D(10000), D(2000), D(1000), bonus=D(36000), bonus_method="separate"),
    ]
    results = withhold_year(months, year=2024)
    assert results[1].tax == D("60.00")
    assert results[1].bonus is not None and results[1].bonus.tax == D("1080.00")
    assert results[1].total_tax == D("1140.00")


def test_separate_bonus_at_most_once_a_year() -> None:
    months = [
        MonthIncome(D(10000), bonus=D(1000), bonus_method="separate"),
        MonthIncome(D(10000), bonus=D(1000), bonus_method="separate"),
    ]
    with pytest.raises(InputError) as caught:
        withhold_year(months, year=2024)
    (problem,) = caught.value.problems
    assert problem.location == "months[1].bonus_method"
    assert "once per tax year" in problem.message


def test_separate_bonus_outside_the_period_is_refused() -> None:
    months = [MonthIncome(D(10000), bonus=D(1000), bonus_method="separate")]
    with pytest.raises(InputError, match=r"months\[0\]\.bonus_method"):
        withhold_year(months, year=2028)
    with pytest.raises(InputError, match="pay date"):
        withhold_year(months)  # no year and no paid_on: cannot tell whether it is allowed
    assert (
        withhold_year(
            [
                MonthIncome(
                    D(10000), bonus=D(1000), bonus_method="separate", paid_on=date(2027, 12, 31)
                )
            ]
        )[0].bonus
        is not None
    )


def test_bonus_without_method_is_refused() -> None:
    with pytest.raises(InputError, match="needs bonus_method"):
        withhold_year([MonthIncome(D(10000), bonus=D(1000))], year=2024)


def test_the_result_keeps_the_bonus_and_a_refusal_says_where() -> None:
    assert bonus_tax_separately(D(36000)).bonus == D(36000)
    with pytest.raises(InputError) as refused:
        bonus_tax_separately(D("-1"))
    assert [(p.source, p.location, p.message) for p in refused.value.problems] == [
        ("<bonus>", "bonus", "must be ≥ 0, got -1")
    ]


def test_the_table_given_is_the_one_used() -> None:
    from paycalc.tax.brackets import BracketTable, TaxBracket

    # one open bracket at 20%, quick deduction 100: 12,000 × 20% − 100 = 2,300
    flat = BracketTable("flat", date(2019, 1, 1), (TaxBracket(None, D("0.2"), D(100)),), "test")
    assert bonus_tax_separately(D(12000), flat).tax == D("2300.00")


def test_a_refused_bonus_method_names_its_source_and_location() -> None:
    def problems(method: str, day: date, **where: str) -> list[tuple[str, str]]:
        with pytest.raises(InputError) as refused:
            check_bonus_method(method, day, **where)
        return [(p.source, p.location) for p in refused.value.problems]

    assert problems("split", date(2024, 1, 31)) == [("<bonus>", "bonus_method")]
    assert problems("separate", date(2028, 1, 31)) == [("<bonus>", "bonus_method")]
    given = {"source": "months.json", "location": "months[0].bonus_method"}
    assert problems("split", date(2024, 1, 31), **given) == [tuple(given.values())]
    assert problems("separate", date(2028, 1, 31), **given) == [tuple(given.values())]


def test_every_problem_of_the_year_is_reported_at_once_with_its_month() -> None:
    months = [
        MonthIncome("abc"),
        MonthIncome(D(10000), bonus=D(-1), bonus_method="combined"),
        MonthIncome(D(10000), bonus="x", bonus_method="combined"),
        MonthIncome(D(10000), bonus=D(100)),
    ]
    with pytest.raises(InputError) as caught:
        withhold_year(months, year=2024)
    found = [(p.source, p.location, p.message) for p in caught.value.problems]
    assert [f[:2] for f in found] == [
        ("<months>", "months[0].income"),
        ("<months>", "months[1].bonus"),
        ("<months>", "months[2].bonus"),
        ("<months>", "months[3].bonus_method"),
    ]
    assert found[0][2].startswith("income: not a number, got 'abc'")
    assert found[1][2] == "must be ≥ 0, got -1"
    assert found[2][2].startswith("bonus: not a number, got 'x'")
    assert found[3][2] == "a bonus needs bonus_method 'separate' or 'combined'"


def test_a_year_continues_from_the_year_to_date_given() -> None:
    from paycalc.tax import YearToDate

    # Two months counted: income 20,000, 基本减除 10,000, 社保 4,460, withheld 166.20.
    # March (10,000, 社保 2,230): (30,000 − 15,000 − 6,690) × 3% = 249.30 − 166.20 = 83.10.
    ytd = YearToDate(2, D(20000), D(0), D(10000), D(4460), D(0), D(0), D("166.20"))
    (march,) = withhold_year([MonthIncome(D(10000), social_insurance=D(2230))], ytd=ytd)
    assert march.tax == D("83.10")
