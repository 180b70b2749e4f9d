"""The reform file format: a small patch to a scheme family, from an effective month on.

A reform is data, like a scheme (TOML read with exact decimals, never evaluated)::

    [reform]
    id = "cap7800"
    title = "月薪酬上限 7540 → 7800"
    scheme = "kunming.community-worker"
    effective_from = "2026-01"

    [[scale]]                  # amounts × factor, rounded to round_to (the fen by default)
    factor = 1.03
    components = ["base_pay"]  # default: every amount of every component
    posts = ["chief"]          # default: every post

    [[set]]                    # one value, by key path (components and caps by their code)
    path = "caps.monthly_cap.limit"
    value = 7800

    [[add_component]]          # a component table as in a scheme file; ``after`` places it
    after = "performance"
    code = "living"
    ...

    remove_components = ["star_allowance"]

See docs/forecast.md ("Reforms") for every key.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from paycalc.period import Month

__all__ = ["ReformFile", "ReformHeader", "Scale", "SetValue"]

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _month(value: object) -> object:
    """A month as ``"2026-01"``, a date on the 1st, or a Month."""
    import datetime as dt

    if isinstance(value, Month):
        return value
    if isinstance(value, dt.date):
        if value.day != 1:
            raise ValueError(f"a reform takes effect on the 1st of a month, got {value}")
        return Month(value.year, value.month)
    if isinstance(value, str):
        try:
            return Month.parse(value.strip())
        except (ValueError, TypeError):
            raise ValueError(f"expected a month YYYY-MM, got {value!r}") from None
    raise ValueError(f"expected a month YYYY-MM, got {value!r}")


EffectiveMonth = Annotated[Month, BeforeValidator(_month)]


class ReformHeader(_Strict):
    """``[reform]``: what the reform is called, which family it patches and from when."""

    id: str = Field(pattern=_ID.pattern, max_length=40)
    title: str = Field(min_length=1)
    #: the scheme family it patches
    scheme: str = Field(min_length=1)
    effective_from: EffectiveMonth
    note: str = ""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


def _factor(value: object) -> Decimal:
    if isinstance(value, float | bool):
        raise ValueError("write the factor as an exact number (1.03), not a float")
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        raise ValueError(f"expected a number, got {value!r}") from None
    if not number.is_finite() or number <= 0:
        raise ValueError(f"must be a positive number, got {value}")
    return number


Factor = Annotated[Decimal, BeforeValidator(_factor)]


class Scale(_Strict):
    """``[[scale]]``: multiply amounts by ``factor``, each rounded half up to ``round_to``."""

    factor: Factor
    components: tuple[str, ...] | None = None
    posts: tuple[str, ...] | None = None
    round_to: Factor = Decimal("0.01")

    @field_validator("round_to")
    @classmethod
    def _power_of_ten(cls, value: Decimal) -> Decimal:
        if value not in {Decimal(10) ** k for k in range(-2, 4)}:
            raise ValueError("round_to is 0.01 (the fen), 0.1, 1 (the yuan), 10, 100 or 1000")
        return value


class SetValue(_Strict):
    """``[[set]]``: the value at ``path`` (``caps.monthly_cap.limit``,
    ``components.performance.table.chief.12``, ``grade.years_per_step``); a table entry that
    is not there yet is added."""

    path: str = Field(min_length=1)
    value: Any


class ReformFile(_Strict):
    """A whole reform file."""

    reform: ReformHeader
    scale: tuple[Scale, ...] = ()
    set: tuple[SetValue, ...] = ()
    add_component: tuple[dict[str, Any], ...] = ()
    remove_components: tuple[str, ...] = ()

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)
