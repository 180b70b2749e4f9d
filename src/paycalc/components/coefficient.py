"""``coefficient``: base × coefficient(post, grade) × share (本溪 3400 × 系数, 80% 按月)."""

from __future__ import annotations

import decimal
from decimal import Decimal

from paycalc.components.base import MonthFacts, Pay, Rule
from paycalc.components.by_grade import GradeTable
from paycalc.money import format_percent
from paycalc.scheme.model import Coefficient
from paycalc.scheme.version import SchemeVersion

__all__ = ["CoefficientRule"]


class CoefficientRule(Rule[Coefficient]):
    def __init__(self, spec: Coefficient, scheme: SchemeVersion) -> None:
        super().__init__(spec, scheme)
        coefficients = spec.coefficients

        def figure(post: str, grade: int) -> Decimal | None:
            row = coefficients.get(post, coefficients.get("*", {}))
            if grade not in row:
                return None
            with decimal.localcontext() as exact:  # a product of exact figures, kept exact
                exact.prec = 100
                return spec.base * row[grade] * spec.share

        self.grades = GradeTable(scheme, figure)

    def pay(self, m: MonthFacts) -> Pay:
        return self.grades.look_up(m)

    def basis(self, m: MonthFacts) -> str:
        spec = self.spec
        row = spec.coefficients.get(m.post_code, spec.coefficients.get("*", {}))
        basis = f"{m.post_and_grade} · {spec.base:,} × {row[m.grade.value]}"
        if spec.share != 1:
            basis += f" × {format_percent(spec.share)}"
        return basis
