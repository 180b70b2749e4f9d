"""What every pay rule shares: the month's facts, the scaled amount a rule returns, refusals.

A rule is written once, against :class:`MonthFacts` and its ``ops`` (see :mod:`paycalc.ops`):
evaluated on one worker it gives an explained slip line, on a roster's columns every row's
amount. A rule returns a :class:`Pay`: the full month's amount as a scaled integer, whether
it pays this month, and (for the columnar side) the rows it must refuse; the engine
prorates and rounds to the fen in one place (:meth:`MonthFacts.to_fen`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Generic, TypeVar

from paycalc.errors import Problem
from paycalc.money import format_number
from paycalc.ops import Ops, places, scaled
from paycalc.period import Month
from paycalc.scheme.model import Component
from paycalc.scheme.version import SchemeVersion

__all__ = ["Grade", "MonthFacts", "Pay", "Rule", "Scaled", "scale_table"]


@dataclass(frozen=True, slots=True)
class Scaled:
    """Decimal figures as integers at one scale: ``values[i] = figures[i] × 10**scale``."""

    values: tuple[int, ...]
    scale: int

    @classmethod
    def of(cls, figures: list[Decimal], at_least: int = 0) -> Scaled:
        scale = max(at_least, places(*figures)) if figures else at_least
        return cls(tuple(scaled(f, scale) for f in figures), scale)


def scale_table(figures: list[Decimal | None], at_least: int = 0) -> tuple[Scaled, list[bool]]:
    """A table with gaps: the figures scaled (0 where None) and which entries exist."""
    present = [f is not None for f in figures]
    table = Scaled.of([f if f is not None else Decimal(0) for f in figures], at_least)
    return table, present


@dataclass(frozen=True, slots=True)
class Grade:
    """The month's grade (0 = the scheme has no grades) and what the slip says of it."""

    value: Any
    #: for explanations (one worker): "第7级 · 计龄 14年", the derivation, the points
    basis: str = ""
    method: str = "none"
    steps: tuple[str, ...] = ()
    points: Decimal | None = None
    points_by_factor: dict[str, Decimal] = field(default_factory=dict)


@dataclass(slots=True)
class Pay:
    """A rule's answer: ``amount × 10**-scale`` yuan for a full month, where ``pays``."""

    amount: Any
    scale: int
    pays: Any = True
    #: rows the rule cannot pay (a gap in a table, a missing appraisal): refused
    refused: Any = False
    #: the amount is ``amount / divisor`` (a share of a year by days, …) before rounding
    divisor: Any = 1


@dataclass(slots=True)
class MonthFacts:
    """Everything a rule may look at for one month, worked out once (one worker or many)."""

    ops: Ops
    facts: Any  # WorkerFacts or Columns
    scheme: SchemeVersion
    month: Month
    first: int  # the month's first and last day, as ordinals
    last: int
    employed: Any
    full: Any  # employed the whole month
    post: Any  # index into the scheme's posts
    service_years: Any  # completed on the month's first day
    #: the share of the month paid to prorated lines: numerator / denominator (1/1: full)
    numerator: Any
    denominator: Any
    rounding: str
    grade: Grade = field(default_factory=lambda: Grade(0))
    #: line amounts so far, in fen, by code (for share_of, yearly ``of``, caps)
    amounts: dict[str, Any] = field(default_factory=dict)
    #: rows refused so far (columnar) — for one worker, the problems instead
    refused: Any = False
    problems: list[Problem] = field(default_factory=list)
    #: one worker, explained: what each rule looked at, for its basis text
    explain: bool = False
    trace: dict[str, Any] = field(default_factory=dict)
    #: "15/31天" for a part month (one worker)
    fraction_basis: str = ""

    @property
    def worker_source(self) -> str:
        return f"worker {self.facts.worker.id}" if self.explain else ""

    def refuse(self, rows: Any, location: str, message: Callable[[], str]) -> None:
        """Refuse ``rows``: one worker's problem (said when true), or columnar rows."""
        if self.ops.size == 1 and not hasattr(rows, "shape"):
            if rows:
                self.problems.append(Problem(self.worker_source, location, message()))
            return
        self.refused = self.ops.either(self.refused, rows)

    def to_fen(self, pay: Pay, prorated: bool) -> Any:
        """A rule's scaled amount, prorated if asked, rounded once to the fen."""
        ops = self.ops
        numerator, denominator = (self.numerator, self.denominator) if prorated else (1, 1)
        denominator = ops.mul(denominator, pay.divisor)
        amount = ops.mul(pay.amount, numerator)
        if pay.scale >= 2:
            denominator = ops.mul(denominator, 10 ** (pay.scale - 2))
        else:
            amount = ops.mul(amount, 10 ** (2 - pay.scale))
        return ops.round_div(amount, denominator, self.rounding)

    @property
    def post_label(self) -> str:
        return self.scheme.post(self.post_code).label

    @property
    def post_code(self) -> str:
        codes: list[str] = list(self.scheme.spec.posts)
        return codes[int(self.post)]

    @property
    def post_and_grade(self) -> str:
        if not self.grade.value:
            return self.post_label
        return f"{self.post_label} · {self.grade.basis}"


SpecT = TypeVar("SpecT", bound=Component)


class Rule(Generic[SpecT]):
    """A compiled component: :meth:`pay` on the month's facts, :meth:`basis` to explain.

    Subclasses set ``prorated`` (a part month pays the employed share) and implement
    :meth:`pay`; :meth:`basis` reads what :meth:`pay` left in ``facts.trace``.
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
        self.prorated = bool(getattr(spec, "prorate", self.prorated))
        self.post_codes = list(scheme.spec.posts)

    def pay(self, m: MonthFacts) -> Pay:
        raise NotImplementedError

    def basis(self, m: MonthFacts) -> str:
        raise NotImplementedError

    def note(self, m: MonthFacts, **values: Any) -> None:
        """Keep what the basis text needs (one worker, explained)."""
        if m.explain:
            m.trace[self.code] = values

    def traced(self, m: MonthFacts) -> dict[str, Any]:
        found: dict[str, Any] = m.trace.get(self.code, {})
        return found


def number(value: Decimal) -> str:
    """A plain number without exponent or trailing zeros, for bases (``1.3``)."""
    return format_number(value)
