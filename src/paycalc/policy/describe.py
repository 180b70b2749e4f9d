"""Scheme entries in words a policy owner reads: "正职 第7级", "初级 100 / 中级 150"."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from paycalc.codes import LABELS, Appraisal, AwardLevel, Education, Level, QualificationKind
from paycalc.money import format_number
from paycalc.scheme.model import (
    ByGrade,
    ByInput,
    ByPost,
    Coefficient,
    Component,
    HighestLevel,
    InputRate,
    OneOff,
    Seniority,
    ShareOf,
    Yearly,
)
from paycalc.scheme.version import SchemeVersion

__all__ = ["code_label", "grade_amounts", "rule_summary"]

_ENUMS: tuple[type[StrEnum], ...] = (Education, Appraisal, Level, QualificationKind, AwardLevel)


def code_label(scheme: SchemeVersion | None, key: str) -> str:
    """The Chinese label of a post code or a vocabulary code; the key itself otherwise."""
    if scheme is not None and key in scheme.spec.posts:
        return scheme.spec.posts[key].label
    for enum in _ENUMS:
        for member in enum:
            if member.value == key:
                return LABELS[member][0]
    return "所有岗位" if key == "*" else key


def _money(value: Decimal) -> str:
    return format_number(value)


def _by(scheme: SchemeVersion, amounts: dict[str, Decimal]) -> str:
    return " / ".join(
        f"{code_label(scheme, key)} {_money(value)}" for key, value in amounts.items()
    )


def grade_amounts(
    scheme: SchemeVersion, component: ByGrade | Coefficient
) -> dict[tuple[str, int], Decimal]:
    """Every (post, grade) → amount (or coefficient) a grade component defines."""
    result: dict[tuple[str, int], Decimal] = {}
    for post, spec in scheme.spec.posts.items():
        if spec.grades is None:
            continue
        for grade in range(spec.grades[0], spec.grades[1] + 1):
            if isinstance(component, Coefficient):
                row = component.coefficients.get(post, component.coefficients.get("*", {}))
                if grade in row:
                    result[(post, grade)] = component.base * row[grade] * component.share
            elif component.table is not None:
                table_row = component.table.get(post, component.table.get("*", {}))
                if grade in table_row:
                    result[(post, grade)] = table_row[grade]
            elif component.start is not None and component.step is not None:
                result[(post, grade)] = component.start + component.step * (
                    grade - component.first_grade
                )
    return result


def rule_summary(scheme: SchemeVersion, component: Component) -> str:
    """One line saying what a component pays, with its figures."""
    match component:
        case ByPost():
            text = _by(scheme, dict(component.amounts))
            return text + (
                f" / 其他 {_money(component.default)}" if component.default is not None else ""
            )
        case ByGrade() if (
            component.table is None and component.start is not None and component.step is not None
        ):
            return f"第{component.first_grade}级 {_money(component.start)}, 每级加 {_money(component.step)}"
        case ByGrade() | Coefficient():
            amounts = grade_amounts(scheme, component)
            lowest, highest = min(amounts.values()), max(amounts.values())
            return f"按岗位与等级, 每月 {_money(lowest)}–{_money(highest)}"
        case Seniority():
            what = "考核合格年数" if component.counting == "passed_years" else "工作年限"
            cap = f", 最多 {component.max_years} 年" if component.max_years else ""
            return f"{what} × {_money(component.per_year)}{cap}"
        case HighestLevel():
            limit = f", 发放 {component.duration_months} 个月" if component.duration_months else ""
            return _by(scheme, dict(component.amounts)) + limit
        case OneOff():
            return f"事件后第 {component.months_after} 个月一次性发放: " + _by(
                scheme, dict(component.amounts)
            )
        case Yearly():
            factors = " / ".join(
                f"{code_label(scheme, k)} × {format_number(v)}"
                for k, v in component.factors.items()
            )
            return f"每年 {component.month} 月按上年度考核: {factors}"
        case ShareOf():
            return f"({' + '.join(component.of)}) × {format_number(component.share * 100)}%"
        case ByInput():
            return _by(scheme, dict(component.amounts))
        case InputRate():
            cap = f", 上限 {_money(component.max)}" if component.max is not None else ""
            return f"{component.input} × {format_number(component.rate * 100)}%{cap}"
    return component.kind  # pragma: no cover - every kind is matched above
