"""The forecast's vectorised path gives exactly the itemised path's rows and errors."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

pytest.importorskip("numpy")

from hypothesis import given
from hypothesis import strategies as st

from paycalc import Month, default_registry
from paycalc.codes import Appraisal
from paycalc.forecasting import forecast, parse_assumptions
from paycalc.testing import workers
from paycalc.worker import Worker
from tests.conftest import EXAMPLES

FAMILIES = [
    "demo.community-worker",
    "generic.three-posts-eighteen-grades",
    "jiaocheng.community-worker",
    "kunming.village-cadre",
    "guandu.social-work-award",
]


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[list[Worker], Month, int, dict[str, Any], str | None]:
    family = draw(st.sampled_from(FAMILIES))
    registry = default_registry()
    version = draw(st.sampled_from(registry.versions(family)))
    first = Month.of(version.effective_from)
    until = version.spec.scheme.effective_until
    span = 60 if until is None else Month.of(until).months_since(first)
    start = first.plus(draw(st.integers(0, span)))
    people = draw(st.lists(workers(version, month=start, full_month=False), max_size=5))
    roster: list[Worker] = []
    for person in people:
        for _ in range(draw(st.integers(1, 3))):  # cohorts of several workers
            left = person.left_on
            if left is None and draw(st.integers(0, 4)) == 0:  # leaves during the horizon
                left = start.plus(draw(st.integers(0, 12))).first_day.replace(
                    day=draw(st.integers(1, 28))
                )
            roster.append(person.model_copy(update={"id": f"W-{len(roster)}", "left_on": left}))
    assumptions: dict[str, Any] = {"seed": draw(st.integers(0, 10**6))}
    if draw(st.booleans()):
        shares = draw(st.lists(st.integers(0, 10), min_size=4, max_size=4).filter(any))
        total = sum(shares)
        distribution = {a.value: Decimal(s) / total for a, s in zip(Appraisal, shares, strict=True)}
        fix = Decimal(1) - sum(distribution.values())
        distribution[Appraisal.competent.value] += fix
        if sum(distribution.values()) == 1:
            assumptions["appraisals"] = {"distribution": distribution}
    else:
        assumptions["appraisals"] = {"result": draw(st.sampled_from(list(Appraisal))).value}
    if draw(st.booleans()):
        assumptions["attrition"] = {"monthly_rate": Decimal(draw(st.integers(0, 30))) / 100}
    if people and draw(st.booleans()):
        template = people[0]
        assumptions["hiring"] = {
            "per_month": draw(st.integers(1, 3)),
            "template": {
                "scheme": family,
                "post": template.post,
                "inputs": dict(template.inputs),
                "education": template.education,
                "grade": template.grade,
            },
        }
    assumptions["given_grades"] = draw(st.sampled_from(["keep", "derive"]))
    by = draw(st.sampled_from([None, "education", "post"]))
    return roster, start, draw(st.integers(1, 15)), assumptions, by


@given(scenarios())
def test_fast_forecast_equals_itemised(
    scenario: tuple[list[Worker], Month, int, dict[str, Any], str | None],
) -> None:
    roster, start, months, data, by = scenario
    assumptions = parse_assumptions(data)
    slow = forecast(roster, start, months, assumptions, by=by, fast=False)
    fast = forecast(roster, start, months, assumptions, by=by, fast=True)
    assert fast.rows == slow.rows
    assert fast.errors == slow.errors
    assert fast.worker_months == slow.worker_months


@pytest.mark.parametrize("start", ["2023-11", "2024-05", "2024-12"])
def test_demo_roster_with_every_assumption(start: str) -> None:
    assumptions = parse_assumptions(
        {
            "seed": 7,
            "appraisals": {
                "distribution": {
                    "excellent": Decimal("0.3"),
                    "competent": Decimal("0.5"),
                    "basic": Decimal("0.1"),
                    "incompetent": Decimal("0.1"),
                }
            },
            "attrition": {"annual_rate": Decimal("0.6")},
            "hiring": {
                "per_month": 4,
                "template": {"post": "member", "inputs": {"community_rating": "B"}},
            },
        }
    )
    roster = EXAMPLES / "rosters" / "demo.csv"
    slow = forecast(
        roster, start, 18, assumptions, by="街道", fast=False, scheme="demo.community-worker"
    )
    fast = forecast(
        roster, start, 18, assumptions, by="街道", fast=True, scheme="demo.community-worker"
    )
    assert fast.rows == slow.rows and fast.errors == slow.errors
    assert [r.key for r in fast.rows] == [r.key for r in slow.rows]
