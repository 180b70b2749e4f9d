"""``paycalc tax MONTHS.json``: withhold a year of wages from a small JSON file.

Input::

    {"year": 2024,
     "months": [{"income": "30000", "social_insurance": "4500", "special_deductions": "2000"},
                ...]}

Amounts are strings or integers; a JSON number with a fraction (``30000.5``) is read exactly
as a ``Decimal`` (never through a binary float), so it is accepted. The JSON is read strictly
(:func:`paycalc.jsontext.loads_strict`): a key given twice, ``NaN``, a number of thousands of
digits and deep nesting are errors, and the file is at most
:data:`~paycalc.limits.MAX_WORKER_FILE_BYTES` long (a year of months is a few kilobytes). Optional month keys:
``other_deductions``, ``tax_free_income``, ``bonus`` with ``bonus_method``
(``"separate"``/``"combined"``). Unknown keys are errors.

Output is one row per month; with ``fmt="json"`` a list of objects with ``month``
(1..12), ``income``, ``cumulative_income``, ``cumulative_taxable``, ``rate``
(``"0.03"``), ``quick_deduction``, ``cumulative_tax``, ``tax`` (wage withholding this month),
``bonus_tax`` (``null`` unless a bonus was taxed separately) and ``total_tax``; all amounts
are strings with two decimals. Return code 0 when the file is valid, 1 otherwise, with every
problem on its own line as ``file: months[2].income: what is wrong``.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, Literal

from paycalc import limits
from paycalc.errors import InputError, Problem
from paycalc.jsontext import loads_strict
from paycalc.limits import cut, shown
from paycalc.money import format_money, to_decimal
from paycalc.period import LATEST_DATE
from paycalc.tax.bonus import BonusMethod
from paycalc.tax.withholding import MonthTax
from paycalc.tax.year import MonthIncome, withhold_year

__all__ = ["month_rows", "parse_months_document", "run_tax_file"]

_TOP_KEYS: Final = frozenset({"year", "months"})
#: tax years 2019 (the cumulative method's first) .. the last year paycalc reads dates in
LATEST_YEAR: Final = LATEST_DATE.year
_AMOUNT_KEYS: Final = (
    "income",
    "social_insurance",
    "special_deductions",
    "other_deductions",
    "tax_free_income",
    "bonus",
)
_MONTH_KEYS: Final = frozenset({*_AMOUNT_KEYS, "bonus_method"})


def _amount(value: object, source: str, where: str, problems: list[Problem]) -> Decimal:
    try:
        amount = to_decimal(value, what=where.rsplit(".", 1)[-1])
    except (TypeError, ValueError) as exc:
        problems.append(Problem(source, where, str(exc)))
        return Decimal(0)
    if amount < 0:
        problems.append(Problem(source, where, f"must be ≥ 0, got {amount}"))
    return amount


def parse_months_document(data: object, source: str) -> tuple[int, list[MonthIncome]]:
    """Check a decoded MONTHS.json document; return the year and the months.

    Raises ``InputError`` listing every problem found.
    """
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise InputError([Problem(source, "", "expected a JSON object with 'year' and 'months'")])
    for key in sorted(set(data) - _TOP_KEYS):
        problems.append(Problem(source, cut(key), "unknown key (expected 'year' and 'months')"))
    year = data.get("year")
    if isinstance(year, bool) or not isinstance(year, int) or not 2019 <= year <= LATEST_YEAR:
        problems.append(
            Problem(source, "year", f"must be a year 2019..{LATEST_YEAR}, got {shown(year)}")
        )
        year = 0
    raw_months = data.get("months")
    if not isinstance(raw_months, list) or not raw_months:
        problems.append(Problem(source, "months", "must be a non-empty list of month objects"))
        raw_months = []
    elif len(raw_months) > 12:
        problems.append(
            Problem(source, "months", f"a tax year has at most 12 months, got {len(raw_months)}")
        )
    months: list[MonthIncome] = []
    for index, raw in enumerate(raw_months):
        where = f"months[{index}]"
        if not isinstance(raw, dict):
            problems.append(Problem(source, where, "must be an object"))
            continue
        for key in sorted(set(raw) - _MONTH_KEYS):
            problems.append(
                Problem(
                    source,
                    f"{where}.{cut(key)}",
                    f"unknown key (expected one of {', '.join(sorted(_MONTH_KEYS))})",
                )
            )
        if "income" not in raw:
            problems.append(Problem(source, f"{where}.income", "is required"))
        amounts = {
            key: _amount(raw[key], source, f"{where}.{key}", problems)
            for key in _AMOUNT_KEYS
            if key in raw
        }
        method = raw.get("bonus_method")
        bonus_method: BonusMethod | None = None
        if method is not None:
            if method in ("separate", "combined"):
                bonus_method = method
            else:
                problems.append(
                    Problem(
                        source,
                        f"{where}.bonus_method",
                        f"must be 'separate' or 'combined', got {shown(method)}",
                    )
                )
        months.append(
            MonthIncome(
                income=amounts.get("income", Decimal(0)),
                social_insurance=amounts.get("social_insurance", Decimal(0)),
                special_deductions=amounts.get("special_deductions", Decimal(0)),
                other_deductions=amounts.get("other_deductions", Decimal(0)),
                tax_free_income=amounts.get("tax_free_income", Decimal(0)),
                bonus=amounts.get("bonus", Decimal(0)),
                bonus_method=bonus_method,
            )
        )
    if problems:
        raise InputError(problems)
    return year, months


def month_rows(results: list[MonthTax]) -> list[dict[str, Any]]:
    """The JSON-ready rows (amounts as two-decimal strings)."""
    return [
        {
            "month": r.month,
            "income": format_money(r.income),
            "cumulative_income": format_money(r.cumulative_income),
            "cumulative_taxable": format_money(r.cumulative_taxable),
            "rate": str(r.rate),
            "quick_deduction": format_money(r.quick_deduction),
            "cumulative_tax": format_money(r.cumulative_tax),
            "tax": format_money(r.tax),
            "bonus_tax": None if r.bonus is None else format_money(r.bonus.tax),
            "total_tax": format_money(r.total_tax),
        }
        for r in results
    ]


# English headers: CJK characters are double width in a terminal and would break alignment.
_TEXT_COLUMNS: Final = (
    "month",
    "income",
    "cumulative_taxable",
    "rate",
    "quick_deduction",
    "cumulative_tax",
    "tax",
    "bonus_tax",
)


def _text_table(rows: list[dict[str, Any]]) -> str:
    cells = [list(_TEXT_COLUMNS)] + [
        [str(row[key]) if row[key] is not None else "-" for key in _TEXT_COLUMNS] for row in rows
    ]
    widths = [max(len(line[i]) for line in cells) for i in range(len(_TEXT_COLUMNS))]
    lines = [
        "  ".join(cell.rjust(width) for cell, width in zip(line, widths, strict=True))
        for line in cells
    ]
    total = sum((Decimal(row["total_tax"]) for row in rows), Decimal(0))
    lines.append(f"total withheld: {format_money(total)}")
    return "\n".join(lines)


def run_tax_file(path: Path, fmt: Literal["text", "json"]) -> tuple[int, str]:
    """Run ``paycalc tax PATH``; return ``(exit code, text to print)``."""
    source = str(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(limits.MAX_WORKER_FILE_BYTES + 1)
    except OSError as exc:
        return 1, str(Problem(source, "", f"cannot read the file: {exc.strerror}"))
    if len(raw) > limits.MAX_WORKER_FILE_BYTES:
        return 1, str(
            Problem(source, "", f"the file is larger than {limits.MAX_WORKER_FILE_BYTES:,} bytes")
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return 1, str(Problem(source, f"line {line}", "not UTF-8 text; save the file as UTF-8"))
    try:
        # a fractional JSON number is read exactly, never as a float; a key given twice,
        # NaN and deep nesting are refused
        data = loads_strict(text)
    except ValueError as exc:
        return 1, str(Problem(source, "", str(exc)))
    try:
        year, months = parse_months_document(data, source)
        results = withhold_year(months, year=year)
    except InputError as exc:
        return 1, "\n".join(str(Problem(source, p.location, p.message)) for p in exc.problems)
    rows = month_rows(results)
    if fmt == "json":
        return 0, json.dumps(rows, ensure_ascii=False, indent=2)
    return 0, _text_table(rows)
