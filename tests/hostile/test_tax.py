"""Hostile income tax input: the ``paycalc tax MONTHS.json`` file and the withholding API.

A case's ``data``:

- ``file``: the MONTHS.json bytes (text is encoded as UTF-8), run by ``run_tax_file``;
  ``problems``: ``(location, fragment)`` of every line printed, in order; ``taxes``: the
  tax withheld each month (``total_tax``: wages plus a separately taxed bonus), by hand;
- ``api``: a function calling the public API; ``problems`` as above for the
  ``InputError`` it raises, or ``check``: a function of what it returns.

Hand computations use the 2019 tables (个人所得税法; 财税〔2018〕164号 for the bonus): annual
brackets 3% to 36,000, 10% − 2,520 to 144,000; bonus brackets on bonus ÷ 12: 3% to 3,000,
10% − 210 to 12,000; 5,000 a month deducted.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from paycalc.errors import InputError
from paycalc.tax import (
    MonthIncome,
    YearToDate,
    bonus_tax_separately,
    withhold_month,
    withhold_year,
)
from paycalc.tax.command import run_tax_file
from tests.hostile.catalogue import Hostile, cases

ZERO = Decimal("0.00")


def doc(months: list[dict[str, Any]], year: Any = 2024) -> bytes:
    return json.dumps({"year": year, "months": months}).encode()


def month(income: Any = "10000", **extra: Any) -> dict[str, Any]:
    return {"income": income, **extra}


def raw_income(text: str) -> bytes:
    """A one-month file whose income is the JSON text given, written as is."""
    return b'{"year": 2024, "months": [{"income": ' + text.encode() + b"}]}"


def ytd(**figures: Any) -> YearToDate:
    values = dict.fromkeys(
        (
            "income",
            "tax_free_income",
            "basic_deduction",
            "social_insurance",
            "special_deductions",
            "other_deductions",
            "tax_withheld",
        ),
        ZERO,
    )
    counted = figures.pop("months_counted", 0)
    values.update(figures)
    return YearToDate(counted, **values)


TAX = [
    # --- the MONTHS.json file: amounts ---------------------------------------------------
    Hostile(
        "year-of-equal-wages",
        "12 × 10,000 a month: withheld cumulatively, rising into the 10% bracket in August",
        "amount",
        {
            "file": doc([month()] * 12),
            # taxable 5,000 a month: 3% = 150 a month to July (35,000); August 40,000 ×
            # 10% − 2,520 = 1,480, less 1,050 = 430; then 500 a month; year 3,480
            "taxes": ["150.00"] * 7 + ["430.00"] + ["500.00"] * 4,
        },
    ),
    Hostile(
        "tax-administration-example",
        "the State Taxation Administration's worked example (30,000, 4,500, 3,000 a month)",
        "amount",
        {
            "file": doc([month("30000", social_insurance="4500", special_deductions="3000")] * 3),
            "taxes": ["525.00", "525.00", "1680.00"],
        },
    ),
    Hostile(
        "fraction-read-exactly",
        "an income of 30000.5 as a JSON number: exact, rounded once (half up)",
        "amount",
        {
            "file": raw_income("30000.5"),
            # (30,000.50 − 5,000) × 3% = 750.015 → 750.02
            "taxes": ["750.02"],
        },
    ),
    Hostile(
        "separate-bonus",
        "a 36,000 bonus taxed separately beside a 5,000 wage",
        "amount",
        {
            "file": doc([month("5000", bonus="36000", bonus_method="separate")]),
            # wage: taxable 0; bonus: 36,000 ÷ 12 = 3,000 → 3%: 1,080
            "taxes": ["1080.00"],
        },
    ),
    Hostile(
        "separate-bonus-blind-zone",
        "a 36,001 bonus taxed separately: one yuan more, 2,310.10 more tax (the blind zone)",
        "amount",
        {
            "file": doc([month("5000", bonus="36001", bonus_method="separate")]),
            # 36,001 ÷ 12 = 3,000.08 → 10% − 210: 3,600.10 − 210 = 3,390.10
            "taxes": ["3390.10"],
        },
    ),
    Hostile(
        "combined-bonus",
        "a 36,000 bonus combined with a 10,000 wage",
        "amount",
        {
            "file": doc([month("10000", bonus="36000", bonus_method="combined")]),
            # taxable 46,000 − 5,000 = 41,000 → 10% − 2,520 = 1,580
            "taxes": ["1580.00"],
        },
    ),
    # --- the file: refused ---------------------------------------------------------------
    Hostile(
        "second-separate-bonus",
        "a second bonus taxed separately in one year (allowed once a year): refused",
        "error",
        {
            "file": doc(
                [
                    month(bonus="12000", bonus_method="separate"),
                    month(),
                    month(bonus="12000", bonus_method="separate"),
                ]
            ),
            "problems": [("months[2].bonus_method", "once per tax year; months[0] already used")],
        },
    ),
    Hostile(
        "separate-bonus-after-2027",
        "a separate bonus in 2028 (the method ends 2027-12-31): refused",
        "error",
        {
            "file": doc([month(bonus="12000", bonus_method="separate")], year=2028),
            "problems": [("months[0].bonus_method", "2019-01-01..2027-12-31")],
        },
    ),
    Hostile(
        "bonus-without-method",
        "a bonus with no method (separate or combined change the tax): refused",
        "error",
        {
            "file": doc([month(bonus="12000")]),
            "problems": [("months[0].bonus_method", "needs bonus_method")],
        },
    ),
    Hostile(
        "bonus-method-in-chinese",
        '"单独计税" as the bonus method (the command reads the codes only): refused, naming them',
        "error",
        {
            "file": doc([month(bonus="12000", bonus_method="单独计税")]),
            "problems": [("months[0].bonus_method", "must be 'separate' or 'combined'")],
        },
    ),
    Hostile(
        "thirteen-months",
        "13 months in one tax year: refused",
        "error",
        {"file": doc([month()] * 13), "problems": [("months", "at most 12 months, got 13")]},
    ),
    Hostile(
        "no-months",
        "an empty list of months: refused",
        "error",
        {"file": doc([]), "problems": [("months", "non-empty list")]},
    ),
    Hostile(
        "income-1e30-text",
        'an income of "1e30": refused at its key',
        "error",
        {"file": doc([month("1e30")]), "problems": [("months[0].income", "exponent form")]},
    ),
    Hostile(
        "income-1e30-number",
        "an income of 1e30 as a JSON number (InvalidOperation before): refused at its key",
        "error",
        {"file": raw_income("1e30"), "problems": [("months[0].income", "out of range")]},
    ),
    Hostile(
        "income-beyond-decimal",
        "an income of 1e9999999999999999999 (InvalidOperation escaped the JSON reader before): "
        "refused",
        "error",
        {"file": raw_income("1e9999999999999999999"), "problems": [("", "is out of range")]},
    ),
    Hostile(
        "income-10-to-the-30",
        "an income of 10^30 as a JSON integer: refused at its key",
        "error",
        {"file": raw_income("1" + "0" * 30), "problems": [("months[0].income", "out of range")]},
    ),
    Hostile(
        "income-5000-digits",
        "an income of 5,000 digits (a ValueError escaped json.loads before): refused",
        "error",
        {"file": raw_income("9" * 5000), "problems": [("", "a whole number of 5000 digits")]},
    ),
    Hostile(
        "income-nan",
        "an income of NaN (read as a float before): refused",
        "error",
        {"file": raw_income("NaN"), "problems": [("", "NaN is not a number")]},
    ),
    Hostile(
        "negative-income",
        "a negative income: refused at its key",
        "error",
        {"file": doc([month("-100")]), "problems": [("months[0].income", "must be ≥ 0")]},
    ),
    Hostile(
        "year-given-twice",
        '"year" given twice (the last one won, in silence): refused',
        "error",
        {
            "file": b'{"year": 2024, "year": 2023, "months": [{"income": "1"}]}',
            "problems": [("", "the key 'year' is given twice")],
        },
    ),
    Hostile(
        "deep-nesting",
        "months nested 100,000 deep (RecursionError before): refused",
        "error",
        {
            "file": b'{"year": 2024, "months": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
            "problems": [("", "nested deeper than 20 levels")],
        },
    ),
    Hostile(
        "year-before-2019",
        "year 2018 (before the cumulative method): refused",
        "error",
        {"file": doc([month()], year=2018), "problems": [("year", "must be a year 2019..2100")]},
    ),
    Hostile(
        "year-as-text",
        'year "2024" as text: refused',
        "error",
        {"file": doc([month()], year="2024"), "problems": [("year", "got '2024'")]},
    ),
    Hostile(
        "misspelt-income",
        '"incom" for "income": refused, both the typo and the missing key',
        "error",
        {
            "file": doc([{"incom": "10000"}]),
            "problems": [("months[0].incom", "unknown key"), ("months[0].income", "is required")],
        },
    ),
    Hostile(
        "gbk-file",
        "a MONTHS.json saved as GBK: refused naming the line",
        "error",
        {
            "file": '{"year": 2024,\n"months": [{"income": "1", "备注": 1}]}'.encode("gbk"),
            "problems": [("line 2", "not UTF-8")],
        },
    ),
    # --- the API ---------------------------------------------------------------------------
    Hostile(
        "api-ytd-1e30",
        "a year-to-date income of Decimal('1E+30') (InvalidOperation before): refused",
        "error",
        {
            "api": lambda: withhold_month("1", 0, 0, ytd=ytd(income=Decimal("1E+30"))),
            "problems": [("ytd.income", "out of range")],
        },
    ),
    Hostile(
        "api-ytd-nan",
        "a year-to-date tax withheld of NaN: refused",
        "error",
        {
            "api": lambda: ytd(tax_withheld=Decimal("NaN")),
            "problems": [("ytd.tax_withheld", "must be a Decimal ≥ 0")],
        },
    ),
    Hostile(
        "api-ytd-months-as-text",
        'months_counted "3" (a TypeError escaped before): refused',
        "error",
        {
            "api": lambda: ytd(months_counted="3"),
            "problems": [("ytd.months_counted", "whole number 0..12")],
        },
    ),
    Hostile(
        "api-ytd-thirteen-months",
        "months_counted 13: refused",
        "error",
        {
            "api": lambda: ytd(months_counted=13),
            "problems": [("ytd.months_counted", "whole number 0..12, got 13")],
        },
    ),
    Hostile(
        "api-year-full",
        "a month withheld after 12 counted: refused",
        "error",
        {
            "api": lambda: withhold_month("1", 0, 0, ytd=ytd(months_counted=12)),
            "problems": [("ytd.months_counted", "already 12")],
        },
    ),
    Hostile(
        "api-float-income",
        "an income of 0.1 (a float): refused",
        "error",
        {
            "api": lambda: withhold_month(0.1, 0, 0, ytd=YearToDate.zero()),  # type: ignore[arg-type]
            "problems": [("income", "floats are not accepted")],
        },
    ),
    Hostile(
        "api-year-zero",
        "withhold_year(year=0) with a separate bonus (date(0, 1, 1) raised ValueError): refused",
        "error",
        {
            "api": lambda: withhold_year(
                [MonthIncome("1", bonus="5", bonus_method="separate")], year=0
            ),
            "problems": [("year", "must be a year 1950..2100, got 0")],
        },
    ),
    Hostile(
        "api-thirteen-months",
        "withhold_year over 13 months: the thirteenth refused",
        "error",
        {
            "api": lambda: withhold_year([MonthIncome("10000")] * 13),
            "problems": [("months[12].months_counted", "already 12")],
        },
    ),
    Hostile(
        "api-bonus-1e30",
        "bonus_tax_separately(Decimal('1E+30')) (InvalidOperation before): refused",
        "error",
        {
            "api": lambda: bonus_tax_separately(Decimal("1E+30")),
            "problems": [("bonus", "out of range")],
        },
    ),
    Hostile(
        "api-money-text",
        'an income of "¥10,000.00": read as 10,000',
        "amount",
        {
            "api": lambda: withhold_month("¥10,000.00", 0, 0, ytd=YearToDate.zero()),
            # (10,000 − 5,000) × 3% = 150
            "check": lambda result: result.tax == Decimal("150.00"),
        },
    ),
]


def _file_lines(case: Hostile, tmp_path: Path) -> tuple[int, str, Path]:
    path = tmp_path / "months.json"
    path.write_bytes(case.data["file"])
    code, out = run_tax_file(path, "json")
    return code, out, path


@pytest.mark.parametrize("case", cases(*TAX))
def test_hostile_tax(case: Hostile, tmp_path: Path) -> None:
    data: dict[str, Any] = case.data
    if "file" in data:
        code, out, path = _file_lines(case, tmp_path)
        if case.outcome == "error":
            assert code == 1
            lines = out.splitlines()
            assert len(lines) == len(data["problems"]), lines
            for line, (location, fragment) in zip(lines, data["problems"], strict=True):
                prefix = f"{path}: {location}: " if location else f"{path}: "
                assert line.startswith(prefix), (line, prefix)
                assert fragment in line, (line, fragment)
                assert len(line) < 400 + len(prefix)
        else:
            assert code == 0, out
            rows = json.loads(out)
            assert [row["total_tax"] for row in rows] == data["taxes"]
        return
    call: Callable[[], Any] = data["api"]
    if case.outcome == "error":
        with pytest.raises(InputError) as raised:
            call()
        problems = raised.value.problems
        assert [p.location for p in problems] == [loc for loc, _ in data["problems"]]
        for problem, (_, fragment) in zip(problems, data["problems"], strict=True):
            assert fragment in problem.message, (problem.message, fragment)
    else:
        assert data["check"](call()) is True
