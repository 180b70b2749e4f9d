"""The answers, as pydantic models: FastAPI serialises them, and OpenAPI describes them.

A slip inside an answer is a :class:`~paycalc.slip.Payslip`, which pydantic serialises
through ``Payslip.to_dict``: the same ``paycalc.slip/1`` document everywhere.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from paycalc.close.register import Headers
from paycalc.slip import Payslip

__all__ = [
    "Explanation",
    "ImpactAnswer",
    "PayrollAnswer",
    "ProblemItem",
    "Problems",
    "RowErrorItem",
    "SchemeEntry",
    "SchemeText",
]


class ProblemItem(BaseModel):
    source: str
    location: str
    message: str


class Problems(BaseModel):
    """Why a request was refused: every problem found, as ``paycalc`` prints them."""

    problems: list[ProblemItem]


class Explanation(BaseModel):
    """A slip and every step of its derivation (what ``paycalc explain`` prints)."""

    slip: Payslip
    steps: list[str]
    text: str = Field(description="the steps as one text, as `paycalc explain` prints them")


class RowErrorItem(BaseModel):
    """Why one roster row gave no slip: its row, worker, column (as written) and reason."""

    row: int
    worker_id: str
    field: str
    reason: str


class PayrollAnswer(BaseModel):
    """A month's run, as ``paycalc run`` computes and writes it.

    Rows in = slips out + not employed + failed rows, always. ``register`` and ``totals``
    are the lines ``paycalc run --out REGISTER.jsonl`` writes: one object per paid worker,
    then the 合计 object.
    """

    month: str
    rows_in: int
    slips_out: int
    not_employed: list[RowErrorItem] = Field(
        description="rows of workers not employed in the month (hired after it, or left "
        "before it): no slip, and not an error"
    )
    failed_rows: int
    balanced: bool
    summary: str = Field(description="the line `paycalc run` prints")
    headers: Headers = Field(
        description="the register's headers: Chinese labels or codes (`--headers`)"
    )
    columns: list[str] = Field(description="the register's column headers, in order")
    # "register" is an attribute of pydantic's BaseModel (ABCMeta.register): kept as the alias
    register_rows: list[dict[str, Any]] = Field(
        alias="register",
        description="one object per paid worker, keyed by the column headers, as `paycalc "
        "run --out REGISTER.jsonl` writes (money as two-decimal strings, no value as null)"
    )
    totals: dict[str, Any] = Field(
        description="the 合计 row: each money column's sum over the slips"
    )
    notes: list[str] = Field(description="what the run says once (the register's notes)")
    slips: list[Payslip]
    errors: list[RowErrorItem]
    file_problems: list[ProblemItem]


class ImpactAnswer(BaseModel):
    """What `paycalc impact --format json` prints, with problems in place of error lines."""

    summary: dict[str, Any]
    workers: list[dict[str, str]]
    problems: list[ProblemItem]


class SchemeEntry(BaseModel):
    id: str
    version: str
    title: str
    status: str
    effective_from: str
    effective_until: str | None
    published_on: str
    sha256: str
    href: str


class SchemeText(SchemeEntry):
    text: str = Field(description="the scheme file, exactly; its SHA-256 is `sha256`")
