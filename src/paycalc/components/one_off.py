"""``one_off``: a one-off payment ``months_after`` an event (certificate obtained, award)."""

from __future__ import annotations

from decimal import Decimal

from paycalc.codes import label_of
from paycalc.components.base import PayContext, Rule
from paycalc.period import month_index
from paycalc.scheme.model import OneOff

__all__ = ["OneOffRule"]


class OneOffRule(Rule[OneOff]):
    prorated = False

    def amount(self, ctx: PayContext) -> tuple[Decimal, str] | None:
        spec = self.spec
        target = ctx.month.index
        total = Decimal(0)
        reasons = []
        if spec.event == "award":
            for award in ctx.worker.awards:
                if month_index(award.awarded_on) + spec.months_after == target:
                    amount = spec.amounts.get(award.level.value)
                    if amount:
                        total += amount
                        reasons.append(
                            f"{label_of(award.level)}表彰 {award.title} ({award.awarded_on})".replace(
                                "  ", " "
                            )
                        )
            return (total, "; ".join(reasons)) if reasons else None
        assert spec.qualification is not None
        held = [q for q in ctx.worker.qualifications if q.kind is spec.qualification]
        for qualification in held:
            if month_index(qualification.obtained_on) + spec.months_after != target:
                continue
            amount = spec.amounts.get(qualification.level.value, Decimal(0))
            reason = f"取得{label_of(qualification.level)}{label_of(qualification.kind)} ({qualification.obtained_on})"
            if spec.pay == "difference":
                # An upgrade pays only what the new level adds over the best one paid before.
                earlier = [
                    spec.amounts.get(q.level.value, Decimal(0))
                    for q in held
                    if q.obtained_on < qualification.obtained_on
                ]
                already_paid = max(earlier, default=Decimal(0))
                if already_paid:
                    reason += f" · 补差 {amount:,} − {already_paid:,}"
                amount = max(Decimal(0), amount - already_paid)
            if amount:
                total += amount
                reasons.append(reason)
        return (total, "; ".join(reasons)) if reasons else None
