"""``by_post``: a fixed monthly amount by post (生活补助 600 / 500)."""

from __future__ import annotations

from paycalc.components.base import MonthFacts, Pay, Rule, Scaled
from paycalc.scheme.model import ByPost
from paycalc.scheme.version import SchemeVersion

__all__ = ["ByPostRule"]


class ByPostRule(Rule[ByPost]):
    def __init__(self, spec: ByPost, scheme: SchemeVersion) -> None:
        super().__init__(spec, scheme)
        # every post is covered, or a default is given (scheme checks)
        figures = [spec.amounts.get(code, spec.default) for code in self.post_codes]
        self.table = Scaled.of([f for f in figures if f is not None])

    def pay(self, m: MonthFacts) -> Pay:
        return Pay(m.ops.take(m.ops.table(self.table.values), m.post), self.table.scale)

    def basis(self, m: MonthFacts) -> str:
        return m.post_label
