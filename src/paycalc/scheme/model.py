"""The scheme file format, as pydantic models (see docs/scheme-format.md for every key).

These models check the *shape* of a scheme file: known keys only, the right types, no
negative amounts, no floats. Checks that relate one part of a file to another (every grade
of every post has an amount, references point at earlier components, ...) live in
:mod:`paycalc.scheme.checks`, as small functions that each return problems.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    JsonValue,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from paycalc._validation import (
    AppraisalCode,
    AwardCode,
    EducationCode,
    KindCode,
    LevelCode,
    coded_keys,
    money_json_schema,
    unique_codes,
)
from paycalc.codes import Appraisal, AwardLevel, Education, Level, QualificationKind
from paycalc.money import ROUNDING_MODES, to_decimal
from paycalc.period import plausible_date

__all__ = [
    "ByGrade",
    "ByInput",
    "ByPost",
    "Cap",
    "Coefficient",
    "Component",
    "ComponentKind",
    "Condition",
    "GradeRule",
    "HighestLevel",
    "InputRate",
    "InputSpec",
    "OneOff",
    "PointsRule",
    "PostSpec",
    "SchemeFile",
    "SchemeHeader",
    "Seniority",
    "ShareOf",
    "Source",
    "Status",
    "Threshold",
    "Yearly",
]

_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_ROUNDING_NAMES: list[JsonValue] = [*sorted(ROUNDING_MODES)]


def _non_negative(value: object) -> Decimal:
    try:
        number = to_decimal(value, what="value")
    except TypeError as error:
        raise ValueError(str(error).removeprefix("value: ")) from None
    if number < 0:
        raise ValueError(f"must not be negative, got {number}")
    return number


# TOML numbers are read as exact Decimals, so the JSON Schema (paycalc schema scheme) allows
# any non-negative number here, or numeric text.
_NON_NEGATIVE_SCHEMA = WithJsonSchema(money_json_schema(minimum=0))
#: A money amount in yuan: int, Decimal or numeric string; never negative, never a float.
Money = Annotated[Decimal, BeforeValidator(_non_negative), _NON_NEGATIVE_SCHEMA]
#: A rate, share or factor (0.8, 1.2): exact, never negative.
Factor = Annotated[Decimal, BeforeValidator(_non_negative), _NON_NEGATIVE_SCHEMA]
Code = Annotated[str, Field(pattern=_CODE.pattern)]
#: A date in force or published: within the range paycalc accepts (1950 .. 2100).
SchemeDate = Annotated[dt.date, AfterValidator(plausible_date)]
Category = Literal["earning", "deduction", "employer"]
#: ``official``: every figure stated in a cited document; ``illustrative``: some figures are
#: examples; ``draft``: a proposal not (yet) adopted — never in force unless asked for.
Status = Literal["official", "illustrative", "draft"]
#: the status a single figure may carry (a figure is stated in a document, or it is not)
FigureStatus = Literal["official", "illustrative"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


#: ``chosen = { key = "why" }``: keys of this table whose value paycalc chose where the
#: source documents are silent (a start date, 次月起, a cap's order). The file says so, and a
#: slip warns when such a choice moves its money (see :mod:`paycalc.choices`).
Chosen = dict[str, str]


class _Documented(_Strict):
    """A part of a scheme that carries its own note, status and the choices made in it."""

    note: str = ""
    #: per-figure status; defaults to the file's status
    status: FigureStatus | None = None
    chosen: Chosen = Field(default_factory=dict)


class Source(_Strict):
    """The document a version comes from."""

    title: str
    issuer: str = ""
    date: dt.date | None = None
    number: str = ""  # 文号, e.g. 本民发〔2022〕41号
    seed: str = ""  # the source document's id in docs/sources.md
    url: str = ""


class SchemeHeader(_Strict):
    """``[scheme]``: identity, dates and status of one version of a family."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$")
    version: str = Field(min_length=1)
    title: str = Field(min_length=1)
    effective_from: SchemeDate
    #: last day the version applies, when the source says it ended and no successor is known
    effective_until: SchemeDate | None = None
    published_on: SchemeDate
    status: Status
    source: Source
    note: str = ""
    rounding: str = Field(
        default=decimal.ROUND_HALF_UP, json_schema_extra={"enum": _ROUNDING_NAMES}
    )
    proration: Literal["calendar", "21.75"] = "calendar"
    show_zero_lines: bool = False
    #: id of the 五险一金 table (paycalc.contributions) whose lines the slip carries
    contribution_table: str | None = None
    #: withhold individual income tax (累计预扣法) on the slip
    income_tax: bool = False
    chosen: Chosen = Field(default_factory=dict)

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> SchemeHeader:
        if self.effective_until is not None and self.effective_until < self.effective_from:
            raise ValueError(
                f"effective_until {self.effective_until} is before effective_from {self.effective_from}"
            )
        return self

    @field_validator("rounding")
    @classmethod
    def _known_rounding(cls, value: str) -> str:
        if value not in ROUNDING_MODES:
            raise ValueError(f"expected one of {', '.join(sorted(ROUNDING_MODES))}")
        return value


