"""A worker's grade for a month: given, or derived from counted service, or from points.

The result keeps the numbers it used (points by factor, counted years), so a slip's basis
and ``paycalc explain`` can show the derivation, not just its answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from paycalc.codes import QualificationKind, label_of
from paycalc.money import format_number
from paycalc.period import Month
from paycalc.scheme.model import GradeRule, PointsRule
from paycalc.scheme.version import SchemeVersion
from paycalc.service import (
    appraisals_before,
    awards_before,
    counted_service_years,
    highest_qualification,
)
from paycalc.worker import Worker

__all__ = ["GradeResult", "grade_for"]


@dataclass(frozen=True, slots=True)
class GradeResult:
    """The grade used for a month and how it was reached."""

    grade: int | None
    method: str  # "none", "given", "service" or "points"
    basis: str  # for slip lines: "第7级 · 积分 23"
    points: Decimal | None = None
    points_by_factor: dict[str, Decimal] = field(default_factory=dict)
    #: builds the derivation in words; only `paycalc explain` needs it, so it is lazy
    describe: Callable[[], tuple[str, ...]] = field(default=tuple, repr=False, compare=False)

    @property
    def steps(self) -> tuple[str, ...]:
        """The derivation, in words (``计龄 14年 = 服务 11年 + 学历(本科) 3年``, …)."""
        return self.describe()


def _clamp(grade: int, band: tuple[int, int]) -> int:
    return max(band[0], min(band[1], grade))


def grade_for(scheme: SchemeVersion, worker: Worker, post: str, month: Month) -> GradeResult:
    """The worker's grade in ``month`` under ``scheme``, for a worker already checked against it."""
    rule = scheme.spec.grade
    band = scheme.post(post).grades
    # The worker was checked against the scheme (engine.check_worker_against): a given
    # grade lies within the post's band.
    if worker.grade is not None:
        given = worker.grade
        return GradeResult(
            given, "given", f"第{given}级", describe=lambda: (f"等级由人事给定: 第{given}级",)
        )
    if rule is None or band is None:
        return GradeResult(None, "none", "")
    # A scheme that takes the grade as given refuses a worker without one earlier
    # (engine.check_worker_against), so only the derived methods are left here.
    if rule.method == "service":
        return _grade_from_service(rule, worker, month, band)
    assert rule.points is not None  # guaranteed by the scheme checks
    return _grade_from_points(rule, rule.points, worker, month, band)


def _grade_from_service(
    rule: GradeRule, worker: Worker, month: Month, band: tuple[int, int]
) -> GradeResult:
    assert rule.years_per_step is not None
    served = counted_service_years(worker, month, exclude_failed_years=rule.exclude_failed_years)
    education_years = rule.education_years.get(worker.education, 0) if worker.education else 0
    counted_years = served + education_years
    steps_earned = counted_years // rule.years_per_step
    certificate = highest_qualification(worker, QualificationKind.social_work, month.first_day)
    bonus = rule.certificate_bonus.get(certificate.level, 0) if certificate else 0
    unclamped = band[0] + steps_earned + bonus
    grade = _clamp(unclamped, band)

    def describe() -> tuple[str, ...]:
        credit = ""
        if education_years and worker.education:
            credit = f" + 学历({label_of(worker.education)}) {education_years}年"
        steps = [
            f"计龄 {counted_years}年 = 服务 {served}年{credit}",
            f"每 {rule.years_per_step} 年一级: {counted_years} ÷ {rule.years_per_step} → {steps_earned} 级",
        ]
        if bonus and certificate:
            steps.append(f"社工证({label_of(certificate.level)}) 加 {bonus} 级")
        steps.append(f"起点第{band[0]}级 → 第{unclamped}级{_band_note(unclamped, grade, band)}")
        return tuple(steps)

    return GradeResult(grade, "service", f"第{grade}级 · 计龄 {counted_years}年", describe=describe)


def _capped(value: Decimal, cap: Decimal | None) -> Decimal:
    return value if cap is None else min(value, cap)


def _grade_from_points(
    rule: GradeRule, points: PointsRule, worker: Worker, month: Month, band: tuple[int, int]
) -> GradeResult:
    served = counted_service_years(worker, month, exclude_failed_years=rule.exclude_failed_years)
    factors: dict[str, Decimal] = {}
    factors["年限"] = _capped(points.per_service_year * served, points.service_max)
    appraisal_points = sum(
        (
            points.appraisal.get(result, Decimal(0))
            for result in appraisals_before(worker, month).values()
        ),
        Decimal(0),
    )
    factors["年度考核"] = _capped(appraisal_points, points.appraisal_max)
    factors["学历"] = (
        points.education.get(worker.education, Decimal(0)) if worker.education else Decimal(0)
    )
    qualification_points = Decimal(0)
    for kind, by_level in points.qualifications.items():
        held = highest_qualification(worker, kind, month.first_day)
        if held is not None:
            qualification_points += by_level.get(held.level, Decimal(0))
    factors["专业职称"] = _capped(qualification_points, points.qualifications_max)
    award_points = sum(
        (
            points.awards.get(award.level, Decimal(0))
            for award in awards_before(worker, month.first_day)
        ),
        Decimal(0),
    )
    factors["表彰奖励"] = _capped(award_points, points.awards_max)
    total = sum(factors.values(), Decimal(0))
    reached = [t.grade for t in points.thresholds if t.points <= total]
    unclamped = reached[-1] if reached else band[0]
    grade = _clamp(unclamped, band)
    total_text = _points_text(total)

    def describe() -> tuple[str, ...]:
        steps = [f"积分·{name} {_points_text(value)}" for name, value in factors.items()]
        steps.append(f"积分合计 {total_text} → 第{unclamped}级{_band_note(unclamped, grade, band)}")
        return tuple(steps)

    return GradeResult(
        grade, "points", f"第{grade}级 · 积分 {total_text}", total, factors, describe
    )


def _points_text(value: Decimal) -> str:
    return format_number(value)


def _band_note(unclamped: int, grade: int, band: tuple[int, int]) -> str:
    """Say so when the post's band moved the grade (", 限于本岗位 7–18 级 → 第18级")."""
    if grade == unclamped:
        return ""
    return f", 限于本岗位 {band[0]}–{band[1]} 级 → 第{grade}级"
