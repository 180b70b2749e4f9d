"""The worker profile: the worker contract (docs/contracts.md) as a pydantic model.

Field names are English; coded values may be written as codes or as Chinese labels
(``"正职"``, ``"本科"``, ``"优秀"``, ``"中级"``, ``"市级"``). Unknown fields are rejected,
naming the field, because a typo in a worker file must never silently change a slip; so are
values of the wrong type (a grade ``"7"``, a date given as a number, ``"yes"`` for a
yes/no), so that ``paycalc schema worker`` says exactly what is accepted.
The post is checked later against the scheme that pays the worker, since posts are the
scheme's own vocabulary (a village scheme's 委员岗 is not a community scheme's post).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from paycalc._validation import (
    AppraisalCode,
    AwardCode,
    EducationCode,
    IsoDate,
    KindCode,
    LevelCode,
    WholeNumber,
    code_json_schema,
    money_json_schema,
    problems_from_validation_error,
    whole_number,
)
from paycalc.codes import Appraisal
from paycalc.errors import Problem, WorkerError
from paycalc.money import to_decimal

__all__ = [
    "Award",
    "InputValue",
    "Qualification",
    "TaxProfile",
    "Worker",
    "load_worker",
    "parse_worker",
]


def _money(value: object) -> Decimal:
    try:
        return to_decimal(value, what="amount")
    except TypeError as error:
        raise ValueError(str(error)) from None


def _input_value(value: object) -> str | bool | Decimal:
    """Scheme-declared inputs: a choice (text), a yes/no, or an exact number."""
    if isinstance(value, bool | str):
        return value
    return _money(value)


# Each type carries the JSON Schema of exactly what its validator accepts.
Money = Annotated[
    Decimal, BeforeValidator(_money), WithJsonSchema(money_json_schema(json_numbers="integer"))
]
InputValue = Annotated[
    str | bool | Decimal,
    BeforeValidator(_input_value),
    WithJsonSchema(
        {
            "type": ["string", "boolean", "integer"],
            "description": "a choice (text), yes/no (true/false), or a number",
        }
    ),
]
#: Text that must hold more than white space (it is trimmed).
Name = Annotated[str, Field(min_length=1, json_schema_extra={"pattern": r"\S"})]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Qualification(_Strict):
    """A social-work certificate or professional title, with the date it was obtained."""

    kind: KindCode
    level: LevelCode
    obtained_on: IsoDate


class Award(_Strict):
    """表彰奖励: an award by level and date."""

    level: AwardCode
    awarded_on: IsoDate
    title: str = ""


class TaxProfile(_Strict):
    """What the worker declared for income tax (个人所得税): 专项附加扣除 and the bonus method.

    The fields mirror :class:`paycalc.tax.SpecialDeductionClaims`; ``bonus_method`` says how
    the annual one-off bonus (全年一次性奖金) is taxed: ``"separate"`` (单独计税, while the
    policy is in force and once a tax year) or ``"combined"`` (并入当月工资).
    """

    children_in_education: WholeNumber = Field(default=0, ge=0)
    infants: WholeNumber = Field(default=0, ge=0)
    elderly_support: Literal["none", "only_child", "shared"] = "none"
    elderly_share: Money | None = None
    housing_loan: StrictBool = False
    housing_rent_tier: Literal[1, 2, 3] | None = None
    continuing_education_degree: StrictBool = False
    continuing_education_degree_start: IsoDate | None = None
    vocational_certificate_year: WholeNumber | None = None
    child_share: Money = Decimal(1)
    bonus_method: Literal["separate", "combined"] = "combined"


class Worker(_Strict):
    """One worker, as HR records them. See docs/worker-format.md for every field."""

    id: Name
    name: str = ""
    scheme: str | None = None
    post: Name
    # (the bound before the validator, so that the JSON Schema says minimum: 1)
    grade: Annotated[int, Field(ge=1), BeforeValidator(whole_number)] | None = None
    hired_on: IsoDate
    left_on: IsoDate | None = None
    in_establishment: StrictBool = False
    education: EducationCode | None = None
    qualifications: tuple[Qualification, ...] = ()
    appraisals: Annotated[
        dict[int, AppraisalCode],
        WithJsonSchema(
            {
                "type": "object",
                "propertyNames": {"pattern": "^\\s*[0-9]+\\s*$"},
                "additionalProperties": code_json_schema(Appraisal),
                "description": 'the result of each finished year, by year: {"2023": "称职"}',
            }
        ),
    ] = Field(default_factory=dict)
    awards: tuple[Award, ...] = ()
    #: Values for the extra inputs a scheme declares (``[inputs.<name>]``), by name.
    inputs: dict[str, InputValue] = Field(default_factory=dict)
    #: Declared monthly contribution base for social insurance (社保缴费基数), if any.
    contribution_base: Money | None = None
    #: Income tax declarations; the defaults claim no special deductions.
    tax: TaxProfile = Field(default_factory=TaxProfile)

    @field_validator("appraisals", mode="before")
    @classmethod
    def _appraisal_years(cls, value: object) -> object:
        if isinstance(value, dict):
            for year in value:
                if isinstance(year, str) and not year.strip().isdigit():
                    raise ValueError(f"appraisal years must be written as 2023, got {year!r}")
        return value

    @field_validator("appraisals", mode="after")
    @classmethod
    def _years_ended(
        cls, value: dict[int, Appraisal], info: ValidationInfo
    ) -> dict[int, Appraisal]:
        today = (info.context or {}).get("today") or date.today()
        for year in value:
            # An appraisal result exists only once the year has ended.
            if year >= today.year:
                raise ValueError(
                    f"{year} has not ended yet (today is {today}); "
                    "an appraisal can only be recorded for a finished year"
                )
        return value

    @model_validator(mode="after")
    def _dates_in_order(self) -> Worker:
        if self.left_on is not None and self.left_on < self.hired_on:
            raise ValueError(f"left_on {self.left_on} is before hired_on {self.hired_on}")
        return self

    def appraisal_for(self, year: int) -> Appraisal | None:
        return self.appraisals.get(year)


def parse_worker(
    data: dict[str, Any], *, source: str = "<worker>", today: date | None = None
) -> Worker:
    """Validate a worker mapping; raise :class:`WorkerError` listing every problem."""
    try:
        return Worker.model_validate(data, context={"today": today})
    except ValidationError as error:
        raise WorkerError(problems_from_validation_error(error, source)) from None


def load_worker(path: str | Path, *, today: date | None = None) -> Worker:
    """Read and validate one worker JSON file."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise WorkerError([Problem(str(path), "", f"cannot read file: {error.strerror}")]) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise WorkerError([Problem(str(path), "", f"not valid JSON: {error}")]) from None
    if not isinstance(data, dict):
        raise WorkerError([Problem(str(path), "", "expected a JSON object for one worker")])
    return parse_worker(data, source=str(path), today=today)
