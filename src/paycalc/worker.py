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

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, ClassVar, Final, Literal

from pydantic import (
    AfterValidator,
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
    SPACE_CLASS,
    YEARS_PATTERN,
    AppraisalCode,
    AwardCode,
    EducationCode,
    IsoDate,
    KindCode,
    LevelCode,
    WholeNumber,
    code_json_schema,
    money_json_schema,
    money_number_json_schema,
    problems_from_validation_error,
    share_json_schema,
    whole_number,
)
from paycalc.codes import Appraisal
from paycalc.errors import Problem, WorkerError
from paycalc.jsontext import loads_strict
from paycalc.limits import MAX_WORKER_FILE_BYTES
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
    "parse_worker_json",
]


#: 大病医疗: at most this much a year (国发〔2018〕41号 第十一条).
SERIOUS_ILLNESS_LIMIT: Final = 80000

#: A date in a worker record: a real calendar date within the plausible range.
RecordDate = Annotated[IsoDate, AfterValidator(plausible_date)]


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


# Each type carries the JSON Schema of exactly what its validator accepts. JSON numbers are
# read as exact decimals (paycalc.jsontext), so a fraction such as 5320.50 is a number here.
Money = Annotated[Decimal, BeforeValidator(_money), WithJsonSchema(money_json_schema())]
#: Money that must not be negative (the schema refuses a minus sign too).
NonNegativeMoney = Annotated[
    Decimal, BeforeValidator(_money), WithJsonSchema(money_json_schema(minimum=0)), Field(ge=0)
]
Share = Annotated[Decimal, BeforeValidator(_share), WithJsonSchema(share_json_schema())]
InputValue = Annotated[
    str | bool | Decimal,
    BeforeValidator(_input_value),
    WithJsonSchema(
        {
            "anyOf": [{"type": ["string", "boolean"]}, money_number_json_schema()],
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

    children_in_education: WholeNumber = Field(default=0, ge=0)
    infants: WholeNumber = Field(default=0, ge=0)
    elderly_support: Annotated[
        Literal["none", "only_child", "shared"], _label(_ELDERLY_LABELS)
    ] = "none"
    elderly_share: Money | None = None
    housing_loan: StrictBool = False
    housing_rent_tier: Literal[1, 2, 3] | None = None
    continuing_education_degree: StrictBool = False
    continuing_education_degree_start: RecordDate | None = None
    vocational_certificate_year: (
        Annotated[
            WholeNumber,
            Field(ge=EARLIEST_DATE.year, le=LATEST_DATE.year),
            WithJsonSchema(
                {"type": "integer", "minimum": EARLIEST_DATE.year, "maximum": LATEST_DATE.year}
            ),
        ]
        | None
    ) = None
    child_share: Share = Decimal(1)
    bonus_method: Annotated[Literal["separate", "combined"], _label(_BONUS_LABELS)] = "combined"
    #: 其他扣除 a month (依法确定的其他扣除 without a column of its own in the tax file)
    other_deductions: NonNegativeMoney = Decimal(0)
    #: 免税收入 a month: the part of each month's earnings that is exempt from income tax
    tax_free_income: NonNegativeMoney = Decimal(0)
    #: 大病医疗: the year's amount claimed in the annual reconciliation (汇算清缴) only; never
    #: withheld monthly (国发〔2018〕41号 第十一条: at most 80,000 a year)
    serious_illness: Annotated[
        Decimal,
        BeforeValidator(_money),
        WithJsonSchema(money_json_schema(minimum=0, maximum=SERIOUS_ILLNESS_LIMIT)),
        Field(ge=0, le=SERIOUS_ILLNESS_LIMIT),
    ] = Decimal(0)

    # The schema says what _degree_has_a_start checks: a degree claimed needs its start.
    model_config = ConfigDict(
        json_schema_extra={
            "if": {
                "properties": {"continuing_education_degree": {"const": True}},
                "required": ["continuing_education_degree"],
            },
            "then": {
                "required": ["continuing_education_degree_start"],
                "properties": {"continuing_education_degree_start": {"type": "string"}},
            },
        }
    )

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

    id: Name
    name: str = ""
    scheme: str | None = None
    post: Name
    # (the bounds before the validator, so that the JSON Schema says them)
    grade: Annotated[int, Field(ge=1, le=99), BeforeValidator(whole_number)] | None = None
    hired_on: RecordDate
    left_on: RecordDate | None = None
    in_establishment: StrictBool = False
    education: EducationCode | None = None
    qualifications: tuple[Qualification, ...] = ()
    appraisals: Annotated[
        dict[int, AppraisalCode],
        WithJsonSchema(
            {
                "type": "object",
                "propertyNames": {"pattern": f"^{SPACE_CLASS}*0*{YEARS_PATTERN}{SPACE_CLASS}*$"},
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
        """Years as ``2023`` (number or text); two spellings of one year are a conflict."""
        if not isinstance(value, dict):
            return value
        spelled: dict[int, object] = {}
        years: dict[str, object] = {}
        for key, result in value.items():
            year = _year(key)
            if year in spelled:
                raise ValueError(
                    f"the {year} appraisal is given twice ({spelled[year]!r} and {key!r}); "
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
        raise ValueError(f"appraisal years must be written as 2023, got {key!r}")
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


def parse_worker_json(
    data: str | bytes, *, source: str = "worker", today: date | None = None
) -> Worker:
    """Read one worker from JSON text or bytes (UTF-8, with or without a BOM), as a worker
    file is read: a request body, a database column.

    The JSON is read strictly (:func:`paycalc.jsontext.loads_strict`): a key given twice is
    an error naming it, fractional numbers are exact decimals (``"contribution_base":
    5320.50`` is 5320.50, never a binary float), and nesting and size are bounded
    (:mod:`paycalc.limits`). Every problem raises :class:`WorkerError` naming ``source``.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
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
        parsed = loads_strict(text)
    except ValueError as error:
        raise WorkerError([Problem(source, "", str(error))]) from None
    if not isinstance(parsed, dict):
        raise WorkerError([Problem(source, "", "expected a JSON object for one worker")])
    return parse_worker(parsed, source=source, today=today)


def load_worker(path: str | Path, *, today: date | None = None) -> Worker:
    """Read and validate one worker JSON file (see :func:`parse_worker_json`)."""
    path = Path(path)
    source = str(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_WORKER_FILE_BYTES + 1)
    except OSError as error:
        raise WorkerError([Problem(source, "", f"cannot read file: {error.strerror}")]) from None
    return parse_worker_json(raw, source=source, today=today)
