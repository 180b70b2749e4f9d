"""``yearly``: paid once a year in a set month, scaled by the previous year's appraisal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from paycalc.codes import label_of
from paycalc.components.base import MonthFacts, Pay, Rule, Scaled
from paycalc.components.share_of import sum_of
from paycalc.facts import APPRAISALS, RESULT_NONE
from paycalc.scheme.model import Yearly
from paycalc.scheme.version import SchemeVersion

__all__ = ["YearlyRule", "employed_share_of_year"]


def employed_share_of_year(hired_on: date, year: int) -> tuple[int, int] | None:
    """(days employed, days) of ``year`` for a worker hired during it; None for a whole year.

    A yearly payment for a year the worker joined part-way is paid for the days employed
    in it: someone hired on 31 December is not paid a whole year's reward.
    """
    first, last = date(year, 1, 1), date(year, 12, 31)
    if hired_on <= first:
        return None
    return (last - hired_on).days + 1, (last - first).days + 1


class YearlyRule(Rule[Yearly]):
    prorated = False

    def __init__(self, spec: Yearly, scheme: SchemeVersion) -> None:
        super().__init__(spec, scheme)
        known = [spec.factors.get(result) for result in APPRAISALS]
        self.has_factor = (*(f is not None for f in known), False)
        factors = [f if f is not None else Decimal(0) for f in known] + [Decimal(0)]
        if spec.of:  # base (fen, from lines above) × multiplier × factor
            products = [spec.multiplier * f for f in factors]
            self.factors = Scaled.of(products)
            self.bases: Scaled | None = None
        else:  # a fixed amount, or one by post, × factor
            self.factors = Scaled.of(factors)
            if spec.amount is not None:
                figures = [spec.amount] * len(self.post_codes)
            else:
                amounts = spec.amounts or {}
                figures = [amounts.get(c, amounts.get("*", Decimal(0))) for c in self.post_codes]
            self.bases = Scaled.of(figures)

    def pay(self, m: MonthFacts) -> Pay:
        ops, spec, facts = m.ops, self.spec, m.facts
        if m.month.month != spec.month:
            return Pay(0, 0, pays=False)
        year = m.month.year - 1
        employed_then = facts.hired_year <= year
        result = facts.appraisal(year)
        missing = ops.both(employed_then, result == RESULT_NONE)
        if spec.missing_appraisal == "error":
            m.refuse(
                missing,
                f"appraisals.{year}",
                lambda: f"{spec.label} in {m.month} needs the {year} appraisal result",
            )
        pays = ops.both(employed_then, result != RESULT_NONE)
        no_factor = ops.both(pays, ops.negate(ops.take(ops.flags(self.has_factor), result)))
        factor = ops.take(ops.table(self.factors.values), result)
        if self.bases is None:
            base: Any = sum_of(m, spec.of)
            amount, scale = ops.mul(base, factor), self.factors.scale + 2
        else:
            base = ops.take(ops.table(self.bases.values), m.post)
            amount, scale = ops.mul(base, factor), self.factors.scale + self.bases.scale
        if spec.pro_rata == "days_employed":
            # hired during the appraised year: paid for the days employed in it
            first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
            part = ops.both(facts.hired > first, facts.hired <= last)
            days = ops.where(part, last - facts.hired + 1, 1)
            in_year = ops.where(part, last - first + 1, 1)
            amount = ops.mul(amount, days)
            # bring the denominator in by scaling the rest: amount / in_year at this scale
            self.note(m, year=year, result=result, base=base, days=days, in_year=in_year)
            return Pay(amount, scale, pays=pays, refused=no_factor, divisor=in_year)
        self.note(m, year=year, result=result, base=base, days=1, in_year=1)
        return Pay(amount, scale, pays=pays, refused=no_factor)

    def basis(self, m: MonthFacts) -> str:
        spec, held = self.spec, self.traced(m)
        result = APPRAISALS[held["result"]]
        factor = spec.factors[result]
        if spec.amount is not None:
            base_text = f"{spec.amount:,}"
        elif spec.amounts is not None:
            amount = spec.amounts.get(m.post_code, spec.amounts.get("*", Decimal(0)))
            base_text = f"{m.post_label} {amount:,}"
        else:
            base = Decimal(held["base"]).scaleb(-2) * spec.multiplier
            base_text = f"({' + '.join(spec.of)}) {base:,.2f}"
        basis = f"{held['year']}年度考核{label_of(result)} · {base_text} × {factor}"
        if held["in_year"] != 1:
            basis += f" × 在岗 {held['days']}/{held['in_year']}天"
        return basis
