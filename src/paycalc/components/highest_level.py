"""``highest_level``: a monthly subsidy by the highest level held, optionally time-limited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from paycalc.codes import label_of
from paycalc.components.base import MonthFacts, Pay, Rule, scale_table
from paycalc.facts import EDUCATIONS, LEVELS
from paycalc.scheme.model import HighestLevel
from paycalc.scheme.version import SchemeVersion
from paycalc.service import held_level

__all__ = ["HighestLevelRule"]


class HighestLevelRule(Rule[HighestLevel]):
    def __init__(self, spec: HighestLevel, scheme: SchemeVersion) -> None:
        super().__init__(spec, scheme)
        keys = EDUCATIONS if spec.source == "education" else LEVELS
        figures: list[Decimal | None] = [spec.amounts.get(key.value) for key in keys] + [None]
        self.table, self.paid_for = scale_table(figures)

    def pay(self, m: MonthFacts) -> Pay:
        ops, spec = m.ops, self.spec
        if spec.source == "education":
            education = m.facts.education
            return Pay(
                ops.take(ops.table(self.table.values), education),
                self.table.scale,
                pays=ops.take(ops.flags(self.paid_for), education),
            )
        assert spec.qualification is not None  # scheme checks
        # "next_month": a certificate obtained in March is paid from April (次月起).
        next_month = spec.starts == "next_month"
        cutoff = m.first if next_month else m.month.plus(1).first_day.toordinal()
        level, day = held_level(m, spec.qualification, cutoff)
        pays = ops.take(ops.flags(self.paid_for), level)
        paid_months = None
        if spec.duration_months is not None:
            first_paid = ops.month_index(day) + int(next_month)
            paid_months = m.month.index - first_paid + 1
            pays = ops.both(pays, paid_months <= spec.duration_months)
        self.note(m, level=level, day=day, paid_months=paid_months)
        return Pay(ops.take(ops.table(self.table.values), level), self.table.scale, pays=pays)

    def basis(self, m: MonthFacts) -> str:
        spec = self.spec
        if spec.source == "education":
            return label_of(EDUCATIONS[m.facts.education])
        assert spec.qualification is not None
        held = self.traced(m)
        obtained = date.fromordinal(held["day"]).isoformat()
        basis = f"{label_of(LEVELS[held['level']])}{label_of(spec.qualification)} ({obtained})"
        if spec.duration_months is not None:
            basis += f" · 第{held['paid_months']}/{spec.duration_months}个月"
        return basis
