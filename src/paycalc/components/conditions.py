"""Eligibility (``when = {...}``), evaluated as data: every key given must hold."""

from __future__ import annotations

from paycalc.components.base import PayContext
from paycalc.scheme.model import Condition

__all__ = ["condition_holds"]


def condition_holds(condition: Condition | None, ctx: PayContext) -> bool:
    if condition is None:
        return True
    worker = ctx.worker
    checks = (
        condition.posts is None or ctx.post in condition.posts,
        condition.not_posts is None or ctx.post not in condition.not_posts,
        condition.in_establishment is None or worker.in_establishment == condition.in_establishment,
        condition.education_at_least is None
        or (
            worker.education is not None
            and worker.education.rank >= condition.education_at_least.rank
        ),
        condition.min_service_years is None or ctx.service.years >= condition.min_service_years,
        condition.max_service_years is None or ctx.service.years <= condition.max_service_years,
        condition.min_grade is None or (ctx.grade.grade or 0) >= condition.min_grade,
        condition.max_grade is None or (ctx.grade.grade or 0) <= condition.max_grade,
    )
    if not all(checks):
        return False
    for name, accepted in (condition.inputs or {}).items():
        if worker.inputs.get(name) not in accepted:
            return False
    return True
