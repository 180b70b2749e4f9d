"""``by_grade``: a monthly amount by grade, from a table per post or start + step."""

from __future__ import annotations

from decimal import Decimal

from paycalc.components.base import PayContext, Rule
from paycalc.scheme.model import ByGrade

__all__ = ["ByGradeRule"]


class ByGradeRule(Rule[ByGrade]):
    def amount(self, ctx: PayContext) -> tuple[Decimal, str] | None:
        grade = ctx.grade.grade
        assert grade is not None  # schemes with by_grade components derive or require a grade
        spec = self.spec
        if spec.table is not None:
            row = spec.table.get(ctx.post, spec.table.get("*"))
            assert row is not None
            return row[grade], ctx.post_and_grade
        assert spec.start is not None and spec.step is not None
        steps = grade - spec.first_grade
        amount = spec.start + spec.step * steps
        return amount, f"{ctx.post_and_grade} · {spec.start:,} + {spec.step:,} × {steps}"
