"""Every way a table file can be wrong is reported, all at once, with its key path."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from paycalc.contributions import (
    ContributionTableNotFound,
    load_contribution_tables,
    load_table_file,
    parse_contribution_table,
)
from paycalc.errors import InputError

from .tables_for_tests import VALID_TABLE, write_table


def valid_mapping() -> dict[str, Any]:
    return {
        "id": "test.town",
        "place": "测试镇",
        "version": "2024",
        "effective_from": date(2024, 1, 1),
        "published_on": date(2024, 1, 1),
        "status": "illustrative",
        "title": "测试表",
        "note": "made up",
        "source": {"title": "none", "issuer": "tests", "date": date(2024, 1, 1)},
        "base": {"floor": Decimal(3000), "cap": Decimal(15000), "default": "floor"},
        "items": [
            {
                "code": "pension",
                "label": "养老保险",
                "employee_rate": Decimal("0.08"),
                "employer_rate": Decimal("0.16"),
            },
            {
                "code": "medical",
                "label": "医疗保险",
                "employee_rate": Decimal("0.02"),
                "employer_rate": Decimal("0.08"),
            },
        ],
    }


def problems_of(data: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(InputError) as caught:
        parse_contribution_table(data, "t.toml")
    assert all(p.source == "t.toml" for p in caught.value.problems)
    return [(p.location, p.message) for p in caught.value.problems]


def test_valid_mapping_parses() -> None:
    table = parse_contribution_table(valid_mapping(), "t.toml")
    assert [item.code for item in table.items] == ["pension", "medical"]
    assert table.rounding == "ROUND_HALF_UP"


def test_unknown_keys_anywhere() -> None:
    data = valid_mapping()
    data["colour"] = "red"
    data["base"]["minimum"] = Decimal(1)
    data["items"][1]["rate"] = Decimal(1)
    locations = [where for where, _ in problems_of(data)]
    assert locations == ["colour", "base.minimum", "items[1].rate"]


def test_floats_are_refused() -> None:
    data = valid_mapping()
    data["items"][0]["employer_rate"] = 0.16
    [(where, message)] = problems_of(data)
    assert where == "items[0].employer_rate"
    assert "floats are not accepted" in message


def test_toml_fractions_are_read_as_decimals(tmp_path: Path) -> None:
    # tomllib is called with parse_float=Decimal: 0.08 in the file is exactly Decimal("0.08").
    table = load_table_file(write_table(tmp_path))
    assert table.items[0].employee_rate == Decimal("0.08")
    assert isinstance(table.base.floor, Decimal)


def test_negative_rate_and_rate_above_one() -> None:
    data = valid_mapping()
    data["items"][0]["employee_rate"] = Decimal("-0.01")
    data["items"][1]["employer_rate"] = Decimal(8)  # 8 meant as 8%
    found = problems_of(data)
    assert [where for where, _ in found] == ["items[0].employee_rate", "items[1].employer_rate"]
    assert all("fraction from 0 to 1" in message for _, message in found)


def test_floor_above_cap() -> None:
    data = valid_mapping()
    data["base"]["floor"] = Decimal(20000)
    data["items"][0]["base_floor"] = Decimal(5000)
    data["items"][0]["base_cap"] = Decimal(4000)
    found = problems_of(data)
    assert [where for where, _ in found] == ["base.floor", "items[0].base_floor"]


def test_all_problems_collected_in_one_error() -> None:
    data = valid_mapping()
    del data["title"]
    data["status"] = "draft"
    data["items"][0]["code"] = "pensions"
    data["items"][1]["code"] = "medical"
    data["items"].append(dict(data["items"][1]))
    data["base"]["default"] = "average"
    assert [where for where, _ in problems_of(data)] == [
        "status",
        "title",
        "base.default",
        "items[0].code",
        "items[2].code",
    ]


def test_bad_toml_and_layout(tmp_path: Path) -> None:
    write_table(tmp_path, text="id = ")
    with pytest.raises(InputError, match="not valid TOML"):
        load_contribution_tables(tmp_path)


def test_id_must_match_directory(tmp_path: Path) -> None:
    write_table(tmp_path, table_id="other.town")
    with pytest.raises(InputError, match="does not match its directory"):
        load_contribution_tables(tmp_path)


def test_duplicate_effective_from_within_one_id(tmp_path: Path) -> None:
    write_table(tmp_path, version="2024")
    second = write_table(tmp_path, version="2024b", effective_from="2024-01-01")
    with pytest.raises(InputError) as caught:
        load_contribution_tables(tmp_path)
    [problem] = caught.value.problems
    assert (problem.source, problem.location) == (str(second), "effective_from")


def versions(tmp_path: Path) -> Path:
    # 2024 version published ahead of time; the 2025 version takes effect on 2025-01-01 but
    # was only published on 2025-03-15 (a retroactive notice, common for yearly bases).
    write_table(tmp_path, version="2024", effective_from="2024-01-01", published_on="2023-12-01")
    write_table(tmp_path, version="2025", effective_from="2025-01-01", published_on="2025-03-15")
    return tmp_path


def test_table_for_picks_latest_version_in_force(tmp_path: Path) -> None:
    tables = load_contribution_tables(versions(tmp_path))
    assert tables.table_for("test.town", date(2024, 12, 31)).version == "2024"
    assert tables.table_for("test.town", date(2025, 1, 1)).version == "2025"


def test_as_of_hides_a_later_published_version(tmp_path: Path) -> None:
    tables = load_contribution_tables(versions(tmp_path))
    february = date(2025, 2, 1)
    assert tables.table_for("test.town", february, as_of=date(2025, 2, 1)).version == "2024"
    assert tables.table_for("test.town", february, as_of=date(2025, 3, 15)).version == "2025"
    with pytest.raises(ContributionTableNotFound, match="published on or before"):
        tables.table_for("test.town", february, as_of=date(2023, 1, 1))


def test_date_before_first_version(tmp_path: Path) -> None:
    tables = load_contribution_tables(versions(tmp_path))
    with pytest.raises(ContributionTableNotFound, match="takes effect on 2024-01-01"):
        tables.table_for("test.town", date(2023, 12, 31))


def test_unknown_id(tmp_path: Path) -> None:
    tables = load_contribution_tables(versions(tmp_path))
    with pytest.raises(ContributionTableNotFound, match="no contribution table 'nowhere'"):
        tables.table_for("nowhere", date(2024, 6, 1))


def test_the_helper_table_is_valid(tmp_path: Path) -> None:
    assert "[[items]]" in VALID_TABLE
    assert load_table_file(write_table(tmp_path)).id == "test.town"
