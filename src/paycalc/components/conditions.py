"""Eligibility (``when = {...}``), evaluated as data: every key given must hold."""

from __future__ import annotations

from typing import Any

from paycalc.components.base import MonthFacts
from paycalc.facts import EDUCATION_NONE
from paycalc.scheme.model import Condition

__all__ = ["condition_holds"]


def condition_holds(condition: Condition | None, m: MonthFacts) -> Any:
    """Whether ``condition`` holds this month (one worker: a bool; columns: an array)."""
    if condition is None:
        return True
    ops, facts = m.ops, m.facts
    codes = list(m.scheme.spec.posts)
    holds: Any = True

    def also(test: Any) -> None:
        nonlocal holds
        holds = ops.both(holds, test)

    if condition.posts is not None:
        also(ops.isin(m.post, [codes.index(p) for p in condition.posts]))
    if condition.not_posts is not None:
        also(ops.negate(ops.isin(m.post, [codes.index(p) for p in condition.not_posts])))
    if condition.in_establishment is not None:
        also(facts.in_establishment == condition.in_establishment)
    if condition.education_at_least is not None:
        rank = condition.education_at_least.rank
        also(ops.both(facts.education >= rank, facts.education < EDUCATION_NONE))
    if condition.min_service_years is not None:
        also(m.service_years >= condition.min_service_years)
    if condition.max_service_years is not None:
        also(m.service_years <= condition.max_service_years)
    if condition.min_grade is not None:
        also(m.grade.value >= condition.min_grade)
    if condition.max_grade is not None:
        also(m.grade.value <= condition.max_grade)
    for name, accepted in (condition.inputs or {}).items():
        also(facts.lookup(f"input:{name}", lambda value, ok=accepted: value in ok))
    return holds
