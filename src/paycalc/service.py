"""What a worker's record counts for in a month: service years, appraisals, levels held.

Everything is "as known at the start of the pay month": service completed by its first day,
appraisals of the years that ended before it (and fell within the employment), certificates
and awards dated before it. Written once on :class:`~paycalc.components.base.MonthFacts`:
the same functions count for one worker or for a roster's columns.
"""

from __future__ import annotations

from typing import Any, Final

from paycalc.codes import QualificationKind
from paycalc.components.base import MonthFacts
from paycalc.facts import APPRAISALS, KINDS, LEVEL_NONE, LEVELS
from paycalc.ops import NEVER

__all__ = [
    "counted_years",
    "failed_years",
    "held_level",
    "passed_years",
]

#: Per appraisal result (and "none"): does the year pass (合格 and better) or fail (不称职).
_PASSED: Final = [int(result.passed) for result in APPRAISALS] + [0]
_FAILED: Final = [int(result.failed) for result in APPRAISALS] + [0]


def failed_years(m: MonthFacts) -> Any:
    """Years appraised 不称职 before the month (they do not count as service, 本民发〔2022〕43号)."""
    return m.facts.appraisal_sum(_FAILED, m.month.year)


def passed_years(m: MonthFacts) -> Any:
    """Years appraised 合格 (称职) or 优秀 before the month: each adds a seniority step."""
    return m.facts.appraisal_sum(_PASSED, m.month.year)


def counted_years(m: MonthFacts, *, exclude_failed: bool) -> Any:
    """Completed service years, less the failed years when the scheme says so; never negative."""
    if not exclude_failed:
        return m.service_years
    return m.ops.maximum(m.service_years - failed_years(m), 0)


def held_level(m: MonthFacts, kind: QualificationKind, before: int) -> tuple[Any, Any]:
    """The highest level of ``kind`` obtained before day ``before``, and the day it was first
    reached (:data:`~paycalc.facts.LEVEL_NONE` and ``NEVER`` when none)."""
    ops = m.ops
    first = m.facts.qualified[KINDS.index(kind)]
    level: Any = LEVEL_NONE
    day: Any = NEVER
    for index in range(len(LEVELS)):  # levels rise: the last one held wins
        held = first[index] < before
        level = ops.where(held, index, level)
        day = ops.where(held, first[index], day)
    return level, day
