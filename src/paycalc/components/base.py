"""What every component rule shares: the month's context and how a line is made."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Generic, TypeVar

from paycalc.grading import GradeResult
from paycalc.money import FEN
from paycalc.period import Month, ServiceTime
from paycalc.scheme.model import Component
from paycalc.scheme.version import SchemeVersion
from paycalc.slip import PayLine
from paycalc.worker import Worker

__all__ = ["PayContext", "Rule"]


@dataclass(slots=True)
class PayContext:
    """Everything a rule may look at for one worker and month, worked out once."""

    worker: Worker
    month: Month
    scheme: SchemeVersion
    post: str
    post_label: str
    grade: GradeResult
    service: ServiceTime
    #: share of the month employed, in [0, 1]
    fraction: Decimal
    #: how the fraction was reached, e.g. "15/31天"; empty for a full month
    fraction_basis: str
    rounding: str
    #: amounts of the lines computed so far, by code (for share_of, yearly, caps)
    amounts: dict[str, Decimal] = field(default_factory=dict)

    @property
    def post_and_grade(self) -> str:
        if self.grade.grade is None:
            return self.post_label
        return f"{self.post_label} · {self.grade.basis}"


SpecT = TypeVar("SpecT", bound=Component)


class Rule(Generic[SpecT]):
    """A compiled component. Subclasses implement :meth:`amount`.

    ``amount`` returns the full-month amount and its basis, or None when the rule pays
    nothing this month (not eligible, not the payment month).
    """

    prorated: bool = True

    def __init__(self, spec: SpecT, scheme: SchemeVersion) -> None:
        self.spec = spec
        self.scheme = scheme
        self.code = spec.code
        self.label = spec.label
        self.category = spec.category
        self.when = spec.when
        self.show_zero = spec.show_zero or scheme.spec.scheme.show_zero_lines
        self.prorated = bool(getattr(spec, "prorate", False))

    def amount(self, ctx: PayContext) -> tuple[Decimal, str] | None:
        raise NotImplementedError

    def line(self, ctx: PayContext) -> PayLine | None:
        """The slip line for this month, prorated and rounded, or None to leave it out."""
        result = self.amount(ctx)
        if result is None:
            return None
        full_amount, basis = result
        if self.prorated and ctx.fraction != 1:
            amount = (full_amount * ctx.fraction).quantize(FEN, rounding=ctx.rounding)
            basis = f"{basis} · {full_amount:,.2f} × {ctx.fraction_basis}"
        else:
            amount = full_amount.quantize(FEN, rounding=ctx.rounding)
        if amount == 0 and not self.show_zero:
            return None
        return PayLine(self.code, self.label, self.category, amount, basis)
