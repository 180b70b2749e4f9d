"""``by_grade``: a monthly amount by grade, from a table per post or start + step."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from paycalc.components.base import MonthFacts, Pay, Rule, Scaled
from paycalc.scheme.model import ByGrade
from paycalc.scheme.version import SchemeVersion

__all__ = ["ByGradeRule", "GradeTable"]


class GradeTable:
    """Figures by (post, grade), flattened: index ``post × width + grade``; gaps marked."""

    def __init__(
        self, scheme: SchemeVersion, figure: Callable[[str, int], Decimal | None]
    ) -> None:
        posts = list(scheme.spec.posts)
        self.width = max(((scheme.post(p).grades or (0, 0))[1] for p in posts), default=0) + 1
        figures: list[Decimal] = []
        present: list[bool] = []
        for post in posts:
            for grade in range(self.width):
                value = figure(post, grade)
                present.append(value is not None)
                figures.append(value if value is not None else Decimal(0))
        self.table = Scaled.of(figures)
        self.present = tuple(present)

    def look_up(self, m: MonthFacts) -> Pay:
        ops = m.ops
        grade = ops.minimum(ops.maximum(m.grade.value, 0), self.width - 1)
        index = m.post * self.width + grade
        known = ops.both(ops.take(ops.flags(self.present), index), m.grade.value < self.width)
        amount = ops.take(ops.table(self.table.values), index)
        return Pay(amount, self.table.scale, refused=ops.negate(known))


def _row(table: dict[str, dict[int, Decimal]], post: str) -> dict[int, Decimal]:
    return table.get(post, table.get("*", {}))


class ByGradeRule(Rule[ByGrade]):
    def __init__(self, spec: ByGrade, scheme: SchemeVersion) -> None:
        super().__init__(spec, scheme)
        self.grades: GradeTable | None = None
        if spec.table is not None:
            table = spec.table
            self.grades = GradeTable(scheme, lambda post, grade: _row(table, post).get(grade))
        else:
            assert spec.start is not None and spec.step is not None  # scheme checks
            self.formula = Scaled.of([spec.start, spec.step])

    def pay(self, m: MonthFacts) -> Pay:
        if self.grades is not None:
            return self.grades.look_up(m)
        start, step = self.formula.values
        steps = m.grade.value - self.spec.first_grade
        return Pay(start + m.ops.mul(steps, step), self.formula.scale)

    def basis(self, m: MonthFacts) -> str:
        spec = self.spec
        if spec.table is not None:
            return m.post_and_grade
        steps = m.grade.value - spec.first_grade
        return f"{m.post_and_grade} · {spec.start:,} + {spec.step:,} × {steps}"

