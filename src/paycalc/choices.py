"""Where the source documents are silent and a scheme file chose: warn when it moves money.

Every part of a scheme file (``[scheme]``, a post, ``[grade]``, ``[grade.points]``, a
component, a cap) may say ``chosen = { key = "why" }``: the value of ``key`` is paycalc's
choice, not a figure or rule the documents give. The file says so for every reader; a slip
says so when the choice changes that slip's money — a part month under a chosen proration,
the month a certificate was obtained under a chosen 次月起, a cap that binds in a chosen
order — and stays quiet otherwise, so warnings keep their meaning.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import Any

from paycalc.components.base import MonthFacts
from paycalc.period import month_index
from paycalc.scheme.model import Component, HighestLevel, Yearly
from paycalc.scheme.version import SchemeVersion

__all__ = ["choice_warnings"]


def choice_warnings(
    scheme: SchemeVersion, ctx: MonthFacts, lines: Sequence[Any], binding_caps: Collection[str]
) -> list[str]:
    """One warning per choice that moved this slip's money, in file order."""
    return list(_moved(scheme, ctx, lines, binding_caps))


def _warning(subject: str, key: str, why: str) -> str:
    return f"文件未规定, 按 paycalc 所选计算 — chosen by paycalc, not the documents: {subject} {key}: {why}"


def _moved(
    scheme: SchemeVersion, ctx: MonthFacts, lines: Sequence[Any], binding_caps: Collection[str]
) -> Iterator[str]:
    spec = scheme.spec
    header = spec.scheme
    month = ctx.month
    for key, why in header.chosen.items():
        moves = {
            "proration": not ctx.full,
            "effective_from": month.year == header.effective_from.year,
            "effective_until": header.effective_until is not None
            and month.year == header.effective_until.year,
            "published_on": False,  # decides only what was known when (as_of), not amounts
        }.get(key, True)
        if moves:
            yield _warning("[scheme]", key, why)
    post = spec.posts[ctx.post_code]
    for key, why in post.chosen.items():
        yield _warning(f"岗位 {post.label}", key, why)
    if spec.grade is not None and ctx.grade.method in ("service", "points"):
        for key, why in spec.grade.chosen.items():
            yield _warning("[grade]", key, why)
        if spec.grade.points is not None and ctx.grade.method == "points":
            for key, why in spec.grade.points.chosen.items():
                yield _warning("[grade.points]", key, why)
    paid = {line.code for line in lines}
    for component in spec.components:
        for key, why in component.chosen.items():
            if _component_moves(component, key, ctx, paid):
                yield _warning(component.label, key, why)
    for cap in spec.caps:
        if cap.code in binding_caps:
            for key, why in cap.chosen.items():
                yield _warning(cap.label, key, why)


def _component_moves(component: Component, key: str, ctx: MonthFacts, paid: set[str]) -> bool:
    """Whether the choice ``key`` of ``component`` changed this slip's money."""
    month = ctx.month
    if key == "starts" and isinstance(component, HighestLevel):
        # 次月起 or 当月起 differ only in the month a qualification is obtained.
        return any(
            q.kind is component.qualification and month_index(q.obtained_on) == month.index
            for q in ctx.facts.worker.qualifications
        )
    if key == "prorate":
        return not ctx.full and component.code in paid
    if key == "missing_appraisal" and isinstance(component, Yearly):
        year = month.year - 1
        return (
            month.month == component.month
            and ctx.facts.worker.hired_on.year <= year
            and ctx.facts.worker.appraisal_for(year) is None
        )
    if key == "pro_rata" and isinstance(component, Yearly):
        return component.code in paid and ctx.facts.worker.hired_on.year == month.year - 1
    return component.code in paid


