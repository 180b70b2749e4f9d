"""``share_of``: a share of lines computed above it (绩效 = 20% of the total)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from paycalc.components.base import MonthFacts, Pay, Rule, Scaled
from paycalc.money import format_percent
from paycalc.scheme.model import ShareOf
from paycalc.scheme.version import SchemeVersion

__all__ = ["ShareOfRule", "sum_of"]


def sum_of(m: MonthFacts, codes: tuple[str, ...]) -> Any:
    """The fen total of the lines computed so far with these codes (0 for absent ones)."""
    total: Any = 0
    for code in codes:
        total = total + m.amounts.get(code, 0)
    return total


class ShareOfRule(Rule[ShareOf]):
    # The lines it takes a share of are already prorated.
    prorated = False

    def __init__(self, spec: ShareOf, scheme: SchemeVersion) -> None:
        super().__init__(spec, scheme)
        self.share = Scaled.of([spec.share])

    def pay(self, m: MonthFacts) -> Pay:
        base = sum_of(m, self.spec.of)  # fen: the amount is base × share at scale + 2
        self.note(m, base=base)
        return Pay(m.ops.mul(base, self.share.values[0]), self.share.scale + 2)

    def basis(self, m: MonthFacts) -> str:
        base = Decimal(self.traced(m)["base"]).scaleb(-2)
        return f"({' + '.join(self.spec.of)}) {base:,.2f} × {format_percent(self.spec.share)}"
