"""The worker profile: the JSON contract of ../DESIGN.md as a pydantic model.

Field names are English; coded values may be written as codes or as Chinese labels
(``"正职"``, ``"本科"``, ``"优秀"``, ``"中级"``, ``"市级"``). Unknown fields are rejected,
naming the field, because a typo in a worker file must never silently change a slip.
The post is checked later against the scheme that pays the worker, since posts are the
scheme's own vocabulary (a village scheme's 委员岗 is not a community scheme's post).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from paycalc._validation import problems_from_validation_error
from paycalc.codes import Appraisal, AwardLevel, Education, Level, QualificationKind, parse_code
from paycalc.errors import Problem, WorkerError
from paycalc.jsontext import loads_strict
from paycalc.limits import MAX_WORKER_FILE_BYTES, shown
from paycalc.money import to_decimal
from paycalc.period import EARLIEST_DATE, LATEST_DATE, plausible_date

__all__ = [
    "EARLIEST_DATE",
    "LATEST_DATE",
    "Award",
    "InputValue",
    "Qualification",
    "TaxProfile",
    "Worker",
    "load_worker",
    "parse_worker",
]


#: A date in a worker record: a real calendar date within the plausible range.
RecordDate = Annotated[date, AfterValidator(plausible_date)]


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


def _share(value: object) -> Decimal:
    """A parent's share of a child deduction: ``1``, ``0.5``, ``"50%"`` or ``"100%"``.

    JSON has no decimal type, so the worker format's ``"child_share": 0.5`` arrives as a float;
    the two shares the rules allow are exact in binary, so they (and only they) are accepted.
    """
    if isinstance(value, float):
        if value in (0.5, 1.0):
            return Decimal(str(value))
        raise ValueError(f"must be 1 or 0.5 (100% or 50%), got {value!r}")
    if isinstance(value, str) and value.strip().endswith("%"):
        return _money(value.strip().removesuffix("%")) / 100
    return _money(value)


#: Chinese labels accepted for the tax record's coded values (as for every other code).
_ELDERLY_LABELS = {"独生子女": "only_child", "非独生子女": "shared", "无": "none", "否": "none"}
_BONUS_LABELS = {
    "单独计税": "separate",
    "并入综合所得": "combined",
    "并入当月工资": "combined",
    "并入当年综合所得": "combined",
}


def _label(labels: dict[str, str]) -> Any:
    def read(value: object) -> object:
        return labels.get(value.strip(), value.strip()) if isinstance(value, str) else value

    return BeforeValidator(read)


Money = Annotated[Decimal, BeforeValidator(_money)]
Share = Annotated[Decimal, BeforeValidator(_share)]
InputValue = Annotated[str | bool | Decimal, BeforeValidator(_input_value)]
EducationCode = Annotated[Education, BeforeValidator(lambda v: parse_code(Education, v))]
AppraisalCode = Annotated[Appraisal, BeforeValidator(lambda v: parse_code(Appraisal, v))]
LevelCode = Annotated[Level, BeforeValidator(lambda v: parse_code(Level, v))]
KindCode = Annotated[QualificationKind, BeforeValidator(lambda v: parse_code(QualificationKind, v))]
AwardCode = Annotated[AwardLevel, BeforeValidator(lambda v: parse_code(AwardLevel, v))]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Qualification(_Strict):
    """A social-work certificate or professional title, with the date it was obtained."""

    kind: KindCode
    level: LevelCode
    obtained_on: RecordDate


class Award(_Strict):
    """表彰奖励: an award by level and date."""

    level: AwardCode
    awarded_on: RecordDate
    title: str = ""


class TaxProfile(_Strict):
    """What the worker declared for income tax (个人所得税): 专项附加扣除 and the bonus method.

    The fields mirror :class:`paycalc.tax.SpecialDeductionClaims`; ``bonus_method`` says how
    the annual one-off bonus (全年一次性奖金) is taxed: ``"separate"`` (单独计税, while the
    policy is in force and once a tax year) or ``"combined"`` (并入当月工资).
    """

    children_in_education: int = Field(default=0, ge=0)
    infants: int = Field(default=0, ge=0)
    elderly_support: Annotated[
        Literal["none", "only_child", "shared"], _label(_ELDERLY_LABELS)
    ] = "none"
    elderly_share: Money | None = None
    housing_loan: bool = False
    housing_rent_tier: Literal[1, 2, 3] | None = None
    continuing_education_degree: bool = False
    continuing_education_degree_start: RecordDate | None = None
    vocational_certificate_year: int | None = Field(
        default=None, ge=EARLIEST_DATE.year, le=LATEST_DATE.year
    )
    child_share: Share = Decimal(1)
    bonus_method: Annotated[Literal["separate", "combined"], _label(_BONUS_LABELS)] = "combined"
    #: 其他扣除 a month (依法确定的其他扣除 without a column of its own in the tax file)
    other_deductions: Money = Field(default=Decimal(0), ge=0)
    #: 免税收入 a month: the part of each month's earnings that is exempt from income tax
    tax_free_income: Money = Field(default=Decimal(0), ge=0)
    #: 大病医疗: the year's amount claimed in the annual reconciliation (汇算清缴) only; never
    #: withheld monthly (国发〔2018〕41号 第十一条: at most 80,000 a year)
    serious_illness: Money = Field(default=Decimal(0), ge=0, le=80000)

    #: Fields that are not special-deduction claims (how tax is computed, other amounts).
    NOT_CLAIMS: ClassVar[frozenset[str]] = frozenset(
        {"bonus_method", "other_deductions", "tax_free_income", "serious_illness"}
    )

    @model_validator(mode="after")
    def _degree_has_a_start(self) -> TaxProfile:
        # 学历继续教育 is deductible from the month the studies start, for at most 48 months:
        # without the start, neither end of that window is known.
        if self.continuing_education_degree and self.continuing_education_degree_start is None:
            raise ValueError(
                "continuing_education_degree needs continuing_education_degree_start "
                "(the date the studies began)"
            )
        return self


class Worker(_Strict):
    """One worker, as HR records them. See docs/worker-format.md for every field."""

    id: str = Field(min_length=1)
    name: str = ""
    scheme: str | None = None
    post: str = Field(min_length=1)
    grade: int | None = Field(default=None, ge=1, le=99)
    hired_on: RecordDate
    left_on: RecordDate | None = None
    in_establishment: bool = False
    education: EducationCode | None = None
    qualifications: tuple[Qualification, ...] = ()
    appraisals: dict[int, AppraisalCode] = Field(default_factory=dict)
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
        """Years as ``2023`` (number or text); two spellings of one year are a conflict."""
        if not isinstance(value, dict):
            return value
        spelled: dict[int, object] = {}
        years: dict[str, object] = {}
        for key, result in value.items():
            year = _year(key)
            if year in spelled:
                raise ValueError(
                    f"the {year} appraisal is given twice ({shown(spelled[year])} and {shown(key)}); "
                    "keep one"
                )
            spelled[year] = key
            years[str(year)] = result
        return years

    @field_validator("appraisals", mode="after")
    @classmethod
    def _appraisals_in_employment(
        cls, value: dict[int, Appraisal], info: ValidationInfo
    ) -> dict[int, Appraisal]:
        hired_on, left_on = info.data.get("hired_on"), info.data.get("left_on")
        if hired_on is None or (left_on is not None and left_on < hired_on):
            return value  # a missing hire date, or dates out of order, are reported apart
        last = left_on.year if left_on is not None else LATEST_DATE.year
        outside = sorted(year for year in value if not hired_on.year <= year <= last)
        if outside:
            employed = f"{hired_on.year}–{left_on.year if left_on else 'now'}"
            raise ValueError(
                f"{', '.join(map(str, outside))}: outside the years employed ({employed}); "
                "an appraisal counts only for a year of this employment"
            )
        today = _reference_date(info)
        unfinished = sorted(year for year in value if today is not None and year >= today.year)
        if unfinished:
            raise ValueError(
                f"{', '.join(map(str, unfinished))}: not ended by {today}; "
                "an appraisal can only be recorded for a finished year"
            )
        return value

    @field_validator("qualifications", "awards", mode="after")
    @classmethod
    def _obtained_by_today(
        cls, value: tuple[Qualification | Award, ...], info: ValidationInfo
    ) -> tuple[Qualification | Award, ...]:
        today = _reference_date(info)
        if today is None:
            return value
        for item in value:
            day = item.obtained_on if isinstance(item, Qualification) else item.awarded_on
            if day > today:
                raise ValueError(f"dated {day}, after {today}: not obtained yet")
        return value

    @model_validator(mode="after")
    def _dates_in_order(self) -> Worker:
        if self.left_on is not None and self.left_on < self.hired_on:
            raise ValueError(f"left_on {self.left_on} is before hired_on {self.hired_on}")
        return self

    def appraisal_for(self, year: int) -> Appraisal | None:
        return self.appraisals.get(year)


def _reference_date(info: ValidationInfo) -> date | None:
    """The ``today`` a caller validates against (see :func:`parse_worker`), if any."""
    today = (info.context or {}).get("today")
    return today if isinstance(today, date) else None


def _year(key: object) -> int:
    """An appraisal year written as a number or as digits (surrounding spaces allowed)."""
    if isinstance(key, int) and not isinstance(key, bool):
        year = key
    elif isinstance(key, str) and key.strip().isdigit():
        year = int(key.strip())
    else:
        raise ValueError(f"appraisal years must be written as 2023, got {shown(key)}")
    if not EARLIEST_DATE.year <= year <= LATEST_DATE.year:
        raise ValueError(
            f"appraisal year {year} is outside {EARLIEST_DATE.year}..{LATEST_DATE.year}"
        )
    return year


def parse_worker(
    data: dict[str, Any], *, source: str = "<worker>", today: date | None = None
) -> Worker:
    """Validate a worker mapping; raise :class:`WorkerError` listing every problem.

    ``today`` is the date the record is known to be true on: results dated after it (an
    appraisal of a year not yet ended, a certificate or award in the future) are refused.
    Without it nothing is checked against a clock; a slip counts only what its month can
    know (appraisals of earlier years, certificates and awards obtained by then).
    """
    try:
        return Worker.model_validate(data, context={"today": today})
    except ValidationError as error:
        raise WorkerError(problems_from_validation_error(error, source)) from None


def load_worker(path: str | Path, *, today: date | None = None) -> Worker:
    """Read and validate one worker JSON file (UTF-8, with or without a BOM).

    The JSON is read strictly (:func:`paycalc.jsontext.loads_strict`): a key given twice is
    an error naming it, fractional numbers are exact decimals (``"child_share": 0.5``), and
    nesting and size are bounded (:mod:`paycalc.limits`).
    """
    path = Path(path)
    source = str(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_WORKER_FILE_BYTES + 1)
    except OSError as error:
        raise WorkerError([Problem(source, "", f"cannot read file: {error.strerror}")]) from None
    if len(raw) > MAX_WORKER_FILE_BYTES:
        raise WorkerError(
            [Problem(source, "", f"the file is larger than {MAX_WORKER_FILE_BYTES:,} bytes")]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise WorkerError(
            [Problem(source, f"line {line}", "not UTF-8 text; save the file as UTF-8")]
        ) from None
    try:
        data = loads_strict(text)
    except ValueError as error:
        raise WorkerError([Problem(source, "", str(error))]) from None
    if not isinstance(data, dict):
        raise WorkerError([Problem(source, "", "expected a JSON object for one worker")])
    return parse_worker(data, source=source, today=today)
