"""Scenarios side by side: one path, the difference explained, by any columns."""

from __future__ import annotations

from decimal import Decimal

import pytest

from paycalc.forecasting import forecast, parse_assumptions
from paycalc.forecasting.core import difference_name
from paycalc.reforms import load_reform, parse_reform
from tests.conftest import EXAMPLES

KUNMING = EXAMPLES / "rosters" / "kunming-close.csv"
DEMO = EXAMPLES / "rosters" / "demo.csv"
RAISE = load_reform(EXAMPLES / "reforms" / "kunming-raise-3.toml")
VS = difference_name("raise3")


def _one(rows: list, **match: object) -> object:
    (found,) = [r for r in rows if all(getattr(r, k) == v for k, v in match.items())]
    return found


def test_the_difference_and_what_damped_it_by_hand() -> None:
    result = forecast(KUNMING, "2025-12", 2, reforms={"raise3": RAISE})
    assert result.errors == []
    # Before the reform's month, nothing differs.
    december = _one(result.rows, month="2025-12", dimension="total", key="gross", scenario=VS)
    assert december.amount == 0  # type: ignore[attr-defined]
    # 2026-01, every amount × 1.03 (岗位基本报酬 by post, 绩效奖励 800 + 320 a grade):
    #   KM-0003 正职 grade 6: 3000 → 3090 (+90), 2400 → 2472 (+72): +162.00
    #   KM-0005 专职委员 grade 1: 2400 → 2472 (+72), 800 → 824 (+24): +96.00
    #   KM-0101 专职委员 grade 2: +72, 1120 → 1153.60 (+33.60): +105.60
    #   KM-0002 一肩挑 grade 12: 3300 + 4320 = 7620 plus employer 五险 on the 4500 floor
    #   (16% 720 + 8% 360 + 0.7% 31.50 + 0.2% 9 = 1120.50) = 8740.50: the 7540 ceiling cuts
    #   1200.50 before, and after 3399 + 4449.60 + 1120.50 − 7540 = 1429.10: +0.00
    #   gross +363.60; contributions stay on the floor, so employer cost +363.60 too
    gross = _one(result.rows, month="2026-01", dimension="total", key="gross", scenario=VS)
    cost = _one(result.rows, month="2026-01", dimension="total", key="employer_cost", scenario=VS)
    assert (gross.amount, cost.amount) == (Decimal("363.60"), Decimal("363.60"))  # type: ignore[attr-defined]
    cap = _one(result.rows, month="2026-01", dimension="cap", key="monthly_cap", scenario="raise3")
    base_cap = _one(result.rows, month="2026-01", dimension="cap", scenario="baseline")
    assert (base_cap.workers, base_cap.amount) == (1, Decimal("1200.50"))  # type: ignore[attr-defined]
    assert (cap.workers, cap.amount) == (1, Decimal("1429.10"))  # type: ignore[attr-defined]
    held = _one(result.rows, month="2026-01", dimension="cap", scenario=VS)
    assert held.amount == Decimal("228.60")  # type: ignore[attr-defined]  # 1429.10 − 1200.50
    floor = _one(result.rows, month="2026-01", dimension="damping", scenario=VS)
    # the three raised workers' bases stay on the floor: their gross moved by 363.60
    assert (floor.key, floor.workers, floor.amount) == ("contribution_base_floor", 3, Decimal("363.60"))  # type: ignore[attr-defined]
    by_component = {
        r.key: r.amount
        for r in result.rows
        if r.scenario == VS and r.month == "2026-01" and r.dimension == "component"
    }
    # 岗位基本报酬 90 + 72 + 72 + 99 (KM-0002's 3300 → 3399) = 333; 绩效奖励 72 + 24 + 33.60
    # and KM-0002's +129.60 less the 228.60 more the cap cuts from it first: 30.60
    assert by_component["base_pay"] == Decimal("333.00")
    assert by_component["performance"] == Decimal("30.60")
    assert by_component["pension_employer"] == 0
    year = _one(result.yearly("employer_cost", VS), month="2026")
    assert year.amount == Decimal("363.60")  # type: ignore[attr-defined]


def test_the_explained_engine_agrees_on_the_difference() -> None:
    from paycalc import default_registry, read_roster
    from paycalc.policy import impact

    workers = read_roster(KUNMING, schemes=default_registry()).workers
    base = default_registry().find("kunming.community-worker", "2024-01")
    report = impact(base, RAISE.apply(base), workers, __import__("paycalc").Month(2026, 1))
    result = forecast(KUNMING, "2026-01", 1, reforms={"raise3": RAISE})
    assert result.difference("raise3", "gross") == report.monthly_cost_change


