"""The request bodies, as pydantic models (they are the OpenAPI description too).

A body is read as worker files and JSONL rosters are read
(:func:`paycalc.jsontext.loads_strict`: a JSON fraction such as ``5320.50`` is an exact
decimal, a key given twice is refused), then checked by these models; the worker and roster
rows inside it are checked by the same parsers the command line uses
(:func:`paycalc.parse_worker`, the roster reader), so a refused request lists exactly the
problems ``paycalc slip`` or ``paycalc run`` would print. The OpenAPI description shows
their published JSON Schemas (``paycalc schema worker``).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from paycalc.close.register import Headers
from paycalc.contracts import inline_refs, json_schema
from paycalc.errors import UsageError
from paycalc.money import to_decimal
from paycalc.period import Month
from paycalc.tax import YearToDate

__all__ = [
    "ImpactRequest",
    "PayrollRequest",
    "SlipRequest",
    "YearToDateBody",
    "parse_as_of",
    "parse_month",
]

MonthText = Annotated[str, Field(pattern=r"^\d{4}-\d{2}$", examples=["2024-03"])]
DateText = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$", examples=["2024-06-01"])]
MoneyText = Annotated[
    str, Field(pattern=r"^\d{1,12}(\.\d{1,2})?$", examples=["12000.00"], description="yuan")
]
WorkerBody = Annotated[dict[str, Any], WithJsonSchema(inline_refs(json_schema("worker")))]
RosterRow = Annotated[dict[str, Any], WithJsonSchema(inline_refs(json_schema("roster-row")))]
SchemeName = Annotated[
    str,
    Field(
        pattern=r"^[^@\s]+@[^@\s]+$",
        examples=["demo.community-worker@2023-01"],
        description="a loaded version, as FAMILY@VERSION",
    ),
]


IncludeDrafts = Annotated[
    bool,
    Field(
        strict=True,
        description="let draft versions (proposals not adopted) be in force, as "
        "--include-drafts does; their slips carry the 草案 warning",
    ),
]
RegisterHeaders = Annotated[
    Headers,
    Field(
        description="register column headers: Chinese labels (工号, 实发, …) or codes, as "
        "`paycalc run --headers` chooses"
    ),
]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class YearToDateBody(_Body):
    """Year-to-date withholding figures from a previous system (累计预扣法), in yuan."""

    months_counted: int = Field(ge=0, le=12)
    income: MoneyText
    tax_free_income: MoneyText
    basic_deduction: MoneyText
    social_insurance: MoneyText
    special_deductions: MoneyText
    other_deductions: MoneyText
    tax_withheld: MoneyText

    def to_year_to_date(self) -> YearToDate:
        amounts = {
            name: to_decimal(getattr(self, name), what=name)
            for name in type(self).model_fields
            if name != "months_counted"
        }
        return YearToDate(months_counted=self.months_counted, **amounts)


class SlipRequest(_Body):
    """One worker's slip for a month (``POST /v1/slip`` and ``POST /v1/explain``)."""

    worker: WorkerBody
    month: MonthText
    as_of: DateText | None = Field(
        default=None, description="count only scheme versions published by this date"
    )
    scheme: str | None = Field(
        default=None, description="scheme family, when the worker names none"
    )
    ytd: YearToDateBody | None = Field(
        default=None, description="year-to-date tax figures, for schemes withholding income tax"
    )
    include_drafts: IncludeDrafts = False


class PayrollRequest(_Body):
    """A month's payroll for roster rows given as JSON objects."""

    month: MonthText
    rows: list[RosterRow] = Field(min_length=1)
    scheme: str | None = Field(default=None, description="scheme family for rows naming none")
    as_of: DateText | None = None
    include_drafts: IncludeDrafts = False
    headers: RegisterHeaders = "labels"


class ImpactRequest(_Body):
    """Who gains and who loses from ``old`` to ``new`` in ``month``, over roster rows."""

    old: SchemeName
    new: SchemeName
    month: MonthText
    rows: list[RosterRow] = Field(min_length=1)


def parse_month(text: str, location: str = "month") -> Month:
    try:
        return Month.parse(text)
    except ValueError as error:
        raise UsageError(location, str(error), source="request") from None


def parse_as_of(text: str | None, location: str = "as_of") -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(location, f"not a real date: {text!r}", source="request") from None
