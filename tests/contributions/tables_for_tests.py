"""A small valid table, as TOML text, for tests to write and to spoil one key at a time."""

from __future__ import annotations

from pathlib import Path

VALID_TABLE = """\
id = "test.town"
place = "测试镇"
version = "{version}"
effective_from = {effective_from}
published_on = {published_on}
status = "illustrative"
title = "测试表"
note = "made up for tests"

[source]
title = "none"
issuer = "tests"
date = 2024-01-01

[base]
floor = 3000.00
cap = 15000.00
default = "{default}"

[[items]]
code = "pension"
label = "养老保险"
employee_rate = 0.08
employer_rate = 0.16

[[items]]
code = "housing_fund"
label = "住房公积金"
employee_rate = 0.05
employer_rate = 0.05
base_floor = 2000.00
base_cap = 10000.00
"""


def write_table(
    root: Path,
    *,
    version: str = "2024",
    effective_from: str = "2024-01-01",
    published_on: str = "2023-12-01",
    default: str = "floor",
    table_id: str = "test.town",
    text: str | None = None,
) -> Path:
    """Write ``root/<table_id>/<version>.toml`` and return its path."""
    folder = root / table_id
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{version}.toml"
    body = (
        text
        if text is not None
        else VALID_TABLE.format(
            version=version,
            effective_from=effective_from,
            published_on=published_on,
            default=default,
        )
    )
    path.write_text(body, encoding="utf-8")
    return path
