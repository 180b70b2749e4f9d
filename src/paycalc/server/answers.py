"""The answers, as pydantic models: FastAPI serialises them, and OpenAPI describes them.

A slip inside an answer is a :class:`~paycalc.slip.Payslip`, which pydantic serialises
through ``Payslip.to_dict``: the same ``paycalc.slip/1`` document everywhere.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

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
    """A month's run: rows in = slips out + failed rows, always."""

    month: str
    rows_in: int
    slips_out: int
    failed_rows: int
    balanced: bool
    summary: str = Field(description="the line `paycalc run` prints")
    columns: list[str] = Field(description="the register's columns, in order")
    register: list[dict[str, Any]] = Field(
        description="one row per slip, as `paycalc run --out` writes (money as text)"
    )
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
