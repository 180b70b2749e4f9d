"""The pay slip: itemised lines, totals that are exactly their sum, and its renderings.

JSON follows the slip contract ``paycalc.slip/1`` (docs/contracts.md; ``paycalc schema
slip``): amounts are strings with two decimals, so no consumer ever sees a float, and the
same slip always serialises to the same bytes. A slip has one JSON form: :meth:`to_dict`,
and pydantic (a model field, ``TypeAdapter``, a FastAPI answer) serialises it through it.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from paycalc.money import ZERO, format_money

__all__ = [
    "SLIP_CONTRACT",
    "Category",
    "PayLine",
    "Payslip",
    "SchemeRef",
    "SlipDocument",
    "display_width",
    "render_text",
]

#: The contract a slip's JSON follows: name and major version (docs/contracts.md).
SLIP_CONTRACT: Final = "paycalc.slip/1"

Category = Literal["earning", "deduction", "employer"]
_CATEGORIES: tuple[Category, ...] = ("earning", "deduction", "employer")


@dataclass(frozen=True, slots=True)
class SchemeRef:
    """Which scheme text produced a slip: family id, version, status and file hash."""

    id: str
    version: str
    status: Literal["official", "illustrative", "draft"]
    sha256: str


@dataclass(frozen=True, slots=True)
class PayLine:
    """One figure on a slip, with the basis that explains it (``正职 · 第7级``)."""

    code: str
    label: str
    category: Category
    amount: Decimal
    basis: str
    #: back pay (补发) or recovery for earlier months, not this month's pay
    arrears: bool = False


@dataclass(frozen=True, slots=True)
class Payslip:
    """A worker's pay for one month. Build with :meth:`from_lines` so totals always match."""

    worker_id: str
    month: str
    scheme: SchemeRef
    lines: tuple[PayLine, ...]
    gross: Decimal
    deductions: Decimal
    net: Decimal
    employer_cost: Decimal
    warnings: tuple[str, ...] = ()

    @classmethod
    def from_lines(
        cls,
        worker_id: str,
        month: str,
        scheme: SchemeRef,
        lines: Iterable[PayLine],
        warnings: Iterable[str] = (),
    ) -> Payslip:
        lines = tuple(lines)
        totals = {category: ZERO for category in _CATEGORIES}
        for line in lines:
            totals[line.category] += line.amount
        gross, deductions = totals["earning"], totals["deduction"]
        return cls(
            worker_id=worker_id,
            month=month,
            scheme=scheme,
            lines=lines,
            gross=gross,
            deductions=deductions,
            net=gross - deductions,
            employer_cost=gross + totals["employer"],
            warnings=tuple(warnings),
        )

    def line(self, code: str) -> PayLine | None:
        """The line with this code, or None if the slip has none."""
        return next((line for line in self.lines if line.code == code), None)

    def amount(self, code: str) -> Decimal:
        """The amount of a line, zero when the slip has no such line."""
        found = self.line(code)
        return found.amount if found is not None else ZERO

    # --- JSON -------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The slip as the ``paycalc.slip/1`` JSON document (the only JSON form it has)."""
        return {
            "contract": SLIP_CONTRACT,
            "worker_id": self.worker_id,
            "month": self.month,
            "scheme": {
                "id": self.scheme.id,
                "version": self.scheme.version,
                "status": self.scheme.status,
                "sha256": self.scheme.sha256,
            },
            "lines": [_line_dict(line) for line in self.lines],
            "gross": format_money(self.gross),
            "deductions": format_money(self.deductions),
            "net": format_money(self.net),
            "employer_cost": format_money(self.employer_cost),
            "warnings": list(self.warnings),
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Payslip:
        """Rebuild a slip from its JSON form; the totals must match the lines.

        A document of another major version of the contract is refused; one without
        ``contract`` (written before contracts were versioned) is read as version 1.
        """
        contract = data.get("contract", SLIP_CONTRACT)
        if contract != SLIP_CONTRACT:
            raise ValueError(f"contract is {contract!r}; this paycalc reads {SLIP_CONTRACT!r}")
        # The document must follow the contract (what `paycalc schema slip` says) ...
        document = SlipDocument.model_validate({**data, "contract": SLIP_CONTRACT})
        scheme = document.scheme
        lines = [
            PayLine(
                code=line.code,
                label=line.label,
                category=line.category,
                amount=Decimal(line.amount),
                basis=line.basis,
                arrears="arrears" in line.model_fields_set,
            )
            for line in document.lines
        ]
        slip = cls.from_lines(
            document.worker_id,
            document.month,
            SchemeRef(scheme.id, scheme.version, scheme.status, scheme.sha256),
            lines,
            document.warnings,
        )
        # ... and its totals must be the sums of its lines, which no schema can say.
        for total in ("gross", "deductions", "net", "employer_cost"):
            stated = Decimal(getattr(document, total))
            if stated != getattr(slip, total):
                raise ValueError(
                    f"{total} is {stated}, but the lines add up to {getattr(slip, total)}"
                )
        return slip

    @classmethod
    def from_json(cls, text: str) -> Payslip:
        return cls.from_dict(json.loads(text))

    def render_text(self, *, worker_name: str = "") -> str:
        return render_text(self, worker_name=worker_name)

    # --- pydantic: the same JSON form everywhere ----------------------------------------

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        def validate(value: object) -> Payslip:
            if isinstance(value, Payslip):
                return value
            if isinstance(value, Mapping):
                return cls.from_dict(value)
            raise ValueError("expected a pay slip (a paycalc.slip/1 JSON object)")

        return core_schema.no_info_plain_validator_function(
            validate,
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda slip: slip.to_dict(), when_used="always"
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return handler(SlipDocument.__pydantic_core_schema__)


# --- the contract, as a model (its JSON Schema is ``paycalc schema slip``) -------------

#: An amount as a slip writes it: yuan with exactly two decimals.
AmountText = Annotated[str, Field(pattern=r"^-?[0-9]+\.[0-9]{2}$", examples=["2800.00"])]


def _absent_means_false(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


class _Document(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SchemeRefDocument(_Document):
    """Which scheme text produced the slip."""

    id: str
    version: str
    status: Literal["official", "illustrative", "draft"]
    sha256: str = Field(pattern="^[0-9a-f]{64}$", description="SHA-256 of the scheme file")


class LineDocument(_Document):
    """One figure on the slip and the basis that explains it."""

    code: str
    label: str
    category: Category
    amount: AmountText
    basis: str
    arrears: Literal[True] = Field(
        default=True,
        description="present (and true) only on back-pay lines for earlier months",
        json_schema_extra=_absent_means_false,
    )


class SlipDocument(_Document):
    """The ``paycalc.slip/1`` document. Totals equal the sums of the lines by category:
    gross = earnings, deductions = deductions, net = gross - deductions, employer_cost =
    gross + employer lines (``paycalc validate`` checks this; JSON Schema cannot)."""

    contract: Literal["paycalc.slip/1"]
    worker_id: str
    month: str = Field(pattern=r"^[0-9]{4}-[0-9]{2}$")
    scheme: SchemeRefDocument
    lines: list[LineDocument]
    gross: AmountText
    deductions: AmountText
    net: AmountText
    employer_cost: AmountText
    warnings: list[str]


def _line_dict(line: PayLine) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": line.code,
        "label": line.label,
        "category": line.category,
        "amount": format_money(line.amount),
        "basis": line.basis,
    }
    if line.arrears:  # only back-pay lines carry the flag, so ordinary slips keep the contract
        data["arrears"] = True
    return data


# --- text ---------------------------------------------------------------------------


def display_width(text: str) -> int:
    """Columns a terminal uses for ``text``: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int, *, right: bool = False) -> str:
    gap = " " * max(0, width - display_width(text))
    return gap + text if right else text + gap


_CATEGORY_LABELS: dict[Category, str] = {"earning": "应发", "deduction": "扣除", "employer": "单位"}


def render_text(slip: Payslip, *, worker_name: str = "") -> str:
    """A table aligned for Chinese characters, for people to read."""
    who = f"{slip.worker_id} {worker_name}".strip()
    header = [
        f"工资单 Pay slip · {who} · {slip.month}",
        f"方案 Scheme: {slip.scheme.id} {slip.scheme.version} ({slip.scheme.status}) "
        f"sha256 {slip.scheme.sha256[:12]}",
    ]
    rows = [("项目 Item", "类别", "金额 Amount", "依据 Basis")]
    rows += [
        (line.label, _CATEGORY_LABELS[line.category], format_money(line.amount), line.basis)
        for line in slip.lines
    ]
    totals = [
        ("应发合计 Gross", format_money(slip.gross)),
        ("扣除合计 Deductions", format_money(slip.deductions)),
        ("实发 Net", format_money(slip.net)),
        ("单位总成本 Employer cost", format_money(slip.employer_cost)),
    ]
    widths = [max(display_width(row[col]) for row in rows) for col in range(3)]
    label_width = max(widths[0] + 2 + widths[1], *(display_width(name) for name, _ in totals))
    widths[0] = label_width - 2 - widths[1]
    lines = [*header, ""]
    for index, (label, category, amount, basis) in enumerate(rows):
        lines.append(
            f"{_pad(label, widths[0])}  {_pad(category, widths[1])}  "
            f"{_pad(amount, widths[2], right=True)}  {basis}".rstrip()
        )
        if index == 0:
            lines.append("-" * (label_width + 2 + widths[2] + 2 + 20))
    lines.append("-" * (label_width + 2 + widths[2] + 2 + 20))
    for name, amount in totals:
        lines.append(f"{_pad(name, label_width)}  {_pad(amount, widths[2], right=True)}")
    for warning in slip.warnings:
        lines.append(f"! {warning}")
    return "\n".join(lines) + "\n"
