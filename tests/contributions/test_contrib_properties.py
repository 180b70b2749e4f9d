"""Properties of contribution lines for any declared base, on every bundled table.

Settings come from whatever Hypothesis profile the suite loads; only the deadline is relaxed.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from paycalc.contributions import ContributionTable, contributions_for, load_contribution_tables

TABLES: list[ContributionTable] = [
    version for versions in load_contribution_tables().versions.values() for version in versions
]

bases = st.decimals(min_value=0, max_value=200_000, places=2, allow_nan=False, allow_infinity=False)
tables = st.sampled_from(TABLES)


@settings(deadline=None)
@given(tables, bases)
def test_every_amount_is_non_negative(table: ContributionTable, base: Decimal) -> None:
    assert all(line.amount >= 0 for line in contributions_for(table, base))


@settings(deadline=None)
@given(tables, bases, bases)
def test_amounts_never_fall_when_the_base_rises(
    table: ContributionTable, first: Decimal, second: Decimal
) -> None:
    low, high = sorted((first, second))
    lower = {line.code: line.amount for line in contributions_for(table, low)}
    higher = {line.code: line.amount for line in contributions_for(table, high)}
    assert lower.keys() == higher.keys()
    assert all(lower[code] <= higher[code] for code in lower)


@settings(deadline=None)
@given(tables, bases)
def test_employee_total_is_bounded_by_base_times_rates(
    table: ContributionTable, base: Decimal
) -> None:
    lines = contributions_for(table, base)
    employee_total = sum(line.amount for line in lines if line.category == "deduction")
    bound = Decimal(0)
    for item in table.items:
        floor, cap = table.limits_for(item)
        bound += min(max(base, floor), cap) * item.employee_rate
    # Each line rounds to the fen, so it may exceed its exact product by at most half a fen.
    slack = Decimal("0.005") * len(table.items)
    assert employee_total <= bound + slack
