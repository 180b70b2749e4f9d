"""``yearly``: paid once a year in a set month, scaled by the previous year's appraisal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from paycalc.codes import label_of
from paycalc.components.base import PayContext, Rule
from paycalc.errors import Problem, WorkerError
from paycalc.scheme.model import Yearly

__all__ = ["YearlyRule", "employed_share_of_year"]


class YearlyRule(Rule[Yearly]):
    prorated = False

    def amount(self, ctx: PayContext) -> tuple[Decimal, str] | None:
        spec = self.spec
        if ctx.month.month != spec.month:
            return None
        year = ctx.month.year - 1
        if ctx.worker.hired_on.year > year:
            return None  # not employed in the appraised year
        result = ctx.worker.appraisal_for(year)
        if result is None:
            if spec.missing_appraisal == "skip":
                return None
            raise WorkerError(
                [
                    Problem(
                        f"worker {ctx.worker.id}",
                        f"appraisals.{year}",
                        f"{spec.label} in {ctx.month} needs the {year} appraisal result",
                    )
                ]
            )
        factor = spec.factors[result]
        if spec.amount is not None:
            base, base_text = spec.amount, f"{spec.amount:,}"
        elif spec.amounts is not None:
            base = spec.amounts.get(ctx.post, spec.amounts.get("*", Decimal(0)))
            base_text = f"{ctx.post_label} {base:,}"
        else:
            base = (
                sum((ctx.amounts.get(code, Decimal(0)) for code in spec.of), Decimal(0))
                * spec.multiplier
            )
            base_text = f"({' + '.join(spec.of)}) {base:,.2f}"
        amount = base * factor
        basis = f"{year}年度考核{label_of(result)} · {base_text} × {factor}"
        share = employed_share_of_year(ctx.worker.hired_on, year)
        if spec.pro_rata == "days_employed" and share is not None:
            days, in_year = share
            amount = amount * days / in_year
            basis += f" × 在岗 {days}/{in_year}天"
        return amount, basis


def employed_share_of_year(hired_on: date, year: int) -> tuple[int, int] | None:
    """(days employed, days) of ``year`` for a worker hired during it; None for a whole year.

    A yearly payment for a year the worker joined part-way is paid for the days employed
    in it: someone hired on 31 December is not paid a whole year's reward.
    """
    first, last = date(year, 1, 1), date(year, 12, 31)
    if hired_on <= first:
        return None
    return (last - hired_on).days + 1, (last - first).days + 1
