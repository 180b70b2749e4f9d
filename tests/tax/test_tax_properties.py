"""Properties of cumulative withholding that must hold for any input.

Settings come from whatever Hypothesis profile the suite loads (tests/conftest.py); only the
deadline is relaxed here because Decimal arithmetic timing varies between machines.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from paycalc.tax import MonthIncome, separate_bonus_available, withhold_year

money = st.decimals(min_value=0, max_value=300_000, places=2, allow_nan=False, allow_infinity=False)
small_money = st.decimals(
    min_value=0, max_value=5_000, places=2, allow_nan=False, allow_infinity=False
)
months_strategy = st.lists(
    st.builds(
        MonthIncome, income=money, social_insurance=small_money, special_deductions=small_money
    ),
    min_size=1,
    max_size=12,
)


@settings(deadline=None)
@given(months_strategy)
def test_tax_never_negative_and_withheld_never_decreases(months: list[MonthIncome]) -> None:
    results = withhold_year(months)
    withheld = [r.ytd_after.tax_withheld for r in results]
    assert all(r.tax >= 0 for r in results)
    assert withheld == sorted(withheld)


@settings(deadline=None)
@given(months_strategy)
def test_withheld_so_far_is_the_highest_cumulative_tax_so_far(months: list[MonthIncome]) -> None:
    # No in-year refunds: what has been withheld is the largest cumulative tax seen yet.
    results = withhold_year(months)
    for n, result in enumerate(results, start=1):
        assert result.ytd_after.tax_withheld == max(r.cumulative_tax for r in results[:n])


@settings(deadline=None)
@given(months_strategy, st.data())
def test_higher_income_never_lowers_the_years_tax(
    months: list[MonthIncome], data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(months) - 1))
    extra = data.draw(money)
    raised = list(months)
    original = months[index]
    assert isinstance(original.income, Decimal)
    raised[index] = MonthIncome(
        original.income + extra, original.social_insurance, original.special_deductions
    )
    before = sum(r.tax for r in withhold_year(months))
    after = sum(r.tax for r in withhold_year(raised))
    assert after >= before


@settings(deadline=None)
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31)))
def test_separate_bonus_only_2019_to_2027(day: date) -> None:
    assert separate_bonus_available(day) is (date(2019, 1, 1) <= day <= date(2027, 12, 31))


@settings(deadline=None)
@given(st.lists(st.tuples(small_money, small_money, money), min_size=1, max_size=12))
def test_monthly_taxes_add_up_to_the_final_cumulative_tax(
    rows: list[tuple[Decimal, Decimal, Decimal]],
) -> None:
    # Income at least 5000 + deductions each month keeps the cumulative taxable income (and
    # so the cumulative tax) non-decreasing, so no month would be negative.
    months = [
        MonthIncome(Decimal(5000) + social + special + surplus, social, special)
        for social, special, surplus in rows
    ]
    results = withhold_year(months)
    assert sum(r.tax for r in results) == results[-1].cumulative_tax


def test_the_first_month_of_a_year_starts_from_zero() -> None:
    from paycalc.ops import SCALAR
    from paycalc.tax.cumulative import Running, cumulative_month

    # January, in fen: income 20,000.00, tax-free 100.00, social 2,000.00, special 1,500.00,
    # other 400.00 → taxable 20,000 − 100 − 5,000 − 2,000 − 1,500 − 400 = 11,000.00 × 3% = 330.00
    month = cumulative_month(
        SCALAR, 2, Running.zero(), income=2_000_000, social=200_000, special=150_000,
        other=40_000, tax_free=10_000,
    )  # fmt: skip
    assert (month.taxable, month.tax) == (1_100_000, 33_000)
    # the year so far is exactly this month
    assert month.after == Running(1, 2_000_000, 10_000, 200_000, 150_000, 40_000, 33_000)
