"""Slip lines from a table: hand-computed amounts, clamping, rounding, defaults."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from paycalc.contributions import (
    ContributionTable,
    contributions_for,
    load_contribution_tables,
    load_table_file,
    total,
)
from paycalc.errors import InputError

from .tables_for_tests import VALID_TABLE, write_table

D = Decimal


def national() -> ContributionTable:
    """The illustrative national table in force mid-2024."""
    return load_contribution_tables().table_for("national.default", date(2024, 6, 1))


def test_hand_computed_lines_for_base_8000() -> None:
    # national.default (illustrative) at base 8,000.00 (inside 6,000–30,000):
    #   pension   8000 × 8%  = 640.00   employer 8000 × 16%  = 1280.00
    #   medical   8000 × 2%  = 160.00   employer 8000 × 8%   =  640.00
    #   unemploy. 8000 × 0.5% = 40.00   employer 8000 × 0.5% =   40.00
    #   work inj. (none)                employer 8000 × 0.4% =   32.00
    #   housing   8000 × 12% = 960.00   employer 8000 × 12%  =  960.00
    #   employee total 640 + 160 + 40 + 960 = 1800.00
    table = national()
    lines = contributions_for(table, D(8000))
    assert [(line.code, line.category, line.amount) for line in lines] == [
        ("pension_employee", "deduction", D("640.00")),
        ("medical_employee", "deduction", D("160.00")),
        ("unemployment_employee", "deduction", D("40.00")),
        ("housing_fund_employee", "deduction", D("960.00")),
        ("pension_employer", "employer", D("1280.00")),
        ("medical_employer", "employer", D("640.00")),
        ("unemployment_employer", "employer", D("40.00")),
        ("work_injury_employer", "employer", D("32.00")),
        ("housing_fund_employer", "employer", D("960.00")),
    ]
    assert lines[0].label == "养老保险（个人）"
    assert lines[0].basis == "基数 8,000.00 × 8%"
    assert lines[2].basis == "基数 8,000.00 × 0.5%"
    assert total(lines, "deduction") == D("1800.00")
    # No line for the zero employee rate of work injury insurance.
    assert "work_injury_employee" not in {line.code for line in lines}


def test_base_is_clamped_to_floor_and_cap() -> None:
    table = national()
    # 3,000 < floor 6,000 → 6000 × 8% = 480.00; 50,000 > cap 30,000 → 30000 × 8% = 2400.00
    assert contributions_for(table, D(3000))[0].amount == D("480.00")
    assert contributions_for(table, D(3000))[0].basis == "基数 6,000.00 × 8%"
    assert contributions_for(table, D(50000))[0].amount == D("2400.00")
    # No declared base and default "floor" → the floor: 6000 × 8% = 480.00
    assert contributions_for(table, None)[0].amount == D("480.00")


def test_amounts_round_half_up_to_the_fen() -> None:
    table = national()
    # 6666.66 × 0.5% = 33.3333 → 33.33; 6667.00 × 0.5% = 33.335 → 33.34 (half up)
    by_code = {line.code: line.amount for line in contributions_for(table, D("6666.66"))}
    assert by_code["unemployment_employee"] == D("33.33")
    by_code = {line.code: line.amount for line in contributions_for(table, D("6667.00"))}
    assert by_code["unemployment_employee"] == D("33.34")


def test_item_limits_override_the_table_limits(tmp_path: Path) -> None:
    table = load_table_file(write_table(tmp_path))
    # Table limits 3,000–15,000; housing fund 2,000–10,000.
    # base 1,500: pension on 3000 × 8% = 240.00; housing on 2000 × 5% = 100.00
    # base 12,000: pension on 12000 × 8% = 960.00; housing on 10000 × 5% = 500.00
    low = {line.code: line.amount for line in contributions_for(table, D(1500))}
    high = {line.code: line.amount for line in contributions_for(table, D(12000))}
    assert (low["pension_employee"], low["housing_fund_employee"]) == (D("240.00"), D("100.00"))
    assert (high["pension_employee"], high["housing_fund_employee"]) == (D("960.00"), D("500.00"))


def test_declared_required_refuses_no_base(tmp_path: Path) -> None:
    table = load_table_file(write_table(tmp_path, default="declared_required"))
    with pytest.raises(InputError, match="declared_base"):
        contributions_for(table, None)


def test_bad_declared_base() -> None:
    table = national()
    with pytest.raises(InputError, match="must be ≥ 0"):
        contributions_for(table, D(-1))
    with pytest.raises(InputError, match="floats are not accepted"):
        contributions_for(table, 5000.0)  # type: ignore[arg-type]


def test_bundled_tables_say_what_they_are() -> None:
    tables = load_contribution_tables()
    assert tables.ids() == ["fujian.ningde", "national.default", "yunnan.kunming"]
    for table_id in tables.ids():
        for table in tables.versions[table_id]:
            # Figures not taken from a retrieved official notice must say so.
            assert table.status == "illustrative"
            assert "llustrative" in table.note


def test_a_base_with_fewer_decimal_places_than_the_tables_limits(tmp_path: Path) -> None:
    # A table whose limits are written to the fen (floor 3,000.55, cap 15,000.25) and a base
    # written with none, or one, decimal place: the base means the same amount either way.
    text = (
        VALID_TABLE.format(version="2024", effective_from="2024-01-01", published_on="2023-12-01",
                           default="floor")
        .replace("floor = 3000.00", "floor = 3000.55")
        .replace("cap = 15000.00", "cap = 15000.25")
    )  # fmt: skip
    table = load_table_file(write_table(tmp_path, text=text))

    def pension(base: str) -> Decimal:
        lines = contributions_for(table, base)
        return next(line.amount for line in lines if line.code == "pension_employee")

    # 5000 × 8% = 400.00; 5000.5 × 8% = 400.04 (half up); 5000.55 × 8% = 400.044 → 400.04.
    assert pension("5000") == D("400.00")
    assert pension("5000.5") == D("400.04")
    assert pension("5000.55") == D("400.04")
    # More places than the limits: 5000.125 × 8% = 400.01 exactly.
    assert pension("5000.125") == D("400.01")
    # Below the floor: 3000.55 × 8% = 240.044 → 240.04 (the floor's fen count too).
    assert pension("2000") == D("240.04")
    # Above the cap: 15000.25 × 8% = 1200.02.
    assert pension("20000") == D("1200.02")
