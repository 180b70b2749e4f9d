"""``share_of``: a share of lines computed above it (绩效 = 20% of the total)."""

from __future__ import annotations

from decimal import Decimal

from paycalc.components.base import PayContext, Rule
from paycalc.money import format_percent
from paycalc.scheme.model import ShareOf

__all__ = ["ShareOfRule"]


class ShareOfRule(Rule[ShareOf]):
    # The lines it takes a share of are already prorated.
    prorated = False

    def amount(self, ctx: PayContext) -> tuple[Decimal, str] | None:
        base = sum((ctx.amounts.get(code, Decimal(0)) for code in self.spec.of), Decimal(0))
        return (
            base * self.spec.share,
            f"({' + '.join(self.spec.of)}) {base:,.2f} × {format_percent(self.spec.share)}",
        )
