"""Back pay and the impact of a change, on a retroactive raise computed by hand."""

import json
from datetime import date
from decimal import Decimal

from paycalc.engine import payslip
from paycalc.period import Month
from paycalc.policy import add_arrears, arrears, impact
from paycalc.scheme import SchemeRegistry
from paycalc.slip import Payslip
from paycalc.worker import Worker
from tests.helpers import HEADER, scheme, worker

V1_PAY = """
[[components]]
code = "post_pay"
label = "岗位工资"
kind = "by_post"
amounts = { chief = 3000, deputy = 2500, member = 2300 }
"""
# Version 2 raises 正职 by 300 and 委员 by 100, cuts 副职 by 50, and adds a subsidy.
V2_PAY = (
    V1_PAY.replace(
        "chief = 3000, deputy = 2500, member = 2300", "chief = 3300, deputy = 2450, member = 2400"
    )
    + """
[[components]]
code = "living_subsidy"
label = "生活补助"
kind = "by_post"
amounts = { chief = 200, deputy = 200, member = 200 }
"""
)
V1 = scheme(V1_PAY)
# Published on 2024-09-10 but in force from 2024-07-01: July and August were paid under v1.
V2 = scheme(
    V2_PAY,
    header=HEADER.replace('version = "v1"', 'version = "v2"')
    .replace("effective_from = 2020-01-01", "effective_from = 2024-07-01")
    .replace("published_on = 2019-12-01", "published_on = 2024-09-10"),
)
REGISTRY = SchemeRegistry([V1, V2])


def test_back_pay_per_month_and_component() -> None:
    chief = worker(id="C", scheme="test.scheme")
    report = arrears(
        [chief],
        Month(2024, 7),
        Month(2024, 9),
        paid_as_of=date(2024, 8, 31),
        due_as_of=date(2024, 9, 30),
        schemes=REGISTRY,
    )
    (owed,) = report.workers
    # Each of July, August, September: post pay +300 and living subsidy +200 → 3 × 500 = 1,500.
    # (September, computed as of 2024-08-31, is also paid under v1: the raise was unknown.)
    assert owed.total == Decimal("1500.00")
    assert owed.by_component() == {
        "post_pay": ("岗位工资", Decimal("900.00")),
        "living_subsidy": ("生活补助", Decimal("600.00")),
    }
    assert {line.month for line in owed.lines} == {"2024-07", "2024-08", "2024-09"}
    assert all((line.paid_version, line.due_version) == ("v1", "v2") for line in owed.lines)


def test_a_cut_is_recovered_and_shows_as_a_flagged_deduction() -> None:
    deputy = worker(id="D", scheme="test.scheme", post="deputy")
    report = arrears(
        [deputy],
        Month(2024, 7),
        Month(2024, 8),
        paid_as_of=date(2024, 7, 1),
        due_as_of=date(2024, 12, 31),
        schemes=REGISTRY,
    )
    (owed,) = report.workers
    # Two months of −50 post pay and +200 subsidy: +300 net, but per component.
    assert owed.by_component()["post_pay"] == ("岗位工资", Decimal("-100.00"))
    october = payslip(deputy, Month(2024, 10), schemes=REGISTRY)
    with_arrears = add_arrears(october, owed)
    # October itself: 2,450 + 200 = 2,650; plus 补发 subsidy 400, less 扣回 post pay 100.
    assert with_arrears.gross == Decimal("3050.00")
    assert with_arrears.deductions == Decimal("100.00")
    flagged = [line for line in with_arrears.lines if line.arrears]
    assert {line.code for line in flagged} == {"arrears_living_subsidy", "recovery_post_pay"}
    data = json.loads(with_arrears.to_json())
    assert [line.get("arrears", False) for line in data["lines"]] == [False, False, True, True]
    assert Payslip.from_json(with_arrears.to_json()) == with_arrears


def test_rows_in_equal_workers_plus_problems() -> None:
    stranger = worker(id="X", scheme="test.scheme", post="主任")  # no such post
    report = arrears(
        [worker(id="C", scheme="test.scheme"), stranger],
        Month(2024, 7),
        Month(2024, 7),
        paid_as_of=date(2024, 7, 1),
        due_as_of=date(2024, 12, 31),
        schemes=REGISTRY,
    )
    assert len(report.workers) + len(report.problems) == 2
    assert "unknown post" in report.problems[0].message


def test_impact_of_the_change_by_hand() -> None:
    roster = [worker(id="C"), worker(id="D", post="deputy"), worker(id="M", post="member")]
    report = impact(V1, V2, roster, Month(2024, 7))
    deltas = {w.worker_id: w.delta for w in report.workers}
    # 正职 +300 +200, 副职 −50 +200, 委员 +100 +200.
    assert deltas == {"C": Decimal("500.00"), "D": Decimal("150.00"), "M": Decimal("300.00")}
    assert report.monthly_cost_change == Decimal("950.00")
    assert report.annual_cost_change == Decimal("11400.00")  # 12 × 950, no yearly payments
    assert [w.worker_id for w in report.losers] == []
    moved = {m.code: (m.old, m.new) for m in report.workers[1].moved}
    assert moved == {
        "post_pay": (Decimal("2500.00"), Decimal("2450.00")),
        "living_subsidy": (Decimal("0.00"), Decimal("200.00")),
    }


def test_impact_finds_the_largest_loss() -> None:
    roster = [worker(id="C"), worker(id="D", post="deputy")]
    report = impact(V2, V1, roster, Month(2024, 7))  # the change undone
    assert report.largest_loss is not None and report.largest_loss.worker_id == "C"
    assert report.largest_loss.delta == Decimal("-500.00")


def test_the_walk_through_proposal_fails_no_loss_for_long_serving_principals() -> None:
    # docs/policy-changes.md: the proposal caps seniority at 20 steps of 50 (was 30 of 40), so
    # long-serving workers lose: a 社区主干 (base unchanged) with more than 25 passed years
    # (26 × 40 = 1,040 > 20 × 50 = 1,000), a 协理员 (+100 base) with 28 or more
    # (28 × 40 = 1,120 > 1,000 + 100). A passed year is 合格 (称职) or 优秀: 基本称职 earns no
    # step, so with each year's result drawn from four, 26 passed years are rare among the
    # workers drawn; hypothesis is steered towards many passed years (target) and must find
    # such a worker, and the loss must be in the seniority allowance only.
    from hypothesis import HealthCheck, find, settings, target

    from paycalc.scheme import default_registry, load_scheme_file
    from paycalc.testing import find_losses, workers
    from tests.conftest import EXAMPLES

    old = default_registry().find("jiaocheng.community-worker", "2022-draft")
    new = load_scheme_file(EXAMPLES / "policy" / "jiaocheng-2025-07.toml")
    month = Month(2025, 7)

    def loses(candidate: Worker) -> bool:
        target(float(sum(1 for result in candidate.appraisals.values() if result.passed)))
        return bool(find_losses(old, new, [candidate], month))

    found = find(
        workers(old, month=month),
        loses,
        settings=settings(
            derandomize=True,
            max_examples=2000,
            suppress_health_check=list(HealthCheck),
            database=None,
        ),
    )
    (loss,) = find_losses(old, new, [found], month)
    assert [code for code, _, _ in loss.lower_lines] == ["seniority"]
    passed = sum(1 for result in found.appraisals.values() if result.passed)
    assert passed > 25
    if found.post == "assistant":
        assert passed >= 28
