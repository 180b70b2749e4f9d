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
