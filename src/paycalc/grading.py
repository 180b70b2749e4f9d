"""A worker's grade for a month: given, or derived from counted service, or from points.

Written once on the month's facts (one worker or a roster's columns). For one worker the
result also keeps the numbers it used (points by factor, counted years) and the derivation
in words, so a slip's basis and ``paycalc explain`` show how the grade was reached.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from paycalc.codes import QualificationKind, label_of
from paycalc.components.base import Grade, MonthFacts, Scaled
from paycalc.facts import APPRAISALS, AWARD_LEVELS, EDUCATIONS, LEVELS
from paycalc.money import format_number
from paycalc.scheme.model import GradeRule, PointsRule
from paycalc.scheme.version import SchemeVersion
from paycalc.service import counted_years, held_level

__all__ = ["Bands", "grade_for"]


class Bands:
    """A version's grading as tables, worked out once when the version is compiled.

    Each post's band indexed by post (lowest, highest, has a band) and, for a points rule,
    its point values as integers at one scale (:class:`PointTables`).
    """

    def __init__(self, scheme: SchemeVersion) -> None:
        bands = [post.grades for post in scheme.spec.posts.values()]
        self.low = tuple(band[0] if band else 0 for band in bands)
        self.high = tuple(band[1] if band else 0 for band in bands)
        self.present = tuple(band is not None for band in bands)
        rule = scheme.spec.grade
        self.points = PointTables(rule.points) if rule and rule.points else None


class PointTables:
    """A points rule's values as integers at one scale (``value × 10**scale``).

    Tables are indexed as the facts index them (appraisal results, education, levels, award
    levels), with a trailing 0 for "none"; a cap of ``None`` is no cap.
    """

    def __init__(self, points: PointsRule) -> None:
        numbers = [points.per_service_year, *points.appraisal.values(), *points.education.values()]
        numbers += [v for levels in points.qualifications.values() for v in levels.values()]
        numbers += [*points.awards.values(), *(t.points for t in points.thresholds)]
        caps = (
            points.service_max,
            points.appraisal_max,
            points.qualifications_max,
            points.awards_max,
        )
        numbers += [c for c in caps if c is not None]
        self.scale = scale = Scaled.of(numbers).scale

        def s(value: Decimal | None) -> int | None:
            return None if value is None else int(value.scaleb(scale))

        def table(values: dict[Any, Decimal], keys: tuple[Any, ...]) -> list[int]:
            return [int(values.get(key, Decimal(0)).scaleb(scale)) for key in keys] + [0]

        self.per_service_year = int(points.per_service_year.scaleb(scale))
        self.service_max = s(points.service_max)
        self.appraisal = table(points.appraisal, APPRAISALS)
        self.appraisal_max = s(points.appraisal_max)
        self.education = table(points.education, EDUCATIONS)
        self.qualifications = [
            (kind, table(by_level, LEVELS)) for kind, by_level in points.qualifications.items()
        ]
        self.qualifications_max = s(points.qualifications_max)
        self.awards = table(points.awards, AWARD_LEVELS)
        self.awards_max = s(points.awards_max)
        #: rising: (points reached, grade)
        self.thresholds = [(int(t.points.scaleb(scale)), t.grade) for t in points.thresholds]


def grade_for(m: MonthFacts, bands: Bands) -> Grade:
    """The month's grade; refuses a given grade outside the band, or a missing one."""
    ops, scheme = m.ops, m.scheme
    rule = scheme.spec.grade
    given = m.facts.grade_given
    has_band = ops.take(ops.flags(bands.present), m.post)
    low = ops.take(ops.table(bands.low), m.post)
    high = ops.take(ops.table(bands.high), m.post)
    outside = ops.both(ops.both(given > 0, has_band), ops.either(given < low, given > high))
    m.refuse(
        outside,
        "grade",
        lambda: (
            f"grade {given} is outside the {m.post_label} band {low}–{high} "
            f"of {scheme.family} {scheme.version}"
        ),
    )
    if rule is not None and rule.method == "given":
        m.refuse(
            given == 0,
            "grade",
            lambda: f"required: {scheme.family} {scheme.version} takes the grade as given",
        )
    if rule is None or rule.method == "given":
        if m.explain and given:
            return _given(given)
        return Grade(given)
    if rule.method == "service":
        derived = _from_service(m, rule, low, high)
    else:
        assert bands.points is not None  # a points rule has its tables (scheme checks)
        derived = _from_points(m, rule, bands.points, low, high)
    if m.explain:
        if given:
            return _given(given)
        return derived if has_band else Grade(0)
    value = ops.where(given > 0, given, ops.where(has_band, derived.value, 0))
    return Grade(value)


