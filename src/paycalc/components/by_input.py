"""``by_input`` and ``input_rate``: amounts driven by an input the scheme declares."""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Any

from paycalc.components.base import MonthFacts, Pay, Rule, scale_table
from paycalc.money import format_percent, to_decimal
from paycalc.ops import places, scaled
from paycalc.scheme.model import ByInput, InputRate
from paycalc.scheme.version import SchemeVersion

__all__ = ["ByInputRule", "InputRateRule"]


class ByInputRule(Rule[ByInput]):
    def __init__(self, spec: ByInput, scheme: SchemeVersion) -> None:
        super().__init__(spec, scheme)
        self.choices = list(spec.amounts)
        self.table, _ = scale_table(list(spec.amounts.values()))

    def pay(self, m: MonthFacts) -> Pay:
        # The input was checked against its declared choices (an unknown value is refused).
        def index(value: Any) -> int:
            text = str(value)
            return self.choices.index(text) if text in self.choices else 0

        position = m.facts.lookup(f"input:{self.spec.input}", index)
        return Pay(m.ops.take(m.ops.table(self.table.values), position), self.table.scale)

    def basis(self, m: MonthFacts) -> str:
        value = m.facts.worker.inputs[self.spec.input]
        label = self.scheme.spec.inputs[self.spec.input].label
        return f"{label}: {value}"


class InputRateRule(Rule[InputRate]):
    """A rate applied to a declared number input (集体经济创收 × 奖励比例), optionally capped.

    The amount depends on the input's value alone: worked out once per distinct value.
    """

    def __init__(self, spec: InputRate, scheme: SchemeVersion) -> None:
        super().__init__(spec, scheme)
        figures = [spec.rate] + ([spec.max] if spec.max is not None else [])
        self.scale = places(*figures) + 20  # inputs have at most 20 places (paycalc.money)

    def uncapped(self, value: Any) -> Decimal:
        number = to_decimal(value, what=self.spec.input) if value is not None else Decimal(0)
        with decimal.localcontext() as exact:  # a product of exact figures, kept exact
            exact.prec = 100
            return max(Decimal(0), number) * self.spec.rate

    def amount_of(self, value: Any) -> Decimal:
        amount = self.uncapped(value)
        if self.spec.max is not None and amount > self.spec.max:
            return self.spec.max
        return amount

    def pay(self, m: MonthFacts) -> Pay:
        # Checked against the declared type already: a number, or text that reads as one.
        amount = m.facts.lookup(
            f"input:{self.spec.input}", lambda value: scaled(self.amount_of(value), self.scale)
        )
        return Pay(amount, self.scale)

    def basis(self, m: MonthFacts) -> str:
        raw = m.facts.worker.inputs[self.spec.input]
        value = to_decimal(raw, what=self.spec.input)
        label = self.scheme.spec.inputs[self.spec.input].label
        basis = f"{label} {value:,} × {format_percent(self.spec.rate)}"
        if self.spec.max is not None and self.uncapped(raw) > self.spec.max:
            basis += f", 上限 {self.spec.max:,}"
        return basis
