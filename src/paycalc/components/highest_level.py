"""``highest_level``: a monthly subsidy by the highest level held, optionally time-limited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from paycalc.codes import label_of
from paycalc.components.base import PayContext, Rule
from paycalc.period import month_index
from paycalc.scheme.model import HighestLevel
from paycalc.service import highest_qualification

__all__ = ["HighestLevelRule"]


class HighestLevelRule(Rule[HighestLevel]):
    def amount(self, ctx: PayContext) -> tuple[Decimal, str] | None:
        spec = self.spec
        if spec.source == "education":
            education = ctx.worker.education
            if education is None or education.value not in spec.amounts:
                return None
            return spec.amounts[education.value], label_of(education)
        assert spec.qualification is not None
        # "next_month": a certificate obtained in March is paid from April (次月起).
        cutoff = ctx.month.first_day if spec.starts == "next_month" else ctx.month.plus(1).first_day
        held = highest_qualification(ctx.worker, spec.qualification, cutoff)
        if held is None or held.level.value not in spec.amounts:
            return None
        first_paid = month_index(held.obtained_on) + (1 if spec.starts == "next_month" else 0)
        basis = f"{label_of(held.level)}{label_of(spec.qualification)} ({_date(held.obtained_on)})"
        if spec.duration_months is not None:
            paid_months = ctx.month.index - first_paid + 1
            if paid_months > spec.duration_months:
                return None
            basis += f" · 第{paid_months}/{spec.duration_months}个月"
        return spec.amounts[held.level.value], basis


def _date(day: date) -> str:
    return day.isoformat()
