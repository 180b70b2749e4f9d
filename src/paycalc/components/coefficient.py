"""``coefficient``: base × coefficient(post, grade) × share (本溪 3400 × 系数, 80% 按月)."""

from __future__ import annotations

from decimal import Decimal

from paycalc.components.base import PayContext, Rule
from paycalc.money import format_percent
from paycalc.scheme.model import Coefficient

__all__ = ["CoefficientRule"]


class CoefficientRule(Rule[Coefficient]):
    def amount(self, ctx: PayContext) -> tuple[Decimal, str] | None:
        grade = ctx.grade.grade
        assert grade is not None
        row = self.spec.coefficients.get(ctx.post, self.spec.coefficients.get("*"))
        assert row is not None
        coefficient = row[grade]
        share = self.spec.share
        basis = f"{ctx.post_and_grade} · {self.spec.base:,} × {coefficient}"
        if share != 1:
            basis += f" × {format_percent(share)}"
        return self.spec.base * coefficient * share, basis
