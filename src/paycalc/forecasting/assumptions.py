"""Forecast assumptions: future appraisals, attrition, new hires. See docs/forecast.md.

Read from TOML with exact decimals (``parse_float=Decimal``); every problem is reported
with its key path, like a scheme file's.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from paycalc._validation import problems_from_validation_error
from paycalc.codes import Appraisal, parse_code
from paycalc.errors import InputError, Problem
from paycalc.limits import MAX_ROWS
from paycalc.tomltext import loads_toml

__all__ = ["Assumptions", "load_assumptions", "parse_assumptions"]

AppraisalCode = Annotated[Appraisal, BeforeValidator(lambda v: parse_code(Appraisal, v))]


Rate = Annotated[Decimal, Field(ge=0, le=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AppraisalAssumption(_Strict):
    """``[appraisals]``: the result of every appraisal the roster does not record yet."""

    result: AppraisalCode | None = None
    distribution: dict[AppraisalCode, Rate] | None = None

    @model_validator(mode="after")
    def _one_of(self) -> AppraisalAssumption:
        if (self.result is None) == (self.distribution is None):
            raise ValueError("give either result or distribution")
        if self.distribution is not None and sum(self.distribution.values()) != 1:
            raise ValueError(
                f"the distribution's shares add up to {sum(self.distribution.values())}, not 1"
            )
        return self


class AttritionAssumption(_Strict):
    """``[attrition]``: the share of workers who leave, per month or per year (÷ 12)."""

    monthly_rate: Rate | None = None
    annual_rate: Rate | None = None

    @model_validator(mode="after")
    def _one_of(self) -> AttritionAssumption:
        if self.monthly_rate is not None and self.annual_rate is not None:
            raise ValueError("give monthly_rate or annual_rate, not both")
        return self

    @property
    def per_month(self) -> Decimal:
        if self.monthly_rate is not None:
            return self.monthly_rate
        return (self.annual_rate or Decimal(0)) / 12


class HiringAssumption(_Strict):
    """``[hiring]``: ``per_month`` new workers, each a copy of ``template``, hired on the 1st."""

    #: bounded as a roster is (a trillion hires a month ran out of memory)
    per_month: int = Field(default=0, ge=0, le=MAX_ROWS)
    template: dict[str, Any] = Field(default_factory=dict)


class Assumptions(_Strict):
    """Everything a forecast assumes beyond the roster and the schemes."""

    seed: int = 0
    appraisals: AppraisalAssumption = AppraisalAssumption(result=Appraisal.competent)
    attrition: AttritionAssumption = AttritionAssumption()
    hiring: HiringAssumption = HiringAssumption()
    #: "keep" holds a roster's given grades; "derive" drops them where the scheme derives
    #: grades, so they advance with service and points.
    given_grades: Literal["keep", "derive"] = "keep"


def parse_assumptions(data: dict[str, Any], *, source: str = "<assumptions>") -> Assumptions:
    try:
        return Assumptions.model_validate(data)
    except ValidationError as error:
        raise InputError(problems_from_validation_error(error, source)) from None


def load_assumptions(path: str | Path) -> Assumptions:
    """Read an assumptions TOML file; raise :class:`InputError` listing every problem."""
    path = Path(path)
    try:
        data = loads_toml(path.read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise InputError([Problem(str(path), "", f"cannot read file: {error.strerror}")]) from None
    except UnicodeDecodeError:
        raise InputError([Problem(str(path), "", "not UTF-8 text")]) from None
    except ValueError as error:
        raise InputError([Problem(str(path), "", str(error))]) from None
    return parse_assumptions(data, source=str(path))
