"""``by_input`` and ``input_rate``: amounts driven by an input the scheme declares."""

from __future__ import annotations

from decimal import Decimal

from paycalc.components.base import PayContext, Rule
from paycalc.money import format_percent, to_decimal
from paycalc.scheme.model import ByInput, InputRate

__all__ = ["ByInputRule", "InputRateRule"]


class ByInputRule(Rule[ByInput]):
    def amount(self, ctx: PayContext) -> tuple[Decimal, str] | None:
        value = str(ctx.worker.inputs[self.spec.input])
        label = ctx.scheme.spec.inputs[self.spec.input].label
        return self.spec.amounts[value], f"{label}: {value}"


class InputRateRule(Rule[InputRate]):
    def amount(self, ctx: PayContext) -> tuple[Decimal, str] | None:
        # Checked against the declared type: a number, or text that reads as one.
        value = to_decimal(ctx.worker.inputs[self.spec.input], what=self.spec.input)
        label = ctx.scheme.spec.inputs[self.spec.input].label
        amount = max(Decimal(0), value) * self.spec.rate
        basis = f"{label} {value:,} × {format_percent(self.spec.rate)}"
        if self.spec.max is not None and amount > self.spec.max:
            amount = self.spec.max
            basis += f", 上限 {self.spec.max:,}"
        return amount, basis
