"""Where the documents are silent the scheme file says so, and a slip warns when it counts."""

from __future__ import annotations

from decimal import Decimal

import paycalc
from paycalc.scheme import default_registry
from tests.helpers import GIVEN_GRADE, HEADER, POSTS, scheme_problems

CHOSEN = "文件未规定, 按 paycalc 所选计算 — chosen by paycalc, not the documents: "
JIAOCHENG = "jiaocheng.community-worker"


def _chosen(slip: paycalc.Payslip) -> list[str]:
    """The 'subject key' of each choice the slip reports (``[scheme] proration``)."""
    return [w.removeprefix(CHOSEN).split(":")[0] for w in slip.warnings if w.startswith(CHOSEN)]


def _member(**fields: object) -> dict[str, object]:
    return {"id": "M", "post": "专职社区成员", "hired_on": "2015-03-01", "scheme": JIAOCHENG, **fields}


def test_next_month_start_is_reported_only_in_the_month_it_moves_money() -> None:
    certified = _member(
        qualifications=[{"kind": "社工证", "level": "中级", "obtained_on": "2021-03-10"}]
    )
    # March: 次月起 pays nothing yet (当月起 would pay 150) — the choice moved money.
    march = paycalc.payslip(certified, "2021-03")
    assert march.line("social_work_subsidy") is None
    assert _chosen(march) == ["持证社工补贴 starts"]
    # April: both rules pay 150 — nothing to report.
    april = paycalc.payslip(certified, "2021-04")
    assert april.amount("social_work_subsidy") == Decimal(150) and _chosen(april) == []


def test_chosen_proration_is_reported_on_part_months_only() -> None:
    # Hired 2021-03-15: 17 of 31 days; 2000 × 17 / 31 = 1096.774… → 1096.77
    part = paycalc.payslip(_member(hired_on="2021-03-15"), "2021-03")
    assert part.gross == Decimal("1096.77")
    assert _chosen(part) == ["[scheme] proration"]
    assert _chosen(paycalc.payslip(_member(hired_on="2021-03-01"), "2021-03")) == []


def test_a_chosen_cap_order_is_reported_when_the_cap_binds() -> None:
    top = paycalc.load_worker("examples/workers/kunming.community-worker/yijiantiao-top.json")
    low = paycalc.load_worker("examples/workers/kunming.community-worker/weiyuan.json")
    # The cap's chosen order is reported only where the 7540 ceiling binds (the top of the
    # scale), never for a worker far below it.
    assert "月薪酬上限(含五险) reduce" in _chosen(paycalc.payslip(top, "2024-06"))
    assert "月薪酬上限(含五险) reduce" not in _chosen(paycalc.payslip(low, "2024-06"))
    assert "月薪酬上限(含五险) reduce" not in _chosen(paycalc.payslip(low, "2025-06"))


def test_a_part_year_reward_reports_the_chosen_pro_rata() -> None:
    registry = default_registry().with_drafts()
    joined = _member(hired_on="2023-07-01", appraisals={"2023": "称职"})
    slip = paycalc.payslip(joined, "2024-01", schemes=registry)
    # 2023-07-01..12-31 = 184 of 365 days: 4000 × 1.0 × 184 / 365 = 2016.438… → 2016.44
    assert slip.amount("year_end_performance") == Decimal("2016.44")
    assert _chosen(slip) == ["年终奖励性绩效 pro_rata"]
    whole = _member(hired_on="2022-07-01", appraisals={"2022": "称职", "2023": "称职"})
    assert _chosen(paycalc.payslip(whole, "2024-01", schemes=registry)) == []


def test_chosen_must_name_a_real_key_and_say_why() -> None:
    text = (
        HEADER.replace("published_on", 'chosen.prorate = "x"\npublished_on')
        + POSTS
        + GIVEN_GRADE
        + """
[[components]]
code = "post_pay"
label = "岗位工资"
kind = "by_post"
amounts = { chief = 2800, deputy = 2500, member = 2300 }
chosen.amounts = "  "
"""
    )
    problems = {p.location: p.message for p in scheme_problems(text)}
    assert problems["scheme.chosen.prorate"].startswith("unknown key 'prorate'")
    assert problems["components[1 post_pay].chosen.amounts"] == (
        "say why paycalc chose it (the reason is empty)"
    )