def _given(given: int) -> Grade:
    return Grade(given, f"第{given}级", "given", (f"等级由人事给定: 第{given}级",))


def _clip(m: MonthFacts, value: Any, low: Any, high: Any) -> Any:
    return m.ops.maximum(low, m.ops.minimum(high, value))


def _from_service(m: MonthFacts, rule: GradeRule, low: Any, high: Any) -> Grade:
    ops = m.ops
    assert rule.years_per_step is not None  # guaranteed by the scheme checks
    served = counted_years(m, exclude_failed=rule.exclude_failed_years)
    credit = [rule.education_years.get(e, 0) for e in EDUCATIONS] + [0]
    education_years = ops.take(ops.table(credit), m.facts.education)
    counted = served + education_years
    steps = counted // rule.years_per_step
    level, _ = held_level(m, QualificationKind.social_work, m.first)
    bonus = ops.take(ops.table([rule.certificate_bonus.get(lv, 0) for lv in LEVELS] + [0]), level)
    unclamped = low + steps + bonus
    grade = _clip(m, unclamped, low, high)
    if not m.explain:
        return Grade(grade)
    worker = m.facts.worker
    words = [
        f"计龄 {counted}年 = 服务 {served}年"
        + (
            f" + 学历({label_of(worker.education)}) {education_years}年"
            if education_years and worker.education
            else ""
        ),
        f"每 {rule.years_per_step} 年一级: {counted} ÷ {rule.years_per_step} → {steps} 级",
    ]
    if bonus:
        words.append(f"社工证({label_of(LEVELS[level])}) 加 {bonus} 级")
    words.append(f"起点第{low}级 → 第{unclamped}级{_band_note(unclamped, grade, low, high)}")
    return Grade(grade, f"第{grade}级 · 计龄 {counted}年", "service", tuple(words))


def _from_points(m: MonthFacts, rule: GradeRule, points: PointTables, low: Any, high: Any) -> Grade:
    ops, facts, scale = m.ops, m.facts, points.scale

    def capped(value: Any, cap: int | None) -> Any:
        return value if cap is None else ops.minimum(value, cap)

    served = counted_years(m, exclude_failed=rule.exclude_failed_years)
    factors: dict[str, Any] = {}
    factors["年限"] = capped(served * points.per_service_year, points.service_max)
    factors["年度考核"] = capped(
        facts.appraisal_sum(points.appraisal, m.month.year), points.appraisal_max
    )
    factors["学历"] = ops.take(ops.table(points.education), facts.education)
    held: Any = 0
    for kind, table in points.qualifications:
        level, _ = held_level(m, kind, m.first)
        held = held + ops.take(ops.table(table), level)
    factors["专业职称"] = capped(held, points.qualifications_max)
    per_award = ops.table(points.awards)
    awarded: Any = 0
    for level, day in facts.award_slots:
        awarded = awarded + ops.where(day < m.first, ops.take(per_award, level), 0)
    factors["表彰奖励"] = capped(awarded, points.awards_max)
    total = sum(factors.values())
    reached = low
    for needed, grade_reached in points.thresholds:  # rising: the highest reached wins
        reached = ops.where(needed <= total, grade_reached, reached)
    grade = _clip(m, reached, low, high)
    if not m.explain:
        return Grade(grade)
    exact = {name: Decimal(value).scaleb(-scale) for name, value in factors.items()}
    total_exact = Decimal(total).scaleb(-scale)
    words = [f"积分·{name} {format_number(value)}" for name, value in exact.items()]
    words.append(
        f"积分合计 {format_number(total_exact)} → 第{reached}级"
        f"{_band_note(reached, grade, low, high)}"
    )
    return Grade(
        grade,
        f"第{grade}级 · 积分 {format_number(total_exact)}",
        "points",
        tuple(words),
        total_exact,
        exact,
    )


def _band_note(unclamped: int, grade: int, low: int, high: int) -> str:
    """Say so when the post's band moved the grade (", 限于本岗位 7–18 级 → 第18级")."""
    if grade == unclamped:
        return ""
    return f", 限于本岗位 {low}–{high} 级 → 第{grade}级"
