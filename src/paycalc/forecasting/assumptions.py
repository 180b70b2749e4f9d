"""Forecast assumptions: future appraisals, attrition, new hires. See docs/forecast.md.

Read from TOML with exact decimals (``parse_float=Decimal``); every problem is reported
with its key path, like a scheme file's.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    model_validator,
)

from paycalc._validation import problems_from_validation_error
from paycalc.codes import Appraisal, parse_code
from paycalc.errors import InputError, Problem

__all__ = [
    "Assumptions",
    "PromotionAssumption",
    "Spread",
    "central",
    "load_assumptions",
    "parse_assumptions",
]

AppraisalCode = Annotated[Appraisal, BeforeValidator(lambda v: parse_code(Appraisal, v))]
Rate = Annotated[Decimal, Field(ge=0, le=1)]
Count = Annotated[Decimal, Field(ge=0, le=1_000_000)]


class Spread(BaseModel):
    """An uncertain figure: drawn once per replication (see docs/forecast.md).

    ``{ low = 0.04, high = 0.08 }`` uniform; ``{ low, mode, high }`` triangular;
    ``{ mean, sd }`` normal, cut to ``[low, high]`` when given (and to the figure's own
    range). Without replications, the forecast uses the central value: the mean.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    low: Decimal | None = None
    high: Decimal | None = None
    mode: Decimal | None = None
    mean: Decimal | None = None
    sd: Decimal | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_shape(self) -> Spread:
        if self.mean is not None or self.sd is not None:
            if self.mean is None or self.sd is None or self.mode is not None:
                raise ValueError("a normal spread is { mean, sd } (low and high optional)")
            if self.low is not None and self.high is not None and self.low > self.high:
                raise ValueError(f"low {self.low} is above high {self.high}")
            if (self.low is not None and self.mean < self.low) or (
                self.high is not None and self.mean > self.high
            ):
                raise ValueError("the mean must lie within [low, high]")
            return self
        if self.low is None or self.high is None:
            raise ValueError("give { low, high }, { low, mode, high } or { mean, sd }")
        if self.low > self.high:
            raise ValueError(f"low {self.low} is above high {self.high}")
        if self.mode is not None and not self.low <= self.mode <= self.high:
            raise ValueError(f"mode {self.mode} is outside [{self.low}, {self.high}]")
        return self

    @property
    def central(self) -> Decimal:
        """The mean of the distribution (the truncated normal's mean taken as ``mean``)."""
        if self.mean is not None:
            return self.mean
        assert self.low is not None and self.high is not None
        if self.mode is not None:
            return (self.low + self.mode + self.high) / 3
        return (self.low + self.high) / 2

    def within(self, least: Decimal, most: Decimal) -> list[str]:
        return [
            f"{name} {value} is outside [{least}, {most}]"
            for name, value in (
                ("low", self.low), ("high", self.high), ("mode", self.mode), ("mean", self.mean)
            )
            if value is not None and not least <= value <= most
        ]  # fmt: skip


def _figure(least: int, most: int) -> Any:
    def check(value: Decimal | Spread) -> Decimal | Spread:
        if isinstance(value, Spread):
            problems = value.within(Decimal(least), Decimal(most))
            if problems:
                raise ValueError("; ".join(problems))
        elif not least <= value <= most:
            raise ValueError(f"must be within [{least}, {most}], got {value}")
        return value

    return AfterValidator(check)


def _not_float(value: object) -> object:
    if isinstance(value, float):
        raise ValueError("write an exact number, not a float")
    return value


def _shape(value: object) -> str:
    return "spread" if isinstance(value, dict | Spread) else "number"


