"""``one_off``: a one-off payment ``months_after`` an event (certificate obtained, award)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from paycalc.codes import label_of
from paycalc.components.base import MonthFacts, Pay, Rule, Scaled
from paycalc.facts import AWARD_LEVELS, KINDS, LEVELS
from paycalc.ops import NEVER
from paycalc.scheme.model import OneOff
from paycalc.scheme.version import SchemeVersion

__all__ = ["OneOffRule"]


class OneOffRule(Rule[OneOff]):
    prorated = False

    def __init__(self, spec: OneOff, scheme: SchemeVersion) -> None:
        super().__init__(spec, scheme)
        keys = AWARD_LEVELS if spec.event == "award" else LEVELS
        figures = [spec.amounts.get(key.value, Decimal(0)) for key in keys] + [Decimal(0)]
        self.table = Scaled.of(figures)
        #: the figures as the scheme file writes them, for the basis ("补差 2,000 − 1,000")
        self.written = dict(zip(self.table.values, figures, strict=True))

    def pay(self, m: MonthFacts) -> Pay:
        ops = m.ops
        target = m.month.index - self.spec.months_after
        amounts = self.table.values
        total: Any = 0
        pays: Any = False
        events: list[tuple[Any, Any, Any]] = []  # (level, day, amount) paid, for the basis
        if self.spec.event == "award":
            table = ops.table(amounts)
            for level, day in m.facts.award_slots:
                paid = ops.where(ops.month_index(day) == target, ops.take(table, level), 0)
                total = total + paid
                pays = ops.either(pays, paid != 0)
                events.append((level, day, paid))
        else:
            assert self.spec.qualification is not None  # scheme checks
            first = m.facts.qualified[KINDS.index(self.spec.qualification)]
            for index in range(len(LEVELS)):
                hit = ops.both(first[index] != NEVER, ops.month_index(first[index]) == target)
                value: Any = amounts[index]
                already: Any = 0
                if self.spec.pay == "difference":
                    # an upgrade pays only what it adds over the best level obtained before
                    for other in range(len(LEVELS)):
                        earlier = first[other] < first[index]
                        already = ops.maximum(already, ops.where(earlier, amounts[other], 0))
                    value = ops.maximum(value - already, 0)
                value = ops.where(hit, value, 0)
                total = total + value
                pays = ops.either(pays, value != 0)
                events.append((index, first[index], (value, already)))
        self.note(m, events=events)
        return Pay(total, self.table.scale, pays=pays)

    def basis(self, m: MonthFacts) -> str:
        spec = self.spec
        reasons = []
        for level, day, paid in self.traced(m)["events"]:
            if spec.event == "award":
                if not paid:
                    continue
                award = next(
                    a
                    for a in m.facts.worker.awards
                    if a.awarded_on.toordinal() == day and AWARD_LEVELS.index(a.level) == level
                )
                reason = f"{label_of(award.level)}表彰 {award.title} ({award.awarded_on})"
                reasons.append(reason.replace("  ", " "))
                continue
            value, already = paid
            if not value:
                continue
            assert spec.qualification is not None
            reason = (
                f"取得{label_of(LEVELS[level])}{label_of(spec.qualification)} "
                f"({date.fromordinal(day)})"
            )
            if spec.pay == "difference" and already:
                full = self.written[self.table.values[level]]
                reason += f" · 补差 {full:,} − {self.written[already]:,}"
            reasons.append(reason)
        return "; ".join(reasons)