class PostSpec(_Documented):
    """``[posts.<code>]``: a post category, its label and its grade band."""

    label: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()
    grades: tuple[int, int] | None = None  # [lowest, highest], inclusive

    @field_validator("grades")
    @classmethod
    def _ordered_band(cls, value: tuple[int, int] | None) -> tuple[int, int] | None:
        if value is not None and not 1 <= value[0] <= value[1]:
            raise ValueError(
                f"expected [lowest, highest] with 1 <= lowest <= highest, got {list(value)}"
            )
        return value


class InputSpec(_Strict):
    """``[inputs.<name>]``: an extra value the scheme needs from each worker."""

    label: str
    type: Literal["choice", "number", "yes_no"]
    choices: tuple[str, ...] = ()
    note: str = ""


class Condition(_Strict):
    """``when = {...}``: eligibility as data. All keys given must hold (logical AND)."""

    posts: tuple[str, ...] | None = None
    not_posts: tuple[str, ...] | None = None
    in_establishment: bool | None = None
    education_at_least: EducationCode | None = None
    min_service_years: int | None = Field(default=None, ge=0)
    max_service_years: int | None = Field(default=None, ge=0)
    min_grade: int | None = Field(default=None, ge=1)
    max_grade: int | None = Field(default=None, ge=1)
    #: input name -> accepted values (choices or yes/no)
    inputs: dict[str, tuple[str | bool, ...]] | None = None


class Threshold(_Strict):
    points: Factor
    grade: int = Field(ge=1)


class PointsRule(_Documented):
    """``[grade.points]``: 积分 by factor, each factor optionally capped, then thresholds."""

    per_service_year: Factor = Decimal(0)
    service_max: Factor | None = None
    appraisal: Annotated[dict[AppraisalCode, Decimal], unique_codes(Appraisal)] = Field(
        default_factory=dict
    )
    appraisal_max: Factor | None = None
    education: Annotated[dict[EducationCode, Factor], unique_codes(Education)] = Field(
        default_factory=dict
    )
    qualifications: Annotated[
        dict[KindCode, Annotated[dict[LevelCode, Factor], unique_codes(Level)]],
        unique_codes(QualificationKind),
    ] = Field(default_factory=dict)
    qualifications_max: Factor | None = None
    awards: Annotated[dict[AwardCode, Factor], unique_codes(AwardLevel)] = Field(
        default_factory=dict
    )
    awards_max: Factor | None = None
    thresholds: tuple[Threshold, ...] = Field(min_length=1)

    @field_validator("appraisal", mode="before")
    @classmethod
    def _exact_points(cls, value: object) -> object:
        # Appraisal points may be negative (不称职 −2), so they skip the Factor check,
        # but they must still be exact.
        if isinstance(value, dict):
            return {
                key: to_decimal(points, what=f"appraisal.{key}") for key, points in value.items()
            }
        return value


class GradeRule(_Documented):
    """``[grade]``: how a worker's grade is found when the worker file gives none."""

    method: Literal["given", "service", "points"]
    # method = "service"
    years_per_step: int | None = Field(default=None, ge=1)
    education_years: Annotated[dict[EducationCode, int], unique_codes(Education)] = Field(
        default_factory=dict
    )
    certificate_bonus: Annotated[dict[LevelCode, int], unique_codes(Level)] = Field(
        default_factory=dict
    )
    exclude_failed_years: bool = True
    # method = "points"
    points: PointsRule | None = None


class _ComponentBase(_Documented):
    code: Code
    label: str = Field(min_length=1)
    category: Category = "earning"
    when: Condition | None = None
    show_zero: bool = False


class ByPost(_ComponentBase):
    """A fixed monthly amount by post (生活补助, 岗位工资)."""

    kind: Literal["by_post"]
    amounts: dict[str, Money]
    default: Money | None = None
    prorate: bool = True


class ByGrade(_ComponentBase):
    """A monthly amount by grade: a table per post (``"*"`` for every post) or start + step."""

    kind: Literal["by_grade"]
    table: dict[str, dict[int, Money]] | None = None
    start: Money | None = None
    step: Money | None = None
    first_grade: int = Field(default=1, ge=1)
    prorate: bool = True


class Coefficient(_ComponentBase):
    """``base × coefficient(post, grade) × share`` (本溪: 3400 × 系数, 80% monthly)."""

    kind: Literal["coefficient"]
    base: Money
    coefficients: dict[str, dict[int, Factor]]
    share: Factor = Decimal(1)
    prorate: bool = True


