"""The invariants of paycalc.testing, run over every bundled scheme and each pair of
consecutive versions. A change that lowers someone's pay is reported (find_losses), and
these tests assert that the report is what the source documents imply."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paycalc.engine import payslip_for_version
from paycalc.period import Month
from paycalc.scheme import SchemeVersion, default_registry
from paycalc.testing import (
    assert_cap_holds,
    assert_lines_sum_to_totals,
    assert_monotone_in_grade,
    assert_monotone_in_service,
    find_losses,
    workers,
)
from paycalc.withholding import TaxState

REGISTRY = default_registry()
VERSIONS = [version for version in REGISTRY]


def _month(version: SchemeVersion) -> Month:
    """A month well inside the version's time in force (six months after it starts)."""
    return Month.of(version.effective_from).plus(6)


def _id(version: SchemeVersion) -> str:
    return f"{version.family}@{version.version}"


@pytest.mark.parametrize("version", VERSIONS, ids=_id)
@settings(max_examples=30)
@given(data=st.data())
def test_every_bundled_version_keeps_its_invariants(
    version: SchemeVersion, data: st.DataObject
) -> None:
    month = _month(version)
    worker = data.draw(workers(version, month=month, full_month=False))
    state = TaxState.start() if version.spec.scheme.income_tax else None
    slip = payslip_for_version(worker, month, version, tax_state=state)
    assert_lines_sum_to_totals(slip)
    assert_cap_holds(version, slip)
    full_time = data.draw(workers(version, month=month, full_month=True))
    assert_monotone_in_grade(version, full_time, month)
    assert_monotone_in_service(version, full_time, month, extra_years=data.draw(st.integers(1, 10)))


def _shared_post_workers(old: SchemeVersion, new: SchemeVersion, month: Month) -> st.SearchStrategy:  # type: ignore[type-arg]
    shared = set(old.spec.posts) & set(new.spec.posts)
    return workers(old, month=month).filter(lambda w: old.post_code(w.post) in shared)


def _five_insurances(version: SchemeVersion, worker, month: Month) -> Decimal:  # type: ignore[no-untyped-def]
    slip = payslip_for_version(worker, month, version, tax_state=TaxState.start())
    return sum(
        (
            line.amount
            for line in slip.lines
            if line.category == "employer" and line.code != "housing_fund_employer"
        ),
        Decimal(0),
    )


@given(st.data())
def test_jiaocheng_2020_raises_everyone_over_2010(data: st.DataObject) -> None:
    # 001_d7907324274c1aa1.txt: 主干 600 → 2600, 成员 500 → 2000, plus a subsidy for 非在编
    # certified social workers. Nobody loses.
    old, new = REGISTRY.versions("jiaocheng.community-worker")[:2]
    worker = data.draw(_shared_post_workers(old, new, Month(2020, 6)))
    assert find_losses(old, new, [worker], Month(2020, 6)) == []


@given(st.data())
def test_kunming_2024_losses_are_exactly_the_ceiling_counting_employer_insurance(
    data: st.DataObject,
) -> None:
    # 002_47767154af175321.txt: "最高上涨至每月7540元(含五险)". Version 2024-01 keeps the
    # 2019 amounts and counts the employer's five insurances in the ceiling, so a worker loses
    # gross only when the ceiling binds, only in the line it reduces first (绩效奖励, then
    # 岗位基本报酬), and is left exactly at 7540 including the employer's insurance.
    old, new = REGISTRY.versions("kunming.community-worker")
    month = Month(2024, 6)
    worker = data.draw(workers(old, month=month))
    for loss in find_losses(old, new, [worker], month):
        assert {code for code, _, _ in loss.lower_lines} <= {"performance", "base_pay"}
        assert loss.new_gross + _five_insurances(new, worker, month) == Decimal(7540)


def test_kunming_2024_reports_the_top_of_the_scale() -> None:
    from paycalc.worker import load_worker
    from tests.conftest import EXAMPLES

    old, new = REGISTRY.versions("kunming.community-worker")
    top = load_worker(EXAMPLES / "workers" / "kunming.community-worker" / "yijiantiao-top.json")
    (loss,) = find_losses(old, new, [top], Month(2024, 6))
    # 7540 (2019, gross only) → 7540 − 1120.50 employer 五险 on the 4500 floor = 6419.50.
    assert (loss.old_gross, loss.new_gross) == (Decimal("7540.00"), Decimal("6419.50"))
    assert loss.lower_lines == (("performance", Decimal("4240.00"), Decimal("3119.50")),)


@given(st.data())
def test_jiaocheng_draft_career_system_lowers_nobodys_pay(data: st.DataObject) -> None:
    # 001_d7907324274c1aa1.txt presents the draft (试行稿) as the answer to the proposal to raise
    # community workers' pay (提高社区工作者待遇); its illustrative amounts must not lower
    # anyone holding a post that exists in both versions (社区主干, 专职社区成员).
    old, new = REGISTRY.versions("jiaocheng.community-worker")[1:]
    month = Month(2022, 6)
    worker = data.draw(_shared_post_workers(old, new, month))
    assert find_losses(old, new, [worker], month) == []


#: Every pair of consecutive bundled versions, and the test that states what the documents
#: imply about losses between them. A new version must add its pair here.
PAIR_EXPECTATIONS = {
    (
        "jiaocheng.community-worker",
        "2010-01",
        "2020-01",
    ): test_jiaocheng_2020_raises_everyone_over_2010,
    (
        "jiaocheng.community-worker",
        "2020-01",
        "2022-draft",
    ): test_jiaocheng_draft_career_system_lowers_nobodys_pay,
    (
        "kunming.community-worker",
        "2019-01",
        "2024-01",
    ): test_kunming_2024_losses_are_exactly_the_ceiling_counting_employer_insurance,
    # The demo's second version is a restructure (base × coefficient, grade by points), not a
    # policy change: it has no expectation beyond the per-version invariants above, and its
    # losses are listed by `paycalc impact` in docs/policy-changes.md's style.
    ("demo.community-worker", "2023-01", "2024-07"): None,
}


def test_every_consecutive_pair_of_versions_has_a_stated_expectation() -> None:
    pairs = {
        (family, older.version, newer.version)
        for family in REGISTRY.families
        for older, newer in zip(
            REGISTRY.versions(family), REGISTRY.versions(family)[1:], strict=False
        )
    }
    assert pairs == set(PAIR_EXPECTATIONS)


def test_the_demo_restructure_is_reported_as_a_loss_for_the_example_chief() -> None:
    from paycalc.worker import load_worker
    from tests.conftest import EXAMPLES

    old, new = REGISTRY.versions("demo.community-worker")
    chief = load_worker(EXAMPLES / "workers" / "demo.community-worker" / "chief.json")
    (loss,) = find_losses(old, new, [chief], Month(2024, 8))
    # Version 1 in August 2024: 12 service years + 3 for 本科 = 15 → 5 steps above 7, +2 for
    # 中级 → grade 14: 2800 + (50 + 60 × 13 = 830) + 90 + 150 + 300 + 200 + 10% × 3630 = 363
    # → 4733. Version 2: 3536 + 150 + 100 + 200 = 3986 (tests/test_engine.py).
    assert (loss.old_gross, loss.new_gross) == (Decimal("4733.00"), Decimal("3986.00"))
