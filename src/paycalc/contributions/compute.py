"""A month's 五险一金 lines from a table and a declared base."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final, Literal

from paycalc.contributions.table import ContributionTable
from paycalc.errors import InputError, Problem
from paycalc.money import to_decimal
from paycalc.ops import SCALAR, Ops, places, scaled, to_fen

__all__ = [
    "CONTRIBUTIONS_SOURCE",
    "ContributionAmounts",
    "ContributionLine",
    "contribution_amounts",
    "contributions_for",
    "refusal",
    "total",
]

#: ``Problem.source`` for errors about in-memory contribution input.
CONTRIBUTIONS_SOURCE: Final = "<contributions>"

Category = Literal["deduction", "employer"]


@dataclass(frozen=True, slots=True)
class ContributionLine:
    """One slip line, e.g. ``pension_employee 养老保险（个人） 425.60 基数 5,320.00 × 8%``.

    ``category`` is ``"deduction"`` for the employee's share (taken from pay) and
    ``"employer"`` for the employer's share (shown for information, not deducted).
    """

    code: str
    label: str
    category: Category
    amount: Decimal
    basis: str


def _percent(rate: Decimal) -> str:
    # 0.08 → "8", 0.005 → "0.5"; format "f" avoids "1E+1" for 10%.
    return f"{(rate * 100).normalize():f}"


@dataclass(frozen=True, slots=True)
class ContributionAmounts:
    """One line of a table for one worker or many: the amount in fen, the base it used."""

    code: str
    label: str
    category: Category
    rate: Decimal
    amount: Any  # fen
    base: Any  # the item's base, scaled by ``scale``
    scale: int


@dataclass(frozen=True, slots=True)
class _Share:
    """One side's share of an item, ready to multiply: the rate as an integer at its places."""

    code: str
    label: str
    category: Category
    rate: Decimal
    rate_scaled: int
    rate_places: int


@dataclass(frozen=True, slots=True)
class _Plan:
    """A table at one base scale: each item's [floor, cap] scaled, then its shares."""

    scale: int
    items: tuple[tuple[int, int, tuple[_Share, ...]], ...]


#: (id of table, declared scale) → (the table, its plan); the table is held so its id is not
#: reused while the entry lives. Tables are few (one per place and version loaded).
_plans: dict[tuple[int, int], tuple[ContributionTable, _Plan]] = {}


def _plan(table: ContributionTable, declared_scale: int) -> _Plan:
    key = (id(table), declared_scale)
    hit = _plans.get(key)
    if hit is not None and hit[0] is table:
        return hit[1]
    figures = [table.base.floor, table.base.cap]
    for item in table.items:
        figures += [f for f in (item.base_floor, item.base_cap) if f is not None]
    scale = max(declared_scale, places(*figures))
    items = []
    for item in table.items:
        floor, cap = table.limits_for(item)
        sides: tuple[tuple[Category, str, str, Decimal], ...] = (
            ("deduction", "employee", "个人", item.employee_rate),
            ("employer", "employer", "单位", item.employer_rate),
        )
        shares = tuple(
            _Share(
                f"{item.code}_{suffix}",
                f"{item.label}（{side}）",
                category,
                rate,
                scaled(rate, places(rate)),
                places(rate),
            )
            for category, suffix, side, rate in sides
            if rate  # a zero rate gives no line
        )
        items.append((scaled(floor, scale), scaled(cap, scale), shares))
    if len(_plans) >= 256:
        _plans.clear()
    plan = _Plan(scale, tuple(items))
    _plans[key] = (table, plan)
    return plan


def contribution_amounts(
    ops: Ops, table: ContributionTable, declared: Any, declared_scale: int, has_declared: Any
) -> list[ContributionAmounts]:
    """Every line of ``table`` (employee lines, then employer lines; zero rates give none).

    ``declared`` is the declared base scaled by ``10**declared_scale`` where ``has_declared``; each
    item's base is it clamped to that item's [floor, cap], or the floor where none is
    declared. Amounts are ``base × rate`` rounded to the fen with the table's rounding. The
    one place contributions are computed, for a slip or a roster's columns.
    """
    plan = _plan(table, declared_scale)
    scale = plan.scale
    declared = ops.mul(declared, 10 ** (scale - declared_scale))
    employee: list[ContributionAmounts] = []
    employer: list[ContributionAmounts] = []
    for low, high, shares in plan.items:
        base = ops.where(has_declared, ops.minimum(ops.maximum(declared, low), high), low)
        for share in shares:
            amount = to_fen(
                ops, ops.mul(base, share.rate_scaled), scale + share.rate_places, table.rounding
            )
            lines = employee if share.category == "deduction" else employer
            lines.append(
                ContributionAmounts(
                    share.code, share.label, share.category, share.rate, amount, base, scale
                )
            )
    return employee + employer


def refusal(table: ContributionTable, has_declared: bool) -> str | None:
    """Why no contribution can be worked out without a declared base (None: it can)."""
    if has_declared:
        return None
    if table.base.default == "previous_year_average":
        return (
            f"table {table.id} {table.version} bases contributions on the previous "
            "year's average wage: paycalc.payslip and payroll_year work it out; "
            "otherwise declare a base"
        )
    if table.base.default == "declared_required":
        return f"table {table.id} {table.version} needs a declared base (default is 'declared_required')"
    return None


def contributions_for(
    table: ContributionTable, declared_base: Decimal | int | str | None
) -> list[ContributionLine]:
    """Employee lines (in item order), then employer lines; zero-rate shares give no line.

    Each item's base is ``declared_base`` clamped to that item's [floor, cap]. With no
    declared base, the table's ``base.default`` decides: ``"floor"`` uses the floor,
    ``"declared_required"`` refuses, and so does ``"previous_year_average"`` (the engine,
    which can see the worker's earlier slips, passes that average as the declared base).
    Amounts are ``base × rate`` rounded to the fen with the table's rounding mode.
    """
    declared: Decimal | None = None
    if declared_base is not None:
        try:
            declared = to_decimal(declared_base, what="declared_base")
        except (TypeError, ValueError) as exc:
            raise InputError([Problem(CONTRIBUTIONS_SOURCE, "declared_base", str(exc))]) from None
        if declared < 0:
            raise InputError(
                [Problem(CONTRIBUTIONS_SOURCE, "declared_base", f"must be ≥ 0, got {declared}")]
            )
    why = refusal(table, declared is not None)
    if why is not None:
        raise InputError([Problem(CONTRIBUTIONS_SOURCE, "declared_base", why)])
    scale = places(declared) if declared is not None else 0
    found = contribution_amounts(
        SCALAR, table, scaled(declared, scale) if declared is not None else 0, scale,
        declared is not None,
    )  # fmt: skip
    return [
        ContributionLine(
            line.code,
            line.label,
            line.category,
            Decimal(line.amount).scaleb(-2),
            f"基数 {Decimal(line.base).scaleb(-line.scale):,.2f} × {_percent(line.rate)}%",
        )
        for line in found
    ]


def total(lines: Iterable[ContributionLine], category: Category) -> Decimal:
    """Sum of the lines of one category (``"deduction"``: what comes off the pay)."""
    return sum((line.amount for line in lines if line.category == category), Decimal("0.00"))