class Seniority(_ComponentBase):
    """岗位年限津贴: an amount per counted year, up to ``max_years``."""

    kind: Literal["seniority"]
    counting: Literal["service_years", "passed_years"] = "service_years"
    per_year: Money
    max_years: int | None = Field(default=None, ge=1)
    exclude_failed_years: bool = True
    prorate: bool = True


def _amounts_by(kind: type[StrEnum], data: object) -> object:
    """``amounts`` keyed by level codes may use their Chinese labels (``中级 = 150``)."""
    if isinstance(data, dict) and isinstance(data.get("amounts"), dict):
        return {**data, "amounts": coded_keys(kind, data["amounts"])}
    return data


class HighestLevel(_ComponentBase):
    """A monthly subsidy by the highest level held (社工证补贴, 职称补贴, 学历补贴)."""

    kind: Literal["highest_level"]
    source: Literal["qualification", "education"] = "qualification"
    qualification: KindCode | None = None
    amounts: dict[str, Money]
    duration_months: int | None = Field(default=None, ge=1)
    starts: Literal["next_month", "same_month"] = "next_month"
    prorate: bool = True

    @model_validator(mode="before")
    @classmethod
    def _level_labels(cls, data: object) -> object:
        source = data.get("source", "qualification") if isinstance(data, dict) else None
        return _amounts_by(Education if source == "education" else Level, data)


class OneOff(_ComponentBase):
    """A one-off payment in the month ``months_after`` an event (certificate, award)."""

    kind: Literal["one_off"]
    event: Literal["qualification", "award"]
    qualification: KindCode | None = None
    amounts: dict[str, Money]
    months_after: int = Field(default=1, ge=0, le=24)
    pay: Literal["full", "difference"] = "full"

    @model_validator(mode="before")
    @classmethod
    def _level_labels(cls, data: object) -> object:
        event = data.get("event") if isinstance(data, dict) else None
        return _amounts_by(AwardLevel if event == "award" else Level, data)


class Yearly(_ComponentBase):
    """Paid once a year in ``month``, scaled by the previous year's appraisal."""

    kind: Literal["yearly"]
    month: int = Field(ge=1, le=12)
    amount: Money | None = None
    amounts: dict[str, Money] | None = None
    of: tuple[Code, ...] = ()
    multiplier: Factor = Decimal(1)
    factors: Annotated[dict[AppraisalCode, Factor], unique_codes(Appraisal)]
    missing_appraisal: Literal["error", "skip"] = "error"
    #: a worker employed for part of the appraised year is paid that share of it, by
    #: calendar days ("days_employed"), or in full ("none")
    pro_rata: Literal["days_employed", "none"] = "days_employed"
    #: taxed as the annual one-off bonus (全年一次性奖金) when the worker chose "separate"
    annual_bonus: bool = False


class ShareOf(_ComponentBase):
    """A share of earlier lines (绩效 = 20% of the total)."""

    kind: Literal["share_of"]
    of: tuple[Code, ...] = Field(min_length=1)
    share: Factor


class ByInput(_ComponentBase):
    """An amount by the value of a declared choice input (达标创建 tier)."""

    kind: Literal["by_input"]
    input: str
    amounts: dict[str, Money]
    prorate: bool = True


class InputRate(_ComponentBase):
    """A rate applied to a declared number input (集体经济创收 × 奖励比例), optionally capped."""

    kind: Literal["input_rate"]
    input: str
    rate: Factor
    max: Money | None = None
    prorate: bool = False


Component = Annotated[
    ByPost
    | ByGrade
    | Coefficient
    | Seniority
    | HighestLevel
    | OneOff
    | Yearly
    | ShareOf
    | ByInput
    | InputRate,
    Field(discriminator="kind"),
]

ComponentKind = Literal[
    "by_post",
    "by_grade",
    "coefficient",
    "seniority",
    "highest_level",
    "one_off",
    "yearly",
    "share_of",
    "by_input",
    "input_rate",
]


class Cap(_Documented):
    """``[[caps]]``: a ceiling on a chosen total, met by reducing named lines in order."""

    code: Code
    label: str
    limit: Money
    of: tuple[str, ...] = ("gross",)  # component codes, or "gross"
    #: also count employer contribution lines: true for all of them, or a list of item codes
    #: (``["pension", "medical", "unemployment", "work_injury", "maternity"]`` = 五险, no 公积金)
    include_employer: bool | tuple[str, ...] = False
    reduce: tuple[Code, ...] = Field(min_length=1)


class SchemeFile(_Strict):
    """One version of a scheme family: the whole file."""

    scheme: SchemeHeader
    posts: dict[Code, PostSpec] = Field(min_length=1)
    inputs: dict[Code, InputSpec] = Field(default_factory=dict)
    grade: GradeRule | None = None
    components: tuple[Component, ...] = Field(min_length=1)
    caps: tuple[Cap, ...] = ()
