"""``by_post``: a fixed monthly amount by post (生活补助 600 / 500)."""

from __future__ import annotations

from decimal import Decimal

from paycalc.components.base import PayContext, Rule
from paycalc.scheme.model import ByPost

__all__ = ["ByPostRule"]


class ByPostRule(Rule[ByPost]):
    def amount(self, ctx: PayContext) -> tuple[Decimal, str] | None:
        amount = self.spec.amounts.get(ctx.post, self.spec.default)
        assert amount is not None  # every post is covered, or a default is given (checked)
        return amount, ctx.post_label