def test_scenarios_share_every_draw() -> None:
    assumptions = parse_assumptions(
        {
            "seed": 3,
            "attrition": {"monthly_rate": Decimal("0.1")},
            "appraisals": {"distribution": {"优秀": Decimal("0.5"), "称职": Decimal("0.5")}},
            "hiring": {"per_month": 1, "template": {"scheme": "demo.community-worker",
                                                     "post": "专职委员", "inputs": {"community_rating": "B"}}},
        }
    )  # fmt: skip
    alone = forecast(DEMO, "2024-10", 12, assumptions)
    reform = parse_reform(
        {"reform": {"id": "x", "title": "t", "scheme": "demo.community-worker",
                    "effective_from": "2025-06"}, "scale": [{"factor": "1.1"}]}
    )  # fmt: skip
    both = forecast(DEMO, "2024-10", 12, assumptions, reforms={"x": reform})
    assert [r for r in both.rows if r.scenario == "baseline"] == alone.rows
    # before June 2025 the reform's rows are the baseline's, figure for figure
    early = [(r.month, r.dimension, r.key, r.workers, r.amount) for r in both.rows
             if r.scenario == "x" and "2024-10" <= r.month < "2025-06" and len(r.month) == 7]  # fmt: skip
    base = [(r.month, r.dimension, r.key, r.workers, r.amount) for r in both.rows
            if r.scenario == "baseline" and "2024-10" <= r.month < "2025-06" and len(r.month) == 7]  # fmt: skip
    assert early == base and early
    headcounts = [r.workers for r in both.select("total", "gross", "x")]
    assert headcounts == [r.workers for r in both.select("total", "gross")]


def test_by_two_columns_adds_up_to_gross() -> None:
    result = forecast(KUNMING, "2025-01", 1, by="街道,社区")
    groups = {r.key: r.workers for r in result.select("街道,社区")}
    assert groups == {"拓东街道|金碧社区": 2, "拓东街道|南强社区": 2}
    assert sum(r.amount for r in result.select("街道,社区")) == result.total("gross")


def test_new_hires_are_split_over_streets_by_the_assumptions() -> None:
    assumptions = parse_assumptions(
        {
            "hiring": {
                "per_month": 3,
                "template": {"scheme": "demo.community-worker", "post": "专职委员",
                             "inputs": {"community_rating": "B"}},
                "columns": {"街道": {"东城街道": Decimal("0.5"), "新区街道": Decimal("0.5")}},
            }
        }
    )  # fmt: skip
    result = forecast(DEMO, "2025-01", 2, assumptions, by="街道")
    heads = {(r.month, r.key): r.workers for r in result.select("街道")}
    # 3 a month split half and half, fractions carried per street: month 1 1.5 → 1 and 1
    # (0.5 each carried), month 2 0.5 + 1.5 = 2.0 → 2 more each: 新区 1 then 3; 东城 had 2
    assert heads[("2025-01", "新区街道")] == 1 and heads[("2025-02", "新区街道")] == 3
    assert heads[("2025-01", "东城街道")] == 3 and heads[("2025-02", "东城街道")] == 5


def test_promotions_move_the_workers_of_a_post() -> None:
    assumptions = parse_assumptions(
        {"promotions": [{"from": "专职委员", "to": "副职", "annual_rate": 1, "month": 1}]}
    )
    result = forecast(DEMO, "2024-12", 2, assumptions)
    posts = {(r.month, r.key): r.workers for r in result.select("post")}
    # demo.csv: 2 专职委员 (DEMO-0003, DEMO-0005), 1 副职; in January all members move up
    assert posts[("2024-12", "member")] == 2 and posts[("2024-12", "deputy")] == 1
    assert ("2025-01", "member") not in posts and posts[("2025-01", "deputy")] == 3


def test_a_bad_scenario_name_is_refused() -> None:
    from paycalc import SchemeError

    with pytest.raises(SchemeError):
        forecast(KUNMING, "2026-01", 1, reforms={"baseline": RAISE})


def test_a_refused_cohort_is_explained_by_the_explained_engine(tmp_path: object) -> None:
    from pathlib import Path

    roster = Path(str(tmp_path)) / "roster.csv"
    text = DEMO.read_text(encoding="utf-8").replace("DEMO-0002,李四,demo.community-worker,副职",
                                                     "DEMO-0002,李四,demo.community-worker,馆长")  # fmt: skip
    roster.write_text(text, encoding="utf-8")
    result = forecast(roster, "2024-03", 2)
    assert [(e.month, e.worker_id, e.workers, e.location, e.scenario) for e in result.errors] == [
        ("2024-03", "DEMO-0002", 1, "post", "baseline"),
        ("2024-04", "DEMO-0002", 1, "post", "baseline"),
    ]
    assert result.errors[0].reason.startswith("unknown post '馆长' for demo.community-worker 2023-01")
