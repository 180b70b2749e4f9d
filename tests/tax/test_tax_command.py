"""``paycalc tax MONTHS.json`` (run_tax_file): output contract and error listing."""

from __future__ import annotations

import json
from pathlib import Path

from paycalc.tax.command import run_tax_file


def write(tmp_path: Path, document: object | str) -> Path:
    path = tmp_path / "months.json"
    text = document if isinstance(document, str) else json.dumps(document)
    path.write_text(text, encoding="utf-8")
    return path


STA_MONTH = {"income": "30000", "social_insurance": "4500", "special_deductions": 3000}


def test_json_output_for_the_30000_example(tmp_path: Path) -> None:
    # Hand computation (see test_tax_withholding_examples): 525, 525, 1680; 3月 累计应纳税所得额
    # 90000 − 15000 − 13500 − 9000 = 52500 at 10% with quick deduction 2520.
    path = write(tmp_path, {"year": 2019, "months": [STA_MONTH] * 3})
    code, out = run_tax_file(path, "json")
    assert code == 0
    rows = json.loads(out)
    assert [row["month"] for row in rows] == [1, 2, 3]
    assert [row["tax"] for row in rows] == ["525.00", "525.00", "1680.00"]
    assert rows[2]["cumulative_taxable"] == "52500.00"
    assert rows[2]["rate"] == "0.10"
    assert rows[2]["quick_deduction"] == "2520.00"


def test_fractional_json_number_is_read_exactly(tmp_path: Path) -> None:
    # 10000.5 − 5000 = 5000.5 × 3% = 150.015 → 150.02 (half up). A binary float would not
    # change this particular result, but the value must be the exact decimal written.
    path = write(tmp_path, '{"year": 2024, "months": [{"income": 10000.5}]}')
    code, out = run_tax_file(path, "json")
    assert code == 0
    row = json.loads(out)[0]
    assert row["income"] == "10000.50"
    assert row["tax"] == "150.02"


def test_text_output_is_an_aligned_table(tmp_path: Path) -> None:
    path = write(tmp_path, {"year": 2019, "months": [STA_MONTH] * 3})
    code, out = run_tax_file(path, "text")
    assert code == 0
    lines = out.splitlines()
    table, total = lines[:-1], lines[-1]
    assert len({len(line) for line in table}) == 1  # every row the same width
    assert table[0].split() == [
        "month",
        "income",
        "cumulative_taxable",
        "rate",
        "quick_deduction",
        "cumulative_tax",
        "tax",
        "bonus_tax",
    ]
    assert total == "total withheld: 2730.00"  # 525 + 525 + 1680


def test_every_problem_is_listed_with_file_and_location(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        {
            "year": 2024,
            "colour": "blue",
            "months": [
                {"income": "10000"},
                {"income": True},
                {"income": "-5"},
                {"salary": "1"},
                {"income": "1", "bonus": "100", "bonus_method": "later"},
            ],
        },
    )
    code, out = run_tax_file(path, "json")
    assert code == 1
    assert out.splitlines() == [
        f"{path}: colour: unknown key (expected 'year' and 'months')",
        f"{path}: months[1].income: income: expected a number, got a boolean True",
        f"{path}: months[2].income: must be ≥ 0, got -5",
        f"{path}: months[3].salary: unknown key (expected one of bonus, bonus_method, income, "
        "other_deductions, social_insurance, special_deductions, tax_free_income)",
        f"{path}: months[3].income: is required",
        f"{path}: months[4].bonus_method: must be 'separate' or 'combined', got 'later'",
    ]


def test_second_separate_bonus_is_reported_against_the_file(tmp_path: Path) -> None:
    month = {"income": "10000", "bonus": "1000", "bonus_method": "separate"}
    path = write(tmp_path, {"year": 2024, "months": [month, month]})
    code, out = run_tax_file(path, "text")
    assert code == 1
    assert out.startswith(f"{path}: months[1].bonus_method: ")


def test_unreadable_and_malformed_files(tmp_path: Path) -> None:
    code, out = run_tax_file(tmp_path / "missing.json", "json")
    assert code == 1 and "cannot read" in out
    code, out = run_tax_file(write(tmp_path, "{not json"), "json")
    assert code == 1 and "not valid JSON" in out


def test_a_document_that_is_not_a_year_of_months_is_refused_saying_where(
    tmp_path: Path,
) -> None:
    # Each document is wrong in one way; each message names the place and the rule.
    expected = {
        "[1, 2]": ": expected a JSON object with 'year' and 'months'",
        '{"year": 2018, "months": [{"income": "1"}]}': (
            ": year: must be a year 2019..2100, got 2018"
        ),
        '{"year": "2024", "months": [{"income": "1"}]}': (
            ": year: must be a year 2019..2100, got '2024'"
        ),
        '{"year": true, "months": [{"income": "1"}]}': (
            ": year: must be a year 2019..2100, got True"
        ),
        '{"year": 2101, "months": [{"income": "1"}]}': (
            ": year: must be a year 2019..2100, got 2101"
        ),
        '{"year": 10000, "months": [{"income": "1"}]}': (
            ": year: must be a year 2019..2100, got 10000"
        ),
        '{"year": 2024, "months": []}': ": months: must be a non-empty list of month objects",
        '{"year": 2024}': ": months: must be a non-empty list of month objects",
        '{"year": 2024, "months": {"income": "1"}}': (
            ": months: must be a non-empty list of month objects"
        ),
        '{"year": 2024, "months": [' + ", ".join(['{"income": "1"}'] * 13) + "]}": (
            ": months: a tax year has at most 12 months, got 13"
        ),
        '{"year": 2024, "months": [{"income": "1"}, "March"]}': ": months[1]: must be an object",
        '{"year": 2024, "months": [{"income": "1", "bonus": "x"}]}': (
            ": months[0].bonus: bonus: not a number, got 'x'; expected an amount such as "
            "5320, 5320.00, 5,320.00, ¥5,320.00, ￥5320 or 5320元"
        ),
    }
    for document, message in expected.items():
        path = write(tmp_path, document)
        code, out = run_tax_file(path, "json")
        assert (code, out) == (1, f"{path}{message}"), document


def test_the_first_and_last_years_and_twelve_months_are_accepted(tmp_path: Path) -> None:
    # 2019 is the first year of cumulative withholding, 2100 the last year paycalc reads
    # dates in; 12 months of 5,000 are all within the basic deduction (5,000 a month): no tax.
    for year in (2019, 2100):
        path = write(tmp_path, {"year": year, "months": [{"income": "5000"}] * 12})
        code, out = run_tax_file(path, "json")
        assert code == 0, out
        assert [row["tax"] for row in json.loads(out)] == ["0.00"] * 12


def test_every_amount_key_of_a_month_is_read(tmp_path: Path) -> None:
    # income 20,000 − tax-free 1,000 − 5,000 − social 2,000 − special 1,500 − other 500
    # = 10,000 taxable × 3% = 300.00; a bonus of 12,000 taxed separately: 12,000 / 12 = 1,000
    # is in the 3% bracket → 360.00.
    month = {
        "income": "20000",
        "tax_free_income": "1000",
        "social_insurance": "2000",
        "special_deductions": "1500",
        "other_deductions": "500",
        "bonus": "12000",
        "bonus_method": "separate",
    }
    code, out = run_tax_file(write(tmp_path, {"year": 2024, "months": [month]}), "json")
    assert code == 0, out
    (row,) = json.loads(out)
    assert (row["cumulative_taxable"], row["tax"], row["bonus_tax"]) == (
        "10000.00",
        "300.00",
        "360.00",
    )
    assert row["total_tax"] == "660.00"