#: Either an exact number or a spread (tagged, so an error names only the one meant).
_Figure = Annotated[
    Annotated[Decimal, Tag("number")] | Annotated[Spread, Tag("spread")], Discriminator(_shape)
]
#: The tags pydantic puts in error locations; users never wrote them.
_TAGS = frozenset({"number", "spread"})
#: A rate in [0, 1], exact or a spread drawn per replication.
UncertainRate = Annotated[_Figure, BeforeValidator(_not_float), _figure(0, 1)]
#: A number of workers a month (fractions carry to the next month), exact or a spread.
UncertainCount = Annotated[_Figure, BeforeValidator(_not_float), _figure(0, 1_000_000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AppraisalAssumption(_Strict):
    """``[appraisals]``: the result of every appraisal the roster does not record yet.

    With ``concentration`` (replications), each replication draws its own shares from a
    Dirichlet distribution centred on ``distribution``: the larger, the closer to it.
    """

    result: AppraisalCode | None = None
    distribution: dict[AppraisalCode, Rate] | None = None
    concentration: Decimal | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _one_of(self) -> AppraisalAssumption:
        if (self.result is None) == (self.distribution is None):
            raise ValueError("give either result or distribution")
        if self.distribution is not None and sum(self.distribution.values()) != 1:
            raise ValueError(
                f"the distribution's shares add up to {sum(self.distribution.values())}, not 1"
            )
        if self.concentration is not None and self.distribution is None:
            raise ValueError("concentration spreads a distribution: give one")
        return self


class AttritionAssumption(_Strict):
    """``[attrition]``: the share of workers who leave, per month or per year (÷ 12)."""

    monthly_rate: UncertainRate | None = None
    annual_rate: UncertainRate | None = None

    @model_validator(mode="after")
    def _one_of(self) -> AttritionAssumption:
        if self.monthly_rate is not None and self.annual_rate is not None:
            raise ValueError("give monthly_rate or annual_rate, not both")
        return self

    @property
    def per_month(self) -> Decimal:
        """The monthly rate at its central value."""
        return self.monthly(lambda figure: central(figure))

    def monthly(self, value: Any) -> Decimal:
        """The monthly rate, ``value`` turning each figure into a number."""
        if self.monthly_rate is not None:
            found: Decimal = value(self.monthly_rate)
            return found
        if self.annual_rate is None:
            return Decimal(0)
        annual: Decimal = value(self.annual_rate)
        return annual / 12


class HiringAssumption(_Strict):
    """``[hiring]``: ``per_month`` new workers, each a copy of ``template``, hired on the 1st.

    ``columns`` gives the new hires' values of roster columns (for ``by``): one value, or
    shares adding up to 1 (the month's hires are split by them, fractions carried).
    """

    per_month: UncertainCount = Decimal(0)
    template: dict[str, Any] = Field(default_factory=dict)
    columns: dict[str, str | dict[str, Rate]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _shares(self) -> HiringAssumption:
        for name, value in self.columns.items():
            if isinstance(value, dict) and sum(value.values()) != 1:
                raise ValueError(f"columns.{name}: the shares add up to {sum(value.values())}, not 1")
        return self


class PromotionAssumption(_Strict):
    """``[[promotions]]``: a share of the workers of post ``from`` move to post ``to`` each
    year on the 1st of ``month`` (posts as the roster writes them, or their codes)."""

    from_post: str = Field(alias="from", min_length=1)
    to_post: str = Field(alias="to", min_length=1)
    annual_rate: UncertainRate
    month: int = Field(default=1, ge=1, le=12)


def central(figure: Decimal | Spread) -> Decimal:
    """A figure's central value (itself, or a spread's mean)."""
    return figure.central if isinstance(figure, Spread) else figure


class Assumptions(_Strict):
    """Everything a forecast assumes beyond the roster and the schemes."""

    seed: int = 0
    appraisals: AppraisalAssumption = AppraisalAssumption(result=Appraisal.competent)
    attrition: AttritionAssumption = AttritionAssumption()
    hiring: HiringAssumption = HiringAssumption()
    promotions: tuple[PromotionAssumption, ...] = ()
    #: "keep" holds a roster's given grades; "derive" drops them where the scheme derives
    #: grades, so they advance with service and points.
    given_grades: Literal["keep", "derive"] = "keep"


def parse_assumptions(data: dict[str, Any], *, source: str = "<assumptions>") -> Assumptions:
    try:
        return Assumptions.model_validate(data)
    except ValidationError as error:
        raise InputError(problems_from_validation_error(error, source, skip=_TAGS)) from None


def load_assumptions(path: str | Path) -> Assumptions:
    """Read an assumptions TOML file; raise :class:`InputError` listing every problem."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except OSError as error:
        raise InputError([Problem(str(path), "", f"cannot read file: {error.strerror}")]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise InputError([Problem(str(path), "", f"not valid TOML: {error}")]) from None
    return parse_assumptions(data, source=str(path))
